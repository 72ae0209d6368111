"""Groups of plans a sentence names ("de 18 regionale zorgplannen", "de vijf grootste plannen",
"de overige plannen") and the ranks and shares that go with them.

A mixin of :class:`~sectorplannen.statistics.indicators.Indicators`: it reads the Bijlage A tables
and the register through the host's helpers (``_table``, ``_column``, ``_plans``, ``_nth``)."""

from __future__ import annotations

import pandas as pd

from sectorplannen import published
from sectorplannen.statistics import conditions
from sectorplannen.statistics.base import REGISTER, NotComputable, plan_names
from sectorplannen.statistics.base import pct as _pct
from sectorplannen.statistics.bijlage import TABLES
from sectorplannen.statistics.declaration import statistic


class PlanGroups:
    """Shares, counts and ranks of named groups of plans, of the largest plans and of categories."""

    def _named(self, plan) -> list[str]:
        """The plan ids a claim names: ids and register selectors (``plan_type=regionaal&cluster=zorg``)."""
        if any("=" in token for token in str(plan or "").split("|")):
            self._use(REGISTER)
        try:
            return conditions.named(plan, self.b.plans)
        except ValueError as exc:  # a condition or selector that cannot be read
            raise NotComputable(str(exc)) from None

    @statistic(unit="procent", kind="one_plan", groups=("category", "plan", "plan_type"))
    def plan_aandeel_bsn_overig(self, category=None, plan=None, row=None):
        """% of the category's BSN participants (A.8 / A.13) outside the plans named ("de overige
        15 procent" after three named plans)."""
        return 100.0 - self.plan_aandeel_bsn(category, plan, row)

    @statistic(unit="procent", kind="share")
    def categorie_aandeel_bsn(self, category=None, plan=None):
        """The category's (or categories' ``a|b``) share of the BSN participants (A.8 / A.13) of the
        plans named in ``plan`` (ids or a selector such as ``plan_type=regionaal``; empty: all)."""
        table = self._table("deelnemers_bsn")
        plans = self._named(plan) if plan else list(table.index)
        missing = [p for p in plans if p not in table.index]
        if missing:
            raise NotComputable(f"plan(nen) {plan_names(missing)} niet in de selectie")
        part = self._column("deelnemers_bsn", category)[plans].sum()
        return _pct(float(part), float(table.loc[plans].sum().sum()))

    @statistic(unit="aantal", kind="plan_count")
    def plannen_bsn_aantal(self, category=None, plan=None):
        """Number of plans with BSN participants (A.8 / A.13) in the category (or at all), among
        the plans named in ``plan`` (all selected plans when empty)."""
        values = self._column("deelnemers_bsn", category)
        if plan:
            values = values[values.index.isin(self._named(plan))]
        return float((values > 0).sum())

    @statistic(unit="aantal", kind="plan_count")
    def plannen_bsn_overig_aantal(self, category=None, plan=None):
        """Number of plans with BSN participants in the category other than the plans named
        ("afkomstig uit 12 andere sectorplannen" after three named plans)."""
        values = self._column("deelnemers_bsn", category)
        return float((values[~values.index.isin(self._named(plan))] > 0).sum())

    @statistic(unit="aantal", kind="plan_count")
    def plannen_zonder_bsn(self):
        """Number of selected plans without BSN participants in Tabel A.8 / A.13 (no usable BSNs)."""
        values = self._column("deelnemers_bsn", None).reindex([p.id for p in self._plans()]).fillna(0.0)
        return float((values <= 0).sum())

    @statistic(unit="categorie", kind="rank")
    def categorie_rang_bsn(self, category=None, rank=1):
        """Category id of the n-th largest category by BSN participants (A.8 / A.13), among the
        categories ``a|b`` when given (all otherwise)."""
        totals = self._table("deelnemers_bsn").sum()
        wanted = [c for c in str(category or "").split("|") if c]
        if wanted:
            totals = totals[totals.index.isin(wanted)]
        return self._category_rank(totals, rank, True)

    @statistic(unit="categorie", kind="rank", groups=("plan_type",))
    def cluster_rang(self, rank=1, row=None):
        """Sector cluster of the n-th most common cluster among the selected plans (``row``:
        ``plan_type=regionaal`` or ``sectoraal`` for one plan type)."""
        plans = self._plans()
        if row:
            key, _, wanted = row.partition("=")
            if key.strip() != "plan_type":
                raise NotComputable(f"plancohort {row!r}: alleen plan_type=sectoraal|regionaal")
            plans = [p for p in plans if p.plan_type == wanted.strip()]
        counts = pd.Series([p.cluster for p in plans]).value_counts()
        return self._nth(counts, rank, True)[0]

    @statistic(unit="procent", kind="share", groups=("category", "plan_type"))
    def aandeel_grootste_plannen_deelnemers(self, category=None, rank=1, row=None):
        """% of the category's realised participants (A.3 / A.9) in its ``rank`` largest plans."""
        return self._largest_share("deelnemers_gerealiseerd", category, rank, row)

    @statistic(unit="procent", kind="share", groups=("category", "plan_type"))
    def aandeel_grootste_plannen_budget(self, category=None, rank=1, row=None):
        """% of the category's spent budget (A.6 / A.12) in its ``rank`` largest plans."""
        return self._largest_share("budget_besteed", category, rank, row)

    @statistic(unit="procent", kind="elsewhere")
    def tranche_aandeel_deelnemers(self):
        """The selected plans' realised participants as % of those of all three tranches (the
        other tranche group: every plan row of its Bijlage A table, A.3 or A.9)."""
        other = "A.9" if self.group == "1-2" else "A.3"
        self._use(f"001/{other}")
        frame = published.table(other, "001", metadata=False)
        others = float(frame.loc[~frame["is_total_row"] & ~frame["is_total_column"], "value"].sum())
        own = self.deelnemers_gerealiseerd()
        return _pct(own, own + others)

    @statistic(unit="categorie", kind="rank")
    def categorie_rang_deelnemers_gepland(self, rank=1):
        """Category id of the n-th largest category by planned participants (A.2 / A.10)."""
        return self._category_rank(self._table("deelnemers_gepland").sum(), rank, True)

    @statistic(unit="categorie", kind="rank")
    def categorie_rang_realisatie_deelnemers(self, rank=1):
        """Category id of the n-th highest category by participant realisation (realised / planned)."""
        rates = pd.Series({c: self.realisatie_deelnemers(c) for c in self.b.categories})
        return self._category_rank(rates, rank, True)

    @statistic(unit="plan", kind="one_plan")
    def plan_rang_financiering_sector(self, rank=1):
        """Plan id of the n-th largest sector contribution among the plans of Tabel 3.3 / 6.3."""
        self._use(f"001/{TABLES[self.group]['financiering']}")
        funding = self.b.funding.drop(index="totaal", errors="ignore")
        return self._nth(funding["sector"], rank, True)[0]

    @statistic(unit="procent", kind="elsewhere")
    def tabelaandeel_plannen(self, table=None, row=None, column=None):
        """A printed number of plans (one cell of a text table, e.g. 8.t5) as % of the selected
        plans of the tranche group (register)."""
        return _pct(self._one_cell(table, row, column), self.plannen())

    @statistic(unit="procent", kind="elsewhere")
    def tabelaandeel_plannen_overig(self, table=None, row=None, column=None):
        """The plans outside a printed number of plans, as % of the selected plans (register)."""
        return 100.0 - self.tabelaandeel_plannen(table, row, column)

    @statistic(unit="aantal", kind="total")
    def categorieen(self):
        """Number of themes (1-2) or trajectory types (3): the category columns of Bijlage A
        (A.1 / A.10)."""
        table = self._table("maatregelen" if self.group == "1-2" else "deelnemers_gepland")
        return float(len(table.columns))
