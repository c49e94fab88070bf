"""The best set of options under limited resources (docs/methods.md#planned, `engage portfolio`).

Chooses x ∈ {0, 1}ⁿ over the candidates maximising Σ value·x subject to Σ cost_r·x ≤
limit_r for every resource with a limit, ``max_options``, ``min_track`` / ``max_track``,
``require`` / ``exclude``, each option's ``requires`` (x_i ≤ x_j) and ``conflicts``
(x_i + x_j ≤ 1). Solved exactly as a 0–1 integer programme by HiGHS (`milp`), never by a
greedy heuristic; the candidates are sorted by id first, so the answer never depends on the
order they came in.

Ties: HiGHS's answer is deterministic (id order, one thread, a fixed seed), and the one
more solve that looks for a second optimum (a no-good cut) settles a tie between two: of
the two portfolios within 1e-9 relative of each other, the one whose sorted list of ids is
lexicographically first is ``selected``, the other is ``alternative_optimum``. A secondary
objective (ε per id) was not used: no ε is safely below every difference of user values.

Robust Portfolio Modelling classes (Liesiö, J., Mild, P. and Salo, A. (2007), "Preference
programming for robust portfolio modeling and project selection", *European Journal of
Operational Research* 181(3), 1488-1505): over draws of the values and costs, an option is
``core`` when it is in every draw's optimal portfolio, ``exterior`` in none, else
``borderline``.

Pure: no files, no printing. HiGHS is imported only when something is solved, so the
dataclasses here can be imported by the loader and the renderers for free.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from engage.core.errors import EXIT_INVALID, EngageError

TIE = 1e-9
"""Two portfolio values within this relative distance are the same value
(docs/methods.md#ranks-and-ties)."""
MARGINAL_STEP = 0.1
"""The marginal value is that of 10 % more of a resource."""
FRONTIER_GAP = 1e-8
"""The frontier's next solve is below the last point's cost by this, relative: costs
closer than that count as equal."""

SECOND_MARGIN = 1e-6
"""The second-optimum solve looks only at portfolios within this relative distance of the
best value (far wider than TIE, so that no solver tolerance can hide a tie): whether one
of them is tied is then decided exactly. Proving that none is that close is much quicker
than finding and proving the best of the worse ones, which were never reported."""

RobustClass = Literal["core", "borderline", "exterior"]


class PortfolioInfeasible(EngageError):
    """No portfolio meets the constraints in force (exit 1); the message starts
    ``[infeasible]``, names the constraints and, when one is found, the cause."""

    exit_code = EXIT_INVALID


class PortfolioDataError(EngageError):
    """A candidate lacks a cost the problem needs (exit 1: an unknown cost is not 0)."""

    exit_code = EXIT_INVALID


@dataclass(frozen=True, slots=True)
class Candidate:
    """One option that survived the filters and screens; ``costs`` by resource name."""

    id: str
    track: str
    value: float
    costs: Mapping[str, float] = field(default_factory=dict)
    requires: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    title: str = ""


@dataclass(frozen=True, slots=True)
class Constraints:
    """docs/methods.md#planned's ``constraints`` (JSON keys of the same names)."""

    max_options: int | None = None
    min_track: Mapping[str, int] = field(default_factory=dict)
    max_track: Mapping[str, int] = field(default_factory=dict)
    require: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """Candidates (any order: sorted by id here), the limit of each declared resource
    (None: no limit) and the other constraints."""

    candidates: tuple[Candidate, ...]
    limits: Mapping[str, float | None] = field(default_factory=dict)
    constraints: Constraints = field(default_factory=Constraints)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.candidates, key=lambda c: c.id))
        if len({c.id for c in ordered}) != len(ordered):
            raise ValueError("candidate ids must be unique")
        for c in ordered:  # the loader reports these with positions; here they are bugs
            if not math.isfinite(c.value):
                raise ValueError(f"{c.id}: value {c.value} is not finite")
            if not all(math.isfinite(x) and x >= 0 for x in c.costs.values()):
                raise ValueError(f"{c.id}: costs must be finite and at least 0")
        object.__setattr__(self, "candidates", ordered)


@dataclass(frozen=True, slots=True)
class Chosen:
    id: str
    title: str
    track: str
    value: float
    costs: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A candidate not chosen and what keeps it out if it were added to the portfolio
    (reasons joined by ``; ``)."""

    id: str
    value: float
    reason: str


@dataclass(frozen=True, slots=True)
class Marginal:
    """The optimum with ``step`` more of one resource: value gained, ids added, dropped."""

    step: float
    value_gain: float
    adds: tuple[str, ...]
    drops: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FrontierPoint:
    """From ``limit`` on (up to the next point) the optimal value is ``value``."""

    limit: float
    value: float
    used: Mapping[str, float]
    options: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Portfolio:
    """docs/methods.md#planned's JSON keys but the lens's and ``objective`` (the caller's to add);
    ``selected`` and ``left_out`` in value order, then id; ``binding`` and ``marginal`` by
    resource name. ``binding`` (the spec's "binding ones marked"): the limited resources
    whose limit actually holds the portfolio back: used up to the limit (within 1e-9
    relative); or the one limit that alone keeps out a left-out option worth something
    (it would fit but for that limit: no other limit, count, conflict or requirement
    stands in its way); or (when the marginal values are computed) one whose 10 % more
    gives a better portfolio. A resource with slack is not binding merely because some
    option would exceed it together with another limit."""

    limits: Mapping[str, float | None]
    constraints: Constraints
    selected: tuple[Chosen, ...]
    value: float
    used: Mapping[str, float]
    binding: tuple[str, ...]
    left_out: tuple[LeftOut, ...]
    alternative_optimum: tuple[str, ...] | None
    marginal: Mapping[str, Marginal]


@dataclass(frozen=True, slots=True)
class Draw:
    """One draw's numbers: values by id, costs by id and resource; what is missing keeps
    its written value."""

    values: Mapping[str, float] = field(default_factory=dict)
    costs: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Share:
    """``p_selected`` over the feasible draws; ``robust_class`` is JSON's ``class``."""

    id: str
    p_selected: float
    robust_class: RobustClass


@dataclass(frozen=True, slots=True)
class DrawSummary:
    draws: int
    infeasible_draws: int
    selection: tuple[Share, ...]
    """In id order."""


def tied(a: float, b: float) -> bool:
    return abs(a - b) <= TIE * max(1.0, abs(a), abs(b))


def solve_portfolio(problem: Problem, *, marginal: bool = True) -> Portfolio:
    """The optimal portfolio, its second optimum if any, what was left out and why, and
    (``marginal``) the value of 10 % more of each limited resource.

    Raises :class:`PortfolioInfeasible` when no portfolio meets the constraints and
    :class:`PortfolioDataError` when a candidate lacks the cost of a limited resource.
    """
    from engage.analysis.portfolio_build import build, marginal_values, optimum, reasons

    programme = build(problem)
    first = optimum(programme)
    value = programme.value(first)
    second = programme.solve(exclude=[first], at_least=value - SECOND_MARGIN * max(1.0, abs(value)))
    alternative: frozenset[str] | None = None
    if second is not None and tied(programme.value(second), value):
        if sorted(second) < sorted(first):
            first, second = second, first
            value = programme.value(first)
        alternative = second
    by_value = sorted(problem.candidates, key=lambda c: (-c.value, c.id))
    resources = sorted(problem.limits)
    used = {r: programme.used(first, r) for r in resources}
    left_out: list[LeftOut] = []
    binding: set[str] = set()
    why_out = reasons(programme, first)
    for c in by_value:
        if c.id in first:
            continue
        why, exceeded = why_out[c.id]
        left_out.append(LeftOut(c.id, c.value, why))
        if exceeded is not None and len(exceeded) == 1 and c.value > 0:
            binding |= set(exceeded)  # it would fit but for this one limit
    for r in resources:
        limit = problem.limits[r]
        if limit is not None and used[r] >= limit - 1e-9 * max(1.0, abs(limit)):
            binding.add(r)
    margins = marginal_values(programme, first, value) if marginal else {}
    binding |= {r for r, m in margins.items() if m.value_gain > 0}  # more of it pays
    return Portfolio(
        limits=dict(problem.limits),
        constraints=problem.constraints,
        selected=tuple(
            Chosen(c.id, c.title, c.track, c.value, dict(c.costs))
            for c in by_value
            if c.id in first
        ),
        value=value,
        used=used,
        binding=tuple(sorted(binding)),
        left_out=tuple(left_out),
        alternative_optimum=None if alternative is None else tuple(sorted(alternative)),
        marginal=margins,
    )


def portfolio_frontier(
    problem: Problem, resource: str, points: int = 100
) -> tuple[FrontierPoint, ...]:
    """The exact efficient frontier over ``resource``, the other limits as they are.

    Ascending points; each is the least limit at which a better optimal value is reached,
    with that value and its portfolio. Built from the top: solve with ``resource``
    unlimited, then again below the last portfolio's cost (by FRONTIER_GAP relative); an
    equal value moves the last point down to the cheaper portfolio, a lower one starts a
    new point. At most ``points`` points (the highest ones) are returned.
    """
    if points < 1:
        raise ValueError("points must be at least 1")
    from engage.analysis.portfolio_build import build, optimum

    programme = build(problem, (resource,))
    resources = sorted(set(problem.limits) | {resource})
    found: list[FrontierPoint] = []
    bound: float | None = None
    while True:
        programme.set_limit(resource, bound)
        ids = programme.solve()
        if ids is None:
            break
        cost, value = programme.used(ids, resource), programme.value(ids)
        point = FrontierPoint(
            cost, value, {r: programme.used(ids, r) for r in resources}, tuple(sorted(ids))
        )
        if found and tied(value, found[-1].value):
            found[-1] = point
        elif len(found) == points:
            break
        else:
            found.append(point)
        if cost <= 0:
            break
        bound = cost - FRONTIER_GAP * max(1.0, cost)
    if not found:
        optimum(programme)  # raises, naming the cause
    return tuple(reversed(found))


def portfolio_draws(problem: Problem, draws: int, draw: Callable[[int], Draw]) -> DrawSummary:
    """P(selected) of each candidate over ``draws`` re-solves with the numbers of
    ``draw(k)`` (k = 0 … draws − 1), and its Robust Portfolio Modelling class.

    Draws in which no portfolio is feasible are counted apart; the shares are over the
    others. One solver object serves every draw: only the objective and the drawn costs
    change between solves.
    """
    if draws < 1:
        raise ValueError("draws must be at least 1")
    from engage.analysis.portfolio_build import build, optimum

    programme = build(problem)
    optimum(programme)  # the written numbers must admit a portfolio
    written_costs = {
        (programme.resource_row[r], i): c.costs.get(r, 0.0)
        for i, c in enumerate(programme.candidates)
        for r in programme.resources
    }
    base_values = [c.value for c in programme.candidates]
    changed: set[tuple[int, int]] = set()
    counts = dict.fromkeys(programme.ids, 0)
    infeasible = 0
    for k in range(draws):
        numbers = draw(k)
        programme.milp.set_objective(
            [numbers.values.get(cid, v) for cid, v in zip(programme.ids, base_values, strict=True)]
        )
        rows: dict[int, dict[int, float]] = {}
        for cid, costs in numbers.costs.items():
            for r, x in costs.items():
                rows.setdefault(programme.resource_row[r], {})[programme.index[cid]] = x
        drawn = {(row, col) for row, values in rows.items() for col in values}
        for row, col in changed - drawn:  # the written cost again
            rows.setdefault(row, {})[col] = written_costs[(row, col)]
        for row, values in rows.items():
            programme.milp.set_coefficients(row, values)
        changed = drawn
        ids = programme.solve()
        if ids is None:
            infeasible += 1
            continue
        for cid in ids:
            counts[cid] += 1
    feasible = draws - infeasible
    if not feasible:
        raise PortfolioInfeasible(
            f"[infeasible] no portfolio is feasible in any of the {draws} draws"
        )

    def share(cid: str) -> Share:
        p = counts[cid] / feasible
        cls: RobustClass = (
            "core" if counts[cid] == feasible else "exterior" if counts[cid] == 0 else "borderline"
        )
        return Share(cid, p, cls)

    return DrawSummary(draws, infeasible, tuple(share(cid) for cid in programme.ids))
