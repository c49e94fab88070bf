"""The CLI reference (docs/cli.md), generated from the typer app.

    python -m engage.cli.reference > docs/cli.md

Not on the start-up path: nothing imports this module but its own test
(tests/test_cli_reference.py), which fails when docs/cli.md is stale.
"""

from __future__ import annotations

import re
from typing import Any

import typer

from engage.cli import app

REGENERATE = "python -m engage.cli.reference > docs/cli.md"
_MARKUP = re.compile(r"\[/?(?:bold|dim|italic|red|green|yellow|cyan|b|i)\]")


def _plain(text: str | None) -> str:
    """Help text without rich markup, trailing spaces or typer's \\b paragraph marks."""
    text = _MARKUP.sub("", text or "").replace("\b", "")
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _kind(param: Any) -> str:
    """The value's kind as --help shows it: its metavar, else TEXT, INTEGER, FLOAT, PATH."""
    if param.metavar:
        return str(param.metavar)
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", str)
    for inner in getattr(annotation, "__args__", ()) or ():
        if inner is not type(None):
            annotation = inner
            break
    names = {"str": "TEXT", "int": "INTEGER", "float": "FLOAT", "Path": "PATH", "bool": ""}
    return names.get(getattr(annotation, "__name__", ""), "VALUE")


def _option_row(param: Any) -> str:
    names = ", ".join(f"`{n}`" for n in [*param.opts, *param.secondary_opts])
    kind = "" if getattr(param, "is_flag", False) else f" {_kind(param)}"
    default = param.default
    shown = ""
    if default not in (None, (), [], False) and not callable(default):
        shown = f" (default: `{default}`)"
    help_text = _cell(_plain(getattr(param, "help", "") or ""))
    return f"| {names}{kind.rstrip()} | {help_text}{shown} |"


def command_section(name: str, command: Any) -> str:
    ctx = command.context_class(command, info_name=f"engage {name}")
    usage = " ".join(command.collect_usage_pieces(ctx))
    out = [f"## `engage {name}`", "", "```", f"engage {name} {usage}".rstrip(), "```", ""]
    if command.help:
        out += [_plain(command.help), ""]
    args = [p for p in command.params if p.param_type_name == "argument"]
    if args:
        out += ["| argument | |", "|---|---|"]
        for arg in args:
            req = "required" if arg.required else "optional"
            many = ", repeatable" if arg.nargs == -1 else ""
            out.append(f"| `{(arg.metavar or arg.name or '').upper()}` | {req}{many} |")
        out.append("")
    opts = [p for p in command.params if p.param_type_name == "option" and not p.hidden]
    if opts:
        out += ["| option | what it does |", "|---|---|"]
        out += [_option_row(p) for p in opts]
        out.append("")
    return "\n".join(out)


def reference() -> str:
    group: Any = typer.main.get_command(app)
    ctx = group.context_class(group, info_name="engage")
    names = group.list_commands(ctx)
    head = [
        "# Command reference",
        "",
        "Generated from the typer app; do not edit by hand. Regenerate with",
        f"`{REGENERATE}` (a test fails when this page is stale).",
        "",
        "| command | what it does |",
        "|---|---|",
    ]
    for name in names:
        command = group.get_command(ctx, name)
        assert command is not None
        first = _plain(command.help).split("\n\n")[0] if command.help else ""
        head.append(f"| [`{name}`](#engage-{name}) | {_cell(first)} |")
    body = [command_section(n, c) for n in names if (c := group.get_command(ctx, n))]
    return "\n".join(head) + "\n\n" + "\n".join(body).rstrip("\n") + "\n"


if __name__ == "__main__":
    print(reference(), end="")
