"""The command line: a thin typer layer over the core (parse, load, compute, render, emit).

Each module registers its commands on the one app when imported; none of them imports
rich tables, numpy or the analyses at module level (start-up time).
"""

from engage.cli import (  # noqa: F401  (imported to register their commands)
    authoring_commands,
    core_commands,
    explain_commands,
    explore_commands,
    linkage_commands,
    report_commands,
    robustness_commands,
    weigh_commands,
)
from engage.cli.app import app, main

__all__ = ["app", "main"]
