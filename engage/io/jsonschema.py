"""JSON Schema (draft 2020-12) for option files and the model, for editors.

Built from the pydantic models that validate (:mod:`engage.io.schema`), then narrowed by
the resolved model: the option schema lists exactly its criteria under ``scores``
(each a number within the scale, or a score table), and its tracks as an enum. Taplo
and the Even Better TOML extension read it from a ``#:schema ./engage.schema.json``
first line. The schema helps while typing; ``engage validate`` stays the judge (it
also checks ranges against each other, duplicate ids and the like).
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from engage.core.model import Criterion, Model, Resource
from engage.io.schema import ModelIn, OptionIn

DRAFT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("option", "model")


def _base() -> dict[str, Any]:
    """The pydantic schemas of OptionIn and ModelIn, sharing one ``$defs``."""
    _, schema = models_json_schema(
        [(OptionIn, "validation"), (ModelIn, "validation")], ref_template="#/$defs/{model}"
    )
    defs: dict[str, Any] = _tidy(schema["$defs"])
    # pydantic cannot see ScoreIn's model_validator: a score needs a value or assessors
    defs["ScoreIn"]["anyOf"] = [
        {"required": ["value"]},
        {"required": ["by"]},
        {"required": ["unknown"], "properties": {"unknown": {"const": True}}},
    ]
    defs["DecoupleIn"]["properties"]["stall_probability"].update(minimum=0, maximum=1)
    # answers and participants are required except for weights set live (engage explore)
    explore = {"properties": {"method": {"const": "explore"}}, "required": ["method"]}
    defs["ElicitationIn"]["if"] = explore
    defs["ElicitationIn"]["then"] = {"not": {"required": ["answers"]}}
    defs["ElicitationIn"]["else"] = {"required": ["participants", "answers"]}
    defs["ResourceIn"]["properties"]["limit"].update(minimum=0)
    return defs


def _tidy(node: Any) -> Any:
    """Drop the ``null`` branches and ``default: null`` (TOML has no null), the
    generated titles ("Id", "Scores") that would only add noise to editor hovers, and the
    classes' docstrings, which pydantic copies in as descriptions but are written for
    maintainers (module paths, line breaks), not for someone typing a file."""
    if isinstance(node, list):
        return [_tidy(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "default" and value is None:
            continue
        if key == "title" and isinstance(value, str) and "properties" not in node:
            continue
        if key == "description" and "properties" in node:
            continue
        out[key] = _tidy(value)
    patterns = out.get("patternProperties")
    if isinstance(patterns, dict) and "additionalProperties" not in out:
        out["additionalProperties"] = False  # pydantic leaves keys outside the pattern open
    branches = out.get("anyOf")
    if isinstance(branches, list):
        kept = [b for b in branches if b != {"type": "null"}]
        if len(kept) == 1:
            del out["anyOf"]
            out.update(kept[0])
        else:
            out["anyOf"] = kept
    return out


def option_schema(model: Model) -> dict[str, Any]:
    """The schema of an option file (``schema_version``, ``[[option]]``, ``[model]``)."""
    defs = _base()
    option = defs["OptionIn"]
    option["properties"]["scores"] = {
        "type": "object",
        "description": "One score per criterion of the model: a number, or a table.",
        "properties": {c.id: _score(c) for c in model.criteria},
        "required": list(model.criterion_ids),
        "additionalProperties": False,
    }
    option["properties"]["costs"] = {
        "type": "object",
        "description": "What the option uses of the model's resources (engage portfolio).",
        "properties": {r.id: _cost(r) for r in model.resources},
        "additionalProperties": False,
    }
    for key, words in (("requires", "chosen only together with"), ("conflicts", "never with")):
        option["properties"][key]["description"] = f"Ids of options this one is {words}."
    if model.tracks is not None:
        option["properties"]["track"] = {"type": "string", "enum": list(model.tracks)}
    option["properties"]["id"]["description"] = "Unique in the set: lowercase letters, digits, '-'."
    return {
        "$schema": DRAFT,
        "title": f"engage option file ({model.title})",
        "type": "object",
        "properties": {
            "schema_version": {"const": 1},
            "option": {"type": "array", "items": {"$ref": "#/$defs/OptionIn"}},
            "model": {"$ref": "#/$defs/ModelIn"},
        },
        "anyOf": [{"required": ["option"]}, {"required": ["model"]}],
        "additionalProperties": False,
        "$defs": defs,
    }


def _score(c: Criterion) -> dict[str, Any]:
    within = {"type": "number", "minimum": c.lo, "maximum": c.hi}
    direction = "higher" if c.higher_is_better else "lower"
    about = f"{c.label}: scale {c.lo:g} to {c.hi:g}, {direction} is better."
    if c.description:
        about += f" {c.description}."
    table = {"$ref": "#/$defs/ScoreIn"}
    bounds = dict.fromkeys(("value", "low", "high", "intrinsic"), within)
    return {
        "description": about,
        "anyOf": [
            within,
            {
                "allOf": [
                    table,
                    {
                        "type": "object",
                        "properties": {
                            **bounds,
                            "by": {"type": "object", "additionalProperties": within},
                        },
                    },
                ]
            },
        ],
    }


def _cost(r: Resource) -> dict[str, Any]:
    at_least_0 = {"type": "number", "minimum": 0}
    unit = f" ({r.unit})" if r.unit else ""
    return {
        "description": f"{r.label}{unit}: 0 or more.",
        "anyOf": [
            at_least_0,
            {
                "allOf": [
                    {"$ref": "#/$defs/CostIn"},
                    {
                        "type": "object",
                        "properties": dict.fromkeys(("value", "low", "high"), at_least_0),
                    },
                ]
            },
        ],
    }


def model_schema(model: Model) -> dict[str, Any]:
    """The schema of ``engage.toml``; weights and screens offer the resolved criteria.

    Other names stay allowed there, since a model file may be adding a criterion.
    """
    defs = _base()
    ids = list(model.criterion_ids)
    number = {"type": "number"}
    defs["ProfileIn"]["properties"]["weights"] = {
        "type": "object",
        "description": "A weight (>= 0) for every criterion: " + ", ".join(ids) + ".",
        "properties": {cid: {**number, "minimum": 0} for cid in ids},
        "additionalProperties": {**number, "minimum": 0},
    }
    for kind in ("min", "max"):
        defs["ScreenIn"]["properties"][kind] = {
            "type": "object",
            "properties": dict.fromkeys(ids, number),
            "additionalProperties": number,
        }
    return {
        "$schema": DRAFT,
        "title": f"engage model ({model.title})",
        "$ref": "#/$defs/ModelIn",
        "$defs": defs,
    }


def schema_for(kind: str, model: Model) -> dict[str, Any]:
    return option_schema(model) if kind == "option" else model_schema(model)
