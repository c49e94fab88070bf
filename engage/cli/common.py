"""Options shared by the commands, and turning their text into core values."""

from __future__ import annotations

import inspect
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from engage.core.errors import UsageError, unknown_name
from engage.methods import registry

if TYPE_CHECKING:
    from collections.abc import Iterator

    from engage.core.model import Model, OptionSet, Screen
    from engage.core.ranking import Lens, Selection

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
UnknownOption = Annotated[
    str | None,
    typer.Option(
        "--unknown",
        help="Unknown scores: midpoint (work with the middle of the range) or exclude.",
        show_default=False,
    ),
]
UNKNOWN_MODES = ("midpoint", "exclude")


def set_paths(paths: list[str] | None, sets: list[str] | None) -> list[str]:
    """Positional paths and --set, else $ENGAGE_SET (os.pathsep-separated), else ./options."""
    given = [*(paths or []), *(sets or [])]
    if given:
        return given
    env = os.environ.get("ENGAGE_SET", "")
    if env.strip():
        return [p for p in env.split(os.pathsep) if p]
    return ["options"]


def key_values(
    items: list[str], flag: str, shape: str, *, last: bool = False
) -> Iterator[tuple[str, str, str]]:
    """Each ``KEY=VALUE`` of a flag's ``items`` (comma-separated, or repeated) as (key,
    value text, the part as written). ``shape`` is the form the error asks for
    (``CRITERION=NUMBER``); ``last`` splits at the last ``=``."""
    for item in items:
        for part in item.split(","):
            key, sep, text = part.rpartition("=") if last else part.partition("=")
            key = key.strip()
            if not sep or not key:
                raise UsageError(f"{flag}: expected {shape}, got '{part.strip()}'")
            yield key, text, part.strip()


def parse_assignments(items: list[str], flag: str) -> dict[str, float]:
    """``benefit=0.5,feasibility=0.3`` (comma-separated, or repeated) into a dict."""
    out: dict[str, float] = {}
    for name, text, part in key_values(items, flag, "CRITERION=NUMBER"):
        try:
            value = float(text)
        except ValueError:
            raise UsageError(f"{flag}: '{text.strip()}' is not a number (in '{part}')") from None
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
    from engage.core.model import Screen

    screens: list[Screen] = []
    for kind, items in (("min", minimum), ("max", maximum)):
        for name, bound in parse_assignments(items or [], f"--{kind}").items():
            if name not in model.criterion_ids:
                raise unknown_name("criterion", name, model.criterion_ids)
            screens.append(Screen(name, "min" if kind == "min" else "max", bound))
    return tuple(screens)


def load_set(paths: list[str], model: str | None, quiet: bool) -> OptionSet:
    """Load the set (every diagnostic raised at once) and show the loader's notes."""
    from engage.cli.base import note
    from engage.io.loader import load

    option_set = load(paths, model_path=model)
    for line in option_set.notes:
        note(line, quiet=quiet)
    return option_set


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
    unknown: str | None = None,
) -> Selection:
    """--track, --tag, --min, --max and --unknown as the core's Selection."""
    from engage.core.ranking import Selection

    return Selection(
        tracks=tuple(track or ()),
        tags=tuple(tag or ()),
        screens=parse_screens(model, minimum, maximum),
        exclude_unknown=unknown == "exclude",
    )


class Scoring:
    """What a scoring command was asked to score: the set, the lens, which options.

    Built from the values of the options :class:`ScoringOptions` declares; ``prepare``
    turns it into the core's values. (Plain classes: a dataclass costs a millisecond of
    start-up to create.)
    """

    __slots__ = (
        *("paths", "model", "profiles", "weights", "methods"),
        *("track", "tag", "minimum", "maximum", "unknown", "quiet"),
    )

    def __init__(self, given: dict[str, Any]) -> None:
        self.paths = set_paths(given.get("paths"), given["set_"])
        """Positional paths and --set, else $ENGAGE_SET, else ./options."""
        self.model: str | None = given["model"]
        self.profiles = _several(given["profile"])
        """-p: one at most, unless the command compares lenses."""
        self.weights: str | None = given["weights"]
        self.methods = _several(given["method"])
        """-m: one at most, unless the command compares lenses."""
        self.track: list[str] | None = given["track"]
        self.tag: list[str] | None = given["tag"]
        self.minimum: list[str] | None = given["minimum"]
        self.maximum: list[str] | None = given["maximum"]
        self.unknown: str | None = given.get("unknown")
        """--unknown: midpoint (the default) or exclude."""
        if self.unknown is not None and self.unknown not in UNKNOWN_MODES:
            raise unknown_name("--unknown mode", self.unknown, UNKNOWN_MODES)
        self.quiet: bool = given["quiet"]


class ScoringOptions:
    """The scoring options a command takes (``command(..., scoring=...)``): the set's
    paths (positional, unless ``paths`` is False: then --set only), --set, --model, -p,
    -w, -m (repeatable when ``lenses``), --track, --tag, --min and --max where the
    function has its ``scoring`` parameter, and -q last."""

    __slots__ = ("lenses", "paths")

    def __init__(self, *, paths: bool = True, lenses: bool = False) -> None:
        self.paths, self.lenses = paths, lenses

    def options(self) -> list[tuple[str, Any]]:
        """(parameter name, option) of each option, in the order help lists them."""
        lens = (ProfilesOption, MethodsOption) if self.lenses else (ProfileOption, MethodOption)
        return [
            *((("paths", Paths),) if self.paths else ()),
            ("set_", SetOption),
            ("model", ModelOption),
            ("profile", lens[0]),
            ("weights", WeightsOption),
            ("method", lens[1]),
            ("track", TrackOption),
            ("tag", TagOption),
            ("minimum", MinOption),
            ("maximum", MaxOption),
            ("unknown", UnknownOption),
        ]

    def expand(self, params: list[inspect.Parameter]) -> list[inspect.Parameter]:
        """The function's parameters with ``scoring`` replaced by the options."""
        keyword = inspect.Parameter.KEYWORD_ONLY
        options = [
            inspect.Parameter(n, keyword, annotation=a, default=None) for n, a in self.options()
        ]
        quiet = inspect.Parameter("quiet", keyword, annotation=QuietOption, default=False)
        at = [p.name for p in params].index("scoring")
        return [*params[:at], *options, *params[at + 1 :], quiet]

    def pack(self, values: dict[str, Any]) -> dict[str, Any]:
        """typer's values for the parameters of ``expand`` as the function's arguments."""
        names = {name for name, _ in self.options()} | {"quiet"}
        rest = {k: v for k, v in values.items() if k not in names}
        return {**rest, "scoring": Scoring(values)}


SCORING = ScoringOptions()
"""Paths or --set, and one lens."""
SCORING_BY_ID = ScoringOptions(paths=False)
"""--set only (the positional arguments are option ids), and one lens."""
LENSES = ScoringOptions(lenses=True)
"""Paths or --set, and one lens per -p and -m given."""


def _several(given: str | list[str] | None) -> tuple[str, ...]:
    if given is None:
        return ()
    return (given,) if isinstance(given, str) else tuple(given)


def prepare_lenses(scoring: Scoring) -> tuple[OptionSet, list[Lens], Selection]:
    """What every scoring command starts with: the set, the lenses and the selection.

    One lens per profile and method given (every pair), with a note when --weights did
    not sum to 1.
    """
    from engage.core.ranking import resolve_lens

    if scoring.weights is not None and len(scoring.profiles) > 1:
        raise UsageError("--weights replaces the profile: give it with one --profile at most")
    option_set = load_set(scoring.paths, scoring.model, scoring.quiet)
    model = option_set.model
    given = parse_weights(scoring.weights)
    profiles, methods = scoring.profiles or (None,), scoring.methods or (None,)
    lenses = [resolve_lens(model, p, m, given) for p in profiles for m in methods]
    note_weights(given, scoring.quiet)
    note_value_functions(model, [lens.method for lens in lenses], scoring.quiet)
    selection = selection_for(
        model, scoring.track, scoring.tag, scoring.minimum, scoring.maximum, scoring.unknown
    )
    return option_set, lenses, selection


def note_value_functions(model: Model, methods: list[str], quiet: bool) -> None:
    """A note for each method that ignores the model's value functions (the registry says
    which honour them: docs/methods.md, value functions)."""
    from engage.cli.base import note

    curved = [c.id for c in model.criteria if c.value_function is not None]
    if not curved:
        return
    for name in dict.fromkeys(methods):
        if not registry.get(name).honours_value_functions:
            note(
                f"{name} uses raw values and ignores the value functions of {', '.join(curved)}",
                quiet=quiet,
            )


def prepare(scoring: Scoring) -> tuple[OptionSet, Lens, Selection]:
    """The set, the one lens (-p and -m given once at most) and the selection."""
    option_set, lenses, selection = prepare_lenses(scoring)
    [lens] = lenses
    return option_set, lens, selection


WEIGHT_MODES = ("local", "order", "any", "profile")
"""Where --draws takes its weights from (robustness, portfolio; docs/methods.md)."""


def check_draw_options(weights_from: str, concentration: float) -> None:
    """--weights-from and --concentration, checked before the set is loaded."""
    if weights_from not in WEIGHT_MODES:
        raise unknown_name("--weights-from mode", weights_from, WEIGHT_MODES)
    if not 0 < concentration < math.inf:
        raise UsageError(f"--concentration must be a positive number, got {concentration:g}")
