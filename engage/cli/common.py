"""Options shared by the commands, and turning their text into core values."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from engage.errors import UsageError, unknown_name
from engage.methods import registry
from engage.model import Model, OptionSet, Screen

if TYPE_CHECKING:
    from engage.ranking import Lens, Selection

SET_HELP = (
    "Option set: a file, a directory or - for stdin "
    "(repeatable; default $ENGAGE_SET, else ./options)."
)

Paths = Annotated[
    list[str] | None, typer.Argument(help="Option set paths (as --set).", show_default=False)
]
SetOption = Annotated[
    list[str] | None, typer.Option("--set", "-s", help=SET_HELP, show_default=False)
]
ModelOption = Annotated[
    str | None,
    typer.Option("--model", help="Model file to use instead of the set's.", show_default=False),
]
ProfileOption = Annotated[
    str | None,
    typer.Option("--profile", "-p", help="Weight profile of the model.", show_default=False),
]
ProfilesOption = Annotated[
    list[str] | None,
    typer.Option(
        "--profile", "-p", help="Weight profile (repeat to compare lenses).", show_default=False
    ),
]
WeightsOption = Annotated[
    str | None,
    typer.Option(
        "--weights",
        "-w",
        help="Weights, e.g. benefit=0.5,feasibility=0.3,linkage=0.2.",
        show_default=False,
    ),
]
MethodOption = Annotated[
    str | None,
    typer.Option("--method", "-m", help=f"{registry.listing()}.", show_default=False),
]
MethodsOption = Annotated[
    list[str] | None,
    typer.Option("--method", "-m", help=f"{registry.listing()} (repeatable).", show_default=False),
]
TrackOption = Annotated[
    list[str] | None,
    typer.Option("--track", "-t", help="Only this track (repeatable).", show_default=False),
]
TagOption = Annotated[
    list[str] | None,
    typer.Option("--tag", help="Only options with this tag (repeatable).", show_default=False),
]
MinOption = Annotated[
    list[str] | None,
    typer.Option("--min", help="Screen out below CRIT=X (repeatable).", show_default=False),
]
MaxOption = Annotated[
    list[str] | None,
    typer.Option("--max", help="Screen out above CRIT=X (repeatable).", show_default=False),
]
TopOption = Annotated[
    int | None,
    typer.Option("--top", "-n", min=1, help="Show ranks <= N (ties kept).", show_default=False),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to FILE (atomically).", show_default=False),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No notes on stderr.")]


def set_paths(paths: list[str] | None, sets: list[str] | None) -> list[str]:
    """Positional paths and --set, else $ENGAGE_SET (os.pathsep-separated), else ./options."""
    given = [*(paths or []), *(sets or [])]
    if given:
        return given
    env = os.environ.get("ENGAGE_SET", "")
    if env.strip():
        return [p for p in env.split(os.pathsep) if p]
    return ["options"]


def parse_assignments(items: list[str], flag: str) -> dict[str, float]:
    """``benefit=0.5,feasibility=0.3`` (comma-separated, or repeated) into a dict."""
    out: dict[str, float] = {}
    for item in items:
        for part in item.split(","):
            name, sep, text = part.partition("=")
            name = name.strip()
            if not sep or not name:
                raise UsageError(f"{flag}: expected CRITERION=NUMBER, got '{part.strip()}'")
            try:
                value = float(text)
            except ValueError:
                raise UsageError(
                    f"{flag}: '{text.strip()}' is not a number (in '{part.strip()}')"
                ) from None
            if not math.isfinite(value):
                raise UsageError(f"{flag}: '{text.strip()}' is not a finite number")
            if name in out:
                raise UsageError(f"{flag}: '{name}' is given twice")
            out[name] = value
    return out


def parse_weights(text: str | None) -> dict[str, float] | None:
    return None if text is None else parse_assignments([text], "--weights")


def parse_screens(
    model: Model, minimum: list[str] | None, maximum: list[str] | None
) -> tuple[Screen, ...]:
    screens: list[Screen] = []
    for kind, items in (("min", minimum), ("max", maximum)):
        for name, bound in parse_assignments(items or [], f"--{kind}").items():
            if name not in model.criterion_ids:
                raise unknown_name("criterion", name, model.criterion_ids)
            screens.append(Screen(name, "min" if kind == "min" else "max", bound))
    return tuple(screens)


def format_help(formats: tuple[str, ...]) -> str:
    return "Output format: " + ", ".join(formats) + "."


def load_set(paths: list[str], model: str | None, quiet: bool) -> OptionSet:
    """Load the set (every diagnostic raised at once) and show the loader's notes."""
    from engage.cli.base import note
    from engage.loader import load

    option_set = load(paths, model_path=model)
    for line in option_set.notes:
        note(line, quiet=quiet)
    return option_set


def lens_for(
    model: Model,
    profile: str | None,
    method: str | None,
    weights: str | None,
    quiet: bool,
) -> Lens:
    """The lens the flags ask for, with a note when --weights did not sum to 1."""
    from engage.ranking import resolve_lens

    given = parse_weights(weights)
    lens = resolve_lens(model, profile, method, given)
    note_weights(given, quiet)
    return lens


def note_weights(given: dict[str, float] | None, quiet: bool) -> None:
    """docs/formats.md#the-model: a note on stderr when --weights did not sum to 1."""
    from engage.cli.base import note

    if given is None:
        return
    total = sum(given.values())
    if not math.isfinite(total):
        note("weights normalised to sum 1", quiet=quiet)
        return
    total = math.fsum(given.values())  # the sum check_weights divides by
    if abs(total - 1) > 1e-9:  # always normalised; a note only when off by more than rounding
        note(f"weights sum to {total:g}; normalised to sum 1", quiet=quiet)


def selection_for(
    model: Model,
    track: list[str] | None,
    tag: list[str] | None,
    minimum: list[str] | None,
    maximum: list[str] | None,
) -> Selection:
    """--track, --tag, --min and --max as the core's Selection."""
    from engage.ranking import Selection

    return Selection(
        tracks=tuple(track or ()),
        tags=tuple(tag or ()),
        screens=parse_screens(model, minimum, maximum),
    )


def prepare(
    paths: list[str],
    model: str | None,
    profile: str | None,
    weights: str | None,
    method: str | None,
    filters: tuple[list[str] | None, list[str] | None, list[str] | None, list[str] | None],
    quiet: bool,
) -> tuple[OptionSet, Lens, Selection]:
    """What every scoring command starts with: the set, the lens and the selection.

    ``filters`` is (--track, --tag, --min, --max).
    """
    option_set = load_set(paths, model, quiet)
    lens = lens_for(option_set.model, profile, method, weights, quiet)
    return option_set, lens, selection_for(option_set.model, *filters)
