"""Every rule of docs/formats.md, turned into positioned diagnostics.

Two passes: pydantic checks each table's structure and types (translated in
:mod:`.structure` into engage's codes and wording), then the set-level rules that need the
model or the whole set run over the typed values and point back into the documents: the
model's (:mod:`.model`, with :mod:`.value_functions`), each score's (:mod:`.scores`) and the
options' (:mod:`.options`).
"""

from __future__ import annotations

from engage.io.validate.model import check_model
from engage.io.validate.options import check_names, check_options, plain_meta
from engage.io.validate.structure import parse_table, translate

STRICT_WARNINGS = {
    "no-rationale": "rationale",
    "no-sources": "sources",
    "no-range": "range",
    "unknown-score": "unknown score",
    "no-cost": "cost",
}
"""The warnings ``validate --strict`` fails on, by code: what each says is missing."""

__all__ = [
    "STRICT_WARNINGS",
    "check_model",
    "check_names",
    "check_options",
    "parse_table",
    "plain_meta",
    "translate",
]
