"""`engage report`: the briefing as one self-contained HTML page, or as Markdown.

The HTML loads nothing from anywhere (no script, font, stylesheet or image links; the
charts are inline SVG drawn from the same results the terminal shows) and prints
cleanly. The only links are to the sources' own addresses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from engage.analysis.lenses import LensComparison
from engage.analysis.report import Briefing
from engage.methods import registry
from engage.render import decouple as decouple_render
from engage.render import explain as explain_render
from engage.render import rank as rank_render
from engage.render import report_bottom, report_portfolio, svgcharts
from engage.render import robustness as robustness_render
from engage.render import sensitivity as sensitivity_render
from engage.render import tracks as tracks_render
from engage.render.common import any_unknown, fixed, number, score_cell, unknown_lines, unknown_mark
from engage.render.markup import html_link_or_text, html_text, md_link_or_text, md_text
from engage.render.model import weights_sentence

ESTIMATES = (
    "The scores in this briefing are judgements made by the authors of the option set from "
    "the sources cited, not measurements: read them as estimates, with their ranges."
)
SECTIONS = (
    "Lens",
    "Ranking",
    "Why the leaders lead",
    "How far the weights can move",
    "How robust the ranking is",
    "The linkage lens",
    "Standalone agenda by track",
    "Screened out and dominated",
    "Sources",
    "Portfolio under the resource limits",
)
PORTFOLIO = 9
RENDER_ORDER = (0, 1, 2, 3, 4, 5, 6, PORTFOLIO, 7, 8)
"""The sections in the order :func:`to_html` writes them (the portfolio, added later,
comes after the tracks), for the contents list."""

STYLE = """
body{font-family:sans-serif;color:#1f2933;max-width:60rem;margin:2rem auto;padding:0 1rem;
line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #cbd2d9;padding-bottom:.2rem}h3{font-size:1rem;margin-bottom:.3rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
th,td{padding:.2rem .5rem;border-bottom:1px solid #e4e7eb;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.notice{background:#fff8e1;border-left:4px solid #f0b429;padding:.5rem .8rem}
.muted{color:#616e7c;font-size:.9rem}code{font-size:.9em}
figure{margin:.8rem 0}figcaption{color:#616e7c;font-size:.85rem}
.bottom{border:2px solid #1f2933;padding:.4rem 1rem;margin:1rem 0}.bottom h2{margin-top:.4rem}
nav.contents ol{columns:2;font-size:.9rem}
@page{size:A4;margin:15mm}
@media print{body{margin:0;max-width:none;font-size:10pt}h2{break-after:avoid}
figure,table,.bottom,svg{break-inside:avoid;page-break-inside:avoid}tr{break-inside:avoid}
svg{max-width:100%;height:auto}a{color:inherit}}
"""


def to_html(b: Briefing) -> str:
    """The whole briefing as one HTML document (UTF-8, no external resources)."""
    model = b.ranking.model
    title = f"Briefing: {model.title}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html_text(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html_text(title)}</h1>",
        *_bottom_line(b),
        *_contents(b),
        f'<p class="notice">{html_text(ESTIMATES)}</p>',
        *_lens(b),
        *_ranking(b),
        *_leaders(b),
        *_sensitivity(b),
        *_robustness(b),
        *_linkage(b),
        *_standalone(b),
        *report_portfolio.section(b, _h2(PORTFOLIO), _p, _table, _figure),
        *_excluded(b),
        *_sources(b),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _h2(k: int) -> str:
    return f'<h2 id="s{k}">{html_text(SECTIONS[k])}</h2>'


def _bottom_line(b: Briefing) -> list[str]:
    items = "".join(f"<li>{html_text(s)}</li>" for s in report_bottom.sentences(b))
    head = html_text(report_bottom.HEADING)
    return [f'<section class="bottom" id="bottom-line"><h2>{head}</h2><ul>{items}</ul></section>']


def _contents(b: Briefing) -> list[str]:
    order = [k for k in RENDER_ORDER if k != PORTFOLIO or b.portfolio or b.portfolio_error]
    items = "".join(f'<li><a href="#s{k}">{html_text(SECTIONS[k])}</a></li>' for k in order)
    return [f'<nav class="contents"><h2>Contents</h2><ol>{items}</ol></nav>']


def _p(text: str, cls: str = "") -> str:
    attribute = f' class="{cls}"' if cls else ""
    return f"<p{attribute}>{html_text(text)}</p>"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], numeric: str = "") -> str:
    """A table of plain text cells; ``numeric`` says per column 'n' (right-aligned) or not."""
    kinds = numeric.ljust(len(header))
    head = "".join(
        f'<th class="n">{html_text(h)}</th>' if kinds[k] == "n" else f"<th>{html_text(h)}</th>"
        for k, h in enumerate(header)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{html_text(c)}</td>' if kinds[k] == "n" else f"<td>{html_text(c)}</td>"
            for k, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{html_text(caption)}</figcaption></figure>"


def _lens(b: Briefing) -> list[str]:
    model, lens = b.ranking.model, b.ranking.lens
    rows = [
        [
            c.label,
            c.id,
            "higher" if c.higher_is_better else "lower",
            f"{number(c.lo)}–{number(c.hi)}",
            f"{w:.2f}",
        ]
        for c, w in zip(model.criteria, lens.weights, strict=True)
    ]
    screens = ", ".join(s.rule for s in model.screens) or "none"
    return [
        _h2(0),
        _p(
            f"Method {lens.method} ({lens.score_unit}); profile {lens.profile}; "
            f"{b.ranking.total} options ranked; screens: {screens}; model from "
            f"{b.option_set.model_origin}."
        ),
        _table(["criterion", "id", "better", "scale", "weight"], rows, "    n"),
        _p(weights_sentence(model, lens.profile)),
    ]


def _ranking(b: Briefing) -> list[str]:
    ranking = b.ranking
    model, unit = ranking.model, ranking.lens.score_unit
    low, high = registry.get(ranking.lens.method).score_range
    header = ["#", "id", "title", "track", *(f"{c.id} {c.arrow}" for c in model.criteria), "score"]
    rows = [
        [
            str(r.rank),
            r.option.id + (" †" if r.dominated_by else ""),
            r.option.title,
            r.option.track,
            *(score_cell(r.option.scores[c.id]) for c in model.criteria),
            fixed(r.score, unit),
        ]
        for r in ranking.rows
    ]
    chart = svgcharts.bar_chart(
        [(r.option.id, r.score - low, fixed(r.score, unit)) for r in ranking.rows],
        0.0,
        high - low,
        f"Scores ({unit})",
    )
    return [
        _h2(1),
        _table(header, rows, "n   " + "n" * len(model.criteria) + "n"),
        _figure(chart, f"Score of each option ({unit}); † dominated by another option."),
        _p("; ".join(rank_render.footer_lines(_single(b))), "muted"),
    ]


def _single(b: Briefing) -> LensComparison:
    """The briefing's one ranking in the shape the `rank` renderers take."""
    top = frozenset(r.option.id for r in b.ranking.rows if r.rank <= 3)
    return LensComparison((b.ranking,), (None,), top)


def _leaders(b: Briefing) -> list[str]:
    out = [_h2(2)]
    for e in b.explanations:
        model = e.ranking.model
        out.append(f"<h3>{html_text(e.option.title)} <code>{html_text(e.option.id)}</code></h3>")
        out.append(_p(" · ".join(explain_render.standing(e)[:1])))
        header, rows = explain_render.criteria_rows(e)
        out.append(_table(header, rows, " nnnnn"))
        if e.row is not None and e.row.contributions is None:
            out.append(_p(explain_render.NO_BREAKDOWN, "muted"))
        out.append(_p("; ".join(explain_render.neighbour_lines(e)), "muted"))
        items = []
        for c in model.criteria:
            score = e.option.scores[c.id]
            sources = "".join(f"<li>{html_link_or_text(s)}</li>" for s in score.sources)
            items.append(
                f"<li><strong>{html_text(explain_render.rationale_heading(e, c))}</strong>: "
                f"{html_text(score.rationale or 'no rationale given')}"
                + (f"<ul>{sources}</ul>" if sources else "")
                + "</li>"
            )
        out.append(f"<ul>{''.join(items)}</ul>")
    return out


def _sensitivity(b: Briefing) -> list[str]:
    s = b.sensitivity
    rows = [(f"{w.criterion} (now {w.weight:.2f})", *w.top_interval, w.weight) for w in s.criteria]
    chart = svgcharts.tornado(rows, "Weights at which the top option stays top")
    lines = [sensitivity_render.top_line(s)]
    for w in s.criteria:
        lo, hi = w.top_interval
        lines.append(
            f"{w.criterion}: {s.top.option.id} stays top for weights {lo:.3f}–{hi:.3f} "
            f"({'; '.join(sensitivity_render.takeover_lines(w))}); no rank changes for "
            f"{sensitivity_render.interval_text(w.stable_interval)}"
        )
    tie_rows = [sensitivity_render.tie_cells(s, t) for t in s.score_ties]
    return [
        _h2(3),
        _figure(
            chart,
            "Bars: the range of each weight (others keeping their proportions) in "
            "which the top option stays top; line: the current weight.",
        ),
        *(_p(line) for line in lines),
        _table(sensitivity_render.tie_header(s), tie_rows, " nn" + "n" * len(s.criteria))
        if tie_rows
        else "",
        _p(sensitivity_render.tie_note(s), "muted"),
        _p("; ".join(sensitivity_render.notes(s)), "muted"),
    ]


def _robustness(b: Briefing) -> list[str]:
    r = b.robustness
    shown = r.options[:15]
    listed = [o.row.option for o in shown]
    drawn_unknown = any_unknown(o.row.option for o in r.options)  # drawn, shown or not
    chart = svgcharts.heatmap(
        [(o.row.option.id, o.rank_acceptability) for o in shown],
        "Rank acceptability (darker: more likely)",
    )
    rows = [
        [
            o.row.option.id + unknown_mark(o.row.option),
            robustness_render.percent(o.p_rank1),
            robustness_render.percent(o.p_top_k),
            f"{o.mean_rank:.2f}",
            robustness_render.interval_text(o),
        ]
        for o in shown
    ]
    return [
        _h2(4),
        _p(robustness_render.verdict_line(r)),
        _p(
            f"{r.draws:,} draws, seed {r.seed}, weights drawn '{r.weights_from}'; every score "
            "with a range drawn from triangular(low, value, high)"
            + (", an unknown one uniformly from [low, high]." if drawn_unknown else "."),
            "muted",
        ),
        *(_p(line, "muted") for line in unknown_lines(listed, r.ranking.model.criteria)),
        _figure(
            chart,
            "Each row an option (by mean rank), each column a rank from 1: the "
            "share of draws in which the option takes that rank.",
        ),
        _table(["option", "P(rank 1)", f"P(top {r.top_k})", "mean rank", "5–95 %"], rows, " nnnn"),
    ]


def _linkage(b: Briefing) -> list[str]:
    d = b.decoupling
    if d is None:
        return [
            _h2(5),
            _p(
                "The model has no criteria with the roles benefit, feasibility and "
                "linkage, so there is no linkage lens."
            ),
        ]
    rows = d.rows[:15]
    chart = svgcharts.paired_bars(
        [(x.option.id, x.delivered_linked, x.delivered_standalone) for x in rows],
        100.0,
        ("delivered if linked", "delivered standalone"),
        f"Delivered if linked vs standalone, stall probability {d.stall_probability:g}",
    )
    totals = [
        [t.track, f"{t.delivered_linked:.2f}", f"{t.delivered_standalone:.2f}", f"{t.dividend:.2f}"]
        for t in d.tracks
    ]
    return [
        _h2(5),
        _p(
            f"If the political track stalls with probability {d.stall_probability:g}, options "
            "tied to it stall with it. Points delivered if linked and if pursued standalone:"
        ),
        _figure(chart, "; ".join(decouple_render.FORMULA)),
        _table(["track", "if linked", "standalone", "dividend"], totals, " nnn"),
        _p(decouple_render.UPPER_BOUND, "muted"),
    ]


def _standalone(b: Briefing) -> list[str]:
    t = b.tracks
    unit = t.ranking.lens.score_unit
    marks = unknown_lines(tracks_render.bests(t), t.ranking.model.criteria)
    rows = [
        [
            s.track,
            str(s.count),
            s.best.option.id + unknown_mark(s.best.option) if s.best else "—",
            fixed(s.best.score, unit) if s.best else "—",
            f"{s.mean_linkage:.2f}" if s.mean_linkage is not None else "—",
        ]
        for s in t.tracks
    ]
    return [
        _h2(6),
        _table(["track", "options", "best", "score", "mean linkage"], rows, " n nn"),
        *(_p(line) for line in tracks_render.standalone_lines(t)),
        *(_p(line, "muted") for line in marks),
    ]


def _excluded(b: Briefing) -> list[str]:
    ranking = b.ranking
    screened = [
        [s.option.id, s.option.title, s.rule, number(s.value)] for s in ranking.screened_out
    ]
    dominated = [[r.option.id, ", ".join(r.dominated_by)] for r in ranking.rows if r.dominated_by]
    return [
        _h2(7),
        _table(["screened out", "title", "rule", "value"], screened, "   n")
        if screened
        else _p("No option is screened out."),
        _table(["dominated", "by"], dominated) if dominated else _p("No option is dominated."),
        _p(
            "A dominates B when it is at least as good on every criterion and better on one.",
            "muted",
        ),
    ]


def _sources(b: Briefing) -> list[str]:
    items = "".join(f"<li>{html_link_or_text(s)}</li>" for s in b.sources)
    return [_h2(8), _p(ESTIMATES, "muted"), f"<ol>{items}</ol>" if items else ""]


# -- Markdown ---------------------------------------------------------------------------


def to_markdown(b: Briefing) -> str:
    """The same briefing in Markdown: each section as its command's Markdown."""
    model = b.ranking.model
    comparison = _single(b)
    out = [f"# Briefing: {md_text(model.title)}", "", f"## {report_bottom.HEADING}", ""]
    out += [f"- {md_text(s)}" for s in report_bottom.sentences(b)] + [""]
    out += [f"> {md_text(ESTIMATES)}", ""]
    out += [f"## {SECTIONS[1]}", "", rank_render.to_markdown(comparison)]
    out += [md_text(weights_sentence(model, b.lens.profile)), ""]
    out += [f"## {SECTIONS[2]}", ""]
    out += ["#" + explain_render.to_markdown(e) for e in b.explanations]
    out += [f"## {SECTIONS[3]}", "", sensitivity_render.to_markdown(b.sensitivity)]
    out += [f"## {SECTIONS[4]}", "", robustness_render.to_markdown(b.robustness)]
    if b.decoupling is not None:
        out += [f"## {SECTIONS[5]}", "", decouple_render.to_markdown(b.decoupling)]
    out += [f"## {SECTIONS[6]}", "", tracks_render.to_markdown(b.tracks)]
    out += report_portfolio.markdown(b, f"## {SECTIONS[PORTFOLIO]}")
    out += [f"## {SECTIONS[8]}", ""] + [f"1. {md_link_or_text(s)}" for s in b.sources]
    return "\n".join(out) + "\n"
