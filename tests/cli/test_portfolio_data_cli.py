"""Resources, costs, requires and conflicts through model, export, import, diff, schema and
report (the portfolio data (docs/methods.md#portfolios-under-limited-resources) in the commands that are not `portfolio`)."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import jsonschema
import pytest

from engage.io.loader import load
from tests.conftest import OPTIONS, ROOT, Run

FIXTURE = ROOT / "tests" / "golden" / "portfolio-set"


@pytest.fixture
def fixture_set(tmp_path: Path) -> Path:
    target = tmp_path / "set"
    shutil.copytree(FIXTURE, target)
    return target


def test_exported_toml_and_json_give_the_same_portfolio(
    run: Run, fixture_set: Path, tmp_path: Path
) -> None:
    args = ["--frontier", "budget", "--draws", "30", "-f", "json"]
    original = run("portfolio", str(fixture_set), *args).stdout
    for fmt in ("toml", "json"):
        exported = tmp_path / f"all.{fmt}"
        assert run("export", str(fixture_set), "-f", fmt, "-o", str(exported)).exit_code == 0
        assert run("portfolio", str(exported), *args).stdout == original
    document = json.loads(run("export", str(fixture_set), "-f", "json").stdout)
    assert document["model"]["resources"]["flights"] == {"label": "Charter flights"}
    assert document["model"]["portfolio"] == {
        "min_track": {"humanitarian": 1},
        "max_track": {"political": 1},
    }
    roadmap = next(o for o in document["options"] if o["id"] == "roadmap")
    assert roadmap["requires"] == ["banks"]
    assert roadmap["costs"] == {
        "budget": {"value": 2, "low": 2, "high": 2},
        "staff": {"value": 2, "low": 2, "high": 2},
    }


def test_model_toml_reads_back_as_the_same_model(run: Run, fixture_set: Path) -> None:
    text = run("model", str(fixture_set), "-f", "toml").stdout
    written = tomllib.loads(text)
    assert written["resources"]["budget"] == {
        "label": "Programme budget",
        "unit": "USD m per year",
        "limit": 60,
    }
    (fixture_set / "engage.toml").write_text(text, encoding="utf-8")
    assert load([str(fixture_set)]).model == load([str(FIXTURE)]).model
    table = run("model", str(fixture_set)).stdout
    assert "resource budget (Programme budget, USD m per year): limit 60" in table
    assert "resource flights (Charter flights): no limit" in table
    assert "portfolio: min-track humanitarian=1, max-track political=1" in table


def test_a_model_without_resources_shows_none(run: Run) -> None:
    fixture = ROOT / "tests" / "golden" / "fixture-set"
    assert "resource" not in run("model", str(fixture)).stdout
    assert "resources" not in tomllib.loads(run("model", str(fixture), "-f", "toml").stdout)


def test_diff_shows_costs_links_and_limits_as_changes(
    run: Run, fixture_set: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old"
    shutil.copytree(fixture_set, old)
    options = fixture_set / "options.toml"
    text = options.read_text(encoding="utf-8").replace("budget = 10\n", "budget = 12\n", 1)
    text = text.replace('requires = ["banks"]', 'requires = ["banks", "water"]')
    options.write_text(text, encoding="utf-8")
    model = fixture_set / "engage.toml"
    model.write_text(
        model.read_text(encoding="utf-8").replace("limit = 60", "limit = 70"), encoding="utf-8"
    )
    document = json.loads(run("diff", str(old), str(fixture_set), "-f", "json").stdout)
    changed = {c["id"]: c["fields"] for c in document["changed"]}
    assert changed["banks"]["costs.budget.value"] == [10, 12]
    assert changed["roadmap"]["requires"] == [["banks"], ["banks", "water"]]
    assert document["model_changes"] == [{"path": "resources.budget.limit", "old": 60, "new": 70}]


def test_import_reads_cost_columns_and_links(run: Run, fixture_set: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "id,title,track,benefit,feasibility,linkage,cost_budget,cost_budget_low,cost_budget_high,"
        "cost_budget_rationale,cost_staff,requires,conflicts\n"
        "depot,Food depot,humanitarian,6,5,1,8,5,12,warehouse rent,1,aid,envoy | roadmap\n",
        encoding="utf-8",
    )
    result = run("import", str(sheet), "--set", str(fixture_set))
    assert result.exit_code == 0, result.stderr
    written = tomllib.loads((fixture_set / "depot.toml").read_text(encoding="utf-8"))["option"][0]
    assert written["requires"] == ["aid"]
    assert written["conflicts"] == ["envoy", "roadmap"]
    assert written["costs"] == {
        "budget": {"value": 8, "low": 5, "high": 12, "rationale": "warehouse rent"},
        "staff": 1,
    }
    document = json.loads(run("portfolio", str(fixture_set), "-f", "json").stdout)
    assert "depot" in {r["id"] for r in document["selected"] + document["left_out"]}


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        (
            "cost_budgt",
            "3",
            "error: {f}:1:44: [unknown-column] row 1 column cost_budgt: unknown column "
            "'cost_budgt'\nhint: did you mean 'cost_budget'?\n",
        ),
        (
            "cost_budget",
            "-3",
            "error: {f}:2:20: [out-of-range] row 2 column cost_budget: cost -3 is below 0\n",
        ),
        (
            "requires",
            "nobody",
            "error: {f}:2:20: [unknown-id] row 2 column requires: no option of the set has the id "
            "'nobody'\n",
        ),
    ],
)
def test_bad_cost_and_link_cells_are_reported_at_the_cell(
    run: Run, fixture_set: Path, tmp_path: Path, header: str, row: str, message: str
) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        f"id,title,track,benefit,feasibility,linkage,{header}\nx,X,economic,1,2,3,{row}\n",
        encoding="utf-8",
    )
    result = run("import", str(sheet), "--set", str(fixture_set))
    assert (result.exit_code, result.stderr) == (1, message.format(f=sheet))
    assert not (fixture_set / "x.toml").exists()


def test_the_option_schema_knows_the_resources(run: Run, fixture_set: Path) -> None:
    schema = json.loads(run("schema", "-s", str(fixture_set)).stdout)
    validator = jsonschema.Draft202012Validator(schema)
    data = tomllib.loads((fixture_set / "options.toml").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(data)) == []
    data["option"][0]["costs"]["budgt"] = 1
    data["option"][1]["costs"]["budget"] = -1
    assert len(list(validator.iter_errors(data))) == 2
    shipped = json.loads(run("schema").stdout)
    for path in OPTIONS.glob("*.toml"):
        if path.name != "engage.toml":
            text = tomllib.loads(path.read_text(encoding="utf-8"))
            assert list(jsonschema.Draft202012Validator(shipped).iter_errors(text)) == []


def test_report_has_a_portfolio_section_only_with_a_limited_resource(
    run: Run, fixture_set: Path, tmp_path: Path
) -> None:
    html = run("report", str(fixture_set), "--draws", "200", "-f", "html").stdout
    assert ">Portfolio under the resource limits</h2>" in html
    assert 'aria-label="Efficient frontier over budget"' in html
    markdown = run("report", str(fixture_set), "--draws", "200", "-f", "markdown").stdout
    assert "## Portfolio under the resource limits" in markdown
    assert "#### Efficient frontier over budget" in markdown
    fixture = ROOT / "tests" / "golden" / "fixture-set"
    assert (
        "Portfolio under"
        not in run("report", str(fixture), "--draws", "200", "-f", "markdown").stdout
    )
    model = fixture_set / "engage.toml"
    text = model.read_text(encoding="utf-8").replace("[resources.budget]", "[resources.budget]", 1)
    model.write_text(
        text.replace("min_track = { humanitarian = 1 }", "min_track = { humanitarian = 3 }"),
        encoding="utf-8",
    )
    result = run("report", str(fixture_set), "--draws", "200", "-f", "markdown")
    assert result.exit_code == 0
    assert "No portfolio could be made: \\[infeasible\\] no portfolio meets" in result.stdout
    assert "min-track humanitarian=3 but the track has 2 candidate(s)" in result.stdout


def test_new_takes_costs_and_says_which_limited_resources_lack_one(
    run: Run, fixture_set: Path
) -> None:
    base = ["--title", "T", "--track", "economic", "--score", "benefit=1", "--score"]
    base += ["feasibility=2", "--score", "linkage=3", "--set", str(fixture_set)]
    result = run("new", "fresh", *base, "--cost", "budget=2")
    assert result.exit_code == 0, result.stderr
    assert "note: portfolio needs a cost (--cost) for: staff\n" in result.stderr
    written = tomllib.loads((fixture_set / "fresh.toml").read_text(encoding="utf-8"))
    assert written["option"][0]["costs"] == {"budget": 2}
    result = run("new", "other", *base, "--cost", "budgt=2")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: unknown resource 'budgt'\nhint: did you mean 'budget'?\n",
    )
    result = run("new", "other", *base, "--cost", "budget=-2")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: [out-of-range] --cost budget: cost -2 is below 0\n",
    )
    assert not (fixture_set / "other.toml").exists()
