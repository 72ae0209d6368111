"""Chapters 3 and 6 (uitvoering): planned against realised participants and budget.

Every table here is computed from the per-plan rows of Bijlage A (:mod:`sectorplannen.statistics.bijlage`);
the chapter tables the report prints are only used to check the result (claims and findings).
"""

from __future__ import annotations

import pandas as pd

from sectorplannen.claims.evaluation import statistic_value
from sectorplannen.sources.categories import labels
from sectorplannen.statistics.bijlage import Bijlage
from sectorplannen.statistics.indicators import Indicators

CATEGORY_STATISTICS = (
    "deelnemers_gepland",
    "deelnemers_gerealiseerd",
    "realisatie_deelnemers",
    "deelnemers_aandeel",
    "budget_gepland",
    "budget_besteed",
    "realisatie_budget",
    "budget_aandeel",
)


PLAN_STATISTICS = (
    "deelnemers_gepland",
    "deelnemers_gerealiseerd",
    "budget_gepland",
    "budget_besteed",
    "realisatie_deelnemers",
    "realisatie_budget",
)


def per_category(indicators: Indicators) -> pd.DataFrame:
    """Tabel 3.1 / 6.1 and 3.2 / 6.2 in one frame: planned and realised participants and budget
    per category, with realisation rates and shares; last row Totaal. Every cell is the statistic
    of the same name that the ledger checks (one computation, :class:`Indicators`)."""
    b = indicators.b
    categories = [*b.categories, "totaal"]
    frame = pd.DataFrame(
        {stat: [statistic_value(indicators, stat, category=c) for c in categories] for stat in CATEGORY_STATISTICS},
        index=[labels(b.categories).get(c, "Totaal") for c in categories],
    )
    frame.index.name = "Thema" if b.params.tranche_group == "1-2" else "Type traject"
    return frame


def per_plan(indicators: Indicators) -> pd.DataFrame:
    """Per plan: planned and realised participants and budget, realisation rates (the ledger's
    statistics per plan)."""
    b = indicators.b
    names = b.names()
    rows = {p: {stat: statistic_value(indicators, stat, plan=p) for stat in PLAN_STATISTICS} for p in b.plan_ids}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.insert(0, "plan", [names[i] for i in frame.index])
    return frame


def top_plans(b: Bijlage, measure: str, n: int) -> pd.DataFrame:
    """The n largest plans by ``measure`` ('deelnemers_gerealiseerd' or 'budget_besteed'), as a
    plan x category frame for stacked bars (Figuur 3.2, 3.3, 6.1, 6.2)."""
    table = b[measure]
    order = table.sum(axis=1).sort_values(ascending=False, kind="mergesort").index[:n]
    out = table.loc[order].fillna(0.0)
    out.index = [b.names()[i] for i in order]
    out.columns = [labels(b.categories)[c] for c in out.columns]
    return out


def outliers(rates: pd.Series, low: float = 50.0, high: float = 120.0) -> pd.Series:
    """Plans whose realisation rate lies outside [low, high] percent (the text's 'uitschieters')."""
    return rates[(rates < low) | (rates > high)].sort_values()


def funding(b: Bijlage) -> pd.DataFrame:
    """Tabel 3.3 / 6.3: funding per plan (Rijksoverheid, Sector, Totaal, Aandeel sector)."""
    frame = b.funding.copy()
    names = {**b.names(), "totaal": "Totaal (over alle plannen)" if b.params.tranche_group == "1-2" else "Totaal"}
    frame = frame.loc[[i for i in frame.index if i != "totaal"] + (["totaal"] if "totaal" in frame.index else [])]
    if "totaal" in frame.index and not b.params.is_published_cohort:
        frame = frame.drop(index="totaal")
    frame["aandeel_sector_berekend"] = 100 * frame["sector"] / frame["totaal"]
    frame.index = [names.get(i, i) for i in frame.index]
    return frame
