"""`engage portfolio`: the best set of options under the resource limits, in every format."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from engage.render.common import (
    any_unknown,
    fixed,
    markdown_table,
    number,
    unknown_lines,
    unknown_mark,
)
from engage.render.markup import Markup, md_code, md_text
from engage.render.portfolio_data import options_by_id

if TYPE_CHECKING:
    from rich.console import RenderableType

    from engage.analysis.portfolio import FrontierPoint
    from engage.analysis.portfolio_run import PortfolioRun
    from engage.core.model import Option


BINDING = "●"
CLASS_MARK = {"core": "core", "borderline": "borderline", "exterior": "exterior"}


# -- text shared by the table and Markdown ---------------------------------------------------


def objective_words(run: PortfolioRun) -> str:
    if run.stall_probability is None:
        return f"weighted-sum points, profile {run.ranking.lens.profile}"
    return f"points delivered if linked, stall probability {number(run.stall_probability)}"


def heading(run: PortfolioRun) -> str:
    return f"{run.model.title}: the best portfolio ({objective_words(run)})"


def resource_ids(run: PortfolioRun) -> list[str]:
    return [r.id for r in run.resources]


def used_text(run: PortfolioRun, resource: str) -> str:
    """``148/150 ●`` (● binding), or the amount alone without a limit."""
    p = run.portfolio
    used = number(p.used.get(resource, 0.0))
    limit = p.limits.get(resource)
    if limit is None:
        return used
    return f"{used}/{number(limit)}" + (f" {BINDING}" if resource in p.binding else "")


def cost_cell(costs: Any, resource: str) -> str:
    return number(costs[resource]) if resource in costs else "—"


def constraints_line(run: PortfolioRun) -> str:
    p = run.portfolio
    cons = p.constraints
    parts = [f"{r} ≤ {number(v)}" for r, v in p.limits.items() if v is not None]
    if cons.max_options is not None:
        parts.append(f"at most {cons.max_options} options")
    parts += [f"at least {n} in {t}" for t, n in sorted(cons.min_track.items())]
    parts += [f"at most {n} in {t}" for t, n in sorted(cons.max_track.items())]
    parts += [f"require {i}" for i in cons.require]
    parts += [f"exclude {i}" for i in cons.exclude]
    linked = sum(1 for c in run.problem.candidates if c.requires or c.conflicts)
    if linked:
        parts.append(f"the requires and conflicts of {linked} option(s)")
    return "constraints: " + ("; ".join(parts) if parts else "none")


def marginal_lines(run: PortfolioRun) -> list[str]:
    units = {r.id: f" {r.unit}" if r.unit else "" for r in run.resources}
    out = []
    for r, m in run.portfolio.marginal.items():
        more = f"10% more {r} (+{number(m.step)}{units.get(r, '')})"
        if not m.value_gain:
            out.append(f"{more}: no better portfolio")
            continue
        change = [f"adds {', '.join(m.adds)}"] if m.adds else []
        change += [f"drops {', '.join(m.drops)}"] if m.drops else []
        out.append(f"{more}: +{m.value_gain:.1f} points ({'; '.join(change)})")
    return out


def notes(run: PortfolioRun) -> list[str]:
    """The lines under the tables: constraints, binding, marginal values, second optimum."""
    p = run.portfolio
    lines = [constraints_line(run)]
    if p.binding:
        lines.append(f"{BINDING} binding: {', '.join(p.binding)} (the limit keeps options out)")
    lines += marginal_lines(run)
    if p.alternative_optimum is not None:
        lines.append("another portfolio has the same value: " + ", ".join(p.alternative_optimum))
    if run.stall_probability is not None:
        lines.append(
            "value: 100·b·f·(1 − s·l), what the option delivers if it stays linked to the "
            "political track (decouple)"
        )
    lines += [f"screened out: {s.option.id} ({s.rule})" for s in run.ranking.screened_out]
    if run.draws is not None:
        lines.append(draws_line(run))
    return lines + unknown_lines(shown_options(run), run.model.criteria)


def shown_options(run: PortfolioRun) -> list[Option]:
    """The options the tables list (chosen, then left out), for the ``?`` marks."""
    options = options_by_id(run)
    p = run.portfolio
    return [options[c.id] for c in p.selected] + [options[x.id] for x in p.left_out]


def marks(run: PortfolioRun) -> dict[str, str]:
    """`` ?`` by id for the options with unknown scores, "" for the others."""
    return {i: unknown_mark(o) for i, o in options_by_id(run).items()}


def draws_line(run: PortfolioRun) -> str:
    d, s = run.draws, run.settings
    assert d is not None
    infeasible = f"; {d.infeasible_draws} infeasible, left out" if d.infeasible_draws else ""
    weights = f"weights {s.weights_from}" if run.stall_probability is None else "no weights"
    unknown = any_unknown(options_by_id(run).values())
    uniform = ", unknown scores uniformly from [low, high]" if unknown else ""
    return (
        f"{d.draws:,} draws, seed {s.seed}, {weights}; scores and costs with a range drawn "
        f"from triangular(low, value, high){uniform}{infeasible}; core: chosen in every draw, "
        "exterior: in none (Liesiö, Mild & Salo 2007)"
    )


def frontier_rows(run: PortfolioRun) -> list[list[str]]:
    """Per frontier point: the limit, the value, the other resources used, and the
    options added and dropped from the point before."""
    assert run.frontier is not None
    others = [r for r in resource_ids(run) if r != run.settings.frontier]
    rows: list[list[str]] = []
    before: tuple[str, ...] = ()
    for point in run.frontier:
        rows.append(
            [
                number(point.limit),
                fixed(point.value, "points"),
                *(number(point.used.get(r, 0.0)) for r in others),
                _changes(before, point),
            ]
        )
        before = point.options
    return rows


def frontier_header(run: PortfolioRun) -> list[str]:
    others = [r for r in resource_ids(run) if r != run.settings.frontier]
    return [f"{run.settings.frontier} limit", "value", *others, "portfolio (changes)"]


def _changes(before: Sequence[str], point: FrontierPoint) -> str:
    added = [f"+{i}" for i in point.options if i not in before]
    dropped = [f"−{i}" for i in before if i not in point.options]
    return " ".join(added + dropped) or "(none)"


def selection_rows(run: PortfolioRun) -> list[list[str]]:
    assert run.draws is not None
    shares = sorted(run.draws.selection, key=lambda x: (-x.p_selected, x.id))
    return [[x.id, f"{100 * x.p_selected:.1f}%", x.robust_class] for x in shares]


def chosen_rows(run: PortfolioRun) -> tuple[list[str], list[list[str]], list[str]]:
    """Header, one row per chosen option, and the total row."""
    resources = resource_ids(run)
    header = ["option", "title", "track", "value", *resources]
    rows = [
        [
            c.id,
            c.title,
            c.track,
            fixed(c.value, "points"),
            *(cost_cell(c.costs, r) for r in resources),
        ]
        for c in run.portfolio.selected
    ]
    count = len(run.portfolio.selected)
    total = [
        f"total ({count} option{'s' * (count != 1)})",
        "",
        "",
        fixed(run.portfolio.value, "points"),
        *(used_text(run, r) for r in resources),
    ]
    return header, rows, total


# -- Markdown ----------------------------------------------------------------------------


def to_markdown(run: PortfolioRun, level: int = 2) -> str:
    h = "#" * level
    header, rows, total = chosen_rows(run)
    numeric = "lllr" + "r" * len(run.resources)
    mark = marks(run)
    shown = [[Markup(md_code(r[0]) + mark[r[0]]), *r[1:]] for r in rows]
    out = [f"{h} {md_text(heading(run))}", "", markdown_table(header, [*shown, total], numeric)]
    if run.portfolio.left_out:
        left = [
            [Markup(md_code(x.id) + mark[x.id]), fixed(x.value, "points"), x.reason]
            for x in run.portfolio.left_out
        ]
        out += [
            f"{h}# Left out, best first",
            "",
            markdown_table(["option", "value", "why"], left, "lrl"),
        ]
    if run.frontier is not None:
        out += [
            f"{h}# Efficient frontier over {md_text(str(run.settings.frontier))}",
            "",
            markdown_table(
                frontier_header(run), frontier_rows(run), "r" * (len(run.resources) + 1) + "l"
            ),
        ]
    if run.draws is not None:
        out += [
            f"{h}# How often each option is chosen",
            "",
            markdown_table(["option", "P(selected)", "class"], selection_rows(run), "lrl"),
        ]
    out += [f"- {md_text(line)}" for line in notes(run)]
    return "\n".join(out) + "\n"


# -- the table -----------------------------------------------------------------------------


def table(run: PortfolioRun, width: int) -> RenderableType:
    """The chosen options and totals, what was left out and why, then the frontier and
    the draws when asked for; the notes below."""
    from rich.console import Group
    from rich.text import Text

    header, rows, total = chosen_rows(run)
    mark = marks(run)
    rows = [[r[0] + mark[r[0]], *r[1:]] for r in rows]
    wide = width >= 110
    keep = [k for k in range(len(header)) if k != 1 or wide]  # the title only when it fits
    align = "".join("l" if k < 3 else "r" for k in keep)
    chosen = _grid(
        [header[k] for k in keep],
        [[r[k] for k in keep] for r in rows],
        align,
        total=[total[k] for k in keep],
    )
    parts: list[RenderableType] = [Text(heading(run)), chosen]
    left = run.portfolio.left_out
    if left:
        parts.append(Text("\nleft out, best first", style="bold"))
        parts.append(
            _grid(
                ["option", "value", "why"],
                [[x.id + mark[x.id], fixed(x.value, "points"), x.reason] for x in left],
                "lrl",
            )
        )
    if run.frontier is not None:
        parts.append(Text(f"\nefficient frontier over {run.settings.frontier}", style="bold"))
        parts.append(
            _grid(frontier_header(run), frontier_rows(run), "r" * (len(run.resources) + 1) + "l")
        )
    if run.draws is not None:
        parts.append(Text("\nhow often each option is chosen", style="bold"))
        parts.append(_grid(["option", "P(selected)", "class"], selection_rows(run), "lrl"))
    parts.append(Text("\n" + "\n".join(notes(run)), style="dim"))
    return Group(*parts)


def _grid(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    align: str,
    total: Sequence[str] | None = None,
) -> RenderableType:
    """A plain table; ``align`` is l/r per column (the first column is an id, bold)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    grid = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, show_footer=total is not None
    )
    kinds = align.ljust(len(header), "l")
    for k, name in enumerate(header):
        footer = Text(total[k]) if total is not None else ""
        grid.add_column(
            Text(name),
            footer=footer,
            justify="right" if kinds[k] == "r" else "left",
            no_wrap=kinds[k] == "r" or k == 0,
            overflow="fold",
        )
    for row in rows:
        cells = [Text(c) for c in row]
        cells[0].stylize("bold")
        grid.add_row(*cells)
    return grid
