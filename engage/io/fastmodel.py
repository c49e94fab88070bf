"""Plain model tables without pydantic: the model half of :mod:`engage.io.fastpath`.

A model table in one of the plain shapes is returned as the schema would give it back
(defaults filled in, nothing that is None); any other gives None and takes the full
path. Every run reads one model, so this saves building the model's pydantic
validators (engage.io.schema) rather than time per table.
"""

from __future__ import annotations

import re
from typing import Any

from engage.core.preference import PREFERENCE_FUNCTIONS
from engage.io.fastpath import ID_PATTERN, NAME_PATTERN, Unusual, is_number
from engage.io.fastpath import is_text as _text
from engage.io.fastpath import number as _number
from engage.io.fastpath import optional_number as _optional_number
from engage.io.fastpath import optional_text as _optional_text
from engage.io.fastpath import table_of as _table
from engage.methods import registry

_NAME = re.compile(NAME_PATTERN[1:-1])  # fullmatch: see engage.io.fastpath
_ID = re.compile(ID_PATTERN[1:-1])
_MODEL_KEYS = frozenset(
    {
        "schema_version",
        "title",
        "tracks",
        "default_profile",
        "default_method",
        "criteria",
        "profiles",
        "screen",
        "decouple",
        "resources",
        "portfolio",
        "baseline",
    }
)
_CRITERION_KEYS = frozenset(
    {"label", "description", "better", "scale", "role", "preference", "value_function"}
)
_PREFERENCE_KEYS = frozenset({"function", "q", "p", "s"})
_PREFERENCES = frozenset(PREFERENCE_FUNCTIONS)
_METHODS = frozenset(registry.names())
_ROLES = frozenset({"benefit", "feasibility", "linkage"})
_RESOURCE_KEYS = frozenset({"label", "unit", "limit"})
_PORTFOLIO_KEYS = frozenset({"min_track", "max_track", "max_options"})


def model_table(raw: object) -> dict[str, Any] | None:
    """A plain, valid model table as the schema would give it back, defaults filled in
    and nothing that is None (``ModelIn.model_validate(raw).model_dump(exclude_none=True)``);
    None: use the full path."""
    try:
        return _model(raw)
    except Unusual:
        return None


def _model(raw: object) -> dict[str, Any]:
    table = _table(raw, _MODEL_KEYS)
    version = table.get("schema_version", 1)
    if type(version) is not int or version != 1:
        raise Unusual
    out: dict[str, Any] = {"schema_version": 1, "title": "Engagement options"}
    if "title" in table:
        if not _text(table["title"]):
            raise Unusual
        out["title"] = table["title"]
    tracks = table.get("tracks")
    if tracks is not None:
        if type(tracks) is not list or not all(_name(t) for t in tracks):
            raise Unusual
        out["tracks"] = list(tracks)
    default_profile = _optional_text(table, "default_profile")
    if default_profile is not None:
        out["default_profile"] = default_profile
    method = table.get("default_method", registry.DEFAULT)
    if type(method) is not str or method not in _METHODS:
        raise Unusual
    out["default_method"] = method
    criteria = table.get("criteria")
    if type(criteria) is not dict or not criteria:
        raise Unusual
    out["criteria"] = {_key(cid): _criterion(c) for cid, c in criteria.items()}
    profiles = table.get("profiles", {})
    if type(profiles) is not dict:
        raise Unusual
    out["profiles"] = {_key(name): _profile(p) for name, p in profiles.items()}
    screen = _table(table.get("screen", {}), frozenset({"min", "max"}))
    out["screen"] = {"min": _numbers(screen.get("min", {})), "max": _numbers(screen.get("max", {}))}
    decouple = _table(table.get("decouple", {}), frozenset({"stall_probability"}))
    stall = _number(decouple.get("stall_probability", 0.7))
    if not 0 <= stall <= 1:
        raise Unusual
    out["decouple"] = {"stall_probability": stall}
    resources = table.get("resources", {})
    if type(resources) is not dict:
        raise Unusual
    out["resources"] = {_key(rid): _resource(r) for rid, r in resources.items()}
    out["portfolio"] = _portfolio(table.get("portfolio", {}))
    out.update(_baseline(table.get("baseline")))
    return out


def _baseline(baseline: object) -> dict[str, str]:
    if baseline is None:
        return {}
    if type(baseline) is not str or not _ID.fullmatch(baseline):
        raise Unusual
    return {"baseline": baseline}


def _texts(table: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """The optional text keys of ``table`` that it gives, in ``keys``' order."""
    return {k: text for k in keys if (text := _optional_text(table, k)) is not None}


def _resource(raw: object) -> dict[str, Any]:
    table = _table(raw, _RESOURCE_KEYS)
    out = _texts(table, ("label", "unit"))
    limit = _optional_number(table, "limit")
    if limit is not None:
        out["limit"] = limit
    return out


def _portfolio(raw: object) -> dict[str, Any]:
    table = _table(raw, _PORTFOLIO_KEYS)
    out: dict[str, Any] = {}
    for key in ("min_track", "max_track"):
        bounds = table.get(key, {})
        if type(bounds) is not dict or not all(
            type(k) is str and _count(n) for k, n in bounds.items()
        ):
            raise Unusual
        out[key] = dict(bounds)
    if "max_options" in table:
        if not _count(table["max_options"]):
            raise Unusual
        out["max_options"] = table["max_options"]
    return out


def _count(value: object) -> bool:
    """What the schema's ``Count`` takes: an int (not a bool) from 0 to 2**53."""
    return type(value) is int and 0 <= value <= 2**53


def _name(value: object) -> bool:
    return type(value) is str and _NAME.fullmatch(value) is not None


def _key(value: object) -> str:
    if not _name(value):
        raise Unusual
    return value  # type: ignore[return-value]


def _criterion(raw: object) -> dict[str, Any]:
    table = _table(raw, _CRITERION_KEYS)
    out = _texts(table, ("label", "description"))
    better = table.get("better", "higher")
    if type(better) is not str or better not in ("higher", "lower"):
        raise Unusual
    out["better"] = better
    scale = table.get("scale", [0.0, 10.0])
    if type(scale) is not list or len(scale) != 2:
        raise Unusual
    out["scale"] = [_number(x) for x in scale]
    role = table.get("role")
    if role is not None:
        if type(role) is not str or role not in _ROLES:
            raise Unusual
        out["role"] = role
    preference = table.get("preference")
    if preference is not None:
        out["preference"] = _preference(preference)
    points = table.get("value_function")
    if points is not None:  # its rules are engage.io.validate's, on both paths
        if type(points) is not list:
            raise Unusual
        for point in points:
            if type(point) is not list or len(point) != 2:
                raise Unusual
        out["value_function"] = [[_number(x), _number(v)] for x, v in points]
    return out


def _preference(raw: object) -> dict[str, Any]:
    table = _table(raw, _PREFERENCE_KEYS)
    function = table.get("function", "usual")
    if type(function) is not str or function not in _PREFERENCES:
        raise Unusual
    out: dict[str, Any] = {"function": function}
    for key in ("q", "p", "s"):
        x = _optional_number(table, key)
        if x is not None:
            out[key] = x
    return out


def _profile(raw: object) -> dict[str, Any]:
    table = _table(raw, frozenset({"description", "weights"}))
    out: dict[str, Any] = {}
    description = _optional_text(table, "description")
    if description is not None:
        out["description"] = description
    if "weights" not in table:
        raise Unusual
    out["weights"] = _numbers(table["weights"])
    return out


def _numbers(value: object) -> dict[str, float]:
    """A table of numbers under plain keys (weights, screens), copied."""
    if type(value) is not dict:
        raise Unusual
    for key, x in value.items():
        if type(key) is not str or not is_number(x):
            raise Unusual
    return dict(value)
