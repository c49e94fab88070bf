"""SMAA-2 Monte Carlo: rank probabilities when scores and weights are uncertain
(docs/methods.md#robustness-smaa-2).

Each draw takes every score that has a range from triangular(low, value, high) and a
weight vector by the chosen mode, scores every option with the lens's method and ranks
them. Over the draws: the rank-acceptability matrix (P(option i has rank r)), the
central weights (the mean weights of the draws where an option ranks first) and the
confidence factor (P(rank 1) when it is scored with its central weights).

Reference: Lahdelma, R. and Salminen, P. (2001), "SMAA-2: Stochastic multicriteria
acceptability analysis for group decision making", *Operations Research* 49(3), 444-454.

The draws are made in :mod:`engage.analysis.draws`, ranked with ties in
:mod:`engage.analysis.ties`. These modules use numpy; they are imported only when
`robustness` (or `portfolio`) runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from engage.analysis.draws import (
    CHUNK_VALUES,
    Floats,
    ScoreDraws,
    Scorer,
    WeightDraws,
)
from engage.analysis.ties import at_top, placements
from engage.core.errors import UsageError
from engage.core.model import OptionSet
from engage.core.ranking import Lens, Ranked, Ranking, Selection, nothing_left, rank
from engage.methods import registry

Progress = Callable[[int, int], None]

WEIGHT_MODES = ("local", "order", "any", "profile")
ROBUST = 0.8
"""Verdict `robust`: the option most often first is first in at least this share of draws."""
TIE_MARGIN = 0.05
"""Verdict `tie`: the two highest P(rank 1) differ by less than this."""
SLACK = 1e-9
"""Rounding allowance when probabilities built from sums are compared with thresholds."""


@dataclass(frozen=True, slots=True)
class OptionRobustness:
    """One option over the draws; ``row`` is its deterministic rank at the written values."""

    row: Ranked
    p_rank1: float
    p_top_k: float
    mean_rank: float
    rank_interval: tuple[int, int]
    rank_acceptability: tuple[float, ...]
    central_weights: tuple[float, ...] | None
    confidence: float | None


@dataclass(frozen=True, slots=True)
class Robustness:
    ranking: Ranking
    draws: int
    seed: int
    weights_from: str
    concentration: float
    top_k: int
    verdict: str
    verdict_option: str
    options: tuple[OptionRobustness, ...]
    """Ordered by mean rank, then id."""


def robustness(
    option_set: OptionSet,
    lens: Lens,
    selection: Selection | None = None,
    *,
    draws: int = 10000,
    seed: int = 0,
    weights_from: str = "local",
    concentration: float = 50.0,
    top_k: int = 3,
    progress: Progress | None = None,
    chunk: int | None = None,
) -> Robustness:
    """Rank acceptability, central weights, confidence and a verdict over ``draws`` draws.

    Screens, --track and --tag apply to the written values before any draw. Random
    streams: one per option seeded from (seed, sha256 of its id), one for the weights
    seeded from the seed alone, so the result does not depend on the order of the files
    or on ``chunk`` (the number of draws processed at once, chosen to bound memory).

    Ties within a draw (docs/methods.md#ranks-and-ties) share their ranks' mass equally: two
    options tied for
    first each get 1/2 at rank 1 and 1/2 at rank 2, so every row and every column of
    the acceptability matrix sums to 1. Mean rank is Σ_r r · P(rank r) (a tie counts as
    the mean of the ranks it spans); the rank interval is [smallest r with P(rank <= r)
    >= 0.05, smallest r with P(rank <= r) >= 0.95]. Central weights average the draws'
    weights with the option's rank-1 mass; None when it never ranks first, and then
    confidence is None too.

    Verdict about the option with the highest P(rank 1) (first id when equal): `robust`
    when it is >= 0.8, else `tie` when the second highest is less than 0.05 below it,
    else `fragile` (robust and tie exclude each other: P(rank 1) sums to 1 over options).

    Cost per draw: the method's ``score_batch`` on a chunk of draws, O(n·m) (weighted
    sum, TOPSIS) or O(n²·m) for a pairwise method (PROMETHEE) when a score has a range;
    plus O(n log n) to rank.
    """
    _check(draws, weights_from, concentration, top_k)
    ranking = rank(option_set, lens, selection or Selection())
    if not ranking.rows:
        raise nothing_left()
    model = ranking.model
    rows = sorted(ranking.rows, key=lambda r: r.option.id)
    n, m = len(rows), len(model.criteria)
    scores = ScoreDraws([r.option for r in rows], model, seed)
    weigher = WeightDraws(np.array(lens.weights), weights_from, concentration, seed)
    scorer = Scorer(model, lens.method)
    size = chunk or _chunk(n, m, scorer.pairwise and scores.ranged)
    counts, first_weights, first_mass = _acceptability(
        scores, weigher, scorer, (draws, size), progress
    )
    central = [first_weights[i] / first_mass[i] if first_mass[i] > 0 else None for i in range(n)]
    confidence = _confidence(scores.restart(), scorer, central, (draws, size), progress)
    k = min(top_k, n)
    options = [
        _summary(row, counts[i], draws, k, central[i], confidence[i]) for i, row in enumerate(rows)
    ]
    verdict, about = verdict_of(options)
    options.sort(key=lambda o: (round(o.mean_rank, 9), o.row.option.id))
    settings = (draws, seed, weights_from, concentration, top_k)
    return Robustness(ranking, *settings, verdict, about, tuple(options))


def _acceptability(
    scores: ScoreDraws,
    weigher: WeightDraws,
    scorer: Scorer,
    draws_and_chunk: tuple[int, int],
    progress: Progress | None,
) -> tuple[Floats, Floats, Floats]:
    """The main pass: rank counts (n, n), and per option the rank-1-weighted sum of the
    drawn weights (n, m) and its rank-1 mass (n).

    Counts go through a difference array: a tie group over sorted positions [s, e) adds
    1/(e − s) at s and takes it off at e for each member, so the cumulative sum spreads
    each member's mass over the group's ranks.
    """
    draws, size = draws_and_chunk
    n = len(scores.options)
    diff = np.zeros(n * (n + 1))
    first_weights = np.zeros((n, len(scorer.criteria)))
    first_mass = np.zeros(n)
    done = 0
    while done < draws:
        c = min(size, draws - done)
        x, w = scores.draw(c), weigher.draw(c)
        order, start, end = placements(scorer.scores(x, w))
        mass = 1.0 / (end - start)
        base = order * (n + 1)
        diff += np.bincount((base + start).ravel(), mass.ravel(), n * (n + 1))
        diff -= np.bincount((base + end).ravel(), mass.ravel(), n * (n + 1))
        first = np.zeros((c, n))
        np.put_along_axis(first, order, np.where(start == 0, mass, 0.0), axis=1)
        first_weights += np.einsum("cn,cm->nm", first, w)  # no BLAS: a fixed summation order
        first_mass += first.sum(axis=0)
        done += c
        if progress is not None:
            progress(done, 2 * draws)
    counts: Floats = np.cumsum(diff.reshape(n, n + 1), axis=1)[:, :n]  # whole unless ties
    return counts, first_weights, first_mass


def verdict_of(options: Sequence[OptionRobustness]) -> tuple[str, str]:
    """`robust`, `tie` or `fragile`, and the id of the option with the highest P(rank 1)."""
    ranked = sorted(options, key=lambda o: (-o.p_rank1, o.row.option.id))
    best = ranked[0]
    second = ranked[1].p_rank1 if len(ranked) > 1 else 0.0
    if best.p_rank1 >= ROBUST - SLACK:
        return "robust", best.row.option.id
    if best.p_rank1 - second < TIE_MARGIN - SLACK:
        return "tie", best.row.option.id
    return "fragile", best.row.option.id


def expected_seconds(option_set: OptionSet, lens: Lens, draws: int) -> float:
    """A rough estimate of a run's time (for deciding to show progress), from timings of
    the shipped set and of 1,000 generated options on one core."""
    n, m = len(option_set.options), len(option_set.model.criteria)
    ranged = any(s.low < s.high for o in option_set.options for s in o.scores.values())
    method = registry.get(lens.method)
    per_draw = 1.7e-7 * n * m * method.draw_cost
    if method.pairwise and ranged:
        per_draw += 3.5e-8 * n * n * m
    return draws * per_draw


def weight_draws(
    weights: Sequence[float], weights_from: str, concentration: float, seed: int, draws: int
) -> Floats:
    """The (draws, m) weight vectors a run with these settings uses, in order."""
    return WeightDraws(np.array(weights, dtype=float), weights_from, concentration, seed).draw(
        draws
    )


def _check(draws: int, weights_from: str, concentration: float, top_k: int) -> None:
    if draws < 1:
        raise UsageError(f"`draws` must be at least 1, got {draws}", field="draws")
    if weights_from not in WEIGHT_MODES:
        raise UsageError(f"unknown `weights_from` mode '{weights_from}'", field="weights_from")
    if not 0.0 < concentration < float("inf"):
        message = f"`concentration` must be a positive number, got {concentration:g}"
        raise UsageError(message, field="concentration")
    if top_k < 1:
        raise UsageError(f"`top_k` must be at least 1, got {top_k}", field="top_k")


def _chunk(n: int, m: int, pairwise: bool) -> int:
    per_draw = n * n if pairwise else n * m
    return max(1, CHUNK_VALUES // per_draw)


def _summary(
    row: Ranked,
    counts: Floats,
    draws: int,
    k: int,
    central: Floats | None,
    confidence: float | None,
) -> OptionRobustness:
    """One option's figures from its rank counts (divided by ``draws`` last, so a share
    of whole counts is the exact quotient)."""
    cumulative = np.cumsum(counts) / draws
    p5 = int(np.argmax(cumulative >= 0.05 - SLACK)) + 1
    p95 = int(np.argmax(cumulative >= 0.95 - SLACK)) + 1
    ranks = np.arange(1, len(counts) + 1)
    return OptionRobustness(
        row=row,
        p_rank1=float(counts[0] / draws),
        p_top_k=float(cumulative[k - 1]),
        mean_rank=float(ranks @ counts / draws),
        rank_interval=(p5, p95),
        rank_acceptability=tuple(float(p / draws) for p in counts),
        central_weights=None if central is None else tuple(float(w) for w in central),
        confidence=confidence,
    )


# -- the confidence factor -----------------------------------------------------------------


def _confidence(
    scores: ScoreDraws,
    scorer: Scorer,
    central: Sequence[Floats | None],
    draws_and_chunk: tuple[int, int],
    progress: Progress | None,
) -> list[float | None]:
    """P(rank 1) of each option scored with its own central weights over the score draws
    (the same score draws as the main pass: the streams start again)."""
    n = len(central)
    candidates = np.array([i for i in range(n) if central[i] is not None], dtype=np.intp)
    weights = np.array([central[i] for i in candidates])
    draws, size = draws_and_chunk
    hits = np.zeros(len(candidates))
    done = 0
    while done < draws:
        c = min(size, draws - done)
        x = scores.draw(c)
        batch = max(1, CHUNK_VALUES // (len(x) * n * len(scorer.criteria)))
        for lo in range(0, len(candidates), batch):
            w = weights[lo : lo + batch]
            # (draws, candidates, n): options last, so the reductions run along memory
            s = scorer.scores(x[:, None], w[None])
            top = at_top(s)
            mine = top[:, np.arange(len(w)), candidates[lo : lo + batch]]
            hits[lo : lo + batch] += (mine / top.sum(axis=2)).sum(axis=0) * (c // len(x))
        done += c
        if progress is not None:
            progress(draws + done, 2 * draws)
    out: list[float | None] = [None] * n
    for k, i in enumerate(candidates):
        out[i] = float(hits[k] / draws)
    return out


# Read from here by engage.analysis.portfolio_draws and the tests (their home is now
# engage.analysis.draws).
