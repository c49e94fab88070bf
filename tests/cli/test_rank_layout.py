"""The rank table fits the terminal: at 80 columns and wider, on the shipped set, with one
lens or three, no header is cut and no line is longer than the width; when the criteria's
ids do not fit, their headers are shortened to unique prefixes and the footer says so."""

from __future__ import annotations

import pytest

from engage.io.loader import load
from tests.conftest import OPTIONS, Run

LENSES = {
    "one lens": [],
    "three profiles": ["-p", "pragmatic", "-p", "conditional", "-p", "standalone"],
    "three methods": ["-m", "weighted-sum", "-m", "topsis", "-m", "promethee"],
}
NOTE = "criteria shortened to fit: "


@pytest.mark.parametrize("width", [80, 100, 120])
@pytest.mark.parametrize("lenses", list(LENSES))
def test_the_rank_table_fits_without_cut_headers(
    run: Run, monkeypatch: pytest.MonkeyPatch, width: int, lenses: str
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("NO_COLOR", "1")
    result = run("rank", str(OPTIONS), *LENSES[lenses])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    rule = next(i for i, line in enumerate(lines) if line.startswith("─"))
    header = lines[:rule]
    assert not any("…" in line for line in header), header
    criteria = [c.id for c in load([str(OPTIONS)]).model.criteria]
    note = [line for line in lines if line.startswith(NOTE)]
    if note:  # each shortened header is a unique prefix of the criterion it names
        pairs = dict(part.split(": ") for part in note[0].removeprefix(NOTE).split(", "))
        assert set(pairs.values()) <= set(criteria)
        for short, full in pairs.items():
            assert full.startswith(short)
            assert len(short) >= 3
            assert [c for c in criteria if c.startswith(short)] == [full]
            assert short in header[-2]  # the criteria's header line
    else:
        assert all(c in "\n".join(header) for c in criteria)


def test_one_lens_at_80_columns_keeps_the_full_criterion_ids(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = run("rank", str(OPTIONS))
    assert NOTE not in result.stdout
    assert "feasibility" in result.stdout.splitlines()[1]
