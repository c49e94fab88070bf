"""The weight elicitation formulas (docs/methods.md#eliciting-weights-engage-weigh) against published worked examples, and
their properties."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engage.analysis.weigh import (
    RANDOM_INDEX,
    ahp,
    consistency,
    geometric_mean,
    mean_weights,
    principal_eigenvector,
    rank_order_centroid,
    reciprocal_matrix,
    swing_weights,
)

# -- rank-order centroid ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "published"),
    [(3, [0.6111, 0.2778, 0.1111]), (4, [0.5208, 0.2708, 0.1458, 0.0625])],
)
def test_rank_order_centroid_matches_barron_and_barrett(n: int, published: list[float]) -> None:
    """Barron, F. H. & Barrett, B. E. (1996), "Decision quality using ranked attribute
    weights", Management Science 42(11): 1515-1523: the ROC weights as printed, to four
    decimals."""
    weights = rank_order_centroid([[k] for k in range(n)], n)
    assert [round(w, 4) for w in weights] == published


def test_rank_order_centroid_by_hand_for_two_and_five() -> None:
    """w_k = (1/n) Σ_{i=k..n} 1/i worked by hand: n = 2 gives 3/4, 1/4; n = 5 gives
    137/300, 77/300, 47/300, 27/300, 12/300."""
    assert rank_order_centroid([[0], [1]], 2) == pytest.approx((0.75, 0.25))
    five = rank_order_centroid([[k] for k in range(5)], 5)
    assert five == pytest.approx([x / 300 for x in (137, 77, 47, 27, 12)])


def test_tied_criteria_share_the_mean_of_their_positions_weights() -> None:
    """`benefit,feasibility=linkage`: positions 2 and 3 share (0.2778 + 0.1111) / 2."""
    weights = rank_order_centroid([[0], [1, 2]], 3)
    assert weights[0] == pytest.approx(11 / 18)
    assert weights[1] == weights[2] == pytest.approx((5 / 18 + 2 / 18) / 2)
    assert math.fsum(weights) == pytest.approx(1)


def test_an_order_given_out_of_criterion_order_weights_the_named_criteria() -> None:
    """Levels hold criterion indexes: `linkage,benefit,feasibility` puts linkage first."""
    assert rank_order_centroid([[2], [0], [1]], 3) == pytest.approx((5 / 18, 2 / 18, 11 / 18))


@given(st.integers(1, 15))
def test_rank_order_centroid_weights_sum_to_one_and_decrease(n: int) -> None:
    weights = rank_order_centroid([[k] for k in range(n)], n)
    assert math.fsum(weights) == pytest.approx(1, abs=1e-12)
    assert all(a > b for a, b in itertools.pairwise(weights))


@given(st.lists(st.integers(1, 4), min_size=1, max_size=6))
def test_ties_keep_the_sum_and_the_order_of_levels(sizes: list[int]) -> None:
    n = sum(sizes)
    levels, start = [], 0
    for size in sizes:
        levels.append(list(range(start, start + size)))
        start += size
    weights = rank_order_centroid(levels, n)
    assert math.fsum(weights) == pytest.approx(1, abs=1e-12)
    shares = [weights[level[0]] for level in levels]
    assert all(a > b for a, b in itertools.pairwise(shares))
    assert all(weights[i] == weights[level[0]] for level in levels for i in level)


# -- swing weighting -------------------------------------------------------------------------


def test_swing_points_normalised_over_the_scale() -> None:
    """Swing weighting as the UK MCA manual (DCLG 2009, §6.2.10 and §5.4.4) and von
    Winterfeldt & Edwards (1986) describe it: the largest swing gets 100, each other swing
    points relative to it, and the weights are the points divided by their total.

    The manual's own toaster numbers could not be retrieved here (as for the weighted
    sum's test), so this is the procedure worked by hand: 100, 50 and 25 points give
    100/175, 50/175 and 25/175.
    """
    assert swing_weights([100, 50, 25], None) == pytest.approx((4 / 7, 2 / 7, 1 / 7))


def test_swing_over_the_set_divides_each_points_by_the_share_of_its_scale() -> None:
    """docs/methods.md#eliciting-weights-engage-weigh: w_j ∝ points_j / Δv_j. The shipped set's swings are benefit 1 → 9
    (Δv 0.8), feasibility 2 → 8 (0.6), linkage 9 → 0 (0.9): 100, 70 and 40 points give
    125, 116.67 and 44.44, normalised 0.437, 0.408, 0.155."""
    weights = swing_weights([100, 70, 40], [0.8, 0.6, 0.9])
    raw = [100 / 0.8, 70 / 0.6, 40 / 0.9]
    assert weights == pytest.approx([r / sum(raw) for r in raw])
    assert [round(w, 3) for w in weights] == [0.437, 0.408, 0.155]


@given(st.integers(1, 10), st.floats(1, 100))
def test_equal_points_over_the_scale_give_equal_weights(n: int, points: float) -> None:
    assert swing_weights([points] * n, None) == pytest.approx([1 / n] * n)


@given(st.lists(st.floats(0.01, 1), min_size=1, max_size=8))
def test_a_swing_over_the_set_worth_its_share_of_the_scale_is_a_swing_over_the_scale(
    shares: list[float],
) -> None:
    """Points p_j · Δv_j for swings over the set carry the same weights as points p_j over
    the whole scale: the correction undoes exactly the narrower swing."""
    points = [100.0 * (k + 1) / len(shares) for k in range(len(shares))]
    narrowed = [p * s for p, s in zip(points, shares, strict=True)]
    assert swing_weights(narrowed, shares) == pytest.approx(swing_weights(points, None))


def test_a_criterion_given_no_points_weighs_nothing_even_with_no_swing() -> None:
    assert swing_weights([100, 0], [0.5, 0.0]) == (1.0, 0.0)


# -- AHP -------------------------------------------------------------------------------------

# Saaty, T. L. (2008), "Decision making with the analytic hierarchy process",
# Int. J. Services Sciences 1(1): 83-98, Table 2: "Which drink is consumed more in the US?"
DRINKS = ("coffee", "wine", "tea", "beer", "sodas", "milk", "water")
DRINKS_MATRIX = [
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
]
DRINKS_WEIGHTS = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]

# Saaty, T. L. (1990), "How to make a decision: the analytic hierarchy process",
# European Journal of Operational Research 48: 9-26, the house example: size of house,
# transportation, neighbourhood, age, yard, modern facilities, general condition, financing.
HOUSE_MATRIX = [
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
]
HOUSE_WEIGHTS = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]


def _judgements(matrix: list[list[float]]) -> dict[tuple[int, int], float]:
    n = len(matrix)
    return {(i, j): float(matrix[i][j]) for i in range(n) for j in range(i + 1, n)}


def test_saaty_2008_drinks_weights_and_consistency() -> None:
    """Saaty (2008), Table 2: the derived priorities .177 .019 .042 .116 .190 .129 .327
    (to three decimals) and CR = 0.022, from the upper triangle and its reciprocals."""
    matrix = reciprocal_matrix(7, _judgements(DRINKS_MATRIX))
    weights, checked = ahp(matrix)
    assert [round(w, 3) for w in weights] == DRINKS_WEIGHTS
    assert round(checked.cr, 3) == 0.022
    assert checked.acceptable


def test_saaty_1990_house_weights_lambda_ci_and_cr() -> None:
    """Saaty (1990), the house example: priorities .173 .054 .188 .018 .031 .036 .167 .333,
    λmax = 9.669, CI = 0.238, CR = 0.169 — over 0.10, so inconsistent."""
    weights, checked = ahp(reciprocal_matrix(8, _judgements(HOUSE_MATRIX)))
    assert [round(w, 3) for w in weights] == HOUSE_WEIGHTS
    assert round(checked.lambda_max, 3) == 9.669
    assert round(checked.ci, 3) == 0.238
    assert round(checked.cr, 3) == 0.169
    assert not checked.acceptable


def test_the_house_examples_most_inconsistent_triple_holds_its_doubtful_judgement() -> None:
    """Neighbourhood is judged 6 times general condition (a_37 = 6), yet size is 3 times
    neighbourhood and 1/3 of general condition: the triple (size, neighbourhood, general
    condition) is the worst, implying 3 · 6 = 18 where 1/3 is judged."""
    _, checked = ahp(reciprocal_matrix(8, _judgements(HOUSE_MATRIX)))
    assert checked.triple is not None
    assert checked.triple.indexes == (0, 2, 6)
    assert (checked.triple.first, checked.triple.second) == (3, 6)
    assert checked.triple.implied == pytest.approx(18)
    assert checked.triple.given == pytest.approx(1 / 3)


def test_saatys_random_index_table() -> None:
    assert [RANDOM_INDEX[n] for n in range(3, 11)] == [
        0.58,
        0.90,
        1.12,
        1.24,
        1.32,
        1.41,
        1.45,
        1.49,
    ]


def test_two_criteria_are_always_consistent() -> None:
    weights, checked = ahp(reciprocal_matrix(2, {(0, 1): 3.0}))
    assert weights == pytest.approx((0.75, 0.25))
    assert (checked.ci, checked.cr, checked.triple) == (0.0, 0.0, None)


positive = st.floats(0.05, 20, allow_nan=False)


@given(st.lists(positive, min_size=3, max_size=10))
def test_a_consistent_matrix_gives_back_its_ratios_with_cr_zero(w: list[float]) -> None:
    """a_ij = w_i / w_j: the eigenvector is w (normalised), λmax = n, CR = 0, and no
    triple disagrees."""
    n = len(w)
    matrix = [[w[i] / w[j] for j in range(n)] for i in range(n)]
    weights, lambda_max = principal_eigenvector(matrix)
    assert weights == pytest.approx([x / sum(w) for x in w], rel=1e-9)
    assert lambda_max == pytest.approx(n, rel=1e-9)
    checked = consistency(matrix, lambda_max)
    assert checked.cr == pytest.approx(0, abs=1e-9)
    assert checked.triple is not None
    assert math.log(checked.triple.implied / checked.triple.given) == pytest.approx(0, abs=1e-9)


@given(st.lists(st.lists(positive, min_size=4, max_size=4), min_size=1, max_size=5))
def test_the_geometric_mean_of_consistent_matrices_weighs_by_geometric_mean_weights(
    people: list[list[float]],
) -> None:
    """Forman & Peniwati (1998), AIJ: the element-wise geometric mean of consistent
    matrices is the consistent matrix of the geometric mean weights."""
    matrices = [[[w[i] / w[j] for j in range(4)] for i in range(4)] for w in people]
    group = geometric_mean(matrices)
    assert all(group[i][j] * group[j][i] == pytest.approx(1) for i in range(4) for j in range(4))
    mean = [math.prod(w[i] for w in people) ** (1 / len(people)) for i in range(4)]
    weights, _ = principal_eigenvector(group)
    assert weights == pytest.approx([m / sum(mean) for m in mean], rel=1e-9)


def test_group_swing_and_rank_weights_are_the_mean_of_normalised_weights() -> None:
    assert mean_weights([(0.5, 0.5), (1.0, 0.0)]) == pytest.approx((0.75, 0.25))
