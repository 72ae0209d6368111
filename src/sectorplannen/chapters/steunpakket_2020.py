"""The 2020 learning and development measures (seed 004, Tabel 1) beside the sectorplannen."""

from __future__ import annotations

import pandas as pd

from sectorplannen import published
from sectorplannen.sources.register import TRANCHE_WORDS
from sectorplannen.statistics import bijlage
from sectorplannen.statistics.indicators import Indicators
from sectorplannen.statistics.selection import validate


def measures() -> pd.DataFrame:
    """Tabel 1 of the 2020 letter: budget per measure in 2020, 2021 and cumulative (millions)."""
    frame = published.table("1", source="004")
    out = frame.pivot_table(index="row", columns="category", values="value", aggfunc="first", sort=False)
    out.columns = [c.replace("Budget - ", "") for c in out.columns]
    out.index.name = "Maatregel"
    return out


def scale_comparison() -> pd.DataFrame:
    """What the sector maatwerktrajecten inherit in scale: their budget against the Rijk's
    co-financing of the sectorplannen (Tabel 3.3 and 6.3) and the participants it reached."""
    maatwerk = measures().loc["Maatwerk-trajecten vanuit sectoren", "Cum."] * 1e6
    rows = []
    for group in ("1-2", "3"):
        label = f"Sectorplannen {TRANCHE_WORDS[group]}"
        ind = Indicators(bijlage.load(validate(tranche=group)))
        rijk = ind.financiering_rijk(category="totaal")
        rows.append(
            {
                "Regeling": label,
                "Cofinanciering Rijk": rijk,
                "Deelnemers": ind.deelnemers_gerealiseerd(),
                "Maatwerktrajecten 2020-2021 als % van deze cofinanciering": 100 * maatwerk / rijk,
            }
        )
    rows.append(
        {"Regeling": "Maatwerktrajecten vanuit sectoren (steunpakket 2020-2021)", "Cofinanciering Rijk": maatwerk}
    )
    return pd.DataFrame(rows).set_index("Regeling")
