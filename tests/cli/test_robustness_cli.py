"""`sensitivity` and `robustness` through the CLI: formats, JSON keys, exit codes, bytes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import OPTIONS, Run, option_toml

MakeSet = Callable[..., Path]

LENS_KEYS = {"model", "method", "score_unit", "profile", "weights"}
SENSITIVITY_KEYS = {"top", "tolerance", "criteria", "score_ties"}
ROBUSTNESS_KEYS = {"draws", "seed", "weights_from", "verdict", "verdict_option", "options"}
ROBUSTNESS_ROW = {
    "id",
    "p_rank1",
    "p_top_k",
    "mean_rank",
    "rank_interval",
    "rank_acceptability",
    "central_weights",
    "confidence",
}


def as_json(text: str) -> Any:
    document = json.loads(text)
    assert isinstance(document, dict)
    return document


def small_set(make_set: MakeSet) -> Path:
    """a (10, 0, 0) 70 points, b (0, 10, 0) 50, c (4, 4, 4) 44 under (0.5, 0.3, 0.2); the
    case worked by hand in tests/analysis/test_sensitivity.py."""
    return make_set(
        {
            "a.toml": option_toml("a", 10, 0, 0),
            "b.toml": option_toml("b", 0, 10, 0),
            "c.toml": option_toml("c", 4, 4, 4),
        }
    )


# -- sensitivity -----------------------------------------------------------------------------


def test_sensitivity_json_has_the_spec_and_lens_keys(run: Run) -> None:
    result = run("sensitivity", str(OPTIONS), "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = as_json(result.stdout)
    assert (document["engage"], document["command"]) == (1, "sensitivity")
    assert set(document) >= LENS_KEYS | SENSITIVITY_KEYS
    assert document["top"] == "humanitarian-ringfence"
    assert document["tolerance"] == 0.0
    benefit = document["criteria"]["benefit"]
    assert set(benefit) == {
        "weight",
        "top_interval",
        "taken_over_below",
        "taken_over_above",
        "stable_interval",
    }
    assert benefit["weight"] == 0.45
    # the ring-fence (70, 42.5, 90 after rescaling and the feasibility curve) ties tapi-herat
    # (20, 75, 90) where 50 w = (1 - w) · 0.35 / 0.55 · 32.5, that is w = 11.375 / 38.875
    assert benefit["top_interval"] == [pytest.approx(11.375 / 38.875), 1.0]
    assert (benefit["taken_over_below"], benefit["taken_over_above"]) == ("tapi-herat", None)
    assert benefit["stable_interval"] == [0.45, 0.45]
    ties = document["score_ties"]
    assert [t["rival"] for t in ties] == [
        "wb-approach-3",
        "un-cash-shipments",
        "community-education",
    ]
    assert set(ties[0]["changes"]["benefit"]) == {"top", "rival"}
    # a gap of 64.375 - 56.25 points, at 0.45 · 10 points per point of benefit
    assert ties[0]["changes"]["benefit"]["rival"] == pytest.approx(8.125 / 4.5)
    assert ties[0]["changes"]["benefit"]["top"] == pytest.approx(-8.125 / 4.5)


def test_sensitivity_says_topsis_is_numeric(run: Run) -> None:
    result = run("sensitivity", str(OPTIONS), "-m", "topsis", "-f", "json")
    assert as_json(result.stdout)["tolerance"] == 1e-6


SMALL_TABLE = """\
Test model: how far each weight can move (weighted-sum, profile main)
top option: a (70.0 points), 20.0 ahead of b
                                    top stays                     no rank   taken over
criterion     weight    from   0                  1   to           change   past the ends
─────────────────────────────────────────────────────────────────────────────────────────────────
benefit        0.500   0.375   ───────███┃█████████   1.000   0.375–0.565   below: b
feasibility    0.300   0.000   ██████┃█────────────   0.417   0.222–0.417   above: b
linkage        0.200   0.000   ████┃███████████████   1.000   0.059–1.000   none: top from 0 to 1
█ weights at which a stays top   ┃ current weight

to tie a with a rival, change one score (top / rival)
rival   rank    gap       benefit ↑   feasibility ↑    linkage ↓
────────────────────────────────────────────────────────────────
b          2   20.0   −4.00 / +4.00           — / —   +10.00 / —
c          3   26.0   −5.20 / +5.20           — / —        — / —
Each cell: the change of a's one score / of the rival's one score (raw units) that makes the two
tie; —: no value in the scale is enough.

method weighted-sum (points), profile main: benefit 0.5, feasibility 0.3, linkage 0.2
one weight moves from 0 to 1 and the others keep their proportions; at an interval's end two options
tie
interval ends are exact: scores move in straight lines with the weight
"""


def test_sensitivity_table_with_its_tornado_chart(run: Run, make_set: MakeSet) -> None:
    """benefit: a stays top from 3/8 up (b takes over below); feasibility up to 5/12."""
    result = run("sensitivity", str(small_set(make_set)))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == SMALL_TABLE


def test_sensitivity_markdown(run: Run, make_set: MakeSet) -> None:
    result = run("sensitivity", str(small_set(make_set)), "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "| benefit ↑ | 0.500 | 0.375–1.000 | `b` | — | 0.375–0.565 |" in result.stdout
    assert "| b | 2 | 20.0 | −4.00 / +4.00 | — / — | +10.00 / — |" in result.stdout


@pytest.mark.parametrize(("fmt", "start"), [("svg", "<svg"), ("html", "<!DOCTYPE html>")])
def test_sensitivity_svg_and_html_record_the_table(run: Run, fmt: str, start: str) -> None:
    result = run("sensitivity", str(OPTIONS), "-f", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.lstrip().startswith(start)
    assert "humanitarian-ringfence" in result.stdout


def test_sensitivity_refuses_a_per_option_format(run: Run) -> None:
    result = run("sensitivity", str(OPTIONS), "-f", "csv")
    assert result.exit_code == 2
    assert "sensitivity does not write 'csv'" in result.stderr


def test_sensitivity_unknown_profile_is_a_usage_error(run: Run) -> None:
    result = run("sensitivity", str(OPTIONS), "-p", "pragmatik")
    assert result.exit_code == 2
    assert "did you mean 'pragmatic'?" in result.stderr


def test_sensitivity_of_a_fully_screened_set_is_an_error(run: Run) -> None:
    result = run("sensitivity", str(OPTIONS), "--min", "benefit=10")
    assert result.exit_code == 1
    assert result.stderr == "error: no option is left after the screens, --track and --tag\n"


# -- robustness -------------------------------------------------------------------------------


def test_robustness_json_has_the_spec_and_lens_keys(run: Run) -> None:
    result = run("robustness", str(OPTIONS), "-f", "json", "--draws", "500", "--seed", "3")
    assert result.exit_code == 0, result.stderr
    document = as_json(result.stdout)
    assert (document["engage"], document["command"]) == (1, "robustness")
    assert set(document) >= LENS_KEYS | ROBUSTNESS_KEYS
    assert (document["draws"], document["seed"], document["weights_from"]) == (500, 3, "local")
    assert (document["verdict"], document["verdict_option"]) == (
        "fragile",
        "humanitarian-ringfence",
    )
    options = document["options"]
    ranked = 29  # 31 files: the baseline is never ranked, performance-based-roadmap is screened out
    assert len(options) == ranked
    assert set(options[0]) >= ROBUSTNESS_ROW
    assert set(options[0]["central_weights"]) == {"benefit", "feasibility", "linkage"}
    keys = [(round(o["mean_rank"], 9), o["id"]) for o in options]
    assert keys == sorted(keys)
    assert all(len(o["rank_acceptability"]) == ranked for o in options)
    never = [o for o in options if o["p_rank1"] == 0]
    assert never
    assert all(o["central_weights"] is None and o["confidence"] is None for o in never)


def test_robustness_csv_and_tsv_have_one_row_per_option(run: Run) -> None:
    text = run("robustness", str(OPTIONS), "-f", "csv", "--draws", "200").stdout
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:11] == [
        "id",
        "title",
        "track",
        "rank",
        "score",
        "p_rank1",
        "p_top_k",
        "mean_rank",
        "rank_p5",
        "rank_p95",
        "confidence",
    ]
    assert rows[0][11:14] == ["central_benefit", "central_feasibility", "central_linkage"]
    assert rows[0][14:-1] == [f"p_rank_{r}" for r in range(1, 30)]  # 29 ranked
    assert rows[0][-1] == "unknown"  # the shipped set has unknown scores
    assert len(rows) == 30
    tsv = run("robustness", str(OPTIONS), "-f", "tsv", "--draws", "200").stdout
    assert [line.split("\t") for line in tsv.splitlines()] == rows


def test_robustness_ndjson_is_the_options(run: Run) -> None:
    text = run("robustness", str(OPTIONS), "-f", "ndjson", "--draws", "200").stdout
    document = as_json(run("robustness", str(OPTIONS), "-f", "json", "--draws", "200").stdout)
    assert [json.loads(line) for line in text.splitlines()] == document["options"]


def test_robustness_table_shows_heat_strips_and_the_verdict(run: Run) -> None:
    result = run("robustness", str(OPTIONS), "--draws", "1000")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Engagement options: Afghanistan: how robust is the ranking (weighted-sum, profile pragmatic)"
    )
    top = next(line for line in lines if "humanitarian-ringfence" in line)
    assert "█" in top
    assert top.split()[0] == "1"
    assert any(
        line.startswith("verdict: fragile: humanitarian-ringfence ranks first in") for line in lines
    )


@pytest.mark.parametrize(("fmt", "start"), [("svg", "<svg"), ("html", "<!DOCTYPE html>")])
def test_robustness_svg_and_html(run: Run, fmt: str, start: str) -> None:
    result = run("robustness", str(OPTIONS), "-f", fmt, "--draws", "100")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.lstrip().startswith(start)


def test_robustness_markdown(run: Run) -> None:
    result = run("robustness", str(OPTIONS), "-f", "markdown", "--draws", "100")
    assert result.stdout.startswith("## Engagement options: Afghanistan: how robust")
    assert "| 1 | `humanitarian-ringfence` |" in result.stdout
    assert "- verdict: fragile:" in result.stdout


def test_robustness_gives_the_same_bytes_twice_in_every_format(run: Run) -> None:
    for fmt in ("table", "json", "csv", "tsv", "ndjson", "markdown", "svg", "html"):
        args = ("robustness", str(OPTIONS), "-f", fmt, "--draws", "300", "--seed", "9")
        assert run(*args).stdout == run(*args).stdout, fmt


def test_robustness_does_not_depend_on_the_order_of_the_files(run: Run, make_set: MakeSet) -> None:
    """One set split over several files, given in two orders: the same bytes."""
    delta = (
        '[[option]]\nid = "delta"\ntitle = "Delta"\ntrack = "security"\n[option.scores]\n'
        "benefit = { value = 5, low = 3, high = 8 }\n"
        "feasibility = { value = 5, low = 2, high = 6 }\nlinkage = 1\n"
    )
    root = make_set(
        {
            "one.toml": option_toml("alpha", 6, 5, 2) + "\n" + option_toml("bravo", 5, 6, 1),
            "two.toml": option_toml("charlie", 7, 3, 3),
            "three.toml": delta,
        }
    )
    files = [str(root / name) for name in ("one.toml", "two.toml", "three.toml")]
    forward = run("robustness", *files, "-f", "json", "--weights-from", "any")
    backward = run("robustness", *reversed(files), "-f", "json", "--weights-from", "any")
    assert forward.exit_code == 0, forward.stderr
    assert forward.stdout == backward.stdout
    assert len(as_json(forward.stdout)["options"]) == 4


def test_fail_if_fragile_passes_a_robust_ranking(run: Run, make_set: MakeSet) -> None:
    root = make_set({"x.toml": option_toml("a", 9, 9, 0) + "\n" + option_toml("b", 3, 4, 6)})
    result = run("robustness", str(root), "--fail-if-fragile", "--draws", "500", "-f", "json")
    assert result.exit_code == 0
    assert as_json(result.stdout)["verdict"] == "robust"


def test_fail_if_fragile_exits_3_after_writing_a_fragile_result(run: Run) -> None:
    """Weights that only keep the profile's order: humanitarian-ringfence is not first often
    enough."""
    args = ("robustness", str(OPTIONS), "--weights-from", "order", "-f", "json")
    result = run(*args, "--fail-if-fragile")
    assert result.exit_code == 3
    assert as_json(result.stdout)["verdict"] == "fragile"
    assert result.stderr.startswith("error: verdict 'fragile', not robust (--fail-if-fragile)\n")
    assert run(*args).exit_code == 0


def test_fail_if_fragile_exits_3_on_a_tie(run: Run, make_set: MakeSet) -> None:
    root = make_set({"x.toml": option_toml("a", 5, 5, 5) + "\n" + option_toml("b", 5, 5, 5)})
    result = run("robustness", str(root), "--fail-if-fragile", "--draws", "50", "-f", "json")
    assert result.exit_code == 3
    document = as_json(result.stdout)
    assert (document["verdict"], document["verdict_option"]) == ("tie", "a")
    assert [o["p_rank1"] for o in document["options"]] == [0.5, 0.5]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--draws", "0"], "--draws"),
        (["--seed", "-1"], "--seed"),
        (["--top-k", "0"], "--top-k"),
        (["--concentration", "0"], "--concentration must be a positive number, got 0"),
        (["--concentration", "nan"], "--concentration must be a positive number"),
        (["--weights-from", "anyy"], "did you mean 'any'?"),
        (["-f", "ids"], "robustness does not write 'ids'"),
    ],
)
def test_robustness_bad_flags_are_usage_errors(run: Run, flags: list[str], message: str) -> None:
    result = run("robustness", str(OPTIONS), *flags)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_robustness_writes_the_output_file_and_nothing_on_stdout(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "robustness.json"
    result = run("robustness", str(OPTIONS), "--draws", "100", "-f", "json", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")
    assert as_json(target.read_text(encoding="utf-8"))["draws"] == 100


def test_ctrl_c_during_the_draws_exits_130_and_writes_nothing(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import engage.analysis.robustness as module

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(module, "robustness", interrupted)
    target = tmp_path / "out.json"
    result = run("robustness", str(OPTIONS), "-f", "json", "-o", str(target))
    assert result.exit_code == 130
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_quiet_keeps_notes_off_stderr(run: Run) -> None:
    args = ("robustness", str(OPTIONS), "-w", "benefit=2,feasibility=1,linkage=1", "--draws", "50")
    assert "note: weights sum to 4; normalised to sum 1" in run(*args).stderr
    assert run(*args, "-q").stderr == ""


def test_no_progress_bar_off_a_terminal(run: Run) -> None:
    result = run("robustness", str(OPTIONS), "--draws", "200000", "-f", "json", "--top-k", "2")
    assert result.exit_code == 0
    assert result.stderr == ""


def test_the_progress_bar_advances_and_goes_away() -> None:
    from engage.cli.robustness_commands import _progress

    with _progress(show=True) as advance:
        assert advance is not None
        advance(5, 10)
        advance(10, 10)
    with _progress(show=False) as nothing:
        assert nothing is None


def test_commands_do_not_import_numpy_until_robustness_runs() -> None:
    """`import engage.cli` and a sensitivity run stay free of numpy (start-up time)."""
    code = (
        "import sys\n"
        "import engage.cli\n"
        "assert 'numpy' not in sys.modules, 'import'\n"
        "from typer.testing import CliRunner\n"
        f"r = CliRunner().invoke(engage.cli.app, ['sensitivity', {str(OPTIONS)!r}, '-f', 'json'])\n"
        "assert r.exit_code == 0, r.output\n"
        "assert 'numpy' not in sys.modules, 'sensitivity'\n"
        f"r = CliRunner().invoke(engage.cli.app, ['robustness', {str(OPTIONS)!r}, '--draws', '5'])\n"
        "assert r.exit_code == 0, r.output\n"
        "assert 'numpy' in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
