"""`engage rank`: the ranking in every format."""

from __future__ import annotations

from typing import Any

from engage.analysis.lenses import LensComparison
from engage.core.ranking import Ranked, Ranking
from engage.render.baseline import baseline_keys, baseline_note
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
)
from engage.render.markup import Markup, md_code, md_text


def lens_keys(ranking: Ranking) -> dict[str, Any]:
    """The lens keys every scoring command's JSON carries (docs/output.md)."""
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
        "vs_baseline": ranking.vs_baseline(row),
    }
    out.update(unknown_keys(option, ranking.model.criteria))
    if option.tags:
        out["tags"] = list(option.tags)
    if option.meta:
        out["meta"] = option.meta
    return out


def payload(comparison: LensComparison) -> dict[str, Any]:
    """docs/output.md: the first lens's keys and rows; with several lenses, ``lenses`` and per
    option ``ranks`` and ``scores_by_lens`` in lens order."""
    lead = comparison.lead
    several = len(comparison.rankings) > 1
    options = [_row(comparison, r) for r in lead.rows]
    out = envelope("rank", **lens_keys(lead))
    if several:
        out["lenses"] = [
            {**_lens(ranking), "kendall_tau_b": tau}
            for ranking, tau in zip(comparison.rankings, comparison.kendall_tau_b, strict=True)
        ]
    out["options"] = options
    out["screened_out"] = [
        {"id": s.option.id, "rule": s.rule, "value": s.value} for s in lead.screened_out
    ]
    out["ties"] = [list(t) for t in lead.ties]
    out["baseline"] = baseline_keys(lead)
    return out


def _lens(ranking: Ranking) -> dict[str, Any]:
    keys = lens_keys(ranking)
    return {k: keys[k] for k in ("profile", "method", "weights")}


def _row(comparison: LensComparison, row: Ranked) -> dict[str, Any]:
    out = option_row(comparison.lead, row)
    if len(comparison.rankings) > 1:
        found = [ranking.find(row.option.id) for ranking in comparison.rankings]
        out["ranks"] = [f.rank if f else None for f in found]
        out["scores_by_lens"] = [f.score if f else None for f in found]
        out["top_in_every_lens"] = row.option.id in comparison.top_everywhere
    return out


def to_json(comparison: LensComparison) -> str:
    return dumps_json(payload(comparison))


def to_ndjson(comparison: LensComparison) -> str:
    return dumps_ndjson(_row(comparison, r) for r in comparison.lead.rows)


def lens_name(ranking: Ranking) -> str:
    return f"{ranking.lens.profile}_{ranking.lens.method}"


def to_delimited(comparison: LensComparison, *, tsv: bool) -> str:
    lead = comparison.lead
    ids = lead.model.criterion_ids
    several = len(comparison.rankings) > 1
    header = ["rank", "id", "title", "track", "score", *ids]
    if several:
        header += [f"rank_{lens_name(r)}" for r in comparison.rankings]
    base = lead.baseline
    if base is not None:
        header.append("vs_baseline")
    listed = [r.option for r in lead.rows] + ([base.option] if base is not None else [])
    marked = any_unknown(listed)
    if marked:
        header.append("unknown")
    rows = []
    for r in lead.rows:
        row = [r.rank, r.option.id, r.option.title, r.option.track, r.score]
        row += [r.option.scores[c].value for c in ids]
        if several:
            row += [rank_in(x, r.option.id) for x in comparison.rankings]
        if base is not None:
            row.append(lead.vs_baseline(r))
        if marked:
            row.append(unknown_cell(r.option, lead.model.criteria))
        rows.append(row)
    if base is not None:
        row = ["baseline", base.option.id, base.option.title, base.option.track, base.score]
        row += [base.option.scores[c].value for c in ids]
        row += [None] * (len(comparison.rankings) if several else 0) + [0.0]
        if marked:
            row.append(unknown_cell(base.option, lead.model.criteria))
        rows.append(row)
    return dumps_delimited(header, rows, tsv=tsv)


def rank_in(ranking: Ranking, option_id: str) -> int | None:
    found = ranking.find(option_id)
    return found.rank if found else None


def to_ids(comparison: LensComparison) -> str:
    return "".join(r.option.id + "\n" for r in comparison.lead.rows)


def to_markdown(comparison: LensComparison) -> str:
    lead = comparison.lead
    model, unit = lead.model, lead.lens.score_unit
    extra = comparison.rankings[1:]
    header = ["#", "id", "title", "track", *(f"{c.id} {c.arrow}" for c in model.criteria), "score"]
    header += [f"L{k}" for k in range(2, len(extra) + 2)]
    rows = [
        [
            r.rank,
            Markup(md_code(r.option.id) + marks(comparison, r)),
            r.option.title,
            r.option.track,
        ]
        + [score_cell(r.option.scores[c.id]) for c in model.criteria]
        + [fixed(r.score, unit)]
        + [rank_in(x, r.option.id) for x in extra]
        for r in lead.rows
    ]
    base = lead.baseline
    if base is not None:
        rows.append(
            [
                "baseline",
                Markup(md_code(base.option.id)),
                base.option.title,
                base.option.track,
            ]
            + [score_cell(base.option.scores[c.id]) for c in model.criteria]
            + [fixed(base.score, unit)]
            + [None for _ in extra]
        )
    align = "rlll" + "r" * (len(model.criteria) + 1 + len(extra))
    footer = "\n".join(f"- {md_text(line)}" for line in footer_lines(comparison))
    return markdown_table(header, rows, align) + "\n" + footer + "\n"


def marks(comparison: LensComparison, row: Ranked) -> str:
    """`` †`` dominated, `` ★`` in the top 3 under every lens (with several)."""
    marks = " †" if row.dominated_by else ""
    if len(comparison.rankings) > 1 and row.option.id in comparison.top_everywhere:
        marks += " ★"
    return marks


def footer_lines(comparison: LensComparison) -> list[str]:
    """The facts under the table: lens(es), count, ties, screened out, dominated."""
    ranking = comparison.lead
    model = ranking.model
    lines = []
    for k, (r, tau) in enumerate(zip(comparison.rankings, comparison.kendall_tau_b, strict=True)):
        weights = ", ".join(
            f"{c} {short_weight(w)}"
            for c, w in zip(model.criterion_ids, r.lens.weights, strict=True)
        )
        name = f"L{k + 1}: " if len(comparison.rankings) > 1 else ""
        agreement = f"; Kendall τ-b vs L1 {_tau(tau)}" if k else ""
        lines.append(
            f"{name}method {r.lens.method} ({r.lens.score_unit}), profile {r.lens.profile}: "
            f"{weights}{agreement}"
        )
    shown = len(ranking.rows)
    count = f"{ranking.total} ranked" + (f", {shown} shown" if shown != ranking.total else "")
    if ranking.screened_out:
        count += f", {len(ranking.screened_out)} screened out"
    lines.append(count)
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
    note = baseline_note(ranking)
    if note is not None:
        lines.append(note)
    if len(comparison.rankings) > 1:
        everywhere = sorted(comparison.top_everywhere)
        lines.append(f"★ in the top 3 under every lens: {', '.join(everywhere) or 'none'}")
    return lines


def _tau(tau: float | None) -> str:
    return "n/a (a ranking is constant)" if tau is None else f"{tau:.3f}"
