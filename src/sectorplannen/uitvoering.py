"""Chapters 3 and 6 (uitvoering): planned against realised participants and budget.

Every table here is computed from the per-plan rows of Bijlage A (:mod:`sectorplannen.bijlage`);
the chapter tables the report prints are only used to check the result (claims and findings).
"""

from __future__ import annotations

import pandas as pd

from sectorplannen import published
from sectorplannen.bijlage import Bijlage


def labels(categories: list[str]) -> dict[str, str]:
    """Category id -> the report's label."""
    entries = {e["id"]: e["label"] for axis in published.categories().values() for e in axis}
    return {c: entries[c] for c in categories}


def per_category(b: Bijlage) -> pd.DataFrame:
    """Tabel 3.1 / 6.1 and 3.2 / 6.2 in one frame: planned and realised participants and budget
    per category, with realisation rates and shares; last row Totaal."""
    rows = {}
    for category in [*b.categories, "totaal"]:

        def total(name, c=category):
            table = b[name]
            return float(table.sum().sum() if c == "totaal" else table[c].sum())

        planned, realised = total("deelnemers_gepland"), total("deelnemers_gerealiseerd")
        budget_planned, budget_spent = total("budget_gepland"), total("budget_besteed")
        rows[category] = {
            "deelnemers_gepland": planned,
            "deelnemers_gerealiseerd": realised,
            "realisatie_deelnemers": 100 * realised / planned if planned else float("nan"),
            "budget_gepland": budget_planned,
            "budget_besteed": budget_spent,
            "realisatie_budget": 100 * budget_spent / budget_planned if budget_planned else float("nan"),
        }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame["deelnemers_aandeel"] = (
        100 * frame["deelnemers_gerealiseerd"] / frame.loc["totaal", "deelnemers_gerealiseerd"]
    )
    frame["budget_aandeel"] = 100 * frame["budget_besteed"] / frame.loc["totaal", "budget_besteed"]
    frame.index = [labels(b.categories).get(c, "Totaal") for c in frame.index]
    frame.index.name = "Thema" if b.params.tranche_group == "1-2" else "Type traject"
    return frame


def per_plan(b: Bijlage) -> pd.DataFrame:
    """Per plan: planned and realised participants and budget, realisation rates."""
    names = b.names()
    frame = pd.DataFrame(
        {
            "deelnemers_gepland": b["deelnemers_gepland"].sum(axis=1, min_count=1),
            "deelnemers_gerealiseerd": b["deelnemers_gerealiseerd"].sum(axis=1, min_count=1),
            "budget_gepland": b["budget_gepland"].sum(axis=1, min_count=1),
            "budget_besteed": b["budget_besteed"].sum(axis=1, min_count=1),
        }
    )
    frame["realisatie_deelnemers"] = 100 * frame["deelnemers_gerealiseerd"] / frame["deelnemers_gepland"]
    frame["realisatie_budget"] = 100 * frame["budget_besteed"] / frame["budget_gepland"]
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
