"""TOPSIS: closeness to the ideal option, with vector normalisation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from engage.methods import MethodResult
from engage.methods.base import CriterionLike, Method
from engage.methods.vectors import LISTS, S, V, Vectors

if TYPE_CHECKING:
    from engage.methods.base import Floats


def topsis(
    matrix: Sequence[Sequence[float]],
    weights: Sequence[float],
    higher_is_better: Sequence[bool],
) -> MethodResult:
    """Score each option by its relative closeness to the ideal, from 0 to 1.

    With n options (rows) and m criteria (columns), weights w_j already normalised to
    sum 1:

    - vector normalisation r_ij = x_ij / sqrt(Σ_i x_ij²), and r_ij = 0 when column j is
      all zero;
    - weighted values y_ij = w_j · r_ij;
    - ideal A+_j = max_i y_ij when higher is better, min_i y_ij when lower is better; the
      anti-ideal A−_j is the opposite end;
    - D+_i and D−_i are the Euclidean distances from row i to A+ and A−;
    - closeness C_i = D−_i / (D+_i + D−_i), the score.

    Edge cases (all finite, never a division by zero): a column of zeros contributes
    nothing; a constant criterion contributes nothing to either distance, so it does not
    change any score; a zero weight removes its criterion; when D+_i = D−_i = 0 (a single
    option, identical options, or every criterion constant or weighted zero) C_i = 0.5.
    TOPSIS has no additive breakdown, so ``contributions`` is ``None``.

    Cost: O(n·m) time and memory (one pass per column, one per row). Column norms use
    :func:`math.hypot` and distances :func:`math.dist`, which scale internally, so very
    large values do not overflow when squared. The arithmetic is :func:`closeness`, which
    :func:`score_batch` runs on numpy arrays.

    Reference: Hwang, C.-L. and Yoon, K. (1981), *Multiple Attribute Decision Making:
    Methods and Applications*, Springer (TOPSIS; the fighter-aircraft example of
    pp. 133-134 is reproduced in ``tests/methods/test_topsis.py``).
    """
    m = len(weights)
    directions = list(higher_is_better)
    if len(directions) != m:
        raise ValueError(f"{m} weights but {len(directions)} directions")
    rows = [list(row) for row in matrix]
    for row in rows:
        if len(row) != m:
            raise ValueError(f"a row has {len(row)} values, expected {m}")
    if not rows:
        return MethodResult(scores=[], contributions=None)
    if not m:  # no criterion: both distances are 0 for every option
        return MethodResult(scores=[0.5] * len(rows), contributions=None)
    columns = [list(column) for column in zip(*rows, strict=True)]
    scores = closeness(columns, list(weights), directions, LISTS)
    return MethodResult(scores=scores, contributions=None)


def closeness(
    columns: Sequence[V], weights: Sequence[S], higher_is_better: Sequence[bool], ops: Vectors[V, S]
) -> V:
    """TOPSIS's arithmetic, once, on the criteria's columns (see :func:`topsis`)."""
    ys: list[V] = []
    ideal: list[S] = []
    anti: list[S] = []
    for column, w, better in zip(columns, weights, higher_is_better, strict=True):
        factor = ops.ratio(w, ops.norm(column), 0.0)
        # y = x · factor; for factor >= 0 (non-negative weights) the extreme y sit at the
        # extreme x, but taking them from the y themselves stays right for any sign.
        y = ops.scaled(column, factor)
        hi, lo = ops.largest(y), ops.smallest(y)
        ideal.append(hi if better else lo)
        anti.append(lo if better else hi)
        ys.append(y)
    d_plus = ops.distances(ys, ideal)
    d_minus = ops.distances(ys, anti)
    return ops.ratios(d_minus, ops.plus(d_plus, d_minus), 0.5)


def score(
    matrix: Sequence[Sequence[float]], weights: Sequence[float], criteria: Sequence[CriterionLike]
) -> MethodResult:
    return topsis(matrix, weights, [c.higher_is_better for c in criteria])


def score_batch(matrices: Floats, weights: Floats, criteria: Sequence[CriterionLike]) -> Floats:
    """:func:`closeness` on numpy arrays: every draw at once."""
    from engage.methods.arrays import ARRAYS

    m = len(criteria)
    columns = [matrices[..., j] for j in range(m)]
    return closeness(
        columns,
        [weights[..., j, None] for j in range(m)],
        [c.higher_is_better for c in criteria],
        ARRAYS,
    )


METHOD = Method(
    name="topsis",
    score_unit="closeness",
    score_range=(0.0, 1.0),
    score=score,
    score_batch=score_batch,
    additive=False,
    linear_in_weights=False,
    monotone_in_values=False,
    relative=True,
    draw_cost=5.0,
)
