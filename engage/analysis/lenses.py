"""Several lenses side by side (docs/methods.md#several-lenses): one ranking per profile ×
method."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from engage.analysis.kendall import kendall_tau_b
from engage.core.model import OptionSet
from engage.core.ranking import Lens, Ranking, Selection, rank

TOP_EVERYWHERE = 3


@dataclass(frozen=True, slots=True)
class LensComparison:
    """Rankings of the same options under several lenses; the first one leads."""

    rankings: tuple[Ranking, ...]
    kendall_tau_b: tuple[float | None, ...]
    """τ-b of each ranking against the first (1.0 for the first itself, None if constant)."""
    top_everywhere: frozenset[str]
    """Options ranked in the top 3 under every lens."""

    @property
    def lead(self) -> Ranking:
        return self.rankings[0]


def compare_lenses(
    option_set: OptionSet, lenses: Sequence[Lens], selection: Selection | None = None
) -> LensComparison:
    """Rank under every lens and measure how far each agrees with the first.

    Screens and filters are the same for every lens, so every ranking holds the same
    options; τ-b compares their competition ranks (ties count as ties).
    """
    rankings = tuple(rank(option_set, lens, selection or Selection()) for lens in lenses)
    if len(rankings) == 1:
        lead = rankings[0]
        top = frozenset(r.option.id for r in lead.rows if r.rank <= TOP_EVERYWHERE)
        return LensComparison(rankings, (1.0 if len(lead.rows) > 1 else None,), top)
    ids = [r.option.id for r in rankings[0].rows]
    by_lens = [{r.option.id: r.rank for r in ranking.rows} for ranking in rankings]
    first = [by_lens[0][i] for i in ids]
    taus = tuple(kendall_tau_b(first, [ranks[i] for i in ids]) for ranks in by_lens)
    everywhere = frozenset(i for i in ids if all(ranks[i] <= TOP_EVERYWHERE for ranks in by_lens))
    return LensComparison(rankings, taus, everywhere)


def top(comparison: LensComparison, n: int | None) -> LensComparison:
    """Keep the options with rank <= n under the first lens (ties kept) in every ranking."""
    if n is None:
        return comparison
    lead = comparison.lead.top(n)
    keep = {r.option.id for r in lead.rows}
    rest = comparison.rankings[1:]
    rankings = (
        lead,
        *(replace(r, rows=tuple(x for x in r.rows if x.option.id in keep)) for r in rest),
    )
    return replace(comparison, rankings=rankings)
