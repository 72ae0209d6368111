"""Chapters 2 and 5 (inhoud): what the plans contained, per theme or type of trajectory.

Tranche 1-2 counts measures per theme (Tabel A.1); tranche 3 has no measure counts, so its
content is described by the types of trajectory each plan planned and realised participants in
(Tabel A.10, A.9).
"""

from __future__ import annotations

import pandas as pd

from sectorplannen.claims.evaluation import statistic_value
from sectorplannen.sources.categories import labels
from sectorplannen.statistics.bijlage import Bijlage
from sectorplannen.statistics.indicators import Indicators


def content_table(b: Bijlage) -> pd.DataFrame:
    """The plan x category table that describes content: measures (1-2) or planned participants (3)."""
    return b["maatregelen"] if b.params.tranche_group == "1-2" else b["deelnemers_gepland"]


def per_category(indicators: Indicators) -> pd.DataFrame:
    """Figuur 2.1 / 2.2 (and 5.1): per category the number of measures (1-2) or planned and realised
    participants (3), and the number and share of plans with at least one measure or planned
    participant in it. Every cell is the ledger's statistic of the same name."""
    b = indicators.b
    statistics = (
        ("maatregelen", "maatregelen_aandeel")
        if b.params.tranche_group == "1-2"
        else ("deelnemers_gepland", "deelnemers_gerealiseerd")
    ) + ("plannen_met_categorie_aantal", "plannen_met_categorie")
    frame = pd.DataFrame(
        {stat: [statistic_value(indicators, stat, category=c) for c in b.categories] for stat in statistics},
        index=[labels(b.categories)[c] for c in b.categories],
    )
    table = content_table(b)
    frame.attrs["plannen_in_tabel"] = int(table.notna().any(axis=1).sum())
    return frame


def per_plan_type(b: Bijlage) -> pd.DataFrame:
    """Distribution over the categories (% of measures or planned participants) for national
    (sectoraal) and regional plans, and for the zorg cluster."""
    table = content_table(b).fillna(0)
    kinds = {p.id: p for p in b.plans}
    groups = {
        "Landelijke plannen": [i for i in table.index if kinds[i].plan_type == "sectoraal"],
        "Regionale plannen": [i for i in table.index if kinds[i].plan_type == "regionaal"],
        "Zorgplannen": [i for i in table.index if kinds[i].cluster == "zorg"],
    }
    out = {}
    for name, ids in groups.items():
        if not ids:
            continue
        part = table.loc[ids].sum()
        out[f"{name} ({len(ids)})"] = 100 * part / part.sum() if part.sum() else part
    frame = pd.DataFrame(out).T
    frame.columns = [labels(b.categories)[c] for c in frame.columns]
    return frame


def per_plan(b: Bijlage) -> pd.DataFrame:
    """Tabel A.1 (tranche 1-2) or the planned participants per type (tranche 3), per plan."""
    table = content_table(b).copy()
    table.columns = [labels(b.categories)[c] for c in table.columns]
    table["Totaal"] = table.sum(axis=1, min_count=1)
    table.index = [b.names()[i] for i in table.index]
    table.index.name = "Sectorplan"
    return table
