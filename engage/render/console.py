"""Turning rich renderables into text, SVG or HTML at a fixed width."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


def _console(width: int, *, color: bool, record: bool = False) -> Console:
    from rich.console import Console

    return Console(
        file=io.StringIO(),
        width=width,
        force_terminal=color,
        color_system="standard" if color or record else None,
        no_color=not color and not record,
        record=record,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
        force_jupyter=False,
    )


def to_text(renderable: RenderableType, width: int, *, color: bool = False) -> str:
    """What a terminal of that width would show (escape codes only when ``color``)."""
    console = _console(width, color=color)
    console.print(renderable)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    if not color:
        output = "\n".join(line.rstrip() for line in output.split("\n"))
    return output


def to_svg(renderable: RenderableType, width: int, title: str) -> str:
    console = _console(width, color=False, record=True)
    console.print(renderable)
    return console.export_svg(title=title)


def to_html(renderable: RenderableType, width: int) -> str:
    console = _console(width, color=False, record=True)
    console.print(renderable)
    return console.export_html(inline_styles=True)
