""":class:`engage.methods.vectors.Vectors` on numpy arrays: many draws at once.

Imported only by the methods' ``score_batch`` (robustness), never by ranking. Norms and
distances are scaled by the largest magnitude before squaring, as :func:`math.hypot`
does, so values near the ends of the float range neither overflow nor vanish; they agree
with the list forms to rounding, not bit for bit.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from engage.methods.vectors import Vectors

Floats = npt.NDArray[np.float64]


def _hypot(parts: Sequence[Floats]) -> Floats:
    """√(Σ_k parts_k²) elementwise, computed as big · √(Σ (parts_k / big)²)."""
    big = functools.reduce(np.maximum, (np.abs(part) for part in parts))
    safe = np.where(big > 0.0, big, 1.0)
    total = functools.reduce(np.add, (np.square(part / safe) for part in parts))
    out: Floats = big * np.sqrt(total)
    return out


class _Arrays:
    def norm(self, v: Floats) -> Floats:
        big = np.abs(v).max(axis=-1, keepdims=True)
        safe = np.where(big > 0.0, big, 1.0)
        out: Floats = big * np.sqrt(np.square(v / safe).sum(axis=-1, keepdims=True))
        return out

    def scaled(self, v: Floats, factor: Floats) -> Floats:
        out: Floats = v * factor
        return out

    def largest(self, v: Floats) -> Floats:
        out: Floats = v.max(axis=-1, keepdims=True)
        return out

    def smallest(self, v: Floats) -> Floats:
        out: Floats = v.min(axis=-1, keepdims=True)
        return out

    def distances(self, columns: Sequence[Floats], point: Sequence[Floats]) -> Floats:
        return _hypot([c - p for c, p in zip(columns, point, strict=True)])

    def plus(self, a: Floats, b: Floats) -> Floats:
        out: Floats = a + b
        return out

    def ratio(self, a: Floats, b: Floats, default: float) -> Floats:
        out = np.full(np.broadcast_shapes(a.shape, b.shape), default)
        np.divide(a, b, out=out, where=b > 0.0)
        return out

    def ratios(self, a: Floats, b: Floats, default: float) -> Floats:
        return self.ratio(a, b, default)


ARRAYS: Vectors[Floats, Floats] = _Arrays()
