"""compare: pairs in rank order, reasons in points that add up to the gap, dominance."""

from __future__ import annotations

from dataclasses import replace

import pytest

from engage.analysis.compare import compare
from engage.core.errors import UsageError
from engage.core.model import Screen
from engage.core.ranking import resolve_lens
from tests.analysis.test_explain import bare_model, lens, make, shipped


def test_because_and_despite_are_the_differences_of_contributions() -> None:
    """a = 40+18+16 = 74, b = 25+27+20 = 72: benefit +15, despite feasibility −9, linkage −4."""
    c = compare(make({"a": (8, 6, 2), "b": (5, 9, 0)}), lens(), ["b", "a"])
    assert [e.option.id for e in c.entries] == ["b", "a"]
    (pair,) = c.pairs
    assert (pair.higher.option.id, pair.lower.option.id) == ("a", "b")
    assert pair.gap == pytest.approx(2.0)
    assert pair.because is not None
    assert pair.despite is not None
    assert [name for name, _ in pair.because] == ["benefit"]
    assert [name for name, _ in pair.despite] == ["feasibility", "linkage"]
    assert dict(pair.because)["benefit"] == pytest.approx(15.0)
    assert dict(pair.despite)["feasibility"] == pytest.approx(-9.0)
    total = sum(v for _, v in pair.because) + sum(v for _, v in pair.despite)
    assert total == pytest.approx(pair.gap)
    assert not pair.dominates
    assert not pair.tied


def test_pairs_follow_rank_order_and_state_dominance() -> None:
    option_set = make({"a": (9, 9, 0), "b": (5, 5, 5), "c": (6, 2, 4)})
    c = compare(option_set, lens(), ["c", "b", "a"])
    assert [(p.higher.option.id, p.lower.option.id) for p in c.pairs] == [
        ("a", "b"),
        ("a", "c"),
        ("b", "c"),
    ]
    assert [p.dominates for p in c.pairs] == [True, True, False]


def test_within_a_tie_the_dominator_comes_first() -> None:
    """With feasibility weighted 0, b (5, 6, 5) ties a (5, 5, 5) yet dominates it."""
    c = compare(make({"a": (5, 5, 5), "b": (5, 6, 5)}), lens((0.5, 0.0, 0.5)), ["a", "b"])
    (pair,) = c.pairs
    assert pair.tied
    assert pair.gap == 0.0
    assert (pair.higher.option.id, pair.dominates) == ("b", True)
    assert pair.because == ()
    assert pair.despite == ()


def test_topsis_gives_no_reasons_in_points() -> None:
    c = compare(make({"a": (8, 6, 2), "b": (5, 9, 0)}), lens(method="topsis"), ["a", "b"])
    (pair,) = c.pairs
    assert pair.because is None
    assert pair.despite is None
    assert pair.gap > 0


def test_a_screened_out_id_is_listed_but_takes_no_pair() -> None:
    model = replace(bare_model(), screens=(Screen("linkage", "max", 8),))
    option_set = make({"a": (5, 5, 9), "b": (6, 6, 2), "c": (4, 4, 2)}, model)
    c = compare(option_set, lens(), ["a", "b", "c"])
    assert [e.option.id for e in c.entries] == ["a", "b", "c"]
    assert [(p.higher.option.id, p.lower.option.id) for p in c.pairs] == [("b", "c")]


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (["a"], "at least two"),
        (["a", "a"], "given twice"),
        (["a", "zz"], "unknown option id 'zz'"),
    ],
)
def test_bad_id_lists_are_usage_errors(ids: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message) as caught:
        compare(make({"a": (5, 5, 5), "b": (6, 6, 6)}), lens(), ids)
    assert caught.value.exit_code == 2


def test_gap_is_the_sum_of_reasons_on_the_shipped_set_for_every_additive_method() -> None:
    option_set = shipped()
    ids = [o.id for o in option_set.options][:6]
    for method in ("weighted-sum", "promethee"):
        c = compare(option_set, resolve_lens(option_set.model, method=method), ids)
        assert len(c.pairs) == 15
        for pair in c.pairs:
            assert pair.because is not None
            assert pair.despite is not None
            total = sum(v for _, v in pair.because) + sum(v for _, v in pair.despite)
            assert total == pytest.approx(pair.gap, abs=1e-9)
            assert pair.gap >= 0
