"""`engage explore`: the panes of the live view, and the profile block `s` saves.

Functions of the explorer's state that return rich renderables or text; the Textual
app (:mod:`engage.tui.explore`) only places them on the screen, so they are tested
without a terminal. User text (ids, titles, tracks) is always wrapped in ``Text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from engage.analysis.explore import Explorer, Standing, TopInterval
from engage.core.model import Model
from engage.render.common import fixed, score_cell, short_weight

if TYPE_CHECKING:
    from rich.text import Text

    from engage.core.ranking import Baseline

SCALE = {"points": (0.0, 100.0), "closeness": (0.0, 1.0), "net flow": (-1.0, 1.0)}
BAR_WIDTH = 10
ID_WIDTH = 24
MIN_ID = 8
TRACK_WIDTH = 12
MIN_TITLE = 10
TRACK_ROOM = 14
"""The track column is shown only when the title still gets this much more than its minimum."""
WEIGHT_BAR = 26
"""Cells for [0, 1] on the weights pane's bar and interval line."""

KEYS = (
    ("↑ ↓", "select an option (ranking) or a criterion (weights)"),
    ("PgUp PgDn Home End", "move through the ranking"),
    ("Tab", "switch between the ranking and the weights"),
    ("← →", "lower / raise the selected weight by 0.01 (others keep their proportions)"),
    ("Shift+← →", "the same by 0.05"),
    ("m", "next method: weighted-sum, topsis, promethee"),
    ("p", "next profile of the model"),
    ("r", "reset to the weights, profile and method the view opened with"),
    ("Enter", "explain the selected option (Esc back)"),
    ("s", "save the weights as a [profiles.NAME] block in a new file"),
    ("q", "quit and print the weights (benefit=0.45,...) on stdout"),
    ("Ctrl+C", "quit without printing anything (exit 130)"),
    ("?", "this help (Esc back)"),
)


def change_mark(change: int) -> str:
    """▲2 moved up two places since opening, ▼1 down one, · unchanged."""
    if change > 0:
        return f"▲{change}"
    if change < 0:
        return f"▼{-change}"
    return "·"


def status(explorer: Explorer) -> Text:
    """One line: the model, method, profile (and what custom weights came from), count."""
    from rich.text import Text

    lens = explorer.lens
    profile = lens.profile
    if profile != explorer.based_on:
        profile += f" (from {explorer.based_on})"
    count = len(explorer.options)
    line = Text(explorer.model.title, style="bold")
    line.append(f" · {lens.method} · profile {profile} · {count} option{'s' * (count != 1)}")
    return line


def ranking_table(
    standing: Standing,
    model: Model,
    start: int,
    height: int,
    selected: int,
    width: int,
    baseline: Baseline | None = None,
) -> Text:
    """The rows ``start`` to ``start + height`` of the ranking, the selected one marked,
    and the baseline's line under them when there is one (at its score, never ranked).

    Only the rows on screen are built, so a repaint costs the same for 20 options as for
    1,000. Always shown: rank, change since opening, id, each criterion's value (``5?``
    when unknown), score and bar; the title (and, with room to spare, the track) take
    what width is left.
    """
    unit = standing.lens.score_unit
    low, high = SCALE[unit]
    shown = standing.rows[start : start + max(height, 0)]
    last = standing.rows[-1]
    options = [r.option for r in shown] + ([baseline.option] if baseline else [])
    scores = [r.score for r in shown] + ([baseline.score] if baseline else [])
    headers = [f"{c.id if len(c.id) <= 4 else c.id[:3]}{c.arrow}" for c in model.criteria]
    values = [
        max([len(h)] + [len(score_cell(o.scores[c.id])) for o in options])
        for h, c in zip(headers, model.criteria, strict=True)
    ]
    id_width = min(ID_WIDTH, max([2] + [len(o.id) for o in options]))
    fixed_widths = [
        max(len(str(last.rank)) + 1, 4 if baseline else 0),  # "base"
        max(2, len(change_mark(max((abs(r.change) for r in shown), default=0)))),
        id_width,
        *values,
        max(len(unit), max((len(fixed(x, unit)) for x in scores), default=5)),
        BAR_WIDTH,
    ]
    # one space between columns
    room = width - sum(fixed_widths) - len(fixed_widths)
    if room < 0:  # narrow: ids are cut (with an ellipsis) before any number is
        shrink = min(-room, max(0, id_width - MIN_ID))
        fixed_widths[2] -= shrink
        room += shrink
    track_width = min(TRACK_WIDTH, max([5] + [len(o.track) for o in options]))
    track = room - track_width - 1 >= MIN_TITLE + TRACK_ROOM
    title = room - (track_width + 1 if track else 0)
    columns: list[tuple[str, int, bool]] = [  # heading, width, right-aligned
        ("#", fixed_widths[0], True),
        ("Δ", fixed_widths[1], True),
        ("id", fixed_widths[2], False),
    ]
    if title >= MIN_TITLE:
        columns.append(("title", title, False))
    if track:
        columns.append(("track", track_width, False))
    columns += [(h, w, True) for h, w in zip(headers, fixed_widths[3:-2], strict=True)]
    columns += [(unit, fixed_widths[-2], True), ("", BAR_WIDTH, False)]
    out = _line([(h, "bold") for h, _, _ in columns], columns)
    out.append("\n" + "─" * min(width, sum(w + 1 for _, w, _ in columns) - 1))
    for k, row in enumerate(shown, start=start):
        here = k == selected
        cells = [
            (f"{'▶' if here else ' '}{row.rank}", ""),
            (change_mark(row.change), _change_style(row.change)),
            (row.option.id, "bold"),
        ]
        if title >= MIN_TITLE:
            cells.append((row.option.title, ""))
        if track:
            cells.append((row.option.track, ""))
        cells += [(score_cell(row.option.scores[c.id]), "") for c in model.criteria]
        cells.append((fixed(row.score, unit), ""))
        cells.append((weight_bar((row.score - low) / (high - low), BAR_WIDTH), "cyan"))
        line = _line(cells, columns)
        if here:
            line.stylize("reverse")
        out.append("\n")
        out.append_text(line)
    if baseline is not None:
        out.append("\n")
        out.append_text(_baseline_line(baseline, model, columns, unit))
    return out


def _baseline_line(
    baseline: Baseline, model: Model, columns: Sequence[tuple[str, int, bool]], unit: str
) -> Text:
    """The baseline under the ranked rows, dim, marked ``base``, in the same columns."""
    low, high = SCALE[unit]
    option, headings = baseline.option, {h for h, _, _ in columns}
    cells = [("base", "dim"), ("", ""), (option.id, "italic")]
    if "title" in headings:
        cells.append(("baseline: " + option.title, "dim"))
    if "track" in headings:
        cells.append((option.track, "dim"))
    cells += [(score_cell(option.scores[c.id]), "dim") for c in model.criteria]
    cells.append((fixed(baseline.score, unit), "dim"))
    cells.append((weight_bar((baseline.score - low) / (high - low), BAR_WIDTH), "dim"))
    return _line(cells, columns)


def _line(cells: Sequence[tuple[str, str]], columns: Sequence[tuple[str, int, bool]]) -> Text:
    """One line of the ranking: each cell cut (…) or padded to its column, one space
    between columns. Plain text with spans rather than a rich Table: the view repaints
    it on every key, and a table's measuring costs more than the whole re-rank."""
    from rich.cells import cell_len, set_cell_size
    from rich.text import Span, Text

    parts: list[str] = []
    spans: list[Span] = []
    at = 0
    for (written, style), (_, width, right) in zip(cells, columns, strict=True):
        value, size = written, cell_len(written)
        if size > width:
            value, size = set_cell_size(written, max(width - 1, 0)) + "…" * (width > 0), width
        pad = " " * (width - size)
        start = at + (len(pad) if right else 0)
        if style:
            spans.append(Span(start, start + len(value), style))
        piece = pad + value if right else value + pad
        parts.append(piece)
        at += len(piece) + 1
    return Text(" ".join(parts), spans=spans, no_wrap=True, overflow="crop")


def _change_style(change: int) -> str:
    return "green" if change > 0 else "red" if change < 0 else "dim"


def weights_panel(explorer: Explorer, intervals: Sequence[TopInterval], selected: int) -> Text:
    """Per criterion: its weight and bar, and the interval in which the top option stays
    top drawn on the same [0, 1] scale (``├──●──┤``, ● at the weight), with who takes
    over past each end."""
    from rich.text import Text

    model = explorer.model
    out = Text()
    out.append("top: ", style="dim")
    out.append(explorer.standing().top.option.id, style="bold")
    out.append("\nstays top within ├─┤\n", style="dim")
    for j, c in enumerate(model.criteria):
        weight = explorer.lens.weights[j]
        value = f"{weight:.3f}"
        room = WEIGHT_BAR + 2 - len(value) - 1
        head = f"{'▶ ' if j == selected else '  '}{c.label} {c.arrow}"
        head = head if len(head) <= room else head[: room - 1] + "…"
        out.append("\n" + head.ljust(room) + " ", style="bold" if j == selected else "")
        out.append(value + "\n", style="bold")
        out.append("  " + weight_bar(weight) + "\n", style="cyan")
        interval = intervals[j]
        out.append("  " + interval_line(interval) + "\n")
        for line in interval_text(interval):
            out.append("  " + line + "\n", style="dim")
    return out


def weight_bar(weight: float, cells: int = WEIGHT_BAR) -> str:
    """Eighth blocks, so that a move of 0.01 shows on a 30-cell bar."""
    eighths = round(max(0.0, min(1.0, weight)) * cells * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")).ljust(cells)


def interval_line(interval: TopInterval, cells: int = WEIGHT_BAR) -> str:
    """``├──●─────┤`` over [0, 1]: the interval's ends and the weight inside it."""

    def cell(x: float) -> int:
        return min(cells - 1, max(0, int(x * cells)))

    lo, hi, at = cell(interval.low), cell(interval.high), cell(interval.weight)
    line = [" "] * cells
    for k in range(lo, hi + 1):
        line[k] = "─"
    line[lo], line[hi] = "├", "┤"
    line[at] = "●"
    return "".join(line)


def interval_text(interval: TopInterval) -> list[str]:
    """The interval in words: its ends, and who takes over past each (none at 0 and 1)."""
    low, high = short_weight(interval.low), short_weight(interval.high)
    lines = [f"stays top {low}–{high}"]
    if interval.taken_over_below is not None:
        lines.append(f"below: {interval.taken_over_below}")
    if interval.taken_over_above is not None:
        lines.append(f"above: {interval.taken_over_above}")
    return lines


def help_text() -> Text:
    from rich.text import Text

    out = Text("engage explore: keys\n\n", style="bold")
    width = max(len(k) for k, _ in KEYS)
    for key, what in KEYS:
        out.append(key.ljust(width + 2), style="bold")
        out.append(what + "\n")
    out.append("\nEsc, q or ? closes this help.", style="dim")
    return out


def profile_block(model: Model, name: str, weights: Sequence[float], based_on: str) -> str:
    """The ``[profiles.NAME]`` block `s` saves, ready to paste into ``engage.toml``.

    Its ``elicitation`` record says the weights were set by exploring
    (docs/methods.md#eliciting-weights-engage-weigh: the
    model accepts method ``explore`` with no answers). Weights at full precision.
    """
    import tomli_w

    description = f"Weights set in engage explore, starting from {based_on}"
    block = {
        "description": description,
        "weights": dict(zip(model.criterion_ids, weights, strict=True)),
        "elicitation": {"method": "explore"},
    }
    text = tomli_w.dumps({"profiles": {name: block}})
    header = "# Saved by engage explore; add it to engage.toml to use it as -p " + name
    return header + "\n" + text
