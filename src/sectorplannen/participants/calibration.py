"""Calibrating the synthetic outcomes to what chapters 4 and 7 say about the participants.

Every participant number the chapters state is a claim (``data/claims/arbeidsmarktpositie.csv``):
a share (``aandeel``) of an outcome in a cohort, or a count of participants with a job. Each
becomes a constraint: the synthetic file must give the printed number at the printed rounding
(:func:`sectorplannen.claims.interval`). Where the report is silent, the documented assumptions
of ``data/calibratie.yaml`` (in 2019) or the situation at the later measurement date (2017, 2018:
fewest changes) are the *prior*.

The outcomes are assigned one measurement date and one variable at a time (2019 first; income
situation, then employer, contract, hours among those with a job). People that no claim and no
prior tells apart form a *cell*; an integer programme (HiGHS through ``scipy.optimize.milp``)
chooses how many people of each cell get each value:

- every claim holds (a share ``num / den`` in ``[low, high]`` is the linear pair
  ``num - low * den >= 0`` and ``num - high * den <= 0``), unless claims contradict each other or
  the published counts: then the smallest violation, and the claim is reported as not met;
- otherwise the counts stay as close to the prior as possible, with a convex piecewise-linear
  cost that grows with the share of a cell that moves (so changes spread over cells, as raking
  would, instead of piling up in one).

Which people of a cell get which value is a seeded random draw.

A missed claim may be missed by at most what any assignment could miss it by
(:func:`violation_limits`), not by the whole population as before. The optimum and the claims
given up are the same (tests/test_calibration.py; on the real 2019 income programme objective
5.721.582,04 and the same five claims both ways), and HiGHS proves it in about 60 percent of the
time. It returns another of the tied optima, though, so the synthetic file changed with this: in
chapters 4 and 7 every claim has the same status and computed value as before; only numbers the
report does not state moved (a few shares of employer and contract by one or two points).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy
from scipy import optimize, sparse

from sectorplannen import claims as claims_module
from sectorplannen import reuse
from sectorplannen.errors import CalibrationError, OutcomeError
from sectorplannen.participants import cohort as cohort_module
from sectorplannen.participants.schema import (
    OUTCOME_CONDITIONS,
    OUTCOMES,
    outcome_condition,
    outcome_values,
    with_categories,
)

VARIABLES = OUTCOMES  # assigned in this order


# Piecewise-linear cost of moving people away from the prior: segment widths as a share of the
# prior count (plus 1 percent of the cell), and the cost per person in each segment.
SEGMENT_WIDTHS = (0.01, 0.02, 0.05, 0.1, 0.25, math.inf)


SEGMENT_COSTS = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0)


# Costs of missing a claim. A share a tenth of a step inside its interval is preferred (the ledger
# shows one decimal), so leaving that soft interval costs more per person than any move from the
# prior. Missing a claim altogether happens only where claims contradict each other: then the
# fewest claims are given up (a binary per claim), each by as few people as possible.
MARGIN = 0.1


SOFT_COST = 64.0


MISS_COST = 1e6  # per claim missed


MISS_PERSON_COST = 1e3  # per person by which a missed claim is missed


@dataclass(frozen=True)
class Constraint:
    """One claim as a constraint on a measurement date and an outcome variable.

    ``low`` and ``high`` bound what the report's rounding allows (a share as a fraction, or a
    count); ``soft_low`` and ``soft_high`` lie a tenth of a rounding step inside them."""

    claim: str
    tranche: str
    peildatum: str
    cohort: dict
    outcome: tuple[str, tuple[str, ...]] | None  # (variable, values); None: a count
    low: float
    high: float
    soft_low: float
    soft_high: float
    published: float
    step_size: float
    qualifier: str
    scale: float

    @property
    def variable(self) -> str:
        """The outcome variable whose assignment decides this claim (the last one it involves)."""
        involved = [OUTCOME_CONDITIONS[key][0] for key in self.cohort if key in OUTCOME_CONDITIONS]
        if self.outcome is not None:
            involved.append(self.outcome[0])
        order = list(VARIABLES)
        return max(involved, key=order.index) if involved else ""

    def met(self, value: float) -> bool:
        """Does ``value`` (a fraction or a count) give the published number?"""
        return claims_module.matches(value * self.scale, self.published, self.step_size, self.qualifier)


def _outcome(column: str) -> tuple[str, tuple[str, ...]]:
    try:
        return outcome_values(column)
    except OutcomeError as exc:
        raise CalibrationError(f"claim {exc}") from None


def constraint(
    claim: str,
    tranche: str,
    row: str,
    column: str,
    published: float,
    step: float = 1.0,
    qualifier: str = "",
    unit: str = "procent",
) -> Constraint | None:
    """A claim (as in the claims file: cohort ``row``, outcome ``column``; no outcome: a count) as
    a constraint, or None when it only counts the population (Tabel 4.1, 7.1: fixed by the tables)."""
    selection = cohort_module.parse(row)
    peildatum = str(selection.pop("peildatum", "2019"))
    tranche = str(selection.pop("tranche", tranche))
    outcome = _outcome(column) if column else None
    scale = 100.0 if unit == "procent" else 1.0
    low, high, low_in, high_in = claims_module.interval(published, step, qualifier)
    if outcome is None:  # counts are whole people: the interval's whole numbers
        low = math.ceil(low) if low_in else math.floor(low) + 1
        high = (math.floor(high) if high_in else math.ceil(high) - 1) if not math.isinf(high) else math.inf
        soft_low, soft_high = low, high
    else:  # shares: open ends a hair inside, and a soft interval a tenth of a step inside
        hair = 1e-6 * step
        soft_low, soft_high = max(low + MARGIN * step, 0.0) / scale, min(high - MARGIN * step, scale) / scale
        low = max(low + (0 if low_in else hair), 0.0) / scale
        high = min(high - (0 if high_in else hair), scale) / scale
    made = Constraint(
        claim, tranche, peildatum, selection, outcome, low, high, soft_low, soft_high, published, step, qualifier, scale
    )
    return made if made.variable else None


def constraints(chapter_file: str = "arbeidsmarktpositie", claims_dir=None) -> list[Constraint]:
    """The participant claims of a chapter notebook that constrain an outcome, as constraints."""
    frame = claims_module.load(chapter_file, claims_dir)
    frame = frame[frame["statistic"].isin(claims_module.PARTICIPANT_STATISTICS)]
    out = []
    for claim in frame.to_dict("records"):
        made = constraint(
            claim["id"],
            claim["tranche"],
            claim["row"],
            claim["column"] if claim["statistic"] == "aandeel" else "",
            float(claim["value"]),
            float(claim["step"]),
            claim["qualifier"],
            claim["unit"],
        )
        if made is not None:
            out.append(made)
    return out


def attribute_masks(people: pd.DataFrame, relevant: list[Constraint]) -> dict[str, pd.Series]:
    """Per claim: the people matching its cohort's tranche and attribute conditions (not the
    conditions on outcomes, which change as outcomes are assigned). Claims with the same conditions
    share one mask (the same object), so that what is computed per mask is computed once."""
    frame = people.copy(deep=False)  # the people as of 31 May 2019, without copying their columns
    frame["peildatum"] = pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8), ["2019-05-31"])
    frame = with_categories(frame)
    out, seen = {}, {}
    for constraint in relevant:
        attributes = {k: v for k, v in constraint.cohort.items() if k in cohort_module.ATTRIBUTE_KEYS}
        attributes["tranche"] = constraint.tranche
        key = tuple(sorted(attributes.items()))
        if key not in seen:
            seen[key] = pd.Series(cohort_module.mask(frame, **attributes).to_numpy(dtype=bool), index=people.index)
        out[constraint.claim] = seen[key]
    return out


@dataclass
class Problem:
    """One measurement date and variable: the cells, their prior and the claims on them."""

    variable: str
    peildatum: str
    cells: pd.Series  # cell number per eligible person
    sizes: np.ndarray  # people per cell
    prior: np.ndarray  # cells x values: expected counts without claims
    rows: list  # (constraint, num coefficients or None, den coefficients), each cells x values


def conditions(key: str, value, default: str) -> tuple[str, tuple[str, ...]]:
    """The outcome condition a cohort key sets (``baan=nee`` as in cohort selection), or
    ``(default, ())`` for a key that is no condition on an outcome."""
    if key not in OUTCOME_CONDITIONS:
        return default, ()
    try:
        return outcome_condition(key, value)
    except OutcomeError as exc:
        raise CalibrationError(str(exc)) from None


def build_problem(
    variable: str,
    peildatum: str,
    prior_keys: pd.Series,
    prior_table: dict[str, np.ndarray],
    assigned: dict[str, pd.Series],
    relevant: list[Constraint],
    masks: dict[str, pd.Series],
) -> Problem:
    """Group the people of ``prior_keys`` (the eligible ones) into cells that no relevant claim
    and no prior separates. ``assigned`` holds the variables already assigned at this date."""
    values = np.array(VARIABLES[variable], dtype=object)
    index = prior_keys.index
    positions: dict[int, np.ndarray] = {}  # per index object: where the eligible people are in it
    found: dict[tuple, np.ndarray] = {}  # per series and condition: which eligible people meet it

    def aligned(series: pd.Series, members: tuple | None = None) -> np.ndarray:
        """``series`` for the eligible people by position (a label lookup builds a hash table each
        time), or whether they have one of ``members``; once per series and condition, as many claims
        share a cohort or an outcome condition (membership as cohort selection reads it: by codes)."""
        key = (id(series), members)
        if key not in found:
            if id(series.index) not in positions:
                positions[id(series.index)] = series.index.get_indexer(index)
            where = positions[id(series.index)]
            if members is None:
                found[key] = series.to_numpy()[where]
            else:
                found[key] = cohort_module.isin(series, members).to_numpy()[where]
        return found[key]

    key_columns = {"prior": prior_keys.to_numpy()}
    cohorts: dict[tuple, np.ndarray] = {}  # per attribute mask and outcome conditions: who is in the cohort
    for constraint in relevant:
        outside = tuple(
            (source, tuple(members))
            for source, members in (conditions(key, value, variable) for key, value in constraint.cohort.items())
            if source != variable
        )
        cohort = (id(masks[constraint.claim]), outside)
        if cohort not in cohorts:
            mask = aligned(masks[constraint.claim])
            for source, members in outside:
                mask = mask & aligned(assigned[source], members)
            cohorts[cohort] = mask
        key_columns[constraint.claim] = cohorts[cohort]
        if constraint.outcome is not None and constraint.outcome[0] != variable:
            key_columns[f"{constraint.claim} uitkomst"] = aligned(
                assigned[constraint.outcome[0]], tuple(constraint.outcome[1])
            )
    numbers, first = _cells(key_columns)  # first: one person per cell, in the order of the cells
    cells = pd.Series(numbers, index=index)
    sizes = np.bincount(numbers, minlength=int(numbers.max()) + 1 if len(numbers) else 0).astype(float)
    representative = {column: np.asarray(keys)[first] for column, keys in key_columns.items()}
    prior = np.vstack([prior_table[key] for key in representative["prior"]]) * sizes[:, None]
    rows = []
    for constraint in relevant:
        den = np.repeat(representative[constraint.claim][:, None], len(values), axis=1)
        den = den.astype(float)
        for key, value in constraint.cohort.items():
            source, members = conditions(key, value, "")
            if source == variable:
                den = den * np.isin(values, members)[None, :]
        if constraint.outcome is None:
            num = None
        elif constraint.outcome[0] == variable:
            num = den * np.isin(values, constraint.outcome[1])[None, :]
        else:
            num = den * representative[f"{constraint.claim} uitkomst"][:, None]
        rows.append((constraint, num, den))
    return Problem(variable, peildatum, cells, sizes, prior, rows)


def cell_numbers(keys) -> np.ndarray:
    """One number per row for each distinct combination of the key columns (a frame or a mapping
    of column name to array), in sorted order of the combinations: ordered by the other columns
    (the last one first), then by the boolean ones in their order. The combination so far is one
    integer, renumbered densely before it could overflow: a hundred claims over 260 thousand people
    need a few megabytes and milliseconds where a groupby over the columns needs hundreds."""
    return _cells(keys)[0]


def _cells(keys) -> tuple[np.ndarray, np.ndarray]:
    """:func:`cell_numbers` and the first row of each cell. Columns of whole numbers from 0 are their
    own order (no sort); a boolean column that is constant or equal to an earlier one separates no
    more rows and leaves the order alone, so it is skipped; the others go in eight to a byte."""
    columns = {name: np.asarray(keys[name]) for name in keys}
    flags = [name for name, column in columns.items() if column.dtype == bool]
    others = [name for name in columns if name not in flags]
    n_rows = len(next(iter(columns.values()))) if columns else len(keys)
    parts = []  # (codes, levels), the most significant first
    for name in others[::-1]:
        column = columns[name]
        if column.dtype.kind in "iu" and (n_rows == 0 or column.min() >= 0):
            codes = column.astype(np.int64)
        else:  # a missing value sorts last
            codes = pd.factorize(column, sort=True, use_na_sentinel=False)[0]
        parts.append((codes, max(int(codes.max()) + 1 if n_rows else 1, 1)))
    seen, kept = set(), []
    for name in flags:
        column = columns[name]
        packed = np.packbits(column).tobytes()
        if packed not in seen and column.any() and not column.all():
            seen.add(packed)
            kept.append(column)
    if kept:  # the first flag the highest bit of the first byte
        parts += [(row.astype(np.int64), 256) for row in np.packbits(np.stack(kept), axis=0)]
    numbers, distinct = np.zeros(n_rows, dtype=np.int64), 1
    for codes, levels in parts:
        if distinct * levels >= 2**62:  # renumber densely, keeping the order
            numbers, _ = _dense(numbers)
            distinct = int(numbers.max()) + 1 if n_rows else 1
        numbers, distinct = numbers * levels + codes, distinct * levels
    return _dense(numbers)


def _dense(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``numbers`` renumbered 0, 1, ... in their order, and the first row of each: the distinct
    numbers are found by hashing and only they are sorted (as ``np.unique`` does, without sorting
    every row)."""
    codes, distinct = pd.factorize(numbers)  # in order of first appearance
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[np.argsort(distinct, kind="stable")] = np.arange(len(distinct))
    seen_before = np.maximum.accumulate(codes)
    new = np.ones(len(codes), dtype=bool)
    new[1:] = seen_before[1:] > seen_before[:-1]  # where the next code appears first
    first = np.empty(len(distinct), dtype=np.int64)
    first[rank] = np.flatnonzero(new)
    return rank[codes], first


@dataclass
class Result:
    counts: np.ndarray  # cells x values, whole people
    unmet: list[str]  # claims the calibration could not meet


@dataclass(frozen=True)
class Programme:
    """:func:`solve`'s integer programme as ``scipy.optimize.milp`` takes it (``x`` first: cells x values)."""

    cost: np.ndarray
    matrix: sparse.csr_matrix
    lows: np.ndarray
    highs: np.ndarray
    integrality: np.ndarray
    upper: np.ndarray


def programme(problem: Problem, limits: np.ndarray | None = None) -> Programme:
    """The integer programme of a problem. ``limits`` (claims x 2: hard low, hard high) bound by how
    much a missed claim may miss; by default :func:`violation_limits`, the most any assignment can."""
    n_cells, n_values = problem.prior.shape
    n_x = n_cells * n_values
    cell_size = np.repeat(problem.sizes, n_values)  # per x: the size of its cell
    base = problem.prior.ravel() + 0.01 * cell_size
    widths = [np.minimum(width * base, cell_size) for width in SEGMENT_WIDTHS]
    n_seg = len(SEGMENT_WIDTHS)
    # variables: x (n_x), up segments (n_seg * n_x), down segments (n_seg * n_x), five slacks per claim
    n_claims = len(problem.rows)
    n_slack = 5 * n_claims  # per claim: soft low, soft high, hard low, hard high, missed (binary)
    first_slack = n_x * (1 + 2 * n_seg)
    n_vars = first_slack + n_slack
    cost = np.zeros(n_vars)
    upper = np.full(n_vars, np.inf)
    upper[:n_x] = cell_size
    for j, (width, price) in enumerate(zip(widths, SEGMENT_COSTS, strict=True)):
        for direction in (0, 1):
            start = n_x * (1 + direction * n_seg + j)
            cost[start : start + n_x] = price
            upper[start : start + n_x] = width
    integrality = np.zeros(n_vars)
    integrality[:n_x] = 1
    for number in range(n_claims):
        start = first_slack + 5 * number
        cost[start : start + 5] = (SOFT_COST, SOFT_COST, MISS_PERSON_COST, MISS_PERSON_COST, MISS_COST)
        upper[start + 4] = 1
        integrality[start + 4] = 1
    limits = violation_limits(problem) if limits is None else limits
    matrix, lows, highs = constraint_matrix(problem, n_vars, first_slack, limits)
    return Programme(cost, matrix, lows, highs, integrality, upper)


def violation_limits(problem: Problem) -> np.ndarray:
    """Per claim (rows) the most its hard low and its hard high bound (columns) can be missed by, over
    every assignment that keeps the cell sizes: a linear form over the cells is largest when each cell
    puts all its people on its largest coefficient. A missed claim's slack needs its binary times this
    limit; a limit as large as the whole population (as before) also holds, but leaves the relaxation
    so weak that HiGHS took 1,6 times as long to prove which claims must be given up (same optimum)."""
    sizes = problem.sizes
    out = np.zeros((len(problem.rows), 2))
    for number, (constraint, num, den) in enumerate(problem.rows):
        for side, (bound, sign) in enumerate(((constraint.low, 1.0), (constraint.high, -1.0))):
            if math.isinf(bound):
                continue
            if num is None:  # a count: low - den @ x, or den @ x - high
                extreme = den.min(axis=1) if sign > 0 else den.max(axis=1)
                missed = sign * (bound - float(sizes @ extreme))
            else:  # a share: -(num - bound * den) @ x, or (num - bound * den) @ x
                missed = float(sizes @ (-sign * (num - bound * den)).max(axis=1))
            out[number, side] = max(missed, 0.0)
    return out


def solve(problem: Problem, time_limit: float = 60.0, reuse_answer: bool = False) -> Result:
    """The whole-person counts per cell and value closest to the prior that meet the claims. With
    ``reuse_answer``, the solver's answer to exactly this programme (and solver version) is kept and
    reused (:func:`sectorplannen.reuse.reused_for`): the same model gives the same answer, so a file
    generated again after a change that leaves the programmes alone skips the seconds HiGHS takes."""
    n_cells, n_values = problem.prior.shape
    made = programme(problem)
    options = {"time_limit": time_limit, "mip_rel_gap": 1e-7}

    def run() -> np.ndarray:
        answer = optimize.milp(
            made.cost,
            constraints=optimize.LinearConstraint(made.matrix, made.lows, made.highs),
            integrality=made.integrality,
            bounds=optimize.Bounds(np.zeros(len(made.cost)), made.upper),
            options=options,
        )
        if answer.x is None:
            raise CalibrationError(
                f"calibration of {problem.variable} at {problem.peildatum} found no solution: {answer.message}"
            )
        return np.rint(answer.x[: n_cells * n_values]).astype(int).reshape(n_cells, n_values)

    if reuse_answer:
        digest = model_digest(made.cost, made.matrix, made.lows, made.highs, made.integrality, made.upper, options)
        counts = reuse.reused_for(f"calibration-{problem.peildatum}-{problem.variable}", digest, run)
    else:
        counts = run()
    return Result(counts, unmet(problem, counts))


def model_digest(cost, matrix, lows, highs, integrality, upper, options: dict) -> str:
    """SHA-256 of a programme as HiGHS gets it (the matrix by columns, as scipy hands it over), the
    options and the solver's version: equal digests, equal answers."""
    digest = hashlib.sha256(f"scipy {scipy.__version__} {sorted(options.items())}".encode())
    columns = sparse.csc_array(matrix)
    shape = np.array(columns.shape)
    for part in (cost, columns.data, columns.indices, columns.indptr, shape, lows, highs, integrality, upper):
        digest.update(np.ascontiguousarray(part).tobytes())
    return digest.hexdigest()


def constraint_matrix(
    problem: Problem, n_vars: int, first_slack: int, limits: np.ndarray
) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """The rows of :func:`solve`'s programme with their lower and upper bounds, built as one sparse
    matrix from coordinates (a sparse row per claim bound and a stack of them took a tenth of the solve).

    - cell sizes: per cell, the sum over values of x is the cell's size;
    - deviation: x - sum(up segments) + sum(down segments) = prior;
    - claims, each bound soft and hard: num - low * den + s >= 0 ; num - high * den - s <= 0
      (counts: low <= den <= high); a hard slack needs the claim's 'missed' binary: s <= limit * missed
      (:func:`violation_limits`).
    Coefficients that are zero are not stored."""
    n_cells, n_values = problem.prior.shape
    n_x = n_cells * n_values
    n_seg = len(SEGMENT_WIDTHS)
    x = np.arange(n_x)
    rows = [np.repeat(np.arange(n_cells), n_values), n_cells + x]
    cols = [x, x]
    values = [np.ones(n_x), np.ones(n_x)]
    for j in range(n_seg):
        for direction, sign in ((0, -1.0), (1, 1.0)):
            rows.append(n_cells + x)
            cols.append(n_x * (1 + direction * n_seg + j) + x)
            values.append(np.full(n_x, sign))
    lows, highs = [problem.sizes, problem.prior.ravel()], [problem.sizes, problem.prior.ravel()]
    row = n_cells + n_x
    for number, (constraint, num, den) in enumerate(problem.rows):
        start = first_slack + 5 * number
        bounds = (
            (constraint.soft_low, 1, 0),
            (constraint.soft_high, -1, 1),
            (constraint.low, 1, 2),
            (constraint.high, -1, 3),
        )
        for bound, sign, offset in bounds:
            if math.isinf(bound):
                continue
            coefficients = den.ravel() if num is None else num.ravel() - bound * den.ravel()
            rows.append(np.full(n_x + 1, row))
            cols.append(np.append(x, start + offset))
            values.append(np.append(coefficients, float(sign)))
            target = bound if num is None else 0.0
            lows.append(np.array([target if sign == 1 else -np.inf]))
            highs.append(np.array([np.inf if sign == 1 else target]))
            row += 1
        for offset in (2, 3):
            rows.append(np.array([row, row]))
            cols.append(np.array([start + offset, start + 4]))
            values.append(np.array([1.0, -limits[number, offset - 2]]))
            lows.append(np.array([-np.inf]))
            highs.append(np.array([0.0]))
            row += 1
    values_all = np.concatenate(values)
    stored = values_all != 0
    matrix = sparse.csr_matrix(
        (values_all[stored], (np.concatenate(rows)[stored], np.concatenate(cols)[stored])), shape=(row, n_vars)
    )
    return matrix, np.concatenate(lows), np.concatenate(highs)


def achieved(num: np.ndarray | None, den: np.ndarray, counts: np.ndarray) -> float:
    """The share (or count) a claim gets with these whole-person counts."""
    total = float((den * counts).sum())
    if num is None:
        return total
    return float((num * counts).sum()) / total if total else math.nan


def unmet(problem: Problem, counts: np.ndarray) -> list[str]:
    """The claims whose published number the counts do not give."""
    return [constraint.claim for constraint, num, den in problem.rows if not constraint.met(achieved(num, den, counts))]


def assigned_numbers(problem: Problem, result: Result, rng: np.random.Generator) -> np.ndarray:
    """Each eligible person's value as its number in ``VARIABLES[problem.variable]``: per cell (in
    order) a seeded random order of its people, who get the cell's values in turn. Only the draws
    are made cell by cell; the values are handed out at once."""
    sizes = problem.sizes.astype(int)
    if (result.counts.sum(axis=1) != sizes).any():
        raise ValueError(f"calibration of {problem.variable}: counts per cell differ from the cells' sizes")
    cells = problem.cells.to_numpy()
    small = np.uint16 if len(sizes) <= np.iinfo(np.uint16).max else np.int64  # small numbers: a radix sort
    order = np.argsort(cells.astype(small), kind="stable")  # positions, cell by cell
    ends = np.cumsum(sizes)
    drawn = [rng.permutation(order[end - size : end]) for size, end in zip(sizes, ends, strict=True)]
    out = np.empty(len(cells), dtype=np.int64)
    labels = np.repeat(np.tile(np.arange(result.counts.shape[1]), len(sizes)), result.counts.ravel())
    out[np.concatenate(drawn) if drawn else np.empty(0, dtype=np.int64)] = labels
    return out


def assign(problem: Problem, result: Result, rng: np.random.Generator) -> pd.Series:
    """Hand out the values of each cell to its people (seeded draw)."""
    values = np.array(VARIABLES[problem.variable], dtype=object)
    return pd.Series(values[assigned_numbers(problem, result, rng)], index=problem.cells.index, dtype=object)


__all__ = [
    "CalibrationError",
    "Constraint",
    "Problem",
    "Programme",
    "Result",
    "assign",
    "assigned_numbers",
    "attribute_masks",
    "build_problem",
    "constraint",
    "constraints",
    "programme",
    "solve",
    "violation_limits",
]
