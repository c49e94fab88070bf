"""`engage explore`'s speed: `python tests/benchmarks/explore.py [--quick]`.

Prints, asserting nothing (docs/methods.md#exploring-weights-live-engage-explore and issue 20 state the targets; machines here are
shared and noisy, so figures are read, not enforced):

- key to repaint for 1,000 options, through Textual's own test driver: the time from a
  key press until the last screen update it caused has been composed (widgets rendered,
  the compositor's update built), per method, over many presses of ←/→ (target ≤ 50 ms
  for the weighted sum);
- what one re-rank and one interval computation cost in the state alone;
- opening the view on the shipped set on a real pseudo-terminal: from starting
  ``python -m engage explore`` to the ranking on the screen (target ≤ 1 s).
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import random
import select
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from engage.analysis.explore import Explorer  # noqa: E402
from engage.core.model import Option, OptionSet, Score  # noqa: E402
from engage.core.ranking import Lens  # noqa: E402
from engage.io.loader import load  # noqa: E402

CRITERIA = ("benefit", "feasibility", "linkage")
TRACKS = ("security", "economic", "humanitarian", "rights", "political", "other")


def generated(n: int, seed: int = 1) -> OptionSet:
    """n options scored 0–10 at random, under the shipped model without its screens."""
    r = random.Random(seed)
    model = load([str(ROOT / "options")]).model
    options = tuple(
        Option(
            id=f"o{i:05d}",
            title=f"Option {i}",
            track=r.choice(TRACKS),
            scores={c: Score(v, v, v) for c in CRITERIA for v in [float(r.randint(0, 10))]},
        )
        for i in range(n)
    )
    return OptionSet(replace(model, screens=()), options)


def summary(times: Sequence[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"median {statistics.median(ms):7.1f}  p95 {p95:7.1f}  max {ms[-1]:7.1f} ms"


async def key_to_repaint(
    option_set: OptionSet, method: str, presses: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU time (this process) from a key press to its last screen update: the
    CPU figure is what a machine shared with other work cannot inflate."""
    from engage.tui.explore import ExploreApp

    explorer = Explorer(option_set, Lens("pragmatic", method, (0.45, 0.35, 0.2)))
    app = ExploreApp(explorer, lambda _e, _n: "")
    shown: list[tuple[float, float]] = []
    display = app._display

    def timed_display(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        shown.append((time.perf_counter(), time.process_time()))

    # headless, the update is composed but not written: the time it is handed over is
    # the time the repaint is ready for the terminal
    app._display = timed_display  # type: ignore[method-assign]
    times: list[float] = []
    cpu: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for k in range(presses):
            key = "right" if (k // 10) % 2 == 0 else "left"  # walk up and down again
            before = len(shown)
            start, start_cpu = time.perf_counter(), time.process_time()
            await pilot.press(key)
            for _ in range(200):  # the screen update timer fires within a frame or two
                await asyncio.sleep(0.005)
                if len(shown) > before:
                    break
            await asyncio.sleep(0.03)  # anything else the key caused
            times.append(shown[-1][0] - start)
            cpu.append(shown[-1][1] - start_cpu)
        await pilot.press("q")
    return times, cpu


def state_costs(option_set: OptionSet, method: str, repeats: int) -> tuple[list[float], ...]:
    explorer = Explorer(option_set, Lens("pragmatic", method, (0.45, 0.35, 0.2)))
    ranks, intervals = [], []
    for k in range(repeats):
        explorer.move(k % 3, 0.01 if k % 2 else -0.01)
        start = time.perf_counter()
        explorer.standing()
        middle = time.perf_counter()
        explorer.intervals()
        intervals.append(time.perf_counter() - middle)
        ranks.append(middle - start)
    return ranks, intervals


def opening(runs: int) -> tuple[list[float], list[float]]:
    """Start `python -m engage explore` on a 120×40 pseudo-terminal until the ranking
    shows, then quit it: wall time, and the child's CPU time until then (from /proc)."""
    times, cpu = [], []
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}
    for _ in range(runs):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "engage", "explore", str(ROOT / "options")],
            stdin=slave,
            stdout=subprocess.PIPE,
            stderr=slave,
            env=env,
        )
        os.close(slave)
        seen = b""
        while b"humanitarian-ringfence" not in seen or b"help" not in seen:
            ready, _, _ = select.select([master], [], [], 30)
            if not ready:
                process.kill()  # never leave a view drawing in the background
                process.wait()
                raise SystemExit("the view did not open within 30 s")
            seen += os.read(master, 65536)
        times.append(time.perf_counter() - start)
        cpu.append(_cpu_seconds(process.pid))
        os.write(master, b"q")
        while process.poll() is None:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        process.communicate(timeout=30)
        os.close(master)
    return times, cpu


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux /proc), else NaN."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny run (seconds)")
    args = parser.parse_args(argv)
    n, presses, repeats, runs = (100, 4, 5, 1) if args.quick else (1000, 60, 50, 5)
    big = generated(n)
    print(f"measure ({n} options unless said)                      figures")
    for method in ("weighted-sum", "promethee", "topsis"):
        ranks, intervals = state_costs(big, method, repeats)
        print(f"re-rank, state only, {method:<14}        {summary(ranks)}")
        print(f"top-stays-top intervals, {method:<14}    {summary(intervals)}")
    for method in ("weighted-sum", "promethee", "topsis"):
        times, cpu = asyncio.run(key_to_repaint(big, method, presses))
        target = "  (target <= 50 ms)" if method == "weighted-sum" else ""
        print(f"key to repaint, test driver, {method:<14}{summary(times)}{target}")
        print(f"  the same, CPU time of the process          {summary(cpu)}{target}")
    times, cpu = opening(runs)
    print(f"open on the shipped set (pty, {runs} runs)           {summary(times)}  (target <= 1 s)")
    print(f"  the same, CPU time of the child            {summary(cpu)}  (target <= 1 s)")


if __name__ == "__main__":
    main()
