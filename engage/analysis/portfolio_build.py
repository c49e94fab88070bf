"""The 0–1 programme of a portfolio problem, and why one has no solution (docs/methods.md#planned).

Variables are the candidates in id order (x_i = 1: option i is chosen). Rows, in this
order: one per resource in name order (Σ cost·x ≤ limit, ∞ when the resource has no
limit, so that the frontier and the marginal values can set one); ``max_options``
(Σ x ≤ N); ``max_track`` and ``min_track`` per track in name order (Σ_T x ≤ N,
−Σ_T x ≤ −N); ``requires`` (x_i − x_j ≤ 0) and ``conflicts`` (x_i + x_j ≤ 1, each pair
once). ``require`` and ``exclude`` fix variables; an option requiring something that is
not a candidate is fixed to 0. Imported only when a portfolio is solved: it loads HiGHS.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from engage.analysis.milp import BinaryProgramme
from engage.analysis.portfolio import (
    MARGINAL_STEP,
    Candidate,
    Marginal,
    PortfolioDataError,
    PortfolioInfeasible,
    Problem,
    tied,
)


def amount(x: float) -> str:
    """A quantity for messages: 12, 12.5, rounded to 9 significant digits so that float
    noise (12.000000000000002) does not show."""
    rounded = float(f"{x:.9g}")
    if rounded.is_integer() and abs(rounded) < 2**53:
        return str(int(rounded))
    return repr(rounded)


def cost_total(candidates: Sequence[Candidate], resource: str) -> float:
    """Σ of the candidates' costs of one resource, exactly (a missing cost adds 0)."""
    return math.fsum(c.costs.get(resource, 0.0) for c in candidates)


class Programme:
    """A :class:`Problem` as a :class:`BinaryProgramme`, solved in terms of option ids."""

    def __init__(self, problem: Problem, resources: Sequence[str] = ()) -> None:
        self.problem = problem
        self.candidates = problem.candidates
        self.ids = tuple(c.id for c in self.candidates)
        self.index = {cid: i for i, cid in enumerate(self.ids)}
        self.by_id = {c.id: c for c in self.candidates}
        self.conflicts: dict[str, set[str]] = {cid: set() for cid in self.ids}
        self.resources = tuple(sorted(set(problem.limits) | set(resources)))
        self.resource_row = {r: k for k, r in enumerate(self.resources)}
        rows: list[dict[int, float]] = []
        upper: list[float] = []
        for r in self.resources:
            rows.append({i: c.costs.get(r, 0.0) for i, c in enumerate(self.candidates)})
            limit = problem.limits.get(r)
            upper.append(math.inf if limit is None else float(limit))
        cons = problem.constraints
        n = len(self.candidates)
        if cons.max_options is not None:
            rows.append(dict.fromkeys(range(n), 1.0))
            upper.append(float(cons.max_options))
        for track, bound in sorted(cons.max_track.items()):
            rows.append({i: 1.0 for i, c in enumerate(self.candidates) if c.track == track})
            upper.append(float(bound))
        for track, bound in sorted(cons.min_track.items()):
            rows.append({i: -1.0 for i, c in enumerate(self.candidates) if c.track == track})
            upper.append(-float(bound))
        fixed: dict[int, int] = {}
        pairs: set[tuple[int, int]] = set()
        for i, c in enumerate(self.candidates):
            for other in c.requires:
                if other not in self.index:
                    fixed[i] = 0
                elif other != c.id:
                    rows.append({i: 1.0, self.index[other]: -1.0})
                    upper.append(0.0)
            for other in c.conflicts:
                if other in self.index and other != c.id:
                    self.conflicts[c.id].add(other)
                    self.conflicts[other].add(c.id)
                    pairs.add((min(i, self.index[other]), max(i, self.index[other])))
        for i, j in sorted(pairs):
            rows.append({i: 1.0, j: 1.0})
            upper.append(1.0)
        # A required option that also requires a non-candidate stays fixed at 1: the
        # programme is then infeasible, and `diagnose` names the chain.
        fixed.update({self.index[cid]: 0 for cid in cons.exclude if cid in self.index})
        fixed.update({self.index[cid]: 1 for cid in cons.require if cid in self.index})
        self.milp = BinaryProgramme([c.value for c in self.candidates], rows, upper, fixed)
        self.contradiction = any(cid not in self.index for cid in cons.require) or bool(
            set(cons.require) & set(cons.exclude)
        )

    def point(self, ids: frozenset[str]) -> tuple[int, ...]:
        return tuple(1 if cid in ids else 0 for cid in self.ids)

    def solve(
        self,
        exclude: Sequence[frozenset[str]] = (),
        *,
        at_least: float | None = None,
    ) -> frozenset[str] | None:
        """The optimal set of ids, or None when no set meets the constraints.

        Options worth nothing are dropped from the solver's answer when nothing needs them
        (a ``requires``, ``require``, ``min_track``), so that a portfolio never lists an
        option for free. ``exclude``: portfolios to avoid, told apart only by the options
        worth something (a portfolio plus or minus a zero is the same portfolio)."""
        if self.contradiction:
            return None
        valued = [j for j, c in enumerate(self.milp.objective) if c != 0]
        cuts = [{j: 1 if self.ids[j] in ids else 0 for j in valued} for ids in exclude]
        solution = self.milp.solve(cuts, at_least=at_least)
        if solution.status == "infeasible":
            return None
        x = list(solution.x)
        for j, c in enumerate(self.milp.objective):
            if x[j] and c <= 0:
                x[j] = 0
                if not self.milp.meets(x) or self.milp.value(x) < solution.objective:
                    x[j] = 1
        return frozenset(cid for cid, xj in zip(self.ids, x, strict=True) if xj)

    def set_limit(self, resource: str, limit: float | None) -> None:
        self.milp.set_upper(self.resource_row[resource], math.inf if limit is None else limit)

    def value(self, ids: frozenset[str]) -> float:
        return self.milp.value(self.point(ids))

    def used(self, ids: frozenset[str], resource: str) -> float:
        row = self.milp.rows[self.resource_row[resource]]
        return math.fsum(row.get(self.index[cid], 0.0) for cid in sorted(ids))


def _closure(problem: Problem) -> tuple[list[str], dict[str, str]]:
    """The required options and everything they require, transitively (in discovery
    order), with the option that brought each one in."""
    by_id = {c.id: c for c in problem.candidates}
    order = [cid for cid in sorted(set(problem.constraints.require)) if cid in by_id]
    parent: dict[str, str] = {}
    seen = set(order)
    k = 0
    while k < len(order):
        for other in sorted(by_id[order[k]].requires):
            if other not in seen:
                seen.add(other)
                parent[other] = order[k]
                if other in by_id:
                    order.append(other)
        k += 1
    return order, parent


def _chain(cid: str, parent: dict[str, str]) -> str:
    links = [cid]
    while links[-1] in parent:
        links.append(parent[links[-1]])
    return " requires ".join(reversed(links))


def in_force(problem: Problem) -> str:
    """The constraints of a problem, as a person would list them."""
    cons = problem.constraints
    parts = [f"{r} ≤ {amount(v)}" for r, v in sorted(problem.limits.items()) if v is not None]
    if cons.max_options is not None:
        parts.append(f"max-options {cons.max_options}")
    parts += [f"min-track {t}={n}" for t, n in sorted(cons.min_track.items())]
    parts += [f"max-track {t}={n}" for t, n in sorted(cons.max_track.items())]
    if cons.require:
        parts.append("require " + ", ".join(sorted(set(cons.require))))
    if cons.exclude:
        parts.append("exclude " + ", ".join(sorted(set(cons.exclude))))
    if any(c.requires or c.conflicts for c in problem.candidates):
        parts.append("the options' requires and conflicts")
    return ", ".join(parts) if parts else "none"


def diagnose(problem: Problem) -> str | None:
    """The first cause found that explains why no portfolio exists, or None: what the
    required options (and what they require) cannot have, then what the track and count
    bounds cannot have together."""
    return _required_cause(problem) or _count_cause(problem)


def _required_cause(problem: Problem) -> str | None:
    cons = problem.constraints
    by_id = {c.id: c for c in problem.candidates}
    absent = sorted(set(cons.require) - set(by_id))
    if absent:
        return f"{absent[0]} is required but is not a candidate"
    both = sorted(set(cons.require) & set(cons.exclude))
    if both:
        return f"{both[0]} is both required and excluded"
    needed, parent = _closure(problem)
    blocked = [f"{_chain(c, parent)}, which is excluded" for c in needed if c in cons.exclude]
    blocked += [f"{_chain(c, parent)}, which is not a candidate" for c in parent if c not in by_id]
    if blocked:
        return blocked[0]
    chosen = [by_id[cid] for cid in needed]
    clashes = [(a.id, b.id) for a in chosen for b in chosen if a.id < b.id and b.id in a.conflicts]
    clashes += [(b.id, a.id) for a in chosen for b in chosen if b.id < a.id and b.id in a.conflicts]
    if clashes:
        return "the required options {} and {} conflict".format(*min(clashes))
    names = ", ".join(sorted(needed))
    for r, limit in sorted(problem.limits.items()):
        if limit is not None and limit < 0:
            return f"the limit of {r} is below 0"
        need = cost_total(chosen, r)
        if limit is not None and need > limit + 1e-9 * max(1.0, abs(limit)):
            over = f"{r} {amount(need)}, over {amount(limit)}"
            return f"the required options ({names}) alone need {over}"
    if cons.max_options is not None and len(needed) > cons.max_options:
        return (
            f"the required options ({names}) are {len(needed)}, over max-options {cons.max_options}"
        )
    for track, bound in sorted(cons.max_track.items()):
        count = sum(1 for c in chosen if c.track == track)
        if count > bound:
            return (
                f"the required options include {count} in {track}, over max-track {track}={bound}"
            )
    return None


def _count_cause(problem: Problem) -> str | None:
    cons = problem.constraints
    for track, bound in sorted(cons.min_track.items()):
        have = sum(1 for c in problem.candidates if c.track == track and c.id not in cons.exclude)
        if bound > have:
            return f"min-track {track}={bound} but the track has {have} candidate(s)"
        if track in cons.max_track and bound > cons.max_track[track]:
            return f"min-track {track}={bound} is above max-track {track}={cons.max_track[track]}"
    floor = sum(cons.min_track.values())
    if cons.max_options is not None and floor > cons.max_options:
        return f"the min-track counts add up to {floor}, over max-options {cons.max_options}"
    return None


def build(problem: Problem, resources: tuple[str, ...] = ()) -> Programme:
    needed = sorted({r for r, v in problem.limits.items() if v is not None} | set(resources))
    missing = [
        f"{c.id} ({', '.join(r for r in needed if r not in c.costs)})"
        for c in problem.candidates
        if any(r not in c.costs for r in needed)
    ]
    if missing:
        extra = [r for r in resources if problem.limits.get(r) is None]
        what = f"with a limit and {', '.join(extra)}" if extra else "with a limit"
        raise PortfolioDataError(
            f"[missing-cost] a cost is needed for every resource {what} "
            "(an unknown cost is not a zero cost); missing: " + "; ".join(missing)
        )
    return Programme(problem, resources)


def optimum(programme: Programme) -> frozenset[str]:
    best = programme.solve()
    if best is None:
        cause = diagnose(programme.problem)
        constraints = in_force(programme.problem)
        raise PortfolioInfeasible(
            f"[infeasible] no portfolio meets the constraints in force ({constraints})"
            + (f": {cause}" if cause else "")
        )
    return best


def reasons(
    programme: Programme, ids: frozenset[str]
) -> dict[str, tuple[str, tuple[str, ...] | None]]:
    """Per candidate not in ``ids``: what would keep it out if it were added, and the
    resources whose limits it would exceed when nothing but those limits keeps it out
    (None when something else does too: a conflict, a requirement, a count)."""
    cons = programme.problem.constraints
    limits = {r: v for r, v in sorted(programme.problem.limits.items()) if v is not None}
    used = {r: programme.used(ids, r) for r in limits}
    in_track: dict[str, int] = {}
    for cid in ids:
        in_track[programme.by_id[cid].track] = in_track.get(programme.by_id[cid].track, 0) + 1
    out: dict[str, tuple[str, tuple[str, ...] | None]] = {}
    for c in programme.candidates:
        if c.id in ids:
            continue
        other = ["excluded"] if c.id in cons.exclude else []
        for req in sorted(set(c.requires) - ids - {c.id}):
            known = req in programme.index
            other.append(f"requires {req} ({'not chosen' if known else 'not a candidate'})")
        other += [f"conflicts with {o}" for o in sorted(programme.conflicts[c.id] & ids)]
        limited: dict[str, str] = {}
        for r, limit in limits.items():
            over = used[r] + c.costs[r] - limit
            if over > 1e-9 * max(1.0, abs(limit)):
                limited[r] = f"would exceed {r} by {amount(over)}"
        if cons.max_options is not None and len(ids) + 1 > cons.max_options:
            other.append(f"max-options {cons.max_options}")
        bound = cons.max_track.get(c.track)
        if bound is not None and in_track.get(c.track, 0) >= bound:
            other.append(f"max-track {c.track}")
        text = "; ".join([*limited.values(), *other]) or "adds no value"
        out[c.id] = (text, None if other else tuple(limited))
    return out


def marginal_values(programme: Programme, ids: frozenset[str], value: float) -> dict[str, Marginal]:
    out: dict[str, Marginal] = {}
    for r, limit in sorted(programme.problem.limits.items()):
        if limit is None:
            continue
        step = MARGINAL_STEP * limit
        programme.set_limit(r, limit + step)
        more = programme.solve()
        programme.set_limit(r, limit)
        if more is None:  # pragma: no cover - more room cannot make a feasible problem infeasible
            continue
        gain = programme.value(more) - value
        if gain <= 0 or tied(value + gain, value):
            out[r] = Marginal(step, 0.0, (), ())
        else:
            out[r] = Marginal(step, gain, tuple(sorted(more - ids)), tuple(sorted(ids - more)))
    return out
