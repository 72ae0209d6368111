"""Plans past a threshold: the plans a sentence counts by their own values ("op drie plannen na is
de realisatie tussen de 64 en 123 procent"), and what the plans at the extremes realised.

A mixin of :class:`~sectorplannen.statistics.indicators.Indicators`: it reads the Bijlage A tables
through the host's helpers (``_table``, ``_total``, ``_rates``, ``_nth``)."""

from __future__ import annotations

import pandas as pd

from sectorplannen.statistics import conditions
from sectorplannen.statistics.base import NotComputable, category_names, plan_names
from sectorplannen.statistics.base import pct as _pct
from sectorplannen.statistics.bijlage import TABLES
from sectorplannen.statistics.declaration import statistic


class PlanThresholds:
    """Counts and shares of the plans that meet a condition (``statistics.conditions``)."""

    _PLAN_AMOUNTS = (
        "deelnemers_gepland",
        "deelnemers_gerealiseerd",
        "deelnemers_bsn",
        "budget_gepland",
        "budget_besteed",
    )

    def _plan_values(self, wanted: set[str], category=None) -> pd.DataFrame:
        """Per selected plan, the variables a condition compares: the amounts of the Bijlage A
        tables (of one category, or the plan's total), the realisation rates (%), the sector's
        share of the funding (Tabel 3.3 / 6.3, plans it prints)."""
        index = pd.Index(self.b.plan_ids, name="plan_id")
        columns = {}
        for variable in sorted(wanted):
            if variable in self._PLAN_AMOUNTS:
                columns[variable] = self._amounts(variable, category).reindex(index)
            elif variable in ("realisatie_deelnemers", "realisatie_budget"):
                num, den = (
                    ("deelnemers_gerealiseerd", "deelnemers_gepland")
                    if variable == "realisatie_deelnemers"
                    else ("budget_besteed", "budget_gepland")
                )
                den_values = self._amounts(den, category).reindex(index)
                num_values = self._amounts(num, category).reindex(index).fillna(0.0)
                columns[variable] = (100.0 * num_values / den_values.where(den_values > 0)).astype(float)
            elif variable == "aandeel_sector":
                self._use(f"001/{TABLES[self.group]['financiering']}")
                funding = self.b.funding.drop(index="totaal", errors="ignore")
                columns[variable] = (100.0 * funding["sector"] / funding["totaal"]).reindex(index)
            else:
                raise NotComputable(f"onbekende planvariabele {variable!r}")
        return pd.DataFrame(columns, index=index)

    def _amounts(self, name: str, category=None) -> pd.Series:
        """Per plan with a row in the table: its amount in the category (or its total)."""
        table = self._table(name)
        rows = table[table.notna().any(axis=1)]
        if category and category != "totaal":
            if category not in rows.columns:
                raise NotComputable(f"{category_names([category])} hoort niet bij tranche {self.group}")
            return rows[category].fillna(0.0)
        return rows.sum(axis=1)

    def _meeting(self, row, category=None) -> pd.Series:
        try:
            wanted = conditions.variables(row)
        except ValueError as exc:  # a condition that cannot be read
            raise NotComputable(str(exc)) from None
        return conditions.holds(row, self._plan_values(wanted, category))

    @statistic(unit="aantal", kind="plan_count", groups=("category", "plan", "condition"))
    def plannen_aantal(self, category=None, plan=None, row=None):
        """Number of selected plans (or of the plans named in ``plan``) that meet the condition
        in ``row`` (``realisatie_budget<64 | realisatie_budget>123``; see ``conditions``), the
        amounts taken in ``category`` when given."""
        met = self._meeting(row, category)
        if plan:
            met = met[met.index.isin(self._named(plan))]
        return float(met.sum())

    @statistic(unit="procent", kind="plan_count", groups=("category", "plan", "condition"))
    def plannen_aandeel(self, category=None, plan=None, row=None):
        """% of the selected plans (or of those named in ``plan``) that meet the condition."""
        met = self._meeting(row, category)
        if plan:
            met = met[met.index.isin(self._named(plan))]
        return _pct(float(met.sum()), float(len(met)))

    def _rate_of_ranked(self, rank, largest: bool) -> str:
        return self._nth(self._rates("deelnemers_gerealiseerd", "deelnemers_gepland"), rank, largest)[0]

    @statistic(unit="aantal", kind="one_plan")
    def deelnemers_bij_realisatie_laagste(self, rank=1):
        """Realised participants of the plan with the n-th lowest participant realisation rate."""
        return self._total("deelnemers_gerealiseerd", plan=self._rate_of_ranked(rank, False))

    @statistic(unit="aantal", kind="one_plan")
    def deelnemers_bij_realisatie_hoogste(self, rank=1):
        """Realised participants of the plan with the n-th highest participant realisation rate."""
        return self._total("deelnemers_gerealiseerd", plan=self._rate_of_ranked(rank, True))

    @statistic(unit="aantal", kind="one_plan")
    def categorieen_boven_planning(self, plan=None):
        """Number of categories in which the plan realised more participants than it planned
        (a category without planned participants counts when it realised any)."""
        planned = self._table("deelnemers_gepland")
        realised = self._table("deelnemers_gerealiseerd")
        if plan not in realised.index:
            raise NotComputable(f"plan {plan_names([plan])} valt buiten de selectie")
        wanted = realised.loc[plan].fillna(0.0)
        intended = planned.loc[plan].reindex(wanted.index).fillna(0.0) if plan in planned.index else 0.0
        return float((wanted > intended).sum())

    @statistic(unit="procent", kind="share")
    def meer_dan_gepland_deelnemers(self, category=None, plan=None):
        """How many % more participants were realised than planned: the realisation rate - 100."""
        return self.realisatie_deelnemers(category, plan) - 100.0
