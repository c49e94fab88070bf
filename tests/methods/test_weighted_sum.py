"""The weighted sum (linear additive model): a published example and its properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.methods.weighted_sum import weighted_sum

# Three alternatives A1..A3 on four benefit criteria C1..C4, the performance values all in
# the same unit, relative weights 0.20, 0.15, 0.40, 0.25.
WSM_MATRIX = [
    [25.0, 20.0, 15.0, 30.0],
    [10.0, 30.0, 20.0, 30.0],
    [30.0, 10.0, 30.0, 10.0],
]
WSM_WEIGHTS = [0.20, 0.15, 0.40, 0.25]
WSM_SCORES = [21.50, 22.00, 22.00]  # as printed, two decimals


def test_weighted_sum_model_worked_example() -> None:
    """The numerical example of the Wikipedia article "Weighted sum model" (section
    "Example"): A1 = 25 × 0.20 + 20 × 0.15 + 15 × 0.40 + 30 × 0.25 = 21.50, A2 = 22.00,
    A3 = 22.00.

    Read from copies of the article (the search tool stores no wikipedia.org copy):
    http://cryer.org.uk/weighted_sum_model and https://wikiblah.com/wiki/weighted-sum-model
    (table with the WSM scores), http://chaos.owiki.org/wiki/Weighted_sum_model (the
    matrix and weights). Not the UK DCLG (2009) manual's example: its data could not be
    retrieved, so none of its numbers are used here.

    Mapping onto engage: the published model is Σ_j w_j a_ij on values already in one
    unit. engage scores 100 · Σ_j w_j (x_ij − lo_j) / (hi_j − lo_j); with every scale
    [lo, hi] = [0, 100], higher better, and the published weights (which sum to 1), that
    is exactly Σ_j w_j x_ij, and the contribution of criterion j is 100 · w_j · x_ij / 100
    = w_j · x_ij (e.g. A1: 5.0 + 3.0 + 6.0 + 7.5).

    Precision: all three scores to the 2 printed decimals (and to 1e-12).
    """
    result = weighted_sum(WSM_MATRIX, WSM_WEIGHTS, [True] * 4, [(0.0, 100.0)] * 4)
    assert [round(s, 2) for s in result.scores] == WSM_SCORES
    assert result.scores == pytest.approx(WSM_SCORES, abs=1e-12)
    assert result.contributions is not None
    assert result.contributions[0] == pytest.approx([5.0, 3.0, 6.0, 7.5], abs=1e-12)
    ranking = sorted(range(3), key=lambda i: -result.scores[i])
    assert ranking[0] in (1, 2)  # A2 and A3 tie at 22.00
    assert ranking[-1] == 0


# -- properties ---------------------------------------------------------------------------

Problem = tuple[list[list[float]], list[float], list[bool], list[tuple[float, float]]]


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    """Values inside their scales, weights summing to 1 (or all zero)."""
    n = draw(st.integers(1, 10))
    m = draw(st.integers(1, 5))
    scales = []
    for _ in range(m):
        lo = draw(st.integers(-10, 10))
        scales.append((float(lo), float(lo + draw(st.integers(1, 20)))))
    matrix = [[draw(st.floats(lo, hi, allow_nan=False)) for lo, hi in scales] for _ in range(n)]
    raw = draw(st.lists(st.integers(0, 5), min_size=m, max_size=m))
    total = sum(raw)
    weights = [w / total for w in raw] if total else [0.0] * m
    better = draw(st.lists(st.booleans(), min_size=m, max_size=m))
    return matrix, weights, better, scales


@settings(derandomize=True, max_examples=200, deadline=None)
@given(problems())
def test_contributions_add_up_to_the_score(problem: Problem) -> None:
    result = weighted_sum(*problem)
    assert result.contributions is not None
    for score, parts in zip(result.scores, result.contributions, strict=True):
        assert sum(parts) == score
        assert -1e-9 <= score <= 100 + 1e-9


@settings(derandomize=True, max_examples=100, deadline=None)
@given(st.data())
def test_permuting_rows_permutes_results(data: st.DataObject) -> None:
    matrix, weights, better, scales = data.draw(problems())
    order = data.draw(st.permutations(range(len(matrix))))
    base = weighted_sum(matrix, weights, better, scales)
    moved = weighted_sum([matrix[i] for i in order], weights, better, scales)
    assert moved.scores == [base.scores[i] for i in order]
    assert base.contributions is not None
    assert moved.contributions == [base.contributions[i] for i in order]


@settings(derandomize=True, max_examples=100, deadline=None)
@given(problems())
def test_lower_is_better_mirrors_the_scale(problem: Problem) -> None:
    """x on a lower-is-better criterion scores as lo + hi − x on a higher-is-better one."""
    matrix, weights, better, scales = problem
    mirrored = [
        [x if up else lo + hi - x for x, up, (lo, hi) in zip(row, better, scales, strict=True)]
        for row in matrix
    ]
    direct = weighted_sum(matrix, weights, better, scales).scores
    flipped = weighted_sum(mirrored, weights, [True] * len(weights), scales).scores
    assert direct == pytest.approx(flipped, abs=1e-9)


def test_scale_ends_anchor_zero_and_hundred() -> None:
    scales = [(0.0, 10.0), (2.0, 6.0)]
    result = weighted_sum([[10.0, 2.0], [0.0, 6.0]], [0.75, 0.25], [True, False], scales)
    assert result.scores == [100.0, 0.0]
    assert result.contributions == [[75.0, 25.0], [0.0, 0.0]]
