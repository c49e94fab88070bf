"""Unknown scores and value functions (docs/formats.md#unknown-scores, #value-functions):
the properties SPEC §8 asks for, the fixture set through the commands, each rule's error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from engage.cli import app
from engage.core.model import Criterion, interpolate, inverse
from engage.core.preference import Preference
from engage.methods import registry

CURVES = Path(__file__).parent / "golden" / "curves-set"
runner = CliRunner()


def _criterion(better: bool, curve: tuple[tuple[float, float], ...] | None) -> Criterion:
    return Criterion("c", "c", None, better, 0.0, 10.0, None, Preference(), curve)


values = st.floats(0.0, 10.0)


@given(st.lists(st.lists(values, min_size=2, max_size=2), min_size=1, max_size=6), st.booleans())
def test_a_linear_value_function_changes_nothing(rows: list[list[float]], better: bool) -> None:
    line = ((0.0, 0.0), (10.0, 100.0)) if better else ((0.0, 100.0), (10.0, 0.0))
    method = registry.get("weighted-sum")
    plain = [_criterion(better, None), _criterion(True, None)]
    curved = [_criterion(better, line), _criterion(True, None)]
    a = method.score(rows, [0.6, 0.4], plain).scores
    b = method.score(rows, [0.6, 0.4], curved).scores
    assert b == pytest.approx(a, abs=1e-9)


@st.composite
def monotone_curves(draw: st.DrawFn) -> tuple[tuple[float, float], ...]:
    inner = sorted(set(draw(st.lists(st.floats(0.01, 9.99), max_size=5))))
    vs = sorted(draw(st.lists(st.floats(0.0, 100.0), min_size=len(inner), max_size=len(inner))))
    return ((0.0, 0.0), *zip(inner, vs, strict=True), (10.0, 100.0))


@given(monotone_curves(), values, values, values, values)
def test_a_monotone_value_function_never_reverses_dominance(
    curve: tuple[tuple[float, float], ...], a1: float, a2: float, b1: float, b2: float
) -> None:
    (a1, b1), (a2, b2) = sorted((a1, b1)), sorted((a2, b2))  # b is at least as good on both
    method = registry.get("weighted-sum")
    criteria = [_criterion(True, curve), _criterion(True, curve)]
    low, high = method.score([[a1, a2], [b1, b2]], [0.5, 0.5], criteria).scores
    assert high >= low - 1e-9


@given(monotone_curves(), values)
@settings(max_examples=200)
def test_the_inverse_finds_the_value_exactly(
    curve: tuple[tuple[float, float], ...], x: float
) -> None:
    v = interpolate(curve, x)
    found = inverse(curve, v, x)
    assert found is not None
    assert interpolate(curve, found) == pytest.approx(v, abs=1e-9)


def _set(tmp_path: Path, feasibility: str) -> Path:
    tmp_path.mkdir()
    (tmp_path / "engage.toml").write_text((CURVES / "engage.toml").read_text())
    options = (CURVES / "options.toml").read_text()
    old = "[option.scores.feasibility]\nunknown = true\nlow = 3\nhigh = 7\n"
    assert old in options
    (tmp_path / "options.toml").write_text(options.replace(old, feasibility))
    return tmp_path


@pytest.mark.parametrize("command", ["rank", "sensitivity", "tracks", "decouple"])
def test_unknown_midpoint_equals_writing_the_midpoint(tmp_path: Path, command: str) -> None:
    unknown = _set(
        tmp_path / "u", "[option.scores.feasibility]\nunknown = true\nlow = 3\nhigh = 7\n"
    )
    written = _set(tmp_path / "w", "[option.scores.feasibility]\nvalue = 5\nlow = 3\nhigh = 7\n")
    out = [runner.invoke(app, [command, str(p), "-f", "json"]) for p in (unknown, written)]
    assert [r.exit_code for r in out] == [0, 0]
    docs = [json.loads(r.stdout) for r in out]
    assert _unmarked(docs[0]) == docs[1]


def _unmarked(value: object) -> object:
    """The document without the marks alpha's unknown feasibility adds (``unknown``,
    ``best_unknown``, ...: docs/output.md#unknown-scores)."""
    if isinstance(value, dict):
        return {
            k: _unmarked(v)
            for k, v in value.items()
            if not (k.endswith("unknown") and v == ["feasibility"])
        }
    if isinstance(value, list):
        return [_unmarked(v) for v in value]
    return value


COMMANDS = [
    (["rank"], ("table", "json", "ndjson", "csv", "tsv", "markdown", "svg", "html", "ids")),
    (["explain", "delta"], ("table", "json", "markdown")),
    (["compare", "alpha", "delta"], ("table", "json", "markdown")),
    (["sensitivity"], ("table", "json", "markdown")),
    (["robustness", "--draws", "200"], ("table", "json", "csv", "markdown")),
    (["decouple"], ("table", "json", "csv")),
    (["tracks"], ("table", "json", "csv")),
    (["validate"], ("table", "json")),
    (["model"], ("table", "json", "toml")),
    (["export"], ("toml", "json", "csv")),
    (["report"], ("html", "markdown")),
]


@pytest.mark.parametrize(("args", "formats"), COMMANDS)
def test_every_command_runs_on_the_curves_set(args: list[str], formats: tuple[str, ...]) -> None:
    takes_ids = args[0] in ("explain", "compare")
    where = ["-s", str(CURVES)] if takes_ids else [str(CURVES)]
    for form in formats:
        result = runner.invoke(app, [*args, *where, "-f", form])
        assert result.exit_code == 0, (form, result.output)
        assert result.stdout or args[0] == "validate"


def test_exclude_lists_unknown_options_like_screened_ones() -> None:
    result = runner.invoke(app, ["rank", str(CURVES), "--unknown", "exclude", "-f", "json"])
    doc = json.loads(result.stdout)
    assert [o["id"] for o in doc["options"]] == ["beta", "gamma"]
    assert {s["id"]: s["rule"] for s in doc["screened_out"]} == {
        "alpha": "unknown feasibility",
        "delta": "unknown benefit",
    }


def test_strict_validation_fails_on_an_unknown_score() -> None:
    plain = runner.invoke(app, ["validate", str(CURVES), "-f", "json"])
    strict = runner.invoke(app, ["validate", str(CURVES), "--strict", "-f", "json"])
    assert plain.exit_code == 0
    assert strict.exit_code == 1
    codes = [d["code"] for d in json.loads(plain.stdout)["diagnostics"]]
    assert codes.count("unknown-score") == 2


def test_a_tie_change_inverts_the_value_function_exactly() -> None:
    doc = json.loads(
        runner.invoke(app, ["explain", "delta", "-s", str(CURVES), "-f", "json"]).stdout
    )
    # delta needs 21.6 points on gamma; feasibility weighs 0.35: f must rise 61.71 from 30,
    # to 91.71, on the piece (8, 90)-(10, 100): x = 8 + 1.714 / 5 = 8.343
    change = doc["above"]["tie_changes"]["feasibility"]
    assert 2 + change == pytest.approx(8 + (30 + 21.6 / 0.35 - 90) / 5, abs=1e-9)


MODEL = """
[criteria.benefit]
[criteria.feasibility]
value_function = {curve}
[criteria.linkage]
better = "lower"
{linkage}
"""
OPTION = """
[[option]]
id = "a"
title = "A"
track = "other"
[option.scores]
benefit = 5
linkage = 5
{feasibility}
"""


@pytest.mark.parametrize(
    ("curve", "linkage", "feasibility", "line", "message"),
    [
        ("[[1, 0], [10, 100]]", "", "feasibility = 5", 4, "the scale's lo 0"),
        ("[[0, 0], [9, 100]]", "", "feasibility = 5", 4, "the scale's hi 10"),
        ("[[0, 0], [5, 50], [5, 60], [10, 100]]", "", "feasibility = 5", 4, "increase strictly"),
        ("[[0, 0], [5, 120], [10, 100]]", "", "feasibility = 5", 4, "outside 0-100"),
        ("[[0, 0], [5, 60], [7, 40], [10, 100]]", "", "feasibility = 5", 4, "non-decreasing"),
        ("[[0, 0], [10, 90]]", "", "feasibility = 5", 4, "must have value 100"),
        ("[[0, 10], [10, 100]]", "", "feasibility = 5", 4, "must have value 0"),
        ("[[0, 0]]", "", "feasibility = 5", 4, "at least 2 points"),
        (
            "[[0, 0], [10, 100]]",
            "value_function = [[0, 0], [10, 100]]",
            "feasibility = 5",
            7,
            "non-increasing",
        ),
        ("[[0, 0], [10, 100]]", "", "feasibility = { unknown = true, value = 5 }", 9, "no 'value'"),
        (
            "[[0, 0], [10, 100]]",
            "",
            "feasibility = { unknown = true, low = 8, high = 2 }",
            9,
            "low <= high",
        ),
        (
            "[[0, 0], [10, 100]]",
            "",
            "feasibility = { unknown = true, high = 12 }",
            9,
            "outside the scale",
        ),
        ("[[0, 0], [10, 100]]", "", "feasibility = { unknown = false }", 9, "true or absent"),
    ],
)
def test_each_rule_is_a_positioned_error(
    tmp_path: Path, curve: str, linkage: str, feasibility: str, line: int, message: str
) -> None:
    (tmp_path / "engage.toml").write_text(MODEL.format(curve=curve, linkage=linkage))
    (tmp_path / "a.toml").write_text(OPTION.format(feasibility=feasibility))
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    errors = [x for x in result.stderr.splitlines() if x.startswith("error:")]
    assert errors, result.stderr
    assert message in errors[0], errors
    name = "engage.toml" if line < 8 else "a.toml"
    assert f"{name}:" in errors[0]


def test_decouple_rescales_through_the_value_functions() -> None:
    doc = json.loads(runner.invoke(app, ["decouple", str(CURVES), "-f", "json"]).stdout)
    alpha = next(o for o in doc["options"] if o["id"] == "alpha")
    # b = 0.6; f = f(5)/100 = 0.65 (unknown 3-7: working value 5); l = 1 - f(2)/100 = 0.24
    assert alpha["delivered_standalone"] == pytest.approx(100 * 0.6 * 0.65)
    assert alpha["delivered_linked"] == pytest.approx(100 * 0.6 * 0.65 * (1 - 0.7 * 0.24))


@pytest.mark.parametrize("method", ["topsis", "promethee"])
def test_topsis_and_promethee_say_they_ignore_value_functions(method: str) -> None:
    result = runner.invoke(app, ["rank", str(CURVES), "-m", method])
    assert result.exit_code == 0
    assert f"{method} uses raw values and ignores the value functions" in result.stderr
    plain = runner.invoke(app, ["rank", str(CURVES)])
    assert "ignores the value functions" not in plain.stderr


@pytest.mark.parametrize("form", ["toml", "json"])
def test_export_round_trips_unknowns_and_value_functions(tmp_path: Path, form: str) -> None:
    exported = runner.invoke(app, ["export", str(CURVES), "-f", form]).stdout
    assert "unknown" in exported
    assert "value_function" in exported
    path = tmp_path / f"set.{form}"
    path.write_text(exported)
    again = runner.invoke(app, ["rank", str(path), "-f", "json"]).stdout
    assert again == runner.invoke(app, ["rank", str(CURVES), "-f", "json"]).stdout


def test_model_shows_each_value_function() -> None:
    table = runner.invoke(app, ["model", str(CURVES)]).stdout
    assert "value function of feasibility: 0 → 0, 2 → 30, 4 → 55" in table
    doc = json.loads(runner.invoke(app, ["model", str(CURVES), "-f", "json"]).stdout)
    assert doc["model"]["criteria"]["linkage"]["value_function"] == [[0, 100], [5, 40], [10, 0]]


# A worked example from the literature. The point sets are the two examples of MACBETH value
# functions, "defined by a set of points in the form (performance, value) ... in a
# piecewise linear way", given on M. R. Fernandes, "Fit Delta Function" (online tool page,
# research.miguelroquefernandes.com): increasing (0, 0), (1, 12.5), (2, 37.5), (3, 100) and
# decreasing (0, 100), (1, 37.5), (2, 12.5), (3, 0). The options and weights are ours; the
# figures below are worked by hand from those points.
LITERATURE_MODEL = """
[criteria.quality]
scale = [0, 3]
value_function = [[0, 0], [1, 12.5], [2, 37.5], [3, 100]]
[criteria.delay]
better = "lower"
scale = [0, 3]
value_function = [[0, 100], [1, 37.5], [2, 12.5], [3, 0]]
[profiles.even]
weights = { quality = 0.5, delay = 0.5 }
"""
LITERATURE_OPTIONS = """
[[option]]
id = "x"
title = "X"
track = "other"
scores = { quality = 1.5, delay = 0.5 }
[[option]]
id = "y"
title = "Y"
track = "other"
scores = { quality = 3, delay = 3 }
"""


def test_a_worked_macbeth_example(tmp_path: Path) -> None:
    (tmp_path / "engage.toml").write_text(LITERATURE_MODEL)
    (tmp_path / "set.toml").write_text(LITERATURE_OPTIONS)
    doc = json.loads(runner.invoke(app, ["rank", str(tmp_path), "-f", "json"]).stdout)
    scores = {o["id"]: o["score"] for o in doc["options"]}
    # x: quality 1.5 is halfway from 12.5 to 37.5 = 25; delay 0.5 halfway from 100 to 37.5
    # = 68.75; 0.5·25 + 0.5·68.75 = 46.875. y: 0.5·100 + 0.5·0 = 50.
    assert scores == {"y": pytest.approx(50.0), "x": pytest.approx(46.875)}
    explained = runner.invoke(app, ["explain", "x", "-s", str(tmp_path), "-f", "json"]).stdout
    changes = json.loads(explained)["above"]["tie_changes"]
    # 3.125 points behind at weight 0.5: quality's value must reach 25 + 6.25 = 31.25, on
    # the piece (1, 12.5)-(2, 37.5): 1 + 18.75/25 = 1.75, a change of +0.25
    assert changes["quality"] == pytest.approx(0.25)
    # delay's value must reach 68.75 + 6.25 = 75 on (0, 100)-(1, 37.5): 0.4, a change of -0.1
    assert changes["delay"] == pytest.approx(-0.1)


def test_robustness_draws_unknown_scores_uniformly() -> None:
    import numpy as np

    from engage.analysis.draws import ScoreDraws
    from engage.io.loader import load

    option_set = load([str(CURVES)])
    options = list(option_set.options)
    draws = ScoreDraws(options, option_set.model, seed=3).draw(20000)
    alpha = options.index(next(o for o in options if o.id == "alpha"))
    feasibility = draws[:, alpha, 1]  # unknown in 3-7: uniform, so flat quartiles
    assert feasibility.min() >= 3
    assert feasibility.max() <= 7
    assert np.quantile(feasibility, [0.25, 0.5, 0.75]) == pytest.approx([4, 5, 6], abs=0.05)
    benefit = draws[:, alpha, 0]  # 6 in 4-8, written: triangular, quartiles nearer the mode
    assert np.quantile(benefit, 0.25) == pytest.approx(4 + 2 * 0.5**0.5, abs=0.05)


def test_import_reads_an_empty_cell_or_a_question_mark_as_unknown(tmp_path: Path) -> None:
    exported = runner.invoke(app, ["export", str(CURVES), "-f", "csv"]).stdout
    assert ",?," in exported  # export writes unknown values as ?
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(exported.replace(",?,", ",,", 1))  # alpha's as an empty cell instead
    target = tmp_path / "set"
    target.mkdir()
    (target / "engage.toml").write_text((CURVES / "engage.toml").read_text())
    result = runner.invoke(app, ["import", str(sheet), "--set", str(target), "-q"])
    assert result.exit_code == 0, result.output
    assert "unknown = true" in (target / "alpha.toml").read_text()
    assert "unknown = true" in (target / "delta.toml").read_text()
    again = runner.invoke(app, ["rank", str(target), "-f", "json"]).stdout
    assert again == runner.invoke(app, ["rank", str(CURVES), "-f", "json"]).stdout
