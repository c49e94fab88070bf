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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar, cast

from engage.methods import MethodResult
from engage.methods.base import CriterionLike, Method
from engage.methods.preference import (
    PREFERENCE_FUNCTIONS,
    PREFERENCE_PARAMETERS,
    Band,
    Preference,
    PreferenceLike,
    check_preference,
    preference,
    preference_band,
    threshold_tolerance,
)

if TYPE_CHECKING:
    from engage.methods.base import Floats

X = TypeVar("X")

__all__ = [
    "PREFERENCE_FUNCTIONS",
    "PREFERENCE_PARAMETERS",
    "Preference",
    "PreferenceLike",
    "PrometheeFlows",
    "preference",
    "promethee",
    "promethee_flows",
    "threshold_tolerance",
]


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


def promethee_flows(
    matrix: Sequence[Sequence[float]],
    weights: Sequence[float],
    higher_is_better: Sequence[bool],
    preferences: Sequence[PreferenceLike],
    tolerances: Sequence[float] | None = None,
) -> PrometheeFlows:
    """Positive, negative, net and per-criterion flows of PROMETHEE II.

    With n options and weights w_j already normalised to sum 1:

    - d_j(a, b) = s_j · (x_aj − x_bj) in raw units, s_j = +1 when higher is better and
      −1 otherwise;
    - π(a, b) = Σ_j w_j P_j(d_j(a, b)) with P_j given by :func:`preference`;
    - φ+(a) = Σ_b π(a, b) / (n − 1) and φ−(a) = Σ_b π(b, a) / (n − 1), both in [0, 1];
    - φ_j(a) = Σ_b (P_j(d_j(a, b)) − P_j(d_j(b, a))) / (n − 1), in [−1, 1];
    - net flow φ(a) = φ+(a) − φ−(a) = Σ_j w_j φ_j(a), in [−1, 1], and Σ_a φ(a) = 0.

    ``tolerances[j]`` (default 0) is how far a difference may miss 0, q or p on criterion
    j and still count as equal to it (see :func:`engage.methods.preference.preference_band`);
    callers scoring written values pass :func:`threshold_tolerance` of each criterion's
    scale, so that 3.1 − 2.8 = 0.30000000000000027 counts as the q = 0.3 it is written as.

    Edge cases (all finite): a single option has every flow 0; identical options and a
    constant criterion give 0 on that criterion (d = 0, so P = 0 both ways); a zero weight
    contributes 0. Differences are computed as x_a − x_b and compared with the cuts of
    :func:`preference_band`, with the same operators, so every pair takes the same branch
    as in :func:`preference` with the same tolerance.

    Cost, per criterion: usual, u-shape, v-shape, level and linear take O(n log n) time
    (one sort, monotone threshold sweeps, prefix sums) and O(n) memory. The Gaussian is a
    pairwise sum: O(n²) in the worst case (all values within 9.12·s of each other); pairs
    further apart have P = 1 exactly in floating point and are counted, not computed, so
    data spread over many s cost much less. Whole call: O(n·m) memory for ``by_criterion``.

    The linear pieces are summed through prefix sums of the values centred on their
    mid-range; the result equals the pairwise sum up to rounding of order
    ε·(range of the criterion)/(p − q) on each flow, ε = 2⁻⁵², far below anything shown.

    Raises ValueError for mismatched lengths, an unknown function, parameters outside
    :data:`PREFERENCE_PARAMETERS`' ranges (non-finite, q < 0, p <= q, p <= 0, s <= 0) or a
    tolerance that is negative or not finite.

    References: Brans, J. P. and Vincke, Ph. (1985), "A preference ranking organisation
    method (the PROMETHEE method for multiple criteria decision-making)", *Management
    Science* 31(6), 647-656, whose six-criterion example is reproduced in
    ``tests/methods/test_promethee.py``. The sorting approach follows Calders, T. and
    Van Assche, D., "PROMETHEE is not quadratic: an O(qn log(n)) algorithm", *Omega*.
    """
    m = len(weights)
    directions = list(higher_is_better)
    prefs = list(preferences)
    tols = [0.0] * m if tolerances is None else list(tolerances)
    if len(directions) != m or len(prefs) != m or len(tols) != m:
        raise ValueError(
            f"{m} weights, {len(directions)} directions, {len(prefs)} preferences"
            f" and {len(tols)} tolerances"
        )
    for pref in prefs:
        check_preference(pref)
    if not all(0.0 <= tol < math.inf for tol in tols):
        raise ValueError(f"tolerances must be finite and >= 0, got {tols!r}")
    bands = [preference_band(pref, tol) for pref, tol in zip(prefs, tols, strict=True)]
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
    for j, (band, w, better) in enumerate(zip(bands, weights, directions, strict=True)):
        # u = s_j · x: then u_a − u_b is exactly the float s_j · (x_a − x_b).
        u = [oriented(row[j], better) for row in rows]
        plus, minus = _criterion_sums(u, band)
        for i in range(n):
            positive[i] += w * plus[i] / others
            negative[i] += w * minus[i] / others
            by_criterion[i].append(net_flow(plus[i], minus[i], others))
    net = [sum(weighted(weights, phis)) for phis in by_criterion]
    return PrometheeFlows(net=net, positive=positive, negative=negative, by_criterion=by_criterion)


def promethee(
    matrix: Sequence[Sequence[float]],
    weights: Sequence[float],
    higher_is_better: Sequence[bool],
    preferences: Sequence[PreferenceLike],
    tolerances: Sequence[float] | None = None,
) -> MethodResult:
    """PROMETHEE II: score = net flow φ(a) in [−1, 1], see :func:`promethee_flows`.

    ``contributions[i][j] = w_j · φ_j(a_i)``, criterion j's weighted net flow; the score is
    their sum, so the shares shown add up to the score shown. A single option scores 0.

    Reference: Brans, J. P. and Vincke, Ph. (1985), *Management Science* 31(6), 647-656.
    """
    flows = promethee_flows(matrix, weights, higher_is_better, preferences, tolerances)
    contributions = [weighted(weights, phis) for phis in flows.by_criterion]
    return MethodResult(scores=[sum(parts) for parts in contributions], contributions=contributions)


def score(
    matrix: Sequence[Sequence[float]], weights: Sequence[float], criteria: Sequence[CriterionLike]
) -> MethodResult:
    """:func:`promethee` with each criterion's preference function and the tolerance of
    its scale (:func:`threshold_tolerance`), as written values are compared."""
    directions = [c.higher_is_better for c in criteria]
    preferences = [c.preference for c in criteria]
    tolerances = [threshold_tolerance(c.lo, c.hi) for c in criteria]
    return promethee(matrix, weights, directions, preferences, tolerances)


def score_batch(matrices: Floats, weights: Floats, criteria: Sequence[CriterionLike]) -> Floats:
    """:func:`score` of many matrices at once, summing P over every pair: O(n²·m) per
    draw. The same bands, orientation, net flows and weighting as :func:`promethee_flows`;
    only the order of the sums differs (agreement to rounding)."""
    import numpy as np

    n = matrices.shape[-2]
    phis = []
    for j, c in enumerate(criteria):
        u = oriented(matrices[..., j], c.higher_is_better)
        if n < 2:
            phis.append(np.zeros_like(u))
            continue
        band = preference_band(c.preference, threshold_tolerance(c.lo, c.hi))
        d = u[..., :, None] - u[..., None, :]
        middle = band.middle_of(d, np.exp)
        p = np.where(d <= band.lo, 0.0, np.where(d > band.hi, 1.0, middle))
        phis.append(net_flow(p.sum(axis=-1), p.sum(axis=-2), n - 1))
    columns = [weights[..., j, None] for j in range(len(criteria))]
    return cast("Floats", sum(weighted(columns, phis)))


def oriented(x: X, higher_is_better: bool) -> X:
    """u = s_j · x, s_j = ±1: then u_a − u_b is exactly the float s_j · (x_a − x_b)."""
    return x if higher_is_better else -x  # type: ignore[operator]


def net_flow(plus: X, minus: X, others: int) -> X:
    """φ_j = (Σ_b P(d(a, b)) − Σ_b P(d(b, a))) / (n − 1); dividing (not multiplying by
    1/(n − 1)) keeps |φ_j| <= 1 exactly."""
    return (plus - minus) / others  # type: ignore[operator, no-any-return]


def weighted(weights: Sequence[X], phis: Sequence[X]) -> list[X]:
    """w_j · φ_j for each criterion: the contributions, whose sum is the net flow."""
    return [w * phi for w, phi in zip(weights, phis, strict=True)]  # type: ignore[operator]


METHOD = Method(
    name="promethee",
    score_unit="net flow",
    score_range=(-1.0, 1.0),
    score=score,
    score_batch=score_batch,
    additive=True,
    linear_in_weights=True,
    monotone_in_values=True,
    relative=True,
    pairwise=True,
)


# -- one criterion ------------------------------------------------------------------------


def _criterion_sums(u: list[float], band: Band) -> tuple[list[float], list[float]]:
    """For each a: (Σ_b P(u_a − u_b), Σ_b P(u_b − u_a)), in the order of ``u``.

    For option i (sorted position) and d = v[i] − v[b], the b with d <= t form the suffix
    starting at _below(v, t)[i]; so the b with d > hi are [0, kh) (P = 1), those with
    lo < d <= hi are [kh, kl) (the middle), the rest have P = 0. The mirror image holds
    for d = v[b] − v[i] with _above: P = 1 on [kh_up, n), the middle on [kl_up, kh_up).
    """
    n = len(u)
    order = sorted(range(n), key=u.__getitem__)
    v = [u[i] for i in order]
    kh, kh_up = _below(v, band.hi), _above(v, band.hi)
    if band.kind == "gaussian":
        plus_sorted, minus_sorted = _gaussian_sums(v, band, kh, kh_up)
    else:
        full_plus = [float(k) for k in kh]
        full_minus = [float(n - k) for k in kh_up]
        if band.kind == "step":
            plus_sorted, minus_sorted = full_plus, full_minus
        else:
            kl, kl_up = _below(v, band.lo), _above(v, band.lo)
            if band.kind == "level":
                plus_sorted = [f + 0.5 * (b - a) for f, a, b in zip(full_plus, kh, kl, strict=True)]
                minus_sorted = [
                    f + 0.5 * (b - a) for f, a, b in zip(full_minus, kl_up, kh_up, strict=True)
                ]
            else:
                plus_sorted, minus_sorted = _ramp_sums(v, band, (kl, kl_up), (kh, kh_up))
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


def _ramp_sums(
    v: list[float],
    band: Band,
    at_lo: tuple[list[int], list[int]],
    at_hi: tuple[list[int], list[int]],
) -> tuple[list[float], list[float]]:
    """S+ and S− for P = (d − q) / span on lo < d <= hi and 1 beyond hi.

    ``at_lo`` and ``at_hi`` are the (_below, _above) boundaries at lo and at hi. The ramp
    over the b in [a, b) is Σ (v[i] − v[b] − q) / span = (count·(v[i] − q) − Σ v[b]) /
    span, the Σ from prefix sums; it is clamped to [0, count], its exact range, so
    rounding never pushes a flow outside [−1, 1].
    """
    n = len(v)
    kl, kl_up = at_lo
    kh, kh_up = at_hi
    q, span = band.q, band.span
    mid = v[0] / 2 + v[-1] / 2  # centring keeps the prefix sums small: less cancellation
    c = [x - mid for x in v]
    prefix = _prefix_sums(c)
    plus: list[float] = []
    minus: list[float] = []
    for i in range(n):
        ci = c[i]
        lo, hi = kh[i], kl[i]  # lo < v[i] − v[b] <= hi for b in [lo, hi)
        count = hi - lo
        ramp = (count * (ci - q) - (prefix[hi] - prefix[lo])) / span
        plus.append(lo + min(max(ramp, 0.0), float(count)))
        lo, hi = kl_up[i], kh_up[i]  # lo < v[b] − v[i] <= hi for b in [lo, hi)
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


def _gaussian_sums(
    v: list[float], band: Band, far_below: list[int], far_above: list[int]
) -> tuple[list[float], list[float]]:
    """S+ and S− for sorted values ``v`` and the Gaussian preference, pair by pair.

    Each pair is evaluated once, for the option below (its S−) and the option above (its
    S+). Only pairs closer than band.hi = 9.12·s are evaluated: beyond that P(d) is
    exactly 1.0 in floating point, so those pairs are counted (``far_below``/``far_above``
    are the sweeps' boundaries at band.hi), as in :func:`preference`.
    """
    n = len(v)
    lo = band.lo
    two_s2 = 2.0 * band.s * band.s
    exp = math.exp
    plus = [float(k) for k in far_below]  # the far pairs, P = 1 each
    minus: list[float] = []
    for i, x in enumerate(v):
        hi = far_above[i]
        # P(d) for b in (i, hi), d = v[b] − x >= 0: the same expression as Band.middle
        ps = [1.0 - exp(-(d * d) / two_s2) if (d := y - x) > lo else 0.0 for y in v[i + 1 : hi]]
        minus.append((n - hi) + sum(ps))
        for b, pb in enumerate(ps, i + 1):
            plus[b] += pb
    return plus, minus
