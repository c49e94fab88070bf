"""The position scanner on generated TOML 1.1: never an exception, every key where it stands.

The generator writes option files in every form the parser (tomli) reads: headers with
blanks and quoted parts, quoted keys with escapes (``\\e``, ``\\xHH``, ``\\u``), dotted
keys, inline tables over several lines with comments and trailing commas, arrays across
lines with comments, the four string forms holding ``[[option]]``, ``=``, ``#`` and
quotes, LF or CRLF line ends. It knows where it wrote each key and value, and checks the
scanner finds them there. Documents it mutates (a character deleted, a fragment inserted)
that tomli still reads must scan without an exception, every position inside the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage.io.positions import Path, Positions, Scanner, unescape

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# (the key, ways to write it): bare, quoted, literal, with escapes in a basic string
KEY_FORMS: dict[str, list[str]] = {
    "option": ["option", '"option"', "'option'", '"\\x6Fption"'],
    "scores": ["scores", '"scores"', "'scores'", '"sc\\u006Fres"'],
    "id": ["id", '"id"', "'id'", '"\\x69d"'],
    "title": ["title", '"title"', "'title'"],
    "track": ["track", "'track'"],
    "schema_version": ["schema_version", '"schema_version"'],
    "meta": ["meta", '"meta"'],
    "value": ["value", '"value"', "'value'", '"v\\x61lue"'],
    "benefit": ["benefit", '"benefit"', "'benefit'", '"b\\x65nefit"', '"\\U00000062enefit"'],
    "feasibility": ["feasibility", '"feasibility"', '"fe\\u0061sibility"'],
    "linkage": ["linkage", "'linkage'", '"linkage"'],
    "sources": ["sources", '"sources"'],
    "a.b": ['"a.b"', "'a.b'"],
    "x = [[option]]": ['"x = [[option]]"', "'x = [[option]]'"],
    "# not a comment": ['"# not a comment"'],
    "esc\x1bA": ['"esc\\e\\x41"', '"esc\\u001BA"'],
    "quote\"'": ['"quote\\"\'"'],
    "": ['""', "''"],
    "é ü": ['"é ü"', "'é ü'"],
}
META_KEYS = ["a.b", "x = [[option]]", "# not a comment", "esc\x1bA", "quote\"'", "", "é ü", "id"]
TRICKY_LINES = [
    "[[option]]",
    "[option.scores]",
    'id = "not me"',
    "benefit = 99",
    "# not a comment",
    "a = b = c",
    "}, ] {",
    "'single' and ''double''",
    "x = '''",
    "",
]
# basic one-line strings: the written form (tomli decodes the escapes)
BASIC = ['"plain"', '"tab\\tand \\"quote\\""', '"\\e[1mbold\\x41"', '"\\u00e9\\U0001F600 # no"']
LITERAL = ["'plain'", "'C:\\path\\ # = [x]'", "'\"double\" inside'"]
BLANK = st.sampled_from(["", " ", "  ", "\t"])
COMMENT = st.sampled_from(["", " # c", "  # [[option]] = \"'", "\t#"])


@dataclass
class Doc:
    """A document being written, and where it put each key and value."""

    nl: str
    parts: list[str] = field(default_factory=list)
    size: int = 0
    keys: dict[Path, int] = field(default_factory=dict)
    values: dict[Path, int] = field(default_factory=dict)

    def put(self, *texts: str) -> None:
        for written in texts:
            text = written.replace("\n", self.nl)
            self.parts.append(text)
            self.size += len(text)

    def key(self, path: Path, written: str) -> None:
        self.keys.setdefault(path, self.size)
        self.put(written)

    def value(self, path: Path, written: str) -> None:
        self.values.setdefault(path, self.size)
        self.put(written)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _lines(draw: st.DrawFn, closing: str) -> str:
    """Lines for a multi-line string that never hold its closing quotes."""
    lines = draw(st.lists(st.sampled_from(TRICKY_LINES), min_size=1, max_size=4))
    return "\n".join(line for line in lines if closing not in line)


@st.composite
def strings(draw: st.DrawFn) -> str:
    """A string value in any of the four forms."""
    form = draw(st.sampled_from(["basic", "literal", "multi-basic", "multi-literal"]))
    if form == "basic":
        return draw(st.sampled_from(BASIC))
    if form == "literal":
        return draw(st.sampled_from(LITERAL))
    if form == "multi-basic":
        body = _lines(draw, '"""').replace("\\", "\\\\")
        escapes = draw(st.sampled_from(["", '\\"""', "\\e\\x41", "line \\\n   joined", '""']))
        tail = draw(st.sampled_from(["", '"', '""']))  # """a"""" holds a" (quotes at the end)
        start = draw(st.sampled_from(["", "\n"]))  # a line break right after """ is dropped
        return f'"""{start}{body} {escapes}.{tail}"""'
    body = _lines(draw, "'''")
    tail = draw(st.sampled_from(["", "'", "''"]))
    return f"'''\n{body}\"\"\"{tail}'''"


def _name(draw: st.DrawFn, key: str) -> str:
    return draw(st.sampled_from(KEY_FORMS[key]))


def _dotted(draw: st.DrawFn, keys: list[str]) -> str:
    """A dotted key, with blanks around its dots or not."""
    dot = draw(st.sampled_from([".", " . ", ".\t"]))
    return dot.join(_name(draw, k) for k in keys)


def _key_value(draw: st.DrawFn, doc: Doc, base: Path, keys: list[str], write: Any) -> None:
    """``a.b = value`` on a line of its own, the value written by ``write(doc, path)``."""
    path = (*base, *keys)
    doc.put(draw(BLANK))
    doc.key(path, _dotted(draw, keys))
    for k in range(1, len(keys)):  # each prefix of a dotted key starts where the key does
        doc.keys.setdefault((*base, *keys[:k]), doc.keys[path])
    doc.put(draw(BLANK), "=", draw(st.sampled_from([" ", "  ", "\t"])))
    write(doc, path)
    doc.put(draw(COMMENT), "\n")


def _inline_table(draw: st.DrawFn, doc: Doc, path: Path, entries: list[tuple[str, Any]]) -> None:
    """``{ k = v, ... }`` on one line, or over several with comments and a trailing comma."""
    doc.values.setdefault(path, doc.size)
    multi = draw(st.booleans())
    doc.put("{")
    for k, (name, write) in enumerate(entries):
        if multi:
            doc.put(draw(st.sampled_from(["\n", "\n\n", "\n# between\n"])), "  ")
        else:
            doc.put(" ")
        doc.key((*path, name), _name(draw, name))
        doc.put(" = ")
        write(doc, (*path, name))
        last = k == len(entries) - 1
        if not last or (multi and draw(st.booleans())):
            doc.put(",")
        if multi:
            doc.put(draw(COMMENT))
    doc.put("\n}" if multi else " }")


def _number(draw: st.DrawFn) -> Any:
    number = draw(st.sampled_from(["5", "4.5", "1e0", "+3", "0", "1_0"]))
    return lambda doc, path: doc.value(path, number)


def _score(draw: st.DrawFn) -> Any:
    """A score: a number, or a table of value, low, high and sources."""
    if draw(st.booleans()):
        return _number(draw)
    entries = [("value", _number(draw))]
    if draw(st.booleans()):
        entries.append(("sources", _array(draw)))

    def write(doc: Doc, path: Path) -> None:
        _inline_table(draw, doc, path, entries)

    return write


def _array(draw: st.DrawFn) -> Any:
    """An array of strings, on one line or across lines with comments and a trailing comma."""
    items = draw(st.lists(strings(), max_size=3))
    multi = draw(st.booleans())

    def write(doc: Doc, path: Path) -> None:
        doc.values.setdefault(path, doc.size)
        doc.put("[")
        for k, item in enumerate(items):
            doc.put(draw(st.sampled_from(["\n  ", "\n# c\n  ", " \n\n "])) if multi else " ")
            doc.value((*path, k), item)
            if k < len(items) - 1 or (multi and draw(st.booleans())):
                doc.put(",")
            if multi:
                doc.put(draw(COMMENT))
        doc.put("\n]" if multi else " ]")

    return write


def _text(item: str) -> Any:
    return lambda doc, path: doc.value(path, item)


@st.composite
def documents(draw: st.DrawFn) -> Doc:
    """An option file in the forms of TOML 1.1, with where each key and value was written."""
    doc = Doc(nl=draw(st.sampled_from(["\n", "\r\n"])))
    if draw(st.booleans()):
        doc.put("# a file [[option]] with = and \"quotes'\n\n")
    if draw(st.booleans()):
        _key_value(draw, doc, (), ["schema_version"], _text("1"))
    for index in range(draw(st.integers(1, 3))):
        option: Path = ("option", index)
        doc.put(draw(st.sampled_from(["", "\n", "\n# next\n"])))
        doc.keys.setdefault(("option",), doc.size)
        doc.keys.setdefault(option, doc.size)
        doc.put("[[", draw(BLANK), _name(draw, "option"), draw(BLANK), "]]", draw(COMMENT), "\n")
        _key_value(draw, doc, option, ["id"], _text(f'"o{index}"'))
        _key_value(draw, doc, option, ["title"], _text(draw(strings())))
        _key_value(draw, doc, option, ["track"], _text("'security'"))
        scores = {name: _score(draw) for name in ("benefit", "feasibility", "linkage")}
        form = draw(st.sampled_from(["inline", "dotted", "header", "header-last"]))
        if form == "inline":
            entries = list(scores.items())
            _key_value(
                draw,
                doc,
                option,
                ["scores"],
                lambda d, p, e=entries: _inline_table(draw, d, p, e),
            )
        elif form == "dotted":
            for name, write in scores.items():
                _key_value(draw, doc, option, ["scores", name], write)
        meta = draw(st.lists(st.sampled_from(META_KEYS), max_size=3, unique=True))
        if meta:
            entries = [
                (k, _text(draw(strings())) if j % 2 else _array(draw)) for j, k in enumerate(meta)
            ]
            _key_value(
                draw, doc, option, ["meta"], lambda d, p, e=entries: _inline_table(draw, d, p, e)
            )
        if form.startswith("header"):
            table = (*option, "scores")
            doc.keys.setdefault(table, doc.size)
            sep = draw(st.sampled_from([".", " . "]))
            doc.put("[", draw(BLANK), _name(draw, "option"), sep, _name(draw, "scores"), "]\n")
            for name, write in scores.items():
                _key_value(draw, doc, table, [name], write)
    return doc


def _at(data: Any, path: Path) -> Any:
    for part in path:
        data = data[part]
    return data


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _inside(text: str, scanner: Scanner) -> None:
    """Every offset the scanner gives is in the text, on one of its lines."""
    lines = text.count("\n") + 1
    for offset in [*scanner.keys.values(), *scanner.values.values()]:
        assert 0 <= offset <= len(text)
        assert 1 <= _line_col(text, offset)[0] <= lines


@SETTINGS
@given(documents())
def test_the_scanner_finds_every_key_where_it_was_written(doc: Doc) -> None:
    text = doc.text
    data = tomli.loads(text)  # the generator writes only what the parser reads
    for path in [*doc.keys, *doc.values]:
        _at(data, path)  # and each path it knows is in the data
    scanner = Scanner(text)
    scanner.scan()  # unguarded: a misreading is an exception here
    _inside(text, scanner)
    assert {p: scanner.keys.get(p) for p in doc.keys} == doc.keys
    assert {p: scanner.values.get(p) for p in doc.values} == doc.values
    positions = Positions(text)
    for path, offset in doc.keys.items():
        assert positions.locate(path) == _line_col(text, offset)


FRAGMENTS = [
    "\n",
    "#",
    '"',
    "'",
    '"""',
    "'''",
    "[",
    "]",
    "{",
    "}",
    ",",
    "=",
    ".",
    "\\",
    "\r\n",
    " ",
    "x = 1\n",
    "[[option]]\n",
    "[x]\n",
]


@SETTINGS
@given(documents(), st.data())
def test_any_document_the_parser_reads_scans_without_an_exception(
    doc: Doc, data: st.DataObject
) -> None:
    text = doc.text
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()):
            text = text[:at] + text[at + data.draw(st.integers(1, 4)) :]
        else:
            text = text[:at] + data.draw(st.sampled_from(FRAGMENTS)) + text[at:]
    try:
        tomli.loads(text)
    except tomli.TOMLDecodeError:
        return  # only what the parser accepts is the scanner's to read
    scanner = Scanner(text)
    scanner.scan()
    _inside(text, scanner)


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        ("plain", "plain"),
        ("\\e[0m", "\x1b[0m"),
        ("\\x41\\x7e", "A~"),
        ("\\u00e9\\U0001F600", "é😀"),
        ('\\"\\\\\\t', '"\\\t'),
        ("\\\\x41", "\\x41"),  # an escaped backslash is not the start of an escape
    ],
)
def test_key_escapes(raw: str, decoded: str) -> None:
    assert unescape(raw) == decoded


ISSUE_14 = """[[option]]
id = "a"
title = "T"
track = "security"
scores = {
  benefit = 5,   # comment
  feasibility = 5,
  linkage = 2,
}
"""


def test_a_multi_line_inline_table_is_read_key_by_key() -> None:
    """Issue 14: this file ended in an IndexError (other forms placed every key at 5:1)."""
    positions = Positions(ISSUE_14)
    assert positions.locate(("option", 0, "scores", "linkage")) == (8, 3)
    assert positions.locate(("option", 0, "scores", "linkage"), value=True) == (8, 13)
    assert positions.locate(("option", 0, "scores", "feasibility"), value=True) == (7, 17)


def test_a_path_not_in_the_text_falls_back_to_its_nearest_known_prefix() -> None:
    positions = Positions(ISSUE_14)
    assert positions.locate(("option", 0, "scores", "linkage", "value")) == (8, 3)
    assert positions.locate(("option", 0, "scores", "linkage", "value"), value=True) == (8, 13)
    assert positions.locate(("option", 0, "summary")) == (1, 1)
    assert positions.locate(("model", "criteria")) is None


def test_a_scanner_failure_keeps_the_positions_found_before_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The last resort: were the scanner ever to raise, diagnostics lose positions, not the run."""

    def broken(self: Scanner, i: int, path: Path) -> int:
        if path[-1] == "track":
            raise IndexError("a misreading")
        return Scanner.scalar(self, i)

    monkeypatch.setattr(Scanner, "value", broken)
    positions = Positions(ISSUE_14)
    assert positions.locate(("option", 0, "title")) == (3, 1)
    assert positions.locate(("option", 0, "track")) == (4, 1)  # recorded before the failure
    assert positions.locate(("option", 0, "scores", "benefit")) == (1, 1)  # the option's header
