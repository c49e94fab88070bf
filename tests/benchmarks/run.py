"""engage's speed and memory, measured on whole commands: `python tests/benchmarks/run.py`.

Generates its own sets in a temporary directory, times each command over several runs
(min / median / max wall time; the median CPU time, which waiting for a busy core does
not inflate; the peak memory of the child process) and prints the ratios the
performance targets are stated in. The hello-world app and the two start-up measures
take turns run by run, so that their ratios see the same load. It asserts nothing:
machines here are shared and noisy, so figures are read, not enforced. `--quick` runs a
tiny version (the test suite's smoke test uses it).

It measures this checkout's engage (its root goes first on PYTHONPATH, whatever an
editable install points at), with bytecode written as an installed package has it: the
warm-up run compiles it even where PYTHONDONTWRITEBYTECODE is set, since recompiling
engage's modules on every run (the hello-world app's are compiled in site-packages)
costs a tenth of a run that no user pays.

    python tests/benchmarks/run.py            # the full table (a few minutes)
    python tests/benchmarks/run.py --quick    # seconds
    python tests/benchmarks/run.py --portfolio  # the portfolio rows alone, targets beside
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OPTIONS = ROOT / "options"
TRACKS = ("security", "economic", "humanitarian", "rights", "political", "other")


def engage_command() -> list[str]:
    """The installed console script if there is one, else `python -m engage`."""
    script = shutil.which("engage") or str(Path(sys.executable).parent / "engage")
    return [script] if Path(script).exists() else [sys.executable, "-m", "engage"]


def child_environment() -> dict[str, str]:
    """This checkout first on the path; bytecode written, as an install has it."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


CHILD_ENV = child_environment()


def run_once(argv: Sequence[str], stdin: Path | None = None) -> tuple[float, int, float]:
    """Wall time (s), peak RSS (KiB) and CPU time (s) of one run of a command, its output
    discarded."""
    start = time.perf_counter()
    with open(stdin or os.devnull, "rb") as source:
        pid = subprocess.Popen(
            argv,
            stdin=source,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=CHILD_ENV,
        )
        _, status, usage = os.wait4(pid.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def measure(argv: Sequence[str], runs: int, stdin: Path | None = None) -> dict[str, float]:
    return measure_together([argv], runs, stdin)[0]


def measure_together(
    commands: Sequence[Sequence[str]], runs: int, stdin: Path | None = None
) -> list[dict[str, float]]:
    """Each command ``runs`` times, taking turns (one run of each per round), so that
    the ratios between them are measured under the same load on a shared machine."""
    for argv in commands:
        run_once(argv, stdin)  # warm the file cache (and write the bytecode)
    times: list[list[float]] = [[] for _ in commands]
    peaks: list[list[int]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for k, argv in enumerate(commands):
            elapsed, peak, cpu = run_once(argv, stdin)
            times[k].append(elapsed)
            peaks[k].append(peak)
            cpus[k].append(cpu)
    return [
        {
            "min": min(t),
            "median": statistics.median(t),
            "max": max(t),
            "cpu": statistics.median(c),
            "peak_mb": max(p) / 1024,
        }
        for t, p, c in zip(times, peaks, cpus, strict=True)
    ]


def write_toml(path: Path, n: int, seed: int = 1) -> None:
    r = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            values = [r.randint(0, 10) for _ in range(3)]
            scores = "\n".join(
                f"{c} = {{ value = {v}, low = {max(0, v - 1)}, high = {min(10, v + 1)} }}"
                for c, v in zip(("benefit", "feasibility", "linkage"), values, strict=True)
            )
            out.write(
                f'[[option]]\nid = "o{i}"\ntitle = "Option {i}"\n'
                f'track = "{r.choice(TRACKS)}"\n[option.scores]\n{scores}\n\n'
            )


def write_ndjson(path: Path, n: int, seed: int = 1) -> None:
    r = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            v = [r.randint(0, 10) for _ in range(3)]
            scores = {"benefit": v[0], "feasibility": v[1], "linkage": v[2]}
            out.write(
                json.dumps(
                    {
                        "id": f"o{i}",
                        "title": f"Option {i}",
                        "track": r.choice(TRACKS),
                        "scores": scores,
                    }
                )
                + "\n"
            )


def pymcdm_script(directory: Path) -> Path | None:
    """What a user would write instead: read the same files, rank them with pymcdm."""
    try:
        import pymcdm  # noqa: F401
    except ImportError:
        return None
    script = directory / "pymcdm_rank.py"
    script.write_text(
        "import glob, json, statistics, sys, tomllib\n"
        "import numpy as np\n"
        "from pymcdm.methods import WSM\n"
        "rows, ids = [], []\n"
        f"for f in sorted(glob.glob('{OPTIONS}/*.toml')):\n"
        "    if f.endswith('engage.toml'): continue\n"
        "    for o in tomllib.load(open(f, 'rb')).get('option', []):\n"
        "        s = o['scores']\n"
        "        def v(c):\n"
        "            x = s[c]\n"
        "            if not isinstance(x, dict): return x\n"
        "            return x['value'] if 'value' in x else statistics.median(x['by'].values())\n"
        "        ids.append(o['id']); rows.append([v('benefit'), v('feasibility'), v('linkage')])\n"
        "m = np.array(rows, dtype=float) / 10.0  # the model's scales are 0-10\n"
        "m[:, 2] = 1.0 - m[:, 2]  # linkage: lower is better\n"
        "wsm = WSM(normalization_function=lambda x, cost=False: x)\n"
        "pref = wsm(m, np.array([0.45, 0.35, 0.2]), np.array([1, 1, 1]))\n"
        "order = np.argsort(-pref)\n"
        "json.dump([ids[i] for i in order], sys.stdout)\n",
        encoding="utf-8",
    )
    return script


SOLVE_LARGE = (
    "import sys; sys.path[:0] = [{root!r}, {here!r}]\n"
    "from portfolio import problem\n"
    "from engage.analysis.portfolio import solve_portfolio\n"
    "solve_portfolio(problem({n}))\n"
)
"""A whole solve (optimum, second optimum, reasons, marginal values) of the generated
problem of tests/benchmarks/portfolio.py, in a child process (so its CPU time is measured
like the commands'; it includes the ~0.3 s of importing engage's analysis and HiGHS)."""


def portfolio_rows(
    engage: list[str], runs: int, heavy: int, *, quick: bool
) -> list[tuple[str, dict[str, float], str]]:
    """The four speed targets of `portfolio` (issue 18), judged by CPU time: on the shipped
    set against `rank -f json` (the two taking turns, so that their ratio sees the same
    load), 1,000 options x 2 resources, 1,000 draws on the shipped set and the frontier
    over the budget."""
    rank_json, plain = measure_together(
        [
            [*engage, "rank", str(OPTIONS), "-f", "json"],
            [*engage, "portfolio", str(OPTIONS), "-f", "json"],
        ],
        runs,
    )
    n = 60 if quick else 1000
    code = SOLVE_LARGE.format(root=str(ROOT), here=str(HERE), n=n)
    large = measure([sys.executable, "-c", code], heavy)
    draws = "100" if quick else "1000"
    drawn = measure([*engage, "portfolio", str(OPTIONS), "--draws", draws, "-f", "json"], heavy)
    frontier = measure(
        [*engage, "portfolio", str(OPTIONS), "--frontier", "budget", "-f", "json"], heavy
    )
    ratio = plain["cpu"] / rank_json["cpu"]
    wall = plain["median"] / rank_json["median"]
    return [
        ("rank options -f json (beside portfolio)", rank_json, ""),
        (
            "portfolio options -f json",
            plain,
            f"cpu {ratio:.2f} × rank -f json, median {wall:.2f} × (target ≤ 1.5)",
        ),
        (f"portfolio solve, {n:,} options × 2 resources", large, "target ≤ 2 s (cpu)"),
        (f"portfolio options --draws {draws}", drawn, "target ≤ 10 s (cpu)"),
        ("portfolio options --frontier budget", frontier, "target ≤ 3 s (cpu)"),
    ]


def print_rows(rows: Sequence[tuple[str, dict[str, float], str]], runs: int) -> None:
    width = max(len(name) for name, _, _ in rows)
    print(
        f"{'measure':<{width}}  {'min':>7}  {'median':>7}  {'max':>7}  {'cpu':>7}  "
        f"{'peak MB':>7}  note"
    )
    for name, m, note in rows:
        print(
            f"{name:<{width}}  {m['min']:7.3f}  {m['median']:7.3f}  {m['max']:7.3f}  "
            f"{m['cpu']:7.3f}  {m['peak_mb']:7.1f}  {note}"
        )
    print(
        f"\n{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}; "
        f"python {sys.version.split()[0]}; {runs} run(s) per light measure"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each")
    parser.add_argument("--runs", type=int, default=11, help="runs per light measurement")
    parser.add_argument(
        "--portfolio", action="store_true", help="only the portfolio rows (a minute or two)"
    )
    args = parser.parse_args(argv)
    quick = args.quick
    runs = 1 if quick else args.runs
    if args.portfolio:
        print_rows(portfolio_rows(engage_command(), runs, max(1, min(runs, 3)), quick=quick), runs)
        return
    big, huge = (200, 1000) if quick else (10_000, 100_000)
    draws_options = 50 if quick else 1000
    engage = engage_command()
    rows: list[tuple[str, dict[str, float], str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(
            OPTIONS.parent / "engage" / "data" / "engage.toml", work / "engage.toml"
        )  # no baseline
        write_toml(work / "big.toml", big)
        write_toml(work / "huge.toml", huge)
        write_ndjson(work / "huge.ndjson", huge)
        write_toml(work / "draws.toml", draws_options)
        hello, rank_json, rank_table = measure_together(
            [
                [sys.executable, str(HERE / "hello.py")],
                [*engage, "rank", str(OPTIONS), "-f", "json"],
                [*engage, "rank", str(OPTIONS)],
            ],
            runs,
        )
        rows += [
            ("hello-world typer app", hello, ""),
            (
                "rank options -f json",
                rank_json,
                f"{rank_json['median'] / hello['median']:.2f} × hello (target ≤ 1.3)",
            ),
            (
                "rank options (table)",
                rank_table,
                f"{rank_table['median'] / hello['median']:.2f} × hello (target ≤ 1.5)",
            ),
        ]
        script = pymcdm_script(work)
        if script is not None:
            pymcdm = measure([sys.executable, str(script)], runs)
            rows.append(
                (
                    "pymcdm script, same ranking",
                    pymcdm,
                    f"engage {pymcdm['median'] / rank_json['median']:.1f} × faster (target ≥ 5)",
                )
            )
        heavy = max(1, min(runs, 3))
        toml_big = measure([*engage, "rank", str(work / "big.toml"), "-f", "json"], heavy)
        toml_huge = measure([*engage, "rank", str(work / "huge.toml"), "-f", "json"], heavy)
        ndjson = measure([*engage, "rank", "-", "-f", "json"], heavy, stdin=work / "huge.ndjson")
        rows += [
            (f"{big:,} options, TOML, rank -f json", toml_big, "target ≤ 1.5 s"),
            (
                f"{huge:,} options, TOML, rank -f json",
                toml_huge,
                f"{toml_huge['median'] / toml_big['median']:.1f} × the {big:,} case "
                "(targets ≤ 12 s, ≤ 500 MB, ≤ 12 ×)",
            ),
            (f"{huge:,} options, NDJSON on stdin", ndjson, "target ≤ 4 s"),
        ]
        draws = "1000" if quick else "10000"
        shipped = measure(
            [*engage, "robustness", str(OPTIONS), "--draws", draws, "-f", "json"], heavy
        )
        many = measure(
            [*engage, "robustness", str(work / "draws.toml"), "--draws", draws, "-f", "json"], heavy
        )
        rows += [
            (f"robustness, {draws} draws, shipped set", shipped, "target ≤ 1.0 s"),
            (f"robustness, {draws} draws × {draws_options:,} options", many, "target ≤ 10 s"),
        ]
        rows += portfolio_rows(engage, runs, heavy, quick=quick)
    print_rows(rows, runs)


if __name__ == "__main__":
    main()
