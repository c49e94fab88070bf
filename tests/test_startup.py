"""Start-up stays lean: a command loads only what its path needs (issue: fast start-up)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from tests.conftest import OPTIONS, ROOT

HEAVY = ("rich.table", "rich.progress", "numpy", "engage.analysis.", "engage.report")


def loaded_after(code: str) -> list[str]:
    """The modules a fresh interpreter has loaded after running ``code`` (in the project
    root, so that it imports this checkout's engage whatever the tests' directory)."""
    probe = code + "\nimport sys, json\nsys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=ROOT,
    )
    return list(json.loads(result.stderr.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_table_numpy_or_analysis() -> None:
    modules = loaded_after("import engage.cli")
    assert [m for m in modules if m.startswith(HEAVY)] == []
    assert not any(m == "rich" or m.startswith("rich.") for m in modules)


def test_rank_json_does_not_load_rich_or_numpy() -> None:
    run = (
        "from engage.cli import app\n"
        "try:\n"
        f"    app(['rank', {str(OPTIONS)!r}, '-f', 'json'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    modules = loaded_after(run)
    assert not any(m == "rich" or m.startswith("rich.") for m in modules)
    assert "numpy" not in modules
    assert not any(
        m.startswith(("engage.analysis.robustness", "engage.analysis.sensitivity")) for m in modules
    )


def test_command_modules_name_where_every_command_is_registered() -> None:
    """The console script imports one module per command: the map must match the app."""
    from engage.cli import app
    from engage.cli.base import COMMAND_MODULES

    registered = [(c.name, c.callback.__module__) for c in app.registered_commands if c.callback]
    assert [(name, f"engage.cli.{COMMAND_MODULES[name]}") for name, _ in registered] == registered
    assert list(COMMAND_MODULES) == [name for name, _ in registered]


@pytest.mark.parametrize(
    "argv",
    [
        ["rank", "--help"],
        ["rank", "--bogus"],
        ["rank", str(OPTIONS), "-f", "json"],
        ["rank", str(OPTIONS), "-f", "nope"],
        ["explain"],
        ["robustness", "--help"],
    ],
)
def test_a_one_command_app_reads_as_the_whole_app(argv: list[str]) -> None:
    from engage.cli import app
    from engage.cli.base import single_command_app

    whole = CliRunner().invoke(app, argv, prog_name="engage")
    single = CliRunner().invoke(single_command_app(argv[0]), argv, prog_name="engage")
    assert (single.exit_code, single.stdout, single.stderr) == (
        whole.exit_code,
        whole.stdout,
        whole.stderr,
    )


def test_the_console_script_loads_only_the_command_it_runs() -> None:
    run = (
        "import sys\n"
        f"sys.argv = ['engage', 'rank', {str(OPTIONS)!r}, '-f', 'json']\n"
        "from engage.cli.base import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    modules = loaded_after(run)
    assert [m for m in modules if m.startswith("engage.cli.")] == [
        "engage.cli.base",
        "engage.cli.common",
        "engage.cli.core_commands",
    ]
    assert not any(m == "rich" or m.startswith("rich.") for m in modules)
