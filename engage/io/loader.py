"""Reading option sets: files, directories and stdin; TOML, JSON and NDJSON; the model.

The only module (with :mod:`engage.io.writer`) that touches the disk. It turns whatever the
user points at into :class:`~engage.io.document.Document` values, settles which model
applies (docs/formats.md#the-model) and hands both to :mod:`engage.io.validate`. Every problem in
every file
is collected before anything is raised, so one run reports them all.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engage.core.errors import Diagnostic, InvalidInput, did_you_mean
from engage.core.model import Model, Option, OptionSet
from engage.io import fastpath
from engage.io.document import Document
from engage.io.validate import check_model, check_names, check_options, parse_table

if TYPE_CHECKING:
    from engage.io.schema import OptionIn

try:
    import tomli as _tomli
except ImportError:  # pragma: no cover - a dependency; tested by forcing the fallback
    _tomli = None  # type: ignore[assignment]

MODEL_FILE = "engage.toml"
STDIN = "-"
STDIN_NAME = "<stdin>"
OPTION_FILE_KEYS = ("schema_version", "option", "model")
JSON_SET_KEYS = ("engage", "command", "model", "options")
MAX_BYTES = 64 * 2**20
"""The most engage reads from one file or from stdin (docs/errors.md: a 100 MB file ends in a
clear error in a second, not in minutes of parsing and gigabytes of memory)."""
_TOML_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOML_END = re.compile(r"^(?P<msg>.*?)\s*\(at end of document\)$")


def default_model_text() -> str:
    """The built-in model: the same file as the shipped ``options/engage.toml``."""
    return resources.files("engage").joinpath("data/engage.toml").read_text(encoding="utf-8")


@dataclass
class _Gathered:
    """What the input documents hold, before validation."""

    options: list[tuple[Document, tuple[str | int, ...], object]] = field(default_factory=list)
    models: list[tuple[Document, tuple[str | int, ...], object]] = field(default_factory=list)
    unused_models: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    model_at: tuple[Document, tuple[str | int, ...]] | None = None
    """Where the model that applies was read (for diagnostics about its keys)."""


def load(
    paths: Sequence[str], *, model_path: str | None = None, warnings: bool = False
) -> OptionSet:
    """Load and validate a whole option set; raise InvalidInput with every diagnostic.

    ``warnings`` adds the checks ``validate --strict`` fails on (rationale, sources, range).
    """
    gathered = _Gathered()
    candidates: list[Path] = []
    for given in paths:
        _gather_path(given, gathered, candidates)
    model, origin, notes = _resolve_model(gathered, candidates, model_path)
    problems = gathered.problems
    if model is None:
        raise InvalidInput(problems)
    raw_options, gathered.options = gathered.options, []
    if model.baseline is not None:
        problems.extend(_check_baseline(model.baseline, raw_options, gathered.model_at))
    failed: list[str] = []  # ids of tables whose structure fails, filled while typing

    def typed() -> Iterator[tuple[Document, tuple[str | int, ...], OptionIn | Option]]:
        """Each option typed in turn, its parsed table let go (peak memory on big sets).

        A plain valid table is resolved at once (engage.io.fastpath); the others, and every
        table when warnings are asked for, go through the pydantic models.
        """
        read = fastpath.reader(model)
        for k, (doc, base, raw) in enumerate(raw_options):
            raw_options[k] = (doc, base, None)
            quick = None if warnings else read(raw, doc, base)
            if quick is not None:
                yield doc, base, quick
                continue
            from engage.io.schema import OptionIn

            parsed, found = parse_table(OptionIn, raw, doc, base)
            problems.extend(found)
            if parsed is not None:
                yield doc, base, parsed
                continue
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                failed.append(raw["id"])
            if isinstance(raw, dict) and isinstance(raw.get("scores", {}), dict):
                problems.extend(
                    check_names(raw.get("track"), list(raw.get("scores", {})), model, doc, base)
                )

    options, found = check_options(typed(), model, warnings=warnings, ids=failed)
    problems.extend(found)
    if not raw_options and not any(p.severity == "error" for p in problems):
        where = ", ".join(paths)
        problems.append(Diagnostic("error", "no-options", f"no options found in {where}"))
    if any(p.severity == "error" for p in problems):
        raise InvalidInput(problems)
    return OptionSet(
        model=model,
        options=tuple(options),
        model_origin=origin,
        warnings=tuple(sorted(problems, key=Diagnostic.sort_key)),
        notes=tuple(notes),
    )


def load_model(
    paths: Sequence[str], *, model_path: str | None = None
) -> tuple[Model, str, list[str]]:
    """Only the model that applies to a set (the options need not be valid)."""
    gathered = _Gathered()
    candidates: list[Path] = []
    for given in paths:
        _gather_path(given, gathered, candidates)
    gathered.problems = []  # problems of the option files are not this question's
    model, origin, notes = _resolve_model(gathered, candidates, model_path)
    if model is None:
        raise InvalidInput(gathered.problems)
    return model, origin, notes


def option_ids(paths: Sequence[str]) -> dict[str, str]:
    """Every option id the files at ``paths`` hold, without validating: id -> file.

    For commands that add options (``new``, ``import``) and must not reuse an id even
    when the set has errors elsewhere.
    """
    gathered = _Gathered()
    for given in paths:
        _gather_path(given, gathered, [])
    out: dict[str, str] = {}
    for doc, _, raw in gathered.options:
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            out.setdefault(raw["id"], doc.name)
    return out


# -- finding and reading files ------------------------------------------------------------


def _gather_path(given: str, out: _Gathered, candidates: list[Path]) -> None:
    if given == STDIN:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            out.problems.append(_too_large(STDIN_NAME, None))
            return
        doc = _parse(data, STDIN_NAME, _detect_stdin, out.problems)
        if doc is not None:
            _collect(doc, out)
        return
    path = Path(given)
    try:
        is_dir = path.is_dir()
    except OSError:
        is_dir = False
    if is_dir:
        candidates.append(path / MODEL_FILE)
        before = len(out.problems)
        files = _toml_files(path, out.problems)
        if not files and len(out.problems) == before:
            out.problems.append(
                Diagnostic("error", "no-options", "directory holds no *.toml files", file=given)
            )
        for file in files:
            name = str(file)
            if file.name == MODEL_FILE:
                if file != path / MODEL_FILE:
                    out.unused_models.append(name)
                continue
            doc = _read(file, name, out.problems)
            if doc is not None:
                _collect(doc, out)
        return
    candidates.append(path.parent / MODEL_FILE)
    if path.name == MODEL_FILE:
        return  # a model is never an option file; it is picked up as the candidate
    doc = _read(path, given, out.problems)
    if doc is not None:
        _collect(doc, out)


def _toml_files(root: Path, problems: list[Diagnostic]) -> list[Path]:
    """Every ``*.toml`` below ``root``, in sorted path order, as a shell glob sees them.

    Hidden files and directories (``.git``, ``.venv``, an editor's ``.#x.toml`` lock, a
    Mac's ``._x.toml``) are not part of the set. Symbolic links to directories are not
    followed (no loops); a broken link or a link loop named ``*.toml`` is listed, so
    reading it reports it instead of silently dropping an option. A directory that
    cannot be read is reported too.
    """

    def failed(exc: OSError) -> None:
        reason = exc.strerror or str(exc)
        problems.append(
            Diagnostic("error", "unreadable", f"cannot read: {reason}", file=str(exc.filename))
        )

    found = []
    for folder, folders, names in os.walk(root, onerror=failed):
        folders[:] = [f for f in folders if not f.startswith(".")]
        found += [Path(folder, n) for n in names if n.endswith(".toml") and n[0] != "."]
    return sorted(found)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return True  # let the read report it


def _too_large(name: str, size: int | None) -> Diagnostic:
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


def _read(path: Path, name: str, problems: list[Diagnostic]) -> Document | None:
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
        problems.append(_too_large(name, data if data >= 0 else None))
        return None
    suffix = path.suffix.lower()
    kind = {".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson"}.get(suffix, "toml")
    return _parse(data, name, lambda _text: kind, problems)


def _detect_stdin(text: str) -> str:
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
        raise InvalidInput([_too_large(name, size)])
    text = _decode(data, name, problems, advice)
    if text is None:
        raise InvalidInput(problems)
    return name, text


def read_toml_document(given: str) -> Document:
    """One TOML file that is not part of a set (``weigh --answers``), with positions for
    its diagnostics, read with the loader's limits; raises InvalidInput."""
    name, text = read_text(given)
    problems: list[Diagnostic] = []
    doc = _parse(text.encode("utf-8"), name, lambda _text: "toml", problems)
    if doc is None:
        raise InvalidInput(problems)
    return doc


def _parse(data: bytes, name: str, detect: Any, problems: list[Diagnostic]) -> Document | None:
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


def _collect(doc: Document, out: _Gathered) -> None:
    """Split a document into its options and its embedded model, checking the top level."""
    data = doc.data
    allowed: tuple[str, ...]
    if doc.kind == "toml":
        allowed, key = OPTION_FILE_KEYS, "option"
    else:
        allowed, key = JSON_SET_KEYS, "options"
    for name in data:
        if name not in allowed:
            out.problems.append(
                doc.error(
                    "unknown-key",
                    (name,),
                    f"unknown key '{name}'",
                    hint=did_you_mean(name, allowed),
                )
            )
    version_key = "schema_version" if doc.kind == "toml" else "engage"
    version = data.get(version_key, 1)
    if version != 1 or isinstance(version, bool):
        out.problems.append(
            doc.error(
                "schema-version",
                (version_key,),
                f"unsupported {version_key} {version!r} (this engage reads version 1)",
                value=True,
            )
        )
    if "model" in data:
        out.models.append((doc, ("model",), data["model"]))
    options = data.get(key)
    if options is None:
        if "model" not in data and not any(p.file == doc.name for p in out.problems):
            out.problems.append(
                Diagnostic(
                    "error", "no-options", "holds neither [[option]] nor [model]", file=doc.name
                )
            )
        return
    if not isinstance(options, list):
        out.problems.append(doc.error("wrong-type", (key,), f"'{key}' must be an array of tables"))
        return
    for index, raw in enumerate(options):
        out.options.append((doc, (key, index), raw))
    options.clear()  # the gathered list now holds the only reference to each table


# -- which model applies -----------------------------------------------------------------


def _resolve_model(
    out: _Gathered, candidates: list[Path], model_path: str | None
) -> tuple[Model | None, str, list[str]]:
    """docs/formats.md#the-model: --model, else the one model the input carries, else the built-in
    one."""
    notes = [
        f"{name} was not used (only the set's top-level {MODEL_FILE} is)"
        for name in out.unused_models
    ]
    found: list[tuple[Document, tuple[str | int, ...], object]] = list(out.models)
    for candidate in candidates:
        if _is_file(candidate) and candidate.exists():
            doc = _read(candidate, str(candidate), out.problems)
            if doc is not None and all(doc.name != d.name for d, _, _ in found):
                found.append((doc, (), doc.data))
    if model_path is not None:
        notes += [f"{d.name} was not used (--model {model_path} was given)" for d, _, _ in found]
        doc = _read(Path(model_path), model_path, out.problems)
        if doc is None:
            return None, model_path, notes
        model, problems = check_model(doc.data, doc, ())
        out.model_at = (doc, ())
        out.problems.extend(problems)
        return model, model_path, notes
    distinct: list[tuple[Document, tuple[str | int, ...], object]] = []
    for doc, prefix, raw in found:
        if all(raw != other for _, _, other in distinct):
            distinct.append((doc, prefix, raw))
    if len(distinct) > 1:
        names = ", ".join(d.name for d, _, _ in distinct)
        out.problems.append(
            Diagnostic(
                "error",
                "model-conflict",
                f"the set has {len(distinct)} different models ({names}); choose one with --model",
            )
        )
        return None, "", notes
    if distinct:
        doc, prefix, raw = distinct[0]
    else:
        import tomllib

        text = default_model_text()
        doc, prefix = Document("<built-in model>", "toml", tomllib.loads(text), text=text), ()
        raw = doc.data
    model, problems = check_model(raw, doc, prefix)
    out.model_at = (doc, prefix)
    out.problems.extend(problems)
    return model, doc.name, notes


def _check_baseline(
    baseline: str,
    raw_options: Sequence[tuple[Document, tuple[str | int, ...], object]],
    model_at: tuple[Document, tuple[str | int, ...]] | None,
) -> list[Diagnostic]:
    """docs/formats.md#the-model: the model's ``baseline`` names an option of the set."""
    ids = [raw["id"] for _, _, raw in raw_options if isinstance(raw, dict) and "id" in raw]
    if baseline in ids:
        return []
    message = f"no option of the set has the id '{baseline}'"
    hint = did_you_mean(baseline, [i for i in ids if isinstance(i, str)])
    if model_at is None:
        return [Diagnostic("error", "unknown-baseline", f"baseline: {message}", hint=hint)]
    doc, prefix = model_at
    return [doc.error("unknown-baseline", (*prefix, "baseline"), message, hint=hint, value=True)]
