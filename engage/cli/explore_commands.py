"""`explore`: the full-screen live view of weights and ranking
(docs/methods.md#exploring-weights-live-engage-explore)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from engage.cli.base import command, emit, flag
from engage.cli.common import SCORING, Scoring, prepare
from engage.core.errors import EXIT_INTERRUPTED, EngageError, UsageError, WriteError

if TYPE_CHECKING:
    from engage.analysis.explore import Explorer


@command("explore", scoring=SCORING)
def explore_command(scoring: Scoring) -> None:
    """Move the weights live and watch the ranking move (for decision conferences).

    A full-screen view: the ranking (with each option's rank change since opening)
    beside the weights, each with the interval in which the top option stays top.
    Keys: ↑/↓ select, Tab switches pane, ←/→ lower/raise the selected weight by 0.01
    (Shift: 0.05; the others keep their proportions), m next method, p next profile,
    r reset, Enter explain the selected option (Esc back), s save the weights as a
    profile in a new file, q quit, ? help. On quit the weights are printed on stdout
    in the form -w takes; the view itself draws on the terminal through stderr.

    Examples:

        engage explore
        engage explore -p conditional --track humanitarian
        engage rank -w "$(engage explore)"
    """
    from engage.analysis.explore import Explorer

    selected = scoring.paths
    option_set, lens, selection = prepare(scoring)
    explorer = Explorer(option_set, lens, selection)
    if not _on_a_terminal():
        raise UsageError(
            "explore needs a terminal",
            hint="stdin and stderr must be a terminal; rank and sensitivity work in pipelines",
        )
    from engage.tui.explore import run

    set_directories = [Path(p) for p in selected if p != "-" and Path(p).is_dir()]

    def save(shown: Explorer, name: str) -> str:
        try:
            return save_profile(shown, name, Path(), set_directories)
        except EngageError as exc:  # the dialog shows it as the command line would
            raise exc.worded(flag) from None

    line, code = run(explorer, save)
    if code == EXIT_INTERRUPTED or line is None:
        raise typer.Exit(EXIT_INTERRUPTED)
    emit(line + "\n", None)


def _on_a_terminal() -> bool:
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def profile_file(directory: Path, name: str) -> Path:
    return directory / f"profile-{name}.toml"


def save_profile(
    explorer: Explorer, name: str, directory: Path, set_directories: list[Path]
) -> str:
    """Write the current weights as ``[profiles.NAME]`` to ``DIRECTORY/profile-NAME.toml``,
    a new file (atomic; never over a file or a link); return the line to show.

    Refused, with nothing written: a name the model could not take, a profile the model
    already has (the block would clash when added), and a file inside a set directory
    (it would be read as an option file, and fail, on the next run).
    """
    from engage.io.fastpath import NAME_PATTERN
    from engage.io.writer import write_all
    from engage.render.explore import profile_block

    if not re.match(NAME_PATTERN, name):
        raise UsageError(
            f"'{name}' cannot name a profile",
            hint="a lower-case letter, then up to 31 of a-z, 0-9 and -",
        )
    if name in [p.name for p in explorer.model.profiles]:
        raise WriteError(f"the model already has a profile named '{name}'; choose another")
    target = profile_file(directory, name)
    where = target.parent.resolve()
    for folder in set_directories:
        if where == folder.resolve() or folder.resolve() in where.parents:
            raise WriteError(
                f"{target} would be inside the option set {folder}, and read as an option file",
                hint="run engage explore from outside the set's directory",
            )
    text = profile_block(explorer.model, name, explorer.lens.weights, explorer.based_on)
    write_all([(target, text)])
    return f"saved [profiles.{name}] to {target}"
