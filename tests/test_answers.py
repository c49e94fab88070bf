"""Checking weigh answers (docs/methods.md#eliciting-weights-engage-weigh): what a point, an order or a judgement may be."""

from __future__ import annotations

import re

import pytest

from engage.io.answers import check_judgements, check_points, parse_order, parse_ratio, ratio_text

IDS = ("benefit", "feasibility", "linkage")


def codes(problems: list[tuple[str | None, str, str, str | None]]) -> list[str]:
    return [p[1] for p in problems]


def test_points_are_read_in_criterion_order() -> None:
    assert check_points({"linkage": 40, "benefit": 100, "feasibility": 70.5}, IDS) == (
        (100.0, 70.5, 40.0),
        [],
    )


@pytest.mark.parametrize(
    ("points", "code", "message"),
    [
        (
            {"benefit": 100, "feasibility": 101, "linkage": 0},
            "out-of-range",
            "101 points for 'feasibility' are outside 0–100",
        ),
        (
            {"benefit": 100, "feasibility": -5, "linkage": 0},
            "out-of-range",
            "-5 points for 'feasibility' are outside 0–100",
        ),
        (
            {"benefit": 100, "feasibility": "lots", "linkage": 0},
            "wrong-type",
            "points for 'feasibility' must be a number, got 'lots'",
        ),
        (
            {"benefit": 100, "feasibility": True, "linkage": 0},
            "wrong-type",
            "points for 'feasibility' must be a number, got True",
        ),
        (
            {"benefit": 100, "feasibility": float("nan"), "linkage": 0},
            "wrong-type",
            "points for 'feasibility' must be a number, got nan",
        ),
        (
            {"benefit": 100, "feasability": 5, "linkage": 0},
            "unknown-criterion",
            "'feasability' is not a criterion",
        ),
        (
            {"benefit": 100, "linkage": 0},
            "missing-answer",
            "no points for feasibility (give every criterion: benefit, feasibility, linkage)",
        ),
        (
            {"benefit": 80, "feasibility": 70, "linkage": 0},
            "bad-answer",
            "the largest swing gets 100 points (the largest here is 80)",
        ),
    ],
)
def test_bad_points(points: dict[str, object], code: str, message: str) -> None:
    found, problems = check_points(points, IDS)
    assert found is None
    assert (problems[0][1], problems[0][2]) == (code, message)


def test_a_misspelt_criterion_gets_a_hint() -> None:
    _, problems = check_points({"benefit": 100, "feasability": 5, "linkage": 0}, IDS)
    assert problems[0][3] == "did you mean 'feasibility'?"


def test_an_order_with_ties() -> None:
    assert parse_order(" benefit , feasibility = linkage ", IDS) == (((0,), (1, 2)), [])


@pytest.mark.parametrize(
    ("order", "code", "message"),
    [
        (
            "benefit,linkage",
            "missing-answer",
            "the order leaves out feasibility (order every criterion)",
        ),
        (
            "benefit,feasibility,benefit=linkage",
            "bad-answer",
            "'benefit' appears twice in the order",
        ),
        (
            "benefit,,feasibility,linkage",
            "bad-answer",
            "empty name in the order 'benefit,,feasibility,linkage'",
        ),
        ("benefit,feasability,linkage", "unknown-criterion", "'feasability' is not a criterion"),
        (["benefit"], "wrong-type", "the order must be a string like 'a,b=c'"),
    ],
)
def test_bad_orders(order: object, code: str, message: str) -> None:
    found, problems = parse_order(order, IDS)
    assert found is None
    assert (problems[0][1], problems[0][2]) == (code, message)


@pytest.mark.parametrize(
    ("written", "ratio"),
    [
        (3, 3.0),
        ("1/3", 1 / 3),
        (" 1 / 9 ", 1 / 9),
        ("9", 9.0),
        (0.5, 0.5),
        ("2.5", 2.5),
        (1 / 9, 1 / 9),
    ],
)
def test_judgements_are_numbers_or_fractions(written: object, ratio: float) -> None:
    assert parse_ratio(written) == pytest.approx(ratio)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (0, "judgement 0 is outside Saaty's scale 1/9–9"),
        (12, "judgement 12 is outside Saaty's scale 1/9–9"),
        ("1/12", "judgement 1/12 is outside Saaty's scale 1/9–9"),
        ("1/0", "'1/0' divides by 0"),
        ("-3", "'-3' is not a judgement (a number like 3, or a fraction like 1/3)"),
        ("three", "'three' is not a judgement (a number like 3, or a fraction like 1/3)"),
        (True, "'True' is not a judgement (a number like 3, or a fraction like 1/3)"),
        (float("inf"), "judgement inf is not a finite number"),
    ],
)
def test_bad_judgements(written: object, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_ratio(written)


def test_judgements_are_kept_as_saaty_writes_them() -> None:
    assert [ratio_text(x) for x in (3.0, 1 / 3, 1 / 9, 2.5)] == [3, "1/3", "1/9", 2.5]


def test_every_pair_once() -> None:
    found, problems = check_judgements(
        {"benefit:feasibility": 3, "linkage:benefit": "1/5", "feasibility:linkage": 2}, IDS
    )
    assert problems == []
    assert found == {(0, 1): 3.0, (2, 0): 0.2, (1, 2): 2.0}


@pytest.mark.parametrize(
    ("judgements", "code", "message"),
    [
        (
            {"benefit:feasibility": 3, "benefit:linkage": 5},
            "missing-pair",
            "no judgement for feasibility:linkage (every pair is needed)",
        ),
        (
            {
                "benefit:feasibility": 3,
                "feasibility:benefit": "1/3",
                "benefit:linkage": 5,
                "feasibility:linkage": 1,
            },
            "repeated-pair",
            "the pair feasibility:benefit is judged twice ('benefit:feasibility' and 'feasibility:benefit')",
        ),
        (
            {"benefit:feasibility": 0, "benefit:linkage": 5, "feasibility:linkage": 1},
            "out-of-range",
            "judgement 0 is outside Saaty's scale 1/9–9",
        ),
        (
            {"benefit:feasibility": 12, "benefit:linkage": 5, "feasibility:linkage": 1},
            "out-of-range",
            "judgement 12 is outside Saaty's scale 1/9–9",
        ),
        (
            {"benefit:feasibility": 3, "benefit:cost": 5, "feasibility:linkage": 1},
            "unknown-criterion",
            "'cost' is not a criterion (in 'benefit:cost')",
        ),
        (
            {
                "benefit:benefit": 1,
                "benefit:feasibility": 3,
                "benefit:linkage": 5,
                "feasibility:linkage": 1,
            },
            "bad-answer",
            "'benefit:benefit' compares a criterion with itself",
        ),
        (
            {"benefit-feasibility": 3, "benefit:linkage": 5, "feasibility:linkage": 1},
            "bad-answer",
            "'benefit-feasibility' is not a pair (write 'criterion:criterion')",
        ),
    ],
)
def test_bad_pairs(judgements: dict[str, object], code: str, message: str) -> None:
    found, problems = check_judgements(judgements, IDS)
    assert found is None
    assert (problems[0][1], problems[0][2]) == (code, message)
