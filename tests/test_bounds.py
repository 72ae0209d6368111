"""The disclosure audit's linear programmes (participants.bounds), against hand computations and
against scipy's linprog solving each programme afresh."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from sectorplannen.participants.bounds import GroupBounds


def equations(rows: list[list[int]], n: int) -> sparse.csr_matrix:
    data = [(i, j) for i, row in enumerate(rows) for j in row]
    r, c = zip(*data, strict=True)
    return sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(rows), n))


def test_a_cell_given_by_its_total_minus_the_other_is_bounded_by_both():
    # a + b = 12 shown and b = 9 shown: a is 3 exactly (12 - 9), and both counts are the proof
    bounds = GroupBounds(equations([[0, 1], [1]], 2), np.array([12.0, 9.0]))
    largest, binding = bounds.largest(0)
    assert largest == 3.0
    assert binding.tolist() == [0, 1]
    # b alone is shown: it is 9 at most, by its own count
    largest, binding = bounds.largest(1)
    assert largest == 9.0 and binding.tolist() == [1]


def test_groups_one_reading_brings_to_the_threshold_are_not_pending():
    # a + b = 12 only: a = 10, b = 2 is one reading and a = 2, b = 10 another, so neither group is
    # proven small; the first programme brings one to 10, the second (from where it was) the other
    bounds = GroupBounds(equations([[0, 1]], 2), np.array([12.0]))
    assert bounds.still_small(np.array([0, 1]), 10).tolist() == []
    # a + b = 7: no reading puts either at 10
    bounds = GroupBounds(equations([[0, 1]], 2), np.array([7.0]))
    assert bounds.still_small(np.array([0, 1]), 10).tolist() == [0, 1]
    assert bounds.largest(0)[0] == 7.0


def test_warm_started_bounds_equal_fresh_solves_on_a_table_with_margins():
    """A 6 x 5 table of counts with its row and column totals and grand total shown: every cell's
    largest value, each programme started from the last one's basis, equals scipy's fresh solve."""
    rng = np.random.default_rng(7)
    cells = rng.integers(0, 15, size=(6, 5)).astype(float)
    n = cells.size
    index = np.arange(n).reshape(cells.shape)
    rows = [index[i].tolist() for i in range(6)] + [index[:, j].tolist() for j in range(5)] + [list(range(n))]
    totals = np.array([*cells.sum(axis=1), *cells.sum(axis=0), cells.sum()])
    matrix = equations(rows, n)
    bounds = GroupBounds(matrix, totals)
    for group in range(n):
        objective = np.zeros(n)
        objective[group] = -1.0
        fresh = linprog(objective, A_eq=matrix, b_eq=totals, bounds=(0, None), method="highs")
        largest, binding = bounds.largest(group)
        assert abs(largest - (-fresh.fun)) < 1e-9, group
        # the proof's counts bound the group: with only them, it can be no larger
        alone = linprog(objective, A_eq=matrix[binding], b_eq=totals[binding], bounds=(0, None), method="highs")
        assert abs(-alone.fun - largest) < 1e-9, group
    # the bound of a cell is at most its row and its column total (a hand check of one cell)
    assert bounds.largest(int(index[2, 3]))[0] <= min(cells[2].sum(), cells[:, 3].sum())


def test_the_solver_prints_nothing():
    """HiGHS prints a banner on the process's standard output when its first solver is made: a
    chapter's kernel would show it on the page. A fresh process, so that the first one is made here."""
    code = (
        "import numpy as np; from scipy import sparse; from sectorplannen.participants.bounds import GroupBounds; "
        "b = GroupBounds(sparse.csr_matrix(np.array([[1.0, 1.0], [0.0, 1.0]])), np.array([12.0, 9.0])); "
        "print(b.largest(0)[0], b.still_small(np.array([0, 1]), 10).tolist())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "3.0 [0, 1]\n"
    assert done.stderr == ""


def test_the_model_handed_to_highs_is_the_one_described():
    """a + b = 12 and b = 9, a at most 5, maximising b: HiGHS holds exactly these columns (a in the
    first equation; b in both), bounds and sense, with no variable integer, as it held them when
    the model was passed member by member (``highspy.HighsLp``)."""
    import highspy

    from sectorplannen.participants import bounds

    solver = bounds._solver(
        equations([[0, 1], [1]], 2),
        lower=np.zeros(2),
        upper=np.array([5.0, np.inf]),
        rows_low=np.array([12.0, 9.0]),
        rows_up=np.array([12.0, 9.0]),
        cost=np.array([0.0, 1.0]),
    )
    lp = solver.getLp()
    assert (lp.num_col_, lp.num_row_) == (2, 2)
    assert list(lp.a_matrix_.start_) == [0, 1, 3]
    assert list(lp.a_matrix_.index_) == [0, 0, 1]
    assert list(lp.a_matrix_.value_) == [1.0, 1.0, 1.0]
    assert list(lp.col_lower_) == [0.0, 0.0] and list(lp.col_upper_) == [5.0, highspy.kHighsInf]
    assert list(lp.row_lower_) == [12.0, 9.0] == list(lp.row_upper_)
    assert list(lp.col_cost_) == [0.0, 1.0] and lp.sense_ == highspy.ObjSense.kMaximize
    assert all(kind == highspy.HighsVarType.kContinuous for kind in lp.integrality_)
    assert bounds._optimal(solver)
    assert solver.getInfo().objective_function_value == 9.0  # b = 9 is shown
    assert list(solver.getSolution().col_value) == [3.0, 9.0]
