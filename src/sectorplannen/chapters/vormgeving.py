"""Chapter 9 (vormgeving): the quantified parts, computed from the plan register."""

from __future__ import annotations

import pandas as pd

from sectorplannen import published
from sectorplannen.sources.register import register


def regional_share() -> pd.DataFrame:
    """Figuur 9.1: regional plans per tranche (register), beside the numbers the text prints (9.t1)."""
    printed = published.table("9.t1")
    rows = []
    for tranche in (1, 2, 3):
        plans = [p for p in register().in_group(str(tranche))]
        regional = [p for p in plans if p.plan_type == "regionaal"]
        label = f"Tranche {tranche}"
        text = printed[printed["row"] == f"tranche {tranche}"].set_index("category")["value"]
        rows.append(
            {
                "Tranche": label,
                "Plannen (register)": len(plans),
                "Regionaal (register)": len(regional),
                "Aandeel regionaal (register)": 100 * len(regional) / len(plans),
                "Regionaal zorg (register)": sum(p.cluster == "zorg" for p in regional),
                "Regionaal (tekst)": text.get("Regionale plannen", float("nan")),
                "Aandeel regionaal (tekst)": text.get("Aandeel regionaal", float("nan")),
                "Regionaal zorg (tekst)": text.get("Waarvan in de zorg", float("nan")),
            }
        )
    return pd.DataFrame(rows).set_index("Tranche")
