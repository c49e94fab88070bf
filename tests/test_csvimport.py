"""Reading spreadsheet CSV: cells with positions, numbers, lists, the header against the model."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engage.io.columns import Column, column_name, field_of
from engage.io.csvimport import parse_number, read_sheet, split_assessors, split_list, split_tags
from engage.io.csvtext import CsvSyntaxError, detect_delimiter, tokenize
from engage.io.loader import load_model

MODEL = load_model([])[0]  # the built-in model: benefit, feasibility, linkage


def texts(records: list) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in records]


# -- the tokenizer -----------------------------------------------------------------------


def test_quoted_commas_line_breaks_and_doubled_quotes_are_one_cell_each() -> None:
    records = tokenize('id,title\na,"Water, sanitation"\nb,"two\nlines ""quoted"""\n')
    assert texts(records) == [
        ["id", "title"],
        ["a", "Water, sanitation"],
        ["b", 'two\nlines "quoted"'],
    ]


def test_bom_crlf_and_surrounding_spaces_are_dropped() -> None:
    records = tokenize('\ufeffid , title\r\n a ,  "b, c"  \r\n')
    assert texts(records) == [["id", "title"], ["a", "b, c"]]


def test_crlf_inside_a_quoted_cell_becomes_a_line_feed() -> None:
    assert texts(tokenize('x\r\n"one\r\ntwo"\r\n'))[1] == ["one\ntwo"]


def test_each_cell_knows_its_physical_line_and_column() -> None:
    records = tokenize('id,title,track\na,"multi\nline",rights\n')
    row = records[1]
    assert (row.number, row.line) == (2, 2)
    assert [(c.line, c.column) for c in row.cells] == [(2, 1), (2, 3), (3, 7)]


def test_row_numbers_count_blank_rows_like_the_spreadsheet() -> None:
    records = tokenize("id\na\n,\nb\n")
    assert [(r.number, r.line, r.blank) for r in records] == [
        (1, 1, False),
        (2, 2, False),
        (3, 3, True),
        (4, 4, False),
    ]


def test_an_unclosed_quote_is_reported_where_it_opens() -> None:
    with pytest.raises(CsvSyntaxError) as caught:
        tokenize('id,title\na,"never closed\n')
    assert (caught.value.line, caught.value.column) == (2, 3)
    assert caught.value.message == "a quoted cell is not closed"


def test_text_after_a_closing_quote_is_an_error() -> None:
    with pytest.raises(CsvSyntaxError, match="after the closing quote"):
        tokenize('a,"b"c\n')


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [("id,title", ","), ("id;title;track", ";"), ("id\ttitle", "\t"), ("id", ",")],
)
def test_the_delimiter_is_the_one_the_header_uses(header: str, delimiter: str) -> None:
    assert detect_delimiter(header + "\nx") == delimiter


def test_semicolon_sheets_keep_their_decimal_commas_in_cells() -> None:
    assert texts(tokenize("id;benefit\na;6,5\n")) == [["id", "benefit"], ["a", "6,5"]]


cell_text = st.text(st.characters(codec="utf-8", exclude_characters="\r\x00"), max_size=12)


@given(st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=5))
@settings(derandomize=True, max_examples=60, deadline=None)
def test_reads_back_what_the_csv_module_writes(rows: list[list[str]]) -> None:
    """Whatever Python's csv writer (as spreadsheets do) produces, the tokenizer reads back."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([["h1", "h2", "h3"], *rows])
    got = texts(tokenize(out.getvalue(), ","))
    expected = [["h1", "h2", "h3"]] + [[c.strip(" \t") for c in r] for r in rows]
    assert got == expected


# -- cell values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [("6", 6), (" 6 ", 6), ("6.5", 6.5), ("6,5", 6.5), ("-2", -2), ("1e3", 1000.0), (".5", 0.5)],
)
def test_numbers_as_spreadsheets_write_them(text: str, number: float) -> None:
    got = parse_number(text)
    assert got == number
    assert type(got) is type(number)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("six", "'six' is not a number"),
        ("nan", "'nan' is not a number"),
        ("inf", "'inf' is not a number"),
        ("1_000", "'1_000' is not a number"),
        ("1,250", "'1,250' is ambiguous: write 1.250 or 1250"),
        ("6.5.1", "'6.5.1' is not a number"),
    ],
)
def test_what_is_not_a_number_says_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace(".", r"\.") + "$"):
        parse_number(text)


def test_tags_split_on_commas_bars_and_line_breaks() -> None:
    assert split_tags(" wash, water |health\nwomen ,, ") == ["wash", "water", "health", "women"]


def test_sources_split_on_line_breaks_first_else_on_spaced_bars() -> None:
    assert split_list("UN, 2024 | WB, 2023") == ["UN, 2024", "WB, 2023"]
    assert split_list("UN | 2024\nWB\n") == ["UN | 2024", "WB"]
    assert split_list("a|b") == ["a|b"]


def test_assessors_are_name_equals_value() -> None:
    assert split_assessors("analyst-a=5 | analyst-b = 3;c=6,5") == {
        "analyst-a": "5",
        "analyst-b": "3",
        "c": "6,5",
    }
    with pytest.raises(ValueError, match="expected NAME=NUMBER"):
        split_assessors("analyst-a 5")
    with pytest.raises(ValueError, match="given twice"):
        split_assessors("a=1|a=2")


# -- the header and the sheet ------------------------------------------------------------


def test_header_names_are_matched_without_case_and_meta_keys_kept() -> None:
    sheet = read_sheet(
        "ID,Title,TRACK,Benefit,feasibility,linkage,benefit_Low,meta.As_Of\n"
        "a,T,rights,1,2,3,0,2026\n",
        "s.csv",
        MODEL,
    )
    assert sheet.problems == []
    ((_, cells),) = sheet.rows
    assert {c.name: cell.text for c, cell in cells.items()} == {
        "id": "a",
        "title": "T",
        "track": "rights",
        "benefit": "1",
        "feasibility": "2",
        "linkage": "3",
        "benefit_low": "0",
        "meta.As_Of": "2026",
    }


def test_unknown_and_duplicate_columns_are_errors_with_hints() -> None:
    sheet = read_sheet("id,title,track,benefit,feasability,linkage,benefit\n", "s.csv", MODEL)
    assert [d.format() for d in sheet.problems] == [
        "error: s.csv:1:24: [unknown-column] row 1 column feasability: unknown column "
        "'feasability'\nhint: did you mean 'feasibility'?",
        "error: s.csv:1:44: [duplicate-column] row 1 column benefit: column 'benefit' is also "
        "at line 1 column 16",
        "error: s.csv:1:1: [missing-column] row 1: missing column feasibility (needed: id, "
        "title, track and one per criterion: benefit, feasibility, linkage)",
    ]


def test_a_criterion_column_may_be_replaced_by_its_assessors() -> None:
    sheet = read_sheet("id,title,track,benefit_by,feasibility,linkage\n", "s.csv", MODEL)
    assert [d.code for d in sheet.problems] == ["no-options"]


def test_an_unnamed_empty_column_is_ignored_but_one_with_data_is_not() -> None:
    ok = read_sheet("id,title,track,benefit,feasibility,linkage,\na,T,rights,1,1,1,\n", "s", MODEL)
    assert ok.problems == []
    bad = read_sheet(
        "id,title,track,benefit,feasibility,linkage,\na,T,rights,1,1,1,x\n", "s", MODEL
    )
    assert [d.message for d in bad.problems] == ["a column with data has no name"]


def test_a_cell_beyond_the_header_is_a_row_problem() -> None:
    sheet = read_sheet("id,title,track,benefit,feasibility,linkage\na,T,r,1,1,1,x\n", "s", MODEL)
    assert sheet.problems == []
    assert [d.format() for d in sheet.row_problems] == [
        "error: s:2:13: [invalid-csv] row 2 column 7: a cell beyond the last named column"
    ]


def test_bad_csv_and_empty_files_are_reported() -> None:
    assert [d.format() for d in read_sheet('id,"x\n', "s", MODEL).problems] == [
        "error: s:1:4: [invalid-csv] a quoted cell is not closed"
    ]
    assert [d.message for d in read_sheet("\n\n", "s", MODEL).problems] == ["no header row"]


# -- pointing at cells -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "code", "message", "column"),
    [
        (("id",), "bad-value", "", "id"),
        (("scores", "benefit"), "bad-range", "", "benefit"),
        (("scores", "benefit", "value"), "out-of-range", "", "benefit"),
        (("scores", "benefit", "low"), "out-of-range", "", "benefit_low"),
        (("scores", "linkage", "by", "a"), "out-of-range", "", "linkage_by"),
        (("scores",), "missing-score", "no score for 'linkage'", "linkage"),
        ((), "missing-key", "missing required key 'title'", "title"),
        (("tags", 0), "wrong-type", "", "tags"),
        (("meta", "owner"), "wrong-type", "", "meta.owner"),
    ],
)
def test_a_validator_path_names_its_column(
    path: tuple[str, ...], code: str, message: str, column: str
) -> None:
    found = field_of(path, code, message)
    assert found is not None
    assert found.name == column


def test_column_names_follow_the_import_convention() -> None:
    assert column_name("value", "benefit") == "benefit"
    assert column_name("sources", "benefit") == "benefit_sources"
    assert column_name("summary") == "summary"
    assert Column("meta", "owner").name == "meta.owner"
