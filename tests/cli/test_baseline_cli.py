"""The model's baseline (docs/formats.md#the-model): scored like any option, never ranked."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MODEL, Run, option_toml

WITH_BASELINE = MODEL.replace('title = "Test model"\n', 'title = "Test model"\nbaseline = "now"\n')


def _files() -> dict[str, str]:
    return {
        # the baseline dominates every option: none of that may count
        "now.toml": option_toml("now", 9, 9, 0, track="humanitarian"),
        "a.toml": option_toml("a", 8, 5, 2),
        "b.toml": option_toml("b", 5, 8, 1, track="economic"),
        "c.toml": option_toml("c", 4, 4, 3),
    }


def _set(make_set: Callable[..., Path], model: str = WITH_BASELINE) -> str:
    name = "with" if "baseline =" in model else "without"
    return str(make_set(_files(), model=model, name=name))


def _json(run: Run, *args: str) -> dict:
    result = run(*args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_rank_json_keeps_the_baseline_apart(run: Run, make_set: Callable[..., Path]) -> None:
    doc = _json(run, "rank", _set(make_set), "-p", "main")
    assert [o["id"] for o in doc["options"]] == ["a", "b", "c"]
    assert [o["rank"] for o in doc["options"]] == [1, 2, 3]
    assert doc["baseline"] == {
        "id": "now",
        "title": "Option now",
        "score": 0.5 * 90 + 0.3 * 90 + 0.2 * 100,
        "scores": {"benefit": 9, "feasibility": 9, "linkage": 0},
    }
    for o in doc["options"]:
        assert o["vs_baseline"] == o["score"] - doc["baseline"]["score"]
    assert doc["options"][2]["dominated_by"] == ["a", "b"]  # not "now", which is no option
    assert [o["dominated_by"] for o in doc["options"][:2]] == [[], []]


def test_without_a_baseline_the_keys_are_null(run: Run, make_set: Callable[..., Path]) -> None:
    doc = _json(run, "rank", _set(make_set, MODEL), "-p", "main")
    assert doc["baseline"] is None
    assert doc["options"][0]["id"] == "now"
    assert all(o["vs_baseline"] is None for o in doc["options"])
    table = run("rank", _set(make_set, MODEL), "-f", "csv").stdout
    assert table.splitlines()[0] == "rank,id,title,track,score,benefit,feasibility,linkage"
    assert "baseline" not in run("rank", _set(make_set, MODEL)).stdout


def test_csv_tsv_ndjson_markdown_table(run: Run, make_set: Callable[..., Path]) -> None:
    path = _set(make_set)
    rows = list(csv.DictReader(io.StringIO(run("rank", path, "-p", "main", "-f", "csv").stdout)))
    assert [r["id"] for r in rows] == ["a", "b", "c", "now"]
    assert rows[-1]["rank"] == "baseline"
    assert float(rows[-1]["vs_baseline"]) == 0
    assert float(rows[0]["vs_baseline"]) == float(rows[0]["score"]) - float(rows[-1]["score"])
    tsv = run("rank", path, "-f", "tsv").stdout.splitlines()
    assert tsv[0].split("\t")[-1] == "vs_baseline"
    assert tsv[-1].startswith("baseline\tnow\t")
    lines = [json.loads(x) for x in run("rank", path, "-f", "ndjson").stdout.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b", "c"]
    assert "vs_baseline" in lines[0]
    assert run("rank", path, "-f", "ids").stdout == "a\nb\nc\n"
    markdown = run("rank", path, "-f", "markdown").stdout
    assert "| baseline | `now` |" in markdown
    assert "baseline: now at" in markdown
    table = run("rank", path).stdout
    assert "now baseline" in table
    assert "3 ranked" in table
    for fmt in ("svg", "html"):
        assert "baseline" in run("rank", path, "-f", fmt).stdout


def test_topsis_and_promethee_score_it_inside_the_set(
    run: Run, make_set: Callable[..., Path]
) -> None:
    for method in ("topsis", "promethee"):
        inside = _json(run, "rank", _set(make_set, MODEL), "-m", method)
        expected = next(o["score"] for o in inside["options"] if o["id"] == "now")
        doc = _json(run, "rank", _set(make_set), "-m", method)
        assert doc["baseline"]["score"] == expected
        table = run("rank", _set(make_set), "-m", method).stdout
        assert f"{method} scored it with the ranked options inside the set" in table


def test_analyses_leave_the_baseline_out(run: Run, make_set: Callable[..., Path]) -> None:
    path = _set(make_set)
    sensitivity = _json(run, "sensitivity", path)
    assert sensitivity["top"] == "a"
    assert "now" not in json.dumps(sensitivity["criteria"])
    robustness = _json(run, "robustness", path, "--draws", "200")
    assert sorted(o["id"] for o in robustness["options"]) == ["a", "b", "c"]
    assert all(len(o["rank_acceptability"]) == 3 for o in robustness["options"])
    decouple = _json(run, "decouple", path)
    assert sorted(o["id"] for o in decouple["options"]) == ["a", "b", "c"]
    tracks = _json(run, "tracks", path)
    assert "now" not in json.dumps(tracks)
    portfolio = _json(run, "portfolio", path)
    assert "now" not in [o["id"] for o in portfolio["selected"]]


def test_explain_the_baseline(run: Run, make_set: Callable[..., Path]) -> None:
    result = run("explain", "now", "-s", _set(make_set), "-p", "main")
    assert result.exit_code == 0, result.stderr
    assert "the baseline (carrying on as now): not ranked" in result.stdout


def test_model_export_and_diff_carry_it(run: Run, make_set: Callable[..., Path]) -> None:
    path = _set(make_set)
    assert _json(run, "model", path)["model"]["baseline"] == "now"
    assert "baseline (scored, not ranked): now" in run("model", path).stdout
    exported = run("export", path, "-f", "json").stdout
    again = json.loads(run("rank", "-", "-f", "json", input=exported).stdout)
    assert again["baseline"]["id"] == "now"
    diff = _json(run, "diff", _set(make_set, MODEL), path)
    assert {"path": "baseline", "old": None, "new": "now"} in diff["model_changes"]
    move = next(m for m in diff["moves"] if m["id"] == "now")
    assert move["new_rank"] is None
    assert move["new_score"] == move["old_score"]
    assert "1 → baseline" in run("diff", _set(make_set, MODEL), path).stdout


def test_report_works_with_a_baseline(run: Run, make_set: Callable[..., Path]) -> None:
    result = run("report", _set(make_set), "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "baseline" in result.stdout


def test_unknown_baseline_is_an_error_at_the_key(run: Run, make_set: Callable[..., Path]) -> None:
    path = _set(make_set, WITH_BASELINE.replace('"now"', '"nwo"'))
    for command in ("validate", "rank"):
        result = run(command, path)
        assert result.exit_code == 1
        assert (
            f"error: {path}/engage.toml:3:12: [unknown-baseline] baseline: no option of the set "
            "has the id 'nwo'" in result.stderr
        )
        assert "did you mean 'now'?" in result.stderr


def test_fast_and_full_path_agree(make_set: Callable[..., Path]) -> None:
    from engage.io.loader import load

    path = _set(make_set)
    assert load([path]).model.baseline == load([path], warnings=True).model.baseline == "now"
    bad = _set(make_set, WITH_BASELINE.replace('"now"', "3"))
    import pytest

    from engage.core.errors import InvalidInput

    for warnings in (False, True):
        with pytest.raises(InvalidInput):
            load([bad], warnings=warnings)


def test_rank_table_makes_room_for_the_baseline_row(
    run: Run, make_set: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # "base" and "ID baseline" are wider than the ranks and ids: counted in the layout, no
    # header is cut at any width.
    files = _files() | {"now.toml": option_toml("carry-on-as-now", 9, 9, 0)}
    folder = str(make_set(files, model=WITH_BASELINE.replace('"now"', '"carry-on-as-now"')))
    for width in (80, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        result = run("rank", folder, "-p", "main")
        assert result.exit_code == 0, result.stderr
        header = "\n".join(result.stdout.splitlines()[1:3])
        assert "…" not in header, (width, header)
        assert max(len(line) for line in result.stdout.splitlines()) <= width


def test_compare_names_the_baseline_as_the_baseline(
    run: Run, make_set: Callable[..., Path]
) -> None:
    result = run("compare", "-s", _set(make_set), "now", "a", "-p", "main")
    assert result.exit_code == 0, result.stderr
    assert "now is the model's baseline (score 92): scored, not ranked" in result.stdout
    assert "screened out" not in result.stdout
