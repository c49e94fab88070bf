"""The model's baseline (SPEC §2.3) as `rank` shows it: apart from the ranked options."""

from __future__ import annotations

from typing import Any

from engage.core.ranking import Ranking
from engage.render.common import fixed, unknown_keys


def baseline_keys(ranking: Ranking) -> dict[str, Any] | None:
    """docs/output.md: the baseline apart from ``options`` (null without one)."""
    base = ranking.baseline
    if base is None:
        return None
    ids = ranking.model.criterion_ids
    return {
        "id": base.option.id,
        "title": base.option.title,
        "score": base.score,
        "scores": {c: base.option.scores[c].value for c in ids},
        **unknown_keys(base.option, ranking.model.criteria),  # as a ranked option's
    }


def baseline_note(ranking: Ranking) -> str | None:
    """The footer's line about the baseline, or None."""
    base = ranking.baseline
    if base is None:
        return None
    at = fixed(base.score, ranking.lens.score_unit)
    line = f"baseline: {base.option.id} at {at} (not ranked)"
    if base.inside_set:
        line += f"; {ranking.lens.method} scored it with the ranked options inside the set"
    return line
