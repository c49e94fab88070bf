"""The TOML 1.1 cases of the corpus through every command that reads a set (issue 14).

``validate`` is checked line by line in cases/; here ``rank`` and ``explain`` read the same
files: normal output, or diagnostics that each carry a line and a column; never a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from engage.cli import app

CASES = Path(__file__).parent / "cases"
FILES = sorted(p.name for p in CASES.glob("toml11-*.toml"))
POSITIONED = re.compile(r"^error: (?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): \[[a-z-]+\] ")


def test_there_is_a_case_per_form() -> None:
    assert len(FILES) == 7


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("command", [["validate"], ["rank"], ["explain", "a", "-s"]])
def test_every_command_reads_toml_1_1(
    name: str, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CASES)
    result = CliRunner().invoke(app, [*command, name], catch_exceptions=False)
    assert result.exit_code in (0, 1)
    if result.exit_code == 0:
        assert "error:" not in result.stderr
        assert command[0] == "validate" or "a" in result.stdout
        return
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors
    lines = (CASES / name).read_bytes().count(b"\n") + 1
    for line in errors:
        found = POSITIONED.match(line)
        assert found, line
        assert found["file"] == name
        assert 1 <= int(found["line"]) <= lines
