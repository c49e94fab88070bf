"""The structure pass: pydantic's errors on a table, in engage's codes and wording."""

from __future__ import annotations

import types
import typing
from typing import TYPE_CHECKING, Any, TypeVar

from engage.core.errors import Diagnostic, did_you_mean
from engage.io.document import Document
from engage.io.fastpath import ID_PATTERN, NAME_PATTERN

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

Path = tuple[str | int, ...]

M = TypeVar("M", bound="BaseModel")


def parse_table(
    cls: type[M], data: object, doc: Document, prefix: Path
) -> tuple[M | None, list[Diagnostic]]:
    """Validate one table against its pydantic model; translate every error."""
    from pydantic import ValidationError

    try:
        return cls.model_validate(data), []
    except ValidationError as exc:
        return None, translate(exc, cls, doc, prefix, data)


def translate(
    exc: ValidationError, cls: type[BaseModel], doc: Document, prefix: Path, data: object
) -> list[Diagnostic]:
    from engage.io.schema import describe

    errors = exc.errors(include_url=False, include_input=True)
    extras = {tuple(e["loc"][:-1]): e for e in errors if e["type"] == "extra_forbidden"}
    out: list[Diagnostic] = []
    for e in errors:
        loc, short_form = _untagged(tuple(e["loc"]))
        path = (*prefix, *loc)
        kind = e["type"]
        if short_form and kind == "not_a_number":  # neither a number nor a table
            message = f"expected a number or a table with 'value', got {describe(e.get('input'))}"
            out.append(doc.error("wrong-type", path, message, value=True))
        elif short_form:  # a number, but not one we take: said of its value, as in the table
            code, message = _message(e, loc)
            out.append(doc.error(code, (*path, "value"), message, value=True))
        elif kind == "extra_forbidden":
            known = _fields_at(cls, loc[:-1])
            key = str(loc[-1])
            out.append(
                doc.error(
                    "unknown-key", path, f"unknown key '{key}'", hint=did_you_mean(key, known)
                )
            )
        elif kind == "missing":
            key = str(loc[-1])
            stray = extras.get(loc[:-1])
            if stray is not None and did_you_mean(str(stray["loc"][-1]), [key]):
                continue  # reported once, as the misspelt key with its hint
            out.append(doc.error("missing-key", path[:-1], f"missing required key '{key}'"))
        elif loc and loc[-1] == "[key]":  # pydantic's marker for a bad key of a table
            code, message = _message(e, loc)
            out.append(doc.error(code, path[:-1], message))
        else:
            code, message = _message(e, loc)
            out.append(doc.error(code, path, message, value=True))
    return out


def _untagged(loc: Path) -> tuple[Path, bool]:
    """The location without the score union's tag, and whether it was the short form.

    A score (or a cost) is a table or a number (``schema.Score``); pydantic puts the
    branch it took in the location: ``('scores', 'benefit', 'number')``.
    """
    for k in range(2, len(loc)):
        if loc[k - 2] in ("scores", "costs") and loc[k] in ("table", "number"):
            return (*loc[:k], *loc[k + 1 :]), loc[k] == "number"
    return loc, False


def _message(e: Any, loc: Path) -> tuple[str, str]:
    kind, value = e["type"], e.get("input")
    got = _describe(value)
    if kind in ("not_a_number", "score_type"):
        return "wrong-type", e["msg"]
    if kind in ("not_finite", "too_large", "finite_number"):
        return "bad-number", e["msg"]
    if kind in ("missing_value", "empty_by"):
        return "missing-key", e["msg"]
    if kind == "string_type":
        return "wrong-type", f"expected a string, got {got}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "wrong-type", f"expected a table, got {got}"
    if kind in ("list_type", "tuple_type"):
        return "wrong-type", f"expected an array, got {got}"
    if kind == "string_pattern_mismatch":
        return "bad-value", _pattern_message(e.get("ctx", {}).get("pattern"), value)
    if kind == "string_too_short" or (kind == "too_short" and isinstance(value, dict | list)):
        return "bad-value", "must not be empty"
    if kind == "literal_error":
        expected = e.get("ctx", {}).get("expected", "")
        return "bad-value", f"{got} is not allowed (expected {expected})"
    if kind in ("less_than_equal", "greater_than_equal"):
        return "out-of-range", f"{value} is outside [0, 1]"
    if kind == "too_long":
        return "bad-value", "expected exactly 2 numbers [lo, hi]"
    if kind == "too_short":
        return "bad-value", "expected exactly 2 numbers [lo, hi]"
    return "bad-value", str(e["msg"])


def _pattern_message(pattern: str | None, value: object) -> str:
    if pattern == ID_PATTERN:
        return (
            f"{value!r} is not an id: lowercase letters, digits and '-', starting with a "
            "letter or digit, at most 64 characters"
        )
    if pattern == NAME_PATTERN:
        return (
            f"{value!r} is not a name: lowercase letters, digits and '-', starting with a "
            "letter, at most 32 characters"
        )
    return "must not be empty or blank"


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37] + "...")
    if isinstance(value, int | float):
        return repr(value)
    kinds = {dict: "a table", list: "an array", type(None): "nothing"}
    return kinds.get(type(value), type(value).__name__)


def _fields_at(cls: type[BaseModel], loc: Path) -> list[str]:
    """The keys allowed in the table at ``loc`` below ``cls`` (for "did you mean")."""
    from pydantic import BaseModel

    annotation: Any = cls
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return []
            annotation = field.annotation
        elif typing.get_origin(annotation) in (dict, list, tuple):
            annotation = typing.get_args(annotation)[-1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


# -- the model ---------------------------------------------------------------------------
