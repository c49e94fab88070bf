"""Reading an option set as it was at a git revision, leaving the working tree untouched.

``git ls-tree`` lists the set's files at the revision and ``git cat-file --batch`` reads
them all in one process (the same bytes ``git show REV:path`` prints, without one
process per file). The loader reads only real paths, so the blobs are written into a
private temporary directory, loaded from there, and every name that reaches the user
is turned back into ``REV:path`` (the path from the repository's top).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath

from engage.core.errors import Diagnostic, EngageError, InvalidInput, UsageError
from engage.core.model import OptionSet
from engage.io.loader import MODEL_FILE, STDIN, load

_REGULAR = ("100644", "100755")


def load_at_revision(
    revision: str, paths: Sequence[str], *, model_path: str | None = None
) -> tuple[OptionSet, list[str]]:
    """The set at ``paths`` as it was at ``revision``, and its names (``REV:path``).

    Paths are named from the repository's top, in diagnostics too.
    An unknown revision is a usage error (exit 2, like any unknown name on the command
    line); git missing, no repository, or a path absent at the revision are exit 1.
    """
    if not revision or revision.startswith("-"):
        raise UsageError(f"'{revision}' is not a revision", hint="e.g. `git` HEAD~1", field="git")
    if STDIN in paths:
        message = "`git` reads the set from the repository, not from stdin (-)"
        raise UsageError(message, field="git")
    top = Path(_run(["rev-parse", "--show-toplevel"], _existing_dir(paths[0])).decode().strip())
    commit = _commit(revision, top)
    relative = [_relative(p, top) for p in paths]
    blobs: dict[str, str] = {}
    for rel in relative:
        found = _files(commit, rel, top)
        if not found:
            raise EngageError(f"{revision}:{rel} does not exist (nothing to compare with)")
        blobs.update(found)
    contents = _cat(list(blobs.values()), top)
    with tempfile.TemporaryDirectory(prefix="engage-git-") as scratch:
        root = Path(scratch)
        for name, sha in blobs.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(contents[sha])
        prefix = str(root) + os.sep
        local = [str(root / rel) if rel != "." else str(root) for rel in relative]
        try:
            option_set = load(local, model_path=model_path)
        except InvalidInput as exc:
            raise InvalidInput([_renamed(d, prefix, revision) for d in exc.diagnostics]) from None
    names = [f"{revision}:{rel}" for rel in relative]
    return _renamed_set(option_set, prefix, str(root), revision), names


def _existing_dir(given: str) -> Path:
    """The nearest directory that exists at or above a path (it may be gone from the tree)."""
    path = Path(os.path.abspath(given))
    while not path.is_dir() and path != path.parent:
        path = path.parent
    return path


def _run(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError:
        message = "git is not installed (or not on PATH); `git` needs it"
        raise EngageError(message, field="git") from None
    except OSError as exc:
        raise EngageError(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        reason = lines[0].removeprefix("fatal: ") if lines else f"exit {done.returncode}"
        raise EngageError(f"git: {reason}")
    return done.stdout


def _commit(revision: str, top: Path) -> str:
    try:
        return (
            _run(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], top)
            .decode()
            .strip()
        )
    except EngageError:
        raise UsageError(
            f"unknown revision '{revision}'",
            hint="a commit, branch or tag, e.g. HEAD~1 (see git log --oneline)",
        ) from None


def _relative(given: str, top: Path) -> str:
    """The path from the repository's top, with / separators ('.' for the top itself)."""
    real = os.path.realpath(os.path.abspath(given))
    rel = os.path.relpath(real, os.path.realpath(top))
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        raise EngageError(f"{given} is outside the git repository at {top.name}")
    return PurePosixPath(*Path(rel).parts).as_posix() if rel != "." else "."


def _files(commit: str, rel: str, top: Path) -> dict[str, str]:
    """What the loader would read at ``rel``: the file itself (and the engage.toml beside
    it), or every *.toml below the directory; path from the top -> blob id."""
    entries = _tree(commit, rel, top)
    if rel in entries:
        beside = str(PurePosixPath(rel).parent / MODEL_FILE).removeprefix("./")
        return {rel: entries[rel], **_tree(commit, beside, top)}
    return {name: sha for name, sha in entries.items() if name.endswith(".toml")}


def _tree(commit: str, rel: str, top: Path) -> dict[str, str]:
    out = _run(["ls-tree", "-r", "-z", "--full-tree", commit, "--", rel], top)
    entries: dict[str, str] = {}
    for record in out.decode("utf-8", errors="surrogateescape").split("\0"):
        if not record:
            continue
        meta, _, name = record.partition("\t")
        mode, kind, sha = meta.split(" ")
        if kind == "blob" and mode in _REGULAR:
            entries[name] = sha
    return entries


def _cat(shas: list[str], top: Path) -> dict[str, bytes]:
    """Every blob's bytes through one ``git cat-file --batch``."""
    out = _run(["cat-file", "--batch"], top, stdin="".join(s + "\n" for s in shas).encode())
    contents: dict[str, bytes] = {}
    at = 0
    for sha in shas:
        end = out.index(b"\n", at)
        header = out[at:end].split(b" ")
        if len(header) != 3:
            raise EngageError(f"git: cannot read object {sha}")
        size = int(header[2])
        contents[sha] = out[end + 1 : end + 1 + size]
        at = end + 1 + size + 1  # the content is followed by a newline
    return contents


def _renamed(d: Diagnostic, prefix: str, revision: str) -> Diagnostic:
    if d.file is not None and d.file.startswith(prefix):
        return replace(d, file=f"{revision}:{d.file.removeprefix(prefix)}")
    return d


def _renamed_set(option_set: OptionSet, prefix: str, root: str, revision: str) -> OptionSet:
    def name(text: str) -> str:
        return text.replace(prefix, f"{revision}:").replace(root, f"{revision}:.")

    return replace(
        option_set,
        options=tuple(replace(o, file=name(o.file)) for o in option_set.options),
        model_origin=name(option_set.model_origin),
        warnings=tuple(
            _renamed(d, prefix, revision) if isinstance(d, Diagnostic) else d
            for d in option_set.warnings
        ),
        notes=tuple(replace(n, message=name(n.message)) for n in option_set.notes),
    )
