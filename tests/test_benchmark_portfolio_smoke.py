"""The portfolio benchmark runs end to end at a tiny size (its figures are not checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent / "benchmarks" / "portfolio.py"


def test_portfolio_benchmark_runs_quick() -> None:
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
    for start in (
        "import highspy",
        "solve 60 options x 2 resources",
        "frontier budget",
        "20 draws",
    ):
        assert any(line.startswith(start) for line in lines), start
