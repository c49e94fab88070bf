"""Building option tables from flags and spreadsheet rows, checking them, writing TOML."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.cli.base import flag
from engage.core.errors import EXIT_USAGE, Diagnostic, UsageError, worded
from engage.io import authoring
from engage.io.authoring import (
    Draft,
    FlagDocument,
    check_id,
    check_tables,
    clashes,
    draft_from_flags,
    merge_problems,
)
from engage.io.csvimport import options_from_sheet, read_sheet
from engage.io.loader import load, load_model
from engage.io.schema import ID_PATTERN
from engage.render.export import EXAMPLE_ID, EXAMPLE_OPTION, file_table, option_file_text, toml_text

MODEL = load_model([])[0]
HEADER = "id,title,track,benefit,feasibility,linkage"


def flags(option_id: str = "radio", **given: list[str] | str | None) -> Draft:
    base: dict[str, list[str] | str | None] = {
        "title": "Radio",
        "track": "rights",
        "summary": None,
        "tags": [],
        "scores": [],
        "ranges": [],
        "rationales": [],
        "sources": [],
    }
    return draft_from_flags(option_id, MODEL, **{**base, **given})  # type: ignore[arg-type]


# -- ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["../x", "a/b", "A", "", "-a", "a b", "x" * 65, ".hidden", "é"])
def test_an_id_that_is_not_a_slug_is_a_usage_error(bad: str) -> None:
    with pytest.raises(UsageError, match="is not an id"):
        check_id(bad)


@given(st.from_regex(ID_PATTERN, fullmatch=True))
@settings(derandomize=True, max_examples=50, deadline=None)
def test_a_valid_id_never_leaves_the_target_directory(option_id: str) -> None:
    directory = Path("/srv/set")
    assert (directory / f"{check_id(option_id)}.toml").resolve().parent == directory


# -- flags -------------------------------------------------------------------------------


def cli_words(missing: list[str]) -> list[str]:
    """What is missing as the command line names it (the draft names fields)."""
    return [worded(m, Draft.FIELDS, flag) for m in missing]


def test_flags_make_a_draft_with_numbers_ranges_and_several_sources() -> None:
    draft = flags(
        scores=["benefit=5", "feasibility=6,5"],
        ranges=["benefit=3:7"],
        rationales=["benefit=Reaches, many"],
        sources=["benefit=UNICEF, 2024", "benefit=WB"],
        tags=[" radio ", ""],
    )
    assert draft.values == {"benefit": 5, "feasibility": 6.5}
    assert draft.ranges == {"benefit": (3, 7)}
    assert draft.rationales == {"benefit": "Reaches, many"}
    assert draft.sources == {"benefit": ["UNICEF, 2024", "WB"]}
    assert draft.tags == ["radio"]
    assert cli_words(draft.missing(MODEL)) == ["--score linkage"]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"scores": ["benefit"]}, "--score: expected CRITERION=VALUE, got 'benefit'"),
        ({"scores": ["benefit=x"]}, "--score benefit: 'x' is not a number"),
        ({"scores": ["benefit=1", "benefit=2"]}, "--score: 'benefit' is given twice"),
        ({"ranges": ["benefit=3-7"]}, "--range benefit: expected LOW:HIGH, got '3-7'"),
        ({"rationales": ["benefit=a", "benefit=b"]}, "--rationale: 'benefit' is given twice"),
        ({"scores": ["benfit=1"]}, "unknown criterion 'benfit'"),
    ],
)
def test_a_malformed_flag_is_a_usage_error_naming_it(
    given: dict[str, list[str]], message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        flags(**given)  # type: ignore[arg-type]
    assert caught.value.worded(flag).message == message


def test_a_missing_title_track_and_scores_are_named_as_flags() -> None:
    assert cli_words(flags(title=None, track="").missing(MODEL)) == [
        "--title",
        "--track",
        "--score benefit",
        "--score feasibility",
        "--score linkage",
    ]


def test_the_model_rejects_flag_values_and_the_errors_name_the_flags() -> None:
    draft = flags(
        track="secrity",
        scores=["benefit=12", "feasibility=1", "linkage=1"],
        ranges=["linkage=2:3"],
    )
    doc = FlagDocument("set/radio.toml")
    _, errors, _ = check_tables([(doc, ("option", 0), file_table(draft.table(), MODEL))], MODEL)
    assert [d.worded(flag).format() for d in errors] == [
        "error: [unknown-track] --track: unknown track 'secrity' (tracks: security, economic, "
        "humanitarian, rights, political, other)\nhint: did you mean 'security'?",
        "error: [out-of-range] --score benefit: 12 is outside the scale [0, 10]",
        "error: [bad-range] --range linkage: needs low <= value <= high, got 2 <= 1 <= 3",
    ]
    assert authoring.FlagValueError(errors).exit_code == EXIT_USAGE


def test_a_complete_draft_passes_with_no_warnings() -> None:
    draft = flags(
        scores=["benefit=5", "feasibility=6", "linkage=3"],
        ranges=["benefit=4:6", "feasibility=6:6", "linkage=0:10"],
        rationales=[f"{c}=why" for c in MODEL.criterion_ids],
        sources=[f"{c}=where" for c in MODEL.criterion_ids],
        costs=["budget=5", "staff=0.5"],  # the model limits both: portfolio needs them
    )
    table = file_table(draft.table(), MODEL)
    options, errors, warnings = check_tables([(FlagDocument("x"), ("option", 0), table)], MODEL)
    assert (errors, warnings) == ([], [])
    assert options[0].scores["feasibility"].low == 6
    assert table["costs"] == {"budget": 5, "staff": 0.5}


# -- prompts' answers --------------------------------------------------------------------


def test_answers_are_checked_against_the_scale_and_the_tracks() -> None:
    benefit = MODEL.criterion("benefit")
    assert authoring.answer_number(" 6,5 ", benefit) == 6.5
    assert authoring.answer_range("", benefit, 5) is None
    assert authoring.answer_range("3:7", benefit, 5) == (3, 7)
    for text, message in [("12", "outside the scale"), ("", "needed"), ("x", "not a number")]:
        with pytest.raises(ValueError, match=message):
            authoring.answer_number(text, benefit)
    with pytest.raises(ValueError, match="needs LOW <= 5 <= HIGH"):
        authoring.answer_range("6:7", benefit, 5)
    with pytest.raises(ValueError, match="did you mean 'rights'"):
        authoring.answer_track("right", MODEL.tracks)
    assert authoring.answer_track("anything", None) == "anything"


def test_the_interview_asks_what_is_missing_in_order_and_again_after_a_bad_answer() -> None:
    draft = flags(title=None, track="rights", scores=["feasibility=7"], sources=["linkage=S"])
    answers = iter(
        ["Radio", "", "a, b", "12", "6,5", "5:8", "Why", "UN | WB", "", "", "", "2", "", "", ""]
    )
    asked: list[str] = []
    shown: list[str] = []

    def ask(question: str, check: Callable[[str], object]) -> object:
        while True:
            asked.append(question)
            try:
                return check(next(answers))
            except ValueError as exc:
                shown.append(str(exc))

    authoring.interview(draft, MODEL, ask, shown.append)
    assert asked == [
        "Title", "Summary (Enter to skip)", "Tags, separated by commas (Enter to skip)",
        "benefit value", "benefit value", "benefit range LOW:HIGH (Enter for none)",
        "benefit rationale (Enter for none)", "benefit sources, separated by ' | ' (Enter for none)",
        "feasibility range LOW:HIGH (Enter for none)", "feasibility rationale (Enter for none)",
        "feasibility sources, separated by ' | ' (Enter for none)",
        "linkage value", "linkage range LOW:HIGH (Enter for none)",
        "linkage rationale (Enter for none)",
    ]  # fmt: skip
    assert "12 is outside the scale [0, 10]" in shown
    assert "\nImmediate benefit [benefit]: scale 0 to 10, higher is better\n" in shown
    assert (draft.title, draft.summary, draft.tags) == ("Radio", None, ["a", "b"])
    assert draft.values == {"feasibility": 7, "benefit": 6.5, "linkage": 2}
    assert draft.ranges == {"benefit": (5, 8)}
    assert draft.sources == {"linkage": ["S"], "benefit": ["UN", "WB"], "feasibility": []}
    assert draft.missing(MODEL) == []


# -- file text ---------------------------------------------------------------------------


def test_file_table_orders_keys_and_writes_a_bare_value_short() -> None:
    raw = {
        "scores": {"linkage": {"value": 2}, "benefit": {"sources": ["s"], "value": 5, "low": 4}},
        "title": "T",
        "meta": {"k": "v"},
        "id": "a",
        "track": "rights",
    }
    table = file_table(raw, MODEL)
    assert list(table) == ["id", "title", "track", "scores", "meta"]
    assert table["scores"] == {"benefit": {"value": 5, "low": 4, "sources": ["s"]}, "linkage": 2}
    assert list(table["scores"]["benefit"]) == ["value", "low", "sources"]


def test_option_file_text_is_toml_with_a_schema_line_when_asked() -> None:
    table = {"id": "a", "title": "T", "track": "rights", "scores": {"benefit": 1}}
    text = option_file_text([table], schema_line=True)
    assert text.splitlines()[0] == "#:schema ./engage.schema.json"
    assert tomllib.loads(text) == {"schema_version": 1, "option": [table]}
    assert not option_file_text([table]).startswith("#")


def test_short_arrays_go_on_one_line_and_long_ones_stay_split() -> None:
    text = toml_text({"scale": [0, 10], "sources": ["x" * 60, "y" * 60]})
    assert "scale = [0, 10]\n" in text
    assert 'sources = [\n    "' in text


toml_values = st.recursive(
    st.one_of(st.integers(-5, 5), st.text(max_size=8), st.floats(allow_nan=False)),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=6,
)


@given(st.dictionaries(st.sampled_from(["a", "b", "c-d"]), toml_values, max_size=3))
@settings(derandomize=True, max_examples=80, deadline=None)
def test_joining_arrays_never_changes_what_the_toml_holds(data: dict[str, object]) -> None:
    """Even strings that look like array lines (``"\\n    1,\\n]"``) survive the compaction."""
    assert tomllib.loads(toml_text({"t": data, "s": ["\n    1,\n]"]})) == {
        "t": data,
        "s": ["\n    1,\n]"],
    }


def test_the_example_option_of_init_passes_validate_strict(tmp_path: Path) -> None:
    (tmp_path / "example.toml").write_text(EXAMPLE_OPTION, encoding="utf-8")
    option_set = load([str(tmp_path)], warnings=True)
    assert [o.id for o in option_set.options] == [EXAMPLE_ID]
    assert option_set.warnings == ()


# -- spreadsheet rows --------------------------------------------------------------------


def sheet_errors(text: str) -> list[str]:
    sheet = read_sheet(text, "s.csv", MODEL)
    doc, tables, problems = options_from_sheet(sheet)
    entries = [(doc, ("option", i), t) for i, t in enumerate(tables)]
    _, errors, _ = check_tables(entries, MODEL)
    found = merge_problems(problems, [*sheet.row_problems, *errors])
    return [d.format() for d in sorted(found, key=Diagnostic.sort_key)]


def test_rows_become_option_tables() -> None:
    sheet = read_sheet(
        HEADER + ",benefit_by,linkage_intrinsic,linkage_sources,tags,actors,meta.owner,summary\n"
        'a,T,rights,,5,"3,5","x=4 | y=6",1,"UN\nWB",w|x,"A | B",desk,\n',
        "s.csv",
        MODEL,
    )
    _, tables, problems = options_from_sheet(sheet)
    assert problems == []
    assert tables == [
        {
            "id": "a",
            "title": "T",
            "track": "rights",
            "scores": {
                "feasibility": {"value": 5},
                "linkage": {"value": 3.5, "intrinsic": 1, "sources": ["UN", "WB"]},
                "benefit": {"by": {"x": 4, "y": 6}},
            },
            "tags": ["w", "x"],
            "actors": ["A", "B"],
            "meta": {"owner": "desk"},
        }
    ]


def test_every_bad_cell_is_reported_once_where_it_is() -> None:
    errors = sheet_errors(
        HEADER + "\n"
        "ok-1,T,humanitarian,1,2,3\n"
        "bad-1,T,humanitrian,six,11,2\n"
        'Bad 2,,rights,1,"1,250",\n'
        'ok-1,"two\nlines",rights,1,1,1\n'
    )
    assert errors == [
        "error: s.csv:3:9: [unknown-track] row 3 column track: unknown track 'humanitrian' "
        "(tracks: security, economic, humanitarian, rights, political, other)\n"
        "hint: did you mean 'humanitarian'?",
        "error: s.csv:3:21: [wrong-type] row 3 column benefit: 'six' is not a number",
        "error: s.csv:3:25: [out-of-range] row 3 column feasibility: 11 is outside the scale "
        "[0, 10]",
        "error: s.csv:4:1: [bad-value] row 4 column id: 'Bad 2' is not an id: lowercase "
        "letters, digits and '-', starting with a letter or digit, at most 64 characters",
        "error: s.csv:4:7: [bad-value] row 4 column title: must not be empty",
        "error: s.csv:4:17: [wrong-type] row 4 column feasibility: '1,250' is ambiguous: "
        "write 1.250 or 1250",
        # row 4's empty linkage cell is an unknown score (docs/formats.md#unknown-scores)
        "error: s.csv:5:1: [duplicate-id] row 5 column id: id 'ok-1' is also used at s.csv:2",
    ]


def test_a_bad_assessor_cell_is_one_error() -> None:
    errors = sheet_errors(HEADER + ",benefit_by\na,T,rights,,1,1,x=one\n")
    assert errors == [
        "error: s.csv:2:17: [wrong-type] row 2 column benefit_by: assessor 'x': 'one' is not a "
        "number"
    ]


def test_clashes_with_the_set_name_the_file_and_spare_the_replaced_one() -> None:
    sheet = read_sheet(HEADER + "\na,T,r,1,1,1\nb,T,r,1,1,1\nengage,T,r,1,1,1\n", "s.csv", MODEL)
    doc, tables, _ = options_from_sheet(sheet)
    existing = {"a": "set/a.toml", "b": "set/other.toml"}
    found = clashes(doc, tables, existing, Path("set"), None)
    assert [d.format() for d in found] == [
        "error: s.csv:3:1: [duplicate-id] row 3 column id: id 'b' is already used in "
        "set/other.toml",
        "error: s.csv:4:1: [bad-value] row 4 column id: id 'engage' would be written to "
        "engage.toml, the model's file",
    ]


def test_merging_keeps_one_error_per_cell_and_drops_follow_ups() -> None:
    unreadable = Diagnostic("error", "wrong-type", "a", "f", 2, 5, "row 2 column benefit_by")
    again = Diagnostic("error", "wrong-type", "b", "f", 2, 5, "row 2 column benefit_by")
    follow_up = Diagnostic("error", "missing-score", "c", "f", 2, 3, "row 2 column benefit")
    other_row = Diagnostic("error", "missing-score", "d", "f", 3, 3, "row 3 column benefit")
    other = Diagnostic("error", "out-of-range", "e", "f", 2, 9, "row 2 column linkage")
    merged = merge_problems([unreadable], [again, follow_up, other_row, other])
    assert merged == [unreadable, other_row, other]
