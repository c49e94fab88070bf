"""`engage report`: one self-contained briefing; structure, determinism, and a real browser."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest

from engage.render.report import SECTIONS
from tests.conftest import OPTIONS, Run, option_toml

TOP_TITLE = "Ring-fenced, multi-year funding for life-saving health, nutrition and food aid"


@pytest.fixture(scope="module")
def html() -> str:
    from typer.testing import CliRunner

    from engage.cli import app

    result = CliRunner().invoke(app, ["report", str(OPTIONS), "--draws", "2000"])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_every_section_is_there(html: str) -> None:
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    # the bottom line and the contents first; the portfolio section (last in SECTIONS,
    # shown when a resource has a limit, as in the shipped model) after the standalone agenda
    assert headings == ["Bottom line", "Contents", *SECTIONS[:7], SECTIONS[9], *SECTIONS[7:9]]
    assert TOP_TITLE in html
    assert "seed 0" in html
    assert "estimates" in html


def test_nothing_is_loaded_from_anywhere(html: str) -> None:
    """No script, stylesheet, font or image link: it must open offline and print."""
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    assert "@import" not in html
    assert not re.search(r"\bsrc\s*=", html)
    assert "url(" not in html


def test_links_go_only_to_the_sources(html: str) -> None:
    from engage.io.loader import load
    from engage.render.markup import source_url

    cited = {
        source_url(s)
        for o in load([str(OPTIONS)]).options
        for score in o.scores.values()
        for s in score.sources
    }
    hrefs = {unescape(h) for h in re.findall(r'href="([^"]*)"', html) if not h.startswith("#")}
    assert hrefs
    # the contents list links only within the page, to headings that exist
    for anchor in re.findall(r'href="#([^"]*)"', html):
        assert f'id="{anchor}"' in html
    assert hrefs <= {u for u in cited if u}


def test_charts_are_inline_svg(html: str) -> None:
    assert html.count("<svg") >= 4
    assert 'xmlns="http://www.w3.org/2000/svg"' in html


def test_same_input_same_bytes(run: Run, tmp_path: Path) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    for path in (first, second):
        result = run("report", str(OPTIONS), "--draws", "500", "-o", str(path), "-q")
        assert result.exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_markdown_report(run: Run) -> None:
    result = run("report", str(OPTIONS), "--draws", "500", "-f", "markdown")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("# Briefing: Engagement options: Afghanistan")
    for section in ("Ranking", "How far the weights can move", "How robust the ranking is"):
        assert f"## {section}" in text


def test_report_refuses_other_formats(run: Run) -> None:
    result = run("report", str(OPTIONS), "-f", "json")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: report does not write 'json'")


def test_rank_svg_matches_the_table(run: Run) -> None:
    """`rank -f svg` shows exactly what the table shows: the same ids and scores, in order."""
    table = run("rank", str(OPTIONS)).stdout
    svg = run("rank", str(OPTIONS), "-f", "svg").stdout
    ids = re.findall(r"^\d+\s+([a-z0-9-]+)", table, flags=re.MULTILINE)
    text = re.sub(r"<[^>]+>", "", svg).replace("&#160;", " ").replace("&nbsp;", " ")
    at = 0
    for option_id in ids:  # each id after the one before it
        at = text.find(option_id, at)
        assert at >= 0, option_id
    for score in re.findall(r"\s(\d+\.\d)\s", table):
        assert score in text


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
def test_renders_in_a_headless_browser(html: str, tmp_path: Path) -> None:
    """The rendered page holds every heading and the top title; its screenshot is not blank."""
    page = tmp_path / "brief.html"
    page.write_text(html, encoding="utf-8")
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run(
        [str(CHROMIUM), *CHROME_FLAGS, *profile, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    for section in SECTIONS:
        assert re.search(f"<h2[^>]*>{re.escape(section)}</h2>", dom.stdout), section
    assert TOP_TITLE in dom.stdout
    shot = tmp_path / "brief.png"
    subprocess.run(
        [
            str(CHROMIUM),
            *CHROME_FLAGS,
            *profile,
            "--window-size=1000,1400",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert distinct_pixel_bytes(shot.read_bytes()) > 16


def distinct_pixel_bytes(png: bytes) -> int:
    """How many different byte values the decoded image data holds (1 for a blank page)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    data, at = b"", 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind = png[at + 4 : at + 8]
        if kind == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    return len(set(zlib.decompress(data)))


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_prints_on_a4_with_the_bottom_line_on_page_one(html: str, tmp_path: Path) -> None:
    """Chromium's print-to-PDF: A4 pages, and the first page opens with the bottom line."""
    page = tmp_path / "brief.html"
    page.write_text(html, encoding="utf-8")
    pdf = tmp_path / "brief.pdf"
    subprocess.run(
        [
            str(CHROMIUM),
            *CHROME_FLAGS,
            "--user-data-dir=" + str(tmp_path / "profile"),
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert pdf.exists()
    assert pdf.read_bytes()[:5] == b"%PDF-"
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Bottom line" in first
    assert "Pursue first: humanitarian-ringfence" in " ".join(first.split())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False)
    if info.returncode == 0:
        assert "595.2" in info.stdout or "595.28" in info.stdout or "A4" in info.stdout


def test_the_draw_legend_counts_unknown_scores_below_the_rows_shown(
    run: Run, make_set: Callable[..., Path]
) -> None:
    """The robustness section lists 15 options, but every option is drawn: an unknown
    score on the 17th is drawn uniformly, and the legend must say so."""
    files = {f"o{k:02}.toml": option_toml(f"o{k:02}", 9 - k / 4, 8, 1) for k in range(16)}
    files["last.toml"] = (
        '[[option]]\nid = "last"\ntitle = "Last"\ntrack = "security"\n'
        "[option.scores]\nfeasibility = 1\nlinkage = 9\n"
        "[option.scores.benefit]\nunknown = true\nlow = 0\nhigh = 2\n"
    )
    result = run("report", str(make_set(files)), "--draws", "200")  # HTML
    assert result.exit_code == 0, result.stderr
    section = unescape(result.stdout).split("How robust the ranking is")[-1].split("<h2")[0]
    assert ">last" not in section  # not among the rows shown
    assert "an unknown one uniformly from [low, high]" in section
