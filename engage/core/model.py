"""The resolved values everything else works on: the model, its criteria and the options.

These are plain frozen values built by :mod:`engage.io.validate` once the files have passed
every check, so the methods and analyses never meet a default left unfilled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

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

    @property
    def arrow(self) -> str:
        return "↑" if self.higher_is_better else "↓"

    @property
    def scale_text(self) -> str:
        """The scale as diagnostics write it: ``[0, 10]``."""
        return f"[{exact_number(self.lo)}, {exact_number(self.hi)}]"

    def normalize(self, x: float) -> float:
        """The weighted sum's value function: 0 at the worst end of the scale, 1 at the best."""
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
    low: float
    high: float
    intrinsic: float | None = None
    rationale: str | None = None
    sources: tuple[str, ...] = ()
    by: dict[str, float] | None = None


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


@dataclass(frozen=True, slots=True)
class OptionSet:
    """A validated set: the model that applies and every option, in input order."""

    model: Model
    options: tuple[Option, ...]
    model_origin: str = "<built-in model>"
    warnings: tuple[Any, ...] = ()
    notes: tuple[str, ...] = ()


def exact_number(x: float) -> str:
    """A number exactly, for messages and files: integers without a point, others as
    Python's shortest repr (``8``, ``6.5``, ``1e+308``)."""
    if float(x).is_integer() and abs(x) < 2**53:
        return str(int(x))
    return repr(float(x))
