"""Hostile inputs that cannot live in cases/: made at test time (size, links, permissions)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from engage.core.errors import InvalidInput
from engage.io.loader import MAX_BYTES, load
from tests.conftest import Run, option_toml

HUNDRED_MB = 100 * 2**20


def _big_set(path: Path, size: int) -> None:
    """A file of real options, ``size`` bytes long (a 100 MB set is ~600,000 options)."""
    chunk = "".join(option_toml(f"o{i}", i % 11, (i * 7) % 11, (i * 3) % 11) for i in range(1000))
    data = (chunk * (size // len(chunk) + 1)).encode()[:size]
    path.write_bytes(data)


def test_a_100_mb_file_is_refused_at_once(run: Run, tmp_path: Path) -> None:
    """docs/errors.md: a 100 MB file ends in a clear error in well under a second of reading.

    Measured on this machine: parsing it would take 75-85 s and 3.2 GB of memory.
    """
    big = tmp_path / "big.toml"
    _big_set(big, HUNDRED_MB)
    os.chdir(tmp_path)
    started = time.monotonic()
    result = run("rank", "big.toml")
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    assert result.stderr == (
        "error: big.toml: [too-large] 100.0 MiB is more than engage reads from one file "
        "(64 MiB); split the set over several files\n"
    )


def test_a_100_mb_stream_on_stdin_is_refused(run: Run) -> None:
    result = run("rank", "-", input=b" " * HUNDRED_MB)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: <stdin>: [too-large] the input is more than engage reads from one file "
        "(64 MiB); split the set over several files\n"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_an_endless_device_ends(run: Run) -> None:
    """`engage rank /dev/zero` read forever before: now it stops at the limit."""
    result = run("rank", "/dev/zero")
    assert result.exit_code == 1
    assert "[too-large]" in result.stderr


def test_a_file_at_the_limit_is_read(tmp_path: Path) -> None:
    """The limit refuses only what is over it: a file of exactly MAX_BYTES is parsed."""
    path = tmp_path / "blank.json"
    path.write_bytes(b" " * (MAX_BYTES - 2) + b"[]")
    with pytest.raises(InvalidInput) as caught:
        load([str(path)])
    assert [d.code for d in caught.value.diagnostics] == ["no-options"]


def test_broken_links_in_a_directory_are_reported_not_skipped(run: Run, tmp_path: Path) -> None:
    """A set that silently lost an option would rank wrongly: each bad link is an error."""
    root = tmp_path / "set"
    root.mkdir()
    (root / "a.toml").write_text(option_toml("a", 1, 2, 3))
    os.symlink("loop.toml", root / "loop.toml")
    os.symlink("moved-away.toml", root / "moved.toml")
    os.symlink(".", root / "itself")  # a link to a directory is not followed: no loop
    os.chdir(tmp_path)
    result = run("rank", "set")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: set/loop.toml: [unreadable] cannot read: Too many levels of symbolic links\n"
        "error: set/moved.toml: [unreadable] a broken symbolic link\n"
    )


def test_an_unreadable_file_is_named(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated (root reads anything): the open fails with EACCES."""
    (tmp_path / "locked.toml").write_text(option_toml("a", 1, 2, 3))
    real_open = Path.open

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "locked.toml":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", deny)
    os.chdir(tmp_path)
    result = run("rank", "locked.toml")
    assert result.exit_code == 1
    assert result.stderr == "error: locked.toml: [unreadable] cannot read: Permission denied\n"


def test_an_unreadable_directory_is_named_not_skipped(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated: listing a sub-directory fails; its options are not silently dropped."""
    root = tmp_path / "set"
    (root / "private").mkdir(parents=True)
    (root / "a.toml").write_text(option_toml("a", 1, 2, 3))
    (root / "private" / "b.toml").write_text(option_toml("b", 1, 2, 3))
    real_scandir = os.scandir

    def deny(path: object = ".") -> object:
        if str(path).endswith("private"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", deny)
    os.chdir(tmp_path)
    result = run("rank", "set")
    assert result.exit_code == 1
    assert result.stderr == "error: set/private: [unreadable] cannot read: Permission denied\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any directory")
def test_an_unreadable_directory_for_real(run: Run, tmp_path: Path) -> None:
    root = tmp_path / "set"
    root.mkdir()
    (root / "a.toml").write_text(option_toml("a", 1, 2, 3))
    root.chmod(0)
    try:
        result = run("rank", str(root))
    finally:
        root.chmod(0o755)
    assert result.exit_code == 1
    assert "[unreadable] cannot read: Permission denied" in result.stderr


def test_control_characters_in_a_flag_value_are_printed_escaped(run: Run) -> None:
    """An error about a name a user typed never writes raw escape sequences."""
    from tests.conftest import OPTIONS

    result = run("rank", str(OPTIONS), "-p", "x\x1b[2J\ny")
    assert result.exit_code == 2
    assert result.stderr.split("\n")[0] == "error: unknown profile 'x\\x1b[2J\\ny'"


def test_weights_whose_sum_overflows_are_normalised_not_zeroed(run: Run) -> None:
    """-w 1e308,1e308,0 summed to inf and every weight became 0 (every score 0, printed)."""
    import json

    from tests.conftest import OPTIONS

    result = run(
        "rank", str(OPTIONS), "-w", "benefit=1e308,feasibility=1e308,linkage=0", "-f", "json"
    )
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["weights"] == {"benefit": 0.5, "feasibility": 0.5, "linkage": 0.0}
    assert document["options"][0]["score"] > 0
