"""Where each key and value of a TOML document stands (line and column, 1-based).

``tomllib`` returns plain dicts without positions, so diagnostics about a key path
(``option[2].scores.benefit.value``) would have no line. This scanner walks the source
of a document that ``tomllib`` has already accepted, so it needs no error handling of
its own: it follows headers, array-of-tables counters, dotted and quoted keys, inline
tables, arrays and every string form, and records a position for every path it meets.
It runs only for files that have something to report.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

Path = tuple[str | int, ...]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class Positions:
    """Positions of the keys and values of one TOML document."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.keys: dict[Path, int] = {}
        self.values: dict[Path, int] = {}
        self._arrays: dict[Path, int] = {}
        self._scan()

    def locate(self, path: Sequence[str | int], *, value: bool = False) -> tuple[int, int] | None:
        """(line, column) of the path's value (or key), else of its longest known prefix."""
        path = tuple(path)
        first, second = (self.values, self.keys) if value else (self.keys, self.values)
        while path:
            offset = first.get(path, second.get(path))
            if offset is not None:
                return self._line_col(offset)
            path = path[:-1]
        return None

    def _line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    # -- the scanner -------------------------------------------------------------------

    def _scan(self) -> None:
        text, i = self._text, 0
        table: Path = ()
        n = len(text)
        while i < n:
            i = self._skip_blank(i, newlines=True)
            if i >= n:
                break
            if text.startswith("[[", i):
                start = i
                parts, _, i = self._key(i + 2)
                table = self._resolve(parts, array=True)
                self.keys[table] = start
                self.keys.setdefault(table[:-1], start)
                i = text.index("]]", i) + 2
            elif text[i] == "[":
                start = i
                parts, _, i = self._key(i + 1)
                table = self._resolve(parts, array=False)
                self.keys.setdefault(table, start)
                i = text.index("]", i) + 1
            else:
                i = self._key_value(i, table)

    def _resolve(self, parts: list[str], *, array: bool) -> Path:
        """The full path of a table header, with the current index of every array."""
        path: Path = ()
        for k, part in enumerate(parts):
            path = (*path, part)
            last = k == len(parts) - 1
            if array and last:
                self._arrays[path] = self._arrays.get(path, -1) + 1
            if path in self._arrays:
                path = (*path, self._arrays[path])
        return path

    def _key_value(self, i: int, table: Path) -> int:
        parts, start, i = self._key(i)
        path = (*table, *parts)
        self.keys.setdefault(path, start)
        i = self._skip_blank(i)
        return self._value(i + 1, path)  # past '='

    def _key(self, i: int) -> tuple[list[str], int, int]:
        """A dotted key at i (after blanks): its parts, where it starts and the index past it."""
        text, parts = self._text, []
        start = self._skip_blank(i)
        while True:
            i = self._skip_blank(i)
            if text[i] in "\"'":
                quote = text[i]
                end = i + 1
                while text[end] != quote:
                    end += 2 if quote == '"' and text[end] == "\\" else 1
                raw = text[i + 1 : end]
                parts.append(raw.encode().decode("unicode_escape") if "\\" in raw else raw)
                i = end + 1
            else:
                end = i
                while end < len(text) and text[end] in _BARE:
                    end += 1
                parts.append(text[i:end])
                i = end
            i = self._skip_blank(i)
            if i < len(text) and text[i] == ".":
                i += 1
                continue
            return parts, start, i

    def _value(self, i: int, path: Path) -> int:
        text = self._text
        i = self._skip_blank(i)
        self.values.setdefault(path, i)
        c = text[i]
        if c == "{":
            i += 1
            while True:
                i = self._skip_blank(i)
                if text[i] == "}":
                    return i + 1
                parts, start, i = self._key(i)
                key_path = (*path, *parts)
                self.keys.setdefault(key_path, start)
                i = self._skip_blank(i)
                i = self._value(i + 1, key_path)
                i = self._skip_blank(i)
                if text[i] == ",":
                    i += 1
        if c == "[":
            i += 1
            index = 0
            while True:
                i = self._skip_blank(i, newlines=True)
                if text[i] == "]":
                    return i + 1
                i = self._value(i, (*path, index))
                index += 1
                i = self._skip_blank(i, newlines=True)
                if text[i] == ",":
                    i += 1
        if c in "\"'":
            return self._string(i)
        while i < len(text) and text[i] not in ",]}\n#" and not text.startswith("\r\n", i):
            i += 1
        return i

    def _string(self, i: int) -> int:
        text = self._text
        quote = text[i]
        triple = text.startswith(quote * 3, i)
        i += 3 if triple else 1
        while True:
            c = text[i]
            if c == "\\" and quote == '"':
                i += 2
            elif triple and text.startswith(quote * 3, i):
                i += 3
                extra = 0
                while extra < 2 and i < len(text) and text[i] == quote:
                    i, extra = i + 1, extra + 1
                return i
            elif not triple and c == quote:
                return i + 1
            else:
                i += 1

    def _skip_blank(self, i: int, *, newlines: bool = False) -> int:
        text, n = self._text, len(self._text)
        while i < n:
            c = text[i]
            if c in " \t" or (newlines and c in "\r\n"):
                i += 1
            elif c == "#" and newlines:
                while i < n and text[i] != "\n":
                    i += 1
            else:
                break
        return i
