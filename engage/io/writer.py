"""Writing files atomically (docs/errors.md): all of the new content, or the old file untouched.

No write goes *through* a symbolic link. A link at a path engage writes, dangling or not,
is itself replaced by a regular file (the temporary file is made beside the link, then
renamed over it: a rename replaces the link, never its target); the commands that create
files count a link as an existing file and refuse it without ``--force``. The one
exception is a stream for ``-o``: a device, a pipe or an open descriptor (``-o /dev/stdout``
is a link to one), which is written into.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from engage.core.errors import WriteError


def _new_file_mode() -> int:
    """The mode a new file would get under the current umask (mkstemp makes 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


LINK_REFUSED = (
    "is a symbolic link; engage does not write through links (use `force` to replace the "
    "link itself)"
)
"""Refusals name the input field ``force`` that overrides them (:func:`worded`)."""


def occupied(path: str | Path) -> bool:
    """Something is at ``path``: a file, a directory, or a link (even one to nowhere)."""
    return os.path.lexists(path)


def refusal(paths: Sequence[str | Path]) -> str | None:
    """Why writing ``paths`` without ``--force`` is refused (None when all are free).

    The one rule for every command that creates files (`new`, `init`, `import`,
    `weigh --write`): a symbolic link counts as an existing file, so nothing is ever
    written at the place it points to.
    """
    taken = [Path(p) for p in paths if occupied(p)]
    if not taken:
        return None
    first = taken[0]
    exists = "exists; engage does not overwrite it (use `force`)"
    what = LINK_REFUSED if first.is_symlink() else exists
    more = f" (and {len(taken) - 1} more)" if len(taken) > 1 else ""
    return f"{first} {what}{more}"


def check_free(paths: Sequence[str | Path], *, force: bool) -> None:
    """Raise the refusal of :func:`refusal` unless ``force`` (for checks made early)."""
    reason = None if force else refusal(paths)
    if reason is not None:
        raise WriteError(reason, field="force")


def write_atomic(path: str | Path, content: str | bytes) -> None:
    """``-o FILE``: replace whatever is at ``path`` through a temporary file beside it.

    The temporary file is flushed and fsynced, then renamed over the path, so a reader
    sees the old file or the new one, never a mix; on any failure the temporary file is
    removed and the path is as it was. An existing regular file keeps its mode; a
    symbolic link is replaced by a regular file (its target is left alone). A stream is
    written into: a device or a pipe, named directly or through a link, or an open
    descriptor (``-o /dev/stdout``, a link into /proc).
    """
    write_all([(Path(path), content)], overwrite=True, streams=True)


def rewrite(path: str | Path, content: str | bytes, *, force: bool) -> None:
    """Replace an existing file's whole text atomically (an append, as `weigh --write`
    does to the model file, is a rewrite with the old text first).

    A symbolic link is refused unless ``force``: the file read may be shared through the
    link, and the link would be replaced by a regular copy, not written through.
    """
    path = Path(path)
    if path.is_symlink() and not force:
        raise WriteError(f"{path} {LINK_REFUSED}", field="force")
    write_all([(path, content)], overwrite=True)


def write_all(
    files: Sequence[tuple[Path, str | bytes]], *, overwrite: bool = False, streams: bool = False
) -> None:
    """Write several files, refusing before writing any if one is taken and overwrite is off.

    Every file is first written to its temporary sibling; only when all of them are
    complete are they renamed into place. A path about to be replaced is first
    hard-linked to a backup name, so if a later rename fails the earlier ones are undone:
    a failure anywhere (or Ctrl-C) changes nothing. A symbolic link is replaced itself,
    never written through. With ``streams`` (``-o``), a device or a pipe is written
    straight into, after every regular file is in place; renaming over it would replace
    the device node itself.
    """
    if not overwrite:
        check_free([p for p, _ in files], force=False)
    plain = [(p, c) for p, c in files if not (streams and _is_special(p))]
    _replace_all(plain)
    for path, content in files:
        if streams and _is_special(path):  # a device or a pipe: no rename possible
            _write_through(path, content)


def _replace_all(files: Sequence[tuple[Path, str | bytes]]) -> None:
    """Stage every file, then rename each over its path; undo everything on failure."""
    staged: list[tuple[str, Path]] = []
    done: list[tuple[Path, str | None]] = []  # (path, its backup or None when it was new)
    current = Path()
    try:
        for current, content in files:
            staged.append((_stage(current, content), current))
        for tmp, current in staged:
            # recorded before the rename, so a failing rename is undone like the others
            done.append((current, _backup(current) if len(files) > 1 else None))
            os.replace(tmp, current)  # over a link: replaces the link, not its target
    except BaseException as exc:  # Ctrl-C half-way too: all of the new content or none
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
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {current}: {exc.strerror or exc}") from None
        raise
    finally:
        for _, backup in done:
            if backup is not None:
                with contextlib.suppress(OSError):
                    os.unlink(backup)


def _is_special(path: Path) -> bool:
    """A stream rather than a file: a device or a pipe at ``path`` or at the end of the
    link there, or an open descriptor (/dev/stdout, /dev/fd/1: links into /proc, which
    hold kernel objects, not files; replacing the link would replace /dev/stdout itself,
    even when the descriptor behind it is a regular file)."""
    if _in_proc(path):  # first: a closed descriptor cannot be stat'ed, yet is no file
        return True
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _in_proc(path: Path) -> bool:
    """Whether ``path``, or a link on the way from it, names something under /proc."""
    current = str(path)
    for _ in range(40):  # the kernel's own limit on links followed
        here = os.path.join(
            os.path.realpath(os.path.dirname(current) or "."), os.path.basename(current)
        )
        if here == "/proc" or here.startswith("/proc/"):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.join(os.path.dirname(current), os.readlink(current))
    return False


def _write_through(path: Path, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with path.open("wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None


def _backup(path: Path) -> str | None:
    """Hard-link whatever is at ``path`` to a fresh name beside it (None when nothing is):
    a symbolic link is linked as the link itself, so undoing restores the link."""
    if not occupied(path):
        return None
    fd, name = tempfile.mkstemp(dir=_directory(path), prefix=f".{path.name}.", suffix=".bak")
    os.close(fd)
    os.unlink(name)
    os.link(path, name, follow_symlinks=False)
    return name


def _stage(path: Path, content: str | bytes) -> str:
    """The content in a fresh temporary file in the directory that holds ``path`` (the
    link's directory for a link; mkstemp's O_EXCL never opens an existing name or link)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=_directory(path), prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(path))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _directory(path: Path) -> Path:
    """The directory holding the name ``path`` itself (not where a link there points)."""
    return path.parent if str(path.parent) else Path(".")


def _mode_for(path: Path) -> int:
    """An existing regular file keeps its mode; a link or a new name gets a new file's."""
    try:
        st = os.lstat(path)
    except OSError:
        return _new_file_mode()
    return stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else _new_file_mode()
