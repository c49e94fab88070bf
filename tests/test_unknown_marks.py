"""The commands that list options mark those with unknown scores as `rank` does
(docs/output.md#unknown-scores): JSON ``unknown`` on the option's entry (``best_unknown``,
``top_unknown``, ``rival_unknown`` where the entry names the option by its role), a last
``unknown`` (``best_unknown``) column in CSV/TSV, `` ?`` after the id in tables and
Markdown with a footer line naming the criteria; nothing of it on a set without unknowns.

What is expected comes from the loaded set (Option.unknown), not from a written list.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from engage.cli import app
from engage.io.loader import load

GOLDEN = Path(__file__).parent / "golden"
CURVES = GOLDEN / "curves-set"
"""alpha's feasibility and delta's benefit are unknown."""
FIXTURE = GOLDEN / "fixture-set"
"""No unknown score."""

COMMANDS = {
    "robustness": ["robustness", "--draws", "200"],
    "decouple": ["decouple"],
    "tracks": ["tracks"],
    "sensitivity": ["sensitivity"],
    "portfolio": ["portfolio"],
}
ROWS = ("json", "ndjson", "csv", "tsv", "table", "markdown")
FORMATS = {"robustness": ROWS, "decouple": ROWS, "tracks": ROWS, "portfolio": ROWS}
FORMATS["sensitivity"] = ("json", "table", "markdown")
CASES = [(name, form) for name, forms in FORMATS.items() for form in forms]
LEGEND = "? unknown scores, scored at the midpoint of their range: "

runner = CliRunner()


def _run(command: str, path: Path, form: str) -> str:
    env = {"NO_COLOR": "1", "COLUMNS": "100", "TERMINAL_WIDTH": "100", "ENGAGE_SET": ""}
    result = runner.invoke(app, [*COMMANDS[command], str(path), "-f", form], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def _unknown(path: Path) -> dict[str, list[str]]:
    """Each option with unknown scores and their criteria in model order, from the set."""
    option_set = load([str(path)])
    criteria = option_set.model.criteria
    return {o.id: u for o in option_set.options if (u := o.unknown(criteria))}


def _listed(command: str, path: Path) -> list[str]:
    """The options the command lists, read from its JSON."""
    doc = json.loads(_run(command, path, "json"))
    if command == "tracks":
        return [t["best"] for t in doc["tracks"] if t["best"] is not None]
    if command == "sensitivity":
        return [doc["top"], *(t["rival"] for t in doc["score_ties"])]
    if command == "portfolio":
        return [o["id"] for o in (*doc["selected"], *doc["left_out"])]
    return [o["id"] for o in doc["options"]]


def _json_marks(command: str, text: str, form: str) -> dict[str, list[str]]:
    """id -> the unknown criteria the JSON (or NDJSON) gives it."""
    if command == "sensitivity":
        doc = json.loads(text)
        found = {doc["top"]: doc["top_unknown"]} if "top_unknown" in doc else {}
        for tie in doc["score_ties"]:
            if "rival_unknown" in tie:
                found[tie["rival"]] = tie["rival_unknown"]
        return found
    rows = _parsed(text, form)
    if isinstance(rows, dict) and command == "portfolio":
        rows = [*rows["selected"], *rows["left_out"]]
    elif isinstance(rows, dict):
        rows = rows["tracks" if command == "tracks" else "options"]
    if command == "tracks":
        return {t["best"]: t["best_unknown"] for t in rows if "best_unknown" in t}
    return {o["id"]: o["unknown"] for o in rows if "unknown" in o}


def _parsed(text: str, form: str) -> Any:
    """The JSON document, or NDJSON's rows."""
    if form == "ndjson":
        return [json.loads(line) for line in text.splitlines()]
    return json.loads(text)


def _delimited_marks(command: str, text: str, form: str) -> dict[str, list[str]] | None:
    """id -> criteria from the last column, or None when there is no such column."""
    rows = list(csv.reader(io.StringIO(text), delimiter="\t" if form == "tsv" else ","))
    header, body = rows[0], rows[1:]
    column = "best_unknown" if command == "tracks" else "unknown"
    assert header.count(column) <= 1
    if column not in header:
        return None
    assert header[-1] == column  # the last column, as in rank
    key = header.index("best" if command == "tracks" else "id")
    return {row[key]: row[-1].split(";") for row in body if row[-1]}


def _text_marks(text: str) -> set[str]:
    """Ids followed by `` ?`` (in Markdown the id may be code: ```alpha` ?``); the legend
    line's own ``?`` follows no id."""
    pattern = r"([A-Za-z0-9][\w.-]*)`? \?(?!\S)"
    return set(re.findall(pattern, text))


@pytest.mark.parametrize(("command", "form"), CASES)
def test_options_with_unknown_scores_are_marked(command: str, form: str) -> None:
    """Exactly the listed options that have unknown scores are marked, with their criteria."""
    unknown = _unknown(CURVES)
    assert unknown  # the fixture has some, or this test would prove nothing
    listed = _listed(command, CURVES)
    expected = {i: unknown[i] for i in listed if i in unknown}
    assert expected
    text = _run(command, CURVES, form)
    if form in ("json", "ndjson"):
        assert _json_marks(command, text, form) == expected
    elif form in ("csv", "tsv"):
        assert _delimited_marks(command, text, form) == expected
    else:
        assert _text_marks(text) == set(expected)
        legend = next(line for line in text.splitlines() if LEGEND in line)
        for option_id, criteria in expected.items():
            assert f"{option_id} ({', '.join(criteria)})" in legend


@pytest.mark.parametrize(("command", "form"), CASES)
def test_a_set_without_unknown_scores_has_no_marks(command: str, form: str) -> None:
    """No key, no column, no mark and no legend when no score is unknown."""
    assert not _unknown(FIXTURE)
    text = _run(command, FIXTURE, form)
    if form in ("json", "ndjson"):
        assert not _keys_ending_unknown(_parsed(text, form))
    elif form in ("csv", "tsv"):
        assert _delimited_marks(command, text, form) is None
    else:
        assert _text_marks(text) == set()
        assert LEGEND not in text


def _keys_ending_unknown(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [k for k in value if k.endswith("unknown")] + [
            k for v in value.values() for k in _keys_ending_unknown(v)
        ]
    if isinstance(value, list):
        return [k for v in value for k in _keys_ending_unknown(v)]
    return []


def test_the_baseline_is_marked_in_rank_like_a_ranked_option(tmp_path: Path) -> None:
    """rank shows the baseline apart: its JSON gains ``unknown``, its row ``5?``, its CSV
    row the criteria, as an option's would."""
    model = (CURVES / "engage.toml").read_text()
    assert 'title = "Curves fixture"\n' in model
    (tmp_path / "engage.toml").write_text(
        model.replace(
            'title = "Curves fixture"\n', 'title = "Curves fixture"\nbaseline = "delta"\n'
        )
    )
    (tmp_path / "options.toml").write_text((CURVES / "options.toml").read_text())
    unknown = _unknown(tmp_path)
    assert "delta" in unknown
    env = {"NO_COLOR": "1", "COLUMNS": "100", "TERMINAL_WIDTH": "100", "ENGAGE_SET": ""}
    out = {
        form: runner.invoke(app, ["rank", str(tmp_path), "-f", form], env=env)
        for form in ("json", "csv", "table", "markdown")
    }
    assert all(r.exit_code == 0 for r in out.values()), [r.output for r in out.values()]
    assert json.loads(out["json"].stdout)["baseline"]["unknown"] == unknown["delta"]
    rows = list(csv.reader(io.StringIO(out["csv"].stdout)))
    assert rows[0][-1] == "unknown"
    assert [r[-1] for r in rows if r[0] == "baseline"] == [";".join(unknown["delta"])]
    for form in ("table", "markdown"):
        line = next(x for x in out[form].stdout.splitlines() if "delta" in x and "baseline" in x)
        assert "5?" in line, (form, line)


def test_portfolio_draws_say_unknown_scores_are_drawn_uniformly() -> None:
    """As robustness draws them (analysis/draws.py): the footer must not call every
    score triangular when some are unknown."""
    env = {"NO_COLOR": "1", "COLUMNS": "200", "ENGAGE_SET": ""}
    said = []
    for path in (CURVES, FIXTURE):
        args = ["portfolio", str(path), "--draws", "20"]
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 0, result.output
        said.append("unknown scores uniformly from [low, high]" in result.stdout)
    assert said == [True, False]
