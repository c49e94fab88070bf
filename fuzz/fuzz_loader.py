"""Coverage-guided fuzzing (atheris / libFuzzer) of everything that reads user input.

The first byte of each input picks the path, the rest is the file's content:

    0 stdin ("-", format detected)    3 an ``.ndjson`` file          6 CSV (``engage import``)
    1 a ``.toml`` option file          4 ``engage.toml`` (the model)
    2 a ``.json`` file                 5 ``--model FILE``

Every path runs the loader's parse + validate (``engage.io.loader.load``) or the CSV
import's (``read_sheet`` -> ``options_from_sheet`` -> ``check_tables``); a set that loads
is then ranked under every method (a score that is not a finite number counts as a crash:
a wrong number printed as right) and exported (JSON, TOML, CSV), so what the loader
accepts is also known to be printable. engage's own errors (``EngageError`` and its subclasses, e.g.
``InvalidInput``) are the expected outcome for bad input; any other exception is a
crash: libFuzzer stops and writes the input to ``crash-<sha1>``. Keep each crash as a
case in ``tests/hostile/cases/`` with a regression test.

Not run in CI. Install and run (from the repository root):

    /tmp/venv/bin/pip install atheris
    mkdir -p fuzz/corpus
    /tmp/venv/bin/python fuzz/fuzz_loader.py -max_total_time=600 -max_len=8192 \\
        -timeout=10 -rss_limit_mb=2048 -dict=fuzz/engage.dict -artifact_prefix=fuzz/ \\
        fuzz/corpus

``fuzz/engage.dict`` holds the words of the formats (keys, method and preference names,
``nan``, ``inf``, escapes) so mutations reach past the parser. libFuzzer stops at the
first crash (atheris 3.0's ``-fork`` mode did not start its jobs here): fix, keep the
input, run again.

An empty corpus directory is first seeded from the shipped ``options/`` (each file under
each applicable path byte, plus TOML, JSON, NDJSON and CSV exports of two options). Reproduce one
input with ``python fuzz/fuzz_loader.py fuzz/crash-...`` (libFuzzer runs the file once).
The corpus grows to thousands of files: do not commit it.
"""

from __future__ import annotations

import io
import json
import math
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["engage", "tomllib", "json"]):
    from engage.core.errors import EngageError
    from engage.core.ranking import rank, resolve_lens
    from engage.io import authoring, csvimport, loader
    from engage.io.csvimport import read_sheet
    from engage.methods import METHODS
    from engage.render import export

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(tempfile.mkdtemp(prefix="engage-fuzz-"))
GOOD_OPTION = (ROOT / "options" / "isk-ct-channel.toml").read_bytes()
MODES = 7


def _write(name: str, data: bytes) -> str:
    path = WORK / name
    path.write_bytes(data)
    return str(path)


def _load(mode: int, data: bytes) -> None:
    for stale in WORK.iterdir():
        stale.unlink()
    if mode == 0:
        saved = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(data))
        try:
            option_set = loader.load(["-"])
        finally:
            sys.stdin = saved
    elif mode in (1, 2, 3):
        option_set = loader.load([_write(("x.toml", "x.json", "x.ndjson")[mode - 1], data)])
    elif mode == 4:
        _write("engage.toml", data)
        _write("a.toml", GOOD_OPTION)
        option_set = loader.load([str(WORK)])
    else:
        model = _write("model.toml", data)
        option_set = loader.load([_write("a.toml", GOOD_OPTION)], model_path=model)
    for method in METHODS:
        ranking = rank(option_set, resolve_lens(option_set.model, method=method))
        scores = [row.score for row in ranking.rows]
        if not all(math.isfinite(x) for x in scores):
            raise AssertionError(f"{method} printed a score that is not a number: {scores}")
    export.to_json(option_set)
    export.to_csv(option_set)
    export.to_toml(option_set)


def _import_csv(data: bytes) -> None:
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        return  # the command reports it before parsing (tested in tests/hostile)
    model = loader.load_model([])[0]
    sheet = read_sheet(text, "x.csv", model)
    if sheet.problems:
        return
    doc, tables, problems = csvimport.options_from_sheet(sheet)
    entries = [(doc, ("option", i), t) for i, t in enumerate(tables)]
    _, errors, _ = authoring.check_tables(entries, model)
    errors = authoring.merge_problems(problems, [*sheet.row_problems, *errors])
    for diagnostic in errors:
        diagnostic.format()
    if not errors:
        [export.file_table(t, model) for t in tables]
        for t in tables:
            export.option_file_text([export.file_table(t, model)])


def test_one_input(data: bytes) -> None:
    """One fuzz input: a path byte, then the content. EngageError is fine; all else crashes."""
    if not data:
        return
    mode, body = data[0] % MODES, data[1:]
    try:
        if mode == 6:
            _import_csv(body)
        else:
            _load(mode, body)
    except EngageError as exc:
        exc.lines()  # formatting the diagnostics must not fail either


def _seed(corpus: Path) -> None:
    """Seed an empty corpus from the shipped set: its files, and the set exported."""
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    options = ROOT / "options"
    files = sorted(options.glob("*.toml"))
    seeds: list[bytes] = []
    for path in files:
        data = path.read_bytes()
        if path.name == "engage.toml":
            seeds += [b"\x04" + data, b"\x05" + data]
        else:
            seeds += [b"\x00" + data, b"\x01" + data]
    option_set = loader.load([str(files[0]), str(files[1])])  # beside options/engage.toml
    as_json = export.to_json(option_set).encode()
    ndjson = b"".join(
        json.dumps(option).encode() + b"\n" for option in json.loads(as_json)["options"]
    )
    seeds += [b"\x02" + as_json, b"\x00" + as_json, b"\x03" + ndjson]
    seeds += [b"\x06" + export.to_csv(option_set).encode()]
    seeds += [b"\x01" + export.to_toml(option_set).encode()]
    for k, seed in enumerate(seeds):
        (corpus / f"seed-{k:03d}").write_bytes(seed)


def main() -> None:
    dirs = [Path(a) for a in sys.argv[1:] if not a.startswith("-") and Path(a).is_dir()]
    if dirs:
        _seed(dirs[0])
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
