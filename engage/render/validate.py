"""`engage validate`: diagnostics as JSON, and the closing summary line."""

from __future__ import annotations

from collections.abc import Sequence

from engage.core.errors import Diagnostic
from engage.render.common import dumps_json, envelope


def to_json(diagnostics: Sequence[Diagnostic], *, ok: bool) -> str:
    return dumps_json(
        envelope(
            "validate",
            ok=ok,
            diagnostics=[
                {
                    "severity": d.severity,
                    "file": d.file,
                    "line": d.line,
                    "column": d.column,
                    "code": d.code,
                    "path": d.path,
                    "message": d.message,
                    "hint": d.hint,
                }
                for d in diagnostics
            ],
        )
    )


def summary(diagnostics: Sequence[Diagnostic], count: int, where: str, *, failed: bool) -> str:
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    parts = [f"{errors} error{'s' * (errors != 1)}", f"{warnings} warning{'s' * (warnings != 1)}"]
    if failed:
        return f"{where}: invalid ({', '.join(parts)})"
    return f"{where}: ok, {count} option{'s' * (count != 1)} ({', '.join(parts)})"
