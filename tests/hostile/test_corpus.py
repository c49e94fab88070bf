"""The hostile-input corpus: each case in cases/ ends in its exit code and exact diagnostics.

A case is ``cases/NAME.expected`` (with its inputs beside it, under any name)::

    # What the case checks, in one line.
    $ rank --model types-model.toml good.toml      (the command line; '< FILE' for stdin)
    exit 1
    error: ...                                     (stderr, exactly, line by line)
    --- stdout                                     (optional: stdout, exactly)

Without a ``--- stdout`` section a failing case must print nothing on stdout. Every case
runs in a fresh copy of cases/ (so ``import`` and ``-o`` write nowhere else), through the
CLI's one error boundary; none may raise (a traceback is a failed test, never an exit 1).
"""

from __future__ import annotations

import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engage.cli import app

CASES = Path(__file__).parent / "cases"


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    args: list[str]
    stdin: str | None
    exit_code: int
    stderr: str
    stdout: str | None


def read_case(path: Path) -> Case:
    lines = path.read_text(encoding="utf-8").split("\n")
    description = lines[0].removeprefix("# ")
    words = shlex.split(lines[1].removeprefix("$ "))
    stdin = None
    if "<" in words:
        stdin = words[words.index("<") + 1]
        words = words[: words.index("<")]
    exit_code = int(lines[2].removeprefix("exit "))
    rest = "\n".join(lines[3:])
    stderr, _, stdout = rest.partition("--- stdout\n")
    return Case(path.stem, description, words, stdin, exit_code, stderr, stdout if _ else None)


def run_case(case: Case, where: Path) -> tuple[int, str, str]:
    """Run a case's command in ``where`` (a copy of cases/): exit code, stdout, stderr."""
    data = (where / case.stdin).read_bytes() if case.stdin else None
    result = CliRunner().invoke(app, case.args, input=data, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def all_cases() -> list[Case]:
    return [read_case(p) for p in sorted(CASES.glob("*.expected"))]


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of cases/ as the working directory."""
    where = tmp_path / "cases"
    shutil.copytree(CASES, where, symlinks=True)
    monkeypatch.chdir(where)
    return where


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c.name)
def test_hostile_case(case: Case, corpus: Path) -> None:
    """The case's exit code and exact stderr (and stdout when given); never a traceback."""
    exit_code, stdout, stderr = run_case(case, corpus)
    assert (exit_code, stderr) == (case.exit_code, case.stderr), case.description
    if case.stdout is not None:
        assert stdout == case.stdout, case.description
    elif exit_code != 0:
        assert stdout == "", case.description


def test_every_input_in_the_corpus_is_used() -> None:
    """No orphan input files: each is named by some case's command line."""
    used: set[str] = set()
    for case in all_cases():
        used.update(case.args)
        used.update([case.stdin] if case.stdin else [])
    inputs = {p.name for p in CASES.iterdir() if p.suffix != ".expected"}
    assert inputs - used == set()
