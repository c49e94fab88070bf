"""Generated sets through every command and format, and byte-mutated files: never a crash.

Valid sets (1-6 criteria with any scales, directions, weights and preference functions;
1-7 options with unicode titles, markup-like and right-to-left text) must give exit 0 in
every command and format, JSON that parses, CSV the csv module reads back, ranks that
follow the scores, and the same bytes whatever the order of the files. Valid files with
bytes flipped, inserted or deleted must give exit 0 or 1 and, on 1, diagnostics only.
Deterministic (``derandomize=True``) and bounded so the file runs in well under a minute.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from engage.cli import app
from engage.cli.base import COMMANDS

CRITERIA = ("benefit", "feasibility", "linkage", "cost", "risk", "speed")
ROLES = ("benefit", "feasibility", "linkage")
TRACKS = ("security", "economic", "rights")
IDS = ("a", "b2", "c-3", "d", "zz", "opt-9", "x0")
PLAIN = st.characters(blacklist_categories=("Cc", "Cs"))
TITLES = st.one_of(
    st.text(PLAIN, min_size=1, max_size=16).filter(str.strip),
    st.sampled_from(
        ["[bold]Pilot[/]", "[/]", "Pilot [draft]", "تمويل إنساني", "כותרת [red]x", "a\u200fb\u200c"]
    ),
)
RUN = settings(
    phases=[Phase.explicit, Phase.generate],  # shrinking through the CLI takes minutes
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@dataclass(frozen=True)
class GeneratedSet:
    model: dict[str, Any]
    options: list[dict[str, Any]]
    roles: bool

    @property
    def ids(self) -> list[str]:
        return [o["id"] for o in self.options]


@st.composite
def criteria(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    names = draw(st.lists(st.sampled_from(CRITERIA), min_size=1, max_size=6, unique=True))
    out = {}
    for name in names:
        lo = draw(st.sampled_from([0, -10, 1, 0.5, -1e6, 1e-3]))
        width = draw(st.sampled_from([10, 1, 4, 0.25, 1e6, 7.5]))
        table: dict[str, Any] = {
            "better": draw(st.sampled_from(["higher", "lower"])),
            "scale": [lo, lo + width],
        }
        function = draw(st.sampled_from([None, "usual", "linear", "v-shape", "gaussian", "level"]))
        parameters = {
            "usual": {},
            "linear": {"q": width / 10, "p": width / 2},
            "level": {"q": width / 10, "p": width / 2},
            "v-shape": {"p": width / 3},
            "gaussian": {"s": width / 4},
        }
        if function is not None:
            table["preference"] = {"function": function, **parameters[function]}
        out[name] = table
    return out


@st.composite
def option_sets(draw: st.DrawFn) -> GeneratedSet:
    crit = draw(criteria())
    roles = set(ROLES) <= set(crit) and draw(st.booleans())
    if roles:
        for role in ROLES:
            crit[role]["role"] = role
    profiles = {}
    for name in ("main", "other")[: draw(st.integers(1, 2))]:
        weights = {c: draw(st.sampled_from([0, 1, 0.2, 0.45, 3, 1e-3])) for c in crit}
        if not any(weights.values()):
            weights[next(iter(crit))] = 1
        profiles[name] = {"weights": weights}
    model: dict[str, Any] = {"title": draw(TITLES), "criteria": crit, "profiles": profiles}
    declare_tracks = draw(st.booleans())
    if declare_tracks:
        model["tracks"] = list(TRACKS)
    ids = draw(st.permutations(IDS))[: draw(st.integers(1, len(IDS)))]
    options = []
    for option_id in ids:
        scores = {}
        for name, table in crit.items():
            lo, hi = table["scale"]
            value = draw(st.sampled_from([lo, hi, (lo + hi) / 2, lo + (hi - lo) / 3]))
            if draw(st.booleans()):
                scores[name] = value
            else:
                scores[name] = {"value": value, "low": lo, "high": value}
        options.append(
            {
                "id": option_id,
                "title": draw(TITLES),
                "track": draw(st.sampled_from(TRACKS)),
                "tags": draw(st.lists(st.sampled_from(["x", "[y]", "é"]), max_size=2)),
                "scores": scores,
            }
        )
    return GeneratedSet(model, options, roles)


def write_set(root: Path, generated: GeneratedSet, files: int) -> list[str]:
    """engage.toml and the options spread over ``files`` TOML files; the files' paths."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "engage.toml").write_text(tomli_w.dumps(generated.model), encoding="utf-8")
    paths = []
    for k in range(files):
        part = generated.options[k::files]
        if part:
            path = root / f"part{k}.toml"
            path.write_text(tomli_w.dumps({"option": part}), encoding="utf-8")
            paths.append(str(path))
    return paths


def engage(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def ok(*args: str) -> str:
    result = engage(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def strict_json(text: str) -> Any:
    def no_constant(name: str) -> None:
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=no_constant)


def tied(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def check_ranks(rows: list[dict[str, Any]]) -> None:
    """docs/methods.md#ranks-and-ties: scores descending; competition ranks; ties (per group) in id order."""
    scores = [row["score"] for row in rows]
    assert all(math.isfinite(x) for x in scores)
    assert all(a >= b or tied(a, b) for a, b in itertools.pairwise(scores))
    first = 0
    for position, row in enumerate(rows):
        if not tied(rows[first]["score"], row["score"]):
            first = position
        assert row["rank"] == first + 1, rows
        if position > first:
            assert rows[position - 1]["id"] < row["id"], rows


def check_csv(text: str, ids: list[str], titles: dict[str, str]) -> None:
    """CSV parses with the csv module, rows as wide as the header, user text unchanged."""
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert all(len(row) == len(header) for row in body)
    if "id" in header:
        column = header.index("id")
        assert sorted(row[column] for row in body) == sorted(ids)
        if "title" in header:
            for row in body:
                assert row[header.index("title")] == titles[row[column]]


def command_lines(generated: GeneratedSet, root: str) -> list[list[str]]:
    """Every command (with its arguments) that applies to the set, without -f."""
    first, last = generated.ids[0], generated.ids[-1]
    lines = [
        ["rank", root],
        ["rank", root, "-p", "main", "-p", "other", "-m", "weighted-sum", "-m", "topsis"]
        if "other" in generated.model["profiles"]
        else ["rank", root, "-m", "promethee"],
        ["explain", first, "-s", root],
        ["sensitivity", root],
        ["robustness", root, "--draws", "40"],
        ["tracks", root],
        ["diff", root, root],
        ["validate", root, "--strict"],
        ["model", root],
        ["export", root],
        ["schema", "option", "-s", root],
        ["schema", "model", "-s", root],
        ["report", root],
        ["weigh", "rank", root, "--name", "w", "--order", ",".join(generated.model["criteria"])],
        ["portfolio", root],
    ]
    if len(generated.ids) > 1:
        lines.append(["compare", first, last, "-s", root, "-m", "promethee"])
    if generated.roles:
        lines.append(["decouple", root, "--sweep"])
    return lines


@settings(RUN, max_examples=10)
@given(generated=option_sets())
def test_every_command_in_every_format_on_generated_sets(
    generated: GeneratedSet, tmp_path_factory: Any
) -> None:
    """Exit 0 everywhere; JSON parses (no NaN); CSV reads back; ranks follow the scores."""
    root = tmp_path_factory.mktemp("set")
    write_set(root, generated, 2)
    titles = {o["id"]: o["title"] for o in generated.options}
    for line in command_lines(generated, str(root)):
        for fmt in COMMANDS[line[0]].formats:
            if line[0] == "validate":  # --strict fails (exit 1) on the missing rationale
                result = engage(*line, "-f", fmt)
                assert result.exit_code == 1, result.stderr
                if fmt == "json":
                    assert strict_json(result.stdout)["ok"] is False
                continue
            out = ok(*line, "-f", fmt)
            assert out, line
            if fmt == "json":
                document = strict_json(out)
                if line[0] == "rank" and "lenses" not in document:
                    check_ranks(document["options"])
            elif fmt == "ndjson":
                [strict_json(row) for row in out.splitlines()]
            elif fmt == "csv" and line[0] != "robustness":
                check_csv(out, generated.ids, titles)


def test_the_generated_runs_take_every_command_that_writes_formats() -> None:
    """The formats come from the app; a new command with --format must be run above too."""
    criteria = {role: {"role": role} for role in ROLES}
    options = [{"id": i, "title": i, "track": "rights", "scores": {}} for i in ("a", "b")]
    generated = GeneratedSet({"criteria": criteria, "profiles": {}}, options, roles=True)
    writers = {name for name, spec in COMMANDS.items() if spec.formats}
    assert {line[0] for line in command_lines(generated, "set")} == writers
    assert len(writers) >= 14


@settings(RUN, max_examples=10)
@given(generated=option_sets(), data=st.data())
def test_outputs_do_not_depend_on_file_order(
    generated: GeneratedSet, data: st.DataObject, tmp_path_factory: Any
) -> None:
    """The set split over files, given in two orders: every scoring output is the same."""
    root = tmp_path_factory.mktemp("set")
    files = write_set(root, generated, data.draw(st.integers(2, 3)))
    model = ["--model", str(root / "engage.toml")]
    first, last = generated.ids[0], generated.ids[-1]
    for fmt in ("json", "csv", "table"):
        commands = [
            ["rank", "-m", data.draw(st.sampled_from(["weighted-sum", "topsis", "promethee"]))],
            ["robustness", "--draws", "30"],
            ["tracks"],
            ["sensitivity"] if fmt != "csv" else ["rank"],
            ["explain", last] if fmt != "csv" else ["rank"],
        ]
        if len(generated.ids) > 1 and fmt != "csv":
            commands.append(["compare", first, last])
        if generated.roles:
            commands.append(["decouple"])
        for command in commands:
            takes_set_flag = command[0] in ("explain", "compare")
            sets = [
                [p for f in order for p in (["-s", f] if takes_set_flag else [f])]
                for order in (files, files[::-1])
            ]
            outputs = [ok(*command, *s, *model, "-f", fmt) for s in sets]
            assert outputs[0] == outputs[1], command


MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete"]),
        st.integers(0, 10**6),
        st.binary(min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=4,
)
DIAGNOSTIC = re.compile(r"^(error|warning|hint|note): ")


def mutate(data: bytes, edits: list[tuple[str, int, bytes]]) -> bytes:
    out = bytearray(data)
    for kind, position, payload in edits:
        at = position % max(len(out), 1)
        if kind == "flip" and out:
            out[at] ^= payload[0] or 1
        elif kind == "insert":
            out[at:at] = payload
        elif out:
            del out[at : at + len(payload)]
    return bytes(out)


@settings(RUN, max_examples=120)
@given(
    generated=option_sets(), edits=MUTATIONS, target=st.sampled_from(["option", "model", "json"])
)
def test_mutated_files_end_in_exit_0_or_1_with_diagnostics(
    generated: GeneratedSet,
    edits: list[tuple[str, int, bytes]],
    target: str,
    tmp_path_factory: Any,
) -> None:
    """Flipped, inserted or deleted bytes: exit 0 or 1, never a traceback; on 1 diagnostics."""
    root = tmp_path_factory.mktemp("set")
    (path,) = write_set(root, generated, 1)
    if target == "json":
        json_path = root / "set.json"
        json_path.write_text(json.dumps({"options": generated.options}, ensure_ascii=False))
        Path(path).unlink()
        path = str(json_path)
    victim = Path(path) if target != "model" else root / "engage.toml"
    victim.write_bytes(mutate(victim.read_bytes(), edits))
    for args in (
        ["rank", path, "--model", str(root / "engage.toml"), "-f", "json"],
        ["validate", path, "--model", str(root / "engage.toml"), "-f", "json"],
    ):
        result = engage(*args)
        assert result.exit_code in (0, 1), (args, result.stderr)
        if result.exit_code == 1 and args[0] == "rank":
            lines = result.stderr.splitlines()
            assert lines, args
            assert all(DIAGNOSTIC.match(line) for line in lines), result.stderr
        if result.exit_code == 0 or args[0] == "validate":
            strict_json(result.stdout)
