"""`diff`: options added, removed and changed, rank moves, model changes; linear in size."""

from __future__ import annotations

import datetime
import math
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from engage.analysis.diff import (
    FieldChange,
    Move,
    SetDiff,
    diff_sets,
    paired_lenses,
    plain,
    tree_diff,
)
from engage.core.errors import UsageError
from engage.core.model import Option, OptionSet, Score
from engage.io.loader import load
from tests.conftest import MODEL, OPTIONS, option_toml

MakeSet = Callable[..., Path]


def diff(old: OptionSet, new: OptionSet) -> SetDiff:
    """Both sides under the new model's default profile and method."""
    old_lens, new_lens, _ = paired_lenses(old.model, new.model)
    return diff_sets(old, new, old_lens, new_lens)


def test_a_set_against_itself_is_empty() -> None:
    option_set = load([str(OPTIONS)])
    result = diff(option_set, option_set)
    assert result.empty
    assert (result.added, result.removed, result.changed, result.moves) == ((), (), (), ())
    assert result.model_changes == ()


def test_a_renamed_option_is_one_removed_and_one_added(make_set: MakeSet) -> None:
    old = load([str(make_set({"a.toml": option_toml("a", 5, 5, 2)}, name="old"))])
    new = load([str(make_set({"a.toml": option_toml("b", 5, 5, 2)}, name="new"))])
    result = diff(old, new)
    assert (result.added, result.removed) == (("b",), ("a",))
    assert result.changed == ()
    assert result.moves == ()
    assert not result.empty


def test_changed_fields_are_key_paths_with_old_and_new(make_set: MakeSet) -> None:
    old = load([str(make_set({"a.toml": option_toml("a", 5, 5, 2, summary='"x"')}, name="old"))])
    text = option_toml("a", 7, 5, 2, summary='"y"').replace('"Option a"', '"Renamed"')
    new = load([str(make_set({"a.toml": text}, name="new"))])
    (changed,) = diff(old, new).changed
    assert changed.id == "a"
    assert changed.fields == (
        FieldChange("title", "Option a", "Renamed"),
        FieldChange("summary", "x", "y"),
        FieldChange("scores.benefit.value", 5, 7),
        FieldChange("scores.benefit.low", 5, 7),
        FieldChange("scores.benefit.high", 5, 7),
    )


def test_a_short_form_score_equals_its_long_form(make_set: MakeSet) -> None:
    long_form = option_toml("a", 5, 5, 2).replace(
        "benefit = 5", "benefit = { value = 5, low = 5, high = 5 }"
    )
    old = load([str(make_set({"a.toml": option_toml("a", 5, 5, 2)}, name="old"))])
    new = load([str(make_set({"a.toml": long_form}, name="new"))])
    assert diff(old, new).empty


def test_moving_an_option_to_another_file_is_not_a_change(make_set: MakeSet) -> None:
    both = option_toml("a", 5, 5, 2) + option_toml("b", 6, 5, 2)
    old = load([str(make_set({"one.toml": both}, name="old"))])
    new = load(
        [
            str(
                make_set(
                    {"x.toml": option_toml("a", 5, 5, 2), "y.toml": option_toml("b", 6, 5, 2)},
                    name="new",
                )
            )
        ]
    )
    assert diff(old, new).empty


def test_a_change_of_weights_shows_as_model_changes_and_moves(make_set: MakeSet) -> None:
    files = {"a.toml": option_toml("a", 9, 1, 5) + option_toml("b", 3, 9, 5)}
    old = load([str(make_set(files, name="old"))])
    heavier = MODEL.replace(
        "benefit = 0.5, feasibility = 0.3, linkage = 0.2",
        "benefit = 0.2, feasibility = 0.6, linkage = 0.2",
    )
    new = load([str(make_set(files, heavier, name="new"))])
    result = diff(old, new)
    assert result.changed == ()
    assert [c.path for c in result.model_changes] == [
        "profiles.main.weights.benefit",
        "profiles.main.weights.feasibility",
    ]
    assert result.model_changes[0] == FieldChange("profiles.main.weights.benefit", 0.5, 0.2)
    assert [(m.id, m.old_rank, m.new_rank) for m in result.moves] == [("b", 2, 1), ("a", 1, 2)]
    assert result.moves[0].old_score == pytest.approx(50 * 0.3 + 30 * 0.9 + 20 * 0.5)


def test_an_option_screened_out_on_one_side_moves_to_no_rank(make_set: MakeSet) -> None:
    old = load([str(make_set({"a.toml": option_toml("a", 5, 5, 2)}, name="old"))])
    screened = MODEL + "\n[screen]\nmax = { linkage = 1 }\n"
    new = load([str(make_set({"a.toml": option_toml("a", 5, 5, 2)}, screened, name="new"))])
    result = diff(old, new)
    assert result.moves == (Move("a", 1, None, result.moves[0].old_score, None),)
    assert [c.path for c in result.model_changes] == ["screen.max.linkage"]


def test_the_old_side_uses_its_default_when_the_profile_is_new(make_set: MakeSet) -> None:
    files = {"a.toml": option_toml("a", 5, 5, 2)}
    old = load([str(make_set(files, name="old"))])
    renamed = MODEL.replace("[profiles.main]", "[profiles.primary]")
    new = load([str(make_set(files, renamed, name="new"))])
    old_lens, new_lens, notes = paired_lenses(old.model, new.model)
    assert (old_lens.profile, new_lens.profile) == ("main", "primary")
    assert notes == [
        "the old version has no profile 'primary'; its default profile 'main' scores it"
    ]
    result = diff_sets(old, new, old_lens, new_lens)
    assert [c.path for c in result.model_changes] == [
        "default_profile",
        "profiles.main",
        "profiles.primary",
    ]
    assert result.moves == ()


def test_tree_diff_quotes_keys_that_are_not_bare_and_keeps_true_apart_from_1() -> None:
    old = {"meta": {"as.of": "2025", "flag": 1}}
    new = {"meta": {"as.of": "2026", "flag": True, "extra": [1, 2]}}
    assert tree_diff(old, new) == [
        FieldChange('meta."as.of"', "2025", "2026"),
        FieldChange("meta.flag", 1, True),
        FieldChange("meta.extra", None, [1, 2]),
    ]


def test_plain_makes_dates_iso_strings_tuples_lists_and_nan_a_string() -> None:
    value = {"when": datetime.date(2026, 1, 2), "list": (1, (2, 3)), "x": math.nan}
    assert plain(value) == {"when": "2026-01-02", "list": [1, [2, 3]], "x": "nan"}


def test_diff_of_ten_thousand_options_is_fast() -> None:
    """Matched by id through dicts: a quadratic diff would take minutes here."""
    base = load([str(OPTIONS)])
    template = base.options[0]
    options = tuple(
        replace(
            template,
            id=f"o{k}",
            scores={
                c: Score(float(v), float(v), float(v))
                for c, v in zip(
                    ("benefit", "feasibility", "linkage"), (k % 9 + 1, k % 7, k % 5), strict=True
                )
            },
        )
        for k in range(10_000)
    )
    old = replace(base, options=options)
    changed: list[Option] = list(options)
    changed[5] = replace(changed[5], title="Changed")
    new = replace(base, options=tuple(changed[1:]))
    started = time.perf_counter()
    result = diff(old, new)
    assert time.perf_counter() - started < 20
    assert result.removed == ("o0",)
    assert [c.id for c in result.changed] == ["o5"]


def test_custom_weights_score_both_sides_and_must_fit_the_old_model(make_set: MakeSet) -> None:
    files = {"a.toml": option_toml("a", 5, 5, 2)}
    old = load([str(make_set(files, name="old"))])
    weights = {"benefit": 1.0, "feasibility": 1.0, "linkage": 2.0}
    old_lens, new_lens, _ = paired_lenses(old.model, old.model, weights=weights)
    assert old_lens == new_lens
    assert old_lens.weights == (0.25, 0.25, 0.5)
    extra = (
        MODEL.replace("[profiles.main]", "[criteria.cost]\n\n[profiles.main]")
        .replace("linkage = 0.2 }", "linkage = 0.2, cost = 0 }")
        .replace("linkage = 1 }", "linkage = 1, cost = 1 }")
    )
    new = load(
        [str(make_set({"a.toml": option_toml("a", 5, 5, 2) + "cost = 1\n"}, extra, name="new"))]
    )
    with pytest.raises(UsageError, match=r"^the old version: weights") as caught:
        paired_lenses(old.model, new.model, weights={**weights, "cost": 1.0})
    assert caught.value.fields == ("weights",)  # the CLI words it --weights
