"""Every command the app registers, read from the app: its help, its formats, its module.

Nothing here lists a command's formats by hand: a new command, or a new format, is
checked as soon as it is registered. The runs below are the one thing to add for a new
command, and a test says when one is missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from engage.cli import app
from engage.cli.base import COMMAND_MODULES, COMMANDS, Command
from tests.conftest import Run, option_toml

CLI = Path(__file__).resolve().parent.parent.parent / "engage" / "cli"
NAMES = [c.name for c in app.registered_commands if c.name]
WRITERS = [name for name in NAMES if COMMANDS[name].formats]

# A run of each command that writes a format, on the set of the fixture below ({set}),
# without -f. Commands that only write files (init, new, import) take no --format.
RUNS: dict[str, list[str]] = {
    "export": ["export", "{set}"],
    "schema": ["schema", "-s", "{set}"],
    "rank": ["rank", "{set}"],
    "validate": ["validate", "{set}"],
    "model": ["model", "{set}"],
    "explain": ["explain", "a", "-s", "{set}"],
    "compare": ["compare", "a", "b", "-s", "{set}"],
    "decouple": ["decouple", "{set}"],
    "tracks": ["tracks", "{set}"],
    "diff": ["diff", "{set}", "{set}"],
    "report": ["report", "{set}", "--draws", "20"],
    "sensitivity": ["sensitivity", "{set}"],
    "robustness": ["robustness", "{set}", "--draws", "20"],
    "weigh": ["weigh", "rank", "{set}", "--name", "w", "--order", "benefit,feasibility,linkage"],
    "portfolio": ["portfolio", "{set}"],
}


@pytest.fixture
def small_set(make_set: Callable[..., Path]) -> Path:
    return make_set({"a.toml": option_toml("a", 6, 5, 2), "b.toml": option_toml("b", 4, 7, 3)})


def filled(name: str, root: Path) -> list[str]:
    return [arg.format(set=root) for arg in RUNS[name]]


def test_every_command_module_is_in_the_map_the_console_script_loads() -> None:
    """A module of commands missing from COMMAND_MODULES is a command `engage` does not know
    (weigh was, for a while), while the tests, loading every module, still saw it."""
    modules = {path.stem for path in CLI.glob("*_commands.py")}
    assert set(COMMAND_MODULES.values()) == modules
    assert NAMES == list(COMMAND_MODULES) == list(COMMANDS)


def test_every_command_that_writes_a_format_has_a_run_here() -> None:
    assert sorted(RUNS) == sorted(WRITERS)
    assert {"init", "new", "import", "explore"} == set(NAMES) - set(WRITERS)


@pytest.mark.parametrize("name", NAMES)
def test_every_command_has_help(run: Run, name: str) -> None:
    result = run(name, "--help")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert f"Usage: engage {name} [OPTIONS]" in result.stdout
    spec = COMMANDS[name]
    words = [w for w in result.stdout.split() if w != "│"]  # the panel's border
    if spec.formats:
        listed = words[words.index("format:") + 1 :][: len(spec.formats)]
        assert [w.rstrip(",.") for w in listed] == list(spec.formats)
        assert f"[default: {spec.default}]" in " ".join(words)
    else:
        assert "--format" not in words


@pytest.mark.parametrize("name", WRITERS)
def test_every_declared_format_is_written(run: Run, small_set: Path, name: str) -> None:
    for fmt in COMMANDS[name].formats:
        result = run(*filled(name, small_set), "-f", fmt)
        assert result.exit_code == 0, (fmt, result.stderr)
        assert result.stdout if (name, fmt) != ("validate", "table") else result.stderr, fmt


@pytest.mark.parametrize("name", WRITERS)
def test_an_undeclared_format_is_a_usage_error(run: Run, small_set: Path, name: str) -> None:
    """docs/errors.md: exit 2, the command and the format named, the formats it does write."""
    spec: Command = COMMANDS[name]
    result = run(*filled(name, small_set), "-f", "xml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {name} does not write 'xml'\nhint: formats: {', '.join(spec.formats)}\n"
    )


@pytest.mark.parametrize("name", sorted(set(NAMES) - set(WRITERS)))
def test_a_command_without_formats_has_no_format_option(run: Run, name: str) -> None:
    result = run(name, "-f", "json")
    assert result.exit_code == 2
    assert re.search(r"No such option: -f\b", result.stderr)
