"""Valid input without pydantic: the plain shapes of option and model tables.

Building the pydantic validators of :mod:`engage.io.schema` costs about 20 ms of every run,
and validating through them (a Python callback per number and per text) was most of
loading 100,000 options. Nearly every table people write has one of a few plain shapes:
this module recognises those in plain Python and builds the resolved values at once.
Anything else, valid or not (an error, or a form too rare to be worth it here), gives
None and takes the full path (engage.io.schema, then engage.io.validate), which accepts,
resolves and reports exactly as before. So a table accepted here must be one the full
path accepts with the same result; tests compare the two on generated tables.

The rules written here are the ones engage.io.schema builds its models from (patterns,
numbers, control characters), so both paths share them. Model tables:
:mod:`engage.io.fastmodel`.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from engage.core.model import Cost, Criterion, Model, Option, Score, midpoint

if TYPE_CHECKING:
    from engage.io.document import Document

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
NAME_PATTERN = r"^[a-z][a-z0-9-]{0,31}$"
LARGEST_INT = 2**53
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters text may not hold (all but tab and line breaks)."""
MAX_META_DEPTH = 32

# Python's fullmatch of a pattern without its anchors: pydantic's (Rust) `$` is the end
# of the text, where Python's `$` would also match before a final line break.
_ID = re.compile(ID_PATTERN[1:-1])
# Python's \s holds every Unicode White_Space character that pydantic's \s holds, so a
# text in which Python finds a non-space character is not blank for pydantic either.
_NOT_BLANK = re.compile(r"\S")

_OPTION_KEYS = frozenset(
    {"id", "title", "track", "summary", "actors", "tags", "scores", "meta"}
    | {"costs", "requires", "conflicts"}
)
_SCORE_KEYS = frozenset(
    {"value", "low", "high", "intrinsic", "by", "rationale", "sources", "unknown"}
)
_COST_KEYS = frozenset({"value", "low", "high", "rationale", "sources"})
_VALUE_KEYS = frozenset({"value", "low", "high"})


class Unusual(Exception):
    """Not one of the plain shapes: leave the table to the full path."""


def median(values: Sequence[float]) -> float:
    """The median as ``statistics.median`` gives it (its algorithm, so the same number
    and type: the middle value, or the mean of the two middle ones), without importing
    the statistics module on every run that has assessors."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        raise ValueError("no median of no values")
    if n % 2 == 1:
        return ordered[n // 2]
    return (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def is_number(value: object) -> bool:
    """A number the schema takes as it is: finite, and an integer within ±2**53."""
    kind = type(value)
    if kind is float:
        return math.isfinite(value)  # type: ignore[arg-type]
    return kind is int and -LARGEST_INT <= value <= LARGEST_INT  # type: ignore[operator]


def is_text(value: object) -> bool:
    return type(value) is str and CONTROL.search(value) is None


def _filled(value: object) -> bool:
    return isinstance(value, str) and is_text(value) and _NOT_BLANK.search(value) is not None


def _texts(table: dict[str, Any], key: str) -> list[str]:
    """An optional array of texts (default empty), copied."""
    if key not in table:
        return []
    value = table[key]
    if type(value) is not list or not all(is_text(x) for x in value):
        raise Unusual
    return list(value)


def optional_text(table: dict[str, Any], key: str) -> str | None:
    value = table.get(key)
    if value is not None and not is_text(value):
        raise Unusual
    return value


def number(value: object) -> float:
    if not is_number(value):
        raise Unusual
    return value  # type: ignore[return-value]


def optional_number(table: dict[str, Any], key: str) -> float | None:
    value = table.get(key)
    return None if value is None else number(value)


def table_of(value: object, keys: frozenset[str]) -> dict[str, Any]:
    if type(value) is not dict or not value.keys() <= keys:
        raise Unusual
    return value


# -- options -----------------------------------------------------------------------------


Reader = Callable[[object, "Document", Sequence[str | int]], Option | None]


def reader(model: Model) -> Reader:
    """``read(raw, doc, base)``: the resolved option of a plain, valid option table, or
    None (use the full path).

    Plain: text without control characters, every score a number or a table inside the
    scale, the track one of the model's, the scores naming exactly the model's criteria,
    costs of the model's resources (0 or more, in range), ``requires`` and ``conflicts``
    naming ids other than the option's own. The set-wide rules (unique ids, ids in
    ``requires`` and ``conflicts`` that exist) are the caller's. Scores written as
    integers only are immutable values and shared between the options that give the same
    ones.
    """
    criteria = {c.id: c for c in model.criteria}
    resources = frozenset(model.resource_ids)
    count = len(criteria)
    tracks = frozenset(model.tracks) if model.tracks is not None else None
    shared: dict[tuple[str, int, int, int], Score] = {}

    def read(raw: object, doc: Document, base: Sequence[str | int]) -> Option | None:
        if type(raw) is not dict or not raw.keys() <= _OPTION_KEYS:
            return None
        try:
            option_id, title, track = raw["id"], raw["title"], raw["track"]
            written = raw["scores"]
        except KeyError:
            return None
        if type(option_id) is not str or _ID.fullmatch(option_id) is None:
            return None
        if not _filled(title):
            return None
        if tracks is None:
            if not _filled(track):
                return None
        elif type(track) is not str or track not in tracks:  # the model's: names, filled
            return None
        if type(written) is not dict or len(written) != count:
            return None
        scores: dict[str, Score] = {}
        try:
            for cid, score in written.items():
                scores[cid] = _score(cid, score, criteria[cid], shared)
            summary = optional_text(raw, "summary")
            actors = tuple(_texts(raw, "actors")) if "actors" in raw else ()
            tags = tuple(_texts(raw, "tags")) if "tags" in raw else ()
            meta = _meta(raw["meta"]) if "meta" in raw else {}
            costs = _costs(raw["costs"], resources) if "costs" in raw else {}
            requires = _links(raw, "requires", option_id)
            conflicts = _links(raw, "conflicts", option_id)
        except (Unusual, KeyError):
            return None
        if requires and conflicts and not frozenset(requires).isdisjoint(conflicts):
            return None
        where = doc.locate(base) if doc.kind != "toml" else None
        return Option(
            option_id,
            title,
            track,
            scores,
            summary,
            actors,
            tags,
            meta,
            doc.name,
            where[0] if where else None,
            costs,
            requires,
            conflicts,
        )

    return read


def _links(raw: dict[str, Any], key: str, option_id: str) -> tuple[str, ...]:
    """``requires`` or ``conflicts``: ids, none of them the option's own."""
    if key not in raw:
        return ()
    ids = raw[key]
    if type(ids) is not list:
        raise Unusual
    for other in ids:
        if type(other) is not str or _ID.fullmatch(other) is None or other == option_id:
            raise Unusual
    return tuple(ids)


def _costs(raw: object, resources: frozenset[str]) -> dict[str, Cost]:
    """``[option.costs]``: each of a declared resource, a number 0 or more or a table."""
    if type(raw) is not dict or not raw.keys() <= resources:
        raise Unusual
    out: dict[str, Cost] = {}
    for rid, written in raw.items():
        if type(written) is dict:
            table = table_of(written, _COST_KEYS)
            value = number(table["value"])
            low, high = optional_number(table, "low"), optional_number(table, "high")
            low = value if low is None else low
            high = value if high is None else high
            if not 0 <= low <= value <= high:
                raise Unusual
            rationale = optional_text(table, "rationale")
            out[rid] = Cost(value, low, high, rationale, tuple(_texts(table, "sources")))
        else:
            value = number(written)
            if not value >= 0:
                raise Unusual
            out[rid] = Cost(value, value, value)
    return out


def _score(
    cid: str, written: Any, criterion: Criterion, shared: dict[tuple[str, int, int, int], Score]
) -> Score:
    """One score; one made of integers alone (``benefit = 4``, or a table of ``value``
    with ``low`` and ``high`` at most) is looked up in ``shared`` first."""
    kind = type(written)
    if kind is int:
        key = (cid, written, written, written)
    elif kind is dict and written.keys() <= _VALUE_KEYS:
        value = written.get("value")
        low = written.get("low", value)
        high = written.get("high", value)
        low = value if low is None else low
        high = value if high is None else high
        if type(value) is not int or type(low) is not int or type(high) is not int:
            return _score_table(written, criterion)
        key = (cid, value, low, high)
    elif kind is dict:
        return _score_table(written, criterion)
    elif kind is float and criterion.lo <= written <= criterion.hi:  # so finite, too
        return Score(written, written, written)
    else:
        raise Unusual
    found = shared.get(key)
    if found is None:
        _, value, low, high = key
        if not -LARGEST_INT <= low <= value <= high <= LARGEST_INT:
            raise Unusual
        if not criterion.lo <= low <= value <= high <= criterion.hi:
            raise Unusual
        found = shared[key] = Score(value, low, high)
    return found


def _score_table(raw: dict[str, Any], criterion: Criterion) -> Score:
    """A score table inside the scale, resolved as docs/formats.md#option-files says
    (engage.io.validate)."""
    table = table_of(raw, _SCORE_KEYS)
    lo, hi = criterion.lo, criterion.hi
    value, low, high = (optional_number(table, k) for k in ("value", "low", "high"))
    intrinsic = optional_number(table, "intrinsic")
    rationale = optional_text(table, "rationale")
    sources = tuple(_texts(table, "sources"))
    by = table.get("by")
    assessed: dict[str, float] | None = None
    if "unknown" in table:  # docs/formats.md#unknown-scores
        if table["unknown"] is not True or value is not None or by is not None:
            raise Unusual
        low = lo if low is None else low
        high = hi if high is None else high
        if not lo <= low <= high <= hi:
            raise Unusual
        value = midpoint(low, high)
        if intrinsic is not None and (criterion.role != "linkage" or not lo <= intrinsic <= value):
            raise Unusual
        return Score(value, low, high, intrinsic, rationale, sources, None, unknown=True)
    if by is None:
        if value is None:
            raise Unusual
        low = value if low is None else low
        high = value if high is None else high
        if not lo <= low <= value <= high <= hi:
            raise Unusual
    else:
        assessed = _assessors(by, lo, hi)
        if any(x is not None and not lo <= x <= hi for x in (value, low, high)):
            raise Unusual
        values = list(assessed.values())
        if value is None:
            value = median(values)
        low = min(values) if low is None else low
        high = max(values) if high is None else high
        if not low <= value <= high:
            raise Unusual
    if intrinsic is not None and (criterion.role != "linkage" or not lo <= intrinsic <= value):
        raise Unusual
    return Score(value, low, high, intrinsic, rationale, sources, assessed)


def _assessors(by: object, lo: float, hi: float) -> dict[str, float]:
    """``by``: at least one assessor, each with a number inside the scale; copied."""
    if type(by) is not dict or not by:
        raise Unusual
    for name, x in by.items():
        if not is_text(name) or not is_number(x) or not lo <= x <= hi:
            raise Unusual
    return dict(by)


class MetaError(Exception):
    """``[option.meta]`` that cannot be carried into JSON; ``path`` is below the table."""

    def __init__(self, path: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


def plain_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """``[option.meta]`` as JSON-ready data: dates and times become ISO strings.

    NaN and infinities cannot be carried into JSON, and nesting deeper than 32 levels is
    refused (MetaError), so what engage prints always parses.
    """
    if not meta:
        return {}
    result: dict[str, Any] = _plain(meta, ())
    return result


def _plain(value: Any, at: tuple[str | int, ...]) -> Any:
    # a module-level function, not a closure: a recursive closure is a reference cycle,
    # one per option, that only the cyclic collector (off in the CLI) would free
    if len(at) > MAX_META_DEPTH:
        raise MetaError(at, f"nested deeper than {MAX_META_DEPTH} levels")
    if isinstance(value, dict):
        return {k: _plain(v, (*at, k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, (*at, i)) for i, v in enumerate(value)]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        raise MetaError(at, f"{value} cannot be carried into JSON output")
    return value


def _meta(raw: object) -> dict[str, Any]:
    if type(raw) is not dict or not all(type(k) is str for k in raw):
        raise Unusual
    try:
        return plain_meta(raw)
    except MetaError:
        raise Unusual from None
