"""`engage explain`: one option's parts, neighbours, dominance and rationale."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from engage.analysis.explain import Explanation, Neighbour, is_baseline
from engage.core.model import Criterion, Option
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
from engage.render.markup import md_block, md_code, md_link_or_text, md_text
from engage.render.rank import lens_keys

if TYPE_CHECKING:
    from rich.console import RenderableType

NOT_REACHABLE = "not reachable within the scale"
TIE_NOTE = (
    "Each cell changes one written score of this option and no other value; "
    f"'{NOT_REACHABLE}' means no value in the criterion's scale is enough."
)
RESCORED_NOTE = " Found by re-scoring every option: under {method} the other scores move too."
NO_BREAKDOWN = (
    "TOPSIS has no additive breakdown: its score is the closeness to the ideal option "
    "among the options ranked, not a sum of parts, so no criterion has a share of it."
)

# -- numbers for people ---------------------------------------------------------------


def decimals(unit: str) -> int:
    """Decimals a score is shown with (as :func:`engage.render.common.fixed`)."""
    return 1 if unit == "points" else 3


def shown_parts(parts: Sequence[float], total: float, unit: str) -> list[str]:
    """The parts as shown, rounded so that they add up to the total as shown.

    The shown total is :func:`fixed`'s own text, so the two always agree; see
    :func:`apportion` for the rounding.
    """
    d = decimals(unit)
    target = int(Decimal(fixed(total, unit)).scaleb(d))
    units = apportion(parts, target, d)
    return [units_text(u, d, signed=unit == "net flow") for u in units]


def apportion(parts: Sequence[float], target: int, d: int) -> list[int]:
    """Parts in units of 10^−d that add up to ``target`` units, each within one unit.

    Largest-remainder (Hamilton) rounding: every part is cut down to a whole number of
    units, then the units still missing go one each to the parts that lost the most
    (or, when there are too many, come off those that lost the least).
    """
    scaled = [p * 10**d for p in parts]
    units = [math.floor(s) for s in scaled]
    need = target - sum(units)
    if parts:
        by_remainder = sorted(range(len(parts)), key=lambda k: (units[k] - scaled[k], k))
        if need < 0:
            by_remainder.reverse()
        for step in range(abs(need)):
            units[by_remainder[step % len(parts)]] += 1 if need > 0 else -1
    return units


def units_text(units: int, d: int, *, signed: bool) -> str:
    return format(Decimal(units).scaleb(-d), f"{'+' if signed else ''}.{d}f")


def change_text(delta: float | None, c: Criterion, value: float) -> str:
    """``+0.11 → 4.11``: a change of a raw score and the value it leads to."""
    if delta is None:
        return NOT_REACHABLE
    d = max(0, 3 - math.ceil(math.log10(c.hi - c.lo)))
    return f"{minus(f'{delta:+.{d}f}')} → {minus(f'{value + delta:.{d}f}')}"


def minus(text: str) -> str:
    """Numbers for people use the minus sign, as the README does."""
    return text.replace("-", "−")


def weight_text(w: float) -> str:
    return f"{w:.3f}"


def range_text(option: Option, c: Criterion) -> str:
    s = option.scores[c.id]
    return number(s.low) if s.low == s.high else f"{number(s.low)}–{number(s.high)}"


# -- JSON -----------------------------------------------------------------------------


def payload(explanation: Explanation) -> dict[str, Any]:
    """docs/output.md's explain document, plus ``tied_with`` in ``option``."""
    e = explanation
    ids = e.ranking.model.criterion_ids
    option, row = e.option, e.row
    scores = {c: option.scores[c] for c in ids}
    contributions = row.contributions if row is not None else None
    return envelope(
        "explain",
        **lens_keys(e.ranking),
        option={
            "id": option.id,
            "title": option.title,
            "track": option.track,
            "rank": row.rank if row is not None else None,
            "score": row.score if row is not None else None,
            "scores": {c: s.value for c, s in scores.items()},
            "normalized": dict(zip(ids, e.normalized, strict=True)),
            "contributions": (
                dict(zip(ids, contributions, strict=True)) if contributions is not None else None
            ),
            "ranges": {c: [s.low, s.high] for c, s in scores.items()},
            "rationale": {c: s.rationale for c, s in scores.items()},
            "sources": {c: list(s.sources) for c, s in scores.items()},
            "assessors": {c: dict(s.by or {}) for c, s in scores.items()},
            "dominated_by": list(e.dominated_by),
            "dominated_by_all": list(e.dominators),
            "dominates": list(e.dominates),
            "tied_with": list(e.tied_with),
            **unknown_keys(option, e.ranking.model.criteria),
        },
        above=_neighbour(e.above, ids),
        below=_neighbour(e.below, ids),
        screened_out=e.screened.rule if e.screened is not None else None,
    )


def _neighbour(n: Neighbour | None, ids: tuple[str, ...]) -> dict[str, Any] | None:
    if n is None:
        return None
    return {
        "id": n.row.option.id,
        "rank": n.row.rank,
        "score": n.row.score,
        "gap": n.gap,
        "tie_changes": dict(zip(ids, n.tie_changes, strict=True)),
    }


def to_json(explanation: Explanation) -> str:
    return dumps_json(payload(explanation))


# -- the parts shared by the table and Markdown ---------------------------------------


def standing(e: Explanation) -> list[str]:
    """Where the option stands (or the rule that screened it out), then the lens."""
    lens, unit = e.ranking.lens, e.ranking.lens.score_unit
    weights = ", ".join(
        f"{c} {weight_text(w)}"
        for c, w in zip(e.ranking.model.criterion_ids, lens.weights, strict=True)
    )
    lens_line = f"method {lens.method} ({unit}), profile {lens.profile}: {weights}"
    if e.screened is not None and is_baseline(e.screened):
        return [
            f"track {e.option.track} · the baseline (carrying on as now): not ranked · "
            f"score {minus(fixed(e.screened.value, unit))} {unit}",
            lens_line,
        ]
    if e.screened is not None:
        s = e.screened
        return [
            f"track {e.option.track} · screened out by {s.rule} (it has {number(s.value)}): "
            "not ranked, so it has no rank, score or neighbours",
            lens_line,
        ]
    assert e.row is not None
    tied = f", tied with {', '.join(e.tied_with)}" if e.tied_with else ""
    score = minus(fixed(e.row.score, unit))
    return [
        f"track {e.option.track} · rank {e.row.rank} of {e.ranking.total}{tied} · "
        f"score {score} {unit}",
        lens_line,
    ]


def criteria_rows(e: Explanation) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the parts table (with a closing score row when additive)."""
    model, unit = e.ranking.model, e.ranking.lens.score_unit
    header = ["criterion", "value", "range", "normalized", "weight"]
    rows = [
        [
            f"{c.id} {c.arrow}",
            score_cell(e.option.scores[c.id]),
            range_text(e.option, c),
            f"{e.normalized[j]:.3f}",
            weight_text(w),
        ]
        for j, (c, w) in enumerate(zip(model.criteria, e.ranking.lens.weights, strict=True))
    ]
    row = e.row
    if row is None or row.contributions is None:
        return header, rows
    header.append(f"contribution ({unit})")
    parts = shown_parts(row.contributions, row.score, unit)
    rows = [[*r, minus(part)] for r, part in zip(rows, parts, strict=True)]
    rows.append(["score", "", "", "", weight_text(1.0), minus(fixed(row.score, unit))])
    return header, rows


def neighbour_lines(e: Explanation) -> list[str]:
    unit = e.ranking.lens.score_unit
    lines = []
    sides = (("above", e.above, "ahead", "first"), ("below", e.below, "behind", "last"))
    for side, n, word, end in sides:
        if n is None:
            lines.append(f"{side}: none (it ranks {end})")
            continue
        score = minus(fixed(n.row.score, unit))
        gap = fixed(n.gap, "points" if unit == "points" else "closeness")
        lines.append(f"{side}: {n.row.option.id}, rank {n.row.rank}, {score} {unit} ({gap} {word})")
    return lines


def tie_rows(e: Explanation) -> tuple[list[str], list[list[str]]] | None:
    """Per criterion, the change of this option's one score that ties it with each neighbour."""
    sides = [n for n in (e.above, e.below) if n is not None]
    if not sides:
        return None
    header = ["to tie, change one score", *(f"tie with {n.row.option.id}" for n in sides)]
    rows = [
        [f"{c.id} {c.arrow}"]
        + [change_text(n.tie_changes[j], c, e.option.scores[c.id].value) for n in sides]
        for j, c in enumerate(e.ranking.model.criteria)
    ]
    return header, rows


def tie_note(e: Explanation) -> str:
    method = e.ranking.lens.method
    exact = registry.get(method).exact_value_changes
    return TIE_NOTE + ("" if exact else RESCORED_NOTE.format(method=method))


def dominance_lines(e: Explanation) -> list[str]:
    by = ", ".join(e.dominators) or "none"
    over = ", ".join(e.dominates) or "none"
    return [
        f"dominated by: {by}",
        f"dominates: {over}",
        "(A dominates B when it is at least as good on every criterion and better on one.)",
    ]


def rationale_heading(e: Explanation, c: Criterion) -> str:
    s = e.option.scores[c.id]
    facts = [f"range {range_text(e.option, c)}"]
    if s.unknown:  # docs/formats.md#unknown-scores
        facts.insert(
            0, f"unknown: working value is the midpoint of {number(s.low)}–{number(s.high)}"
        )
    if c.value_function is not None:
        facts.append(f"value {number(100.0 * c.normalize(s.value))} of 100 on its value function")
    if s.by:
        facts.append("assessors " + ", ".join(f"{k} {number(v)}" for k, v in s.by.items()))
    if s.intrinsic is not None:
        facts.append(f"intrinsic {number(s.intrinsic)}")
    return f"{c.id} {c.arrow} {number(s.value)} ({'; '.join(facts)})"


# -- Markdown -------------------------------------------------------------------------


def to_markdown(e: Explanation) -> str:
    out = [f"## {md_code(e.option.id)}: {md_text(e.option.title)}", ""]
    out += ["  \n".join(md_text(line) for line in standing(e)), ""]
    header, rows = criteria_rows(e)
    out.append(markdown_table(header, rows, "l" + "r" * (len(header) - 1)))
    if e.row is not None and e.row.contributions is None:
        out += [f"*{md_text(NO_BREAKDOWN)}*", ""]
    out += [f"- {md_text(line)}" for line in neighbour_lines(e)] if e.row is not None else []
    ties = tie_rows(e)
    if ties is not None:
        out += ["", markdown_table(*ties), f"*{md_text(tie_note(e))}*", ""]
    out += [""] if ties is None and e.row is not None else []
    out += [f"- {md_text(line)}" for line in dominance_lines(e)[:2]]
    out += ["", "### Rationale", ""]
    for c in e.ranking.model.criteria:
        s = e.option.scores[c.id]
        rationale = md_block(s.rationale or "") or "*No rationale written.*"
        out += [f"**{md_text(rationale_heading(e, c))}**", "", rationale, ""]
        out += [f"- {md_link_or_text(source)}" for source in s.sources]
        out += [""] if s.sources else []
    return "\n".join(out).rstrip("\n") + "\n"


# -- the table ------------------------------------------------------------------------


def table(e: Explanation, width: int) -> RenderableType:
    """The parts table, neighbours and the changes that tie them, dominance, rationale."""
    from rich import box
    from rich.console import Group
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    def grid(header: list[str], rows: list[list[str]], first_right: bool = True) -> Table:
        t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for k, name in enumerate(header):
            t.add_column(Text(name), justify="right" if k and first_right else "left")
        for row in rows:
            t.add_row(*(Text(cell) for cell in row))
        return t

    parts: list[RenderableType] = [
        Text(f"{e.option.id}: {e.option.title}", style="bold"),
        Text("\n".join(standing(e))),
        Text(""),
        grid(*criteria_rows(e)),
    ]
    if e.row is not None and e.row.contributions is None:
        parts.append(Text(NO_BREAKDOWN, style="dim"))
    if e.row is not None:
        parts += [Text(""), Text("\n".join(neighbour_lines(e)))]
    ties = tie_rows(e)
    if ties is not None:
        parts += [Text(""), grid(*ties, first_right=False), Text(tie_note(e), style="dim")]
    parts += [Text(""), Text("\n".join(dominance_lines(e)[:2]))]
    parts.append(Text(dominance_lines(e)[2], style="dim"))
    parts += [Text(""), Text("Rationale", style="bold")]
    for c in e.ranking.model.criteria:
        s = e.option.scores[c.id]
        parts += [Text(""), Text(rationale_heading(e, c), style="bold")]
        body = Text(s.rationale or "No rationale written.", style="" if s.rationale else "dim")
        parts.append(Padding(body, (0, 0, 0, 2)))
        for source in s.sources:
            parts.append(Padding(Text(f"· {source}", style="dim"), (0, 0, 0, 2)))
    return Group(*parts)
