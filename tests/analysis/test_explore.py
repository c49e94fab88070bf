"""The state behind `engage explore`: moves of one weight, re-ranking, and the intervals
agree with `rank` and `sensitivity` (docs/methods.md#exploring-weights-live-engage-explore, docs/methods.md#sensitivity)."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.analysis import top_interval
from engage.analysis.explore import Explorer, weights_line
from engage.analysis.sensitivity import NUMERIC_TOLERANCE, exact_intervals, sensitivity
from engage.cli.common import parse_weights
from engage.core.errors import EngageError
from engage.core.model import OptionSet, Screen
from engage.core.ranking import Lens, Selection, rank, resolve_lens
from engage.io.loader import load
from engage.methods import registry
from tests.conftest import OPTIONS, plain


@cache
def shipped() -> OptionSet:
    return load([str(OPTIONS)])


def explorer(method: str = "weighted-sum", profile: str | None = None) -> Explorer:
    option_set = shipped()
    return Explorer(option_set, resolve_lens(option_set.model, profile, method))


@pytest.mark.parametrize("method", registry.names())
def test_the_ranking_is_ranks_and_order(method: str) -> None:
    """Scores from the precomputed matrix rank exactly as `rank` does, for every method."""
    e = explorer(method)
    e.move(1, 0.07)
    expected = rank(shipped(), e.lens)
    got = e.standing().rows
    assert [(r.option.id, r.rank) for r in got] == [(r.option.id, r.rank) for r in expected.rows]
    assert [r.score for r in got] == pytest.approx([r.score for r in expected.rows], abs=1e-12)


@pytest.mark.parametrize("method", registry.names())
@pytest.mark.parametrize("profile", ["pragmatic", "conditional", "standalone"])
def test_the_intervals_are_those_of_engage_sensitivity(method: str, profile: str) -> None:
    """The linear methods' ends to rounding (the view's scores are a matrix product, not
    a Python sum); TOPSIS's within the tolerance sensitivity states (both bisect to
    it); the same options take over."""
    e = explorer(method, profile)
    e.move(0, -0.05)
    found = sensitivity(shipped(), e.lens).criteria
    tolerance = 1e-12 if method != "topsis" else NUMERIC_TOLERANCE
    for mine, theirs in zip(e.intervals(), found, strict=True):
        assert (mine.criterion, mine.weight) == (theirs.criterion, theirs.weight)
        assert (mine.low, mine.high) == pytest.approx(theirs.top_interval, abs=tolerance)
        assert (mine.taken_over_below, mine.taken_over_above) == (
            theirs.taken_over_below,
            theirs.taken_over_above,
        )


def test_move_keeps_the_others_proportions_and_rounds_the_moved_weight() -> None:
    e = explorer()
    assert e.move(0, 0.01)
    assert e.lens.weights[0] == 0.46  # not 0.46000000000000002
    assert e.lens.weights[1] / e.lens.weights[2] == pytest.approx(0.35 / 0.2)
    assert sum(e.lens.weights) == pytest.approx(1.0, abs=1e-15)
    assert e.lens.profile == "custom"
    assert e.based_on == "pragmatic"


def test_move_clamps_to_0_and_1_and_says_when_nothing_moved() -> None:
    e = explorer()
    assert e.move(2, 5.0)
    assert e.lens.weights == (0.0, 0.0, 1.0)
    assert not e.move(2, 0.05)
    assert e.move(2, -0.5)
    assert e.lens.weights == (
        0.25,
        0.25,
        0.5,
    )  # from 1 the others share equally (docs/methods.md#sensitivity)
    assert e.move(2, -2.0)
    assert e.lens.weights == (0.5, 0.5, 0.0)
    assert not e.move(2, -0.01)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from([-0.05, -0.01, 0.01, 0.05]))))
def test_any_walk_keeps_weights_in_0_1_summing_to_1(moves: list[tuple[int, float]]) -> None:
    e = explorer()
    for j, delta in moves:
        before = e.lens.weights
        e.move(j, delta)
        after = e.lens.weights
        assert all(0.0 <= w <= 1.0 for w in after)
        assert sum(after) == pytest.approx(1.0, abs=1e-9)
        others = [k for k in range(3) if k != j]
        a, b = others
        if before[j] < 1.0 and after[j] < 1.0 and before[b] > 0 and after[b] > 0:
            assert after[a] / after[b] == pytest.approx(before[a] / before[b])


def test_rank_changes_count_places_since_opening() -> None:
    e = explorer()
    assert {r.change for r in e.standing().rows} == {0}
    feasibility = next(
        w for w in sensitivity(shipped(), e.lens).criteria if w.criterion == "feasibility"
    )
    assert feasibility.top_interval[1] == pytest.approx(0.5158, abs=1e-4)
    assert feasibility.taken_over_above == "tapi-herat"
    e.move(1, 0.20)  # feasibility 0.55: past the end of its top interval (0.516)
    rows = {r.option.id: r for r in e.standing().rows}
    assert rows["tapi-herat"].rank == rows["uzbek-power-line"].rank == 1
    assert rows["tapi-herat"].change == 4 - 1  # from the four-way tie at 4
    assert rows["humanitarian-ringfence"].change == 1 - 6
    assert rows["cedaw-icj-case"].change == 21 - 10
    e.reset()
    assert {r.change for r in e.standing().rows} == {0}


def test_methods_and_profiles_cycle_and_reset_restores_the_opening() -> None:
    e = explorer()
    e.next_method()
    assert e.lens.method == "topsis"
    e.next_method()
    e.next_method()
    assert e.lens.method == "weighted-sum"
    e.move(0, 0.1)
    e.next_profile()  # from custom weights: the profile after the one they came from
    assert (e.lens.profile, e.lens.weights) == ("conditional", (0.4, 0.45, 0.15))
    e.next_profile()
    e.next_profile()
    assert e.lens.profile == "pragmatic"
    e.next_method()
    e.reset()
    assert e.lens == e.opening
    assert e.based_on == "pragmatic"


def test_custom_opening_weights_cycle_from_the_first_profile() -> None:
    option_set = shipped()
    lens = resolve_lens(option_set.model, weights={"benefit": 1, "feasibility": 1, "linkage": 2})
    e = Explorer(option_set, lens)
    e.next_profile()
    assert e.lens.profile == "pragmatic"


def test_the_weights_line_reads_back_through_minus_w() -> None:
    e = explorer()
    for j, delta in ((0, 0.05), (1, -0.01), (2, 0.03), (0, -0.2)):
        e.move(j, delta)
    line = e.weights_line()
    back = resolve_lens(shipped().model, weights=parse_weights(line))
    assert back.weights == pytest.approx(e.lens.weights, abs=1e-15)
    assert [r.option.id for r in rank(shipped(), back).rows] == [
        r.option.id for r in e.standing().rows
    ]


def test_the_weights_line_writes_numbers_in_their_shortest_form() -> None:
    assert weights_line(("a", "b", "c"), (0.45, 0.35, 0.2)) == "a=0.45,b=0.35,c=0.2"
    assert weights_line(("a", "b"), (1.0, 0.0)) == "a=1,b=0"
    assert weights_line(("a", "b"), (1 / 3, 2 / 3)) == "a=0.3333333333333333,b=0.6666666666666666"


def test_a_selection_is_explored_as_rank_sees_it() -> None:
    selection = Selection(tracks=("humanitarian",), screens=(Screen("benefit", "min", 7),))
    option_set = shipped()
    lens = resolve_lens(option_set.model)
    e = Explorer(option_set, lens, selection)
    assert [r.option.id for r in e.standing().rows] == [
        r.option.id for r in rank(option_set, lens, selection).rows
    ]


def test_nothing_left_to_explore_is_an_error() -> None:
    selection = Selection(screens=(Screen("benefit", "min", 11),))
    with pytest.raises(EngageError, match="no option is left"):
        Explorer(shipped(), resolve_lens(shipped().model), selection)


def test_one_criterion_cannot_move() -> None:
    option_set = shipped()
    model = option_set.model
    single = replace(
        model,
        criteria=model.criteria[:1],
        profiles=(replace(model.profiles[0], weights=(1.0,)),),
        screens=(),
    )
    options = tuple(replace(o, scores={"benefit": o.scores["benefit"]}) for o in option_set.options)
    e = Explorer(OptionSet(single, options), Lens("pragmatic", "weighted-sum", (1.0,)))
    assert not e.move(0, -0.05)
    assert [(i.low, i.high) for i in e.intervals()] == [(1.0, 1.0)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=2, max_size=8),
    st.sampled_from([0.0, 0.25, 0.5, 0.6, 1.0]),
)
def test_the_vectorised_interval_is_sensitivitys_exact_solver(
    lines: list[tuple[int, int]], t0: float
) -> None:
    """Same ends and takers as the solver `engage sensitivity` uses, on every kind of
    tie (small integer lines tie often: at 0, at 1, now, or all along)."""
    ids = [f"o{k}" for k in range(len(lines))]
    now = [(1 - t0) * a + t0 * b for a, b in lines]
    order = sorted(range(len(lines)), key=lambda k: (-now[k], ids[k]))
    s0 = [float(lines[k][0]) for k in order]
    s1 = [float(lines[k][1]) for k in order]
    ranked = [ids[k] for k in order]
    (low, high), below, above, _ = exact_intervals(lambda t: s0 if t == 0.0 else s1, t0, ranked)
    assert top_interval.linear(s0, s1, t0, ranked) == (low, high, below, above)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(0, 10)),
        min_size=2,
        max_size=12,
    ),
    st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(1, 10)),
)
def test_topsis_intervals_match_sensitivitys_scan(
    rows: list[tuple[int, int, int]], weights: tuple[int, int, int]
) -> None:
    """The numpy scan ends within the stated tolerance of `sensitivity`'s, with the same
    takers, on small sets full of ties."""
    from engage.core.model import Option, Score

    model = plain(shipped().model)
    options = tuple(
        Option(
            id=f"o{k:02d}",
            title=f"Option {k}",
            track="security",
            scores={c: Score(v, v, v) for c, v in zip(model.criterion_ids, row, strict=True)},
        )
        for k, row in enumerate(rows)
    )
    option_set = OptionSet(model, options)
    total = sum(weights)
    lens = Lens("custom", "topsis", tuple(w / total for w in weights))
    found = sensitivity(option_set, lens).criteria
    for mine, theirs in zip(Explorer(option_set, lens).intervals(), found, strict=True):
        assert (mine.low, mine.high) == pytest.approx(theirs.top_interval, abs=NUMERIC_TOLERANCE)
        assert (mine.taken_over_below, mine.taken_over_above) == (
            theirs.taken_over_below,
            theirs.taken_over_above,
        )
