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
from engage.core.model import OptionSet
from engage.core.ranking import Selection
from engage.io.loader import load
from tests.conftest import OPTIONS, option_toml

MakeSet = Callable[..., Path]


def shipped() -> OptionSet:
    return load([str(OPTIONS)])


def rescaled(option_set: OptionSet, option_id: str) -> tuple[float, float, float, float]:
    """b, f, l, l₀ straight from the written values and the scales, as docs/methods.md#the-linkage-lens defines them."""
    model = option_set.model
    option = next(o for o in option_set.options if o.id == option_id)
    out = []
    for cid in ("benefit", "feasibility", "linkage"):
        c = model.criterion(cid)
        out.append((option.scores[cid].value - c.lo) / (c.hi - c.lo))
    link = model.criterion("linkage")
    intrinsic = option.scores["linkage"].intrinsic
    out.append(((intrinsic if intrinsic is not None else link.lo) - link.lo) / (link.hi - link.lo))
    return out[0], out[1], out[2], out[3]


@pytest.mark.parametrize("s", [0.0, 0.3, 0.7, 1.0])
def test_every_shipped_dividend_is_exactly_100_b_f_s_l_minus_l0(s: float) -> None:
    option_set = shipped()
    result = decouple(option_set, s)
    assert result.total == len(option_set.options) == 22
    for row in result.rows:
        b, f, link, link0 = rescaled(option_set, row.option.id)
        assert row.dividend == 100 * b * f * s * (link - link0)
        assert row.delivered_linked == 100 * b * f * (1 - s * link)
        assert row.delivered_standalone == 100 * b * f * (1 - s * link0)
        assert row.delivered_standalone - row.delivered_linked == pytest.approx(row.dividend)


def test_intrinsic_linkage_is_the_part_no_decoupling_removes() -> None:
    """girls-secondary-dialogue: linkage 5 of which 3 intrinsic, so l = 0.5 and l₀ = 0.3."""
    row = next(
        r for r in decouple(shipped(), 0.7).rows if r.option.id == "girls-secondary-dialogue"
    )
    assert (row.benefit, row.feasibility, row.linkage, row.intrinsic) == (0.8, 0.2, 0.5, 0.3)
    assert row.delivered_linked == pytest.approx(10.4)
    assert row.delivered_standalone == pytest.approx(12.64)
    assert row.dividend == pytest.approx(2.24)


def test_worked_line_of_the_readme() -> None:
    """wb-approach-3 (benefit 7, feasibility 6, linkage 2) at s = 0.7: 36.12, 42, 5.88."""
    row = next(r for r in decouple(shipped(), 0.7).rows if r.option.id == "wb-approach-3")
    assert row.delivered_linked == pytest.approx(36.12)
    assert row.delivered_standalone == pytest.approx(42.0)
    assert row.dividend == pytest.approx(5.88)
    assert (row.rank_linked, row.rank_standalone) == (3, 2)


def test_rows_follow_delivered_linked_with_ties_sharing_a_rank_in_id_order() -> None:
    result = decouple(shipped(), 0.7)
    values = [r.delivered_linked for r in result.rows]
    assert values == sorted(values, reverse=True)
    assert result.ties == (("pak-afg-ceasefire", "qosh-tepa-water"),)
    tied = [r for r in result.rows if r.option.id in result.ties[0]]
    assert [r.rank_linked for r in tied] == [11, 11]
    assert [r.option.id for r in tied] == ["pak-afg-ceasefire", "qosh-tepa-water"]
    assert [r.rank_linked for r in result.rows][12] == 13  # competition ranking skips 12


def test_standalone_rank_ranks_the_same_options_by_delivered_standalone() -> None:
    result = decouple(shipped(), 0.7)
    by_standalone = sorted(result.rows, key=lambda r: (-r.delivered_standalone, r.option.id))
    ranks = [r.rank_standalone for r in by_standalone]
    assert ranks == sorted(ranks)
    assert by_standalone[0].option.id == "res-2615-carveout"


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
    assert len(sweep.crossings) == 10
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
    assert first == Crossing(5 / 22, "cedaw-icj-case", "performance-based-roadmap")
    b_i, f_i, l_i, _ = rescaled(option_set, "cedaw-icj-case")
    b_j, f_j, l_j, _ = rescaled(option_set, "performance-based-roadmap")
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
