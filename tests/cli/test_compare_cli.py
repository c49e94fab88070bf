"""`engage compare` through CliRunner: every format, the sentences, dominance, errors."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from tests.cli.test_explain_cli import small  # noqa: F401  (fixture)
from tests.conftest import OPTIONS, Run

MakeSet = Callable[..., Path]
THREE = ("humanitarian-ringfence", "un-cash-shipments", "afghan-fund-disbursements")

EXPECTED_TABLE = """\
method weighted-sum (points), profile main; cells: value (contribution in points)
                                   a            b          c              d
───────────────────────────────────────────────────────────────────────────
benefit ↑ (w 0.500)       ✓ 8 (40.0)     5 (25.0)   4 (20.0)              5
feasibility ↑ (w 0.300)     6 (18.0)   ✓ 9 (27.0)   4 (12.0)              5
linkage ↓ (w 0.200)         2 (16.0)   ✓ 0 (20.0)   4 (12.0)              9
score (points)                ✓ 74.0         72.0       44.0   screened out
rank                        ✓ 1 of 3       2 of 3     3 of 3              —
✓ the better value of each row

a: Option a (security)
b: Option b (security)
c: Option c (security)
d: Option d (security)

a ranks above b (74.0 vs 72.0 points) because of benefit (+15.0 points), despite feasibility (−9.0)
and linkage (−4.0).
a ranks above c (74.0 vs 44.0 points) because of benefit (+20.0 points), feasibility (+6.0) and
linkage (+4.0). a dominates c.
b ranks above c (72.0 vs 44.0 points) because of feasibility (+15.0 points), linkage (+8.0) and
benefit (+5.0). b dominates c.
In the whole set, c is dominated by a and b.
d is screened out (max linkage 8; it has 9): not ranked, so not compared.
A dominates B when it is at least as good on every criterion and better on one.
"""


def test_compare_table_of_a_small_set_exactly(run: Run, small: Path) -> None:  # noqa: F811
    result = run("compare", "a", "b", "c", "d", "-s", str(small))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == EXPECTED_TABLE


def test_compare_json_has_the_spec_keys(run: Run, small: Path) -> None:  # noqa: F811
    doc = json.loads(run("compare", "a", "b", "d", "-s", str(small), "-f", "json").stdout)
    assert (doc["engage"], doc["command"], doc["profile"]) == (1, "compare", "main")
    assert {"model", "method", "score_unit", "weights", "options", "pairs"} <= set(doc)
    a, b, d = doc["options"]
    assert set(a) >= {"id", "rank", "score", "scores", "contributions"}
    assert (a["id"], a["rank"], a["screened_out"]) == ("a", 1, None)
    assert (d["id"], d["rank"], d["score"], d["contributions"]) == ("d", None, None, None)
    assert d["screened_out"] == "max linkage 8"
    assert d["scores"] == {"benefit": 5, "feasibility": 5, "linkage": 9}
    (pair,) = doc["pairs"]
    assert (pair["higher"], pair["lower"], pair["dominates"]) == ("a", "b", False)
    assert pair["gap"] == pytest.approx(2.0)
    assert pair["because"] == pytest.approx({"benefit": 15.0})
    assert pair["despite"] == pytest.approx({"feasibility": -9.0, "linkage": -4.0})
    assert list(pair["despite"]) == ["feasibility", "linkage"]  # by size
    assert b["contributions"] == pytest.approx({"benefit": 25, "feasibility": 27, "linkage": 20})


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "svg", "html"])
def test_compare_three_shipped_options_in_every_format(run: Run, fmt: str) -> None:
    result = run("compare", *THREE, "-s", str(OPTIONS), "-f", fmt)
    assert result.exit_code == 0
    assert result.stderr == ""
    for option_id in THREE:
        assert option_id in result.stdout
    if fmt == "json":
        assert len(json.loads(result.stdout)["pairs"]) == 3
    elif fmt in ("svg", "html"):
        assert result.stdout.lstrip().startswith("<svg" if fmt == "svg" else "<!DOCTYPE html>")
    else:
        text = " ".join(result.stdout.split())
        assert "humanitarian-ringfence dominates afghan-fund-disbursements." in text


def test_the_shown_reasons_add_up_to_the_shown_gap(run: Run) -> None:
    """In every sentence, the signed points listed sum to the difference of the shown scores."""
    ids = ("community-education", "tapi-herat", "isk-ct-channel", "women-health-training")
    for method in ("weighted-sum", "promethee"):
        text = " ".join(run("compare", *ids, "-s", str(OPTIONS), "-m", method).stdout.split())
        sentences = re.findall(r"ranks above \S+ \((\S+) vs (\S+) [^)]*\)(.*?)\.(?: |$)", text)
        assert len(sentences) == (5 if method == "weighted-sum" else 6)  # one tie by points
        for high, low, reasons in sentences:
            points = [Decimal(p.replace("−", "-")) for p in re.findall(r"\(([+−][\d.]+)", reasons)]
            gap = Decimal(high.replace("−", "-")) - Decimal(low.replace("−", "-"))
            assert sum(points) == gap


def test_the_example_sentence_of_the_shipped_set(run: Run) -> None:
    """Benefit (7 - 4) · 0.45 · 10, linkage (3 - 1) · 0.2 · 10, feasibility through its curve:
    (65 - 42.5) · 0.35 = 7.875."""
    text = " ".join(run("compare", *THREE[:2], "-s", str(OPTIONS)).stdout.split())
    assert (
        "humanitarian-ringfence ranks above un-cash-shipments (64.4 vs 54.8 points) because of "
        "benefit (+13.5 points) and linkage (+4.0), despite feasibility (−7.9)."
    ) in text


def test_topsis_names_no_points(run: Run) -> None:
    result = run("compare", *THREE, "-s", str(OPTIONS), "-m", "topsis", "-f", "json")
    doc = json.loads(result.stdout)
    assert all(p["because"] is None and p["despite"] is None for p in doc["pairs"])
    assert all(o["contributions"] is None for o in doc["options"])
    table = run("compare", *THREE, "-s", str(OPTIONS), "-m", "topsis").stdout
    assert "TOPSIS has no additive breakdown" in table


def test_a_tie_is_said_to_be_a_tie(run: Run) -> None:
    """(4, 4, 2) and (2, 6, 1): 2 · 4.5 of benefit against (75 - 55) · 0.35 + 1 · 2."""
    text = run("compare", "community-education", "tapi-herat", "-s", str(OPTIONS)).stdout
    assert (
        "community-education and tapi-herat tie at 53.2 points: community-education gains on "
        "benefit (+9.0 points), tapi-herat on feasibility (+7.0) and linkage (+2.0)."
    ) in " ".join(text.split())


@pytest.mark.parametrize(
    ("ids", "stderr"),
    [
        (("a", "bb"), "error: unknown option id 'bb'\nhint: did you mean 'b'?\n"),
        (("a",), "error: compare needs at least two option ids\n"),
        (("a", "a"), "error: option id 'a' is given twice\n"),
    ],
)
def test_bad_ids_exit_2(run: Run, small: Path, ids: tuple[str, ...], stderr: str) -> None:  # noqa: F811
    result = run("compare", *ids, "-s", str(small))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == stderr


def test_compare_needs_ids(run: Run) -> None:
    assert run("compare", "-s", str(OPTIONS)).exit_code == 2
