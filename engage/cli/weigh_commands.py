"""`weigh`: elicit a weight profile by swing, rank or pairwise comparison
(docs/methods.md#eliciting-weights-engage-weigh).

Answers come from flags (one person), from ``--answers`` files (one participant each), or,
on a terminal, from questions on stderr. ``--write`` appends the profile to the model file
as text, so every comment and the layout stay as the authors wrote them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from engage.cli.base import command, emit_result, note, stderr_lines
from engage.cli.common import (
    MaxOption,
    MinOption,
    ModelOption,
    OutputOption,
    Paths,
    QuietOption,
    SetOption,
    TagOption,
    TrackOption,
    key_values,
    selection_for,
    set_paths,
)
from engage.cli.weigh_write import append_profile, write_target
from engage.core.errors import CheckFailed, EngageError, InvalidInput, UsageError

if TYPE_CHECKING:
    from engage.core.model import Criterion, Model
    from engage.io.answers import Answers, Problem

WEIGH_FORMATS = ("table", "toml", "json")
Many = list[str] | None


def _flag(*names: str, help_text: str) -> Any:
    return typer.Option(*names, help=help_text, show_default=False)


@command("weigh", formats=WEIGH_FORMATS)
def weigh_command(
    method: Annotated[str, typer.Argument(metavar="swing|rank|pairwise", help="How to weigh.")],
    paths: Paths = None,
    name: Annotated[str | None, _flag("--name", help_text="The profile's name.")] = None,
    points: Annotated[
        Many, _flag("--points", help_text="swing: CRIT=N,... (0-100, the largest swing 100).")
    ] = None,
    order: Annotated[
        str | None, _flag("--order", help_text="rank: a,b=c (most important first, = ties).")
    ] = None,
    judgement: Annotated[
        Many, _flag("--judgement", help_text="pairwise: A:B=N, N in 1/9..9 (repeatable).")
    ] = None,
    over: Annotated[
        str | None, _flag("--over", help_text="swing: swings over the 'set' (default) or 'scale'.")
    ] = None,
    answers: Annotated[
        list[Path] | None, _flag("--answers", help_text="One participant's answers (repeatable).")
    ] = None,
    participant: Annotated[
        str | None, _flag("--participant", help_text="Who answered the flags (default anonymous).")
    ] = None,
    description: Annotated[
        str | None, _flag("--description", help_text="The profile's description.")
    ] = None,
    fail_if_inconsistent: Annotated[
        bool, typer.Option("--fail-if-inconsistent", help="Exit 3 when a CR is over 0.10.")
    ] = False,
    write: Annotated[
        bool, typer.Option("--write", help="Append the profile to the model file.")
    ] = False,
    set_: SetOption = None,
    model: ModelOption = None,
    track: TrackOption = None,
    tag: TagOption = None,
    minimum: MinOption = None,
    maximum: MaxOption = None,
    *,
    fmt: str,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> None:
    """Elicit a weight profile: swing weighting, a rank order, or pairwise comparison (AHP).

    One person answers with flags (or, on a terminal, to questions); a group with one
    --answers file per participant (participant = "...", and points, order or
    judgements). Swing points weigh each criterion's swing from worst to best over the
    options that pass the filters and screens (--over set), or over its whole scale.

    Examples:

        engage weigh swing --name workshop --points benefit=100,feasibility=70,linkage=40
        engage weigh rank --name quick --order benefit,feasibility=linkage -f toml
        engage weigh pairwise --name ahp --judgement benefit:feasibility=3 \\
            --judgement benefit:linkage=5 --judgement feasibility:linkage=2 --write
        engage weigh swing --name group --answers ann.toml --answers bob.toml
    """
    from engage.analysis import weigh
    from engage.io.fastpath import CONTROL as _CONTROL
    from engage.io.loader import load_model
    from engage.render import weigh as render

    name = _check_command(method, over, name)
    if description is not None and _CONTROL.search(description):
        raise UsageError(
            "--description: control characters are not allowed (tabs and line breaks are)"
        )
    _check_flags(method, points, order, judgement, answers, participant)
    paths_ = set_paths(paths, set_)
    resolved, origin, notes = load_model(paths_, model_path=model)
    for line in notes:
        note(line, quiet=quiet)
    criteria = resolved.criteria
    target = write_target(origin, model, name, resolved) if write else None
    given, over = _file_answers(answers, method, resolved, over) if answers else (None, over)
    over = (over or "set") if method == "swing" else None
    if over == "set":
        ranges, count = _set_ranges(paths_, model, resolved, (track, tag, minimum, maximum))
    else:
        ranges, count = weigh.scale_ranges(criteria), 0
    if given is None:
        flags = (points, order, judgement, participant)
        given = [_flag_answers(method, criteria, ranges, over, *flags)]
    if over == "set":
        weigh.check_swings(criteria, ranges, given, count)
    result = weigh.elicit(name, method, criteria, given, over, ranges, description)
    stderr_lines(render.warnings(result))
    text = {"toml": render.to_toml, "json": render.to_json}
    emit_result(result, fmt, output, "engage weigh", text, render.table)
    if fail_if_inconsistent and result.inconsistent:
        who, worst = result.inconsistent[0]
        raise CheckFailed(
            f"CR {worst.cr:.3f} is over 0.10 (--fail-if-inconsistent)"
            + (f" for {who}" if who else "")
            + ("; nothing was written" if write else ""),
            hint="revise the judgements of the most inconsistent triple named above",
        )
    if target is not None:
        first = append_profile(target, result, resolved)
        note(f"appended [profiles.{name}] to {target}", quiet=quiet)
        if first and resolved.source.get("default_profile") is None:
            note(f"the model had no profiles, so '{name}' is now its default", quiet=quiet)


def _check_command(method: str, over: str | None, name: str | None) -> str:
    """The method, --over and --name, before anything is read; the name."""
    from engage.core.errors import unknown_name
    from engage.io.answers import METHODS, OVER
    from engage.io.fastpath import NAME_PATTERN

    if method not in METHODS:
        raise unknown_name("method", method, METHODS)
    if over is not None and over not in OVER:
        raise UsageError(f"--over: '{over}' is not 'set' or 'scale'")
    if over is not None and method != "swing":
        raise UsageError(f"--over belongs to swing weighting, not to '{method}'")
    if name is None:
        raise UsageError("weigh needs --name NAME: the name of the profile it makes")
    if not re.match(NAME_PATTERN, name):
        raise UsageError(
            f"--name: '{name}' is not a profile name (lowercase letters, digits and '-', "
            "starting with a letter, at most 32 characters)"
        )
    return name


def _check_flags(
    method: str,
    points: Many,
    order: str | None,
    judgement: Many,
    answers: list[Path] | None,
    participant: str | None,
) -> None:
    """Each answer flag belongs to one method; flags and --answers files do not mix."""
    from engage.io.fastpath import CONTROL as _CONTROL

    if participant is not None and (_CONTROL.search(participant) or "\n" in participant):
        raise UsageError("--participant: a name on one line, without control characters")
    flags = {"--points": points, "--order": order, "--judgement": judgement}
    owner = {"--points": "swing", "--order": "rank", "--judgement": "pairwise"}
    for flag, value in flags.items():
        if value and owner[flag] != method:
            raise UsageError(f"{flag} answers '{owner[flag]}' weighting, not '{method}'")
    if answers and (any(flags.values()) or participant is not None):
        raise UsageError(
            "give the answers as flags (one person) or in --answers files (a group), not both"
        )


# -- answers from flags, or asked on a terminal ------------------------------------------


class AnswerErrors(UsageError):
    """Answer flags the criteria reject: every problem, one line each (exit 2)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0])
        self.problems = problems

    def lines(self) -> list[str]:
        from engage.core.errors import printable

        return [f"error: {printable(p)}" for p in self.problems]


def _flag_answers(
    method: str,
    criteria: tuple[Criterion, ...],
    ranges: list[tuple[float, float]],
    over: str | None,
    points: Many,
    order: str | None,
    judgement: Many,
    participant: str | None,
) -> Answers:
    """The flags' answers, with what is missing asked on a terminal (else exit 2)."""
    from engage.analysis.weigh import ANONYMOUS
    from engage.cli import weigh_interview as interview
    from engage.cli.authoring_commands import _interactive, _prompt
    from engage.io.answers import check_answers

    ids = [c.id for c in criteria]
    who = participant.strip() if participant and participant.strip() else ANONYMOUS
    say = sys.stderr.write
    written: Any
    if method == "swing":
        written = _parse_points(points or [])
        flag, example = "--points", ",".join(f"{c}=N" for c in ids)
    elif method == "rank":
        written, flag, example = order, "--order", ",".join(ids)
    else:
        written = _parse_judgements(judgement or [])
        flag, example = "--judgement", f"{ids[0]}:{ids[-1]}=N"
    found, problems = (None, []) if written is None else check_answers(method, written, ids, who)
    wrong = [p for p in problems if p[1] not in ("missing-answer", "missing-pair")]
    if wrong or (found is None and written is not None and method == "rank"):
        raise AnswerErrors([f"{_where(flag, p)}: {_problem_text(p)}" for p in (wrong or problems)])
    if found is not None:
        return found
    if not _interactive():
        missing = "; ".join(p[2] for p in problems) if written else f"no {flag} given"
        pairs = [p[2].split()[3] for p in problems if p[1] == "missing-pair"]
        example = " ".join(f"{flag} {pair}=N" for pair in pairs) if pairs else f"{flag} {example}"
        raise UsageError(
            f"missing answers: {missing} (stdin is not a terminal, so engage cannot ask)",
            hint=f"give {example}, or --answers FILE for each participant",
        )
    if method == "swing":
        interview.ask_swing(criteria, ranges, over or "set", written, _prompt, say)
    elif method == "rank":
        written = interview.ask_order(criteria, _prompt, say)
    else:
        interview.ask_judgements(criteria, written, _prompt, say)
    found, problems = check_answers(method, written, ids, who)
    if found is None:  # an answer the questions accepted but the whole rejects (no 100)
        raise AnswerErrors([_problem_text(p) for p in problems])
    return found


def _where(flag: str, problem: Problem) -> str:
    """The flag, and the pair a judgement's message is about when it does not say."""
    key, message = problem[0], problem[2]
    return f"{flag} {key}" if flag == "--judgement" and key and key not in message else flag


def _problem_text(problem: Problem) -> str:
    _, _, message, hint = problem
    return message + (f" ({hint})" if hint else "")


def _parse_points(items: list[str]) -> dict[str, object]:
    """``benefit=100,feasibility=70`` (comma-separated or repeated) as written numbers."""
    out: dict[str, object] = {}
    for key, text, _ in key_values(items, "--points", "CRITERION=N"):
        if key in out:
            raise UsageError(f"--points: '{key}' is given twice")
        try:
            value = float(text)
        except ValueError:
            raise UsageError(f"--points: '{text.strip()}' is not a number") from None
        out[key] = int(value) if value.is_integer() and abs(value) < 2**53 else value
    return out


def _parse_judgements(items: list[str]) -> dict[str, object]:
    """``a:b=3`` or ``a:b=1/3`` (repeated or comma-separated), kept as Saaty writes them."""
    from engage.io.answers import parse_ratio, ratio_text

    out: dict[str, object] = {}
    for key, text, _ in key_values(items, "--judgement", "A:B=N", last=True):
        if key in out:
            raise UsageError(f"--judgement: the pair {key} is judged twice")
        try:  # kept as Saaty writes it (3, "1/3"); a bad one is reported with the rest
            out[key] = ratio_text(parse_ratio(text.strip()))
        except ValueError:
            out[key] = text.strip()
    return out


# -- answers from files ------------------------------------------------------------------


def _file_answers(
    files: list[Path], method: str, model: Model, over: str | None
) -> tuple[list[Answers], str | None]:
    """Every participant's file, all checked before any error is raised (exit 1)."""
    from engage.io.answers import answers_from_document
    from engage.io.loader import read_toml_document

    found: list[Answers] = []
    problems = []
    seen: dict[str, str] = {}
    overs: list[tuple[str, str]] = []
    for file in files:
        try:
            doc = read_toml_document(str(file))
        except InvalidInput as exc:
            problems += exc.diagnostics
            continue
        answer, file_over, diagnostics = answers_from_document(doc, method, model.criterion_ids)
        problems += diagnostics
        if answer is None:
            continue
        if answer.participant in seen:
            message = (
                f"participant '{answer.participant}' also answers in {seen[answer.participant]}"
            )
            problems.append(
                doc.error("duplicate-participant", ("participant",), message, value=True)
            )
        seen.setdefault(answer.participant, doc.name)
        if file_over is not None:
            overs.append((file_over, doc.name))
            if over is not None and file_over != over:
                message = f"these swings are over the {file_over}, but --over {over} was given"
                problems.append(doc.error("bad-value", ("over",), message, value=True))
        found.append(answer)
    if over is None and len({o for o, _ in overs}) > 1:
        names = ", ".join(f"{name} ({o})" for o, name in overs)
        raise EngageError(
            f"the answers mix swings over the set and over the scale: {names}",
            hint="weigh them separately, or choose with --over",
        )
    if problems:
        raise InvalidInput(problems)
    return found, over or (overs[0][0] if overs else None)


def _set_ranges(
    paths: list[str],
    model_path: str | None,
    model: Model,
    filters: tuple[Many, Many, Many, Many],
) -> tuple[list[tuple[float, float]], int]:
    """(worst, best) of each criterion over the options left after filters and screens."""
    from engage.analysis.weigh import set_ranges
    from engage.core.ranking import select
    from engage.io.loader import load

    option_set = load(paths, model_path=model_path)
    kept, _ = select(option_set, selection_for(model, *filters))
    if not kept:
        raise EngageError(
            "no option is left after the filters and screens to swing over",
            hint="loosen --track, --tag, --min or --max, or weigh with --over scale",
        )
    return set_ranges(model.criteria, kept), len(kept)
