"""robustness (SMAA-2): draws, ties, acceptability, central weights, verdict, properties."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.analysis.draws import Scorer, stable_hash, triangular
from engage.analysis.robustness import (
    OptionRobustness,
    Robustness,
    robustness,
    verdict_of,
    weight_draws,
)
from engage.analysis.ties import placements
from engage.core.errors import EngageError, UsageError
from engage.core.model import Criterion, Model, Option, OptionSet, Score, Screen
from engage.core.ranking import Lens, Ranked, rank, resolve_lens, score_matrix
from engage.methods.promethee import Preference
from tests.conftest import OPTIONS, plain

CRITERIA = ("benefit", "feasibility", "linkage")
METHODS = ("weighted-sum", "topsis", "promethee")
MODES = ("local", "order", "any", "profile")


@cache
def shipped() -> OptionSet:
    return load_shipped()


def load_shipped() -> OptionSet:
    from engage.io.loader import load

    return load([str(OPTIONS)])


def bare_model() -> Model:
    return plain(shipped().model)


Ranges = dict[str, tuple[tuple[float, float, float], ...]]


def make(rows: Ranges, model: Model | None = None) -> OptionSet:
    """Options with (low, value, high) per criterion."""
    options = tuple(
        Option(
            id=name,
            title=f"Option {name}",
            track="security",
            scores={c: Score(v, lo, hi) for c, (lo, v, hi) in zip(CRITERIA, values, strict=True)},
        )
        for name, values in rows.items()
    )
    return OptionSet(model or bare_model(), options)


def fixed(*values: float) -> tuple[tuple[float, float, float], ...]:
    return tuple((v, v, v) for v in values)


def lens(method: str = "weighted-sum", weights: tuple[float, ...] = (0.5, 0.3, 0.2)) -> Lens:
    return Lens("custom", method, weights)


def matrix_of(result: Robustness) -> np.ndarray:
    return np.array([o.rank_acceptability for o in result.options])


# -- the acceptability matrix ----------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("mode", MODES)
def test_acceptability_sums_to_1_by_row_and_column_on_the_shipped_set(
    method: str, mode: str
) -> None:
    option_set = shipped()
    result = robustness(
        option_set, resolve_lens(option_set.model, None, method), draws=500, weights_from=mode
    )
    matrix = matrix_of(result)
    # every option but the baseline and the one screened out (performance-based-roadmap)
    ranking = rank(option_set, resolve_lens(option_set.model, None, method))
    assert ranking.baseline is not None
    assert [s.option.id for s in ranking.screened_out] == ["performance-based-roadmap"]
    n = len(option_set.options) - 2
    assert sorted(o.row.option.id for o in result.options) == sorted(
        r.option.id for r in ranking.rows
    )
    assert matrix.shape == (n, n)
    assert matrix.sum(axis=1) == pytest.approx(np.ones(n), abs=1e-12)
    assert matrix.sum(axis=0) == pytest.approx(np.ones(n), abs=1e-12)


def test_fixed_scores_and_weights_give_the_deterministic_ranking_with_ties_shared() -> None:
    """Shipped, pragmatic, weights fixed and ranges ignored: ranks 1..29 with certainty,
    except the ties, which share their places evenly: the four at 4 (community-education,
    polio-vaccination-access, tapi-herat, uzbek-power-line) 1/4 each at 4..7, the two at 12
    (consular-technical-presence, doha-process) 1/2 each at 12 and 13."""
    option_set = shipped()
    no_ranges = replace(
        option_set,
        options=tuple(
            replace(o, scores={c: Score(s.value, s.value, s.value) for c, s in o.scores.items()})
            for o in option_set.options
        ),
    )
    the_lens = resolve_lens(option_set.model, None, None)
    result = robustness(no_ranges, the_lens, draws=7, weights_from="profile")
    by_id = {o.row.option.id: o for o in result.options}
    ranking = rank(no_ranges, the_lens)
    assert len(result.options) == len(ranking.rows) == 29
    assert ranking.ties == (
        ("community-education", "polio-vaccination-access", "tapi-herat", "uzbek-power-line"),
        ("consular-technical-presence", "doha-process"),
    )
    place = dict.fromkeys(ranking.ties[0], (4, 4)) | dict.fromkeys(ranking.ties[1], (12, 2))
    for row in ranking.rows:
        found = by_id[row.option.id]
        if row.option.id in place:
            first, k = place[row.option.id]
            assert row.rank == first
            assert found.rank_acceptability[first - 1 : first - 1 + k] == (1 / k,) * k
            assert sum(found.rank_acceptability) == pytest.approx(1.0)
            assert found.mean_rank == first + (k - 1) / 2
            assert found.rank_interval == (first, first + k - 1)
        else:
            assert found.rank_acceptability[row.rank - 1] == 1.0
            assert found.mean_rank == row.rank
    top = by_id["humanitarian-ringfence"]
    assert ranking.rows[0].option.id == "humanitarian-ringfence"
    assert (top.p_rank1, top.confidence) == (1.0, 1.0)
    assert top.central_weights == pytest.approx(the_lens.weights)
    assert result.verdict == "robust"


def test_two_identical_options_share_first_place_and_tie() -> None:
    same = make({"a": fixed(5, 5, 5), "b": fixed(5, 5, 5), "c": fixed(0, 0, 10)})
    result = robustness(same, lens(), draws=100)
    a, b, c = result.options
    assert (a.p_rank1, b.p_rank1, c.p_rank1) == (0.5, 0.5, 0.0)
    assert a.rank_acceptability == (0.5, 0.5, 0.0)
    assert (a.mean_rank, c.mean_rank) == (1.5, 3.0)
    assert result.verdict == "tie"
    assert result.verdict_option == "a"


def test_rank_interval_is_the_5th_and_95th_percentile_of_the_rank() -> None:
    """P(rank) = (0.04, 0.9, 0.06): P(<=1) = 0.04 < 0.05, P(<=2) = 0.94 < 0.95 → [2, 3]."""
    acceptability = (0.04, 0.9, 0.06)
    row = rank(make({"a": fixed(1, 1, 1)}), lens()).rows[0]
    from engage.analysis.robustness import _summary

    found = _summary(row, np.array(acceptability) * 100, 100, 2, None, None)
    assert found.rank_interval == (2, 3)
    assert found.p_top_k == pytest.approx(0.94)
    assert found.mean_rank == pytest.approx(0.04 + 1.8 + 0.18)


# -- determinism --------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_result_and_another_seed_does_not() -> None:
    option_set, the_lens = shipped(), resolve_lens(shipped().model, None, None)
    first = robustness(option_set, the_lens, draws=300, seed=5)
    assert robustness(option_set, the_lens, draws=300, seed=5) == first
    assert robustness(option_set, the_lens, draws=300, seed=6) != first


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("method", METHODS)
def test_results_do_not_depend_on_the_chunk_size(mode: str, method: str) -> None:
    option_set = shipped()
    the_lens = resolve_lens(option_set.model, "standalone", method)  # two equal weights
    whole = robustness(option_set, the_lens, draws=200, weights_from=mode)
    chunked = robustness(option_set, the_lens, draws=200, weights_from=mode, chunk=7)
    assert matrix_of(chunked) == pytest.approx(matrix_of(whole), abs=1e-12)
    assert [o.confidence for o in chunked.options] == pytest.approx(
        [o.confidence for o in whole.options], abs=1e-12
    )
    assert [o.row.option.id for o in chunked.options] == [o.row.option.id for o in whole.options]


def test_results_do_not_depend_on_the_order_of_the_options() -> None:
    option_set = shipped()
    reordered = replace(option_set, options=tuple(reversed(option_set.options)))
    the_lens = resolve_lens(option_set.model, None, "topsis")
    assert robustness(reordered, the_lens, draws=300) == robustness(option_set, the_lens, draws=300)


def test_an_options_draws_do_not_depend_on_the_other_options() -> None:
    """Per-option streams: removing other options leaves this one's score draws alone,
    so with fixed weights its score distribution, hence P(rank 1) against a constant, holds."""
    a = ((2, 5, 8), (0, 5, 10), (1, 2, 3))
    pair = make({"a": a, "z": fixed(5, 5, 2)})
    trio = make({"a": a, "m": fixed(0, 0, 10), "z": fixed(5, 5, 2)})
    one = robustness(pair, lens(), draws=300, weights_from="profile")
    two = robustness(trio, lens(), draws=300, weights_from="profile")
    assert one.options[0].p_rank1 == next(o.p_rank1 for o in two.options if o.row.option.id == "a")


def test_stable_hash_is_the_first_8_bytes_of_sha256() -> None:
    """Not Python's salted hash: the same in every process."""
    assert stable_hash("a") == 0xCA978112CA1BBDCA
    assert stable_hash("a") != stable_hash("b")


# -- what is drawn ----------------------------------------------------------------------------


def test_triangular_quantile_is_numpys_sampler() -> None:
    """Given the same uniforms, our quantile reproduces Generator.triangular."""
    low, mode, high = (
        np.array([0.0, 2.0, 1.0]),
        np.array([0.0, 5.0, 4.0]),
        np.array([3.0, 8.0, 4.0]),
    )
    expected = np.random.Generator(np.random.PCG64(3)).triangular(low, mode, high, size=(50, 3))
    u = np.random.Generator(np.random.PCG64(3)).random((50, 3))
    span = high - low
    got = triangular(u, low, high, (mode - low) / span, span * (mode - low), span * (high - mode))
    assert got == pytest.approx(expected, abs=1e-12)


def test_triangular_quantile_hits_the_ends_and_the_mode() -> None:
    low, high, mode = np.array([1.0]), np.array([7.0]), np.array([3.0])
    span = high - low
    args = (low, high, (mode - low) / span, span * (mode - low), span * (high - mode))
    assert triangular(np.array([[0.0, 1 / 3, 1.0]]).T, *args).ravel() == pytest.approx(
        [1.0, 3.0, 7.0]
    )


def test_a_range_is_drawn_triangular() -> None:
    """a ~ triangular(2, 5, 8) against b = 4: P(a > 4) = 1 − (4 − 2)²/((8 − 2)(5 − 2)) = 7/9."""
    option_set = make({"a": ((2, 5, 8), (5, 5, 5), (5, 5, 5)), "b": fixed(4, 5, 5)})
    result = robustness(option_set, lens(), draws=100_000, weights_from="profile")
    assert result.options[0].p_rank1 == pytest.approx(7 / 9, abs=0.005)


def test_local_weights_center_on_the_profile_and_keep_zero_weights_zero() -> None:
    w = weight_draws((0.6, 0.4, 0.0), "local", 50.0, 0, 20_000)
    assert (w[:, 2] == 0.0).all()
    assert w.sum(axis=1) == pytest.approx(np.ones(len(w)))
    assert w.mean(axis=0) == pytest.approx([0.6, 0.4, 0.0], abs=0.005)
    # Dirichlet variance w(1 − w)/(c + 1) = 0.24/51
    assert w[:, 0].var() == pytest.approx(0.24 / 51, rel=0.05)


def test_higher_concentration_draws_closer_to_the_profile() -> None:
    loose = weight_draws((0.5, 0.3, 0.2), "local", 5.0, 0, 5000)
    tight = weight_draws((0.5, 0.3, 0.2), "local", 500.0, 0, 5000)
    assert tight[:, 0].std() < loose[:, 0].std() / 5


def test_order_weights_keep_the_profiles_order_and_free_equal_weights() -> None:
    w = weight_draws((0.2, 0.4, 0.0, 0.4), "order", 50.0, 0, 20_000)
    assert (w[:, 2] == 0.0).all()
    assert w.sum(axis=1) == pytest.approx(np.ones(len(w)))
    assert (w[:, 1] >= w[:, 0]).all()
    assert (w[:, 3] >= w[:, 0]).all()
    # the two equal profile weights are unordered: each is the larger half of the time
    assert (w[:, 1] > w[:, 3]).mean() == pytest.approx(0.5, abs=0.02)
    # uniform over the ordered region of 3 positive weights: mean of the k-th largest
    # spacing of the simplex, (1/3)(1/3 + 1/2 + 1) for the largest, 1/9 for the smallest
    assert w[:, 0].mean() == pytest.approx(1 / 9, abs=0.005)


def test_any_weights_are_uniform_on_the_simplex() -> None:
    w = weight_draws((1.0, 0.0, 0.0), "any", 50.0, 0, 20_000)
    assert w.mean(axis=0) == pytest.approx([1 / 3] * 3, abs=0.005)
    assert (w[:, 1] > 0).all()
    assert w[:, 0].var() == pytest.approx(1 / 18, rel=0.05)  # Beta(1, 2), Dirichlet's marginal


def test_profile_weights_are_fixed() -> None:
    assert (weight_draws((0.5, 0.5), "profile", 50.0, 0, 3) == 0.5).all()


# -- scoring many draws at once agrees with the methods ------------------------------------------


def preference_model(function: str, **parameters: float) -> Model:
    base = bare_model()
    criteria = tuple(
        replace(c, preference=Preference(function, **parameters)) for c in base.criteria
    )
    return replace(base, criteria=criteria)


MODELS = [
    preference_model("usual"),
    preference_model("u-shape", q=1.0),
    preference_model("v-shape", p=3.0),
    preference_model("level", q=1.0, p=3.0),
    preference_model("linear", q=0.5, p=3.0),
    preference_model("gaussian", s=2.0),
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.criteria[0].preference.function)
def test_vectorised_scores_equal_the_methods(method: str, model: Model) -> None:
    rng = np.random.default_rng(1)
    x = rng.integers(0, 11, (4, 9, 3)).astype(float)
    x[:, :, 0] = rng.uniform(0, 10, (4, 9))
    w = rng.dirichlet([1, 1, 1], 4)
    got = Scorer(model, method).scores(x, w)
    for c in range(4):
        expected = score_matrix(x[c].tolist(), model, lens(method, tuple(w[c]))).scores
        assert got[c] == pytest.approx(expected, abs=1e-12)


TENTHS_MODELS = [
    preference_model("usual"),
    preference_model("u-shape", q=0.3),
    preference_model("v-shape", p=0.3),
    preference_model("level", q=0.3, p=0.6),
    preference_model("linear", q=0.3, p=0.6),
    preference_model("gaussian", s=0.3),
]


@pytest.mark.parametrize("model", TENTHS_MODELS, ids=lambda m: m.criteria[0].preference.function)
def test_vectorised_flows_compare_written_decimals_like_the_method(model: Model) -> None:
    """Tenths minus tenths miss tenths in floating point (3.1 − 2.8 = 0.30000000000000027):
    the vectorised copy must use the method's tolerance, pair for pair."""
    rng = np.random.default_rng(2)
    x = rng.integers(0, 101, (3, 8, 3)) / 10
    x[0, :2, :] = [[3.1, 3.1, 3.1], [2.8, 2.8, 2.8]]
    w = rng.dirichlet([1, 1, 1], 3)
    got = Scorer(model, "promethee").scores(x, w)
    for c in range(3):
        expected = score_matrix(x[c].tolist(), model, lens("promethee", tuple(w[c]))).scores
        assert got[c] == pytest.approx(expected, abs=1e-12)
    pair = Scorer(model, "promethee").values(x[:1, :2, :])
    if model.criteria[0].preference.function in ("u-shape", "level", "linear"):
        assert (pair == 0.0).all()  # 3.1 and 2.8 are within q = 0.3: indifferent


# -- ties within a draw ----------------------------------------------------------------------


def test_tie_groups_form_against_the_first_member_not_as_chains() -> None:
    """1 + 1.2e-9 ties 1 + 0.6e-9, which ties 1, but 1 is 1.2e-9 from the group's first."""
    scores = np.array([[1.0, 1.0 + 0.6e-9, 1.0 + 1.2e-9, 0.5]])
    order, start, end = placements(scores)
    assert order.tolist() == [[2, 1, 0, 3]]
    assert start.tolist() == [[0, 0, 2, 3]]
    assert end.tolist() == [[2, 2, 3, 4]]


def test_equal_scores_keep_the_option_order() -> None:
    order, start, end = placements(np.array([[3.0, 5.0, 5.0, 5.0]]))
    assert order.tolist() == [[1, 2, 3, 0]]
    assert (start.tolist(), end.tolist()) == ([[0, 0, 0, 3]], [[3, 3, 3, 4]])


# -- the verdict --------------------------------------------------------------------------------


def summary(option_id: str, p: float) -> OptionRobustness:
    option = Option(id=option_id, title=option_id, track="t", scores={})
    return OptionRobustness(Ranked(option, 1, 0.0, None), p, p, 1.0, (1, 1), (p,), None, None)


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ((0.8, 0.2), ("robust", "a")),
        ((0.79, 0.21), ("fragile", "a")),
        ((0.5, 0.5), ("tie", "a")),
        ((0.45, 0.41, 0.14), ("tie", "a")),
        ((0.45, 0.40, 0.15), ("fragile", "a")),
        ((0.1, 0.6, 0.3), ("fragile", "b")),
        ((1.0,), ("robust", "a")),
    ],
)
def test_verdict_thresholds(shares: tuple[float, ...], expected: tuple[str, str]) -> None:
    """robust at P(rank 1) >= 0.8; tie when the top two are < 0.05 apart; else fragile."""
    options = [summary(chr(ord("a") + k), p) for k, p in enumerate(shares)]
    assert verdict_of(options) == expected


def test_central_weights_and_confidence_are_null_for_an_option_never_first() -> None:
    result = robustness(shipped(), resolve_lens(shipped().model, None, None), draws=200)
    last = result.options[-1]
    assert last.p_rank1 == 0.0
    assert (last.central_weights, last.confidence) == (None, None)
    first = result.options[0]
    assert first.central_weights is not None
    assert sum(first.central_weights) == pytest.approx(1.0)
    assert first.confidence is not None
    assert 0.0 < first.confidence <= 1.0


# -- input checks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "settings_",
    [
        {"draws": 0},
        {"weights_from": "uniform"},
        {"concentration": 0.0},
        {"concentration": float("inf")},
        {"top_k": 0},
    ],
)
def test_bad_settings_are_usage_errors(settings_: dict[str, object]) -> None:
    with pytest.raises(UsageError):
        robustness(shipped(), lens(), **settings_)  # type: ignore[arg-type]


def test_nothing_left_after_the_screens_is_an_error() -> None:
    option_set = make({"a": fixed(5, 5, 5)})
    model = replace(option_set.model, screens=(Screen("benefit", "min", 9),))
    with pytest.raises(EngageError, match="no option is left"):
        robustness(replace(option_set, model=model), lens(), draws=10)


def test_screens_apply_to_the_written_values_before_drawing() -> None:
    """b's range reaches benefit 9 but its written 3 is under the screen: never drawn."""
    option_set = make({"a": fixed(5, 5, 5), "b": ((1, 3, 9), (5, 5, 5), (5, 5, 5))})
    model = replace(option_set.model, screens=(Screen("benefit", "min", 4),))
    result = robustness(replace(option_set, model=model), lens(), draws=50)
    assert [o.row.option.id for o in result.options] == ["a"]
    assert [s.option.id for s in result.ranking.screened_out] == ["b"]


def test_progress_reports_every_chunk_up_to_twice_the_draws() -> None:
    seen: list[tuple[int, int]] = []
    robustness(shipped(), lens(), draws=30, chunk=10, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(10, 60), (20, 60), (30, 60), (40, 60), (50, 60), (60, 60)]


# -- properties on generated sets ---------------------------------------------------------------

value = st.integers(min_value=0, max_value=10)


@st.composite
def ranged(draw: st.DrawFn) -> tuple[float, float, float]:
    v = draw(value)
    return (float(draw(st.integers(0, v))), float(v), float(draw(st.integers(v, 10))))


@settings(derandomize=True, max_examples=25, deadline=None)
@given(
    rows=st.lists(st.tuples(ranged(), ranged(), ranged()), min_size=1, max_size=6),
    method=st.sampled_from(METHODS),
    mode=st.sampled_from(MODES),
    raw=st.tuples(*(st.integers(0, 4) for _ in CRITERIA)).filter(any),
)
def test_properties_on_generated_sets(
    rows: list[tuple[tuple[float, float, float], ...]],
    method: str,
    mode: str,
    raw: tuple[int, int, int],
) -> None:
    """Rows and columns sum to 1; P(top k) >= P(rank 1); ranks stay in 1..n; the mean
    ranks add up to n(n+1)/2; reversing the options changes nothing."""
    option_set = make({f"o{k}": r for k, r in enumerate(rows)})
    the_lens = lens(method, tuple(x / sum(raw) for x in raw))
    result = robustness(option_set, the_lens, draws=64, weights_from=mode, top_k=2)
    n = len(rows)
    matrix = matrix_of(result)
    assert matrix.sum(axis=1) == pytest.approx(np.ones(n), abs=1e-12)
    assert matrix.sum(axis=0) == pytest.approx(np.ones(n), abs=1e-12)
    assert sum(o.mean_rank for o in result.options) == pytest.approx(n * (n + 1) / 2)
    for o in result.options:
        assert o.p_top_k >= o.p_rank1
        assert 1 <= o.rank_interval[0] <= o.rank_interval[1] <= n
        assert 1.0 <= o.mean_rank <= n
        assert (o.central_weights is None) == (o.p_rank1 == 0.0) == (o.confidence is None)
    reversed_set = replace(option_set, options=tuple(reversed(option_set.options)))
    again = robustness(reversed_set, the_lens, draws=64, weights_from=mode, top_k=2)
    assert again == result


def test_a_criterion_with_its_own_scale_is_normalised_by_it() -> None:
    """weighted sum on a 0–100 scale: the vectorised value function uses the model's scale."""
    base = bare_model()
    wide = tuple(
        Criterion(c.id, c.label, None, c.higher_is_better, 0.0, 100.0, c.role, c.preference)
        for c in base.criteria
    )
    model = replace(base, criteria=wide)
    x = np.array([[[50.0, 20.0, 10.0], [10.0, 90.0, 0.0]]])
    got = Scorer(model, "weighted-sum").scores(x, np.array([[0.5, 0.3, 0.2]]))
    expected = score_matrix(x[0].tolist(), model, lens()).scores
    assert got[0] == pytest.approx(expected)
