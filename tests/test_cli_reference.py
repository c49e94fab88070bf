"""docs/cli.md is generated from the typer app; it must match the app as it is now."""

from __future__ import annotations

from pathlib import Path

from engage.cli.reference import REGENERATE, reference

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_is_current() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == reference(), f"docs/cli.md is stale: regenerate it with `{REGENERATE}`"


def test_cli_reference_covers_every_command() -> None:
    text = reference()
    for name in ("rank", "report", "portfolio", "weigh", "explore", "validate", "diff"):
        assert f"## `engage {name}`" in text
