"""`engage weigh` through the CLI: answers, groups, formats, errors, --write and prompts."""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_authoring_cli import Terminal
from tests.conftest import MODEL, OPTIONS, ROOT, Run, option_toml

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


# -- groups --------------------------------------------------------------------------------


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_group_swing_is_the_mean_of_the_participants_weights(
    run: Run, make_set: MakeSet, tmp_path: Path
) -> None:
    root = make_set(OPTIONS_ABC)
    ann = write(tmp_path / "ann.toml", 'participant = "Ann"\nover = "scale"\n'
                "points = { benefit = 100, feasibility = 100, linkage = 0 }\n")  # fmt: skip
    bob = write(tmp_path / "bob.toml", 'participant = "Bob"\nmethod = "swing"\n'
                "[points]\nbenefit = 100\nfeasibility = 0\nlinkage = 0\n")  # fmt: skip
    data = weigh_json(run, "swing", str(root), "--name", "g", "--answers", ann, "--answers", bob)
    assert data["over"] == "scale"  # from Ann's file
    assert data["weights"] == {"benefit": 0.75, "feasibility": 0.25, "linkage": 0.0}
    assert [p["participant"] for p in data["participants"]] == ["Ann", "Bob"]  # type: ignore[union-attr]
    table = run("weigh", "swing", str(root), "--name", "g", "--answers", ann, "--answers", bob)
    header = table.stdout.splitlines()[2].split()
    assert header == ["criterion", "swing", "Ann", "Bob", "weight", "spread"]
    assert table.stdout.splitlines()[4].split()[:8] == [
        "benefit", "↑", "0", "→", "10", "0.500", "1.000", "0.750",
    ]  # fmt: skip


def test_a_group_pairwise_uses_the_geometric_mean_of_the_judgements(
    run: Run, make_set: MakeSet, tmp_path: Path
) -> None:
    """Two consistent participants (4:2:1 and 1:2:4): the geometric mean matrix is all
    ones, so the group weighs equally (Forman & Peniwati 1998)."""
    root = make_set(OPTIONS_ABC)
    ann = write(tmp_path / "a.toml", 'participant = "Ann"\n[judgements]\n'
                '"benefit:feasibility" = 2\n"benefit:linkage" = 4\n"feasibility:linkage" = 2\n')  # fmt: skip
    bob = write(tmp_path / "b.toml", 'participant = "Bob"\n[judgements]\n'
                '"benefit:feasibility" = "1/2"\n"benefit:linkage" = "1/4"\n"feasibility:linkage" = 0.5\n')  # fmt: skip
    data = weigh_json(run, "pairwise", str(root), "--name", "g", "--answers", ann, "--answers", bob)
    assert list(data["weights"].values()) == pytest.approx([1 / 3] * 3)  # type: ignore[union-attr]
    assert data["consistency"]["cr"] == pytest.approx(0, abs=1e-12)  # type: ignore[index]
    assert [p["consistency"]["cr"] for p in data["participants"]] == pytest.approx(
        [0, 0], abs=1e-12
    )  # type: ignore[index,union-attr]


def test_bad_answer_files_are_exit_1_with_every_problem_positioned(
    run: Run, make_set: MakeSet, tmp_path: Path
) -> None:
    root = make_set(OPTIONS_ABC)
    ann = write(
        tmp_path / "a.toml",
        'participant = "Ann"\npoints = { benefit = 100, feasibility = 50, linkage = 0 }\n',
    )
    bad = write(
        tmp_path / "b.toml",
        'participant = "Ann"\nmethd = "swing"\nover = "scale"\n'
        "[points]\nbenefit = 100\nfeasibility = 101\ncost = 3\n",
    )
    result = run("weigh", "swing", str(root), "--name", "g", "--answers", ann, "--answers", bad)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {bad}:2:1: [unknown-key] methd: unknown key 'methd'\n"
        "hint: did you mean 'method'?\n"
        f"error: {bad}:4:1: [missing-answer] points: no points for linkage (give every criterion: benefit, feasibility, linkage)\n"
        f"error: {bad}:6:15: [out-of-range] points.feasibility: 101 points for 'feasibility' are outside 0–100\n"
        f"error: {bad}:7:1: [unknown-criterion] points.cost: 'cost' is not a criterion\n"
    )
    fixed = write(
        tmp_path / "b.toml",
        'participant = "Ann"\npoints = { benefit = 100, feasibility = 0, linkage = 0 }\n',
    )
    result = run("weigh", "swing", str(root), "--name", "g", "--answers", ann, "--answers", fixed)
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"error: {fixed}:1:15: [duplicate-participant] participant: participant 'Ann' also answers in {ann}\n"
    )


def test_an_answer_file_of_another_method_is_refused(
    run: Run, make_set: MakeSet, tmp_path: Path
) -> None:
    root = make_set(OPTIONS_ABC)
    ann = write(
        tmp_path / "a.toml",
        'participant = "Ann"\nmethod = "rank"\norder = "benefit,feasibility,linkage"\n',
    )
    result = run("weigh", "swing", str(root), "--name", "g", "--answers", ann)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {ann}: [missing-key] missing required key 'points'\n"
        f"error: {ann}:2:10: [bad-answer] method: these are 'rank' answers; the command weighs by swing\n"
        f"error: {ann}:3:1: [bad-answer] order: 'order' answers another method; weigh swing reads 'points'\n"
    )


# -- --write and the model -------------------------------------------------------------------


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the shipped set (never the shipped files themselves)."""
    target = tmp_path / "options"
    shutil.copytree(OPTIONS, target)
    return target


def test_write_appends_a_profile_that_rank_then_uses_with_exactly_those_weights(
    run: Run, shipped: Path
) -> None:
    model = shipped / "engage.toml"
    before = model.read_bytes()
    result = run(
        "weigh", "pairwise", str(shipped), "--name", "workshop", "--write", "-f", "json",
        "--judgement", "benefit:feasibility=2,benefit:linkage=4,feasibility:linkage=2",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"note: appended [profiles.workshop] to {model}\n"
    weights = json.loads(result.stdout)["weights"]
    after = model.read_bytes()
    assert after.startswith(before)  # every comment and line as it was
    assert b"# The three profiles' weights were set by the authors' judgement" in after
    ranked = run("rank", str(shipped), "-p", "workshop", "-f", "json")
    assert ranked.exit_code == 0, ranked.stderr
    assert json.loads(ranked.stdout)["weights"] == weights
    assert run("validate", str(shipped)).exit_code == 0
    shown = json.loads(run("model", str(shipped), "-f", "json").stdout)["model"]["profiles"]
    assert shown["workshop"]["elicitation"] == {
        "method": "pairwise",
        "participants": ["anonymous"],
        "answers": [{"benefit:feasibility": 2, "benefit:linkage": 4, "feasibility:linkage": 2}],
    }
    again = run("weigh", "rank", str(shipped), "--name", "workshop", "--write",
                "--order", "benefit,feasibility,linkage")  # fmt: skip
    assert again.exit_code == 1
    assert again.stdout == ""
    assert again.stderr == (
        f"error: {model} already has a profile named 'workshop'; nothing was written\n"
        "hint: choose another --name (engage never replaces a profile)\n"
    )
    assert model.read_bytes() == after


def test_write_refuses_a_symbolic_link_and_the_built_in_model(
    run: Run, shipped: Path, tmp_path: Path
) -> None:
    real = tmp_path / "real.toml"
    os.replace(shipped / "engage.toml", real)
    (shipped / "engage.toml").symlink_to(real)
    order = ("--order", "benefit,feasibility,linkage")
    result = run("weigh", "rank", str(shipped), "--name", "x", "--write", *order)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"error: {shipped}/engage.toml is a symbolic link; engage does not write through links\n"
    )
    assert (shipped / "engage.toml").is_symlink()
    empty = tmp_path / "bare"
    empty.mkdir()
    (empty / "a.toml").write_text(option_toml("a", 1, 2, 3), encoding="utf-8")
    builtin = run("weigh", "rank", str(empty), "--name", "x", "--write", *order)
    assert builtin.exit_code == 1
    assert builtin.stderr.startswith(
        "error: the model is <built-in model>, not a file --write can add a profile to\n"
    )


def test_a_failed_consistency_check_writes_nothing(run: Run, shipped: Path) -> None:
    before = (shipped / "engage.toml").read_bytes()
    result = run(
        "weigh", "pairwise", str(shipped), "--name", "x", "--write", "--fail-if-inconsistent",
        "--judgement", "benefit:feasibility=9,feasibility:linkage=9,benefit:linkage=1/9",
    )  # fmt: skip
    assert result.exit_code == 3
    assert "nothing was written" in result.stderr
    assert (shipped / "engage.toml").read_bytes() == before


def test_write_to_a_model_without_profiles_makes_the_new_one_the_default(
    run: Run, make_set: MakeSet
) -> None:
    plain = MODEL.split("[profiles.main]")[0] + "# our own notes\n"
    root = make_set(OPTIONS_ABC, model=plain)
    result = run("weigh", "rank", str(root), "--name", "ours", "--write",
                 "--order", "linkage,benefit,feasibility")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "note: the model had no profiles, so 'ours' is now its default"
    )
    assert json.loads(run("rank", str(root), "-f", "json").stdout)["profile"] == "ours"


def test_the_model_checks_a_profiles_elicitation_record(run: Run, make_set: MakeSet) -> None:
    model = MODEL + (
        "[profiles.w]\nweights = { benefit = 1, feasibility = 1, linkage = 1 }\n"
        '[profiles.w.elicitation]\nmethod = "rank"\nover = "set"\nparticipants = ["Ann", "Bob"]\n'
        'answers = ["benefit,feasibility"]\n'
    )
    root = make_set(OPTIONS_ABC, model=model)
    result = run("validate", str(root))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        f"error: {root}/engage.toml:21:1: [bad-value] profiles.w.elicitation.over: 'over' belongs to swing weighting, not to 'rank'",
        f"error: {root}/engage.toml:23:1: [bad-answer] profiles.w.elicitation.answers: 2 participant(s) but 1 answer(s): one answer per participant",
        f"error: {root}/engage.toml:23:12: [missing-answer] profiles.w.elicitation.answers[0]: the order leaves out linkage (order every criterion)",
    ]
    missing = MODEL + (
        "[profiles.w]\nweights = { benefit = 1, feasibility = 1, linkage = 1 }\n"
        '[profiles.w.elicitation]\nparticipants = ["Ann"]\nanswers = ["benefit"]\n'
    )
    result = run("validate", str(make_set(OPTIONS_ABC, model=missing, name="m")))
    assert "[missing-key] profiles.w.elicitation: missing required key 'method'" in result.stderr


def test_model_and_report_say_where_the_weights_came_from(run: Run, shipped: Path) -> None:
    shown = run("model", str(shipped), "-f", "markdown").stdout
    assert "| weights from |" in shown
    assert shown.count("set in the model") == 3
    run("weigh", "rank", str(shipped), "--name", "quick", "--write", "--participant", "Ann",
        "--order", "benefit,feasibility,linkage")  # fmt: skip
    table = run("model", str(shipped)).stdout
    assert "rank order, Ann" in table
    report = run("report", str(shipped), "-p", "quick", "-f", "markdown", "--draws", "200")
    assert report.exit_code == 0, report.stderr
    assert (
        "Weights of profile quick (Rank-order centroid weights from a ranking of the criteria, "
        "elicited from Ann with engage weigh). Elicited by a rank order from 1 participant: Ann."
    ) in report.stdout
    default = run("report", str(shipped), "-f", "markdown", "--draws", "200").stdout
    assert "The model records no elicitation for them." in default


def test_the_shipped_profiles_say_how_their_weights_were_set(run: Run) -> None:
    model = tomllib.loads((OPTIONS / "engage.toml").read_text(encoding="utf-8"))
    for name, profile in model["profiles"].items():
        assert profile["description"].endswith(
            "(weights set by the authors' judgement, not elicited)"
        ), name
        assert "elicitation" not in profile


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
