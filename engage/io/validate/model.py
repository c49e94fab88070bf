"""The model's cross-field rules: scales, roles, weights, screens, preferences and
value functions (docs/formats.md#the-model)."""

from __future__ import annotations

from typing import Any

from engage.core.errors import Diagnostic, did_you_mean
from engage.core.model import Criterion, Model, Profile, Screen
from engage.core.preference import PREFERENCE_PARAMETERS, Preference
from engage.core.weights import WeightProblem, check_weights
from engage.io import fastmodel
from engage.io.answers import check_elicitation
from engage.io.costs import check_resources
from engage.io.document import Document
from engage.io.validate.structure import Path, parse_table
from engage.io.validate.value_functions import check_value_function


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
        better = c["better"] == "higher"
        points = c.get("value_function")
        curve = None
        if points is not None and lo < hi:
            at = (*path, "value_function")
            curve = check_value_function(points, lo, hi, better, doc, at, problems)
        criteria.append(
            Criterion(
                id=cid,
                label=c.get("label") or cid,
                description=c.get("description"),
                higher_is_better=better,
                lo=lo,
                hi=hi,
                role=c.get("role"),
                preference=preference,
                value_function=curve,
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
