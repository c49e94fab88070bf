"""What a criterion's PROMETHEE preference function is, as the model writes it.

Plain data, so that :mod:`engage.core.model` and the validator need no method: the arithmetic
of the functions (P(d), its pieces and tolerances) is in :mod:`engage.methods.preference`.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFERENCE_FUNCTIONS = ("usual", "u-shape", "v-shape", "level", "linear", "gaussian")
"""Names of the six generalised criteria of Brans & Vincke (1985), types I to VI."""

PREFERENCE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "usual": (),
    "u-shape": ("q",),
    "v-shape": ("p",),
    "level": ("q", "p"),
    "linear": ("q", "p"),
    "gaussian": ("s",),
}
"""The parameters each preference function needs, in raw criterion units.

Valid values: q >= 0; p > q for level and linear; p > 0 for v-shape; s > 0 for gaussian.
Parameters a function does not need are ignored.
"""


@dataclass(frozen=True, slots=True)
class Preference:
    """PROMETHEE preference function of one criterion, parameters in raw units.

    ``q`` is the indifference threshold, ``p`` the strict-preference threshold and ``s``
    the Gaussian's inflection point; see :data:`PREFERENCE_PARAMETERS`.
    """

    function: str = "usual"
    q: float = 0.0
    p: float = 0.0
    s: float = 0.0
