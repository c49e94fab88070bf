"""What a method is: its name, what its scores mean, and its two ways of scoring.

A method is one module of :mod:`engage.methods` that defines ``METHOD``, a :class:`Method`,
and one line in :mod:`engage.methods.registry`. Everything else (the model's schema, the
help text, ranking, explain, sensitivity, robustness and the renderers) asks the method's
properties, never its name.

``score`` scores one performance matrix (rows = options, columns = criteria) in pure
Python, so ranking never loads numpy. ``score_batch`` scores many draws at once on numpy
arrays (robustness): ``matrices`` is (..., n, m) and ``weights`` (..., m), the leading
axes broadcast against each other, and the result is (..., n). Both run the same
arithmetic, written once in the method's module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from engage.methods import MethodResult

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from engage.methods.preference import PreferenceLike

    Floats = npt.NDArray[np.float64]
    Matrix = Sequence[Sequence[float]]
    Score = Callable[[Matrix, Sequence[float], Sequence["CriterionLike"]], MethodResult]
    ScoreBatch = Callable[[Floats, Floats, Sequence["CriterionLike"]], Floats]
    Slope = Callable[[float, "CriterionLike"], float]


class CriterionLike(Protocol):
    """What a method reads of a criterion (:class:`engage.core.model.Criterion` has it)."""

    @property
    def higher_is_better(self) -> bool: ...
    @property
    def lo(self) -> float: ...
    @property
    def hi(self) -> float: ...
    @property
    def preference(self) -> PreferenceLike: ...
    @property
    def value_function(self) -> tuple[tuple[float, float], ...] | None: ...


@dataclass(frozen=True, slots=True)
class Method:
    """One aggregation method and the properties the rest of engage relies on."""

    name: str
    """As written in the model, on the command line and in JSON."""
    score_unit: str
    """What a score is measured in: shown next to scores and in JSON ``score_unit``."""
    score_range: tuple[float, float]
    """The least and the greatest score any option can get (the axis of a chart)."""
    score: Score
    score_batch: ScoreBatch
    additive: bool
    """Scores come with per-criterion contributions that add up to them."""
    linear_in_weights: bool
    """Each score is Σ_j w_j · u_ij with u independent of the weights: weight sensitivity
    is solved exactly (straight lines in the weights) instead of by bisection."""
    monotone_in_values: bool
    """Improving one of an option's values never lowers its score relative to any other
    option's: one bracket finds where two options tie."""
    honours_value_functions: bool = False
    """Scores go through each criterion's value function (weighted sum only, for now)."""
    relative: bool = False
    """A score depends on the other options scored with it (TOPSIS's ideal points,
    PROMETHEE's flows), not on the scale alone: the baseline is scored inside the set."""
    pairwise: bool = False
    """``score_batch`` compares every pair of options: O(n²·m) per draw, not O(n·m)."""
    draw_cost: float = 1.0
    """Time per draw of ``score_batch`` relative to the weighted sum's (estimates only)."""
    value_slope: Slope | None = None
    """d score / d value of one of an option's own values when the score is linear in
    them and independent of every other option, so a tie change is solved exactly;
    None when the other options' scores move too (re-scoring is needed)."""

    @property
    def exact_value_changes(self) -> bool:
        return self.value_slope is not None
