"""Writing files atomically (SPEC §7): all of the new content, or the old file untouched."""

from __future__ import annotations

import contextlib
import os
import stat
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
    a failure anywhere (or Ctrl-C) changes nothing. A symbolic link stays a link: the
    file it points to is replaced. A device or a pipe (``-o /dev/stdout``) is written
    straight into, after every regular file is in place; renaming over it would replace
    the device node itself.
    """
    if not overwrite:
        existing = [str(p) for p, _ in files if p.exists()]
        if existing:
            raise WriteError(
                f"{existing[0]} exists; engage does not overwrite it (use --force)"
                + (f" (and {len(existing) - 1} more)" if len(existing) > 1 else "")
            )
    targets = [(path, _target(path), content) for path, content in files]
    plain = [(path, target, c) for path, target, c in targets if not _is_special(target)]
    _replace_all(plain)
    for path, target, content in targets:
        if _is_special(target):  # a device or a pipe (-o /dev/stdout): no rename possible
            _write_through(path, target, content)


def _replace_all(files: Sequence[tuple[Path, Path, str | bytes]]) -> None:
    """Stage every file, then rename each over its target; undo everything on failure."""
    staged: list[tuple[str, Path, Path]] = []
    done: list[tuple[Path, str | None]] = []  # (target, its backup or None when it was new)
    current = Path()
    try:
        for current, target, content in files:
            staged.append((_stage(target, content), current, target))
        for tmp, path, target in staged:
            current = path
            # recorded before the rename, so a failing rename is undone like the others
            done.append((target, _backup(target) if len(files) > 1 else None))
            os.replace(tmp, target)
    except BaseException as exc:  # Ctrl-C half-way too: all of the new content or none
        for target, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                else:
                    os.unlink(target)
        # a backup still there was not needed (renaming a file over its own hard link
        # does nothing); the finally clause removes it
        for tmp, _, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {current}: {exc.strerror or exc}") from None
        raise
    finally:
        for _, backup in done:
            if backup is not None:
                with contextlib.suppress(OSError):
                    os.unlink(backup)


def _target(path: Path) -> Path:
    """The file a symbolic link points to (the link is kept, its target replaced)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _is_special(path: Path) -> bool:
    """An existing target that is not a regular file or a directory: a device, a pipe."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _write_through(path: Path, target: Path, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with target.open("wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None


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
