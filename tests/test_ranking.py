"""Ranking: scores, ties, screens, filters, dominance, lenses; properties that always hold."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.analysis.kendall import kendall_tau_b
from engage.analysis.lenses import compare_lenses
from engage.core.dominance import dominators
from engage.core.errors import UsageError
from engage.core.model import Model, Option, OptionSet, Score, Screen
from engage.core.ranking import Lens, Selection, assign_ranks, rank, resolve_lens
from engage.io.loader import load
from tests.conftest import OPTIONS, option_toml

MakeSet = Callable[..., Path]


def shipped() -> OptionSet:
    return load([str(OPTIONS)])


def test_scores_are_the_sum_of_contributions_on_the_shipped_set() -> None:
    option_set = shipped()
    ranking = rank(option_set, resolve_lens(option_set.model))
    for row in ranking.rows:
        assert row.contributions is not None
        assert row.score == sum(row.contributions)


def test_weighted_sum_by_hand(make_set: MakeSet) -> None:
    """docs/methods.md#weighted-sum: 100 · Σ w_j v_j, with linkage (lower is better) read as 1 − v."""
    root = make_set({"a.toml": option_toml("a", 8, 6, 2)})
    option_set = load([str(root)])
    row = rank(option_set, resolve_lens(option_set.model)).rows[0]
    assert row.contributions == pytest.approx((40.0, 18.0, 16.0))
    assert row.score == pytest.approx(74.0)


def test_competition_ranks_and_tie_groups_in_id_order() -> None:
    scores = [90.0, 80.0, 80.0 + 1e-12, 70.0, 80.0]
    ids = ["e", "d", "c", "b", "a"]
    order = sorted(range(5), key=lambda i: (-scores[i], ids[i]))
    ranks, ties = assign_ranks([scores[i] for i in order], [ids[i] for i in order])
    assert [ids[order[k]] for k in ranks.order] == ["e", "a", "c", "d", "b"]
    assert ranks.ranks == [1, 2, 2, 2, 5]
    assert ties == (("a", "c", "d"),)


def test_ties_use_a_relative_tolerance() -> None:
    _, ties = assign_ranks([1e6, 1e6 - 1e-4, 1e6 - 1e-2], ["a", "b", "c"])
    assert ties == (("a", "b"),)


def test_screens_list_the_rule_and_do_not_rank(make_set: MakeSet) -> None:
    root = make_set({"a.toml": option_toml("a", 0, 9, 1) + option_toml("b", 5, 5, 5)})
    option_set = load([str(root)])
    screens = (Screen("benefit", "min", 1),)
    ranking = rank(option_set, resolve_lens(option_set.model), Selection(screens=screens))
    assert [r.option.id for r in ranking.rows] == ["b"]
    assert [(s.option.id, s.rule, s.value) for s in ranking.screened_out] == [
        ("a", "min benefit 1", 0)
    ]


def test_track_and_tag_filters_or_within_and_across(make_set: MakeSet) -> None:
    root = make_set(
        {
            "a.toml": option_toml("a", 1, 1, 1, "security", tags='["x"]')
            + option_toml("b", 1, 1, 1, "economic", tags='["y"]')
            + option_toml("c", 1, 1, 1, "humanitarian", tags='["x"]'),
        }
    )
    option_set = load([str(root)])
    lens = resolve_lens(option_set.model)
    pick = Selection(tracks=("security", "economic"), tags=("x",))
    assert [r.option.id for r in rank(option_set, lens, pick).rows] == ["a"]
    with pytest.raises(UsageError, match="unknown track 'securty'"):
        rank(option_set, lens, Selection(tracks=("securty",)))
    with pytest.raises(UsageError, match="no option has the tag 'z'"):
        rank(option_set, lens, Selection(tags=("z",)))


def test_unknown_names_are_usage_errors_with_hints() -> None:
    model = shipped().model
    with pytest.raises(UsageError) as caught:
        resolve_lens(model, profile="pragmatc")
    assert caught.value.hint == "did you mean 'pragmatic'?"
    with pytest.raises(UsageError, match="unknown method 'topsys'"):
        resolve_lens(model, method="topsys")
    with pytest.raises(UsageError, match="no weight for linkage"):
        resolve_lens(model, weights={"benefit": 1, "feasibility": 1})


def test_custom_weights_are_normalised() -> None:
    lens = resolve_lens(shipped().model, weights={"benefit": 2, "feasibility": 1, "linkage": 1})
    assert lens.profile == "custom"
    assert lens.weights == (0.5, 0.25, 0.25)


def test_weights_within_rounding_of_1_are_still_normalised() -> None:
    """Three weights of 0.3333333333 sum to 0.9999999999: they are equal weights, so the
    scores are the equal-weight ones (86.666666667, not 86.666666658)."""
    model = shipped().model
    thirds = resolve_lens(model, weights=dict.fromkeys(model.criterion_ids, 0.3333333333))
    equal = resolve_lens(model, weights=dict.fromkeys(model.criterion_ids, 1))
    assert math.fsum(thirds.weights) == 1.0
    for w, e in zip(thirds.weights, equal.weights, strict=True):
        assert w == pytest.approx(e, abs=1e-15)
    option_set = shipped()
    for method in ("weighted-sum", "topsis", "promethee"):
        a = rank(option_set, replace(thirds, method=method)).rows
        b = rank(option_set, replace(equal, method=method)).rows
        assert [r.option.id for r in a] == [r.option.id for r in b]
        for x, y in zip(a, b, strict=True):
            assert x.score == pytest.approx(y.score, abs=1e-12)
    # weights written to sum exactly 1 stay exactly as written
    written = {"benefit": 0.45, "feasibility": 0.35, "linkage": 0.2}
    assert resolve_lens(model, weights=written).weights == (0.45, 0.35, 0.2)


def test_dominated_by_lists_undominated_dominators_in_rank_order() -> None:
    vectors = [[1, 1], [0.5, 0.9], [0.2, 0.2], [0.9, 0.5], [0.2, 0.2]]
    order = [0, 1, 3, 2, 4]
    result = dominators(vectors, order)
    assert result == [(), (0,), (0,), (0,), (0,)]


def test_option_dominated_by_several() -> None:
    vectors = [[1, 0], [0, 1], [0, 0], [0.5, 0.5]]
    assert dominators(vectors, [3, 0, 1, 2]) == [(), (), (3, 0, 1), ()]


def test_identical_options_do_not_dominate_each_other() -> None:
    assert dominators([[1, 1], [1, 1]], [0, 1]) == [(), ()]


@settings(derandomize=True, max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 3), min_size=3, max_size=3), min_size=1, max_size=25))
def test_dominance_matches_the_definition(vectors: list[list[int]]) -> None:
    order = list(range(len(vectors)))
    result = dominators(vectors, order)

    def dom(a: list[int], b: list[int]) -> bool:
        return all(x >= y for x, y in zip(a, b, strict=True)) and a != b

    undominated = {i for i, v in enumerate(vectors) if not any(dom(w, v) for w in vectors)}
    for i, v in enumerate(vectors):
        expected = [j for j in order if j in undominated and dom(vectors[j], v)][:5]
        assert list(result[i]) == expected


def test_kendall_tau_b_published_example() -> None:
    """SciPy reference guide, scipy.stats.kendalltau, Examples: x = [12, 2, 1, 12, 2],
    y = [1, 4, 7, 1, 0] gives τ-b = −0.47140452079103173."""
    assert kendall_tau_b([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]) == pytest.approx(-0.47140452079103173)


def test_kendall_tau_b_limits() -> None:
    assert kendall_tau_b([1, 2, 3], [1, 2, 3]) == 1.0
    assert kendall_tau_b([1, 2, 3], [3, 2, 1]) == -1.0
    assert kendall_tau_b([1, 1, 1], [1, 2, 3]) is None
    assert kendall_tau_b([1], [1]) is None


def test_lenses_agree_with_themselves_and_mark_the_top_everywhere() -> None:
    option_set = shipped()
    model = option_set.model
    lenses = [resolve_lens(model, profile=p.name) for p in model.profiles]
    comparison = compare_lenses(option_set, [lenses[0], *lenses])
    assert comparison.kendall_tau_b[1] == pytest.approx(1.0)
    for option_id in comparison.top_everywhere:
        assert all(r.find(option_id).rank <= 3 for r in comparison.rankings)  # type: ignore[union-attr]


# -- properties over generated sets ------------------------------------------------------

MODEL_TEXT = (OPTIONS / "engage.toml").read_text()


SHIPPED_MODEL = replace(load([str(OPTIONS)]).model, screens=())


def make_set_from(values: list[tuple[float, float, float]]) -> OptionSet:
    model = SHIPPED_MODEL
    options = tuple(
        Option(
            id=f"o{i}",
            title=f"O{i}",
            track="security",
            scores={c: Score(v, v, v) for c, v in zip(model.criterion_ids, row, strict=True)},
        )
        for i, row in enumerate(values)
    )
    return OptionSet(model=model, options=options)


scores_3 = st.tuples(*(st.integers(0, 10),) * 3)
value_sets = st.lists(scores_3, min_size=1, max_size=12)
weights_3 = st.tuples(*(st.floats(0.01, 10),) * 3)


def ranked_scores(option_set: OptionSet, lens: Lens) -> dict[str, tuple[int, float]]:
    return {r.option.id: (r.rank, r.score) for r in rank(option_set, lens).rows}


@settings(derandomize=True, max_examples=60, deadline=None)
@given(value_sets, weights_3, st.floats(0.1, 100))
def test_scaling_all_weights_changes_nothing(
    values: list[tuple[float, float, float]], weights: tuple[float, ...], factor: float
) -> None:
    option_set = make_set_from(values)
    model: Model = option_set.model
    named = dict(zip(model.criterion_ids, weights, strict=True))
    scaled = {k: v * factor for k, v in named.items()}
    for method in ("weighted-sum", "topsis", "promethee"):
        a = ranked_scores(option_set, resolve_lens(model, method=method, weights=named))
        b = ranked_scores(option_set, resolve_lens(model, method=method, weights=scaled))
        assert a.keys() == b.keys()
        for key in a:
            assert a[key][1] == pytest.approx(b[key][1], abs=1e-9)


@settings(derandomize=True, max_examples=60, deadline=None)
@given(value_sets, st.integers(0, 11), st.sampled_from([0, 1, 2]))
def test_improving_a_score_never_lowers_it(
    values: list[tuple[float, float, float]], which: int, criterion: int
) -> None:
    """Weighted sum: a better value (in its direction) never lowers the option's score."""
    which %= len(values)
    option_set = make_set_from(values)
    lens = resolve_lens(option_set.model)
    before = ranked_scores(option_set, lens)[f"o{which}"][1]
    row = list(values[which])
    better = option_set.model.criteria[criterion].higher_is_better
    row[criterion] = min(10, row[criterion] + 1) if better else max(0, row[criterion] - 1)
    changed = [*values[:which], tuple(row), *values[which + 1 :]]
    after = ranked_scores(make_set_from(changed), lens)[f"o{which}"][1]  # type: ignore[arg-type]
    assert after >= before - 1e-12


@settings(derandomize=True, max_examples=40, deadline=None)
@given(value_sets, st.randoms(use_true_random=False))
def test_permuting_options_permutes_results(
    values: list[tuple[float, float, float]], rnd: object
) -> None:
    option_set = make_set_from(values)
    shuffled = list(option_set.options)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    other = OptionSet(model=option_set.model, options=tuple(shuffled))
    for method in ("weighted-sum", "topsis", "promethee"):
        lens = resolve_lens(option_set.model, method=method)
        a, b = rank(option_set, lens), rank(other, lens)
        assert [(r.option.id, r.rank) for r in a.rows] == [(r.option.id, r.rank) for r in b.rows]
        for x, y in zip(a.rows, b.rows, strict=True):
            assert math.isclose(x.score, y.score, rel_tol=1e-12, abs_tol=1e-12)
