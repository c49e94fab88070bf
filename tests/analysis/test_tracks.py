"""`tracks`: per-track count, best, mean linkage, and the standalone agenda."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from engage.analysis.tracks import track_report
from engage.core.errors import UsageError
from engage.core.model import OptionSet, Screen
from engage.core.ranking import Selection, rank, resolve_lens
from engage.io.loader import load
from tests.conftest import MODEL, OPTIONS, option_toml

MakeSet = Callable[..., Path]


def shipped() -> OptionSet:
    return load([str(OPTIONS)])


def test_all_six_shipped_tracks_are_listed_in_model_order() -> None:
    option_set = shipped()
    report = track_report(option_set, resolve_lens(option_set.model))
    assert [t.track for t in report.tracks] == [
        "security",
        "economic",
        "humanitarian",
        "rights",
        "political",
        "other",
    ]
    # the ranked options only: not the baseline (res-2615-carveout, humanitarian) nor the one
    # screened out (performance-based-roadmap, political)
    assert sum(t.count for t in report.tracks) == len(option_set.options) - 2 == 29
    assert [t.count for t in report.tracks] == [4, 6, 8, 7, 3, 1]
    humanitarian = report.tracks[2]
    assert humanitarian.best is not None
    assert humanitarian.best.option.id == "humanitarian-ringfence"
    # benefit 7, feasibility 3 (42.5 on the curve), linkage 1: 0.45·70 + 0.35·42.5 + 0.20·90
    assert humanitarian.best.score == pytest.approx(0.45 * 70 + 0.35 * 42.5 + 0.20 * 90)
    assert humanitarian.best.score == pytest.approx(64.375)


def test_best_is_the_top_ranked_option_of_each_track() -> None:
    option_set = shipped()
    lens = resolve_lens(option_set.model, "standalone")
    report = track_report(option_set, lens)
    ranking = rank(option_set, lens)
    for t in report.tracks:
        rows = [r for r in ranking.rows if r.option.track == t.track]
        assert t.best is not None
        assert t.best.option.id == rows[0].option.id


def test_an_empty_track_has_count_0_no_best_and_no_mean(make_set: MakeSet) -> None:
    root = make_set({"a.toml": option_toml("a", 5, 5, 2) + option_toml("b", 6, 5, 4)})
    option_set = load([str(root)])
    report = track_report(option_set, resolve_lens(option_set.model))
    assert [(t.track, t.count) for t in report.tracks] == [
        ("security", 2),
        ("economic", 0),
        ("humanitarian", 0),
    ]
    assert report.tracks[1].best is None
    assert report.tracks[1].mean_linkage is None
    assert report.tracks[0].mean_linkage == 3.0


def test_mean_linkage_is_in_the_criterion_units_not_rescaled(make_set: MakeSet) -> None:
    model = MODEL.replace('better = "lower"', 'better = "lower"\nscale = [0, 40]')
    root = make_set({"a.toml": option_toml("a", 5, 5, 10) + option_toml("b", 5, 5, 30)}, model)
    option_set = load([str(root)])
    report = track_report(option_set, resolve_lens(option_set.model))
    assert report.tracks[0].mean_linkage == 20.0
    assert report.standalone is not None
    assert report.standalone.max_linkage == 20.0  # the midpoint of [0, 40]


def test_the_standalone_agenda_takes_the_best_option_under_the_linkage_bound_per_track(
    make_set: MakeSet,
) -> None:
    """In security the top option is too linked, so the next one is taken; economic has
    none under the bound and is left out."""
    root = make_set(
        {
            "a.toml": option_toml("top", 10, 10, 8)
            + option_toml("next", 6, 6, 2)
            + option_toml("last", 2, 2, 1)
            + option_toml("econ", 8, 8, 7, track="economic")
            + option_toml("aid", 7, 7, 5, track="humanitarian")
        }
    )
    option_set = load([str(root)])
    lens = resolve_lens(option_set.model)
    report = track_report(option_set, lens)
    assert report.standalone is not None
    assert report.standalone.max_linkage == 5.0
    picks = [r.option.id for r in report.standalone.rows]
    assert picks == ["next", "aid"]
    assert report.standalone.total == pytest.approx(sum(r.score for r in report.standalone.rows))
    tight = track_report(option_set, lens, max_linkage=1)
    assert tight.standalone is not None
    assert [r.option.id for r in tight.standalone.rows] == ["last"]


def test_screened_out_options_are_counted_apart(make_set: MakeSet) -> None:
    root = make_set({"a.toml": option_toml("a", 5, 5, 2) + option_toml("b", 6, 5, 9)})
    option_set = load([str(root)])
    selection = Selection(screens=(Screen("linkage", "max", 8),))
    report = track_report(option_set, resolve_lens(option_set.model), selection)
    assert (report.tracks[0].count, report.tracks[0].screened_out) == (1, 1)


def test_track_flag_lists_only_those_tracks() -> None:
    option_set = shipped()
    selection = Selection(tracks=("rights", "security"))
    report = track_report(option_set, resolve_lens(option_set.model), selection)
    assert [t.track for t in report.tracks] == ["security", "rights"]


def test_without_a_linkage_role_there_is_no_mean_nor_standalone_agenda(make_set: MakeSet) -> None:
    model = MODEL.replace('role = "linkage"\n', "")
    option_set = load([str(make_set({"a.toml": option_toml("a", 5, 5, 2)}, model))])
    lens = resolve_lens(option_set.model)
    report = track_report(option_set, lens)
    assert report.standalone is None
    assert report.tracks[0].mean_linkage is None
    with pytest.raises(UsageError, match=r"^max_linkage needs a criterion"):
        track_report(option_set, lens, max_linkage=3)
