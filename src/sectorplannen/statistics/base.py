"""What every statistic shares: the error that says the data cannot give it, what a value was
made from (:class:`Provenance`), and a percentage that refuses a zero denominator."""

from __future__ import annotations

import math
from dataclasses import dataclass


class NotComputable(LookupError):
    """The data the project has cannot give this statistic (the message says why)."""


def pct(part: float, whole: float) -> float:
    """100 x part / whole; not computable without a denominator."""
    if not whole or (isinstance(whole, float) and math.isnan(whole)):
        raise NotComputable("deler is nul of ontbreekt")
    return 100.0 * part / whole


REGISTER = "plannenregister"


PARTICIPANT_FILE = "deelnemersbestand"


@dataclass(frozen=True)
class Provenance:
    """What one computed value was made from: the published tables (``seed/id``), the plan
    register or the participant file it read, and whether it is one printed cell read back."""

    inputs: tuple[str, ...] = ()
    cell: str | None = None  # the table whose single printed cell *is* the value
    lines: tuple[str, ...] = ()  # the printed lines of the cells read (``N`` or ``N-M``)
