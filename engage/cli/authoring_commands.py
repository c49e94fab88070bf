"""`init`, `new`, `import`, `export` and `schema`: making option files and sets.

Nothing is written until everything is checked; every file goes through
:mod:`engage.io.writer` (all files or none, never over a file without ``--force``); an id
becomes ``DIR/ID.toml`` only after it has been checked to be a slug.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from engage.cli.base import command, emit, note
from engage.cli.common import ModelOption, OutputOption, Paths, QuietOption, SetOption, set_paths
from engage.core.errors import EngageError, InvalidInput, UsageError, WriteError

if TYPE_CHECKING:
    from engage.core.model import Model
    from engage.io.authoring import Draft

EXPORT_FORMATS = ("toml", "json", "csv")
SCHEMA_FORMATS = ("json",)
MODEL_FILE = "engage.toml"
Many = list[str] | None


def _flag(*names: str, help_text: str) -> Any:
    return typer.Option(*names, help=help_text, show_default=False)


TargetOption = Annotated[
    Path | None,
    _flag(
        "--set", "-s", help_text="Directory to write into (default $ENGAGE_SET, else ./options)."
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace files that exist.")]


@command("init")
def init_command(
    directory: Annotated[Path, typer.Argument(help="Directory for the new set.")] = Path("options"),
    quiet: QuietOption = False,
) -> None:
    """Start a set: DIR/engage.toml (the default model) and one example option.

    Refuses, writing nothing, if either file exists.

    Examples:

        engage init
        engage init policy/options && engage rank policy/options
    """
    from engage.io.loader import default_model_text
    from engage.io.writer import occupied
    from engage.render.export import EXAMPLE_ID, EXAMPLE_OPTION

    model, example = directory / MODEL_FILE, directory / f"{EXAMPLE_ID}.toml"
    existing = [p for p in (model, example) if occupied(p)]  # a link, even to nowhere, too
    if existing:
        link = (
            " (a symbolic link counts as a file)" if any(p.is_symlink() for p in existing) else ""
        )
        raise WriteError(
            f"{' and '.join(map(str, existing))} already exist{'s' * (len(existing) == 1)}{link}; "
            "engage init writes nothing in a set that has begun"
        )
    _write([(model, default_model_text()), (example, EXAMPLE_OPTION)], overwrite=False)
    note(f"wrote {model} and {example}; next: engage new ID --set {directory}", quiet=quiet)


@command("new")
def new_command(
    option_id: Annotated[str, typer.Argument(metavar="ID", help="The new option's id.")],
    set_: TargetOption = None,
    title: Annotated[str | None, _flag("--title", help_text="One-line title.")] = None,
    track: Annotated[str | None, _flag("--track", help_text="Track of the model.")] = None,
    summary: Annotated[str | None, _flag("--summary", help_text="Short description.")] = None,
    tag: Annotated[Many, _flag("--tag", help_text="Tag (repeatable).")] = None,
    score: Annotated[Many, _flag("--score", help_text="CRIT=VALUE (repeatable).")] = None,
    range_: Annotated[Many, _flag("--range", help_text="CRIT=LOW:HIGH (repeatable).")] = None,
    rationale: Annotated[Many, _flag("--rationale", help_text="CRIT=TEXT (repeatable).")] = None,
    source: Annotated[
        Many, _flag("--source", help_text="CRIT=TEXT: one source (repeatable).")
    ] = None,
    cost: Annotated[
        Many, _flag("--cost", help_text="RESOURCE=VALUE, for portfolio (repeatable).")
    ] = None,
    force: ForceOption = False,
    quiet: QuietOption = False,
) -> None:
    """Write SET/ID.toml for a new option, checked against the set's model first.

    On a terminal, when a title, track or score is missing, engage asks for everything
    the flags leave out (Enter skips what is optional); otherwise that is an error.

    Examples:

        engage new girls-radio --title "Girls' lessons by radio" --track rights \\
            --score benefit=5 --score feasibility=6 --score linkage=3 \\
            --range benefit=3:7 --rationale benefit="Reaches..." --source benefit="UNICEF, 2024"
        engage new girls-radio          # asks, criterion by criterion
    """
    from engage.io import authoring
    from engage.render import export

    directory = _target_dir(set_)
    model = _model_for(directory)
    draft = authoring.draft_from_flags(
        option_id,
        model,
        title=title,
        track=track,
        summary=summary,
        tags=tag or [],
        scores=score or [],
        ranges=range_ or [],
        rationales=rationale or [],
        sources=source or [],
        costs=cost or [],
    )
    target = _new_target(directory, draft.id, force=force)
    _complete(draft, model)
    table = export.file_table(draft.table(), model)
    doc = authoring.FlagDocument(str(target))
    _, errors, warnings = authoring.check_tables([(doc, ("option", 0), table)], model)
    if errors:
        raise authoring.FlagValueError(errors)
    schema_line = (directory / export.SCHEMA_FILE).exists()
    _write([(target, export.option_file_text([table], schema_line=schema_line))], overwrite=force)
    note(f"wrote {target}", quiet=quiet)
    uncosted = [w.message.split("'")[1] for w in warnings if w.code == "no-cost"]
    if uncosted:
        note(f"portfolio needs a cost (--cost) for: {', '.join(uncosted)}", quiet=quiet)
    if any(w.code != "no-cost" for w in warnings):
        criteria = ", ".join(
            sorted({str(w.path).rsplit(" ", 1)[-1] for w in warnings if w.code != "no-cost"})
        )
        note(f"validate --strict wants a rationale, source and range for: {criteria}", quiet=quiet)


def _new_target(directory: Path, option_id: str, *, force: bool) -> Path:
    """SET/ID.toml, refused before any question is asked if it cannot be written."""
    from engage.io.writer import check_free

    target = directory / f"{option_id}.toml"
    if target.name == MODEL_FILE:
        raise UsageError(f"id '{option_id}' would be written to {MODEL_FILE}, the model's file")
    check_free([target], force=force)  # the writer's rule: a link counts as a file
    used = _existing_ids(directory).get(option_id)
    if used is not None and used != os.path.normpath(target):
        raise WriteError(f"id '{option_id}' is already used in {used}")
    return target


def _complete(draft: Draft, model: Model) -> None:
    """Ask for what is missing on a terminal; elsewhere, name it as an error."""
    missing = draft.missing(model)
    if missing and _interactive():
        from engage.io.authoring import interview

        interview(draft, model, _prompt, sys.stderr.write)
    elif missing:
        raise UsageError(
            f"missing {', '.join(missing)} (stdin is not a terminal, so engage cannot ask)",
            hint=f"engage new {draft.id} --title TEXT --track NAME --score CRIT=VALUE ...",
            field=draft.FIELDS,
        )


@command("import")
def import_command(
    file: Annotated[str, typer.Argument(metavar="FILE.csv", help="CSV file, or - for stdin.")],
    set_: TargetOption = None,
    single: Annotated[Path | None, _flag("--single", help_text="Write all into this file.")] = None,
    force: ForceOption = False,
    quiet: QuietOption = False,
) -> None:
    """Turn a spreadsheet saved as CSV into option files, one per row (or --single).

    Columns: id, title, track and one per criterion; optional CRIT_low, CRIT_high,
    CRIT_rationale, CRIT_sources (one per line in the cell, or separated by " | "),
    CRIT_intrinsic, CRIT_by ("name=value | ..."), summary, tags (separated by "," or
    "|"), actors (as sources), meta.KEY. Every row is checked first; nothing is written
    if one fails.

    Examples:

        engage import options.csv --set options
        engage import - --single all.toml < sheet.csv
    """
    from engage.io import authoring, csvimport
    from engage.io.csvimport import read_sheet
    from engage.render import export

    if set_ is not None and single is not None:
        raise UsageError("give --set DIR or --single FILE.toml, not both")
    directory = single.parent if single is not None else _target_dir(set_)
    model = _model_for(directory, single)
    name, text = _read_csv(file)
    sheet = read_sheet(text, name, model)
    if sheet.problems:
        raise InvalidInput(sheet.problems)
    doc, tables, problems = csvimport.options_from_sheet(sheet)
    entries = [(doc, ("option", i), t) for i, t in enumerate(tables)]
    existing = _existing_ids(directory)  # the whole set, also when writing --single
    _, errors, warnings = authoring.check_tables(entries, model, ids=existing)
    errors += authoring.clashes(doc, tables, existing, directory, single)
    errors = authoring.merge_problems(problems, [*sheet.row_problems, *errors])
    if errors:
        raise InvalidInput(errors)
    tables = [export.file_table(t, model) for t in tables]
    files = _option_files(tables, directory, single)
    _write(files, overwrite=force)
    count = f"{len(files)} file{'s' * (len(files) != 1)}"
    where = str(single) if single is not None else f"{count} in {directory}"
    note(f"imported {len(tables)} option{'s' * (len(tables) != 1)} into {where}", quiet=quiet)
    if warnings:
        from engage.io.validate import STRICT_WARNINGS

        codes = {w.code for w in warnings}
        kinds = ", ".join(kind for code, kind in STRICT_WARNINGS.items() if code in codes)
        note(
            f"{len(warnings)} detail(s) missing ({kinds}); "
            f"engage validate --strict {single or directory} lists them",
            quiet=quiet,
        )


@command("export", formats=EXPORT_FORMATS, default="toml")
def export_command(
    paths: Paths = None,
    set_: SetOption = None,
    model: ModelOption = None,
    *,
    fmt: str,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> None:
    """The whole set as one self-contained document: model embedded, every default filled.

    `engage rank all.toml` (or all.json) ranks exactly as the set did. CSV has the
    columns `engage import` reads (the options only: the model stays in engage.toml).

    Examples:

        engage export -f toml > all.toml && engage rank all.toml
        engage export -f json | jq -c '.options[] | select(.track == "security")'
        engage export -f csv -o options.csv
    """
    from engage.io.loader import load
    from engage.render import export as render

    option_set = load(set_paths(paths, set_), model_path=model)
    for line in option_set.notes:
        note(line, quiet=quiet)
    text = {"toml": render.to_toml, "json": render.to_json, "csv": render.to_csv}[fmt]
    emit(text(option_set), output)


@command("schema", formats=SCHEMA_FORMATS, default="json")
def schema_command(
    kind: Annotated[str, typer.Argument(metavar="[option|model]", help="Which file.")] = "option",
    set_: SetOption = None,
    model: ModelOption = None,
    *,
    fmt: str,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> None:
    """JSON Schema (draft 2020-12) of option files or of engage.toml, for editors.

    Built from the set's model, so criterion names and tracks are known. Taplo and the
    Even Better TOML extension use it from a `#:schema ./engage.schema.json` first line.

    Examples:

        engage schema -o options/engage.schema.json
        engage schema model -o options/engage.model.schema.json
    """
    from engage.core.errors import unknown_name
    from engage.io.jsonschema import KINDS, schema_for
    from engage.io.loader import load_model
    from engage.render.common import dumps_json

    if kind not in KINDS:
        raise unknown_name("schema", kind, KINDS)
    resolved, _, notes = load_model(set_paths(None, set_), model_path=model)
    for line in notes:
        note(line, quiet=quiet)
    emit(dumps_json(schema_for(kind, resolved)), output)


# -- where files go ------------------------------------------------------------------------


def _option_files(
    tables: list[dict[str, Any]], directory: Path, single: Path | None
) -> list[tuple[Path, str]]:
    """One file per option in ``directory``, or all of them in ``single``; each starts
    with a ``#:schema`` line when the set has an engage.schema.json."""
    from engage.render.export import SCHEMA_FILE, option_file_text

    schema = (directory / SCHEMA_FILE).exists()
    if single is not None:
        return [(single, option_file_text(tables, schema_line=schema))]
    return [
        (directory / f"{t['id']}.toml", option_file_text([t], schema_line=schema)) for t in tables
    ]


def _target_dir(given: Path | None) -> Path:
    """--set, else $ENGAGE_SET when it names one directory, else ./options."""
    if given is not None:
        return given
    env = os.environ.get("ENGAGE_SET", "").strip()
    if env and os.pathsep not in env and Path(env).is_dir():
        return Path(env)
    return Path("options")


def _model_for(directory: Path, single: Path | None = None) -> Model:
    """The model the written files will be ranked with: the set's engage.toml (or the
    file's embedded model), else the built-in one (for a directory not made yet)."""
    from engage.io.loader import load_model

    given = single if single is not None else directory
    return load_model([str(given)] if directory.is_dir() else [])[0]


def _existing_ids(path: Path) -> dict[str, str]:
    """Every id in the files at ``path``, even with errors elsewhere: id -> file."""
    from engage.io.loader import option_ids

    if not path.exists():
        return {}
    return {k: os.path.normpath(v) for k, v in option_ids([str(path)]).items()}


def _write(files: list[tuple[Path, str]], *, overwrite: bool) -> None:
    """writer.write_all, creating the directory first (and removing it again on failure)."""
    from engage.io.writer import write_all

    directory = files[0][0].parent
    if directory.exists() and not directory.is_dir():
        raise WriteError(f"{directory} is not a directory")
    created = not directory.exists()
    if created:
        try:
            directory.mkdir(parents=True)
        except OSError as exc:
            raise WriteError(f"cannot create {directory}: {exc.strerror or exc}") from None
    try:
        write_all(files, overwrite=overwrite)
    except WriteError:
        if created:
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise


def _read_csv(file: str) -> tuple[str, str]:
    """The CSV text and its name for diagnostics; a BOM is dropped, UTF-8 is required."""
    from engage.io.loader import read_text

    return read_text(file, advice="save the sheet as 'CSV UTF-8'")


# -- asking on a terminal ------------------------------------------------------------------


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _prompt(text: str, check: Callable[[str], Any]) -> Any:
    """Ask on stderr and read a line from stdin; a ValueError from ``check`` is shown and
    the question asked again. (typer.prompt echoes a space to stdout, the data channel.)"""
    while True:
        sys.stderr.write(f"{text}: ")
        sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            sys.stderr.write("\n")
            raise EngageError("no answer (end of input); nothing was written")
        try:
            return check(line.rstrip("\r\n"))
        except ValueError as exc:
            sys.stderr.write(f"error: {exc}\n")
