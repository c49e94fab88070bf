"""`engage portfolio` as data: the JSON document, and one row per candidate for NDJSON,
CSV and TSV (docs/methods.md#portfolios-under-limited-resources). The table and Markdown
are in engage/render/portfolio.py, which re-exports these."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engage.render.common import (
    any_unknown,
    dumps_delimited,
    dumps_json,
    dumps_ndjson,
    envelope,
    unknown_cell,
    unknown_keys,
)
from engage.render.rank import lens_keys

if TYPE_CHECKING:
    from engage.analysis.portfolio_run import PortfolioRun
    from engage.core.model import Option


def options_by_id(run: PortfolioRun) -> dict[str, Option]:
    """The candidates' options by id: what their ``unknown`` marks are read from."""
    return {r.option.id: r.option for r in run.ranking.rows}


# -- JSON, NDJSON, CSV ----------------------------------------------------------------------


def payload(run: PortfolioRun) -> dict[str, Any]:
    """The portfolio document (docs/methods.md#portfolios-under-limited-resources): lens keys,
    objective, limits, constraints, the portfolio, and
    with --frontier / --draws their results."""
    p = run.portfolio
    cons = p.constraints
    options, criteria = options_by_id(run), run.model.criteria
    out = envelope(
        "portfolio",
        **lens_keys(run.ranking),
        objective=run.objective,
        stall_probability=run.stall_probability,
        limits=dict(p.limits),
        constraints={
            "max_options": cons.max_options,
            "min_track": dict(sorted(cons.min_track.items())),
            "max_track": dict(sorted(cons.max_track.items())),
            "require": list(cons.require),
            "exclude": list(cons.exclude),
        },
        selected=[
            {
                "id": c.id,
                "title": c.title,
                "track": c.track,
                "value": c.value,
                "costs": _costs(c.costs),
            }
            | unknown_keys(options[c.id], criteria)
            for c in p.selected
        ],
        value=p.value,
        used=dict(p.used),
        binding=list(p.binding),
        left_out=[
            {"id": x.id, "value": x.value, "reason": x.reason}
            | unknown_keys(options[x.id], criteria)
            for x in p.left_out
        ],
        alternative_optimum=None if p.alternative_optimum is None else list(p.alternative_optimum),
        marginal={
            r: {
                "step": m.step,
                "value_gain": m.value_gain,
                "adds": list(m.adds),
                "drops": list(m.drops),
            }
            for r, m in p.marginal.items()
        },
    )
    if run.frontier is not None:
        out["frontier_resource"] = run.settings.frontier
        out["frontier"] = [
            {"limit": f.limit, "value": f.value, "used": dict(f.used), "options": list(f.options)}
            for f in run.frontier
        ]
    if run.draws is not None:
        s = run.settings
        out.update(
            draws=run.draws.draws,
            seed=s.seed,
            weights_from=s.weights_from,
            concentration=s.concentration,
            infeasible_draws=run.draws.infeasible_draws,
            selection=[
                {"id": x.id, "p_selected": x.p_selected, "class": x.robust_class}
                for x in run.draws.selection
            ],
        )
    out["screened_out"] = [
        {"id": s.option.id, "rule": s.rule, "value": s.value} for s in run.ranking.screened_out
    ]
    return out


def _costs(costs: Any) -> dict[str, float]:
    return {r: costs[r] for r in sorted(costs)}


def to_json(run: PortfolioRun) -> str:
    return dumps_json(payload(run))


def candidate_rows(run: PortfolioRun) -> list[dict[str, Any]]:
    """One row per candidate: the chosen ones in value order, then the others."""
    p = run.portfolio
    options, criteria = options_by_id(run), run.model.criteria
    shares = {x.id: x for x in run.draws.selection} if run.draws is not None else {}
    rows = []
    entries: list[tuple[str, float, bool, str | None]] = [
        (c.id, c.value, True, None) for c in p.selected
    ]
    entries += [(x.id, x.value, False, x.reason) for x in p.left_out]
    for cid, value, chosen, reason in entries:
        c = run.candidate(cid)
        row: dict[str, Any] = {
            "id": cid,
            "title": c.title,
            "track": c.track,
            "value": value,
            "selected": chosen,
            "costs": _costs(c.costs),
            "reason": reason,
        }
        if cid in shares:
            row["p_selected"] = shares[cid].p_selected
            row["class"] = shares[cid].robust_class
        rows.append(row | unknown_keys(options[cid], criteria))
    return rows


def to_ndjson(run: PortfolioRun) -> str:
    return dumps_ndjson(candidate_rows(run))


def to_delimited(run: PortfolioRun, *, tsv: bool) -> str:
    """``id,title,track,value,selected,<resource>...,reason`` (and with draws
    ``p_selected,class``; when a candidate has unknown scores, ``unknown`` last), one row
    per candidate."""
    resources = [r.id for r in run.resources]
    header = ["id", "title", "track", "value", "selected", *resources, "reason"]
    drawn = run.draws is not None
    if drawn:
        header += ["p_selected", "class"]
    options = options_by_id(run)
    marked = any_unknown(options.values())
    if marked:
        header.append("unknown")
    rows = []
    for row in candidate_rows(run):
        cells = [row["id"], row["title"], row["track"], row["value"]]
        cells += ["true" if row["selected"] else "false"]
        cells += [row["costs"].get(r) for r in resources]
        cells.append(row["reason"])
        if drawn:
            cells += [row.get("p_selected"), row.get("class")]
        if marked:
            cells.append(unknown_cell(options[row["id"]], run.model.criteria))
        rows.append(cells)
    return dumps_delimited(header, rows, tsv=tsv)
