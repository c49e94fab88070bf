"""`engage tracks`: per-track summary and the standalone agenda in every format."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engage.analysis.tracks import TrackReport, TrackSummary
from engage.core.model import Criterion, Option
from engage.render.common import (
    any_unknown,
    dumps_delimited,
    dumps_json,
    dumps_ndjson,
    envelope,
    fixed,
    markdown_table,
    number,
    score_cell,
    short_weight,
    unknown_cell,
    unknown_keys,
    unknown_lines,
    unknown_mark,
)
from engage.render.markup import Markup, md_code, md_text
from engage.render.rank import lens_keys

if TYPE_CHECKING:
    from rich.console import RenderableType


def track_row(report: TrackReport, t: TrackSummary) -> dict[str, Any]:
    return {
        "track": t.track,
        "count": t.count,
        "best": t.best.option.id if t.best else None,
        "best_score": t.best.score if t.best else None,
        "mean_linkage": t.mean_linkage,
        "screened_out": t.screened_out,
        # the best option's unknown scores (docs/output.md#unknown-scores)
        **(unknown_keys(t.best.option, _criteria(report), "best_unknown") if t.best else {}),
    }


def _criteria(report: TrackReport) -> tuple[Criterion, ...]:
    return report.ranking.model.criteria


def bests(report: TrackReport) -> list[Option]:
    """The options the tracks list: each track's best (the standalone agenda's among them)."""
    return [t.best.option for t in report.tracks if t.best is not None]


def payload(report: TrackReport) -> dict[str, Any]:
    standalone = report.standalone
    return envelope(
        "tracks",
        **lens_keys(report.ranking),
        linkage=report.linkage.id if report.linkage else None,
        tracks=[track_row(report, t) for t in report.tracks],
        standalone=(
            {
                "max_linkage": standalone.max_linkage,
                "options": [r.option.id for r in standalone.rows],
                "total": standalone.total,
            }
            if standalone is not None
            else None
        ),
    )


def to_json(report: TrackReport) -> str:
    return dumps_json(payload(report))


def to_ndjson(report: TrackReport) -> str:
    return dumps_ndjson(track_row(report, t) for t in report.tracks)


def to_delimited(report: TrackReport, *, tsv: bool) -> str:
    header = ["track", "count", "best", "best_score", "mean_linkage", "screened_out"]
    full = [track_row(report, t) for t in report.tracks]
    rows = [[row[k] for k in header] for row in full]
    if any_unknown(bests(report)):
        header.append("best_unknown")
        for row, t in zip(rows, report.tracks, strict=True):
            row.append(unknown_cell(t.best.option, _criteria(report)) if t.best else "")
    return dumps_delimited(header, rows, tsv=tsv)


def _linkage(report: TrackReport, value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _cells(report: TrackReport, t: TrackSummary) -> list[str]:
    unit = report.ranking.lens.score_unit
    return [
        t.track,
        str(t.count),
        t.best.option.id + unknown_mark(t.best.option) if t.best else "–",
        fixed(t.best.score, unit) if t.best else "–",
        _linkage(report, t.mean_linkage),
    ]


def standalone_lines(report: TrackReport) -> list[str]:
    standalone, linkage = report.standalone, report.linkage
    if standalone is None or linkage is None:
        return ["no standalone agenda: the model has no criterion with role 'linkage'"]
    unit = report.ranking.lens.score_unit
    head = (
        f"standalone agenda ({linkage.id} ≤ {number(standalone.max_linkage)}): "
        f"{len(standalone.rows)} option{'s' if len(standalone.rows) != 1 else ''}, "
        f"total {fixed(standalone.total, unit)}"
    )
    return [head] + [
        f"  {r.option.track}: {r.option.id}{unknown_mark(r.option)} ({fixed(r.score, unit)}; "
        f"{linkage.id} {score_cell(r.option.scores[linkage.id])})"
        for r in standalone.rows
    ]


def _lens_line(report: TrackReport) -> str:
    model, lens = report.ranking.model, report.ranking.lens
    weights = ", ".join(
        f"{c} {short_weight(w)}" for c, w in zip(model.criterion_ids, lens.weights, strict=True)
    )
    screened = len(report.ranking.screened_out)
    line = f"method {lens.method} ({lens.score_unit}), profile {lens.profile}: {weights}"
    return line + (f"; {screened} screened out" if screened else "")


def to_markdown(report: TrackReport) -> str:
    header = ["track", "count", "best", "score", _linkage_header(report)]
    rows = []
    for t in report.tracks:
        cells: list[Any] = _cells(report, t)
        if t.best is not None:
            cells[2] = Markup(md_code(t.best.option.id) + unknown_mark(t.best.option))
        rows.append(cells)
    head, *picks = standalone_lines(report)
    parts = [markdown_table(header, rows, "lrlrr"), md_text(head) + "\n"]
    if picks:
        parts.append("".join(f"- {md_text(line)}\n" for line in picks))
    parts += [f"_{md_text(line)}_\n" for line in notes(report)]
    return "\n".join(parts)


def notes(report: TrackReport) -> list[str]:
    """The lines under the table: the lens, and which best options have unknown scores."""
    return [_lens_line(report), *unknown_lines(bests(report), _criteria(report))]


def _linkage_header(report: TrackReport) -> str:
    return f"mean {report.linkage.id}" if report.linkage else "mean linkage"


def table(report: TrackReport, width: int) -> RenderableType:
    """One row per track (empty ones too), then the standalone agenda and the lens."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    title = Text(f"{report.ranking.model.title}: tracks")
    grid = Table(
        box=box.SIMPLE_HEAD, title=title, title_justify="left", show_edge=False, pad_edge=False
    )
    grid.add_column("track", no_wrap=True)
    grid.add_column("count", justify="right", no_wrap=True)
    grid.add_column("best")
    grid.add_column("score", justify="right", no_wrap=True)
    grid.add_column(_linkage_header(report), justify="right", no_wrap=True)
    for t in report.tracks:
        cells = _cells(report, t)
        grid.add_row(*(Text(c) for c in cells), style="dim" if t.count == 0 else None)
    lines = standalone_lines(report)
    return Group(
        grid,
        Text("\n".join(lines) + "\n"),
        Text("\n".join(notes(report)), style="dim"),
    )
