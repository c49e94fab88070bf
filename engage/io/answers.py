"""The answers of a weight elicitation (`engage weigh`,
docs/methods.md#eliciting-weights-engage-weigh), read and checked.

One participant's answers are, by method: swing ``points`` (criterion -> 0–100, the
largest swing 100), a rank ``order`` (``"benefit,feasibility=linkage"``: most important
first, ``=`` joins equals) or pairwise ``judgements`` (``"a:b" -> 3`` or ``"1/3"``: how
many times a's swing matters more than b's, on Saaty's 1/9–9 scale).

The same checks serve the flags, an ``--answers`` file and a profile's ``elicitation``
record in the model, so each returns *problems* (a key below the answers, a stable
code, a message, a hint) for its caller to turn into a usage error or a positioned
diagnostic. Pure: no I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engage.core.errors import Diagnostic, did_you_mean
from engage.core.model import Elicitation, exact_number
from engage.io.document import Document

if TYPE_CHECKING:  # pydantic's validators are built only for tables that need them
    from engage.io.schema import ElicitationIn
from engage.io.fastpath import CONTROL as _CONTROL

METHODS = ("swing", "rank", "pairwise")
OVER = ("set", "scale")
ANSWER_KEY = {"swing": "points", "rank": "order", "pairwise": "judgements"}
LOWEST, HIGHEST = 1 / 9, 9.0
_RATIO = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(?:/\s*(\d+(?:\.\d*)?|\.\d+)\s*)?$")

Problem = tuple[str | None, str, str, str | None]
"""(the key below the answers or None for all of them, code, message, hint)."""

Pair = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Answers:
    """One participant's checked answers, with what they wrote (for the record)."""

    participant: str
    method: str
    written: object
    """As written: points {crit: number}, the order text, or judgements {"a:b": value}."""
    points: tuple[float, ...] | None = None
    levels: tuple[tuple[int, ...], ...] | None = None
    judgements: Mapping[Pair, float] | None = None
    """(i, j) -> a_ij for each pair as written (i's swing matters a_ij times j's)."""


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite(value: object) -> float | None:
    """A real, finite number as a float; None for anything else (strings, booleans, NaN)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except OverflowError:  # an integer beyond any float
        return None
    return x if math.isfinite(x) else None


def check_points(
    points: Mapping[str, object], criteria: Sequence[str]
) -> tuple[tuple[float, ...] | None, list[Problem]]:
    """Swing points: one per criterion, each 0–100, the largest exactly 100."""
    problems: list[Problem] = []
    missing = [c for c in criteria if c not in points]
    found: dict[str, float] = {}
    for name, value in points.items():
        x = _finite(value)
        if name not in criteria:
            hint = did_you_mean(name, missing or criteria)
            problems.append((name, "unknown-criterion", f"'{name}' is not a criterion", hint))
        elif x is None:
            message = f"points for '{name}' must be a number, got {value!r}"
            problems.append((name, "wrong-type", message, None))
        elif not 0 <= x <= 100:
            message = f"{exact_number(x)} points for '{name}' are outside 0–100"
            problems.append((name, "out-of-range", message, None))
        else:
            found[name] = x
    if missing:
        listed = ", ".join(missing)
        message = f"no points for {listed} (give every criterion: {', '.join(criteria)})"
        problems.append((None, "missing-answer", message, None))
    if problems:
        return None, problems
    values = tuple(found[c] for c in criteria)
    if max(values) != 100:
        largest = exact_number(max(values))
        message = f"the largest swing gets 100 points (the largest here is {largest})"
        return None, [(None, "bad-answer", message, "give the swing that matters most 100")]
    return values, []


def parse_order(
    text: object, criteria: Sequence[str]
) -> tuple[tuple[tuple[int, ...], ...] | None, list[Problem]]:
    """A rank order: every criterion once, most important first, ``=`` for equals."""
    if not isinstance(text, str):
        return None, [(None, "wrong-type", "the order must be a string like 'a,b=c'", None)]
    problems: list[Problem] = []
    seen: list[str] = []
    levels: list[tuple[int, ...]] = []
    for level in text.split(","):
        names = [n.strip() for n in level.split("=")]
        if any(not n for n in names):
            problems.append((None, "bad-answer", f"empty name in the order '{text}'", None))
            continue
        for name in names:
            if name not in criteria:
                hint = did_you_mean(name, criteria)
                problems.append((None, "unknown-criterion", f"'{name}' is not a criterion", hint))
            elif name in seen:
                problems.append((None, "bad-answer", f"'{name}' appears twice in the order", None))
            seen.append(name)
        levels.append(tuple(criteria.index(n) for n in names if n in criteria))
    missing = [c for c in criteria if c not in seen]
    if missing and not problems:
        message = f"the order leaves out {', '.join(missing)} (order every criterion)"
        problems.append((None, "missing-answer", message, None))
    return (None, problems) if problems else (tuple(levels), [])


def parse_ratio(value: object) -> float:
    """A judgement: a number or ``"1/3"``-style fraction within Saaty's 1/9–9.

    Raises ValueError with the message to show.
    """
    number = _finite(value)
    if number is not None:
        ratio, shown = number, exact_number(number)
    elif _is_number(value):
        raise ValueError(f"judgement {value} is not a finite number")
    elif isinstance(value, str) and (found := _RATIO.match(value)):
        top, bottom = float(found.group(1)), float(found.group(2) or 1)
        if bottom == 0:
            raise ValueError(f"'{value}' divides by 0")
        ratio, shown = top / bottom, value.strip()
    else:
        raise ValueError(f"'{value}' is not a judgement (a number like 3, or a fraction like 1/3)")
    # 1e-9 of slack: 0.1111111111 written for 1/9 is 1/9
    if not (LOWEST * (1 - 1e-9) <= ratio <= HIGHEST * (1 + 1e-9)):
        raise ValueError(f"judgement {shown} is outside Saaty's scale 1/9–9")
    return ratio


def ratio_text(ratio: float) -> float | str:
    """A judgement as a file keeps it: 3, or "1/3" for the reciprocal of a whole number."""
    if float(ratio).is_integer():
        return int(ratio)
    inverse = 1 / ratio
    if abs(inverse - round(inverse)) < 1e-9:
        return f"1/{round(inverse)}"
    return ratio


def pair_name(criteria: Sequence[str], pair: Pair) -> str:
    return f"{criteria[pair[0]]}:{criteria[pair[1]]}"


def check_judgements(
    judgements: Mapping[str, object], criteria: Sequence[str]
) -> tuple[dict[Pair, float] | None, list[Problem]]:
    """Pairwise judgements: ``"a:b" -> ratio``, every unordered pair exactly once."""
    problems: list[Problem] = []
    found: dict[Pair, float] = {}
    given: dict[frozenset[int], str] = {}
    for key, value in judgements.items():
        left, sep, right = key.partition(":")
        names = [left.strip(), right.strip()]
        if not sep or not all(names):
            message = f"'{key}' is not a pair (write 'criterion:criterion')"
            problems.append((key, "bad-answer", message, None))
            continue
        unknown = [n for n in names if n not in criteria]
        if unknown:
            hint = did_you_mean(unknown[0], criteria)
            message = f"'{unknown[0]}' is not a criterion (in '{key}')"
            problems.append((key, "unknown-criterion", message, hint))
            continue
        i, j = criteria.index(names[0]), criteria.index(names[1])
        if i == j:
            problems.append((key, "bad-answer", f"'{key}' compares a criterion with itself", None))
            continue
        other = given.get(frozenset((i, j)))
        if other is not None:
            message = f"the pair {names[0]}:{names[1]} is judged twice ('{other}' and '{key}')"
            problems.append((key, "repeated-pair", message, None))
            continue
        given[frozenset((i, j))] = key
        try:
            found[(i, j)] = parse_ratio(value)
        except ValueError as exc:
            code = "out-of-range" if _finite(value) is not None else "bad-answer"
            problems.append((key, code, str(exc), None))
    n = len(criteria)
    for i in range(n):
        for j in range(i + 1, n):
            if frozenset((i, j)) not in given:
                message = f"no judgement for {criteria[i]}:{criteria[j]} (every pair is needed)"
                problems.append((None, "missing-pair", message, None))
    return (None, problems) if problems else (found, [])


def check_answers(
    method: str, written: object, criteria: Sequence[str], participant: str
) -> tuple[Answers | None, list[Problem]]:
    """One participant's answers of ``method``, checked against the criteria."""
    if method == "rank":
        levels, problems = parse_order(written, criteria)
        if levels is None:
            return None, problems
        return Answers(participant, method, written, levels=levels), []
    if not isinstance(written, Mapping):
        key = ANSWER_KEY[method]
        return None, [(None, "wrong-type", f"{key} must be a table", None)]
    if method == "swing":
        points, problems = check_points(written, criteria)
        if points is None:
            return None, problems
        return Answers(participant, method, dict(written), points=points), []
    judgements, problems = check_judgements(written, criteria)
    if judgements is None:
        return None, problems
    return Answers(participant, method, dict(written), judgements=judgements), []


# -- answers in files: a profile's record, an --answers file ------------------------------


def _diagnostics(
    problems: Sequence[Problem], doc: Document, base: tuple[str | int, ...]
) -> list[Diagnostic]:
    out = []
    for key, code, message, hint in problems:
        at_value = key is not None and code in ("out-of-range", "wrong-type", "bad-answer")
        path = (*base, key) if key is not None else base
        out.append(doc.error(code, path, message, hint=hint, value=at_value))
    return out


def check_elicitation(
    record: ElicitationIn, criteria: Sequence[str], doc: Document, path: tuple[str | int, ...]
) -> tuple[Elicitation | None, list[Diagnostic]]:
    """A profile's ``elicitation``: a method, and one answer of that method per participant.

    Method ``explore`` (weights set live in `engage explore`) has no answers: the weights
    are the record; ``participants`` is optional there.
    """
    problems: list[Diagnostic] = []
    if record.over is not None and record.method != "swing":
        message = f"'over' belongs to swing weighting, not to '{record.method}'"
        problems.append(doc.error("bad-value", (*path, "over"), message))
    participants, answers = record.participants or [], record.answers or []
    if record.method == "explore":
        if record.answers is not None:
            message = "explore records no answers: the weights are the record"
            problems.append(doc.error("bad-answer", (*path, "answers"), message))
        answers = []
    else:
        for key in ("participants", "answers"):
            if getattr(record, key) is None:
                problems.append(doc.error("missing-key", path, f"missing required key '{key}'"))
    seen: set[str] = set()
    for i, name in enumerate(participants):
        if name in seen:
            message = f"participant '{name}' is listed twice"
            problems.append(doc.error("bad-value", (*path, "participants", i), message, value=True))
        seen.add(name)
    if record.method != "explore" and len(answers) != len(participants) and answers:
        count, given = len(participants), len(answers)
        message = f"{count} participant(s) but {given} answer(s): one answer per participant"
        problems.append(doc.error("bad-answer", (*path, "answers"), message))
    for i, written in enumerate(answers):
        _, found = check_answers(record.method, written, criteria, "")
        problems += _diagnostics(found, doc, (*path, "answers", i))
    if problems:
        return None, problems
    over = (record.over or "set") if record.method == "swing" else None
    return Elicitation(record.method, over, tuple(participants), tuple(answers)), []


FILE_KEYS = ("participant", "method", "over", "points", "order", "judgements")


def answers_from_document(
    doc: Document, method: str, criteria: Sequence[str]
) -> tuple[Answers | None, str | None, list[Diagnostic]]:
    """One participant's ``--answers`` file: (their answers, the ``over`` it names, problems).

    ``participant = "..."``, optional ``method`` (it must be the command's) and ``over``
    (swing only), and the answers under the method's key (``points``, ``order`` or
    ``judgements``).
    """
    data = doc.data
    problems: list[Diagnostic] = []
    key = ANSWER_KEY[method]
    for name in data:
        if name not in FILE_KEYS:
            problems.append(
                doc.error(
                    "unknown-key",
                    (name,),
                    f"unknown key '{name}'",
                    hint=did_you_mean(name, FILE_KEYS),
                )
            )
        elif name in ANSWER_KEY.values() and name != key:
            message = f"'{name}' answers another method; weigh {method} reads '{key}'"
            problems.append(doc.error("bad-answer", (name,), message))
    participant = data.get("participant")
    if isinstance(participant, str) and _CONTROL.search(participant):
        message = "the name holds a control character (only tabs and line breaks are allowed)"
        problems.append(doc.error("bad-value", ("participant",), message, value=True))
    elif not isinstance(participant, str) or not participant.strip():
        problems.append(
            doc.error("missing-key", (), "missing required key 'participant' (a non-empty name)")
            if participant is None
            else doc.error("wrong-type", ("participant",), "must be a non-empty string", value=True)
        )
    if data.get("method", method) != method:
        message = f"these are {data.get('method')!r} answers; the command weighs by {method}"
        problems.append(doc.error("bad-answer", ("method",), message, value=True))
    over = data.get("over")
    if over is not None and (method != "swing" or over not in OVER):
        message = (
            f"'over' belongs to swing weighting, not to '{method}'"
            if method != "swing"
            else f"over must be 'set' or 'scale', got {over!r}"
        )
        problems.append(doc.error("bad-value", ("over",), message, value=True))
    if key not in data:
        problems.append(doc.error("missing-key", (), f"missing required key '{key}'"))
    else:
        found, answer_problems = check_answers(method, data[key], criteria, str(participant))
        problems += _diagnostics(answer_problems, doc, (key,))
        if not problems and found is not None:
            return found, over if isinstance(over, str) else None, []
    return None, None, problems
