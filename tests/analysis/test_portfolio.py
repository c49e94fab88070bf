"""portfolio: the solver agrees with brute force over every subset, on random problems."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.analysis.portfolio import (
    Draw,
    Portfolio,
    PortfolioInfeasible,
    Problem,
    portfolio_draws,
    portfolio_frontier,
    solve_portfolio,
    tied,
)
from tests.analysis.portfolio_brute import KINDS, Brute, problems

EXAMPLES = settings(derandomize=True, max_examples=40, deadline=None)


def solve_or_none(problem: Problem) -> Portfolio | None:
    try:
        return solve_portfolio(problem)
    except PortfolioInfeasible:
        return None


@pytest.mark.parametrize("kind", KINDS)
@EXAMPLES
@given(data=st.data())
def test_value_agrees_with_brute_force(kind: str, data: st.DataObject) -> None:
    """For every constraint kind: infeasible exactly when no subset is feasible; else the
    solver's value is the best subset's and its portfolio meets every constraint."""
    problem = data.draw(problems(kind, max_n=12))
    brute = Brute(problem)
    best = brute.best()
    result = solve_or_none(problem)
    if best is None:
        assert result is None
        return
    assert result is not None
    assert tied(result.value, best)
    chosen = [c.id for c in result.selected]
    assert brute.feasible()[brute.row_of(chosen)]
    assert result.value == pytest.approx(sum(c.value for c in result.selected), abs=1e-9)


@settings(derandomize=True, max_examples=15, deadline=None)
@given(problem=problems("all", max_n=14))
def test_value_agrees_with_brute_force_on_14_options(problem: Problem) -> None:
    best = Brute(problem).best()
    result = solve_or_none(problem)
    assert (result is None) == (best is None)
    if result is not None and best is not None:
        assert tied(result.value, best)


@EXAMPLES
@given(problem=problems("all"))
def test_reasons_left_out_are_true(problem: Problem) -> None:
    """A left-out option 'adds no value' only if adding it keeps the portfolio feasible
    (and it is worth nothing); any other reason means adding it breaks a constraint."""
    result = solve_or_none(problem)
    if result is None:
        return
    brute = Brute(problem)
    feasible = brute.feasible()
    chosen = [c.id for c in result.selected]
    assert [o.value for o in result.left_out] == sorted(
        (o.value for o in result.left_out), reverse=True
    )
    for out in result.left_out:
        with_it = feasible[brute.row_of([*chosen, out.id])]
        assert with_it == (out.reason == "adds no value"), out
        if with_it:
            assert out.value <= 1e-9


@EXAMPLES
@given(problem=problems("all"))
def test_alternative_optimum_exactly_when_the_optimum_is_not_unique(problem: Problem) -> None:
    """Optima are told apart by the options worth something (adding an option worth 0
    makes no other portfolio); of two, the one with the first sorted ids is selected."""
    result = solve_or_none(problem)
    if result is None:
        return
    brute = Brute(problem)
    valued = [j for j, c in enumerate(problem.candidates) if c.value != 0]
    optima = {
        tuple(brute.x[row, valued])
        for row in np.flatnonzero(brute.feasible())
        if tied(float(brute.values[row]), result.value)
    }
    assert (result.alternative_optimum is not None) == (len(optima) > 1)
    if result.alternative_optimum is not None:
        chosen = sorted(c.id for c in result.selected)
        assert brute.feasible()[brute.row_of(result.alternative_optimum)]
        assert tied(float(brute.values[brute.row_of(result.alternative_optimum)]), result.value)
        assert chosen < list(result.alternative_optimum)


@EXAMPLES
@given(problem=problems("all"))
def test_no_option_worth_nothing_is_chosen_unless_needed(problem: Problem) -> None:
    result = solve_or_none(problem)
    if result is None:
        return
    brute = Brute(problem)
    chosen = {c.id for c in result.selected}
    for c in result.selected:
        if c.value <= 0:
            assert not brute.feasible()[brute.row_of(sorted(chosen - {c.id}))]


@EXAMPLES
@given(problem=problems("limits"))
def test_marginal_values_agree_with_brute_force(problem: Problem) -> None:
    result = solve_or_none(problem)
    if result is None:
        return
    brute = Brute(problem)
    chosen = {c.id for c in result.selected}
    for r, marginal in result.marginal.items():
        limit = problem.limits[r]
        assert limit is not None
        assert marginal.step == pytest.approx(0.1 * limit)
        more = brute.best({**problem.limits, r: limit + marginal.step})
        assert more is not None
        assert tied(result.value + marginal.value_gain, more)
        if marginal.value_gain == 0:
            assert marginal.adds == marginal.drops == ()
        else:
            after = (chosen | set(marginal.adds)) - set(marginal.drops)
            assert brute.feasible({**problem.limits, r: limit + marginal.step})[
                brute.row_of(sorted(after))
            ]
    assert set(result.marginal) == {r for r, v in problem.limits.items() if v is not None}


@EXAMPLES
@given(problem=st.one_of(problems("all", max_n=9), problems("all", max_n=9, cost_scale=4321.37)))
def test_frontier_is_the_exact_staircase(problem: Problem) -> None:
    """Limits and values strictly ascend; each point's value is the brute-force optimum at
    its limit, reached by no cheaper subset; every feasible subset lies on or under it."""
    try:
        points = portfolio_frontier(problem, "budget")
    except PortfolioInfeasible:
        assert Brute(problem).best({**problem.limits, "budget": None}) is None
        return
    brute = Brute(problem)
    free = brute.feasible({**problem.limits, "budget": None})
    cost = brute.cost("budget")
    assert all(a.limit < b.limit and a.value < b.value for a, b in itertools.pairwise(points))
    for p in points:
        at = brute.best({**problem.limits, "budget": p.limit})
        assert at is not None
        assert tied(at, p.value)
        cheaper = free & (cost < p.limit - 1e-6)
        assert not cheaper.any() or brute.values[cheaper].max() < p.value - 1e-9
        assert brute.feasible({**problem.limits, "budget": p.limit})[brute.row_of(p.options)]
        assert p.used["budget"] == pytest.approx(p.limit)
    for row in np.flatnonzero(free):
        below = [p for p in points if p.limit <= cost[row] + 1e-9]
        assert below, "a feasible subset cheaper than the first point"
        assert brute.values[row] <= below[-1].value + 1e-9 * max(1.0, below[-1].value)


@EXAMPLES
@given(problem=problems("all", max_n=9), points=st.integers(1, 3))
def test_frontier_keeps_the_highest_points(problem: Problem, points: int) -> None:
    try:
        full = portfolio_frontier(problem, "budget")
    except PortfolioInfeasible:
        return
    assert portfolio_frontier(problem, "budget", points=points) == full[-points:]


@EXAMPLES
@given(problem=problems("all"), order=st.randoms(use_true_random=False))
def test_input_order_changes_nothing(problem: Problem, order: random.Random) -> None:
    shuffled = list(problem.candidates)
    order.shuffle(shuffled)
    other = replace(problem, candidates=tuple(shuffled))
    assert solve_or_none(other) == solve_or_none(problem)
    if solve_or_none(problem) is not None:
        assert portfolio_frontier(other, "budget") == portfolio_frontier(problem, "budget")
        draw = by_id_draw(problem)
        assert portfolio_draws(other, 20, draw) == portfolio_draws(problem, 20, draw)


def by_id_draw(problem: Problem) -> Callable[[int], Draw]:
    """Values drawn from a stream seeded by the draw and the option's id, never its place."""
    base = {c.id: c for c in problem.candidates}

    def draw(k: int) -> Draw:
        values = {
            cid: (c.value + 1) * random.Random(f"{k}/{cid}").uniform(0.5, 1.5)
            for cid, c in base.items()
        }
        costs = {
            cid: {"budget": c.costs["budget"] * random.Random(f"{k}/{cid}/b").uniform(0.8, 1.2)}
            for cid, c in base.items()
        }
        return Draw(values, costs)

    return draw


@EXAMPLES
@given(problem=problems("all", max_n=8))
def test_draws_agree_with_brute_force(problem: Problem) -> None:
    """P(selected) is the share of feasible draws whose brute-force optimum holds the option
    (drawn values are continuous, so each draw's optimum is unique)."""
    if solve_or_none(problem) is None:
        return
    draw = by_id_draw(problem)
    summary = portfolio_draws(problem, 12, draw)
    counts = dict.fromkeys((c.id for c in problem.candidates), 0)
    infeasible = 0
    for k in range(12):
        numbers = draw(k)
        drawn = replace(
            problem,
            candidates=tuple(
                replace(c, value=numbers.values[c.id], costs={**c.costs, **numbers.costs[c.id]})
                for c in problem.candidates
            ),
        )
        brute = Brute(drawn)
        ok = brute.feasible()
        if not ok.any():
            infeasible += 1
            continue
        row = int(np.flatnonzero(ok)[np.argmax(brute.values[ok])])
        for j, cid in enumerate(brute.ids):
            counts[cid] += int(brute.x[row, j])
    assert summary.infeasible_draws == infeasible
    feasible = 12 - infeasible
    for share in summary.selection:
        assert share.p_selected == pytest.approx(counts[share.id] / feasible)
        expected = (
            "core"
            if counts[share.id] == feasible
            else "exterior"
            if counts[share.id] == 0
            else "borderline"
        )
        assert share.robust_class == expected
