"""A weight profile's rules, shared by the model's checks and the command line's --weights.

Pure: no file, no schema. Problems come back as (message, hint, key) for the caller to
place: the validator at the profile's position, the CLI as a usage error.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from engage.core.errors import did_you_mean
from engage.core.model import exact_number

WeightProblem = tuple[str, str | None, str | None]
"""(message, hint, the weight's key or None for the whole table)."""


def check_weights(
    weights: dict[str, float], criteria: Sequence[str], problems: list[WeightProblem]
) -> tuple[float, ...] | None:
    """Weights must name exactly the criteria, be >= 0 and not all 0; normalised to sum 1."""
    before = len(problems)
    missing = [c for c in criteria if c not in weights]
    for name in weights:
        if name not in criteria:
            hint = did_you_mean(name, missing or criteria)
            problems.append((f"weight for unknown criterion '{name}'", hint, name))
            missing = [c for c in missing if not hint or f"'{c}'" not in hint]
    if missing:
        problems.append(
            (
                f"no weight for {', '.join(missing)} (weights name every criterion: "
                f"{', '.join(criteria)})",
                None,
                None,
            )
        )
    problems += [
        (f"weight {exact_number(w)} for '{name}' is negative", None, name)
        for name, w in weights.items()
        if w < 0
    ]
    if len(problems) == before and sum(weights.values()) <= 0:
        problems.append(("weights must not all be 0", None, None))
    if len(problems) > before:
        return None
    # Always divided by their sum, even one within 1e-9 of 1: three weights of 0.3333333333
    # are equal weights, not 0.9999999999 of them. The sum is fsum's, correctly rounded, so
    # weights written to sum exactly 1 (0.45, 0.35, 0.2; ten of 0.1) divide by exactly 1.0
    # and stay as written. Weights whose sum is 1 to within float precision (4 ulp, as one
    # division leaves them: what `weigh` writes) are kept as written, so that normalising is
    # idempotent and a profile reads back bit for bit.
    values = [float(weights[c]) for c in criteria]
    if not math.isfinite(sum(values)):  # 1e308 + 1e308: scale down first, or every weight is 0
        largest = max(values)
        values = [w / largest for w in values]
    total = math.fsum(values)
    if abs(total - 1.0) <= 4 * 2**-53:
        return tuple(values)
    return tuple(w / total for w in values)
