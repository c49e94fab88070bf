"""What each draw of `engage portfolio --draws` changes: values and costs
(docs/methods.md#portfolios-under-limited-resources, §4.7).

Scores and weights are drawn exactly as `robustness` draws them (its machinery, the same
seeds): every score with a range from triangular(low, value, high), one stream per
option seeded from the seed and its id; the weights by ``--weights-from`` from a stream
of the seed alone. A value is then the option's weighted-sum points under the drawn
weights (objective ``score``) or its delivered-if-linked points at the stall probability
(``delivered``: the weights play no part). Every cost with a range is drawn from
triangular(low, value, high) too, from a third stream per option (seed, id, 1), so a
draw never depends on the order of the files or on the other options.

Numbers are made in chunks of draws (the streams give the same numbers whatever the
chunk), so memory stays bounded on large sets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from engage.analysis.draws import (
    CHUNK_VALUES,
    Floats,
    ScoreDraws,
    Scorer,
    WeightDraws,
    stable_hash,
    stream,
    triangular,
)
from engage.analysis.portfolio import Draw
from engage.core.model import Model, Option
from engage.core.ranking import Lens
from engage.methods import registry

if TYPE_CHECKING:
    from engage.analysis.portfolio_run import Settings

COST_STREAM = 1
"""The third word of a cost stream's seed: (seed, stable hash of the id, 1)."""


class _CostDraws:
    """Triangular draws of the costs that have a range, option by option."""

    def __init__(self, options: Sequence[Option], resources: Sequence[str], seed: int) -> None:
        self.cells: list[list[tuple[str, str]]] = []  # per option: (id, resource) ranged
        self.streams = []
        low, mode, high = [], [], []
        for o in options:
            ranged = [
                (o.id, r) for r in resources if r in o.costs and o.costs[r].low < o.costs[r].high
            ]
            if ranged:
                self.cells.append(ranged)
                self.streams.append(stream([seed, stable_hash(o.id), COST_STREAM]))
                for _, r in ranged:
                    cost = o.costs[r]
                    low.append(cost.low)
                    mode.append(cost.value)
                    high.append(cost.high)
        lo, mo, hi = (np.array(v, dtype=float) for v in (low, mode, high))
        self.shape = (lo, hi, (mo - lo) / (hi - lo) if len(lo) else lo)
        self.areas = ((hi - lo) * (mo - lo), (hi - lo) * (hi - mo))

    def draw(self, c: int) -> list[dict[str, dict[str, float]]]:
        """``c`` draws: per draw {id: {resource: cost}} of the ranged costs."""
        if not self.streams:
            return [{} for _ in range(c)]
        u = np.concatenate(
            [s.random((c, len(cells))) for s, cells in zip(self.streams, self.cells, strict=True)],
            axis=1,
        )
        x = triangular(u, *self.shape, *self.areas)
        flat = [cell for cells in self.cells for cell in cells]
        out: list[dict[str, dict[str, float]]] = []
        for row in x.tolist():
            drawn: dict[str, dict[str, float]] = {}
            for (option_id, r), value in zip(flat, row, strict=True):
                drawn.setdefault(option_id, {})[r] = value
            out.append(drawn)
        return out


def _values(
    model: Model, lens: Lens, stall_probability: float | None
) -> Callable[[Floats, Floats], Floats]:
    """(drawn scores (c or 1, n, m), drawn weights (c, m)) → values (c, n)."""
    if stall_probability is None:
        scorer = Scorer(model, registry.DEFAULT)

        def points(x: Floats, w: Floats) -> Floats:
            return scorer.scores(x, w)

        return points
    from engage.analysis.decouple import roles

    found = roles(model)
    index = {c.id: j for j, c in enumerate(model.criteria)}
    parts = [
        (index[c.id], c.lo, c.hi - c.lo) for c in (found.benefit, found.feasibility, found.linkage)
    ]
    s = stall_probability

    def delivered(x: Floats, w: Floats) -> Floats:
        b, f, link = ((x[:, :, j] - lo) / span for j, lo, span in parts)
        out: Floats = np.broadcast_to(100 * b * f * (1 - s * link), (len(w), x.shape[1]))
        return out

    return delivered


def drawn_numbers(
    options: Sequence[Option],
    model: Model,
    lens: Lens,
    stall_probability: float | None,
    settings: Settings,
) -> Callable[[int], Draw]:
    """``draw(k)`` for k = 0, 1, … in turn: the values of every candidate and the drawn
    costs of draw k. ``stall_probability`` None: objective ``score``."""
    ordered = sorted(options, key=lambda o: o.id)
    ids = [o.id for o in ordered]
    scores = ScoreDraws(ordered, model, settings.seed)
    weights = WeightDraws(
        np.array(lens.weights, dtype=float),
        settings.weights_from,
        settings.concentration,
        settings.seed,
    )
    costs = _CostDraws(ordered, model.resource_ids, settings.seed)
    value_of = _values(model, lens, stall_probability)
    chunk = max(1, CHUNK_VALUES // max(1, len(ids) * len(model.criteria)))
    cache: dict[int, Draw] = {}
    following = [0]  # the first draw the streams give next

    def fill(start: int) -> None:
        if start != following[0]:
            raise ValueError(f"draw {start} asked for out of turn (next is {following[0]})")
        c = min(chunk, settings.draws - start) if settings.draws > start else chunk
        values = value_of(scores.draw(c), weights.draw(c)).tolist()
        drawn = costs.draw(c)
        cache.clear()
        following[0] = start + c
        for k in range(c):
            cache[start + k] = Draw(dict(zip(ids, values[k], strict=True)), drawn[k])

    def draw(k: int) -> Draw:
        if k not in cache:
            fill(k)
        return cache[k]

    return draw
