"""The series of the report's figures that no chapter table already gives: the spread of the plans'
realisation per theme or type (Figuur A.1, A.3, A.5, A.6), the realisation per plan (A.2, A.4, A.7),
the plans with realised participants per type (5.1) and the participant groups each figure of
chapters 4 and 7 shows. Computed from Bijlage A (plan figures) or the chapter's disclosure-controlled
shares (participant figures), never from a printed chapter table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sectorplannen import notation
from sectorplannen.sources.categories import labels
from sectorplannen.statistics.bijlage import Bijlage

# The classes of Figuur A.1, A.3, A.5 and A.6. The report's figures are images: only the top class
# ('110% en hoger', footnotes 37 and 38) is named in its text; the lower bounds are this project's.
RATE_BINS = (
    (0.0, 50.0, "Minder dan 50%"),
    (50.0, 90.0, "50% tot 90%"),
    (90.0, 110.0, "90% tot 110%"),
    (110.0, np.inf, "110% en hoger"),
)


def rate_classes(planned: pd.DataFrame, realised: pd.DataFrame) -> pd.DataFrame:
    """Per category the number of plans in each class of realisation (realised as % of planned).
    A plan with nothing planned in a category but something realised counts as '110% en hoger'
    (the report's footnotes 37 and 38); a plan with neither does not count."""
    counts = {}
    for category in planned.columns:
        plan, real = planned[category], realised[category]
        has_plan = plan.fillna(0) > 0
        rate = pd.Series(np.where(has_plan, 100 * real.fillna(0) / plan.where(has_plan, 1), np.inf), index=plan.index)
        rate = rate[has_plan | (real.fillna(0) > 0)]
        counts[category] = {
            label: int(((rate >= low) & ((rate < high) | (high == np.inf))).sum()) for low, high, label in RATE_BINS
        }
    return pd.DataFrame(counts).T[[label for *_, label in RATE_BINS]]


def realisation_classes(b: Bijlage, measure: str) -> pd.DataFrame:
    """Figuur A.1 / A.5 (``measure`` 'deelnemers') or A.3 / A.6 ('budget'): plans per class of
    realisation per theme or type, rows labelled as the report labels the categories."""
    planned, realised = (
        (b["deelnemers_gepland"], b["deelnemers_gerealiseerd"])
        if measure == "deelnemers"
        else (b["budget_gepland"], b["budget_besteed"])
    )
    frame = rate_classes(planned, realised)
    frame.index = [labels(b.categories)[c] for c in frame.index]
    return frame


def plans_with_realised(b: Bijlage) -> pd.Series:
    """Figuur 5.1: per type of trajectory the number of plans with at least one realised participant."""
    realised = b["deelnemers_gerealiseerd"].fillna(0) > 0
    counts = realised.sum().astype(int)
    counts.index = [labels(b.categories)[c] for c in counts.index]
    return counts


# Figuur 4.x and 7.x: which rows of which disclosure-controlled share table (chapters.arbeidsmarktpositie)
# each figure shows. A theme's figure shows the theme beside all participants of the tranche group, as
# the report's figures do ('Totaal'); None: every row of the table.
PARTICIPANT_FIGURES = {
    "4.1": ("inkomen_maatregel", None),
    "4.2": ("werkgever", "Arbeidsmobiliteit"),
    "4.3": ("baanwisselaars", "Arbeidsmobiliteit"),
    "4.4": ("uren", "Arbeidsmobiliteit"),
    "4.5": ("inkomen", "Loopbaancheck en -advies"),
    "4.6": ("werkgever", "Loopbaancheck en -advies"),
    "4.7": ("inkomen", "Om- en bijscholing"),
    "4.8": ("werkgever", "Om- en bijscholing"),
    "4.9": ("baanwisselaars", "Om- en bijscholing"),
    "4.10": ("uren", "Om- en bijscholing"),
    "4.11": ("inkomen_start", None),
    "4.12": ("werkgever", "Leerwerkplekken"),
    "4.13": ("baanwisselaars", "Leerwerkplekken"),
    "4.14": ("uren_leerwerkplekken", None),
    "4.15": ("inkomen", "Gezondheid"),
    "4.16": ("werkgever", "Gezondheid"),
    "4.17": ("uren", "Gezondheid"),
    "4.18": ("inkomen", "Overige maatregelen"),
    "7.1": ("inkomen", None),
    "7.2": ("inkomen_start", None),
    "7.3": ("werkgever", None),
    "7.4": ("baanwisselaars", None),
    "7.5": ("uren", None),
}
# What the 'Totaal' row of a table restricted to one group is (inkomen_maatregel: arbeidsmobiliteit;
# inkomen_start and uren_leerwerkplekken of tranche 1-2: leerwerkplekken).
_TOTAL_OF = {"inkomen_maatregel": "Arbeidsmobiliteit", "uren_leerwerkplekken": "Leerwerkplekken"}


_DESCRIPTIONS = {
    "inkomen": "Inkomenssituatie",
    "inkomen_maatregel": "Inkomenssituatie per maatregel van arbeidsmobiliteit",
    "inkomen_start": {
        "1-2": "Inkomenssituatie van deelnemers aan leerwerkplekken per doelgroep vooraf",
        "3": "Inkomenssituatie per soort plan",
    },
    "werkgever": "Werkgever en sector ten opzichte van de start (met een baan)",
    "baanwisselaars": "Contract van deelnemers met een nieuwe baan",
    "uren": "Uren van deelnemers met een baan",
    "uren_leerwerkplekken": "Uren van werkende deelnemers aan leerwerkplekken per doelgroep",
}


def participant_title(number: str, tranche_group: str) -> str:
    """A short title of what Figuur ``number`` shows, for the image (the caption gives the report's)."""
    key, row = PARTICIPANT_FIGURES[number]
    words = _DESCRIPTIONS[key]
    words = words[tranche_group] if isinstance(words, dict) else words
    return f"{words}: {row.lower()}" if row else words


def participant_series(shares: dict[str, pd.DataFrame], number: str, tranche_group: str) -> pd.DataFrame:
    """The shares (%) Figuur ``number`` (4.1-4.18, 7.1-7.5) shows, one row per bar, labelled with its
    number of participants as the report labels its bars ('Arbeidsmobiliteit (18.816)'); rows the
    selection does not have (a plan left out) are left out. Suppressed cells stay empty."""
    key, row = PARTICIPANT_FIGURES[number]
    table = shares[key]
    total = "Totaal tranches 1 en 2" if tranche_group == "1-2" else "Totaal tranche 3"  # as Figuur 4.1 labels it
    if key == "inkomen_start" and tranche_group == "1-2":
        total = "Leerwerkplekken"
    names = {"Totaal": _TOTAL_OF.get(key, total)}
    if key == "inkomen_maatregel":  # beside the whole tranche group, as Figuur 4.1 does
        table = pd.concat([shares["inkomen"].loc[["Totaal"]].rename(index={"Totaal": total}), table])
    elif row is not None:
        table = table.loc[[r for r in ("Totaal", row) if r in table.index]]
    table = table.rename(index=names)
    counts = table["n"]
    table = table.drop(columns="n")
    table.index = [
        f"{name} ({notation.getal(n)})" if pd.notna(n) else name for name, n in zip(table.index, counts, strict=True)
    ]
    return table
