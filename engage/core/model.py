"""The resolved values everything else works on: the model, its criteria and the options.

These are plain frozen values built by :mod:`engage.io.validate` once the files have passed
every check, so the methods and analyses never meet a default left unfilled.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from engage.core.errors import Note
from engage.core.preference import Preference

Role = Literal["benefit", "feasibility", "linkage"]


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    label: str
    description: str | None
    higher_is_better: bool
    lo: float
    hi: float
    role: Role | None
    preference: Preference
    value_function: tuple[tuple[float, float], ...] | None = None
    """Points (x, v) from ``lo`` to ``hi``, v in 0–100 (docs/formats.md#value-functions);
    None: the straight rescale."""

    @property
    def arrow(self) -> str:
        return "↑" if self.higher_is_better else "↓"

    @property
    def scale_text(self) -> str:
        """The scale as diagnostics write it: ``[0, 10]``."""
        return f"[{exact_number(self.lo)}, {exact_number(self.hi)}]"

    def normalize(self, x: float) -> float:
        """The weighted sum's value function: 0 at the worst end of the scale, 1 at the best
        (the criterion's ``value_function`` / 100 when it gives one)."""
        if self.value_function is not None:
            return interpolate(self.value_function, x) / 100.0
        v = (x - self.lo) / (self.hi - self.lo)
        return v if self.higher_is_better else 1.0 - v

    def better(self, a: float, b: float) -> bool:
        """True when a is strictly better than b in this criterion's direction."""
        return a > b if self.higher_is_better else a < b


@dataclass(frozen=True, slots=True)
class Elicitation:
    """Where a profile's weights came from: the record ``engage weigh`` writes."""

    method: str
    """``swing``, ``rank``, ``pairwise``, or ``explore`` (set live; no answers)."""
    over: str | None
    """Swing only: ``set`` or ``scale``."""
    participants: tuple[str, ...]
    answers: tuple[Any, ...]
    """Each participant's answers as written, in the order of ``participants``."""


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    description: str | None
    weights: tuple[float, ...]
    """Normalised to sum 1, in the order of the model's criteria."""
    elicitation: Elicitation | None = None


@dataclass(frozen=True, slots=True)
class Screen:
    """A red line: options whose value is past ``bound`` are listed, not ranked."""

    criterion: str
    kind: Literal["min", "max"]
    bound: float

    @property
    def rule(self) -> str:
        return f"{self.kind} {self.criterion} {exact_number(self.bound)}"

    def excludes(self, value: float) -> bool:
        return value < self.bound if self.kind == "min" else value > self.bound


@dataclass(frozen=True, slots=True)
class Resource:
    """Something options use up and a team has only so much of
    (docs/methods.md#portfolios-under-limited-resources)."""

    id: str
    label: str
    unit: str | None
    limit: float | None
    """The default limit of ``engage portfolio``; None: unconstrained."""


@dataclass(frozen=True, slots=True)
class PortfolioDefaults:
    """The model's ``[portfolio]`` table: defaults the flags of ``portfolio`` override."""

    min_track: Mapping[str, int] = field(default_factory=dict)
    max_track: Mapping[str, int] = field(default_factory=dict)
    max_options: int | None = None


@dataclass(frozen=True, slots=True)
class Model:
    title: str
    criteria: tuple[Criterion, ...]
    tracks: tuple[str, ...] | None
    profiles: tuple[Profile, ...]
    default_profile: str
    default_method: str
    screens: tuple[Screen, ...]
    stall_probability: float
    source: dict[str, Any] = field(compare=False, repr=False)
    """The model as written (after type checks), for `model -f toml` and `export`."""
    resources: tuple[Resource, ...] = ()
    """In the order the model declares them."""
    portfolio: PortfolioDefaults = field(default_factory=PortfolioDefaults)
    baseline: str | None = None
    """The id of the option that stands for carrying on as now: scored, never ranked."""
    criterion_ids: tuple[str, ...] = field(init=False, compare=False, repr=False)
    """The criteria's ids in model order (kept, not rebuilt: asked for once per option)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "criterion_ids", tuple(c.id for c in self.criteria))

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)

    def profile(self, name: str) -> Profile:
        return next(p for p in self.profiles if p.name == name)

    def with_role(self, role: Role) -> Criterion | None:
        return next((c for c in self.criteria if c.role == role), None)

    @property
    def resource_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.resources)

    @property
    def limited(self) -> tuple[Resource, ...]:
        """The resources with a limit, in model order."""
        return tuple(r for r in self.resources if r.limit is not None)


@dataclass(frozen=True, slots=True)
class Score:
    value: float
    """For an unknown score, the working value: the midpoint of [low, high]."""
    low: float
    high: float
    intrinsic: float | None = None
    rationale: str | None = None
    sources: tuple[str, ...] = ()
    by: dict[str, float] | None = None
    unknown: bool = False
    """Declared ``unknown = true`` (docs/formats.md#unknown-scores): drawn uniformly."""


@dataclass(frozen=True, slots=True)
class Cost:
    """What an option uses of one resource, in the resource's unit
    (docs/methods.md#portfolios-under-limited-resources)."""

    value: float
    low: float
    high: float
    rationale: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    title: str
    track: str
    scores: dict[str, Score]
    summary: str | None = None
    actors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    file: str = "-"
    line: int | None = None
    costs: dict[str, Cost] = field(default_factory=dict)
    """By resource id, in the order written."""
    requires: tuple[str, ...] = ()
    """Ids this option is chosen only together with (``engage portfolio``)."""
    conflicts: tuple[str, ...] = ()
    """Ids this option is never chosen together with (symmetric)."""

    def values(self, criteria: tuple[Criterion, ...]) -> list[float]:
        return [self.scores[c.id].value for c in criteria]

    def unknown(self, criteria: tuple[Criterion, ...]) -> list[str]:
        """The criteria (in model order) whose score is unknown."""
        return [c.id for c in criteria if self.scores[c.id].unknown]


@dataclass(frozen=True, slots=True)
class OptionSet:
    """A validated set: the model that applies and every option, in input order."""

    model: Model
    options: tuple[Option, ...]
    model_origin: str = "<built-in model>"
    warnings: tuple[Any, ...] = ()
    notes: tuple[Note, ...] = ()


def interpolate(points: tuple[tuple[float, float], ...], x: float) -> float:
    """The piecewise-linear function through ``points`` (x strictly increasing) at x,
    with numpy.interp's arithmetic (robustness scores draws through it), so both agree
    bit for bit: on [x_k, x_k+1), slope · (x − x_k) + v_k; constant past the ends."""
    if x <= points[0][0]:
        return points[0][1]
    if x >= points[-1][0]:
        return points[-1][1]
    for (x0, v0), (x1, v1) in itertools.pairwise(points):
        if x < x1:
            return (v1 - v0) / (x1 - x0) * (x - x0) + v0
    return points[-1][1]  # pragma: no cover - x < points[-1][0] ends the loop


def inverse(points: tuple[tuple[float, float], ...], v: float, near: float) -> float | None:
    """The x nearest ``near`` at which the function through ``points`` is v, exact on each
    linear piece (a flat piece at v gives its whole interval); None when no x gives v."""
    best: float | None = None
    for (x0, v0), (x1, v1) in itertools.pairwise(points):
        if v0 == v1:
            x = min(max(near, x0), x1) if v0 == v else None
        elif min(v0, v1) <= v <= max(v0, v1):
            x = min(max(x0 + (v - v0) * (x1 - x0) / (v1 - v0), x0), x1)
        else:
            x = None
        if x is not None and (best is None or abs(x - near) < abs(best - near)):
            best = x
    return best


def midpoint(low: float, high: float) -> float:
    """The working value of an unknown score: the midpoint of [low, high] (without
    overflow at huge scales)."""
    mid = (low + high) / 2.0 if abs(low) + abs(high) < float("inf") else low / 2.0 + high / 2.0
    if mid.is_integer() and abs(mid) < 2**53:
        return int(mid)  # as one would write it, 5 not 5.0, whether the ends are 0 or 0.0
    return mid


def exact_number(x: float) -> str:
    """A number exactly, for messages and files: integers without a point, others as
    Python's shortest repr (``8``, ``6.5``, ``1e+308``)."""
    if float(x).is_integer() and abs(x) < 2**53:
        return str(int(x))
    return repr(float(x))
