"""The statistics the plan-level chapters state, computed from Bijlage A and the register.

:class:`Indicators` computes every statistic of the claims vocabulary (``data/claims/README.md``)
for one :class:`~sectorplannen.statistics.bijlage.Bijlage`. Values come in base units: counts, euros,
percentages (0-100), or a plan id for rank statistics. A statistic the data cannot give raises
:class:`NotComputable` with the reason.
"""

from __future__ import annotations

import functools
import re

import pandas as pd

from sectorplannen import notation, published
from sectorplannen.published import labels
from sectorplannen.sources.register import register
from sectorplannen.statistics.base import (
    PARTICIPANT_FILE,
    REGISTER,
    NotComputable,
    Provenance,
    category_names,
    plan_names,
)
from sectorplannen.statistics.base import pct as _pct
from sectorplannen.statistics.bijlage import TABLES, Bijlage
from sectorplannen.statistics.declaration import Declaration, collect, statistic
from sectorplannen.statistics.plan_groups import PlanGroups
from sectorplannen.statistics.thresholds import PlanThresholds

# The tranche 3 ambition as chapter 6 states it in its text (transcribed as tables of the text).
TRANCHE_3_AMBITION = {"deelnemers": "001/6.t1", "budget": "001/6.t2"}

__all__ = [
    "DECLARATIONS",
    "PARTICIPANT_FILE",
    "REGISTER",
    "STATISTICS", "Indicators", "NotComputable", "Provenance", "TableIndicators"]


def _row_labels(frame: pd.DataFrame) -> pd.Series:
    """Every way a claim may name a row: 'row', 'group / row', and either followed by the extra
    label columns as ' | extra1 | extra2' (where several rows share a label)."""
    extra = labels.extra_label_columns(frame)
    grouped = labels.grouped_labels(frame)
    suffix = frame[extra].astype(str).agg(" | ".join, axis=1).radd(" | ") if extra else ""
    return pd.Series(
        [
            {r, g, r + s, g + s} if extra else {r, g}
            for r, g, s in zip(frame["row"], grouped, suffix if extra else [""] * len(frame), strict=True)
        ],
        index=frame.index,
    )


class TableIndicators:
    """Statistics read from the published tables themselves (any chapter, any source).

    Every computation records what it read (:attr:`provenance` after :meth:`compute`), so a ledger
    can say whether a number was recomputed from other data or read back from where it is printed."""

    def _use(self, source: str) -> None:
        if not hasattr(self, "_inputs"):
            self._inputs = set()
        self._inputs.add(source)

    def _read_cell(self, table: str) -> None:
        self._use(table)
        self._cells_read = [*getattr(self, "_cells_read", []), table]

    def _cells(self, table: str, row: str | None, column: str | None) -> pd.DataFrame:
        if not table:
            raise NotComputable("geen tabel opgegeven")
        self._use(table)
        seed, _, table_id = table.partition("/")
        frame = published.table(table_id, seed, metadata=False)
        by_line = re.match(r"^regel (\d+(?:-\d+)?)$", row or "")
        if by_line:  # a row the table prints without its own label (Tabel 2.1: a theme's later measures)
            frame = frame[frame["line"].astype(str) == by_line.group(1)]
        elif row:  # one row label, or several as a|b
            wanted = (
                set(row.split("|"))
                if "|" in row and not (_row_labels(frame).apply(lambda x: row in x)).any()
                else {row}
            )
            frame = frame[_row_labels(frame).apply(lambda labels: bool(labels & wanted))]
        else:
            frame = frame[~frame["is_total_row"]]
        if column:
            frame = frame[frame["category"] == column]
        elif row:
            frame = frame[~frame["is_total_column"]]
        if frame.empty:
            raise NotComputable(f"geen cel in {table} voor rij {row!r}, kolom {column!r}")
        if "line" in frame.columns:
            self._lines = [*getattr(self, "_lines", []), *frame["line"].astype(str)]
        return frame

    @statistic(unit="tabel", kind="cell")
    def tabelwaarde(self, table=None, row=None, column=None):
        """The printed value of one cell (row label, or 'group / row'; column header)."""
        cells = self._cells(table, row, column)
        if len(cells) != 1:
            raise NotComputable(f"{len(cells)} cellen in {table} voor rij {row!r}, kolom {column!r}")
        value = cells["value"].iloc[0]
        if pd.isna(value):
            raise NotComputable(f"lege cel in {table}")
        self._read_cell(table)
        return float(value) * notation.scale(cells["unit"].iloc[0])

    @statistic(unit="tabel", kind="cell")
    def tabelsom(self, table=None, row=None, column=None):
        """Sum of the cells of a row (over its columns), a column (over the rows) or the table."""
        cells = self._cells(table, row, column)
        scale = cells["unit"].map(notation.scale)
        return float((cells["value"].fillna(0) * scale).sum())

    @statistic(unit="procent", kind="cell")
    def tabelaandeel(self, table=None, row=None, column=None):
        """The row (or rows a|b) as % of the column's sum over all non-total rows of the table."""
        if not column:
            raise NotComputable("tabelaandeel heeft een kolom nodig")
        return _pct(self.tabelsom(table, row, column), self.tabelsom(table, None, column))

    @statistic(unit="tabel", kind="cell")
    def tabelverschil(self, table=None, row=None, column=None):
        """The first row minus the second (rows given as a|b) in one column."""
        first, _, second = (row or "").partition("|")
        if not (first and second and column):
            raise NotComputable("tabelverschil heeft twee rijen (a|b) en een kolom nodig")
        return self.tabelwaarde(table, first, column) - self.tabelwaarde(table, second, column)

    @statistic(unit="procent", kind="cell")
    def tabelverhouding(self, table=None, row=None, column=None):
        """One cell as % of another of the same table: rows ``a|b`` (numerator a, denominator b) in
        one column, or one row in columns ``x|y`` (or both: cell a,x over cell b,y); a text number
        over a number of the same table, such as 32 of the 48 applications of a round."""
        rows = (row or "").split("|") if row and "|" in row else [row, row]
        columns = (column or "").split("|") if column and "|" in column else [column, column]
        if len(rows) != 2 or len(columns) != 2 or (rows[0] == rows[1] and columns[0] == columns[1]):
            raise NotComputable("tabelverhouding heeft twee rijen (a|b) of twee kolommen (x|y) nodig")
        return _pct(self._one_cell(table, rows[0], columns[0]), self._one_cell(table, rows[1], columns[1]))

    def _one_cell(self, table, row, column) -> float:
        cells = self._cells(table, row, column)
        if len(cells) != 1 or pd.isna(cells["value"].iloc[0]):
            raise NotComputable(f"geen enkele cel in {table} voor rij {row!r}, kolom {column!r}")
        return float(cells["value"].iloc[0]) * notation.scale(cells["unit"].iloc[0])

    @statistic(unit="procent", kind="cell")
    def tabelgewogen_gemiddelde(self, table=None, column=None):
        """The average of the rows' printed shares (column ``share|weight``: the first column,
        weighted by the second) over the non-total rows: what a total row's share should be."""
        share, _, weight = (column or "").partition("|")
        if not (share and weight):
            raise NotComputable("tabelgewogen_gemiddelde heeft twee kolommen nodig: aandeel|gewicht")
        shares = self._cells(table, None, share).set_index("row")["value"]
        weights = self._cells(table, None, weight).set_index("row")["value"]
        shares, weights = shares.align(weights, join="inner")
        if weights.sum() == 0 or shares.isna().any():
            raise NotComputable(f"geen volledige kolommen {share!r} en {weight!r} in {table}")
        return float((shares * weights).sum() / weights.sum())

    @statistic(unit="aantal", kind="cell")
    def tabelnoemer(self, table=None, column=None):
        """The number the printed shares of a table are shares of (columns ``count|share``): the
        smallest whole n for which every row's count as % of n gives its printed share at the
        rounding of a whole percent (Tabel 3.4 of the DWSRA evaluation: 6 (32%), 8 (42%), ... of 19
        projects, while its counts add up to 21)."""
        count, _, share = (column or "").partition("|")
        if not (count and share):
            raise NotComputable("tabelnoemer heeft twee kolommen nodig: aantal|aandeel")
        counts = self._cells(table, None, count).set_index("row")["value"].astype(float)
        shares = self._cells(table, None, share).set_index("row")["value"].astype(float)
        counts, shares = counts.align(shares, join="inner")
        if counts.empty or counts.isna().any() or shares.isna().any() or not (shares > 0.5).any():
            raise NotComputable(f"geen volledige kolommen {count!r} en {share!r} in {table}")
        largest = int(100 * counts.max() / (shares[shares > 0.5].min() - 0.5)) + 1
        for n in range(max(1, int(counts.max())), largest + 1):
            if ((100 * counts / n - shares).abs() <= 0.5 + 1e-9).all():
                return float(n)
        raise NotComputable(f"geen aantal waarvan de percentages van {table} de gedrukte aandelen zijn")

    @statistic(unit="aantal", kind="cell")
    def tabelrijen(self, table=None):
        """Number of rows (non-total) of a table: the plans a table of plans lists."""
        cells = self._cells(table, None, None)
        return float(cells["row"].nunique())

    @statistic(unit="rang", kind="cell")
    def tabelrang(self, table=None, row=None, column=None):
        """Rank of the row (1 = largest) by its value in the column, among the non-total rows that
        print a value in it (a row without one is not ranked, and not an input)."""
        before = list(getattr(self, "_lines", []))
        cells = self._cells(table, None, column)
        cells = cells[cells["value"].notna()]
        if "line" in cells.columns:
            self._lines = [*before, *cells["line"].astype(str)]
        by_line = row.startswith("regel ") if row else False
        values = cells.set_index(cells["line"].astype(str).radd("regel ") if by_line else cells["row"])["value"]
        values = values.astype(float)
        if row not in values.index:
            raise NotComputable(f"geen rij {row!r} in {table}")
        return float((values > values[row]).sum() + 1)

    @statistic(unit="aantal", kind="total")
    def tranches(self):
        """Number of tranches of the plan register's carried-out plans."""
        self._use(REGISTER)
        return float(len({p.tranche for p in register() if p.status == "uitgevoerd"}))

    @statistic(unit="aantal", kind="total")
    def clusters(self):
        """Number of sector clusters of the plan register (techniek/transport, zorg, overig)."""
        self._use(REGISTER)
        return float(len({p.cluster for p in register()}))

    def _regional_shares(self) -> pd.Series:
        """Per tranche (1, 2, 3): % of its carried-out plans that are regional (register)."""
        self._use(REGISTER)
        plans = [p for p in register() if p.status == "uitgevoerd"]
        frame = pd.DataFrame(
            {"tranche": [p.tranche for p in plans], "regional": [p.plan_type == "regionaal" for p in plans]}
        )
        return 100.0 * frame.groupby("tranche")["regional"].mean()

    @statistic(unit="tranche", kind="rank")
    def tranche_laagste_regionaal_aandeel(self):
        """The tranche (1, 2 or 3) with the smallest share of regional plans."""
        return float(self._regional_shares().idxmin())

    @statistic(unit="tranche", kind="rank")
    def tranche_hoogste_regionaal_aandeel(self):
        """The tranche (1, 2 or 3) with the largest share of regional plans."""
        return float(self._regional_shares().idxmax())

    @statistic(unit="aantal", kind="total")
    def deelnemers_gerealiseerd_alle(self):
        """Realised participants of all three tranches: the plan rows of Tabel A.3 and A.9."""
        total = 0.0
        for ref in ("001/A.3", "001/A.9"):
            self._use(ref)
            frame = published.table(ref.partition("/")[2], "001", metadata=False)
            total += float(frame.loc[~frame["is_total_row"] & ~frame["is_total_column"], "value"].sum())
        return total

    def compute(self, statistic: str, category=None, plan=None, rank=None, table=None, row=None, column=None):
        """The value of one vocabulary statistic, given only the arguments it declares it takes."""
        declaration = declarations(type(self)).get(statistic)
        if declaration is None:
            raise NotComputable(f"onbekende statistiek {statistic!r}")
        given = {
            "category": category or None,
            "plan": plan or None,
            "rank": int(rank) if rank else None,
            "table": table or None,
            "row": row or None,
            "column": column or None,
        }
        self._inputs, self._cells_read, self._lines = set(), [], []
        self.provenance = Provenance()
        value = getattr(self, statistic)(**declaration.arguments(given))
        cell = self._cells_read[0] if len(self._cells_read) == 1 and len(self._inputs) == 1 else None
        self.provenance = Provenance(tuple(sorted(self._inputs)), cell, tuple(self._lines))
        return value


@functools.cache
def declarations(cls: type) -> dict[str, Declaration]:
    """The statistics a class of indicators computes, as they declare themselves."""
    return collect(cls)


class Indicators(PlanThresholds, PlanGroups, TableIndicators):
    """Statistics of one tranche group's selected plans (the plans past a threshold and the groups of
    plans a sentence names come from their own modules)."""

    def __init__(self, bijlage: Bijlage):
        self.b = bijlage
        self.group = bijlage.params.tranche_group

    # ---------------------------------------------------------------- helpers

    def _table(self, name: str) -> pd.DataFrame:

        if name not in self.b.tables:
            raise NotComputable(f"geen tabel met {name} voor tranche {self.group}")
        self._use(f"001/{TABLES[self.group][name]}")
        return self.b.tables[name]

    def _plans(self) -> list:
        """The selected plans as the register describes them (type, cluster)."""
        self._use(REGISTER)
        return self.b.plans

    def _total(self, name: str, category: str | None = None, plan: str | None = None) -> float:
        if category and "|" in category:  # several categories together (a|b)
            return sum(self._total(name, part, plan) for part in category.split("|"))
        table = self._table(name)
        if plan:
            if plan not in table.index:
                raise NotComputable(f"plan {plan_names([plan])} valt buiten de selectie")
            row = table.loc[plan]
            return float(row.sum()) if not category or category == "totaal" else float(row.get(category, 0) or 0)
        if not category or category == "totaal":
            return float(table.sum().sum())
        if category not in table.columns:
            raise NotComputable(f"{category_names([category])} hoort niet bij tranche {self.group}")
        return float(table[category].sum())

    def _plan_totals(self, name: str) -> pd.Series:
        return self._table(name).sum(axis=1, min_count=1)

    def _rates(self, numerator: str, denominator: str) -> pd.Series:
        den = self._plan_totals(denominator)
        num = self._plan_totals(numerator).fillna(0.0)
        keep = den.notna() & (den > 0)
        return (100.0 * num[keep] / den[keep]).sort_values()

    @staticmethod
    def _nth(series: pd.Series, rank: int, largest: bool) -> tuple[str, float]:
        if not rank or rank < 1 or rank > len(series):
            raise NotComputable(f"rang {rank} bestaat niet ({len(series)} plannen)")
        ordered = series.sort_values(ascending=not largest, kind="mergesort")
        return str(ordered.index[rank - 1]), float(ordered.iloc[rank - 1])

    # ---------------------------------------------------------------- statistics

    @statistic(unit="aantal", kind="total")
    def maatregelen(self, category=None):
        return self._total("maatregelen", category)

    @statistic(unit="procent", kind="share")
    def maatregelen_aandeel(self, category=None):
        return _pct(self._total("maatregelen", category), self._total("maatregelen"))

    @statistic(unit="procent", kind="plan_count")
    def plannen_met_categorie(self, category=None):
        """% of plans with at least one measure (1-2, A.1) or planned participant (3, A.10) in the
        category, among the plans the table has a row for."""
        table = self._table("maatregelen" if self.group == "1-2" else "deelnemers_gepland")
        rows = table[table.notna().any(axis=1)]
        if category not in rows.columns:
            raise NotComputable(f"{category_names([category])} hoort niet bij tranche {self.group}")
        return _pct(float((rows[category].fillna(0) > 0).sum()), float(len(rows)))

    @statistic(unit="aantal", kind="plan_count")
    def plannen_met_categorie_aantal(self, category=None):
        """Number of plans with at least one measure (1-2) or planned participant (3) in the category."""
        table = self._table("maatregelen" if self.group == "1-2" else "deelnemers_gepland")
        rows = table[table.notna().any(axis=1)]
        if category not in rows.columns:
            raise NotComputable(f"{category_names([category])} hoort niet bij tranche {self.group}")
        return float((rows[category].fillna(0) > 0).sum())

    def _realised_presence(self) -> pd.DataFrame:
        """Plan x category: did the plan realise participants in the category (A.3 / A.9)?"""
        table = self._table("deelnemers_gerealiseerd")
        return table[table.notna().any(axis=1)].fillna(0) > 0

    @statistic(unit="procent", kind="plan_count")
    def plannen_met_categorie_gerealiseerd(self, category=None):
        """% of plans with realised participants in the category (A.3 / A.9)."""
        presence = self._realised_presence()
        if category not in presence.columns:
            raise NotComputable(f"{category_names([category])} hoort niet bij tranche {self.group}")
        return _pct(float(presence[category].sum()), float(len(presence)))

    @statistic(unit="aantal", kind="plan_count")
    def plannen_alle_categorieen(self):
        """Number of plans with realised participants in every category."""
        return float(self._realised_presence().all(axis=1).sum())

    @statistic(unit="procent", kind="plan_count")
    def plannen_alle_categorieen_aandeel(self):
        presence = self._realised_presence()
        return _pct(float(presence.all(axis=1).sum()), float(len(presence)))

    @statistic(unit="procent", kind="plan_count")
    def plannen_meerdere_categorieen_aandeel(self):
        """% of plans with realised participants in two or more categories."""
        presence = self._realised_presence()
        return _pct(float((presence.sum(axis=1) >= 2).sum()), float(len(presence)))

    @statistic(unit="procent", kind="plan_count")
    def plannen_zonder_categorie(self, category=None):
        """% of plans without any measure (1-2) or planned participant (3) in the category."""
        return 100.0 - self.plannen_met_categorie(category)

    def _category_rank(self, totals: pd.Series, rank, largest: bool) -> str:
        return self._nth(totals.fillna(0.0), rank, largest)[0]

    @statistic(unit="categorie", kind="rank")
    def categorie_rang_maatregelen(self, rank=1):
        """Category id of the n-th largest category by number of measures (tranche 1-2)."""
        return self._category_rank(self._table("maatregelen").sum(), rank, True)

    @statistic(unit="categorie", kind="rank")
    def categorie_rang_maatregelen_laagste(self, rank=1):
        return self._category_rank(self._table("maatregelen").sum(), rank, False)

    @statistic(unit="categorie", kind="rank")
    def categorie_rang_deelnemers(self, rank=1):
        """Category id of the n-th largest category by realised participants."""
        return self._category_rank(self._table("deelnemers_gerealiseerd").sum(), rank, True)

    @statistic(unit="categorie", kind="rank")
    def categorie_rang_budget(self, rank=1):
        """Category id of the n-th largest category by spent budget."""
        return self._category_rank(self._table("budget_besteed").sum(), rank, True)

    @statistic(unit="categorie", kind="rank")
    def categorie_rang_plannen(self, rank=1):
        """Category id of the n-th most common category among plans (plannen_met_categorie)."""
        shares = pd.Series({c: self.plannen_met_categorie(c) for c in self.b.categories})
        return self._category_rank(shares, rank, True)

    @statistic(unit="categorie", kind="rank")
    def categorie_rang_plannen_laagste(self, rank=1):
        shares = pd.Series({c: self.plannen_met_categorie(c) for c in self.b.categories})
        return self._category_rank(shares, rank, False)

    @statistic(unit="aantal", kind="total")
    def plannen(self):
        return float(len(self._plans()))

    @statistic(unit="aantal", kind="plan_count")
    def plannen_landelijk(self):
        return float(sum(p.plan_type == "sectoraal" for p in self._plans()))

    @statistic(unit="aantal", kind="plan_count")
    def plannen_regionaal(self):
        return float(sum(p.plan_type == "regionaal" for p in self._plans()))

    @statistic(unit="procent", kind="plan_count")
    def plannen_regionaal_aandeel(self):
        """% of the selected plans that are regional (Figuur 9.1, per tranche)."""
        return _pct(self.plannen_regionaal(), self.plannen())

    @statistic(unit="aantal", kind="plan_count")
    def plannen_landelijk_zorg(self):
        return float(sum(p.plan_type == "sectoraal" and p.cluster == "zorg" for p in self._plans()))

    @statistic(unit="aantal", kind="plan_count")
    def plannen_regionaal_zorg(self):
        return float(sum(p.plan_type == "regionaal" and p.cluster == "zorg" for p in self._plans()))

    @statistic(unit="aantal", kind="total")
    def deelnemers_gepland(self, category=None, plan=None):
        return self._total("deelnemers_gepland", category, plan)

    @statistic(unit="aantal", kind="total")
    def deelnemers_gerealiseerd(self, category=None, plan=None):
        return self._total("deelnemers_gerealiseerd", category, plan)

    @statistic(unit="procent", kind="share")
    def realisatie_deelnemers(self, category=None, plan=None):
        return _pct(self.deelnemers_gerealiseerd(category, plan), self.deelnemers_gepland(category, plan))

    @statistic(unit="procent", kind="share")
    def deelnemers_aandeel(self, category=None):
        return _pct(self.deelnemers_gerealiseerd(category), self.deelnemers_gerealiseerd())

    @statistic(unit="procent", kind="one_plan")
    def realisatie_deelnemers_hoogste(self, rank=1):
        return self._nth(self._rates("deelnemers_gerealiseerd", "deelnemers_gepland"), rank, True)[1]

    @statistic(unit="procent", kind="one_plan")
    def realisatie_deelnemers_laagste(self, rank=1):
        return self._nth(self._rates("deelnemers_gerealiseerd", "deelnemers_gepland"), rank, False)[1]

    @statistic(unit="plan", kind="one_plan")
    def plan_rang_deelnemers(self, rank=1):
        return self._nth(self._plan_totals("deelnemers_gerealiseerd"), rank, True)[0]

    @statistic(unit="euro", kind="total")
    def budget_gepland(self, category=None, plan=None):
        return self._total("budget_gepland", category, plan)

    @statistic(unit="euro", kind="total")
    def budget_besteed(self, category=None, plan=None):
        return self._total("budget_besteed", category, plan)

    @statistic(unit="procent", kind="share")
    def realisatie_budget(self, category=None, plan=None):
        return _pct(self.budget_besteed(category, plan), self.budget_gepland(category, plan))

    @statistic(unit="procent", kind="share")
    def budget_aandeel(self, category=None):
        return _pct(self.budget_besteed(category), self.budget_besteed())

    @statistic(unit="procent", kind="one_plan")
    def realisatie_budget_hoogste(self, rank=1):
        return self._nth(self._rates("budget_besteed", "budget_gepland"), rank, True)[1]

    @statistic(unit="procent", kind="one_plan")
    def realisatie_budget_laagste(self, rank=1):
        return self._nth(self._rates("budget_besteed", "budget_gepland"), rank, False)[1]

    @statistic(unit="plan", kind="one_plan")
    def plan_rang_budget(self, rank=1):
        return self._nth(self._plan_totals("budget_besteed"), rank, True)[0]

    @statistic(unit="aantal", kind="total")
    def deelnemers_bsn(self, category=None, plan=None):
        return self._total("deelnemers_bsn", category, plan)

    # ---------------------------------------------------------------- plans within a category

    def _column(self, name: str, category: str | None, row: str | None = None) -> pd.Series:
        """Per plan: the values of one category (several as ``a|b``; all: 'totaal'), for the plans of the cohort
        ``row`` (``plan_type=sectoraal`` or ``regionaal``; empty: every selected plan)."""
        table = self._table(name)
        wanted = [c for c in str(category or "").split("|") if c and c != "totaal"]
        unknown = [c for c in wanted if c not in table.columns]
        if unknown:
            raise NotComputable(f"{category_names(unknown)} hoort niet bij tranche {self.group}")
        values = table[wanted].sum(axis=1, min_count=1) if wanted else table.sum(axis=1)
        if row:
            key, _, wanted = row.partition("=")
            if key.strip() != "plan_type":
                raise NotComputable(f"plancohort {row!r}: alleen plan_type=sectoraal|regionaal")
            kinds = {p.id: p.plan_type for p in self._plans()}
            values = values[[kinds[i] == wanted.strip() for i in values.index]]
        return values.fillna(0.0)

    def _plan_share(self, name: str, category, plan, row) -> float:
        values = self._column(name, category, row)
        plans = self._named(plan)
        missing = [p for p in plans if p not in values.index]
        if not plans or missing:
            raise NotComputable(f"plan(nen) {plan_names(missing) or '-'} niet in de selectie")
        return _pct(float(values[plans].sum()), float(values.sum()))

    @statistic(unit="procent", kind="one_plan", groups=("category", "plan", "plan_type"))
    def plan_aandeel_deelnemers(self, category=None, plan=None, row=None):
        """% of the category's realised participants (A.3 / A.9) in the plan (or plans a|b)."""
        return self._plan_share("deelnemers_gerealiseerd", category, plan, row)

    @statistic(unit="procent", kind="one_plan", groups=("category", "plan", "plan_type"))
    def plan_aandeel_bsn(self, category=None, plan=None, row=None):
        """% of the category's participants with a BSN (A.8 / A.13) in the plan (or plans a|b);
        ``row`` may restrict the plans to a plan type."""
        return self._plan_share("deelnemers_bsn", category, plan, row)

    @statistic(unit="procent", kind="share", groups=("category", "plan_type"))
    def aandeel_grootste_plannen_bsn(self, category=None, rank=1, row=None):
        """% of the category's BSN participants (A.8 / A.13) in its ``rank`` largest plans."""
        return self._largest_share("deelnemers_bsn", category, rank, row)

    def _largest_share(self, name: str, category, rank, row=None) -> float:
        values = self._column(name, category, row).sort_values(ascending=False, kind="mergesort")
        if not rank or rank > len(values):
            raise NotComputable(f"{rank} grootste plannen bestaan niet ({len(values)} plannen)")
        return _pct(float(values.iloc[:rank].sum()), float(values.sum()))

    @statistic(unit="procent", kind="share", groups=("category", "plan_type"))
    def aandeel_overige_plannen_bsn(self, category=None, rank=1, row=None):
        """% of the category's BSN participants outside its ``rank`` largest plans."""
        return 100.0 - self.aandeel_grootste_plannen_bsn(category, rank, row)

    @statistic(unit="plan", kind="one_plan", groups=("category", "plan_type"))
    def plan_rang_bsn(self, category=None, rank=1, row=None):
        """Plan id of the ``rank``-th largest plan by BSN participants (A.8 / A.13) in the category."""
        return self._nth(self._column("deelnemers_bsn", category, row), rank, True)[0]

    # ---------------------------------------------------------------- plans past a threshold

    @statistic(unit="procent", kind="share")
    def deelnemers_gepland_aandeel(self, category=None):
        """Planned participants of the category (A.2 / A.10) as % of all planned participants."""
        return _pct(self.deelnemers_gepland(category), self.deelnemers_gepland())

    def _funding(self, column: str, category=None, plan=None) -> float:

        source = f"001/{TABLES[self.group]['financiering']}"
        key = plan or ("totaal" if category in (None, "", "totaal") else None)
        if key is None:
            raise NotComputable("financiering is per plan of voor het totaal gedrukt, niet per categorie")
        if key == "totaal" and not self.b.params.is_published_cohort:
            if self.group == "3":  # Tabel 6.3 lists every tranche 3 plan: sum the selected rows
                self._use(source)
                return float(self.b.funding.drop(index="totaal", errors="ignore")[column].sum())
            raise NotComputable(
                "Tabel 3.3 geeft alleen de 20 grootste plannen; het totaal is alleen voor alle plannen gedrukt"
            )
        if key not in self.b.funding.index:
            raise NotComputable(f"financiering van {plan_names([key])} staat niet in Tabel 3.3/6.3")
        self._read_cell(source)
        return float(self.b.funding.loc[key, column])

    @statistic(unit="euro", kind="total")
    def financiering_rijk(self, category=None, plan=None):
        return self._funding("rijk", category, plan)

    @statistic(unit="euro", kind="total")
    def financiering_sector(self, category=None, plan=None):
        return self._funding("sector", category, plan)

    @statistic(unit="euro", kind="total")
    def financiering_totaal(self, category=None, plan=None):
        return self._funding("totaal", category, plan)

    @statistic(unit="procent", kind="share")
    def aandeel_sector(self, category=None, plan=None):
        return _pct(self.financiering_sector(category, plan), self.financiering_totaal(category, plan))

    def _quickscan(self, table_id: str, row: str, group: str | None = None) -> pd.DataFrame:
        self._use(f"000/{table_id}")
        frame = published.table(table_id, source="000", metadata=False)
        frame = frame[frame["row"] == row]
        if group:
            frame = frame[frame["group"] == group]
        return frame

    @statistic(unit="aantal", kind="elsewhere")
    def ambitie_deelnemers_qs2(self):
        if self.group != "1-2":
            raise NotComputable("de quickscans geven alleen voor tranche 1-2 het beoogde aantal deelnemers")
        return float(self._quickscan("1", "Tijdens quickscan 2", "Beoogde ambities")["value"].iloc[0])

    @statistic(unit="aantal", kind="elsewhere")
    def ambitie_deelnemers(self):
        """The original ambition the evaluation measures realised participants against: quickscan 2
        for tranche 1-2 (seed 000 Tabel 1), the text of chapter 6 for tranche 3 (001/6.t1: 17.223,
        without the two plans that lapsed), which no quickscan gives."""
        if self.group == "1-2":
            return self.ambitie_deelnemers_qs2()
        return self.tabelwaarde(TRANCHE_3_AMBITION["deelnemers"], "tranche 3", "Beoogde deelnemers")

    @statistic(unit="procent", kind="elsewhere")
    def realisatie_tov_ambitie_deelnemers(self):
        return _pct(self.deelnemers_gerealiseerd(), self.ambitie_deelnemers())

    @statistic(unit="euro", kind="elsewhere")
    def ambitie_budget_qs2(self):
        """Rijk + sociale partners at quickscan 2 (tranche 1-2, seed 000 Tabel 2) or at the first
        report of tranche 3 (seed 000 Tabel 3, June 2016), in euro."""
        if self.group == "1-2":
            rows = self._quickscan("2", "Tijdens quickscan 2")
        else:
            self._use("000/3")
            rows = published.table("3", source="000", metadata=False)
            rows = rows[rows["line"] == rows["line"].iloc[0]]
        return float(rows["value"].sum()) * notation.scale("miljoen euro")

    @statistic(unit="euro", kind="elsewhere")
    def ambitie_budget(self):
        """The original budget ambition the evaluation measures spent budget against, in euro:
        quickscan 2 for tranche 1-2 (seed 000 Tabel 2), the text of chapter 6 for tranche 3 (001/6.t2:
        ruim € 116 miljoen, without the two plans that lapsed; the 2017 letter's first report of June
        2016, ``ambitie_budget_qs2``, still counts them)."""
        if self.group == "1-2":
            return self.ambitie_budget_qs2()
        return self.tabelwaarde(TRANCHE_3_AMBITION["budget"], "tranche 3", "Beoogd budget")

    @statistic(unit="procent", kind="elsewhere")
    def realisatie_tov_ambitie_budget(self):
        return _pct(self.budget_besteed(), self.ambitie_budget())


# The statistics a claim can name that the published tables compute (participant ones: PARTICIPANT).
DECLARATIONS = declarations(Indicators)
STATISTICS = list(DECLARATIONS)
