"""`engage explain` through CliRunner: every format, exact output, the shipped set."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import MODEL, OPTIONS, Run, option_toml

MakeSet = Callable[..., Path]
SCREENED_MODEL = MODEL + "\n[screen]\nmax = { linkage = 8 }\n"


@pytest.fixture
def small(make_set: MakeSet) -> Path:
    """a 74, b 72, c 44 points under the test model's `main` profile; d screened out."""
    text = (
        option_toml("a", 8, 6, 2)
        + option_toml("b", 5, 9, 0)
        + option_toml("c", 4, 4, 4)
        + option_toml("d", 5, 5, 9)
    )
    return make_set({"a.toml": text}, model=SCREENED_MODEL)


def shipped_ids(run: Run) -> list[str]:
    return [o["id"] for o in json.loads(run("rank", str(OPTIONS), "-f", "json").stdout)["options"]]


def squeeze(text: str) -> str:
    """The text without any whitespace, so that wrapped lines compare equal."""
    return re.sub(r"\s+", "", text)


EXPECTED_TABLE = """\
b: Option b
track security · rank 2 of 3 · score 72.0 points
method weighted-sum (points), profile main: benefit 0.500, feasibility 0.300, linkage 0.200

criterion       value   range   normalized   weight   contribution (points)
───────────────────────────────────────────────────────────────────────────
benefit ↑           5       5        0.500    0.500                    25.0
feasibility ↑       9       9        0.900    0.300                    27.0
linkage ↓           0       0        1.000    0.200                    20.0
score                                         1.000                    72.0

above: a, rank 1, 74.0 points (2.0 ahead)
below: c, rank 3, 44.0 points (28.0 behind)

to tie, change one score   tie with a                       tie with c
──────────────────────────────────────────────────────────────────────────────────────────
benefit ↑                  +0.40 → 5.40                     not reachable within the scale
feasibility ↑              +0.67 → 9.67                     not reachable within the scale
linkage ↓                  not reachable within the scale   not reachable within the scale
Each cell changes one written score of this option and no other value; 'not reachable within the
scale' means no value in the criterion's scale is enough.

dominated by: none
dominates: c
(A dominates B when it is at least as good on every criterion and better on one.)

Rationale

benefit ↑ 5 (range 5)
  No rationale written.

feasibility ↑ 9 (range 9)
  No rationale written.

linkage ↓ 0 (range 0)
  No rationale written.
"""


def test_explain_table_of_a_small_set_exactly(run: Run, small: Path) -> None:
    result = run("explain", "b", "-s", str(small))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == EXPECTED_TABLE


def test_explain_json_carries_the_spec_keys_and_the_lens(run: Run, small: Path) -> None:
    result = run("explain", "b", "-s", str(small), "-f", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert list(doc) == [
        "engage", "command", "model", "method", "score_unit", "profile", "weights",
        "option", "above", "below", "screened_out",
    ]  # fmt: skip
    assert (doc["engage"], doc["command"], doc["method"]) == (1, "explain", "weighted-sum")
    option = doc["option"]
    assert set(option) >= {
        "id", "title", "track", "rank", "score", "scores", "normalized", "contributions",
        "ranges", "rationale", "sources", "assessors", "dominated_by", "dominates",
    }  # fmt: skip
    assert option["rank"] == 2
    assert option["score"] == pytest.approx(72.0)
    assert option["contributions"] == pytest.approx(
        {"benefit": 25, "feasibility": 27, "linkage": 20}
    )
    assert option["ranges"] == {"benefit": [5, 5], "feasibility": [9, 9], "linkage": [0, 0]}
    assert option["dominates"] == ["c"]
    assert doc["above"]["id"] == "a"
    assert doc["above"]["gap"] == pytest.approx(2.0)
    assert doc["above"]["tie_changes"]["benefit"] == pytest.approx(0.4)
    assert doc["above"]["tie_changes"]["linkage"] is None
    assert doc["below"]["tie_changes"] == {"benefit": None, "feasibility": None, "linkage": None}
    assert doc["screened_out"] is None


def test_a_screened_out_id_is_shown_with_its_rule_and_exit_0(run: Run, small: Path) -> None:
    table = run("explain", "d", "-s", str(small))
    assert table.exit_code == 0
    assert "screened out by max linkage 8 (it has 9)" in table.stdout
    doc = json.loads(run("explain", "d", "-s", str(small), "-f", "json").stdout)
    assert doc["screened_out"] == "max linkage 8"
    assert (doc["option"]["rank"], doc["option"]["score"], doc["above"]) == (None, None, None)
    assert doc["option"]["scores"] == {"benefit": 5, "feasibility": 5, "linkage": 9}


def test_an_unknown_id_exits_2_with_a_hint(run: Run, small: Path) -> None:
    result = run("explain", "bb", "-s", str(small))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: unknown option id 'bb'\nhint: did you mean 'b'?\n"


def test_unknown_format_and_profile_exit_2(run: Run, small: Path) -> None:
    assert run("explain", "b", "-s", str(small), "-f", "csv").exit_code == 2
    result = run("explain", "b", "-s", str(small), "-p", "mian")
    assert result.exit_code == 2
    assert "did you mean 'main'?" in result.stderr


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "svg", "html"])
def test_explain_writes_every_format(run: Run, fmt: str, tmp_path: Path) -> None:
    result = run("explain", "isk-ct-channel", "-s", str(OPTIONS), "-f", fmt)
    assert result.exit_code == 0
    assert "isk-ct-channel" in result.stdout
    marker = {"svg": "<svg", "html": "<html", "json": '"command": "explain"', "markdown": "## "}
    assert marker.get(fmt, "to tie, change one score") in result.stdout
    out = tmp_path / f"explain.{fmt}"
    written = run("explain", "isk-ct-channel", "-s", str(OPTIONS), "-f", fmt, "-o", str(out))
    assert written.exit_code == 0
    assert written.stdout == ""
    assert out.read_text(encoding="utf-8") == result.stdout


def test_every_shipped_explanation_adds_up_to_the_rank_score(run: Run) -> None:
    """JSON: Σ contributions = the score `rank` shows, for each id (PROMETHEE: every 5th)."""
    for method, step in (("weighted-sum", 1), ("promethee", 5)):
        ranked = json.loads(run("rank", str(OPTIONS), "-f", "json", "-m", method).stdout)
        for row in ranked["options"][::step]:
            doc = json.loads(run("explain", row["id"], "-s", str(OPTIONS), "-f", "json",
                                 "-m", method).stdout)  # fmt: skip
            option = doc["option"]
            assert (option["rank"], option["score"]) == (row["rank"], row["score"])
            assert sum(option["contributions"].values()) == pytest.approx(row["score"], abs=1e-12)


def test_every_shipped_table_shows_parts_adding_up_and_every_rationale(run: Run) -> None:
    """The table's contribution column sums to its score row, and each rationale is printed."""
    from engage.io.loader import load

    options = {o.id: o for o in load([str(OPTIONS)]).options}
    for option_id in shipped_ids(run):
        text = run("explain", option_id, "-s", str(OPTIONS)).stdout
        lines = text.splitlines()
        start = next(k for k, line in enumerate(lines) if line.startswith("criterion "))
        # the table's score row (a long "tied with" header can wrap "score ..." to a line start)
        end = next(k for k in range(start, len(lines)) if lines[k].startswith("score "))
        parts = [Decimal(line.split()[-1]) for line in lines[start + 2 : end]]
        score = Decimal(lines[end].split()[-1])
        assert len(parts) == 3
        assert sum(parts) == score
        assert f"score {score} points" in " ".join(text.split())
        for s in options[option_id].scores.values():
            assert s.rationale is not None
            assert squeeze(s.rationale) in squeeze(text)
            for source in s.sources:
                assert squeeze(source) in squeeze(text)


def test_a_dominated_option_names_its_dominators(run: Run) -> None:
    option = "afghan-fund-disbursements"  # (5, 3, 6)
    text = run("explain", option, "-s", str(OPTIONS)).stdout
    assert "dominated by: humanitarian-ringfence, wb-approach-3, returns-compact\n" in text
    doc = json.loads(run("explain", option, "-s", str(OPTIONS), "-f", "json").stdout)
    # returns-compact (5, 3, 5) is itself dominated by wb-approach-3: left out, as in `rank`
    assert doc["option"]["dominated_by"] == ["humanitarian-ringfence", "wb-approach-3"]
    assert doc["option"]["dominated_by_all"] == [
        "humanitarian-ringfence",
        "wb-approach-3",
        "returns-compact",
    ]
    top = run("explain", "humanitarian-ringfence", "-s", str(OPTIONS)).stdout
    assert "dominated by: none" in top
    assert "above: none (it ranks first)" in top


def test_a_tied_option_is_said_to_be_tied(run: Run) -> None:
    text = " ".join(run("explain", "tapi-herat", "-s", str(OPTIONS)).stdout.split())
    assert (
        "rank 4 of 29, tied with community-education, polio-vaccination-access, uzbek-power-line"
        in text
    )
    assert "above: un-cash-shipments, rank 3" in text


def test_topsis_says_it_has_no_additive_breakdown(run: Run) -> None:
    result = run("explain", "isk-ct-channel", "-s", str(OPTIONS), "-m", "topsis")
    assert "TOPSIS has no additive breakdown" in result.stdout
    assert "contribution" not in result.stdout
    doc = json.loads(
        run("explain", "isk-ct-channel", "-s", str(OPTIONS), "-m", "topsis", "-f", "json").stdout
    )
    assert doc["option"]["contributions"] is None
    assert doc["score_unit"] == "closeness"


def test_custom_weights_note_on_stderr_unless_quiet(run: Run, small: Path) -> None:
    args = ("explain", "b", "-s", str(small), "-w", "benefit=2,feasibility=2,linkage=0")
    loud = run(*args)
    assert loud.exit_code == 0
    assert loud.stderr == "note: weights sum to 4; normalised to sum 1\n"
    assert "linkage ↓                  not reachable within the scale" in loud.stdout
    assert run(*args, "-q").stderr == ""


def test_user_text_is_not_read_as_markup(run: Run, make_set: MakeSet) -> None:
    text = option_toml("a", 5, 5, 5).replace('title = "Option a"', 'title = "Pilot [draft] x"')
    root = make_set({"a.toml": text + option_toml("b", 6, 6, 6)})
    assert "Pilot [draft] x" in run("explain", "a", "-s", str(root)).stdout
