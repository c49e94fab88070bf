"""Diagnostics and the one exception family, translated to exit codes by the CLI."""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Self

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_CHECK_FAILED = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

Severity = Literal["error", "warning"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


Label = Callable[[str], str]
"""How a front end names an input field: the CLI words ``draws`` as ``--draws``."""


def by_name(field: str) -> str:
    """The label of a field where no front end words it: its own name."""
    return field


def worded(text: str, fields: Sequence[str], label: Label = by_name) -> str:
    """``text`` with each of ``fields`` that it names in backticks named by ``label``.

    The lower layers know input fields, not flags: a message names the field in
    backticks ("`draws` must be at least 1") and lists it in ``fields``; the front end
    that shows the message words it (the CLI's error boundary: as the flag, ``--draws``).
    """
    for name in fields:
        text = text.replace(f"`{name}`", label(name))
    return text


def printable(text: str) -> str:
    """``text`` with control characters escaped (``\\n``, ``\\x1b``): what engage prints
    for people stays one line per diagnostic and cannot drive the terminal."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in the input, positioned as precisely as is known."""

    severity: Severity
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None
    hint: str | None = None
    fields: tuple[str, ...] = ()
    """The input fields the message, path and hint name in backticks (see :func:`worded`)."""

    def worded(self, label: Label = by_name) -> Diagnostic:
        """This diagnostic with its fields named by ``label``."""
        if not self.fields:
            return self
        path = None if self.path is None else worded(self.path, self.fields, label)
        hint = None if self.hint is None else worded(self.hint, self.fields, label)
        message = worded(self.message, self.fields, label)
        return replace(self, message=message, path=path, hint=hint, fields=())

    def format(self) -> str:
        """The docs/errors.md line: ``error: FILE:LINE:COL: [code] key.path: message``
        (fields named plainly: :meth:`worded` first to name them otherwise)."""
        if self.fields:
            return self.worded().format()
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        path = f"{self.path}: " if self.path else ""
        text = printable(f"{self.severity}: {where}[{self.code}] {path}{self.message}")
        if self.hint:
            text += f"\nhint: {printable(self.hint)}"
        return text

    def sort_key(self) -> tuple[int, str, int, int]:
        return (
            0 if self.severity == "error" else 1,
            self.file or "",
            self.line or 0,
            self.column or 0,
        )


@dataclass(frozen=True, slots=True)
class Note:
    """A remark for people (stderr, silenced by ``--quiet``) naming input fields in
    backticks, as an error does; :meth:`worded` names them as the front end does."""

    message: str
    fields: tuple[str, ...] = ()

    def worded(self, label: Label = by_name) -> str:
        return worded(self.message, self.fields, label)

    def __str__(self) -> str:
        return self.worded()


class EngageError(Exception):
    """Base of every error engage reports to a user; ``exit_code`` is docs/errors.md's.

    ``field``: the input field (or fields) the error is about, named in the message and
    the hint in backticks ("`draws` must be at least 1": see :func:`worded`). ``message``
    and ``hint`` name it plainly ("draws must ..."); :meth:`worded` names it otherwise;
    ``template`` and ``hint_template`` keep the backticks (to pass the error on reworded).
    """

    exit_code = EXIT_INVALID

    def __init__(
        self, message: str, *, hint: str | None = None, field: str | tuple[str, ...] = ()
    ) -> None:
        self.fields = (field,) if isinstance(field, str) else field
        self.template, self.hint_template = message, hint
        self.message = worded(message, self.fields)
        self.hint = None if hint is None else worded(hint, self.fields)
        super().__init__(self.message)

    def worded(self, label: Label) -> Self:
        """This error with its fields named by ``label`` (the CLI's boundary: as flags)."""
        if not self.fields:
            return self
        out = copy.copy(self)
        out.message = worded(self.template, self.fields, label)
        hint = self.hint_template
        out.hint = None if hint is None else worded(hint, self.fields, label)
        out.template, out.hint_template = out.message, out.hint
        out.args, out.fields = (out.message,), ()
        return out

    def lines(self) -> list[str]:
        """What the CLI prints on stderr, one line each."""
        out = [f"error: {printable(self.message)}"]
        if self.hint:
            out.append(f"hint: {printable(self.hint)}")
        return out


class UsageError(EngageError):
    """A bad flag value or an unknown name (profile, method, criterion, track, id)."""

    exit_code = EXIT_USAGE


class CheckFailed(EngageError):
    """A check the user asked for failed (``diff --exit-code``, ``--fail-if-fragile``)."""

    exit_code = EXIT_CHECK_FAILED


class InvalidInput(EngageError):
    """The input data is invalid: carries every diagnostic found, errors first."""

    exit_code = EXIT_INVALID

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=Diagnostic.sort_key)
        errors = sum(1 for d in self.diagnostics if d.severity == "error")
        super().__init__(f"{errors} error(s) in the input")

    def worded(self, label: Label) -> Self:
        if not any(d.fields for d in self.diagnostics):
            return self
        return type(self)([d.worded(label) for d in self.diagnostics])

    def lines(self) -> list[str]:
        return [d.format() for d in self.diagnostics]


class WriteError(EngageError):
    """A write was refused (the file exists) or failed; nothing was changed."""

    exit_code = EXIT_INVALID


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """A hint naming the closest known name, or None when nothing is close."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def unknown_name(kind: str, name: str, known: Sequence[str]) -> UsageError:
    """The exit-2 error for an unknown profile, method, criterion, track or id."""
    hint = did_you_mean(name, known)
    if hint is None and len(known) <= 12:
        hint = "known: " + ", ".join(known) if known else f"there is no {kind}"
    return UsageError(f"unknown {kind} '{name}'", hint=hint)
