"""`explain` and `compare`: why an option ranks where it does."""

from __future__ import annotations

from typing import Annotated

import typer

from engage.cli.base import command, emit_result
from engage.cli.common import SCORING_BY_ID, OutputOption, Scoring, prepare

EXPLAIN_FORMATS = ("table", "json", "markdown", "svg", "html")
COMPARE_FORMATS = EXPLAIN_FORMATS


@command("explain", formats=EXPLAIN_FORMATS, scoring=SCORING_BY_ID)
def explain_command(
    option_id: Annotated[str, typer.Argument(metavar="ID", help="The option to explain.")],
    scoring: Scoring,
    *,
    fmt: str,
    output: OutputOption = None,
) -> None:
    """Explain one option's rank: its parts, its neighbours, what would tie them.

    Per criterion: the value, its normalised value, the weight and the contribution to
    the score; the gap to the options directly above and below and the change of one
    score that would tie them; what dominates it and what it dominates; every
    rationale and source as written. A screened-out option is shown with its rule.

    Examples:

        engage explain isk-ct-channel
        engage explain wb-approach-3 -p conditional -m promethee
        engage explain res-2615-carveout -f json | jq '.option.contributions'
    """
    from engage.analysis.explain import explain
    from engage.render import explain as render

    option_set, lens, selection = prepare(scoring)
    result = explain(option_set, lens, option_id, selection)
    text = {"json": render.to_json, "markdown": render.to_markdown}
    emit_result(result, fmt, output, "engage explain", text, render.table)


@command("compare", formats=COMPARE_FORMATS, scoring=SCORING_BY_ID)
def compare_command(
    option_ids: Annotated[list[str], typer.Argument(metavar="ID", help="Two or more option ids.")],
    scoring: Scoring,
    *,
    fmt: str,
    output: OutputOption = None,
) -> None:
    """Compare options side by side, and say why each ranks above the other.

    Rows are the criteria (value and contribution), the score and the rank; columns
    are the options; the better value of each row is marked. For each pair, the
    criteria that put one above the other (in points) and whether one dominates.

    Examples:

        engage compare res-2615-carveout humanitarian-ringfence un-cash-shipments
        engage compare doha-process isk-ct-channel -m promethee -f markdown
        engage compare wb-approach-3 un-cash-shipments -f json | jq '.pairs'
    """
    from engage.analysis.compare import compare
    from engage.render import compare as render

    option_set, lens, selection = prepare(scoring)
    result = compare(option_set, lens, option_ids, selection)
    text = {"json": render.to_json, "markdown": render.to_markdown}
    emit_result(result, fmt, output, "engage compare", text, render.table)
