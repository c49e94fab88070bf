"""`engage sensitivity`: weight intervals with a tornado chart, and score tie changes."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from engage.core.model import Criterion
from engage.methods import registry
from engage.render.common import (
    dumps_json,
    envelope,
    fixed,
    markdown_table,
    unknown_keys,
    unknown_lines,
    unknown_mark,
)
from engage.render.markup import md_code, md_text
from engage.render.rank import lens_keys

if TYPE_CHECKING:
    from rich.console import RenderableType

    from engage.analysis.sensitivity import ScoreTie, Sensitivity, WeightSensitivity

BAR_WIDTH = 20
FILLED, AXIS, MARK = "█", "─", "┃"
NONE = "—"


# -- JSON ------------------------------------------------------------------------------


def payload(result: Sensitivity) -> dict[str, Any]:
    """docs/output.md's sensitivity document with the lens keys."""
    ranking = result.ranking
    ids, criteria = ranking.model.criterion_ids, ranking.model.criteria
    return envelope(
        "sensitivity",
        **lens_keys(ranking),
        top=result.top.option.id,
        **unknown_keys(result.top.option, criteria, "top_unknown"),
        tolerance=result.tolerance,
        criteria={
            w.criterion: {
                "weight": w.weight,
                "top_interval": list(w.top_interval),
                "taken_over_below": w.taken_over_below,
                "taken_over_above": w.taken_over_above,
                "stable_interval": list(w.stable_interval),
            }
            for w in result.criteria
        },
        score_ties=[
            {
                "rival": tie.rival.option.id,
                "changes": {
                    c: {"top": top, "rival": rival}
                    for c, (top, rival) in zip(ids, tie.changes, strict=True)
                },
                **unknown_keys(tie.rival.option, criteria, "rival_unknown"),
            }
            for tie in result.score_ties
        ],
        screened_out=[
            {"id": s.option.id, "rule": s.rule, "value": s.value} for s in ranking.screened_out
        ],
    )


def to_json(result: Sensitivity) -> str:
    return dumps_json(payload(result))


# -- text shared by the table and Markdown ------------------------------------------------


def minus(text: str) -> str:
    return text.replace("-", "−")


def weight_text(w: float) -> str:
    return f"{w:.3f}"


def interval_text(interval: tuple[float, float]) -> str:
    lo, hi = interval
    if lo == hi:
        return f"{weight_text(lo)} only"
    return f"{weight_text(lo)}–{weight_text(hi)}"


def change_text(delta: float | None, c: Criterion) -> str:
    """A signed change in the criterion's raw units, or — when the scale cannot reach it."""
    if delta is None:
        return NONE
    d = max(0, 3 - math.ceil(math.log10(c.hi - c.lo)))
    return minus(f"{delta:+.{d}f}")


def heading(result: Sensitivity) -> str:
    lens = result.ranking.lens
    return (
        f"{result.ranking.model.title}: how far each weight can move "
        f"({lens.method}, profile {lens.profile})"
    )


def top_line(result: Sensitivity) -> str:
    unit = result.ranking.lens.score_unit
    top = result.top
    name = top.option.id + unknown_mark(top.option)
    text = f"top option: {name} ({minus(fixed(top.score, unit))} {unit})"
    rows = result.ranking.rows
    if len(rows) > 1:
        gap = top.score - rows[1].score
        text += f", {fixed(gap, 'closeness' if unit != 'points' else unit)} ahead of "
        text += rows[1].option.id
    return text


def takeover_lines(w: WeightSensitivity) -> list[str]:
    lines = []
    if w.taken_over_below is not None:
        lines.append(f"below: {w.taken_over_below}")
    if w.taken_over_above is not None:
        lines.append(f"above: {w.taken_over_above}")
    if lines:
        return lines
    return ["none: top from 0 to 1"] if w.top_interval == (0.0, 1.0) else ["none: it cannot move"]


def notes(result: Sensitivity) -> list[str]:
    """The lines under the tables: how to read them and how exact they are."""
    model, lens = result.ranking.model, result.ranking.lens
    weights = ", ".join(
        f"{c} {w:g}" for c, w in zip(model.criterion_ids, lens.weights, strict=True)
    )
    lines = [
        f"method {lens.method} ({lens.score_unit}), profile {lens.profile}: {weights}",
        "one weight moves from 0 to 1 and the others keep their proportions; at an "
        "interval's end two options tie",
    ]
    if result.tolerance:
        lines.append(
            f"{lens.method} is not linear in the weights: interval ends found numerically "
            f"to {result.tolerance:g}"
        )
    else:
        lines.append("interval ends are exact: scores move in straight lines with the weight")
    if len(result.criteria) == 1:
        lines.append("with one criterion its weight is always 1")
    elif any(w.stable_interval[0] == w.stable_interval[1] for w in result.criteria):
        ties = "; ".join(" = ".join(t) for t in result.ranking.ties)
        lines.append(
            f"'only': the current weights sit on a tie that moving this weight splits ({ties})"
        )
    listed = [result.top.option, *(tie.rival.option for tie in result.score_ties)]
    return lines + unknown_lines(listed, model.criteria)


def tie_header(result: Sensitivity) -> list[str]:
    return ["rival", "rank", "gap", *(f"{c.id} {c.arrow}" for c in result.ranking.model.criteria)]


def tie_cells(result: Sensitivity, tie: ScoreTie) -> list[str]:
    unit = result.ranking.lens.score_unit
    gap = fixed(result.top.score - tie.rival.score, "closeness" if unit != "points" else unit)
    cells = [tie.rival.option.id + unknown_mark(tie.rival.option), str(tie.rival.rank), gap]
    for c, (top, rival) in zip(result.ranking.model.criteria, tie.changes, strict=True):
        cells.append(f"{change_text(top, c)} / {change_text(rival, c)}")
    return cells


def tie_note(result: Sensitivity) -> str:
    text = (
        f"Each cell: the change of {result.top.option.id}'s one score / of the rival's one "
        f"score (raw units) that makes the two tie; {NONE}: no value in the scale is enough."
    )
    if not registry.get(result.ranking.lens.method).exact_value_changes:
        text += " Found by re-scoring every option (the other scores move too)."
    return text


# -- Markdown ------------------------------------------------------------------------------


def to_markdown(result: Sensitivity) -> str:
    model = result.ranking.model
    out = [f"## {md_text(heading(result))}", "", md_text(top_line(result)), ""]
    header = ["criterion", "weight", "top stays top", "taken over below", "taken over above"]
    header.append("no rank change")
    rows = [
        [
            f"{c.id} {c.arrow}",
            weight_text(w.weight),
            interval_text(w.top_interval),
            md_code(w.taken_over_below) if w.taken_over_below else NONE,
            md_code(w.taken_over_above) if w.taken_over_above else NONE,
            interval_text(w.stable_interval),
        ]
        for c, w in zip(model.criteria, result.criteria, strict=True)
    ]
    out.append(markdown_table(header, rows, "lrrllr"))
    if result.score_ties:
        rows = [tie_cells(result, tie) for tie in result.score_ties]
        out.append(markdown_table(tie_header(result), rows, "lrr" + "r" * len(model.criteria)))
        out += [f"*{md_text(tie_note(result))}*", ""]
    out += [f"- {md_text(line)}" for line in notes(result)]
    return "\n".join(out) + "\n"


# -- the table -------------------------------------------------------------------------------


def tornado(interval: tuple[float, float], weight: float, width: int = BAR_WIDTH) -> str:
    """One bar on a 0–1 axis: the interval filled, the current weight marked.

    Each of the ``width`` cells covers 1/width of the axis and is filled when the
    interval covers at least half of it; the cell holding the weight shows the mark.
    """
    lo, hi = interval
    cells = []
    for k in range(width):
        a, b = k / width, (k + 1) / width
        covered = max(0.0, min(hi, b) - max(lo, a))
        cells.append(FILLED if covered >= 0.5 / width else AXIS)
    cells[min(int(weight * width), width - 1)] = MARK
    return "".join(cells)


def table(result: Sensitivity, width: int) -> RenderableType:
    """The tornado table, the score-tie table and the notes."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    model = result.ranking.model
    bar_width = _bar_width(result, width)
    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    grid.add_column("criterion", no_wrap=True)
    grid.add_column("weight", justify="right", no_wrap=True)
    grid.add_column("from", justify="right", no_wrap=True)
    axis = Text(f"{'top stays':^{bar_width}}\n0{' ' * (bar_width - 2)}1")
    grid.add_column(axis, no_wrap=True)
    grid.add_column("to", no_wrap=True)
    grid.add_column(Text("no rank\nchange", justify="right"), justify="right", no_wrap=True)
    grid.add_column(Text("taken over\npast the ends"), overflow="fold")
    for c, w in zip(model.criteria, result.criteria, strict=True):
        bar = Text(tornado(w.top_interval, w.weight, bar_width), style="cyan")
        mark = min(int(w.weight * bar_width), bar_width - 1)
        bar.stylize("bold", mark, mark + 1)
        grid.add_row(
            Text(c.id),
            weight_text(w.weight),
            weight_text(w.top_interval[0]),
            bar,
            weight_text(w.top_interval[1]),
            interval_text(w.stable_interval),
            Text("\n".join(takeover_lines(w))),
        )
    legend = f"{FILLED} weights at which {result.top.option.id} stays top   {MARK} current weight"
    parts: list[RenderableType] = [
        Text(heading(result)),
        Text(top_line(result)),
        grid,
        Text(legend, style="dim"),
        Text(""),
    ]
    if result.score_ties:
        ties = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for k, name in enumerate(tie_header(result)):
            ties.add_column(Text(name), justify="right" if k else "left")
        for tie in result.score_ties:
            ties.add_row(*(Text(cell) for cell in tie_cells(result, tie)))
        title = f"to tie {result.top.option.id} with a rival, change one score ({'top / rival'})"
        parts += [Text(title), ties, Text(tie_note(result), style="dim"), Text("")]
    parts.append(Text("\n".join(notes(result)), style="dim"))
    return Group(*parts)


def _bar_width(result: Sensitivity, width: int) -> int:
    """The bar's cells: up to BAR_WIDTH, fewer (down to 10) when the ids need the room."""
    criterion = max(len("criterion"), *(len(w.criterion) for w in result.criteria))
    fixed_columns = criterion + len("weight") + 2 * len("0.000") + len("0.000 only")
    takers = [len(line) for w in result.criteria for line in takeover_lines(w)]
    need = max(len("past the ends"), *(t - len("above: ") if t > 22 else t for t in takers))
    room = width - fixed_columns - 3 * 6 - need  # a divider and padding per column
    return max(10, min(BAR_WIDTH, room))
