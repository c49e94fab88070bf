"""Failures around engage: a reader that goes away, Ctrl-C, a disk that fills, a directory
that cannot be written, and -o pointing at links, pipes and devices (docs/errors.md)."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from engage.cli import app
from tests.conftest import OPTIONS, Run, option_toml

ENGAGE = shutil.which("engage") or str(Path(sys.executable).parent / "engage")
installed = pytest.mark.skipif(not Path(ENGAGE).exists(), reason="engage is not installed")

# -- a closed pipe ---------------------------------------------------------------------------

RANK = ("table", "json", "ndjson", "csv", "tsv", "markdown", "ids", "svg", "html")
CLOSED_PIPE_RUNS = [
    *(["rank", str(OPTIONS), "-f", f] for f in RANK),
    *(["explain", "isk-ct-channel", "-s", str(OPTIONS), "-f", f] for f in RANK[:2]),
    *(["explain", "isk-ct-channel", "-s", str(OPTIONS), "-f", f] for f in ("markdown", "svg")),
    *(["tracks", str(OPTIONS), "-f", f] for f in ("table", "json", "ndjson", "csv", "tsv")),
    *(["tracks", str(OPTIONS), "-f", f] for f in ("markdown", "svg", "html")),
    *(["export", str(OPTIONS), "-f", f] for f in ("toml", "json", "csv")),
    *(["robustness", str(OPTIONS), "--draws", "20", "-f", f] for f in ("json", "csv", "table")),
]


@contextlib.contextmanager
def closed_pipe() -> Iterator[None]:
    """stdout is a real OS pipe whose reader has already gone: every write fails (EPIPE).

    Entered inside the test: pytest re-installs its own capture when the test starts.
    """
    read_end, write_end = os.pipe()
    os.close(read_end)
    saved = sys.stdout
    sys.stdout = open(write_end, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            sys.stdout.close()
        sys.stdout = saved


@pytest.mark.parametrize("args", CLOSED_PIPE_RUNS, ids=lambda a: f"{a[0]}-{a[-1]}")
def test_a_closed_pipe_exits_141_quietly(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/errors.md: exit 141 and nothing on stderr, in every format (a real pipe, in-process)."""
    with closed_pipe(), pytest.raises(SystemExit) as caught:
        app(args, prog_name="engage")
    assert caught.value.code == 141
    assert capsys.readouterr() == ("", "")


def _pipes_report_epipe() -> bool:
    """Some sandboxes never fail a write to a pipe whose reader is gone: probe first."""
    probe = subprocess.run(
        ["bash", "-c", "set -o pipefail; yes | head -c 1 > /dev/null"], timeout=30, check=False
    )
    return probe.returncode == 141


@pytest.fixture(scope="module")
def big_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,200 options with 64-character ids: every format of these commands is > 64 KiB."""
    root = tmp_path_factory.mktemp("big")
    shutil.copy(
        OPTIONS.parent / "engage" / "data" / "engage.toml", root / "engage.toml"
    )  # no baseline
    (root / "all.toml").write_text(
        "".join(
            option_toml(f"{i:04d}-" + "x" * 59, 1 + i % 10, (i * 7) % 11, (i * 3) % 9)
            for i in range(1200)
        )
    )
    return root


@installed
@pytest.mark.parametrize(
    "command",
    [
        *(f"rank -f {f}" for f in ("ndjson", "tsv", "markdown", "ids", "svg", "html")),
        *(f"export -f {f}" for f in ("toml", "json", "csv")),
        "robustness --draws 5 -f csv",
        "decouple -f json",
    ],
)
def test_a_real_pipe_closed_by_head_exits_141(command: str, big_set: Path) -> None:
    """`engage ... | head -c 10` on output over the 64 KiB a pipe buffers (docs/errors.md)."""
    if not _pipes_report_epipe():
        pytest.skip("this machine's pipes do not report EPIPE (`yes | head -c 1` exits 0)")
    name, *rest = command.split()
    script = f"set -o pipefail; {ENGAGE} {name} {big_set} {' '.join(rest)} | head -c 10"
    result = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
    )
    assert (result.returncode, result.stderr) == (141, "")


# -- Ctrl-C ----------------------------------------------------------------------------------


def _interrupt_after(
    args: list[str], seconds: float, cwd: Path
) -> subprocess.CompletedProcess[str]:
    process = subprocess.Popen(
        [ENGAGE, *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # a shell running us in the background may have SIGINT ignored: undo that
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 (no threads run here)
    )
    time.sleep(seconds)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(args, process.returncode, out, err)


@installed
def test_ctrl_c_during_robustness_exits_130_and_keeps_the_old_output(tmp_path: Path) -> None:
    """SIGINT after a second of a long run: exit 130, no traceback, -o file as it was."""
    (tmp_path / "out.json").write_text("old\n")
    args = ["robustness", str(OPTIONS), "--draws", "20000000", "-f", "json", "-o", "out.json"]
    result = _interrupt_after(args, 1.5, tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (130, "", "")
    assert (tmp_path / "out.json").read_text() == "old\n"
    assert os.listdir(tmp_path) == ["out.json"]  # no temporary file left behind


@installed
def test_ctrl_c_with_a_new_output_file_writes_nothing(tmp_path: Path) -> None:
    args = ["robustness", str(OPTIONS), "--draws", "20000000", "-o", "new.txt"]
    result = _interrupt_after(args, 1.5, tmp_path)
    assert (result.returncode, result.stderr) == (130, "")
    assert os.listdir(tmp_path) == []


# -- a write that fails half-way -----------------------------------------------------------


class _FullDisk(io.RawIOBase):
    """A file that takes half of what is written, then reports a full disk."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        os.write(self.fd, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    def fileno(self) -> int:
        return self.fd

    def close(self) -> None:
        if not self.closed:
            os.close(self.fd)
        super().close()


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every staged file fills the disk half-way through its content."""
    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: _FullDisk(fd))


def files_in(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))}


@pytest.mark.parametrize(
    "args",
    [
        ["rank", str(OPTIONS), "-f", "json"],
        ["export", str(OPTIONS), "-f", "toml"],
        ["robustness", str(OPTIONS), "--draws", "20", "-f", "csv"],
        ["report", str(OPTIONS), "-f", "html"],
    ],
    ids=lambda a: a[0],
)
def test_a_full_disk_leaves_the_old_output_file_intact(
    args: list[str], run: Run, tmp_path: Path, full_disk: None
) -> None:
    """-o replaces a file atomically: a write failing half-way leaves the old file."""
    out = tmp_path / "out"
    out.write_text("old\n")
    result = run(*args, "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot write {out}: No space left on device\n"
    assert files_in(tmp_path) == {"out": b"old\n"}


def test_a_full_disk_during_new_and_import_changes_no_file(
    run: Run, make_set: Callable[..., Path], full_disk: None
) -> None:
    root = make_set({"a.toml": option_toml("a", 1, 1, 1)})
    before = files_in(root)
    new = run("new", "a", "-s", str(root), "--title", "A", "--track", "security",
              "--score", "benefit=2", "--score", "feasibility=2", "--score", "linkage=2",
              "--force")  # fmt: skip
    sheet = "id,title,track,benefit,feasibility,linkage\na,A,security,3,3,3\nb,B,security,4,4,4\n"
    imported = run("import", "-", "--set", str(root), "--force", input=sheet)
    init = run("init", str(root / "fresh"))
    for result in (new, imported, init):
        assert result.exit_code == 1
        assert "No space left on device" in result.stderr
    assert files_in(root) == before


# -- a directory that cannot be written ------------------------------------------------------


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Creating a file anywhere fails with EACCES (root ignores real permissions)."""

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)


def test_a_read_only_directory_is_a_clear_error(
    run: Run, make_set: Callable[..., Path], tmp_path: Path, read_only: None
) -> None:
    root = make_set({"a.toml": option_toml("a", 1, 1, 1)})
    before = files_in(root)
    results = {
        "-o": run("rank", str(root), "-o", str(root / "out.txt")),
        "new": run("new", "b", "-s", str(root), "--title", "B", "--track", "security",
                   "--score", "benefit=2", "--score", "feasibility=2", "--score", "linkage=2"),
        "import": run("import", "-", "--set", str(root),
                      input="id,title,track,benefit,feasibility,linkage\nc,C,security,1,1,1\n"),
    }  # fmt: skip
    expected = {
        "-o": f"error: cannot write {root / 'out.txt'}: Permission denied\n",
        "new": f"error: cannot write {root / 'b.toml'}: Permission denied\n",
        "import": f"error: cannot write {root / 'c.toml'}: Permission denied\n",
    }
    assert {k: (r.exit_code, r.stderr) for k, r in results.items()} == {
        k: (1, v) for k, v in expected.items()
    }
    assert files_in(root) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_directory_for_real(run: Run, tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        result = run("rank", str(OPTIONS), "-o", str(tmp_path / "out.txt"))
    finally:
        tmp_path.chmod(0o700)
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot write {tmp_path / 'out.txt'}: Permission denied\n"


# -- where -o points -------------------------------------------------------------------------


def test_output_to_a_device_writes_into_it(run: Run, tmp_path: Path) -> None:
    """-o /dev/null (here through a link to it) writes into the device, never renames over
    it: run as root, a rename would have replaced /dev/null with a regular file."""
    (tmp_path / "null").symlink_to(os.devnull)
    result = run("rank", str(OPTIONS), "-o", str(tmp_path / "null"))
    assert result.exit_code == 0
    assert os.readlink(tmp_path / "null") == os.devnull
    assert os.listdir(tmp_path) == ["null"]


def test_output_to_a_named_pipe_reaches_its_reader(run: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    result = run("rank", str(OPTIONS), "-f", "ids", "-n", "2", "-o", str(fifo))
    out, _ = reader.communicate(timeout=30)
    assert result.exit_code == 0
    assert out == "humanitarian-ringfence\nwb-approach-3\n"
    assert fifo.is_fifo()


def test_output_to_a_directory_or_a_missing_one_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    into_dir = run("rank", str(OPTIONS), "-o", str(tmp_path / "dir"))
    missing = run("rank", str(OPTIONS), "-o", str(tmp_path / "nowhere" / "out.txt"))
    assert (into_dir.exit_code, into_dir.stderr) == (
        1,
        f"error: cannot write {tmp_path / 'dir'}: Is a directory\n",
    )
    assert (missing.exit_code, missing.stderr) == (
        1,
        f"error: cannot write {tmp_path / 'nowhere' / 'out.txt'}: No such file or directory\n",
    )
    assert os.listdir(tmp_path / "dir") == []


def test_ctrl_c_between_two_renames_undoes_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A multi-file write (import, new) interrupted half-way leaves every file as it was."""
    from engage.io.writer import write_all

    (tmp_path / "a.toml").write_text("old a")
    real_replace = os.replace
    calls = {"n": 0}

    def interrupted(src: str, dst: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_all([(tmp_path / "a.toml", "new a"), (tmp_path / "b.toml", "new b")], overwrite=True)
    assert files_in(tmp_path) == {"a.toml": b"old a"}
