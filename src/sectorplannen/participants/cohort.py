"""Select participants: the cohorts chapters 4 and 7 describe.

A cohort is given as keyword arguments (or a ``key=value; key=value`` string as in the claims):
tranche group, plans to include or leave out, theme or trajectory type (``categorie``), measure,
target group, young or not, plan type, measurement date, employed, job changer, and the report's
own exclusion of the six regional cross-sector plans from the mobility figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sectorplannen.errors import CohortError, OutcomeError
from sectorplannen.participants.schema import OUTCOME_CONDITIONS, outcome_condition
from sectorplannen.sources.register import register

# Footnote ** at Figuur 4.2 (r. 2149-2151): left out of the sector-mobility figures.
CROSS_SECTOR_PLANS = (
    "stedendriehoek",
    "stedendriehoek-2",
    "groningen",
    "helmond-de-peel",
    "amsterdam",
    "mainport-rotterdam",
)


KEYS = (
    "tranche",
    "categorie",
    "maatregel",
    "doelgroep",
    "jong",
    "plan_type",
    "plan",
    "peildatum",
    "baan",
    "baanwisselaar",
    "excl_overstijgend",
    "exclude_plans",
)
# The keys that are attributes of the person (a calibration splits cells on them), not of a date.
ATTRIBUTE_KEYS = tuple(k for k in KEYS if k not in ("peildatum", "baan", "baanwisselaar", "exclude_plans"))


def parse(text: str) -> dict:
    """``"categorie=arbeidsmobiliteit; peildatum=2018"`` -> ``{"categorie": ..., "peildatum": "2018"}``."""
    out = {}
    for part in filter(None, (p.strip() for p in (text or "").split(";"))):
        key, sep, value = part.partition("=")
        if not sep:
            raise CohortError(f"cohort part {part!r} is not key=value")
        out[key.strip()] = value.strip()
    return out


def isin(column: pd.Series, values) -> pd.Series:
    """``column.isin(values)``, for a categorical column read by its codes and for whole numbers by
    comparison (``numpy.isin``): the same answer without a hash table of 260 thousand rows per call."""
    values = list(values)
    if any(pd.isna(value) for value in values):  # a missing value: as pandas matches it
        return column.isin(values)
    if isinstance(column.dtype, pd.CategoricalDtype):  # code -1 (missing) is in no list without one
        found = np.append(column.cat.categories.isin(values), False)[column.cat.codes.to_numpy()]
    elif isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu" and all(_whole(v) for v in values):
        found = np.isin(column.to_numpy(), np.array(values, dtype=np.int64))
    else:
        return column.isin(values)
    return pd.Series(found, index=column.index, name=column.name)


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def select(people: pd.DataFrame, **cohort) -> pd.DataFrame:
    """The rows of ``people`` in the cohort (default measurement date 31 May 2019)."""
    return people[mask(people, **cohort)]


def mask(people: pd.DataFrame, **cohort) -> pd.Series:
    """Which rows of ``people`` are in the cohort (:func:`select` without copying the rows)."""
    unknown = set(cohort) - set(KEYS)
    if unknown:
        raise CohortError(f"unknown cohort key(s) {', '.join(sorted(unknown))}; valid: {', '.join(KEYS)}")
    plan_type = register().plan_types()
    peildatum = str(cohort.get("peildatum", "2019"))
    if peildatum not in ("2017", "2018", "2019"):
        raise CohortError(f"peildatum must be 2017, 2018 or 2019, not {peildatum!r}")
    mask = people["peildatum"] == f"{peildatum}-05-31"
    if "tranche" in cohort:
        tranche = str(cohort["tranche"])
        wanted = {"1-2": [1, 2], "1": [1], "2": [2], "3": [3]}.get(tranche)
        if wanted is None:
            raise CohortError(f"tranche must be 1-2, 1, 2 or 3, not {tranche!r}")
        mask &= isin(people["tranche"], wanted)
    for key in ("categorie", "maatregel", "doelgroep"):
        if key in cohort:  # one value, or several as a|b
            mask &= isin(people[key], str(cohort[key]).split("|"))
    if "plan" in cohort:
        mask &= people["plan_id"] == cohort["plan"]
    if "jong" in cohort:
        mask &= people["jong"] == (str(cohort["jong"]) in ("ja", "True", "true", "1"))
    if "plan_type" in cohort:
        mask &= isin(people["plan_id"], [plan for plan, kind in plan_type.items() if kind == cohort["plan_type"]])
    for key in OUTCOME_CONDITIONS:  # baan=ja|nee, baanwisselaar=ja|nee
        if key in cohort:
            try:
                variable, values = outcome_condition(key, cohort[key])
            except OutcomeError as exc:
                raise CohortError(str(exc)) from None
            mask &= isin(people[variable], values)
    if cohort.get("excl_overstijgend") == "ja":
        mask &= ~isin(people["plan_id"], CROSS_SECTOR_PLANS)
    excluded = cohort.get("exclude_plans") or ()
    if excluded:
        mask &= ~isin(people["plan_id"], excluded)
    return mask
