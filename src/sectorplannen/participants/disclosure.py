"""Disclosure control for participant-level output: ACRO for primary suppression, and a joint
audit of everything a run publishes so that no small count can be recovered by subtraction.

Primary suppression is ACRO's (the Safe Data Access Professionals' output checker, PyPI ``acro``):
every table cell below the minimum cell size (default and floor 10) is hidden, and so are cells of
zero (its ``zeros_are_disclosive`` rule). Single counts outside a table (margins, a cohort size in
the ledger) follow the same threshold rule.

Hiding a cell is not enough when the totals around it are printed: the hidden 4 is the row total
minus the cells shown. A :class:`Release` therefore collects every count behind a run's output
(table cells, margins, group sizes behind shares, the numerator and denominator of every share in
the ledger) before anything is shown, and audits them together, as an attacker would read them:
every shown count is a linear equation over the participants' finest groups. For each group with
fewer than ``min_cell`` participants (but not none) a linear programme (HiGHS,
:mod:`sectorplannen.participants.bounds`) asks how large that group could be, given every shown
number; if the answer is below the threshold, the shown numbers prove the group small, and the
cheapest count in that proof (the smallest, from the LP's dual values) is suppressed too. This
repeats until no small group can be proven small (secondary suppression, across all tables of the
run at once).

Across runs of one real extract the audit is joint too: what earlier runs showed
(:mod:`sectorplannen.participants.releases`) is added with :meth:`Release.add_released` as counts
that are shown and can no longer be suppressed, so the new run is suppressed until no small group
can be proven small from all releases together. The attacker is also assumed to know that the
participants are the same people at every measurement date: a group of participants that share
plan, theme, measure, target group and age group has as many rows on each date, and those
equalities are part of the audit wherever they hold in the file.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import sys
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sectorplannen.errors import DisclosureError
from sectorplannen.participants import bounds, schema
from sectorplannen.participants.schema import COLUMNS, COUNT, weights

DEFAULT_MIN_CELL = 10


FLOOR = 10  # secure environments require at least 10 units behind every published cell


TOTAL = "Totaal"


# The participant columns every published selection is expressed in: a selection must be a union
# of the finest groups these columns make, or the audit could not read it (a bug, not bad input).
AUDIT_COLUMNS = tuple(c for c in COLUMNS if c not in ("deelnemer_id", "start", "einde"))


# What stays the same for a participant at every measurement date, among the columns selections use.
STATIC_COLUMNS = tuple(c for c in schema.STATIC_COLUMNS if c in AUDIT_COLUMNS)
DATE_COLUMN = "peildatum"


def _quiet() -> None:
    """ACRO logs every table at INFO level to stderr; the report wants only its result."""
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("acro"):
            logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("acro").setLevel(logging.WARNING)


def caller_frames(context: int = 1) -> list[tuple]:
    """The two entries of ``inspect.stack()`` ACRO reads (its own frame, then its caller's, whose
    source line it records as the command that made a table). ``inspect.stack()`` reads the source
    of every frame on the stack: in a test or a kernel, about 40 frames and a tenth of a second per
    table, more than ACRO's checks of it."""
    frame = sys._getframe(1)
    return [(frame,), (frame.f_back,)]


@functools.lru_cache(maxsize=4)
def _acro(min_cell: int):
    """ACRO with suppression at ``min_cell``, made once per process (ACRO reads its configuration file
    each time one is made): :func:`crosstab` empties its record of outputs after each table."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from acro import ACRO, acro_tables  # heavy (statsmodels, and logs on import): only for a participant table

        _quiet()
        checker = ACRO(suppress=True)
    acro_tables.stack = caller_frames  # ACRO's call of inspect.stack(), for the one line it records
    _quiet()
    checker.config["safe_threshold"] = int(min_cell)
    return checker


def validate_min_cell(min_cell) -> int:
    if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < 1:
        raise DisclosureError(f"min_cell_size must be a whole number of at least 1, not {min_cell!r}")
    return min_cell


def capped(index: pd.Series, columns: pd.Series, counts: np.ndarray, cap: int) -> tuple[pd.Series, pd.Series]:
    """One row per participant for a table given as counts, each cell cut off at ``cap`` rows: what
    ACRO's frequency rules need to see (a cell below the threshold exactly, a cell at or above it as
    safe) without a row per participant of a population-scale file."""
    cells = (
        pd.DataFrame({"r": index.to_numpy(), "c": columns.to_numpy(), "n": counts})
        .groupby(["r", "c"], sort=True)["n"]
        .sum()
    )
    cells = cells[cells > 0].clip(upper=cap)
    rows = cells.index.repeat(cells.to_numpy())
    return (
        pd.Series(rows.get_level_values(0), name=index.name),
        pd.Series(rows.get_level_values(1), name=columns.name),
    )


QUICK_REPR = ("display.max_rows", 1, "display.max_columns", 1, "display.width", 80)


def crosstab(
    index: pd.Series, columns: pd.Series, min_cell: int = DEFAULT_MIN_CELL, counts: np.ndarray | None = None
) -> pd.DataFrame:
    """Counts of ``index`` x ``columns`` with ACRO's primary suppression (suppressed cells are NaN).
    With ``counts`` (rows of a table of counts), ACRO decides on the table with every cell cut off at
    ``min_cell`` participants (:func:`capped`): the same cells are suppressed, and the counts
    returned are the cut-off ones (read only which cells are NaN)."""
    validate_min_cell(min_cell)
    if counts is not None:
        index, columns = capped(index, columns, counts, min_cell)
    checker = _acro(min_cell)
    # ACRO writes every mask into a debug message (an f-string, made even when debug is off): a quarter
    # of a participant chapter's time went to printing tables nobody reads. One row and column is enough.
    with warnings.catch_warnings(), pd.option_context(*QUICK_REPR):
        warnings.simplefilter("ignore")
        _quiet()
        table = checker.crosstab(index, columns)
        for key in checker.results.get_keys():  # only the mask is wanted: no record grows over a session
            checker.remove_output(key)
    table.columns.name = columns.name
    table.index.name = index.name
    return table


def marked(table: pd.DataFrame, formatter, mark: str = "x") -> pd.DataFrame:
    """Display strings: suppressed cells (NaN) as ``mark``. Not '<10': a cell hidden to protect
    another one may hold any number."""
    return table.apply(lambda column: column.map(lambda v: mark if pd.isna(v) else formatter(v)))


# What makes the csv module quote a field (QUOTE_MINIMAL): then :func:`_csv_text` leaves it to pandas.
_QUOTED = re.compile(r'[,"\r\n]')


def _csv_text(table: pd.DataFrame) -> str:
    """``table.to_csv(index=False, lineterminator="\\n")`` of a table of text, the same characters:
    joined directly when no field needs quotes (three times as fast: a release key is made from it
    for every run), else written by pandas."""
    fields = [table.columns.astype(str).tolist(), *(table[c].tolist() for c in table.columns)]
    if table.shape[1] < 2 or any(_QUOTED.search("\0".join(column)) for column in fields):  # one field: "" quoted
        return table.to_csv(index=False, lineterminator="\n")
    lines = [",".join(fields[0]), *map(",".join, zip(*fields[1:], strict=True))]
    return "\n".join(lines) + "\n"


@dataclass
class CountTable:
    """A table of counts with its margins (row and column ``Totaal``), each cell a count's key."""

    keys: pd.DataFrame
    exact: pd.DataFrame  # the counts before suppression: never shown
    release: Release = field(repr=False)

    def counts(self) -> pd.DataFrame:
        """The counts as published: NaN where suppressed (only after :meth:`Release.protect`)."""
        return self.release.shown(self.keys, self.exact)

    def shares(self) -> pd.DataFrame:
        """Row percentages of the shown counts (the row total is the group size ``n``), with a first
        column ``n``; a share whose count or group size is suppressed is suppressed."""
        counts = self.counts()
        n = counts[TOTAL]
        out = counts.drop(columns=TOTAL).div(n, axis=0) * 100
        out.insert(0, "n", n)
        return out


@dataclass(frozen=True)
class _Layout:
    """Where a release's finest groups sit: static group and date of each, whether its static group
    has as many rows on every date, and per (static group, date) cell (``group * width + date``)
    the span of its finest groups in ``order``."""

    group: np.ndarray
    date: np.ndarray
    balanced: np.ndarray
    width: int
    spans: dict[int, tuple[int, int]]
    order: np.ndarray


@dataclass
class Audit:
    """What the audit of a release found: counts registered, suppressed (primary, secondary), and
    the small groups it checked."""

    counts: int = 0
    primary: int = 0
    secondary: int = 0
    small_groups: int = 0
    rounds: int = 0
    earlier_releases: int = 0  # runs of the same extract audited with this one
    earlier_counts: int = 0  # the distinct counts they showed


class Release:
    """Every participant-level count one run publishes, protected together (see the module)."""

    def __init__(self, people: pd.DataFrame, min_cell: int = DEFAULT_MIN_CELL):
        self.min_cell = validate_min_cell(min_cell)
        if not people.index.is_unique:
            raise ValueError("participant frame index must be unique")
        columns = [c for c in AUDIT_COLUMNS if c in people.columns]
        self._atom = people.groupby(columns, observed=True, sort=True, dropna=False).ngroup().to_numpy()
        self._weight = weights(people)  # a table of counts (the engine's) or one row per participant
        self._sizes = np.bincount(self._atom, weights=self._weight).astype(np.int64)
        self._index = people.index
        self._columns = columns
        self._people = people
        self._atoms: dict[bytes, np.ndarray] = {}
        self._copies: dict[bytes, np.ndarray | None] = {}  # per count, its copy on the first date
        self._date_bits: dict[bytes, int] = {}  # per count, a bit per measurement date it covers
        self._values: dict[bytes, int] = {}
        self._primary: set[bytes] = set()
        self._released: set[bytes] = set()  # shown by an earlier run of the same extract: never suppressed
        self._own: set[bytes] = set()  # registered by this run
        self._lowest_earlier_min_cell: int | None = None
        self._earlier_runs = 0
        self.suppressed: set[bytes] | None = None  # set by protect()
        self.audit = Audit()

    # -- the extract's content, as the audit sees it

    @functools.cached_property
    def _atom_table(self) -> pd.DataFrame:
        """One row per finest group: its values of the audited columns and its size, in atom order."""
        first = pd.Series(np.arange(len(self._atom))).groupby(self._atom, sort=True).first().to_numpy()
        table = self._people[self._columns].iloc[first].reset_index(drop=True)
        return table.assign(_size=self._sizes)

    @functools.cached_property
    def key(self) -> str:
        """The content hash of the file as the audit sees it (every finest group and its size): the
        same participants give the same key, whatever format or file name they came in; the
        :mod:`~sectorplannen.participants.releases` record is kept under it."""
        return hashlib.sha256(_csv_text(self._atom_table.astype(str)).encode("utf-8")).hexdigest()

    @functools.cached_property
    def _layout(self) -> _Layout:
        """Per finest group its static group (the same participants at every date) and its date,
        and where each (static group, date) cell's finest groups are."""
        static = [c for c in STATIC_COLUMNS if c in self._columns]
        table = self._atom_table
        group = (
            table.groupby(static, sort=True, dropna=False, observed=True).ngroup().to_numpy()
            if static
            else np.zeros(len(table), dtype=np.int64)
        )
        date = table.groupby(DATE_COLUMN, sort=True, dropna=False, observed=True).ngroup().to_numpy()
        width = int(date.max()) + 1
        per_cell = np.zeros((int(group.max()) + 1, width), dtype=np.int64)
        np.add.at(per_cell, (group, date), self._sizes)
        balanced = (per_cell.min(axis=1) == per_cell.max(axis=1)) & (per_cell.min(axis=1) > 0)
        cells = group * width + date
        order = np.argsort(cells, kind="stable")
        ids, starts, counts = np.unique(cells[order], return_index=True, return_counts=True)
        spans = dict(zip(ids.tolist(), zip(starts.tolist(), counts.tolist(), strict=True), strict=True))
        return _Layout(group, date, balanced[group], width, spans, order)

    def _on_first_date(self, atoms: np.ndarray) -> np.ndarray | None:
        """The same participants on the file's first date, for a count that selects on static
        columns only (every finest group of its static groups on its date) and whose static groups
        have as many rows on every date; else None. An attacker knows that such a count is the same
        number on every date, so the audit links the counts of different dates through these copies."""
        layout = self._layout
        if atoms.size == 0 or not layout.balanced[atoms].all():
            return None
        dates = np.unique(layout.date[atoms])
        if dates.size != 1:
            return None
        groups = np.unique(layout.group[atoms]).tolist()
        held = sum(layout.spans[g * layout.width + int(dates[0])][1] for g in groups)
        if held != atoms.size:
            return None  # the count also selects on an outcome
        if int(dates[0]) == 0:
            return atoms
        first = (layout.spans[g * layout.width] for g in groups)
        return np.sort(np.concatenate([layout.order[start : start + n] for start, n in first]))

    def _copy_on_first_date(self, key: bytes) -> np.ndarray | None:
        """The copy on the first date of the count ``key`` (:meth:`_on_first_date`) where it differs
        from the count itself, else None; worked out once per count, as every round of the audit asks."""
        if key not in self._copies:
            atoms = self._atoms[key]
            copy = self._on_first_date(atoms)
            self._copies[key] = None if copy is None or np.array_equal(copy, atoms) else copy
        return self._copies[key]

    def _dates_of(self, keys: list[bytes]) -> int:
        """How many measurement dates the counts ``keys`` cover together (each count's dates worked
        out once, as a bit per date: every round of the audit asks again)."""
        if DATE_COLUMN not in self._columns or not keys:
            return 1
        covered = 0
        for key in keys:
            if key not in self._date_bits:
                dates = np.unique(self._layout.date[self._atoms[key]])
                self._date_bits[key] = int(np.bitwise_or.reduce(np.left_shift(1, dates), initial=0))
            covered |= self._date_bits[key]
        return covered.bit_count()

    # -- registering counts

    def _positions(self, rows: pd.DataFrame | pd.Index) -> np.ndarray:
        """Where the rows are in the release (rows must be participants of this release)."""
        index = rows.index if isinstance(rows, pd.DataFrame) else rows
        positions = self._index.get_indexer(index)
        if (positions < 0).any():
            raise AssertionError("a published selection holds rows that are not in the release")
        return positions

    def _atom_array(self, rows: pd.DataFrame | pd.Index) -> np.ndarray:
        """The finest group of each row."""
        return self._atom[self._positions(rows)]

    def _atoms_of(self, rows: pd.DataFrame | pd.Index) -> np.ndarray:
        positions = self._positions(rows)
        unique = np.flatnonzero(np.bincount(self._atom[positions], minlength=len(self._sizes)))
        if int(self._sizes[unique].sum()) != int(self._weight[positions].sum()):
            raise AssertionError(
                "a published selection is not a union of the audited participant groups; "
                f"select only on {', '.join(AUDIT_COLUMNS)}"
            )
        return unique

    def _register(self, atoms: np.ndarray, primary: bool | None = None, own: bool = True) -> bytes:
        if self.suppressed is not None:
            raise RuntimeError("count registered after protect(): register every output first")
        key = hashlib.blake2b(atoms.astype(np.int64).tobytes(), digest_size=16).digest()
        value = int(self._sizes[atoms].sum())
        self._atoms.setdefault(key, atoms)
        self._values[key] = value
        if primary is None:
            primary = 0 < value < self.min_cell
        if primary and key not in self._released:
            self._primary.add(key)
        if own:
            self._own.add(key)
        return key

    def add_released(self, atoms: list[np.ndarray], values: list[int], min_cell: int | None, runs: int) -> None:
        """Counts ``runs`` earlier runs of the same extract showed (finest groups by position, as
        :meth:`shown_counts` gives them; the lowest threshold they used): shown again here whenever
        this run registers them, never suppressed, and part of the audit's equations."""
        if self.suppressed is not None:
            raise RuntimeError("earlier releases added after protect()")
        for group, value in zip(atoms, values, strict=True):
            group = np.asarray(group, dtype=np.int64)
            if group.size and (group.min() < 0 or group.max() >= len(self._sizes)):
                raise AssertionError("an earlier release names groups this file does not have")
            key = self._register(group, primary=False, own=False)
            if self._values[key] != int(value):
                raise AssertionError("an earlier release of this file counted a group differently")
            self._released.add(key)
        self._earlier_runs += runs
        if min_cell is not None:
            low = self._lowest_earlier_min_cell
            self._lowest_earlier_min_cell = min_cell if low is None else min(low, min_cell)

    def shown_counts(self) -> list[tuple[np.ndarray, int]]:
        """Every count this run shows that is not empty: (its finest groups, its value), for the record."""
        if self.suppressed is None:
            raise RuntimeError("call protect() before reading what is shown")
        shown = [k for k in sorted(self._own) if k not in self.suppressed and self._values[k] > 0]
        return [(self._atoms[k], self._values[k]) for k in shown]

    def count(self, rows: pd.DataFrame | pd.Index) -> bytes:
        """Register the number of ``rows`` (a selection of the release's participants)."""
        return self._register(self._atoms_of(rows))

    def crosstab(self, rows: pd.DataFrame, by: str, variable: str, order: list | None = None) -> CountTable:
        """Register the table ``by`` x ``variable`` of ``rows`` with its margins; ACRO decides which
        interior cells are primary-suppressed, the threshold rule decides for the margins."""
        if rows.empty:
            keys = pd.DataFrame(index=[TOTAL], columns=[TOTAL], dtype=object)
            keys.loc[TOTAL, TOTAL] = self._register(np.array([], dtype=np.int64))
            return CountTable(keys, pd.DataFrame(0, index=[TOTAL], columns=[TOTAL]), self)
        counted = weights(rows)
        checked = crosstab(
            rows[by].rename(by), rows[variable].rename(variable), self.min_cell, counted if COUNT in rows else None
        )
        columns = [c for c in (order or list(checked.columns)) if c in checked.columns]
        frame = pd.DataFrame(
            {"r": rows[by].to_numpy(), "c": rows[variable].to_numpy(), "a": self._atom_array(rows)}
        ).drop_duplicates()
        frame = frame[frame["c"].isin(columns)]
        # each cell's finest groups, registered cell by cell, then each row's, each column's and the
        # table's (in that order); the frames are made once from the keys (no cell-wise .loc)
        empty = np.array([], dtype=np.int64)
        cells = {name: group["a"].to_numpy() for name, group in frame.groupby(["r", "c"], observed=True)}
        per_row = {r: group["a"].to_numpy() for r, group in frame.groupby("r", observed=True)}
        per_column = {c: group["a"].to_numpy() for c, group in frame.groupby("c", observed=True)}
        primary = checked[columns].isna().to_numpy()
        grid = [
            [
                self._register(np.unique(cells.get((r, c), empty)), primary=bool(primary[i, j]))
                for j, c in enumerate(columns)
            ]
            for i, r in enumerate(checked.index)
        ]
        for i, r in enumerate(checked.index):
            grid[i].append(self._register(np.unique(per_row.get(r, empty))))
        grid.append([self._register(np.unique(per_column.get(c, empty))) for c in columns])
        grid[-1].append(self._register(np.unique(frame["a"].to_numpy())))
        keys = pd.DataFrame(grid, index=[*checked.index, TOTAL], columns=[*columns, TOTAL], dtype=object)
        values = pd.DataFrame(
            [[self._values[key] for key in row] for row in grid], index=keys.index, columns=keys.columns, dtype=np.int64
        )
        actual = (
            pd.DataFrame({"r": rows[by].to_numpy(), "c": rows[variable].to_numpy(), "n": counted})
            .pivot_table(index="r", columns="c", values="n", aggfunc="sum", fill_value=0)
            .reindex(index=checked.index, columns=columns, fill_value=0)
        )
        if not (actual.to_numpy() == values.loc[checked.index, columns].to_numpy()).all():
            raise AssertionError(f"{by} x {variable} is not a function of the audited columns")
        return CountTable(keys, values, self)

    # -- reading what may be shown

    def is_shown(self, key: bytes) -> bool:
        if self.suppressed is None:
            raise RuntimeError("call protect() before reading protected values")
        return key not in self.suppressed

    def value(self, key: bytes) -> float:
        """The count, or NaN when it is suppressed."""
        return float(self._values[key]) if self.is_shown(key) else np.nan

    def shown(self, keys: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
        mask = keys.apply(lambda column: column.map(self.is_shown))
        return values.astype(float).where(mask.astype(bool))

    # -- the audit

    def protect(self) -> Audit:
        """Decide the suppression of every registered count: primary, then secondary until no small
        group of participants can be proven small from the counts shown."""
        suppressed = set(self._primary) - self._released
        keys = list(self._values)
        self.audit = Audit(
            counts=len(self._own),
            primary=len(suppressed),
            earlier_releases=self._earlier_runs,
            earlier_counts=len(self._released),
        )
        inherited: set[int] = set()  # small groups earlier releases alone already showed (a lower threshold)
        # finest groups whose group could be at the threshold or above given the counts shown: they
        # stay so in later rounds, which only suppress more (fewer equations never bound a group tighter)
        self._safe = np.zeros(len(self._sizes), dtype=bool)
        while True:
            self.audit.rounds += 1
            shown = [k for k in keys if k not in suppressed and self._values[k] > 0]
            proofs = self._unsafe_groups(shown, inherited)
            if not proofs:
                break
            for group, proof, containing in proofs:
                if any(k in suppressed for k in proof):  # every proof was of shown counts at the round's start
                    continue  # broken by a suppression of this round already: the next round checks again
                candidates = [k for k in proof if k not in suppressed and k not in self._released]
                # a proof whose certificate names only earlier counts: this run's counts that hold the group
                candidates = candidates or [k for k in containing if k not in suppressed and k not in self._released]
                if candidates:
                    suppressed.add(min(candidates, key=lambda k: (self._values[k], k)))
                elif self._lowest_earlier_min_cell is not None and self._lowest_earlier_min_cell < self.min_cell:
                    inherited.add(group)
                else:
                    raise DisclosureError(
                        "this run cannot be shown: together with what earlier runs of the same extract "
                        f"showed, it would prove a group of fewer than {self.min_cell} participants small, and "
                        "only counts shown before are left to suppress; list them with `make releases`"
                    )
        self.audit.secondary = len(suppressed) - self.audit.primary
        self.suppressed = suppressed
        return self.audit

    def _classes(self, equations: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Groups of participants no shown count tells apart: class per finest group, class sizes
        (``equations``: the finest groups of each shown count)."""
        rng = np.random.default_rng(20190531)
        signature = np.zeros(len(self._sizes), dtype=np.uint64)
        for atoms in equations:
            signature[atoms] += rng.integers(1, 2**63, dtype=np.uint64)
        uniques, inverse = np.unique(signature, return_inverse=True)
        sizes = np.bincount(inverse, weights=self._sizes, minlength=len(uniques)).astype(np.int64)
        if uniques[0] == 0:  # groups in no shown count: nothing constrains them
            sizes[0] = -1
        return inverse, sizes

    def _unsafe_groups(self, shown: list[bytes], inherited: set[int] = frozenset()) -> list[tuple]:
        """For each small group the shown counts prove small: the group (named by its first finest
        group), the shown counts of that proof, and every shown count that holds the group."""
        if not shown:
            return []
        # the equations: each shown count, then the copies on the first date; owner: whose each is
        equations, owner = [self._atoms[k] for k in shown], list(shown)
        if self._dates_of(shown) > 1:
            for key in shown:
                copy = self._copy_on_first_date(key)
                if copy is not None:
                    equations.append(copy)
                    owner.append(key)
        inverse, sizes = self._classes(equations)
        small = np.flatnonzero((sizes > 0) & (sizes < self.min_cell))
        first = np.unique(inverse, return_index=True)[1]
        names = {int(c): int(first[c]) for c in small}  # a class by its first finest group
        small = np.array([c for c in small if names[int(c)] not in inherited], dtype=np.int64)
        self.audit.small_groups = max(self.audit.small_groups, len(small))
        n = len(sizes)
        small = small[np.bincount(inverse, weights=self._safe, minlength=n)[small] == 0]
        if small.size == 0:
            return []
        matrix = _holding(equations, inverse, first)
        totals = np.array([self._values[k] for k in owner], dtype=float)
        audit = bounds.GroupBounds(matrix, totals)
        # one reading of the counts that puts a group at the threshold shows it safe; the others
        # each get a programme of their own
        pending = audit.still_small(small, self.min_cell)
        safe = np.setdiff1d(small, pending)
        proofs = []
        columns = matrix.tocsc()  # per class, the equations that hold it (sorted)
        for group in pending:
            largest, binding = audit.largest(int(group))
            if largest is None or largest >= self.min_cell - bounds.TOLERANCE:
                safe = np.append(safe, group)
                continue
            containing = columns.indices[columns.indptr[group] : columns.indptr[group + 1]]
            if binding.size == 0:  # no dual certificate: every shown count containing the group
                binding = containing
            proofs.append(
                (names[int(group)], list(dict.fromkeys(owner[i] for i in binding)), [owner[i] for i in containing])
            )
        self._safe |= np.isin(inverse, safe)
        return proofs


def _holding(equations: list[np.ndarray], inverse: np.ndarray, first: np.ndarray):
    """Which classes (``inverse``: class per finest group; ``first``: first finest group per class)
    each equation holds, as a 0/1 matrix, a class once however many of its finest groups the
    equation holds. The finest groups of a class are in the same equations (that is what a class
    is), so only each class's first is looked up in the equations."""
    from scipy import sparse  # heavy: loaded only for the disclosure audit

    named = np.full(inverse.size, -1, dtype=np.int64)  # finest group -> its class, if it is its first
    named[first] = np.arange(first.size)
    held = named[np.concatenate(equations)]
    rows = np.repeat(np.arange(len(equations)), [atoms.size for atoms in equations])
    kept = held >= 0
    matrix = sparse.csr_matrix((np.ones(int(kept.sum())), (rows[kept], held[kept])), shape=(len(equations), first.size))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix
