"""Atomic writes: all of the new content or the old file untouched, never a temp file left."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from engage.errors import WriteError
from engage.writer import write_all, write_atomic


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
