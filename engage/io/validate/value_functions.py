"""A criterion's value function (docs/formats.md#value-functions): the rules of SPEC §8,
each reported at the point that breaks it."""

from __future__ import annotations

from collections.abc import Sequence

from engage.core.errors import Diagnostic
from engage.core.model import exact_number
from engage.io.document import Document
from engage.io.validate.structure import Path

CODE = "bad-value-function"


def check_value_function(
    points: Sequence[Sequence[float]] | None,
    lo: float,
    hi: float,
    higher_is_better: bool,
    doc: Document,
    path: Path,
    problems: list[Diagnostic],
) -> tuple[tuple[float, float], ...] | None:
    """The points as (x, v) pairs, or None (none given, or one rule broken: each broken rule
    is a diagnostic at its point). Rules: at least two points; x strictly increasing from
    the scale's ``lo`` to its ``hi`` exactly; v in 0–100 and monotone in the criterion's
    direction; the best end 100 and the worst 0."""
    if points is None:
        return None
    before = len(problems)

    def bad(at: Path, message: str) -> None:
        problems.append(doc.error(CODE, at, message, value=True))

    if len(points) < 2:
        bad(path, f"needs at least 2 points (from {exact_number(lo)} to {exact_number(hi)})")
        return None
    pairs = [(float(p[0]), float(p[1])) for p in points]
    if pairs[0][0] != lo:
        bad((*path, 0, 0), f"the first point's x must be the scale's lo {exact_number(lo)}")
    if pairs[-1][0] != hi:
        last = len(pairs) - 1
        bad((*path, last, 0), f"the last point's x must be the scale's hi {exact_number(hi)}")
    for i, (x, v) in enumerate(pairs):
        if not 0.0 <= v <= 100.0:
            bad((*path, i, 1), f"value {exact_number(v)} is outside 0-100")
        if i == 0:
            continue
        px, pv = pairs[i - 1]
        if not x > px:
            bad(
                (*path, i, 0),
                f"x must increase strictly ({exact_number(x)} after {exact_number(px)})",
            )
        if (v < pv) if higher_is_better else (v > pv):
            direction = "non-decreasing" if higher_is_better else "non-increasing"
            bad(
                (*path, i, 1),
                f"values must be {direction} (better = "
                f"{'higher' if higher_is_better else 'lower'}): {exact_number(v)} after "
                f"{exact_number(pv)}",
            )
    worst, best = (0, -1) if higher_is_better else (-1, 0)
    if len(problems) == before:
        if pairs[best][1] != 100.0:
            bad((*path, best % len(pairs), 1), "the best end of the scale must have value 100")
        if pairs[worst][1] != 0.0:
            bad((*path, worst % len(pairs), 1), "the worst end of the scale must have value 0")
    return tuple(pairs) if len(problems) == before else None
