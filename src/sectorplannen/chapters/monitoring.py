"""The course of the scheme over time: the progress letters' quickscans beside the end figures.

Seed 002 (2014) gives the first-period approvals per plan; seed 000 (2017) the ambitions and
reached participants at quickscans 2-5 and the financing per quickscan; the final evaluation gives
the end figures (Bijlage A, Tabel 3.3 / 6.3). Plans are joined through the plan register.
"""

from __future__ import annotations

import pandas as pd

from sectorplannen import published
from sectorplannen.statistics import bijlage
from sectorplannen.statistics.indicators import Indicators
from sectorplannen.statistics.selection import validate


def _quickscan_number(label: str) -> str:
    return label.replace("Tijdens ", "").replace("Voortgangsbrief juni 2016", "voortgangsbrief juni 2016")


def participants(end: Indicators | None = None) -> pd.DataFrame:
    """Tranche 1-2: intended and reached participants per quickscan, and the end figures."""
    frame = published.table("1", source="000")
    out = frame.pivot_table(index=["row", "peilmoment"], columns="group", values="value", aggfunc="first", sort=False)
    out = out.reset_index()
    out.columns.name = None
    out = out.rename(columns={"row": "Rapportage", "peilmoment": "Peilmoment"})
    out["Rapportage"] = out["Rapportage"].map(_quickscan_number)
    end = end or Indicators(bijlage.load(validate(tranche="1-2")))
    final = {
        "Rapportage": "eindevaluatie (Bijlage A)",
        "Peilmoment": "einddeclaraties",
        "Beoogde ambities": end.deelnemers_gepland(),
        "Bereikte deelnemers": end.deelnemers_gerealiseerd(),
    }
    out = pd.concat([out, pd.DataFrame([final])], ignore_index=True)
    out["Bereikt als % van beoogd"] = 100 * out["Bereikte deelnemers"] / out["Beoogde ambities"]
    return out.set_index("Rapportage")


def financing(tranche: str = "1-2") -> pd.DataFrame:
    """Co-financing by the Rijk and the social partners per report (millions of euros), with the
    end figures of Tabel 3.3 / 6.3 (incl. overhead)."""
    table_id = "2" if tranche == "1-2" else "3"
    frame = published.table(table_id, source="000")
    out = frame.pivot_table(
        index=["row", "peilmoment"], columns="category", values="value", aggfunc="first", sort=False
    ).reset_index()
    out.columns.name = None
    out = out.rename(
        columns={
            "row": "Rapportage",
            "peilmoment": "Peilmoment",
            "Cofinanciering - Rijk": "Rijk",
            "Cofinanciering - sociale partners": "Sociale partners",
        }
    )
    out["Rapportage"] = out["Rapportage"].map(_quickscan_number)
    funding = bijlage.funding_rows("3.3" if tranche == "1-2" else "6.3").loc["totaal"]
    final = {
        "Rapportage": "eindevaluatie (Tabel 3.3)" if tranche == "1-2" else "eindevaluatie (Tabel 6.3)",
        "Peilmoment": "einddeclaraties",
        "Rijk": funding["rijk"] / 1e6,
        "Sociale partners": funding["sector"] / 1e6,
    }
    out = pd.concat([out, pd.DataFrame([final])], ignore_index=True)
    out["Totaal"] = out["Rijk"] + out["Sociale partners"]
    return out.set_index("Rapportage")


def first_period() -> pd.DataFrame:
    """The 24 first-period approvals (2014) per plan beside the plan's end figures."""
    letter = published.table("1", source="002")
    letter = letter[~letter["is_total_row"]]
    end = bijlage.load(validate(tranche="1"))
    per_plan = pd.DataFrame(
        {
            "gerealiseerd_deelnemers": end["deelnemers_gerealiseerd"].sum(axis=1, min_count=1),
            "besteed_budget": end["budget_besteed"].sum(axis=1, min_count=1),
        }
    )
    rijk = bijlage.funding_rows("3.3")["rijk"]
    rows = []
    for cell in letter.itertuples(index=False):
        plan = cell.plan_id
        rows.append(
            {
                "Sector (2014)": cell.row,
                "Plan (eindevaluatie)": end.names().get(plan, "ingetrokken"),
                "Toegekende cofinanciering 2014": cell.value * 1000,
                "Cofinanciering Rijk eind (Tabel 3.3)": rijk.get(plan, float("nan")),
                "Besteed budget eind (A.6)": per_plan["besteed_budget"].get(plan, float("nan")),
                "Gerealiseerde deelnemers (A.3)": per_plan["gerealiseerd_deelnemers"].get(plan, float("nan")),
            }
        )
    return pd.DataFrame(rows).set_index("Sector (2014)")
