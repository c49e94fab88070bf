"""The documentation is tested: its examples run, its links resolve.

Every fenced ``console`` block in README.md and docs/*.md (not docs/research/) whose first
line is ``$ engage ...`` is run in-process on the shipped set from the repository's root, and
the block's remaining lines must be exactly what the command prints (stdout and stderr as a
terminal shows them). The width is 80 columns unless the line before the fence says otherwise:

    <!-- COLUMNS=100 -->
    ```console
    $ engage rank -n 3
    ...
    ```

When outputs change on purpose, rewrite the blocks in place with the real output:
``ENGAGE_RECORD_DOCS=1 python -m pytest -q tests/test_docs.py`` and read ``git diff``.

A block shortened by hand (a JSON document with two of its fifteen entries) says which
command it comes from on the line before its fence:

    <!-- excerpt of: engage portfolio -f json -->

Its lines must then be lines of that command's output, in order (a trailing comma aside);
``…`` inside a line stands for any text. A ``<!-- COLUMNS=N -->`` line above the marker sets
the width. Excerpts are not re-recorded: rewrite them by hand.

A relative Markdown link in README.md or docs/**/*.md must name a file that exists and, when
it has ``#anchor``, a heading of that file (GitHub's slugs).
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from engage.cli import app

ROOT = Path(__file__).resolve().parent.parent
RECORD = os.environ.get("ENGAGE_RECORD_DOCS") == "1"
WIDTH = re.compile(r"^\s*<!--\s*COLUMNS=(\d+)\s*-->\s*$")
EXCERPT = re.compile(r"^\s*<!--\s*excerpt of:\s*(engage\s.*?)\s*-->\s*$")
DEFAULT_WIDTH = 80


def example_pages() -> list[Path]:
    """The pages whose console examples are run: README.md and docs/*.md."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def link_pages() -> list[Path]:
    """The pages whose links are checked: README.md and docs/**/*.md."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


@dataclass(frozen=True)
class Block:
    page: Path
    start: int  # index of the fence's opening line
    end: int  # index one past the closing fence line
    width: int
    command: str
    expected: str

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.start + 1}"


def _md() -> MarkdownIt:
    return MarkdownIt("commonmark")


def blocks(page: Path) -> list[Block]:
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    for token in _md().parse("\n".join(lines)):
        if token.type != "fence" or token.info.strip() != "console" or token.map is None:
            continue
        body = token.content.splitlines()
        if not body or not body[0].startswith("$ engage"):
            continue
        start, end = token.map
        width = DEFAULT_WIDTH
        if start > 0 and (m := WIDTH.match(lines[start - 1])):
            width = int(m.group(1))
        expected = "\n".join(body[1:])
        found.append(Block(page, start, end, width, body[0][2:], expected))
    return found


def all_blocks() -> list[Block]:
    return [b for page in example_pages() for b in blocks(page)]


def run(command: str, width: int) -> tuple[int, str]:
    """Run ``engage ...`` in-process from the repository's root; what a terminal shows."""
    words = shlex.split(command)
    assert words[0] == "engage", command
    assert not {"|", ">", ">>", "&&", ";"} & set(words), f"not one command: {command}"
    env = {
        "NO_COLOR": "1",
        "COLUMNS": str(width),
        "TERMINAL_WIDTH": str(width),
        "ENGAGE_SET": "",
    }
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, words[1:], env=env, catch_exceptions=False)
    finally:
        os.chdir(here)
    return result.exit_code, result.output.rstrip("\n").replace(str(ROOT) + os.sep, "")


def _record(page: Path) -> None:
    """Rewrite every tested block of ``page`` with the real output, bottom up."""
    lines = page.read_text(encoding="utf-8").splitlines()
    for block in reversed(blocks(page)):
        _, out = run(block.command, block.width)
        fence = lines[block.start]
        body = [f"$ {block.command}", *([out] if out else [])]
        lines[block.start : block.end] = [fence, *"\n".join(body).splitlines(), "```"]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")


BLOCKS = all_blocks()


def test_the_docs_hold_examples() -> None:
    assert len(BLOCKS) >= 10, "README and docs should show real output"


if RECORD:

    @pytest.mark.parametrize("page", example_pages(), ids=lambda p: p.name)
    def test_record_examples(page: Path) -> None:
        _record(page)


@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_example_output_matches(block: Block) -> None:
    if RECORD:
        pytest.skip("recording")
    code, out = run(block.command, block.width)
    assert code == 0, f"{block.name}: `{block.command}` exits {code}"
    assert out == block.expected, (
        f"{block.name}: `{block.command}` prints something else now; if that is meant, "
        "re-record with ENGAGE_RECORD_DOCS=1 python -m pytest -q tests/test_docs.py"
    )


def excerpts(page: Path) -> list[Block]:
    """The blocks of ``page`` marked ``<!-- excerpt of: engage ... -->``."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found = []
    for token in _md().parse("\n".join(lines)):
        if token.type != "fence" or token.map is None or token.map[0] == 0:
            continue
        start, end = token.map
        if m := EXCERPT.match(lines[start - 1]):
            width = DEFAULT_WIDTH  # <!-- COLUMNS=N --> may stand on the line above the marker
            if start > 1 and (w := WIDTH.match(lines[start - 2])):
                width = int(w.group(1))
            found.append(Block(page, start, end, width, m.group(1), token.content))
    return found


def same_line(shown: str, printed: str) -> bool:
    """Whether an excerpt's line stands for a printed line: equal but for a trailing
    comma, with ``…`` standing for any text."""
    shown, printed = shown.rstrip().rstrip(","), printed.rstrip().rstrip(",")
    first, *rest = shown.split("…")
    if not rest:
        return shown == printed
    if not printed.startswith(first):
        return False
    at = len(first)
    for part in rest[:-1]:
        found = printed.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return printed.endswith(rest[-1]) and len(printed) - len(rest[-1]) >= at


def missing_lines(shown: str, printed: str) -> list[str]:
    """The excerpt's lines not found, in order, among the printed lines."""
    out = iter(printed.splitlines())
    return [line for line in shown.splitlines() if not any(same_line(line, o) for o in out)]


EXCERPTS = [b for page in example_pages() for b in excerpts(page)]


def test_an_excerpt_is_checked_line_by_line() -> None:
    printed = '{\n  "a": [\n    {"id": "x", "v": 1},\n    {"id": "y", "v": 2}\n  ],\n}'
    assert missing_lines('  "a": [\n    {"id": "y", "v": 2}\n  ],', printed) == []
    assert missing_lines('    {"id": "y", …}', printed) == []
    assert missing_lines('    {"id": "y", "v": 2}\n    {"id": "x", "v": 1}', printed) == [
        '    {"id": "x", "v": 1}'
    ]
    assert missing_lines('    {"id": "z", …}', printed) == ['    {"id": "z", …}']


@pytest.mark.parametrize("block", EXCERPTS, ids=[b.name for b in EXCERPTS])
def test_excerpts_are_real_output(block: Block) -> None:
    code, out = run(block.command, block.width)
    assert code == 0, f"{block.name}: `{block.command}` exits {code}"
    assert missing_lines(block.expected, out) == [], (
        f"{block.name}: these lines are not in what `{block.command}` prints (in order)"
    )


# ---- links ----------------------------------------------------------------------------


def _text(token_children: list) -> str:  # type: ignore[type-arg]
    return "".join(c.content for c in token_children if c.type in {"text", "code_inline"})


def slug(heading: str, seen: dict[str, int]) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens,
    a repeated slug numbered -1, -2, ..."""
    base = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
    n = seen.get(base, 0)
    seen[base] = n + 1
    return base if n == 0 else f"{base}-{n}"


def anchors(page: Path) -> set[str]:
    tokens = _md().parse(page.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    out: set[str] = set()
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            out.add(slug(_text(tokens[i + 1].children or []), seen))
    out |= set(re.findall(r'<a\s+(?:name|id)="([^"]+)"', page.read_text(encoding="utf-8")))
    return out


def links(page: Path) -> list[str]:
    out: list[str] = []
    for token in _md().parse(page.read_text(encoding="utf-8")):
        for child in token.children or []:
            if child.type == "link_open":
                out.append(str(child.attrs.get("href", "")))
    return out


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def broken_links(page: Path) -> list[str]:
    bad: list[str] = []
    for href in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE):
            continue  # http:, https:, mailto:
        path_part, _, anchor = href.partition("#")
        target = (page.parent / path_part).resolve() if path_part else page
        if not target.exists():
            bad.append(f"{href}: no file {_shown(target)}")
            continue
        if anchor and target.suffix == ".md" and anchor not in anchors(target):
            bad.append(f"{href}: no heading #{anchor} in {_shown(target)}")
    return bad


@pytest.mark.parametrize("page", link_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_links_resolve(page: Path) -> None:
    assert broken_links(page) == []


def test_slugs_follow_github() -> None:
    seen: dict[str, int] = {}
    assert slug("Why an option ranks where it does: explain and compare", seen) == (
        "why-an-option-ranks-where-it-does-explain-and-compare"
    )
    assert slug("7. Errors, exit codes", seen) == "7-errors-exit-codes"
    assert slug("7. Errors, exit codes", seen) == "7-errors-exit-codes-1"


def test_a_broken_link_is_caught(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("## A heading: `with code`\n")
    page = tmp_path / "page.md"
    page.write_text(
        "# Top\n\n[ok](#top) [gone](missing.md) [no](other.md#nowhere)"
        " [yes](other.md#a-heading-with-code)\n"
    )
    assert len(broken_links(page)) == 2
