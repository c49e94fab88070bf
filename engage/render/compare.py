"""`engage compare`: options side by side and why each ranks above the other."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from engage.analysis.compare import Comparison, Pair
from engage.analysis.explain import is_baseline
from engage.core.model import Criterion
from engage.core.ranking import Ranked, ScreenedOut
from engage.methods import registry
from engage.render.common import (
    dumps_json,
    envelope,
    fixed,
    markdown_table,
    number,
    score_cell,
    unknown_keys,
)
from engage.render.explain import NO_BREAKDOWN, apportion, decimals, minus, shown_parts, weight_text
from engage.render.markup import md_code, md_text
from engage.render.rank import lens_keys

if TYPE_CHECKING:
    from rich.console import RenderableType

BEST = "✓"
DOMINANCE = "A dominates B when it is at least as good on every criterion and better on one."


# -- JSON -----------------------------------------------------------------------------


def payload(comparison: Comparison) -> dict[str, Any]:
    """docs/output.md's compare document (plus title, track, dominated_by, tied per entry/pair)."""
    criteria = comparison.ranking.model.criteria
    return envelope(
        "compare",
        **lens_keys(comparison.ranking),
        options=[_entry(e, criteria) for e in comparison.entries],
        pairs=[
            {
                "higher": p.higher.option.id,
                "lower": p.lower.option.id,
                "gap": p.gap,
                "tied": p.tied,
                "because": dict(p.because) if p.because is not None else None,
                "despite": dict(p.despite) if p.despite is not None else None,
                "dominates": p.dominates,
            }
            for p in comparison.pairs
        ],
    )


def _entry(entry: Ranked | ScreenedOut, criteria: tuple[Criterion, ...]) -> dict[str, Any]:
    option, ids = entry.option, [c.id for c in criteria]
    out: dict[str, Any] = {
        "id": option.id,
        "title": option.title,
        "track": option.track,
        "rank": None,
        "score": None,
        "scores": {c: option.scores[c].value for c in ids},
        "contributions": None,
        "dominated_by": [],
        "screened_out": None,
    }
    out.update(unknown_keys(option, criteria))
    if isinstance(entry, ScreenedOut):
        return out | {"screened_out": entry.rule}
    if entry.contributions is not None:
        out["contributions"] = dict(zip(ids, entry.contributions, strict=True))
    return out | {"rank": entry.rank, "score": entry.score, "dominated_by": [*entry.dominated_by]}


def to_json(comparison: Comparison) -> str:
    return dumps_json(payload(comparison))


# -- sentences ------------------------------------------------------------------------


def _shown(comparison: Comparison) -> dict[str, list[Decimal]]:
    """Each ranked option's contributions as shown (adding up to its score as shown)."""
    unit = comparison.ranking.lens.score_unit
    return {
        e.option.id: [Decimal(p) for p in shown_parts(e.contributions, e.score, unit)]
        for e in comparison.entries
        if isinstance(e, Ranked) and e.contributions is not None
    }


def _points(value: Decimal, unit: str, first: bool) -> str:
    text = minus(format(value, "+f"))
    return f"{text} {unit}" if first else text


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def sentence(comparison: Comparison, pair: Pair) -> str:
    """ "A ranks above B (84.0 vs 72.5 points) because of …, despite …" and dominance."""
    unit = comparison.ranking.lens.score_unit
    high, low = pair.higher.option.id, pair.lower.option.id
    scores = f"{minus(fixed(pair.higher.score, unit))} vs {minus(fixed(pair.lower.score, unit))}"
    if pair.tied:
        text = f"{high} and {low} tie at {minus(fixed(pair.higher.score, unit))} {unit}"
    else:
        text = f"{high} ranks above {low} ({scores} {unit})"
    if pair.because is None or pair.despite is None:
        text += ": " + _sides(comparison, pair)
    else:
        text += _reasons(comparison, pair) + "."
    if pair.dominates:
        text += f" {high} dominates {low}."
    elif pair.reversed:
        text += f" {low} dominates {high} yet does not rank above it."
    return text


def _reasons(comparison: Comparison, pair: Pair) -> str:
    """The criteria for and against, in points rounded to add up to the gap as shown."""
    unit = comparison.ranking.lens.score_unit
    d = decimals(unit)
    named = [*(pair.because or ()), *(pair.despite or ())]
    gap = Decimal(fixed(pair.higher.score, unit)) - Decimal(fixed(pair.lower.score, unit))
    units = apportion([v for _, v in named], int(gap.scaleb(d)), d)
    shown = [(c, Decimal(u).scaleb(-d)) for (c, _), u in zip(named, units, strict=True) if u]
    gains = [(c, v) for c, v in shown if v > 0]
    losses = [(c, v) for c, v in shown if v < 0]
    if not gains and not losses:
        return " with the same contributions"

    def items(chosen: list[tuple[str, Decimal]], start: bool, sign: int = 1) -> str:
        return _listing(
            [
                f"{c} ({_points(sign * v, unit, start and k == 0)})"
                for k, (c, v) in enumerate(chosen)
            ]
        )

    high, low = pair.higher.option.id, pair.lower.option.id
    if pair.tied:
        text = f": {high} gains on {items(gains, True) if gains else 'nothing'}"
        return text + (f", {low} on {items(losses, False, -1)}" if losses else "")
    text = " because of " + items(gains, True) if gains else ""
    return text + (", despite " + items(losses, not gains) if losses else "")


def _sides(comparison: Comparison, pair: Pair) -> str:
    """Without points: which criteria favour which option, by the written values."""
    criteria = comparison.ranking.model.criteria
    high, low = pair.higher.option, pair.lower.option
    better = [c.id for c in criteria if c.better(high.scores[c.id].value, low.scores[c.id].value)]
    worse = [c.id for c in criteria if c.better(low.scores[c.id].value, high.scores[c.id].value)]
    parts = []
    if better:
        parts.append(f"{high.id} is better on {_listing(better)}")
    if worse:
        parts.append(f"{low.id} on {_listing(worse)}")
    return ("; ".join(parts) or "Their written values are the same") + "."


def facts(comparison: Comparison) -> list[str]:
    """The sentences, then screened-out ids and dominance by options not compared here."""
    lines = [sentence(comparison, p) for p in comparison.pairs]
    if not registry.get(comparison.ranking.lens.method).additive and lines:
        lines.insert(0, NO_BREAKDOWN + " Which criteria favour whom, by the written values:")
    for e in comparison.entries:
        if is_baseline(e):
            lines.append(
                f"{e.option.id} is the model's baseline (score {number(e.value)}): scored, "
                "not ranked, so not compared."
            )
        elif isinstance(e, ScreenedOut):
            lines.append(
                f"{e.option.id} is screened out ({e.rule}; it has {number(e.value)}): "
                "not ranked, so not compared."
            )
        elif e.dominated_by:
            lines.append(
                f"In the whole set, {e.option.id} is dominated by {_listing([*e.dominated_by])}."
            )
    if comparison.pairs and not any(p.dominates or p.reversed for p in comparison.pairs):
        lines.append("None of the options compared dominates another.")
    return lines


# -- the grid shared by the table and Markdown ----------------------------------------


def grid(comparison: Comparison) -> tuple[list[str], list[list[str]]]:
    """Rows: criteria (value and contribution), score, rank; columns: the options."""
    ranking = comparison.ranking
    unit = ranking.lens.score_unit
    entries = comparison.entries
    shown = _shown(comparison)
    header = ["", *(e.option.id for e in entries)]
    rows = []
    for j, (c, w) in enumerate(zip(ranking.model.criteria, ranking.lens.weights, strict=True)):
        values = [e.option.scores[c.id].value for e in entries]
        marks = _best(values, c)
        cells = []
        for k, e in enumerate(entries):
            cell = score_cell(e.option.scores[c.id])
            if e.option.id in shown:
                part = format(shown[e.option.id][j], "+f" if unit == "net flow" else "f")
                cell += f" ({minus(part)})"
            cells.append(_marked(cell, marks[k]))
        rows.append([f"{c.id} {c.arrow} (w {weight_text(w)})", *cells])
    scores = [e.score if isinstance(e, Ranked) else None for e in entries]
    top = max((s for s in scores if s is not None), default=None)
    rows.append(
        [f"score ({unit})"]
        + [
            _marked(minus(fixed(s, unit)), _ties_best(s, top, scores))
            if s is not None
            else _unranked(e, unit)
            for s, e in zip(scores, entries, strict=True)
        ]
    )
    ranks = [e.rank if isinstance(e, Ranked) else None for e in entries]
    best = min((r for r in ranks if r is not None), default=None)
    rows.append(
        ["rank"]
        + [
            _marked(f"{r} of {ranking.total}", r == best and ranks.count(best) < len(ranks))
            if r is not None
            else "—"
            for r in ranks
        ]
    )
    return header, rows


def _best(values: list[float], c: Criterion) -> list[bool]:
    """Mark the best value of a row, unless every option has it."""
    best = max(values) if c.higher_is_better else min(values)
    if all(v == best for v in values):
        return [False] * len(values)
    return [v == best for v in values]


def _ties_best(s: float, top: float | None, scores: list[float | None]) -> bool:
    return s == top and sum(1 for x in scores if x == top) < len(scores)


def _marked(cell: str, best: bool) -> str:
    return f"{BEST} {cell}" if best else cell


def _lens_line(comparison: Comparison) -> str:
    ranking = comparison.ranking
    lens = ranking.lens
    additive = registry.get(lens.method).additive
    note = f"; cells: value (contribution in {lens.score_unit})" if additive else ""
    return f"method {lens.method} ({lens.score_unit}), profile {lens.profile}{note}"


def _titles(comparison: Comparison) -> list[str]:
    return [f"{e.option.id}: {e.option.title} ({e.option.track})" for e in comparison.entries]


# -- Markdown and the table -----------------------------------------------------------


def to_markdown(comparison: Comparison) -> str:
    header, rows = grid(comparison)
    out = [
        "## " + " vs ".join(md_code(e.option.id) for e in comparison.entries),
        "",
        md_text(_lens_line(comparison)),
        "",
        markdown_table(header, rows, "l" + "r" * (len(header) - 1)),
        f"{BEST} the better value of each row.",
        "",
        *(f"- {md_text(t)}" for t in _titles(comparison)),
        "",
        *(f"- {md_text(line)}" for line in facts(comparison)),
        "",
        f"*{md_text(DOMINANCE)}*",
    ]
    return "\n".join(out) + "\n"


def table(comparison: Comparison, width: int) -> RenderableType:
    """The side-by-side grid, the titles, and one sentence per pair."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    header, rows = grid(comparison)
    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for k, name in enumerate(header):
        t.add_column(Text(name, style="bold"), justify="right" if k else "left")
    for row in rows:
        t.add_row(*(Text(cell, style="bold" if cell.startswith(BEST) else "") for cell in row))
    return Group(
        Text(_lens_line(comparison)),
        t,
        Text(f"{BEST} the better value of each row", style="dim"),
        Text(""),
        Text("\n".join(_titles(comparison)), style="dim"),
        Text(""),
        Text("\n".join(facts(comparison))),
        Text(DOMINANCE, style="dim"),
    )


def _unranked(entry: object, unit: str) -> str:
    """The score cell of an entry that is not ranked: the baseline shows its score."""
    if is_baseline(entry):
        return f"{minus(fixed(entry.value, unit))} (baseline)"
    return "screened out"
