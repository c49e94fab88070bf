"""Reading engage's Markdown and HTML back as a renderer would, to check what user text formed.

Markdown is parsed twice: CommonMark with tables, and markdown-it's GFM-like preset
(tables, strikethrough, bare autolinks). The GFM-like parser has fuzzy links off: GFM
links bare ``www.`` and ``http(s)://`` addresses and emails, not every ``name.tld``
(linkify-it would link ``brief.md``, in our own text too).
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token


def parsers() -> list[MarkdownIt]:
    gfm = MarkdownIt("gfm-like")
    gfm.linkify.set({"fuzzy_link": False})
    return [MarkdownIt("commonmark").enable("table"), gfm]


PARSERS = parsers()
# inline tokens that carry text and nothing else
TEXT = {"text", "text_special", "softbreak", "hardbreak"}
LIVE = {"html_inline", "html_block", "image"}


def walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from walk(token.children)


def shape(tokens: list[Token]) -> list[str]:
    """The token types in order, without text and links: what the Markdown built."""
    skip = TEXT | {"link_open", "link_close"}
    return [t.type for t in walk(tokens) if t.type not in skip]


def links(tokens: list[Token]) -> list[tuple[str, str]]:
    """(href, the link's text) of every link, in order."""
    out = []
    found = list(walk(tokens))
    for k, token in enumerate(found):
        if token.type == "link_open":
            end = next(j for j in range(k, len(found)) if found[j].type == "link_close")
            text = "".join(t.content for t in found[k + 1 : end])
            out.append((str(token.attrs["href"]), text))
    return out


def plain_text(tokens: list[Token]) -> str:
    """What a reader sees: the text of every inline run, white space made single spaces."""
    parts = []
    for token in tokens:
        if token.type == "inline" and token.children:
            parts.append(
                "".join(
                    " " if c.type in ("softbreak", "hardbreak") else c.content
                    for c in token.children
                )
            )
    return squeeze(" ".join(parts))


def squeeze(text: str) -> str:
    return " ".join(text.split())


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML document."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def hrefs(self) -> list[str]:
        return [v or "" for tag, attrs in self.tags if tag == "a" for k, v in attrs if k == "href"]
