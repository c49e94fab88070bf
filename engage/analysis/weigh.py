"""Weights from elicited answers (docs/methods.md#eliciting-weights-engage-weigh): swing,
rank-order centroid and AHP, one person
or a group. Pure: the answers are checked by :mod:`engage.io.answers`, numpy is imported only
for the eigenvector.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from engage.core.errors import EngageError, UsageError
from engage.core.model import Criterion, Option, exact_number
from engage.io.answers import Answers, Pair

_RI = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
RANDOM_INDEX = dict(enumerate(_RI, start=1))
"""Saaty's random consistency index RI(n) (Saaty 1980, as tabulated in Saaty 2008)."""
CR_LIMIT = 0.10
ANONYMOUS = "anonymous"
"""The participant of answers given as flags without ``--participant``."""
Matrix = list[list[float]]


# -- the three formulas ------------------------------------------------------------------


def normalised(values: Sequence[float]) -> tuple[float, ...]:
    """``values`` divided by their sum (accurately summed): a sum within 4 ulp of 1, which
    the model keeps as written, so the profile reads back bit for bit."""
    total = math.fsum(values)
    return tuple(v / total for v in values)


def swing_weights(points: Sequence[float], swings: Sequence[float] | None) -> tuple[float, ...]:
    """Swing weights: w_j ∝ points_j / Δv_j, normalised (von Winterfeldt & Edwards 1986).

    ``points`` are the answers (0–100, the largest swing 100). ``swings`` are the Δv_j:
    the share of criterion j's value that its swing covers (1 for a swing over the whole
    scale, ``swings=None``; less for a swing over the options in the set, whose weight must
    grow in proportion so that the same swing is worth the same on the scale the scores
    are normalised on). A criterion given 0 points weighs 0 whatever its swing; one with
    points and Δv_j = 0 is the caller's error to report (see :func:`check_swings`).
    """
    if swings is None:
        return normalised(points)
    return normalised([0.0 if p == 0 else p / s for p, s in zip(points, swings, strict=True)])


def rank_order_centroid(levels: Sequence[Sequence[int]], n: int) -> tuple[float, ...]:
    """Rank-order centroid weights (Barron & Barrett 1996): w_k = (1/n) Σ_{i=k..n} 1/i for
    the criterion in position k (1 = most important).

    ``levels`` lists the criteria's indexes by importance, most important first; the
    criteria of one level are tied and share the mean of their positions' weights (so
    the weights still sum to 1, and all-tied gives equal weights).
    """
    centroid = [math.fsum(1 / i for i in range(k, n + 1)) / n for k in range(1, n + 1)]
    weights = [0.0] * n
    position = 0
    for level in levels:
        share = math.fsum(centroid[position : position + len(level)]) / len(level)
        for index in level:
            weights[index] = share
        position += len(level)
    return normalised(weights)


@dataclass(frozen=True, slots=True)
class Triple:
    """Three criteria i < j < k whose judgements agree least: a_ij · a_jk against a_ik."""

    indexes: tuple[int, int, int]
    first: float
    """a_ij."""
    second: float
    """a_jk."""
    implied: float
    """a_ij · a_jk: what a_ik would be if the two judgements were consistent."""
    given: float
    """a_ik as judged."""


@dataclass(frozen=True, slots=True)
class Consistency:
    """Saaty's consistency of a reciprocal matrix: λmax, CI = (λmax − n)/(n − 1),
    CR = CI/RI(n) (0 for n <= 2), and the most inconsistent triple (None for n < 3)."""

    lambda_max: float
    ci: float
    cr: float
    triple: Triple | None

    @property
    def acceptable(self) -> bool:
        """Saaty's rule of thumb: CR <= 0.10."""
        return self.cr <= CR_LIMIT


def reciprocal_matrix(n: int, judgements: Mapping[Pair, float]) -> Matrix:
    """The n × n matrix with a_ii = 1, the judged a_ij, and a_ji = 1/a_ij."""
    matrix = [[1.0] * n for _ in range(n)]
    for (i, j), ratio in judgements.items():
        matrix[i][j], matrix[j][i] = ratio, 1 / ratio
    return matrix


def principal_eigenvector(matrix: Matrix) -> tuple[tuple[float, ...], float]:
    """The AHP weights (Saaty 1980): the principal right eigenvector of the positive
    reciprocal matrix, normalised to sum 1, and its eigenvalue λmax.

    By Perron's theorem λmax is real, simple and the largest in modulus, and its
    eigenvector can be taken positive. A consistent matrix (a_ij = w_i/w_j) gives back
    exactly w, with λmax = n.
    """
    import numpy as np

    values, vectors = np.linalg.eig(np.array(matrix, dtype=float))
    k = int(np.argmax(values.real))
    vector = np.abs(vectors[:, k].real)
    return normalised([float(x) for x in vector]), float(values[k].real)


def most_inconsistent_triple(matrix: Matrix) -> Triple | None:
    """The triple i < j < k with the largest |ln(a_ij · a_jk / a_ik)| (the log form of
    Koczkodaj's 1993 triad inconsistency; 0 when the three judgements agree)."""
    best: Triple | None = None
    worst = -1.0
    for i, j, k in itertools.combinations(range(len(matrix)), 3):
        implied = matrix[i][j] * matrix[j][k]
        deviation = abs(math.log(implied / matrix[i][k]))
        if deviation > worst + 1e-12:  # the first of equals, so the answer is stable
            triple = Triple((i, j, k), matrix[i][j], matrix[j][k], implied, matrix[i][k])
            worst, best = deviation, triple
    return best


def consistency(matrix: Matrix, lambda_max: float) -> Consistency:
    """λmax, CI and CR of a reciprocal matrix, with Saaty's RI for n = 3…10."""
    n = len(matrix)
    if n <= 2:
        return Consistency(float(n), 0.0, 0.0, None)
    # λmax >= n for every positive reciprocal matrix; rounding can put it a hair below
    ci = max(0.0, (lambda_max - n) / (n - 1))
    return Consistency(lambda_max, ci, ci / RANDOM_INDEX[n], most_inconsistent_triple(matrix))


def ahp(matrix: Matrix) -> tuple[tuple[float, ...], Consistency]:
    """Weights and consistency of one reciprocal matrix."""
    weights, lambda_max = principal_eigenvector(matrix)
    return weights, consistency(matrix, lambda_max)


def geometric_mean(matrices: Sequence[Matrix]) -> Matrix:
    """The element-wise geometric mean of reciprocal matrices: the aggregation of
    individual judgements (AIJ) of Forman & Peniwati (1998). It is reciprocal again."""
    n, count = len(matrices[0]), len(matrices)
    return [
        [math.exp(math.fsum(math.log(m[i][j]) for m in matrices) / count) for j in range(n)]
        for i in range(n)
    ]


def mean_weights(weights: Sequence[Sequence[float]]) -> tuple[float, ...]:
    """The mean of normalised weight vectors (the group's swing and rank weights)."""
    count = len(weights)
    return normalised([math.fsum(w[j] for w in weights) / count for j in range(len(weights[0]))])


# -- swings over the set -----------------------------------------------------------------


def set_ranges(
    criteria: Sequence[Criterion], options: Sequence[Option]
) -> list[tuple[float, float]]:
    """Each criterion's (worst, best) value over the options, in its direction."""
    out = []
    for c in criteria:
        values = [o.scores[c.id].value for o in options]
        low, high = min(values), max(values)
        out.append((low, high) if c.higher_is_better else (high, low))
    return out


def scale_ranges(criteria: Sequence[Criterion]) -> list[tuple[float, float]]:
    """Each criterion's (worst, best) end of its scale."""
    return [(c.lo, c.hi) if c.higher_is_better else (c.hi, c.lo) for c in criteria]


def swing_shares(
    criteria: Sequence[Criterion], ranges: Sequence[tuple[float, float]]
) -> tuple[float, ...]:
    """Δv_j = v_j(best_j) − v_j(worst_j): the share of each criterion's value its swing covers
    (through :meth:`Criterion.normalize`, the value function the weighted sum uses)."""
    return tuple(
        c.normalize(best) - c.normalize(worst)
        for c, (worst, best) in zip(criteria, ranges, strict=True)
    )


def check_swings(
    criteria: Sequence[Criterion],
    ranges: Sequence[tuple[float, float]],
    answers: Sequence[Answers],
    count: int,
) -> None:
    """A criterion whose swing over the set is 0 cannot carry points: exit 1, naming it."""
    shares = swing_shares(criteria, ranges)
    for j, c in enumerate(criteria):
        if shares[j] <= 0 and any(a.points is not None and a.points[j] > 0 for a in answers):
            value = exact_number(ranges[j][0])
            raise EngageError(
                f"the swing of '{c.id}' over the {count} option{'s' * (count != 1)} in the set "
                f"is 0 (every one scores {value}), so it cannot be weighted by that swing",
                hint="weigh the swing over the whole scale with `over` scale",
                field="over",
            )


# -- one elicitation -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParticipantWeights:
    participant: str
    weights: tuple[float, ...]
    consistency: Consistency | None
    """Pairwise only: the consistency of this participant's own matrix."""


@dataclass(frozen=True, slots=True)
class Elicitation:
    """The weights a method gives from everyone's answers, and what they rest on."""

    name: str
    method: str
    over: str | None
    """``set`` or ``scale`` for swing; None for the other methods."""
    criteria: tuple[Criterion, ...]
    weights: tuple[float, ...]
    participants: tuple[ParticipantWeights, ...]
    answers: tuple[Answers, ...]
    consistency: Consistency | None
    """Pairwise only: of the matrix the group weights come from (the geometric mean's)."""
    ranges: tuple[tuple[float, float], ...]
    """(worst, best) of each swing (the set's or the scale's ends)."""
    description: str

    @property
    def inconsistent(self) -> list[tuple[str, Consistency]]:
        """(who, consistency) for every matrix with CR > 0.10: the group's, then each one."""
        found = []
        if self.consistency is not None and not self.consistency.acceptable:
            found.append(("group" if len(self.participants) > 1 else "", self.consistency))
        if len(self.participants) > 1:
            found += [
                (p.participant, p.consistency)
                for p in self.participants
                if p.consistency is not None and not p.consistency.acceptable
            ]
        return found

    def point_values(self) -> list[list[float | None]]:
        """[j][k]: what one point (unit) of criterion j's scale is worth in points of k's,
        (w_j/(hi_j − lo_j)) / (w_k/(hi_k − lo_k)); None where w_k = 0."""
        per_point = [w / (c.hi - c.lo) for c, w in zip(self.criteria, self.weights, strict=True)]
        return [[a / b if b > 0 else None for b in per_point] for a in per_point]


METHOD_TEXT = {
    "swing": "Swing weights",
    "rank": "Rank-order centroid weights from a ranking of the criteria",
    "pairwise": "AHP weights from pairwise comparisons",
}


def describe(method: str, over: str | None, names: Sequence[str]) -> str:
    """The profile's default description: how its weights were set, and by whom."""
    text = METHOD_TEXT[method]
    if over is not None:
        text += " over the options in the set" if over == "set" else " over the whole scales"
    if len(names) == 1 and names[0] == ANONYMOUS:
        return f"{text}, elicited with engage weigh"
    if len(names) == 1:
        return f"{text}, elicited from {names[0]} with engage weigh"
    shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
    return f"{text}, elicited from {len(names)} participants ({shown}) with engage weigh"


def elicit(
    name: str,
    method: str,
    criteria: Sequence[Criterion],
    answers: Sequence[Answers],
    over: str | None,
    ranges: Sequence[tuple[float, float]],
    description: str | None = None,
) -> Elicitation:
    """Each participant's weights and the group's (docs/methods.md#eliciting-weights-engage-weigh).

    Swing and rank: the mean of the participants' normalised weights. Pairwise: the
    eigenvector of the element-wise geometric mean of their matrices (Forman & Peniwati
    1998), whose consistency is the group's. ``ranges`` are the swings' (worst, best):
    over the set, Δv_j < 1 corrects the weights (:func:`swing_weights`).
    """
    n = len(criteria)
    if method == "pairwise" and n > max(RANDOM_INDEX):
        raise UsageError(
            f"pairwise comparison takes at most {max(RANDOM_INDEX)} criteria (Saaty's random "
            f"index is tabulated to 10; this model has {n})",
            hint="use swing or rank weighting",
        )
    shares = swing_shares(criteria, ranges) if over == "set" else None
    people: list[ParticipantWeights] = []
    matrices: list[Matrix] = []
    for a in answers:
        if a.points is not None:
            people.append(ParticipantWeights(a.participant, swing_weights(a.points, shares), None))
        elif a.levels is not None:
            people.append(ParticipantWeights(a.participant, rank_order_centroid(a.levels, n), None))
        elif a.judgements is not None:
            matrix = reciprocal_matrix(n, a.judgements)
            weights, checked = ahp(matrix)
            matrices.append(matrix)
            people.append(ParticipantWeights(a.participant, weights, checked))
    group: Consistency | None = None
    if matrices:
        weights, group = ahp(matrices[0] if len(matrices) == 1 else geometric_mean(matrices))
    elif len(people) == 1:
        weights = people[0].weights
    else:
        weights = mean_weights([p.weights for p in people])
    names = [a.participant for a in answers]
    return Elicitation(
        name=name,
        method=method,
        over=over,
        criteria=tuple(criteria),
        weights=weights,
        participants=tuple(people),
        answers=tuple(answers),
        consistency=group,
        ranges=tuple(ranges),
        description=description or describe(method, over, names),
    )
