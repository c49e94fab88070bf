"""`decouple`, `tracks` and `diff` through the CLI: formats, JSON keys, exit codes, git."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MODEL, OPTIONS, Run, option_toml

MakeSet = Callable[..., Path]

DECOUPLE_ROW = {
    "id",
    "title",
    "track",
    "delivered_linked",
    "delivered_standalone",
    "dividend",
    "rank_linked",
    "rank_standalone",
}
LENS_KEYS = {"model", "method", "score_unit", "profile", "weights"}


def as_json(text: str) -> Any:
    """The JSON document on stdout, which is always an object."""
    document = json.loads(text)
    assert isinstance(document, dict)
    return document


# -- decouple ----------------------------------------------------------------------------


def test_decouple_json_has_the_spec_keys_and_the_model_default_probability(run: Run) -> None:
    result = run("decouple", str(OPTIONS), "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = as_json(result.stdout)
    assert document["engage"] == 1
    assert document["command"] == "decouple"
    assert document["stall_probability"] == 0.7
    options = document["options"]
    assert isinstance(options, list)
    assert len(options) == 29  # 31 files less the baseline and one screened out
    assert set(options[0]) >= DECOUPLE_ROW
    assert options[0]["id"] == "humanitarian-ringfence"
    assert set(document["tracks"]) == {
        "security",
        "economic",
        "humanitarian",
        "rights",
        "political",
        "other",
    }
    assert set(document["tracks"]["humanitarian"]) == {
        "delivered_linked",
        "delivered_standalone",
        "dividend",
    }
    assert "crossings" not in document


def test_stall_probability_flag_overrides_the_model(run: Run) -> None:
    result = run("decouple", str(OPTIONS), "--stall-probability", "0.25", "-f", "json")
    document = as_json(result.stdout)
    assert document["stall_probability"] == 0.25
    row = next(o for o in document["options"] if o["id"] == "wb-approach-3")
    # b 0.6, f 0.55 (feasibility 4 on its curve), stall 0.25, linkage 0.5 with none intrinsic
    assert row["dividend"] == pytest.approx(100 * 0.6 * 0.55 * 0.25 * 0.5)


def test_model_stall_probability_is_the_default(run: Run, make_set: MakeSet) -> None:
    root = make_set(
        {"a.toml": option_toml("a", 5, 5, 2)},
        MODEL + "\n[decouple]\nstall_probability = 0.4\n",
    )
    document = as_json(run("decouple", str(root), "-f", "json").stdout)
    assert document["stall_probability"] == 0.4


@pytest.mark.parametrize("value", ["1.5", "-0.2", "nan"])
def test_stall_probability_outside_0_1_exits_2(run: Run, value: str) -> None:
    result = run("decouple", str(OPTIONS), "--stall-probability", value)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: --stall-probability must lie in [0, 1]")


def test_decouple_without_roles_exits_2_naming_them(run: Run, make_set: MakeSet) -> None:
    model = MODEL.replace('role = "feasibility"\n', "").replace('role = "linkage"\n', "")
    result = run("decouple", str(make_set({"a.toml": option_toml("a", 5, 5, 2)}, model)))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "error: decouple needs criteria with the roles benefit, feasibility and linkage; "
        "model 'Test model' has no criteria with the roles 'feasibility', 'linkage'"
    )
    assert lines[1].startswith('hint: declare it in engage.toml: role = "feasibility"')


def test_decouple_sweep_json_lists_crossings(run: Run) -> None:
    document = as_json(run("decouple", str(OPTIONS), "--sweep", "-f", "json").stdout)
    crossings = document["crossings"]
    assert isinstance(crossings, list)
    assert len(crossings) == 62
    assert crossings[0] == {
        "p": pytest.approx(2 / 63),
        "overtaker": "carveout-comfort-letters",
        "overtaken": "pak-afg-ceasefire",
    }
    assert {"rank_at_0", "rank_at_1"} <= set(document["options"][0])


def test_decouple_csv_tsv_ndjson_have_one_row_per_option(run: Run) -> None:
    rows = list(csv.reader(io.StringIO(run("decouple", str(OPTIONS), "-f", "csv").stdout)))
    assert rows[0] == [
        "rank_linked",
        "id",
        "title",
        "track",
        "delivered_linked",
        "delivered_standalone",
        "dividend",
        "rank_standalone",
        "unknown",  # the shipped set has unknown scores
    ]
    assert len(rows) == 30
    assert rows[1][:2] == ["1", "humanitarian-ringfence"]
    tsv = run("decouple", str(OPTIONS), "-f", "tsv").stdout.splitlines()
    assert tsv[0].split("\t")[0] == "rank_linked"
    ndjson = run("decouple", str(OPTIONS), "-f", "ndjson").stdout.splitlines()
    assert len(ndjson) == 29
    assert set(json.loads(ndjson[0])) >= DECOUPLE_ROW


def test_decouple_table_has_bars_numbers_and_the_upper_bound_note(run: Run) -> None:
    result = run("decouple", str(OPTIONS), "-n", "3")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "stall probability 0.7" in lines[0]
    assert "█" in result.stdout
    assert "27.67" in result.stdout
    assert "the dividend is an upper bound: decoupling is assumed to cost nothing" in lines
    assert "29 options, 3 shown, 1 screened out" in lines
    assert max(len(line) for line in lines) <= 100


def test_decouple_markdown_svg_html(run: Run) -> None:
    markdown = run("decouple", str(OPTIONS), "-f", "markdown", "--sweep").stdout
    assert "| 2 | `wb-approach-3` | humanitarian | 21.45 | 33.00 | 1 | 11.55 | 1 | 5 |" in markdown
    assert "| 0.031746 | `carveout-comfort-letters` | `pak-afg-ceasefire` |" in markdown
    assert run("decouple", str(OPTIONS), "-f", "svg").stdout.startswith("<svg")
    assert "<html" in run("decouple", str(OPTIONS), "-f", "html").stdout


def test_decouple_track_filter_and_screens(run: Run) -> None:
    result = run("decouple", str(OPTIONS), "-t", "rights", "--max", "linkage=4", "-f", "json")
    document = as_json(result.stdout)
    ids = [o["id"] for o in document["options"]]
    assert ids == [
        "community-education",
        "exile-media-civil-society",
        "women-higher-education-online",
    ]
    assert document["screened_out"] == [
        {"id": i, "rule": "max linkage 4", "value": v}
        for i, v in (
            ("cedaw-icj-case", 6),
            ("gender-persecution-sanctions", 8),
            ("girls-secondary-dialogue", 8),
            ("women-health-training", 6),
        )
    ]
    assert run("decouple", str(OPTIONS), "-t", "rihgts").exit_code == 2


# -- tracks ------------------------------------------------------------------------------


def test_tracks_json_lists_all_six_tracks_with_lens_keys(run: Run) -> None:
    result = run("tracks", str(OPTIONS), "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = as_json(result.stdout)
    assert document["command"] == "tracks"
    assert set(document) >= LENS_KEYS
    tracks = document["tracks"]
    assert isinstance(tracks, list)
    assert [t["track"] for t in tracks] == [
        "security",
        "economic",
        "humanitarian",
        "rights",
        "political",
        "other",
    ]
    assert {"track", "count", "best", "best_score", "mean_linkage"} <= set(tracks[0])
    standalone = document["standalone"]
    assert isinstance(standalone, dict)
    assert standalone["max_linkage"] == 5.0
    assert len(standalone["options"]) == 6
    assert standalone["total"] == pytest.approx(310.5625)


def test_tracks_lists_an_empty_track_with_null_best(run: Run, make_set: MakeSet) -> None:
    root = make_set({"a.toml": option_toml("a", 5, 5, 2)})
    document = as_json(run("tracks", str(root), "-f", "json").stdout)
    assert document["tracks"][1] == {
        "track": "economic",
        "count": 0,
        "best": None,
        "best_score": None,
        "mean_linkage": None,
        "screened_out": 0,
    }


def test_tracks_lens_and_max_linkage_flags(run: Run) -> None:
    document = as_json(
        run("tracks", str(OPTIONS), "-p", "standalone", "--max-linkage", "1", "-f", "json").stdout
    )
    assert document["profile"] == "standalone"
    assert document["standalone"]["max_linkage"] == 1.0
    assert document["standalone"]["options"] == [  # the baseline is no option
        "tapi-herat",
        "humanitarian-ringfence",
        "exile-media-civil-society",
        "qosh-tepa-water",
    ]
    topsis = as_json(run("tracks", str(OPTIONS), "-m", "topsis", "-f", "json").stdout)
    assert topsis["score_unit"] == "closeness"
    assert run("tracks", str(OPTIONS), "-p", "pragmatc").exit_code == 2


def test_tracks_other_formats(run: Run) -> None:
    table = run("tracks", str(OPTIONS)).stdout
    assert "standalone agenda (linkage ≤ 5): 6 options, total 310.6" in table
    rows = list(csv.reader(io.StringIO(run("tracks", str(OPTIONS), "-f", "csv").stdout)))
    assert rows[0] == [
        "track",
        "count",
        "best",
        "best_score",
        "mean_linkage",
        "screened_out",
        "best_unknown",
    ]
    assert len(rows) == 7
    assert len(run("tracks", str(OPTIONS), "-f", "ndjson").stdout.splitlines()) == 6
    assert (
        "| humanitarian | 8 | `humanitarian-ringfence` | 64.4 | 2.88 |"
        in run("tracks", str(OPTIONS), "-f", "markdown").stdout
    )
    assert run("tracks", str(OPTIONS), "-f", "ids").exit_code == 2


# -- diff --------------------------------------------------------------------------------


def test_diff_of_a_set_with_itself_is_empty_and_exit_0(run: Run) -> None:
    result = run("diff", str(OPTIONS), str(OPTIONS), "--exit-code", "-f", "json")
    assert result.exit_code == 0
    document = as_json(result.stdout)
    assert set(document) >= LENS_KEYS
    assert document["identical"] is True
    for key in ("added", "removed", "changed", "moves", "model_changes"):
        assert document[key] == []
    table = run("diff", str(OPTIONS), str(OPTIONS), "--exit-code")
    assert table.exit_code == 0
    assert "no differences" in table.stdout.splitlines()[0]


def test_a_renamed_option_is_removed_plus_added_with_exit_3(run: Run, make_set: MakeSet) -> None:
    old = make_set({"a.toml": option_toml("a", 5, 5, 2)}, name="old")
    new = make_set({"a.toml": option_toml("b", 5, 5, 2)}, name="new")
    result = run("diff", str(old), str(new), "--exit-code", "-f", "json")
    assert result.exit_code == 3
    assert result.stderr == ""
    document = as_json(result.stdout)
    assert (document["added"], document["removed"], document["changed"]) == (["b"], ["a"], [])
    assert run("diff", str(old), str(new)).exit_code == 0  # without --exit-code


def test_diff_reports_fields_moves_and_model_changes(run: Run, make_set: MakeSet) -> None:
    files = {"a.toml": option_toml("a", 9, 1, 5) + option_toml("b", 3, 9, 5)}
    old = make_set(files, name="old")
    model = MODEL.replace("benefit = 0.5, feasibility = 0.3", "benefit = 0.2, feasibility = 0.6")
    new = make_set({"a.toml": files["a.toml"].replace('"Option a"', '"A"')}, model, name="new")
    document = as_json(run("diff", str(old), str(new), "-f", "json").stdout)
    assert document["changed"] == [{"id": "a", "fields": {"title": ["Option a", "A"]}}]
    assert [(m["id"], m["old_rank"], m["new_rank"]) for m in document["moves"]] == [
        ("b", 2, 1),
        ("a", 1, 2),
    ]
    assert document["model_changes"][0] == {
        "path": "profiles.main.weights.benefit",
        "old": 0.5,
        "new": 0.2,
    }
    markdown = run("diff", str(old), str(new), "-f", "markdown").stdout
    assert '- `title`: "Option a" → "A"' in markdown.replace("  - ", "- ")
    table = run("diff", str(old), str(new)).stdout
    assert 'title: "Option a" → "A"' in table
    assert "profiles.main.weights.benefit: 0.5 → 0.2" in table
    assert run("diff", str(old), str(new), "-f", "svg").stdout.startswith("<svg")
    assert run("diff", str(old), str(new), "-f", "csv").exit_code == 2


def test_diff_needs_two_sets_without_git(run: Run) -> None:
    result = run("diff", str(OPTIONS))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "error: diff needs two sets, OLD and NEW"


# -- diff --git --------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    """Run git with an identity and no signing, so it works on a clean CI machine."""
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=engage tests",
            "-c",
            "user.email=tests@example.invalid",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with two commits: the second raises option a's benefit from 5 to 7."""
    root = tmp_path / "repo"
    (root / "options").mkdir(parents=True)
    (root / "options" / "engage.toml").write_text(MODEL, encoding="utf-8")
    (root / "options" / "a.toml").write_text(option_toml("a", 5, 5, 2), encoding="utf-8")
    (root / "options" / "b.toml").write_text(option_toml("b", 6, 5, 2), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    (root / "options" / "a.toml").write_text(option_toml("a", 7, 5, 2), encoding="utf-8")
    git(root, "commit", "-q", "-am", "second")
    return root


@needs_git
def test_diff_git_head_1_against_the_working_tree(
    run: Run, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "options" / "c.toml").write_text(option_toml("c", 1, 1, 1), encoding="utf-8")
    status = git(repo, "status", "--porcelain")
    monkeypatch.chdir(repo)
    result = run("diff", "--git", "HEAD~1", "-f", "json", "--exit-code")
    assert result.exit_code == 3, result.stderr
    document = as_json(result.stdout)
    assert document["old"] == "HEAD~1:options"
    assert document["added"] == ["c"]
    assert document["changed"] == [
        {
            "id": "a",
            "fields": {
                "scores.benefit.value": [5, 7],
                "scores.benefit.low": [5, 7],
                "scores.benefit.high": [5, 7],
            },
        }
    ]
    assert [(m["id"], m["old_rank"], m["new_rank"]) for m in document["moves"]] == [
        ("a", 2, 1),
        ("b", 1, 2),
    ]
    assert git(repo, "status", "--porcelain") == status  # the working tree is untouched


@needs_git
def test_diff_git_head_is_empty_with_explicit_paths(run: Run, repo: Path) -> None:
    result = run("diff", "--git", "HEAD", str(repo / "options"), "--exit-code")
    assert result.exit_code == 0, result.stderr
    single = run("diff", "--git", "HEAD~1", str(repo / "options" / "b.toml"), "--exit-code")
    assert single.exit_code == 0, single.stderr  # b itself did not change


@needs_git
def test_diagnostics_of_an_old_version_name_rev_and_path(run: Run, repo: Path) -> None:
    (repo / "options" / "b.toml").write_text("[[option]\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "broken")
    (repo / "options" / "b.toml").write_text(option_toml("b", 6, 5, 2), encoding="utf-8")
    result = run("diff", "--git", "HEAD", str(repo / "options"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: HEAD:options/b.toml:1:")
    assert "engage-git-" not in result.stderr


@needs_git
def test_an_unknown_revision_exits_2(run: Run, repo: Path) -> None:
    result = run("diff", "--git", "no-such-branch", str(repo / "options"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "error: unknown revision 'no-such-branch'"
    assert run("diff", "--git", "--all", str(repo / "options")).exit_code == 2


@needs_git
def test_a_path_missing_at_the_revision_exits_1(run: Run, repo: Path) -> None:
    (repo / "later").mkdir()
    (repo / "later" / "x.toml").write_text(option_toml("x", 1, 1, 1), encoding="utf-8")
    result = run("diff", "--git", "HEAD", str(repo / "later"))
    assert result.exit_code == 1
    assert result.stderr == "error: HEAD:later does not exist (nothing to compare with)\n"


@needs_git
def test_outside_a_repository_exits_1(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plain").mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = run("diff", "--git", "HEAD", str(tmp_path / "plain"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: git: not a git repository")


def test_without_git_installed_exits_1(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = run("diff", "--git", "HEAD", str(OPTIONS))
    assert result.exit_code == 1
    assert result.stderr == "error: git is not installed (or not on PATH); --git needs it\n"
