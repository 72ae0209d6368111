"""Counts and shares with confidence intervals (statsmodels), in the report's layout."""

from __future__ import annotations

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from sectorplannen.participants import disclosure
from sectorplannen.participants.schema import weights


def distribution(
    people: pd.DataFrame,
    by: str,
    variable: str,
    min_cell: int = disclosure.DEFAULT_MIN_CELL,
    order: list[str] | None = None,
) -> pd.DataFrame:
    """Shares (%) of ``variable`` per ``by`` group as one table on its own, disclosure-controlled
    with its margins (a first column 'n' with the group sizes, a last row 'Totaal'). A chapter
    that shows several tables registers them in one :class:`disclosure.Release` instead."""
    release = disclosure.Release(people, min_cell)
    table = release.crosstab(people, by, variable, order)
    release.protect()
    return table.shares()


def share_with_ci(
    people: pd.DataFrame, outcome: pd.Series, alpha: float = 0.05, min_cell: int = disclosure.DEFAULT_MIN_CELL
) -> dict:
    """Share of ``outcome`` (a boolean Series aligned with people) with a Wilson interval."""
    counted = weights(people)  # one per participant, or the engine's counts
    n = int(counted.sum())
    k = int(counted[outcome.loc[people.index].to_numpy(bool)].sum())
    if n < min_cell or (0 < k < min_cell) or (0 < n - k < min_cell):
        return {"n": None, "aandeel": None, "laag": None, "hoog": None, "onderdrukt": True}
    low, high = proportion_confint(k, n, alpha=alpha, method="wilson")
    return {"n": n, "aandeel": 100 * k / n, "laag": 100 * low, "hoog": 100 * high, "onderdrukt": False}
