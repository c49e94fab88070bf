"""Writing files atomically (SPEC §7): all of the new content, or the old file untouched."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from engage.errors import WriteError


def _new_file_mode() -> int:
    """The mode a new file would get under the current umask (mkstemp makes 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: str | Path, content: str | bytes, *, overwrite: bool = True) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same directory.

    The temporary file is flushed and fsynced, then renamed over the target, so a reader
    sees the old file or the new one, never a mix; on any failure the temporary file is
    removed and the target is as it was. An existing file keeps its mode.
    """
    write_all([(Path(path), content)], overwrite=overwrite)


def write_all(files: Sequence[tuple[Path, str | bytes]], *, overwrite: bool = False) -> None:
    """Write several files, refusing before writing any if one exists and overwrite is off.

    Every file is first written to its temporary sibling; only when all of them are
    complete are they renamed into place. A file about to be replaced is first
    hard-linked to a backup name, so if a later rename fails the earlier ones are undone:
    a failure anywhere changes nothing.
    """
    if not overwrite:
        existing = [str(p) for p, _ in files if p.exists()]
        if existing:
            raise WriteError(
                f"{existing[0]} exists; engage does not overwrite it (use --force)"
                + (f" (and {len(existing) - 1} more)" if len(existing) > 1 else "")
            )
    staged: list[tuple[str, Path]] = []
    done: list[tuple[Path, str | None]] = []  # (target, its backup or None when it was new)
    current = Path()
    try:
        for current, content in files:
            staged.append((_stage(current, content), current))
        for tmp, current in staged:
            # recorded before the rename, so a failing rename is undone like the others
            done.append((current, _backup(current) if len(files) > 1 else None))
            os.replace(tmp, current)
    except OSError as exc:
        for target, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                else:
                    os.unlink(target)
        # a backup still there was not needed (renaming a file over its own hard link
        # does nothing); the finally clause removes it
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise WriteError(f"cannot write {current}: {exc.strerror or exc}") from None
    finally:
        for _, backup in done:
            if backup is not None:
                with contextlib.suppress(OSError):
                    os.unlink(backup)


def _backup(path: Path) -> str | None:
    """Hard-link an existing file to a fresh name beside it (None when there is no file)."""
    if not path.exists():
        return None
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".bak")
    os.close(fd)
    os.unlink(name)
    os.link(path, name)
    return name


def _stage(path: Path, content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    directory = path.parent if str(path.parent) else Path(".")
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = _new_file_mode()
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp
