"""sensitivity: weight intervals against a brute-force sweep, hand-worked cases, properties."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.analysis.explain import tie_change
from engage.analysis.sensitivity import NUMERIC_TOLERANCE, path_weights, sensitivity
from engage.core.errors import EngageError
from engage.core.model import Model, Option, OptionSet, Score, Screen
from engage.core.ranking import Lens, assign_ranks, rank, resolve_lens, score_matrix
from engage.io.loader import load
from tests.conftest import OPTIONS, plain

CRITERIA = ("benefit", "feasibility", "linkage")


@cache
def shipped() -> OptionSet:
    return load([str(OPTIONS)])


def bare_model() -> Model:
    """The shipped model (0–10 scales, linkage lower is better) without its screens."""
    return plain(shipped().model)


def make(rows: dict[str, tuple[float, float, float]], model: Model | None = None) -> OptionSet:
    options = tuple(
        Option(
            id=name,
            title=f"Option {name}",
            track="security",
            scores={c: Score(v, v, v) for c, v in zip(CRITERIA, values, strict=True)},
        )
        for name, values in rows.items()
    )
    return OptionSet(model or bare_model(), options)


def lens(weights: tuple[float, ...] = (0.5, 0.3, 0.2), method: str = "weighted-sum") -> Lens:
    return Lens("custom", method, weights)


# -- the weight path -----------------------------------------------------------------------


def test_path_weights_keep_the_other_weights_proportions() -> None:
    w = path_weights((0.5, 0.3, 0.2), 0, 0.8)
    assert w[0] == 0.8
    assert w[1] == pytest.approx(0.12)
    assert w[2] == pytest.approx(0.08)
    assert sum(w) == pytest.approx(1.0)


def test_path_weights_at_the_current_weight_give_the_current_weights() -> None:
    assert path_weights((0.45, 0.35, 0.2), 1, 0.35) == pytest.approx((0.45, 0.35, 0.2))


def test_path_weights_share_equally_when_the_moving_weight_was_1() -> None:
    assert path_weights((1.0, 0.0, 0.0), 0, 0.4) == pytest.approx((0.4, 0.3, 0.3))


def test_path_weights_with_one_criterion_stay_1() -> None:
    assert path_weights((1.0,), 0, 0.3) == (1.0,)


# -- a case worked by hand -----------------------------------------------------------------


def test_two_options_worked_by_hand() -> None:
    """a = (10, 0, 0) scores 70, b = (0, 10, 0) scores 50 under (0.5, 0.3, 0.2).

    benefit: a(t) = 40 + 60t, b(t) = 100 − 100t cross at t = 3/8. feasibility:
    a(t) = 100 − 100t, b(t) = 200/7 + 500t/7 cross at t = 5/12. linkage: both lines meet
    only at t = 1 (a tie there, a first by id), so a stays top from 0 to 1.
    """
    result = sensitivity(make({"a": (10, 0, 0), "b": (0, 10, 0)}), lens())
    assert result.top.option.id == "a"
    assert result.tolerance == 0.0
    benefit, feasibility, linkage = result.criteria
    assert benefit.top_interval == pytest.approx((0.375, 1.0), abs=1e-15)
    assert (benefit.taken_over_below, benefit.taken_over_above) == ("b", None)
    assert benefit.stable_interval == pytest.approx((0.375, 1.0), abs=1e-15)
    assert feasibility.top_interval == pytest.approx((0.0, 5 / 12), abs=1e-15)
    assert (feasibility.taken_over_below, feasibility.taken_over_above) == (None, "b")
    assert linkage.top_interval == (0.0, 1.0)
    assert (linkage.taken_over_below, linkage.taken_over_above) == (None, None)
    assert linkage.stable_interval == (0.0, 1.0)


def test_score_ties_worked_by_hand() -> None:
    """a needs −20 points: benefit −4 (to 6), feasibility −6.67 (off the scale), linkage
    +10 (to 10, the scale's end); b needs +20: benefit +4, the others off the scale."""
    result = sensitivity(make({"a": (10, 0, 0), "b": (0, 10, 0)}), lens())
    (tie,) = result.score_ties
    assert tie.rival.option.id == "b"
    (b_top, b_rival), (f_top, f_rival), (l_top, l_rival) = tie.changes
    assert b_top == pytest.approx(-4.0)
    assert b_rival == pytest.approx(4.0)
    assert (f_top, f_rival) == (None, None)
    assert l_top == pytest.approx(10.0)
    assert l_rival is None


def test_score_ties_are_explain_tie_change_for_the_next_three() -> None:
    option_set = shipped()
    for method in ("weighted-sum", "topsis"):
        the_lens = resolve_lens(option_set.model, None, method)
        result = sensitivity(option_set, the_lens)
        ranking = rank(option_set, the_lens)
        matrix = [r.option.values(option_set.model.criteria) for r in ranking.rows]
        assert [t.rival.option.id for t in result.score_ties] == [
            r.option.id for r in ranking.rows[1:4]
        ]
        for k, tie in enumerate(result.score_ties, start=1):
            for j, (top, rival) in enumerate(tie.changes):
                assert top == tie_change(matrix, option_set.model, the_lens, 0, k, j)
                assert rival == tie_change(matrix, option_set.model, the_lens, k, 0, j)


def test_a_tie_at_the_current_weights_that_moving_splits_is_a_single_point() -> None:
    """c and d tie at 50 under (0.5, 0.3, 0.2) but differ on benefit and feasibility."""
    option_set = make({"a": (9, 9, 0), "c": (6, 0, 0), "d": (0, 10, 0)})
    result = sensitivity(option_set, lens())
    assert rank(option_set, lens()).ties == (("c", "d"),)
    assert result.criteria[0].stable_interval == (0.5, 0.5)
    assert result.criteria[1].stable_interval == (0.3, 0.3)


def test_a_tie_that_moving_the_weight_keeps_is_not_a_point() -> None:
    """Shipped standalone profile: female-aid-worker-exemptions (4, 3, 4) and returns-compact
    (5, 3, 5) tie and have the same feasibility, and benefit and linkage weigh the same:
    moving feasibility keeps them tied. The interval ends where both pass another option
    together: with feasibility at t, benefit and linkage at (1 − t)/2 each, and the
    feasibility curve giving 3 → 42.5, 4 → 55, 5 → 65, they pass banking-working-group
    (3, 4, 4) at 10·(1 − t)/2 = 12.5·t, t = 2/7, and isk-ct-channel (2, 5, 4) at
    20·(1 − t)/2 = 22.5·t, t = 4/13."""
    option_set = shipped()
    the_lens = resolve_lens(option_set.model, "standalone", "weighted-sum")
    assert ("female-aid-worker-exemptions", "returns-compact") in rank(option_set, the_lens).ties
    feasibility = sensitivity(option_set, the_lens).criteria[1]
    lo, hi = feasibility.stable_interval
    assert lo < 0.3 < hi
    # (benefit + linkage points, feasibility points) of each: the tied pair agree on both
    # (40 + 60 and 50 + 50; 30 + 60; 20 + 60)
    tied, banking, isk = (100, 42.5), (90, 55.0), (80, 65.0)
    assert (lo, hi) == pytest.approx(
        (
            (tied[0] - banking[0]) / (tied[0] - banking[0] - 2 * (tied[1] - banking[1])),
            (tied[0] - isk[0]) / (tied[0] - isk[0] - 2 * (tied[1] - isk[1])),
        )
    )
    assert (lo, hi) == pytest.approx((2 / 7, 4 / 13))


def test_one_criterion_cannot_move_its_weight() -> None:
    base = bare_model()
    model = replace(base, criteria=base.criteria[:1])
    options = tuple(
        Option(id=i, title=i, track="security", scores={"benefit": Score(v, v, v)})
        for i, v in (("a", 3.0), ("b", 5.0))
    )
    result = sensitivity(OptionSet(model, options), Lens("custom", "weighted-sum", (1.0,)))
    assert result.top.option.id == "b"
    (only,) = result.criteria
    assert (only.top_interval, only.stable_interval) == ((1.0, 1.0), (1.0, 1.0))


def test_a_single_option_stays_top_everywhere() -> None:
    result = sensitivity(make({"a": (5, 5, 5)}), lens())
    assert all(c.top_interval == (0.0, 1.0) for c in result.criteria)
    assert all(c.stable_interval == (0.0, 1.0) for c in result.criteria)
    assert result.score_ties == ()


def test_nothing_left_after_the_screens_is_an_error() -> None:
    option_set = make({"a": (5, 5, 5)})
    model = replace(option_set.model, screens=(Screen("benefit", "min", 9),))
    with pytest.raises(EngageError, match="no option is left"):
        sensitivity(replace(option_set, model=model), lens())


def test_topsis_says_its_intervals_are_numeric() -> None:
    result = sensitivity(shipped(), resolve_lens(shipped().model, None, "topsis"))
    assert result.tolerance == NUMERIC_TOLERANCE == 1e-6


# -- against a brute-force sweep -------------------------------------------------------------


def brute(
    option_set: OptionSet, the_lens: Lens, j: int, points: int
) -> tuple[tuple[float, float], str | None, str | None, tuple[float, float]]:
    """Both intervals by scoring the whole set on a grid of t, then bisecting each end to
    1e-10. Independent of the module: its own weight path and tie rule (ranking's)."""
    model = option_set.model
    ranking = rank(option_set, the_lens)
    matrix = [r.option.values(model.criteria) for r in ranking.rows]
    ids = [r.option.id for r in ranking.rows]
    w = the_lens.weights
    t0 = w[j]

    def ranks_at(t: float) -> dict[str, int]:
        weights = tuple(t if k == j else x * (1 - t) / (1 - t0) for k, x in enumerate(w))
        scores = score_matrix(matrix, model, replace(the_lens, weights=weights)).scores
        order = sorted(range(len(ids)), key=lambda i: (-scores[i], ids[i]))
        placed, _ = assign_ranks([scores[i] for i in order], [ids[i] for i in order])
        return dict(zip([ids[order[k]] for k in placed.order], placed.ranks, strict=True))

    def leader(t: float) -> str:
        return min(ranks_at(t).items(), key=lambda kv: (kv[1], kv[0]))[0]

    now = ranks_at(t0)

    def top(t: float) -> bool:
        return ranks_at(t)[ids[0]] == 1

    def stable(t: float) -> bool:
        return ranks_at(t) == now

    grid = sorted({k / points for k in range(points + 1)} | {t0})
    at = grid.index(t0)

    def run(holds: Callable[[float], bool]) -> tuple[float, float | None, float, float | None]:
        lo = at
        while lo > 0 and holds(grid[lo - 1]):
            lo -= 1
        hi = at
        while hi < len(grid) - 1 and holds(grid[hi + 1]):
            hi += 1
        low, past_low = refine(holds, grid[lo], grid[lo - 1]) if lo > 0 else (0.0, None)
        high, past_high = (
            refine(holds, grid[hi], grid[hi + 1]) if hi < len(grid) - 1 else (1.0, None)
        )
        return low, past_low, high, past_high

    low, past_low, high, past_high = run(top)
    stable_low, _, stable_high, _ = run(stable)
    below = None if past_low is None else leader(past_low)
    above = None if past_high is None else leader(past_high)
    return (low, high), below, above, (stable_low, stable_high)


def refine(holds: Callable[[float], bool], inside: float, outside: float) -> tuple[float, float]:
    while abs(outside - inside) > 1e-10:
        middle = (inside + outside) / 2
        if holds(middle):
            inside = middle
        else:
            outside = middle
    return inside, outside


SWEEPS = [
    ("weighted-sum", "pragmatic", 10_000),
    ("weighted-sum", "conditional", 2_000),
    ("weighted-sum", "standalone", 2_000),
    ("topsis", "pragmatic", 10_000),
    ("topsis", "standalone", 2_000),
    ("promethee", "pragmatic", 2_000),
    ("promethee", "conditional", 2_000),
]


@pytest.mark.parametrize(("method", "profile", "points"), SWEEPS)
def test_shipped_intervals_match_a_brute_force_sweep(
    method: str, profile: str, points: int
) -> None:
    """Every interval end within 1e-6 of the swept one (exact methods: to rounding), and
    the same options take over past the ends."""
    option_set = shipped()
    the_lens = resolve_lens(option_set.model, profile, method)
    result = sensitivity(option_set, the_lens)
    for j, found in enumerate(result.criteria):
        top, below, above, stable = brute(option_set, the_lens, j, points)
        assert found.top_interval == pytest.approx(top, abs=1e-6), found.criterion
        assert found.stable_interval == pytest.approx(stable, abs=1e-6), found.criterion
        assert (found.taken_over_below, found.taken_over_above) == (below, above)


# -- properties ----------------------------------------------------------------------------

score = st.integers(min_value=0, max_value=10)
row = st.tuples(score, score, score)


@settings(derandomize=True, max_examples=30, deadline=None)
@given(
    rows=st.lists(row, min_size=2, max_size=6),
    raw=st.tuples(*(st.integers(min_value=0, max_value=4) for _ in CRITERIA)).filter(any),
    method=st.sampled_from(["weighted-sum", "promethee"]),
)
def test_exact_intervals_match_a_sweep_on_generated_sets(
    rows: list[tuple[int, int, int]], raw: tuple[int, int, int], method: str
) -> None:
    """Linear methods: the set of t where the top (or every rank) holds is one interval,
    so a coarse grid plus bisection finds its exact ends."""
    option_set = make({f"o{k}": r for k, r in enumerate(rows)})
    the_lens = lens(tuple(x / sum(raw) for x in raw), method)
    result = sensitivity(option_set, the_lens)
    for j, found in enumerate(result.criteria):
        lo, hi = found.top_interval
        assert lo <= found.weight <= hi
        assert lo <= found.stable_interval[0] <= found.weight <= found.stable_interval[1] <= hi
        assert (found.taken_over_below is None) == (lo == 0.0)
        assert (found.taken_over_above is None) == (hi == 1.0)
        if found.weight < 1.0:  # the sweep's own weight path divides by 1 − w_j
            top, below, above, stable = brute(option_set, the_lens, j, 20)
            assert found.top_interval == pytest.approx(top, abs=1e-6)
            assert found.stable_interval == pytest.approx(stable, abs=1e-6)
            assert (found.taken_over_below, found.taken_over_above) == (below, above)
