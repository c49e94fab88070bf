"""`engage weigh` with files: a group's --answers files, and --write into the model file
(the profile appended as text, then used, shown and checked)."""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_weigh_cli import OPTIONS_ABC, weigh_json
from tests.conftest import MODEL, OPTIONS, Run, option_toml

MakeSet = Callable[..., Path]


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


def test_write_keeps_the_files_line_ends_and_a_missing_last_newline(
    run: Run, make_set: MakeSet
) -> None:
    """A model saved on Windows (CRLF, no newline at the end) stays CRLF throughout."""
    root = make_set(OPTIONS_ABC, model=MODEL.replace("\n", "\r\n").rstrip("\r\n"))
    before = (root / "engage.toml").read_bytes()
    result = run("weigh", "rank", str(root), "--name", "ours", "--write",
                 "--order", "linkage,benefit,feasibility")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    after = (root / "engage.toml").read_bytes()
    assert after.startswith(before + b"\r\n\r\n[profiles.ours]\r\n")
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert (
        json.loads(run("rank", str(root), "-p", "ours", "-f", "json").stdout)["profile"] == "ours"
    )
