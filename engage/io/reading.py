"""Reading one input's bytes into a :class:`~engage.io.document.Document`: the size limit,
the encodings, TOML (tomli, else tomllib), JSON and NDJSON, each error positioned.

The half of :mod:`engage.io.loader` that reads one file; the loader gathers the set.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from engage.core.errors import Diagnostic, InvalidInput
from engage.io.document import Document

try:
    import tomli as _tomli
except ImportError:  # pragma: no cover - a dependency; tested by forcing the fallback
    _tomli = None  # type: ignore[assignment]

STDIN = "-"
STDIN_NAME = "<stdin>"
MAX_BYTES = 64 * 2**20
"""The most engage reads from one file or from stdin (docs/errors.md: a 100 MB file ends in a
clear error in a second, not in minutes of parsing and gigabytes of memory)."""
_TOML_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOML_END = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)$")


def is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return True  # let the read report it


def too_large(name: str, size: int | None) -> Diagnostic:
    amount = f"{size / 2**20:.1f} MiB" if size is not None else "the input"
    return Diagnostic(
        "error",
        "too-large",
        f"{amount} is more than engage reads from one file ({MAX_BYTES // 2**20} MiB); "
        "split the set over several files",
        file=name,
    )


def _read_bytes(path: Path) -> bytes | int:
    """The file's bytes, or its size (or -1 when it has none) when over MAX_BYTES.

    Reads at most MAX_BYTES + 1 bytes, so a device or a pipe (``/dev/zero``) ends too.
    """
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_BYTES:
            return size
        data = handle.read(MAX_BYTES + 1)
    return data if len(data) <= MAX_BYTES else -1


def read(path: Path, name: str, problems: list[Diagnostic]) -> Document | None:
    try:
        data = _read_bytes(path)
    except FileNotFoundError:
        reason = "a broken symbolic link" if path.is_symlink() else "no such file or directory"
        problems.append(Diagnostic("error", "unreadable", reason, file=name))
        return None
    except IsADirectoryError:
        problems.append(Diagnostic("error", "unreadable", "is a directory", file=name))
        return None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        problems.append(Diagnostic("error", "unreadable", f"cannot read: {reason}", file=name))
        return None
    if isinstance(data, int):
        problems.append(too_large(name, data if data >= 0 else None))
        return None
    suffix = path.suffix.lower()
    kind = {".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson"}.get(suffix, "toml")
    return parse(data, name, lambda _text: kind, problems)


def detect_stdin(text: str) -> str:
    """docs/formats.md#json-and-ndjson-sets: ``{`` starts JSON (a document or NDJSON), ``[{`` or
    ``[]`` a JSON array."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return "json"
    if stripped.startswith("[") and stripped[1:].lstrip()[:1] in ("{", "]"):
        return "json"
    return "toml"


_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def parse_toml(text: str) -> dict[str, Any]:
    """TOML through tomli, compiled and 2-3 x faster than the standard library's copy of it.

    A document tomli rejects is parsed again by ``tomllib``, whose error is the one
    reported: newer tomli releases place some errors "at end of document" where
    Python 3.11's tomllib gives the line and column. Without tomli (no compiled wheel for
    the platform), ``tomllib`` alone.
    """
    if _tomli is not None:
        try:
            result: dict[str, Any] = _tomli.loads(text)
        except _tomli.TOMLDecodeError:
            pass  # parsed again below: raises, positioned as the standard library does
        else:
            return result
    import tomllib  # only then: not loaded on a run whose files all parse

    return tomllib.loads(text)


def _decode(
    data: bytes, name: str, problems: list[Diagnostic], advice: str = "save the file as UTF-8"
) -> str | None:
    """UTF-8 text (a byte-order mark dropped); any other encoding is a diagnostic."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    other = next((encoding for bom, encoding in _OTHER_BOMS if data.startswith(bom)), None)
    if other is not None:
        message = f"{other} text (it starts with a {other} byte-order mark); {advice}"
        problems.append(Diagnostic("error", "encoding", message, file=name))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(
            Diagnostic(
                "error",
                "encoding",
                f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); {advice}",
                file=name,
            )
        )
        return None


def read_text(given: str, *, advice: str = "save the file as UTF-8") -> tuple[str, str]:
    """A whole input as text (``-`` for stdin), with the loader's limits and encodings.

    For inputs that are not option sets (a spreadsheet's CSV): at most 64 MiB, UTF-8.
    Returns (the name diagnostics use, the text); raises InvalidInput.
    """
    problems: list[Diagnostic] = []
    name = STDIN_NAME if given == STDIN else given
    data: bytes | int
    try:
        data = sys.stdin.buffer.read(MAX_BYTES + 1) if given == STDIN else _read_bytes(Path(given))
    except OSError as exc:
        reason = f"cannot read: {exc.strerror or exc}"
        raise InvalidInput([Diagnostic("error", "unreadable", reason, file=name)]) from None
    if isinstance(data, int) or len(data) > MAX_BYTES:
        size = data if isinstance(data, int) and data >= 0 else None
        raise InvalidInput([too_large(name, size)])
    text = _decode(data, name, problems, advice)
    if text is None:
        raise InvalidInput(problems)
    return name, text


def read_toml_document(given: str) -> Document:
    """One TOML file that is not part of a set (``weigh --answers``), with positions for
    its diagnostics, read with the loader's limits; raises InvalidInput."""
    name, text = read_text(given)
    problems: list[Diagnostic] = []
    doc = parse(text.encode("utf-8"), name, lambda _text: "toml", problems)
    if doc is None:
        raise InvalidInput(problems)
    return doc


def parse(data: bytes, name: str, detect: Any, problems: list[Diagnostic]) -> Document | None:
    text = _decode(data, name, problems)
    if text is None:
        return None
    kind = detect(text)
    try:
        if kind == "toml":
            return Document(name, "toml", parse_toml(text), text=text)
        if kind == "ndjson":
            return _parse_ndjson(text, name)
        return _parse_json(text, name)
    except ValueError as exc:
        import tomllib

        if isinstance(exc, tomllib.TOMLDecodeError):
            problems.append(_toml_error(str(exc), name, text))
        else:  # converting an integer of more than 4300 digits
            line, column = _long_number(text)
            problems.append(
                Diagnostic("error", "invalid-toml", TOO_MANY_DIGITS, name, line, column)
            )
    except _JSONError as exc:
        problems.append(
            Diagnostic("error", "invalid-json", exc.message, name, exc.line, exc.column)
        )
    except RecursionError:
        problems.append(Diagnostic("error", f"invalid-{kind}", "nested too deeply", file=name))
    return None


def _toml_error(message: str, name: str, text: str) -> Diagnostic:
    found = _TOML_POSITION.match(message)
    if found:
        line, col = int(found["line"]), int(found["col"])
        return Diagnostic("error", "invalid-toml", found["msg"], name, line, col)
    end = _TOML_END.match(message)
    if end is None:
        return Diagnostic("error", "invalid-toml", message, file=name)
    lines = text.split("\n")
    return Diagnostic(
        "error",
        "invalid-toml",
        f"{end['msg']} at the end of the file",
        name,
        len(lines),
        len(lines[-1]) + 1,
    )


class _JSONError(Exception):
    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def _loads(text: str, line_offset: int = 0) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _JSONError(exc.msg, exc.lineno + line_offset, exc.colno) from None
    except ValueError:  # an integer with more digits than Python converts
        line, column = _long_number(text)
        raise _JSONError(TOO_MANY_DIGITS, line + line_offset, column) from None


TOO_MANY_DIGITS = f"a number has more than {sys.get_int_max_str_digits()} digits"


def _long_number(text: str) -> tuple[int, int]:
    """(line, column) of the first run of digits Python will not convert to an int."""
    found = re.search(rf"\d{{{sys.get_int_max_str_digits() + 1},}}", text)
    if found is None:
        return 1, 1
    before = text[: found.start()]
    return before.count("\n") + 1, found.start() - (before.rfind("\n") + 1) + 1


def _parse_json(text: str, name: str) -> Document:
    try:
        data = _loads(text)
    except _JSONError as exc:
        if exc.message == "Extra data":  # several objects: NDJSON on stdin
            return _parse_ndjson(text, name)
        raise
    if isinstance(data, list):
        return Document(name, "json", {"options": data})
    if isinstance(data, dict) and any(k in data for k in ("id", "title", "track", "scores")):
        return Document(name, "json", {"options": [data]})  # a single option
    if not isinstance(data, dict):
        raise _JSONError("expected an object or an array of options", 1, 1)
    return Document(name, "json", data)


def _parse_ndjson(text: str, name: str) -> Document:
    options, lines = [], []
    # split at "\n" only: str.splitlines also splits at U+2028, U+0085 and others that
    # JSON allows raw inside a string (and CRLF leaves a "\r", which JSON reads as blank)
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            options.append(_loads(line, number - 1))
            lines.append(number)
    return Document(name, "ndjson", {"options": options}, object_lines=lines)


# -- what the documents hold -------------------------------------------------------------
