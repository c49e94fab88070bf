"""The registry of methods: every method is reachable, and its properties are true of it.

Each property of :class:`engage.methods.base.Method` that the rest of engage acts on is
checked against what the method's scores do: a property set True holds on generated
matrices, and a property set False has a counterexample (so the flag is not just
conservative). ``score_batch`` must give ``score``'s scores, draw by draw.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.core.model import Criterion
from engage.core.preference import Preference
from engage.methods import registry
from engage.methods.base import Method
from tests.conftest import OPTIONS, ROOT, Run

NAMES = registry.names()
PREFERENCES = [
    Preference("usual"),
    Preference("u-shape", q=1.0),
    Preference("v-shape", p=3.0),
    Preference("level", q=1.0, p=3.0),
    Preference("linear", q=0.5, p=3.0),
    Preference("gaussian", s=2.0),
]


USUAL = Preference()


def criteria(directions: list[bool], preference: Preference = USUAL) -> list[Criterion]:
    return [
        Criterion(f"c{j}", f"C{j}", None, better, 0.0, 10.0, None, preference)
        for j, better in enumerate(directions)
    ]


@st.composite
def problems(draw: st.DrawFn) -> tuple[list[list[float]], list[float], list[Criterion]]:
    """A matrix on the scale [0, 10], normalised positive weights and criteria."""
    n = draw(st.integers(1, 6))
    m = draw(st.integers(1, 4))
    value = st.floats(0.0, 10.0, allow_nan=False).map(lambda x: round(x, 1))
    matrix = [[draw(value) for _ in range(m)] for _ in range(n)]
    raw = [draw(st.floats(0.05, 1.0)) for _ in range(m)]
    weights = [w / sum(raw) for w in raw]
    directions = [draw(st.booleans()) for _ in range(m)]
    return matrix, weights, criteria(directions, draw(st.sampled_from(PREFERENCES)))


def scores(
    method: Method, matrix: list[list[float]], weights: list[float], cs: list[Criterion]
) -> list[float]:
    return method.score(matrix, weights, cs).scores


# -- the registry ------------------------------------------------------------------------


def test_every_name_leads_to_the_method_of_that_name() -> None:
    assert len(set(NAMES)) == len(NAMES) >= 1
    assert registry.DEFAULT in NAMES
    for name in NAMES:
        assert registry.get(name).name == name
    *rest, last = NAMES
    assert registry.listing() == (f"{', '.join(rest)} or {last}" if rest else last)
    with pytest.raises(KeyError):
        registry.get("electre")


@pytest.mark.parametrize("name", NAMES)
def test_every_method_is_reachable_through_rank(run: Run, name: str) -> None:
    result = run("rank", str(OPTIONS), "-m", name, "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    method = registry.get(name)
    assert document["method"] == name
    assert document["score_unit"] == method.score_unit
    low, high = method.score_range
    assert all(low <= o["score"] <= high for o in document["options"])
    assert all((o["contributions"] is not None) == method.additive for o in document["options"])


def test_the_model_and_naming_the_methods_load_no_method() -> None:
    naming = ("engage.methods.base", "engage.methods.registry")
    probe = (
        "import sys, json\nimport engage.core.model, engage.methods.registry as r\nr.listing()\n"
        "print(json.dumps([engage.__file__, sorted(sys.modules)]))\n"
    )
    # from the repository root, so that this checkout's engage is the one imported
    done = subprocess.run(
        [sys.executable, "-c", probe], check=True, cwd=ROOT, capture_output=True, text=True
    )
    where, loaded = json.loads(done.stdout)
    assert Path(where).is_relative_to(ROOT)
    assert [m for m in loaded if m.startswith("engage.methods.") and m not in naming] == []


def test_method_names_are_spelled_only_in_the_methods() -> None:
    """No module outside engage/methods/ has a method's name as a string of its own."""
    found = []
    for path in sorted((ROOT / "engage").rglob("*.py")):
        if "methods" in path.relative_to(ROOT / "engage").parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in NAMES:
                found.append(f"{Path(path).relative_to(ROOT)}:{node.lineno}")
    assert found == []


# -- the properties ------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=60, deadline=None)
@given(problem=problems())
def test_contributions_exist_and_add_up_exactly_when_additive(name: str, problem: tuple) -> None:
    matrix, weights, cs = problem
    method = registry.get(name)
    result = method.score(matrix, weights, cs)
    assert (result.contributions is not None) == method.additive
    if result.contributions is not None:
        assert [sum(parts) for parts in result.contributions] == result.scores


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=60, deadline=None)
@given(problem=problems())
def test_scores_stay_within_the_score_range(name: str, problem: tuple) -> None:
    matrix, weights, cs = problem
    method = registry.get(name)
    low, high = method.score_range
    assert all(low - 1e-12 <= s <= high + 1e-12 for s in scores(method, matrix, weights, cs))


def _mixed(method: Method, problem: tuple, other: list[float], a: float) -> tuple[list, list]:
    """Scores at a·w + (1 − a)·w' and the same mix of the scores at w and at w'."""
    matrix, weights, cs = problem
    mix = [a * w + (1 - a) * v for w, v in zip(weights, other, strict=True)]
    at_w, at_other = scores(method, matrix, weights, cs), scores(method, matrix, other, cs)
    expected = [a * s + (1 - a) * t for s, t in zip(at_w, at_other, strict=True)]
    return scores(method, matrix, mix, cs), expected


@pytest.mark.parametrize("name", [n for n in NAMES if registry.get(n).linear_in_weights])
@settings(max_examples=60, deadline=None)
@given(problem=problems(), a=st.floats(0.0, 1.0), seed=st.integers(0, 2**32 - 1))
def test_linear_in_weights_means_scores_mix_as_the_weights_do(
    name: str, problem: tuple, a: float, seed: int
) -> None:
    other = list(np.random.default_rng(seed).dirichlet([1.0] * len(problem[1])))
    got, expected = _mixed(registry.get(name), problem, other, a)
    assert got == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_linear_in_weights_or_not_on_an_example(name: str) -> None:
    """The flag, both ways: on this example TOPSIS's closeness does not mix linearly."""
    problem = ([[1.0, 9.0], [6.0, 5.0], [9.0, 2.0]], [0.8, 0.2], criteria([True, True]))
    method = registry.get(name)
    got, expected = _mixed(method, problem, [0.2, 0.8], 0.5)
    assert (got == pytest.approx(expected, abs=1e-9)) == method.linear_in_weights


@pytest.mark.parametrize("name", [n for n in NAMES if registry.get(n).exact_value_changes])
@settings(max_examples=60, deadline=None)
@given(problem=problems(), delta=st.floats(-10.0, 10.0), data=st.data())
def test_value_slope_is_the_change_of_the_own_score_alone(
    name: str, problem: tuple, delta: float, data: st.DataObject
) -> None:
    matrix, weights, cs = problem
    method = registry.get(name)
    assert method.value_slope is not None
    i = data.draw(st.integers(0, len(matrix) - 1))
    j = data.draw(st.integers(0, len(cs) - 1))
    changed = [row[:] for row in matrix]
    changed[i][j] = min(max(changed[i][j] + delta, 0.0), 10.0)
    before, after = scores(method, matrix, weights, cs), scores(method, changed, weights, cs)
    slope = method.value_slope(weights[j], cs[j])
    assert after[i] - before[i] == pytest.approx(slope * (changed[i][j] - matrix[i][j]), abs=1e-9)
    assert [s for k, s in enumerate(after) if k != i] == [s for k, s in enumerate(before) if k != i]


@pytest.mark.parametrize("name", NAMES)
def test_other_scores_move_exactly_when_there_is_no_value_slope(name: str) -> None:
    matrix, weights, cs = [[2.0, 8.0], [6.0, 5.0], [9.0, 2.0]], [0.5, 0.5], criteria([True, True])
    changed = [[7.0, 8.0], *matrix[1:]]
    method = registry.get(name)
    before, after = scores(method, matrix, weights, cs), scores(method, changed, weights, cs)
    assert (after[1:] == before[1:]) == method.exact_value_changes


@pytest.mark.parametrize("name", [n for n in NAMES if registry.get(n).monotone_in_values])
@settings(max_examples=60, deadline=None)
@given(problem=problems(), step=st.floats(0.0, 5.0), data=st.data())
def test_monotone_in_values_means_improving_never_loses_ground(
    name: str, problem: tuple, step: float, data: st.DataObject
) -> None:
    matrix, weights, cs = problem
    method = registry.get(name)
    i = data.draw(st.integers(0, len(matrix) - 1))
    j = data.draw(st.integers(0, len(cs) - 1))
    better = [row[:] for row in matrix]
    move = step if cs[j].higher_is_better else -step
    better[i][j] = min(max(better[i][j] + move, 0.0), 10.0)
    before, after = scores(method, matrix, weights, cs), scores(method, better, weights, cs)
    for k in range(len(matrix)):
        assert after[i] - after[k] >= before[i] - before[k] - 1e-12


@pytest.mark.parametrize("name", NAMES)
def test_monotone_in_values_or_not_on_an_example(name: str) -> None:
    """The flag, both ways: under TOPSIS option 0 improves from (1, 1) to (2, 1) and
    falls further behind option 2 (option 0 stays the anti-ideal, option 2 nears the
    ideal)."""
    matrix, weights, cs = [[1.0, 1.0], [3.0, 1.0], [2.0, 10.0]], [0.5, 0.5], criteria([True, True])
    better = [[2.0, 1.0], *matrix[1:]]
    method = registry.get(name)
    before, after = scores(method, matrix, weights, cs), scores(method, better, weights, cs)
    lost = after[0] - after[2] < before[0] - before[2] - 1e-6
    assert lost != method.monotone_in_values


# -- one arithmetic, two forms ------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("preference", PREFERENCES, ids=lambda p: p.function)
def test_score_batch_gives_the_scores_of_score_draw_by_draw(
    name: str, preference: Preference
) -> None:
    method = registry.get(name)
    rng = np.random.default_rng(4)
    cs = criteria([True, False, True], preference)
    x = rng.integers(0, 101, (5, 7, 3)) / 10
    w = rng.dirichlet([1.0, 1.0, 1.0], 5)
    got = method.score_batch(x, w, cs)
    assert got.shape == (5, 7)
    for c in range(5):
        expected = scores(method, x[c].tolist(), w[c].tolist(), cs)
        if name == "weighted-sum":  # the same operations on floats and on arrays
            assert got[c].tolist() == expected
        else:
            assert got[c] == pytest.approx(expected, abs=1e-12)
    # candidates' weights broadcast against the draws: (draws, 1, n, m) × (1, k, m)
    crossed = method.score_batch(x[:, None], w[None], cs)
    assert crossed.shape == (5, 5, 7)
    for k in range(5):
        assert crossed[:, k] == pytest.approx(method.score_batch(x, w[k][None], cs), abs=1e-15)


def test_score_batch_of_one_fixed_matrix_broadcasts_over_the_weights() -> None:
    cs = criteria([True, True])
    x = np.array([[[2.0, 8.0], [6.0, 5.0]]])
    w = np.array([[0.5, 0.5], [1.0, 0.0]])
    for name in NAMES:
        got = registry.get(name).score_batch(x, w, cs)
        assert got.shape == (2, 2)
        for c in range(2):
            expected = scores(registry.get(name), x[0].tolist(), w[c].tolist(), cs)
            assert got[c] == pytest.approx(expected, abs=1e-12)
