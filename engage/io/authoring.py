"""Writing options: from flags or spreadsheet rows to option tables, checked.

Spreadsheet rows become tables in :mod:`engage.io.csvimport` (``options_from_sheet``, read
through this module too).

Pure: the commands read and write; this module builds the values in between and
checks them with the very functions that check a loaded set (:mod:`engage.io.validate`),
so a file engage writes passes ``engage validate`` by construction.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from engage.core.errors import (
    EXIT_USAGE,
    Diagnostic,
    InvalidInput,
    UsageError,
    did_you_mean,
    unknown_name,
)
from engage.core.model import Criterion, Model, Option
from engage.io.columns import field_of
from engage.io.csvimport import parse_number, split_list, split_tags
from engage.io.document import Document, Place
from engage.io.fastpath import ID_PATTERN
from engage.io.schema import OptionIn
from engage.io.validate import check_names, check_options, parse_table

Number = int | float
Entry = tuple[Document, tuple[str | int, ...], dict[str, Any]]
MODEL_FILE = "engage.toml"
ID_RE = re.compile(ID_PATTERN)


class FlagValueError(InvalidInput):
    """``engage new`` was given values the model rejects: a usage error (exit 2)."""

    exit_code = EXIT_USAGE


def check_id(option_id: str) -> str:
    """An id is a slug; anything else (``../x``, ``A b``) is a usage error, never a path."""
    if not ID_RE.match(option_id):
        raise UsageError(
            f"'{option_id}' is not an id: 1 to 64 lowercase letters, digits and '-', "
            "starting with a letter or digit"
        )
    return option_id


# -- engage new: flags to an option table ------------------------------------------------


@dataclass
class Draft:
    """What ``engage new`` knows about the option so far (flags, then answers)."""

    FIELDS: ClassVar[tuple[str, ...]] = (
        *("id", "title", "track", "summary", "tag", "cost"),
        *("score", "range", "rationale", "source"),  # per criterion: "`score` benefit"
    )
    """The input fields that give a draft its values, as its messages name them."""

    id: str
    title: str | None = None
    track: str | None = None
    summary: str | None = None
    tags: list[str] = field(default_factory=list)
    values: dict[str, Number] = field(default_factory=dict)
    ranges: dict[str, tuple[Number, Number]] = field(default_factory=dict)
    rationales: dict[str, str] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)
    costs: dict[str, Number] = field(default_factory=dict)

    def missing(self, model: Model) -> list[str]:
        """The required values not given yet, named by the fields that give them, in
        backticks ("`score` benefit": see ``FIELDS``)."""
        out = [f"`{name}`" for name, v in (("title", self.title), ("track", self.track)) if not v]
        return out + [f"`score` {c}" for c in model.criterion_ids if c not in self.values]

    def table(self) -> dict[str, Any]:
        """The ``[[option]]`` table (put in file order by :func:`file_table`)."""
        out: dict[str, Any] = {"id": self.id, "title": self.title, "track": self.track}
        if self.summary:
            out["summary"] = self.summary
        if self.tags:
            out["tags"] = list(self.tags)
        out["scores"] = {cid: {"value": v} for cid, v in self.values.items()}
        for cid, score in out["scores"].items():
            if cid in self.ranges:
                score["low"], score["high"] = self.ranges[cid]
            if self.rationales.get(cid):
                score["rationale"] = self.rationales[cid]
            if self.sources.get(cid):
                score["sources"] = list(self.sources[cid])
        if self.costs:
            out["costs"] = dict(self.costs)
        return out


def draft_from_flags(
    option_id: str,
    model: Model,
    *,
    title: str | None,
    track: str | None,
    summary: str | None,
    tags: Sequence[str],
    scores: Sequence[str],
    ranges: Sequence[str],
    rationales: Sequence[str],
    sources: Sequence[str],
    costs: Sequence[str] = (),
) -> Draft:
    """Read the flags of ``engage new``; a malformed flag is a usage error naming it."""
    draft = Draft(check_id(option_id), title=title, track=track, summary=summary)
    draft.tags = [t.strip() for t in tags if t.strip()]
    for cid, text in _pairs(scores, "score", model, once=True):
        draft.values[cid] = number_flag(text, "score", cid)
    for cid, text in _pairs(ranges, "range", model, once=True):
        draft.ranges[cid] = range_flag(text, "range", cid)
    for cid, text in _pairs(rationales, "rationale", model, once=True):
        draft.rationales[cid] = text.strip()
    for cid, text in _pairs(sources, "source", model, once=False):
        if text.strip():
            draft.sources.setdefault(cid, []).append(text.strip())
    for item in costs:
        name, sep, text = (part.strip() for part in item.partition("="))
        if not sep or not name:
            raise UsageError(f"`cost`: expected RESOURCE=VALUE, got '{item}'", field="cost")
        if name not in model.resource_ids:
            raise unknown_name("resource", name, model.resource_ids)
        if name in draft.costs:
            raise UsageError(f"`cost`: '{name}' is given twice", field="cost")
        draft.costs[name] = number_flag(text, "cost", name)
    return draft


def _pairs(items: Sequence[str], field: str, model: Model, *, once: bool) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"`{field}`: expected CRITERION=VALUE, got '{item}'", field=field)
        if name not in model.criterion_ids:
            raise unknown_name("criterion", name, model.criterion_ids)
        if once and any(n == name for n, _ in out):
            raise UsageError(f"`{field}`: '{name}' is given twice", field=field)
        out.append((name, text))
    return out


def number_flag(text: str, field: str, key: str) -> Number:
    """The number ``text`` given to ``field`` for ``key`` (``score`` for ``benefit``)."""
    try:
        return parse_number(text)
    except ValueError as exc:
        raise UsageError(f"`{field}` {key}: {exc}", field=field) from None


def range_flag(text: str, field: str, key: str) -> tuple[Number, Number]:
    """``3:7`` → (3, 7)."""
    low, sep, high = text.partition(":")
    if not sep:
        raise UsageError(f"`{field}` {key}: expected LOW:HIGH, got '{text}'", field=field)
    return number_flag(low, field, key), number_flag(high, field, key)


# answers typed at the prompts of `engage new`: ValueError makes the prompt ask again


def answer_text(text: str) -> str:
    if not text.strip():
        raise ValueError("this one is needed")
    return text.strip()


def answer_track(text: str, tracks: Sequence[str] | None) -> str:
    text = answer_text(text)
    if tracks is not None and text not in tracks:
        hint = did_you_mean(text, tracks)
        raise ValueError(f"'{text}' is not a track" + (f"; {hint}" if hint else ""))
    return text


def answer_number(text: str, criterion: Criterion) -> Number:
    x = parse_number(answer_text(text))
    if not criterion.lo <= x <= criterion.hi:
        raise ValueError(f"{x:g} is outside the scale [{criterion.lo:g}, {criterion.hi:g}]")
    return x


def answer_range(text: str, criterion: Criterion, value: Number) -> tuple[Number, Number] | None:
    if not text.strip():
        return None
    low, sep, high = text.partition(":")
    if not sep:
        raise ValueError("expected LOW:HIGH, e.g. 3:7")
    lo, hi = answer_number(low, criterion), answer_number(high, criterion)
    if not lo <= value <= hi:
        raise ValueError(f"needs LOW <= {value:g} <= HIGH")
    return lo, hi


def interview(
    draft: Draft, model: Model, ask: Callable[[str, Callable[[str], Any]], Any], say: Any
) -> None:
    """Ask for everything the flags left out, criterion by criterion, showing each scale.

    ``ask(question, check)`` returns ``check(answer)``, asking again while it raises
    ValueError; ``say(text)`` shows a note. Enter skips what is optional.
    """
    if not draft.title:
        draft.title = ask("Title", answer_text)
    if not draft.track:
        label = f"Track ({', '.join(model.tracks)})" if model.tracks else "Track"
        draft.track = ask(label, functools.partial(answer_track, tracks=model.tracks))
    if draft.summary is None:
        draft.summary = ask("Summary (Enter to skip)", str.strip) or None
    if not draft.tags:
        draft.tags = split_tags(ask("Tags, separated by commas (Enter to skip)", str.strip))
    for c in model.criteria:
        direction = "higher" if c.higher_is_better else "lower"
        say(f"\n{c.label} [{c.id}]: scale {c.lo:g} to {c.hi:g}, {direction} is better\n")
        say(f"  {c.description}\n" if c.description else "")
        if c.id not in draft.values:
            draft.values[c.id] = ask(f"{c.id} value", functools.partial(answer_number, criterion=c))
        if c.id not in draft.ranges:
            within = functools.partial(answer_range, criterion=c, value=draft.values[c.id])
            found = ask(f"{c.id} range LOW:HIGH (Enter for none)", within)
            if found is not None:
                draft.ranges[c.id] = found
        if c.id not in draft.rationales:
            draft.rationales[c.id] = ask(f"{c.id} rationale (Enter for none)", str.strip)
        if c.id not in draft.sources:
            answer = ask(f"{c.id} sources, separated by ' | ' (Enter for none)", str.strip)
            draft.sources[c.id] = split_list(answer)


_FIELD_OF = {"tags": "tag", "value": "score", "low": "range", "high": "range", "sources": "source"}


class FlagDocument(Document):
    """The option being made by ``engage new``: diagnostics name the input field that gave
    the value (``score benefit``), not a file line."""

    def __init__(self, name: str) -> None:
        super().__init__(name, "flags", {})

    def locate(self, path: Sequence[str | int], *, value: bool = False) -> tuple[int, int] | None:
        return None

    def place(
        self, path: Sequence[str | int], code: str, message: str, *, value: bool = False
    ) -> Place:
        column = field_of(path[2:], code, message)
        if column is None:
            return Place(None, None, None, None)
        field = _FIELD_OF.get("low" if code == "bad-range" else column.kind, column.kind)
        name, fields = (f"`{field}`", (field,)) if field in Draft.FIELDS else (field, ())
        where = f"{name} {column.key}" if column.key else name
        return Place(None, None, None, where, fields)


# -- checking with the validators --------------------------------------------------------


def check_tables(
    entries: Sequence[Entry], model: Model, ids: Iterable[str] = ()
) -> tuple[list[Option], list[Diagnostic], list[Diagnostic]]:
    """parse_table + check_options over new option tables: (options, errors, warnings).

    ``ids``: the options already in the set, which ``requires`` and ``conflicts`` may name.
    """
    parsed = []
    problems: list[Diagnostic] = []
    for doc, base, raw in entries:
        result, found = parse_table(OptionIn, raw, doc, base)
        problems += found
        if result is not None:
            parsed.append((doc, base, result))
        elif isinstance(raw.get("scores"), dict):  # as the loader does: one run, every problem
            problems += check_names(raw.get("track"), list(raw["scores"]), model, doc, base)
    options, found = check_options(parsed, model, warnings=True, ids=ids)
    problems += found
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    return options, errors, warnings


def clashes(
    doc: Document,
    tables: Sequence[dict[str, Any]],
    existing: dict[str, str],
    directory: Path,
    single: Path | None,
) -> list[Diagnostic]:
    """New ids that the set already uses in a file other than the one the import writes
    (``existing``: id -> normalised file name), and an id that would be ``engage.toml``."""
    out = []
    for i, table in enumerate(tables):
        option_id = table.get("id")
        if not isinstance(option_id, str) or not ID_RE.match(option_id):
            continue  # not an id: the validator says so
        target = os.path.normpath(single or directory / f"{option_id}.toml")
        if single is None and f"{option_id}.toml" == MODEL_FILE:
            message = f"id '{option_id}' would be written to {MODEL_FILE}, the model's file"
            out.append(doc.error("bad-value", ("option", i, "id"), message))
        used = existing.get(option_id)
        if used is not None and used != target:
            message = f"id '{option_id}' is already used in {used}"
            out.append(doc.error("duplicate-id", ("option", i, "id"), message))
    return out


def merge_problems(
    unreadable: Sequence[Diagnostic], found: Iterable[Diagnostic]
) -> list[Diagnostic]:
    """The cells that could not be read, then the validators' findings without their
    follow-ups: an unreadable cell is left out of its table, so "no score" for that
    criterion in that row says nothing new, and a second error on one cell neither."""
    spoilt = {_row_criterion(p) for p in unreadable}
    seen: set[tuple[str | None, int | None, int | None, str | None]] = set()
    out = []
    for p in [*unreadable, *found]:
        key = (p.file, p.line, p.column, p.path)
        follow_up = p.code in ("missing-score", "missing-key") and _row_criterion(p) in spoilt
        if key not in seen and not (follow_up and p not in unreadable):
            seen.add(key)
            out.append(p)
    return out


def _row_criterion(p: Diagnostic) -> tuple[str, str]:
    """``row 3 column benefit_low`` → ("row 3", "benefit")."""
    row, _, column = (p.path or "").partition(" column ")
    return row, column.split("_")[0]
