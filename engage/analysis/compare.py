"""Options side by side, and why each ranks above the other (docs/output.md#formats-by-command
`compare`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from engage.analysis.explain import locate
from engage.core.dominance import dominates
from engage.core.errors import UsageError
from engage.core.model import Option, OptionSet
from engage.core.ranking import TIE_TOLERANCE, Lens, Ranked, Ranking, ScreenedOut, Selection, rank


@dataclass(frozen=True, slots=True)
class Pair:
    """Two ranked options, the better-ranked first.

    ``because`` and ``despite`` hold (criterion id, points) for the criteria on which
    ``higher`` gains (points > 0) or loses (points < 0), each by decreasing size: the
    differences of the contributions, which add up to ``gap``. Both are None for a method
    without an additive breakdown (TOPSIS). ``dominates``: higher dominates lower;
    ``reversed``: lower dominates higher although it does not rank above it (possible
    under TOPSIS, whose closeness is not monotone in the values).
    """

    higher: Ranked
    lower: Ranked
    gap: float
    tied: bool
    because: tuple[tuple[str, float], ...] | None
    despite: tuple[tuple[str, float], ...] | None
    dominates: bool
    reversed: bool


@dataclass(frozen=True, slots=True)
class Comparison:
    """The options in the order asked for (ranked rows or screened-out entries) and pairs.

    Pairs are formed among the ranked options only, in rank order: (1st, 2nd), (1st,
    3rd), …, (2nd, 3rd), ….
    """

    ranking: Ranking
    entries: tuple[Ranked | ScreenedOut, ...]
    pairs: tuple[Pair, ...]


def compare(
    option_set: OptionSet, lens: Lens, option_ids: Sequence[str], selection: Selection | None = None
) -> Comparison:
    """Rank the set and set two or more of its options side by side.

    Unknown ids and fewer than two distinct ids are usage errors; a screened-out id is
    shown with its values and rule and takes part in no pair.
    """
    if len(option_ids) < 2:
        raise UsageError("compare needs at least two option ids")
    repeated = sorted({i for i in option_ids if option_ids.count(i) > 1})
    if repeated:
        raise UsageError(f"option id '{repeated[0]}' is given twice")
    ranking = rank(option_set, lens, selection or Selection())
    entries = tuple(locate(option_set, ranking, i) for i in option_ids)
    position = {r.option.id: k for k, r in enumerate(ranking.rows)}
    ranked = sorted(
        (e for e in entries if isinstance(e, Ranked)), key=lambda r: position[r.option.id]
    )
    pairs = tuple(_pair(ranking, a, b) for a, b in combinations(ranked, 2))
    return Comparison(ranking, entries, pairs)


def _pair(ranking: Ranking, first: Ranked, second: Ranked) -> Pair:
    """``first`` is ranked at or above ``second``; within a tie a dominator goes first."""
    criteria = ranking.model.criteria

    def vector(o: Option) -> list[float]:
        return [c.normalize(o.scores[c.id].value) for c in criteria]

    tied = first.rank == second.rank
    if tied and dominates(vector(second.option), vector(first.option)):
        first, second = second, first
    gap = 0.0 if tied else first.score - second.score
    because = despite = None
    if first.contributions is not None and second.contributions is not None:
        differences = [
            (c.id, a - b)
            for c, a, b in zip(criteria, first.contributions, second.contributions, strict=True)
        ]
        # a difference within the tie tolerance is rounding, not a reason
        floor = TIE_TOLERANCE * max(1.0, abs(first.score), abs(second.score))
        by_size = sorted(differences, key=lambda d: -abs(d[1]))
        because = tuple(d for d in by_size if d[1] > floor)
        despite = tuple(d for d in by_size if d[1] < -floor)
    return Pair(
        higher=first,
        lower=second,
        gap=gap,
        tied=tied,
        because=because,
        despite=despite,
        dominates=dominates(vector(first.option), vector(second.option)),
        reversed=dominates(vector(second.option), vector(first.option)),
    )
