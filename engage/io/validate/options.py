"""The set-level rules over the options: coverage, tracks, costs, duplicate ids, links."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from engage.core.errors import Diagnostic, did_you_mean
from engage.core.model import Cost, Model, Option, Score
from engage.io import fastpath
from engage.io.costs import Linked, check_costs, check_link_targets, check_links
from engage.io.costs import cost_warnings as _cost_warnings
from engage.io.document import Document
from engage.io.fastpath import MetaError
from engage.io.validate.scores import check_score as _check_score
from engage.io.validate.scores import score_warnings as _warnings
from engage.io.validate.structure import Path

if TYPE_CHECKING:
    from engage.io.schema import OptionIn


def check_options(
    entries: Iterable[tuple[Document, Path, OptionIn | Option]],
    model: Model,
    *,
    warnings: bool = False,
    ids: Iterable[str] | None = None,
) -> tuple[list[Option], list[Diagnostic]]:
    """Set-level rules: criteria coverage, scales, ranges, tracks, costs, duplicate ids,
    and that ``requires`` and ``conflicts`` name options of the set.

    An entry is a typed table, or an option engage.io.fastpath already resolved and checked
    (only the ids are left to check). With ``warnings``, also what ``validate --strict``
    fails on: a score without rationale, sources or range, a limited resource uncosted.
    ``ids``: the ids of options left out of ``entries`` because their structure failed
    (so that naming one in ``requires`` is not reported as well), read once the entries
    are exhausted.
    """
    criteria = {c.id: c for c in model.criteria}
    first_seen: dict[str, tuple[Document, Path]] = {}
    options: list[Option] = []
    problems: list[Diagnostic] = []
    linked: list[Linked] = []
    for doc, base, raw in entries:
        bad = len(problems)
        if raw.id in first_seen:
            other, other_base = first_seen[raw.id]
            where = other.locate((*other_base, "id"))
            at = f"{other.name}:{where[0]}" if where else other.name
            problems.append(
                doc.error(
                    "duplicate-id", (*base, "id"), f"id '{raw.id}' is also used at {at}", value=True
                )
            )
        else:
            first_seen[raw.id] = (doc, base)
        if raw.requires or raw.conflicts:
            linked.append((doc, base, raw.requires, raw.conflicts))
        if isinstance(raw, Option):
            if len(problems) == bad:
                options.append(raw)
            continue
        problems.extend(check_names(raw.track, list(raw.scores), model, doc, base))
        scores: dict[str, Score] = {}
        for cid, score_in in raw.scores.items():
            criterion = criteria.get(cid)
            if criterion is not None:
                score = _check_score(score_in, criterion, doc, (*base, "scores", cid), problems)
                if score is not None:
                    scores[cid] = score
        meta = plain_meta(raw.meta, doc, (*base, "meta"), problems)
        costs = check_costs(raw.costs, model, doc, (*base, "costs"), problems)
        check_links(raw.id, raw.requires, raw.conflicts, doc, base, problems)
        if len(problems) == bad:
            options.append(_option(raw, (scores, costs), meta, doc, base))
            if warnings:
                problems.extend(_warnings(raw, doc, base))
                problems.extend(_cost_warnings(raw.costs, model, doc, base))
    if linked:
        known = list(dict.fromkeys([*first_seen, *(ids or ())]))
        problems.extend(check_link_targets(linked, known))
    return options, problems


def check_names(
    track: object, scored: list[str], model: Model, doc: Document, base: Path
) -> list[Diagnostic]:
    """The option's track is one of the model's, and it scores exactly the criteria.

    Also run on options whose structure failed, so one run reports these too. A misspelt
    criterion is reported once, as unknown with a hint, not also as a missing score.
    """
    out = []
    if model.tracks is not None and isinstance(track, str) and track not in model.tracks:
        out.append(
            doc.error(
                "unknown-track",
                (*base, "track"),
                f"unknown track '{track}' (tracks: {', '.join(model.tracks)})",
                hint=did_you_mean(track, model.tracks),
                value=True,
            )
        )
    ids = model.criterion_ids
    missing = [c for c in ids if c not in scored]
    for name in scored:
        if name not in ids:
            hint = did_you_mean(name, missing or ids)
            out.append(
                doc.error(
                    "unknown-criterion",
                    (*base, "scores", name),
                    f"'{name}' is not a criterion of the model ({', '.join(ids)})",
                    hint=hint,
                )
            )
            if hint and missing:
                missing = [c for c in missing if f"'{c}'" not in hint]
    out += [doc.error("missing-score", (*base, "scores"), f"no score for '{c}'") for c in missing]
    return out


def plain_meta(
    meta: dict[str, Any], doc: Document, path: Path, problems: list[Diagnostic]
) -> dict[str, Any]:
    """``[option.meta]`` as JSON-ready data (:func:`engage.io.fastpath.plain_meta`); what
    cannot be carried into JSON is a diagnostic, and the table is left out."""
    try:
        return fastpath.plain_meta(meta)
    except MetaError as exc:
        problems.append(doc.error("bad-value", (*path, *exc.path), exc.message, value=True))
        return {}


def _option(
    raw: OptionIn,
    values: tuple[dict[str, Score], dict[str, Cost]],
    meta: dict[str, Any],
    doc: Document,
    base: Path,
) -> Option:
    scores, costs = values
    where = doc.locate(base) if doc.kind != "toml" else None
    return Option(
        id=raw.id,
        title=raw.title,
        track=raw.track,
        scores=scores,
        summary=raw.summary,
        actors=tuple(raw.actors),
        tags=tuple(raw.tags),
        meta=meta,
        file=doc.name,
        line=where[0] if where else None,
        costs=costs,
        requires=tuple(raw.requires),
        conflicts=tuple(raw.conflicts),
    )
