"""PROMETHEE's preference functions P(d), and where each one changes, as written decimals.

A difference d of two written values is a float: 3.1 − 2.8 = 0.30000000000000027, above
a written q = 0.3 although the numbers as written differ by exactly q. Every comparison of
a difference with 0, q or p is therefore made with a tolerance ``tol`` (1e-9 times the
criterion's range, the 1e-9 of the tie rule of docs/methods.md#ranks-and-ties): a d within ``tol``
of a
threshold counts as equal to it. :func:`preference_band` turns that into three pieces on
d (0 below a cut, 1 above another, the function's middle in between) which the pairwise
definition (:func:`preference`), the sorted sweeps of :mod:`engage.methods.promethee` and
its all-pairs batch form all use, so they decide every pair alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

from engage.core.preference import PREFERENCE_FUNCTIONS, PREFERENCE_PARAMETERS, Preference

__all__ = [
    "PREFERENCE_FUNCTIONS",
    "PREFERENCE_PARAMETERS",
    "Band",
    "Preference",
    "PreferenceLike",
    "check_preference",
    "preference",
    "preference_band",
    "threshold_tolerance",
]

THRESHOLD_TOLERANCE = 1e-9
"""Relative to a criterion's range (hi − lo): the tie rule's 1e-9
(docs/methods.md#ranks-and-ties)."""

D = TypeVar("D")

GAUSSIAN_CUTOFF = math.sqrt(120.0 * math.log(2.0))
"""Beyond d = 9.12·s, exp(−d²/2s²) < 2⁻⁶⁰, so 1 − exp(…) rounds to exactly 1.0."""


class PreferenceLike(Protocol):
    """Anything with the four fields of :class:`engage.core.preference.Preference`."""

    @property
    def function(self) -> str: ...
    @property
    def q(self) -> float: ...
    @property
    def p(self) -> float: ...
    @property
    def s(self) -> float: ...


@dataclass(frozen=True, slots=True)
class Band:
    """P(d) in three pieces: 0 for d <= ``lo``, 1 for d > ``hi``, and for lo < d <= hi
    the middle given by ``kind``: ``"level"`` 1/2, ``"ramp"`` (d − ``q``) / ``span``,
    ``"gaussian"`` 1 − exp(−d² / (2 ``s``²)), ``"step"`` none (lo = hi). lo <= hi."""

    lo: float
    hi: float
    kind: Literal["step", "level", "ramp", "gaussian"] = "step"
    q: float = 0.0
    span: float = 1.0
    s: float = 1.0

    def middle(self, d: float) -> float:
        """P(d) for lo < d <= hi."""
        return self.middle_of(d, math.exp)

    def middle_of(self, d: D, exp: Callable[[D], D]) -> D | float:
        """:meth:`middle` of a float or, with ``exp`` = numpy's, of an array of them."""
        if self.kind == "ramp":
            return (d - self.q) / self.span  # type: ignore[operator]
        if self.kind == "gaussian":
            return 1.0 - exp(-(d * d) / (2.0 * self.s * self.s))  # type: ignore[operator]
        return 0.5 if self.kind == "level" else 1.0


def threshold_tolerance(lo: float, hi: float) -> float:
    """The tolerance for comparing differences on a criterion with scale [lo, hi]."""
    return THRESHOLD_TOLERANCE * hi - THRESHOLD_TOLERANCE * lo  # no overflow at ±1e308


def preference_band(pref: PreferenceLike, tol: float = 0.0) -> Band:
    """The pieces of P for differences compared with thresholds to within ``tol`` >= 0.

    - usual: 0 for d <= tol, else 1
    - u-shape: 0 for d <= q + tol, else 1
    - level: 0 for d <= q + tol, 1/2 up to p + tol, 1 beyond
    - v-shape: 0 for d <= tol, d / p up to p − tol, 1 beyond
    - linear: 0 for d <= q + tol, (d − q) / (p − q) up to p − tol, 1 beyond
    - gaussian: 0 for d <= tol, else 1 − exp(−d² / (2 s²)) (exactly 1 past 9.12·s)

    A d within tol of a threshold takes the branch the threshold itself takes (the lower
    one, as docs/methods.md#promethee-ii writes it: P(q) = 0 for u-shape, P(p) = 1/2 for level).
    The ramps
    are continuous at their ends, so there the band is cut where they reach 0 and 1
    (q + tol and p − tol): a d within tol of q or p gets exactly the value at q or p,
    and the ramp never leaves [0, 1]. With tol = 0 this is the definition, compared in
    floating point.
    """
    function, q, p = pref.function, pref.q, pref.p
    if function == "usual":
        return Band(tol, tol)
    if function == "u-shape":
        return Band(q + tol, q + tol)
    if function == "level":
        return Band(q + tol, max(p + tol, q + tol), "level")
    if function == "v-shape":
        return Band(tol, max(p - tol, tol), "ramp", q=0.0, span=p)
    if function == "linear":
        return Band(q + tol, max(p - tol, q + tol), "ramp", q=q, span=p - q)
    if function == "gaussian":
        return Band(tol, max(GAUSSIAN_CUTOFF * pref.s, tol), "gaussian", s=pref.s)
    raise ValueError(f"unknown preference function {function!r}")


def preference(pref: PreferenceLike, d: float, tol: float = 0.0) -> float:
    """Degree P(d) in [0, 1] to which a difference d (in raw units) is a preference.

    P(d) = 0 for d <= 0; for d > 0:

    - usual: 1
    - u-shape: 0 if d <= q, else 1
    - v-shape: d / p if d <= p, else 1
    - level: 0 if d <= q, 1/2 if q < d <= p, 1 if d > p
    - linear: 0 if d <= q, (d − q) / (p − q) if q < d <= p, 1 if d > p
    - gaussian: 1 − exp(−d² / (2 s²))

    A difference exactly at a threshold takes the lower branch, as written above; with
    ``tol`` > 0 one within tol of it does too (see :func:`preference_band`).

    Reference: Brans, J. P. and Vincke, Ph. (1985), "A preference ranking organisation
    method (the PROMETHEE method for multiple criteria decision-making)", *Management
    Science* 31(6), 647-656 (the six generalised criteria).
    """
    band = preference_band(pref, tol)
    if d <= band.lo:
        return 0.0
    if d > band.hi:
        return 1.0
    return band.middle(d)


def check_preference(pref: PreferenceLike) -> None:
    """Raise ValueError for an unknown function or parameters outside their ranges."""
    function = pref.function
    if function not in PREFERENCE_PARAMETERS:
        raise ValueError(f"unknown preference function {function!r}")
    needed = PREFERENCE_PARAMETERS[function]
    values = {"q": pref.q, "p": pref.p, "s": pref.s}
    for name in needed:
        if not math.isfinite(values[name]):
            raise ValueError(f"{function}: {name} must be finite, got {values[name]!r}")
    q, p, s = values["q"], values["p"], values["s"]
    if "q" in needed and not q >= 0.0:
        raise ValueError(f"{function}: q must be >= 0, got {q!r}")
    if "q" in needed and "p" in needed and not p > q:
        raise ValueError(f"{function}: p must be > q, got q={q!r}, p={p!r}")
    if function == "v-shape" and not p > 0.0:
        raise ValueError(f"v-shape: p must be > 0, got {p!r}")
    if function == "gaussian" and not 2.0 * s * s > 0.0:  # s > 0, and s² not underflowing
        raise ValueError(f"gaussian: s must be > 0 (and s² must not underflow), got {s!r}")
