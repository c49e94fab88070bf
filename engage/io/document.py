"""A parsed input document and how to point into it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from engage.core.errors import Diagnostic, Severity
from engage.io.positions import Positions


@dataclass(frozen=True, slots=True)
class Place:
    """Where a diagnostic points: file, line and column when known, the key path as shown,
    and the input fields that path names in backticks (see ``Diagnostic.fields``)."""

    file: str | None
    line: int | None
    column: int | None
    path: str | None
    fields: tuple[str, ...] = ()


@dataclass
class Document:
    """One file (or stdin) after parsing: its data and what is needed to locate a path.

    ``name`` is the path as the user gave it (never made absolute, so output does not
    depend on where engage runs). Positions are computed only when a diagnostic asks.
    """

    name: str
    kind: str  # "toml", "json" or "ndjson"
    data: dict[str, Any]
    text: str | None = None
    object_lines: Sequence[int] = ()
    _positions: Positions | None = field(default=None, repr=False)

    def locate(self, path: Sequence[str | int], *, value: bool = False) -> tuple[int, int] | None:
        """(line, column) of a key path in this document, or None when unknown."""
        if self.kind == "toml" and self.text is not None:
            if self._positions is None:
                self._positions = Positions(self.text)
            return self._positions.locate(path, value=value)
        if self.kind == "ndjson" and len(path) >= 2:
            index = path[1]
            if isinstance(index, int) and index < len(self.object_lines):
                return self.object_lines[index], 1
        return None

    def place(
        self, path: Sequence[str | int], code: str, message: str, *, value: bool = False
    ) -> Place:
        """Where a diagnostic about ``path`` points (``code`` and ``message`` tell a
        document that positions by field, not by line, which field it is about)."""
        where = self.locate(path, value=value)
        line, column = where if where else (None, None)
        return Place(self.name, line, column, format_path(path) or None)

    def diagnostic(
        self,
        severity: Severity,
        code: str,
        path: Sequence[str | int],
        message: str,
        *,
        hint: str | None = None,
        value: bool = False,
    ) -> Diagnostic:
        at = self.place(path, code, message, value=value)
        return Diagnostic(
            severity, code, message, at.file, at.line, at.column, at.path, hint, at.fields
        )

    def error(self, code: str, path: Sequence[str | int], message: str, **kw: Any) -> Diagnostic:
        return self.diagnostic("error", code, path, message, **kw)

    def warning(self, code: str, path: Sequence[str | int], message: str, **kw: Any) -> Diagnostic:
        return self.diagnostic("warning", code, path, message, **kw)


def format_path(path: Sequence[str | int]) -> str:
    """``('option', 2, 'scores', 'benefit')`` → ``option[2].scores.benefit``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
