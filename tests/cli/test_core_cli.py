"""`rank`, `validate`, `model` and the app itself, through CliRunner."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from engage import __version__
from tests.conftest import MODEL, OPTIONS, Run, option_toml

MakeSet = Callable[..., Path]
GOLDEN = Path(__file__).resolve().parent.parent / "golden"


def golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME; ENGAGE_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if os.environ.get("ENGAGE_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_rank_table_golden(run: Run) -> None:
    result = run("rank", str(OPTIONS))
    assert result.exit_code == 0
    assert result.stderr == ""
    golden("rank-table-100.txt", result.stdout.replace(str(OPTIONS), "options"))


def test_rank_table_at_80_and_140_columns(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    for width in (80, 140):
        monkeypatch.setenv("COLUMNS", str(width))
        result = run("rank", str(OPTIONS), "-n", "5")
        assert max(len(line) for line in result.stdout.splitlines()) <= width
        golden(f"rank-table-{width}.txt", result.stdout)


def test_rank_json_golden_and_keys(run: Run) -> None:
    result = run("rank", str(OPTIONS), "-f", "json")
    assert result.exit_code == 0
    golden("rank.json", result.stdout)
    document = json.loads(result.stdout)
    assert list(document)[:2] == ["engage", "command"]
    assert {
        "model",
        "method",
        "score_unit",
        "profile",
        "weights",
        "options",
        "screened_out",
        "ties",
    } <= set(document)
    first = document["options"][0]
    assert {
        "rank",
        "id",
        "title",
        "track",
        "score",
        "scores",
        "contributions",
        "dominated_by",
    } <= set(first)
    assert first["score"] == pytest.approx(sum(first["contributions"].values()))


def test_rank_output_is_the_same_bytes_twice(run: Run) -> None:
    for fmt in ("table", "json", "csv", "tsv", "ndjson", "markdown", "ids", "svg", "html"):
        assert (
            run("rank", str(OPTIONS), "-f", fmt).stdout
            == run("rank", str(OPTIONS), "-f", fmt).stdout
        )


def test_rank_csv_tsv_ndjson_ids_agree(run: Run) -> None:
    ids = run("rank", str(OPTIONS), "-f", "ids").stdout.split()
    rows = list(csv.DictReader(io.StringIO(run("rank", str(OPTIONS), "-f", "csv").stdout)))
    # the baseline is the last row, apart (docs/output.md): ids lists the ranked options only
    assert (rows[-1]["rank"], rows[-1]["id"]) == ("baseline", "res-2615-carveout")
    assert [r["id"] for r in rows[:-1]] == ids
    assert list(rows[0])[:5] == ["rank", "id", "title", "track", "score"]
    tsv = run("rank", str(OPTIONS), "-f", "tsv").stdout.splitlines()
    assert [line.split("\t")[1] for line in tsv[1:-1]] == ids
    ndjson = [
        json.loads(line) for line in run("rank", str(OPTIONS), "-f", "ndjson").stdout.splitlines()
    ]
    assert [o["id"] for o in ndjson] == ids


def test_rank_markdown_and_svg_html(run: Run) -> None:
    markdown = run("rank", str(OPTIONS), "-f", "markdown", "-n", "2").stdout
    assert markdown.startswith(
        "| # | id | title | track | benefit ↑ | feasibility ↑ | linkage ↓ | score |"
    )
    svg = run("rank", str(OPTIONS), "-f", "svg").stdout
    assert svg.startswith("<svg")
    assert "humanitarian-ringfence" in svg
    html = run("rank", str(OPTIONS), "-f", "html").stdout
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert "humanitarian-ringfence" in html


def test_top_keeps_ties(make_set: MakeSet, run: Run) -> None:
    root = make_set(
        {
            "a.toml": option_toml("a", 5, 5, 5)
            + option_toml("b", 5, 5, 5)
            + option_toml("c", 1, 1, 1)
        }
    )
    result = run("rank", str(root), "-n", "1", "-f", "ids")
    assert result.stdout == "a\nb\n"


def test_user_text_is_not_markup(make_set: MakeSet, run: Run) -> None:
    root = make_set(
        {"a.toml": option_toml("a", 5, 5, 5).replace('"Option a"', '"[draft] Pilot [/]"')}
    )
    result = run("rank", str(root))
    assert result.exit_code == 0
    assert "[draft] Pilot [/]" in result.stdout


def test_screens_and_ad_hoc_screens_are_listed(run: Run) -> None:
    result = run("rank", str(OPTIONS), "--min", "feasibility=5", "-f", "json")
    document = json.loads(result.stdout)
    rules = {s["rule"] for s in document["screened_out"]}
    assert rules == {"min feasibility 5", "max linkage 9"}  # the model's own screen stays
    assert all(o["scores"]["feasibility"] >= 5 for o in document["options"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-p", "pragmatc"],
            "error: unknown profile 'pragmatc'\nhint: did you mean 'pragmatic'?\n",
        ),
        (["-m", "topsys"], "error: unknown method 'topsys'\nhint: did you mean 'topsis'?\n"),
        (["-t", "securty"], "error: unknown track 'securty'\nhint: did you mean 'security'?\n"),
        (["--tag", "nosuchtag"], "error: no option has the tag 'nosuchtag'\n"),
        (
            ["--tag", "sanction"],
            "error: no option has the tag 'sanction'\nhint: did you mean 'sanctions'?\n",
        ),
        (
            ["--min", "benfit=3"],
            "error: unknown criterion 'benfit'\nhint: did you mean 'benefit'?\n",
        ),
        (["--min", "benefit"], "error: --min: expected CRITERION=NUMBER, got 'benefit'\n"),
        (["-w", "benefit=x"], "error: --weights: 'x' is not a number (in 'benefit=x')\n"),
        (
            ["-w", "benefit=1,feasibility=1"],
            "error: --weights: no weight for linkage (weights name every criterion: benefit, feasibility, linkage)\n",
        ),
        (
            ["-w", "benefit=-1,feasibility=1,linkage=1"],
            "error: --weights: weight -1 for 'benefit' is negative\n",
        ),
        (
            ["-f", "toml"],
            "error: rank does not write 'toml'\nhint: formats: table, json, ndjson, csv, tsv, markdown, ids, svg, html\n",
        ),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, run: Run) -> None:
    result = run("rank", str(OPTIONS), *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message


def test_unknown_flag_is_typer_usage_error(run: Run) -> None:
    result = run("rank", "--frobnicate")
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_weights_note_when_not_summing_to_one(run: Run) -> None:
    result = run("rank", str(OPTIONS), "-w", "benefit=2,feasibility=1,linkage=1", "-f", "ids")
    assert result.exit_code == 0
    assert result.stderr == "note: weights sum to 4; normalised to sum 1\n"
    quiet = run("rank", str(OPTIONS), "-w", "benefit=2,feasibility=1,linkage=1", "-q", "-f", "ids")
    assert quiet.stderr == ""


def test_weights_within_rounding_of_1_are_normalised_without_a_note(run: Run) -> None:
    """docs/formats.md#the-model: always normalised; the note only when the sum is off by more than 1e-9."""
    thirds = run(
        "rank",
        str(OPTIONS),
        "-w",
        "benefit=0.3333333333,feasibility=0.3333333333,linkage=0.3333333333",
        "-f",
        "json",
    )
    equal = run("rank", str(OPTIONS), "-w", "benefit=1,feasibility=1,linkage=1", "-f", "json")
    assert thirds.exit_code == 0
    assert thirds.stderr == ""
    got, expected = json.loads(thirds.stdout)["options"], json.loads(equal.stdout)["options"]
    assert [o["id"] for o in got] == [o["id"] for o in expected]
    for a, b in zip(got, expected, strict=True):
        assert abs(a["score"] - b["score"]) <= 1e-12
    halves = run("rank", str(OPTIONS), "-w", "benefit=0.5,feasibility=0.5,linkage=0.5", "-f", "ids")
    assert halves.exit_code == 0
    assert halves.stderr == "note: weights sum to 1.5; normalised to sum 1\n"


def test_invalid_set_exits_1_with_diagnostics(make_set: MakeSet, run: Run) -> None:
    root = make_set({"a.toml": option_toml("a", 50, 5, 5)})
    result = run("rank", str(root))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert (
        "[out-of-range] option[0].scores.benefit.value: 50 is outside the scale [0, 10]"
        in result.stderr
    )


def test_set_from_env_and_set_flag(
    make_set: MakeSet, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_set({"a.toml": option_toml("a", 5, 5, 5)})
    monkeypatch.setenv("ENGAGE_SET", str(root))
    assert run("rank", "-f", "ids").stdout == "a\n"
    top = run("rank", "-s", str(OPTIONS), "-f", "ids", "-n", "1").stdout
    assert top == "humanitarian-ringfence\n"


def test_json_from_stdin(run: Run) -> None:
    exported = run("rank", str(OPTIONS), "-f", "json").stdout
    options = [
        {"id": o["id"], "title": o["title"], "track": o["track"], "scores": o["scores"]}
        for o in json.loads(exported)["options"]
    ]
    result = run("rank", "-", "-f", "ids", input=json.dumps(options))
    assert result.exit_code == 0
    assert result.stdout == run("rank", str(OPTIONS), "-f", "ids").stdout


def test_output_file_is_written_atomically(tmp_path: Path, run: Run) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    result = run("rank", str(OPTIONS), "-f", "json", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(target.read_text())["command"] == "rank"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_output_into_a_missing_directory_fails_cleanly(tmp_path: Path, run: Run) -> None:
    result = run("rank", str(OPTIONS), "-o", str(tmp_path / "no" / "out.txt"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot write {tmp_path / 'no' / 'out.txt'}: ")


def test_several_lenses_in_json_and_csv(run: Run) -> None:
    args = [
        "rank",
        str(OPTIONS),
        "-p",
        "pragmatic",
        "-p",
        "conditional",
        "-m",
        "weighted-sum",
        "-m",
        "topsis",
    ]
    document = json.loads(run(*args, "-f", "json").stdout)
    assert [(x["profile"], x["method"]) for x in document["lenses"]] == [
        ("pragmatic", "weighted-sum"),
        ("pragmatic", "topsis"),
        ("conditional", "weighted-sum"),
        ("conditional", "topsis"),
    ]
    assert document["lenses"][0]["kendall_tau_b"] == 1.0
    assert all(len(o["ranks"]) == 4 and len(o["scores_by_lens"]) == 4 for o in document["options"])
    header = run(*args, "-f", "csv").stdout.splitlines()[0]
    assert header.endswith(
        ",rank_pragmatic_weighted-sum,rank_pragmatic_topsis,"
        "rank_conditional_weighted-sum,rank_conditional_topsis,vs_baseline,unknown"
    )
    table = run(*args).stdout
    assert "Kendall τ-b vs L1" in table
    assert "★ in the top 3 under every lens" in table


def test_all_three_methods_rank(run: Run) -> None:
    for method, unit in (
        ("weighted-sum", "points"),
        ("topsis", "closeness"),
        ("promethee", "net flow"),
    ):
        document = json.loads(run("rank", str(OPTIONS), "-m", method, "-f", "json").stdout)
        assert document["score_unit"] == unit
        if method == "topsis":
            assert all(o["contributions"] is None for o in document["options"])


def test_promethee_thresholds_compare_written_decimals(make_set: MakeSet, run: Run) -> None:
    """3.1 − 2.8 is 0.30000000000000027 in floats, above u-shape q = 0.3; as written it is
    exactly q, so the two options are indifferent on benefit and tie (issue 14)."""
    model = MODEL.replace(
        '[criteria.benefit]\nrole = "benefit"',
        '[criteria.benefit]\nrole = "benefit"\npreference = { function = "u-shape", q = 0.3 }',
    )
    assert model != MODEL
    root = make_set({"a.toml": option_toml("a", 3.1, 5, 5) + option_toml("b", 2.8, 5, 5)}, model)
    weights = ("-w", "benefit=1,feasibility=0,linkage=0")
    result = run("rank", str(root), "--method", "promethee", *weights, "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [(o["id"], o["rank"], o["score"]) for o in document["options"]] == [
        ("a", 1, 0.0),
        ("b", 1, 0.0),
    ]
    assert document["ties"] == [["a", "b"]]


def test_validate_ok_strict_and_json(make_set: MakeSet, run: Run) -> None:
    ok = run("validate", str(OPTIONS))
    assert ok.exit_code == 0
    assert ok.stderr.endswith("ok, 31 options (0 errors, 8 warnings)\n")
    # --strict fails on the shipped set by design (docs/decisions.md): on its eight unknown
    # scores and nothing else
    shipped = run("validate", str(OPTIONS), "--strict")
    assert shipped.exit_code == 1
    lines = shipped.stderr.splitlines()
    assert len(lines) == 9
    assert all("[unknown-score]" in line for line in lines[:-1])
    assert lines[-1].endswith("invalid (0 errors, 8 warnings)")
    root = make_set({"a.toml": option_toml("a", 5, 5, 5)})
    assert run("validate", str(root)).exit_code == 0
    strict = run("validate", str(root), "--strict")
    assert strict.exit_code == 1
    assert "warning: " in strict.stderr
    assert "[no-rationale]" in strict.stderr
    document = json.loads(run("validate", str(root), "--strict", "-f", "json").stdout)
    assert document["ok"] is False
    assert {d["code"] for d in document["diagnostics"]} == {
        "no-rationale",
        "no-sources",
        "no-range",
    }
    assert set(document["diagnostics"][0]) == {
        "severity",
        "file",
        "line",
        "column",
        "code",
        "path",
        "message",
        "hint",
    }


def test_validate_reports_errors_before_warnings(make_set: MakeSet, run: Run) -> None:
    root = make_set({"a.toml": option_toml("a", 5, 5, 5), "b.toml": option_toml("b", 50, 5, 5)})
    result = run("validate", str(root))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: ")
    assert all(not line.startswith("error") for line in lines[1:])


def test_model_formats(run: Run) -> None:
    table = run("model", str(OPTIONS)).stdout
    assert "pragmatic (default)" in table
    assert "linear (q=0.5, p=3)" in table
    document = json.loads(run("model", str(OPTIONS), "-f", "json").stdout)
    assert document["model"]["criteria"]["linkage"]["better"] == "lower"
    assert document["model"]["profiles"]["pragmatic"]["weights"]["benefit"] == 0.45
    toml_text = run("model", str(OPTIONS), "-f", "toml").stdout
    import tomllib

    assert tomllib.loads(toml_text)["default_profile"] == "pragmatic"


def test_model_toml_round_trips(tmp_path: Path, run: Run) -> None:
    """`model -f toml` is a model file that resolves to the same model."""
    path = tmp_path / "engage.toml"
    path.write_text(run("model", str(OPTIONS), "-f", "toml").stdout)
    again = run("model", str(OPTIONS), "--model", str(path), "-f", "json", "-q").stdout
    assert (
        json.loads(again)["model"]
        == json.loads(run("model", str(OPTIONS), "-f", "json").stdout)["model"]
    )


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.stdout == f"engage {__version__}\n"


def test_every_command_has_help_with_an_example(run: Run) -> None:
    from engage.cli import app

    names = [c.name for c in app.registered_commands]
    assert {"rank", "validate", "model"} <= set(names)
    for name in names:
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "engage " + name in result.stdout, f"{name} --help shows no example"


class _ClosedPipe(io.TextIOBase):
    """A stdout whose reader has gone: every write fails as a closed pipe does."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize("fmt", ["table", "json", "ndjson", "csv", "tsv", "markdown", "ids", "svg"])
def test_closed_pipe_exits_141_with_nothing_on_stderr(
    fmt: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/errors.md exit 141, checked in-process (some machines' pipes never report EPIPE)."""
    import sys

    from engage.cli import app

    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    with pytest.raises(SystemExit) as caught:
        app(["rank", str(OPTIONS), "-f", fmt], prog_name="engage")
    assert caught.value.code == 141
    assert capsys.readouterr().err == ""
