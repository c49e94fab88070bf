"""PROMETHEE II: net outranking flows from pairwise preferences, without the n² loop.

The definition is pairwise: every option is compared with every other on every
criterion. For the piecewise-linear preference functions (usual, u-shape, v-shape, level,
linear) the sums over the other options only depend on how many of them fall in each
piece of the function and on the sum of their values there, so one sort per criterion,
monotone sweeps for the thresholds and prefix sums give every option's flows in
O(n log n). The Gaussian function has no such decomposition and is summed pair by pair.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from engage.methods import MethodResult
from engage.methods.preference import (  # noqa: F401  (re-exported: this method's interface)
    PREFERENCE_FUNCTIONS,
    PREFERENCE_PARAMETERS,
    Preference,
)

_GAUSSIAN_CUTOFF = math.sqrt(120.0 * math.log(2.0))
"""Beyond d = 9.12·s, exp(−d²/2s²) < 2⁻⁶⁰, so 1 − exp(…) rounds to exactly 1.0."""


class PreferenceLike(Protocol):
    """Anything with the four fields of :class:`Preference` (e.g. the model's own)."""

    @property
    def function(self) -> str: ...
    @property
    def q(self) -> float: ...
    @property
    def p(self) -> float: ...
    @property
    def s(self) -> float: ...


@dataclass(frozen=True, slots=True)
class PrometheeFlows:
    """Outranking flows, in the order of the matrix rows.

    ``net[i] = positive[i] − negative[i]`` (up to rounding: ``net[i]`` is computed as
    Σ_j w_j · ``by_criterion[i][j]`` so that the contributions add up to it exactly), and
    ``by_criterion[i][j]`` is the unweighted net flow φ_j of option i on criterion j.
    """

    net: list[float]
    positive: list[float]
    negative: list[float]
    by_criterion: list[list[float]]


def preference(pref: PreferenceLike, d: float) -> float:
    """Degree P(d) in [0, 1] to which a difference d (in raw units) is a preference.

    P(d) = 0 for d <= 0; for d > 0:

    - usual: 1
    - u-shape: 0 if d <= q, else 1
    - v-shape: d / p if d <= p, else 1
    - level: 0 if d <= q, 1/2 if q < d <= p, 1 if d > p
    - linear: 0 if d <= q, (d − q) / (p − q) if q < d <= p, 1 if d > p
    - gaussian: 1 − exp(−d² / (2 s²))

    A difference exactly at a threshold takes the lower branch, as written above.

    Reference: Brans, J. P. and Vincke, Ph. (1985), "A preference ranking organisation
    method (the PROMETHEE method for multiple criteria decision-making)", *Management
    Science* 31(6), 647-656 (the six generalised criteria).
    """
    if d <= 0.0:
        return 0.0
    function, q, p = pref.function, pref.q, pref.p
    if function == "usual":
        return 1.0
    if function == "u-shape":
        return 0.0 if d <= q else 1.0
    if function == "v-shape":
        return d / p if d <= p else 1.0
    if function == "level":
        if d <= q:
            return 0.0
        return 0.5 if d <= p else 1.0
    if function == "linear":
        if d <= q:
            return 0.0
        return (d - q) / (p - q) if d <= p else 1.0
    if function == "gaussian":
        s = pref.s
        return 1.0 - math.exp(-(d * d) / (2.0 * s * s))
    raise ValueError(f"unknown preference function {function!r}")


def promethee_flows(
    matrix: Sequence[Sequence[float]],
    weights: Sequence[float],
    higher_is_better: Sequence[bool],
    preferences: Sequence[PreferenceLike],
) -> PrometheeFlows:
    """Positive, negative, net and per-criterion flows of PROMETHEE II.

    With n options and weights w_j already normalised to sum 1:

    - d_j(a, b) = s_j · (x_aj − x_bj) in raw units, s_j = +1 when higher is better and
      −1 otherwise;
    - π(a, b) = Σ_j w_j P_j(d_j(a, b)) with P_j given by :func:`preference`;
    - φ+(a) = Σ_b π(a, b) / (n − 1) and φ−(a) = Σ_b π(b, a) / (n − 1), both in [0, 1];
    - φ_j(a) = Σ_b (P_j(d_j(a, b)) − P_j(d_j(b, a))) / (n − 1), in [−1, 1];
    - net flow φ(a) = φ+(a) − φ−(a) = Σ_j w_j φ_j(a), in [−1, 1], and Σ_a φ(a) = 0.

    Edge cases (all finite): a single option has every flow 0; identical options and a
    constant criterion give 0 on that criterion (d = 0, so P = 0 both ways); a zero weight
    contributes 0. Differences are computed exactly as x_a − x_b and compared with the
    same operators as the definition, so a difference that lands on q or p (integer data,
    integer thresholds) takes the same branch as in :func:`preference`.

    Cost, per criterion: usual, u-shape, v-shape, level and linear take O(n log n) time
    (one sort, monotone threshold sweeps, prefix sums) and O(n) memory. The Gaussian is a
    pairwise sum: O(n²) in the worst case (all values within 9.12·s of each other); pairs
    further apart have P = 1 exactly in floating point and are counted, not computed, so
    data spread over many s cost much less. Whole call: O(n·m) memory for ``by_criterion``.

    The linear pieces are summed through prefix sums of the values centred on their
    mid-range; the result equals the pairwise sum up to rounding of order
    ε·(range of the criterion)/(p − q) on each flow, ε = 2⁻⁵², far below anything shown.

    Raises ValueError for mismatched lengths, an unknown function, or parameters outside
    :data:`PREFERENCE_PARAMETERS`' ranges (non-finite, q < 0, p <= q, p <= 0, s <= 0).

    References: Brans, J. P. and Vincke, Ph. (1985), "A preference ranking organisation
    method (the PROMETHEE method for multiple criteria decision-making)", *Management
    Science* 31(6), 647-656, whose six-criterion example is reproduced in
    ``tests/methods/test_promethee.py``. The sorting approach follows Calders, T. and
    Van Assche, D., "PROMETHEE is not quadratic: an O(qn log(n)) algorithm", *Omega*.
    """
    m = len(weights)
    directions = list(higher_is_better)
    prefs = list(preferences)
    if len(directions) != m or len(prefs) != m:
        raise ValueError(f"{m} weights, {len(directions)} directions and {len(prefs)} preferences")
    for pref in prefs:
        _check_preference(pref)
    rows = [list(row) for row in matrix]
    for row in rows:
        if len(row) != m:
            raise ValueError(f"a row has {len(row)} values, expected {m}")
    n = len(rows)
    if n < 2:  # a single option is compared with nothing: every flow is 0
        return PrometheeFlows(
            net=[0.0] * n,
            positive=[0.0] * n,
            negative=[0.0] * n,
            by_criterion=[[0.0] * m for _ in range(n)],
        )

    others = n - 1  # dividing (not multiplying by 1/(n − 1)) keeps |φ_j| <= 1 exactly
    positive = [0.0] * n
    negative = [0.0] * n
    by_criterion: list[list[float]] = [[] for _ in range(n)]
    for j, (pref, w, better) in enumerate(zip(prefs, weights, directions, strict=True)):
        # u = s_j · x: then u_a − u_b is exactly the float s_j · (x_a − x_b).
        u = [row[j] if better else -row[j] for row in rows]
        plus, minus = _criterion_sums(u, pref)
        for i in range(n):
            positive[i] += w * plus[i] / others
            negative[i] += w * minus[i] / others
            by_criterion[i].append((plus[i] - minus[i]) / others)
    net = [sum(w * phi for w, phi in zip(weights, phis, strict=True)) for phis in by_criterion]
    return PrometheeFlows(net=net, positive=positive, negative=negative, by_criterion=by_criterion)


def promethee(
    matrix: Sequence[Sequence[float]],
    weights: Sequence[float],
    higher_is_better: Sequence[bool],
    preferences: Sequence[PreferenceLike],
) -> MethodResult:
    """PROMETHEE II: score = net flow φ(a) in [−1, 1], see :func:`promethee_flows`.

    ``contributions[i][j] = w_j · φ_j(a_i)``, criterion j's weighted net flow; the score is
    their sum, so the shares shown add up to the score shown. A single option scores 0.

    Reference: Brans, J. P. and Vincke, Ph. (1985), *Management Science* 31(6), 647-656.
    """
    flows = promethee_flows(matrix, weights, higher_is_better, preferences)
    contributions = [
        [w * phi for w, phi in zip(weights, phis, strict=True)] for phis in flows.by_criterion
    ]
    return MethodResult(scores=[sum(parts) for parts in contributions], contributions=contributions)


# -- one criterion ------------------------------------------------------------------------


def _check_preference(pref: PreferenceLike) -> None:
    function = pref.function
    if function not in PREFERENCE_PARAMETERS:
        raise ValueError(f"unknown preference function {function!r}")
    needed = PREFERENCE_PARAMETERS[function]
    values = {"q": pref.q, "p": pref.p, "s": pref.s}
    for name in needed:
        if not math.isfinite(values[name]):
            raise ValueError(f"{function}: {name} must be finite, got {values[name]!r}")
    q, p, s = values["q"], values["p"], values["s"]
    if "q" in needed and not q >= 0.0:
        raise ValueError(f"{function}: q must be >= 0, got {q!r}")
    if "q" in needed and "p" in needed and not p > q:
        raise ValueError(f"{function}: p must be > q, got q={q!r}, p={p!r}")
    if function == "v-shape" and not p > 0.0:
        raise ValueError(f"v-shape: p must be > 0, got {p!r}")
    if function == "gaussian" and not 2.0 * s * s > 0.0:  # s > 0, and s² not underflowing
        raise ValueError(f"gaussian: s must be > 0 (and s² must not underflow), got {s!r}")


def _criterion_sums(u: list[float], pref: PreferenceLike) -> tuple[list[float], list[float]]:
    """For each a: (Σ_b P(u_a − u_b), Σ_b P(u_b − u_a)), in the order of ``u``."""
    n = len(u)
    order = sorted(range(n), key=u.__getitem__)
    v = [u[i] for i in order]
    if pref.function == "gaussian":
        plus_sorted, minus_sorted = _gaussian_sums(v, pref.s)
    else:
        plus_sorted, minus_sorted = _piecewise_sums(v, pref)
    plus = [0.0] * n
    minus = [0.0] * n
    for position, i in enumerate(order):
        plus[i] = plus_sorted[position]
        minus[i] = minus_sorted[position]
    return plus, minus


def _below(v: list[float], t: float) -> list[int]:
    """k[i] = first index b with v[i] − v[b] <= t (t >= 0), for sorted ``v``.

    {b : v[i] − v[b] <= t} is a suffix of the sorted values and its start never moves
    back as v[i] grows, so one sweep finds every k[i] with the exact float comparison.
    """
    out = [0] * len(v)
    k = 0
    for i, x in enumerate(v):
        while x - v[k] > t:  # stops at k = i at the latest: x − x = 0 <= t
            k += 1
        out[i] = k
    return out


def _above(v: list[float], t: float) -> list[int]:
    """k[i] = first index b with v[b] − v[i] > t (t >= 0), or n, for sorted ``v``."""
    n = len(v)
    out = [0] * n
    k = 0
    for i, x in enumerate(v):
        k = max(k, i + 1)  # v[b] − x <= 0 <= t for every b <= i
        while k < n and v[k] - x <= t:
            k += 1
        out[i] = k
    return out


def _piecewise_sums(v: list[float], pref: PreferenceLike) -> tuple[list[float], list[float]]:
    """S+ and S− for sorted values ``v`` and a piecewise-linear preference function.

    For option i (sorted position), d = v[i] − v[b] > 0 exactly for b < z = bisect_left,
    and the b with d <= t form the suffix starting at _below(v, t)[i]; so the b with
    d > p are [0, kp), with q < d <= p are [kp, kq), with 0 < d <= q are [kq, z). The
    mirror image holds for d = v[b] − v[i] with bisect_right and _above.
    """
    n = len(v)
    function, q, p = pref.function, pref.q, pref.p
    lows = [bisect_left(v, x) for x in v]
    if function == "usual":
        return [float(z) for z in lows], [float(n - bisect_right(v, x)) for x in v]
    highs = [bisect_right(v, x) for x in v]
    if function == "u-shape":
        kq, kq_up = _below(v, q), _above(v, q)
        return [float(k) for k in kq], [float(n - k) for k in kq_up]
    kp, kp_up = _below(v, p), _above(v, p)
    if function == "level":
        kq, kq_up = _below(v, q), _above(v, q)
        plus = [a + 0.5 * (b - a) for a, b in zip(kp, kq, strict=True)]
        minus = [(n - a) + 0.5 * (a - b) for a, b in zip(kp_up, kq_up, strict=True)]
        return plus, minus

    # v-shape and linear: a ramp over q < d <= p (q = 0 for v-shape), 1 beyond p.
    if function == "v-shape":
        return _ramp_sums(v, 0.0, p, (lows, highs), (kp, kp_up))
    return _ramp_sums(v, q, p, (_below(v, q), _above(v, q)), (kp, kp_up))


def _ramp_sums(
    v: list[float],
    q: float,
    p: float,
    at_q: tuple[list[int], list[int]],
    at_p: tuple[list[int], list[int]],
) -> tuple[list[float], list[float]]:
    """S+ and S− for P = (d − q) / (p − q) on q < d <= p and 1 beyond p.

    ``at_q`` and ``at_p`` are the (_below, _above) boundaries at q and at p. The ramp over
    the b in [lo, hi) is Σ (v[i] − v[b] − q) / (p − q) = (count·(v[i] − q) − Σ v[b]) /
    (p − q), the Σ from prefix sums; it is clamped to [0, count], its exact range, so
    rounding never pushes a flow outside [−1, 1].
    """
    n = len(v)
    kq, kq_up = at_q
    kp, kp_up = at_p
    span = p - q
    mid = v[0] / 2 + v[-1] / 2  # centring keeps the prefix sums small: less cancellation
    c = [x - mid for x in v]
    prefix = _prefix_sums(c)
    plus: list[float] = []
    minus: list[float] = []
    for i in range(n):
        ci = c[i]
        lo, hi = kp[i], kq[i]  # q < v[i] − v[b] <= p for b in [lo, hi)
        count = hi - lo
        ramp = (count * (ci - q) - (prefix[hi] - prefix[lo])) / span
        plus.append(lo + min(max(ramp, 0.0), float(count)))
        lo, hi = kq_up[i], kp_up[i]  # q < v[b] − v[i] <= p for b in [lo, hi)
        count = hi - lo
        ramp = ((prefix[hi] - prefix[lo]) - count * (ci + q)) / span
        minus.append((n - hi) + min(max(ramp, 0.0), float(count)))
    return plus, minus


def _prefix_sums(values: list[float]) -> list[float]:
    """[0, v0, v0 + v1, …], each compensated (Neumaier) so its error stays ~ε·|sum|."""
    prefix = [0.0]
    total = compensation = 0.0
    for x in values:
        t = total + x
        if abs(total) >= abs(x):
            compensation += (total - t) + x
        else:
            compensation += (x - t) + total
        total = t
        prefix.append(total + compensation)
    return prefix


def _gaussian_sums(v: list[float], s: float) -> tuple[list[float], list[float]]:
    """S+ and S− for sorted values ``v`` and the Gaussian preference, pair by pair.

    Each pair is evaluated once, for the option below (its S−) and the option above (its
    S+). Only pairs closer than 9.12·s are evaluated: beyond that P(d) is exactly 1.0 in
    floating point, so those pairs are counted, their boundaries found by the same exact
    sweeps as the thresholds of the other functions.
    """
    n = len(v)
    two_s2 = 2.0 * s * s
    exp = math.exp
    cutoff = _GAUSSIAN_CUTOFF * s
    near_above = _above(v, cutoff)
    plus = [float(k) for k in _below(v, cutoff)]  # the far pairs, P = 1 each
    minus: list[float] = []
    for i, x in enumerate(v):
        hi = near_above[i]
        # P(d) for b in (i, hi), d = v[b] − x >= 0: the same expression as preference()
        ps = [1.0 - exp(-(d * d) / two_s2) if (d := y - x) > 0.0 else 0.0 for y in v[i + 1 : hi]]
        minus.append((n - hi) + sum(ps))
        for b, pb in enumerate(ps, i + 1):
            plus[b] += pb
    return plus, minus
