"""Per track: how many options, the best under the lens, mean linkage; a standalone agenda."""

from __future__ import annotations

import math
from dataclasses import dataclass

from engage.core.errors import UsageError
from engage.core.model import Criterion, OptionSet
from engage.core.ranking import Lens, Ranked, Ranking, Selection, rank


@dataclass(frozen=True, slots=True)
class TrackSummary:
    track: str
    count: int
    """Options of the track that were ranked (after --track, --tag and the screens)."""
    best: Ranked | None
    """The best-ranked option of the track (ties: first in id order); None when empty."""
    mean_linkage: float | None
    """In the linkage criterion's units; None when empty or the model has no linkage role."""
    screened_out: int


@dataclass(frozen=True, slots=True)
class StandaloneAgenda:
    """The best option of each track whose linkage is at most ``max_linkage``."""

    max_linkage: float
    rows: tuple[Ranked, ...]
    total: float


@dataclass(frozen=True, slots=True)
class TrackReport:
    ranking: Ranking
    linkage: Criterion | None
    tracks: tuple[TrackSummary, ...]
    standalone: StandaloneAgenda | None


def track_report(
    option_set: OptionSet,
    lens: Lens,
    selection: Selection | None = None,
    max_linkage: float | None = None,
) -> TrackReport:
    """Summarise every track of the model (empty ones too) under one ranking of the set.

    The set is ranked once under the lens (so TOPSIS and PROMETHEE compare across
    tracks), then split by track. Tracks listed: --track's when given, else the model's
    (or, for a model without tracks, those the options use, sorted). The standalone
    takes, per track, the best-ranked option with linkage <= ``max_linkage`` (default
    the midpoint of the linkage scale) and totals their scores; it needs a criterion
    with role linkage and is None without one.
    """
    model = option_set.model
    selection = selection or Selection()
    ranking = rank(option_set, lens, selection)
    linkage = model.with_role("linkage")
    if linkage is None and max_linkage is not None:
        raise UsageError(
            "`max_linkage` needs a criterion with role 'linkage'",
            hint='declare it in engage.toml: role = "linkage" in that criterion\'s table',
            field="max_linkage",
        )
    if max_linkage is not None and not math.isfinite(max_linkage):
        message = f"`max_linkage` must be a finite number, got {max_linkage:g}"
        raise UsageError(message, field="max_linkage")
    names = _track_names(option_set, selection)
    ranked: dict[str, list[Ranked]] = {t: [] for t in names}
    for row in ranking.rows:  # rank order, so each list's first row is the track's best
        ranked.setdefault(row.option.track, []).append(row)
    screened: dict[str, int] = {}
    for s in ranking.screened_out:
        screened[s.option.track] = screened.get(s.option.track, 0) + 1
    summaries = tuple(
        TrackSummary(
            track=t,
            count=len(ranked[t]),
            best=ranked[t][0] if ranked[t] else None,
            mean_linkage=(
                math.fsum(r.option.scores[linkage.id].value for r in ranked[t]) / len(ranked[t])
                if linkage is not None and ranked[t]
                else None
            ),
            screened_out=screened.get(t, 0),
        )
        for t in names
    )
    standalone = None
    if linkage is not None:
        bound = max_linkage if max_linkage is not None else (linkage.lo + linkage.hi) / 2
        picks = tuple(
            next(r for r in ranked[t] if r.option.scores[linkage.id].value <= bound)
            for t in names
            if any(r.option.scores[linkage.id].value <= bound for r in ranked[t])
        )
        standalone = StandaloneAgenda(bound, picks, math.fsum(r.score for r in picks))
    return TrackReport(ranking, linkage, summaries, standalone)


def _track_names(option_set: OptionSet, selection: Selection) -> list[str]:
    model = option_set.model
    known = list(model.tracks or sorted({o.track for o in option_set.options}))
    if selection.tracks:
        return [t for t in known if t in selection.tracks]
    return known
