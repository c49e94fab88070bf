"""Every command's output, byte for byte, on the shipped set and on a fixture set.

The files under ``tests/golden/commands/`` were recorded from the code before a refactor;
a change that alters any byte of any format fails here. When an output is meant to change,
re-record with ``ENGAGE_RECORD_GOLDEN=1 python -m pytest tests/golden`` and read the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engage.cli import app

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
GOLDEN = HERE / "commands"
FIXTURE = HERE / "fixture-set"
PORTFOLIO = HERE / "portfolio-set"
CURVES = HERE / "curves-set"
"""Unknown scores and value functions (docs/formats.md#unknown-scores)."""
RECORD = os.environ.get("ENGAGE_RECORD_GOLDEN") == "1"

TABLE = ("table", "svg", "html")
ROWS = ("json", "ndjson", "csv", "tsv", "markdown")

# (name, arguments before the set, formats): each runs on both sets.
CASES: list[tuple[str, list[str], tuple[str, ...]]] = [
    ("rank", ["rank"], (*TABLE, *ROWS, "ids")),
    ("rank-topsis", ["rank", "-m", "topsis"], ("table", "json")),
    ("rank-promethee", ["rank", "-m", "promethee"], ("table", "json")),
    ("rank-weights", ["rank", "-w", "benefit=2,feasibility=1,linkage=1"], ("table", "json")),
    ("rank-screen", ["rank", "--min", "feasibility=4", "--top", "3"], ("table", "json")),
    ("validate", ["validate"], ("table", "json")),
    ("validate-strict", ["validate", "--strict"], ("table", "json")),
    ("model", ["model"], ("table", "json", "toml", "markdown")),
    ("sensitivity", ["sensitivity"], ("table", "json", "markdown", "svg", "html")),
    (
        "robustness",
        ["robustness", "--draws", "300", "--seed", "7"],
        (*TABLE, *ROWS),
    ),
    ("decouple", ["decouple"], (*TABLE, *ROWS)),
    ("tracks", ["tracks"], (*TABLE, *ROWS)),
    ("export", ["export"], ("toml", "json", "csv")),
    ("report", ["report"], ("html", "markdown")),
]

# Only on the sets whose model declares resources: the shipped set and portfolio-set.
PORTFOLIO_CASES: list[tuple[str, list[str], tuple[str, ...]]] = [
    ("portfolio", ["portfolio"], (*TABLE, *ROWS)),
    ("portfolio-frontier", ["portfolio", "--frontier", "budget"], ("table", "json")),
    ("portfolio-draws", ["portfolio", "--draws", "200", "--seed", "3"], ("table", "json")),
    ("portfolio-delivered", ["portfolio", "--objective", "delivered"], ("table", "json")),
    ("portfolio-profile", ["portfolio", "-p", "even", "--max-options", "3"], ("table",)),
]
SHIPPED_PORTFOLIO_CASES: list[tuple[str, list[str], tuple[str, ...]]] = [
    (
        "portfolio-flags",
        [
            "portfolio",
            "--limit",
            "budget=80,staff=6",
            "--max-options",
            "6",
            "--min-track",
            "rights=1",
            "--exclude",
            "res-2615-carveout",
            "-t",
            "humanitarian",
            "-t",
            "rights",
            "-t",
            "economic",
        ],
        ("table", "json"),
    ),
]
PORTFOLIO_SET_CASES: list[tuple[str, list[str], tuple[str, ...]]] = [
    (
        "portfolio-flags",
        [
            "portfolio",
            "--limit",
            "budget=40",
            "--max-options",
            "3",
            "--require",
            "water",
            "--max-track",
            "political=0",
            "--min",
            "feasibility=5",
            "-w",
            "benefit=1,feasibility=1,linkage=1",
        ],
        ("table", "json", "csv"),
    ),
    ("portfolio-infeasible", ["portfolio", "--limit", "budget=10", "--require", "aid"], ("table",)),
    ("portfolio-missing-cost", ["portfolio", "--frontier", "flights"], ("table",)),
    ("portfolio-topsis", ["portfolio", "-m", "topsis"], ("table",)),
    ("model", ["model"], ("table", "json", "toml")),
    ("export", ["export"], ("toml", "json", "csv")),
    ("report", ["report", "--draws", "500"], ("html", "markdown")),
]

SCHEMA_CASES = [("schema-option", ["schema"]), ("schema-model", ["schema", "model"])]


def _sets() -> dict[str, Path]:
    """Relative to the repository (the test runs there), so no output depends on where
    the checkout lives: a longer absolute path would wrap a title differently."""
    return {
        "shipped": Path("options"),
        "fixture": FIXTURE.relative_to(ROOT),
        "curves": CURVES.relative_to(ROOT),
    }


def _invoke(args: list[str]) -> tuple[int, str, str]:
    env = {"NO_COLOR": "1", "COLUMNS": "100", "TERMINAL_WIDTH": "100", "ENGAGE_SET": ""}
    # from the repository's root, so that relative paths (diff's heading) read the same
    # in every checkout, whatever the length of its absolute path
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, args, env=env, catch_exceptions=False)
    finally:
        os.chdir(here)
    return result.exit_code, result.stdout, result.stderr


def _paths_hidden(text: str) -> str:
    """Absolute paths differ between checkouts: keep them relative to the repository."""
    return text.replace(str(ROOT) + os.sep, "")


def _check(name: str, args: list[str]) -> None:
    code, out, err = _invoke(args)
    text = f"$ engage {' '.join(args)}\n# exit {code}\n# stderr\n{err}# stdout\n{out}"
    text = _paths_hidden(text)
    path = GOLDEN / (re.sub(r"[^A-Za-z0-9.-]+", "_", name) + ".txt")
    if RECORD:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path.name}: record with ENGAGE_RECORD_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name}: output changed"


def _params() -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for set_name, root in _sets().items():
        rel = str(root)
        for name, args, formats in CASES:
            for fmt in formats:
                out.append((f"{set_name}-{name}.{fmt}", [*args, rel, "-f", fmt]))
        if set_name == "shipped":
            out += _cases("shipped", rel, [*PORTFOLIO_CASES, *SHIPPED_PORTFOLIO_CASES])
        ids = ["isk-ct-channel", "doha-process"] if set_name == "shipped" else ["alpha", "beta"]
        for fmt in ("table", "json", "markdown", "svg", "html"):
            out.append((f"{set_name}-explain.{fmt}", ["explain", ids[0], "-s", rel, "-f", fmt]))
            out.append((f"{set_name}-compare.{fmt}", ["compare", *ids, "-s", rel, "-f", fmt]))
    portfolio = str(PORTFOLIO.relative_to(ROOT))
    out += _cases("portfolio", portfolio, [*PORTFOLIO_CASES, *PORTFOLIO_SET_CASES])
    for name, args in SCHEMA_CASES:
        out.append((name, args))
    fixture, shipped = str(FIXTURE.relative_to(ROOT)), "options"
    out.append(("diff-table", ["diff", fixture, shipped]))
    out.append(("diff-json", ["diff", fixture, shipped, "-f", "json"]))
    return out


def _cases(
    set_name: str, rel: str, cases: list[tuple[str, list[str], tuple[str, ...]]]
) -> list[tuple[str, list[str]]]:
    return [
        (f"{set_name}-{name}.{fmt}", [*args, rel, "-f", fmt])
        for name, args, formats in cases
        for fmt in formats
    ]


@pytest.mark.parametrize(("name", "args"), _params(), ids=[n for n, _ in _params()])
def test_output_is_unchanged(name: str, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    _check(name, args)
