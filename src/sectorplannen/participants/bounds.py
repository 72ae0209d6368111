"""How large a group of participants can be, given the counts a run shows: the linear programmes of
the disclosure audit (:mod:`sectorplannen.participants.disclosure`).

Every shown count is an equation over the groups no shown count tells apart (``matrix @ x ==
totals``, ``x >= 0``). The audit asks, for each small group, how large it could be; and first, for
many small groups at once, whether one reading of the counts already puts them at the threshold.
Those are many programmes over one set of equations that differ only in their objective or in a
few bounds, so each is solved on one HiGHS model (``highspy``, the solver's own interface), starting
from the last one's optimal basis: a handful of simplex steps instead of a solve from scratch.
scipy's ``linprog`` (the same solver) starts every programme afresh, which made the audit of a
reviewer's sweep of runs take minutes.
"""

from __future__ import annotations

import contextlib
import os
import sys

import numpy as np
from scipy import sparse

TOLERANCE = 1e-6  # a bound within this of the threshold counts as reaching it
BINDING = 1e-9  # a dual value beyond this makes its equation part of a proof
PRIMAL_SIMPLEX = 4  # HiGHS's simplex_strategy for the primal simplex


@contextlib.contextmanager
def _quiet_stdout():
    """The process's standard output closed for a moment: HiGHS prints a banner there whenever a
    solver is made, whatever its options, and a chapter's kernel shows what the process prints."""
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _solver(matrix: sparse.spmatrix, lower: np.ndarray, upper: np.ndarray, rows_low, rows_up, cost: np.ndarray):
    """A HiGHS model, silent and deterministic (one thread), that maximises ``cost @ x``."""
    import highspy  # heavy: loaded only for the disclosure audit

    with _quiet_stdout():
        solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("threads", 1)
    solver.setOptionValue("random_seed", 0)
    columns = sparse.csc_matrix(matrix)
    infinite = highspy.kHighsInf
    # the model as arrays in one call (HiGHS copies them once), not member by member through
    # HighsLp (each member converted element by element): the same model, a fifth of the time
    status = solver.passModel(
        columns.shape[1],
        columns.shape[0],
        columns.nnz,
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMaximize),
        0.0,
        np.asarray(cost, dtype=float),
        np.asarray(lower, dtype=float),
        np.where(np.isinf(upper), infinite, upper).astype(float),
        np.where(np.isinf(rows_low), -infinite, rows_low).astype(float),
        np.where(np.isinf(rows_up), infinite, rows_up).astype(float),
        columns.indptr[:-1].astype(np.int32),  # where each column starts (HiGHS takes no end)
        columns.indices.astype(np.int32),
        columns.data.astype(float),
        np.zeros(columns.shape[1], dtype=np.int32),  # every variable continuous
    )
    if status != highspy.HighsStatus.kOk:
        raise AssertionError(f"HiGHS refused the audit's model ({status})")
    return solver


def _optimal(solver) -> bool:
    import highspy  # heavy: loaded only for the disclosure audit (imported by then)

    solver.run()
    return solver.getModelStatus() == highspy.HighsModelStatus.kOptimal


class GroupBounds:
    """The shown counts as equations (``matrix``: one row per shown count, one column per group of
    participants no count tells apart; ``totals``: the counts), asked about ``n`` groups."""

    def __init__(self, matrix: sparse.spmatrix, totals: np.ndarray):
        self.matrix = sparse.csr_matrix(matrix)
        self.totals = np.asarray(totals, dtype=float)
        self.n = self.matrix.shape[1]
        self._largest = None
        self._last = None

    def still_small(self, groups: np.ndarray, threshold: float) -> np.ndarray:
        """Those of ``groups`` that no single reading of the counts puts at ``threshold`` or above:
        one programme maximises the sum of ``min(group, threshold)``, the groups it brings to the
        threshold are set aside (their copies fixed at 0) and it is solved again from where it was,
        until none more reaches it. What is left needs a programme of its own (:meth:`largest`)."""
        pending = np.asarray(groups, dtype=np.int64)
        k = pending.size
        if k == 0:
            return pending
        n = self.n
        # variables: x (n groups), y (k capped copies); y_j - x_pending[j] <= 0, 0 <= y_j <= threshold
        link = sparse.hstack(
            [sparse.csr_matrix((-np.ones(k), (np.arange(k), pending)), shape=(k, n)), sparse.identity(k)]
        )
        equations = sparse.hstack([self.matrix, sparse.csr_matrix((self.matrix.shape[0], k))])
        solver = _solver(
            sparse.vstack([equations, link]),
            lower=np.zeros(n + k),
            upper=np.concatenate([np.full(n, np.inf), np.full(k, float(threshold))]),
            rows_low=np.concatenate([self.totals, np.full(k, -np.inf)]),
            rows_up=np.concatenate([self.totals, np.zeros(k)]),
            cost=np.concatenate([np.zeros(n), np.ones(k)]),
        )
        left = np.ones(k, dtype=bool)
        while left.any():
            if not _optimal(solver):
                break
            values = np.asarray(solver.getSolution().col_value)[n:]
            reached = left & (values >= threshold - TOLERANCE)
            if not reached.any():
                break
            left &= ~reached
            for j in np.flatnonzero(reached):  # set aside: its copy can add nothing more
                solver.changeColBounds(int(n + j), 0.0, 0.0)
                solver.changeColCost(int(n + j), 0.0)
        return pending[left]

    def largest(self, group: int) -> tuple[float | None, np.ndarray]:
        """How large ``group`` can be (None when the programme has no optimum), and the shown counts
        that bound it (the equations with a dual value: a proof of the bound)."""
        if self._largest is None:
            self._largest = _solver(
                self.matrix,
                lower=np.zeros(self.n),
                upper=np.full(self.n, np.inf),
                rows_low=self.totals,
                rows_up=self.totals,
                cost=np.zeros(self.n),
            )
            # only the objective changes between these programmes: the last optimal basis stays
            # feasible, so the primal simplex goes on from it (the dual simplex would start over)
            self._largest.setOptionValue("simplex_strategy", PRIMAL_SIMPLEX)
        solver = self._largest
        if self._last is not None:
            solver.changeColCost(int(self._last), 0.0)
        solver.changeColCost(int(group), 1.0)
        self._last = group
        if not _optimal(solver):
            return None, np.array([], dtype=np.int64)
        bound = float(solver.getInfo().objective_function_value)
        duals = np.asarray(solver.getSolution().row_dual)
        return bound, np.flatnonzero(np.abs(duals) > BINDING)
