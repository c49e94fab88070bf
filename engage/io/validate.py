"""Every rule of docs/formats.md, turned into positioned diagnostics.

Two passes: pydantic checks each table's structure and types (translated here into
engage's codes and wording), then the set-level rules that need the model or the whole
set run over the typed values and point back into the documents.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from engage.core.errors import Diagnostic, did_you_mean
from engage.core.model import Cost, Criterion, Model, Option, Profile, Score, Screen, exact_number
from engage.core.preference import PREFERENCE_PARAMETERS, Preference
from engage.core.weights import WeightProblem, check_weights
from engage.io import fastmodel, fastpath
from engage.io.answers import check_elicitation
from engage.io.costs import Linked, check_costs, check_link_targets, check_links, check_resources
from engage.io.costs import cost_warnings as _cost_warnings
from engage.io.document import Document
from engage.io.fastpath import ID_PATTERN, NAME_PATTERN, MetaError

if TYPE_CHECKING:  # engage.io.schema builds pydantic validators: only for tables that need them
    from pydantic import BaseModel, ValidationError

    from engage.io.schema import OptionIn, ScoreIn

Path = tuple[str | int, ...]


# -- structure: pydantic errors in engage's words ----------------------------------------


M = TypeVar("M", bound="BaseModel")


def parse_table(
    cls: type[M], data: object, doc: Document, prefix: Path
) -> tuple[M | None, list[Diagnostic]]:
    """Validate one table against its pydantic model; translate every error."""
    from pydantic import ValidationError

    try:
        return cls.model_validate(data), []
    except ValidationError as exc:
        return None, translate(exc, cls, doc, prefix, data)


def translate(
    exc: ValidationError, cls: type[BaseModel], doc: Document, prefix: Path, data: object
) -> list[Diagnostic]:
    from engage.io.schema import describe

    errors = exc.errors(include_url=False, include_input=True)
    extras = {tuple(e["loc"][:-1]): e for e in errors if e["type"] == "extra_forbidden"}
    out: list[Diagnostic] = []
    for e in errors:
        loc, short_form = _untagged(tuple(e["loc"]))
        path = (*prefix, *loc)
        kind = e["type"]
        if short_form and kind == "not_a_number":  # neither a number nor a table
            message = f"expected a number or a table with 'value', got {describe(e.get('input'))}"
            out.append(doc.error("wrong-type", path, message, value=True))
        elif short_form:  # a number, but not one we take: said of its value, as in the table
            code, message = _message(e, loc)
            out.append(doc.error(code, (*path, "value"), message, value=True))
        elif kind == "extra_forbidden":
            known = _fields_at(cls, loc[:-1])
            key = str(loc[-1])
            out.append(
                doc.error(
                    "unknown-key", path, f"unknown key '{key}'", hint=did_you_mean(key, known)
                )
            )
        elif kind == "missing":
            key = str(loc[-1])
            stray = extras.get(loc[:-1])
            if stray is not None and did_you_mean(str(stray["loc"][-1]), [key]):
                continue  # reported once, as the misspelt key with its hint
            out.append(doc.error("missing-key", path[:-1], f"missing required key '{key}'"))
        elif loc and loc[-1] == "[key]":  # pydantic's marker for a bad key of a table
            code, message = _message(e, loc)
            out.append(doc.error(code, path[:-1], message))
        else:
            code, message = _message(e, loc)
            out.append(doc.error(code, path, message, value=True))
    return out


def _untagged(loc: Path) -> tuple[Path, bool]:
    """The location without the score union's tag, and whether it was the short form.

    A score (or a cost) is a table or a number (``schema.Score``); pydantic puts the
    branch it took in the location: ``('scores', 'benefit', 'number')``.
    """
    for k in range(2, len(loc)):
        if loc[k - 2] in ("scores", "costs") and loc[k] in ("table", "number"):
            return (*loc[:k], *loc[k + 1 :]), loc[k] == "number"
    return loc, False


def _message(e: Any, loc: Path) -> tuple[str, str]:
    kind, value = e["type"], e.get("input")
    got = _describe(value)
    if kind in ("not_a_number", "score_type"):
        return "wrong-type", e["msg"]
    if kind in ("not_finite", "too_large", "finite_number"):
        return "bad-number", e["msg"]
    if kind in ("missing_value", "empty_by"):
        return "missing-key", e["msg"]
    if kind == "string_type":
        return "wrong-type", f"expected a string, got {got}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "wrong-type", f"expected a table, got {got}"
    if kind in ("list_type", "tuple_type"):
        return "wrong-type", f"expected an array, got {got}"
    if kind == "string_pattern_mismatch":
        return "bad-value", _pattern_message(e.get("ctx", {}).get("pattern"), value)
    if kind == "string_too_short" or (kind == "too_short" and isinstance(value, dict | list)):
        return "bad-value", "must not be empty"
    if kind == "literal_error":
        expected = e.get("ctx", {}).get("expected", "")
        return "bad-value", f"{got} is not allowed (expected {expected})"
    if kind in ("less_than_equal", "greater_than_equal"):
        return "out-of-range", f"{value} is outside [0, 1]"
    if kind == "too_long":
        return "bad-value", "expected exactly 2 numbers [lo, hi]"
    if kind == "too_short":
        return "bad-value", "expected exactly 2 numbers [lo, hi]"
    return "bad-value", str(e["msg"])


def _pattern_message(pattern: str | None, value: object) -> str:
    if pattern == ID_PATTERN:
        return (
            f"{value!r} is not an id: lowercase letters, digits and '-', starting with a "
            "letter or digit, at most 64 characters"
        )
    if pattern == NAME_PATTERN:
        return (
            f"{value!r} is not a name: lowercase letters, digits and '-', starting with a "
            "letter, at most 32 characters"
        )
    return "must not be empty or blank"


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37] + "...")
    if isinstance(value, int | float):
        return repr(value)
    kinds = {dict: "a table", list: "an array", type(None): "nothing"}
    return kinds.get(type(value), type(value).__name__)


def _fields_at(cls: type[BaseModel], loc: Path) -> list[str]:
    """The keys allowed in the table at ``loc`` below ``cls`` (for "did you mean")."""
    from pydantic import BaseModel

    annotation: Any = cls
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return []
            annotation = field.annotation
        elif typing.get_origin(annotation) in (dict, list, tuple):
            annotation = typing.get_args(annotation)[-1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


# -- the model ---------------------------------------------------------------------------


def check_model(raw: object, doc: Document, prefix: Path) -> tuple[Model | None, list[Diagnostic]]:
    """Type-check a model table, then its cross-field rules; build the resolved Model.

    The typed table is the schema's ``model_dump(exclude_none=True)``: the plain dict a
    plain table gives straight away (engage.io.fastpath), or what pydantic gives back.
    """
    parsed = fastmodel.model_table(raw)
    problems: list[Diagnostic] = []
    if parsed is None:
        from engage.io.schema import ModelIn

        typed, problems = parse_table(ModelIn, raw, doc, prefix)
        if typed is None:
            return None, problems
        parsed = typed.model_dump(exclude_none=True)
    criteria = _criteria(parsed, doc, prefix, problems)
    ids = [c.id for c in criteria]
    for role in ("benefit", "feasibility", "linkage"):
        holders = [c.id for c in criteria if c.role == role]
        if len(holders) > 1:
            problems.append(
                doc.error(
                    "bad-role",
                    (*prefix, "criteria", holders[1], "role"),
                    f"role '{role}' is already held by '{holders[0]}'",
                    value=True,
                )
            )
    profiles = []
    for name, p in parsed["profiles"].items():
        path = (*prefix, "profiles", name, "weights")
        found: list[WeightProblem] = []
        weights = check_weights(p["weights"], ids, found)
        problems += [
            doc.error(
                "bad-weights", (*path, key) if key else path, m, hint=h, value=key in ids or not key
            )
            for m, h, key in found
        ]
        elicitation = None
        if p.get("elicitation") is not None:  # only the full path (pydantic) gives one
            from engage.io.schema import ElicitationIn

            record = ElicitationIn.model_validate(p["elicitation"])
            at = (*prefix, "profiles", name, "elicitation")
            elicitation, found_there = check_elicitation(record, ids, doc, at)
            problems += found_there
        if weights is not None:
            profiles.append(Profile(name, p.get("description"), weights, elicitation))
    if not parsed["profiles"]:
        equal = tuple(1.0 / len(ids) for _ in ids)
        profiles.append(Profile(name="equal", description="Equal weights", weights=equal))
    asked = parsed.get("default_profile")
    default_profile = asked or profiles[0].name if profiles else "equal"
    if asked is not None and asked not in parsed["profiles"]:
        problems.append(
            doc.error(
                "unknown-profile",
                (*prefix, "default_profile"),
                f"no profile named '{asked}'",
                hint=did_you_mean(asked, list(parsed["profiles"])),
                value=True,
            )
        )
    screens = _screens(parsed, ids, doc, prefix, problems)
    tracks = parsed.get("tracks")
    if tracks is not None and len(set(tracks)) != len(tracks):
        problems.append(doc.error("bad-value", (*prefix, "tracks"), "a track is listed twice"))
    resources, portfolio = check_resources(parsed, tracks, doc, prefix, problems)
    if any(d.severity == "error" for d in problems):
        return None, problems
    model = Model(
        title=parsed["title"],
        criteria=tuple(criteria),
        tracks=tuple(tracks) if tracks is not None else None,
        profiles=tuple(profiles),
        default_profile=default_profile,
        default_method=parsed["default_method"],
        screens=tuple(screens),
        stall_probability=parsed["decouple"]["stall_probability"],
        source=parsed,
        resources=resources,
        portfolio=portfolio,
        baseline=parsed.get("baseline"),
    )
    return model, problems


def _criteria(
    parsed: dict[str, Any], doc: Document, prefix: Path, problems: list[Diagnostic]
) -> list[Criterion]:
    criteria: list[Criterion] = []
    for cid, c in parsed["criteria"].items():
        path = (*prefix, "criteria", cid)
        lo, hi = c["scale"]
        if not lo < hi:
            problems.append(
                doc.error(
                    "bad-scale", (*path, "scale"), f"scale [{lo}, {hi}] needs lo < hi", value=True
                )
            )
        elif not float(hi) - float(lo) < float("inf"):
            message = f"scale [{lo}, {hi}] is too wide (hi - lo overflows)"
            problems.append(doc.error("bad-scale", (*path, "scale"), message, value=True))
        preference = _preference(c.get("preference"), doc, (*path, "preference"), problems)
        criteria.append(
            Criterion(
                id=cid,
                label=c.get("label") or cid,
                description=c.get("description"),
                higher_is_better=c["better"] == "higher",
                lo=lo,
                hi=hi,
                role=c.get("role"),
                preference=preference,
            )
        )
    return criteria


def _screens(
    parsed: dict[str, Any],
    ids: list[str],
    doc: Document,
    prefix: Path,
    problems: list[Diagnostic],
) -> list[Screen]:
    screens = []
    screen = parsed["screen"]
    for kind, bounds in (("min", screen["min"]), ("max", screen["max"])):
        for cid, bound in bounds.items():
            if cid not in ids:
                problems.append(
                    doc.error(
                        "unknown-criterion",
                        (*prefix, "screen", kind, cid),
                        f"screen on unknown criterion '{cid}'",
                        hint=did_you_mean(cid, ids),
                    )
                )
            else:
                screens.append(Screen(cid, "min" if kind == "min" else "max", bound))
    return screens


def _preference(
    pref: dict[str, Any] | None, doc: Document, path: Path, problems: list[Diagnostic]
) -> Preference:
    if pref is None:
        return Preference()
    function = pref["function"]
    needed = PREFERENCE_PARAMETERS[function]
    given = {k: pref.get(k) for k in ("q", "p", "s")}
    for name in needed:
        if given[name] is None:
            problems.append(
                doc.error(
                    "bad-preference",
                    path,
                    f"preference '{function}' needs parameter '{name}'",
                )
            )
    for name, value in given.items():
        if value is not None and name not in needed:
            problems.append(
                doc.error(
                    "bad-preference",
                    (*path, name),
                    f"preference '{function}' takes no parameter '{name}'"
                    + (f" (it takes {', '.join(needed)})" if needed else ""),
                )
            )
    q, p, s = (given[k] or 0.0 for k in ("q", "p", "s"))
    if q < 0:
        problems.append(doc.error("bad-preference", (*path, "q"), "q must be >= 0", value=True))
    if "p" in needed and "q" in needed and given["p"] is not None and not p > q:
        problems.append(doc.error("bad-preference", (*path, "p"), "p must be > q", value=True))
    if function == "v-shape" and given["p"] is not None and not p > 0:
        problems.append(doc.error("bad-preference", (*path, "p"), "p must be > 0", value=True))
    if "s" in needed and given["s"] is not None and not s > 0:
        problems.append(doc.error("bad-preference", (*path, "s"), "s must be > 0", value=True))
    elif "s" in needed and given["s"] is not None and not 2.0 * s * s > 0:
        message = f"s = {s!r} is too small (s² is 0 in floating point)"
        problems.append(doc.error("bad-preference", (*path, "s"), message, value=True))
    return Preference(function, q, p, s)


# -- the options -------------------------------------------------------------------------


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


def _check_intrinsic(
    s: ScoreIn,
    criterion: Criterion,
    value: float,
    doc: Document,
    path: Path,
    problems: list[Diagnostic],
) -> None:
    """``intrinsic`` belongs to the linkage role and lies between the scale's low and value."""
    lo = criterion.lo
    if s.intrinsic is not None:
        if criterion.role != "linkage":
            problems.append(
                doc.error(
                    "bad-value",
                    (*path, "intrinsic"),
                    "'intrinsic' belongs only to the criterion with role 'linkage'",
                )
            )
        elif not lo <= s.intrinsic <= value:
            problems.append(
                doc.error(
                    "out-of-range",
                    (*path, "intrinsic"),
                    f"intrinsic {exact_number(s.intrinsic)} must lie in "
                    f"[{exact_number(lo)}, value {exact_number(value)}]",
                    value=True,
                )
            )


def _has_value(s: ScoreIn, doc: Document, path: Path, problems: list[Diagnostic]) -> bool:
    """A score gives ``value`` or at least one assessor in ``by``."""
    if s.by is not None and not s.by:
        problems.append(doc.error("missing-key", path, "'by' names no assessor"))
        return False
    if s.value is None and not s.by:
        problems.append(doc.error("missing-key", path, "a score needs 'value' (or 'by')"))
        return False
    return True


def _check_score(
    written: ScoreIn | float,
    criterion: Criterion,
    doc: Document,
    path: Path,
    problems: list[Diagnostic],
) -> Score | None:
    lo, hi = criterion.lo, criterion.hi
    if isinstance(written, int | float):  # the short form, `benefit = 4`
        if lo <= written <= hi:
            return Score(written, written, written)
        message = f"{exact_number(written)} is outside the scale {criterion.scale_text}"
        problems.append(doc.error("out-of-range", (*path, "value"), message, value=True))
        return None
    s = written
    value = s.value
    if not _has_value(s, doc, path, problems):
        return None
    if s.by is None and s.intrinsic is None and value is not None:
        # the common case, checked in one go (100,000 options load noticeably faster)
        low = value if s.low is None else s.low
        high = value if s.high is None else s.high
        if lo <= low <= value <= high <= hi:
            return Score(value, low, high, None, s.rationale, tuple(s.sources), None)
    before = len(problems)
    scale = criterion.scale_text
    for assessor, x in (s.by or {}).items():
        if not lo <= x <= hi:
            problems.append(
                doc.error(
                    "out-of-range",
                    (*path, "by", assessor),
                    f"{exact_number(x)} is outside the scale {scale}",
                    value=True,
                )
            )
    if len(problems) > before:
        return None
    value, low, high = s.resolved()
    for key in ("value", "low", "high"):
        x = getattr(s, key)
        if x is not None and not lo <= x <= hi:
            problems.append(
                doc.error(
                    "out-of-range",
                    (*path, key),
                    f"{exact_number(x)} is outside the scale {scale}",
                    value=True,
                )
            )
    if len(problems) == before and not low <= value <= high:
        problems.append(
            doc.error(
                "bad-range",
                path,
                f"needs low <= value <= high, got {exact_number(low)} <= "
                f"{exact_number(value)} <= {exact_number(high)}",
            )
        )
    _check_intrinsic(s, criterion, value, doc, path, problems)
    if len(problems) > before:
        return None
    return Score(
        value=value,
        low=low,
        high=high,
        intrinsic=s.intrinsic,
        rationale=s.rationale,
        sources=tuple(s.sources),
        by=dict(s.by) if s.by else None,
    )


def _warnings(raw: OptionIn, doc: Document, base: Path) -> list[Diagnostic]:
    from engage.io.schema import ScoreIn

    out = []
    for cid, written in raw.scores.items():
        s = ScoreIn(value=written) if isinstance(written, int | float) else written
        path = (*base, "scores", cid)
        if not s.rationale:
            out.append(doc.warning("no-rationale", path, "score has no rationale"))
        if not s.sources:
            out.append(doc.warning("no-sources", path, "score has no sources"))
        ranged = s.low is not None or s.high is not None or (s.by is not None and len(s.by) >= 2)
        if not ranged:
            out.append(doc.warning("no-range", path, "score has no range (give low and high)"))
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
