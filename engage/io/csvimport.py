"""Reading a spreadsheet's CSV export: cells with their positions, columns checked.

Spreadsheets write CSV with a byte-order mark, CRLF line ends, quoted cells holding
commas and line breaks, and (in locales with a decimal comma) ``;`` between cells. A
small tokenizer reads all of that and remembers where every cell starts, so each
diagnostic can say ``FILE:LINE:COL`` (the physical line and character column of the
cell itself) and ``row N column NAME`` (the row number the spreadsheet shows, the
header being row 1). Pure: text in, values and diagnostics out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from engage.core.errors import Diagnostic, did_you_mean
from engage.core.model import Model
from engage.io.document import Document

DELIMITERS = (",", ";", "\t")
TEXT_COLUMNS = ("id", "title", "track", "summary", "tags", "actors", "requires", "conflicts")
SCORE_SUFFIXES = ("low", "high", "intrinsic", "rationale", "sources", "by")
COST_SUFFIXES = ("low", "high", "rationale", "sources")
"""``cost_<resource>`` is a cost's value; ``cost_<resource>_<suffix>`` the rest."""
META_PREFIX = "meta."

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_QUOTED_NAME = re.compile(r"'([^']+)'")


# -- cells and records --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell's text (surrounding spaces removed, line ends made ``\\n``) and position.

    A quoted cell keeps a line break at its end: a list cell with one line break is read
    by lines (so one source holding `` | `` survives the round trip through ``export``).
    """

    text: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Record:
    """One row of the sheet: ``number`` as the spreadsheet shows it (header = 1)."""

    number: int
    line: int
    cells: tuple[Cell, ...]

    @property
    def blank(self) -> bool:
        return all(not c.text.strip() for c in self.cells)


class CsvSyntaxError(Exception):
    """The text is not CSV (an unclosed quote, text after a closing quote)."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def detect_delimiter(text: str) -> str:
    """The delimiter the header line uses most: ``,`` unless ``;`` or a tab wins."""
    first = text.split("\n", 1)[0]
    counts = [(first.count(d), -k, d) for k, d in enumerate(DELIMITERS)]
    return max(counts)[2] if max(counts)[0] else ","


def tokenize(text: str, delimiter: str | None = None) -> list[Record]:
    """Split CSV text into records of positioned cells (RFC 4180, as spreadsheets write it)."""
    text = text.removeprefix("\ufeff")
    delim = delimiter or detect_delimiter(text)
    return _Tokenizer(text, delim).records()


class _Tokenizer:
    def __init__(self, text: str, delimiter: str) -> None:
        self.text, self.delim = text, delimiter
        self.blanks = " \t".replace(delimiter, "")
        self.i, self.line, self.col = 0, 1, 1

    def records(self) -> list[Record]:
        out: list[Record] = []
        while self.i < len(self.text):
            line, cells = self.line, [self._cell()]
            while self.i < len(self.text) and self.text[self.i] == self.delim:
                self._advance()
                cells.append(self._cell())
            self._end_of_line()
            out.append(Record(len(out) + 1, line, tuple(cells)))
        return out

    def _advance(self) -> str:
        c = self.text[self.i]
        self.i += 1
        if c == "\n" or (c == "\r" and not self.text.startswith("\n", self.i)):
            self.line, self.col = self.line + 1, 1
        elif c != "\r":
            self.col += 1
        return c

    def _skip_spaces(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in self.blanks:
            self._advance()

    def _at_end_of_cell(self) -> bool:
        return self.i >= len(self.text) or self.text[self.i] in (self.delim, "\r", "\n")

    def _end_of_line(self) -> None:
        if self.text.startswith("\r\n", self.i):
            self._advance()
            self._advance()
        elif self.i < len(self.text) and self.text[self.i] in "\r\n":
            self._advance()

    def _cell(self) -> Cell:
        self._skip_spaces()
        line, col = self.line, self.col
        if self.i < len(self.text) and self.text[self.i] == '"':
            return Cell(self._quoted(line, col).strip(" \t"), line, col)
        start = self.i
        while not self._at_end_of_cell():
            self._advance()
        return Cell(self.text[start : self.i].strip(" \t"), line, col)

    def _quoted(self, line: int, col: int) -> str:
        self._advance()
        parts: list[str] = []
        while True:
            if self.i >= len(self.text):
                raise CsvSyntaxError("a quoted cell is not closed", line, col)
            c = self._advance()
            if c == '"':
                if self.text.startswith('"', self.i):
                    self._advance()
                    parts.append('"')
                    continue
                break
            parts.append(c)
        self._skip_spaces()
        if not self._at_end_of_cell():
            raise CsvSyntaxError(
                "text after the closing quote of a cell (a quote inside a quoted cell is "
                'written "")',
                self.line,
                self.col,
            )
        return "".join(parts).replace("\r\n", "\n").replace("\r", "\n")


# -- columns ------------------------------------------------------------------------------


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


@dataclass
class Sheet:
    """The data rows of a CSV file, each as {column: cell}, and what was wrong with it."""

    name: str
    rows: list[tuple[Record, dict[Column, Cell]]] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    """What stops the reading: bad CSV, a bad header, no rows."""
    row_problems: list[Diagnostic] = field(default_factory=list)
    """Cells of a row beyond the header: reported with the rows' other errors."""


def read_sheet(text: str, name: str, model: Model) -> Sheet:
    """Tokenize, check the header against the model, and pair every cell with its column."""
    sheet = Sheet(name)
    try:
        records = tokenize(text)
    except CsvSyntaxError as exc:
        sheet.problems.append(
            Diagnostic("error", "invalid-csv", exc.message, name, exc.line, exc.column)
        )
        return sheet
    records = [r for r in records if not r.blank or r.number == 1]
    if not records or records[0].blank:
        sheet.problems.append(Diagnostic("error", "invalid-csv", "no header row", name, 1, 1))
        return sheet
    header, body = records[0], records[1:]
    columns = _header(header, body, model, sheet)
    if any(p.severity == "error" for p in sheet.problems):
        return sheet
    if not body:
        sheet.problems.append(Diagnostic("error", "no-options", "no rows below the header", name))
    for record in body:
        cells: dict[Column, Cell] = {}
        for k, cell in enumerate(record.cells):
            column = columns[k] if k < len(columns) else None
            if column is not None:
                cells[column] = cell
            elif cell.text.strip():
                where = f"row {record.number} column {k + 1}"
                sheet.row_problems.append(
                    _at(cell, name, "invalid-csv", where, "a cell beyond the last named column")
                )
        sheet.rows.append((record, cells))
    return sheet


def _header(
    header: Record, body: Sequence[Record], model: Model, sheet: Sheet
) -> list[Column | None]:
    columns: list[Column | None] = []
    seen: dict[Column, Cell] = {}

    def report(cell: Cell, code: str, column: str, message: str, hint: str | None = None) -> None:
        sheet.problems.append(
            _at(cell, sheet.name, code, f"row 1 column {column}", message, hint=hint)
        )

    for k, cell in enumerate(header.cells):
        column = classify(cell.text, model) if cell.text else None
        if not cell.text:
            if any(k < len(r.cells) and r.cells[k].text for r in body):
                report(cell, "unknown-column", str(k + 1), "a column with data has no name")
        elif column is None:
            hint = did_you_mean(cell.text.lower(), known_columns(model))
            report(cell, "unknown-column", cell.text, f"unknown column '{cell.text}'", hint)
        elif column in seen:
            first, name = seen[column], column.name
            where = f"line {first.line} column {first.column}"
            report(cell, "duplicate-column", name, f"column '{name}' is also at {where}")
            column = None
        else:
            seen[column] = cell
        columns.append(column)
    needed = [Column(name) for name in ("id", "title", "track")]
    needed += [Column("value", c) for c in model.criterion_ids if Column("by", c) not in seen]
    missing = [c.name for c in needed if c not in seen]
    if missing:
        message = (
            f"missing column{'s' * (len(missing) > 1)} {', '.join(missing)} (needed: id, "
            f"title, track and one per criterion: {', '.join(model.criterion_ids)})"
        )
        sheet.problems.append(
            Diagnostic("error", "missing-column", message, sheet.name, header.line, 1, "row 1")
        )
    return columns


def _at(cell: Cell, name: str, code: str, where: str, message: str, **kw: Any) -> Diagnostic:
    return Diagnostic("error", code, message, name, cell.line, cell.column, path=where, **kw)


# -- cell values --------------------------------------------------------------------------


def parse_number(text: str) -> int | float:
    """``6`` → 6, ``6.5`` → 6.5, ``6,5`` → 6.5; ValueError with the reason otherwise.

    A decimal comma is read only when one, two or four or more digits follow it: with
    exactly three (``1,250``) it could be a thousands separator, so it is refused.
    """
    text = text.strip()
    if _INTEGER.match(text):
        return int(text)
    if _DECIMAL.match(text):
        return float(text)
    if _DECIMAL_COMMA.match(text):
        if len(text.rpartition(",")[2]) == 3:
            whole, _, part = text.partition(",")
            raise ValueError(f"'{text}' is ambiguous: write {whole}.{part} or {whole}{part}")
        return float(text.replace(",", "."))
    raise ValueError(f"'{text}' is not a number")


def split_tags(text: str) -> list[str]:
    """Tags are separated by commas, ``|`` or line breaks."""
    return [t.strip() for t in re.split(r"[,|\n]", text) if t.strip()]


def split_list(text: str) -> list[str]:
    """Sources and actors: one per line inside the cell, else separated by `` | ``."""
    parts = text.split("\n") if "\n" in text else text.split(" | ")
    return [p.strip() for p in parts if p.strip()]


def split_assessors(text: str) -> dict[str, str]:
    """``analyst-a=5 | analyst-b=3`` (or one per line, or ``;``) → {name: number text}."""
    out: dict[str, str] = {}
    for part in re.split(r"[|;\n]", text):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"expected NAME=NUMBER, got '{part.strip()}'")
        if name.strip() in out:
            raise ValueError(f"assessor '{name.strip()}' is given twice")
        out[name.strip()] = value.strip()
    return out


# -- pointing diagnostics at cells --------------------------------------------------------


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


class CsvDocument(Document):
    """A CSV file as the validators see it: option ``i`` is data row ``i``."""

    def __init__(self, name: str, rows: Sequence[tuple[Record, dict[Column, Cell]]]) -> None:
        super().__init__(name, "csv", {})
        self.rows = list(rows)

    def _where(
        self, path: Sequence[str | int], code: str = "", message: str = ""
    ) -> tuple[Record, Column | None, Cell | None]:
        record, cells = self.rows[int(path[1])]
        column = field_of(path[2:], code, message)
        return record, column, cells.get(column) if column is not None else None

    def locate(self, path: Sequence[str | int], *, value: bool = False) -> tuple[int, int] | None:
        record, _, cell = self._where(path)
        return (cell.line, cell.column) if cell else (record.line, 1)

    def diagnostic(
        self,
        severity: Any,
        code: str,
        path: Sequence[str | int],
        message: str,
        *,
        hint: str | None = None,
        value: bool = False,
    ) -> Diagnostic:
        record, column, cell = self._where(path, code, message)
        line, col = (cell.line, cell.column) if cell else (record.line, 1)
        where = f"row {record.number}" + (f" column {column.name}" if column else "")
        return Diagnostic(severity, code, message, self.name, line, col, path=where, hint=hint)
