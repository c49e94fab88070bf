"""The rules of the portfolio data (docs/methods.md#portfolios-under-limited-resources), as
positioned diagnostics: resources, ``[portfolio]``,
costs, ``requires`` and ``conflicts``.

Called by :mod:`engage.io.validate` on the typed tables (the schema's dump for the model,
:class:`engage.io.schema.OptionIn` for an option); the rules that need the whole set
(an id in ``requires`` that no option has) run once every option has been read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from engage.core.errors import Diagnostic, did_you_mean
from engage.core.model import Cost, Model, PortfolioDefaults, Resource, exact_number
from engage.io.document import Document

if TYPE_CHECKING:
    from engage.io.schema import CostIn

Path = tuple[str | int, ...]
LINKS = ("requires", "conflicts")


# -- the model -----------------------------------------------------------------------------


def check_resources(
    parsed: Mapping[str, Any],
    tracks: Sequence[str] | None,
    doc: Document,
    prefix: Path,
    problems: list[Diagnostic],
) -> tuple[tuple[Resource, ...], PortfolioDefaults]:
    """``[resources.*]`` (a limit is 0 or more) and ``[portfolio]`` (its tracks are the
    model's, when it declares them), from the schema's dump of the model table."""
    resources = []
    for rid, r in parsed.get("resources", {}).items():
        limit = r.get("limit")
        if limit is not None and limit < 0:
            problems.append(
                doc.error(
                    "out-of-range",
                    (*prefix, "resources", rid, "limit"),
                    f"limit {exact_number(limit)} is below 0",
                    value=True,
                )
            )
        resources.append(Resource(rid, r.get("label") or rid, r.get("unit"), limit))
    table = parsed.get("portfolio", {})
    bounds: dict[str, dict[str, int]] = {}
    for kind in ("min_track", "max_track"):
        bounds[kind] = dict(table.get(kind, {}))
        for track in bounds[kind]:
            if tracks is not None and track not in tracks:
                problems.append(
                    doc.error(
                        "unknown-track",
                        (*prefix, "portfolio", kind, track),
                        f"unknown track '{track}' (tracks: {', '.join(tracks)})",
                        hint=did_you_mean(track, tracks),
                    )
                )
    defaults = PortfolioDefaults(bounds["min_track"], bounds["max_track"], table.get("max_options"))
    return tuple(resources), defaults


# -- one option --------------------------------------------------------------------------


def check_costs(
    written: Mapping[str, CostIn | float],
    model: Model,
    doc: Document,
    path: Path,
    problems: list[Diagnostic],
) -> dict[str, Cost]:
    """Each cost names a resource of the model and is finite (the schema saw to that),
    at least 0, with ``low <= value <= high``; the good ones, resolved."""
    known = model.resource_ids
    out: dict[str, Cost] = {}
    for rid, cost in written.items():
        at = (*path, rid)
        if rid not in known:
            problems.append(
                doc.error(
                    "unknown-resource",
                    at,
                    f"'{rid}' is not a resource of the model ("
                    + (", ".join(known) if known else "it declares none: [resources.ID]")
                    + ")",
                    hint=did_you_mean(rid, known),
                )
            )
            continue
        resolved = _cost(cost, doc, at, problems)
        if resolved is not None:
            out[rid] = resolved
    return out


def _cost(cost: CostIn | float, doc: Document, at: Path, problems: list[Diagnostic]) -> Cost | None:
    if isinstance(cost, int | float):
        if cost < 0:
            message = f"cost {exact_number(cost)} is below 0"
            problems.append(doc.error("out-of-range", (*at, "value"), message, value=True))
            return None
        return Cost(cost, cost, cost)
    before = len(problems)
    for key in ("value", "low", "high"):
        x = getattr(cost, key)
        if x is not None and x < 0:
            message = f"cost {exact_number(x)} is below 0"
            problems.append(doc.error("out-of-range", (*at, key), message, value=True))
    if len(problems) > before:
        return None
    value = cost.value
    low = value if cost.low is None else cost.low
    high = value if cost.high is None else cost.high
    if not low <= value <= high:
        problems.append(
            doc.error(
                "bad-range",
                at,
                f"needs low <= value <= high, got {exact_number(low)} <= "
                f"{exact_number(value)} <= {exact_number(high)}",
            )
        )
        return None
    return Cost(value, low, high, cost.rationale, tuple(cost.sources))


def check_links(
    option_id: str,
    requires: Sequence[str],
    conflicts: Sequence[str],
    doc: Document,
    base: Path,
    problems: list[Diagnostic],
) -> None:
    """An option requires or conflicts with others, never itself, and never both
    requires and conflicts with the same one (it could then never be chosen)."""
    for key, ids in (("requires", requires), ("conflicts", conflicts)):
        for k, other in enumerate(ids):
            if other == option_id:
                message = f"'{other}' is this option itself"
                problems.append(doc.error("bad-link", (*base, key, k), message, value=True))
    for k, other in enumerate(conflicts):
        if other in requires and other != option_id:
            message = f"'{other}' is also in requires: the option could never be chosen"
            problems.append(doc.error("bad-link", (*base, "conflicts", k), message, value=True))


Linked = tuple[Document, Path, Sequence[str], Sequence[str]]
"""An option's document, path, ``requires`` and ``conflicts``."""


def check_link_targets(entries: Iterable[Linked], ids: Sequence[str]) -> list[Diagnostic]:
    """Every id named in a ``requires`` or ``conflicts`` is an option of the set."""
    known = set(ids)
    out = []
    for doc, base, requires, conflicts in entries:
        for key, named in (("requires", requires), ("conflicts", conflicts)):
            for k, other in enumerate(named):
                if other not in known:
                    out.append(
                        doc.error(
                            "unknown-id",
                            (*base, key, k),
                            f"no option of the set has the id '{other}'",
                            hint=did_you_mean(other, ids),
                            value=True,
                        )
                    )
    return out


def cost_warnings(
    costs: Iterable[str], model: Model, doc: Document, base: Path
) -> list[Diagnostic]:
    """``validate --strict``: a resource with a limit that the option gives no cost for
    (``portfolio`` refuses the option then: an unknown cost is not a zero cost)."""
    given = set(costs)
    return [
        doc.warning(
            "no-cost",
            (*base, "costs") if given else base,
            f"no cost for '{r.id}' (the resource has a limit; portfolio needs one)",
        )
        for r in model.limited
        if r.id not in given
    ]
