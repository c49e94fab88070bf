"""How far each weight can move before the top option, or any rank, changes
(docs/methods.md#sensitivity).

One weight w_j moves to t ∈ [0, 1] while the others keep their proportions:
w_k(t) = w_k · (1 − t) / (1 − w_j) (shared equally when w_j = 1), so the current weights
sit at t = w_j. The weights are then w(t) = (1 − t) · w(0) + t · e_j, and every method whose
score is ``linear_in_weights`` (weighted sum: Σ_j w_j · 100 · v_ij; PROMETHEE II:
Σ_j w_j · φ_j) gives each option a straight line s_i(t) = (1 − t) · s_i(0) + t · s_i(1).
Where two lines cross is solved exactly. For the others (TOPSIS) the intervals are found
by scanning and bisection to :data:`NUMERIC_TOLERANCE`.

Intervals are closed: at an end the top option ties with the one that takes over (or,
for the "no rank change" interval, two options tie), and just past it the order changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from engage.analysis.explain import tie_change
from engage.core.model import OptionSet
from engage.core.ranking import (
    TIE_TOLERANCE,
    Lens,
    Ranked,
    Ranking,
    Selection,
    assign_ranks,
    nothing_left,
    rank,
    score_matrix,
)
from engage.methods import registry

RIVALS = 3
"""How many options after the top one get single-score tie changes."""

NUMERIC_TOLERANCE = 1e-6
"""Width within which a TOPSIS interval end is found (bisection on t)."""

SCAN_STEPS = 100
"""Grid steps over [0, 1] of the TOPSIS scan that brackets an interval end."""


@dataclass(frozen=True, slots=True)
class WeightSensitivity:
    """One criterion: its weight now and how far it can move (closed intervals on [0, 1])."""

    criterion: str
    weight: float
    top_interval: tuple[float, float]
    taken_over_below: str | None
    taken_over_above: str | None
    stable_interval: tuple[float, float]


@dataclass(frozen=True, slots=True)
class ScoreTie:
    """The top option against one rival: per criterion, the change of the top option's
    score and of the rival's score (raw units, signed) that makes them tie, or None."""

    rival: Ranked
    changes: tuple[tuple[float | None, float | None], ...]


@dataclass(frozen=True, slots=True)
class Sensitivity:
    ranking: Ranking
    top: Ranked
    tolerance: float
    """0 when the intervals are exact; :data:`NUMERIC_TOLERANCE` for TOPSIS."""
    criteria: tuple[WeightSensitivity, ...]
    score_ties: tuple[ScoreTie, ...]


def path_weights(weights: Sequence[float], j: int, t: float) -> tuple[float, ...]:
    """The weights when criterion j's weight is t and the others keep their proportions.

    w_j = t and w_k = w_k · (1 − t) / (1 − w_j) for k ≠ j; when w_j = 1 the others share
    1 − t equally. With a single criterion its weight is always 1.
    """
    m = len(weights)
    if m == 1:
        return (1.0,)
    rest = 1.0 - weights[j]
    if rest <= 0.0:
        share = (1.0 - t) / (m - 1)
        return tuple(t if k == j else share for k in range(m))
    return tuple(t if k == j else w * (1.0 - t) / rest for k, w in enumerate(weights))


def sensitivity(
    option_set: OptionSet, lens: Lens, selection: Selection | None = None
) -> Sensitivity:
    """Weight intervals per criterion and single-score tie changes for the top option.

    The top option is the first ranked (first in id order when tied). Per criterion:
    the interval of t containing the current weight in which the top option stays top
    (ties it at most), with the option that takes over just past each end (None when
    the interval reaches 0 or 1); and the interval in which no option's rank changes (a
    single point when the current weights sit on a tie that moving the weight splits).
    With one criterion its weight cannot move: both intervals are [1, 1].

    Against each of the next :data:`RIVALS` options, the smallest single-score change of
    the top option and of the rival that makes them tie, from
    :func:`engage.analysis.explain.tie_change` (exact for the weighted sum, numerical
    for the others).

    Cost: exact methods score the set twice per criterion and look at every option once
    (top interval) and at neighbours in the ranking (no-change interval: the first swap
    as t moves is always between two options adjacent at the current weights), O(n·m)
    after scoring. TOPSIS scores the set about 2·(:data:`SCAN_STEPS` + 20) times per
    criterion and interval.
    """
    ranking = rank(option_set, lens, selection or Selection())
    if not ranking.rows:
        raise nothing_left()
    model = ranking.model
    matrix = [r.option.values(model.criteria) for r in ranking.rows]
    ids = [r.option.id for r in ranking.rows]
    exact = registry.get(lens.method).linear_in_weights
    criteria = []
    for j, c in enumerate(model.criteria):
        weight = lens.weights[j]
        if len(model.criteria) == 1:
            criteria.append(WeightSensitivity(c.id, weight, (1.0, 1.0), None, None, (1.0, 1.0)))
            continue

        def scores_at(t: float, j: int = j) -> list[float]:
            weights = path_weights(lens.weights, j, t)
            return score_matrix(matrix, model, replace(lens, weights=weights)).scores

        solve = exact_intervals if exact else _numeric
        criteria.append(WeightSensitivity(c.id, weight, *solve(scores_at, weight, ids)))
    ties = tuple(
        ScoreTie(
            rival,
            tuple(
                (
                    tie_change(matrix, model, lens, 0, k, j),
                    tie_change(matrix, model, lens, k, 0, j),
                )
                for j in range(len(model.criteria))
            ),
        )
        for k, rival in enumerate(ranking.rows[1 : RIVALS + 1], start=1)
    )
    tolerance = 0.0 if exact else NUMERIC_TOLERANCE
    return Sensitivity(ranking, ranking.rows[0], tolerance, tuple(criteria), ties)


Interval = tuple[tuple[float, float], str | None, str | None, tuple[float, float]]


# -- exact: straight lines ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Crossing:
    t: float
    slope: float  # d/dt of (line above at t0 − line below at t0)
    taker: str


def exact_intervals(
    scores_at: Callable[[float], list[float]], t0: float, ids: list[str]
) -> Interval:
    """Both intervals from the lines through the scores at t = 0 and t = 1."""
    s0, s1 = scores_at(0.0), scores_at(1.0)

    def diff(a: int, b: int) -> tuple[float, float, bool, bool, bool]:
        """a − b at t = 0 and at t = 1; whether they tie at 0, at t0 and at 1."""
        now_a, now_b = _at(s0[a], s1[a], t0), _at(s0[b], s1[b], t0)
        return (
            s0[a] - s0[b],
            s1[a] - s1[b],
            _tied(s0[a], s0[b]),
            _tied(now_a, now_b),
            _tied(s1[a], s1[b]),
        )

    top_pairs = [(0, i, i) for i in range(1, len(ids))]
    adjacent = [(k, k + 1, k + 1) for k in range(len(ids) - 1)]
    low, high = [], []
    for side, pairs in ((0, top_pairs), (1, adjacent)):
        below: list[_Crossing] = []
        above: list[_Crossing] = []
        for a, b, taker in pairs:
            at0, at1, tie0, tie_now, tie1 = diff(a, b)
            slope = at1 - at0
            if tie_now:
                if tie0 and tie1:
                    continue  # the same line: never apart
                crossing = _Crossing(t0, slope, ids[taker])
                if side == 1:  # a tie that splits changes ranks on both sides
                    below.append(crossing)
                    above.append(crossing)
                else:
                    (below if slope > 0 else above).append(crossing)
            elif at0 < 0 and not tie0:
                below.append(_Crossing(at0 / (at0 - at1), slope, ids[taker]))
            elif at1 < 0 and not tie1:
                above.append(_Crossing(at0 / (at0 - at1), slope, ids[taker]))
        low.append(_nearest(below, t0, below_side=True))
        high.append(_nearest(above, t0, below_side=False))
    (top_lo, top_below), (stable_lo, _) = low
    (top_hi, top_above), (stable_hi, _) = high
    return (top_lo, top_hi), top_below, top_above, (stable_lo, stable_hi)


def _nearest(
    crossings: list[_Crossing], t0: float, *, below_side: bool
) -> tuple[float, str | None]:
    """The crossing nearest t0 on one side and who is ahead just past it.

    Among crossings at the same t the taker is the line that leaves fastest (steepest
    slope, in the direction of travel), then the first id. A crossing at the end of
    [0, 1] itself (a tie at t0 = 0 or 1) has nothing past it: no taker.
    """
    boundary = 0.0 if below_side else 1.0
    if not crossings:
        return boundary, None
    sign = 1.0 if below_side else -1.0
    end = max(c.t for c in crossings) if below_side else min(c.t for c in crossings)
    end = min(max(end, 0.0), 1.0)
    if end == boundary:
        return boundary, None
    same = [c for c in crossings if abs(c.t - end) <= 1e-12]
    return end, min(same, key=lambda c: (-sign * c.slope, c.taker)).taker


def _at(at0: float, at1: float, t: float) -> float:
    return (1.0 - t) * at0 + t * at1


# -- numeric: TOPSIS ----------------------------------------------------------------------


def _numeric(scores_at: Callable[[float], list[float]], t0: float, ids: list[str]) -> Interval:
    """Both intervals by scanning t outward from t0 and bisecting the first change."""

    def ranks_at(t: float) -> tuple[list[str], list[int]]:
        scores = scores_at(t)
        order = sorted(range(len(ids)), key=lambda i: (-scores[i], ids[i]))
        placed, _ = assign_ranks([scores[i] for i in order], [ids[i] for i in order])
        return [ids[order[k]] for k in placed.order], placed.ranks

    now_order, now_ranks = ranks_at(t0)
    top = now_order[0]
    now = dict(zip(now_order, now_ranks, strict=True))

    def top_holds(t: float) -> bool:
        order, ranks = ranks_at(t)
        return ranks[order.index(top)] == 1

    def stable_holds(t: float) -> bool:
        order, ranks = ranks_at(t)
        return dict(zip(order, ranks, strict=True)) == now

    def taker(t: float | None) -> str | None:
        return None if t is None else ranks_at(t)[0][0]

    top_lo, past_lo = _edge(top_holds, t0, 0.0)
    top_hi, past_hi = _edge(top_holds, t0, 1.0)
    stable_lo, _ = _edge(stable_holds, t0, 0.0)
    stable_hi, _ = _edge(stable_holds, t0, 1.0)
    return (top_lo, top_hi), taker(past_lo), taker(past_hi), (stable_lo, stable_hi)


def _edge(holds: Callable[[float], bool], t0: float, end: float) -> tuple[float, float | None]:
    """The last t from t0 toward ``end`` where ``holds`` (to within NUMERIC_TOLERANCE)
    and the first t past it where it fails, or (end, None) when it holds all the way.

    A failure that starts and ends between two scan points is missed.
    """
    steps = max(1, round(abs(end - t0) * SCAN_STEPS))
    before = t0
    for k in range(1, steps + 1):
        after = end if k == steps else t0 + (end - t0) * k / steps
        if not holds(after):
            while abs(after - before) > NUMERIC_TOLERANCE / 4:
                middle = (before + after) / 2.0
                if holds(middle):
                    before = middle
                else:
                    after = middle
            return before, after
        before = after
    return end, None


def _tied(a: float, b: float) -> bool:
    """docs/methods.md#ranks-and-ties's tie: |a − b| <= 1e-9 × max(1, |a|, |b|)."""
    return abs(a - b) <= TIE_TOLERANCE * max(1.0, abs(a), abs(b))
