"""`engage diff`: what changed between two versions of a set, in every format."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from engage.analysis.diff import FieldChange, Move, SetDiff
from engage.core.ranking import Ranking
from engage.render.common import dumps_json, envelope, fixed, markdown_table, number
from engage.render.markup import md_code, md_text
from engage.render.rank import lens_keys

if TYPE_CHECKING:
    from rich.console import RenderableType

Labels = tuple[str, str]


def payload(result: SetDiff, labels: Labels) -> dict[str, Any]:
    old_keys = lens_keys(result.old)
    return envelope(
        "diff",
        **lens_keys(result.new),
        old=labels[0],
        new=labels[1],
        old_lens={k: old_keys[k] for k in ("profile", "method", "weights")},
        identical=result.empty,
        added=list(result.added),
        removed=list(result.removed),
        changed=[
            {"id": c.id, "fields": {f.path: [f.old, f.new] for f in c.fields}}
            for c in result.changed
        ],
        moves=[
            {
                "id": m.id,
                "old_rank": m.old_rank,
                "new_rank": m.new_rank,
                "old_score": m.old_score,
                "new_score": m.new_score,
            }
            for m in result.moves
        ],
        model_changes=[{"path": f.path, "old": f.old, "new": f.new} for f in result.model_changes],
    )


def to_json(result: SetDiff, labels: Labels) -> str:
    return dumps_json(payload(result, labels))


def value_text(value: Any) -> str:
    """A value for people: numbers as written, text quoted, absent as (none)."""
    if value is None:
        return "(none)"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value)
    return json.dumps(value, ensure_ascii=False)


def change_text(f: FieldChange) -> str:
    return f"{f.path}: {value_text(f.old)} → {value_text(f.new)}"


def _titles(ranking: Ranking) -> dict[str, tuple[str, str]]:
    options = [r.option for r in ranking.rows] + [s.option for s in ranking.screened_out]
    return {o.id: (o.title, o.track) for o in options}


def _rank(rank: int | None, score: float | None) -> str:
    """A side's rank: the baseline has a score and no rank (analysis/diff.py's _standing)."""
    if rank is None:
        return "baseline" if score is not None else "–"
    return str(rank)


def move_cells(result: SetDiff, m: Move) -> list[str]:
    unit = result.new.lens.score_unit
    old = "screened out" if m.old_score is None else fixed(m.old_score, unit)
    new = "screened out" if m.new_score is None else fixed(m.new_score, unit)
    delta = ""
    if m.old_score is not None and m.new_score is not None and m.old_score != m.new_score:
        delta = f"{m.new_score - m.old_score:+.{1 if unit == 'points' else 3}f}"
    ranks = f"{_rank(m.old_rank, m.old_score)} → {_rank(m.new_rank, m.new_score)}"
    return [m.id, ranks, f"{old} → {new}", delta]


def summary(result: SetDiff) -> str:
    if result.empty:
        return "no differences"
    counts = [
        (len(result.added), "added"),
        (len(result.removed), "removed"),
        (len(result.changed), "changed"),
        (len(result.moves), "moved or rescored"),
        (len(result.model_changes), "model change(s)"),
    ]
    return ", ".join(f"{n} {what}" for n, what in counts if n)


def _lens_line(result: SetDiff) -> str:
    new, old = result.new.lens, result.old.lens
    line = f"scored with {new.method}, profile {new.profile}"
    if old.profile != new.profile:
        line += f" (old version: profile {old.profile})"
    return line + "; each side under its own model"


def to_markdown(result: SetDiff, labels: Labels) -> str:
    parts = [f"**{md_text(labels[0])} → {md_text(labels[1])}**: {md_text(summary(result))}\n"]
    old_titles, new_titles = _titles(result.old), _titles(result.new)
    if result.added:
        parts.append(_md_list("Added", [_md_option(i, new_titles) for i in result.added]))
    if result.removed:
        parts.append(_md_list("Removed", [_md_option(i, old_titles) for i in result.removed]))
    if result.changed:
        lines: list[str] = []
        for c in result.changed:
            lines.append(md_code(c.id))
            lines += [f"  - {_md_change(f.path, f.old, f.new)}" for f in c.fields]
        parts.append(_md_list("Changed", lines))
    if result.moves:
        rows = [[md_code(m.id), *move_cells(result, m)[1:]] for m in result.moves]
        parts.append(
            "### Rank moves and score changes\n\n"
            + markdown_table(["id", "rank", "score", "change"], rows, "llrr")
        )
    if result.model_changes:
        changes = [_md_change(f.path, f.old, f.new) for f in result.model_changes]
        parts.append(_md_list("Model changes", changes))
    parts.append(f"_{md_text(_lens_line(result))}_\n")
    return "\n".join(parts)


def _md_list(heading: str, lines: list[str]) -> str:
    return f"### {heading}\n\n" + "".join(
        (line if line.startswith("  ") else f"- {line}") + "\n" for line in lines
    )


def _md_option(option_id: str, titles: dict[str, tuple[str, str]]) -> str:
    title, track = titles.get(option_id, ("", ""))
    code = md_code(option_id)
    return f"{code} {md_text(title)} ({md_text(track)})" if title else code


def _md_change(path: str, old: Any, new: Any) -> str:
    return f"{md_code(path)}: {md_text(value_text(old))} → {md_text(value_text(new))}"


def table(result: SetDiff, labels: Labels, width: int) -> RenderableType:
    """The sections that have something in them, or "no differences"."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[RenderableType] = [
        Text(f"{labels[0]} → {labels[1]}: {summary(result)}", style="bold")
    ]
    old_titles, new_titles = _titles(result.old), _titles(result.new)
    for heading, mark, ids, titles, style in (
        ("added", "+", result.added, new_titles, "green"),
        ("removed", "-", result.removed, old_titles, "red"),
    ):
        lines: list[tuple[str, str | None]] = []
        for option_id in ids:
            title, track = titles.get(option_id, ("", ""))
            lines.append((f"  {mark} {option_id}  {title} ({track})", style))
        parts += _section(Text, heading, lines)
    changed: list[tuple[str, str | None]] = []
    for c in result.changed:
        changed.append((f"  ~ {c.id}", "yellow"))
        changed += [(f"      {change_text(f)}", None) for f in c.fields]
    parts += _section(Text, "changed", changed, count=len(result.changed))
    if result.moves:
        grid = Table(
            box=box.SIMPLE_HEAD,
            title=Text(f"rank moves and score changes ({len(result.moves)})", style="bold"),
            title_justify="left",
            show_edge=False,
            pad_edge=False,
        )
        grid.add_column("id")
        grid.add_column("rank", justify="right")
        grid.add_column("score", justify="right")
        grid.add_column("change", justify="right", no_wrap=True)
        for m in result.moves:
            grid.add_row(*(Text(c) for c in move_cells(result, m)))
        parts += [Text(""), grid]
    model_lines = [(f"  {change_text(f)}", None) for f in result.model_changes]
    parts += _section(Text, "model changes", model_lines)
    parts.append(Text("\n" + _lens_line(result), style="dim"))
    return Group(*parts)


def _section(
    text_type: Any, heading: str, lines: Sequence[tuple[str, str | None]], count: int | None = None
) -> list[Any]:
    """A blank line, the bold heading with its count, then the lines; nothing when empty."""
    if not lines:
        return []
    text = text_type("\n")
    text.append(f"{heading} ({len(lines) if count is None else count})", style="bold")
    for line, style in lines:
        text.append("\n")
        text.append(line, style=style)
    return [text]
