"""`rank`, `validate` and `model`."""

from __future__ import annotations

from typing import Annotated

import typer

from engage.cli.base import (
    check_format,
    command,
    emit,
    emit_result,
    note,
    render_rich,
    row_formats,
    stderr_lines,
)
from engage.cli.common import (
    MaxOption,
    MethodsOption,
    MinOption,
    ModelOption,
    OutputOption,
    Paths,
    ProfilesOption,
    QuietOption,
    SetOption,
    TagOption,
    TopOption,
    TrackOption,
    WeightsOption,
    format_help,
    load_set,
    note_weights,
    parse_weights,
    selection_for,
    set_paths,
)
from engage.errors import EXIT_INVALID, InvalidInput, UsageError

RANK_FORMATS = ("table", "json", "ndjson", "csv", "tsv", "markdown", "ids", "svg", "html")
VALIDATE_FORMATS = ("table", "json")
MODEL_FORMATS = ("table", "json", "toml", "markdown")


@command("rank")
def rank_command(
    paths: Paths = None,
    set_: SetOption = None,
    model: ModelOption = None,
    profile: ProfilesOption = None,
    weights: WeightsOption = None,
    method: MethodsOption = None,
    track: TrackOption = None,
    tag: TagOption = None,
    minimum: MinOption = None,
    maximum: MaxOption = None,
    top: TopOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=format_help(RANK_FORMATS))] = "table",
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> None:
    """Rank the options: the comparison table, or data for a pipeline.

    Examples:

        engage rank options
        engage rank -p conditional -n 5
        engage rank -w benefit=0.6,feasibility=0.3,linkage=0.1 -f json | jq '.options[0]'
        engage rank -t humanitarian -f csv > humanitarian.csv
    """
    from engage.analysis.lenses import compare_lenses
    from engage.analysis.lenses import top as keep_top
    from engage.ranking import resolve_lens
    from engage.render import rank as render

    check_format(fmt, RANK_FORMATS, "rank")
    if weights is not None and len(profile or []) > 1:
        raise UsageError("--weights replaces the profile: give it with one --profile at most")
    option_set = load_set(set_paths(paths, set_), model, quiet)
    given = parse_weights(weights)
    profiles: list[str | None] = [*profile] if profile else [None]
    methods: list[str | None] = [*method] if method else [None]
    lenses = [resolve_lens(option_set.model, p, m, given) for p in profiles for m in methods]
    note_weights(given, quiet)
    selection = selection_for(option_set.model, track, tag, minimum, maximum)
    comparison = keep_top(compare_lenses(option_set, lenses, selection), top)
    text = {**row_formats(render), "ids": render.to_ids}
    emit_result(comparison, fmt, output, "engage rank", text, render.table)


@command("validate")
def validate_command(
    paths: Paths = None,
    set_: SetOption = None,
    model: ModelOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=format_help(VALIDATE_FORMATS))
    ] = "table",
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> None:
    """Check every file of a set and report every problem at once.

    Exit 1 on any error (with --strict, on any warning too). --strict warns about a
    score without rationale, sources or range.

    Examples:

        engage validate options
        engage validate --strict options
        engage validate -f json options | jq '.diagnostics[] | .message'
    """
    from engage.loader import load
    from engage.render.validate import summary, to_json

    check_format(fmt, VALIDATE_FORMATS, "validate")
    paths_ = set_paths(paths, set_)
    try:
        option_set = load(paths_, model_path=model, warnings=True)
        diagnostics = list(option_set.warnings)
        count, notes = len(option_set.options), list(option_set.notes)
    except InvalidInput as exc:
        diagnostics, count, notes = exc.diagnostics, 0, []
    failed = any(d.severity == "error" for d in diagnostics) or (strict and bool(diagnostics))
    if fmt == "json":
        emit(to_json(diagnostics, ok=not failed), output)
    else:
        stderr_lines([d.format() for d in diagnostics])
        for line in notes:
            note(line, quiet=quiet)
        if not quiet or failed:
            stderr_lines([summary(diagnostics, count, ", ".join(paths_), failed=failed)])
    if failed:
        raise typer.Exit(EXIT_INVALID)


@command("model")
def model_command(
    paths: Paths = None,
    set_: SetOption = None,
    model: ModelOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=format_help(MODEL_FORMATS))] = "table",
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> None:
    """Show the model that applies: criteria, scales, tracks, profiles, screens.

    Examples:

        engage model options
        engage model -f toml > engage.toml
        engage model -f json | jq '.profiles'
    """
    from engage.loader import load_model
    from engage.render import model as render

    check_format(fmt, MODEL_FORMATS, "model")
    resolved, origin, notes = load_model(set_paths(paths, set_), model_path=model)
    for line in notes:
        note(line, quiet=quiet)
    if fmt == "json":
        emit(render.to_json(resolved, origin), output)
    elif fmt == "toml":
        emit(render.to_toml(resolved), output)
    elif fmt == "markdown":
        emit(render.to_markdown(resolved, origin), output)
    else:
        emit(
            render_rich(lambda _w: render.table(resolved, origin), fmt, output, "engage model"),
            output,
        )
