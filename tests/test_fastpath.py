"""engage.io.fastpath takes only tables the full path (pydantic, then engage.io.validate) accepts,
and gives the same values for them, types included (an integer stays an integer).

Generated tables are valid, or valid with one defect anywhere in them (a boolean, NaN,
a huge integer, blank or control-character text, null, a wrong type, a missing or an
unknown key): whenever the fast path accepts one, the full path must accept it with no
diagnostic and build the same thing. Valid tables must be accepted, or the fast path
would quietly stop being fast.
"""

from __future__ import annotations

import copy
import statistics
import tomllib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engage.io import fastmodel, fastpath
from engage.io.document import Document
from engage.io.loader import load
from engage.io.schema import ModelIn, OptionIn
from engage.io.validate import check_model, check_options, parse_table
from engage.methods.preference import PREFERENCE_FUNCTIONS
from tests.conftest import MODEL, OPTIONS

TRACKS = ("security", "economic", "humanitarian")
CRITERIA = ("benefit", "feasibility", "linkage")
CHECK = settings(
    max_examples=400, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

AWKWARD = st.sampled_from(
    [
        None,
        True,
        False,
        float("nan"),
        float("inf"),
        -float("inf"),
        2**53,
        2**53 + 1,
        -(2**53) - 1,
        "",
        " ",
        "\t\n",
        "x\n",
        "a\x01b",
        "a\x9fb",
        "\u2028",
        "\u00a0",
        "seven",
        "4",
        [],
        {},
        [1, 2],
        {"value": 1},
        1.5,
        0,
        10,
        11,
        -1,
    ]
)
KEYS = st.sampled_from(["", " ", "x\n", "a\x01b", "Bad", "1a", "benefit", "cost", "main"])
TEXT = st.text(st.characters(categories=["L", "N", "Zs"]), max_size=8)


@st.composite
def mutated(draw: st.DrawFn, valid: st.SearchStrategy[Any]) -> Any:
    """A valid table, or one with a single defect: a value replaced by an awkward one,
    a key or an element removed, or an unknown key added, anywhere in it."""
    table = copy.deepcopy(draw(valid))
    if draw(st.booleans()):
        return table
    places: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            places.extend((node, k) for k in node)
            places.append((node, None))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            places.extend((node, i) for i in range(len(node)))
            for v in node:
                walk(v)

    walk(table)
    node, key = draw(st.sampled_from(places))
    if key is None:
        node[draw(KEYS)] = draw(AWKWARD)
    elif draw(st.booleans()):
        node[key] = draw(AWKWARD)
    else:
        del node[key]
    return table


PLAIN_SCORES = st.one_of(
    st.integers(0, 10),
    st.floats(0, 10),
    st.sampled_from([0.0, -0.0, 4.0, 10]),
    st.fixed_dictionaries(
        {"value": st.sampled_from([3, 5, 7, 5.0])},
        optional={"low": st.sampled_from([0, 3, None]), "high": st.sampled_from([7, 10, None])},
    ),
    st.fixed_dictionaries(
        {"value": st.just(5)},
        optional={
            "low": st.integers(0, 5),
            "high": st.floats(5, 10),
            "rationale": TEXT,
            "sources": st.lists(st.sampled_from(["UN", "ICG 2023"]), max_size=2),
        },
    ),
)
ASSESSED = st.fixed_dictionaries(
    {"by": st.dictionaries(st.sampled_from(["ana", "bo", "cy"]), st.integers(0, 10), min_size=1)},
    optional={"rationale": st.just("panel"), "low": st.just(0), "high": st.just(10)},
)
UNKNOWN = st.fixed_dictionaries(
    {"unknown": st.just(True)},
    optional={
        "low": st.sampled_from([0, 3, 2.5]),
        "high": st.sampled_from([7, 10, 4.5]),
        "rationale": st.just("not asked yet"),
    },
)
INTRINSIC = st.fixed_dictionaries(
    {"value": st.just(6), "intrinsic": st.sampled_from([0, 2.5, 6])},
    optional={"low": st.just(4), "high": st.just(9)},
)
PLAIN_OPTIONS = st.fixed_dictionaries(
    {
        "id": st.from_regex(r"[a-z0-9][a-z0-9-]{0,6}", fullmatch=True),
        "title": st.sampled_from(["Pilot", "تمويل إنساني", "[bold]x[/]", " Schools\tfor girls "]),
        "track": st.sampled_from(TRACKS),
        "scores": st.fixed_dictionaries(
            {
                "benefit": st.one_of(PLAIN_SCORES, ASSESSED, UNKNOWN),
                "feasibility": st.one_of(PLAIN_SCORES, UNKNOWN),
                "linkage": st.one_of(PLAIN_SCORES, INTRINSIC, ASSESSED, UNKNOWN),
            }
        ),
    },
    optional={
        "summary": TEXT,
        "actors": st.lists(TEXT, max_size=2),
        "tags": st.lists(st.sampled_from(["a", "b"]), max_size=2),
        "meta": st.dictionaries(
            st.sampled_from(["k", "when"]), st.one_of(st.integers(), st.dates())
        ),
    },
)


def model() -> Any:
    resolved, problems = check_model(tomllib.loads(MODEL), Document("m", "toml", {}), ())
    assert resolved is not None, problems
    return resolved


RESOLVED = model()


def full_path(raw: Any, doc: Document) -> tuple[list[Any], list[Any]]:
    parsed, problems = parse_table(OptionIn, raw, doc, ("options", 0))
    if parsed is None:
        return [], problems
    options, found = check_options([(doc, ("options", 0), parsed)], RESOLVED)
    return options, problems + found


@pytest.mark.parametrize("kind", ["toml", "ndjson"])
@CHECK
@given(raw=mutated(PLAIN_OPTIONS))
def test_an_option_the_fast_path_takes_is_the_full_paths(kind: str, raw: dict[str, Any]) -> None:
    doc = Document("t", kind, {}, object_lines=[7])
    quick = fastpath.reader(RESOLVED)(raw, doc, ("options", 0))
    if quick is not None:
        options, problems = full_path(raw, doc)
        assert problems == []
        assert repr(options) == repr([quick])


@CHECK
@given(tables=st.lists(mutated(PLAIN_OPTIONS), max_size=8))
def test_one_reader_over_many_options_builds_what_the_full_path_builds(
    tables: list[dict[str, Any]],
) -> None:
    """One reader reads a whole set and shares integer scores between options."""
    doc = Document("t", "toml", {})
    read = fastpath.reader(RESOLVED)
    for raw in tables:
        quick = read(raw, doc, ("options", 0))
        if quick is not None:
            options, problems = full_path(raw, doc)
            assert problems == []
            assert repr(options) == repr([quick])


@CHECK
@given(raw=PLAIN_OPTIONS)
def test_a_plain_valid_option_takes_the_fast_path(raw: dict[str, Any]) -> None:
    doc = Document("t", "ndjson", {}, object_lines=[3])
    quick = fastpath.reader(RESOLVED)(raw, doc, ("options", 0))
    assert quick is not None
    options, problems = full_path(raw, doc)
    assert problems == []
    assert repr(options) == repr([quick])


NUMBERS = st.sampled_from([0, 0.5, 1, 2.5, 7])
MODELS = st.fixed_dictionaries(
    {
        "criteria": st.dictionaries(
            st.sampled_from([*CRITERIA, "cost", "risk-2"]),
            st.fixed_dictionaries(
                {},
                optional={
                    "label": TEXT,
                    "description": TEXT,
                    "better": st.sampled_from(["higher", "lower"]),
                    "scale": st.sampled_from([[0, 10], [0.0, 5.5], [-3, 3], [1, 2]]),
                    "role": st.sampled_from(CRITERIA),
                    "value_function": st.sampled_from(
                        [
                            [[0, 0], [10, 100]],
                            [[0, 0], [4, 70], [10, 100]],
                            [[0, 100], [5, 40], [10, 0]],
                            [[0, 0], [5, 50]],
                            [[0, 0]],
                            [[0, 0], [5, 120], [10, 100]],
                            [[0, 0.0], [1.5, 100.0]],
                        ]
                    ),
                    "preference": st.fixed_dictionaries(
                        {},
                        optional={
                            "function": st.sampled_from(PREFERENCE_FUNCTIONS),
                            "q": NUMBERS,
                            "p": NUMBERS,
                            "s": NUMBERS,
                        },
                    ),
                },
            ),
            min_size=1,
            max_size=3,
        )
    },
    optional={
        "schema_version": st.just(1),
        "title": TEXT,
        "tracks": st.lists(st.sampled_from(TRACKS), max_size=3),
        "default_profile": st.sampled_from(["main", "x y"]),
        "default_method": st.sampled_from(["weighted-sum", "topsis", "promethee"]),
        "profiles": st.dictionaries(
            st.sampled_from(["main", "even-2"]),
            st.fixed_dictionaries(
                {"weights": st.dictionaries(st.sampled_from(CRITERIA), NUMBERS)},
                optional={"description": TEXT},
            ),
            max_size=2,
        ),
        "screen": st.fixed_dictionaries(
            {},
            optional={
                "min": st.dictionaries(st.sampled_from(CRITERIA), NUMBERS),
                "max": st.dictionaries(st.sampled_from(CRITERIA), NUMBERS),
            },
        ),
        "decouple": st.fixed_dictionaries(
            {}, optional={"stall_probability": st.sampled_from([0, 0.25, 0.7, 1])}
        ),
    },
)


@CHECK
@given(raw=MODELS)
def test_a_valid_model_takes_the_fast_path(raw: dict[str, Any]) -> None:
    assert fastmodel.model_table(raw) is not None


@CHECK
@given(raw=mutated(MODELS))
def test_a_model_the_fast_path_takes_is_the_schemas(raw: dict[str, Any]) -> None:
    quick = fastmodel.model_table(raw)
    if quick is not None:
        assert repr(quick) == repr(ModelIn.model_validate(raw).model_dump(exclude_none=True))


def test_the_shipped_and_test_models_take_the_fast_path() -> None:
    for text in ((OPTIONS / "engage.toml").read_text(encoding="utf-8"), MODEL):
        raw = tomllib.loads(text)
        quick = fastmodel.model_table(raw)
        assert quick is not None
        assert repr(quick) == repr(ModelIn.model_validate(raw).model_dump(exclude_none=True))


def test_the_shipped_set_loads_the_same_without_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    taken: list[str] = []
    reader = fastpath.reader

    def counted(model: Any) -> Any:
        read = reader(model)

        def run(*args: Any) -> Any:
            found = read(*args)
            taken.append("fast" if found is not None else "full")
            return found

        return run

    monkeypatch.setattr(fastpath, "reader", counted)
    quick = load([str(OPTIONS)])
    assert set(taken) == {"fast"}
    monkeypatch.setattr(fastpath, "reader", lambda model: lambda *args: None)
    monkeypatch.setattr(fastmodel, "model_table", lambda raw: None)
    full = load([str(OPTIONS)])
    assert full == quick
    assert repr(full) == repr(quick)
    assert full.model.source == quick.model.source


@given(values=st.lists(st.one_of(st.integers(-5, 15), st.floats(-5, 15)), min_size=1, max_size=7))
def test_the_median_is_the_statistics_modules(values: list[float]) -> None:
    assert repr(fastpath.median(values)) == repr(statistics.median(values))


# -- costs, requires and conflicts (docs/methods.md#portfolios-under-limited-resources) -------------------------------------------------

COSTED_MODEL = (
    MODEL
    + """
[resources.budget]
limit = 10
[resources.staff]
unit = "FTE"
"""
)
COSTS = st.one_of(
    st.integers(0, 50),
    st.floats(0, 50),
    st.fixed_dictionaries(
        {"value": st.sampled_from([0, 2, 2.5])},
        optional={
            "low": st.sampled_from([0, 1, 2]),
            "high": st.sampled_from([2.5, 3, 40]),
            "rationale": TEXT,
            "sources": st.lists(st.sampled_from(["OCHA", "IOM 2025"]), max_size=2),
        },
    ),
)
COSTED_OPTIONS = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["a", "b", "c-1"]),
        "title": st.just("Costed"),
        "track": st.sampled_from(TRACKS),
        "scores": st.fixed_dictionaries(
            {"benefit": PLAIN_SCORES, "feasibility": PLAIN_SCORES, "linkage": PLAIN_SCORES}
        ),
    },
    optional={
        "costs": st.dictionaries(st.sampled_from(["budget", "staff"]), COSTS),
        "requires": st.lists(st.sampled_from(["a", "b", "x-2"]), max_size=2),
        "conflicts": st.lists(st.sampled_from(["b", "c-1", "y"]), max_size=2),
    },
)


def costed_model() -> Any:
    resolved, problems = check_model(tomllib.loads(COSTED_MODEL), Document("m", "toml", {}), ())
    assert resolved is not None, problems
    return resolved


COSTED = costed_model()


def costed_full_path(raw: Any, doc: Document) -> tuple[list[Any], list[Any]]:
    parsed, problems = parse_table(OptionIn, raw, doc, ("options", 0))
    if parsed is None:
        return [], problems
    options, found = check_options([(doc, ("options", 0), parsed)], COSTED, ids=["a", "b", "c-1"])
    return options, problems + [p for p in found if p.code != "unknown-id"]


@CHECK
@given(raw=mutated(COSTED_OPTIONS))
def test_an_option_with_costs_the_fast_path_takes_is_the_full_paths(raw: dict[str, Any]) -> None:
    """Ids in requires and conflicts that the set lacks are the caller's (set-wide) rule."""
    doc = Document("t", "toml", {})
    quick = fastpath.reader(COSTED)(raw, doc, ("options", 0))
    if quick is not None:
        options, problems = costed_full_path(raw, doc)
        assert problems == []
        assert repr(options) == repr([quick])


@CHECK
@given(raw=COSTED_OPTIONS)
def test_a_plain_option_with_costs_takes_the_fast_path_unless_it_names_itself(
    raw: dict[str, Any],
) -> None:
    doc = Document("t", "toml", {})
    quick = fastpath.reader(COSTED)(raw, doc, ("options", 0))
    links = [*raw.get("requires", []), *raw.get("conflicts", [])]
    both = set(raw.get("requires", [])) & set(raw.get("conflicts", []))
    costs = [c if isinstance(c, dict) else {"value": c} for c in raw.get("costs", {}).values()]
    in_range = all(
        c.get("low", c["value"]) <= c["value"] <= c.get("high", c["value"]) for c in costs
    )
    if raw["id"] in links or both or not in_range:
        assert quick is None
        assert costed_full_path(raw, doc)[1] != []
        return
    assert quick is not None
    options, problems = costed_full_path(raw, doc)
    assert problems == []
    assert repr(options) == repr([quick])


COSTED_MODELS = st.fixed_dictionaries(
    {"criteria": st.just({"benefit": {}})},
    optional={
        "resources": st.dictionaries(
            st.sampled_from(["budget", "staff", "flights-2"]),
            st.fixed_dictionaries(
                {},
                optional={
                    "label": TEXT,
                    "unit": TEXT,
                    "limit": st.sampled_from([0, 1.5, 150, -1]),
                },
            ),
        ),
        "portfolio": st.fixed_dictionaries(
            {},
            optional={
                "min_track": st.dictionaries(st.sampled_from(TRACKS), st.integers(0, 3)),
                "max_track": st.dictionaries(st.sampled_from(TRACKS), st.integers(0, 3)),
                "max_options": st.integers(0, 9),
            },
        ),
    },
)


@CHECK
@given(raw=mutated(COSTED_MODELS))
def test_a_model_with_resources_the_fast_path_takes_is_the_schemas(raw: dict[str, Any]) -> None:
    quick = fastmodel.model_table(raw)
    if quick is not None:
        assert repr(quick) == repr(ModelIn.model_validate(raw).model_dump(exclude_none=True))


@CHECK
@given(raw=COSTED_MODELS)
def test_a_valid_model_with_resources_takes_the_fast_path(raw: dict[str, Any]) -> None:
    assert fastmodel.model_table(raw) is not None
