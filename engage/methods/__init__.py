"""Aggregation methods: pure functions from a performance matrix to scores.

Every method takes the raw performance matrix (one row per option, one column per
criterion), the normalised weights and the criteria (direction, scale, preference
function), and returns a :class:`MethodResult`. Nothing here knows about files, ids or
the model: the caller maps rows back to options. What a method is, and the properties
the rest of engage asks of it, is :class:`engage.methods.base.Method`; the methods
engage knows are listed in :mod:`engage.methods.registry`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MethodResult:
    """Scores of one method, in the order of the matrix rows.

    ``contributions[i][j]`` is criterion j's additive share of option i's score (the
    shares add up to the score); ``None`` for a method that has no additive breakdown.
    """

    scores: list[float]
    contributions: list[list[float]] | None
