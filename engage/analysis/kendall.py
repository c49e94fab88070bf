"""Kendall's rank correlation τ-b, in O(n log n)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Kendall's τ-b between two rankings of the same items (ties handled).

    τ-b = (n_c − n_d) / sqrt((n_0 − n_1)(n_0 − n_2)), with n_0 = n(n−1)/2 pairs, n_c and
    n_d the concordant and discordant pairs, n_1 and n_2 the pairs tied in x and in y.
    None when either ranking is constant (the denominator is 0), including n < 2.

    Knight's algorithm: sort by (x, y), count the ties, then count the discordant pairs
    as the exchanges a merge sort by y makes. Reference: W. R. Knight (1966), "A computer
    method for calculating Kendall's tau with ungrouped data", JASA 61(314), 436–439;
    M. G. Kendall (1945), "The treatment of ties in ranking problems", Biometrika 33(3).
    """
    n = len(x)
    if n != len(y):
        raise ValueError("rankings of different lengths")
    pairs = sorted(zip(x, y, strict=True))
    n0 = n * (n - 1) // 2
    n1 = _tied_pairs([p[0] for p in pairs])
    n3 = _tied_pairs(pairs)
    ys = [p[1] for p in pairs]
    swaps = _merge_count(ys)
    n2 = _tied_pairs(ys)  # ys is sorted now
    denominator = (n0 - n1) * (n0 - n2)
    if denominator == 0:
        return None
    discordant = swaps
    concordant = n0 - n1 - n2 + n3 - discordant
    return (concordant - discordant) / math.sqrt(denominator)


def _tied_pairs(values: Sequence[object]) -> int:
    """Pairs of equal neighbours in a sorted sequence: Σ t(t−1)/2 over runs."""
    total, run = 0, 1
    for k in range(1, len(values) + 1):
        if k < len(values) and values[k] == values[k - 1]:
            run += 1
        else:
            total += run * (run - 1) // 2
            run = 1
    return total


def _merge_count(values: list[float]) -> int:
    """Sort ``values`` in place (stably) and return how many inversions it had."""
    swaps = 0
    width = 1
    n = len(values)
    buffer = values[:]
    while width < n:
        for lo in range(0, n, 2 * width):
            mid, hi = min(lo + width, n), min(lo + 2 * width, n)
            i, j, k = lo, mid, lo
            while i < mid and j < hi:
                if values[j] < values[i]:
                    buffer[k] = values[j]
                    swaps += mid - i
                    j += 1
                else:
                    buffer[k] = values[i]
                    i += 1
                k += 1
            buffer[k : k + mid - i] = values[i:mid]
            k += mid - i
            buffer[k : k + hi - j] = values[j:hi]
            values[lo:hi] = buffer[lo:hi]
        width *= 2
    return swaps
