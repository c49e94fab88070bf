"""The top-stays-top interval of one weight (docs/methods.md#sensitivity), vectorised for `engage
explore`.

`engage sensitivity` finds these intervals (and the no-rank-change ones) in Python loops
over the options: right for one answer, too slow to redo on every keypress of a live
view of 1,000 options. These are the same rules over numpy arrays, for the one interval
the view shows; tests hold them to :mod:`engage.analysis.sensitivity`'s answers.

Scores come in rank order at the current weight t0 (the top option first; first in id
order when tied), with the ids in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from engage.analysis.sensitivity import NUMERIC_TOLERANCE, SCAN_STEPS
from engage.core.ranking import TIE_TOLERANCE

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Floats = npt.NDArray[np.float64]
    Bools = npt.NDArray[np.bool_]

SECTIONS = 8
"""Points per round when narrowing a TOPSIS interval end (vectorised bisection)."""

Interval = tuple[float, float, str | None, str | None]
"""(low, high, who takes over below low, who takes over above high)."""


def _tied(x: Floats | float, y: Floats) -> Bools:
    """docs/methods.md#ranks-and-ties's tie, elementwise: |x − y| <= 1e-9 × max(1, |x|, |y|)."""
    import numpy as np

    scale = np.maximum(1.0, np.maximum(np.abs(x), np.abs(y)))
    return np.asarray(np.abs(x - y) <= TIE_TOLERANCE * scale)


def linear(s0: Sequence[float], s1: Sequence[float], t0: float, ids: Sequence[str]) -> Interval:
    """For scores linear in the weight (weighted sum, PROMETHEE II): exact.

    ``s0``/``s1`` are the scores with the weight at 0 and at 1. The rules of the exact
    solver of `sensitivity`: a rival tied with the top now counts on the side where it
    leads; a rival ahead at t = 0 (resp. 1) crosses at t = d0 / (d0 − d1); the nearest
    crossing on each side ends the interval, and among crossings there the steepest,
    then the first id, takes over.
    """
    import numpy as np

    a0, a1 = s0[0], s1[0]
    r0, r1 = np.asarray(s0[1:], dtype=np.float64), np.asarray(s1[1:], dtype=np.float64)
    d0, d1 = a0 - r0, a1 - r1
    tie0, tie1 = _tied(a0, r0), _tied(a1, r1)
    tie_now = _tied((1.0 - t0) * a0 + t0 * a1, (1.0 - t0) * r0 + t0 * r1)
    slope = d1 - d0
    with np.errstate(all="ignore"):  # 0/0 only where no crossing is taken
        t = np.where(tie_now, t0, d0 / (d0 - d1))
    splits = tie_now & ~(tie0 & tie1)
    ahead_at_0 = ~tie_now & (d0 < 0) & ~tie0
    below = (splits & (slope > 0)) | ahead_at_0
    above = (splits & ~(slope > 0)) | (~tie_now & ~ahead_at_0 & (d1 < 0) & ~tie1)

    def nearest(mask: Bools, below_side: bool) -> tuple[float, str | None]:
        boundary = 0.0 if below_side else 1.0
        if not mask.any():
            return boundary, None
        end = float(t[mask].max() if below_side else t[mask].min())
        end = min(max(end, 0.0), 1.0)
        if end == boundary:
            return boundary, None
        sign = 1.0 if below_side else -1.0
        same = np.flatnonzero(mask & (np.abs(t - end) <= 1e-12))
        return end, min((-sign * float(slope[k]), ids[int(k) + 1]) for k in same)[1]

    (low, taker_below), (high, taker_above) = nearest(below, True), nearest(above, False)
    return low, high, taker_below, taker_above


def numeric(scores_at: Callable[[Floats], Floats], t0: float, ids: Sequence[str]) -> Interval:
    """For any method (TOPSIS): scan outward from t0 and bisect the first change, to
    :data:`~engage.analysis.sensitivity.NUMERIC_TOLERANCE`, as `sensitivity` does.

    ``scores_at(ts)`` gives one row of scores per weight in ``ts``. The top holds at t
    while it ties the best score (it keeps rank 1); past an end, the option that takes
    over is the first id among those tied with the best.
    """
    import numpy as np

    def holds(ts: Sequence[float]) -> Bools:
        scores = scores_at(np.asarray(ts, dtype=np.float64))
        return _tied(scores.max(axis=1), scores[:, 0])

    def taker(t: float) -> str:
        scores = scores_at(np.asarray([t], dtype=np.float64))[0]
        return min(ids[int(k)] for k in np.flatnonzero(_tied(scores.max(), scores)))

    def edge(end: float) -> tuple[float, str | None]:
        steps = max(1, round(abs(end - t0) * SCAN_STEPS))
        grid = [end if k == steps else t0 + (end - t0) * k / steps for k in range(1, steps + 1)]
        failing = np.flatnonzero(~holds(grid))
        if not failing.size:
            return end, None
        k = int(failing[0])
        before, after = (t0 if k == 0 else grid[k - 1]), grid[k]
        # narrow the bracket SECTIONS-fold a round (bisection's one scoring a step
        # would cost a numpy call each, the scan dominates either way)
        while abs(after - before) > NUMERIC_TOLERANCE / 4:
            inside = np.linspace(before, after, SECTIONS + 1)[1:-1].tolist()
            failing = np.flatnonzero(~holds(inside))
            if not failing.size:
                before = inside[-1]
                continue
            k = int(failing[0])
            before, after = (before if k == 0 else inside[k - 1]), inside[k]
        return before, taker(after)

    (low, below), (high, above) = edge(0.0), edge(1.0)
    return low, high, below, above
