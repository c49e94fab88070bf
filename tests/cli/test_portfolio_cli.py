"""`engage portfolio` through the CLI: every flag, every format, the JSON keys of docs/methods.md#portfolios-under-limited-resources,
the bad inputs and their exit codes, and independence from file order."""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import OPTIONS, ROOT, Run

FIXTURE = ROOT / "tests" / "golden" / "portfolio-set"
LENS_KEYS = {"model", "method", "score_unit", "profile", "weights"}
SPEC_KEYS = {
    "objective",
    "limits",
    "constraints",
    "selected",
    "value",
    "used",
    "binding",
    "left_out",
    "alternative_optimum",
    "marginal",
}


@pytest.fixture
def fixture_set(tmp_path: Path) -> Path:
    """A copy of tests/golden/portfolio-set: budget (60) and staff (6) limited, flights
    unlimited; aid, banks, clinics, envoy, roadmap (requires banks, conflicts envoy),
    sanctions (screened out) and water."""
    target = tmp_path / "set"
    shutil.copytree(FIXTURE, target)
    return target


def as_json(text: str) -> dict[str, Any]:
    document = json.loads(text)
    assert isinstance(document, dict)
    return document


def portfolio(run: Run, path: Path, *args: str) -> dict[str, Any]:
    result = run("portfolio", str(path), *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return as_json(result.stdout)


def chosen(document: dict[str, Any]) -> list[str]:
    return sorted(s["id"] for s in document["selected"])


def add_to(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- the document -------------------------------------------------------------------------


def test_json_has_the_spec_keys_the_lens_keys_and_the_optimum(run: Run, fixture_set: Path) -> None:
    document = portfolio(run, fixture_set)
    assert document["engage"] == 1
    assert document["command"] == "portfolio"
    assert set(document) >= SPEC_KEYS | LENS_KEYS
    assert "frontier" not in document
    assert "selection" not in document
    assert document["objective"] == "score"
    assert document["limits"] == {"budget": 60, "staff": 6, "flights": None}
    assert document["constraints"] == {
        "max_options": None,
        "min_track": {"humanitarian": 1},
        "max_track": {"political": 1},
        "require": [],
        "exclude": [],
    }
    assert chosen(document) == ["aid", "clinics", "envoy", "water"]
    assert document["value"] == 224.0
    assert document["used"] == {"budget": 53.0, "flights": 6.0, "staff": 5.0}
    assert document["binding"] == ["budget"]  # staff 5/6: more of it would not help
    assert document["selected"][0] == {
        "id": "aid",
        "title": "Life-saving aid",
        "track": "humanitarian",
        "value": 73.0,
        "costs": {"budget": 30, "flights": 4, "staff": 1},
    }
    assert document["left_out"] == [
        {
            "id": "banks",
            "value": 57.0,
            "reason": "would exceed budget by 3; would exceed staff by 1",
        },
        {
            "id": "roadmap",
            "value": 33.0,
            "reason": "would exceed staff by 1; requires banks (not chosen); conflicts with envoy; "
            "max-track political",
        },
    ]
    assert document["alternative_optimum"] is None
    assert document["marginal"] == {
        "budget": {"step": 6.0, "value_gain": 18.0, "adds": ["banks"], "drops": ["envoy"]},
        "staff": {"step": 0.6000000000000001, "value_gain": 0.0, "adds": [], "drops": []},
    }
    assert document["screened_out"] == [{"id": "sanctions", "rule": "max linkage 9", "value": 10}]


def test_values_are_the_rankings_weighted_sum_points(run: Run, fixture_set: Path) -> None:
    """Under -p and -w alike, each option's value is its score in `rank`."""
    for lens in ([], ["-p", "even"], ["-w", "benefit=2,feasibility=1,linkage=1"]):
        ranked = as_json(run("rank", str(fixture_set), *lens, "-f", "json").stdout)
        scores = {o["id"]: o["score"] for o in ranked["options"]}
        document = portfolio(run, fixture_set, *lens)
        rows = document["selected"] + document["left_out"]
        assert {r["id"]: r["value"] for r in rows} == scores
        assert document["weights"] == ranked["weights"]
        assert document["profile"] == ranked["profile"]


def test_another_method_is_a_usage_error(run: Run, fixture_set: Path) -> None:
    for method in ("topsis", "promethee"):
        result = run("portfolio", str(fixture_set), "-m", method)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: portfolio adds up weighted-sum points")
    assert run("portfolio", str(fixture_set), "-m", "weighted-sum").exit_code == 0


def test_delivered_values_are_decouples_at_the_stall_probability(
    run: Run, fixture_set: Path
) -> None:
    for extra, p in (([], 0.6), (["--stall-probability", "0.9"], 0.9)):
        linked = as_json(run("decouple", str(fixture_set), *extra, "-f", "json").stdout)
        delivered = {o["id"]: o["delivered_linked"] for o in linked["options"]}
        document = portfolio(run, fixture_set, "--objective", "delivered", *extra)
        assert document["objective"] == "delivered"
        assert document["stall_probability"] == p
        rows = document["selected"] + document["left_out"]
        assert {r["id"]: r["value"] for r in rows} == delivered
    assert portfolio(run, fixture_set)["stall_probability"] is None


def test_bad_objective_and_stall_probability_are_usage_errors(run: Run, fixture_set: Path) -> None:
    result = run("portfolio", str(fixture_set), "--objective", "deliver")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: unknown objective 'deliver'\nhint: did you mean 'delivered'?\n",
    )
    result = run(
        "portfolio", str(fixture_set), "--objective", "delivered", "--stall-probability", "2"
    )
    assert result.exit_code == 2
    assert "--stall-probability must lie in [0, 1]" in result.stderr


# -- constraints --------------------------------------------------------------------------


def test_limit_overrides_the_model_one_resource_at_a_time(run: Run, fixture_set: Path) -> None:
    document = portfolio(run, fixture_set, "--limit", "budget=200")
    assert document["limits"] == {"budget": 200.0, "staff": 6, "flights": None}
    assert document["used"]["staff"] <= 6
    limits = ["--limit", "budget=200,staff=100", "--limit", "flights=4"]
    both = portfolio(run, fixture_set, *limits, "-t", "humanitarian")
    assert both["limits"] == {"budget": 200.0, "staff": 100.0, "flights": 4.0}
    assert both["used"]["flights"] <= 4
    assert chosen(both) == ["aid"]
    missing = run("portfolio", str(fixture_set), *limits)  # flights: four options uncosted
    assert missing.exit_code == 1
    assert "missing: banks (flights); envoy (flights)" in missing.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("budgt=3", "error: --limit: unknown resource 'budgt'\nhint: did you mean 'budget'?\n"),
        ("budget=-1", "error: --limit budget: -1 is below 0\n"),
        ("budget=x", "error: --limit: 'x' is not a number (in 'budget=x')\n"),
        ("budget", "error: --limit: expected CRITERION=NUMBER, got 'budget'\n"),
    ],
)
def test_bad_limits_are_usage_errors(run: Run, fixture_set: Path, value: str, message: str) -> None:
    result = run("portfolio", str(fixture_set), "--limit", value)
    assert (result.exit_code, result.stderr) == (2, message)


def test_max_options_and_track_bounds_hold_and_override_the_model(
    run: Run, fixture_set: Path
) -> None:
    document = portfolio(run, fixture_set, "--max-options", "2")
    assert len(document["selected"]) == 2
    assert document["constraints"]["max_options"] == 2
    document = portfolio(
        run, fixture_set, "--max-track", "political=0", "--max-track", "security=0"
    )
    assert document["constraints"]["max_track"] == {"political": 0, "security": 0}
    assert not {s["track"] for s in document["selected"]} & {"political", "security"}
    document = portfolio(run, fixture_set, "--min-track", "humanitarian=2,economic=1")
    assert document["constraints"]["min_track"] == {"economic": 1, "humanitarian": 2}
    tracks = [s["track"] for s in document["selected"]]
    assert tracks.count("humanitarian") >= 2
    assert tracks.count("economic") >= 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--min-track", "humanitarian=1.5"], "expected a whole number 0 or more, got 1.5"),
        (["--max-track", "political=-1"], "expected a whole number 0 or more, got -1"),
        (["--min-track", "humanitarain=1"], "unknown track 'humanitarain'"),
        (["--max-options", "-1"], "Usage: "),
    ],
)
def test_bad_counts_and_tracks_are_usage_errors(
    run: Run, fixture_set: Path, args: list[str], message: str
) -> None:
    result = run("portfolio", str(fixture_set), *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_require_and_exclude_fix_options(run: Run, fixture_set: Path) -> None:
    document = portfolio(run, fixture_set, "--require", "banks", "--exclude", "aid")
    assert "banks" in chosen(document)
    assert "aid" not in chosen(document)
    assert document["constraints"]["require"] == ["banks"]
    assert document["constraints"]["exclude"] == ["aid"]
    aid = next(x for x in document["left_out"] if x["id"] == "aid")
    assert aid["reason"].endswith("excluded")


def test_requires_and_conflicts_hold(run: Run, fixture_set: Path) -> None:
    """roadmap requires banks and conflicts with envoy: requiring it brings banks in and
    keeps envoy out."""
    document = portfolio(run, fixture_set, "--require", "roadmap", "--limit", "budget=100")
    assert {"roadmap", "banks"} <= set(chosen(document))
    assert "envoy" not in chosen(document)


def test_an_unknown_id_in_require_or_exclude_is_a_usage_error(run: Run, fixture_set: Path) -> None:
    result = run("portfolio", str(fixture_set), "--require", "bank")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --require: unknown option id 'bank'\nhint: did you mean 'banks'?\n",
    )
    assert run("portfolio", str(fixture_set), "--exclude", "zzz").exit_code == 2


def test_filters_choose_among_the_options_that_pass_them(run: Run, fixture_set: Path) -> None:
    document = portfolio(run, fixture_set, "-t", "humanitarian", "-t", "economic")
    ids = {r["id"] for r in document["selected"] + document["left_out"]}
    assert ids == {"aid", "banks", "clinics"}
    document = portfolio(run, fixture_set, "--min", "feasibility=6", "--max", "linkage=2")
    ids = {r["id"] for r in document["selected"] + document["left_out"]}
    assert ids == {"clinics"}
    assert {s["id"] for s in document["screened_out"]} >= {"aid", "banks", "sanctions"}
    add_to(fixture_set / "options.toml", 'id = "water"\n', 'id = "water"\ntags = ["regional"]\n')
    assert chosen(
        portfolio(run, fixture_set, "--tag", "regional", "--min-track", "humanitarian=0")
    ) == ["water"]


# -- frontier and draws -------------------------------------------------------------------


def test_frontier_points_ascend_and_improve(run: Run, fixture_set: Path) -> None:
    document = portfolio(run, fixture_set, "--frontier", "budget")
    points = document["frontier"]
    assert document["frontier_resource"] == "budget"
    assert [p["limit"] for p in points] == sorted({p["limit"] for p in points})
    assert all(a["value"] < b["value"] for a, b in itertools.pairwise(points))
    for p in points:
        assert p["used"]["budget"] == p["limit"]
        assert p["used"]["staff"] <= 6
    at_limit = [p for p in points if p["limit"] <= 60][-1]
    assert at_limit["value"] == document["value"]
    assert sorted(at_limit["options"]) == chosen(document)
    top = portfolio(run, fixture_set, "--frontier", "budget", "--points", "2")["frontier"]
    assert top == points[-2:]


def test_frontier_of_an_unknown_resource_is_a_usage_error(run: Run, fixture_set: Path) -> None:
    result = run("portfolio", str(fixture_set), "--frontier", "budgt")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --frontier: unknown resource 'budgt'\nhint: did you mean 'budget'?\n",
    )
    assert (
        run("portfolio", str(fixture_set), "--frontier", "budget", "--points", "0").exit_code == 2
    )


def test_draws_are_seeded_and_classify_every_candidate(run: Run, fixture_set: Path) -> None:
    document = portfolio(run, fixture_set, "--draws", "300", "--seed", "5")
    assert (document["draws"], document["seed"], document["weights_from"]) == (300, 5, "local")
    assert document["concentration"] == 50.0
    selection = document["selection"]
    assert [s["id"] for s in selection] == sorted(s["id"] for s in selection)
    for s in selection:
        assert 0 <= s["p_selected"] <= 1
        expected = {1.0: "core", 0.0: "exterior"}.get(s["p_selected"], "borderline")
        assert s["class"] == expected
    assert portfolio(run, fixture_set, "--draws", "300", "--seed", "5") == document
    assert portfolio(run, fixture_set, "--draws", "300", "--seed", "6") != document


def test_draws_without_anything_to_draw_are_core_or_exterior(run: Run, fixture_set: Path) -> None:
    """Fixed weights and no ranges: every draw is the written problem."""
    text = (fixture_set / "options.toml").read_text(encoding="utf-8")
    table = tomllib.loads(text)
    for option in table["option"]:
        option["scores"] = {
            k: v["value"] if isinstance(v, dict) else v for k, v in option["scores"].items()
        }
        option["costs"] = {
            k: v["value"] if isinstance(v, dict) else v for k, v in option["costs"].items()
        }
    import tomli_w

    (fixture_set / "options.toml").write_text(tomli_w.dumps(table), encoding="utf-8")
    document = portfolio(run, fixture_set, "--draws", "20", "--weights-from", "profile")
    classes = {s["id"]: s["class"] for s in document["selection"]}
    assert {k for k, v in classes.items() if v == "core"} == set(chosen(document))
    assert set(classes.values()) == {"core", "exterior"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--weights-from", "loca"], "unknown --weights-from mode 'loca'"),
        (["--concentration", "0"], "--concentration must be a positive number, got 0"),
        (["--draws", "-1"], "Usage: "),
        (["--seed", "-1"], "Usage: "),
    ],
)
def test_bad_draw_settings_are_usage_errors(
    run: Run, fixture_set: Path, args: list[str], message: str
) -> None:
    result = run("portfolio", str(fixture_set), "--draws", "10", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_weights_from_and_concentration_reach_the_draws(run: Run, fixture_set: Path) -> None:
    local = portfolio(run, fixture_set, "--draws", "200")
    wide = portfolio(run, fixture_set, "--draws", "200", "--concentration", "2")
    any_weights = portfolio(run, fixture_set, "--draws", "200", "--weights-from", "any")
    assert wide["concentration"] == 2.0
    assert any_weights["weights_from"] == "any"
    assert len({json.dumps(d["selection"]) for d in (local, wide, any_weights)}) == 3


# -- formats ------------------------------------------------------------------------------


def test_every_format_writes_one_row_per_candidate(
    run: Run, fixture_set: Path, tmp_path: Path
) -> None:
    result = run("portfolio", str(fixture_set), "-f", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == [
        "id",
        "title",
        "track",
        "value",
        "selected",
        "budget",
        "staff",
        "flights",
        "reason",
    ]
    assert [r[0] for r in rows[1:]] == ["aid", "clinics", "water", "envoy", "banks", "roadmap"]
    assert [r[4] for r in rows[1:]] == ["true"] * 4 + ["false"] * 2
    assert rows[3][5:8] == ["2", "1", ""]
    tsv = run("portfolio", str(fixture_set), "-f", "tsv").stdout.splitlines()
    assert tsv[0].split("\t") == rows[0]
    ndjson = [
        json.loads(line)
        for line in run("portfolio", str(fixture_set), "-f", "ndjson").stdout.splitlines()
    ]
    assert [r["id"] for r in ndjson] == [r[0] for r in rows[1:]]
    assert ndjson[-1]["reason"].startswith("would exceed staff by 1")
    drawn = run("portfolio", str(fixture_set), "--draws", "20", "-f", "csv").stdout.splitlines()
    assert drawn[0].endswith(",reason,p_selected,class")
    for fmt in ("table", "markdown", "svg", "html"):
        result = run(
            "portfolio", str(fixture_set), "--frontier", "budget", "--draws", "20", "-f", fmt
        )
        assert result.exit_code == 0, result.stderr
        assert "aid" in result.stdout
    assert (
        "efficient frontier over budget"
        in run("portfolio", str(fixture_set), "--frontier", "budget").stdout
    )
    assert run("portfolio", str(fixture_set), "-f", "ids").exit_code == 2
    out = tmp_path / "p.json"
    assert run("portfolio", str(fixture_set), "-f", "json", "-o", str(out)).stdout == ""
    assert as_json(out.read_text(encoding="utf-8"))["value"] == 224.0


def test_quiet_silences_notes_not_errors(run: Run, fixture_set: Path) -> None:
    noisy = run("portfolio", str(fixture_set), "-w", "benefit=2,feasibility=1,linkage=1")
    assert noisy.stderr.startswith("note: weights sum to 4")
    quiet = run("portfolio", str(fixture_set), "-w", "benefit=2,feasibility=1,linkage=1", "-q")
    assert (quiet.exit_code, quiet.stderr) == (0, "")
    assert quiet.stdout == noisy.stdout
    assert run("portfolio", str(fixture_set), "-q", "--limit", "x=1").stderr != ""


# -- bad input ----------------------------------------------------------------------------


def test_a_missing_cost_for_a_limited_resource_lists_the_options(
    run: Run, fixture_set: Path
) -> None:
    add_to(fixture_set / "options.toml", "budget = 1\nstaff = 2\n", "budget = 1\n")
    result = run("portfolio", str(fixture_set))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "error: [missing-cost] a cost is needed for every resource with a limit (an unknown "
        "cost is not a zero cost); missing: envoy (staff)\n"
    )
    assert run("rank", str(fixture_set)).exit_code == 0  # other commands ignore costs
    strict = run("validate", str(fixture_set), "--strict")
    assert "[no-cost] option[3].costs: no cost for 'staff'" in strict.stderr
    relaxed = portfolio(run, fixture_set, "--exclude", "envoy", "-t", "humanitarian")
    assert chosen(relaxed) == ["aid", "clinics"]


def test_infeasible_limits_name_the_constraints_and_the_cause(run: Run, fixture_set: Path) -> None:
    result = run("portfolio", str(fixture_set), "--limit", "budget=10", "--require", "aid")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "error: [infeasible] no portfolio meets the constraints in force (budget ≤ 10, staff ≤ 6, "
        "min-track humanitarian=1, max-track political=1, require aid, the options' requires and "
        "conflicts): the required options (aid) alone need budget 30, over 10\n"
    )
    result = run("portfolio", str(fixture_set), "--min-track", "humanitarian=3")
    assert result.exit_code == 1
    assert result.stderr.endswith("min-track humanitarian=3 but the track has 2 candidate(s)\n")


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        (
            'requires = ["banks"]',
            'requires = ["bank"]',
            "error: {f}:56:13: [unknown-id] option[4].requires[0]: no option of the set has the "
            "id 'bank'\nhint: did you mean 'banks'?\n",
        ),
        (
            'conflicts = ["roadmap"]',
            'conflicts = ["envoy"]',
            "error: {f}:43:14: [bad-link] option[3].conflicts[0]: 'envoy' is this option itself\n",
        ),
        (
            "budget = 10\n",
            "budget = -10\n",
            "error: {f}:23:10: [out-of-range] option[1].costs.budget.value: cost -10 is below 0\n",
        ),
        (
            "budget = 10\n",
            "budgte = 10\n",
            "error: {f}:23:1: [unknown-resource] option[1].costs.budgte: 'budgte' is not a "
            "resource of the model (budget, staff, flights)\nhint: did you mean 'budget'?\n",
        ),
        (
            "budget = { value = 20, low = 15, high = 30 }",
            "budget = { value = 20, low = 25, high = 30 }",
            "error: {f}:35:1: [bad-range] option[2].costs.budget: needs low <= value <= high, got "
            "25 <= 20 <= 30\n",
        ),
        (
            "staff = { value = 1, low = 0.5, high = 2 }",
            "staff = { value = nan }",
            "error: {f}:87:19: [bad-number] option[6].costs.staff.value: expected a finite "
            "number, got nan\n",
        ),
    ],
)
def test_bad_costs_and_links_are_positioned_errors(
    run: Run, fixture_set: Path, old: str, new: str, line: str
) -> None:
    add_to(fixture_set / "options.toml", old, new)
    f = str(fixture_set / "options.toml")
    for command in ("validate", "portfolio", "rank"):
        result = run(command, str(fixture_set))
        assert result.exit_code == 1
        assert result.stderr.startswith(line.format(f=f)), result.stderr


def test_a_model_without_resources_has_no_limits(run: Run, tmp_path: Path) -> None:
    """A set without resources: every option worth something is chosen (other
    constraints permitting), and a cost is an error naming the missing declaration."""
    shutil.copytree(OPTIONS, tmp_path / "set")
    model = tmp_path / "set" / "engage.toml"
    text = model.read_text(encoding="utf-8")
    model.write_text(text[: text.index("\n# What the options use up")] + "\n", encoding="utf-8")
    result = run("validate", str(tmp_path / "set"))
    assert result.exit_code == 1
    assert "it declares none: [resources.ID]" in result.stderr
    for path in (tmp_path / "set").glob("*.toml"):
        if path.name != "engage.toml":
            table = tomllib.loads(path.read_text(encoding="utf-8"))
            for option in table["option"]:
                option.pop("costs", None)
            import tomli_w

            path.write_text(tomli_w.dumps(table), encoding="utf-8")
    document = portfolio(run, tmp_path / "set")
    assert document["limits"] == {}
    ranked = as_json(run("rank", str(tmp_path / "set"), "-f", "json").stdout)
    # every ranked option but one side of the set's one conflict (gender-persecution-sanctions
    # with travel-ban-exemptions); the requires chains can all be met
    left = {o["id"] for o in ranked["options"]} - {o["id"] for o in document["selected"]}
    assert len(left) == 1
    assert left <= {"gender-persecution-sanctions", "travel-ban-exemptions"}
    result = run("portfolio", str(tmp_path / "set"), "--limit", "budget=1")
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        2,
        "error: --limit: the model declares no resources",
    )


# -- determinism --------------------------------------------------------------------------


def test_shuffled_files_give_the_same_bytes(run: Run, tmp_path: Path) -> None:
    """The shipped options spread over files whose names sort in another order each time."""
    texts = sorted(p for p in OPTIONS.glob("*.toml") if p.name != "engage.toml")
    outputs = set()
    for seed in range(3):
        target = tmp_path / f"set{seed}"
        target.mkdir()
        shutil.copy(OPTIONS / "engage.toml", target / "engage.toml")
        order = list(texts)
        random.Random(seed).shuffle(order)
        for k, path in enumerate(order):
            shutil.copy(path, target / f"{k:02}.toml")
        for args in (
            ["-f", "json"],
            ["--draws", "50", "--frontier", "budget"],
            ["--objective", "delivered", "-f", "csv"],
        ):
            result = run("portfolio", str(target), *args)
            assert result.exit_code == 0, result.stderr
            outputs.add((tuple(args), result.stdout.replace(str(target), "SET")))
    assert len(outputs) == 3


def test_the_shipped_set_has_a_portfolio_under_its_limits(run: Run) -> None:
    document = portfolio(run, OPTIONS)
    assert document["limits"] == {"budget": 150, "staff": 10}
    assert document["used"]["budget"] <= 150
    assert document["used"]["staff"] <= 10
    assert [s["track"] for s in document["selected"]].count("political") <= 1
    if "trans-afghan-railway" in chosen(document):  # it requires the ceasefire
        assert "pak-afg-ceasefire" in chosen(document)
    assert document["left_out"]
