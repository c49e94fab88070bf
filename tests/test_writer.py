"""Atomic writes: all of the new content or the old file untouched, never a temp file left."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage.cli.base import flag
from engage.core.errors import WriteError
from engage.io.writer import rewrite, write_all, write_atomic


def test_replaces_content_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("old")
    path.chmod(0o640)
    write_atomic(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["a.txt"]


def test_new_file_gets_the_umask_mode_not_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "b.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "b.txt").stat().st_mode) == 0o644


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text("mine")
    with pytest.raises(WriteError, match="exists; engage does not overwrite it"):
        write_all([(tmp_path / "b.toml", "x"), (tmp_path / "a.toml", "y")])
    assert (tmp_path / "a.toml").read_text() == "mine"
    assert not (tmp_path / "b.toml").exists()


def test_failure_half_way_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk-full error while staging the second file leaves every file as it was."""
    (tmp_path / "a.toml").write_text("old a")
    real_fsync = os.fsync
    calls = {"n": 0}

    def failing_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(WriteError, match="No space left on device"):
        write_all([(tmp_path / "a.toml", "new a"), (tmp_path / "b.toml", "new b")], overwrite=True)
    assert (tmp_path / "a.toml").read_text() == "old a"
    assert sorted(os.listdir(tmp_path)) == ["a.toml"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_read_only_directory_is_a_clear_error(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(WriteError, match="cannot write"):
            write_atomic(tmp_path / "a.txt", "x")
    finally:
        tmp_path.chmod(0o700)


def test_a_failing_rename_undoes_the_earlier_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second rename fails: the first file is restored, the new one removed, no debris."""
    (tmp_path / "a.toml").write_text("old a")
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(WriteError, match="cannot write"):
        write_all([(tmp_path / "a.toml", "new a"), (tmp_path / "b.toml", "new b")], overwrite=True)
    assert (tmp_path / "a.toml").read_text() == "old a"
    assert sorted(os.listdir(tmp_path)) == ["a.toml"]


# -- symbolic links: never written through (docs/errors.md) ---------------------------------------

Layout = dict[str, str]  # name -> "free" | "file" | "dangling" | "link"


def lay_out(root: Path, layout: Layout) -> tuple[Path, Path]:
    """``root/set`` with each name as the layout says; links point into ``root/outside``."""
    here, outside = root / "set", root / "outside"
    here.mkdir()
    outside.mkdir()
    for name, kind in layout.items():
        if kind == "file":
            (here / name).write_text(f"old {name}")
        elif kind in ("dangling", "link"):
            if kind == "link":
                (outside / name).write_text(f"outside {name}")
            (here / name).symlink_to(outside / name)
    return here, outside


def snapshot(directory: Path) -> dict[str, str]:
    return {
        p.name: f"-> {os.readlink(p)}" if p.is_symlink() else p.read_text()
        for p in sorted(directory.iterdir())
    }


@pytest.mark.parametrize("kind", ["dangling", "link"])
def test_a_link_counts_as_an_existing_file(tmp_path: Path, kind: str) -> None:
    here, outside = lay_out(tmp_path, {"a.toml": kind})
    before = snapshot(here), snapshot(outside)
    with pytest.raises(WriteError) as caught:
        write_all([(here / "b.toml", "x"), (here / "a.toml", "y")])
    assert str(caught.value.worded(flag)) == (
        f"{here / 'a.toml'} is a symbolic link; engage does not write through links "
        "(use --force to replace the link itself)"
    )
    assert (snapshot(here), snapshot(outside)) == before


def test_overwrite_replaces_the_link_in_its_own_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary file is made beside the link (not beside its target) and renamed over
    the link; the new file gets a new file's mode, not the target's."""
    here, outside = lay_out(tmp_path, {"a.toml": "link"})
    (outside / "a.toml").chmod(0o600)
    renamed: list[str] = []
    real_replace = os.replace

    def recording_replace(src: str, dst: str) -> None:
        renamed.append(os.path.dirname(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", recording_replace)
    old = os.umask(0o022)
    try:
        write_all([(here / "a.toml", "new")], overwrite=True)
    finally:
        os.umask(old)
    assert renamed == [str(here)]
    assert snapshot(here) == {"a.toml": "new"}
    assert stat.S_IMODE((here / "a.toml").stat().st_mode) == 0o644
    assert snapshot(outside) == {"a.toml": "outside a.toml"}


def test_a_failed_write_puts_the_link_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second rename fails: the first path is a link again, to the same place."""
    here, outside = lay_out(tmp_path, {"a.toml": "dangling", "b.toml": "link"})
    before = snapshot(here), snapshot(outside)
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    files = [(here / "a.toml", "new a"), (here / "b.toml", "new b"), (here / "c.toml", "c")]
    with pytest.raises(WriteError, match="No space left on device"):
        write_all(files, overwrite=True)
    assert (snapshot(here), snapshot(outside)) == before


def test_rewrite_refuses_a_link_unless_forced(tmp_path: Path) -> None:
    """`weigh --write` appends to the model file by rewriting it: a link is refused, and
    with force replaced by a regular file; a regular file keeps its mode."""
    here, outside = lay_out(tmp_path, {"engage.toml": "link", "plain.toml": "file"})
    (here / "plain.toml").chmod(0o640)
    with pytest.raises(WriteError, match="is a symbolic link; engage does not write through"):
        rewrite(here / "engage.toml", "model + profile", force=False)
    assert (here / "engage.toml").is_symlink()
    rewrite(here / "plain.toml", "old plain.toml + more", force=False)
    assert stat.S_IMODE((here / "plain.toml").stat().st_mode) == 0o640
    rewrite(here / "engage.toml", "model + profile", force=True)
    assert snapshot(here) == {
        "engage.toml": "model + profile",
        "plain.toml": "old plain.toml + more",
    }
    assert snapshot(outside) == {"engage.toml": "outside engage.toml"}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    layout=st.dictionaries(
        st.sampled_from(["a.toml", "b.toml", "c.toml"]),
        st.sampled_from(["free", "file", "dangling", "link"]),
        min_size=1,
    ),
    overwrite=st.booleans(),
)
def test_nothing_outside_ever_changes(tmp_path: Path, layout: Layout, overwrite: bool) -> None:
    """Whatever is at the paths, a write either refuses (without overwrite, when one is
    taken) and changes nothing, or leaves exactly regular files with the new text; the
    place the links point to is never touched."""
    root = Path(tempfile.mkdtemp(dir=tmp_path))
    here, outside = lay_out(root, layout)
    before = snapshot(here), snapshot(outside)
    files = [(here / name, f"new {name}") for name in layout]
    taken = any(kind != "free" for kind in layout.values())
    if taken and not overwrite:
        with pytest.raises(WriteError):
            write_all(files, overwrite=overwrite)
        assert snapshot(here) == before[0]
    else:
        write_all(files, overwrite=overwrite)
        assert snapshot(here) == {name: f"new {name}" for name in sorted(layout)}
    assert snapshot(outside) == before[1]
