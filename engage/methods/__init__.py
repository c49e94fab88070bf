"""Aggregation methods: pure functions from a performance matrix to scores.

Every method takes the raw performance matrix (one row per option, one column per
criterion), the normalised weights and the direction of each criterion, and returns a
:class:`MethodResult`. Nothing here knows about files, ids or the model: the caller maps
rows back to options.
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


METHODS = ("weighted-sum", "topsis", "promethee")
"""Method names as they appear in the model, on the command line and in JSON."""

SCORE_UNITS = {"weighted-sum": "points", "topsis": "closeness", "promethee": "net flow"}
