"""Start-up stays lean: a command loads only what its path needs (issue: fast start-up)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import OPTIONS

HEAVY = ("rich.table", "rich.progress", "numpy", "engage.analysis.", "engage.report")


def loaded_after(code: str) -> list[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    probe = code + "\nimport sys, json\nsys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, timeout=120
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
