"""Loading sets: file kinds, stdin detection, model lookup, and one diagnostic per problem."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from engage.core.errors import InvalidInput
from engage.io.loader import default_model_text, load, load_model
from tests.conftest import MODEL, OPTIONS, option_toml

MakeSet = Callable[..., Path]


def diagnostics(paths: list[str], **kw: str) -> list[str]:
    """Every diagnostic line a load raises (fails the test when it loads cleanly)."""
    with pytest.raises(InvalidInput) as caught:
        load(paths, **kw)
    return [d.format() for d in caught.value.diagnostics]


def test_the_built_in_model_is_the_shipped_one() -> None:
    """docs/formats.md#the-model: the built-in default is options/engage.toml without its
    baseline, which names an option only the shipped set has."""
    shipped = (OPTIONS / "engage.toml").read_text(encoding="utf-8")
    start = shipped.index("# Keeping the 2021 humanitarian carve-out")
    end = shipped.index("\n", shipped.index('baseline = "res-2615-carveout"')) + 1
    assert default_model_text() == shipped[:start] + shipped[end:]
    assert "baseline" not in default_model_text()


def test_shipped_set_loads_with_its_model() -> None:
    option_set = load([str(OPTIONS)])
    assert len(option_set.options) >= 20
    assert {o.track for o in option_set.options} == set(option_set.model.tracks or ())
    assert option_set.model_origin.endswith("engage.toml")
    assert option_set.warnings == ()


def test_short_long_and_assessor_forms(make_set: MakeSet) -> None:
    root = make_set(
        {
            "a.toml": """
            [[option]]
            id = "a"
            title = "A"
            track = "security"
            [option.scores]
            benefit = 4
            feasibility = { value = 5, low = 3, high = 7, rationale = "r", sources = ["s"] }
            linkage = { by = { x = 1, y = 4, z = 2 } }
        """
        }
    )
    option = load([str(root)]).options[0]
    assert option.scores["benefit"].value == 4
    assert option.scores["benefit"].low == option.scores["benefit"].high == 4
    assert (option.scores["feasibility"].low, option.scores["feasibility"].high) == (3, 7)
    linkage = option.scores["linkage"]
    assert (linkage.value, linkage.low, linkage.high) == (2, 1, 4)
    assert linkage.by == {"x": 1, "y": 4, "z": 2}


def test_bom_and_crlf_are_accepted(make_set: MakeSet) -> None:
    root = make_set({})
    (root / "a.toml").write_bytes(
        b"\xef\xbb\xbf" + option_toml("a", 1, 2, 3).replace("\n", "\r\n").encode()
    )
    assert [o.id for o in load([str(root)]).options] == ["a"]


def test_json_document_ndjson_and_array(tmp_path: Path) -> None:
    option = {
        "id": "a",
        "title": "A",
        "track": "security",
        "scores": {"benefit": 5, "feasibility": 5, "linkage": 5},
    }
    (tmp_path / "set.json").write_text(json.dumps({"engage": 1, "options": [option]}))
    (tmp_path / "set.ndjson").write_text(
        json.dumps({**option, "id": "b"}) + "\n\n" + json.dumps({**option, "id": "c"}) + "\n"
    )
    loaded = load([str(tmp_path / "set.json"), str(tmp_path / "set.ndjson")])
    assert [o.id for o in loaded.options] == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        (
            '{"id": "a", "title": "A", "track": "security", "scores": '
            '{"benefit": 1, "feasibility": 2, "linkage": 3}}',
            ["a"],
        ),
        (
            '[{"id": "a", "title": "A", "track": "security", "scores": '
            '{"benefit": 1, "feasibility": 2, "linkage": 3}}]',
            ["a"],
        ),
        (
            '{"id": "a", "title": "A", "track": "security", "scores": '
            '{"benefit": 1, "feasibility": 2, "linkage": 3}}\n'
            '{"id": "b", "title": "B", "track": "security", "scores": '
            '{"benefit": 1, "feasibility": 2, "linkage": 3}}\n',
            ["a", "b"],
        ),
        (option_toml("a", 1, 2, 3), ["a"]),
    ],
    ids=["json-object", "json-array", "ndjson", "toml"],
)
def test_stdin_format_is_detected(
    text: str, ids: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/formats.md#json-and-ndjson-sets: `{` JSON or NDJSON, `[{` a JSON array, anything else TOML."""
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    assert [o.id for o in load(["-"]).options] == ids


def test_model_lookup_prefers_flag_then_embedded_then_directory(
    make_set: MakeSet, tmp_path: Path
) -> None:
    root = make_set({"a.toml": option_toml("a", 1, 2, 3)})
    assert load([str(root)]).model.title == "Test model"
    other = tmp_path / "other.toml"
    other.write_text(MODEL.replace("Test model", "Other"))
    assert load([str(root)], model_path=str(other)).model.title == "Other"
    embedded = tmp_path / "embedded.toml"
    embedded.write_text(
        option_toml("b", 1, 2, 3)
        + "\n[model]\n"
        + MODEL.replace('title = "Test model"', 'title = "Embedded"')
        .replace("schema_version = 1\n", "")
        .replace("[criteria.", "[model.criteria.")
        .replace("[profiles.", "[model.profiles.")
    )
    assert load([str(embedded)]).model.title == "Embedded"


def test_two_different_models_conflict_unless_model_is_given(
    make_set: MakeSet, tmp_path: Path
) -> None:
    one = make_set({"a.toml": option_toml("a", 1, 2, 3)}, name="one")
    two = make_set(
        {"b.toml": option_toml("b", 1, 2, 3)},
        model=MODEL.replace("Test model", "Second"),
        name="two",
    )
    lines = diagnostics([str(one), str(two)])
    assert len(lines) == 1
    assert lines[0].startswith("error: [model-conflict] the set has 2 different models")
    chosen = load([str(one), str(two)], model_path=str(one / "engage.toml"))
    assert [o.id for o in chosen.options] == ["a", "b"]


def test_unused_nested_model_is_named_in_a_note(make_set: MakeSet) -> None:
    root = make_set({"a.toml": option_toml("a", 1, 2, 3), "sub/engage.toml": MODEL})
    notes = load([str(root)]).notes
    assert len(notes) == 1
    assert "sub/engage.toml was not used" in str(notes[0])


def test_a_model_given_with_model_names_the_set_s_own_as_unused_unless_it_is_that_file(
    make_set: MakeSet, tmp_path: Path
) -> None:
    root = make_set({"a.toml": option_toml("a", 1, 2, 3)})
    own = root / "engage.toml"
    other = tmp_path / "other.toml"
    other.write_text(MODEL)
    (note,) = load([str(root)], model_path=str(other)).notes
    assert note.fields == ("model",)
    assert note.worded(lambda f: "--" + f) == f"{own} was not used (--model {other} was given)"
    assert load([str(root)], model_path=str(own)).notes == ()


def test_without_a_model_file_the_built_in_model_applies(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text(option_toml("a", 1, 2, 3))
    option_set = load([str(path)])
    assert option_set.model_origin == "<built-in model>"
    assert option_set.model.title == "Engagement options: Afghanistan"


def test_load_model_ignores_broken_options(make_set: MakeSet) -> None:
    root = make_set({"a.toml": "[[option]]\nid = 1\n"})
    model, origin, _ = load_model([str(root)])
    assert model.title == "Test model"
    assert origin.endswith("engage.toml")


def test_files_load_in_sorted_path_order(make_set: MakeSet) -> None:
    root = make_set(
        {
            "b.toml": option_toml("b", 1, 2, 3),
            "a/z.toml": option_toml("z", 1, 2, 3),
            "c.toml": option_toml("c", 1, 2, 3),
        }
    )
    assert [o.id for o in load([str(root)]).options] == ["z", "b", "c"]


def test_meta_dates_become_iso_strings(make_set: MakeSet) -> None:
    root = make_set({"a.toml": option_toml("a", 1, 2, 3) + "[option.meta]\nas_of = 2026-11-12\n"})
    assert load([str(root)]).options[0].meta == {"as_of": "2026-11-12"}


@pytest.mark.parametrize(
    "text",
    [
        "x = [1,\n",
        'id = "a\n',
        "[[option]]\nid = 1\nid = 2\n",
        "a = 1979-05-27T07:32:00Z\nb = 0x1f\n",
    ],
)
def test_toml_parser_fallback_reads_and_errs_alike(
    text: str, make_set: MakeSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tomli (compiled) and the standard library's tomllib give the same data and messages."""
    import importlib
    import sys

    from engage.io import loader, reading

    root = make_set({"x.toml": text})

    def outcome() -> list[str]:
        try:
            loader.load([str(root / "x.toml")])
        except InvalidInput as exc:
            return [d.format() for d in exc.diagnostics]
        return []

    fast = outcome()
    monkeypatch.setitem(sys.modules, "tomli", None)
    importlib.reload(reading)
    try:
        assert reading._tomli is None
        assert outcome() == fast
    finally:
        monkeypatch.undo()
        importlib.reload(reading)
    assert reading._tomli is not None
