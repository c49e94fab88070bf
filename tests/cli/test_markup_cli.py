"""Every Markdown and HTML output on a set whose text is hostile (docs/errors.md: user text is data).

Titles, tracks, rationales, sources, assessor names, the model's title, labels and profile
descriptions, and the set's path hold HTML, links, images, emphasis, code, headings, list
markers, autolinks, entities, pipes, backslashes and line breaks. Each command's Markdown
must parse (CommonMark with tables, and GFM-like) to the same structure as the same set
with plain text, with no HTML or image, links only to the sources' http(s) addresses
(whole), and the user's characters visible. The HTML report must have the plain set's
elements and attributes, and hrefs that are exactly those addresses.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from engage.cli import app
from engage.cli.base import COMMANDS as REGISTERED
from engage.render.markup import source_url
from tests.conftest import Run
from tests.markup_check import LIVE, PARSERS, Elements, links, plain_text, shape, squeeze
from tests.test_markup import HOSTILE, NONEMPTY
from tests.test_markup import URLS as URL_PARTS

TITLES = {
    "a": "[link](javascript:alert(1)) ![i](https://example.org/i.png)",
    "b": "<img src=x onerror=alert(1)> &lt;b&gt; R&D",
    "c": "**bold** _it_ `code` ~~gone~~ www.example.org a@example.org #",
    "d": "1. list\n# head | pipe \\ back <https://example.org/auto>",
}
TRACKS = ("<script>alert(1)</script>", "*t* | ~~s~~ [x]")
RATIONALE = "Why: *really*\n\n# not a heading\n- not a list\n<div>x</div>\n    not code\n==="
SOURCES = (
    "Report - https://example.org/x?a=<b>",
    'Quote "https://example.org/q?x="y"&z=1"',
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "<https://example.org/auto>",
    "see www.example.org/y and a@example.org",
    "[x](https://example.org/md) !",
    "Plain *source* _text_ `x`",
)
URLS = {u for u in map(source_url, SOURCES) if u}
MODEL_TITLE = "<img src=x onerror=alert(1)> *Model* [m](javascript:alert(1)) #"
LABELS = {
    "benefit": "_Benefit_ | `b` ~~x~~",
    "feasibility": "<b>Feasible</b> &amp; ok",
    "linkage": "Linkage ![i](https://example.org/i.png)",
}
PROFILES = {"main": "> main [ref]: https://example.org/r", "even": "# even\n---"}
ASSESSORS = ("<i>ann</i>", "*bob*")
HOSTILE_DIR = "set_*[x]<i>#"
SMALL_MODEL = """\
schema_version = 1
title = "m"
[criteria.benefit]
[profiles.main]
weights = { benefit = 1 }
"""
URL_SOURCES = st.builds(lambda a, u, b: f"{a} {u} {b}", HOSTILE, URL_PARTS, HOSTILE)

Text = Callable[[str], str]


def plain_texts() -> Text:
    """Each distinct hostile text → its own plain text with the same lines."""
    names: dict[str, str] = {}
    counter = itertools.count()

    def plain(text: str) -> str:
        if text not in names:
            k = next(counter)
            names[text] = "\n".join(
                f"plain{k}x{i}" if line.strip() else "" for i, line in enumerate(text.splitlines())
            )
        return names[text]

    return plain


def write_set(root: Path, t: Text, *, old: bool = False) -> Path:
    """The set with its texts passed through ``t``; ``old`` is an earlier version of it."""
    root.mkdir(parents=True)
    model = {
        "schema_version": 1,
        "title": t(MODEL_TITLE + (" old" if old else "")),
        "criteria": {
            "benefit": {"label": t(LABELS["benefit"]), "role": "benefit"},
            "feasibility": {"label": t(LABELS["feasibility"]), "role": "feasibility"},
            "linkage": {"label": t(LABELS["linkage"]), "role": "linkage", "better": "lower"},
        },
        "profiles": {
            "main": {
                "description": t(PROFILES["main"]),
                "weights": {"benefit": 2, "feasibility": 1, "linkage": 1},
            },
            "even": {
                "description": t(PROFILES["even"]),
                "weights": {"benefit": 1, "feasibility": 1, "linkage": 1},
            },
        },
    }
    (root / "engage.toml").write_text(tomli_w.dumps(model), encoding="utf-8")
    options: list[dict[str, Any]] = []
    values = {"a": (8, 6, 2), "b": (7, 7, 3), "c": (5, 8, 1), "d": (4, 3, 6)}
    for k, (option_id, (benefit, feasibility, linkage)) in enumerate(values.items()):
        if old and option_id == "c":
            continue
        title = TITLES["b" if old and option_id == "a" else option_id]
        score = {"rationale": t(RATIONALE), "sources": [t(s) for s in SOURCES]}
        options.append(
            {
                "id": option_id,
                "title": t(title),
                "track": t(TRACKS[k % 2]),
                "tags": [t("tag *x*")] if old else [t("tag <y>")],
                "scores": {
                    "benefit": {"value": benefit, **score},
                    "feasibility": {
                        "value": feasibility,
                        "by": {t(name): feasibility for name in ASSESSORS},
                        **score,
                    },
                    "linkage": {"value": linkage + (1 if old else 0), **score},
                },
            }
        )
    text = tomli_w.dumps({"schema_version": 1, "option": options}, multiline_strings=True)
    (root / "options.toml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("markup")
    plain = plain_texts()
    return {
        "hostile": write_set(base / HOSTILE_DIR, lambda s: s),
        "hostile-old": write_set(base / (HOSTILE_DIR + "-old"), lambda s: s, old=True),
        "plain": write_set(base / "plain", plain),
        "plain-old": write_set(base / "plain-old", plain, old=True),
    }


SHOWN_IN_EXPLAIN = [*TITLES.values(), TRACKS[0], RATIONALE, *SOURCES, *ASSESSORS]
COMMANDS: dict[str, tuple[list[str], list[str]]] = {
    # name: (arguments, with {set} and {old}; the user texts it shows)
    "rank": (["rank", "{set}"], [*TITLES.values(), *TRACKS]),
    "rank-lenses": (["rank", "{set}", "-p", "main", "-p", "even"], [*TITLES.values()]),
    "explain": (["explain", "a", "-s", "{set}"], [TITLES["a"], *SHOWN_IN_EXPLAIN[4:]]),
    "explain-d": (["explain", "d", "-s", "{set}"], [TITLES["d"], RATIONALE, *SOURCES]),
    "explain-topsis": (["explain", "b", "-s", "{set}", "-m", "topsis"], [TITLES["b"]]),
    "compare": (["compare", "a", "b", "c", "-s", "{set}"], [*TITLES.values()][:3]),
    "sensitivity": (["sensitivity", "{set}"], [MODEL_TITLE]),
    "robustness": (["robustness", "{set}", "--draws", "50"], [MODEL_TITLE]),
    "decouple": (["decouple", "{set}", "--sweep"], [*TRACKS]),
    "tracks": (["tracks", "{set}"], [*TRACKS]),
    "model": (["model", "{set}"], [MODEL_TITLE, *LABELS.values(), *PROFILES.values(), HOSTILE_DIR]),
    "report": (["report", "{set}", "--draws", "50"], [MODEL_TITLE, *SHOWN_IN_EXPLAIN]),
    "diff": (["diff", "{old}", "{set}"], [TITLES["c"], TRACKS[0], HOSTILE_DIR]),
    "portfolio": (["portfolio", "{set}"], [*TITLES.values()]),
}


def output(run: Run, sets: dict[str, Path], kind: str, args: list[str], fmt: str) -> str:
    filled = [a.format(set=sets[kind], old=sets[kind + "-old"]) for a in args]
    result = run(*filled, "-f", fmt)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_every_command_that_writes_markdown_is_checked_here() -> None:
    markdown = {name for name, spec in REGISTERED.items() if "markdown" in spec.formats}
    assert {args[0] for args, _ in COMMANDS.values()} == markdown


@pytest.mark.parametrize("name", COMMANDS)
def test_markdown_holds_user_text_as_data(run: Run, sets: dict[str, Path], name: str) -> None:
    args, shown = COMMANDS[name]
    hostile = output(run, sets, "hostile", args, "markdown")
    plain = output(run, sets, "plain", args, "markdown")
    for md in PARSERS:
        tokens, plain_tokens = md.parse(hostile), md.parse(plain)
        assert shape(tokens) == shape(plain_tokens), hostile
        assert not LIVE & set(shape(tokens))
        assert links(plain_tokens) == []
        for href, text in links(tokens):
            assert text in URLS, (href, text)
            assert href == md.normalizeLink(text)
        text = plain_text(tokens)
        for user in shown:
            for paragraph in user.split("\n\n"):
                assert squeeze(paragraph) in text, (paragraph, hostile)


def test_sources_link_whole_and_only_http(run: Run, sets: dict[str, Path]) -> None:
    markdown = output(run, sets, "hostile", COMMANDS["explain"][0], "markdown")
    for md in PARSERS:
        found = {text for _, text in links(md.parse(markdown))}
        assert found == URLS
    assert "https://example.org/x?a=<b>" in URLS
    assert 'https://example.org/q?x="y"&z=1' in URLS


def test_html_report_holds_user_text_as_data(run: Run, sets: dict[str, Path]) -> None:
    args = COMMANDS["report"][0]
    hostile = Elements(output(run, sets, "hostile", args, "html"))
    plain = Elements(output(run, sets, "plain", args, "html"))

    def elements(page: Elements) -> list[tuple[str, list[str]]]:
        return [(tag, sorted(k for k, _ in attrs)) for tag, attrs in page.tags if tag != "a"]

    assert elements(hostile) == elements(plain)
    # the contents list links within the page (#s0...); every other link is a source's
    assert [h for h in plain.hrefs if not h.startswith("#s")] == []
    assert {h for h in hostile.hrefs if not h.startswith("#s")} == URLS
    assert "https://example.org/x?a=<b>" in hostile.hrefs
    anchors = [attrs for tag, attrs in hostile.tags if tag == "a"]
    assert all([k for k, _ in attrs] == ["href"] for attrs in anchors)
    text = squeeze("".join(hostile.text))
    for user in [MODEL_TITLE, *TITLES.values(), *SOURCES, RATIONALE, *ASSESSORS]:
        for line in user.splitlines():
            assert squeeze(line) in text, line


@pytest.mark.parametrize("name", ["rank", "explain", "compare", "diff"])
@pytest.mark.parametrize("fmt", ["html", "svg"])
def test_rich_html_and_svg_hold_user_text_as_data(
    run: Run, sets: dict[str, Path], name: str, fmt: str
) -> None:
    """The terminal exports (rich) escape the text too, and read no markup in it."""
    args = COMMANDS[name][0]
    hostile = Elements(output(run, sets, "hostile", args, fmt))
    plain = Elements(output(run, sets, "plain", args, fmt))
    tags = {tag for tag, _ in hostile.tags}
    assert tags == {tag for tag, _ in plain.tags}
    assert not tags & {"a", "img", "script", "iframe", "foreignobject", "div", "b", "i"}
    attributes = {k for _, attrs in hostile.tags for k, _ in attrs}
    assert attributes == {k for _, attrs in plain.tags for k, _ in attrs}
    assert "onerror" not in attributes


@settings(max_examples=15, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate])
@given(
    st.lists(NONEMPTY, min_size=4, max_size=4),
    st.lists(st.one_of(HOSTILE, URL_SOURCES), min_size=1, max_size=3),
)
def test_generated_hostile_text_stays_data(texts: list[str], sources: list[str]) -> None:
    """Drawn hostile titles, track, rationale and sources through rank and explain."""
    title_a, title_b, track, rationale = texts
    urls = {u for u in (source_url(" ".join(s.splitlines())) for s in sources) if u}
    plain = plain_texts()
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp:
        pages = {}
        for kind, t in (("hostile", lambda s: s), ("plain", plain)):
            root = Path(tmp) / kind
            root.mkdir()
            (root / "engage.toml").write_text(SMALL_MODEL, encoding="utf-8")
            options = [
                {
                    "id": option_id,
                    "title": t(title),
                    "track": t(track),
                    "scores": {
                        "benefit": {
                            "value": value,
                            "rationale": t(rationale),
                            "sources": [t(s) for s in sources if s.strip()],
                        },
                    },
                }
                for option_id, title, value in (("a", title_a, 6), ("b", title_b, 4))
            ]
            text = tomli_w.dumps({"schema_version": 1, "option": options})
            (root / "options.toml").write_text(text, encoding="utf-8")
            for args in (["rank", str(root)], ["explain", "a", "-s", str(root)]):
                result = runner.invoke(app, [*args, "-f", "markdown"], catch_exceptions=False)
                assert result.exit_code == 0, result.stderr
                pages[kind, args[0]] = result.stdout
    shown = {
        "rank": [title_a, title_b, track],
        "explain": [title_a, track, *rationale.split("\n\n"), *sources],
    }
    for command, users in shown.items():
        hostile, benign = pages["hostile", command], pages["plain", command]
        for md in PARSERS:
            tokens = md.parse(hostile)
            assert shape(tokens) == shape(md.parse(benign)), hostile
            assert not LIVE & set(shape(tokens))
            assert {text for _, text in links(tokens)} <= urls
            seen = plain_text(tokens)
            for user in users:
                assert squeeze(user) in seen, (user, hostile)
