"""`report`: the briefing for a meeting pack."""

from __future__ import annotations

from typing import Annotated

import typer

from engage.cli.base import check_format, command, emit, note, stdout_is_terminal
from engage.cli.common import (
    MaxOption,
    MethodOption,
    MinOption,
    ModelOption,
    OutputOption,
    Paths,
    ProfileOption,
    QuietOption,
    SetOption,
    TagOption,
    TrackOption,
    WeightsOption,
    format_help,
    prepare,
    set_paths,
)
from engage.errors import UsageError

REPORT_FORMATS = ("html", "markdown")


@command("report")
def report_command(
    paths: Paths = None,
    set_: SetOption = None,
    model: ModelOption = None,
    profile: ProfileOption = None,
    weights: WeightsOption = None,
    method: MethodOption = None,
    track: TrackOption = None,
    tag: TagOption = None,
    minimum: MinOption = None,
    maximum: MaxOption = None,
    leaders: Annotated[
        int, typer.Option("--leaders", min=1, help="How many top options to explain.")
    ] = 3,
    draws: Annotated[int, typer.Option("--draws", min=1, help="Robustness draws.")] = 10000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Robustness seed.")] = 0,
    fmt: Annotated[str, typer.Option("--format", "-f", help=format_help(REPORT_FORMATS))] = "html",
    output: OutputOption = None,
    quiet: QuietOption = False,
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
    from engage.render import report as render
    from engage.report import brief

    check_format(fmt, REPORT_FORMATS, "report")
    if fmt == "html" and output is None and stdout_is_terminal():
        raise UsageError("report writes a whole HTML page: give -o FILE (or pipe it)")
    option_set, lens, selection = prepare(
        set_paths(paths, set_),
        model,
        profile,
        weights,
        method,
        (track, tag, minimum, maximum),
        quiet,
    )
    briefing = brief(option_set, lens, selection, top=leaders, draws=draws, seed=seed)
    text = render.to_markdown(briefing) if fmt == "markdown" else render.to_html(briefing)
    emit(text, output)
    if output is not None:
        note(f"wrote {output}", quiet=quiet)
