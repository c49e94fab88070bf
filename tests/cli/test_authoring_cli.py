"""`init`, `new`, `import`, `export` and `schema` through the CLI; writing never half-done."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage.core.model import Option
from engage.io.loader import default_model_text, load
from tests.conftest import MODEL, OPTIONS, Run, option_toml

MakeSet = Callable[..., Path]
HEADER = "id,title,track,benefit,feasibility,linkage"
FULL = [
    "--score=benefit=5",
    "--score=feasibility=6",
    "--score=linkage=3",
    "--range=benefit=3:7",
    "--range=feasibility=6:6",
    "--range=linkage=1:4",
    *(f"--rationale={c}=Because of {c}." for c in ("benefit", "feasibility", "linkage")),
    *(f"--source={c}=Report on {c}, 2024" for c in ("benefit", "feasibility", "linkage")),
]
# What a spreadsheet saves: a BOM, CRLF, quoted commas, a line break inside a cell, a
# decimal comma in quotes, "" for a quote, spaces around cells.
SPREADSHEET = (
    "\ufeffid,title,track,benefit,feasibility,linkage,benefit_low,benefit_high,"
    "benefit_rationale,benefit_sources,tags,summary\r\n"
    'water-a,"Water, sanitation and hygiene",humanitarian,6,"5,5",2,4,7,'
    '"Reaches 2 million people,\r\nmostly in the west","UN OCHA, 2024\r\nWorld Bank, 2023",'
    ' "wash, water" ,"A ""quoted"" word"\r\n'
    "rail-b, Rail link ,economic,3,4,6,,,,,,\r\n"
)


def files_in(directory: Path) -> dict[str, str]:
    """Every file below ``directory`` (temporary files included) with its text."""
    return {
        str(p.relative_to(directory)): p.read_text(encoding="utf-8")
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def without_place(options: tuple[Option, ...]) -> list[Option]:
    return [dataclasses.replace(o, file="-", line=None) for o in options]


# -- init ----------------------------------------------------------------------------------


def test_init_writes_the_default_model_and_an_example_that_ranks(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert sorted(files_in(tmp_path / "options")) == ["engage.toml", "example-option.toml"]
    assert (tmp_path / "options" / "engage.toml").read_text() == default_model_text()
    assert run("validate", "--strict").exit_code == 0
    assert run("rank", "-f", "ids").stdout == "example-option\n"


def test_init_refuses_when_either_file_exists_and_writes_nothing(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "set"
    target.mkdir()
    (target / "example-option.toml").write_text("mine", encoding="utf-8")
    result = run("init", str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {target}/example-option.toml already exists; engage init writes nothing in "
        "a set that has begun\n"
    )
    assert files_in(target) == {"example-option.toml": "mine"}


# -- new -----------------------------------------------------------------------------------


def test_new_from_flags_writes_a_file_that_passes_validate_strict(
    run: Run, make_set: MakeSet
) -> None:
    root = make_set({"a.toml": option_toml("a", 5, 5, 5)})
    result = run(
        "new", "radio", "--set", str(root), "--title", "Girls' lessons by radio",
        "--track", "humanitarian", "--tag", "education", "--summary", "By radio.", *FULL,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"note: wrote {root}/radio.toml\n"
    data = tomllib.loads((root / "radio.toml").read_text(encoding="utf-8"))
    assert data["option"][0]["scores"]["benefit"] == {
        "value": 5,
        "low": 3,
        "high": 7,
        "rationale": "Because of benefit.",
        "sources": ["Report on benefit, 2024"],
    }
    (root / "a.toml").unlink()
    check = run("validate", "--strict", str(root))
    assert check.exit_code == 0, check.stderr


def test_new_writes_bare_scores_short_and_says_what_strict_would_want(
    run: Run, make_set: MakeSet
) -> None:
    root = make_set({})
    result = run(
        "new", "b", "-s", str(root), "--title", "B", "--track", "economic",
        "--score", "benefit=5", "--score", "feasibility=6,5", "--score", "linkage=0",
    )  # fmt: skip
    assert result.exit_code == 0
    assert (root / "b.toml").read_text(encoding="utf-8") == (
        'schema_version = 1\n\n[[option]]\nid = "b"\ntitle = "B"\ntrack = "economic"\n\n'
        "[option.scores]\nbenefit = 5\nfeasibility = 6.5\nlinkage = 0\n"
    )
    assert result.stderr.splitlines()[1] == (
        "note: validate --strict wants a rationale, source and range for: "
        "benefit, feasibility, linkage"
    )


def test_new_without_a_terminal_names_what_is_missing(run: Run, make_set: MakeSet) -> None:
    root = make_set({})
    result = run("new", "c", "--set", str(root), "--title", "C", "--score", "linkage=1")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "error: missing --track, --score benefit, --score feasibility (stdin is not a "
        "terminal, so engage cannot ask)"
    )
    assert files_in(root) == {"engage.toml": MODEL}


def test_new_checks_against_the_model_before_writing(run: Run, make_set: MakeSet) -> None:
    root = make_set({})
    result = run(
        "new", "d", "--set", str(root), "--title", "D", "--track", "securty",
        "--score", "benefit=11", "--score", "feasibility=2", "--score", "linkage=3",
        "--range", "feasibility=3:4",
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        "error: [unknown-track] --track: unknown track 'securty' (tracks: security, economic, "
        "humanitarian)\nhint: did you mean 'security'?\n"
        "error: [out-of-range] --score benefit: 11 is outside the scale [0, 10]\n"
        "error: [bad-range] --range feasibility: needs low <= value <= high, got 3 <= 2 <= 4\n"
    )
    assert files_in(root) == {"engage.toml": MODEL}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["../escape"], 2, "error: '../escape' is not an id"),
        (["Big"], 2, "error: 'Big' is not an id"),
        (["engage"], 2, "error: id 'engage' would be written to engage.toml"),
        (["x", "--score", "benfit=1"], 2, "error: unknown criterion 'benfit'"),
        (["a"], 1, "exists; engage does not overwrite it (use --force)"),
        (["a-dup"], 1, "error: id 'a-dup' is already used in"),
    ],
)
def test_new_refuses_bad_ids_names_and_existing_files(
    run: Run, make_set: MakeSet, args: list[str], code: int, message: str
) -> None:
    root = make_set({"a.toml": option_toml("a", 5, 5, 5), "b.toml": option_toml("a-dup", 1, 1, 1)})
    before = files_in(root.parent)
    result = run("new", *args, "--set", str(root), "--title", "T", "--track", "security")
    assert result.exit_code == code
    assert message in result.stderr
    assert files_in(root.parent) == before


def test_new_force_replaces_the_options_own_file(run: Run, make_set: MakeSet) -> None:
    root = make_set({"a.toml": option_toml("a", 5, 5, 5)})
    args = ["new", "a", "--set", str(root), "--title", "New A", "--track", "security", *FULL]
    assert run(*args).exit_code == 1
    assert run(*args, "--force").exit_code == 0
    assert load([str(root)]).options[0].title == "New A"


def test_new_uses_engage_set_and_writes_a_schema_line_when_the_set_has_a_schema(
    run: Run, make_set: MakeSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_set({})
    assert run("schema", "--set", str(root), "-o", str(root / "engage.schema.json")).exit_code == 0
    monkeypatch.setenv("ENGAGE_SET", str(root))
    result = run("new", "e", "--title", "E", "--track", "security", *FULL)
    assert result.exit_code == 0, result.stderr
    text = (root / "e.toml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "#:schema ./engage.schema.json"
    schema = json.loads((root / "engage.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(tomllib.loads(text), schema)


# -- import --------------------------------------------------------------------------------


def test_import_reads_a_spreadsheet_export_and_the_set_ranks(run: Run, make_set: MakeSet) -> None:
    root = make_set({})
    (root.parent / "sheet.csv").write_bytes(SPREADSHEET.encode("utf-8"))
    result = run("import", str(root.parent / "sheet.csv"), "--set", str(root))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == f"note: imported 2 options into 2 files in {root}"
    water = load([str(root)]).options[1]
    assert water.title == "Water, sanitation and hygiene"
    assert water.summary == 'A "quoted" word'
    assert water.tags == ("wash", "water")
    assert water.scores["feasibility"].value == 5.5
    assert water.scores["benefit"].rationale == "Reaches 2 million people,\nmostly in the west"
    assert water.scores["benefit"].sources == ("UN OCHA, 2024", "World Bank, 2023")
    assert (water.scores["benefit"].low, water.scores["benefit"].high) == (4, 7)
    assert load([str(root)]).options[0].title == "Rail link"
    assert run("rank", str(root), "-f", "ids").stdout == "water-a\nrail-b\n"


def test_a_bad_row_writes_nothing_and_every_error_names_row_and_column(
    run: Run, make_set: MakeSet
) -> None:
    root = make_set({})
    sheet = root.parent / "bad.csv"
    sheet.write_text(
        HEADER + '\ngood,Good,security,1,2,3\nbad,"Two\nlines",secrity,six,11,2\n',
        encoding="utf-8",
    )
    result = run("import", str(sheet), "--set", str(root))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {sheet}:4:8: [unknown-track] row 3 column track: unknown track 'secrity' "
        "(tracks: security, economic, humanitarian)\nhint: did you mean 'security'?\n"
        f"error: {sheet}:4:16: [wrong-type] row 3 column benefit: 'six' is not a number\n"
        f"error: {sheet}:4:20: [out-of-range] row 3 column feasibility: 11 is outside the "
        "scale [0, 10]\n"
    )
    assert files_in(root) == {"engage.toml": MODEL}


def test_unknown_columns_get_a_hint(run: Run, make_set: MakeSet) -> None:
    root = make_set({})
    result = run("import", "-", "--set", str(root), input=HEADER + ",benefit_rationle\n")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: <stdin>:1:44: [unknown-column] row 1 column benefit_rationle: unknown column "
        "'benefit_rationle'\nhint: did you mean 'benefit_rationale'?\n"
    )


def test_import_single_file_from_stdin_and_force(run: Run, make_set: MakeSet) -> None:
    root = make_set({})
    target = root / "all.toml"
    text = HEADER + "\na,A,security,1,2,3\nb,B,economic,4,5,6\n"
    assert run("import", "-", "--single", str(target), input=text).exit_code == 0
    assert [o.id for o in load([str(root)]).options] == ["a", "b"]
    again = run("import", "-", "--single", str(target), input=text.replace("A,", "AA,"))
    assert again.exit_code == 1
    assert (
        run(
            "import", "-", "--single", str(target), "--force", input=text.replace("A,", "AA,")
        ).exit_code
        == 0
    )
    assert load([str(root)]).options[0].title == "AA"


def test_import_refuses_an_id_another_file_uses(run: Run, make_set: MakeSet) -> None:
    root = make_set({"mine.toml": option_toml("a", 5, 5, 5)})
    result = run(
        "import", "-", "--set", str(root), "--force", input=HEADER + "\na,A,security,1,2,3\n"
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: <stdin>:2:1: [duplicate-id] row 2 column id: id 'a' is already used in "
        f"{root}/mine.toml\n"
    )
    assert sorted(files_in(root)) == ["engage.toml", "mine.toml"]


def test_import_rejects_text_that_is_not_utf8(run: Run, make_set: MakeSet) -> None:
    root = make_set({})
    result = run(
        "import",
        "-",
        "--set",
        str(root),
        input=(HEADER + "\nx,Caf\xe9,a,1,1,1\n").encode("latin-1"),
    )
    assert result.exit_code == 1
    assert "not UTF-8 text" in result.stderr
    assert "save the sheet as 'CSV UTF-8'" in result.stderr


# -- writing fails half-way ----------------------------------------------------------------


def failing_on_second(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    real = getattr(os, name)
    calls = {"n": 0}

    def fail(*args: object) -> object:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real(*args)

    monkeypatch.setattr(os, name, fail)


def two_existing(make_set: MakeSet) -> Path:
    return make_set({"a.toml": option_toml("a", 1, 1, 1), "b.toml": option_toml("b", 2, 2, 2)})


def test_a_failing_disk_leaves_every_file_as_it_was(
    run: Run, make_set: MakeSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fsync fails on the second file: both old files are untouched, no temp file is left."""
    root = two_existing(make_set)
    before = files_in(root)
    failing_on_second(monkeypatch, "fsync")
    text = HEADER + "\na,A,security,9,9,9\nb,B,security,9,9,9\n"
    result = run("import", "-", "--set", str(root), "--force", input=text)
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert files_in(root) == before


def test_a_failing_rename_leaves_every_file_as_it_was(
    run: Run, make_set: MakeSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = two_existing(make_set)
    before = files_in(root)
    failing_on_second(monkeypatch, "replace")
    text = HEADER + "\na,A,security,9,9,9\nb,B,security,9,9,9\n"
    result = run("import", "-", "--set", str(root), "--force", input=text)
    assert result.exit_code == 1
    assert files_in(root) == before


# -- export and schema ---------------------------------------------------------------------


def test_export_json_is_one_document_that_rank_reads_back(run: Run, tmp_path: Path) -> None:
    result = run("export", str(OPTIONS), "-f", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert list(document) == ["engage", "command", "model", "options"]
    assert (document["engage"], document["command"]) == (1, "export")
    first = document["options"][0]["scores"]["feasibility"]
    assert set(first) >= {"value", "low", "high", "rationale", "sources"}
    original = run("rank", str(OPTIONS), "-f", "json").stdout
    assert run("rank", "-", "-f", "json", input=result.stdout).stdout == original


def test_export_toml_alone_ranks_like_the_set(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "all.toml"
    assert run("export", str(OPTIONS), "-o", str(target)).exit_code == 0
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    assert list(data) == ["schema_version", "model", "option"]
    assert len(data["option"]) == len(load([str(OPTIONS)]).options)
    for profile in ("pragmatic", "standalone"):
        for method in ("weighted-sum", "topsis", "promethee"):
            lens = ["-p", profile, "-m", method, "-f", "json"]
            assert run("rank", str(target), *lens).stdout == run("rank", str(OPTIONS), *lens).stdout


def test_export_csv_then_import_gives_the_same_options(run: Run, tmp_path: Path) -> None:
    sheet = tmp_path / "options.csv"
    assert run("export", str(OPTIONS), "-f", "csv", "-o", str(sheet)).exit_code == 0
    target = tmp_path / "again"
    target.mkdir()
    shutil.copy(OPTIONS / "engage.toml", target / "engage.toml")
    result = run("import", str(sheet), "--set", str(target))
    assert result.exit_code == 0, result.stderr
    original = load([str(OPTIONS)]).options
    assert without_place(load([str(target)]).options) == without_place(
        tuple(sorted(original, key=lambda o: o.id))
    )


def test_export_refuses_other_formats(run: Run) -> None:
    result = run("export", str(OPTIONS), "-f", "table")
    assert result.exit_code == 2
    assert result.stderr == "error: export does not write 'table'\nhint: formats: toml, json, csv\n"


def test_schema_output_validates_every_shipped_option_file(run: Run) -> None:
    result = run("schema", "--set", str(OPTIONS))
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in sorted(OPTIONS.glob("*.toml")):
        if path.name != "engage.toml":
            jsonschema.validate(tomllib.loads(path.read_text(encoding="utf-8")), schema)
    model = json.loads(run("schema", "model", "--set", str(OPTIONS)).stdout)
    jsonschema.validate(tomllib.loads((OPTIONS / "engage.toml").read_text()), model)


def test_schema_of_an_unknown_kind_is_a_usage_error(run: Run) -> None:
    result = run("schema", "options", "--set", str(OPTIONS))
    assert result.exit_code == 2
    assert result.stderr == "error: unknown schema 'options'\nhint: did you mean 'option'?\n"


# -- the whole walk ------------------------------------------------------------------------


def test_from_an_empty_directory_init_new_import_rank(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init").exit_code == 0
    new = run(
        "new", "girls-radio", "--title", "Girls' lessons by radio", "--track", "rights", *FULL
    )
    assert new.exit_code == 0, new.stderr
    (tmp_path / "sheet.csv").write_bytes(SPREADSHEET.encode("utf-8"))
    assert run("import", "sheet.csv").exit_code == 0
    ranked = run("rank", "-f", "ids")
    assert ranked.exit_code == 0
    assert sorted(ranked.stdout.split()) == ["example-option", "girls-radio", "rail-b", "water-a"]
    assert run("validate").exit_code == 0


# -- prompts on a terminal -----------------------------------------------------------------


class Terminal:
    """A child process whose stdin and stderr are a pseudo-terminal; stdout is a pipe."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.master, slave = pty.openpty()
        env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb"}
        env.pop("ENGAGE_SET", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "engage", *args],
            stdin=slave,
            stdout=subprocess.PIPE,
            stderr=slave,
            cwd=cwd,
            env=env,
        )
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 30) -> str:
        """Read the terminal until ``text`` appears; return what came before it."""
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            ready, _, _ = select.select([self.master], [], [], max(0, deadline - time.monotonic()))
            if not ready:
                raise AssertionError(f"no {text!r} on the terminal; it showed:\n{self.seen}")
            try:
                chunk = os.read(self.master, 4096).decode("utf-8", "replace")
            except OSError:  # the child closed the terminal
                raise AssertionError(f"no {text!r}; the terminal showed:\n{self.seen}") from None
            self.seen += chunk.replace("\r\n", "\n")
        before, _, self.seen = self.seen.partition(text)
        return before

    def answer(self, prompt: str, reply: str) -> str:
        before = self.expect(prompt)
        os.write(self.master, reply.encode() + b"\r")
        return before

    def finish(self) -> tuple[int, str]:
        stdout, _ = self.process.communicate(timeout=30)
        os.close(self.master)
        return self.process.returncode, stdout.decode()


def test_new_asks_on_a_terminal_criterion_by_criterion(tmp_path: Path) -> None:
    """Prompts (on stderr) show each scale, re-ask after a bad answer, and the file is right."""
    term = Terminal(["new", "radio", "--set", "set", "--score", "linkage=2"], tmp_path)
    term.answer("Title: ", "Girls' lessons by radio")
    term.answer("Track (security, economic, humanitarian, rights, political, other): ", "rights")
    term.answer("Summary (Enter to skip): ", "")
    term.answer("Tags, separated by commas (Enter to skip): ", "education, radio")
    shown = term.answer("benefit value: ", "12")
    assert "Immediate benefit [benefit]: scale 0 to 10, higher is better" in shown
    assert "Tangible benefit to the Afghan population" in shown
    assert "12 is outside the scale [0, 10]" in term.answer("benefit value: ", "6,5")
    term.answer("benefit range LOW:HIGH (Enter for none): ", "5:8")
    term.answer("benefit rationale (Enter for none): ", "Reaches girls at home.")
    term.answer("benefit sources, separated by ' | ' (Enter for none): ", "UNICEF, 2024 | BBC")
    term.answer("feasibility value: ", "7")
    for question in ("range LOW:HIGH", "rationale", "sources, separated by ' | '"):
        term.answer(f"feasibility {question} (Enter for none): ", "")
    shown = term.answer("linkage range LOW:HIGH (Enter for none): ", "1:3")
    assert "lower is better" in shown
    assert "linkage value" not in shown  # given by --score
    term.answer("linkage rationale (Enter for none): ", "")
    term.answer("linkage sources, separated by ' | ' (Enter for none): ", "")
    code, stdout = term.finish()
    assert (code, stdout) == (0, "")
    assert tomllib.loads((tmp_path / "set" / "radio.toml").read_text(encoding="utf-8")) == {
        "schema_version": 1,
        "option": [
            {
                "id": "radio",
                "title": "Girls' lessons by radio",
                "track": "rights",
                "tags": ["education", "radio"],
                "scores": {
                    "benefit": {
                        "value": 6.5,
                        "low": 5,
                        "high": 8,
                        "rationale": "Reaches girls at home.",
                        "sources": ["UNICEF, 2024", "BBC"],
                    },
                    "feasibility": 7,
                    "linkage": {"value": 2, "low": 1, "high": 3},
                },
            }
        ],
    }


# -- round trips over generated sets -------------------------------------------------------

NAMES = ("benefit", "feasibility", "linkage", "cost", "reach")
WORDS = (
    st.text(
        st.characters(codec="utf-8", categories=("L", "N", "P", "Zs"), exclude_characters="\r"),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)
SEPARATED = WORDS.filter(lambda w: not any(c in w for c in ",|\n"))


@st.composite
def models(draw: st.DrawFn) -> dict[str, object]:
    """1 to 5 criteria with their scales and directions; tracks, profiles, screens, a method."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True))
    criteria: dict[str, dict[str, object]] = {}
    for name in names:
        lo = draw(st.sampled_from([0, -5, 1, 0.5]))
        criterion: dict[str, object] = {
            "better": draw(st.sampled_from(["higher", "lower"])),
            "scale": [lo, lo + draw(st.sampled_from([1, 5, 10, 100]))],
        }
        if name == "linkage":
            criterion["role"] = "linkage"
        criteria[name] = criterion
    model: dict[str, object] = {"title": "Generated", "criteria": criteria}
    if draw(st.booleans()):
        model["tracks"] = ["north", "south"]
    weights = st.lists(st.sampled_from([0, 0.25, 1, 3]), min_size=len(names), max_size=len(names))
    profiles = {}
    for name in draw(st.lists(st.sampled_from(["main", "alt"]), max_size=2, unique=True)):
        drawn = draw(weights.filter(any))
        profiles[name] = {"weights": dict(zip(names, drawn, strict=True))}
    model["profiles"] = profiles
    model["default_method"] = draw(st.sampled_from(["weighted-sum", "topsis", "promethee"]))
    if draw(st.booleans()):
        first = criteria[names[0]]["scale"]
        model["screen"] = {"max": {names[0]: first[1] - (first[1] - first[0]) / 10}}  # type: ignore[index]
    return model


def in_scale(lo: float, hi: float) -> st.SearchStrategy[float]:
    floats = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    if math.ceil(lo) > math.floor(hi):
        return floats
    return st.one_of(st.integers(math.ceil(lo), math.floor(hi)), floats)


@st.composite
def scores(draw: st.DrawFn, name: str, criterion: dict[str, object]) -> object:
    """A score in the short form, the long form (range, rationale, sources) or by assessors."""
    lo, hi = criterion["scale"]  # type: ignore[misc]
    value = draw(in_scale(lo, hi))
    form = draw(st.sampled_from(["short", "long", "by"]))
    if form == "short":
        return value
    score: dict[str, object] = {}
    if form == "by":
        names = draw(
            st.lists(st.sampled_from(["a", "b-c", "d"]), min_size=1, max_size=3, unique=True)
        )
        score["by"] = {n: draw(in_scale(lo, hi)) for n in names}
    else:
        score["value"] = value
        if draw(st.booleans()):
            score["low"] = draw(in_scale(lo, value))
            score["high"] = draw(in_scale(value, hi))
        if name == "linkage" and draw(st.booleans()):
            score["intrinsic"] = draw(in_scale(lo, value))
    if draw(st.booleans()):
        score["rationale"] = draw(WORDS)
    sources = draw(
        st.lists(st.one_of(WORDS, st.just("A | B")).filter(lambda s: "\n" not in s), max_size=2)
    )
    if sources:
        score["sources"] = sources
    return score


@st.composite
def option_sets(draw: st.DrawFn) -> tuple[dict[str, object], list[dict[str, object]]]:
    model = draw(models())
    tracks = model.get("tracks", ["north", "east-2"])
    criteria = model["criteria"]
    options = []
    for k in range(draw(st.integers(1, 6))):
        option: dict[str, object] = {
            "id": f"o{k}",
            "title": draw(WORDS),
            "track": draw(st.sampled_from(tracks)),  # type: ignore[arg-type]
            "scores": {n: draw(scores(n, c)) for n, c in criteria.items()},  # type: ignore[attr-defined]
        }
        if draw(st.booleans()):
            option["summary"] = draw(WORDS)
        if draw(st.booleans()):
            option["tags"] = draw(st.lists(SEPARATED, min_size=1, max_size=2))
        if draw(st.booleans()):
            option["actors"] = draw(
                st.lists(WORDS.filter(lambda w: "\n" not in w), min_size=1, max_size=2)
            )
        if draw(st.booleans()):
            option["meta"] = {"owner": draw(WORDS)}
        options.append(option)
    return model, options


def write_set(root: Path, model: dict[str, object], options: list[dict[str, object]]) -> Path:
    """The model as engage.toml and the options split over two files."""
    root.mkdir()
    (root / "engage.toml").write_text(tomli_w.dumps(model), encoding="utf-8")
    half = (len(options) + 1) // 2
    for name, part in (("a.toml", options[:half]), ("b.toml", options[half:])):
        if part:
            (root / name).write_text(tomli_w.dumps({"option": part}), encoding="utf-8")
    return root


ROUND_TRIP = settings(
    derandomize=True,
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@given(option_sets())
@ROUND_TRIP
def test_exported_toml_and_json_rank_exactly_like_the_set(
    run: Run, generated: tuple[dict[str, object], list[dict[str, object]]]
) -> None:
    """`export -f toml|json` then `rank` on that one file: the same `rank -f json` bytes."""
    model, options = generated
    with tempfile.TemporaryDirectory() as tmp:
        root = write_set(Path(tmp) / "set", model, options)
        original = run("rank", str(root), "-f", "json")
        assert original.exit_code == 0, original.stderr
        for fmt in ("toml", "json"):
            exported = Path(tmp) / f"all.{fmt}"
            assert run("export", str(root), "-f", fmt, "-o", str(exported)).exit_code == 0
            again = run("rank", str(exported), "-f", "json")
            assert again.exit_code == 0, again.stderr
            assert again.stdout == original.stdout


@given(option_sets())
@ROUND_TRIP
def test_import_of_the_exported_csv_gives_the_same_options(
    run: Run, generated: tuple[dict[str, object], list[dict[str, object]]]
) -> None:
    model, options = generated
    with tempfile.TemporaryDirectory() as tmp:
        root = write_set(Path(tmp) / "set", model, options)
        sheet = Path(tmp) / "sheet.csv"
        assert run("export", str(root), "-f", "csv", "-o", str(sheet)).exit_code == 0
        target = Path(tmp) / "again"
        target.mkdir()
        shutil.copy(root / "engage.toml", target / "engage.toml")
        result = run("import", str(sheet), "--set", str(target))
        assert result.exit_code == 0, result.stderr
        by_id = sorted(load([str(root)]).options, key=lambda o: o.id)
        assert without_place(load([str(target)]).options) == without_place(tuple(by_id))


def test_export_csv_refuses_a_tag_the_import_would_split(run: Run, make_set: MakeSet) -> None:
    root = make_set({"a.toml": option_toml("a", 1, 1, 1, tags='["wash, water"]')})
    result = run("export", str(root), "-f", "csv")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: a: tags item 'wash, water' holds a separator the CSV import splits on\n"
        "hint: export -f toml or -f json keeps it\n"
    )


def test_export_json_writes_toml_dates_as_iso_strings(run: Run, make_set: MakeSet) -> None:
    root = make_set({"a.toml": option_toml("a", 1, 1, 1) + "[option.meta]\nas_of = 2024-05-01\n"})
    document = json.loads(run("export", str(root), "-f", "json").stdout)
    assert document["options"][0]["meta"] == {"as_of": "2024-05-01"}
    toml = tomllib.loads(run("export", str(root)).stdout)
    assert str(toml["option"][0]["meta"]["as_of"]) == "2024-05-01"


def test_import_single_checks_ids_across_the_whole_set(run: Run, make_set: MakeSet) -> None:
    """--single DIR/all.toml must not reuse an id another file of DIR already has."""
    root = make_set({"a.toml": option_toml("a", 1, 1, 1)})
    result = run(
        "import", "-", "--single", str(root / "all.toml"), input=HEADER + "\na,A,security,9,9,9\n"
    )
    assert result.exit_code == 1
    assert "[duplicate-id]" in result.stderr
    assert not (root / "all.toml").exists()
