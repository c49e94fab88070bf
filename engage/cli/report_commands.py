"""`report`: the briefing for a meeting pack."""

from __future__ import annotations

from typing import Annotated

import typer

from engage.cli.base import command, emit, note, stdout_is_terminal
from engage.cli.common import SCORING, OutputOption, Scoring, prepare
from engage.core.errors import UsageError

REPORT_FORMATS = ("html", "markdown")


@command("report", formats=REPORT_FORMATS, default="html", scoring=SCORING)
def report_command(
    scoring: Scoring,
    leaders: Annotated[
        int, typer.Option("--leaders", min=1, help="How many top options to explain.")
    ] = 3,
    draws: Annotated[int, typer.Option("--draws", min=1, help="Robustness draws.")] = 10000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Robustness seed.")] = 0,
    *,
    fmt: str,
    output: OutputOption = None,
) -> None:
    """A self-contained briefing: ranking, reasons, sensitivity, robustness, linkage.

    One HTML file that loads nothing from anywhere (charts are inline SVG) and prints
    cleanly; or Markdown with -f markdown. The robustness run is seeded and the seed is
    stated, so the same input gives the same file.

    Examples:

        engage report options -o brief.html
        engage report -p conditional --leaders 5 -o brief-conditional.html
        engage report -f markdown > brief.md
    """
    from engage.analysis.report import brief
    from engage.render import report as render

    if fmt == "html" and output is None and stdout_is_terminal():
        raise UsageError("report writes a whole HTML page: give -o FILE (or pipe it)")
    option_set, lens, selection = prepare(scoring)
    briefing = brief(option_set, lens, selection, top=leaders, draws=draws, seed=seed)
    text = render.to_markdown(briefing) if fmt == "markdown" else render.to_html(briefing)
    emit(text, output)
    if output is not None:
        note(f"wrote {output}", quiet=scoring.quiet)
