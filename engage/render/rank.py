"""`engage rank`: the ranking in every format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engage.ranking import Ranked, Ranking
from engage.render.common import (
    dumps_delimited,
    dumps_json,
    dumps_ndjson,
    envelope,
    fixed,
    markdown_table,
    number,
)

if TYPE_CHECKING:
    from rich.console import RenderableType


def lens_keys(ranking: Ranking) -> dict[str, Any]:
    """The lens keys every scoring command's JSON carries (SPEC §6)."""
    model, lens = ranking.model, ranking.lens
    return {
        "model": model.title,
        "method": lens.method,
        "score_unit": lens.score_unit,
        "profile": lens.profile,
        "weights": dict(zip(model.criterion_ids, lens.weights, strict=True)),
    }


def option_row(ranking: Ranking, row: Ranked) -> dict[str, Any]:
    ids = ranking.model.criterion_ids
    option = row.option
    out: dict[str, Any] = {
        "rank": row.rank,
        "id": option.id,
        "title": option.title,
        "track": option.track,
        "score": row.score,
        "scores": {c: option.scores[c].value for c in ids},
        "contributions": (
            dict(zip(ids, row.contributions, strict=True))
            if row.contributions is not None
            else None
        ),
        "dominated_by": list(row.dominated_by),
    }
    if option.tags:
        out["tags"] = list(option.tags)
    if option.meta:
        out["meta"] = option.meta
    return out


def payload(ranking: Ranking) -> dict[str, Any]:
    return envelope(
        "rank",
        **lens_keys(ranking),
        options=[option_row(ranking, r) for r in ranking.rows],
        screened_out=[
            {"id": s.option.id, "rule": s.rule, "value": s.value} for s in ranking.screened_out
        ],
        ties=[list(t) for t in ranking.ties],
    )


def to_json(ranking: Ranking) -> str:
    return dumps_json(payload(ranking))


def to_ndjson(ranking: Ranking) -> str:
    return dumps_ndjson(option_row(ranking, r) for r in ranking.rows)


def to_delimited(ranking: Ranking, *, tsv: bool) -> str:
    ids = ranking.model.criterion_ids
    header = ["rank", "id", "title", "track", "score", *ids]
    rows = (
        [r.rank, r.option.id, r.option.title, r.option.track, r.score]
        + [r.option.scores[c].value for c in ids]
        for r in ranking.rows
    )
    return dumps_delimited(header, rows, tsv=tsv)


def to_ids(ranking: Ranking) -> str:
    return "".join(r.option.id + "\n" for r in ranking.rows)


def to_markdown(ranking: Ranking) -> str:
    model, unit = ranking.model, ranking.lens.score_unit
    header = ["#", "id", "title", "track", *(f"{c.id} {c.arrow}" for c in model.criteria), "score"]
    rows = [
        [r.rank, f"`{r.option.id}`", r.option.title, r.option.track]
        + [number(r.option.scores[c.id].value) for c in model.criteria]
        + [fixed(r.score, unit)]
        for r in ranking.rows
    ]
    align = "rlll" + "r" * len(model.criteria) + "r"
    return (
        markdown_table(header, rows, align)
        + "\n"
        + "\n".join(f"- {line}" for line in footer_lines(ranking))
        + "\n"
    )


def footer_lines(ranking: Ranking) -> list[str]:
    """The facts under the table: lens, count, ties, screened out, dominated."""
    model, lens = ranking.model, ranking.lens
    weights = ", ".join(
        f"{c} {_weight(w)}" for c, w in zip(model.criterion_ids, lens.weights, strict=True)
    )
    shown = len(ranking.rows)
    count = f"{ranking.total} ranked" + (f", {shown} shown" if shown != ranking.total else "")
    if ranking.screened_out:
        count += f", {len(ranking.screened_out)} screened out"
    lines = [f"method {lens.method} ({lens.score_unit}), profile {lens.profile}: {weights}", count]
    if ranking.ties:
        lines.append("ties: " + "; ".join(" = ".join(t) for t in ranking.ties))
    lines += [
        f"screened out: {s.option.id} ({s.rule}; it has {number(s.value)})"
        for s in ranking.screened_out
    ]
    dominated = sum(1 for r in ranking.rows if r.dominated_by)
    if dominated:
        undominated = [r.option.id for r in ranking.rows if not r.dominated_by]
        lines.append(
            f"† dominated (another option is at least as good on every criterion): {dominated}; "
            f"undominated: {', '.join(undominated) or 'none shown'}"
        )
    return lines


def _weight(w: float) -> str:
    return f"{w:.3f}".rstrip("0").rstrip(".") if w else "0"


def table(ranking: Ranking, width: int) -> RenderableType:
    """The comparison table with score bars and the footer, fitted to ``width``.

    The rank, id, criteria and score always show; the track, the bar and a title column
    are added while they fit. Without room for a title column, each title (and the
    track, if it has no column) goes on a dim line under the id instead of being cut.
    """
    from rich import box
    from rich.bar import Bar
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    model, unit = ranking.model, ranking.lens.score_unit
    low, high = {"points": (0.0, 100.0), "closeness": (0.0, 1.0), "net flow": (-1.0, 1.0)}[unit]
    rows = ranking.rows
    layout = _layout(ranking, width)
    title = Text(f"{model.title}: ranked by {ranking.lens.method}, profile {ranking.lens.profile}")
    grid = Table(
        box=box.SIMPLE_HEAD, title=title, title_justify="left", show_edge=False, pad_edge=False
    )
    grid.add_column("#", justify="right", no_wrap=True)
    if layout.title:
        grid.add_column("id", no_wrap=True)
        grid.add_column("title", width=layout.title, no_wrap=True, overflow="ellipsis")
    else:
        grid.add_column("option", width=layout.option)
    if layout.track:
        grid.add_column("track", no_wrap=True)
    for c in model.criteria:
        grid.add_column(Text(f"{c.id} {c.arrow}"), justify="right", width=len(c.id))
    grid.add_column("score", justify="right", no_wrap=True)
    if layout.bar:
        grid.add_column("", width=BAR_WIDTH, no_wrap=True)
    for r in rows:
        label = Text(r.option.id + (" †" if r.dominated_by else ""), style="bold")
        cells: list[RenderableType] = [str(r.rank), label]
        if layout.title:
            cells.append(Text(r.option.title))
        else:
            under = r.option.title if layout.track else f"{r.option.track} · {r.option.title}"
            label.append("\n" + under, style="dim")
        if layout.track:
            cells.append(Text(r.option.track))
        cells += [number(r.option.scores[c.id].value) for c in model.criteria]
        cells.append(fixed(r.score, unit))
        if layout.bar:
            cells.append(
                Bar(size=high - low, begin=0, end=r.score - low, width=BAR_WIDTH, color="cyan")
            )
        grid.add_row(*cells)
    footer = Text("\n".join(footer_lines(ranking)), style="dim")
    return Group(grid, footer)


BAR_WIDTH = 10
MIN_TITLE = 40


@dataclass(frozen=True)
class _Layout:
    track: bool
    bar: bool
    title: int  # width of the title column; 0 = titles under the ids
    option: int  # width of the id column when titles go under it


def _layout(ranking: Ranking, width: int) -> _Layout:
    rows, unit = ranking.rows, ranking.lens.score_unit
    id_width = max((len(r.option.id) + 2 for r in rows), default=2)
    rank_width = len(str(max((r.rank for r in rows), default=1)))
    score_width = max((len(fixed(r.score, unit)) for r in rows), default=5)
    criteria = [len(c.id) for c in ranking.model.criteria]
    # every column after the first costs a divider and its padding: 3 characters
    used = rank_width + id_width + sum(criteria) + max(score_width, 5) + 3 * (len(criteria) + 2)
    track_width = max((len(r.option.track) for r in rows), default=5) + 3
    track = used + track_width <= width
    used += track_width if track else 0
    bar = used + BAR_WIDTH + 3 <= width
    used += BAR_WIDTH + 3 if bar else 0
    room = width - used - 3
    if room >= MIN_TITLE:
        return _Layout(track, bar, room, id_width)
    return _Layout(track, bar, 0, max(id_width, width - used + id_width))
