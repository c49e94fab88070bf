"""`sensitivity` and `robustness`: how far the weights can move, and Monte-Carlo ranks."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from engage.cli.base import command, emit_result, row_formats
from engage.cli.common import SCORING, OutputOption, Scoring, check_draw_options, prepare
from engage.core.errors import CheckFailed

SENSITIVITY_FORMATS = ("table", "json", "markdown", "svg", "html")
ROBUSTNESS_FORMATS = ("table", "json", "csv", "tsv", "ndjson", "markdown", "svg", "html")

PROGRESS_SECONDS = 1.0
"""Show a progress bar (on a terminal) when a run is expected to take longer than this."""


@command("sensitivity", formats=SENSITIVITY_FORMATS, scoring=SCORING)
def sensitivity_command(scoring: Scoring, *, fmt: str, output: OutputOption = None) -> None:
    """How far each weight can move before the top option, or any rank, changes.

    One weight goes from 0 to 1 while the others keep their proportions. Per criterion:
    the interval in which the top option stays top and who takes over past each end,
    the interval with no rank change at all, and for the top option against each of the
    next three, the single-score changes that would make them tie. Exact for
    weighted-sum and promethee; found numerically to 1e-6 for topsis.

    Examples:

        engage sensitivity options
        engage sensitivity -p conditional -m promethee
        engage sensitivity -f json | jq '.criteria.benefit.top_interval'
    """
    from engage.analysis.sensitivity import sensitivity
    from engage.render import sensitivity as render

    option_set, lens, selection = prepare(scoring)
    result = sensitivity(option_set, lens, selection)
    text = {"json": render.to_json, "markdown": render.to_markdown}
    emit_result(result, fmt, output, "engage sensitivity", text, render.table)


@command("robustness", formats=ROBUSTNESS_FORMATS, scoring=SCORING)
def robustness_command(
    scoring: Scoring,
    draws: Annotated[
        int, typer.Option("--draws", min=1, help="Monte-Carlo draws (at least 1).")
    ] = 10000,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Random seed: same seed, same output.")
    ] = 0,
    weights_from: Annotated[
        str,
        typer.Option(
            "--weights-from",
            help="How weights are drawn: local (around the profile), order (keeping its "
            "order of criteria), any (uniform), profile (fixed).",
        ),
    ] = "local",
    concentration: Annotated[
        float,
        typer.Option(
            "--concentration", help="local: Dirichlet concentration (> 0; larger = closer)."
        ),
    ] = 50.0,
    top_k: Annotated[int, typer.Option("--top-k", min=1, help="P(rank <= K) column.")] = 3,
    fail_if_fragile: Annotated[
        bool, typer.Option("--fail-if-fragile", help="Exit 3 unless the verdict is robust.")
    ] = False,
    *,
    fmt: str,
    output: OutputOption = None,
) -> None:
    """How often each option ranks first, in the top K, and where, when scores and
    weights are uncertain (SMAA-2 Monte Carlo).

    Each draw takes every score with a range from triangular(low, value, high), an
    unknown score uniformly from [low, high], and the weights by --weights-from.
    Verdict about the option most often first: robust when it is first in at least
    80 % of draws, tie when the two most often first differ by less than 5 points,
    else fragile.

    Examples:

        engage robustness options
        engage robustness --weights-from any --draws 100000 --seed 7
        engage robustness -f json | jq '.verdict'
        engage robustness --fail-if-fragile -f json -o robustness.json || echo not robust
    """
    from engage.analysis.robustness import expected_seconds, robustness
    from engage.render import robustness as render

    check_draw_options(weights_from, concentration)
    option_set, lens, selection = prepare(scoring)
    long = expected_seconds(option_set, lens, draws) > PROGRESS_SECONDS
    with _progress(show=long and not scoring.quiet and _stderr_is_terminal()) as advance:
        result = robustness(
            option_set,
            lens,
            selection,
            draws=draws,
            seed=seed,
            weights_from=weights_from,
            concentration=concentration,
            top_k=top_k,
            progress=advance,
        )
    text = row_formats(render)
    emit_result(result, fmt, output, "engage robustness", text, render.table)
    if fail_if_fragile and result.verdict != "robust":
        raise CheckFailed(
            f"verdict '{result.verdict}', not robust (--fail-if-fragile)",
            hint=render.verdict_line(result).removeprefix("verdict: "),
        )


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def _progress(*, show: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A transient progress bar on stderr, or nothing; yields the callback to advance it."""
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("drawing"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("draws", total=None)

    def advance(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield advance
