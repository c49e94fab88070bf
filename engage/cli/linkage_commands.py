"""`decouple`, `tracks` and `diff`: the linkage lens and what changed between versions."""

from __future__ import annotations

from typing import Annotated

import typer

from engage.cli.base import command, emit, emit_result, note, render_rich, row_formats
from engage.cli.common import (
    SCORING,
    MaxOption,
    MethodOption,
    MinOption,
    ModelOption,
    OutputOption,
    Paths,
    ProfileOption,
    QuietOption,
    Scoring,
    SetOption,
    TagOption,
    TopOption,
    TrackOption,
    WeightsOption,
    load_set,
    note_weights,
    parse_weights,
    prepare,
    selection_for,
    set_paths,
)
from engage.core.errors import EXIT_CHECK_FAILED, UsageError

DECOUPLE_FORMATS = ("table", "json", "ndjson", "csv", "tsv", "markdown", "svg", "html")
TRACKS_FORMATS = DECOUPLE_FORMATS
DIFF_FORMATS = ("table", "json", "markdown", "svg", "html")


@command("decouple", formats=DECOUPLE_FORMATS)
def decouple_command(
    paths: Paths = None,
    set_: SetOption = None,
    model: ModelOption = None,
    stall_probability: Annotated[
        float | None,
        typer.Option(
            "--stall-probability",
            help="Chance the political track stalls, 0-1 (default: the model's, else 0.7).",
            show_default=False,
        ),
    ] = None,
    sweep: Annotated[
        bool, typer.Option("--sweep", help="Every overtaking as the probability goes 0 to 1.")
    ] = False,
    track: TrackOption = None,
    tag: TagOption = None,
    minimum: MinOption = None,
    maximum: MaxOption = None,
    top: TopOption = None,
    *,
    fmt: str,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> None:
    """What each option delivers if it stays linked to the political track, and standalone.

    delivered if linked = 100·b·f·(1 − s·l); standalone = 100·b·f·(1 − s·l₀); the
    dividend (their difference) is an upper bound: decoupling is assumed to cost nothing.

    Examples:

        engage decouple options
        engage decouple --stall-probability 0.9 -t humanitarian
        engage decouple --sweep -f json | jq '.crossings'
    """
    from engage.analysis.decouple import check_stall_probability, decouple
    from engage.render import decouple as render

    if stall_probability is not None:
        check_stall_probability(stall_probability)
    option_set = load_set(set_paths(paths, set_), model, quiet)
    selection = selection_for(option_set.model, track, tag, minimum, maximum)
    s = option_set.model.stall_probability if stall_probability is None else stall_probability
    result = decouple(option_set, s, selection, sweep=sweep).top(top)
    text = row_formats(render)
    emit_result(result, fmt, output, "engage decouple", text, render.table)


@command("tracks", formats=TRACKS_FORMATS, scoring=SCORING)
def tracks_command(
    scoring: Scoring,
    max_linkage: Annotated[
        float | None,
        typer.Option(
            "--max-linkage",
            help="StandaloneAgenda: linkage at most this (default: the linkage scale's midpoint).",
            show_default=False,
        ),
    ] = None,
    *,
    fmt: str,
    output: OutputOption = None,
) -> None:
    """Per track: how many options, the best and its score, mean linkage; a standalone.

    The standalone agenda is the best option of each track whose linkage is at most
    --max-linkage, with the total of their scores.

    Examples:

        engage tracks options
        engage tracks --max-linkage 2 -p standalone
        engage tracks -f json | jq '.standalone'
    """
    from engage.analysis.tracks import track_report
    from engage.render import tracks as render

    option_set, lens, selection = prepare(scoring)
    report = track_report(option_set, lens, selection, max_linkage)
    text = row_formats(render)
    emit_result(report, fmt, output, "engage tracks", text, render.table)


@command("diff", formats=DIFF_FORMATS)
def diff_command(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="OLD NEW; with --git, the set paths (default as --set).", show_default=False
        ),
    ] = None,
    git: Annotated[
        str | None,
        typer.Option(
            "--git",
            metavar="REV",
            help="Compare the set as it was at git revision REV with the working tree.",
            show_default=False,
        ),
    ] = None,
    set_: SetOption = None,
    model: ModelOption = None,
    profile: ProfileOption = None,
    weights: WeightsOption = None,
    method: MethodOption = None,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 3 when anything differs, 0 when not.")
    ] = False,
    *,
    fmt: str,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> None:
    """What changed between two versions of a set: options, fields, ranks, the model.

    Each side is scored under its own model with the same profile name and method, so a
    change of weights shows as rank moves.

    Examples:

        engage diff old-options options
        engage diff --git HEAD~1
        engage diff --git main options --exit-code -f json | jq '.moves'
    """
    from engage.analysis.diff import diff_sets, paired_lenses
    from engage.io.loader import load
    from engage.render import diff as render

    if git is not None:
        from engage.io.gitread import load_at_revision

        new_paths = set_paths(paths, set_)
        old_set, names = load_at_revision(git, new_paths, model_path=model)
        labels = (" ".join(names), " ".join(new_paths) + " (working tree)")
    else:
        if set_:
            raise UsageError("--set goes with --git; without it give OLD and NEW")
        if len(paths or []) != 2:
            raise UsageError(
                "diff needs two sets, OLD and NEW", hint="or --git REV [PATH...] for git"
            )
        assert paths is not None
        new_paths = [paths[1]]
        old_set = load([paths[0]], model_path=model)
        labels = (paths[0], paths[1])
    new_set = load(new_paths, model_path=model)
    for set_note in (*old_set.notes, *new_set.notes):
        note(set_note, quiet=quiet)
    given = parse_weights(weights)
    old_lens, new_lens, notes = paired_lenses(old_set.model, new_set.model, profile, method, given)
    note_weights(given, quiet)
    for text in notes:
        note(text, quiet=quiet)
    result = diff_sets(old_set, new_set, old_lens, new_lens)
    if fmt == "json":
        emit(render.to_json(result, labels), output)
    elif fmt == "markdown":
        emit(render.to_markdown(result, labels), output)
    else:
        emit(
            render_rich(lambda w: render.table(result, labels, w), fmt, output, "engage diff"),
            output,
        )
    if exit_code and not result.empty:
        raise typer.Exit(EXIT_CHECK_FAILED)
