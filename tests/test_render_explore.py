"""The panes of `engage explore` as text: bars, interval lines, marks, the saved block."""

from __future__ import annotations

import io
import tomllib
from dataclasses import replace

from rich.console import Console

from engage.analysis.explore import Explorer, TopInterval
from engage.core.ranking import resolve_lens
from engage.io.loader import load
from engage.render import explore as render
from tests.conftest import OPTIONS


def text_of(renderable: object, width: int = 80) -> str:
    console = Console(width=width, color_system=None, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def test_change_marks() -> None:
    assert [render.change_mark(c) for c in (3, 0, -12)] == ["▲3", "·", "▼12"]


def test_the_weight_bar_shows_a_move_of_0_01() -> None:
    assert render.weight_bar(0.45, 10) == "████▌     "
    assert render.weight_bar(0.46, 10) != render.weight_bar(0.45, 10)
    assert render.weight_bar(0.0, 4) == "    "
    assert render.weight_bar(1.0, 4) == "████"


def test_the_interval_line_marks_its_ends_and_the_weight() -> None:
    line = render.interval_line(TopInterval("b", 0.45, 0.0, 0.744, None, "h"), 10)
    assert line == "├───●──┤  "
    assert render.interval_line(TopInterval("b", 0.2, 0.0, 1.0, None, None), 10) == "├─●──────┤"
    assert render.interval_text(TopInterval("b", 0.45, 0.0877, 1.0, "h", None)) == [
        "stays top 0.088–1",
        "below: h",
    ]


def explorer() -> Explorer:
    option_set = load([str(OPTIONS)])
    return Explorer(option_set, resolve_lens(option_set.model))


def test_the_ranking_table_shows_only_the_rows_asked_for_and_marks_the_selected() -> None:
    e = explorer()
    shown = text_of(render.ranking_table(e.standing(), e.model, 2, 3, 3, 80)).splitlines()
    assert len(shown) == 2 + 3
    assert shown[0].split() == ["#", "Δ", "id", "title", "ben↑", "fea↑", "lin↓", "points"]
    assert shown[2].split()[:3] == ["3", "·", "un-cash-shipments"]
    assert shown[3].split()[:3] == ["▶4", "·", "community-education"]  # first of a four-way tie
    assert all(len(line) <= 80 for line in shown)


def test_a_narrow_ranking_drops_the_title_before_the_numbers() -> None:
    e = explorer()
    shown = text_of(render.ranking_table(e.standing(), e.model, 0, 2, 0, 60), 60).splitlines()
    assert shown[0].split() == ["#", "Δ", "id", "ben↑", "fea↑", "lin↓", "points"]


def test_the_weights_panel_names_the_top_and_each_interval() -> None:
    e = explorer()
    shown = text_of(render.weights_panel(e, e.intervals(), 1), 32)
    assert "top: humanitarian-ringfence" in shown
    assert "▶ Feasibility ↑" in shown
    assert "stays top 0–0.516" in shown  # as engage sensitivity says
    assert "above: tapi-herat" in shown


def test_user_text_is_not_read_as_markup() -> None:
    option_set = load([str(OPTIONS)])
    first = replace(option_set.options[0], title="[draft] [b]X[/b]", track="[red]")
    model = replace(option_set.model, title="[bold]Ours", tracks=None)
    option_set = replace(option_set, model=model, options=(first, *option_set.options[1:]))
    e = Explorer(option_set, resolve_lens(option_set.model))
    k = next(k for k, r in enumerate(e.standing().rows) if r.option is first)
    shown = text_of(render.ranking_table(e.standing(), e.model, k, 1, k, 120), 120)
    assert "[draft] [b]X[/b]" in shown
    assert "[red]" in shown
    assert text_of(render.status(e)).startswith("[bold]Ours · weighted-sum")


def test_the_profile_block_reads_back_with_the_weights_at_full_precision() -> None:
    e = explorer()
    e.move(0, 0.01)
    text = render.profile_block(e.model, "room-2", e.lens.weights, "pragmatic")
    assert text.startswith("# Saved by engage explore")
    weights = tomllib.loads(text)["profiles"]["room-2"]["weights"]
    assert tuple(weights.values()) == e.lens.weights


def test_the_baseline_shows_under_the_rows_at_rank_s_score_and_unknown_scores_are_marked() -> None:
    """As `rank` shows them: the baseline apart (``base``, never ranked), at the score rank
    gives it under the same lens, and an unknown score as its working value with ``?``."""
    from engage.core.ranking import rank
    from engage.render.common import fixed

    option_set = load([str(OPTIONS)])
    explorer = Explorer(option_set, resolve_lens(option_set.model))
    for _ in range(2):  # and again after a weight moved
        base = explorer.baseline()
        assert base is not None
        ranking = rank(option_set, explorer.lens)
        assert ranking.baseline is not None
        assert base.score == ranking.baseline.score
        standing = explorer.standing()
        n = len(standing.rows)
        lines = text_of(
            render.ranking_table(standing, explorer.model, 0, n, 0, 120, base), 120
        ).splitlines()
        assert len(lines) == 2 + n + 1  # heading, rule, every row, the baseline
        last = lines[-1].split()
        assert last[:2] == ["base", option_set.model.baseline]
        assert fixed(base.score, "points") in last
        assert base.option.id not in [r.option.id for r in standing.rows]
        unknown = [r.option for r in standing.rows if r.option.unknown(explorer.model.criteria)]
        assert unknown
        for row_line, row in zip(lines[2:-1], standing.rows, strict=True):
            marked = "?" in row_line.replace(row.option.title, "")
            assert marked == bool(row.option.unknown(explorer.model.criteria)), row_line
        explorer.move(0, 0.1)
    no_base = replace(option_set, model=replace(option_set.model, baseline=None))
    assert Explorer(no_base, resolve_lens(no_base.model)).baseline() is None
