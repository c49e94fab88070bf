"""The state behind `engage explore` (docs/methods.md#exploring-weights-live-engage-explore):
weights that move, and the ranking they give.

One :class:`Explorer` holds a set under one selection and the lens being explored. Each
change of weight, method or profile re-ranks at once; the per-criterion interval in which
the top option stays top is the one `engage sensitivity` reports (docs/methods.md#sensitivity),
computed on
demand for the current lens.

Why it is fast enough for a keypress on 1,000 options: the weighted sum and PROMETHEE II
are linear in the weights (score_i = Σ_j w_j · m_ij with m_ij = 100 · v_ij, resp. the net
flow φ_j), so the matrix m is built once per method and every re-rank is one matrix-vector
product and a sort; TOPSIS is not linear and is scored in numpy, many weights at once
for its intervals (:mod:`engage.analysis.top_interval`).

Pure: no I/O, no terminal; the view (:mod:`engage.tui.explore`) only reads and steers it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple

from engage.analysis.sensitivity import exact_intervals, path_weights
from engage.core.model import Option, OptionSet, exact_number
from engage.core.ranking import (
    CUSTOM_PROFILE,
    Baseline,
    Lens,
    Selection,
    assign_ranks,
    nothing_left,
    score_baseline,
    select,
)
from engage.methods import registry

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float64]

STEP = 0.01
"""←/→ move the selected weight by this much; with Shift by :data:`BIG_STEP`."""
BIG_STEP = 0.05
WEIGHT_DIGITS = 12
"""A moved weight is rounded to this many decimals, so 0.45 + 0.01 reads 0.46, not
0.46000000000000002, in the weights line printed on quit."""
SMALL = 200
"""Up to this many options the explorer scores in plain Python with each method's own
`score` (what `rank` runs) and leaves numpy unloaded: on the shipped set that is
microseconds, and opening the view skips numpy's import (about 0.2 s of CPU)."""


class Row(NamedTuple):
    """One option in the current ranking (a named tuple: a thousand are made per key,
    five times faster than frozen dataclasses)."""

    option: Option
    rank: int
    score: float
    change: int
    """Rank at opening − rank now: > 0 moved up (▲), < 0 moved down (▼)."""


@dataclass(frozen=True, slots=True)
class Standing:
    """The ranking under the current lens, best first (ties in id order)."""

    lens: Lens
    rows: tuple[Row, ...]

    @property
    def top(self) -> Row:
        return self.rows[0]


@dataclass(frozen=True, slots=True)
class TopInterval:
    """Criterion j: the weights t in [low, high] keep the top option top
    (docs/methods.md#sensitivity), and who
    takes over just below ``low`` and just above ``high`` (None at 0 and 1)."""

    criterion: str
    weight: float
    low: float
    high: float
    taken_over_below: str | None
    taken_over_above: str | None


class Explorer:
    """A session of weights being explored: a set, a selection, and the lens now.

    ``based_on`` names the profile the weights came from (the lens's own profile until a
    weight moves; the lens's profile then reads ``custom``).
    """

    def __init__(
        self, option_set: OptionSet, lens: Lens, selection: Selection | None = None
    ) -> None:
        self.option_set = option_set
        self.model = option_set.model
        self.selection = selection or Selection()
        options, _ = select(option_set, self.selection)
        if not options:
            raise nothing_left()
        self.options: tuple[Option, ...] = tuple(options)
        self._values = [o.values(self.model.criteria) for o in options]
        self._ids = [o.id for o in options]
        self._id_order = _positions(self._ids)
        self._linear: dict[str, Matrix] = {}
        self._raw: Matrix | None = None
        self._intervals: dict[Lens, tuple[TopInterval, ...]] = {}
        self._standing: Standing | None = None
        self._baseline: tuple[Lens, Baseline | None] | None = None
        self._last_rank: tuple[Lens, tuple[list[int], list[int], list[float]]] | None = None
        self.opening = lens
        self.lens = lens
        self.version = 0
        """Counts the changes of lens (a view redraws when it moves)."""
        self.based_on = lens.profile
        order, ranks = self._rank(lens)
        self._opening_rank = [0] * len(options)
        for i, r in zip(order, ranks, strict=True):
            self._opening_rank[i] = r

    # -- steering -------------------------------------------------------------------------

    def move(self, j: int, delta: float) -> bool:
        """Move criterion j's weight by ``delta`` (clamped to [0, 1]), the others keeping
        their proportions (docs/methods.md#sensitivity). False when nothing changed (already at the
        end, or a
        single criterion, whose weight is always 1)."""
        weights = self.lens.weights
        t = round(min(max(weights[j] + delta, 0.0), 1.0), WEIGHT_DIGITS)
        moved = path_weights(weights, j, t)
        if moved == weights:
            return False
        self._set(replace(self.lens, profile=CUSTOM_PROFILE, weights=moved))
        return True

    def next_method(self) -> None:
        """The next method of the registry (round)."""
        names = registry.names()
        k = names.index(self.lens.method)
        self._set(replace(self.lens, method=names[(k + 1) % len(names)]))

    def next_profile(self) -> None:
        """The model's next profile: after the one the weights are based on (the first
        when they came from --weights)."""
        names = [p.name for p in self.model.profiles]
        k = names.index(self.based_on) + 1 if self.based_on in names else 0
        name = names[k % len(names)]
        self.based_on = name
        self._set(replace(self.lens, profile=name, weights=self.model.profile(name).weights))

    def reset(self) -> None:
        """Back to the weights, profile and method the view opened with."""
        self.based_on = self.opening.profile
        self._set(self.opening)

    def _set(self, lens: Lens) -> None:
        self.lens = lens
        self._standing = None
        self.version += 1

    # -- reading --------------------------------------------------------------------------

    def standing(self) -> Standing:
        """The ranking under the current lens, with each option's rank change since opening."""
        if self._standing is None:
            order, ranks, scores = self._rank_scored(self.lens)
            rows = tuple(
                Row(self.options[i], r, scores[i], self._opening_rank[i] - r)
                for i, r in zip(order, ranks, strict=True)
            )
            self._standing = Standing(self.lens, rows)
        return self._standing

    def baseline(self) -> Baseline | None:
        """The model's baseline scored under the current lens, as `rank` shows it (never
        ranked); None when the model names none."""
        if self.model.baseline is None:
            return None
        if self._baseline is None or self._baseline[0] != self.lens:
            self._baseline = (self.lens, score_baseline(self.option_set, self.options, self.lens))
        return self._baseline[1]

    def _rank(self, lens: Lens) -> tuple[list[int], list[int]]:
        order, ranks, _ = self._rank_scored(lens)
        return order, ranks

    def _rank_scored(self, lens: Lens) -> tuple[list[int], list[int], list[float]]:
        """Positions in ``self.options`` best first (ties in id order), their ranks, and
        every option's score (the last lens's kept: the intervals need the same)."""
        last = self._last_rank
        if last is not None and last[0] == lens:
            return last[1]
        found = self._rank_uncached(lens)
        self._last_rank = (lens, found)
        return found

    def _rank_uncached(self, lens: Lens) -> tuple[list[int], list[int], list[float]]:
        scores = self.scores(lens)
        if len(self.options) <= SMALL:
            return self._rank_small(scores)
        import numpy as np

        values = np.asarray(scores, dtype=np.float64)
        # by score descending, then id: numpy's sort is exact on the floats, so the
        # order (and the ties assign_ranks finds in it) is the one `rank` makes
        by_id = np.asarray(self._id_order, dtype=np.int64)
        order: list[int] = np.lexsort((by_id, -values)).tolist()
        ordered: list[float] = values[order].tolist()
        placed, _ = assign_ranks(ordered, [self._ids[i] for i in order])
        return [order[k] for k in placed.order], placed.ranks, scores

    def _rank_small(self, scores: list[float]) -> tuple[list[int], list[int], list[float]]:
        """The same order in plain Python (sorted is exact on the floats too)."""
        by_id = self._id_order
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], by_id[i]))
        placed, _ = assign_ranks([scores[i] for i in order], [self._ids[i] for i in order])
        return [order[k] for k in placed.order], placed.ranks, scores

    def scores(self, lens: Lens) -> list[float]:
        """Every option's score under ``lens``, in the order of ``self.options``."""
        if len(self.options) <= SMALL:
            scored = registry.get(lens.method).score(
                self._values, lens.weights, self.model.criteria
            )
            return list(scored.scores)
        if registry.get(lens.method).linear_in_weights:
            import numpy as np

            weights = np.asarray(lens.weights, dtype=np.float64)
            scores: list[float] = (self._matrix(lens.method) @ weights).tolist()
            return scores
        return self._batch(lens.method, [lens.weights])[0].tolist()  # type: ignore[no-any-return]

    def _batch(self, method: str, weights: Sequence[Sequence[float]] | Matrix) -> Matrix:
        """Scores of a method not linear in the weights, one row per weight vector: the
        method's own ``score_batch`` (numpy; in Python a scoring of 1,000 options costs
        5 ms, and an interval takes hundreds)."""
        import numpy as np

        if self._raw is None:
            self._raw = np.asarray(self._values, dtype=np.float64).reshape(len(self.options), -1)
        weights = np.asarray(weights, dtype=np.float64)
        return registry.get(method).score_batch(self._raw, weights, self.model.criteria)

    def _matrix(self, method: str) -> Matrix:
        """m_ij with score_i = Σ_j w_j · m_ij, for a method linear in the weights: column j
        is the method's own score with all the weight on criterion j (100 · v_ij for the
        weighted sum, the net flow φ_j for PROMETHEE), so no method is written twice."""
        found = self._linear.get(method)
        if found is None:
            import numpy as np

            criteria = self.model.criteria
            scorer = registry.get(method)
            m = len(criteria)
            columns = [
                scorer.score(
                    self._values, [1.0 if k == j else 0.0 for k in range(m)], criteria
                ).scores
                for j in range(m)
            ]
            found = np.asarray(columns, dtype=np.float64).reshape(m, len(self.options)).T.copy()
            self._linear[method] = found
        return found

    def intervals(self, lens: Lens | None = None) -> tuple[TopInterval, ...]:
        """Per criterion, the interval of its weight in which the top option stays top,
        under ``lens`` (default the current one). Cached per lens; safe to call from
        another thread (TOPSIS costs hundreds of scorings: the view runs it off the
        keypress).

        The computation of `engage sensitivity` (exact crossings of straight lines for
        the weighted sum and PROMETHEE; a scan and bisection for TOPSIS).
        """
        lens = lens or self.lens
        found = self._intervals.get(lens)
        if found is None:
            found = self._intervals_for(lens)
            self._intervals[lens] = found
        return found

    def _intervals_for(self, lens: Lens) -> tuple[TopInterval, ...]:
        from engage.analysis import top_interval

        order, _ = self._rank(lens)
        ids = [self.options[i].id for i in order]
        criteria = self.model.criteria
        out = []
        for j, c in enumerate(criteria):
            weight = lens.weights[j]
            if len(criteria) == 1:
                out.append(TopInterval(c.id, weight, 1.0, 1.0, None, None))
                continue

            if registry.get(lens.method).linear_in_weights:

                def scores_at(t: float, j: int = j) -> list[float]:
                    at = self.scores(replace(lens, weights=path_weights(lens.weights, j, t)))
                    return [at[i] for i in order]

                if len(self.options) <= SMALL:
                    (low, high), below, above, _ = exact_intervals(scores_at, weight, ids)
                    found = (low, high, below, above)
                else:
                    found = top_interval.linear(scores_at(0.0), scores_at(1.0), weight, ids)
            else:
                # w(t) = (1 − t) · w(0) + t · w(1): the weights of docs/methods.md#sensitivity
                # along the path
                ends = (path_weights(lens.weights, j, 0.0), path_weights(lens.weights, j, 1.0))

                import numpy as np

                def many(ts: Matrix, ends: tuple[tuple[float, ...], ...] = ends) -> Matrix:
                    weights = np.outer(1.0 - ts, ends[0]) + np.outer(ts, ends[1])
                    return self._batch(lens.method, weights)[:, order]

                found = top_interval.numeric(many, weight, ids)
            out.append(TopInterval(c.id, weight, *found))
        return tuple(out)

    def weights_line(self) -> str:
        """``benefit=0.45,feasibility=0.35,linkage=0.2``: what ``-w`` reads back."""
        return weights_line(self.model.criterion_ids, self.lens.weights)


def weights_line(criteria: Sequence[str], weights: Sequence[float]) -> str:
    """Weights as ``-w`` takes them, each number in its shortest exact form."""
    return ",".join(f"{c}={exact_number(w)}" for c, w in zip(criteria, weights, strict=True))


def _positions(ids: Sequence[str]) -> list[int]:
    """Each id's position in sorted order (ties in the ranking are listed in id order)."""
    positions = [0] * len(ids)
    for k, i in enumerate(sorted(range(len(ids)), key=lambda i: ids[i])):
        positions[i] = k
    return positions
