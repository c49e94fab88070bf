"""``python -m engage.tui.screenshot [FILE]``: the README's picture of `engage explore`.

Opens the view on the shipped set at 120×40 off-screen, raises the benefit weight past
the end of its top-stays-top interval (six presses of Shift+→: the top option changes
and the ranks move), and writes the screen as SVG (default ``docs/explore.svg``), in
colour whatever ``NO_COLOR`` says.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engage.analysis.explore import Explorer

KEYS = ["shift+right"] * 6


def screenshot(explorer: Explorer, keys: list[str], size: tuple[int, int] = (120, 40)) -> str:
    """The screen as SVG after pressing ``keys``, drawn off-screen by Textual's test
    driver: the README's picture and the tests' snapshot both come from here."""
    import asyncio

    from engage.tui.explore import ExploreApp

    app = ExploreApp(explorer, lambda _e, name: name)
    shot: list[str] = []

    async def take() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            shot.append(app.export_screenshot(title="engage explore"))

    asyncio.run(take())
    return shot[0]


def main(argv: list[str] | None = None) -> None:
    from engage.analysis.explore import Explorer
    from engage.core.ranking import resolve_lens
    from engage.io.loader import load
    from engage.io.writer import write_atomic

    args = sys.argv[1:] if argv is None else argv
    root = Path(__file__).resolve().parents[2]
    target = Path(args[0]) if args else root / "docs" / "explore.svg"
    os.environ.pop("NO_COLOR", None)  # the picture shows the colours a terminal shows
    option_set = load([str(root / "options")])
    explorer = Explorer(option_set, resolve_lens(option_set.model))
    write_atomic(target, screenshot(explorer, KEYS))
    sys.stdout.write(f"{target}\n")


if __name__ == "__main__":
    main()
