"""explain: parts, neighbours, tie changes, dominance; the solver `tie_change`."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.analysis.explain import dominance_of, explain, tie_change, undominated
from engage.core.errors import UsageError
from engage.core.model import Model, Option, OptionSet, Preference, Score, Screen
from engage.core.ranking import Lens, Selection, rank, resolve_lens, score_matrix
from engage.io.loader import load
from engage.render.common import fixed
from engage.render.explain import shown_parts
from tests.conftest import OPTIONS, plain

METHODS = ("weighted-sum", "promethee", "topsis")


@cache
def shipped() -> OptionSet:
    return load([str(OPTIONS)])


@cache
def bare_model() -> Model:
    """The shipped model (0–10 scales, linkage lower is better) without its screens."""
    return plain(shipped().model)


def make(rows: dict[str, tuple[float, float, float]], model: Model | None = None) -> OptionSet:
    """A set of options scored (benefit, feasibility, linkage) with no ranges."""
    model = model or bare_model()
    options = tuple(
        Option(
            id=name,
            title=f"Option {name}",
            track="security",
            scores={
                c: Score(v, v, v)
                for c, v in zip(("benefit", "feasibility", "linkage"), values, strict=False)
            },
        )
        for name, values in rows.items()
    )
    return OptionSet(model, options)


def lens(
    weights: tuple[float, float, float] = (0.5, 0.3, 0.2), method: str = "weighted-sum"
) -> Lens:
    return Lens("custom", method, weights)


def test_parts_of_a_weighted_sum_add_up_to_the_score() -> None:
    """docs/methods.md#weighted-sum by hand: 8, 6, 2 under 0.5/0.3/0.2 is 40 + 18 + 16 = 74 points."""
    e = explain(make({"a": (8, 6, 2)}), lens(), "a")
    assert e.row is not None
    assert e.row.contributions == pytest.approx((40.0, 18.0, 16.0))
    assert e.row.score == pytest.approx(74.0)
    assert e.normalized == pytest.approx((0.8, 0.6, 0.8))


def test_neighbours_gaps_and_exact_tie_changes_for_the_weighted_sum() -> None:
    """b (56) sits 4 below a (60) and 8 above c (48); Δ = gap / (100 w / span) per criterion."""
    option_set = make({"a": (6, 6, 4), "b": (5, 5, 2), "c": (4, 4, 2)})
    e = explain(option_set, lens(), "b")
    assert e.row is not None
    assert e.row.rank == 2
    assert e.above is not None
    assert e.below is not None
    assert e.above.row.option.id == "a"
    assert e.below.row.option.id == "c"
    assert e.above.gap == pytest.approx(4.0)
    assert e.below.gap == pytest.approx(8.0)
    assert e.above.tie_changes == pytest.approx((0.8, 4 / 3, -2.0))
    assert e.below.tie_changes == pytest.approx((-1.6, -8 / 3, 4.0))


def test_a_gap_that_no_single_criterion_can_close() -> None:
    """84 against 50: even a 10 on one criterion is not enough, so every change is None."""
    e = explain(make({"a": (10, 10, 0), "b": (5, 5, 5)}), lens(), "b")
    assert e.above is not None
    assert e.above.gap == pytest.approx(50.0)
    assert e.above.tie_changes == (None, None, None)
    assert e.below is None


def test_a_zero_weight_cannot_tie() -> None:
    e = explain(make({"a": (6, 5, 5), "b": (5, 5, 5)}), lens((0.5, 0.5, 0.0)), "b")
    assert e.above is not None
    assert e.above.tie_changes[2] is None
    assert e.above.tie_changes[0] == pytest.approx(1.0)


def test_a_tie_at_the_end_of_the_scale_is_reachable() -> None:
    """b needs exactly 10 on benefit to catch a: the end of the scale counts."""
    e = explain(make({"a": (10, 5, 5), "b": (0, 5, 5)}), lens(), "b")
    assert e.above is not None
    assert e.above.tie_changes[0] == 10.0


def test_tied_options_are_named_and_the_neighbours_lie_outside_the_tie() -> None:
    """b and c tie at rank 2: their neighbours are a (rank 1) and d (rank 4), not each other."""
    option_set = make({"a": (9, 9, 0), "b": (8, 2, 5), "c": (2, 8, 0), "d": (1, 1, 9)})
    ranking = rank(option_set, lens((0.5, 0.5, 0.0)))
    assert ranking.ties == (("b", "c"),)
    for name, other in (("b", "c"), ("c", "b")):
        e = explain(option_set, lens((0.5, 0.5, 0.0)), name)
        assert e.tied_with == (other,)
        assert e.above is not None
        assert e.above.row.option.id == "a"
        assert e.below is not None
        assert e.below.row.option.id == "d"


def test_tie_change_of_options_already_tied_is_zero() -> None:
    option_set = make({"a": (8, 2, 5), "b": (2, 8, 5)})
    matrix = [o.values(option_set.model.criteria) for o in option_set.options]
    for method in METHODS:
        the_lens = lens((0.5, 0.5, 0.0), method)
        assert tie_change(matrix, option_set.model, the_lens, 0, 1, 0) == 0.0


def test_dominated_by_several_undominated_options_in_rank_order() -> None:
    """c is dominated by a and b (neither dominates the other) and dominates d."""
    option_set = make({"a": (9, 3, 5), "b": (3, 9, 5), "c": (3, 3, 5), "d": (2, 3, 6)})
    e = explain(option_set, lens((0.5, 0.5, 0.0)), "c")
    assert set(e.dominated_by) == {"a", "b"}
    assert e.dominators == e.dominated_by
    order = [r.option.id for r in e.ranking.rows]
    assert list(e.dominated_by) == sorted(e.dominated_by, key=order.index)
    assert e.dominates == ("d",)
    top = explain(option_set, lens((0.5, 0.5, 0.0)), "a")
    assert top.dominated_by == ()
    assert top.dominates == ("c", "d")


def test_dominance_of_agrees_with_the_ranking_on_the_shipped_set() -> None:
    """All dominators include the core's undominated ones; `dominates` is the converse."""
    option_set = shipped()
    ranking = rank(option_set, resolve_lens(option_set.model))
    found = {r.option.id: dominance_of(ranking, r.option) for r in ranking.rows}
    for row in ranking.rows:
        dominators, _ = found[row.option.id]
        assert undominated(ranking, dominators) == row.dominated_by
        for dominator in dominators:
            assert row.option.id in found[dominator][1]
    # afghan-fund-disbursements (5, 3, 6) is dominated by humanitarian-ringfence (7, 3, 1),
    # wb-approach-3 (6, 4, 5) and returns-compact (5, 3, 5), the last itself dominated by both
    assert found["afghan-fund-disbursements"][0] == (
        "humanitarian-ringfence",
        "wb-approach-3",
        "returns-compact",
    )
    # the baseline (1, 9, 0) would dominate cedaw-icj-case (1, 7, 6) but is left out (SPEC 2.3)
    assert ranking.baseline is not None
    assert all(ranking.baseline.option.id not in d for d, _ in found.values())
    assert found["cedaw-icj-case"][0] == ("consular-technical-presence", "doha-process")


def test_explain_lists_every_dominator_and_the_undominated_ones() -> None:
    e = explain(shipped(), resolve_lens(shipped().model), "afghan-fund-disbursements")
    assert e.dominated_by == ("humanitarian-ringfence", "wb-approach-3")
    assert e.dominators == ("humanitarian-ringfence", "wb-approach-3", "returns-compact")


def test_a_screened_out_id_is_explained_with_its_rule() -> None:
    model = replace(bare_model(), screens=(Screen("linkage", "max", 8),))
    e = explain(make({"a": (5, 5, 9), "b": (6, 6, 2)}, model), lens(), "a")
    assert e.row is None
    assert e.screened is not None
    assert e.screened.rule == "max linkage 8"
    assert (e.above, e.below) == (None, None)
    assert e.dominated_by == ("b",)


def test_an_unknown_id_is_a_usage_error_with_a_hint() -> None:
    with pytest.raises(UsageError) as caught:
        explain(make({"alpha": (5, 5, 5), "beta": (6, 6, 6)}), lens(), "alpah")
    assert caught.value.exit_code == 2
    assert caught.value.hint == "did you mean 'alpha'?"


def test_an_id_outside_the_track_selection_is_a_usage_error() -> None:
    option_set = make({"a": (5, 5, 5), "b": (6, 6, 6)})
    option_set = replace(
        option_set, options=(option_set.options[0], replace(option_set.options[1], track="rights"))
    )
    with pytest.raises(UsageError, match="not in the selection") as caught:
        explain(option_set, lens(), "a", Selection(tracks=("rights",)))
    assert caught.value.exit_code == 2


def test_topsis_has_no_contributions() -> None:
    e = explain(make({"a": (8, 6, 2), "b": (5, 5, 5)}), lens(method="topsis"), "a")
    assert e.row is not None
    assert e.row.contributions is None


def _rescored(option_set: OptionSet, the_lens: Lens, i: int, k: int, j: int, delta: float):
    matrix = [o.values(option_set.model.criteria) for o in option_set.options]
    matrix[i] = list(matrix[i])
    matrix[i][j] += delta
    scores = score_matrix(matrix, option_set.model, the_lens).scores
    return scores[i], scores[k]


@pytest.mark.parametrize("method", METHODS)
def test_tie_change_makes_the_two_scores_equal(method: str) -> None:
    """Continuous methods (linear/v-shape PROMETHEE, TOPSIS): re-scoring at Δ gives a tie."""
    option_set = make({"a": (6, 6, 3), "b": (5, 5, 3), "c": (4, 4, 4), "d": (6, 2, 6)})
    the_lens = lens((0.45, 0.35, 0.2), method)
    matrix = [o.values(option_set.model.criteria) for o in option_set.options]
    found = 0
    for j in range(3):
        delta = tie_change(matrix, option_set.model, the_lens, 1, 0, j)
        if delta is None:
            continue
        found += 1
        mine, theirs = _rescored(option_set, the_lens, 1, 0, j, delta)
        assert mine == pytest.approx(theirs, abs=1e-9)
        assert 0 <= matrix[1][j] + delta <= 10
    assert found >= 2


def test_tie_change_under_step_preferences_is_where_the_score_jumps() -> None:
    """With PROMETHEE's usual criterion, b ties a when its value reaches a's, not before:
    within the threshold tolerance (1e-9 × the range, 1e-8 here) of it, as a difference
    that small counts as none (docs/methods.md#promethee-ii on written decimals)."""
    criteria = tuple(replace(c, preference=Preference()) for c in bare_model().criteria)
    model = replace(bare_model(), criteria=criteria)
    option_set = make({"a": (7, 5, 5), "b": (5, 5, 5)}, model)
    the_lens = lens((1.0, 0.0, 0.0), "promethee")
    matrix = [o.values(model.criteria) for o in option_set.options]
    delta = tie_change(matrix, model, the_lens, 1, 0, 0)
    assert delta is not None
    assert 2.0 - 1.1e-8 <= delta <= 2.0
    before = _rescored(option_set, the_lens, 1, 0, 0, delta - 1e-6)
    after = _rescored(option_set, the_lens, 1, 0, 0, delta)
    assert before[0] < before[1]
    assert after[0] >= after[1]


def test_shown_parts_use_largest_remainders() -> None:
    """Three thirds of 100 show as 33.4 + 33.3 + 33.3, not 33.3 × 3 = 99.9."""
    assert shown_parts([100 / 3] * 3, 100.0, "points") == ["33.4", "33.3", "33.3"]
    assert shown_parts([18.04, 17.53, 15.98], 51.55, "points") == ["18.0", "17.5", "16.0"]
    assert shown_parts([0.2, -0.0333], 0.1667, "net flow") == ["+0.200", "-0.033"]


values = st.integers(0, 20).map(lambda v: v / 2)
rows = st.lists(st.tuples(values, values, values), min_size=1, max_size=6)
weights = st.tuples(*[st.integers(0, 10)] * 3).filter(any)


@settings(derandomize=True, max_examples=60, deadline=None)
@given(
    rows=rows,
    weights=weights,
    method=st.sampled_from(("weighted-sum", "promethee")),
    pick=st.integers(0, 5),
)
def test_contributions_add_up_to_the_score_as_computed_and_as_shown(
    rows: list[tuple[float, float, float]], weights: tuple[int, int, int], method: str, pick: int
) -> None:
    """Σ contributions = score in full precision, and the shown parts sum to the shown score."""
    option_set = make({f"o{k}": r for k, r in enumerate(rows)})
    total = sum(weights)
    the_lens = Lens("custom", method, tuple(w / total for w in weights))
    unit = the_lens.score_unit
    e = explain(option_set, the_lens, f"o{pick % len(rows)}")
    assert e.row is not None
    assert e.row.contributions is not None
    assert sum(e.row.contributions) == pytest.approx(e.row.score, abs=1e-12)
    parts = shown_parts(e.row.contributions, e.row.score, unit)
    assert sum(Decimal(p) for p in parts) == Decimal(fixed(e.row.score, unit))


@settings(derandomize=True, max_examples=40, deadline=None)
@given(
    rows=st.lists(st.tuples(values, values, values), min_size=2, max_size=5),
    weights=weights,
    method=st.sampled_from(METHODS),
    criterion=st.integers(0, 2),
)
def test_tie_change_ties_or_no_value_in_the_scale_does(
    rows: list[tuple[float, float, float]],
    weights: tuple[int, int, int],
    method: str,
    criterion: int,
) -> None:
    """A change re-scores to a tie (or past it); None means neither end of the scale gets there."""
    option_set = make({f"o{k}": r for k, r in enumerate(rows)})
    total = sum(weights)
    the_lens = Lens("custom", method, tuple(w / total for w in weights))
    matrix = [o.values(option_set.model.criteria) for o in option_set.options]
    delta = tie_change(matrix, option_set.model, the_lens, 0, 1, criterion)
    mine, theirs = _rescored(option_set, the_lens, 0, 1, criterion, 0.0)
    behind = mine < theirs

    def reached(d: float) -> bool:
        a, b = _rescored(option_set, the_lens, 0, 1, criterion, d)
        return a == pytest.approx(b, abs=1e-7) or (a > b if behind else a < b)

    x = matrix[0][criterion]
    if delta is None:
        assert not reached(10 - x)
        assert not reached(-x)
    else:
        assert 0 <= x + delta <= 10
        assert reached(delta)
