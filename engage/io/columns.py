"""The columns of a spreadsheet of options: their names, what a header names, and
which column an option path points at. Shared by the import and the export."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from engage.core.model import Model

TEXT_COLUMNS = ("id", "title", "track", "summary", "tags", "actors", "requires", "conflicts")
SCORE_SUFFIXES = ("low", "high", "intrinsic", "rationale", "sources", "by")
COST_SUFFIXES = ("low", "high", "rationale", "sources")
"""``cost_<resource>`` is a cost's value; ``cost_<resource>_<suffix>`` the rest."""
META_PREFIX = "meta."

_QUOTED_NAME = re.compile(r"'([^']+)'")


@dataclass(frozen=True, slots=True)
class Column:
    """What a header names: a text field, a criterion's value or detail, or a meta key."""

    kind: str  # a TEXT_COLUMNS name, "value", a SCORE_SUFFIXES name, "cost", "cost_SUFFIX"
    # (a COST_SUFFIXES name) or "meta"
    key: str | None = None  # the criterion id, the resource id, or the meta key

    @property
    def name(self) -> str:
        return column_name(self.kind, self.key)


def column_name(kind: str, key: str | None = None) -> str:
    """``("value", "benefit")`` → ``benefit``; ``("low", "benefit")`` → ``benefit_low``."""
    if kind == "meta":
        return f"{META_PREFIX}{key}"
    if kind == "value":
        return str(key)
    if kind == "cost":
        return f"cost_{key}"
    if kind.startswith("cost_"):
        return f"cost_{key}_{kind.removeprefix('cost_')}"
    return f"{key}_{kind}" if key is not None else kind


def known_columns(model: Model) -> list[str]:
    """Every column name the import understands, besides ``meta.KEY``."""
    names = list(TEXT_COLUMNS)
    for cid in model.criterion_ids:
        names += [cid, *(f"{cid}_{s}" for s in SCORE_SUFFIXES)]
    for rid in model.resource_ids:
        names += [f"cost_{rid}", *(f"cost_{rid}_{s}" for s in COST_SUFFIXES)]
    return names


def classify(name: str, model: Model) -> Column | None:
    """The column a header cell names, or None when the import does not know it."""
    if name.startswith(META_PREFIX) and len(name) > len(META_PREFIX):
        return Column("meta", name[len(META_PREFIX) :])
    name = name.lower()
    if name in TEXT_COLUMNS:
        return Column(name)
    if name in model.criterion_ids:
        return Column("value", name)
    cid, _, suffix = name.rpartition("_")
    if cid in model.criterion_ids and suffix in SCORE_SUFFIXES:
        return Column(suffix, cid)
    rest = name.removeprefix("cost_")  # names have no '_': cost_ID or cost_ID_SUFFIX
    if rest != name and rest in model.resource_ids:
        return Column("cost", rest)
    rid, _, suffix = rest.rpartition("_")
    if rest != name and rid in model.resource_ids and suffix in COST_SUFFIXES:
        return Column(f"cost_{suffix}", rid)
    return None


def field_of(rest: Sequence[str | int], code: str, message: str) -> Column | None:
    """The field an option path points at: ``scores.benefit.low`` → Column("low", "benefit").

    Paths that stop at a table (a missing key, a missing score) name the field through
    the quoted name in the message.
    """
    quoted = _QUOTED_NAME.search(message)
    named = quoted.group(1) if quoted else None
    if not rest:
        return Column(named) if code == "missing-key" and named in TEXT_COLUMNS else None
    head = str(rest[0])
    if head == "meta":
        return Column("meta", str(rest[1])) if len(rest) > 1 else None
    if head == "costs":
        if len(rest) == 1:
            return None
        detail = str(rest[2]) if len(rest) > 2 else "value"
        return Column("cost" if detail == "value" else f"cost_{detail}", str(rest[1]))
    if head != "scores":
        return Column(head) if head in TEXT_COLUMNS else None
    if len(rest) == 1:
        return Column("value", named) if code == "missing-score" and named else None
    cid = str(rest[1])
    if len(rest) == 2 or rest[2] == "value":
        return Column("value", cid)
    return Column(str(rest[2]), cid)
