"""The briefing: every analysis of one set under one lens, computed once for the report."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from engage.analysis.decouple import Decoupling, decouple
from engage.analysis.explain import Explanation, explain
from engage.analysis.robustness import Robustness, robustness
from engage.analysis.sensitivity import Sensitivity, sensitivity
from engage.analysis.tracks import TrackReport, track_report
from engage.core.errors import EngageError
from engage.core.model import OptionSet
from engage.core.ranking import Lens, Ranking, Selection, rank
from engage.methods import registry

if TYPE_CHECKING:
    from engage.analysis.portfolio_run import PortfolioRun


@dataclass(frozen=True, slots=True)
class Briefing:
    """What a meeting pack needs: the ranking and the reasons, how robust it is, the
    linkage lens and the sources, all from the same set, lens and seed."""

    option_set: OptionSet
    lens: Lens
    ranking: Ranking
    explanations: tuple[Explanation, ...]
    sensitivity: Sensitivity
    robustness: Robustness
    decoupling: Decoupling | None
    """None when the model lacks the benefit, feasibility and linkage roles."""
    tracks: TrackReport
    sources: tuple[str, ...]
    """Every source cited by the ranked options, once each, sorted."""
    portfolio: PortfolioRun | None = None
    """With a frontier over the first limited resource; None when no resource has a
    limit, or when no portfolio could be made (``portfolio_error`` then says why)."""
    portfolio_error: str | None = None


def brief(
    option_set: OptionSet,
    lens: Lens,
    selection: Selection | None = None,
    *,
    top: int = 3,
    draws: int = 10000,
    seed: int = 0,
    weights_from: str = "local",
) -> Briefing:
    """Run every analysis the briefing shows (robustness seeded, so the report repeats)."""
    selection = selection or Selection()
    ranking = rank(option_set, lens, selection)
    leaders = [r.option.id for r in ranking.rows[:top]]
    try:
        decoupling: Decoupling | None = decouple(
            option_set, option_set.model.stall_probability, selection
        )
    except EngageError:
        decoupling = None
    sources = sorted(
        {s for r in ranking.rows for score in r.option.scores.values() for s in score.sources}
    )
    portfolio, portfolio_error = _portfolio(option_set, lens, selection)
    return Briefing(
        option_set=option_set,
        lens=lens,
        ranking=ranking,
        explanations=tuple(explain(option_set, lens, i, selection) for i in leaders),
        sensitivity=sensitivity(option_set, lens, selection),
        robustness=robustness(
            option_set, lens, selection, draws=draws, seed=seed, weights_from=weights_from
        ),
        decoupling=decoupling,
        tracks=track_report(option_set, lens, selection),
        sources=tuple(sources),
        portfolio=portfolio,
        portfolio_error=portfolio_error,
    )


def _portfolio(
    option_set: OptionSet, lens: Lens, selection: Selection
) -> tuple[PortfolioRun | None, str | None]:
    """The portfolio under the model's limits and defaults, scored by weighted-sum points
    with the lens's weights (whatever the lens's method: only those points add up)."""
    limited = option_set.model.limited
    if not limited:
        return None, None
    from engage.analysis.portfolio_run import Settings, run_portfolio

    additive = replace(lens, method=registry.DEFAULT)
    try:
        run = run_portfolio(option_set, additive, selection, Settings(frontier=limited[0].id))
    except EngageError as exc:
        return None, exc.message
    return run, None
