"""The briefing's first section (`engage report`): the bottom line in plain sentences.

What to pursue first and how sure we are, what would change the top, which options the
political track holds hostage, the portfolio when resources have limits, where the weights
came from, and the date the data speak for. Sentences only; each renderer escapes them.
"""

from __future__ import annotations

from engage.analysis.report import Briefing

HEADING = "Bottom line"


def sentences(b: Briefing) -> list[str]:
    """The bottom line, one plain sentence per item, in the order a reader asks."""
    out = [_pursue(b)]
    threshold = _threshold(b)
    if threshold:
        out.append(threshold)
    hostage = _hostage(b)
    if hostage:
        out.append(hostage)
    portfolio = _portfolio(b)
    if portfolio:
        out.append(portfolio)
    out.append(_weights(b))
    as_of = _as_of(b)
    if as_of:
        out.append(as_of)
    return out


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _pursue(b: Briefing) -> str:
    r = b.robustness
    leaders = [o for o in r.options if o.p_rank1 >= 0.05][:3] or list(r.options[:1])
    named = ", ".join(
        f"{o.row.option.id} (ranked first in {_pct(o.p_rank1)} of draws)" for o in leaders
    )
    verdict = f"the ranking is {r.verdict}" if r.verdict else "no verdict"
    return (
        f"Pursue first: {named}. Over {r.draws:,} draws of uncertain scores and weights, "
        f"{verdict} for {r.verdict_option or leaders[0].row.option.id}."
    )


def _threshold(b: Briefing) -> str:
    s = b.sensitivity
    best: tuple[float, str] | None = None
    for c in s.criteria:
        lo, hi = c.top_interval
        for bound, other, word in (
            (lo, c.taken_over_below, "falls below"),
            (hi, c.taken_over_above, "rises above"),
        ):
            if other is None:
                continue
            gap = abs(bound - c.weight)
            text = (
                f"The top would change if the weight of {c.criterion} {word} {bound:.2f} "
                f"(now {c.weight:.2f}): {other} would then rank first."
            )
            if best is None or gap < best[0]:
                best = (gap, text)
    if best is None:
        return f"No single weight change moves {s.top.option.id} from the top."
    return best[1]


def _hostage(b: Briefing) -> str:
    d = b.decoupling
    if d is None:
        return ""
    rows = sorted((x for x in d.rows if x.dividend > 0), key=lambda x: (-x.dividend, x.option.id))[
        :3
    ]
    if not rows:
        return ""
    named = ", ".join(
        f"{x.option.id} (+{x.dividend:.1f} points if pursued standalone)" for x in rows
    )
    return (
        f"Most held hostage to the political track, at a stall probability of "
        f"{d.stall_probability:g}: {named}."
    )


def _portfolio(b: Briefing) -> str:
    run = b.portfolio
    if run is None:
        if b.portfolio_error:
            return f"No portfolio fits the resource limits: {b.portfolio_error}"
        return ""
    chosen = ", ".join(x.id for x in run.portfolio.selected)
    binding = ", ".join(run.portfolio.binding)
    verb = "are the binding limits" if len(run.portfolio.binding) > 1 else "is the binding limit"
    tail = f"; {binding} {verb}" if binding else ""
    return f"Within the resource limits, the best portfolio is {chosen}{tail}."


def _weights(b: Briefing) -> str:
    profile = b.lens.profile
    model = b.ranking.model
    p = next((x for x in model.profiles if x.name == profile), None)
    e = p.elicitation if p is not None else None
    if e is None:
        who = f"profile {profile}" if profile else "the weights given on the command line"
        return f"The weights ({who}) were set by judgement; no elicitation is recorded."
    if e.method == "explore":
        return f"The weights (profile {profile}) were set live in engage explore."
    people = len(e.participants)
    over = {"set": " over the options in the set", "scale": " over the whole scale"}
    return (
        f"The weights (profile {profile}) were elicited by {e.method} weighting"
        f"{over.get(e.over or '', '')} from {people} participant{'s' if people != 1 else ''}."
    )


def _as_of(b: Briefing) -> str:
    dates = [str(o.meta["as_of"]) for o in b.option_set.options if "as_of" in o.meta]
    if not dates:
        return ""
    return f"The data speak for {max(dates)} (the newest date an option's data were checked)."
