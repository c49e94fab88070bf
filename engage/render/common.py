"""Shared pieces of the machine formats: JSON, CSV/TSV, Markdown, number text."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from engage.render.markup import Markup, md_cell

if TYPE_CHECKING:
    from engage.core.model import Criterion, Option

FORMAT_VERSION = 1
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
"""What ``json.dumps(value, ensure_ascii=False, allow_nan=False)`` builds on every call,
built once: a row of output each (100,000 of them for a large set)."""


def envelope(command: str, **payload: Any) -> dict[str, Any]:
    """Every JSON document starts ``{"engage": 1, "command": ...}``."""
    return {"engage": FORMAT_VERSION, "command": command, **payload}


def dumps_json(document: dict[str, Any]) -> str:
    """Deterministic JSON (full float precision, never NaN): one top-level key per line,
    and each element of a list of objects on a line of its own.

    Readable in a terminal and with grep, and fast: each line goes through the C
    encoder, where ``indent=`` would fall back to the pure-Python one (3–4 × slower on
    100,000 options).
    """
    lines = []
    for key, value in document.items():
        name = _compact(key)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            encode = _ENCODER.encode
            items = ",\n".join(["    " + encode(v) for v in value])
            lines.append(f"  {name}: [\n{items}\n  ]")
        else:
            lines.append(f"  {name}: {_compact(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _compact(value: Any) -> str:
    text: str = _ENCODER.encode(value)
    return text


def dumps_ndjson(rows: Iterable[Any]) -> str:
    encode = _ENCODER.encode
    return "".join([encode(r) + "\n" for r in rows])


def dumps_delimited(header: Sequence[str], rows: Iterable[Sequence[Any]], *, tsv: bool) -> str:
    """CSV quoted as the csv module does, or TSV with tabs and line breaks made spaces."""
    out = io.StringIO()
    if tsv:
        for row in (header, *rows):
            out.write("\t".join(_tsv_cell(c) for c in row) + "\n")
        return out.getvalue()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[_cell(c) for c in row] for row in rows])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _tsv_cell(value: Any) -> str:
    return " ".join(_cell(value).replace("\t", " ").splitlines())


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[Any]], align: str = "") -> str:
    """A GitHub-flavoured Markdown table; ``align`` is one of l/r per column.

    Every cell is text and is escaped (:func:`engage.render.markup.md_cell`), except a
    :class:`~engage.render.markup.Markup` cell, which the caller built as Markdown.
    """
    lines = ["| " + " | ".join(_md(h) for h in header) + " |"]
    marks = [("---:" if a == "r" else "---") for a in align.ljust(len(header), "l")]
    lines.append("| " + " | ".join(marks) + " |")
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _md(value: Any) -> str:
    if isinstance(value, Markup):
        return str(value)
    return md_cell(_cell(value) if not isinstance(value, str) else value)


def number(x: float) -> str:
    """A written value as a person wrote it: 8, 6.5."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:g}"


def score_cell(score: Any) -> str:
    """A score's value as tables and Markdown show it: ``5?`` when the score is unknown
    (its working value, docs/formats.md#unknown-scores)."""
    return number(score.value) + ("?" if score.unknown else "")


def short_weight(w: float) -> str:
    """A weight in a footer: at most three decimals, no trailing zeros (0.45, 0.2, 0)."""
    return f"{w:.3f}".rstrip("0").rstrip(".") if w else "0"


def unknown_keys(
    option: Option, criteria: tuple[Criterion, ...], key: str = "unknown"
) -> dict[str, list[str]]:
    """``{"unknown": [criteria]}`` (model order) for an option with unknown scores, else
    nothing: what its entry in a JSON document gains (docs/output.md#unknown-scores).
    ``key`` names it where the entry is about something else (a track's ``best_unknown``)."""
    unknown = option.unknown(criteria)
    return {key: unknown} if unknown else {}


def any_unknown(options: Iterable[Option]) -> bool:
    """Whether CSV/TSV gain their last ``unknown`` column: a listed option has an unknown
    score."""
    return any(s.unknown for o in options for s in o.scores.values())


def unknown_cell(option: Option, criteria: tuple[Criterion, ...]) -> str:
    """The ``unknown`` column's cell: the criteria joined by ``;`` (empty when none)."""
    return ";".join(option.unknown(criteria))


def unknown_mark(option: Option) -> str:
    """`` ?`` after the id of an option with unknown scores, in tables and Markdown that
    do not show its scores (those that do mark the value: :func:`score_cell`)."""
    return " ?" if any(s.unknown for s in option.scores.values()) else ""


def unknown_lines(options: Iterable[Option], criteria: tuple[Criterion, ...]) -> list[str]:
    """The footer line that reads :func:`unknown_mark`, or none when no option has one."""
    marked = [f"{o.id} ({', '.join(u)})" for o in options if (u := o.unknown(criteria))]
    if not marked:
        return []
    return ["? unknown scores, scored at the midpoint of their range: " + ", ".join(marked)]


def fixed(x: float, unit: str) -> str:
    """A score for people: points to one decimal, the 0–1 and −1…1 scores to three."""
    if unit == "points":
        return f"{x:.1f}"
    return f"{x:+.3f}" if unit == "net flow" else f"{x:.3f}"
