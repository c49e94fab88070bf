"""Why an option ranks where it does: its parts, its neighbours, what would tie them.

`explain` and `compare` (and later `sensitivity`) share three pieces kept here: finding an
id in a ranking (:func:`locate`), the dominance relations of one option in O(n)
(:func:`dominance_of`), and the solver for the smallest single-score change that makes
two options tie (:func:`tie_change`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeGuard

from engage.core.dominance import MAX_DOMINATORS, dominates
from engage.core.errors import UsageError, unknown_name
from engage.core.model import Criterion, Model, Option, OptionSet, interpolate, inverse
from engage.core.ranking import (
    SELECTION,
    TIE_TOLERANCE,
    Lens,
    Ranked,
    Ranking,
    ScreenedOut,
    Selection,
    rank,
    score_matrix,
)
from engage.methods import registry

TIE_CHANGE_GRID = 16
"""Steps per side of the scan that brackets a TOPSIS tie (its closeness is not monotone)."""

TIE_CHANGE_TOLERANCE = 1e-12
"""Width of the final bracket of a numerical tie change, as a share of the scale's span."""


@dataclass(frozen=True, slots=True)
class Neighbour:
    """The nearest option ranked strictly above (or below) the explained one.

    ``gap`` is the score difference (≥ 0); ``tie_changes[j]`` the change of the explained
    option's raw score on criterion j that makes the two tie, or None when no value in
    the scale does.
    """

    row: Ranked
    gap: float
    tie_changes: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    """One option under one lens: ranked (``row``) or screened out (``screened``)."""

    ranking: Ranking
    option: Option
    row: Ranked | None
    screened: ScreenedOut | None
    normalized: tuple[float, ...]
    dominated_by: tuple[str, ...]
    """Up to five undominated dominators, as `rank` reports them."""
    dominators: tuple[str, ...]
    """Every ranked option that dominates this one, in rank order."""
    dominates: tuple[str, ...]
    tied_with: tuple[str, ...]
    above: Neighbour | None
    below: Neighbour | None


def explain(
    option_set: OptionSet, lens: Lens, option_id: str, selection: Selection | None = None
) -> Explanation:
    """Rank the set and explain one option of it (docs/output.md#formats-by-command `explain`).

    The neighbours are the nearest options with a strictly better and a strictly worse
    rank: an option tied with this one is listed in ``tied_with``, not as a neighbour,
    since a gap of 0 explains nothing. An id that is screened out is explained without
    rank, score or neighbours; an unknown id is a usage error with a "did you mean".
    """
    ranking = rank(option_set, lens, selection or Selection())
    found = locate(option_set, ranking, option_id)
    model = ranking.model
    option = found.option
    normalized = tuple(c.normalize(option.scores[c.id].value) for c in model.criteria)
    dominators, dominated = dominance_of(ranking, option)
    base = Explanation(
        ranking=ranking,
        option=option,
        row=None,
        screened=None,
        normalized=normalized,
        dominated_by=undominated(ranking, dominators),
        dominators=dominators,
        dominates=dominated,
        tied_with=(),
        above=None,
        below=None,
    )
    if isinstance(found, ScreenedOut):
        return replace(base, screened=found)
    rows = ranking.rows
    position = next(i for i, r in enumerate(rows) if r is found)
    above = next((r for r in reversed(rows[:position]) if r.rank < found.rank), None)
    below = next((r for r in rows[position + 1 :] if r.rank > found.rank), None)
    return replace(
        base,
        row=found,
        tied_with=tuple(r.option.id for r in rows if r.rank == found.rank and r is not found),
        above=_neighbour(ranking, found, above),
        below=_neighbour(ranking, found, below),
    )


BASELINE_RULE = "baseline"
"""The rule ``locate`` gives the model's baseline: scored under the lens, never ranked."""


def is_baseline(entry: object) -> TypeGuard[ScreenedOut]:
    """Whether ``locate`` gave this entry for the model's baseline."""
    return isinstance(entry, ScreenedOut) and entry.rule == BASELINE_RULE


def locate(option_set: OptionSet, ranking: Ranking, option_id: str) -> Ranked | ScreenedOut:
    """The ranked row or the screened-out entry of an id.

    Raises UsageError (exit 2) for an id the set does not hold (with a "did you mean"),
    and for one that --track/--tag left out of the selection.
    """
    row = ranking.find(option_id)
    if row is not None:
        return row
    screened = next((s for s in ranking.screened_out if s.option.id == option_id), None)
    if screened is not None:
        return screened
    base = ranking.baseline
    if base is not None and base.option.id == option_id:
        return ScreenedOut(base.option, BASELINE_RULE, base.score)
    known = sorted(o.id for o in option_set.options)
    if option_id not in known:
        raise unknown_name("option id", option_id, known)
    message = f"option '{option_id}' is not in the selection (see `track` and `tag`)"
    raise UsageError(message, field=SELECTION)


def dominance_of(ranking: Ranking, option: Option) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every ranked option that dominates this one, and every one it dominates, in O(n).

    Dominance as in docs/methods.md#dominance, on values oriented so that higher is better; both
    tuples
    in rank order. (`rank`'s ``dominated_by`` keeps only the undominated dominators, at
    most five: :func:`undominated` picks them from the first tuple.)
    """
    criteria = ranking.model.criteria

    def vector(o: Option) -> list[float]:
        return [c.normalize(o.scores[c.id].value) for c in criteria]

    mine = vector(option)
    dominators: list[str] = []
    dominated: list[str] = []
    for row in ranking.rows:
        if row.option.id == option.id:
            continue
        theirs = vector(row.option)
        if dominates(mine, theirs):
            dominated.append(row.option.id)
        elif dominates(theirs, mine):
            dominators.append(row.option.id)
    return tuple(dominators), tuple(dominated)


def undominated(ranking: Ranking, dominators: Sequence[str]) -> tuple[str, ...]:
    """The dominators that are themselves undominated, at most five (docs/methods.md#dominance)."""
    free = {r.option.id for r in ranking.rows if not r.dominated_by}
    return tuple(d for d in dominators if d in free)[:MAX_DOMINATORS]


def _neighbour(ranking: Ranking, row: Ranked, other: Ranked | None) -> Neighbour | None:
    if other is None:
        return None
    criteria = ranking.model.criteria
    matrix = [r.option.values(criteria) for r in ranking.rows]
    mine = next(i for i, r in enumerate(ranking.rows) if r is row)
    theirs = next(i for i, r in enumerate(ranking.rows) if r is other)
    changes = tuple(
        tie_change(matrix, ranking.model, ranking.lens, mine, theirs, j)
        for j in range(len(criteria))
    )
    return Neighbour(other, abs(other.score - row.score), changes)


def tie_change(
    matrix: Sequence[Sequence[float]],
    model: Model,
    lens: Lens,
    option: int,
    rival: int,
    criterion: int,
) -> float | None:
    """The smallest change of one raw score of ``option`` that makes it tie with ``rival``.

    ``matrix`` is the performance matrix of the options scored together (rows as passed
    to :func:`engage.core.ranking.score_matrix`); ``option`` and ``rival`` are row indices and
    ``criterion`` a column. Only x = matrix[option][criterion] changes, to x + Δ within
    the criterion's scale [lo, hi]; the result is the Δ of smallest |Δ| (in raw units,
    signed) at which the option's score reaches the rival's: equal within the tie
    tolerance of docs/methods.md#ranks-and-ties to start with, else equal or past it (past it where
    the score
    jumps, as with PROMETHEE's step-shaped preference functions). 0.0 when they already
    tie; None when no value in the scale gets there, which includes a criterion of weight
    0.

    - a method with a ``value_slope`` (the weighted sum), exact: the score moves by the
      slope per unit (100 · w_j · s_j / (hi − lo)) and the rival's does not move
      (scale-anchored), so Δ = (S_rival − S_option) / slope, kept when x + Δ stays
      within the scale.
    - the others (TOPSIS, PROMETHEE): the whole set is re-scored for each trial value
      (the rival's score moves too, and so may every other), and the crossing is
      bisected to :data:`TIE_CHANGE_TOLERANCE` × (hi − lo), returning the end of the
      bracket that reaches the tie. A method ``monotone_in_values`` (PROMETHEE: every
      P_j is non-decreasing in d, so φ_option − φ_rival is monotone in the option's
      value) needs one side and one bracket. Otherwise (TOPSIS's closeness) each side of
      x is scanned in :data:`TIE_CHANGE_GRID` steps for the first crossing, and a tie
      reached and lost again between two scan points is missed.
    """
    c = model.criteria[criterion]
    x = matrix[option][criterion]
    method = registry.get(lens.method)

    def scores_at(delta: float) -> tuple[float, float]:
        rows = list(matrix)
        changed = list(rows[option])
        changed[criterion] = x + delta
        rows[option] = changed
        if method.value_slope is not None:
            # scale-anchored: the two rows alone give their scores
            mine, theirs = score_matrix([rows[option], rows[rival]], model, lens).scores
            return mine, theirs
        scores = score_matrix(rows, model, lens).scores
        return scores[option], scores[rival]

    mine, theirs = scores_at(0.0)
    if _tied(mine, theirs):
        return 0.0
    if method.value_slope is not None and c.value_function is not None:
        return _curve_change(mine - theirs, lens.weights[criterion], c, x)
    if method.value_slope is not None:
        return _exact_change(mine - theirs, method.value_slope(lens.weights[criterion], c), c, x)
    behind = mine < theirs

    def reached(delta: float) -> bool:
        a, b = scores_at(delta)
        return a >= b if behind else a <= b

    tolerance = TIE_CHANGE_TOLERANCE * (c.hi - c.lo)
    if method.monotone_in_values:
        # φ_option − φ_rival never falls as the option improves on a criterion, so only
        # the improving side (when behind) or the worsening side can reach the tie
        end = c.hi - x if c.higher_is_better == behind else c.lo - x
        return _crossing(reached, end, tolerance, steps=1) if end else None
    changes = [_crossing(reached, end, tolerance) for end in (c.hi - x, c.lo - x) if end]
    found = [d for d in changes if d is not None]
    return min(found, key=abs) if found else None


def _exact_change(difference: float, slope: float, c: Criterion, x: float) -> float | None:
    """Δ = −difference / slope, the slope of the option's score in its value x (0 for a
    criterion of weight 0: no change is enough)."""
    if slope == 0.0:
        return None
    delta = -difference / slope
    slack = TIE_CHANGE_TOLERANCE * (c.hi - c.lo)
    if not c.lo - slack <= x + delta <= c.hi + slack:
        return None
    # a tie exactly at the end of the scale stays at the end despite rounding
    return min(max(x + delta, c.lo), c.hi) - x


def _curve_change(difference: float, weight: float, c: Criterion, x: float) -> float | None:
    """Through a value function (docs/methods.md#value-functions): the option's
    contribution must move by −difference, so its value to f_j(x) − difference / w_j; the
    raw value that gives it is found by inverting f_j on each linear piece, exactly."""
    if weight == 0.0 or c.value_function is None:
        return None
    target = interpolate(c.value_function, x) - difference / weight
    if -1e-7 < target < 0.0 or 100.0 < target < 100.0 + 1e-7:  # a tie at an end, rounded
        target = min(max(target, 0.0), 100.0)
    found = inverse(c.value_function, target, x)
    return None if found is None else found - x


def _tied(a: float, b: float) -> bool:
    """docs/methods.md#ranks-and-ties's tie: |a − b| <= 1e-9 × max(1, |a|, |b|)."""
    return abs(a - b) <= TIE_TOLERANCE * max(1.0, abs(a), abs(b))


def _crossing(
    reached: Callable[[float], bool], end: float, tolerance: float, steps: int = TIE_CHANGE_GRID
) -> float | None:
    """The first Δ between 0 and ``end`` at which ``reached`` turns true, or None.

    Scans ``steps`` equal steps towards ``end``, then bisects the first step that gets
    there (one step is enough when ``reached`` can only turn true once).
    """
    before = 0.0
    for k in range(1, steps + 1):
        after = end * k / steps
        if reached(after):
            while abs(after - before) > tolerance:
                middle = (before + after) / 2.0
                if reached(middle):
                    after = middle
                else:
                    before = middle
            return after
        before = after
    return None
