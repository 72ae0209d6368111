"""Disclosure control for participant-level tables, with ACRO.

Every participant-level table passes :func:`crosstab` (counts) before it is shown or written: ACRO
(the Safe Data Access Professionals' output checker, PyPI ``acro``) suppresses every cell below
the minimum cell size (default 10) and, as its ``zeros_are_disclosive`` rule says, cells of zero.
Suppressed cells are marked, not dropped: they show as ``<10`` in the report. Shares are computed
only from the cells that pass, and a share whose own cell was suppressed is suppressed too.
"""

from __future__ import annotations

import logging
import warnings

import pandas as pd

DEFAULT_MIN_CELL = 10


class DisclosureError(ValueError):
    """A table that would show a cell below the minimum cell size."""


def _quiet() -> None:
    """ACRO logs every table at INFO level to stderr; the report wants only its result."""
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("acro"):
            logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("acro").setLevel(logging.WARNING)


def _acro(min_cell: int):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from acro import ACRO

        _quiet()
        checker = ACRO(suppress=True)
    _quiet()
    checker.config["safe_threshold"] = int(min_cell)
    return checker


def validate_min_cell(min_cell) -> int:
    if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < 1:
        raise DisclosureError(f"min_cell_size must be a whole number of at least 1, not {min_cell!r}")
    return min_cell


def crosstab(index: pd.Series, columns: pd.Series, min_cell: int = DEFAULT_MIN_CELL) -> pd.DataFrame:
    """Counts of ``index`` x ``columns`` with ACRO's suppression (suppressed cells are NaN)."""
    validate_min_cell(min_cell)
    checker = _acro(min_cell)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _quiet()
        table = checker.crosstab(index, columns)
    table.columns.name = columns.name
    table.index.name = index.name
    return table


def shares(counts: pd.DataFrame) -> pd.DataFrame:
    """Row percentages from suppressed counts: suppressed cells stay suppressed. Row totals are
    the raw row sizes (rows below the threshold are suppressed entirely by ACRO)."""
    totals = counts.sum(axis=1, min_count=1)
    return counts.div(totals, axis=0) * 100


def assert_safe(counts: pd.DataFrame, min_cell: int = DEFAULT_MIN_CELL) -> None:
    """Raise if any shown count is below the minimum cell size."""
    shown = counts.stack()
    small = shown[(shown > 0) & (shown < min_cell)]
    if not small.empty:
        raise DisclosureError(f"cell(s) below {min_cell}: {list(small.index)[:3]}")


def marked(table: pd.DataFrame, formatter, min_cell: int = DEFAULT_MIN_CELL) -> pd.DataFrame:
    """Display strings: suppressed cells as '<min_cell'."""
    return table.apply(lambda column: column.map(lambda v: f"<{min_cell}" if pd.isna(v) else formatter(v)))
