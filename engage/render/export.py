"""Option files as people read them, and `engage export`: the whole set as one document.

``new`` and ``import`` write option files through tomli-w, keys in reading order. The
export's TOML and JSON embed the model, so ``engage rank all.toml`` alone ranks as the set did.
CSV holds the options in the columns ``engage import`` reads (the model stays out: a
spreadsheet has no place for it).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Sequence
from typing import Any

from engage.core.errors import EngageError
from engage.core.model import Cost, Model, Option, OptionSet, Score, exact_number
from engage.io.columns import column_name
from engage.render.common import dumps_delimited, dumps_json, envelope
from engage.render.model import as_dict

SCHEMA_FILE = "engage.schema.json"
_RANGE = ("low", "high")


# -- option files -----------------------------------------------------------------------


_OPTION_KEYS = ("id", "title", "track", "summary", "actors", "tags", "requires", "conflicts")
_SCORE_KEYS = ("value", "unknown", "low", "high", "intrinsic", "by", "rationale", "sources")
_COST_KEYS = ("value", "low", "high", "rationale", "sources")


def file_table(raw: dict[str, Any], model: Model) -> dict[str, Any]:
    """An option table in the order people read it: criteria in the model's order, a score
    (or a cost) that is only a value in the short form (``benefit = 4``)."""
    out = {k: raw[k] for k in _OPTION_KEYS if k in raw}
    out["scores"] = _short_forms(raw["scores"], model.criterion_ids, _SCORE_KEYS)
    if raw.get("costs"):
        named = [*model.resource_ids, *(r for r in raw["costs"] if r not in model.resource_ids)]
        out["costs"] = _short_forms(raw["costs"], named, _COST_KEYS)
    if "meta" in raw:
        out["meta"] = raw["meta"]
    return out


def _short_forms(
    written: dict[str, Any], names: Sequence[str], keys: Sequence[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        table = written.get(name)
        if isinstance(table, dict):
            table = {k: table[k] for k in keys if k in table}
            out[name] = table["value"] if list(table) == ["value"] else table
        elif table is not None:
            out[name] = table
    return out


def option_file_text(tables: Sequence[dict[str, Any]], *, schema_line: bool = False) -> str:
    """An option file: ``schema_version = 1`` and one ``[[option]]`` per table (tomli-w).

    ``schema_line`` puts ``#:schema ./engage.schema.json`` first, for Taplo and
    Even Better TOML, when the set has that file.
    """
    text = toml_text({"schema_version": 1, "option": list(tables)})
    return (f"#:schema ./{SCHEMA_FILE}\n" if schema_line else "") + text


_ARRAY = re.compile(r"^([^\n]*= )\[\n((?:    [^\n]*,\n)+)\]$", re.MULTILINE)


def toml_text(data: dict[str, Any], width: int = 100) -> str:
    """tomli-w's TOML with each short array on one line (``scale = [0, 10]``).

    tomli-w puts every item of an array on its own line. Joining them is checked by
    parsing both texts, so the result always holds exactly what tomli-w wrote.
    """
    import tomllib

    import tomli_w

    text = tomli_w.dumps(data, multiline_strings=True)

    def join(found: re.Match[str]) -> str:
        items = [line.strip().removesuffix(",") for line in found.group(2).splitlines()]
        line = found.group(1) + "[" + ", ".join(items) + "]"
        return line if len(line) <= width and "\n" not in line else found.group(0)

    compact = _ARRAY.sub(join, text)
    return compact if tomllib.loads(compact) == tomllib.loads(text) else text


EXAMPLE_ID = "example-option"

EXAMPLE_OPTION = """\
# An option file: one or more [[option]] tables. Copy it to add an option, or run
#     engage new ID --title "..." --track ... --score benefit=5 ...
# `engage validate --strict` checks every rule; `engage rank` ranks the set.
schema_version = 1

[[option]]
id = "example-option"        # lowercase letters, digits and '-'; unique in the set
title = "Example: one line saying what would be done"
track = "humanitarian"       # one of the tracks in engage.toml
summary = "Who does what, with whom, and what it needs. Replace this example."
actors = ["UN agencies", "NGO consortium"]
tags = ["example"]

[option.scores.benefit]      # Immediate benefit, 0-10, higher is better
value = 6
low = 4                      # the range you believe in; low <= value <= high
high = 7
rationale = "Why 6: the people reached and how soon. Replace with your reasoning."
sources = ["Author, date: title of the report or article - URL"]

[option.scores.feasibility]  # Feasibility, 0-10, higher is better
value = 5
low = 3
high = 7
rationale = "Who must agree, and how likely they are to. Replace with your reasoning."
sources = ["Author, date: title of the report or article - URL"]

[option.scores.linkage]      # Linkage to political concessions, 0-10, LOWER is better
value = 2
low = 1
high = 4
rationale = "How far progress waits on the political track. Replace with your reasoning."
sources = ["Author, date: title of the report or article - URL"]

[option.costs.budget]        # what it uses of each resource in engage.toml (engage portfolio)
value = 5                    # USD m per year; an estimate, with its range
low = 2
high = 10
rationale = "What the desk would pay for it. Replace with your estimate."

[option.costs.staff]         # FTE
value = 1
low = 0.5
high = 2
"""


# -- the normalised document ----------------------------------------------------------


def export_model(model: Model) -> dict[str, Any]:
    """The model with every default filled in; profile weights exactly as written, so
    the reloaded model normalises them to the same numbers."""
    out = as_dict(model)
    written = model.source.get("profiles") or {}
    if written:
        out["profiles"] = {
            name: {**out["profiles"][name], "weights": dict(written[name]["weights"])}
            for name in out["profiles"]
        }
    else:
        out["profiles"] = {
            p.name: {
                **({"description": p.description} if p.description else {}),
                "weights": dict.fromkeys(model.criterion_ids, 1),
            }
            for p in model.profiles
        }
    return out


def export_score(score: Score) -> dict[str, Any]:
    """Every score in the long form: value, low and high always; the rest when given."""
    out: dict[str, Any] = {"value": score.value, "low": score.low, "high": score.high}
    if score.unknown:  # docs/formats.md#unknown-scores: no value, the range kept
        out = {"unknown": True, "low": score.low, "high": score.high}
    if score.intrinsic is not None:
        out["intrinsic"] = score.intrinsic
    if score.by:
        out["by"] = dict(score.by)
    if score.rationale:
        out["rationale"] = score.rationale
    if score.sources:
        out["sources"] = list(score.sources)
    return out


def export_cost(cost: Cost) -> dict[str, Any]:
    """Every cost in the long form: value, low and high always; the rest when given."""
    out: dict[str, Any] = {"value": cost.value, "low": cost.low, "high": cost.high}
    if cost.rationale:
        out["rationale"] = cost.rationale
    if cost.sources:
        out["sources"] = list(cost.sources)
    return out


def export_option(option: Option, model: Model) -> dict[str, Any]:
    out: dict[str, Any] = {"id": option.id, "title": option.title, "track": option.track}
    if option.summary is not None:
        out["summary"] = option.summary
    if option.actors:
        out["actors"] = list(option.actors)
    if option.tags:
        out["tags"] = list(option.tags)
    if option.requires:
        out["requires"] = list(option.requires)
    if option.conflicts:
        out["conflicts"] = list(option.conflicts)
    out["scores"] = {cid: export_score(option.scores[cid]) for cid in model.criterion_ids}
    if option.costs:
        out["costs"] = {
            rid: export_cost(option.costs[rid]) for rid in model.resource_ids if rid in option.costs
        }
    if option.meta:
        out["meta"] = option.meta
    return out


def export_document(option_set: OptionSet) -> dict[str, Any]:
    """``{"model": ..., "options": [...]}`` in input order (TOML names the list ``option``)."""
    model = option_set.model
    return {
        "model": export_model(model),
        "options": [export_option(o, model) for o in option_set.options],
    }


def jsonable(value: Any) -> Any:
    """TOML dates and times as ISO strings (docs/formats.md#option-files), recursively."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


# -- formats ------------------------------------------------------------------------------


def to_toml(option_set: OptionSet) -> str:
    """``schema_version = 1``, ``[model]`` and one ``[[option]]`` per option."""
    document = export_document(option_set)
    try:
        return toml_text(
            {"schema_version": 1, "model": document["model"], "option": document["options"]}
        )
    except (TypeError, ValueError) as exc:  # e.g. a null in meta read from JSON
        raise EngageError(f"cannot write the set as TOML: {exc}", hint="export -f json") from None


def to_json(option_set: OptionSet) -> str:
    """``{"engage": 1, "command": "export", "model": {...}, "options": [...]}``."""
    document = export_document(option_set)
    return dumps_json(
        envelope("export", model=document["model"], options=jsonable(document["options"]))
    )


def csv_header(option_set: OptionSet) -> list[str]:
    """The columns of ``engage import``; optional ones only when some option uses them."""
    model, options = option_set.model, option_set.options
    ids = model.criterion_ids
    header = ["id", "title", "track", *ids]
    for cid in ids:
        kinds = ["low", "high"]
        if any(o.scores[cid].intrinsic is not None for o in options):
            kinds.append("intrinsic")
        if any(o.scores[cid].by for o in options):
            kinds.append("by")
        header += [column_name(k, cid) for k in (*kinds, "rationale", "sources")]
    for rid in model.resource_ids:
        costs = [o.costs[rid] for o in options if rid in o.costs]
        if costs:
            header += [column_name("cost", rid), *(column_name(f"cost_{k}", rid) for k in _RANGE)]
            header += [
                column_name(f"cost_{k}", rid)
                for k in ("rationale", "sources")
                if any(getattr(c, k) for c in costs)
            ]
    header += [link for link in ("requires", "conflicts") if any(getattr(o, link) for o in options)]
    header += ["summary", "tags"]
    if any(o.actors for o in options):
        header.append("actors")
    meta_keys: dict[str, None] = {}
    for option in options:
        meta_keys.update(dict.fromkeys(option.meta))
    return header + [column_name("meta", key) for key in meta_keys]


def to_csv(option_set: OptionSet) -> str:
    """One row per option, numbers as written (``6``, ``6.5``), lists one item per line."""
    header = csv_header(option_set)
    rows = [_row(option, option_set.model, header) for option in option_set.options]
    return dumps_delimited(header, rows, tsv=False)


def _row(option: Option, model: Model, header: list[str]) -> list[str]:
    cells: dict[str, str] = {
        "id": option.id,
        "title": option.title,
        "track": option.track,
        "summary": option.summary or "",
        "tags": _joined(option, "tags", option.tags, ", ", ",|\n"),
        "actors": _lines(option, "actors", option.actors),
    }
    for cid in model.criterion_ids:
        score = option.scores[cid]
        cells[cid] = "?" if score.unknown else exact_number(score.value)
        cells[column_name("low", cid)] = exact_number(score.low)
        cells[column_name("high", cid)] = exact_number(score.high)
        if score.intrinsic is not None:
            cells[column_name("intrinsic", cid)] = exact_number(score.intrinsic)
        if score.by:
            cells[column_name("by", cid)] = " | ".join(
                f"{name}={exact_number(x)}" for name, x in score.by.items()
            )
        cells[column_name("rationale", cid)] = score.rationale or ""
        cells[column_name("sources", cid)] = _lines(option, f"{cid} sources", score.sources)
    for rid, cost in option.costs.items():
        cells[column_name("cost", rid)] = exact_number(cost.value)
        cells[column_name("cost_low", rid)] = exact_number(cost.low)
        cells[column_name("cost_high", rid)] = exact_number(cost.high)
        cells[column_name("cost_rationale", rid)] = cost.rationale or ""
        cells[column_name("cost_sources", rid)] = _lines(option, f"{rid} sources", cost.sources)
    cells["requires"] = ", ".join(option.requires)
    cells["conflicts"] = ", ".join(option.conflicts)
    for key, value in option.meta.items():
        cells[column_name("meta", key)] = _meta(value)
    return [cells.get(name, "") for name in header]


def _joined(option: Option, what: str, items: tuple[str, ...], sep: str, banned: str) -> str:
    for item in items:
        if any(c in item for c in banned):
            raise EngageError(
                f"{option.id}: {what} item {item!r} holds a separator the CSV import splits on",
                hint="export -f toml or -f json keeps it",
            )
    return sep.join(items)


def _lines(option: Option, what: str, items: tuple[str, ...]) -> str:
    """One item per line; a single item holding `` | `` gets a line end so that the
    import reads the cell by lines and keeps it whole."""
    text = _joined(option, what, items, "\n", "\n")
    return text + "\n" if len(items) == 1 and " | " in text else text


def _meta(value: Any) -> str:
    value = jsonable(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
