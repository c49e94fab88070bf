"""The escaping helpers (engage.render.markup) against hostile text, read back by parsers.

In every place engage puts user text (a paragraph, a list item, a heading, bold or italic
text, a quote, a table cell, a multi-line rationale, a source), the parsed Markdown must
have exactly the shape engage wrote around it, no HTML, image or link but the source's
own http(s) address, and the reader must see the user's characters.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from engage.render.common import markdown_table
from engage.render.markup import (
    Markup,
    html_link_or_text,
    md_block,
    md_cell,
    md_code,
    md_link_or_text,
    md_text,
    source_url,
)
from tests.markup_check import LIVE, PARSERS, Elements, links, plain_text, shape, squeeze

FRAGMENTS = [
    "<img src=x onerror=alert(1)>",
    "[link](javascript:alert(1))",
    "![pic](https://example.org/p.png)",
    "*em*",
    "_em_",
    "**strong**",
    "`code`",
    "# ",
    "> ",
    "- ",
    "+ ",
    "1. ",
    "2) ",
    "---",
    "===",
    "~~struck~~",
    "~one~",
    "www.example.org",
    "https://example.org/x?a=<b>",
    "<https://example.org/auto>",
    "a@example.org",
    "mailto:a@b.org",
    "&lt;",
    "&#60;",
    "&amp;",
    "\\",
    "\\*",
    "|",
    " #",
    "<!-- c -->",
    "[^1]",
    "[ ]",
    "[x]: https://example.org/ref",
    "    ",
    "\t",
    "\n",
    "\n\n",
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "<b>",
    "</p>",
    "R&D",
    "a < b",
    ":smile:",
]
CHARS = st.sampled_from(list("\\`*_[]()<>!&#;|~:/.@-+=1 \t\nwhtpsa"))
HOSTILE = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(CHARS, max_size=6)), min_size=1, max_size=6
).map("".join)
NONEMPTY = HOSTILE.filter(lambda s: s.strip())
# the shape engage writes around one piece of user text, and what it must parse to
CONTEXTS = {
    "{}": ["paragraph_open", "inline", "paragraph_close"],
    "- {}": [
        "bullet_list_open",
        "list_item_open",
        "paragraph_open",
        "inline",
        "paragraph_close",
        "list_item_close",
        "bullet_list_close",
    ],
    "1. {}": [
        "ordered_list_open",
        "list_item_open",
        "paragraph_open",
        "inline",
        "paragraph_close",
        "list_item_close",
        "ordered_list_close",
    ],
    "> {}": [
        "blockquote_open",
        "paragraph_open",
        "inline",
        "paragraph_close",
        "blockquote_close",
    ],
    "## `x`: {}": ["heading_open", "inline", "code_inline", "heading_close"],
    "**{}**": ["paragraph_open", "inline", "strong_open", "strong_close", "paragraph_close"],
    "*{}*": ["paragraph_open", "inline", "em_open", "em_close", "paragraph_close"],
}
SETTINGS = settings(max_examples=300, deadline=None, derandomize=True)


def flat(text: str) -> str:
    return " ".join(text.splitlines()).strip()


@SETTINGS
@given(NONEMPTY)
@example("tail #")
@example("1. one\n2) two")
@example("x\n===")
@example("_www.example.org")
def test_text_forms_nothing_in_any_context(text: str) -> None:
    for context, expected in CONTEXTS.items():
        source = context.format(md_text(text))
        for md in PARSERS:
            tokens = md.parse(source)
            assert shape(tokens) == expected, (context, source)
            assert links(tokens) == []
            wanted = ("x: " if context.startswith("##") else "") + flat(text)
            assert plain_text(tokens) == squeeze(wanted), (context, source)


@SETTINGS
@given(st.lists(NONEMPTY, min_size=1, max_size=3))
@example(["pipe | and \\| and \\\\|", "`a|b`"])
def test_cells_stay_cells(cells: list[str]) -> None:
    table = markdown_table(["#", *(f"c{k}" for k in range(len(cells)))], [["1", *cells]])
    for md in PARSERS:
        tokens = md.parse(table)
        kinds = shape(tokens)
        assert kinds.count("td_open") == len(cells) + 1, table
        assert not set(kinds) & (LIVE | {"em_open", "strong_open", "s_open", "code_inline"})
        assert links(tokens) == []
        text = plain_text(tokens)
        for cell in cells:
            assert squeeze(flat(cell)) in text


@SETTINGS
@given(HOSTILE)
@example("line one\n# h\n---\n\n\n    code\n> q\n1. x\n===")
def test_rationales_are_paragraphs_of_text(text: str) -> None:
    markdown = md_block(text)
    for md in PARSERS:
        tokens = md.parse(markdown)
        assert set(shape(tokens)) <= {"paragraph_open", "inline", "paragraph_close"}, markdown
        assert links(tokens) == []
        assert plain_text(tokens) == squeeze(text)


URLS = st.sampled_from(
    [
        "https://example.org/x?a=<b>",
        'https://example.org/q?x="y"&z=1',
        "http://example.org/a_b*c*[d]",
        "https://example.org/p|q\\r`s`",
    ]
)


@SETTINGS
@given(HOSTILE, st.one_of(st.none(), URLS), HOSTILE)
@example("javascript:alert(1)", None, "")
@example("see <", "https://example.org/x?a=<b>", "> ok")
def test_only_a_sources_http_address_links(before: str, url: str | None, after: str) -> None:
    source = before + (" " + url + " " if url else "") + after
    if not source.strip():
        return
    found = source_url(" ".join(source.splitlines()))
    markdown = "- " + md_link_or_text(source)
    for md in PARSERS:
        tokens = md.parse(markdown)
        assert not set(shape(tokens)) & (LIVE | {"em_open", "strong_open", "s_open"})
        got = links(tokens)
        assert got == ([(md.normalizeLink(found), found)] if found else []), markdown
        assert plain_text(tokens) == squeeze(flat(source))
    html = Elements(f"<li>{html_link_or_text(source)}</li>")
    assert [tag for tag, _ in html.tags] == ["li"] + (["a"] if found else [])
    assert html.hrefs == ([found] if found else [])
    assert "".join(html.text) == source


@pytest.mark.parametrize(
    ("source", "url"),
    [
        ("Report - https://example.org/x?a=<b>", "https://example.org/x?a=<b>"),
        ("(see https://example.org/a_(b))", "https://example.org/a_(b)"),
        ("(see https://example.org/a).", "https://example.org/a"),
        ("<https://example.org/auto>", "https://example.org/auto"),
        ('"https://example.org/q?x="y"&z=1"', 'https://example.org/q?x="y"&z=1'),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("ftp://example.org/file", None),
        ("https://", None),
        ("www.example.org", None),
    ],
)
def test_source_url_keeps_the_address_whole(source: str, url: str | None) -> None:
    assert source_url(source) == url


@SETTINGS
@given(HOSTILE)
@example("`a``b`")
@example("a|b")
def test_code_spans_hold_the_text(text: str) -> None:
    code = md_code(text)
    assert isinstance(code, Markup)
    for md in PARSERS:
        tokens = md.parse(f"x {code}")
        assert "".join(plain_text(tokens).split()) == "".join(("x" + text).split())
        assert not set(shape(tokens)) & (LIVE | {"em_open", "strong_open", "link_open"})


def test_ordinary_text_is_left_readable() -> None:
    """Only what needs it is escaped: the shipped titles' Markdown does not change."""
    for text in ("World Bank 'Approach 3.0': off-budget", "R&D, a < b, 3-5 years", "#1 aim"):
        assert md_text(text) == text
    assert md_cell("# ") == "#"
    assert md_text("# x") == "\\# x"
    assert md_text("1. x") == "1\\. x"
    assert md_text("1.5 million") == "1.5 million"


def test_the_parsers_see_what_a_gfm_renderer_sees() -> None:
    """Guard: the checks above are only as good as the parsers; they must find live markup."""
    cm, gfm = PARSERS
    assert "html_inline" in shape(cm.parse("a <img src=x> b"))
    assert "image" in shape(cm.parse("![i](https://example.org/i.png)"))
    assert "em_open" in shape(cm.parse("*em*"))
    assert "table_open" in shape(cm.parse("| a |\n| --- |\n| b |"))
    assert links(gfm.parse("see www.example.org and https://example.org and a@example.org"))
    assert "s_open" in shape(gfm.parse("~~gone~~"))
