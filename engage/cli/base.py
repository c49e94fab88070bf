"""The typer app, the one error boundary, and how output reaches stdout or a file."""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from engage import __version__
from engage.core.errors import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, EngageError, Note, UsageError

if TYPE_CHECKING:
    from engage.cli.common import ScoringOptions

R = TypeVar("R")

COMMAND_MODULES = {
    **dict.fromkeys(("init", "new", "import", "export", "schema"), "authoring_commands"),
    **dict.fromkeys(("rank", "validate", "model"), "core_commands"),
    **dict.fromkeys(("explain", "compare"), "explain_commands"),
    **dict.fromkeys(("decouple", "tracks", "diff"), "linkage_commands"),
    "report": "report_commands",
    **dict.fromkeys(("sensitivity", "robustness"), "robustness_commands"),
    "weigh": "weigh_commands",
    "explore": "explore_commands",
    "portfolio": "portfolio_commands",
}
"""Which module of engage.cli registers each command, in the order `--help` lists them."""


def new_app() -> typer.Typer:
    """A typer app with engage's settings and root options, and no commands yet."""
    created = typer.Typer(
        name="engage",
        help=(
            "Rank engagement options from TOML files by immediate benefit, feasibility and "
            "linkage to political concessions; explain and stress-test the ranking."
        ),
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode="markdown",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    created.callback()(root)
    return created


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"engage {__version__}\n")
        raise typer.Exit()


def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Rank engagement options by benefit, feasibility and linkage to political concessions."""


app = new_app()
"""The app every command module registers on (all of them: ``load_commands()``)."""


class Command:
    """A registered command as the app knows it: its name and the formats it writes.

    ``formats`` is what ``--format`` accepts, in the order its help lists them, and
    ``default`` its default; () and None for a command without ``--format``. (A plain
    class: a dataclass costs a millisecond of start-up to create.)
    """

    __slots__ = ("default", "formats", "name")

    def __init__(self, name: str, formats: tuple[str, ...], default: str | None) -> None:
        self.name, self.formats, self.default = name, formats, default


COMMANDS: dict[str, Command] = {}
"""Every command registered so far, by name (all of them after ``load_commands()``)."""


def format_help(formats: tuple[str, ...]) -> str:
    return "Output format: " + ", ".join(formats) + "."


def check_format(fmt: str, allowed: tuple[str, ...], command_name: str) -> None:
    if fmt not in allowed:
        raise UsageError(
            f"{command_name} does not write '{fmt}'", hint="formats: " + ", ".join(allowed)
        )


def command(
    name: str,
    *,
    formats: tuple[str, ...] = (),
    default: str = "table",
    scoring: ScoringOptions | None = None,
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a command behind the error boundary, with the options it shares.

    ``formats``: the command takes ``--format/-f`` (``default`` when not given), declared
    here once, and checked before the command runs: the function receives it as its
    keyword-only ``fmt``. ``scoring``: the options that choose the set, the lens and the
    options (engage.cli.common.Scoring) take the place of the function's ``scoring``
    parameter, and ``-q`` goes last; the function receives them as one Scoring.

    Every failure a user can cause is an EngageError: its lines go to stderr and its exit
    code is docs/errors.md's. A reader that went away is exit 141 with nothing on stderr; Ctrl-C
    is 130. Anything else is a bug and is not swallowed.
    """
    spec = Command(name, formats, default if formats else None)

    def register(fn: Callable[..., None]) -> Callable[..., None]:
        signature, pack = _options(fn, spec, scoring)

        @functools.wraps(fn)
        def guarded(**values: Any) -> None:
            try:
                if formats:
                    check_format(values["fmt"], formats, name)
                fn(**pack(values))
            except EngageError as exc:
                stderr_lines(exc.worded(flag).lines())
                raise typer.Exit(exc.exit_code) from None
            except BrokenPipeError:
                _silence_stdout()
                raise typer.Exit(EXIT_BROKEN_PIPE) from None
            except KeyboardInterrupt:
                raise typer.Exit(EXIT_INTERRUPTED) from None

        # typer reads the parameters from these: the shared options in their places
        guarded.__signature__ = signature  # type: ignore[attr-defined]
        guarded.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()}
        COMMANDS[name] = spec
        app.command(name)(guarded)
        return guarded

    return register


def _options(
    fn: Callable[..., None], spec: Command, scoring: ScoringOptions | None
) -> tuple[inspect.Signature, Callable[[dict[str, Any]], dict[str, Any]]]:
    """The signature typer is to read, and how to turn its values into fn's arguments."""
    own = inspect.signature(fn, eval_str=True).parameters
    if ("fmt" in own) != bool(spec.formats) or ("scoring" in own) != (scoring is not None):
        raise TypeError(f"{spec.name}: 'fmt' goes with formats=, 'scoring' with scoring=")
    if scoring is not None and "quiet" in own:
        raise TypeError(f"{spec.name}: -q is part of the scoring options (scoring.quiet)")
    fmt = Annotated[str, typer.Option("--format", "-f", help=format_help(spec.formats))]
    params = [
        p.replace(annotation=fmt, default=spec.default) if p.name == "fmt" else p
        for p in own.values()
    ]
    if scoring is not None:
        params = scoring.expand(params)
    keyword = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in params]

    def pack(values: dict[str, Any]) -> dict[str, Any]:
        return values if scoring is None else scoring.pack(values)

    return inspect.Signature(keyword, return_annotation=None), pack


LABELS = {"id": "ID"}
"""The input fields no ``--`` flag sets, by the name the usage gives them."""


def flag(field: str) -> str:
    """How the command line names an input field that a message names (``draws``):
    the flag that sets it (``--draws``; ``max_linkage``, ``--max-linkage``)."""
    return LABELS.get(field) or "--" + field.replace("_", "-")


def stderr_lines(lines: list[str]) -> None:
    """Write lines for people on stderr (never through rich: user text is not markup)."""
    if lines:
        sys.stderr.write("\n".join(lines) + "\n")
        sys.stderr.flush()


def note(message: str | Note, *, quiet: bool) -> None:
    """A note on stderr; a :class:`Note` names its fields as flags."""
    if not quiet:
        text = message.worded(flag) if isinstance(message, Note) else message
        stderr_lines([f"note: {text}"])


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # no real file descriptor (e.g. under a test runner): nothing to silence


def emit(text: str, output: Path | None) -> None:
    """Data goes to ``-o FILE`` (atomically) or to stdout, flushed so EPIPE is seen here."""
    if output is not None:
        from engage.io.writer import write_atomic

        write_atomic(output, text)
        return
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # no descriptor, e.g. under CliRunner
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    # Straight to the descriptor: CPython's buffered writer can report a partial write
    # as success and swallow the EPIPE that follows (NOTES.md), hiding exit 141.
    sys.stdout.flush()
    data = memoryview(text.encode("utf-8"))
    while data:
        data = data[os.write(fd, data) :]


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def table_width(output: Path | None) -> int:
    """The terminal's width on a terminal; else ``COLUMNS``, else 100 (docs/output.md)."""
    if output is None and stdout_is_terminal():
        return shutil.get_terminal_size((100, 24)).columns
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) >= 40 else 100


def use_color(output: Path | None) -> bool:
    return output is None and stdout_is_terminal() and "NO_COLOR" not in os.environ


def render_rich(build: Callable[[int], Any], fmt: str, output: Path | None, title: str) -> str:
    """A renderable built for the width, as table text, SVG or HTML."""
    from engage.render import console

    width = table_width(output)
    renderable = build(width)
    if fmt == "svg":
        return console.to_svg(renderable, width, title)
    if fmt == "html":
        return console.to_html(renderable, width)
    return console.to_text(renderable, width, color=use_color(output))


def emit_result(
    result: R,
    fmt: str,
    output: Path | None,
    title: str,
    text: Mapping[str, Callable[[R], str]],
    table: Callable[[R, int], Any],
) -> None:
    """Render one result in the format asked for: a text renderer, else a rich table."""
    render = text.get(fmt)
    if render is not None:
        emit(render(result), output)
    else:
        emit(render_rich(lambda width: table(result, width), fmt, output, title), output)


def row_formats(
    render: ModuleType, markdown: Callable[[Any], str] | None = None
) -> dict[str, Callable[[Any], str]]:
    """The text formats of a result with one row per option, from its render module
    (``markdown`` when that one lives beside the table rather than with the data)."""
    return {
        "json": render.to_json,
        "ndjson": render.to_ndjson,
        "csv": lambda result: render.to_delimited(result, tsv=False),
        "tsv": lambda result: render.to_delimited(result, tsv=True),
        "markdown": markdown or render.to_markdown,
    }


def load_commands(names: Iterable[str] | None = None) -> None:
    """Import the modules that register the commands named (default: every command)."""
    wanted = COMMAND_MODULES if names is None else names
    for module in dict.fromkeys(COMMAND_MODULES[name] for name in wanted):
        importlib.import_module(f"engage.cli.{module}")


def single_command_app(name: str) -> typer.Typer:
    """An app holding only the command ``name``, the same to run as the whole app.

    typer builds every registered command's parameters on each run, whichever command
    runs: for engage's 16 commands that cost more than the command itself in
    ``engage rank``. With the root options kept, usage lines, help and errors read the
    same as the whole app's.
    """
    load_commands([name])
    single = new_app()
    single.registered_commands = [c for c in app.registered_commands if c.name == name]
    return single


def main() -> None:
    """The console script (typer turns typer.Exit into the exit code).

    A run that starts with a command's name loads and builds that command only;
    anything else (``--help``, ``--version``, a misspelt command) gets the whole app.
    """
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    if name in COMMAND_MODULES:
        single_command_app(name)()
        return
    load_commands()
    app()
