"""The briefing's portfolio section (`engage report`,
docs/methods.md#portfolios-under-limited-resources): the best set under the
model's limits, what it leaves out and why, what more of each resource would buy, and
the frontier over the first limited resource as an inline SVG chart."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from engage.render import portfolio as portfolio_render
from engage.render import svgcharts
from engage.render.common import fixed, unknown_lines
from engage.render.markup import md_text

if TYPE_CHECKING:
    from engage.analysis.portfolio_run import PortfolioRun
    from engage.analysis.report import Briefing


def section(
    b: Briefing,
    heading: str,
    paragraph: Callable[..., str],
    table: Callable[..., str],
    figure: Callable[[str, str], str],
) -> list[str]:
    """The best set under the model's limits, what it leaves out and why, and the
    frontier over the first limited resource; nothing when no resource has a limit."""
    run = b.portfolio
    if run is None:
        if b.portfolio_error is None:
            return []
        return [heading, paragraph(f"No portfolio could be made: {b.portfolio_error}")]
    header, rows, total = portfolio_render.chosen_rows(run)
    mark = portfolio_render.marks(run)
    rows = [[r[0] + mark[r[0]], *r[1:]] for r in rows]
    numeric = "   n" + "n" * len(run.resources)
    left = [[x.id + mark[x.id], fixed(x.value, "points"), x.reason] for x in run.portfolio.left_out]
    out = [
        heading,
        paragraph(
            "The set of options with the largest total value "
            f"({portfolio_render.objective_words(run)}) whose costs stay within the limits: "
            + portfolio_render.constraints_line(run).removeprefix("constraints: ")
            + ". Costs are estimates, like the scores."
        ),
        table(header, [*rows, total], numeric),
    ]
    if left:
        out.append(table(["left out", "value", "why"], left, " n "))
    out += [paragraph(line, "muted") for line in portfolio_render.marginal_lines(run)]
    shown = portfolio_render.shown_options(run)
    out += [paragraph(line, "muted") for line in unknown_lines(shown, run.model.criteria)]
    if run.portfolio.alternative_optimum is not None:
        other = ", ".join(run.portfolio.alternative_optimum)
        out.append(paragraph(f"Another portfolio has the same value: {other}.", "muted"))
    if run.frontier:
        out.append(_frontier_figure(run, figure))
    return out


def _frontier_figure(run: PortfolioRun, figure: Callable[[str, str], str]) -> str:
    resource = next(r for r in run.resources if r.id == run.settings.frontier)
    unit = f" ({resource.unit})" if resource.unit else ""
    assert run.frontier is not None
    chart = svgcharts.staircase(
        [(f.limit, f.value) for f in run.frontier],
        run.portfolio.limits.get(resource.id),
        (f"{resource.label}{unit}: limit", "best total value (points)"),
        f"Efficient frontier over {resource.id}",
    )
    return figure(
        chart,
        f"The best total value reachable at each {resource.id} limit, the other limits as "
        "they are; each step is where a better portfolio becomes affordable; dashed: the "
        "limit in force.",
    )


def markdown(b: Briefing, heading: str) -> list[str]:
    """The same section in Markdown (the frontier as a table); nothing without a limit."""
    if b.portfolio is not None:
        return [heading, "", portfolio_render.to_markdown(b.portfolio, level=3)]
    if b.portfolio_error is not None:
        return [heading, "", f"No portfolio could be made: {md_text(b.portfolio_error)}", ""]
    return []
