"""What changed between two versions of an option set: options, fields, ranks, the model.

Everything is matched by id through dicts, so a diff is linear in the size of the sets
(plus the two rankings, O(n log n)); nothing compares every option with every other.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engage.core.errors import UsageError
from engage.core.model import Model, Option, OptionSet
from engage.core.preference import PREFERENCE_PARAMETERS
from engage.core.ranking import CUSTOM_PROFILE, Lens, Ranked, Ranking, rank, resolve_lens

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One key path whose value differs; ``None`` on the side where it is absent."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class Changed:
    id: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class Move:
    """An option in both versions whose rank or score differs (rank None: screened out
    there, or the baseline when it has a score)."""

    id: str
    old_rank: int | None
    new_rank: int | None
    old_score: float | None
    new_score: float | None


@dataclass(frozen=True, slots=True)
class SetDiff:
    old: Ranking
    new: Ranking
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[Changed, ...]
    moves: tuple[Move, ...]
    model_changes: tuple[FieldChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moves or self.model_changes)


def paired_lenses(
    old: Model,
    new: Model,
    profile: str | None = None,
    method: str | None = None,
    weights: dict[str, float] | None = None,
) -> tuple[Lens, Lens, list[str]]:
    """The current lens on the new model and the same profile name and method on the old.

    The profile defaults to the new model's default and the method to the new model's
    default method. When the old model has no profile of that name, the old side uses
    its own default profile (a note says so) rather than failing: a renamed profile is
    one of the changes a diff is asked to show.
    """
    new_lens = resolve_lens(new, profile, method, weights)
    notes: list[str] = []
    if weights is not None:
        try:
            old_lens = resolve_lens(old, None, new_lens.method, weights)
        except UsageError as exc:
            message = f"the old version: {exc.template}"
            raise UsageError(message, hint=exc.hint_template, field=exc.fields) from None
        return old_lens, new_lens, notes
    names = [p.name for p in old.profiles]
    old_profile = new_lens.profile
    if old_profile not in names and new_lens.profile != CUSTOM_PROFILE:
        old_profile = old.default_profile
        notes.append(
            f"the old version has no profile '{new_lens.profile}'; "
            f"its default profile '{old_profile}' scores it"
        )
    return resolve_lens(old, old_profile, new_lens.method), new_lens, notes


def diff_sets(old: OptionSet, new: OptionSet, old_lens: Lens, new_lens: Lens) -> SetDiff:
    """Options added, removed and changed, rank moves and score changes, model changes.

    Each side is ranked under its own model and its lens (the model's screens apply), so
    a change of weights or scales shows as moves. Field changes compare the resolved
    values (a short-form score equals its long form) as key paths like
    ``scores.benefit.value``; the file an option sits in is not a field. Lists compare
    whole. Results are in id order; moves in new rank order.
    """
    old_by_id = {o.id: o for o in old.options}
    new_by_id = {o.id: o for o in new.options}
    added = tuple(sorted(i for i in new_by_id if i not in old_by_id))
    removed = tuple(sorted(i for i in old_by_id if i not in new_by_id))
    common = sorted(i for i in new_by_id if i in old_by_id)
    changed = []
    for option_id in common:
        fields = tree_diff(option_tree(old_by_id[option_id]), option_tree(new_by_id[option_id]))
        if fields:
            changed.append(Changed(option_id, tuple(fields)))
    old_ranking, new_ranking = rank(old, old_lens), rank(new, new_lens)
    moves = _moves(common, old_ranking, new_ranking)
    model_changes = tree_diff(model_tree(old.model), model_tree(new.model))
    return SetDiff(
        old_ranking, new_ranking, added, removed, tuple(changed), moves, tuple(model_changes)
    )


def _moves(common: list[str], old: Ranking, new: Ranking) -> tuple[Move, ...]:
    old_rows: dict[str, Ranked] = {r.option.id: r for r in old.rows}
    new_rows: dict[str, Ranked] = {r.option.id: r for r in new.rows}
    moves = []
    for option_id in common:
        old_rank, old_score = _standing(old, old_rows.get(option_id), option_id)
        new_rank, new_score = _standing(new, new_rows.get(option_id), option_id)
        if (old_rank, old_score) != (new_rank, new_score):
            moves.append(Move(option_id, old_rank, new_rank, old_score, new_score))
    unranked = len(new.rows) + 1
    moves.sort(key=lambda m: (m.new_rank or unranked, m.id))
    return tuple(moves)


def _standing(
    ranking: Ranking, row: Ranked | None, option_id: str
) -> tuple[int | None, float | None]:
    """Rank and score of an id: the baseline has a score and no rank; screened out, neither."""
    if row is not None:
        return row.rank, row.score
    base = ranking.baseline
    if base is not None and base.option.id == option_id:
        return None, base.score
    return None, None


def option_tree(option: Option) -> dict[str, Any]:
    """An option's resolved fields as plain nested data (the keys of its TOML table)."""
    return {
        "title": option.title,
        "track": option.track,
        "summary": option.summary,
        "actors": list(option.actors),
        "tags": list(option.tags),
        "scores": {
            cid: {
                "value": s.value,
                "low": s.low,
                "high": s.high,
                "intrinsic": s.intrinsic,
                "by": dict(s.by) if s.by is not None else None,
                "rationale": s.rationale,
                "sources": list(s.sources),
            }
            for cid, s in option.scores.items()
        },
        "costs": {
            rid: {
                "value": c.value,
                "low": c.low,
                "high": c.high,
                "rationale": c.rationale,
                "sources": list(c.sources),
            }
            for rid, c in option.costs.items()
        },
        "requires": list(option.requires),
        "conflicts": list(option.conflicts),
        "meta": plain(option.meta),
    }


def model_tree(model: Model) -> dict[str, Any]:
    """A model's resolved settings as plain nested data (weights normalised, defaults filled)."""
    return {
        "title": model.title,
        "tracks": list(model.tracks) if model.tracks is not None else None,
        "default_profile": model.default_profile,
        "default_method": model.default_method,
        "baseline": model.baseline,
        "criteria": {
            c.id: {
                "label": c.label,
                "description": c.description,
                "better": "higher" if c.higher_is_better else "lower",
                "scale": [c.lo, c.hi],
                "role": c.role,
                "preference": {
                    "function": c.preference.function,
                    **{
                        k: getattr(c.preference, k)
                        for k in PREFERENCE_PARAMETERS[c.preference.function]
                    },
                },
            }
            for c in model.criteria
        },
        "profiles": {
            p.name: {
                "description": p.description,
                "weights": dict(zip(model.criterion_ids, p.weights, strict=True)),
            }
            for p in model.profiles
        },
        "screen": {
            kind: {s.criterion: s.bound for s in model.screens if s.kind == kind}
            for kind in ("min", "max")
        },
        "decouple": {"stall_probability": model.stall_probability},
        "resources": {
            r.id: {"label": r.label, "unit": r.unit, "limit": r.limit} for r in model.resources
        },
        "portfolio": {
            "min_track": dict(model.portfolio.min_track),
            "max_track": dict(model.portfolio.max_track),
            "max_options": model.portfolio.max_options,
        },
    }


def tree_diff(old: Any, new: Any, prefix: str = "") -> list[FieldChange]:
    """The key paths at which two nested dicts differ, in the old one's key order.

    A key present on one side only is one change at that key (with the whole value);
    anything that is not a dict on both sides (lists included) compares whole.
    """
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        out: list[FieldChange] = []
        for key in [*old, *(k for k in new if k not in old)]:
            path = _join(prefix, str(key))
            if key not in old:
                out.append(FieldChange(path, None, new[key]))
            elif key not in new:
                out.append(FieldChange(path, old[key], None))
            else:
                out.extend(tree_diff(old[key], new[key], path))
        return out
    if old != new or isinstance(old, bool) != isinstance(new, bool):  # true == 1 in Python
        return [FieldChange(prefix, old, new)]
    return []


def _join(prefix: str, key: str) -> str:
    """TOML's dotted keys: a key that is not bare is quoted (``meta."as.of"``)."""
    part = key if _BARE_KEY.match(key) else '"' + key.replace('"', '\\"') + '"'
    return f"{prefix}.{part}" if prefix else part


def plain(value: Any) -> Any:
    """Free-form data as JSON-ready values: dates and times as ISO strings, tuples as lists.

    TOML allows nan and inf, which JSON cannot carry (and nan != nan would show as a
    change): they become the strings "nan", "inf" and "-inf".
    """
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value
