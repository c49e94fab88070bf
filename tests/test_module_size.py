"""No module of engage over 400 lines (issue 15's rule): a module that grows past it holds
more than one concept and is split along the seam it already has."""

from __future__ import annotations

from pathlib import Path

ENGAGE = Path(__file__).resolve().parent.parent / "engage"
LIMIT = 400


def test_no_module_is_over_400_lines() -> None:
    sizes = {
        path.relative_to(ENGAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(ENGAGE.rglob("*.py"))
    }
    assert len(sizes) > 50  # the package was found
    assert {name: n for name, n in sizes.items() if n > LIMIT} == {}
