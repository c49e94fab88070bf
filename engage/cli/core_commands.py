"""`rank`, `validate` and `model`."""

from __future__ import annotations

from typing import Annotated

import typer

from engage.cli.base import (
    command,
    emit,
    emit_result,
    flag,
    note,
    render_rich,
    row_formats,
    stderr_lines,
)
from engage.cli.common import (
    LENSES,
    ModelOption,
    OutputOption,
    Paths,
    QuietOption,
    Scoring,
    SetOption,
    TopOption,
    prepare_lenses,
    set_paths,
)
from engage.core.errors import EXIT_INVALID, InvalidInput

RANK_FORMATS = ("table", "json", "ndjson", "csv", "tsv", "markdown", "ids", "svg", "html")
VALIDATE_FORMATS = ("table", "json")
MODEL_FORMATS = ("table", "json", "toml", "markdown")


@command("rank", formats=RANK_FORMATS, scoring=LENSES)
def rank_command(
    scoring: Scoring, top: TopOption = None, *, fmt: str, output: OutputOption = None
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
    from engage.render import rank as render
    from engage.render.rank_table import table

    option_set, lenses, selection = prepare_lenses(scoring)
    comparison = keep_top(compare_lenses(option_set, lenses, selection), top)
    text = {**row_formats(render), "ids": render.to_ids}
    emit_result(comparison, fmt, output, "engage rank", text, table)


@command("validate", formats=VALIDATE_FORMATS)
def validate_command(
    paths: Paths = None,
    set_: SetOption = None,
    model: ModelOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    *,
    fmt: str,
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
    from engage.io.loader import load
    from engage.render.validate import summary, to_json

    paths_ = set_paths(paths, set_)
    try:
        option_set = load(paths_, model_path=model, warnings=True)
        diagnostics = list(option_set.warnings)
        count, notes = len(option_set.options), list(option_set.notes)
    except InvalidInput as exc:
        diagnostics, count, notes = exc.worded(flag).diagnostics, 0, []
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


@command("model", formats=MODEL_FORMATS)
def model_command(
    paths: Paths = None,
    set_: SetOption = None,
    model: ModelOption = None,
    *,
    fmt: str,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> None:
    """Show the model that applies: criteria, scales, tracks, profiles, screens.

    Examples:

        engage model options
        engage model -f toml > engage.toml
        engage model -f json | jq '.profiles'
    """
    from engage.io.loader import load_model
    from engage.render import model as render

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
