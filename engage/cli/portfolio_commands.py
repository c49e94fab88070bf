"""`portfolio`: the best set of options under limited money and staff
(docs/methods.md#portfolios-under-limited-resources)."""

from __future__ import annotations

from typing import Annotated

import typer

from engage.cli.base import command, emit_result, row_formats
from engage.cli.common import (
    SCORING,
    OutputOption,
    Scoring,
    check_draw_options,
    parse_assignments,
    prepare,
)
from engage.core.errors import UsageError, unknown_name
from engage.methods import registry

PORTFOLIO_FORMATS = ("table", "json", "markdown", "csv", "tsv", "ndjson", "svg", "html")
OBJECTIVES = ("score", "delivered")

Repeated = list[str] | None


@command("portfolio", formats=PORTFOLIO_FORMATS, scoring=SCORING)
def portfolio_command(
    scoring: Scoring,
    limit: Annotated[
        Repeated,
        typer.Option(
            "--limit",
            help="Resource limits, e.g. budget=80,staff=6 (override the model's).",
            show_default=False,
        ),
    ] = None,
    max_options: Annotated[
        int | None,
        typer.Option("--max-options", min=0, help="At most N options.", show_default=False),
    ] = None,
    min_track: Annotated[
        Repeated,
        typer.Option(
            "--min-track",
            help="At least N options of track T: T=N (repeatable).",
            show_default=False,
        ),
    ] = None,
    max_track: Annotated[
        Repeated,
        typer.Option(
            "--max-track",
            help="At most N options of track T: T=N (repeatable).",
            show_default=False,
        ),
    ] = None,
    require: Annotated[
        Repeated,
        typer.Option(
            "--require", help="Always choose this option (repeatable).", show_default=False
        ),
    ] = None,
    exclude: Annotated[
        Repeated,
        typer.Option(
            "--exclude", help="Never choose this option (repeatable).", show_default=False
        ),
    ] = None,
    objective: Annotated[
        str,
        typer.Option(
            "--objective",
            help="score: weighted-sum points; delivered: points delivered if linked (decouple).",
        ),
    ] = "score",
    stall_probability: Annotated[
        float | None,
        typer.Option(
            "--stall-probability",
            help="--objective delivered: chance the political track stalls, 0-1 "
            "(default: the model's).",
            show_default=False,
        ),
    ] = None,
    frontier: Annotated[
        str | None,
        typer.Option(
            "--frontier", help="The efficient frontier over this resource.", show_default=False
        ),
    ] = None,
    points: Annotated[
        int, typer.Option("--points", min=1, help="--frontier: at most N points.")
    ] = 100,
    draws: Annotated[
        int, typer.Option("--draws", min=0, help="Draws of scores, weights and costs (0: none).")
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed of --draws.")] = 0,
    weights_from: Annotated[
        str,
        typer.Option(
            "--weights-from", help="--draws: local, order, any or profile (as robustness)."
        ),
    ] = "local",
    concentration: Annotated[
        float,
        typer.Option("--concentration", help="--weights-from local: Dirichlet concentration."),
    ] = 50.0,
    *,
    fmt: str,
    output: OutputOption = None,
) -> None:
    """The best set of options to pursue under limited resources.

    Chooses, among the options that pass the filters and screens, the subset with the
    largest total value whose costs stay within every limit, and meets --max-options,
    the track bounds, --require, --exclude and each option's requires and conflicts.
    Solved exactly as a 0-1 programme (HiGHS). Shows what was left out and why, and
    what 10 % more of each limited resource would buy.

    Examples:

        engage portfolio options
        engage portfolio --limit budget=80,staff=6 --max-track political=1
        engage portfolio --objective delivered --stall-probability 0.9
        engage portfolio --frontier budget -f json | jq '.frontier'
        engage portfolio --draws 1000 --seed 7
    """
    from engage.analysis.portfolio_run import Settings, run_portfolio
    from engage.render import portfolio as render
    from engage.render import portfolio_data

    if objective not in OBJECTIVES:
        raise unknown_name("objective", objective, OBJECTIVES)
    check_draw_options(weights_from, concentration)
    if stall_probability is not None:
        from engage.analysis.decouple import check_stall_probability  # only then: 10 ms

        check_stall_probability(stall_probability)
    settings = Settings(
        objective=objective,
        stall_probability=stall_probability,
        limits=parse_assignments(limit or [], "--limit"),
        max_options=max_options,
        min_track=_counts(min_track, "--min-track"),
        max_track=_counts(max_track, "--max-track"),
        require=tuple(require or ()),
        exclude=tuple(exclude or ()),
        frontier=frontier,
        points=points,
        draws=draws,
        seed=seed,
        weights_from=weights_from,
        concentration=concentration,
    )
    # Scores must add up across options: the weighted sum, whatever the model's default.
    scoring.methods = scoring.methods or (registry.DEFAULT,)
    option_set, lens, selection = prepare(scoring)
    result = run_portfolio(option_set, lens, selection, settings)
    emit_result(
        result,
        fmt,
        output,
        "engage portfolio",
        row_formats(portfolio_data, render.to_markdown),
        render.table,
    )


def _counts(items: Repeated, flag: str) -> dict[str, int]:
    """``political=1`` (repeatable, or comma-separated) into {track: count}."""
    out: dict[str, int] = {}
    for name, value in parse_assignments(items or [], flag).items():
        if not value.is_integer() or value < 0:
            raise UsageError(f"{flag} {name}: expected a whole number 0 or more, got {value:g}")
        out[name] = int(value)
    return out
