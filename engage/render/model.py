"""`engage model`: the resolved model as a table, JSON, TOML or Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engage.core.model import Criterion, Elicitation, Model, Profile
from engage.core.preference import PREFERENCE_PARAMETERS
from engage.render.common import dumps_json, envelope, markdown_table, number
from engage.render.markup import md_code, md_text

if TYPE_CHECKING:
    from rich.console import RenderableType


def as_dict(model: Model) -> dict[str, Any]:
    """The model with every default filled in, in the shape of ``engage.toml``."""
    out: dict[str, Any] = {"schema_version": 1, "title": model.title}
    if model.tracks is not None:
        out["tracks"] = list(model.tracks)
    out["default_profile"] = model.default_profile
    out["default_method"] = model.default_method
    if model.baseline is not None:
        out["baseline"] = model.baseline
    out["criteria"] = {c.id: _criterion(c) for c in model.criteria}
    out["profiles"] = {
        p.name: {
            **({"description": p.description} if p.description else {}),
            "weights": dict(zip(model.criterion_ids, p.weights, strict=True)),
            **({"elicitation": _elicitation(p.elicitation)} if p.elicitation else {}),
        }
        for p in model.profiles
    }
    out["screen"] = {
        kind: {s.criterion: s.bound for s in model.screens if s.kind == kind}
        for kind in ("min", "max")
    }
    out["decouple"] = {"stall_probability": model.stall_probability}
    out.update(portfolio_tables(model))
    return out


def portfolio_tables(model: Model) -> dict[str, Any]:
    """``resources`` and ``portfolio`` in the shape of ``engage.toml``, each only when the
    model declares it (a model without them reads back the same)."""
    out: dict[str, Any] = {}
    if model.resources:
        out["resources"] = {
            r.id: {
                "label": r.label,
                **({"unit": r.unit} if r.unit is not None else {}),
                **({"limit": r.limit} if r.limit is not None else {}),
            }
            for r in model.resources
        }
    p = model.portfolio
    table: dict[str, Any] = {}
    if p.min_track:
        table["min_track"] = dict(p.min_track)
    if p.max_track:
        table["max_track"] = dict(p.max_track)
    if p.max_options is not None:
        table["max_options"] = p.max_options
    if table:
        out["portfolio"] = table
    return out


def _elicitation(e: Elicitation) -> dict[str, Any]:
    return {
        "method": e.method,
        **({"over": e.over} if e.over else {}),
        **({"participants": list(e.participants)} if e.participants else {}),
        **({"answers": list(e.answers)} if e.answers else {}),
    }


_METHOD_WORDS = {
    "swing": "swing",
    "rank": "rank order",
    "pairwise": "pairwise (AHP)",
    "explore": "explored live",
}


def weights_origin(profile: Profile) -> str:
    """Where a profile's weights came from, in a few words for tables and briefings."""
    e = profile.elicitation
    if e is None:
        return "set in the model"
    text = _METHOD_WORDS[e.method]
    if e.over:
        text += f" over the {e.over}"
    count = len(e.participants)
    if count == 0:
        return text
    return f"{text}, {e.participants[0] if count == 1 else f'{count} participants'}"


def weights_sentence(model: Model, profile_name: str) -> str:
    """For a briefing: where the weights it ranks with came from."""
    if profile_name not in [p.name for p in model.profiles]:
        return "Weights given on the command line (--weights), not a profile of the model."
    p = model.profile(profile_name)
    text = f"Weights of profile {p.name}"
    text += f" ({p.description.rstrip('.')})." if p.description else "."
    e = p.elicitation
    if e is None:
        return text + " The model records no elicitation for them."
    method = {"swing": "swing weighting", "rank": "a rank order", "pairwise": "pairwise (AHP)"}
    over = {"set": " over the options in the set", "scale": " over the whole scales", None: ""}
    if e.method == "explore":
        who = f" with {', '.join(e.participants)}" if e.participants else ""
        return f"{text} Set by moving the weights live in engage explore{who}."
    who = ", ".join(e.participants)
    count = f"{len(e.participants)} participant{'s' * (len(e.participants) != 1)}"
    return f"{text} Elicited by {method[e.method]}{over[e.over]} from {count}: {who}."


def _criterion(c: Criterion) -> dict[str, Any]:
    out: dict[str, Any] = {"label": c.label}
    if c.description:
        out["description"] = c.description
    out["better"] = "higher" if c.higher_is_better else "lower"
    out["scale"] = [c.lo, c.hi]
    if c.role:
        out["role"] = c.role
    pref: dict[str, Any] = {"function": c.preference.function}
    for name in ("q", "p", "s"):
        if name in PREFERENCE_PARAMETERS[c.preference.function]:
            pref[name] = getattr(c.preference, name)
    out["preference"] = pref
    if c.value_function is not None:  # docs/formats.md#value-functions
        out["value_function"] = [[x, v] for x, v in c.value_function]
    return out


def to_json(model: Model, origin: str) -> str:
    return dumps_json(envelope("model", source=origin, model=as_dict(model)))


def to_toml(model: Model) -> str:
    import tomli_w

    return tomli_w.dumps(as_dict(model))


def _preference_text(c: Criterion) -> str:
    params = [
        f"{k}={number(getattr(c.preference, k))}"
        for k in PREFERENCE_PARAMETERS[c.preference.function]
    ]
    return c.preference.function + (f" ({', '.join(params)})" if params else "")


def to_markdown(model: Model, origin: str) -> str:
    criteria = markdown_table(
        ["criterion", "label", "better", "scale", "role", "preference"],
        [
            [
                md_code(c.id),
                c.label,
                f"{'higher' if c.higher_is_better else 'lower'} {c.arrow}",
                f"{number(c.lo)}–{number(c.hi)}",
                c.role or "",
                _preference_text(c),
            ]
            for c in model.criteria
        ],
    )
    profiles = markdown_table(
        ["profile", *model.criterion_ids, "description", "weights from"],
        [
            [
                p.name + (" (default)" if p.name == model.default_profile else ""),
                *(f"{w:.3f}" for w in p.weights),
                p.description or "",
                weights_origin(p),
            ]
            for p in model.profiles
        ],
        "l" + "r" * len(model.criteria) + "ll",
    )
    lines = [f"# {md_text(model.title)}", "", f"Model from {md_text(origin)}.", ""]
    lines += [criteria, profiles, *(f"- {md_text(line)}" for line in _facts(model))]
    return "\n".join(lines) + "\n"


def _facts(model: Model) -> list[str]:
    screens = ", ".join(s.rule for s in model.screens) or "none"
    tracks = ", ".join(model.tracks) if model.tracks is not None else "any (not declared)"
    return [
        f"tracks: {tracks}",
        f"screens: {screens}",
        f"default method: {model.default_method}; default profile: {model.default_profile}",
        f"decouple stall probability: {number(model.stall_probability)}",
        *(
            f"value function of {c.id}: "
            + ", ".join(f"{number(x)} → {number(v)}" for x, v in c.value_function)
            for c in model.criteria
            if c.value_function is not None
        ),
        *([f"baseline (scored, not ranked): {model.baseline}"] if model.baseline else []),
        *_portfolio_facts(model),
    ]


def _portfolio_facts(model: Model) -> list[str]:
    """The resources and the portfolio's defaults, one line each, when declared."""
    out = []
    for r in model.resources:
        unit = f", {r.unit}" if r.unit else ""
        limit = f"limit {number(r.limit)}" if r.limit is not None else "no limit"
        out.append(f"resource {r.id} ({r.label}{unit}): {limit}")
    p = model.portfolio
    parts = [f"min-track {t}={n}" for t, n in p.min_track.items()]
    parts += [f"max-track {t}={n}" for t, n in p.max_track.items()]
    if p.max_options is not None:
        parts.append(f"max-options {p.max_options}")
    if parts:
        out.append("portfolio: " + ", ".join(parts))
    return out


def table(model: Model, origin: str) -> RenderableType:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    criteria = Table(
        box=box.SIMPLE_HEAD,
        title=Text(f"{model.title} (from {origin})"),
        title_justify="left",
        pad_edge=False,
    )
    for name in ("criterion", "label", "better", "scale", "role", "preference"):
        criteria.add_column(name)
    for c in model.criteria:
        criteria.add_row(
            Text(c.id),
            Text(c.label),
            f"{'higher' if c.higher_is_better else 'lower'} {c.arrow}",
            f"{number(c.lo)}–{number(c.hi)}",
            c.role or "",
            _preference_text(c),
        )
    profiles = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    profiles.add_column("profile")
    for cid in model.criterion_ids:
        profiles.add_column(Text(cid), justify="right")
    profiles.add_column("description", ratio=2)
    profiles.add_column("weights from", ratio=1)
    for p in model.profiles:
        name = p.name + (" (default)" if p.name == model.default_profile else "")
        profiles.add_row(
            Text(name),
            *(f"{w:.3f}" for w in p.weights),
            Text(p.description or ""),
            Text(weights_origin(p)),
        )
    return Group(criteria, profiles, Text("\n".join(_facts(model))))
