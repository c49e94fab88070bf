"""No write goes through a symbolic link (docs/errors.md): `new`, `init`, `import` count a link
at a path they would create as an existing file, and `--force` replaces the link itself."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from engage.io.loader import load
from tests.conftest import OPTIONS, Run, option_toml

MakeSet = Callable[..., Path]
SHEET = "id,title,track,benefit,feasibility,linkage\na,Option A,security,1,2,3\n"
OUTSIDE_TEXT = option_toml("elsewhere", 1, 1, 1)
NEW = ["--title", "Option A", "--track", "security"]
SCORES = ["--score=benefit=1", "--score=feasibility=2", "--score=linkage=3"]


def command(kind: str, root: Path) -> tuple[list[str], Path]:
    """The arguments of a creating command and the path in the set it would write."""
    sheet = root.parent / "sheet.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    if kind == "new":
        return ["new", "a", "--set", str(root), *NEW, *SCORES], root / "a.toml"
    if kind == "import":
        return ["import", str(sheet), "--set", str(root)], root / "a.toml"
    return ["import", str(sheet), "--single", str(root / "all.toml")], root / "all.toml"


def plant(link: Path, kind: str) -> Path:
    """A link at ``link`` to a file outside the set: missing ("dangling") or present."""
    outside = link.parent.parent / "outside"
    outside.mkdir(exist_ok=True)
    target = outside / link.name
    if kind == "file":
        target.write_text(OUTSIDE_TEXT, encoding="utf-8")
    link.symlink_to(target)
    return target


def listing(directory: Path) -> dict[str, str]:
    """Every name in ``directory``: a link as '-> target', a file as its text."""
    return {
        p.name: f"-> {os.readlink(p)}" if p.is_symlink() else p.read_text(encoding="utf-8")
        for p in sorted(directory.iterdir())
    }


COMMANDS = ["new", "import", "import --single"]


@pytest.mark.parametrize("link_kind", ["dangling", "file"])
@pytest.mark.parametrize("kind", COMMANDS)
def test_a_link_is_an_existing_file(run: Run, make_set: MakeSet, kind: str, link_kind: str) -> None:
    root = make_set({})
    args, path = command(kind, root)
    target = plant(path, link_kind)
    before = listing(root), listing(target.parent)
    result = run(*args)
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {path} is a symbolic link; engage does not write through links (use --force "
        "to replace the link itself)\n",
    )
    assert (listing(root), listing(target.parent)) == before  # nothing created at the target


@pytest.mark.parametrize("link_kind", ["dangling", "file"])
@pytest.mark.parametrize("kind", COMMANDS)
def test_force_replaces_the_link_itself(
    run: Run, make_set: MakeSet, kind: str, link_kind: str
) -> None:
    root = make_set({})
    args, path = command(kind, root)
    target = plant(path, link_kind)
    outside_before = listing(target.parent)
    result = run(*args, "--force")
    assert result.exit_code == 0, result.stderr
    assert not path.is_symlink()
    assert path.is_file()
    assert listing(target.parent) == outside_before  # the old target untouched (or absent)
    assert [(o.id, o.title) for o in load([str(root)]).options] == [("a", "Option A")]
    assert sorted(listing(root)) == sorted(["engage.toml", path.name])  # no temporary file


@pytest.mark.parametrize("link_kind", ["dangling", "file"])
@pytest.mark.parametrize("name", ["engage.toml", "example-option.toml"])
def test_init_refuses_a_link_to_anywhere(
    run: Run, tmp_path: Path, name: str, link_kind: str
) -> None:
    """init has no --force (README Decisions): a link there is a set that has begun."""
    root = tmp_path / "set"
    root.mkdir()
    target = plant(root / name, link_kind)
    before = listing(root), listing(target.parent)
    result = run("init", str(root))
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {root / name} already exists (a symbolic link counts as a file); engage init "
        "writes nothing in a set that has begun\n",
    )
    assert (listing(root), listing(target.parent)) == before


# -- -o FILE ---------------------------------------------------------------------------------


@pytest.mark.parametrize("link_kind", ["dangling", "file"])
def test_output_replaces_a_link_not_its_target(run: Run, tmp_path: Path, link_kind: str) -> None:
    """-o LINK is replaced like any FILE (`sort -o` style): a regular file where the link
    was, written in the link's directory; the file it pointed to keeps its text."""
    here = tmp_path / "here"
    here.mkdir()
    target = plant(here / "out.txt", link_kind)
    outside_before = listing(target.parent)
    result = run("rank", str(OPTIONS), "-f", "ids", "-n", "1", "-o", str(here / "out.txt"))
    assert result.exit_code == 0, result.stderr
    assert listing(here) == {"out.txt": "humanitarian-ringfence\n"}
    assert listing(target.parent) == outside_before


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_output_to_a_descriptor_link_writes_into_it(run: Run, tmp_path: Path) -> None:
    """A link to an open descriptor, as /dev/stdout is, is a stream even when the
    descriptor is a regular file: it is written into, the link stays (run as root,
    replacing /dev/stdout itself would break every later `> /dev/stdout`)."""
    with (tmp_path / "captured").open("w+", encoding="utf-8") as handle:
        (tmp_path / "stdout").symlink_to(f"/proc/self/fd/{handle.fileno()}")
        result = run("rank", str(OPTIONS), "-f", "ids", "-n", "1", "-o", str(tmp_path / "stdout"))
        assert result.exit_code == 0, result.stderr
    assert (tmp_path / "stdout").is_symlink()
    assert (tmp_path / "captured").read_text(encoding="utf-8") == "humanitarian-ringfence\n"
    assert sorted(os.listdir(tmp_path)) == ["captured", "stdout"]
