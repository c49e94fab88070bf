"""The briefing opens with the bottom line (`engage report`), on the shipped set and on a
set whose model has resources with limits."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from engage.cli import app
from tests.conftest import OPTIONS

PORTFOLIO_SET = Path(__file__).resolve().parent / "golden" / "portfolio-set"
FIXTURE_SET = Path(__file__).resolve().parent / "golden" / "fixture-set"


def _report(path: Path, fmt: str) -> str:
    args = ["report", str(path), "--draws", "500", "-f", fmt]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _bottom(markdown: str) -> str:
    return markdown.split("## Bottom line\n", 1)[1].split("\\n## ", 1)[0].split("\n## ", 1)[0]


def test_the_bottom_line_comes_first_on_the_shipped_set() -> None:
    md = _report(OPTIONS, "markdown")
    assert re.findall(r"^## (.*)$", md, re.M)[0] == "Bottom line"
    bottom = _bottom(md)
    assert "Pursue first: humanitarian-ringfence (ranked first in" in bottom
    assert "the ranking is fragile for humanitarian-ringfence" in bottom
    assert "The top would change if the weight of" in bottom
    assert "Most held hostage to the political track" in bottom
    assert "the best portfolio is" in bottom
    assert "set by judgement" in bottom
    assert "The data speak for 2026-03" in bottom  # the newest as_of
    html = _report(OPTIONS, "html")
    assert html.index('id="bottom-line"') < html.index("<h2", html.index("</section>"))
    assert html.index("Bottom line") < html.index("Contents") < html.index(">Lens<")
    assert "@page{size:A4" in html
    assert "break-inside:avoid" in html


def test_the_bottom_line_names_the_portfolio_when_resources_have_limits() -> None:
    bottom = _bottom(_report(PORTFOLIO_SET, "markdown"))
    assert "Within the resource limits, the best portfolio is" in bottom


def test_no_portfolio_sentence_without_resources() -> None:
    bottom = _bottom(_report(FIXTURE_SET, "markdown"))
    assert "Pursue first:" in bottom
    assert "portfolio" not in bottom


def test_the_bottom_line_says_how_elicited_weights_were_elicited(tmp_path: Path) -> None:
    """A profile written by `engage weigh --write` is named with its method and people."""
    shutil.copytree(OPTIONS, tmp_path / "set")
    weigh = ["weigh", "swing", "--name", "workshop", "--set", str(tmp_path / "set")]
    weigh += ["--points", "benefit=100,feasibility=70,linkage=40", "--write", "-q"]
    assert CliRunner().invoke(app, weigh, catch_exceptions=False).exit_code == 0
    args = ["report", str(tmp_path / "set"), "-p", "workshop", "--draws", "200", "-f", "markdown"]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (
        "The weights (profile workshop) were elicited by swing weighting over the options "
        "in the set from 1 participant." in _bottom(result.stdout)
    )
