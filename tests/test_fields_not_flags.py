"""The lower layers name input fields, not flags; the CLI words a field as its flag.

core, io, methods and analysis do not know the command line: an error about a bad
value carries the field (``draws``) and names it in backticks, and the CLI's one error
boundary words it as the flag the user typed (``--draws``), so the message on the
command line reads as it always did.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer

from engage.analysis.robustness import robustness
from engage.analysis.tracks import track_report
from engage.cli import app
from engage.cli.base import flag
from engage.core.errors import Diagnostic, UsageError, worded
from engage.core.ranking import resolve_lens
from engage.io.loader import load
from tests.conftest import MODEL, OPTIONS, Run, option_toml

ENGAGE = Path(__file__).resolve().parent.parent / "engage"
LOWER = ("core", "io", "methods", "analysis")

KNOWN: dict[tuple[str, str], str] = {}
"""Flags the lower layers still name, each with the reason; a new one fails the test."""


def engage_flags() -> set[str]:
    """Every long option of every command (and of engage itself)."""
    group: Any = typer.main.get_command(app)
    commands = [group, *group.commands.values()]
    return {o for c in commands for p in c.params for o in p.opts if o.startswith("--")}


def texts(tree: ast.Module) -> list[str]:
    """The module's string constants but docstrings and command lines (``git`` argv)."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for statement in body:  # docstrings, attribute docstrings included
                if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                    skipped.add(id(statement.value))
        if isinstance(node, ast.List):  # an argv: ["rev-parse", "--verify", "--quiet", …]
            skipped.update(id(e) for e in node.elts)
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skipped
    ]


def test_no_lower_layer_names_a_flag_in_a_message() -> None:
    flags = engage_flags()
    assert {"--draws", "--max-linkage", "--weights", "--force", "--git"} <= flags
    found = set()
    for layer in LOWER:
        for path in sorted((ENGAGE / layer).rglob("*.py")):
            where = path.relative_to(ENGAGE).as_posix()
            for text in texts(ast.parse(path.read_text(encoding="utf-8"))):
                found |= {(where, f) for f in re.findall(r"--[a-z][a-z-]*", text) if f in flags}
    assert found - KNOWN.keys() == set(), "name the field in backticks, with field=…"
    assert KNOWN.keys() - found == set(), "gone: take it off KNOWN"


def test_an_analysis_error_carries_the_field_and_names_it_plainly() -> None:
    option_set = load([str(OPTIONS)])
    lens = resolve_lens(option_set.model)
    with pytest.raises(UsageError) as caught:
        robustness(option_set, lens, draws=0)  # as `engage report` calls it, no CLI check
    assert caught.value.fields == ("draws",)
    assert caught.value.message == "draws must be at least 1, got 0"
    assert caught.value.worded(flag).lines() == ["error: --draws must be at least 1, got 0"]
    with pytest.raises(UsageError) as caught:
        track_report(option_set, lens, max_linkage=math.inf)
    assert caught.value.fields == ("max_linkage",)
    assert caught.value.message == "max_linkage must be a finite number, got inf"


def test_the_cli_words_a_field_as_its_flag() -> None:
    assert [flag(f) for f in ("draws", "weights_from", "top_k", "id")] == [
        "--draws",
        "--weights-from",
        "--top-k",
        "ID",
    ]
    assert worded("`draws` and draws", ("draws",), flag) == "--draws and draws"
    assert worded("`draws`", (), flag) == "`draws`"  # only the fields the error lists
    diagnostic = Diagnostic("error", "x", "choose one with `model`", fields=("model",))
    assert diagnostic.format() == "error: [x] choose one with model"
    assert diagnostic.worded(flag).format() == "error: [x] choose one with --model"


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (
            ["tracks", str(OPTIONS), "--max-linkage", "nan"],
            2,
            "error: --max-linkage must be a finite number, got nan\n",
        ),
        (
            ["rank", str(OPTIONS), "-w", "benefit=-1,feasibility=1,linkage=1"],
            2,
            "error: --weights: weight -1 for 'benefit' is negative\n",
        ),
        (
            ["decouple", str(OPTIONS), "--stall-probability", "2"],
            2,
            "error: --stall-probability must lie in [0, 1], got 2\n",
        ),
        (
            ["robustness", str(OPTIONS), "--min", "benefit=10"],
            1,
            "error: no option is left after the screens, --track and --tag\n",
        ),
        (
            ["diff", "--git", "HEAD", "-"],
            2,
            "error: --git reads the set from the repository, not from stdin (-)\n",
        ),
    ],
)
def test_the_command_line_still_names_the_flag(
    run: Run, args: list[str], code: int, stderr: str
) -> None:
    result = run(*args)
    assert (result.exit_code, result.stderr) == (code, stderr)


def test_engage_new_names_the_flag_of_a_bad_value(run: Run, tmp_path: Path) -> None:
    result = run("init", str(tmp_path / "set"))
    assert result.exit_code == 0, result.stderr
    args = ["new", "a", "-s", str(tmp_path / "set"), "--title", "A", "--track", "security"]
    result = run(*args, "--score", "benefit=x")
    assert (result.exit_code, result.stderr) == (2, "error: --score benefit: 'x' is not a number\n")


def test_an_error_passed_on_keeps_its_field(run: Run, make_set: Callable[..., Path]) -> None:
    """diff words the old side's --weights error afresh ("the old version: ...")."""
    old = make_set({"a.toml": option_toml("a", 5, 5, 2)}, name="old")
    extra = (
        MODEL.replace("[profiles.main]", "[criteria.cost]\n\n[profiles.main]")
        .replace("linkage = 0.2 }", "linkage = 0.2, cost = 0 }")
        .replace("linkage = 1 }", "linkage = 1, cost = 1 }")
    )
    new = make_set({"a.toml": option_toml("a", 5, 5, 2) + "cost = 1\n"}, extra, name="new")
    weights = "benefit=1,feasibility=1,linkage=2,cost=1"
    result = run("diff", str(old), str(new), "-w", weights)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: the old version: --weights: ")
