"""Bijlage A as plan x category frames: the plan-level data the chapters are computed from.

:func:`load` returns the per-plan tables of one tranche group (tranche 1-2: A.1-A.8; tranche 3:
A.9-A.13), restricted to the plans the parameters select, as wide frames (index: plan id,
columns: category ids, without the printed totals). Budgets are in euros (A.5 and A.6 print
thousands). The chapter tables (3.1, 6.1, ...) are not used here: they are what the computations
are checked against.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from sectorplannen import notation, published
from sectorplannen.sources import categories
from sectorplannen.sources.register import Plan, register
from sectorplannen.statistics.selection import ChapterParams

TABLES = {
    "1-2": {
        "maatregelen": "A.1",
        "deelnemers_gepland": "A.2",
        "deelnemers_gerealiseerd": "A.3",
        "budget_gepland": "A.5",
        "budget_besteed": "A.6",
        "deelnemers_bsn": "A.8",
        "financiering": "3.3",
    },
    "3": {
        "deelnemers_gepland": "A.10",
        "deelnemers_gerealiseerd": "A.9",
        "budget_gepland": "A.11",
        "budget_besteed": "A.12",
        "deelnemers_bsn": "A.13",
        "financiering": "6.3",
    },
}


PLAN_TABLE_UNITS = ("aantal", "euro", "duizend euro")  # the units Bijlage A prints its cells in


def categories_of(tranche_group: str) -> list[str]:
    """The category ids of a tranche group's axis, in the report's order."""
    axis = "type_traject" if tranche_group == "3" else "thema"
    return categories.category_ids(axis)


def wide(table_id: str, categories: list[str]) -> pd.DataFrame:
    """A Bijlage A table as plan x category (values in euro where printed in thousands)."""
    frame = published.table(table_id, metadata=False)
    body = frame[~frame["is_total_row"] & ~frame["is_total_column"]]
    unexpected = ~body["unit"].isin(PLAN_TABLE_UNITS)
    if unexpected.any():
        raise ValueError(f"table {table_id}: unexpected unit(s) {sorted(set(body['unit'][unexpected]))}")
    values = body.assign(value=body["value"] * body["unit"].map(notation.scale))
    out = values.pivot_table(index="plan_id", columns="category_id", values="value", aggfunc="sum", dropna=False)
    return out.reindex(columns=categories)


@dataclass
class Bijlage:
    """The plan-level tables of a tranche group for the selected plans."""

    params: ChapterParams
    plans: list[Plan]
    categories: list[str]
    tables: dict[str, pd.DataFrame]
    funding: pd.DataFrame

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @property
    def plan_ids(self) -> list[str]:
        return [plan.id for plan in self.plans]

    def names(self) -> dict[str, str]:
        return {plan.id: plan.name for plan in self.plans}


def funding_rows(table_id: str) -> pd.DataFrame:
    """Funding incl. overhead per plan (Tabel 3.3 / 6.3): columns rijk, sector, totaal (euro),
    aandeel_sector (%), index plan id; the 'Totaal' row under index 'totaal'."""
    frame = published.table(table_id, metadata=False)
    frame = frame.assign(key=frame["plan_id"].where(~frame["is_total_row"], "totaal"))
    out = frame.pivot_table(index="key", columns="category", values="value", aggfunc="first")
    out = out.rename(
        columns={"Rijksoverheid": "rijk", "Sector": "sector", "Totaal": "totaal", "Aandeel sector": "aandeel_sector"}
    )
    return out[["rijk", "sector", "totaal", "aandeel_sector"]]


def load(params: ChapterParams) -> Bijlage:
    """Bijlage A for the tranche and plans the parameters select."""
    group = params.tranche_group
    plans = [p for p in register().in_group(params.tranche) if p.id not in params.exclude_plans]
    ids = [p.id for p in plans]
    categories = categories_of(group)
    tables = {
        name: wide(table_id, categories).reindex(ids)
        for name, table_id in TABLES[group].items()
        if name != "financiering"
    }
    funding = funding_rows(TABLES[group]["financiering"])
    funding = funding[funding.index.isin([*ids, "totaal"])]
    return Bijlage(params=params, plans=plans, categories=categories, tables=tables, funding=funding)


def without(full: Bijlage, plans) -> Bijlage:
    """Bijlage A of the same selection with ``plans`` (ids) also left out: what :func:`load` gives
    with them excluded, without reading the tables again (the robustness chapter's many variants)."""
    excluded = tuple(sorted(set(full.params.exclude_plans) | set(plans)))
    params = dataclasses.replace(full.params, exclude_plans=excluded)
    kept = [p for p in full.plans if p.id not in excluded]
    ids = [p.id for p in kept]
    tables = {name: frame.reindex(ids) for name, frame in full.tables.items()}
    funding = full.funding[full.funding.index.isin([*ids, "totaal"])]
    return Bijlage(params=params, plans=kept, categories=full.categories, tables=tables, funding=funding)
