"""Tabel S.1 and 10.1: the key figures of both tranche groups side by side, recomputed.

Every row is computed with :class:`~sectorplannen.statistics.indicators.Indicators` from the plan-level data
(Bijlage A, Tabel 3.3 / 6.3 and the quickscans) and set beside the printed value. Rows the project
has no data for (the youth shares) say so instead of showing a number.
"""

from __future__ import annotations

import pandas as pd

from sectorplannen import notation, published
from sectorplannen.sources.register import TRANCHE_WORDS
from sectorplannen.statistics import bijlage
from sectorplannen.statistics.indicators import Indicators, NotComputable
from sectorplannen.statistics.selection import ChapterParams

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


COLUMNS = {group: TRANCHE_WORDS[group].capitalize() for group in ("1-2", "3")}  # as Tabel 10.1 heads them


def indicators(selections: dict[str, ChapterParams]) -> dict[str, Indicators]:
    """The statistics of each tranche group for its selection of plans."""
    return {g: Indicators(bijlage.load(selections[g])) for g in COLUMNS}


def table(spec) -> pd.DataFrame:
    """Tabel 10.1 recomputed (values in the printed unit) for the run's selection of plans in each
    tranche group (``spec``: the run's :class:`~sectorplannen.chapters.registry.RunSpec`), with the
    printed values beside it."""
    printed = published.table("10.1")
    per_group = indicators(dict(spec.selections))
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
