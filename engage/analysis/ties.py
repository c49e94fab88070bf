"""Ranks with ties over many draws at once (docs/methods.md#ranks-and-ties), vectorised."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from engage.core.ranking import TIE_TOLERANCE

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]


def tied(a: Floats, b: Floats) -> npt.NDArray[np.bool_]:
    """docs/methods.md#ranks-and-ties elementwise: |a − b| <= 1e-9 × max(1, |a|, |b|)."""
    return np.abs(a - b) <= TIE_TOLERANCE * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))


def placements(scores: Floats) -> tuple[Ints, Ints, Ints]:
    """Per draw (row): options sorted by score descending, and each sorted position's
    tie group as [start, end) in positions.

    Groups form along the sorted list against each group's first member
    (docs/methods.md#ranks-and-ties);
    equal scores keep the options' order (id order). The sequential rule is applied
    column by column, vectorised over the draws, only for draws that have a near tie.
    """
    c, n = scores.shape
    order: Ints = np.argsort(-scores, axis=1, kind="stable")
    ordered = np.take_along_axis(scores, order, axis=1)
    positions = np.arange(n)
    start: Ints = np.broadcast_to(positions, (c, n)).copy()
    near = tied(ordered[:, :-1], ordered[:, 1:]).any(axis=1)
    if near.any():
        start[near] = _group_starts(ordered[near])
    first = np.where(start == positions, positions, n)
    following = np.minimum.accumulate(first[:, ::-1], axis=1)[:, ::-1]
    end: Ints = np.concatenate([following[:, 1:], np.full((c, 1), n)], axis=1)
    return order, start, end


def _group_starts(ordered: Floats) -> Ints:
    c, n = ordered.shape
    start = np.zeros((c, n), dtype=np.intp)
    current = np.zeros(c, dtype=np.intp)
    leader = ordered[:, 0].copy()
    for k in range(1, n):
        joins = tied(leader, ordered[:, k])
        current = np.where(joins, current, k)
        leader = np.where(joins, leader, ordered[:, k])
        start[:, k] = current
    return start


def at_top(scores: Floats) -> npt.NDArray[np.bool_]:
    """Along the last axis: which scores tie with the highest (docs/methods.md#ranks-and-ties).

    With b <= a = the highest, max(1, |a|, |b|) exceeds max(1, |a|) only when
    b < −max(1, |a|), where a − b <= 1e-9·|b| would need |b| within 1e-9 of |a|: a band
    narrower than one unit in the last place, so the cheaper bound is the same test.
    """
    best = scores.max(axis=-1, keepdims=True)
    floor = best - TIE_TOLERANCE * np.maximum(1.0, np.abs(best))
    result: npt.NDArray[np.bool_] = scores >= floor
    return result
