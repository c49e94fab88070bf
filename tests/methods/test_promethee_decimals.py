"""PROMETHEE on written decimals: a difference within the criterion's tolerance of 0, q or
p counts as equal to it, so 3.1 − 2.8 = 0.30000000000000027 is the q = 0.3 it is written
as. Checked against an exact computation in fractions on the decimals as written."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.core.ranking import assign_ranks
from engage.methods.preference import preference_band
from engage.methods.promethee import (
    Preference,
    preference,
    promethee_flows,
    threshold_tolerance,
)
from tests.methods.test_promethee import assert_close, reference_p

TOL = threshold_tolerance(0.0, 10.0)  # the default scale [0, 10]: 1e-8


@pytest.mark.parametrize(
    ("pref", "d", "expected"),
    [
        (Preference("usual"), 0.5 * TOL, 0.0),
        (Preference("usual"), 2 * TOL, 1.0),
        (Preference("u-shape", q=0.3), 3.1 - 2.8, 0.0),  # 0.30000000000000027
        (Preference("u-shape", q=0.3), 0.3 + 2 * TOL, 1.0),
        (Preference("level", q=0.3, p=0.6), 3.1 - 2.8, 0.0),
        (Preference("level", q=0.3, p=0.6), 0.9 - 0.3, 0.5),  # 0.6000000000000001
        (Preference("level", q=0.3, p=0.6), 0.6 + 2 * TOL, 1.0),
        (Preference("linear", q=0.3, p=0.6), 3.1 - 2.8, 0.0),
        (Preference("linear", q=0.3, p=0.6), 0.6 - 0.5 * TOL, 1.0),
        (Preference("linear", q=0.3, p=0.6), 0.9 - 0.3, 1.0),
        (Preference("v-shape", p=0.3), 0.5 * TOL, 0.0),
        (Preference("v-shape", p=0.3), 0.3 - 0.5 * TOL, 1.0),
        (Preference("gaussian", s=1), 0.5 * TOL, 0.0),
    ],
)
def test_a_difference_within_the_tolerance_of_a_threshold_counts_as_on_it(
    pref: Preference, d: float, expected: float
) -> None:
    assert preference(pref, d, TOL) == expected
    # without the tolerance the float itself decides, as before
    assert preference(pref, d) == reference_p(pref, d)


def test_the_ramps_stay_within_0_and_1() -> None:
    for pref in (Preference("linear", q=0.3, p=0.6), Preference("v-shape", p=0.3)):
        band = preference_band(pref, TOL)
        assert band.middle(band.hi) <= 1.0
        assert preference(pref, math.nextafter(band.lo, 1.0), TOL) >= 0.0


def test_the_3_1_and_2_8_pair_ties_under_u_shape_0_3() -> None:
    flows = promethee_flows([[3.1], [2.8]], [1.0], [True], [Preference("u-shape", q=0.3)], [TOL])
    assert flows.net == [0.0, 0.0]
    flows = promethee_flows([[3.1], [2.8]], [1.0], [True], [Preference("u-shape", q=0.3)])
    assert flows.net == [1.0, -1.0]  # the float difference, with no tolerance


def test_a_negative_tolerance_is_refused() -> None:
    with pytest.raises(ValueError, match="tolerances"):
        promethee_flows([[1.0], [2.0]], [1.0], [True], [Preference()], [-1.0])


# -- exact reference on the decimals as written ------------------------------------------

EXACT_FUNCTIONS = ("usual", "u-shape", "v-shape", "level", "linear")  # gaussian is not rational


def exact_p(function: str, q: Fraction, p: Fraction, d: Fraction) -> Fraction:
    """docs/methods.md#promethee-ii's P(d) in exact arithmetic."""
    if d <= 0:
        return Fraction(0)
    if function == "usual":
        return Fraction(1)
    if function == "u-shape":
        return Fraction(0 if d <= q else 1)
    if function == "v-shape":
        return d / p if d <= p else Fraction(1)
    if function == "level":
        return Fraction(0) if d <= q else Fraction(1, 2) if d <= p else Fraction(1)
    assert function == "linear"
    return Fraction(0) if d <= q else (d - q) / (p - q) if d <= p else Fraction(1)


def exact_net_flows(
    matrix: list[list[str]],
    weights: list[Fraction],
    better: list[bool],
    prefs: list[tuple[str, str, str]],
) -> list[Fraction]:
    n = len(matrix)
    if n < 2:
        return [Fraction(0)] * n
    x = [[Fraction(v) for v in row] for row in matrix]
    net = []
    for a in range(n):
        total = Fraction(0)
        for b in range(n):
            for j, (function, q, p) in enumerate(prefs):
                d = x[a][j] - x[b][j] if better[j] else x[b][j] - x[a][j]
                qf, pf = Fraction(q), Fraction(p)
                total += weights[j] * (exact_p(function, qf, pf, d) - exact_p(function, qf, pf, -d))
        net.append(total / (n - 1))
    return net


def competition_ranks(scores: list[Fraction]) -> list[int]:
    return [1 + sum(other > s for other in scores) for s in scores]


SCALES = [(0, 10), (0, 1), (-5, 5), (0, 100), (1, 7)]


@st.composite
def decimal_problems(
    draw: st.DrawFn,
) -> tuple[
    list[list[str]], list[int], list[bool], list[tuple[str, str, str]], list[tuple[int, int]]
]:
    """One-decimal scores on each criterion's scale, thresholds one-decimal too, all as
    written strings (what the files hold)."""
    n = draw(st.integers(1, 10))
    m = draw(st.integers(1, 3))
    scales = [draw(st.sampled_from(SCALES)) for _ in range(m)]
    columns = []
    prefs = []
    for lo, hi in scales:
        tenths = st.integers(10 * lo, 10 * hi).map(lambda k: str(k / 10))
        pool = draw(st.lists(tenths, min_size=1, max_size=4))  # few values: many ties
        columns.append(draw(st.lists(st.sampled_from(pool) | tenths, min_size=n, max_size=n)))
        function = draw(st.sampled_from(EXACT_FUNCTIONS))
        top = min(10 * (hi - lo), 40)
        kq = draw(st.integers(0, top - 1)) if function in ("u-shape", "level", "linear") else 0
        kp = draw(st.integers(kq + 1, top))
        prefs.append((function, str(kq / 10), str(kp / 10)))
    weights = draw(st.lists(st.integers(0, 5), min_size=m, max_size=m).filter(any))
    better = draw(st.lists(st.booleans(), min_size=m, max_size=m))
    matrix = [[columns[j][i] for j in range(m)] for i in range(n)]
    return matrix, weights, better, prefs, scales


@settings(derandomize=True, max_examples=400, deadline=None)
@given(decimal_problems())
def test_flows_and_ranks_on_written_decimals_are_the_exact_ones(
    problem: tuple[
        list[list[str]], list[int], list[bool], list[tuple[str, str, str]], list[tuple[int, int]]
    ],
) -> None:
    matrix, raw, better, prefs, scales = problem
    total = sum(raw)
    flows = promethee_flows(
        [[float(v) for v in row] for row in matrix],
        [w / total for w in raw],
        better,
        [Preference(f, q=float(q), p=float(p)) for f, q, p in prefs],
        [threshold_tolerance(lo, hi) for lo, hi in scales],
    )
    exact = exact_net_flows(matrix, [Fraction(w, total) for w in raw], better, prefs)
    assert_close(flows.net, [float(e) for e in exact], 1e-12)
    # ranks: ours through the tie rule of docs/methods.md#ranks-and-ties, the exact ones by equality
    n = len(matrix)
    order = sorted(range(n), key=lambda i: -flows.net[i])
    ranked, _ = assign_ranks([flows.net[i] for i in order], [str(i) for i in order])
    ours = [0] * n
    for position, rank in zip(ranked.order, ranked.ranks, strict=True):
        ours[order[position]] = rank
    assert ours == competition_ranks(exact)


# -- the fast path against the pairwise definition, with a tolerance ---------------------


def snapped_p(pref: Preference, d: float, tol: float) -> float:
    """The definition applied to d moved onto 0, q or p when within tol of it."""
    for t in (0.0, pref.q, pref.p):
        if abs(d - t) <= tol:
            d = t
            break
    return reference_p(pref, d)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 30), min_size=2, max_size=12),
    st.sampled_from(["usual", "u-shape", "v-shape", "level", "linear", "gaussian"]),
    st.integers(0, 4),
    st.integers(1, 4),
    st.sampled_from([0.0, 1e-9, 1e-6]),
    st.booleans(),
)
def test_fast_flows_equal_the_pairwise_definition_with_a_tolerance(
    ks: list[int], function: str, kq: int, kgap: int, tol: float, higher: bool
) -> None:
    values = [k / 10 for k in ks]
    kq = kq if function in ("u-shape", "level", "linear") else 0
    pref = Preference(function, q=kq / 10, p=(kq + kgap) / 10, s=kgap / 10)
    flows = promethee_flows([[x] for x in values], [1.0], [higher], [pref], [tol])
    n = len(values)
    sign = 1.0 if higher else -1.0
    for a in range(n):
        plus = sum(snapped_p(pref, sign * (values[a] - values[b]), tol) for b in range(n))
        minus = sum(snapped_p(pref, sign * (values[b] - values[a]), tol) for b in range(n))
        assert abs(flows.positive[a] - plus / (n - 1)) <= 1e-9
        assert abs(flows.negative[a] - minus / (n - 1)) <= 1e-9
        # and the module's own pairwise P, which the sweeps must match to rounding
        own = sum(preference(pref, sign * (values[a] - values[b]), tol) for b in range(n))
        assert abs(flows.positive[a] - own / (n - 1)) <= 1e-12
