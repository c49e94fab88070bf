"""The linkage lens (docs/methods.md#the-linkage-lens): what each option delivers if linked,
standalone, and the gap.

With b, f, l the benefit, feasibility and linkage of an option rescaled to 0–1 by their
scales (x − lo) / (hi − lo), l₀ its intrinsic linkage rescaled the same way (default the
scale's lo, so 0) and s the probability that the political track stalls::

    delivered_linked     = 100 · b · f · (1 − s · l)
    delivered_standalone = 100 · b · f · (1 − s · l₀)
    dividend             = 100 · b · f · s · (l − l₀)

in points. The dividend is an upper bound: decoupling is assumed to cost nothing.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from engage.core.errors import UsageError
from engage.core.model import Criterion, Model, Option, OptionSet, Role, interpolate
from engage.core.ranking import ScreenedOut, Selection, assign_ranks, select

ROLES: tuple[Role, ...] = ("benefit", "feasibility", "linkage")


@dataclass(frozen=True, slots=True)
class Roles:
    """The criteria holding the three roles the linkage lens reads."""

    benefit: Criterion
    feasibility: Criterion
    linkage: Criterion


@dataclass(frozen=True, slots=True)
class Delivery:
    """One option under the linkage lens; the rescaled inputs are 0–1, the outputs points."""

    option: Option
    benefit: float
    feasibility: float
    linkage: float
    intrinsic: float
    delivered_linked: float
    delivered_standalone: float
    dividend: float
    rank_linked: int
    rank_standalone: int


@dataclass(frozen=True, slots=True)
class TrackTotal:
    track: str
    delivered_linked: float
    delivered_standalone: float
    dividend: float


@dataclass(frozen=True, slots=True)
class Crossing:
    """At stall probability ``p`` the option ``overtaker`` passes ``overtaken`` (going up in p)."""

    p: float
    overtaker: str
    overtaken: str


@dataclass(frozen=True, slots=True)
class Sweep:
    """The ranking by delivered_linked as p goes from 0 to 1: both ends and every overtaking."""

    ranks_at_0: dict[str, int]
    ranks_at_1: dict[str, int]
    crossings: tuple[Crossing, ...]


@dataclass(frozen=True, slots=True)
class Decoupling:
    model: Model
    roles: Roles
    stall_probability: float
    rows: tuple[Delivery, ...]
    """In the order of ``rank_linked`` (ties in id order)."""
    tracks: tuple[TrackTotal, ...]
    screened_out: tuple[ScreenedOut, ...]
    ties: tuple[tuple[str, ...], ...]
    total: int
    sweep: Sweep | None = None

    def top(self, n: int | None) -> Decoupling:
        """The rows with rank_linked <= n (ties kept); totals and sweep stay whole-set."""
        if n is None:
            return self
        return replace(self, rows=tuple(r for r in self.rows if r.rank_linked <= n))


def roles(model: Model) -> Roles:
    """The benefit, feasibility and linkage criteria; a usage error naming any missing role."""
    found = {role: model.with_role(role) for role in ROLES}
    missing = [role for role, c in found.items() if c is None]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        names = (
            f"no criterion with the role {names}"
            if len(missing) == 1
            else (f"no criteria with the roles {names}")
        )
        example = missing[0]
        raise UsageError(
            f"decouple needs criteria with the roles benefit, feasibility and linkage; "
            f"model '{model.title}' has {names}",
            hint=f'declare it in engage.toml: role = "{example}" in that criterion\'s table, '
            f"e.g. [criteria.{example}]",
        )
    benefit, feasibility, linkage = (found[r] for r in ROLES)
    assert benefit is not None
    assert feasibility is not None
    assert linkage is not None
    return Roles(benefit, feasibility, linkage)


def check_stall_probability(p: float) -> float:
    """A probability in [0, 1]; anything else (NaN included) is a usage error."""
    if not (math.isfinite(p) and 0.0 <= p <= 1.0):
        message = f"`stall_probability` must lie in [0, 1], got {p:g}"
        raise UsageError(message, field="stall_probability")
    return p


def rescale(criterion: Criterion, x: float) -> float:
    """(x − lo) / (hi − lo): the plain share of the scale, whatever the direction; through
    the criterion's value function when it gives one (f(x)/100, or 1 − f(x)/100 when lower
    is better, so that the share still grows with x; docs/methods.md, value functions)."""
    if criterion.value_function is not None:
        v = interpolate(criterion.value_function, x) / 100.0
        return v if criterion.higher_is_better else 1.0 - v
    return (x - criterion.lo) / (criterion.hi - criterion.lo)


def decouple(
    option_set: OptionSet,
    stall_probability: float,
    selection: Selection | None = None,
    *,
    sweep: bool = False,
) -> Decoupling:
    """Delivered-if-linked, delivered-standalone and the dividend of every selected option.

    Screens, --track and --tag apply first (:func:`engage.core.ranking.select`). Options are
    ranked by delivered_linked (ties as docs/methods.md#ranks-and-ties); ``rank_standalone`` ranks
    the same
    options by delivered_standalone. Track totals are sums over the selected options.
    """
    s = check_stall_probability(stall_probability)
    model = option_set.model
    lens_roles = roles(model)
    options, screened = select(option_set, selection or Selection())
    inputs = [_rescaled(o, lens_roles) for o in options]
    linked = [100 * b * f * (1 - s * link) for b, f, link, _ in inputs]
    standalone = [100 * b * f * (1 - s * link0) for b, f, _, link0 in inputs]
    dividend = [100 * b * f * s * (link - link0) for b, f, link, link0 in inputs]
    ids = [o.id for o in options]
    order, ranks_linked, ties = _ranks(linked, ids)
    _, ranks_standalone, _ = _ranks(standalone, ids)
    rows = tuple(
        Delivery(
            option=options[i],
            benefit=inputs[i][0],
            feasibility=inputs[i][1],
            linkage=inputs[i][2],
            intrinsic=inputs[i][3],
            delivered_linked=linked[i],
            delivered_standalone=standalone[i],
            dividend=dividend[i],
            rank_linked=ranks_linked[ids[i]],
            rank_standalone=ranks_standalone[ids[i]],
        )
        for i in order
    )
    return Decoupling(
        model=model,
        roles=lens_roles,
        stall_probability=s,
        rows=rows,
        tracks=_track_totals(model, rows),
        screened_out=tuple(screened),
        ties=ties,
        total=len(rows),
        sweep=_sweep(options, lens_roles) if sweep else None,
    )


def _rescaled(option: Option, r: Roles) -> tuple[float, float, float, float]:
    link = option.scores[r.linkage.id]
    intrinsic = link.intrinsic if link.intrinsic is not None else r.linkage.lo
    return (
        rescale(r.benefit, option.scores[r.benefit.id].value),
        rescale(r.feasibility, option.scores[r.feasibility.id].value),
        rescale(r.linkage, link.value),
        rescale(r.linkage, intrinsic),
    )


def _ranks(
    values: Sequence[float], ids: Sequence[str]
) -> tuple[list[int], dict[str, int], tuple[tuple[str, ...], ...]]:
    """Positions in rank order, rank by id, and tie groups (descending,
    docs/methods.md#ranks-and-ties)."""
    order = sorted(range(len(ids)), key=lambda i: (-values[i], ids[i]))
    ranked, ties = assign_ranks([values[i] for i in order], [ids[i] for i in order])
    order = [order[k] for k in ranked.order]
    return order, {ids[i]: r for i, r in zip(order, ranked.ranks, strict=True)}, ties


def _track_totals(model: Model, rows: Sequence[Delivery]) -> tuple[TrackTotal, ...]:
    """Sums per track with at least one selected option, in the model's track order."""
    by_track: dict[str, list[Delivery]] = {}
    for row in rows:
        by_track.setdefault(row.option.track, []).append(row)
    known = [t for t in model.tracks or () if t in by_track]
    names = known + sorted(t for t in by_track if t not in known)
    return tuple(
        TrackTotal(
            track=t,
            delivered_linked=math.fsum(r.delivered_linked for r in by_track[t]),
            delivered_standalone=math.fsum(r.delivered_standalone for r in by_track[t]),
            dividend=math.fsum(r.dividend for r in by_track[t]),
        )
        for t in names
    )


def _sweep(options: Sequence[Option], r: Roles) -> Sweep:
    """Both ends of the sweep and every overtaking in between, found exactly."""
    ids = [o.id for o in options]
    at_0, at_1 = [], []
    lines: list[tuple[Fraction, Fraction]] = []
    for o in options:
        b = _exact(r.benefit, o.scores[r.benefit.id].value)
        f = _exact(r.feasibility, o.scores[r.feasibility.id].value)
        link = _exact(r.linkage, o.scores[r.linkage.id].value)
        lines.append((b * f, -b * f * link))
        at_0.append(float(100 * b * f))
        at_1.append(float(100 * b * f * (1 - link)))
    return Sweep(
        ranks_at_0=_ranks(at_0, ids)[1],
        ranks_at_1=_ranks(at_1, ids)[1],
        crossings=crossings(lines, ids),
    )


def _exact(criterion: Criterion, x: float) -> Fraction:
    """The rescaled value as an exact fraction of the written numbers (so 0.1·0.6 = 0.2·0.3)."""
    if criterion.value_function is not None:
        v = _exact_curve(criterion.value_function, Fraction(x)) / 100
        return v if criterion.higher_is_better else 1 - v
    lo = Fraction(criterion.lo)
    return (Fraction(x) - lo) / (Fraction(criterion.hi) - lo)


def _exact_curve(points: tuple[tuple[float, float], ...], x: Fraction) -> Fraction:
    """The value function at x in exact fractions, linear between its points."""
    for (x0, v0), (x1, v1) in itertools.pairwise(points):
        if x <= Fraction(x1):
            a, b = Fraction(x0), Fraction(v0)
            return b + (Fraction(v1) - b) * (x - a) / (Fraction(x1) - a)
    return Fraction(points[-1][1])


def crossings(
    lines: Sequence[tuple[Fraction, Fraction]], ids: Sequence[str]
) -> tuple[Crossing, ...]:
    """Every s in (0, 1) at which one line y = a + m·s passes another, going up in s.

    For lines i and j the crossing is s* = (a_i − a_j) / (m_j − m_i); for the linkage lens
    a = b·f and m = −b·f·l, which is the s* of docs/methods.md#sweep = (A_i − A_j) / (A_i·l_i −
    A_j·l_j). A
    kinetic sweep: the lines are kept sorted by value and only neighbours can cross
    next, so k crossings cost O((n + k) log n) instead of looking at all n² pairs. The
    arithmetic is exact (fractions), so three or more lines through one point are each
    reported, and parallel or identical lines never are. Sorted by s, then ids.
    """
    n = len(lines)
    # just after s = 0: higher value first, then the flatter (less falling) line, then id
    order = sorted(range(n), key=lambda i: (-lines[i][0], -lines[i][1], ids[i]))
    position = [0] * n
    for k, i in enumerate(order):
        position[i] = k
    events: list[tuple[Fraction, str, str, int, int]] = []

    def schedule(k: int) -> None:
        upper, lower = order[k], order[k + 1]
        (a_u, m_u), (a_l, m_l) = lines[upper], lines[lower]
        if m_l > m_u:
            s = (a_u - a_l) / (m_l - m_u)
            if 0 < s < 1:
                heapq.heappush(events, (s, ids[lower], ids[upper], upper, lower))

    for k in range(n - 1):
        schedule(k)
    found: list[tuple[Fraction, str, str]] = []
    while events:
        s, _, _, upper, lower = heapq.heappop(events)
        if position[lower] != position[upper] + 1:
            continue  # no longer neighbours in this order: already swapped, or apart
        k = position[upper]
        order[k], order[k + 1] = lower, upper
        position[lower], position[upper] = k, k + 1
        found.append((s, ids[lower], ids[upper]))
        if k > 0:
            schedule(k - 1)
        if k + 2 < n:
            schedule(k + 1)
    found.sort()
    return tuple(Crossing(float(s), over, under) for s, over, under in found)
