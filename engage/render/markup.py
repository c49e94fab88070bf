"""User text as data in Markdown and HTML (docs/errors.md): the one place that escapes it.

Titles, rationales, tracks, labels, descriptions, paths and sources are written by people
and read by a renderer: in Markdown they are escaped so that they render as the same
characters and form no HTML, link, image, emphasis, code, heading or list; in HTML they
are entity-escaped. The only links are the ``http(s)`` addresses found in sources, kept
whole (escaped, never cut at a ``<`` or a quote).

Markdown escaping is minimal where that is safe, so ordinary text stays readable in the
source: ``-`` mid-line, ``R&D``, ``a < b`` and ``3.0`` are left as they are.

``Markup`` marks Markdown that a renderer built on purpose (a code span, a link):
:func:`engage.render.common.markdown_table` passes it through and escapes every other cell.
"""

from __future__ import annotations

import re
from html import escape

__all__ = [
    "Markup",
    "html_link_or_text",
    "html_text",
    "md_block",
    "md_cell",
    "md_code",
    "md_link_or_text",
    "md_text",
    "source_url",
]


class Markup(str):
    """Markdown source that is already safe: built from escaped text and engage's syntax."""

    __slots__ = ()


# -- finding addresses -------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s/?#][^\s]*", re.IGNORECASE)
_TRAILING = ".,;:!?'\""
_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}


def source_url(source: str) -> str | None:
    """The web address a source string cites, if any (links go only to these).

    Only ``http://`` and ``https://``; the address runs to the next white space, less
    sentence punctuation at its end and a closing bracket that has no opening one in it
    (``(see https://x.org/a)`` gives ``https://x.org/a``; ``https://x.org/?a=<b>`` is whole).
    """
    found = _URL.search(source)
    if found is None:
        return None
    url = found.group(0)
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _PAIRS and url.count(last) > url.count(_PAIRS[last])):
            url = url[:-1]
        else:
            break
    return url if _URL.fullmatch(url) else None


# -- Markdown ------------------------------------------------------------------------------

# Always escaped: backslash, code, emphasis, brackets (links, images, footnotes, task
# boxes), table pipes, strikethrough. In context: a '<' before anything but a space (HTML,
# autolinks), an entity-like '&', the ':' of '://' and the '.' of 'www.' (GFM's bare
# autolinks), an email-like '@'.
_INLINE = re.compile(
    r"[\\`*_\[\]|~]"
    r"|<(?!\s|$)"
    r"|&(?=#?[0-9A-Za-z]+;)"
    r"|:(?=//)"
    r"|(?<![^\W_]www)(?<=www)\.(?=\S)"
    r"|(?<=[\w.+-])@(?=[\w-])",
    re.IGNORECASE,
)
# In a link's text GFM makes no autolink: only what forms emphasis, code or markup.
_LINK_TEXT = re.compile(r"[\\`*_\[\]|~<]|&(?=#?[0-9A-Za-z]+;)")
# In a link's <target>: its delimiters, the table pipe, entities.
_TARGET = re.compile(r"[\\<>|]|&(?=#?[0-9A-Za-z]+;)")
# What makes a block at the start of a line: heading, quote, list item, thematic break,
# setext underline, ordered item; and a heading's closing '#'s at its end.
_START = re.compile(r"^(?:#(?=#{0,5}(?:\s|$))|>|[-+](?=\s|$)|-[-\s]*$|=+\s*$)")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_CLOSING = re.compile(r"(?<=\s)#+(?=\s*$)")


def _flat(text: str) -> str:
    """One line: line breaks become spaces, no white space at either end."""
    return " ".join(text.splitlines()).strip()


def _inline(text: str) -> str:
    return _INLINE.sub(lambda m: "\\" + m.group(0), text)


def _line(markdown: str) -> str:
    """Escape what would make ``markdown`` (escaped inline text) start or end a block."""
    markdown = _START.sub(lambda m: "\\" + m.group(0), markdown, count=1)
    markdown = _ORDERED.sub(r"\1\\\2", markdown, count=1)
    return _CLOSING.sub(lambda m: "\\#" * len(m.group(0)), markdown)


def md_text(text: str) -> str:
    """User text on one line, safe anywhere: at a line start, in a heading, a list item,
    emphasis or a table cell. Line breaks become spaces."""
    return _line(_inline(_flat(text)))


def md_cell(text: str) -> str:
    """User text inside a table cell or mid-line: like :func:`md_text` without the
    line-start escapes (a table header ``#`` stays ``#``)."""
    return _inline(_flat(text))


def md_block(text: str) -> str:
    """Multi-line user text (a rationale) as paragraphs: each line escaped as a line of its
    own, a run of blank lines kept as one paragraph break."""
    lines = [md_text(line) for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


def md_code(text: str) -> Markup:
    """A code span (ids, field paths): a fence longer than any run of backticks in it.

    Text holding a ``|`` is written as escaped text instead, since a pipe would split a
    table cell even inside a code span.
    """
    flat = _flat(text)
    if "|" in flat or not flat:
        return Markup(md_cell(flat))
    fence = "`" * (max((len(r) for r in re.findall(r"`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return Markup(f"{fence}{pad}{flat}{pad}{fence}")


def md_link_or_text(source: str) -> Markup:
    """A source on one line: its ``http(s)`` address as a link (text and target both the
    whole address), everything else escaped text."""
    flat = _flat(source)
    url = source_url(flat)
    if url is None:
        return Markup(md_text(flat))
    before, _, after = flat.partition(url)
    target = _TARGET.sub(lambda m: "\\" + m.group(0), url)
    text = _LINK_TEXT.sub(lambda m: "\\" + m.group(0), url)
    lead = _inline(before)
    if lead.endswith("!"):  # '!' before '[' would make the link an image
        lead = lead[:-1] + "\\!"
    return Markup(_line(f"{lead}[{text}](<{target}>){_inline(after)}"))


# -- HTML ----------------------------------------------------------------------------------


def html_text(text: str) -> str:
    """Text for an HTML element or a quoted attribute: ``& < > " '`` as entities."""
    return escape(text, quote=True)


def html_link_or_text(source: str) -> str:
    """A source: its ``http(s)`` address as ``<a href>`` (whole, escaped), the rest text."""
    url = source_url(source)
    if url is None:
        return html_text(source)
    before, _, after = source.partition(url)
    link = f'<a href="{html_text(url)}">{html_text(url)}</a>'
    return html_text(before) + link + html_text(after)
