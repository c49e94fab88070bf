"""Reading a spreadsheet's CSV export: cells with their positions, columns checked.

Spreadsheets write CSV with a byte-order mark, CRLF line ends, quoted cells holding
commas and line breaks, and (in locales with a decimal comma) ``;`` between cells. A
small tokenizer reads all of that and remembers where every cell starts, so each
diagnostic can say ``FILE:LINE:COL`` (the physical line and character column of the
cell itself) and ``row N column NAME`` (the row number the spreadsheet shows, the
header being row 1). The tokenizer is :mod:`engage.io.csvtext`, the column names
:mod:`engage.io.columns`; here the header is checked and the rows become option tables.
Pure: text in, values and diagnostics out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from engage.core.errors import Diagnostic, did_you_mean
from engage.core.model import Model
from engage.io.columns import (
    Column,
    classify,
    field_of,
    known_columns,
)
from engage.io.csvtext import Cell, CsvSyntaxError, Record, tokenize
from engage.io.document import Document, Place

Number = int | float

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


# -- reading the sheet ----------------------------------------------------------------------


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

    def place(
        self, path: Sequence[str | int], code: str, message: str, *, value: bool = False
    ) -> Place:
        record, column, cell = self._where(path, code, message)
        line, col = (cell.line, cell.column) if cell else (record.line, 1)
        where = f"row {record.number}" + (f" column {column.name}" if column else "")
        return Place(self.name, line, col, where)


# -- spreadsheet rows to option tables ---------------------------------------------------


def options_from_sheet(sheet: Sheet) -> tuple[CsvDocument, list[dict[str, Any]], list[Diagnostic]]:
    """One option table per data row; cells that cannot be read are reported at the cell."""
    doc = CsvDocument(sheet.name, sheet.rows)
    tables: list[dict[str, Any]] = []
    problems: list[Diagnostic] = []
    for record, cells in sheet.rows:
        table, found = _option_from_row(record, cells, sheet.name)
        tables.append(table)
        problems += found
    return doc, tables, problems


def _option_from_row(
    record: Record, cells: dict[Column, Cell], name: str
) -> tuple[dict[str, Any], list[Diagnostic]]:
    problems: list[Diagnostic] = []

    def read(cell: Cell, column: Column, parse: Any) -> Any:
        try:
            return parse(cell.text)
        except ValueError as exc:
            where = f"row {record.number} column {column.name}"
            problems.append(
                Diagnostic("error", "wrong-type", str(exc), name, cell.line, cell.column, where)
            )
            return None

    out: dict[str, Any] = {}
    scores: dict[str, dict[str, Any]] = {}
    costs: dict[str, dict[str, Any]] = {}
    meta: dict[str, str] = {}
    for column, cell in cells.items():
        text = cell.text.strip()
        if column.kind in ("id", "title", "track"):
            out[column.kind] = text  # an empty one is reported by the validator
        elif not text or (text == "?" and column.kind == "value"):  # `?`: see _mark_unknown
            continue
        elif column.kind == "summary":
            out["summary"] = text
        elif column.kind in ("tags", "actors", "requires", "conflicts"):
            split = split_list if column.kind == "actors" else split_tags
            out[column.kind] = split(cell.text)
        elif column.kind == "meta":
            meta[str(column.key)] = text
        elif column.kind.startswith("cost"):
            detail = column.kind.removeprefix("cost").removeprefix("_") or "value"
            value = _score_cell(detail, cell, column, read)
            if value is not None:
                costs.setdefault(str(column.key), {})[detail] = value
        else:
            score = scores.setdefault(str(column.key), {})
            value = _score_cell(column.kind, cell, column, read)
            if value is not None:
                score[column.kind] = value
    _mark_unknown(scores, cells)
    out["scores"] = {cid: s for cid, s in scores.items() if s}
    if costs:
        out["costs"] = costs
    if meta:
        out["meta"] = meta
    return out, problems


def _mark_unknown(scores: dict[str, dict[str, Any]], cells: dict[Column, Cell]) -> None:
    """docs/formats.md#unknown-scores: an empty or `?` value cell is an unknown score,
    unless assessors in ``by`` give the value."""
    for column, cell in cells.items():
        cid = str(column.key)
        blank = column.kind == "value" and cell.text.strip() in ("", "?")
        if blank and "by" not in scores.get(cid, {}):
            scores.setdefault(cid, {})["unknown"] = True


def _assessors(text: str) -> dict[str, Number]:
    out: dict[str, Number] = {}
    for name, value in split_assessors(text).items():
        try:
            out[name] = parse_number(value)
        except ValueError as exc:
            raise ValueError(f"assessor '{name}': {exc}") from None
    return out


def _score_cell(kind: str, cell: Cell, column: Column, read: Any) -> Any:
    if kind == "rationale":
        return cell.text.strip()
    if kind == "sources":
        return split_list(cell.text)
    if kind == "by":
        return read(cell, column, _assessors)
    return read(cell, column, parse_number)
