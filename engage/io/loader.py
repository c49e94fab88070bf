"""Reading option sets: files, directories and stdin; TOML, JSON and NDJSON; the model.

The only module (with :mod:`engage.io.writer`) that touches the disk. It turns whatever the
user points at into :class:`~engage.io.document.Document` values, settles which model
applies (docs/formats.md#the-model) and hands both to :mod:`engage.io.validate`. Every problem in
every file
is collected before anything is raised, so one run reports them all.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from engage.core.errors import Diagnostic, InvalidInput, Note, did_you_mean
from engage.core.model import Model, Option, OptionSet
from engage.io import fastpath
from engage.io.document import Document
from engage.io.reading import (  # re-exported: callers read them from here
    MAX_BYTES,
    STDIN,
    STDIN_NAME,
    detect_stdin,
    is_file,
    parse,
    parse_toml,
    read,
    read_text,
    read_toml_document,
    too_large,
)
from engage.io.validate import check_model, check_names, check_options, parse_table

if TYPE_CHECKING:
    from engage.io.schema import OptionIn


__all__ = [
    "JSON_SET_KEYS",
    "MAX_BYTES",
    "MODEL_FILE",
    "OPTION_FILE_KEYS",
    "STDIN",
    "STDIN_NAME",
    "default_model_text",
    "load",
    "load_model",
    "option_ids",
    "parse_toml",
    "read_text",
    "read_toml_document",
]

MODEL_FILE = "engage.toml"
OPTION_FILE_KEYS = ("schema_version", "option", "model")
JSON_SET_KEYS = ("engage", "command", "model", "options")


def default_model_text() -> str:
    """The built-in model: the shipped ``options/engage.toml`` without its baseline."""
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
) -> tuple[Model, str, list[Note]]:
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
            out.problems.append(too_large(STDIN_NAME, None))
            return
        doc = parse(data, STDIN_NAME, detect_stdin, out.problems)
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
            doc = read(file, name, out.problems)
            if doc is not None:
                _collect(doc, out)
        return
    candidates.append(path.parent / MODEL_FILE)
    if path.name == MODEL_FILE:
        return  # a model is never an option file; it is picked up as the candidate
    doc = read(path, given, out.problems)
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
) -> tuple[Model | None, str, list[Note]]:
    """docs/formats.md#the-model: --model, else the one model the input carries, else the built-in
    one."""
    notes = [
        Note(f"{name} was not used (only the set's top-level {MODEL_FILE} is)")
        for name in out.unused_models
    ]
    found: list[tuple[Document, tuple[str | int, ...], object]] = list(out.models)
    for candidate in candidates:
        if is_file(candidate) and candidate.exists():
            doc = read(candidate, str(candidate), out.problems)
            if doc is not None and all(doc.name != d.name for d, _, _ in found):
                found.append((doc, (), doc.data))
    if model_path is not None:
        given = Path(model_path).resolve()
        unused = [
            f"{d.name} was not used (`model` {model_path} was given)"
            for d, _, _ in found
            if Path(d.name).resolve() != given  # the given file itself was used
        ]
        notes += [Note(text, ("model",)) for text in unused]
        doc = read(Path(model_path), model_path, out.problems)
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
                f"the set has {len(distinct)} different models ({names}); choose one with `model`",
                fields=("model",),
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
    assert model_at is not None, "set with the model that applies"
    doc, prefix = model_at
    return [doc.error("unknown-baseline", (*prefix, "baseline"), message, hint=hint, value=True)]
