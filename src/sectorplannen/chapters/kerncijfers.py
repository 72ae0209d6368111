"""Tabel S.1 and 10.1: the key figures of both tranche groups side by side, recomputed.

Every row is computed with :class:`~sectorplannen.statistics.indicators.Indicators` from the plan-level data
(Bijlage A, Tabel 3.3 / 6.3 and the quickscans) and set beside the printed value. Rows the project
has no data for (the youth shares) say so instead of showing a number.
"""

from __future__ import annotations

import pandas as pd

from sectorplannen import notation, published
from sectorplannen.errors import ParameterError
from sectorplannen.sources.register import register
from sectorplannen.statistics import bijlage
from sectorplannen.statistics.indicators import Indicators, NotComputable
from sectorplannen.statistics.selection import validate

# (row label as printed in Tabel 10.1, statistic, keyword arguments, unit for display)
ROWS = [
    ("Aantal bereikte deelnemers", "deelnemers_gerealiseerd", {}, "duizend"),
    ("Aandeel deelnemers onder 27 jaar", None, {}, "procent"),
    ("Aantal bereikte deelnemers t.o.v. initiële ambitie", "realisatie_tov_ambitie_deelnemers", {}, "procent"),
    ("Totaal budget exclusief overhead", "budget_besteed", {}, "miljoen euro"),
    ("Totaal budget inclusief overhead", "financiering_totaal", {"category": "totaal"}, "miljoen euro"),
    ("Aantal totaal budget t.o.v. initiële ambitie", "realisatie_tov_ambitie_budget", {}, "procent"),
    (
        "Eigen financiering vanuit sectoren/regio’s/individuele werkgevers",
        "financiering_sector",
        {"category": "totaal"},
        "miljoen euro",
    ),
    ("Cofinanciering vanuit Rijksoverheid", "financiering_rijk", {"category": "totaal"}, "miljoen euro"),
    ("Aandeel totaal budget voor jongeren onder 27 jaar", None, {}, "procent"),
    ("Aandeel cofinanciering voor jongeren onder 27 jaar", None, {}, "procent"),
]


COLUMNS = {"1-2": "Tranche 1 en 2", "3": "Tranche 3"}


def split_exclusions(exclude_plans) -> dict[str, list[str]]:
    """Plans to leave out, per tranche group (names or ids of either group)."""

    out = {"1-2": [], "3": []}
    for value in exclude_plans or []:
        hits = [g for g in out if _known(value, g)]
        if not hits:
            raise ParameterError(f"exclude_plans: unknown plan {value!r}; see data/published/plans.csv")
        if len(hits) > 1:
            ids = [register().resolve(value, g).id for g in hits]
            raise ParameterError(f"exclude_plans: {value!r} is a plan in both tranche groups; use an id: {ids}")
        out[hits[0]].append(value)
    return out


def _known(value: str, group: str) -> bool:

    try:
        plan = register().lookup(value) if value in {p.id for p in register()} else register().resolve(value, group)
    except KeyError:
        return False
    return plan.tranche_group == group


def indicators(exclude_plans=()) -> dict[str, Indicators]:
    excluded = split_exclusions(exclude_plans)
    return {g: Indicators(bijlage.load(validate(tranche=g, exclude_plans=excluded[g]))) for g in COLUMNS}


def table(exclude_plans=()) -> pd.DataFrame:
    """Tabel 10.1 recomputed (values in the printed unit), with the printed values beside it."""
    printed = published.table("10.1")
    per_group = indicators(exclude_plans)
    rows = []
    for label, statistic, kwargs, unit in ROWS:
        row = {"Kerncijfer": label, "Eenheid": unit}
        for group, column in COLUMNS.items():
            cell = printed[(printed["row"] == label) & (printed["category"] == column)]
            row[f"{column} (gedrukt)"] = cell["printed"].iloc[0] if not cell.empty else ""
            value, reason = None, ""
            if statistic is None:
                reason = "geen gegevens per plan of deelnemer"
            else:
                try:
                    value = per_group[group].compute(statistic, **kwargs) / notation.scale(unit)
                except NotComputable as exc:
                    reason = str(exc)
            row[f"{column} (berekend)"] = value
            row[f"{column} (toelichting)"] = reason
        rows.append(row)
    return pd.DataFrame(rows).set_index("Kerncijfer")
