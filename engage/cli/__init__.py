"""The command line: a thin typer layer over the core (parse, load, compute, render, emit).

Each command module registers its commands on the one app when imported; none of them
imports rich tables, numpy or the analyses at module level (start-up time). ``app`` here
is that app with every command registered; the console script (``base.main``) imports
and builds only the command it runs.
"""

from __future__ import annotations

from typing import Any

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    """``engage.cli.app`` and ``engage.cli.main``: the whole app, every command loaded."""
    if name in __all__:
        from engage.cli import base

        base.load_commands()
        return getattr(base, name)
    raise AttributeError(f"module 'engage.cli' has no attribute '{name}'")
