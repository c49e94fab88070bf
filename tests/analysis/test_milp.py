"""milp: HiGHS on 0–1 programmes, checked exactly, silent, reusable."""

from __future__ import annotations

import itertools
import math
import random
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.analysis import milp
from engage.analysis.milp import BinaryProgramme, SolverFailure, solve_binary


def brute(objective: list[float], rows: list[list[float]], upper: list[float]) -> float | None:
    best = None
    for x in itertools.product((0, 1), repeat=len(objective)):
        if all(
            math.fsum(a * xi for a, xi in zip(row, x, strict=True)) <= b + milp.slack(b)
            for row, b in zip(rows, upper, strict=True)
        ):
            value = math.fsum(c * xi for c, xi in zip(objective, x, strict=True))
            best = value if best is None else max(best, value)
    return best


coefficient = st.integers(-6, 9).map(float)


@st.composite
def programmes(draw: st.DrawFn) -> tuple[list[float], list[list[float]], list[float]]:
    n = draw(st.integers(1, 8))
    objective = draw(st.lists(coefficient, min_size=n, max_size=n))
    rows = draw(st.lists(st.lists(coefficient, min_size=n, max_size=n), max_size=4))
    upper = [float(draw(st.integers(-4, 15))) for _ in rows]
    return objective, rows, upper


@settings(derandomize=True, max_examples=60, deadline=None)
@given(programme=programmes())
def test_agrees_with_brute_force(
    programme: tuple[list[float], list[list[float]], list[float]],
) -> None:
    objective, rows, upper = programme
    best = brute(objective, rows, upper)
    solution = solve_binary(objective, rows, upper)
    if best is None:
        assert solution.status == "infeasible"
        assert solution.x == ()
        return
    assert solution.status == "optimal"
    assert solution.objective == best
    assert BinaryProgramme(objective, rows, upper).meets(solution.x)


@settings(derandomize=True, max_examples=30, deadline=None)
@given(first=programmes(), data=st.data())
def test_a_changed_programme_solves_like_a_new_one(
    first: tuple[list[float], list[list[float]], list[float]], data: st.DataObject
) -> None:
    """Objective, coefficients and bounds changed in place give the answer of a programme
    built with them (each solve starts from a cleared solver)."""
    objective, rows, upper = first
    reused = BinaryProgramme(objective, rows, upper)
    reused.solve()
    n = len(objective)
    objective = data.draw(st.lists(coefficient, min_size=n, max_size=n))
    reused.set_objective(objective)
    for r in range(len(rows)):
        j = data.draw(st.integers(0, n - 1))
        rows[r][j] = data.draw(coefficient)
        reused.set_coefficients(r, {j: rows[r][j]})
        upper[r] = float(data.draw(st.integers(-4, 15)))
        reused.set_upper(r, upper[r])
    assert reused.solve() == solve_binary(objective, rows, upper)


def test_sparse_and_dense_rows_and_fixings() -> None:
    dense = solve_binary([3, 2, 4], [[2, 1, 3]], [4])
    sparse = solve_binary([3, 2, 4], [{0: 2, 1: 1, 2: 3}], [4])
    assert dense == sparse == milp.Solution("optimal", (0, 1, 1), 6.0)
    assert solve_binary([3, 2, 4], [[2, 1, 3]], [4], fixed={0: 1}).x == (1, 1, 0)
    programme = BinaryProgramme([3, 2, 4], [[2, 1, 3]], [4], fixed={2: 0})
    assert programme.solve().x == (1, 1, 0)
    programme.fix(2, None)
    assert programme.solve().x == (0, 1, 1)
    programme.set_upper(0, math.inf)
    assert programme.solve().x == (1, 1, 1)


def test_exclude_cuts_off_points_and_partial_points_for_one_solve() -> None:
    programme = BinaryProgramme([1, 1, 1], [[1, 1, 1]], [2])
    best = programme.solve()
    assert best.objective == 2
    second = programme.solve([best.x])
    assert second.objective == 2
    assert second.x != best.x
    assert programme.solve([{0: 1, 1: 1}, {0: 1, 2: 1}, {1: 1, 2: 1}]).objective == 1
    assert programme.solve().objective == 2  # the cuts are gone again
    assert solve_binary([], [], []).status == "optimal"
    assert BinaryProgramme([]).solve([()]).status == "infeasible"


def test_float_sums_of_user_numbers_meet_their_limit() -> None:
    """0.1 + 0.2 is 0.30000000000000004 in floats: it still fits a limit of 0.3."""
    assert solve_binary([1, 1], [[0.1, 0.2]], [0.3]).x == (1, 1)
    assert solve_binary([1, 1], [[0.1, 0.2]], [0.29999]).objective == 1


def test_a_solver_point_failing_the_exact_check_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    programme = BinaryProgramme([5, 1], [[1, 0]], [0.5])
    real = programme._run
    returned: list[tuple[int, ...] | None] = []

    def sloppy() -> tuple[int, ...] | None:
        x = (1, 1) if not returned else real()
        returned.append(x)
        return x

    monkeypatch.setattr(programme, "_run", sloppy)
    assert programme.solve() == milp.Solution("optimal", (0, 1), 1.0)
    assert returned[0] == (1, 1)
    monkeypatch.setattr(programme, "_run", lambda: (1, 1))
    with pytest.raises(SolverFailure, match=r"^\[solver\] "):
        programme.solve()


def test_bad_rows_are_refused() -> None:
    with pytest.raises(ValueError, match="dense row"):
        BinaryProgramme([1, 2], [[1]], [1])
    with pytest.raises(ValueError, match="out of range"):
        BinaryProgramme([1, 2], [{5: 1}], [1])
    with pytest.raises(ValueError, match="not finite"):
        BinaryProgramme([1, 2], [[1, math.nan]], [1])
    with pytest.raises(ValueError, match="objective coefficient is not finite"):
        BinaryProgramme([1, math.inf])
    with pytest.raises(ValueError, match="upper bound"):
        BinaryProgramme([1, 2], [[1, 1]], [])


def test_the_solver_prints_nothing() -> None:
    """HiGHS writes its banner on file descriptor 1 unless told first: `-f json` would
    break. A fresh interpreter, so that nothing has silenced it before."""
    code = "from engage.analysis.milp import solve_binary; solve_binary([1, 2], [[1, 1]], [1])"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert (done.stdout, done.stderr) == ("", "")


def knapsack(values: list[float], costs: list[int], capacity: int) -> float:
    """The 0–1 knapsack optimum by dynamic programming over integer capacities."""
    best = [0.0] * (capacity + 1)
    for v, c in zip(values, costs, strict=True):
        for room in range(capacity, c - 1, -1):
            best[room] = max(best[room], best[room - c] + v)
    return best[capacity]


@pytest.mark.parametrize("seed", [1, 2])
def test_a_large_programme_on_highs_defaults_is_still_exact(seed: int) -> None:
    """Past SMALL variables HiGHS keeps its own heuristics: check one against a DP."""
    r = random.Random(seed)
    n = milp.SMALL + 50
    values = [round(r.uniform(0, 100), 1) for _ in range(n)]
    costs = [r.randint(1, 30) for _ in range(n)]
    capacity = sum(costs) // 3
    solution = solve_binary(values, [costs], [capacity])
    assert solution.objective == pytest.approx(knapsack(values, costs, capacity), rel=1e-12)
    assert sum(c for c, x in zip(costs, solution.x, strict=True) if x) <= capacity


@settings(derandomize=True, max_examples=60, deadline=None)
@given(programme=programmes(), data=st.data())
def test_at_least_keeps_an_optimum_worth_that_and_only_that(
    programme: tuple[list[float], list[list[float]], list[float]], data: st.DataObject
) -> None:
    """With ``at_least`` at or below the optimum the answer is the optimum's value; above
    it, infeasible or a point worth less (never one reaching it: there is none)."""
    objective, rows, upper = programme
    best = brute(objective, rows, upper)
    at_least = float(data.draw(st.integers(-20, 40))) / 2
    solution = BinaryProgramme(objective, rows, upper).solve(at_least=at_least)
    if best is not None and best >= at_least:
        assert solution.status == "optimal"
        assert solution.objective == best
    elif solution.status == "optimal":
        assert solution.objective < at_least
        assert BinaryProgramme(objective, rows, upper).meets(solution.x)


def test_at_least_does_not_outlive_its_solve() -> None:
    programme = BinaryProgramme([3, 2, 4], [[2, 1, 3]], [4])
    assert programme.solve(at_least=7).status != "optimal" or programme.solve().objective < 7
    assert programme.solve() == milp.Solution("optimal", (0, 1, 1), 6.0)
    assert programme.solve([(0, 1, 1)], at_least=6).objective != 6  # no other 6
    assert programme.solve([(0, 1, 1)]).objective == 5


def test_more_cuts_than_spare_rows_rebuild_the_model() -> None:
    """Cuts fill empty rows kept at the end of the solver's model; more cuts than there
    are make a larger model, with the fixings, bounds and changed data kept."""
    n = 6
    programme = BinaryProgramme([1.0] * n, [[1.0] * n], [3], fixed={5: 0})
    programme.set_objective([1, 1, 1, 1, 1, 0.5])
    points = [x for x in itertools.product((0, 1), repeat=n) if sum(x[:5]) == 3 and not x[5]]
    assert len(points) > milp.SPARE_ROWS
    second = programme.solve(points)
    assert second.status == "optimal"
    assert second.objective == 2
    assert second.x[5] == 0
    assert programme.solve().objective == 3  # the cuts are gone again
    programme.fix(5, None)
    assert programme.solve().objective == 3
    assert programme.solve(points[:-1]).x == points[-1]  # the one three left
