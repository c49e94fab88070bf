"""One bad-input class per case: the exact diagnostic line(s) (docs/errors.md) and never a crash."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from engage.core.errors import InvalidInput
from engage.io.loader import load
from tests.conftest import MODEL, option_toml

MakeSet = Callable[..., Path]

HEAD = '[[option]]\nid = "a"\ntitle = "A"\ntrack = "security"\n'
GOOD_SCORES = "[option.scores]\nbenefit = 5\nfeasibility = 5\nlinkage = 5\n"

CASES: dict[str, tuple[str, list[str]]] = {
    "syntax error": (
        'id = "a\n',
        ["error: x.toml:1:8: [invalid-toml] Illegal character '\\n'"],
    ),
    "string for a number": (
        HEAD + GOOD_SCORES.replace("benefit = 5", 'benefit = "seven"'),
        [
            "error: x.toml:6:11: [wrong-type] option[0].scores.benefit: expected a number or a "
            "table with 'value', got a string ('seven')"
        ],
    ),
    "boolean for a number": (
        HEAD + GOOD_SCORES.replace("benefit = 5", "benefit = { value = true }"),
        [
            "error: x.toml:6:21: [wrong-type] option[0].scores.benefit.value: expected a number, "
            "got a boolean (true)"
        ],
    ),
    "nan": (
        HEAD + GOOD_SCORES.replace("benefit = 5", "benefit = nan"),
        [
            "error: x.toml:6:11: [bad-number] option[0].scores.benefit.value: expected a finite "
            "number, got nan"
        ],
    ),
    "infinity": (
        HEAD + GOOD_SCORES.replace("linkage = 5", "linkage = -inf"),
        [
            "error: x.toml:8:11: [bad-number] option[0].scores.linkage.value: expected a finite "
            "number, got -inf"
        ],
    ),
    "huge float": (
        HEAD + GOOD_SCORES.replace("benefit = 5", "benefit = 1e308"),
        [
            "error: x.toml:6:11: [out-of-range] option[0].scores.benefit.value: 1e+308 is outside "
            "the scale [0, 10]"
        ],
    ),
    "huge integer": (
        HEAD + GOOD_SCORES.replace("benefit = 5", "benefit = 9223372036854775807"),
        [
            "error: x.toml:6:11: [bad-number] option[0].scores.benefit.value: number too large "
            "(9223372036854775807)"
        ],
    ),
    "unknown key with hint": (
        HEAD.replace("title", "titel") + GOOD_SCORES,
        [
            "error: x.toml:3:1: [unknown-key] option[0].titel: unknown key 'titel'",
            "hint: did you mean 'title'?",
        ],
    ),
    "unknown key in a score": (
        HEAD + GOOD_SCORES.replace("benefit = 5", "benefit = { value = 5, hihg = 6 }"),
        [
            "error: x.toml:6:24: [unknown-key] option[0].scores.benefit.hihg: unknown key 'hihg'",
            "hint: did you mean 'high'?",
        ],
    ),
    "missing key": (
        HEAD.replace('title = "A"\n', "") + GOOD_SCORES,
        ["error: x.toml:1:1: [missing-key] option[0]: missing required key 'title'"],
    ),
    "bad id": (
        HEAD.replace('id = "a"', 'id = "A b"') + GOOD_SCORES,
        [
            "error: x.toml:2:6: [bad-value] option[0].id: 'A b' is not an id: lowercase letters, "
            "digits and '-', starting with a letter or digit, at most 64 characters"
        ],
    ),
    "empty title": (
        HEAD.replace('title = "A"', 'title = " "') + GOOD_SCORES,
        ["error: x.toml:3:9: [bad-value] option[0].title: must not be empty or blank"],
    ),
    "unknown track": (
        HEAD.replace('"security"', '"securty"') + GOOD_SCORES,
        [
            "error: x.toml:4:9: [unknown-track] option[0].track: unknown track 'securty' (tracks: "
            "security, economic, humanitarian)",
            "hint: did you mean 'security'?",
        ],
    ),
    "misspelt criterion": (
        HEAD + GOOD_SCORES.replace("feasibility", "feasability"),
        [
            "error: x.toml:7:1: [unknown-criterion] option[0].scores.feasability: 'feasability' "
            "is not a criterion of the model (benefit, feasibility, linkage)",
            "hint: did you mean 'feasibility'?",
        ],
    ),
    "missing score": (
        HEAD + GOOD_SCORES.replace("linkage = 5\n", ""),
        ["error: x.toml:5:1: [missing-score] option[0].scores: no score for 'linkage'"],
    ),
    "value outside the scale": (
        HEAD + GOOD_SCORES.replace("benefit = 5", "benefit = 11"),
        [
            "error: x.toml:6:11: [out-of-range] option[0].scores.benefit.value: 11 is outside the "
            "scale [0, 10]"
        ],
    ),
    "range not around the value": (
        HEAD + GOOD_SCORES.replace("benefit = 5", "benefit = { value = 5, low = 6 }"),
        [
            "error: x.toml:6:1: [bad-range] option[0].scores.benefit: needs low <= value <= high, "
            "got 6 <= 5 <= 5"
        ],
    ),
    "intrinsic outside linkage": (
        HEAD + GOOD_SCORES.replace("benefit = 5", "benefit = { value = 5, intrinsic = 1 }"),
        [
            "error: x.toml:6:24: [bad-value] option[0].scores.benefit.intrinsic: 'intrinsic' "
            "belongs only to the criterion with role 'linkage'"
        ],
    ),
    "intrinsic above the value": (
        HEAD + GOOD_SCORES.replace("linkage = 5", "linkage = { value = 2, intrinsic = 3 }"),
        [
            "error: x.toml:8:36: [out-of-range] option[0].scores.linkage.intrinsic: intrinsic 3 "
            "must lie in [0, value 2]"
        ],
    ),
    "empty file": ("", ["error: x.toml: [no-options] holds neither [[option]] nor [model]"]),
    "whitespace only": (
        "  \n\n",
        ["error: x.toml: [no-options] holds neither [[option]] nor [model]"],
    ),
    "misspelt option table": (
        "[[opton]]\nid = 'a'\n",
        [
            "error: x.toml:1:1: [unknown-key] opton: unknown key 'opton'",
            "hint: did you mean 'option'?",
        ],
    ),
    "schema version": (
        "schema_version = 2\n" + HEAD + GOOD_SCORES,
        [
            "error: x.toml:1:18: [schema-version] schema_version: unsupported schema_version 2 "
            "(this engage reads version 1)"
        ],
    ),
    "option is not a table": (
        "option = 3\n",
        ["error: x.toml:1:1: [wrong-type] option: 'option' must be an array of tables"],
    ),
    "nan in meta": (
        HEAD + GOOD_SCORES + "[option.meta]\nx = nan\n",
        [
            "error: x.toml:10:5: [bad-value] option[0].meta.x: nan cannot be carried into JSON output"
        ],
    ),
    "deep nesting": (
        "x = " + "[" * 5000 + "]" * 5000 + "\n",
        ["error: x.toml: [invalid-toml] nested too deeply"],
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_option_file(case: str, make_set: MakeSet) -> None:
    text, expected = CASES[case]
    root = make_set({"x.toml": text})
    os.chdir(root)
    with pytest.raises(InvalidInput) as caught:
        load(["x.toml"])
    lines = "\n".join(d.format() for d in caught.value.diagnostics).split("\n")
    assert lines == expected


MODEL_CASES: dict[str, tuple[str, str]] = {
    "negative weight": (
        "benefit = 0.5, feasibility = 0.3, linkage = 0.2",
        "benefit = -0.5, feasibility = 0.3, linkage = 0.2",
    ),
    "all weights zero": (
        "benefit = 0.5, feasibility = 0.3, linkage = 0.2",
        "benefit = 0, feasibility = 0, linkage = 0",
    ),
    "weight for an unknown criterion": (
        "benefit = 0.5, feasibility = 0.3, linkage = 0.2",
        "benefit = 0.5, feasability = 0.3, linkage = 0.2",
    ),
    "scale lo >= hi": ('role = "benefit"', 'role = "benefit"\nscale = [10, 0]'),
    "unknown better": ('better = "lower"', 'better = "down"'),
    "preference missing a parameter": (
        'role = "benefit"',
        'role = "benefit"\npreference = { function = "linear", q = 1 }',
    ),
    "unknown default profile": (
        'title = "Test model"',
        'title = "Test model"\ndefault_profile = "mian"',
    ),
}
MODEL_EXPECTED = {
    "negative weight": [
        "error: engage.toml:14:23: [bad-weights] profiles.main.weights.benefit: weight -0.5 for 'benefit' is negative"
    ],
    "all weights zero": [
        "error: engage.toml:14:11: [bad-weights] profiles.main.weights: weights must not all be 0"
    ],
    "weight for an unknown criterion": [
        "error: engage.toml:14:28: [bad-weights] profiles.main.weights.feasability: weight for unknown criterion 'feasability'",
        "hint: did you mean 'feasibility'?",
    ],
    "scale lo >= hi": [
        "error: engage.toml:7:9: [bad-scale] criteria.benefit.scale: scale [10, 0] needs lo < hi"
    ],
    "unknown better": [
        "error: engage.toml:10:10: [bad-value] criteria.linkage.better: 'down' is not allowed (expected 'higher' or 'lower')"
    ],
    "preference missing a parameter": [
        "error: engage.toml:7:1: [bad-preference] criteria.benefit.preference: preference 'linear' needs parameter 'p'"
    ],
    "unknown default profile": [
        "error: engage.toml:3:19: [unknown-profile] default_profile: no profile named 'mian'",
        "hint: did you mean 'main'?",
    ],
}


@pytest.mark.parametrize("case", list(MODEL_CASES), ids=list(MODEL_CASES))
def test_bad_model(case: str, make_set: MakeSet) -> None:
    old, new = MODEL_CASES[case]
    assert old in MODEL
    root = make_set({"a.toml": option_toml("a", 1, 2, 3)}, model=MODEL.replace(old, new, 1))
    os.chdir(root)
    with pytest.raises(InvalidInput) as caught:
        load(["."])
    lines = "\n".join(d.format() for d in caught.value.diagnostics).split("\n")
    assert [line.replace("./", "") for line in lines] == MODEL_EXPECTED[case]


def test_duplicate_ids_across_files_name_both_places(make_set: MakeSet) -> None:
    root = make_set(
        {"a.toml": option_toml("same", 1, 2, 3), "b.toml": option_toml("same", 1, 2, 3)}
    )
    os.chdir(root)
    with pytest.raises(InvalidInput) as caught:
        load(["."])
    assert [d.format() for d in caught.value.diagnostics] == [
        "error: b.toml:2:6: [duplicate-id] option[0].id: id 'same' is also used at a.toml:2"
    ]


def test_every_file_is_reported_at_once(make_set: MakeSet) -> None:
    """All diagnostics of all files, errors first, sorted by file and line."""
    root = make_set(
        {
            "a.toml": HEAD + GOOD_SCORES.replace("benefit = 5", "benefit = 50"),
            "b.toml": "nonsense",
            "c.toml": option_toml("c", 1, 2, 3),
        }
    )
    os.chdir(root)
    with pytest.raises(InvalidInput) as caught:
        load(["."])
    assert [(d.file, d.code) for d in caught.value.diagnostics] == [
        ("a.toml", "out-of-range"),
        ("b.toml", "invalid-toml"),
    ]


def test_invalid_utf8_names_the_file(make_set: MakeSet) -> None:
    root = make_set({})
    (root / "x.toml").write_bytes(b'title = "caf\xe9"\n')
    os.chdir(root)
    with pytest.raises(InvalidInput) as caught:
        load(["x.toml"])
    assert [d.format() for d in caught.value.diagnostics] == [
        "error: x.toml: [encoding] not UTF-8 text (byte 0xe9 at offset 12); save the file as UTF-8"
    ]


def test_binary_file_is_invalid_toml_not_a_crash(make_set: MakeSet) -> None:
    root = make_set({})
    (root / "x.toml").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InvalidInput) as caught:
        load([str(root / "x.toml")])
    assert caught.value.diagnostics[0].code in ("encoding", "invalid-toml")


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("missing", "error: nowhere: [unreadable] no such file or directory"),
        ("empty-dir", "error: empty: [no-options] directory holds no *.toml files"),
        (
            "symlink-loop",
            "error: loop.toml: [unreadable] cannot read: Too many levels of symbolic links",
        ),
    ],
)
def test_paths_that_cannot_be_read(setup: str, expected: str, tmp_path: Path) -> None:
    os.chdir(tmp_path)
    if setup == "empty-dir":
        (tmp_path / "empty").mkdir()
        target = "empty"
    elif setup == "symlink-loop":
        os.symlink("loop.toml", tmp_path / "loop.toml")
        target = "loop.toml"
    else:
        target = "nowhere"
    with pytest.raises(InvalidInput) as caught:
        load([target])
    assert [d.format() for d in caught.value.diagnostics] == [expected]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(make_set: MakeSet) -> None:
    root = make_set({"x.toml": option_toml("a", 1, 2, 3)})
    (root / "x.toml").chmod(0)
    with pytest.raises(InvalidInput) as caught:
        load([str(root / "x.toml")])
    assert caught.value.diagnostics[0].code == "unreadable"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"options": [}', "error: x.json:1:14: [invalid-json] Expecting value"),
        (
            '{"options": [{"id": "a", "title": "A", "track": "security", "scores": '
            '{"benefit": NaN, "feasibility": 1, "linkage": 1}}]}',
            "error: x.json: [bad-number] options[0].scores.benefit.value: expected a finite number, got nan",
        ),
        (
            '{"engage": 2, "options": []}',
            "error: x.json: [schema-version] engage: unsupported engage 2 (this engage reads version 1)",
        ),
        (
            '{"optoins": []}',
            "error: x.json: [unknown-key] optoins: unknown key 'optoins'\nhint: did you mean 'options'?",
        ),
    ],
)
def test_bad_json(text: str, expected: str, make_set: MakeSet) -> None:
    root = make_set({"x.json": text})
    os.chdir(root)
    with pytest.raises(InvalidInput) as caught:
        load(["x.json"])
    assert "\n".join(d.format() for d in caught.value.diagnostics) == expected


def test_bad_ndjson_line_is_located(make_set: MakeSet) -> None:
    root = make_set({"x.ndjson": '{"id": "a"}\n{"id": \n'})
    os.chdir(root)
    with pytest.raises(InvalidInput) as caught:
        load(["x.ndjson"])
    assert [d.format() for d in caught.value.diagnostics] == [
        "error: x.ndjson:2:8: [invalid-json] Expecting value"
    ]


def test_empty_set_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "engage.toml").write_text(MODEL)
    (tmp_path / "only-model.toml").write_text(
        "[model]\n"
        + MODEL.split("\n", 1)[1]
        .replace("[criteria.", "[model.criteria.")
        .replace("[profiles.", "[model.profiles.")
    )
    with pytest.raises(InvalidInput) as caught:
        load([str(tmp_path)])
    assert [d.code for d in caught.value.diagnostics] == ["model-conflict"]


def test_every_strict_warning_is_named_for_the_import_note(tmp_path: Path) -> None:
    """``STRICT_WARNINGS`` (what import's note says is missing) knows every warning code
    the validators give: a set with a bare option, an unknown score and no costs under the
    built-in model (whose resources have limits) shows all of them."""
    from engage.io.validate import STRICT_WARNINGS

    bare = option_toml("bare", 5, 5, 5)
    unknown = (
        '[[option]]\nid = "guess"\ntitle = "Guess"\ntrack = "security"\n'
        "[option.scores]\nbenefit = 5\nlinkage = 5\n"
        "[option.scores.feasibility]\nunknown = true\n"
    )
    (tmp_path / "a.toml").write_text(bare + "\n" + unknown, encoding="utf-8")
    codes = {d.code for d in load([str(tmp_path)], warnings=True).warnings}
    assert codes == set(STRICT_WARNINGS)
