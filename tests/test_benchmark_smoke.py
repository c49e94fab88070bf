"""The benchmark script runs end to end at a tiny size (its figures are not checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent / "benchmarks" / "run.py"


def test_benchmark_runs_quick() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["measure", "min"]
    assert any(line.startswith("rank options -f json") for line in lines)
    assert any("NDJSON on stdin" in line for line in lines)
    assert any(line.startswith("robustness") for line in lines)
    for start in (
        "portfolio options -f json",
        "portfolio solve, ",
        "portfolio options --draws",
        "portfolio options --frontier",
    ):
        assert any(line.startswith(start) for line in lines), start


def test_benchmark_portfolio_rows_alone() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--portfolio"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["measure", "min"]
    assert not any("NDJSON" in line for line in lines)
    targets = {
        "portfolio options -f json": "× rank -f json",
        "portfolio solve, ": "target ≤ 2 s",
        "portfolio options --draws": "target ≤ 10 s",
        "portfolio options --frontier": "target ≤ 3 s",
    }
    for start, target in targets.items():
        assert any(line.startswith(start) and target in line for line in lines), start
