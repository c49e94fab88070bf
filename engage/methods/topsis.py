"""TOPSIS: closeness to the ideal option, with vector normalisation."""

from __future__ import annotations

import math
from collections.abc import Sequence

from engage.methods import MethodResult


def topsis(
    matrix: Sequence[Sequence[float]],
    weights: Sequence[float],
    higher_is_better: Sequence[bool],
) -> MethodResult:
    """Score each option by its relative closeness to the ideal, from 0 to 1.

    With n options (rows) and m criteria (columns), weights w_j already normalised to
    sum 1:

    - vector normalisation r_ij = x_ij / sqrt(Σ_i x_ij²), and r_ij = 0 when column j is
      all zero;
    - weighted values y_ij = w_j · r_ij;
    - ideal A+_j = max_i y_ij when higher is better, min_i y_ij when lower is better; the
      anti-ideal A−_j is the opposite end;
    - D+_i and D−_i are the Euclidean distances from row i to A+ and A−;
    - closeness C_i = D−_i / (D+_i + D−_i), the score.

    Edge cases (all finite, never a division by zero): a column of zeros contributes
    nothing; a constant criterion contributes nothing to either distance, so it does not
    change any score; a zero weight removes its criterion; when D+_i = D−_i = 0 (a single
    option, identical options, or every criterion constant or weighted zero) C_i = 0.5.
    TOPSIS has no additive breakdown, so ``contributions`` is ``None``.

    Cost: O(n·m) time and memory (one pass per column, one per row). Column norms use
    :func:`math.hypot` and distances :func:`math.dist`, which scale internally, so very
    large values do not overflow when squared.

    Reference: Hwang, C.-L. and Yoon, K. (1981), *Multiple Attribute Decision Making:
    Methods and Applications*, Springer (TOPSIS; the fighter-aircraft example of
    pp. 133-134 is reproduced in ``tests/methods/test_topsis.py``).
    """
    m = len(weights)
    directions = list(higher_is_better)
    if len(directions) != m:
        raise ValueError(f"{m} weights but {len(directions)} directions")
    rows = [list(row) for row in matrix]
    for row in rows:
        if len(row) != m:
            raise ValueError(f"a row has {len(row)} values, expected {m}")
    if not rows:
        return MethodResult(scores=[], contributions=None)

    columns = list(zip(*rows, strict=True)) if m else []
    factors: list[float] = []
    ideal: list[float] = []
    anti: list[float] = []
    for column, w, better in zip(columns, weights, directions, strict=True):
        norm = math.hypot(*column)
        factor = w / norm if norm > 0.0 else 0.0
        factors.append(factor)
        # y = x · factor; for factor >= 0 (non-negative weights) the extreme y sit at the
        # extreme x, but taking them from the y themselves stays right for any sign.
        ys = [x * factor for x in column]
        hi, lo = max(ys), min(ys)
        ideal.append(hi if better else lo)
        anti.append(lo if better else hi)

    scores: list[float] = []
    for row in rows:
        y = [x * factor for x, factor in zip(row, factors, strict=True)]
        d_plus = math.dist(y, ideal)
        d_minus = math.dist(y, anti)
        total = d_plus + d_minus
        scores.append(d_minus / total if total > 0.0 else 0.5)
    return MethodResult(scores=scores, contributions=None)
