"""The additive value model (weighted sum) on scale-anchored value functions."""

from __future__ import annotations

from collections.abc import Sequence

from engage.methods import MethodResult


def weighted_sum(
    matrix: Sequence[Sequence[float]],
    weights: Sequence[float],
    higher_is_better: Sequence[bool],
    scales: Sequence[tuple[float, float]],
) -> MethodResult:
    """Score each option as 100 · Σ_j w_j · v_ij, in points from 0 to 100.

    v_ij = (x_ij − lo_j) / (hi_j − lo_j), replaced by 1 − v_ij when lower is better, so
    each criterion's value function is linear and anchored on its scale rather than on
    the options present: adding or removing an option never changes another's score.
    The contribution of criterion j is c_ij = 100 · w_j · v_ij and the score is the sum
    of the contributions, so the shares shown always add up to the score shown.

    Edge cases: a zero weight contributes 0; a single option or identical options get
    the same scores they would get in any larger set.

    Reference: Department for Communities and Local Government (2009), *Multi-criteria
    analysis: a manual*, ch. 6 (the linear additive model, MCDA).
    """
    spans = [
        (lo, hi - lo, better) for (lo, hi), better in zip(scales, higher_is_better, strict=True)
    ]
    factors = [100.0 * w for w in weights]
    columns = [
        (lo, span, better, factor)
        for (lo, span, better), factor in zip(spans, factors, strict=True)
    ]
    contributions = [
        [
            factor * ((x - lo) / span if better else 1.0 - (x - lo) / span)
            for x, (lo, span, better, factor) in zip(row, columns, strict=True)
        ]
        for row in matrix
    ]
    return MethodResult(scores=[sum(parts) for parts in contributions], contributions=contributions)
