"""`engage rank`'s table for people: the ranking fitted to the terminal's width, with the
score bars, the baseline's row apart and the footer (the other formats: render/rank.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engage.methods import registry
from engage.render.common import fixed, score_cell
from engage.render.rank import footer_lines, marks, rank_in

if TYPE_CHECKING:
    from rich.console import RenderableType

    from engage.analysis.lenses import LensComparison
    from engage.core.ranking import Ranking


def table(comparison: LensComparison, width: int) -> RenderableType:
    """The comparison table with score bars and the footer, fitted to ``width``.

    The rank, id, criteria, score and the other lenses' ranks always show; the track, the
    bar and a title column are added while they fit. Without room for a title column,
    each title (and the track, if it has no column) goes on a dim line under the id
    instead of being cut.
    """
    from rich import box
    from rich.bar import Bar
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    ranking = comparison.lead
    model, unit = ranking.model, ranking.lens.score_unit
    low, high = registry.get(ranking.lens.method).score_range
    extra = comparison.rankings[1:]
    layout = _layout(comparison, width)
    lens = ranking.lens
    heading = f"{model.title}: ranked by {lens.method}, profile {lens.profile}"
    if extra:
        heading += f" (and {len(extra)} more lens{'es' * (len(extra) > 1)})"
    grid = Table(
        box=box.SIMPLE_HEAD,
        title=Text(heading),
        title_justify="left",
        show_edge=False,
        pad_edge=False,
    )
    grid.add_column("#", justify="right", no_wrap=True)
    if layout.title:
        grid.add_column("id", no_wrap=True)
        grid.add_column("title", width=layout.title, no_wrap=True, overflow="ellipsis")
    else:
        grid.add_column("option", width=layout.option)
    if layout.track:
        grid.add_column("track", no_wrap=True)
    for c, head in zip(model.criteria, layout.labels, strict=True):
        grid.add_column(Text(f"{head} {c.arrow}"), justify="right", width=len(head))
    grid.add_column("score", justify="right", no_wrap=True)
    for k in range(2, len(comparison.rankings) + 1):
        grid.add_column(f"L{k}", justify="right", no_wrap=True)
    if layout.bar:
        grid.add_column("", width=BAR_WIDTH, no_wrap=True)
    for r in ranking.rows:
        label = Text(r.option.id + marks(comparison, r), style="bold")
        cells: list[RenderableType] = [str(r.rank), label]
        if layout.title:
            cells.append(Text(r.option.title))
        else:
            under = r.option.title if layout.track else f"{r.option.track} · {r.option.title}"
            label.append("\n" + under, style="dim")
        if layout.track:
            cells.append(Text(r.option.track))
        cells += [score_cell(r.option.scores[c.id]) for c in model.criteria]
        cells.append(fixed(r.score, unit))
        cells += [str(rank_in(x, r.option.id)) for x in extra]
        if layout.bar:
            cells.append(
                Bar(size=high - low, begin=0, end=r.score - low, width=BAR_WIDTH, color="cyan")
            )
        grid.add_row(*cells)
    _baseline_row(grid, ranking, layout, len(extra))
    return Group(grid, Text("\n".join(_table_footer(comparison, layout)), style="dim"))


def _table_footer(comparison: LensComparison, layout: _Layout) -> list[str]:
    """:func:`footer_lines`, and what a shortened criterion header stands for."""
    criteria = comparison.lead.model.criteria
    cut = [f"{a}: {c.id}" for a, c in zip(layout.labels, criteria, strict=True) if a != c.id]
    return footer_lines(comparison) + (["criteria shortened to fit: " + ", ".join(cut)] * bool(cut))


def _baseline_row(grid: Any, ranking: Ranking, layout: _Layout, extra: int) -> None:
    """The baseline apart, under the ranked rows, marked ``baseline``, at its score."""
    from rich.text import Text

    base = ranking.baseline
    if base is None:
        return
    option = base.option
    label = Text(option.id, style="italic")
    label.append(" baseline", style="dim")
    cells: list[Any] = [Text("base", style="dim"), label]
    if layout.title:
        cells.append(Text(option.title))
    else:
        label.append("\n" + (option.title if layout.track else f"{option.track} · {option.title}"))
    if layout.track:
        cells.append(Text(option.track))
    cells += [score_cell(option.scores[c.id]) for c in ranking.model.criteria]
    cells.append(fixed(base.score, ranking.lens.score_unit))
    cells += ["" for _ in range(extra)]
    if layout.bar:
        cells.append(Text("baseline", style="dim"))
    grid.add_row(*cells, end_section=False)


BAR_WIDTH = 10
MIN_TITLE = 40


@dataclass(frozen=True)
class _Layout:
    track: bool
    bar: bool
    title: int  # width of the title column; 0 = titles under the ids
    option: int  # width of the id column when titles go under it
    labels: tuple[str, ...]  # the criteria's headers: their ids, or prefixes when too narrow


def _layout(comparison: LensComparison, width: int) -> _Layout:
    ranking = comparison.lead
    rows, unit = ranking.rows, ranking.lens.score_unit
    id_width = max((len(r.option.id + marks(comparison, r)) for r in rows), default=2)
    rank_width = len(str(max((r.rank for r in rows), default=1)))
    score_width = max((len(fixed(r.score, unit)) for r in rows), default=5)
    base = ranking.baseline
    if base is not None:  # its row reads "base", "ID baseline" (see _baseline_row)
        id_width = max(id_width, len(base.option.id + " baseline"))
        rank_width = max(rank_width, len("base"))
        score_width = max(score_width, len(fixed(base.score, unit)))
    labels = tuple(c.id for c in ranking.model.criteria)
    lenses = [max(3, len(str(ranking.total))) for _ in comparison.rankings[1:]]
    fixed_width = rank_width + id_width + sum(lenses) + max(score_width, 5)
    # every column after the first costs a divider and its padding: 3 characters
    fixed_width += 3 * (len(labels) + len(lenses) + 2)
    if fixed_width + sum(map(len, labels)) > width:
        labels = _short_labels(comparison)
    used = fixed_width + sum(map(len, labels))
    track_width = max((len(r.option.track) for r in rows), default=5) + 3
    track = used + track_width <= width
    used += track_width if track else 0
    bar = used + BAR_WIDTH + 3 <= width
    used += BAR_WIDTH + 3 if bar else 0
    room = width - used - 3
    if room >= MIN_TITLE:
        return _Layout(track, bar, room, id_width, labels)
    return _Layout(track, bar, 0, max(id_width, width - used + id_width), labels)


def _short_labels(comparison: LensComparison) -> tuple[str, ...]:
    """Each criterion's shortest prefix, of at least three characters, that no other
    criterion id starts with and that is as wide as the column's values (``feas``)."""
    ranking = comparison.lead
    criteria = ranking.model.criteria
    options = [r.option for r in ranking.rows]
    if ranking.baseline is not None:
        options.append(ranking.baseline.option)
    out = []
    for c in criteria:
        cells = max((len(score_cell(o.scores[c.id])) for o in options), default=1)
        n = max(3, cells)
        while n < len(c.id) and any(o.id != c.id and o.id.startswith(c.id[:n]) for o in criteria):
            n += 1
        out.append(c.id[:n])
    return tuple(out)
