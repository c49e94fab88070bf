"""The few vector operations a method's arithmetic needs, for one matrix or for many.

A method written against :class:`Vectors` runs on a matrix's columns as Python lists
(:data:`LISTS`, what ranking uses: no numpy) and on many draws at once as numpy arrays
(:data:`engage.methods.arrays.ARRAYS`, what robustness uses), from one text. A vector ``V``
holds one criterion's values over the options: a ``list[float]``, or an array (..., n)
whose leading axes are draws. A per-criterion quantity ``S`` (a norm, an ideal value, a
weight) is a float, or an array (..., 1) that broadcasts against the vectors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol, TypeVar

V = TypeVar("V")
S = TypeVar("S")


class Vectors(Protocol[V, S]):
    def norm(self, v: V) -> S:
        """Euclidean norm over the options, without overflow or underflow in squaring."""
        ...

    def scaled(self, v: V, factor: S) -> V: ...

    def largest(self, v: V) -> S: ...

    def smallest(self, v: V) -> S: ...

    def distances(self, columns: Sequence[V], point: Sequence[S]) -> V:
        """Each option's Euclidean distance (over the criteria) to ``point``."""
        ...

    def plus(self, a: V, b: V) -> V: ...

    def ratio(self, a: S, b: S, default: float) -> S:
        """a / b where b > 0, else ``default``."""
        ...

    def ratios(self, a: V, b: V, default: float) -> V:
        """a / b elementwise where b > 0, else ``default``."""
        ...


class _Lists:
    """Vectors as lists of floats; norms and distances through :mod:`math`, which scales."""

    def norm(self, v: list[float]) -> float:
        return math.hypot(*v)

    def scaled(self, v: list[float], factor: float) -> list[float]:
        return [x * factor for x in v]

    def largest(self, v: list[float]) -> float:
        return max(v)

    def smallest(self, v: list[float]) -> float:
        return min(v)

    def distances(self, columns: Sequence[list[float]], point: Sequence[float]) -> list[float]:
        return [math.dist(row, point) for row in zip(*columns, strict=True)]

    def plus(self, a: list[float], b: list[float]) -> list[float]:
        return [x + y for x, y in zip(a, b, strict=True)]

    def ratio(self, a: float, b: float, default: float) -> float:
        return a / b if b > 0.0 else default

    def ratios(self, a: list[float], b: list[float], default: float) -> list[float]:
        return [x / y if y > 0.0 else default for x, y in zip(a, b, strict=True)]


LISTS: Vectors[list[float], float] = _Lists()
