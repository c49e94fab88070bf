"""Where each key and value of a TOML document stands (line and column, 1-based).

``tomllib`` returns plain dicts without positions, so diagnostics about a key path
(``option[2].scores.benefit.value``) would have no line. This scanner walks the source
of a document that the parser has already accepted (TOML 1.1, as tomli reads it): table
and array-of-tables headers with their element counters, dotted and quoted keys (their
escapes decoded, ``\\e`` and ``\\xHH`` included), inline tables over several lines with
comments and trailing commas, arrays with comments, every string form (a multi-line
string holding ``[[option]]``, ``=``, ``#`` or quotes is skipped whole) and CRLF line
ends. It records a position for every path it meets; a path it did not meet is placed
at its longest known prefix (:meth:`Positions.locate`).

Every read is bounds-checked and every loop advances, so a document the scanner
misreads yields fewer positions, never an exception; a last-resort guard at the entry
keeps whatever was found if that promise is ever broken. It runs only for files that
have something to report.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

Path = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[^ \t\r\n.=\[\]{},#\"']+")
"""A bare key (tolerant: anything but what ends one is taken as part of it)."""
_SPACES = re.compile(r"[ \t]*")
_BLANK_START = frozenset(" \t\r\n#")
_SCALAR_END = frozenset(",]}#\r\n")
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b"}


class Positions:
    """Positions of the keys and values of one TOML document."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        scanner = Scanner(text)
        # the last resort: a misreading keeps the positions found before it, never raises
        with contextlib.suppress(Exception):
            scanner.scan()
        self.keys: dict[Path, int] = scanner.keys
        self.values: dict[Path, int] = scanner.values

    def locate(self, path: Sequence[str | int], *, value: bool = False) -> tuple[int, int] | None:
        """(line, column) of the path's value (or key), else of its longest known prefix."""
        path = tuple(path)
        first, second = (self.values, self.keys) if value else (self.keys, self.values)
        while path:
            offset = first.get(path, second.get(path))
            if offset is not None:
                return self.line_col(offset)
            path = path[:-1]
        return None

    def line_col(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of a character offset; columns count characters."""
        offset = max(0, min(offset, len(self._text)))
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


def unescape(raw: str) -> str:
    """A basic string's escapes decoded (TOML 1.1: ``\\e`` and ``\\xHH`` too)."""

    def one(found: re.Match[str]) -> str:
        hex_digits = found[1] or found[2] or found[3]
        if hex_digits is not None:
            code = int(hex_digits, 16)
            return chr(code) if code <= 0x10FFFF else found[0]
        char = found[4]
        return _SIMPLE_ESCAPES.get(char, char)  # \" and \\ stand for themselves

    return _ESCAPE.sub(one, raw) if "\\" in raw else raw


@dataclass
class _Container:
    """An open inline table (``}``) or array (``]``) inside a value."""

    closer: str
    path: Path
    count: int = 0


@dataclass
class Scanner:
    """The scanner itself, without the guard: offsets of keys and values by path."""

    text: str
    keys: dict[Path, int] = field(default_factory=dict)
    values: dict[Path, int] = field(default_factory=dict)
    arrays: dict[Path, int] = field(default_factory=dict)

    def char(self, i: int) -> str:
        """The character at i, or "" past the end (no read can fail)."""
        return self.text[i] if 0 <= i < len(self.text) else ""

    def scan(self) -> None:
        text, n = self.text, len(self.text)
        table: Path = ()
        i = 0
        while i < n:
            i = self.blank(i, newlines=True)
            if i >= n:
                break
            if text[i] == "[":
                table, end = self.header(i, array=text.startswith("[[", i), current=table)
            else:
                end = self.key_value(i, table)
            # a statement ends in blanks, a comment and a line break; anything else on its
            # line is a misreading, skipped
            line_end = text.find("\n", end)
            i = n if line_end < 0 else line_end + 1

    def header(self, i: int, *, array: bool, current: Path) -> tuple[Path, int]:
        """The table a ``[a.b]`` / ``[[a.b]]`` header at i opens (its path recorded), and
        the index past its key."""
        parts, _, end = self.key(i + (2 if array else 1))
        if not parts:
            return current, end
        path: Path = ()
        for k, part in enumerate(parts):
            path = (*path, part)
            if array and k == len(parts) - 1:
                self.arrays[path] = self.arrays.get(path, -1) + 1
                self.keys.setdefault(path, i)
            if path in self.arrays:
                path = (*path, self.arrays[path])
            self.keys.setdefault(path, i)
        return path, end

    def key_value(self, i: int, table: Path) -> int:
        parts, start, i = self.key(i)
        if not parts:
            return i
        path = self.record_key(table, parts, start)
        i = self.blank(i)
        if self.char(i) != "=":
            return i
        return self.value(i + 1, path)

    def record_key(self, base: Path, parts: list[str], start: int) -> Path:
        """Record a (dotted) key and each of its prefixes at the key's start."""
        path = base
        for part in parts:
            path = (*path, part)
            self.keys.setdefault(path, start)
        return path

    def key(self, i: int) -> tuple[list[str], int, int]:
        """A dotted key at i (after blanks): its parts, where it starts and the index past it.

        No parts when no key stands at i.
        """
        text, n = self.text, len(self.text)
        parts: list[str] = []
        start = i = self.blank(i)
        while i < n:
            c = text[i]
            if c in "'\"":
                end = self.string(i)
                closed = end - 1 > i and text[end - 1] == c
                raw = text[i + 1 : end - 1 if closed else end]
                parts.append(unescape(raw) if c == '"' else raw)
                i = end
            else:
                bare = _BARE_KEY.match(text, i)
                if bare is None:
                    break
                parts.append(bare[0])
                i = bare.end()
            after = self.blank(i)
            if after >= n or text[after] != ".":
                break
            i = self.blank(after + 1)
        return parts, start, i

    def value(self, i: int, path: Path) -> int:
        """Scan the value at i (after '='), recording each nested key and value; past it.

        Iterative, with a stack of open containers, so nesting as deep as the parser
        allows cannot exhaust the interpreter's stack.
        """
        open_: list[_Container] = []
        while True:
            i = self.blank(i, newlines=bool(open_))
            self.values.setdefault(path, i)
            c = self.char(i)
            if c in ("{", "["):
                open_.append(_Container("}" if c == "{" else "]", path))
                i += 1
            elif c in ('"', "'"):
                i = self.string(i)
            else:
                end = self.scalar(i)
                i = end if end > i or not open_ else i + 1  # in a container, always move on
            while True:  # to the next element of the innermost open container
                if not open_:
                    return i
                inner = open_[-1]
                i = self.blank(i, newlines=True)
                c = self.char(i)
                if c == "":
                    return i
                if c == ",":
                    i += 1
                    continue
                if c == inner.closer:
                    open_.pop()
                    i += 1
                    continue
                if inner.closer == "]":
                    path = (*inner.path, inner.count)
                    inner.count += 1
                    break
                parts, start, end = self.key(i)
                if not parts:
                    i += 1  # not a key: a misreading; step over it
                    continue
                path = self.record_key(inner.path, parts, start)
                i = self.blank(end)
                if self.char(i) == "=":
                    i += 1
                    break
            # a value for `path` starts at i

    def scalar(self, i: int) -> int:
        """Past a number, boolean or date-time (which may hold a space) at i."""
        n = len(self.text)
        while i < n and self.text[i] not in _SCALAR_END:
            i += 1
        return i

    def string(self, i: int) -> int:
        """Past the string at i, in any of the four forms; the end of the text if unclosed."""
        text, n = self.text, len(self.text)
        quote = text[i]
        triple = text.startswith(quote * 3, i)
        i += 3 if triple else 1
        while i < n:
            c = text[i]
            if c == "\\" and quote == '"':
                i += 2
            elif triple and text.startswith(quote * 3, i):
                i += 3
                extra = 0  # up to two more quotes belong to the string: """a""""
                while extra < 2 and i < n and text[i] == quote:
                    i, extra = i + 1, extra + 1
                return i
            elif not triple and c == quote:
                return i + 1
            elif not triple and c == "\n":
                return i  # a one-line string ends with its line, whatever the misreading
            else:
                i += 1
        return n

    def comment(self, i: int) -> int:
        end = self.text.find("\n", i)
        return len(self.text) if end < 0 else end

    def blank(self, i: int, *, newlines: bool = False) -> int:
        """Past spaces and tabs (and, with ``newlines``, line breaks and comments)."""
        text, n = self.text, len(self.text)
        if i >= n or text[i] not in _BLANK_START:
            return i  # the common case, first
        if not newlines:
            spaces = _SPACES.match(text, i)
            return spaces.end() if spaces else i
        while i < n:
            c = text[i]
            if c in " \t\r\n":
                i += 1
            elif c == "#":
                i = self.comment(i)
            else:
                break
        return i
