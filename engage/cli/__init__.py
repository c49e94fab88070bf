"""The command line: a thin typer layer over the core (parse, load, compute, render, emit)."""

from engage.cli import core_commands as _core_commands  # noqa: F401  (registers commands)
from engage.cli.app import app, main

__all__ = ["app", "main"]
