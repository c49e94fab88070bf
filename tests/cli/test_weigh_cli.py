"""`engage weigh` through the CLI: answers, groups, formats, errors, --write and prompts."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_authoring_cli import Terminal
from tests.conftest import ROOT, Run, option_toml

MakeSet = Callable[..., Path]
# benefit 2 → 8 (Δv 0.6), feasibility 4 → 8 (0.4), linkage 6 → 1 (lower is better: 0.5)
OPTIONS_ABC = {
    "a.toml": option_toml("a", 2, 8, 1),
    "b.toml": option_toml("b", 8, 4, 6, track="economic"),
    "c.toml": option_toml("c", 5, 6, 3),
}


def weigh_json(run: Run, *args: str) -> dict[str, object]:
    result = run("weigh", *args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_swing_over_the_set_corrects_for_each_swings_share_of_its_scale(
    run: Run, make_set: MakeSet
) -> None:
    root = make_set(OPTIONS_ABC)
    data = weigh_json(
        run, "swing", str(root), "--name", "w", "--points", "benefit=100,feasibility=50,linkage=25"
    )
    raw = [100 / 0.6, 50 / 0.4, 25 / 0.5]
    expected = [r / sum(raw) for r in raw]
    weights = data["weights"]
    assert isinstance(weights, dict)
    assert list(weights.values()) == pytest.approx(expected)
    assert {k: data[k] for k in ("engage", "command", "method", "name", "over")} == {
        "engage": 1, "command": "weigh", "method": "swing", "name": "w", "over": "set",
    }  # fmt: skip
    assert data["swings"] == {"benefit": [2, 8], "feasibility": [4, 8], "linkage": [6, 1]}
    assert data["answers"] == [
        {"participant": "anonymous", "points": {"benefit": 100, "feasibility": 50, "linkage": 25}}
    ]
    assert data["consistency"] is None
    participants = data["participants"]
    assert isinstance(participants, list)
    assert participants[0]["participant"] == "anonymous"


def test_swing_over_the_scale_is_the_points_normalised(run: Run, make_set: MakeSet) -> None:
    root = make_set(OPTIONS_ABC)
    data = weigh_json(
        run, "swing", str(root), "--name", "w", "--over", "scale",
        "--points", "benefit=100", "--points", "feasibility=50,linkage=50",
    )  # fmt: skip
    assert data["weights"] == {"benefit": 0.5, "feasibility": 0.25, "linkage": 0.25}
    assert data["swings"] == {"benefit": [0, 10], "feasibility": [0, 10], "linkage": [10, 0]}


def test_swing_over_the_set_follows_the_filters(run: Run, make_set: MakeSet) -> None:
    """--track leaves a and c: benefit 2 → 5, feasibility 6 → 8, linkage 3 → 1."""
    root = make_set(OPTIONS_ABC)
    data = weigh_json(
        run, "swing", str(root), "--name", "w", "-t", "security",
        "--points", "benefit=100,feasibility=100,linkage=100",
    )  # fmt: skip
    assert data["swings"] == {"benefit": [2, 5], "feasibility": [6, 8], "linkage": [3, 1]}
    raw = [100 / 0.3, 100 / 0.2, 100 / 0.2]
    assert list(data["weights"].values()) == pytest.approx([r / sum(raw) for r in raw])  # type: ignore[union-attr]


def test_a_swing_of_zero_over_the_set_is_exit_1_naming_the_criterion(
    run: Run, make_set: MakeSet
) -> None:
    root = make_set({"a.toml": option_toml("a", 2, 8, 4), "b.toml": option_toml("b", 8, 4, 4)})
    points = "--points=benefit=100,feasibility=50,linkage=25"
    result = run("weigh", "swing", str(root), "--name", "w", points)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: the swing of 'linkage' over the 2 options in the set is 0 (every one scores 4), "
        "so it cannot be weighted by that swing\n"
        "hint: weigh the swing over the whole scale with --over scale\n"
    )
    assert run("weigh", "swing", str(root), "--name", "w", points, "--over", "scale").exit_code == 0


def test_rank_order_centroid_as_a_profile_block(run: Run, make_set: MakeSet) -> None:
    root = make_set(OPTIONS_ABC)
    result = run(
        "weigh", "rank", str(root), "--name", "quick", "--order", "benefit,feasibility=linkage",
        "-f", "toml", "--participant", "Ann",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    block = tomllib.loads(result.stdout)
    assert block == {
        "profiles": {
            "quick": {
                "description": "Rank-order centroid weights from a ranking of the criteria, "
                "elicited from Ann with engage weigh",
                "weights": {
                    "benefit": pytest.approx(11 / 18),
                    "feasibility": pytest.approx(7 / 36),
                    "linkage": pytest.approx(7 / 36),
                },
                "elicitation": {
                    "method": "rank",
                    "participants": ["Ann"],
                    "answers": ["benefit,feasibility=linkage"],
                },
            }
        }
    }


def test_the_table_shows_weights_bars_worth_and_participants(run: Run, make_set: MakeSet) -> None:
    root = make_set(OPTIONS_ABC)
    result = run(
        "weigh", "rank", str(root), "--name", "quick", "--order", "benefit,feasibility,linkage"
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Profile quick: rank-order centroid"
    assert lines[4].split()[:4] == ["benefit", "↑", "1", "0.611"]
    assert "█" in lines[4]
    worth = lines.index("What one point of each criterion (row) is worth in points of the others:")
    assert lines[worth + 4].split() == ["benefit", "1.00", "2.20", "5.50"]
    assert lines[-2] == "participants: anonymous"


def test_pairwise_warns_with_the_most_inconsistent_triple_and_can_fail(
    run: Run, make_set: MakeSet
) -> None:
    root = make_set(OPTIONS_ABC)
    judged = ["--judgement", "benefit:feasibility=3", "--judgement", "feasibility:linkage=3",
              "--judgement", "benefit:linkage=1/2"]  # fmt: skip
    result = run("weigh", "pairwise", str(root), "--name", "p", *judged, "-f", "json")
    assert result.exit_code == 0
    warning = (
        "warning: the judgements are inconsistent: CR {cr} > 0.10; the most inconsistent "
        "triple: benefit:feasibility = 3 and feasibility:linkage = 3 imply benefit:linkage = 9, "
        "but it is judged 1/2\n"
    )
    cr = json.loads(result.stdout)["consistency"]["cr"]
    assert result.stderr == warning.format(cr=f"{cr:.3f}")
    failed = run("weigh", "pairwise", str(root), "--name", "p", *judged, "--fail-if-inconsistent")
    assert failed.exit_code == 3
    assert failed.stderr.splitlines()[-2] == (
        f"error: CR {cr:.3f} is over 0.10 (--fail-if-inconsistent)"
    )


def test_consistent_judgements_give_their_ratios_and_pass_the_check(
    run: Run, make_set: MakeSet
) -> None:
    root = make_set(OPTIONS_ABC)
    result = run(
        "weigh", "pairwise", str(root), "--name", "p", "--fail-if-inconsistent", "-f", "json",
        "--judgement", "benefit:feasibility=2,benefit:linkage=4", "--judgement", "linkage:feasibility=1/2",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert list(data["weights"].values()) == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    assert data["consistency"]["cr"] == pytest.approx(0, abs=1e-12)
    assert data["answers"][0]["judgements"] == {
        "benefit:feasibility": 2, "benefit:linkage": 4, "linkage:feasibility": "1/2",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ["swing", "--name", "w"],
            "error: missing answers: no --points given (stdin is not a terminal, so engage cannot ask)\nhint: give --points benefit=N,feasibility=N,linkage=N, or --answers FILE for each participant\n",
        ),
        (
            ["pairwise", "--name", "w", "--judgement", "benefit:feasibility=3,benefit:linkage=5"],
            "error: missing answers: no judgement for feasibility:linkage (every pair is needed) (stdin is not a terminal, so engage cannot ask)\nhint: give --judgement feasibility:linkage=N, or --answers FILE for each participant\n",
        ),
        (
            [
                "pairwise",
                "--name",
                "w",
                "--judgement",
                "benefit:feasibility=3,feasibility:benefit=1/3,benefit:linkage=5,feasibility:linkage=1",
            ],
            "error: --judgement: the pair feasibility:benefit is judged twice ('benefit:feasibility' and 'feasibility:benefit')\n",
        ),
        (
            [
                "pairwise",
                "--name",
                "w",
                "--judgement",
                "benefit:feasibility=0,benefit:linkage=12,feasibility:linkage=1",
            ],
            "error: --judgement benefit:feasibility: judgement 0 is outside Saaty's scale 1/9–9\nerror: --judgement benefit:linkage: judgement 12 is outside Saaty's scale 1/9–9\n",
        ),
        (
            ["swing", "--name", "w", "--points", "benefit=100,feasibility=120,linkage=0"],
            "error: --points: 120 points for 'feasibility' are outside 0–100\n",
        ),
        (
            ["swing", "--name", "w", "--points", "benefit=100,feasability=50,linkage=0"],
            "error: --points: 'feasability' is not a criterion (did you mean 'feasibility'?)\n",
        ),
        (
            ["rank", "--name", "w", "--order", "benefit,linkage"],
            "error: --order: the order leaves out feasibility (order every criterion)\n",
        ),
        (
            ["rank", "--name", "w", "--points", "benefit=100"],
            "error: --points answers 'swing' weighting, not 'rank'\n",
        ),
        (
            ["rank", "--name", "w", "--over", "set"],
            "error: --over belongs to swing weighting, not to 'rank'\n",
        ),
        (
            ["swing", "--name", "w", "--over", "all"],
            "error: --over: 'all' is not 'set' or 'scale'\n",
        ),
        (["swng", "--name", "w"], "error: unknown method 'swng'\nhint: did you mean 'swing'?\n"),
        (
            ["rank", "--order", "benefit,feasibility,linkage"],
            "error: weigh needs --name NAME: the name of the profile it makes\n",
        ),
        (
            ["rank", "--name", "Big Name", "--order", "benefit,feasibility,linkage"],
            "error: --name: 'Big Name' is not a profile name (lowercase letters, digits and '-', starting with a letter, at most 32 characters)\n",
        ),
        (
            ["rank", "--name", "w", "-f", "csv"],
            "error: weigh does not write 'csv'\nhint: formats: table, toml, json\n",
        ),
        (
            ["rank", "--name", "w", "--order", "benefit", "--answers", "x.toml"],
            "error: give the answers as flags (one person) or in --answers files (a group), not both\n",
        ),
    ],
)
def test_bad_answers_on_the_command_line_are_exit_2(
    run: Run, make_set: MakeSet, args: list[str], stderr: str
) -> None:
    root = make_set(OPTIONS_ABC)
    result = run("weigh", args[0], str(root), *args[1:])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)


# -- asking on a terminal ------------------------------------------------------------------


@pytest.fixture
def this_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The child `python -m engage` imports this worktree's engage, not whichever copy
    the environment has installed (it runs in tmp_path)."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


@pytest.mark.usefixtures("this_checkout")
def test_weigh_swing_asks_on_a_terminal_which_swing_matters_most_then_the_others(
    tmp_path: Path, make_set: MakeSet
) -> None:
    """Prompts on stderr show each swing over the set, re-ask after a bad answer; stdout
    carries only the profile block."""
    root = make_set(OPTIONS_ABC)
    term = Terminal(["weigh", "swing", str(root), "--name", "asked", "-f", "toml"], tmp_path)
    shown = term.answer("Which swing matters most? (benefit, feasibility, linkage): ", "cost")
    assert "benefit: 2 → 8  (benefit)" in shown
    assert "linkage: 6 → 1  (linkage)" in shown
    assert "answer one of: benefit, feasibility, linkage" in term.answer(
        "Which swing matters most? (benefit, feasibility, linkage): ", "benefit"
    )
    term.answer("Points for feasibility's swing 4 → 8, if benefit's is 100 (0-100): ", "150")
    assert "150 is outside 0–100" in term.answer(
        "Points for feasibility's swing 4 → 8, if benefit's is 100 (0-100): ", "50"
    )
    term.answer("Points for linkage's swing 6 → 1, if benefit's is 100 (0-100): ", "25")
    code, stdout = term.finish()
    assert code == 0
    block = tomllib.loads(stdout)["profiles"]["asked"]
    assert block["elicitation"]["answers"] == [{"benefit": 100, "feasibility": 50, "linkage": 25}]
    raw = [100 / 0.6, 50 / 0.4, 25 / 0.5]
    assert list(block["weights"].values()) == pytest.approx([r / sum(raw) for r in raw])


@pytest.mark.usefixtures("this_checkout")
def test_weigh_pairwise_asks_only_the_pairs_the_flags_left_out(
    tmp_path: Path, make_set: MakeSet
) -> None:
    root = make_set(OPTIONS_ABC)
    args = ["weigh", "pairwise", str(root), "--name", "p", "-f", "json",
            "--judgement", "benefit:feasibility=2"]  # fmt: skip
    term = Terminal(args, tmp_path)
    shown = term.answer("benefit:linkage: ", "12")
    assert "1 = equally, 3 = moderately more" in shown
    assert "judgement 12 is outside Saaty's scale 1/9–9" in term.answer("benefit:linkage: ", "4")
    term.answer("feasibility:linkage: ", "2")
    code, stdout = term.finish()
    assert code == 0
    data = json.loads(stdout)
    assert data["answers"][0]["judgements"] == {
        "benefit:feasibility": 2, "benefit:linkage": 4, "feasibility:linkage": 2,
    }  # fmt: skip
    assert list(data["weights"].values()) == pytest.approx([4 / 7, 2 / 7, 1 / 7])
