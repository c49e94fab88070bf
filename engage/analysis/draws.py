"""What SMAA draws: scores from triangular distributions, weight vectors by mode, and the
lens's method scoring many draws at once (docs/methods.md#robustness-smaa-2).

Random streams are seeded from the seed and a stable hash of each option's id, so a draw
does not depend on the order of the files or on how the draws are chunked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from engage.core.model import Model, Option
from engage.methods import registry

Floats = npt.NDArray[np.float64]

CHUNK_VALUES = 1_000_000
"""Largest number of floats in one working array (8 MB): draws are processed in chunks."""


def stable_hash(text: str) -> int:
    """A hash of an id that is the same in every run (Python's own ``hash`` is salted)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


class ScoreDraws:
    """Written values, with triangular draws for the scores that have a range, and uniform
    draws over [low, high] for unknown scores (docs/formats.md#unknown-scores)."""

    def __init__(self, options: Sequence[Option], model: Model, seed: int) -> None:
        self.options = options
        self.model = model
        self.seed = seed
        ids = model.criterion_ids
        m = len(ids)
        self.base = np.array([[o.scores[c].value for c in ids] for o in options], dtype=float)
        cells: list[tuple[int, float, float, float]] = []  # (flat index, low, value, high)
        unknown: list[bool] = []
        self.counts: list[int] = []
        streams = []
        for i, o in enumerate(options):
            ranged = [(i * m + j, o.scores[c]) for j, c in enumerate(ids)]
            ranged = [(k, s) for k, s in ranged if s.low < s.high]
            if ranged:
                cells += [(k, s.low, s.value, s.high) for k, s in ranged]
                unknown += [s.unknown for _, s in ranged]
                self.counts.append(len(ranged))
                streams.append(stream([seed, stable_hash(o.id)]))
        self.streams = streams
        self.ranged = bool(cells)
        self.flat = np.array([k for k, *_ in cells], dtype=np.intp)
        low, mode, high = (np.array([cell[k] for cell in cells]) for k in (1, 2, 3))
        self.shape = (low, high, (mode - low) / (high - low))
        self.areas = ((high - low) * (mode - low), (high - low) * (high - mode))
        self.uniform = np.array(unknown, dtype=bool) if any(unknown) else None

    def restart(self) -> ScoreDraws:
        """The same draws again, from the start."""
        return ScoreDraws(self.options, self.model, self.seed)

    def draw(self, c: int) -> Floats:
        """(c, n, m) values; (1, n, m) when nothing has a range (the same every draw).

        Each option's stream gives c × (its ranged scores) uniforms, row by row, so a
        draw does not depend on how the draws are chunked or on the other options.
        """
        if not self.ranged:
            return self.base[None]
        u = np.concatenate(
            [s.random((c, k)) for s, k in zip(self.streams, self.counts, strict=True)], axis=1
        )
        n, m = self.base.shape
        x = np.repeat(self.base.reshape(1, n * m), c, axis=0)
        drawn = triangular(u, *self.shape, *self.areas)
        if self.uniform is not None:
            low, high, _ = self.shape
            drawn = np.where(self.uniform, low + u * (high - low), drawn)
        x[:, self.flat] = drawn
        return x.reshape(c, n, m)


def triangular(
    u: Floats, low: Floats, high: Floats, cut: Floats, left_area: Floats, right_area: Floats
) -> Floats:
    """The triangular(low, mode, high) quantile of uniforms u (low < high), elementwise.

    F⁻¹(u) = low + √(u·(high − low)·(mode − low)) for u <= cut = (mode − low)/(high − low),
    else high − √((1 − u)·(high − low)·(high − mode)), as numpy's own sampler computes
    it; ``left_area`` and ``right_area`` are the two products under the roots.
    """
    left = u <= cut
    root = np.sqrt(np.where(left, u * left_area, (1.0 - u) * right_area))
    out: Floats = np.where(left, low + root, high - root)
    return out


class WeightDraws:
    """Weight vectors by mode: profile, local (Dirichlet), order, any (uniform)."""

    def __init__(self, weights: Floats, mode: str, concentration: float, seed: int) -> None:
        self.weights = weights
        self.mode = mode
        self.concentration = concentration
        values, keys = np.random.SeedSequence(seed).spawn(2)
        self.values = np.random.Generator(np.random.PCG64(values))
        self.keys = np.random.Generator(np.random.PCG64(keys))
        positive = [j for j in np.argsort(-weights, kind="stable") if weights[j] > 0]
        self.positive = np.array(positive, dtype=np.intp)
        # criteria of equal profile weight, as runs of positions in the descending order
        self.groups: list[tuple[int, int]] = []
        for k, j in enumerate(positive):
            if k and np.isclose(weights[j], weights[positive[k - 1]], rtol=1e-12, atol=0.0):
                self.groups[-1] = (self.groups[-1][0], k + 1)
            else:
                self.groups.append((k, k + 1))

    def draw(self, c: int) -> Floats:
        m = len(self.weights)
        if self.mode == "profile":
            return np.repeat(self.weights[None], c, axis=0)
        if self.mode == "any":
            return uniform_simplex(self.values, c, m)
        out = np.zeros((c, m))
        positive = self.positive
        if self.mode == "local":
            alpha = self.concentration * self.weights[positive]
            out[:, positive] = self.values.dirichlet(alpha, size=c)
            return out
        # order: sorted uniform-simplex values assigned by the profile's order, shuffled
        # within each group of equal profile weight
        ranked = -np.sort(-uniform_simplex(self.values, c, len(positive)), axis=1)
        keys = self.keys.random((c, len(positive)))
        for lo, hi in self.groups:
            block = ranked[:, lo:hi]
            if hi - lo > 1:
                block = np.take_along_axis(block, np.argsort(keys[:, lo:hi], axis=1), axis=1)
            out[:, positive[lo:hi]] = block
        return out


def uniform_simplex(stream: np.random.Generator, c: int, k: int) -> Floats:
    """Uniform points of the simplex (Dirichlet(1, …, 1)) from normalised exponentials."""
    e = stream.standard_exponential((c, k))
    result: Floats = e / e.sum(axis=1, keepdims=True)
    return result


def stream(entropy: list[int]) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))


# -- scoring many draws at once ----------------------------------------------------------


class Scorer:
    """The lens's method on (draws, options, criteria) arrays: its ``score_batch``."""

    def __init__(self, model: Model, method: str) -> None:
        self.criteria = model.criteria
        self.method = registry.get(method)
        self.pairwise = self.method.pairwise

    def scores(self, x: Floats, weights: Floats) -> Floats:
        """(..., n) scores of (..., n, m) values and (..., m) weights (broadcast)."""
        return self.method.score_batch(x, weights, self.criteria)

    def values(self, x: Floats) -> Floats:
        """U (draws, n, m) of a method linear in the weights, score = Σ_j w_j · U_j: U_j is
        the score at the unit weights e_j (PROMETHEE: the per-criterion net flows φ_j)."""
        if not self.method.linear_in_weights:
            raise ValueError(f"{self.method.name} is not linear in the weights")
        unit = np.eye(len(self.criteria))
        return np.stack([self.scores(x, e[None]) for e in unit], axis=-1)
