"""One score of one option: its value, range, assessors, intrinsic part, or unknown."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from engage.core.errors import Diagnostic
from engage.core.model import Criterion, Score, exact_number, midpoint
from engage.io.document import Document
from engage.io.validate.structure import Path

if TYPE_CHECKING:
    from engage.io.schema import OptionIn, ScoreIn


def _check_intrinsic(
    s: ScoreIn,
    criterion: Criterion,
    value: float,
    doc: Document,
    path: Path,
    problems: list[Diagnostic],
) -> None:
    """``intrinsic`` belongs to the linkage role and lies between the scale's low and value."""
    lo = criterion.lo
    if s.intrinsic is not None:
        if criterion.role != "linkage":
            problems.append(
                doc.error(
                    "bad-value",
                    (*path, "intrinsic"),
                    "'intrinsic' belongs only to the criterion with role 'linkage'",
                )
            )
        elif not lo <= s.intrinsic <= value:
            problems.append(
                doc.error(
                    "out-of-range",
                    (*path, "intrinsic"),
                    f"intrinsic {exact_number(s.intrinsic)} must lie in "
                    f"[{exact_number(lo)}, value {exact_number(value)}]",
                    value=True,
                )
            )


def _has_value(s: ScoreIn, doc: Document, path: Path, problems: list[Diagnostic]) -> bool:
    """A score gives ``value`` or at least one assessor in ``by``."""
    if s.by is not None and not s.by:
        problems.append(doc.error("missing-key", path, "'by' names no assessor"))
        return False
    if s.value is None and not s.by:
        problems.append(doc.error("missing-key", path, "a score needs 'value' (or 'by')"))
        return False
    return True


def check_score(
    written: ScoreIn | float,
    criterion: Criterion,
    doc: Document,
    path: Path,
    problems: list[Diagnostic],
) -> Score | None:
    """The resolved score, or None with the reasons in ``problems``."""
    if not isinstance(written, int | float) and written.unknown is not None:
        return _unknown(written, criterion, doc, path, problems)
    lo, hi = criterion.lo, criterion.hi
    if isinstance(written, int | float):  # the short form, `benefit = 4`
        if lo <= written <= hi:
            return Score(written, written, written)
        _outside([((*path, "value"), written)], criterion, doc, problems)
        return None
    s = written
    value = s.value
    if not _has_value(s, doc, path, problems):
        return None
    if s.by is None and s.intrinsic is None and value is not None:
        # the common case, checked in one go (100,000 options load noticeably faster)
        low = value if s.low is None else s.low
        high = value if s.high is None else s.high
        if lo <= low <= value <= high <= hi:
            return Score(value, low, high, None, s.rationale, tuple(s.sources), None)
    before = len(problems)
    _outside([((*path, "by", a), x) for a, x in (s.by or {}).items()], criterion, doc, problems)
    if len(problems) > before:
        return None
    value, low, high = s.resolved()
    written_ends = [((*path, key), getattr(s, key)) for key in ("value", "low", "high")]
    _outside(written_ends, criterion, doc, problems)
    if len(problems) == before and not low <= value <= high:
        problems.append(
            doc.error(
                "bad-range",
                path,
                f"needs low <= value <= high, got {exact_number(low)} <= "
                f"{exact_number(value)} <= {exact_number(high)}",
            )
        )
    _check_intrinsic(s, criterion, value, doc, path, problems)
    if len(problems) > before:
        return None
    return Score(
        value=value,
        low=low,
        high=high,
        intrinsic=s.intrinsic,
        rationale=s.rationale,
        sources=tuple(s.sources),
        by=dict(s.by) if s.by else None,
    )


def _outside(
    found: Iterable[tuple[Path, float | None]],
    criterion: Criterion,
    doc: Document,
    problems: list[Diagnostic],
) -> None:
    """An ``out-of-range`` error at each written number outside the criterion's scale."""
    for where, x in found:
        if x is not None and not criterion.lo <= x <= criterion.hi:
            message = f"{exact_number(x)} is outside the scale {criterion.scale_text}"
            problems.append(doc.error("out-of-range", where, message, value=True))


def _unknown(
    s: ScoreIn, criterion: Criterion, doc: Document, path: Path, problems: list[Diagnostic]
) -> Score | None:
    """``unknown = true`` with optional ``low``/``high`` (default the scale's ends), no
    ``value`` and no ``by``: the working value is the midpoint of [low, high]."""
    lo, hi = criterion.lo, criterion.hi
    before = len(problems)
    if s.unknown is not True:
        message = "'unknown' is true or absent (write the value instead)"
        problems.append(doc.error("bad-value", (*path, "unknown"), message, value=True))
    for key in ("value", "by"):
        if getattr(s, key) is not None:
            problems.append(
                doc.error("bad-value", (*path, key), f"an unknown score takes no '{key}'")
            )
    low = lo if s.low is None else s.low
    high = hi if s.high is None else s.high
    _outside([((*path, "low"), s.low), ((*path, "high"), s.high)], criterion, doc, problems)
    if len(problems) == before and not low <= high:
        message = f"needs low <= high, got {exact_number(low)} > {exact_number(high)}"
        problems.append(doc.error("bad-range", path, message))
    value = midpoint(low, high)
    _check_intrinsic(s, criterion, value, doc, path, problems)
    if len(problems) > before:
        return None
    return Score(
        value=value,
        low=low,
        high=high,
        intrinsic=s.intrinsic,
        rationale=s.rationale,
        sources=tuple(s.sources),
        unknown=True,
    )


def score_warnings(raw: OptionIn, doc: Document, base: Path) -> list[Diagnostic]:
    from engage.io.schema import ScoreIn

    out = []
    for cid, written in raw.scores.items():
        s = ScoreIn(value=written) if isinstance(written, int | float) else written
        path = (*base, "scores", cid)
        if s.unknown:
            message = "score is unknown (working value: the midpoint of its range)"
            out.append(doc.warning("unknown-score", path, message))
        if not s.rationale:
            out.append(doc.warning("no-rationale", path, "score has no rationale"))
        if not s.sources:
            out.append(doc.warning("no-sources", path, "score has no sources"))
        ranged = (
            s.unknown
            or s.low is not None
            or s.high is not None
            or (s.by is not None and len(s.by) >= 2)
        )
        if not ranged:
            out.append(doc.warning("no-range", path, "score has no range (give low and high)"))
    return out
