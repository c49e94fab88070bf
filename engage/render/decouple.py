"""`engage decouple`: the linkage lens in every format."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engage.analysis.decouple import Decoupling, Delivery
from engage.render.common import (
    any_unknown,
    dumps_delimited,
    dumps_json,
    dumps_ndjson,
    envelope,
    markdown_table,
    number,
    unknown_cell,
    unknown_keys,
    unknown_lines,
    unknown_mark,
)
from engage.render.markup import Markup, md_code, md_text

if TYPE_CHECKING:
    from rich.console import RenderableType

BAR_WIDTH = 10
FORMULA = (
    "if linked = 100·b·f·(1 − s·l), standalone = 100·b·f·(1 − s·l₀), dividend = 100·b·f·s·(l − l₀)",
    "b, f, l: benefit, feasibility, linkage rescaled to 0–1; l₀: intrinsic linkage; "
    "s: stall probability",
)

UPPER_BOUND = "the dividend is an upper bound: decoupling is assumed to cost nothing"


def points(x: float) -> str:
    return f"{x:.2f}"


def option_row(result: Decoupling, row: Delivery) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": row.option.id,
        "title": row.option.title,
        "track": row.option.track,
        "delivered_linked": row.delivered_linked,
        "delivered_standalone": row.delivered_standalone,
        "dividend": row.dividend,
        "rank_linked": row.rank_linked,
        "rank_standalone": row.rank_standalone,
        "rescaled": {
            "benefit": row.benefit,
            "feasibility": row.feasibility,
            "linkage": row.linkage,
            "intrinsic": row.intrinsic,
        },
    }
    if result.sweep is not None:
        out["rank_at_0"] = result.sweep.ranks_at_0[row.option.id]
        out["rank_at_1"] = result.sweep.ranks_at_1[row.option.id]
    return out | unknown_keys(row.option, result.model.criteria)


def payload(result: Decoupling) -> dict[str, Any]:
    r = result.roles
    document = envelope(
        "decouple",
        model=result.model.title,
        score_unit="points",
        stall_probability=result.stall_probability,
        roles={"benefit": r.benefit.id, "feasibility": r.feasibility.id, "linkage": r.linkage.id},
        options=[option_row(result, row) for row in result.rows],
        tracks={
            t.track: {
                "delivered_linked": t.delivered_linked,
                "delivered_standalone": t.delivered_standalone,
                "dividend": t.dividend,
            }
            for t in result.tracks
        },
        screened_out=[
            {"id": s.option.id, "rule": s.rule, "value": s.value} for s in result.screened_out
        ],
        ties=[list(t) for t in result.ties],
    )
    if result.sweep is not None:
        document["crossings"] = [
            {"p": c.p, "overtaker": c.overtaker, "overtaken": c.overtaken}
            for c in result.sweep.crossings
        ]
    return document


def to_json(result: Decoupling) -> str:
    return dumps_json(payload(result))


def to_ndjson(result: Decoupling) -> str:
    return dumps_ndjson(option_row(result, row) for row in result.rows)


def to_delimited(result: Decoupling, *, tsv: bool) -> str:
    header = [
        "rank_linked",
        "id",
        "title",
        "track",
        "delivered_linked",
        "delivered_standalone",
        "dividend",
        "rank_standalone",
    ]
    sweep = result.sweep
    if sweep is not None:
        header += ["rank_at_0", "rank_at_1"]
    marked = any_unknown(row.option for row in result.rows)
    if marked:
        header.append("unknown")
    rows = []
    for row in result.rows:
        o = row.option
        cells: list[Any] = [row.rank_linked, o.id, o.title, o.track, row.delivered_linked]
        cells += [row.delivered_standalone, row.dividend, row.rank_standalone]
        if sweep is not None:
            cells += [sweep.ranks_at_0[o.id], sweep.ranks_at_1[o.id]]
        if marked:
            cells.append(unknown_cell(o, result.model.criteria))
        rows.append(cells)
    return dumps_delimited(header, rows, tsv=tsv)


def footer_lines(result: Decoupling) -> list[str]:
    shown = len(result.rows)
    count = f"{result.total} options" + (f", {shown} shown" if shown != result.total else "")
    if result.screened_out:
        count += f", {len(result.screened_out)} screened out"
    lines = [*FORMULA, UPPER_BOUND, count]
    if result.ties:
        lines.append("ties: " + "; ".join(" = ".join(t) for t in result.ties))
    lines += [
        f"screened out: {s.option.id} ({s.rule}; it has {number(s.value)})"
        for s in result.screened_out
    ]
    return lines + unknown_lines((row.option for row in result.rows), result.model.criteria)


def crossing_lines(result: Decoupling) -> list[str]:
    sweep = result.sweep
    if sweep is None:
        return []
    n = len(sweep.crossings)
    head = f"as the stall probability goes from 0 to 1: {n} overtaking{'s' if n != 1 else ''}"
    return [head] + [
        f"p = {c.p:.4f}  {c.overtaker} overtakes {c.overtaken}" for c in sweep.crossings
    ]


def to_markdown(result: Decoupling) -> str:
    sweep = result.sweep
    header = ["#", "id", "track", "if linked", "standalone", "# standalone", "dividend"]
    if sweep is not None:
        header += ["# at p=0", "# at p=1"]
    rows = []
    for row in result.rows:
        name = Markup(md_code(row.option.id) + unknown_mark(row.option))
        cells: list[Any] = [row.rank_linked, name, row.option.track]
        cells += [points(row.delivered_linked), points(row.delivered_standalone)]
        cells += [row.rank_standalone, points(row.dividend)]
        if sweep is not None:
            cells += [sweep.ranks_at_0[row.option.id], sweep.ranks_at_1[row.option.id]]
        rows.append(cells)
    title = f"Stall probability {number(result.stall_probability)}\n\n"
    text = title + markdown_table(header, rows, "rll" + "r" * (len(header) - 3))
    text += "\n" + markdown_table(
        ["track", "if linked", "standalone", "dividend"],
        [
            [
                t.track,
                points(t.delivered_linked),
                points(t.delivered_standalone),
                points(t.dividend),
            ]
            for t in result.tracks
        ],
        "lrrr",
    )
    if sweep is not None:
        text += "\n" + markdown_table(
            ["p", "overtaker", "overtaken"],
            [[f"{c.p:.6g}", md_code(c.overtaker), md_code(c.overtaken)] for c in sweep.crossings],
            "rll",
        )
    return text + "\n" + "\n".join(f"- {md_text(line)}" for line in footer_lines(result)) + "\n"


def table(result: Decoupling, width: int) -> RenderableType:
    """The options by delivered-if-linked with bars, the track totals, the sweep."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    title = Text(
        f"{result.model.title}: delivered if linked vs standalone, "
        f"stall probability {number(result.stall_probability)}"
    )
    grid = Table(
        box=box.SIMPLE_HEAD, title=title, title_justify="left", show_edge=False, pad_edge=False
    )
    columns = _columns(result, width)
    for name in columns:
        if name in ("linked bar", "dividend bar"):
            grid.add_column("", width=BAR_WIDTH, no_wrap=True)
        else:
            grid.add_column(
                name,
                justify="left" if name in ("id", "track") else "right",
                no_wrap=name != "id",
                overflow="fold",
            )
    top_dividend = max((r.dividend for r in result.rows), default=0.0) or 1.0
    for row in result.rows:
        cells = _cells(result, row, top_dividend)
        grid.add_row(*(cells[name] for name in columns))
    totals = Table(
        box=box.SIMPLE_HEAD,
        title=Text("per track"),
        title_justify="left",
        show_edge=False,
        pad_edge=False,
    )
    for name in ("track", "if linked", "standalone", "dividend"):
        totals.add_column(name, justify="left" if name == "track" else "right", no_wrap=True)
    for t in result.tracks:
        totals.add_row(
            Text(t.track),
            points(t.delivered_linked),
            points(t.delivered_standalone),
            points(t.dividend),
        )
    parts: list[RenderableType] = [grid, Text(""), totals, Text("")]
    if result.sweep is not None:
        parts.append(Text("\n".join(crossing_lines(result)) + "\n"))
    lines = footer_lines(result)
    if "dividend bar" in columns:
        lines.append(
            f"bars: if linked on 0–100; dividend relative to the largest ({points(top_dividend)})"
        )
    parts.append(Text("\n".join(lines), style="dim"))
    return Group(*parts)


def _columns(result: Decoupling, width: int) -> list[str]:
    """The columns that fit: the numbers always; then a bar, the other bar, the track."""
    columns = ["#", "id", "if linked", "standalone", "# alone", "dividend"]
    if result.sweep is not None:
        columns += ["# p=0", "# p=1"]
    rows = result.rows
    sizes = {
        "#": max((len(str(r.rank_linked)) for r in rows), default=1),
        "id": max((len(r.option.id + unknown_mark(r.option)) for r in rows), default=2),
        "track": max((len(r.option.track) for r in rows), default=5),
        "linked bar": BAR_WIDTH,
        "dividend bar": BAR_WIDTH,
    }
    # every column after the first costs its padding: 3 characters
    used = sum(max(sizes.get(c, 0), len(c)) for c in columns) + 3 * (len(columns) - 1)
    for extra, after in (
        ("linked bar", "if linked"),
        ("dividend bar", "dividend"),
        ("track", "id"),
    ):
        cost = max(sizes[extra], len(extra) if extra == "track" else 0) + 3
        if used + cost <= width:
            columns.insert(columns.index(after) + 1, extra)
            used += cost
    return columns


def _cells(result: Decoupling, row: Delivery, top_dividend: float) -> dict[str, RenderableType]:
    from rich.bar import Bar
    from rich.text import Text

    cells: dict[str, RenderableType] = {
        "#": str(row.rank_linked),
        "id": Text(row.option.id + unknown_mark(row.option), style="bold"),
        "track": Text(row.option.track),
        "if linked": points(row.delivered_linked),
        "linked bar": _bar(Bar, row.delivered_linked, "cyan"),
        "standalone": points(row.delivered_standalone),
        "# alone": str(row.rank_standalone),
        "dividend": points(row.dividend),
        "dividend bar": _bar(Bar, row.dividend * 100 / top_dividend, "yellow"),
    }
    if result.sweep is not None:
        cells["# p=0"] = str(result.sweep.ranks_at_0[row.option.id])
        cells["# p=1"] = str(result.sweep.ranks_at_1[row.option.id])
    return cells


def _bar(bar: Any, value: float, color: str) -> Any:
    return bar(size=100, begin=0, end=max(0.0, min(value, 100.0)), width=BAR_WIDTH, color=color)
