"""A spreadsheet's CSV export as records of cells, each cell with its position.

Spreadsheets write CSV with a byte-order mark, CRLF line ends, quoted cells holding
commas and line breaks, and (in locales with a decimal comma) ``;`` between cells. A
small tokenizer reads all of that and remembers where every cell starts (the physical
line and character column), so a diagnostic can point at the cell itself. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

DELIMITERS = (",", ";", "\t")


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
