"""What every statistic shares: the error that says the data cannot give it, what a value was
made from (:class:`Provenance`), a percentage that refuses a zero denominator, and plans and
categories named as the report names them in such a message (it reaches the reader's ledger)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sectorplannen.sources import categories
from sectorplannen.sources.register import register


class NotComputable(LookupError):
    """The data the project has cannot give this statistic (the message says why)."""


def pct(part: float, whole: float) -> float:
    """100 x part / whole; not computable without a denominator."""
    if not whole or (isinstance(whole, float) and math.isnan(whole)):
        raise NotComputable("deler is nul of ontbreekt")
    return 100.0 * part / whole


def plan_names(ids: Iterable[str]) -> str:
    """Plans as the report names them ('Transport' for ``transport-t3``), joined by commas."""
    plans = register()
    names = []
    for plan_id in ids:
        try:
            names.append(plans.get(plan_id).name)
        except KeyError:
            names.append(str(plan_id))
    return ", ".join(names)


def category_names(ids: Iterable[str]) -> str:
    """Themes and trajectory types as the report names them ('Van WW naar baan'), joined by commas."""
    labels = {e["id"]: e["label"] for axis in categories.categories().values() for e in axis}
    return ", ".join(labels.get(c, str(c)) for c in ids)


REGISTER = "plannenregister"


PARTICIPANT_FILE = "deelnemersbestand"


@dataclass(frozen=True)
class Provenance:
    """What one computed value was made from: the published tables (``seed/id``), the plan
    register or the participant file it read, and whether it is one printed cell read back."""

    inputs: tuple[str, ...] = ()
    cell: str | None = None  # the table whose single printed cell *is* the value
    lines: tuple[str, ...] = ()  # the printed lines of the cells read (``N`` or ``N-M``)
