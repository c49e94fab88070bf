"""portfolio on small hand-made problems: exact reasons, messages, ties, frontier, draws."""

from __future__ import annotations

import math

import pytest

from engage.analysis.portfolio import (
    Candidate,
    Constraints,
    Draw,
    FrontierPoint,
    Marginal,
    PortfolioDataError,
    PortfolioInfeasible,
    Problem,
    portfolio_draws,
    portfolio_frontier,
    solve_portfolio,
)
from engage.core.errors import EXIT_INVALID, EngageError


def option(
    cid: str,
    value: float,
    budget: float,
    track: str = "economic",
    **extra: tuple[str, ...],
) -> Candidate:
    return Candidate(
        cid, track, value, {"budget": budget, "staff": 1.0}, title=cid.upper(), **extra
    )


DESK = (
    option("talks", 30, 50, "political", conflicts=("sanctions",)),
    option("aid", 20, 40, "humanitarian", requires=("corridor",)),
    option("sanctions", 25, 30, "political"),
    option("corridor", 10, 20, "humanitarian"),
    option("trade", 15, 70),
    option("fund", 0, 0),
)


def infeasible_message(problem: Problem) -> str:
    with pytest.raises(PortfolioInfeasible) as caught:
        solve_portfolio(problem)
    assert caught.value.exit_code == EXIT_INVALID
    assert isinstance(caught.value, EngageError)
    return caught.value.message


def test_the_desk_portfolio_and_why_each_other_option_is_out() -> None:
    problem = Problem(DESK, {"budget": 120, "staff": None}, Constraints(max_track={"political": 1}))
    result = solve_portfolio(problem)
    assert [c.id for c in result.selected] == ["talks", "aid", "corridor"]
    assert result.selected[0].title == "TALKS"
    assert result.value == 60
    assert result.used == {"budget": 110, "staff": 3}
    assert result.binding == ("budget",)
    assert [(o.id, o.reason) for o in result.left_out] == [
        ("sanctions", "would exceed budget by 20; conflicts with talks; max-track political"),
        ("trade", "would exceed budget by 60"),
        ("fund", "adds no value"),
    ]
    assert result.alternative_optimum is None  # with or without `fund` is the same portfolio
    assert result.marginal == {"budget": Marginal(12, 0.0, (), ())}


def test_reasons_name_requires_exclusion_and_max_options() -> None:
    problem = Problem(
        DESK,
        {"budget": 100},
        Constraints(max_options=2, exclude=("corridor",)),
    )
    result = solve_portfolio(problem)
    assert [c.id for c in result.selected] == ["sanctions", "trade"]
    assert {o.id: o.reason for o in result.left_out} == {
        "talks": "would exceed budget by 50; conflicts with sanctions; max-options 2",
        "aid": "would exceed budget by 40; requires corridor (not chosen); max-options 2",
        "corridor": "would exceed budget by 20; excluded; max-options 2",
        "fund": "max-options 2",
    }


def test_a_requires_of_an_option_that_is_not_a_candidate_keeps_it_out() -> None:
    problem = Problem((option("a", 10, 1, requires=("screened",)), option("b", 1, 1)), {})
    result = solve_portfolio(problem)
    assert [c.id for c in result.selected] == ["b"]
    assert result.left_out[0].reason == "requires screened (not a candidate)"


def test_a_tie_is_settled_by_id_and_the_other_optimum_reported() -> None:
    """HiGHS finds {c} first here; of the tied {a}, {b}, {c} the report picks {a}."""
    three = tuple(option(cid, 5, 5) for cid in "abc")
    result = solve_portfolio(Problem(three, {"budget": 5}))
    assert [c.id for c in result.selected] == ["a"]
    assert result.alternative_optimum in (("b",), ("c",))
    unique = (option("a", 5, 5), option("b", 4, 5))
    assert solve_portfolio(Problem(unique, {"budget": 5})).alternative_optimum is None


def test_marginal_value_of_more_budget() -> None:
    problem = Problem((option("a", 10, 10), option("b", 6, 6), option("c", 5, 5)), {"budget": 10})
    result = solve_portfolio(problem)
    assert [c.id for c in result.selected] == ["a"]
    assert result.marginal["budget"] == Marginal(1.0, 1.0, ("b", "c"), ("a",))
    assert solve_portfolio(problem, marginal=False).marginal == {}


@pytest.mark.parametrize(
    ("constraints", "limits", "cause"),
    [
        (
            Constraints(require=("aid", "talks")),
            {"budget": 100},
            "the required options (aid, corridor, talks) alone need budget 110, over 100",
        ),
        (
            Constraints(min_track={"humanitarian": 3}),
            {},
            "min-track humanitarian=3 but the track has 2 candidate(s)",
        ),
        (
            Constraints(require=("aid",), exclude=("corridor",)),
            {},
            "aid requires corridor, which is excluded",
        ),
        (Constraints(require=("gone",)), {}, "gone is required but is not a candidate"),
        (Constraints(require=("aid",), exclude=("aid",)), {}, "aid is both required and excluded"),
        (
            Constraints(require=("talks", "sanctions")),
            {},
            "the required options sanctions and talks conflict",
        ),
        (
            Constraints(require=("aid",), max_options=1),
            {},
            "the required options (aid, corridor) are 2, over max-options 1",
        ),
        (
            Constraints(min_track={"political": 2}, max_track={"political": 1}),
            {},
            "min-track political=2 is above max-track political=1",
        ),
        (
            Constraints(min_track={"political": 1, "humanitarian": 1}, max_options=1),
            {},
            "the min-track counts add up to 2, over max-options 1",
        ),
    ],
)
def test_infeasible_names_the_constraints_and_the_cause(
    constraints: Constraints, limits: dict[str, float | None], cause: str
) -> None:
    message = infeasible_message(Problem(DESK, limits, constraints))
    assert message.startswith("[infeasible] no portfolio meets the constraints in force (")
    assert message.endswith(f"): {cause}")


def test_infeasible_chain_and_limits_listed_without_a_single_cause() -> None:
    chain = (
        option("a", 1, 1, requires=("b",)),
        option("b", 1, 1, requires=("c",)),
        option("c", 1, 1),
    )
    message = infeasible_message(Problem(chain, {}, Constraints(require=("a",), exclude=("c",))))
    assert message.endswith(": a requires b requires c, which is excluded")
    pair = (option("a", 1, 6, "humanitarian"), option("b", 1, 6, "humanitarian"))
    message = infeasible_message(
        Problem(pair, {"budget": 5, "staff": 9}, Constraints(min_track={"humanitarian": 1}))
    )
    assert message == (
        "[infeasible] no portfolio meets the constraints in force "
        "(budget ≤ 5, staff ≤ 9, min-track humanitarian=1)"
    )


def test_a_missing_cost_for_a_limited_resource_is_an_error() -> None:
    problem = Problem((Candidate("a", "economic", 1, {"staff": 1}),), {"budget": 5, "staff": 2})
    with pytest.raises(PortfolioDataError, match=r"^\[missing-cost\] .*missing: a \(budget\)$"):
        solve_portfolio(problem)
    assert solve_portfolio(Problem(problem.candidates, {"budget": None})).value == 1


def test_duplicate_ids_and_numbers_the_loader_refuses_are_bugs() -> None:
    with pytest.raises(ValueError, match="unique"):
        Problem((option("a", 1, 1), option("a", 2, 2)))
    with pytest.raises(ValueError, match="not finite"):
        Problem((option("a", math.nan, 1),))
    with pytest.raises(ValueError, match="at least 0"):
        Problem((option("a", 1, -1),))


def test_a_negative_limit_is_named() -> None:
    message = infeasible_message(Problem(DESK, {"budget": -1}))
    assert message.endswith(": the limit of budget is below 0")


def test_frontier_on_the_desk() -> None:
    problem = Problem(DESK, {"budget": 120}, Constraints(max_track={"political": 1}))
    points = portfolio_frontier(problem, "budget")
    assert [(p.limit, p.value) for p in points] == [
        (0, 0),
        (20, 10),
        (30, 25),
        (50, 35),
        (70, 40),
        (90, 55),
        (110, 60),
        (160, 70),
        (180, 75),
    ]
    assert points[1] == FrontierPoint(20, 10, {"budget": 20}, ("corridor",))
    assert portfolio_frontier(problem, "budget", points=2) == points[-2:]
    with pytest.raises(ValueError, match="points"):
        portfolio_frontier(problem, "budget", points=0)


def test_frontier_of_an_infeasible_problem_raises() -> None:
    problem = Problem(DESK, {}, Constraints(min_track={"humanitarian": 3}))
    with pytest.raises(PortfolioInfeasible, match="min-track humanitarian=3"):
        portfolio_frontier(problem, "budget")


def test_draws_classes_and_infeasible_draws() -> None:
    problem = Problem(
        (option("sure", 100, 1), option("never", 50, 1), option("maybe", 10, 1)),
        {"budget": 2},
        Constraints(exclude=("never",)),
    )

    def draw(k: int) -> Draw:
        costs = {"sure": {"budget": 5.0}} if k == 3 else {}
        return Draw({"maybe": 10.0 if k % 2 else -1.0}, costs)

    summary = portfolio_draws(problem, 6, draw)
    assert summary.draws == 6
    assert summary.infeasible_draws == 0
    by_id = {s.id: s for s in summary.selection}
    assert [s.id for s in summary.selection] == ["maybe", "never", "sure"]
    assert by_id["never"].robust_class == "exterior"
    assert by_id["maybe"].p_selected == pytest.approx(3 / 6)
    assert by_id["maybe"].robust_class == "borderline"
    # draw 3 makes `sure` too dear; the costs of other draws are the written ones again
    assert by_id["sure"].p_selected == pytest.approx(5 / 6)
    required = Problem(problem.candidates, {"budget": 2}, Constraints(require=("sure",)))
    summary = portfolio_draws(required, 6, draw)
    assert summary.infeasible_draws == 1
    assert {s.id: s.robust_class for s in summary.selection}["sure"] == "core"
    with pytest.raises(PortfolioInfeasible, match="any of the 1 draws"):
        portfolio_draws(required, 1, lambda k: draw(3))
    with pytest.raises(ValueError, match="draws"):
        portfolio_draws(required, 0, draw)


def two_costs(cid: str, value: float, budget: float, staff: float) -> Candidate:
    return Candidate(cid, "economic", value, {"budget": budget, "staff": staff})


def test_binding_marks_the_full_resource_not_the_one_with_slack() -> None:
    # budget 10 is used up (4 + 6); staff has slack (2 of 5). `extra` is out on both
    # counts, but no more staff would let it in: only budget holds the portfolio back.
    problem = Problem(
        (two_costs("a", 10, 4, 1), two_costs("b", 8, 6, 1), two_costs("extra", 5, 3, 4)),
        {"budget": 10, "staff": 5},
    )
    result = solve_portfolio(problem)
    assert result.used == {"budget": 10, "staff": 2}
    assert result.binding == ("budget",)
    assert result.left_out[0].reason == "would exceed budget by 3; would exceed staff by 1"
    assert result.marginal["staff"].value_gain == 0


def test_binding_marks_a_limit_with_slack_that_alone_keeps_an_option_out() -> None:
    # budget 9 of 10: `extra` (cost 3) would fit but for the budget; staff 2 of 5 stays free
    problem = Problem(
        (two_costs("a", 10, 4, 1), two_costs("b", 8, 5, 1), two_costs("extra", 5, 3, 1)),
        {"budget": 10, "staff": 5},
        Constraints(max_options=3),
    )
    result = solve_portfolio(problem, marginal=False)
    assert result.used == {"budget": 9, "staff": 2}
    assert result.binding == ("budget",)
    assert result.left_out[0].reason == "would exceed budget by 2"


def test_no_resource_is_binding_when_another_constraint_keeps_options_out() -> None:
    problem = Problem(
        (two_costs("a", 10, 4, 1), two_costs("b", 8, 5, 1), two_costs("extra", 5, 3, 1)),
        {"budget": 20, "staff": 5},
        Constraints(max_options=2),
    )
    result = solve_portfolio(problem)
    assert result.used == {"budget": 9, "staff": 2}
    assert result.binding == ()
    assert result.left_out[0].reason == "max-options 2"
