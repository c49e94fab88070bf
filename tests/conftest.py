"""Shared fixtures: a CLI runner with a fixed terminal, and small option sets on disk."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from engage.cli import app
from engage.core.model import Model

ROOT = Path(__file__).resolve().parent.parent
OPTIONS = ROOT / "options"

FIXED_ENV = {"NO_COLOR": "1", "COLUMNS": "100", "TERMINAL_WIDTH": "100", "ENGAGE_SET": ""}


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Help panels and tables depend on these: pin them for every test."""
    for name in ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "ENGAGE_SET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERMINAL_WIDTH", "100")


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Invoke engage in-process; ``result.stdout`` and ``result.stderr`` are separate."""
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


MODEL = """\
schema_version = 1
title = "Test model"
tracks = ["security", "economic", "humanitarian"]

[criteria.benefit]
role = "benefit"
[criteria.feasibility]
role = "feasibility"
[criteria.linkage]
better = "lower"
role = "linkage"

[profiles.main]
weights = { benefit = 0.5, feasibility = 0.3, linkage = 0.2 }
[profiles.even]
weights = { benefit = 1, feasibility = 1, linkage = 1 }
"""


def option_toml(
    option_id: str,
    benefit: float,
    feasibility: float,
    linkage: float,
    track: str = "security",
    **extra: str,
) -> str:
    """One option in the short score form."""
    lines = [
        "[[option]]",
        f'id = "{option_id}"',
        f'title = "Option {option_id}"',
        f'track = "{track}"',
        *(f"{k} = {v}" for k, v in extra.items()),
        "[option.scores]",
        f"benefit = {benefit}",
        f"feasibility = {feasibility}",
        f"linkage = {linkage}",
        "",
    ]
    return "\n".join(lines)


@pytest.fixture
def make_set(tmp_path: Path) -> Callable[..., Path]:
    """Write a set directory: ``make_set({"a.toml": text, ...}, model=MODEL)``."""

    def make(files: dict[str, str], model: str | None = MODEL, name: str = "set") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        if model is not None:
            (root / "engage.toml").write_text(model, encoding="utf-8")
        for file_name, text in files.items():
            path = root / file_name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make


def plain(model: Model) -> Model:
    """``model`` without its screens, baseline and value functions: the linear 0-10 lens the
    hand computations in the tests assume (the shipped model has a feasibility curve)."""
    criteria = tuple(replace(c, value_function=None) for c in model.criteria)
    return replace(model, screens=(), baseline=None, criteria=criteria)
