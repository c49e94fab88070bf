"""The JSON Schema for editors: built from the validating models, narrowed by the model."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from engage.io.jsonschema import DRAFT, model_schema, option_schema, schema_for
from engage.io.loader import load_model
from tests.conftest import OPTIONS

MODEL = load_model([str(OPTIONS)])[0]
OPTION_FILES = sorted(p for p in OPTIONS.glob("*.toml") if p.name != "engage.toml")


def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(schema: dict[str, Any], data: object) -> list[str]:
    return sorted(e.message for e in validator(schema).iter_errors(data))


def isk() -> dict[str, Any]:
    return tomllib.loads((OPTIONS / "isk-ct-channel.toml").read_text(encoding="utf-8"))


def test_both_schemas_are_draft_2020_12() -> None:
    for kind in ("option", "model"):
        schema = schema_for(kind, MODEL)
        assert schema["$schema"] == DRAFT == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", OPTION_FILES, ids=lambda p: p.name)
def test_every_shipped_option_file_is_valid(path: Path) -> None:
    assert errors(option_schema(MODEL), tomllib.loads(path.read_text(encoding="utf-8"))) == []


def test_the_shipped_model_is_valid() -> None:
    data = tomllib.loads((OPTIONS / "engage.toml").read_text(encoding="utf-8"))
    assert errors(model_schema(MODEL), data) == []


def test_scores_list_exactly_the_criteria_all_required() -> None:
    scores = option_schema(MODEL)["$defs"]["OptionIn"]["properties"]["scores"]
    assert list(scores["properties"]) == ["benefit", "feasibility", "linkage"]
    assert scores["required"] == ["benefit", "feasibility", "linkage"]
    assert scores["additionalProperties"] is False


def test_a_typo_in_a_key_is_rejected() -> None:
    data = isk()
    data["option"][0]["titel"] = data["option"][0].pop("title")
    assert errors(option_schema(MODEL), data) == [
        "'title' is a required property",
        "Additional properties are not allowed ('titel' was unexpected)",
    ]


def test_a_misspelt_score_key_is_rejected() -> None:
    data = isk()
    data["option"][0]["scores"]["linkage"]["rationle"] = "x"
    assert errors(option_schema(MODEL), data) != []


def test_a_missing_criterion_is_rejected() -> None:
    data = isk()
    del data["option"][0]["scores"]["feasibility"]
    assert errors(option_schema(MODEL), data) == ["'feasibility' is a required property"]


@pytest.mark.parametrize(
    "score",
    [11, -1, {"value": 4, "high": 12}, {"by": {"a": 11}}, "seven", True, {"low": 1}, {}],
)
def test_a_score_outside_the_scale_or_of_the_wrong_kind_is_rejected(score: object) -> None:
    data = isk()
    data["option"][0]["scores"]["benefit"] = score
    assert errors(option_schema(MODEL), data) != []


@pytest.mark.parametrize("score", [0, 10, 6.5, {"value": 4, "low": 2}, {"by": {"a": 3, "b": 5}}])
def test_both_score_forms_within_the_scale_are_accepted(score: object) -> None:
    data = isk()
    data["option"][0]["scores"]["benefit"] = score
    assert errors(option_schema(MODEL), data) == []


def test_tracks_are_an_enum_only_when_the_model_declares_them(tmp_path: Path) -> None:
    data = isk()
    data["option"][0]["track"] = "securty"
    assert errors(option_schema(MODEL), data) != []
    (tmp_path / "engage.toml").write_text(
        "[criteria.benefit]\n[criteria.feasibility]\n[criteria.linkage]\n", encoding="utf-8"
    )
    open_model = load_model([str(tmp_path)])[0]
    del data["option"][0]["costs"]  # that model declares no resources: costs are errors
    assert errors(option_schema(open_model), data) == []


def test_other_criteria_change_the_score_properties(tmp_path: Path) -> None:
    (tmp_path / "engage.toml").write_text(
        '[criteria.cost]\nbetter = "lower"\nscale = [0, 100]\n', encoding="utf-8"
    )
    model = load_model([str(tmp_path)])[0]
    schema = option_schema(model)
    option = {"id": "a", "title": "A", "track": "any", "scores": {"cost": 70}}
    assert errors(schema, {"option": [option]}) == []
    too_much = copy.deepcopy(option) | {"scores": {"cost": 170}}
    assert errors(schema, {"option": [too_much]}) == [
        "170 is not valid under any of the given schemas"
    ]


def test_a_file_with_neither_options_nor_model_is_rejected() -> None:
    assert errors(option_schema(MODEL), {"schema_version": 1}) != []
    assert errors(option_schema(MODEL), {"opton": []}) != []


def test_the_model_schema_rejects_a_typo_and_bad_names() -> None:
    data = tomllib.loads((OPTIONS / "engage.toml").read_text(encoding="utf-8"))
    data["criteria"]["benefit"]["beter"] = "higher"
    assert errors(model_schema(MODEL), data) == [
        "Additional properties are not allowed ('beter' was unexpected)"
    ]
    data = {"criteria": {"Benefit": {}}}
    assert errors(model_schema(MODEL), data) != []


def test_the_schema_knows_a_profiles_elicitation_record() -> None:
    """What `weigh --write` appends passes; a record without a method, or with an unknown
    one, is flagged in the editor."""
    data = tomllib.loads((OPTIONS / "engage.toml").read_text(encoding="utf-8"))
    record = {
        "method": "pairwise",
        "participants": ["Ann", "Bob"],
        "answers": [
            {"benefit:feasibility": 3, "benefit:linkage": "1/5", "feasibility:linkage": 2},
            {"benefit:feasibility": "1/2", "benefit:linkage": 3, "feasibility:linkage": 4},
        ],
    }
    data["profiles"]["pragmatic"]["elicitation"] = record
    assert errors(model_schema(MODEL), data) == []
    data["profiles"]["pragmatic"]["elicitation"] = {**record, "method": "delphi"}
    assert errors(model_schema(MODEL), data) == [
        "'delphi' is not one of ['swing', 'rank', 'pairwise', 'explore']"
    ]
    del data["profiles"]["pragmatic"]["elicitation"]["method"]
    assert errors(model_schema(MODEL), data) == ["'method' is a required property"]
