"""The portfolio solver's speed, in process: `python tests/benchmarks/portfolio.py`.

Times the computational core of `engage portfolio` (docs/methods.md#planned) on generated problems:
a whole `solve_portfolio` (optimum, second-optimum check, marginal value of each
resource: four solves) on 1,000 options × 2 resources, and without the marginal values, the exact frontier over the budget on 30
options, and 1,000 draws on 30 options; and the import time of the solver: highspy's
package (which imports numpy), engage's solver module (highspy's compiled core alone) and
scipy.optimize. Like run.py it asserts nothing: figures are read, not
enforced (the targets of issue 18 are printed alongside). `--quick` runs tiny sizes.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from engage.analysis.portfolio import (
    Candidate,
    Constraints,
    Draw,
    Problem,
    portfolio_draws,
    portfolio_frontier,
    solve_portfolio,
)

TRACKS = ("security", "economic", "humanitarian", "rights", "political", "other")


def problem(n: int, seed: int = 1) -> Problem:
    """n options with points 0–100, a budget (USD m) and staff (FTE) cost each, limits at
    about a quarter of the totals, one political track at a time, a few requires and
    conflicts."""
    r = random.Random(seed)
    ids = [f"o{i:04}" for i in range(n)]
    candidates = []
    for i, cid in enumerate(ids):
        requires = (ids[i - 1],) if i and r.random() < 0.05 else ()
        conflicts = (r.choice(ids),) if r.random() < 0.05 else ()
        candidates.append(
            Candidate(
                cid,
                r.choice(TRACKS),
                round(r.uniform(0, 100), 1),
                {"budget": round(r.uniform(1, 60), 1), "staff": r.choice((0.5, 1, 2, 3, 5))},
                requires=requires,
                conflicts=tuple(c for c in conflicts if c != cid),
            )
        )
    total = {k: sum(c.costs[k] for c in candidates) for k in ("budget", "staff")}
    limits: dict[str, float | None] = {k: round(v / 4) for k, v in total.items()}
    return Problem(tuple(candidates), limits, Constraints(max_track={"political": 1}))


def draws_of(base: Problem) -> Callable[[int], Draw]:
    """Triangular draws of every value (±20 %) and budget cost (±30 %), seeded per id."""

    def draw(k: int) -> Draw:
        values, costs = {}, {}
        for c in base.candidates:
            r = random.Random(f"{k}/{c.id}")
            values[c.id] = r.triangular(0.8 * c.value, 1.2 * c.value, c.value)
            budget = c.costs["budget"]
            costs[c.id] = {"budget": r.triangular(0.7 * budget, 1.3 * budget, budget)}
        return Draw(values, costs)

    return draw


def timed(work: Callable[[], object], runs: int) -> dict[str, float]:
    """Wall time (min / median / max) and the median CPU time of this process: the
    machines here are shared, and CPU time is what a quiet machine's wall time would be."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {
        "min": min(times),
        "median": statistics.median(times),
        "max": max(times),
        "cpu": statistics.median(cpu),
    }


def import_time(module: str, runs: int) -> dict[str, float] | None:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parent.parent.parent,  # this checkout's engage
        )
        if done.returncode != 0:
            return None
        times.append(float(done.stdout))
    return {"min": min(times), "median": statistics.median(times), "max": max(times)}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    big, small, draws = (60, 12, 20) if args.quick else (1000, 30, 1000)
    large, thirty = problem(big), problem(small, seed=2)
    rows: list[tuple[str, dict[str, float] | None, str]] = [
        ("import highspy", import_time("highspy", runs), "(with numpy: not used)"),
        ("import engage.analysis.milp", import_time("engage.analysis.milp", runs), "(its core)"),
        ("import scipy.optimize", import_time("scipy.optimize", runs), "(not used)"),
        (
            f"solve {big} options x 2 resources",
            timed(lambda: solve_portfolio(large), runs),
            "<= 2 s",
        ),
        (
            "  the same without marginal values",
            timed(lambda: solve_portfolio(large, marginal=False), runs),
            "",
        ),
        (
            f"frontier budget, {small} options",
            timed(lambda: portfolio_frontier(thirty, "budget"), runs),
            "<= 3 s",
        ),
        (
            f"{draws} draws, {small} options",
            timed(lambda: portfolio_draws(thirty, draws, draws_of(thirty)), max(1, runs // 2)),
            "<= 10 s",
        ),
    ]
    points = len(portfolio_frontier(thirty, "budget"))
    print(f"{'measure':<36} {'min':>8} {'median':>8} {'max':>8} {'cpu':>8}  target")
    for name, figures, target in rows:
        if figures is None:
            print(f"{name:<36} {'n/a':>8}")
            continue
        cells = " ".join(
            f"{figures[k]:>7.3f}s" if k in figures else f"{'':>8}"
            for k in ("min", "median", "max", "cpu")
        )
        print(f"{name:<36} {cells}  {target}")
    print(f"frontier points on {small} options: {points}")


if __name__ == "__main__":
    main()
