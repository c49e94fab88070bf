"""`engage portfolio` on a set: candidates, their values and costs, and the flags'
constraints, turned into a :class:`~engage.analysis.portfolio.Problem` and solved
(docs/methods.md#portfolios-under-limited-resources).

The candidates are the options that survive ``--track``, ``--tag`` and the screens; each
one's value is its weighted-sum points under the lens (objective ``score``) or what
``decouple`` says it delivers if linked at the stall probability (``delivered``). Limits
and the ``[portfolio]`` defaults of the model are overridden one by one by the flags.

Pure: no files, no printing. HiGHS is loaded only when something is solved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from engage.analysis.portfolio import (
    Candidate,
    Constraints,
    DrawSummary,
    FrontierPoint,
    Portfolio,
    Problem,
    portfolio_frontier,
    solve_portfolio,
)
from engage.core.errors import UsageError, unknown_name
from engage.core.model import Model, Option, OptionSet, Resource
from engage.core.ranking import Lens, Ranking, Selection, rank
from engage.methods import registry

OBJECTIVES = ("score", "delivered")
NOT_ADDITIVE = (
    "portfolio adds up weighted-sum points: TOPSIS and PROMETHEE scores are relative to the "
    "set and do not add up across options"
)


@dataclass(frozen=True, slots=True)
class Settings:
    """What ``engage portfolio`` was asked for, beyond the lens and the selection.

    ``limits``, ``min_track`` and ``max_track`` override the model's entry by entry;
    ``max_options`` None keeps the model's. ``stall_probability`` None is the model's.
    """

    objective: str = "score"
    stall_probability: float | None = None
    limits: Mapping[str, float] = field(default_factory=dict)
    max_options: int | None = None
    min_track: Mapping[str, int] = field(default_factory=dict)
    max_track: Mapping[str, int] = field(default_factory=dict)
    require: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    frontier: str | None = None
    points: int = 100
    draws: int = 0
    seed: int = 0
    weights_from: str = "local"
    concentration: float = 50.0


@dataclass(frozen=True, slots=True)
class PortfolioRun:
    """A solved portfolio with what it was solved from (the renderers' input)."""

    ranking: Ranking
    """The lens's ranking of the candidates: the lens keys and what was screened out."""
    settings: Settings
    stall_probability: float | None
    """The probability used with objective ``delivered``; None with ``score``."""
    resources: tuple[Resource, ...]
    problem: Problem
    portfolio: Portfolio
    frontier: tuple[FrontierPoint, ...] | None = None
    draws: DrawSummary | None = None

    @property
    def objective(self) -> str:
        return self.settings.objective

    @property
    def model(self) -> Model:
        return self.ranking.model

    def candidate(self, option_id: str) -> Candidate:
        return next(c for c in self.problem.candidates if c.id == option_id)


def build_problem(
    option_set: OptionSet, lens: Lens, selection: Selection, settings: Settings
) -> tuple[Ranking, float | None, Problem]:
    """The candidates, their values and costs, and the constraints in force; names the
    flags give that the set or the model does not know are usage errors (exit 2)."""
    if lens.method != registry.DEFAULT:  # the one method whose points add up across options
        raise UsageError(NOT_ADDITIVE, hint=f"use -m {registry.DEFAULT} (the default)")
    if settings.objective not in OBJECTIVES:
        raise unknown_name("objective", settings.objective, OBJECTIVES)
    model = option_set.model
    _check_names(option_set, settings)
    ranking = rank(option_set, lens, selection)
    values = {r.option.id: r.score for r in ranking.rows}
    s = None
    if settings.objective == "delivered":
        from engage.analysis.decouple import decouple

        s = (
            model.stall_probability
            if settings.stall_probability is None
            else (settings.stall_probability)
        )
        values = {d.option.id: d.delivered_linked for d in decouple(option_set, s, selection).rows}
    limits: dict[str, float | None] = {r.id: r.limit for r in model.resources}
    limits.update(settings.limits)
    defaults = model.portfolio
    constraints = Constraints(
        max_options=defaults.max_options if settings.max_options is None else settings.max_options,
        min_track={**defaults.min_track, **settings.min_track},
        max_track={**defaults.max_track, **settings.max_track},
        require=tuple(sorted(set(settings.require))),
        exclude=tuple(sorted(set(settings.exclude))),
    )
    candidates = tuple(_candidate(r.option, values[r.option.id]) for r in ranking.rows)
    return ranking, s, Problem(candidates, limits, constraints)


def _candidate(option: Option, value: float) -> Candidate:
    return Candidate(
        id=option.id,
        track=option.track,
        value=value,
        costs={rid: cost.value for rid, cost in option.costs.items()},
        requires=option.requires,
        conflicts=option.conflicts,
        title=option.title,
    )


def _check_names(option_set: OptionSet, settings: Settings) -> None:
    model = option_set.model
    resources = model.resource_ids
    for rid, limit in settings.limits.items():
        if rid not in resources:
            raise _unknown_resource("limit", rid, resources)
        if not limit >= 0:
            raise UsageError(f"`limit` {rid}: {limit:g} is below 0", field="limit")
    if settings.frontier is not None and settings.frontier not in resources:
        raise _unknown_resource("frontier", settings.frontier, resources)
    ids = [o.id for o in option_set.options]
    tracks = list(model.tracks or sorted({o.track for o in option_set.options}))
    named = (
        ("require", settings.require, "option id", ids),
        ("exclude", settings.exclude, "option id", ids),
        ("min_track", settings.min_track, "track", tracks),
        ("max_track", settings.max_track, "track", tracks),
    )
    for key, names, kind, known in named:
        for name in names:
            if name not in known:
                raise _unknown(key, kind, name, known)


def _unknown_resource(field: str, name: str, known: Sequence[str]) -> UsageError:
    if not known:
        return UsageError(
            f"`{field}`: the model declares no resources",
            hint="declare one in engage.toml, e.g. [resources.budget] with limit = 100",
            field=field,
        )
    return _unknown(field, "resource", name, known)


def _unknown(field: str, kind: str, name: str, known: Sequence[str]) -> UsageError:
    error = unknown_name(kind, name, known)
    return UsageError(f"`{field}`: {error.message}", hint=error.hint, field=field)


def run_portfolio(
    option_set: OptionSet,
    lens: Lens,
    selection: Selection | None = None,
    settings: Settings | None = None,
) -> PortfolioRun:
    """The optimal portfolio (with its second optimum, reasons and marginal values),
    and with ``settings.frontier`` the frontier over that resource, with
    ``settings.draws`` the share of draws that select each candidate.

    Raises :class:`~engage.analysis.portfolio.PortfolioInfeasible` and
    :class:`~engage.analysis.portfolio.PortfolioDataError` (exit 1) from the solver.
    """
    settings = settings or Settings()
    ranking, s, problem = build_problem(option_set, lens, selection or Selection(), settings)
    portfolio = solve_portfolio(problem)
    frontier = None
    if settings.frontier is not None:
        frontier = portfolio_frontier(problem, settings.frontier, settings.points)
    summary = None
    if settings.draws > 0:
        from engage.analysis.portfolio import portfolio_draws
        from engage.analysis.portfolio_draws import drawn_numbers

        options = [r.option for r in ranking.rows]
        draw = drawn_numbers(options, option_set.model, lens, s, settings)
        summary = portfolio_draws(problem, settings.draws, draw)
    return PortfolioRun(
        ranking=ranking,
        settings=settings,
        stall_probability=s,
        resources=option_set.model.resources,
        problem=problem,
        portfolio=portfolio,
        frontier=frontier,
        draws=summary,
    )
