"""Start-up stays lean: a command loads only what its path needs (issue: fast start-up)."""

from __future__ import annotations

import contextlib
import gc
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import OPTIONS, ROOT

HEAVY = ("rich.table", "rich.progress", "numpy", "engage.analysis.")


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


@pytest.mark.parametrize("args", [["rank"], ["rank", "-f", "json"], ["validate", "--strict"]])
def test_rank_and_validate_never_load_the_solver(args: list[str]) -> None:
    """Only `portfolio` (and `report` on a model with a limited resource) pays for HiGHS."""
    run = (
        "from engage.cli import app\n"
        "try:\n"
        f"    app([{args[0]!r}, {str(OPTIONS)!r}, *{args[1:]!r}], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    modules = loaded_after(run)
    assert "engage.io.loader" in modules
    assert not any(m == "highspy" or m.startswith("highspy.") for m in modules)
    assert not any(m.startswith("engage.analysis.portfolio") for m in modules)
    assert "engage.analysis.milp" not in modules


def test_portfolio_loads_the_solver() -> None:
    run = (
        "from engage.cli import app\n"
        "try:\n"
        f"    app(['portfolio', {str(OPTIONS)!r}, '-f', 'json'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    modules = loaded_after(run)
    assert "highspy._core" in modules
    # highspy's Python layer imports numpy (0.1 s, most of what portfolio costs over rank):
    # only its compiled core is loaded, and the model goes in through scalar calls
    assert "numpy" not in modules
    assert "highspy.highs" not in modules
    assert "engage.analysis.decouple" not in modules


def test_the_solver_core_loaded_alone_still_lets_highspy_import() -> None:
    """engage loads ``highspy._core`` under its own name: the package imported later
    reuses it instead of loading the extension twice."""
    run = (
        "from engage.analysis.milp import solve_binary\n"
        "import sys, highspy\n"
        "from engage.analysis import milp\n"
        "assert sys.modules['highspy._core'] is milp._core\n"
        "h = highspy.Highs()\n"
        "h.setOptionValue('output_flag', False)\n"
        "assert solve_binary([1, 2], [[1, 1]], [1]).x == (0, 1)\n"
    )
    assert "highspy.highs" in loaded_after(run)


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


def test_the_console_script_runs_without_the_cyclic_collector() -> None:
    """Off for the run; everything frozen at the end, out of the last collection."""
    code = (
        "import gc\n"
        "import engage.cli.base\n"
        "engage.cli.base.main = lambda: print(gc.isenabled(), gc.get_freeze_count())\n"
        "from engage.__main__ import main\n"
        "main()\n"
        "print(gc.get_freeze_count() > 10_000)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout == "False 0\nTrue\n"


def _ndjson_set(path: Path, n: int, *, broken: bool) -> Path:
    lines = []
    for i in range(n):
        scores: dict[str, object] = {
            "benefit": 5,
            "feasibility": {"value": 4, "low": 3, "high": 6, "rationale": "r"},
            "linkage": {"by": {"a": 2, "b": 3}} if i % 2 else {"value": 3, "intrinsic": 1},
        }
        if broken and i % 2:
            scores["benefit"] = "five" if i % 4 == 1 else 11
        option = {"id": f"o{i}", "title": f"Option {i}", "track": "security", "scores": scores}
        if i % 3 == 0:
            option["meta"] = {"owner": {"team": ["a", "b"]}, "n": i}
        lines.append(json.dumps(option))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cycles(run: Callable[[], object]) -> int:
    """How many objects only the cyclic collector could free after ``run()``."""
    gc.collect()
    gc.disable()
    try:
        run()
        return gc.collect()
    finally:
        gc.enable()


def test_runs_leave_no_reference_cycles_behind(tmp_path: Path) -> None:
    """The console script runs with the cyclic collector off (engage.__main__): a cycle
    per option would be memory that is never freed on a large set."""
    from engage.cli import app

    def ranked(n: int) -> Callable[[], object]:
        path = str(_ndjson_set(tmp_path / f"{n}.ndjson", n, broken=False))
        return lambda: [CliRunner().invoke(app, ["rank", path, *f]) for f in ([], ["-f", "json"])]

    _cycles(ranked(4))  # the first run's imports and caches
    assert _cycles(ranked(300)) <= _cycles(ranked(3)) + 30


def test_failed_loads_leave_no_reference_cycles_behind(tmp_path: Path) -> None:
    """Diagnosing every option of a broken set creates no cycle per option either (what
    the error boundary then keeps until the process ends is bounded by the set)."""
    from engage.core.errors import InvalidInput
    from engage.io.loader import load

    def failed(n: int) -> Callable[[], object]:
        path = str(_ndjson_set(tmp_path / f"{n}.ndjson", n, broken=True))

        def run() -> None:
            with contextlib.suppress(InvalidInput):
                load([path])

        return run

    _cycles(failed(4))
    assert _cycles(failed(300)) <= _cycles(failed(3)) + 30
