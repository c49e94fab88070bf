"""Brute force over every subset, and random portfolio problems, for the portfolio tests.

The brute force reads the constraints straight from the problem, independently of the
programme the solver is given: it is the reference the solver must agree with.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from hypothesis import strategies as st

from engage.analysis.portfolio import Candidate, Constraints, Problem

RESOURCES = ("budget", "staff")
TRACKS = ("economic", "humanitarian", "political")
KINDS = (
    "limits",
    "max_options",
    "min_track",
    "max_track",
    "require",
    "exclude",
    "requires",
    "conflicts",
    "all",
)
Mask = npt.NDArray[np.bool_]


def within(total: npt.NDArray[np.float64], limit: float) -> Mask:
    return np.asarray(total <= limit + 1e-9 * max(1.0, abs(limit)))


class Brute:
    """Every subset of a problem's candidates (rows of ``x``, columns in id order)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.ids = [c.id for c in problem.candidates]
        n = len(self.ids)
        self.x = (np.arange(2**n)[:, None] >> np.arange(n)) & 1
        self.values = self.x @ np.array([c.value for c in problem.candidates], dtype=float)

    def cost(self, resource: str) -> npt.NDArray[np.float64]:
        costs = [c.costs.get(resource, 0.0) for c in self.problem.candidates]
        return np.asarray(self.x @ np.array(costs, dtype=float), dtype=np.float64)

    def feasible(self, limits: dict[str, float | None] | None = None) -> Mask:
        """Subsets meeting every constraint; ``limits`` replaces the problem's."""
        p, x = self.problem, self.x
        ok = np.ones(len(x), dtype=bool)
        for r, limit in (p.limits if limits is None else limits).items():
            if limit is not None:
                ok &= within(self.cost(r), limit)
        cons = p.constraints
        col = {cid: k for k, cid in enumerate(self.ids)}
        if cons.max_options is not None:
            ok &= x.sum(axis=1) <= cons.max_options
        for track, bound in cons.max_track.items():
            ok &= self.in_track(track) <= bound
        for track, bound in cons.min_track.items():
            ok &= self.in_track(track) >= bound
        for cid in cons.require:
            ok &= x[:, col[cid]] == 1 if cid in col else False
        for cid in cons.exclude:
            if cid in col:
                ok &= x[:, col[cid]] == 0
        for c in p.candidates:
            for other in c.requires:
                ok &= x[:, col[c.id]] <= x[:, col[other]] if other in col else x[:, col[c.id]] == 0
            for other in c.conflicts:
                if other in col:
                    ok &= x[:, col[c.id]] + x[:, col[other]] <= 1
        return ok

    def in_track(self, track: str) -> npt.NDArray[np.int64]:
        cols = [k for k, c in enumerate(self.problem.candidates) if c.track == track]
        return np.asarray(self.x[:, cols].sum(axis=1), dtype=np.int64)

    def best(self, limits: dict[str, float | None] | None = None) -> float | None:
        ok = self.feasible(limits)
        return float(self.values[ok].max()) if ok.any() else None

    def row_of(self, ids: Sequence[str]) -> int:
        chosen = set(ids)
        return sum(1 << k for k, cid in enumerate(self.ids) if cid in chosen)


number = st.one_of(st.integers(0, 20).map(float), st.integers(0, 400).map(lambda k: k / 8))


@st.composite
def problems(
    draw: st.DrawFn, kind: str = "all", max_n: int = 10, cost_scale: float = 1.0
) -> Problem:
    """A random problem; ``kind`` names the one constraint kind it exercises; costs (and
    limits) are multiplied by ``cost_scale``."""
    n = draw(st.integers(0, max_n))
    ids = draw(
        st.lists(
            st.sampled_from([f"o{k:02}" for k in range(30)]), min_size=n, max_size=n, unique=True
        )
    )
    on = {k: kind == k or (kind == "all" and draw(st.booleans())) for k in KINDS}
    candidates = []
    for cid in ids:
        # "gone" is no candidate (screened out): an option requiring it cannot be chosen
        others = [o for o in ids if o != cid]
        pick = st.lists(st.sampled_from([*others, "gone"]), max_size=2, unique=True)
        candidates.append(
            Candidate(
                id=cid,
                track=draw(st.sampled_from(TRACKS)),
                value=draw(number),
                costs={r: draw(number) * cost_scale for r in RESOURCES},
                requires=tuple(draw(pick)) if on["requires"] and draw(st.booleans()) else (),
                conflicts=tuple(draw(pick)) if on["conflicts"] and draw(st.booleans()) else (),
            )
        )
    limits: dict[str, float | None] = dict.fromkeys(RESOURCES)
    if on["limits"]:
        for r in RESOURCES:
            total = sum(c.costs[r] for c in candidates)
            ceiling = int(total / cost_scale) + 1
            limits[r] = draw(st.one_of(st.none(), st.integers(0, ceiling).map(float)))
            limits[r] = None if limits[r] is None else limits[r] * cost_scale
    tracks = st.dictionaries(st.sampled_from(TRACKS), st.integers(0, 3), max_size=2)
    some = st.lists(st.sampled_from(ids), max_size=2, unique=True) if ids else st.just([])
    constraints = Constraints(
        max_options=draw(st.integers(0, max(n, 1))) if on["max_options"] else None,
        min_track=draw(tracks) if on["min_track"] else {},
        max_track=draw(tracks) if on["max_track"] else {},
        require=tuple(draw(some)) if on["require"] else (),
        exclude=tuple(draw(some)) if on["exclude"] else (),
    )
    return Problem(tuple(candidates), limits, constraints)
