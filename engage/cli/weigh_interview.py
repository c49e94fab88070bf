"""Asking for weight answers on a terminal (`engage weigh`,
docs/methods.md#eliciting-weights-engage-weigh), like `engage new`.

Pure: ``ask(question, check)`` returns ``check(answer)``, asking again while it raises
ValueError, and ``say(text)`` shows a line; the command wires them to stderr and stdin.
Only what the flags left out is asked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from engage.core.model import Criterion, exact_number
from engage.io.answers import parse_order, parse_ratio, ratio_text

Ask = Callable[[str, Callable[[str], Any]], Any]
Say = Callable[[str], Any]

SAATY_SCALE = (
    "1 = equally, 3 = moderately more, 5 = strongly more, 7 = very strongly more, "
    "9 = extremely more; 1/3, 1/5 ... when the second matters more"
)


def _choice(names: Sequence[str]) -> Callable[[str], str]:
    def check(text: str) -> str:
        answer = text.strip()
        if answer not in names:
            raise ValueError(f"answer one of: {', '.join(names)}")
        return answer

    return check


def _points(text: str) -> float | int:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise ValueError("give a number from 0 to 100") from None
    if not 0 <= value <= 100:
        raise ValueError(f"{exact_number(value)} is outside 0–100")
    return int(value) if value.is_integer() else value


def ask_swing(
    criteria: Sequence[Criterion],
    ranges: Sequence[tuple[float, float]],
    over: str,
    points: dict[str, object],
    ask: Ask,
    say: Say,
) -> None:
    """First which swing matters most (100 points), then each other swing relative to it."""
    where = "among the options in the set" if over == "set" else "on its whole scale"
    say(f"\nSwing weighting: picture each criterion moving from its worst to its best {where}:\n")
    for c, (worst, best) in zip(criteria, ranges, strict=True):
        say(f"  {c.id}: {exact_number(worst)} → {exact_number(best)}  ({c.label})\n")
    missing = [c.id for c in criteria if c.id not in points]
    top = next((name for name, value in points.items() if value == 100), None)
    if top is None:
        top = ask(f"Which swing matters most? ({', '.join(missing)})", _choice(missing))
        points[top] = 100
        missing.remove(top)
    for cid in missing:
        worst, best = ranges[[c.id for c in criteria].index(cid)]
        swing = f"{exact_number(worst)} → {exact_number(best)}"
        points[cid] = ask(f"Points for {cid}'s swing {swing}, if {top}'s is 100 (0-100)", _points)


def ask_order(criteria: Sequence[Criterion], ask: Ask, say: Say) -> str:
    """The rank order in one line, asked again until it names every criterion once."""
    ids = [c.id for c in criteria]
    say(f"\nRank the criteria by how much their swings matter: {', '.join(ids)}\n")

    def check(text: str) -> str:
        levels, problems = parse_order(text, ids)
        if levels is None:
            raise ValueError(problems[0][2])
        return text.strip()

    answer: str = ask("Most important first, separated by commas ('=' joins equals)", check)
    return answer


def ask_judgements(
    criteria: Sequence[Criterion], judgements: dict[str, object], ask: Ask, say: Say
) -> None:
    """Each pair the flags left out, in criterion order: how many times a's swing matters
    more than b's."""
    ids = [c.id for c in criteria]
    judged = {frozenset(k.split(":", 1)) for k in judgements}
    pairs = [
        (a, b) for i, a in enumerate(ids) for b in ids[i + 1 :] if frozenset((a, b)) not in judged
    ]
    if not pairs:
        return
    say("\nPairwise comparison: how many times does the first swing matter more than the second?\n")
    say(f"  {SAATY_SCALE}\n")
    for a, b in pairs:
        judgements[f"{a}:{b}"] = ask(f"{a}:{b}", lambda text: ratio_text(parse_ratio(text.strip())))
