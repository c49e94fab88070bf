"""Pareto dominance among the ranked options (docs/methods.md#dominance)."""

from __future__ import annotations

from collections.abc import Sequence

MAX_DOMINATORS = 5


def dominators(vectors: Sequence[Sequence[float]], order: Sequence[int]) -> list[tuple[int, ...]]:
    """For each option, up to five undominated options that dominate it, in rank order.

    ``vectors`` hold each option's values oriented so that higher is better on every
    criterion; ``order`` is the rank order (indices, best first). A dominates B when A is
    at least as good everywhere and strictly better somewhere. Every dominated option is
    dominated by some undominated one (dominance is transitive), so each option is only
    compared with the current Pareto front, never with the whole set: O(n · |front|)
    instead of O(n²), after grouping identical vectors (which never dominate each other).
    Options are visited by decreasing sum of values, since a dominator always has a
    strictly larger sum and so is visited first.
    """
    groups: dict[tuple[float, ...], list[int]] = {}
    for i, v in enumerate(vectors):
        groups.setdefault(tuple(v), []).append(i)
    unique = sorted(groups, key=lambda v: -sum(v))
    position = {i: r for r, i in enumerate(order)}
    front: list[tuple[float, ...]] = []
    dominating: dict[tuple[float, ...], list[tuple[float, ...]]] = {}
    for v in unique:
        above = [f for f in front if _dominates(f, v)]
        if above:
            dominating[v] = above
        else:
            front.append(v)
    result: list[tuple[int, ...]] = [() for _ in vectors]
    for v, above in dominating.items():
        members = sorted((i for f in above for i in groups[f]), key=position.__getitem__)
        best = tuple(members[:MAX_DOMINATORS])
        for i in groups[v]:
            result[i] = best
    return result


def dominates(a: Sequence[float], b: Sequence[float]) -> bool:
    """True when a (higher-is-better values) dominates b."""
    return _dominates(tuple(a), tuple(b))


def _dominates(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    strictly = False
    for x, y in zip(a, b, strict=True):
        if x < y:
            return False
        if x > y:
            strictly = True
    return strictly
