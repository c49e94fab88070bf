"""Exact 0–1 programmes through HiGHS: the one module that loads the solver.

    maximise  c · x   subject to   A x ≤ b,   x ∈ {0, 1}ⁿ   (some x_i fixed)

HiGHS (Huangfu and Hall, "Parallelizing the dual revised simplex method", *Mathematical
Programming Computation* 10, 2018; its branch and cut by Galabova and Hall) is run on one
thread, presolve on, a fixed random seed, a relative and absolute gap of 0, with the
variables in the caller's order: the same programme always gives the same answer.

The solver works in floating point with tolerances, so its answer is checked, not trusted:
x is rounded to 0/1 and every row is recomputed here (``math.fsum``). A row counts as met
when Σ a·x ≤ b + 1e-9·max(1, |b|) (``slack``); the solver is given that looser right-hand
side (rows of integers, whose sums are exact, get b itself), so every point met here is
feasible for the solver too, and a solver point that
fails the check here is cut off (a no-good cut) and the programme solved again. The
objective reported is recomputed from c and the rounded x.

``highspy`` rather than ``scipy.optimize.milp`` (the same HiGHS underneath): importing
``scipy.optimize`` costs about 0.9 s, and highspy lets one solver object be changed and
solved again, which the frontier and the draws do hundreds of times. Only highspy's
compiled core is loaded (``highspy._core``, about 15 ms): the package's Python layer
imports numpy (about 0.1 s, most of a short `portfolio` run's extra cost over `rank`),
and the core's array arguments convert through numpy too, so the model is given to HiGHS
through its scalar calls only: one ``passModel`` of the rows' bounds, then per variable
its bounds, type, cost and coefficients (a column at a time, appended at the end of the
matrix), a few microseconds each. Rows are never added or deleted: cuts go into empty
free rows kept at the end of the model (``SPARE_ROWS``, more made when needed) and are
emptied again after the solve.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import math
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from engage.core.errors import EngageError

Row = Mapping[int, float] | Sequence[float]
"""One row of A: sparse ``{column: coefficient}`` or dense, one coefficient per variable."""
Status = Literal["optimal", "infeasible"]

ROW_TOLERANCE = 1e-9
"""Relative allowance on every right-hand side (float sums of user numbers: 0.1 + 0.2)."""
INTEGRALITY = 1e-5
"""A solver value farther than this from 0 or 1 is a solver failure, not a rounding."""
MAX_CUTS = 100
"""Solver points refused by the exact check before giving up (never reached in practice)."""
SPARE_ROWS = 4
"""Empty free rows at the end of the solver's model, filled by the cuts of one solve."""
SEED = 20070501
"""HiGHS's random seed, fixed so that runs repeat."""
REQUIRED_OPTIONS: tuple[tuple[str, bool | int | float | str], ...] = (
    ("output_flag", False),
    ("threads", 1),
    ("presolve", "on"),
    ("mip_rel_gap", 0.0),
    ("mip_abs_gap", 0.0),
    ("random_seed", SEED),
    # HiGHS accepts rows violated by up to 1e-6 after its own scaling: with costs in the
    # tens of thousands it then returns points the exact check refuses (the frontier's
    # solves just below a cost found dozens), each costing a cut and a solve more
    ("mip_feasibility_tolerance", 1e-10),
)
SMALL = 100
"""Up to this many variables a programme counts as small (see SMALL_OPTIONS)."""
SMALL_OPTIONS: tuple[tuple[str, bool | int | float | str], ...] = (
    ("mip_allow_restart", False),
    ("mip_detect_symmetry", False),
    ("mip_heuristic_effort", 0.0),
    ("mip_heuristic_run_feasibility_jump", False),
    ("mip_heuristic_run_rins", False),
    ("mip_heuristic_run_rens", False),
    ("mip_heuristic_run_root_reduced_cost", False),
    ("mip_heuristic_run_zi_round", False),
    ("mip_heuristic_run_shifting", False),
)
"""On small programmes (a desk's few dozen options) HiGHS's restarts, symmetry detection
and primal heuristics cost more than branching saves: without them a 30-option solve takes
a quarter of the time (measured: 6 against 25 ms). From a few hundred options on they pay
for themselves many times over (without them 1,000 options took 11-23 s against 2-3 s),
so larger programmes keep HiGHS's defaults. The optimal value does not depend on them;
the choice depends only on the number of variables, so answers stay reproducible."""


def _load_core() -> Any:
    """``highspy._core`` without running ``highspy/__init__.py`` (which imports numpy):
    the extension module is loaded from the installed package's folder under its own
    name, so a later ``import highspy`` finds and reuses it. A layout this does not
    recognise falls back to importing highspy (slower, the same solver)."""
    loaded = sys.modules.get("highspy._core")
    if loaded is not None:
        return loaded
    package = importlib.util.find_spec("highspy")  # locates it without importing it
    for folder in (package.submodule_search_locations or []) if package else []:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(folder, "_core" + suffix)
            spec = importlib.util.spec_from_file_location("highspy._core", path)
            if not os.path.isfile(path) or spec is None or spec.loader is None:
                continue
            module = importlib.util.module_from_spec(spec)
            sys.modules["highspy._core"] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                del sys.modules["highspy._core"]
                raise
            return module
    import highspy  # pragma: no cover - an unfamiliar installation

    return highspy  # pragma: no cover - the package re-exports the names used here


_core = _load_core()
INF: float = _core.kHighsInf
_OK = _core.HighsStatus.kOk


class SolverFailure(EngageError):
    """HiGHS stopped without an optimum or a proof of infeasibility (exit 1)."""


def slack(bound: float) -> float:
    """How far above ``bound`` a row may go and still be met (see the module docstring)."""
    return ROW_TOLERANCE * max(1.0, abs(bound))


@dataclass(frozen=True, slots=True)
class Solution:
    """``x`` in the variables' order (empty when infeasible); ``objective`` is c·x
    recomputed from the rounded x."""

    status: Status
    x: tuple[int, ...]
    objective: float


def _finite(objective: Sequence[float]) -> list[float]:
    values = [float(c) for c in objective]
    if not all(math.isfinite(c) for c in values):
        raise ValueError("an objective coefficient is not finite")
    return values


def _dense(row: Row, n: int) -> dict[int, float]:
    if isinstance(row, Mapping):
        items = {int(j): float(a) for j, a in row.items() if a != 0}
    else:
        if len(row) != n:
            raise ValueError(f"a dense row has {len(row)} coefficients for {n} variables")
        items = {j: float(a) for j, a in enumerate(row) if a != 0}
    if any(not 0 <= j < n for j in items):
        raise ValueError("a row names a variable out of range")
    if not all(math.isfinite(a) for a in items.values()):
        raise ValueError("a row has a coefficient that is not finite")
    return items


Cut = tuple[dict[int, float], float]
"""A row of one solve only: coefficients and right-hand side (Σ a·x ≤ b)."""


class BinaryProgramme:
    """A 0–1 programme held in one HiGHS object, changed in place and solved again.

    ``upper[r]`` may be ``math.inf`` (a row kept for a later limit). Changing the
    objective, a coefficient, a right-hand side or a fixing keeps the solver object; each
    solve starts from a cleared solver state, so its answer does not depend on earlier
    solves.
    """

    def __init__(
        self,
        objective: Sequence[float],
        rows: Sequence[Row] = (),
        upper: Sequence[float] = (),
        fixed: Mapping[int, int] | None = None,
    ) -> None:
        if len(rows) != len(upper):
            raise ValueError("one upper bound per row")
        self.n = len(objective)
        self.objective = _finite(objective)
        self.rows = [_dense(row, self.n) for row in rows]
        self.upper = [float(b) for b in upper]
        self.fixed: dict[int, int] = {}
        self._spare = 0
        self._build(SPARE_ROWS)
        for j, value in (fixed or {}).items():
            self.fix(j, value)

    def _build(self, spare: int) -> None:
        """A new HiGHS object holding the programme and ``spare`` empty free rows."""
        h = _core._Highs()
        for name, value in REQUIRED_OPTIONS:  # output_flag first: HiGHS prints on fd 1
            if h.setOptionValue(name, value) != _OK:
                raise SolverFailure(f"[solver] HiGHS refused the option {name}={value}")
        for name, value in SMALL_OPTIONS if self.n <= SMALL else ():
            h.setOptionValue(name, value)  # absent from older HiGHS: left as is
        total = len(self.rows) + spare
        lp = _core.HighsLp()
        lp.num_row_ = total
        lp.row_lower_ = [-INF] * total
        lp.row_upper_ = [
            *(self._solver_bound(row, b) for row, b in zip(self.rows, self.upper, strict=True)),
            *[INF] * spare,
        ]
        lp.sense_ = _core.ObjSense.kMaximize
        matrix = lp.a_matrix_
        matrix.num_row_ = total
        lp.a_matrix_ = matrix
        if h.passModel(lp) != _OK:
            raise SolverFailure("[solver] HiGHS refused the programme")
        columns: list[list[tuple[int, float]]] = [[] for _ in range(self.n)]
        for r, row in enumerate(self.rows):
            for j in sorted(row):
                columns[j].append((r, row[j]))
        integer = _core.HighsVarType.kInteger
        for j, entries in enumerate(columns):
            fixed = self.fixed.get(j)
            h.addVar(0.0 if fixed is None else float(fixed), 1.0 if fixed is None else float(fixed))
            h.changeColIntegrality(j, integer)
            h.changeColCost(j, self.objective[j])
            for r, a in entries:  # the last column: appended, nothing moves
                h.changeCoeff(r, j, a)
        self._highs = h
        self._spare = spare

    @staticmethod
    def _solver_bound(row: Mapping[int, float], bound: float) -> float:
        if math.isinf(bound):
            return INF
        if bound.is_integer() and all(a.is_integer() for a in row.values()):
            return bound  # sums of integers are exact: no allowance (HiGHS dislikes 1e-9)
        return bound + slack(bound)

    def set_objective(self, objective: Sequence[float]) -> None:
        """Replace c (one coefficient per variable)."""
        if len(objective) != self.n:
            raise ValueError("one objective coefficient per variable")
        self.objective = _finite(objective)
        for j, c in enumerate(self.objective):
            self._highs.changeColCost(j, c)

    def set_upper(self, row: int, bound: float) -> None:
        """Replace b[row]; ``math.inf`` lifts the row."""
        self.upper[row] = float(bound)
        self._highs.changeRowBounds(row, -INF, self._solver_bound(self.rows[row], self.upper[row]))

    def set_coefficients(self, row: int, values: Mapping[int, float]) -> None:
        """Replace A[row, column] for each column given."""
        for column, value in values.items():
            if value == 0:
                self.rows[row].pop(column, None)
            else:
                self.rows[row][column] = float(value)
            self._highs.changeCoeff(row, column, float(value))
        self.set_upper(row, self.upper[row])  # the allowance depends on the coefficients

    def fix(self, column: int, value: int | None) -> None:
        """Fix x[column] to 0 or 1, or free it again with ``None``."""
        if value is None:
            self.fixed.pop(column, None)
            self._highs.changeColBounds(column, 0.0, 1.0)
        else:
            self.fixed[column] = 1 if value else 0
            self._highs.changeColBounds(
                column, float(self.fixed[column]), float(self.fixed[column])
            )

    def meets(self, x: Sequence[int]) -> bool:
        """Whether a 0/1 point meets every row and fixing, recomputed exactly."""
        if any(x[j] != v for j, v in self.fixed.items()):
            return False
        return all(
            math.fsum(a * x[j] for j, a in row.items()) <= bound + slack(bound)
            for row, bound in zip(self.rows, self.upper, strict=True)
            if not math.isinf(bound)
        )

    def value(self, x: Sequence[int]) -> float:
        """c·x, summed exactly from the data."""
        return math.fsum(c for c, xi in zip(self.objective, x, strict=True) if xi)

    def solve(
        self,
        exclude: Sequence[Mapping[int, int] | Sequence[int]] = (),
        *,
        at_least: float | None = None,
    ) -> Solution:
        """The optimum, or ``infeasible``. Each item of ``exclude`` is cut off for this
        solve only: a 0/1 point, or a partial one ``{column: 0 or 1}`` (every point that
        agrees with it on those columns). One no-good cut each:
        Σ_{x̂_j=1} x_j − Σ_{x̂_j=0} x_j ≤ |{j: x̂_j = 1}| − 1 over the columns given.

        ``at_least``: only an optimum worth at least that is wanted. When there is one,
        it is the answer as without ``at_least``; when there is none, the answer is
        ``infeasible`` or some point worth less (not the best of them): HiGHS prunes
        every branch that cannot reach the value (its ``objective_bound``, which it
        applies to its minimisation form −c·x even for a maximisation: hence −at_least),
        and proving that nothing reaches it is far quicker than finding and proving
        the best of what does not."""
        cuts = [
            _no_good(dict(p) if isinstance(p, Mapping) else dict(enumerate(p))) for p in exclude
        ]
        if self.n == 0:  # HiGHS wants a variable; the one point is () and objective 0
            if exclude or not self.meets(()) or (at_least is not None and at_least > 0):
                return Solution("infeasible", (), math.nan)
            return Solution("optimal", (), 0.0)
        placed = 0
        bound = INF if at_least is None else -at_least
        try:
            for _ in range(MAX_CUTS + 1):
                if len(cuts) > self._spare:  # a new model with room for them: cheap
                    self._build(max(len(cuts), 2 * self._spare))
                    placed = 0
                self._highs.setOptionValue("objective_bound", bound)
                for k in range(placed, len(cuts)):
                    self._place(k, cuts[k])
                placed = len(cuts)
                x = self._run()
                if x is None:
                    return Solution("infeasible", (), math.nan)
                if self.meets(x):
                    return Solution("optimal", x, self.value(x))
                cuts.append(_no_good(dict(enumerate(x))))
            raise SolverFailure(
                f"[solver] HiGHS kept returning points that fail the exact check "
                f"({MAX_CUTS} cuts); the numbers are too badly scaled to solve exactly"
            )
        finally:
            self._highs.setOptionValue("objective_bound", INF)
            for k in range(placed):
                self._place(k, (dict.fromkeys(cuts[k][0], 0.0), INF))

    def _place(self, k: int, cut: Cut) -> None:
        """Spare row k holds ``cut`` (coefficients 0 and bound ∞: empty it again)."""
        row = len(self.rows) + k
        coefficients, bound = cut
        for j in sorted(coefficients):
            self._highs.changeCoeff(row, j, coefficients[j])
        self._highs.changeRowBounds(row, -INF, bound)

    def _run(self) -> tuple[int, ...] | None:
        h = self._highs
        h.clearSolver()
        h.run()
        status = h.getModelStatus()
        if status == _core.HighsModelStatus.kInfeasible:
            return None
        if status != _core.HighsModelStatus.kOptimal:
            raise SolverFailure(
                f"[solver] HiGHS stopped with status {h.modelStatusToString(status)}"
            )
        values = h.getSolution().col_value
        x = tuple(round(v) for v in values)
        if any(
            abs(v - xi) > INTEGRALITY or xi not in (0, 1) for v, xi in zip(values, x, strict=True)
        ):
            raise SolverFailure("[solver] HiGHS returned a point that is not 0/1")
        return x


def _no_good(point: Mapping[int, int]) -> Cut:
    return (
        {j: (1.0 if v else -1.0) for j, v in point.items()},
        float(sum(1 for v in point.values() if v) - 1),
    )


def solve_binary(
    objective: Sequence[float],
    rows: Sequence[Row] = (),
    upper: Sequence[float] = (),
    fixed: Mapping[int, int] | None = None,
) -> Solution:
    """Maximise ``objective · x`` subject to ``rows · x ≤ upper``, x binary: one solve."""
    return BinaryProgramme(objective, rows, upper, fixed).solve()
