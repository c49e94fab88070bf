"""`engage weigh`: the elicited weights as a table, a `[profiles.NAME]` block, or JSON."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from engage.analysis.weigh import CR_LIMIT, Consistency, Elicitation, Triple
from engage.io.answers import ANSWER_KEY
from engage.render.common import dumps_json, envelope, number

if TYPE_CHECKING:
    from rich.console import RenderableType

BAR_WIDTH = 20
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


# -- the record: what the profile's elicitation table holds ----------------------------------


def record(e: Elicitation) -> dict[str, Any]:
    """The ``elicitation`` table of the profile (docs/methods.md#eliciting-weights-engage-weigh):
    method, over (swing), the
    participants and, in the same order, each one's answers as written."""
    out: dict[str, Any] = {"method": e.method}
    if e.over is not None:
        out["over"] = e.over
    out["participants"] = [a.participant for a in e.answers]
    out["answers"] = [a.written for a in e.answers]
    return out


def profile(e: Elicitation) -> dict[str, Any]:
    """The ``[profiles.NAME]`` table: description, weights at full precision, elicitation."""
    weights = {c.id: w for c, w in zip(e.criteria, e.weights, strict=True)}
    return {"description": e.description, "weights": weights, "elicitation": record(e)}


def to_toml(e: Elicitation) -> str:
    """The block to append to ``engage.toml``, laid out as a person would write it."""
    table = profile(e)
    rec = table["elicitation"]
    lines = [
        f"[profiles.{_key(e.name)}]",
        f"description = {_value(table['description'])}",
        f"weights = {_value(table['weights'])}",
        "",
        f"[profiles.{_key(e.name)}.elicitation]",
        f"method = {_value(rec['method'])}",
    ]
    if "over" in rec:
        lines.append(f"over = {_value(rec['over'])}")
    lines.append(f"participants = {_value(rec['participants'])}")
    lines += ["answers = [", *(f"    {_value(a)}," for a in rec["answers"]), "]"]
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _string(text: str) -> str:
    import tomli_w

    # tomli-w knows TOML's escapes; take the value back out of a one-key document
    return tomli_w.dumps({"k": text}).removeprefix("k = ").rstrip("\n")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{_key(str(k))} = {_value(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    raise TypeError(f"no TOML form for {type(value).__name__}")  # pragma: no cover - a bug


# -- JSON ------------------------------------------------------------------------------------


def _consistency(c: Consistency | None, ids: list[str]) -> dict[str, Any] | None:
    if c is None:
        return None
    out: dict[str, Any] = {"lambda_max": c.lambda_max, "ci": c.ci, "cr": c.cr}
    if c.triple is not None:
        i, j, k = c.triple.indexes
        out["most_inconsistent"] = {
            "criteria": [ids[i], ids[j], ids[k]],
            "judged": [c.triple.first, c.triple.second],
            "implied": c.triple.implied,
            "given": c.triple.given,
        }
    return out


def payload(e: Elicitation) -> dict[str, Any]:
    ids = [c.id for c in e.criteria]
    key = ANSWER_KEY[e.method]
    return envelope(
        "weigh",
        method=e.method,
        name=e.name,
        over=e.over,
        description=e.description,
        weights=dict(zip(ids, e.weights, strict=True)),
        answers=[{"participant": a.participant, key: a.written} for a in e.answers],
        participants=[
            {
                "participant": p.participant,
                "weights": dict(zip(ids, p.weights, strict=True)),
                "consistency": _consistency(p.consistency, ids),
            }
            for p in e.participants
        ],
        consistency=_consistency(e.consistency, ids),
        swings=(
            {c.id: list(r) for c, r in zip(e.criteria, e.ranges, strict=True)}
            if e.method == "swing"
            else None
        ),
    )


def to_json(e: Elicitation) -> str:
    return dumps_json(payload(e))


# -- for people ------------------------------------------------------------------------------


def _ratio(x: float) -> str:
    """A ratio as Saaty's scale writes it: 9, 1/3, else three figures."""
    if x >= 1 and abs(x - round(x)) < 1e-9:
        return str(round(x))
    if x < 1 and abs(1 / x - round(1 / x)) < 1e-9:
        return f"1/{round(1 / x)}"
    return f"{x:.3g}"


def triple_text(ids: list[str], triple: Triple) -> str:
    """``a:b = 3 and b:c = 3 imply a:c = 9, but it is judged 1/2``."""
    i, j, k = triple.indexes
    return (
        f"{ids[i]}:{ids[j]} = {_ratio(triple.first)} and {ids[j]}:{ids[k]} = "
        f"{_ratio(triple.second)} imply {ids[i]}:{ids[k]} = {_ratio(triple.implied)}, "
        f"but it is judged {_ratio(triple.given)}"
    )


def consistency_line(c: Consistency) -> str:
    verdict = "acceptable" if c.acceptable else "too inconsistent"
    return (
        f"λmax {c.lambda_max:.3f}, CI {c.ci:.3f}, CR {c.cr:.3f} "
        f"({verdict}: Saaty's limit is {CR_LIMIT:.2f})"
    )


def warnings(e: Elicitation) -> list[str]:
    """One warning per matrix with CR > 0.10, naming its most inconsistent triple."""
    ids = [c.id for c in e.criteria]
    out = []
    for who, c in e.inconsistent:
        whose = f"{who}'s judgements" if who and who != "group" else "the judgements"
        if who == "group":
            whose = "the group's (geometric mean) judgements"
        line = f"warning: {whose} are inconsistent: CR {c.cr:.3f} > {CR_LIMIT:.2f}"
        if c.triple is not None:
            line += f"; the most inconsistent triple: {triple_text(ids, c.triple)}"
        out.append(line)
    return out


def _title(e: Elicitation) -> str:
    kind = {"swing": "swing weighting", "rank": "rank-order centroid", "pairwise": "AHP"}
    text = f"Profile {e.name}: {kind[e.method]}"
    if e.over is not None:
        text += " over the options in the set" if e.over == "set" else " over the whole scales"
    return text


def table(e: Elicitation, width: int) -> RenderableType:
    """Weights with bars (each participant's, the group's and its spread), what one point
    of each criterion is worth in points of the others, consistency, participants."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    group = len(e.participants) > 1
    grid = Table(box=box.SIMPLE_HEAD, title=Text(_title(e)), title_justify="left", pad_edge=False)
    grid.add_column("criterion", no_wrap=True)
    if e.method == "swing":
        grid.add_column("swing", no_wrap=True)
    answer = {"swing": "points", "rank": "position", "pairwise": None}[e.method]
    if group:
        for p in e.participants:
            grid.add_column(Text(p.participant), justify="right", max_width=12)
    elif answer:
        grid.add_column(answer, justify="right")
    grid.add_column("weight", justify="right", no_wrap=True)
    if group:
        grid.add_column("spread", justify="right", no_wrap=True)
    bar = width >= 60 + 10 * len(e.participants) * group
    if bar:
        grid.add_column("", width=BAR_WIDTH, no_wrap=True)
    for j in range(len(e.criteria)):
        grid.add_row(*_row(e, j, bar=bar))
    return Group(grid, _worth(e), Text("\n".join(footer_lines(e)), style="dim"))


def _row(e: Elicitation, j: int, *, bar: bool) -> list[RenderableType]:
    from rich.bar import Bar
    from rich.text import Text

    c = e.criteria[j]
    cells: list[RenderableType] = [Text(f"{c.id} {c.arrow}")]
    if e.method == "swing":
        worst, best = e.ranges[j]
        cells.append(f"{number(worst)} → {number(best)}")
    if len(e.participants) > 1:
        values = [p.weights[j] for p in e.participants]
        cells += [f"{v:.3f}" for v in values]
        cells += [f"{e.weights[j]:.3f}", f"{min(values):.3f}–{max(values):.3f}"]
    else:
        a = e.answers[0]
        if a.points is not None:
            cells.append(number(a.points[j]))
        elif a.levels is not None:
            cells.append(_positions(e)[j])
        cells.append(f"{e.weights[j]:.3f}")
    if bar:
        cells.append(Bar(size=1.0, begin=0, end=e.weights[j], width=BAR_WIDTH, color="cyan"))
    return cells


def _positions(e: Elicitation) -> list[str]:
    """Each criterion's place in a single rank order (``2=`` for a tie)."""
    out = [""] * len(e.criteria)
    levels = e.answers[0].levels if e.answers else None
    position = 1
    for level in levels or ():
        for index in level:
            out[index] = f"{position}{'=' * (len(level) > 1)}"
        position += len(level)
    return out


def _worth(e: Elicitation) -> RenderableType:
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    worth = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    worth.add_column("one point of")
    for c in e.criteria:
        worth.add_column(Text(c.id), justify="right")
    for c, row in zip(e.criteria, e.point_values(), strict=True):
        worth.add_row(Text(c.id), *("—" if x is None else f"{x:.2f}" for x in row))
    heading = Text("\nWhat one point of each criterion (row) is worth in points of the others:")
    return Group(heading, worth)


def footer_lines(e: Elicitation) -> list[str]:
    lines = []
    if e.consistency is not None:
        who = "group (geometric mean of the judgements)" if len(e.participants) > 1 else ""
        lines.append(
            f"consistency{f' of the {who}' if who else ''}: {consistency_line(e.consistency)}"
        )
        if len(e.participants) > 1:
            lines += [
                f"  {p.participant}: CR {p.consistency.cr:.3f}"
                for p in e.participants
                if p.consistency is not None
            ]
    names = ", ".join(p.participant for p in e.participants)
    how = "mean of their weights" if e.method != "pairwise" else "geometric mean of judgements"
    count = len(e.participants)
    lines.append(
        f"participants: {names}" + (f" ({count}; group weights = {how})" if count > 1 else "")
    )
    lines.append(f"description: {e.description}")
    return lines
