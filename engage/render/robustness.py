"""`engage robustness`: rank probabilities with a heat strip, in every format."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engage.render.common import (
    any_unknown,
    dumps_delimited,
    dumps_json,
    dumps_ndjson,
    envelope,
    markdown_table,
    unknown_cell,
    unknown_keys,
    unknown_lines,
    unknown_mark,
)
from engage.render.markup import Markup, md_code, md_text
from engage.render.rank import lens_keys

if TYPE_CHECKING:
    from rich.console import RenderableType

    from engage.analysis.robustness import OptionRobustness, Robustness

STRIP_CELLS = 30
"""Most cells in a heat strip; with more ranks, each cell sums a run of ranks."""
SHADES = ((0.6, "█"), (0.25, "▓"), (0.05, "▒"), (0.0, "░"))
EMPTY = "·"
CENTRAL_SHOWN = 5


# -- JSON, NDJSON, CSV ----------------------------------------------------------------------


def option_row(result: Robustness, o: OptionRobustness) -> dict[str, Any]:
    ids = result.ranking.model.criterion_ids
    option = o.row.option
    return {
        "id": option.id,
        "title": option.title,
        "track": option.track,
        "rank": o.row.rank,
        "score": o.row.score,
        "p_rank1": o.p_rank1,
        "p_top_k": o.p_top_k,
        "mean_rank": o.mean_rank,
        "rank_interval": list(o.rank_interval),
        "rank_acceptability": list(o.rank_acceptability),
        "central_weights": (
            None if o.central_weights is None else dict(zip(ids, o.central_weights, strict=True))
        ),
        "confidence": o.confidence,
        **unknown_keys(option, result.ranking.model.criteria),
    }


def payload(result: Robustness) -> dict[str, Any]:
    """docs/output.md's robustness document: lens keys, settings, verdict, options by mean rank."""
    return envelope(
        "robustness",
        **lens_keys(result.ranking),
        draws=result.draws,
        seed=result.seed,
        weights_from=result.weights_from,
        concentration=result.concentration,
        top_k=result.top_k,
        verdict=result.verdict,
        verdict_option=result.verdict_option,
        options=[option_row(result, o) for o in result.options],
        screened_out=[
            {"id": s.option.id, "rule": s.rule, "value": s.value}
            for s in result.ranking.screened_out
        ],
    )


def to_json(result: Robustness) -> str:
    return dumps_json(payload(result))


def to_ndjson(result: Robustness) -> str:
    return dumps_ndjson(option_row(result, o) for o in result.options)


def to_delimited(result: Robustness, *, tsv: bool) -> str:
    """One row per option; central weights and P(rank r) as one column each."""
    ids = result.ranking.model.criterion_ids
    n = len(result.options)
    header = ["id", "title", "track", "rank", "score", "p_rank1", "p_top_k", "mean_rank"]
    header += ["rank_p5", "rank_p95", "confidence", *(f"central_{c}" for c in ids)]
    header += [f"p_rank_{r}" for r in range(1, n + 1)]
    marked = any_unknown(o.row.option for o in result.options)
    if marked:
        header.append("unknown")
    rows = []
    for o in result.options:
        option = o.row.option
        cells: list[Any] = [option.id, option.title, option.track, o.row.rank, o.row.score]
        cells += [o.p_rank1, o.p_top_k, o.mean_rank, *o.rank_interval, o.confidence]
        cells += list(o.central_weights) if o.central_weights else [None] * len(ids)
        cells += list(o.rank_acceptability)
        if marked:
            cells.append(unknown_cell(option, result.ranking.model.criteria))
        rows.append(cells)
    return dumps_delimited(header, rows, tsv=tsv)


# -- text shared by the table and Markdown ---------------------------------------------------


def percent(p: float) -> str:
    return f"{100 * p:.1f}%"


def strip(acceptability: tuple[float, ...], cells: int = STRIP_CELLS) -> str:
    """A heat strip: one character per rank (rank 1 on the left), shaded by probability.

    With more ranks than ``cells``, cell k holds ranks [k·n/cells, (k+1)·n/cells) and
    is shaded by their summed probability.
    """
    n = len(acceptability)
    cells = min(n, cells)
    out = []
    for k in range(cells):
        p = sum(acceptability[k * n // cells : (k + 1) * n // cells])
        out.append(next((s for bound, s in SHADES if p > bound or p >= 0.6), EMPTY))
    return "".join(out)


def interval_text(o: OptionRobustness) -> str:
    lo, hi = o.rank_interval
    return str(lo) if lo == hi else f"{lo}–{hi}"


def verdict_line(result: Robustness) -> str:
    """The verdict in words, with the figures it rests on."""
    ranked = sorted(result.options, key=lambda o: (-o.p_rank1, o.row.option.id))
    best = ranked[0]
    draws = f"{result.draws:,} draws"
    if result.verdict == "robust":
        return (
            f"verdict: robust: {best.row.option.id} ranks first in {percent(best.p_rank1)} "
            f"of {draws} (robust means at least 80%)"
        )
    second = ranked[1]
    if result.verdict == "tie":
        return (
            f"verdict: tie: {best.row.option.id} ({percent(best.p_rank1)}) and "
            f"{second.row.option.id} ({percent(second.p_rank1)}) rank first about equally "
            f"often (less than 5 points apart) in {draws}"
        )
    return (
        f"verdict: fragile: {best.row.option.id} ranks first in only "
        f"{percent(best.p_rank1)} of {draws}; next {second.row.option.id} "
        f"{percent(second.p_rank1)} (robust needs 80%)"
    )


def scores_drawn(result: Robustness) -> str:
    """How the draws take the scores: triangular for those with a range, uniform for the
    unknown ones (docs/formats.md#unknown-scores); for the footer."""
    ranged = [s for o in result.options for s in o.row.option.scores.values() if s.low < s.high]
    unknown = sum(s.unknown for s in ranged)
    known = len(ranged) - unknown
    scores = "score" if known == 1 else "scores"
    parts = [f"triangular(low, value, high) for the {known} {scores} with a range"] if known else []
    parts += [f"uniform(low, high) for the {unknown} unknown"] if unknown else []
    if not parts:
        return "no score has a range: the written values in every draw"
    return "scores: " + ", ".join(parts)


def notes(result: Robustness) -> list[str]:
    """The lines under the table: verdict, what was drawn, the legend, central weights."""
    model, lens = result.ranking.model, result.ranking.lens
    weights = ", ".join(
        f"{c} {w:g}" for c, w in zip(model.criterion_ids, lens.weights, strict=True)
    )
    how = {
        "local": f"Dirichlet around the weights, concentration {result.concentration:g}",
        "order": "uniform among weights in the same order of criteria",
        "any": "uniform over all weights",
        "profile": "fixed",
    }[result.weights_from]
    k = min(result.top_k, len(result.options))
    lines = [
        verdict_line(result),
        f"method {lens.method} ({lens.score_unit}), profile {lens.profile}: {weights}",
        f"{result.draws:,} draws, seed {result.seed}; weights {result.weights_from}: {how}; "
        + scores_drawn(result),
        f"P(1): share of draws ranked first; P(≤{k}): ranked {k} or better; mean: mean rank; "
        "5–95%: ranks between the 5th and 95th percentile; conf.: confidence factor (P(1) "
        "with its central weights); #: rank at the written values",
        f"strip: rank 1 on the left; {EMPTY} never, ░ under 5%, ▒ 5–25%, ▓ 25–60%, █ 60% or more"
        + (
            f" (each cell sums {len(result.options) / STRIP_CELLS:.3g} ranks)"
            if len(result.options) > STRIP_CELLS
            else ""
        ),
        *unknown_lines((o.row.option for o in result.options), model.criteria),
    ]
    firsts = sorted(
        (o for o in result.options if o.central_weights is not None),
        key=lambda o: (-o.p_rank1, o.row.option.id),
    )
    for o in firsts[:CENTRAL_SHOWN]:
        assert o.central_weights is not None
        central = ", ".join(
            f"{c} {w:.3f}" for c, w in zip(model.criterion_ids, o.central_weights, strict=True)
        )
        lines.append(f"central weights of {o.row.option.id}: {central}")
    if result.ranking.screened_out:
        shown = ", ".join(f"{s.option.id} ({s.rule})" for s in result.ranking.screened_out)
        lines.append(f"screened out before drawing: {shown}")
    return lines


def heading(result: Robustness) -> str:
    lens = result.ranking.lens
    return (
        f"{result.ranking.model.title}: how robust is the ranking "
        f"({lens.method}, profile {lens.profile})"
    )


def _header(result: Robustness) -> list[str]:
    n = len(result.options)
    return [
        "#",
        "option",
        "P(1)",
        f"P(≤{min(result.top_k, n)})",
        "mean",
        "5–95%",
        f"ranks 1–{n}",
        "conf.",
    ]


def _cells(result: Robustness, o: OptionRobustness, cells: int = STRIP_CELLS) -> list[str]:
    return [
        str(o.row.rank),
        o.row.option.id + unknown_mark(o.row.option),
        percent(o.p_rank1),
        percent(o.p_top_k),
        f"{o.mean_rank:.2f}",
        interval_text(o),
        strip(o.rank_acceptability, cells),
        "—" if o.confidence is None else percent(o.confidence),
    ]


# -- Markdown ----------------------------------------------------------------------------


def to_markdown(result: Robustness) -> str:
    rows = []
    for o in result.options:
        cells = _cells(result, o)
        name = Markup(md_code(o.row.option.id) + unknown_mark(o.row.option))
        rows.append([*cells[:1], name, *cells[2:6], md_code(cells[6]), *cells[7:]])
    out = [f"## {md_text(heading(result))}", ""]
    out.append(markdown_table(_header(result), rows, "rlrrrrlr"))
    out += [f"- {md_text(line)}" for line in notes(result)]
    return "\n".join(out) + "\n"


# -- the table -----------------------------------------------------------------------------


def table(result: Robustness, width: int) -> RenderableType:
    """Options by mean rank with their heat strips; the verdict and legend below."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    # ids are never cut: on a narrow terminal the heat strip gets fewer cells, or goes
    rows = [_cells(result, o) for o in result.options]
    header = _header(result)
    widths = [max(len(h), *(len(r[k]) for r in rows)) for k, h in enumerate(header)]
    room = width - (sum(widths) - widths[6]) - 3 * (len(header) - 1)
    strip_cells = min(STRIP_CELLS, len(result.options), room)
    keep = [k for k in range(len(header)) if k != 6 or strip_cells >= 8]
    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for k in keep:
        name = "ranks" if k == 6 and strip_cells < len(header[6]) else header[k]
        grid.add_column(Text(name), justify="left" if k in (1, 6) else "right", no_wrap=True)
    for o in result.options:
        cells = [Text(c) for c in _cells(result, o, max(strip_cells, 1))]
        cells[1].stylize("bold")
        cells[6].stylize("cyan")
        grid.add_row(*(cells[k] for k in keep))
    lines = notes(result)
    style = "bold" if result.verdict == "robust" else "bold yellow"
    return Group(
        Text(heading(result)),
        grid,
        Text(lines[0], style=style),
        Text("\n".join(lines[1:]), style="dim"),
    )
