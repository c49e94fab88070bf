"""The explore benchmark runs end to end at a tiny size (its figures are not checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "explore.py"


def test_the_explore_benchmark_runs_quick() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("measure (100 options")
    assert any(line.startswith("key to repaint, test driver, weighted-sum") for line in lines)
    assert any(line.startswith("open on the shipped set") for line in lines)
