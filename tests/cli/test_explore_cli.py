"""`engage explore` as a command: off a terminal, on a real pseudo-terminal, what `s`
saves, and that no other command pays for Textual."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engage.analysis.explore import Explorer
from engage.cli.explore_commands import save_profile
from engage.core.errors import EngageError, UsageError, WriteError
from engage.core.ranking import rank, resolve_lens
from engage.io.loader import load
from tests.conftest import ROOT, Run
from tests.test_startup import loaded_after


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the shipped set (never the shipped files themselves)."""
    target = tmp_path / "options"
    shutil.copytree(ROOT / "options", target)
    return target


# -- off a terminal ----------------------------------------------------------------------


def test_off_a_terminal_it_exits_2_and_prints_nothing_on_stdout(run: Run, shipped: Path) -> None:
    result = run("explore", str(shipped))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[0] == "error: explore needs a terminal"


def test_flags_are_checked_like_every_scoring_commands(run: Run, shipped: Path) -> None:
    result = run("explore", str(shipped), "-p", "pragmatik")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: unknown profile 'pragmatik'\nhint: did you mean 'pragmatic'?\n",
    )
    result = run("explore", str(shipped), "-w", "benefit=1")
    assert result.exit_code == 2
    assert "no weight for feasibility, linkage" in result.stderr
    result = run("explore", str(shipped), "--min", "benefit=11")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: no option is left after the screens, --track and --tag\n",
    )


# -- on a pseudo-terminal ----------------------------------------------------------------


class Terminal:
    """`python -m engage explore` with stdin and stderr on a 120×40 pseudo-terminal and
    stdout a pipe, as under ``engage rank -w "$(engage explore)"``."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}
        for name in ("ENGAGE_SET", "COLUMNS", "LINES", "TERMINAL_WIDTH"):
            env.pop(name, None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "engage", "explore", *args],
            stdin=slave,
            stdout=subprocess.PIPE,
            stderr=slave,
            cwd=cwd,
            env=env,
        )
        os.close(slave)
        self.seen = b""

    def expect(self, text: bytes, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            ready, _, _ = select.select([self.master], [], [], max(0, deadline - time.monotonic()))
            if not ready:
                raise AssertionError(f"no {text!r} on the terminal; it showed:\n{self.seen!r}")
            try:
                self.seen += os.read(self.master, 65536)
            except OSError:
                raise AssertionError(f"no {text!r}; the terminal showed {self.seen!r}") from None

    def press(self, *keys: bytes) -> None:
        for key in keys:
            os.write(self.master, key)
            time.sleep(0.05)

    def finish(self, timeout: float = 60) -> tuple[int, str]:
        """Wait for the exit, reading the terminal meanwhile (the view restores the
        screen as it leaves: an unread terminal would block it); the code and stdout."""
        deadline = time.monotonic() + timeout
        try:
            while self.process.poll() is None and time.monotonic() < deadline:
                ready, _, _ = select.select([self.master], [], [], 0.1)
                if ready:
                    try:
                        self.seen += os.read(self.master, 65536)
                    except OSError:
                        break
            stdout, _ = self.process.communicate(timeout=max(1.0, deadline - time.monotonic()))
        finally:
            os.close(self.master)
        return self.process.returncode, stdout.decode()


RIGHT, SHIFT_RIGHT, TAB, DOWN, LEFT = b"\x1b[C", b"\x1b[1;2C", b"\t", b"\x1b[B", b"\x1b[D"


@pytest.fixture
def terminal() -> Iterator[Callable[[list[str], Path], Terminal]]:
    """Start views on pseudo-terminals; any still running when the test ends (a failed
    expectation) is killed, so no view is left drawing in the background."""
    started: list[Terminal] = []

    def start(args: list[str], cwd: Path) -> Terminal:
        started.append(Terminal(args, cwd))
        return started[-1]

    yield start
    for term in started:
        if term.process.poll() is None:
            term.process.kill()
            term.process.wait()


def test_on_a_terminal_keys_move_the_weights_and_q_prints_them_on_stdout(
    tmp_path: Path, terminal: Callable[[list[str], Path], Terminal]
) -> None:
    term = terminal([str(ROOT / "options")], ROOT)
    term.expect(b"humanitarian-ringfence")
    term.expect(b"\x1b[40;")  # drew on row 40: the size came from the terminal (stderr)
    term.press(SHIFT_RIGHT, RIGHT, TAB, DOWN, DOWN, LEFT)
    term.expect(b"0.168")  # linkage's weight after the moves, on screen
    term.press(b"q")
    code, stdout = term.finish()
    assert code == 0
    assert stdout == (
        "benefit=0.5162057522122765,feasibility=0.3156124296057234,linkage=0.168181818182\n"
    )
    weights = stdout.strip()
    ranked = subprocess.run(
        [sys.executable, "-m", "engage", "rank", "-q", "-w", weights, "-f", "ids"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert ranked.stderr == ""  # the line sums to 1: no note about normalising
    assert ranked.stdout.split()[0] == "humanitarian-ringfence"


def test_ctrl_c_on_a_terminal_exits_130_with_nothing_on_stdout(
    terminal: Callable[[list[str], Path], Terminal],
) -> None:
    term = terminal([], ROOT)
    term.expect(b"humanitarian-ringfence")
    term.press(RIGHT, b"\x03")
    assert term.finish() == (130, "")


# -- what `s` saves ------------------------------------------------------------------------


def explorer_for(directory: Path) -> Explorer:
    option_set = load([str(directory)])
    e = Explorer(option_set, resolve_lens(option_set.model))
    e.move(0, 0.05)
    e.move(2, -0.01)
    return e


def test_save_writes_a_profile_block_that_the_model_takes_with_exactly_those_weights(
    tmp_path: Path, shipped: Path, run: Run
) -> None:
    e = explorer_for(shipped)
    message = save_profile(e, "room", tmp_path, [shipped])
    target = tmp_path / "profile-room.toml"
    assert message == f"saved [profiles.room] to {target}"
    text = target.read_text(encoding="utf-8")
    assert tomllib.loads(text)["profiles"]["room"] == {
        "description": "Weights set in engage explore, starting from pragmatic",
        "weights": dict(zip(("benefit", "feasibility", "linkage"), e.lens.weights, strict=True)),
        "elicitation": {"method": "explore"},
    }
    model_file = shipped / "engage.toml"
    model_file.write_text(model_file.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
    reloaded = load([str(shipped)])
    profile = reloaded.model.profile("room")
    assert profile.weights == e.lens.weights
    assert profile.elicitation is not None
    assert profile.elicitation.method == "explore"
    assert [r.option.id for r in rank(reloaded, resolve_lens(reloaded.model, "room")).rows] == [
        r.option.id for r in e.standing().rows
    ]
    shown = json.loads(run("model", str(shipped), "-f", "json").stdout)
    assert shown["model"]["profiles"]["room"]["elicitation"] == {"method": "explore"}
    assert "explored live" in run("model", str(shipped)).stdout
    report = run("report", str(shipped), "-p", "room", "-f", "markdown", "--draws", "100")
    assert "Set by moving the weights live in engage explore." in report.stdout


def test_save_never_overwrites_a_file_or_writes_through_a_link(tmp_path: Path) -> None:
    e = explorer_for(ROOT / "options")
    (tmp_path / "profile-taken.toml").write_text("# mine\n", encoding="utf-8")
    with pytest.raises(WriteError, match="exists; engage does not overwrite it"):
        save_profile(e, "taken", tmp_path, [])
    assert (tmp_path / "profile-taken.toml").read_text(encoding="utf-8") == "# mine\n"
    (tmp_path / "profile-linked.toml").symlink_to(tmp_path / "elsewhere.toml")
    with pytest.raises(WriteError, match="symbolic link"):
        save_profile(e, "linked", tmp_path, [])
    assert not (tmp_path / "elsewhere.toml").exists()


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        ("Room", UsageError, "'Room' cannot name a profile"),
        ("", UsageError, "'' cannot name a profile"),
        ("../x", UsageError, "'../x' cannot name a profile"),
        ("pragmatic", WriteError, "the model already has a profile named 'pragmatic'"),
    ],
)
def test_save_refuses_names_the_model_could_not_take(
    tmp_path: Path, name: str, error: type[EngageError], message: str
) -> None:
    with pytest.raises(error) as raised:
        save_profile(explorer_for(ROOT / "options"), name, tmp_path, [])
    assert raised.value.message.startswith(message)
    assert list(tmp_path.iterdir()) == []


def test_save_refuses_to_put_a_file_into_the_set_it_would_break(shipped: Path) -> None:
    with pytest.raises(WriteError, match="would be inside the option set"):
        save_profile(explorer_for(shipped), "room", shipped, [shipped])
    assert not (shipped / "profile-room.toml").exists()


# -- the elicitation record of method explore --------------------------------------------


def validate_with(run: Run, shipped: Path, record: str) -> list[str]:
    """The diagnostics of the shipped model with profile ``w`` carrying ``record``."""
    model_file = shipped / "engage.toml"
    original = (ROOT / "options" / "engage.toml").read_text(encoding="utf-8")
    block = (
        "\n[profiles.w]\nweights = { benefit = 0.5, feasibility = 0.3, linkage = 0.2 }\n"
        f"[profiles.w.elicitation]\n{record}"
    )
    model_file.write_text(original + block, encoding="utf-8")
    result = run("validate", str(shipped))
    lines = [line.split(": ", 2)[-1] for line in result.stderr.splitlines()]
    return [line for line in lines if not line.startswith("[unknown-score]")]  # the set's own


def test_an_explore_record_takes_participants_but_no_answers(run: Run, shipped: Path) -> None:
    ok = validate_with(run, shipped, 'method = "explore"\nparticipants = ["Ann", "Bob"]\n')
    assert ok == ["ok, 31 options (0 errors, 8 warnings)"]
    assert validate_with(run, shipped, 'method = "explore"\nanswers = ["benefit"]\n') == [
        "[bad-answer] profiles.w.elicitation.answers: "
        "explore records no answers: the weights are the record",
        "invalid (1 error, 0 warnings)",
    ]


def test_other_methods_still_need_participants_and_answers(run: Run, shipped: Path) -> None:
    assert validate_with(run, shipped, 'method = "swing"\n') == [
        "[missing-key] profiles.w.elicitation: missing required key 'participants'",
        "[missing-key] profiles.w.elicitation: missing required key 'answers'",
        "invalid (2 errors, 0 warnings)",
    ]


# -- start-up ------------------------------------------------------------------------------


def test_rank_never_imports_textual() -> None:
    run = (
        "from engage.cli import app\n"
        "try:\n"
        f"    app(['rank', {str(ROOT / 'options')!r}], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    modules = loaded_after(run)
    assert "engage.cli.explore_commands" in modules  # registered, so the check means something
    assert not [m for m in modules if m == "textual" or m.startswith(("textual.", "engage.tui"))]
