"""The linkage lens (docs/methods.md#the-linkage-lens): delivered if linked, standalone, the dividend, the sweep."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.analysis.decouple import Crossing, crossings, decouple, roles
from engage.core.errors import UsageError
from engage.core.model import Criterion, OptionSet, interpolate
from engage.core.ranking import Selection
from engage.io.loader import load
from tests.conftest import OPTIONS, option_toml

MakeSet = Callable[..., Path]


def shipped() -> OptionSet:
    return load([str(OPTIONS)])


def share(c: Criterion, x: float) -> float:
    """x as a share of the scale, (x − lo) / (hi − lo); through the value function when the
    criterion gives one, f(x) / 100 (1 − f(x) / 100 when lower is better)."""
    if c.value_function is not None:
        v = interpolate(c.value_function, x) / 100.0
        return v if c.higher_is_better else 1.0 - v
    return (x - c.lo) / (c.hi - c.lo)


def rescaled(option_set: OptionSet, option_id: str) -> tuple[float, float, float, float]:
    """b, f, l, l₀ straight from the written values and the scales, as docs/methods.md#the-linkage-lens defines them."""
    model = option_set.model
    option = next(o for o in option_set.options if o.id == option_id)
    out = [share(model.criterion(c), option.scores[c].value) for c in ROLE_IDS]
    link = model.criterion("linkage")
    intrinsic = option.scores["linkage"].intrinsic
    out.append(share(link, intrinsic if intrinsic is not None else link.lo))
    return out[0], out[1], out[2], out[3]


ROLE_IDS = ("benefit", "feasibility", "linkage")


def test_the_shipped_feasibility_goes_through_its_curve() -> None:
    """The shipped model has a feasibility value function (SPEC §8): 4 → 55, 3.5 → 48.75."""
    model = shipped().model
    assert model.criterion("feasibility").value_function is not None
    assert rescaled(shipped(), "wb-approach-3")[1] == pytest.approx(0.55)
    assert rescaled(shipped(), "qosh-tepa-water")[1] == pytest.approx(0.4875)


@pytest.mark.parametrize("s", [0.0, 0.3, 0.7, 1.0])
def test_every_shipped_dividend_is_exactly_100_b_f_s_l_minus_l0(s: float) -> None:
    option_set = shipped()
    result = decouple(option_set, s)
    # all but the baseline and the one screened out (performance-based-roadmap, linkage 10)
    assert [o.option.id for o in result.screened_out] == ["performance-based-roadmap"]
    assert option_set.model.baseline == "res-2615-carveout"
    assert "res-2615-carveout" not in {r.option.id for r in result.rows}
    assert result.total == len(result.rows) == len(option_set.options) - 2 == 29
    for row in result.rows:
        b, f, link, link0 = rescaled(option_set, row.option.id)
        assert row.dividend == 100 * b * f * s * (link - link0)
        assert row.delivered_linked == 100 * b * f * (1 - s * link)
        assert row.delivered_standalone == 100 * b * f * (1 - s * link0)
        assert row.delivered_standalone - row.delivered_linked == pytest.approx(row.dividend)


def test_intrinsic_linkage_is_the_part_no_decoupling_removes() -> None:
    """girls-secondary-dialogue: linkage 8 of which 6 intrinsic, so l = 0.8 and l₀ = 0.6;
    benefit 2 and feasibility 1 (15 on the curve), so b·f = 0.2 · 0.15 = 0.03:
    linked 3 · (1 − 0.7 · 0.8) = 1.32, standalone 3 · (1 − 0.7 · 0.6) = 1.74, the gap
    3 · 0.7 · 0.2 = 0.42."""
    row = next(
        r for r in decouple(shipped(), 0.7).rows if r.option.id == "girls-secondary-dialogue"
    )
    assert (row.benefit, row.feasibility, row.linkage, row.intrinsic) == pytest.approx(
        (0.2, 0.15, 0.8, 0.6)
    )
    assert row.delivered_linked == pytest.approx(1.32)
    assert row.delivered_standalone == pytest.approx(1.74)
    assert row.dividend == pytest.approx(0.42)


def test_worked_line_of_the_readme() -> None:
    """wb-approach-3 (benefit 6, feasibility 4 = 55 on the curve, linkage 5, no intrinsic) at
    s = 0.7: b·f = 0.6 · 0.55 = 0.33, so linked 33 · (1 − 0.7 · 0.5) = 21.45, standalone 33,
    dividend 11.55: the largest dividend of the set, 2nd linked and 1st standalone."""
    result = decouple(shipped(), 0.7)
    row = next(r for r in result.rows if r.option.id == "wb-approach-3")
    assert row.delivered_linked == pytest.approx(100 * 0.6 * 0.55 * (1 - 0.7 * 0.5))
    assert row.delivered_linked == pytest.approx(21.45)
    assert row.delivered_standalone == pytest.approx(33.0)
    assert row.dividend == pytest.approx(11.55)
    assert (row.rank_linked, row.rank_standalone) == (2, 1)
    assert max(result.rows, key=lambda r: r.dividend) is row


def test_rows_follow_delivered_linked_with_ties_sharing_a_rank_in_id_order() -> None:
    result = decouple(shipped(), 0.7)
    values = [r.delivered_linked for r in result.rows]
    assert values == sorted(values, reverse=True)
    # identical scores (4, 4, 2) and (2, 6, 1); and (2, 7, 5) with different intrinsic
    # linkage, which delivered_linked does not read
    assert result.ties == (
        ("community-education", "polio-vaccination-access"),
        ("tapi-herat", "uzbek-power-line"),
        ("consular-technical-presence", "doha-process"),
    )
    for group, shared in zip(result.ties, (4, 9, 17), strict=True):
        tied = [r for r in result.rows if r.option.id in group]
        assert [r.rank_linked for r in tied] == [shared, shared]
        assert [r.option.id for r in tied] == list(group)
    ranks = [r.rank_linked for r in result.rows]
    assert ranks[5] == 6  # competition ranking skips 5
    assert ranks[16:19] == [17, 17, 19]  # and 18


def test_standalone_rank_ranks_the_same_options_by_delivered_standalone() -> None:
    result = decouple(shipped(), 0.7)
    by_standalone = sorted(result.rows, key=lambda r: (-r.delivered_standalone, r.option.id))
    ranks = [r.rank_standalone for r in by_standalone]
    assert ranks == sorted(ranks)
    # wb-approach-3: 33 standalone, humanitarian-ringfence (7, 3 = 42.5, 1): 29.75
    assert [r.option.id for r in by_standalone[:2]] == ["wb-approach-3", "humanitarian-ringfence"]
    assert result.rows[0].option.id == "humanitarian-ringfence"


def test_track_totals_sum_the_selected_options_in_model_track_order() -> None:
    result = decouple(shipped(), 0.7)
    assert [t.track for t in result.tracks] == list(result.model.tracks or ())
    for total in result.tracks:
        rows = [r for r in result.rows if r.option.track == total.track]
        assert total.delivered_linked == pytest.approx(sum(r.delivered_linked for r in rows))
        assert total.dividend == pytest.approx(sum(r.dividend for r in rows))


def test_track_tag_and_screens_apply_before_ranking(make_set: MakeSet) -> None:
    root = make_set(
        {
            "a.toml": option_toml("a", 8, 8, 1),
            "b.toml": option_toml("b", 6, 6, 1, track="economic"),
            "c.toml": option_toml("c", 5, 5, 9, track="economic"),
        }
    )
    option_set = load([str(root)])
    from engage.core.model import Screen

    result = decouple(
        option_set,
        0.5,
        Selection(tracks=("economic",), screens=(Screen("linkage", "max", 5),)),
    )
    assert [r.option.id for r in result.rows] == ["b"]
    assert result.rows[0].rank_linked == 1
    assert [s.option.id for s in result.screened_out] == ["c"]
    assert [t.track for t in result.tracks] == ["economic"]


@pytest.mark.parametrize("p", [-0.1, 1.5, math.nan, math.inf])
def test_stall_probability_outside_0_1_is_a_usage_error(p: float) -> None:
    with pytest.raises(UsageError, match=r"^stall_probability must lie in"):
        decouple(shipped(), p)


def test_a_model_without_the_roles_names_them_and_how_to_declare_one(make_set: MakeSet) -> None:
    model = """\
title = "No roles"
[criteria.benefit]
[criteria.feasibility]
[criteria.linkage]
better = "lower"
"""
    option_set = load([str(make_set({"a.toml": option_toml("a", 5, 5, 5)}, model=model))])
    with pytest.raises(UsageError) as caught:
        roles(option_set.model)
    assert "no criteria with the roles 'benefit', 'feasibility', 'linkage'" in caught.value.message
    assert caught.value.hint is not None
    assert 'role = "benefit"' in caught.value.hint


# -- the sweep ---------------------------------------------------------------------------


def test_every_shipped_crossing_is_an_exact_tie_and_the_order_flips_there() -> None:
    """At p = s* the two delivered_linked values agree to 1e-12; just before, the overtaken
    option is ahead; just after, the overtaker is."""
    option_set = shipped()
    sweep = decouple(option_set, 0.7, sweep=True).sweep
    assert sweep is not None
    assert len(sweep.crossings) == len(brute_force(*exact_lines(option_set))) == 62
    for c in sweep.crossings:
        assert 0 < c.p < 1
        at = {r.option.id: r.delivered_linked for r in decouple(option_set, c.p).rows}
        assert abs(at[c.overtaker] - at[c.overtaken]) <= 1e-12
        before = {r.option.id: r.delivered_linked for r in decouple(option_set, c.p - 1e-6).rows}
        after = {r.option.id: r.delivered_linked for r in decouple(option_set, c.p + 1e-6).rows}
        assert before[c.overtaken] > before[c.overtaker]
        assert after[c.overtaker] > after[c.overtaken]


def test_crossings_are_sorted_by_p_then_ids_and_match_the_spec_formula() -> None:
    option_set = shipped()
    sweep = decouple(option_set, 0.7, sweep=True).sweep
    assert sweep is not None
    keys = [(c.p, c.overtaker, c.overtaken) for c in sweep.crossings]
    assert keys == sorted(keys)
    first = sweep.crossings[0]
    # carveout-comfort-letters (3.5, 4, 3): a = 0.35 · 0.55; pak-afg-ceasefire (4, 3.5, 7):
    # a = 0.4 · 0.4875; s* = (0.1925 − 0.195) / (0.1925 · 0.3 − 0.195 · 0.7) = 2/63
    assert first == Crossing(2 / 63, "carveout-comfort-letters", "pak-afg-ceasefire")
    b_i, f_i, l_i, _ = rescaled(option_set, "carveout-comfort-letters")
    b_j, f_j, l_j, _ = rescaled(option_set, "pak-afg-ceasefire")
    a_i, a_j = b_i * f_i, b_j * f_j
    assert first.p == pytest.approx((a_i - a_j) / (a_i * l_i - a_j * l_j))


def test_sweep_ranks_at_the_ends_are_b_f_and_b_f_one_minus_l() -> None:
    option_set = shipped()
    result = decouple(option_set, 0.7, sweep=True)
    assert result.sweep is not None
    assert result.sweep.ranks_at_0 == {
        r.option.id: r.rank_linked for r in decouple(option_set, 0).rows
    }
    assert result.sweep.ranks_at_1 == {
        r.option.id: r.rank_linked for r in decouple(option_set, 1).rows
    }


def brute_force(
    lines: list[tuple[Fraction, Fraction]], ids: list[str]
) -> list[tuple[Fraction, str, str]]:
    """Every pair checked: y = a + m·s, crossing at s* = (a_i − a_j) / (m_j − m_i)."""
    out = []
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            (a_i, m_i), (a_j, m_j) = lines[i], lines[j]
            if m_i == m_j:
                continue
            s = (a_i - a_j) / (m_j - m_i)
            if 0 < s < 1:
                over, under = (ids[i], ids[j]) if m_i > m_j else (ids[j], ids[i])
                out.append((s, over, under))
    return sorted(out)


def exact_lines(option_set: OptionSet) -> tuple[list[tuple[Fraction, Fraction]], list[str]]:
    """y = a − a·l·s, a = b·f, for every ranked option in exact fractions of the written
    numbers (the decimal the float prints as, so 0.55 is 55/100)."""
    rows = decouple(option_set, 0.7).rows
    lines = []
    for r in rows:
        b, f, link, _ = (Fraction(repr(x)) for x in rescaled(option_set, r.option.id))
        lines.append((b * f, -b * f * link))
    return lines, [r.option.id for r in rows]


values = st.integers(min_value=0, max_value=10)


@settings(derandomize=True, max_examples=150, deadline=None)
@given(st.lists(st.tuples(values, values, values), min_size=0, max_size=12))
def test_kinetic_sweep_finds_exactly_the_pairwise_crossings(
    scores: list[tuple[int, int, int]],
) -> None:
    """Small integer scores make ties, parallel lines and many lines through one point."""
    ids = [f"o{k:02d}" for k in range(len(scores))]
    lines = []
    for b, f, link in scores:
        a = Fraction(b, 10) * Fraction(f, 10)
        lines.append((a, -a * Fraction(link, 10)))
    expected = brute_force(lines, ids)
    assert crossings(lines, ids) == tuple(Crossing(float(s), o, u) for s, o, u in expected)


def test_three_lines_through_one_point_give_three_crossings() -> None:
    lines = [
        (Fraction(1), Fraction(-2)),
        (Fraction(3, 4), Fraction(-1)),
        (Fraction(1, 2), Fraction(0)),
    ]
    found = crossings(lines, ["a", "b", "c"])
    assert found == (
        Crossing(0.25, "b", "a"),
        Crossing(0.25, "c", "a"),
        Crossing(0.25, "c", "b"),
    )
