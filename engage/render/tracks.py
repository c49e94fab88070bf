"""`engage tracks`: per-track summary and the standalone agenda in every format."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engage.analysis.tracks import TrackReport, TrackSummary
from engage.render.common import (
    dumps_delimited,
    dumps_json,
    dumps_ndjson,
    envelope,
    fixed,
    markdown_table,
    number,
)
from engage.render.markup import md_code, md_text
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
    }


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
    rows = [list(track_row(report, t).values()) for t in report.tracks]
    return dumps_delimited(header, rows, tsv=tsv)


def _linkage(report: TrackReport, value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _cells(report: TrackReport, t: TrackSummary) -> list[str]:
    unit = report.ranking.lens.score_unit
    return [
        t.track,
        str(t.count),
        t.best.option.id if t.best else "–",
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
        f"  {r.option.track}: {r.option.id} ({fixed(r.score, unit)}; "
        f"{linkage.id} {number(r.option.scores[linkage.id].value)})"
        for r in standalone.rows
    ]


def _lens_line(report: TrackReport) -> str:
    model, lens = report.ranking.model, report.ranking.lens
    weights = ", ".join(
        f"{c} {_weight(w)}" for c, w in zip(model.criterion_ids, lens.weights, strict=True)
    )
    screened = len(report.ranking.screened_out)
    line = f"method {lens.method} ({lens.score_unit}), profile {lens.profile}: {weights}"
    return line + (f"; {screened} screened out" if screened else "")


def _weight(w: float) -> str:
    return f"{w:.3f}".rstrip("0").rstrip(".") if w else "0"


def to_markdown(report: TrackReport) -> str:
    header = ["track", "count", "best", "score", _linkage_header(report)]
    rows = []
    for t in report.tracks:
        cells = _cells(report, t)
        if t.best is not None:
            cells[2] = md_code(cells[2])
        rows.append(cells)
    head, *picks = standalone_lines(report)
    parts = [markdown_table(header, rows, "lrlrr"), md_text(head) + "\n"]
    if picks:
        parts.append("".join(f"- {md_text(line)}\n" for line in picks))
    parts.append(f"_{md_text(_lens_line(report))}_\n")
    return "\n".join(parts)


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
        Text(_lens_line(report), style="dim"),
    )
