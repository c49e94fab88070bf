"""The file formats as pydantic models: what an option file and a model file may hold.

These models check structure and types only (strict numbers, unknown keys, required
keys). Rules that need the model or the whole set (scales, criteria coverage, tracks,
duplicate ids) live in :mod:`engage.io.validate`, which can report them with positions.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from engage.io.fastpath import CONTROL as _CONTROL
from engage.io.fastpath import ID_PATTERN, LARGEST_INT, NAME_PATTERN, median
from engage.methods import registry

# One of the registry's method names: a Literal, so pydantic's messages and the JSON
# Schema's enum list them; mypy sees a str.
if TYPE_CHECKING:
    MethodName = str
else:
    MethodName = Literal[registry.names()]


def _number(value: object) -> float:
    """Accept a real number only: no strings, booleans, NaN, infinities or huge integers."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError(
            "not_a_number", "expected a number, got {got}", {"got": describe(value)}
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError(
            "not_finite", "expected a finite number, got {got}", {"got": value}
        )
    if isinstance(value, int) and abs(value) > LARGEST_INT:
        raise PydanticCustomError("too_large", "number too large ({got})", {"got": value})
    return value


def describe(value: object) -> str:
    """A wrong value as an error message names it: ``a string ('seven')``."""
    kinds = {bool: "a boolean", str: "a string", list: "an array", dict: "a table"}
    if type(value) in kinds:
        return f"{kinds[type(value)]} ({_short(value)})"
    if value is None:
        return "null"
    return type(value).__name__


def _short(value: object) -> str:
    text = repr(value).lower() if isinstance(value, bool) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _no_control(text: str) -> str:
    """Text is printed in tables and on terminals: no control characters but tab and line
    breaks (an escape sequence in a title would drive the reader's terminal)."""
    found = _CONTROL.search(text)
    if found:
        raise PydanticCustomError(
            "control_character",
            "holds the control character U+{code} (only tabs and line breaks are allowed)",
            {"code": f"{ord(found.group()):04X}"},
        )
    return text


Number = Annotated[float, PlainValidator(_number), WithJsonSchema({"type": "number"})]
Text = Annotated[str, Field(strict=True), AfterValidator(_no_control)]
NonEmptyText = Annotated[
    str, Field(strict=True, min_length=1, pattern=r"\S"), AfterValidator(_no_control)
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _score_kind(value: object) -> str:
    """A table is a score table; anything else must be the short form, a number."""
    return "table" if isinstance(value, dict) else "number"


class ScoreIn(_Strict):
    """One criterion's score of one option: a value, its range and why."""

    value: Number | None = None
    low: Number | None = None
    high: Number | None = None
    intrinsic: Number | None = None
    by: dict[Text, Number] | None = None
    rationale: Text | None = None
    sources: list[Text] = Field(default_factory=list)
    unknown: bool | None = None
    """``true``: not known (docs/formats.md#unknown-scores); no ``value`` or ``by``."""

    # A score needs `value` or assessors in `by`: checked by engage.io.validate with the
    # set-level rules (a model validator here made loading 100,000 options 4 x slower).

    def resolved(self) -> tuple[float, float, float]:
        """(value, low, high) with the defaults of docs/formats.md#option-files filled in."""
        values = list(self.by.values()) if self.by else []
        value = self.value if self.value is not None else median(values)
        low = self.low if self.low is not None else (min(values) if values else value)
        high = self.high if self.high is not None else (max(values) if values else value)
        return value, low, high


Score = Annotated[
    Annotated[ScoreIn, Tag("table")] | Annotated[Number, Tag("number")],
    Discriminator(_score_kind),
]
"""A score table, or its short form ``benefit = 4`` (a number)."""


class CostIn(_Strict):
    """One resource's cost of one option (docs/methods.md#portfolios-under-limited-resources): a
    value, its range and why."""

    value: Number
    low: Number | None = None
    high: Number | None = None
    rationale: Text | None = None
    sources: list[Text] = Field(default_factory=list)


Cost = Annotated[
    Annotated[CostIn, Tag("table")] | Annotated[Number, Tag("number")],
    Discriminator(_score_kind),
]
"""A cost table, or its short form ``budget = 40`` (a number)."""

OptionId = Annotated[str, Field(strict=True, pattern=ID_PATTERN)]


class OptionIn(_Strict):
    """One ``[[option]]`` table."""

    id: Annotated[str, Field(strict=True, pattern=ID_PATTERN)]
    title: NonEmptyText
    track: NonEmptyText
    summary: Text | None = None
    actors: list[Text] = Field(default_factory=list)
    tags: list[Text] = Field(default_factory=list)
    scores: dict[str, Score]
    meta: dict[str, Any] = Field(default_factory=dict)
    costs: dict[str, Cost] = Field(default_factory=dict)
    requires: list[OptionId] = Field(default_factory=list)
    conflicts: list[OptionId] = Field(default_factory=list)


Preference = Literal["usual", "u-shape", "v-shape", "level", "linear", "gaussian"]


class PreferenceIn(_Strict):
    """PROMETHEE preference function of one criterion, parameters in raw units."""

    function: Preference = "usual"
    q: Number | None = None
    p: Number | None = None
    s: Number | None = None


class CriterionIn(_Strict):
    label: Text | None = None
    description: Text | None = None
    better: Literal["higher", "lower"] = "higher"
    scale: Annotated[list[Number], Field(min_length=2, max_length=2)] = Field(
        default_factory=lambda: [0.0, 10.0]
    )
    role: Literal["benefit", "feasibility", "linkage"] | None = None
    preference: PreferenceIn | None = None
    value_function: list[Annotated[list[Number], Field(min_length=2, max_length=2)]] | None = None
    """Points [x, v] from the scale's lo to its hi, v in 0-100 (docs/formats.md#value-functions)."""


ANSWER_SCHEMA = {
    "description": "One participant's answers: swing points {criterion: 0-100}, a rank order "
    "'a,b=c', or pairwise judgements {'a:b': 3 or '1/3'}.",
    "anyOf": [
        {"type": "object", "additionalProperties": {"type": ["number", "string"]}},
        {"type": "string"},
    ],
}


class ElicitationIn(_Strict):
    """How a profile's weights were elicited (``engage weigh``): checked against the
    criteria by :mod:`engage.io.answers`, which gives the answers their positions."""

    method: Literal["swing", "rank", "pairwise", "explore"]
    over: Literal["set", "scale"] | None = None
    # required for every method but ``explore`` (the weights are its answer): checked
    # by engage.io.answers.check_elicitation, which gives the same missing-key diagnostic
    participants: Annotated[list[NonEmptyText], Field(min_length=1)] | None = None
    answers: (
        Annotated[
            list[Any],
            Field(min_length=1),
            WithJsonSchema({"type": "array", "minItems": 1, "items": ANSWER_SCHEMA}),
        ]
        | None
    ) = None


class ProfileIn(_Strict):
    description: Text | None = None
    weights: dict[str, Number]
    elicitation: ElicitationIn | None = None


class ScreenIn(_Strict):
    min: dict[str, Number] = Field(default_factory=dict)
    max: dict[str, Number] = Field(default_factory=dict)


class DecoupleIn(_Strict):
    stall_probability: Annotated[Number, Field(ge=0, le=1)] = 0.7


def _count(value: object) -> int:
    """A count of options: a whole number, 0 or more (no booleans, no 2.0)."""
    if isinstance(value, bool) or not isinstance(value, int):
        got = repr(value) if isinstance(value, float) else describe(value)
        raise PydanticCustomError("not_a_count", "expected a whole number, got {got}", {"got": got})
    if not 0 <= value <= LARGEST_INT:
        raise PydanticCustomError("bad_count", "{got} is not a count (0 or more)", {"got": value})
    return value


Count = Annotated[int, PlainValidator(_count), WithJsonSchema({"type": "integer", "minimum": 0})]


class ResourceIn(_Strict):
    """Something the options use up (docs/methods.md#portfolios-under-limited-resources): budget,
    staff."""

    label: Text | None = None
    unit: Text | None = None
    limit: Number | None = None


class PortfolioIn(_Strict):
    """Defaults of engage portfolio, overridden by its flags."""

    min_track: dict[str, Count] = Field(default_factory=dict)
    max_track: dict[str, Count] = Field(default_factory=dict)
    max_options: Count | None = None


class ModelIn(_Strict):
    """The lens: ``engage.toml``, a ``[model]`` table, or ``model`` in a JSON set."""

    schema_version: Literal[1] = 1
    title: Text = "Engagement options"
    tracks: list[Annotated[str, Field(strict=True, pattern=NAME_PATTERN)]] | None = None
    default_profile: Text | None = None
    default_method: MethodName = registry.DEFAULT
    criteria: dict[Annotated[str, Field(pattern=NAME_PATTERN)], CriterionIn] = Field(min_length=1)
    profiles: dict[Annotated[str, Field(pattern=NAME_PATTERN)], ProfileIn] = Field(
        default_factory=dict
    )
    screen: ScreenIn = Field(default_factory=ScreenIn)
    decouple: DecoupleIn = Field(default_factory=DecoupleIn)
    resources: dict[Annotated[str, Field(pattern=NAME_PATTERN)], ResourceIn] = Field(
        default_factory=dict
    )
    portfolio: PortfolioIn = Field(default_factory=PortfolioIn)
    baseline: OptionId | None = None
