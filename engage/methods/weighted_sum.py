"""The additive value model (weighted sum) on scale-anchored value functions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar, cast

from engage.core.model import interpolate
from engage.methods import MethodResult
from engage.methods.base import CriterionLike, Method

if TYPE_CHECKING:
    from engage.methods.base import Floats

X = TypeVar("X")
Curve = tuple[tuple[float, float], ...]
"""A value function's points (x, v), x strictly increasing, v in 0–100."""


def value(x: X, lo: float, span: float, better: bool) -> X:
    """v = (x − lo) / span, or 1 − v when lower is better: 0 at the worst end of the
    scale, 1 at the best. ``x`` is one value (:func:`weighted_sum`) or an array of them
    (:func:`score_batch`); the same operations either way."""
    v = (x - lo) / span  # type: ignore[operator]
    return v if better else 1.0 - v  # type: ignore[return-value]


def weighted_sum(
    matrix: Sequence[Sequence[float]],
    weights: Sequence[float],
    higher_is_better: Sequence[bool],
    scales: Sequence[tuple[float, float]],
    curves: Sequence[Curve | None] | None = None,
) -> MethodResult:
    """Score each option as 100 · Σ_j w_j · v_ij, in points from 0 to 100.

    v_ij = (x_ij − lo_j) / (hi_j − lo_j), replaced by 1 − v_ij when lower is better, so
    each criterion's value function is linear and anchored on its scale rather than on
    the options present: adding or removing an option never changes another's score.
    The contribution of criterion j is c_ij = (100 · w_j) · v_ij and the score is the sum
    of the contributions (left to right), so the shares shown always add up to the score
    shown.

    Edge cases: a zero weight contributes 0; a single option or identical options get
    the same scores they would get in any larger set.

    ``curves``: a criterion's value function (docs/methods.md#value-functions) replaces
    v_ij by f_j(x_ij) / 100; None (or no ``curves``) keeps the linear v_ij.

    Reference: Department for Communities and Local Government (2009), *Multi-criteria
    analysis: a manual*, ch. 6 (the linear additive model, MCDA).
    """
    cells = [
        (lo, hi - lo, better, curve)
        for (lo, hi), better, curve in zip(
            scales, higher_is_better, curves or [None] * len(scales), strict=True
        )
    ]
    factors = [100.0 * w for w in weights]
    scores: list[float] = []
    contributions: list[list[float]] = []
    for row in matrix:
        parts = [
            factor * (interpolate(curve, x) / 100.0 if curve else value(x, lo, span, better))
            for x, (lo, span, better, curve), factor in zip(row, cells, factors, strict=True)
        ]
        contributions.append(parts)
        scores.append(sum(parts))
    return MethodResult(scores=scores, contributions=contributions)


def score(
    matrix: Sequence[Sequence[float]], weights: Sequence[float], criteria: Sequence[CriterionLike]
) -> MethodResult:
    directions = [c.higher_is_better for c in criteria]
    scales = [(c.lo, c.hi) for c in criteria]
    return weighted_sum(matrix, weights, directions, scales, [c.value_function for c in criteria])


def score_batch(matrices: Floats, weights: Floats, criteria: Sequence[CriterionLike]) -> Floats:
    """:func:`weighted_sum`'s scores of many matrices at once, bit for bit: column j is
    (100 · w_j) · v_j over every draw and option, and the columns add left to right."""
    parts = [
        (100.0 * weights[..., j, None]) * _values(matrices[..., j], c)
        for j, c in enumerate(criteria)
    ]
    return cast("Floats", sum(parts))


def _values(x: Floats, c: CriterionLike) -> Floats:
    curve = c.value_function
    if curve is None:
        return value(x, c.lo, c.hi - c.lo, c.higher_is_better)
    import numpy as np

    xs, vs = zip(*curve, strict=True)
    out: Floats = np.interp(x, xs, vs) / 100.0
    return out


def value_slope(weight: float, criterion: CriterionLike) -> float:
    """The score's change per unit of one raw value: 100 · w_j · s_j / (hi − lo)."""
    sign = 1.0 if criterion.higher_is_better else -1.0
    return 100.0 * weight / (criterion.hi - criterion.lo) * sign


METHOD = Method(
    name="weighted-sum",
    score_unit="points",
    score_range=(0.0, 100.0),
    score=score,
    score_batch=score_batch,
    additive=True,
    linear_in_weights=True,
    monotone_in_values=True,
    honours_value_functions=True,
    value_slope=value_slope,
)
