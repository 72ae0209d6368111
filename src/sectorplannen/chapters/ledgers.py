"""The ledger of every chapter for the published selection, computed without running the notebooks
(``make verify`` and the tests compare them with the report)."""

from __future__ import annotations

import pandas as pd

from sectorplannen import claims, datakind
from sectorplannen.chapters.registry import REGISTRY
from sectorplannen.statistics import bijlage
from sectorplannen.statistics.indicators import Indicators
from sectorplannen.statistics.selection import validate


def published_ledgers() -> dict[str, pd.DataFrame]:
    """By chapter notebook, and tranche group for the chapters that have one (``uitvoering 3``).
    The participant chapter is left out (it is checked on participant data, in its own run), and so
    are chapters that reproduce no printed number."""
    out = {}
    for entry in REGISTRY:
        if entry.data != datakind.PUBLISHED or not entry.claims:
            continue
        if "" in entry.numbers:
            out[entry.notebook] = claims.ledger(entry.notebook)
            continue
        for group in entry.numbers:
            frame = claims.ledger(entry.notebook, group, Indicators(bijlage.load(validate(tranche=group))))
            if not frame.empty:
                out[f"{entry.notebook} {group}"] = frame
    return out
