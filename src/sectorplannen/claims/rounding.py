"""What a printed number allows: the interval its rounding step and qualifier ('ruim', 'bijna') cover."""

from __future__ import annotations

import math

from sectorplannen.notation import getal, round_half_up


def interval(published: float, step: float, qualifier: str) -> tuple[float, float, bool, bool]:
    """The values a computed number may take for the report to print ``published`` with this
    rounding ``step`` and ``qualifier``: ``(low, high, low_included, high_included)``.

    Unqualified numbers are rounded half up; *ongeveer* allows half a step either way; *ruim* and
    *bijna* mean just above and just below (within a step); *meer dan* and *minder dan* are open."""
    half = step / 2
    bounds = {
        "": (published - half, published + half, True, False),
        "ongeveer": (published - half, published + half, True, True),
        "ruim": (published, published + step, False, False),
        "bijna": (published - step, published, False, False),
        "meer dan": (published, math.inf, False, False),
        "minder dan": (-math.inf, published, False, False),
    }
    if qualifier not in bounds:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    return bounds[qualifier]


def round_to_step(value: float, step: float) -> float:
    """``value`` at the claim's own rounding (half up): 87,3 with step 1 gives 87."""
    digits = max(0, -math.floor(math.log10(step) + 1e-9))
    return round_half_up(round_half_up(value / step, 0) * step, digits)


def format_step(value: float, step: float, extra: int = 0) -> str:
    """A value at the rounding of a printed number, in Dutch notation (87; 2,5; 18.816): the
    ledger sets the computed value beside the published one in the same notation. ``extra``
    decimals show what a qualifier (ruim, bijna, ongeveer) speaks about."""

    return getal(value, max(0, -math.floor(math.log10(step) + 1e-9)) + extra)


def matches(computed: float, published: float, step: float, qualifier: str) -> bool:
    """Does the computed value, in the claim's unit, give the printed number?"""
    low, high, low_in, high_in = interval(published, step, qualifier)
    tol = max(step * 1e-9, abs(published) * 1e-12)  # float noise, far below any rounding step
    above = computed >= low - tol if low_in else computed > low + tol
    below = computed <= high + tol if high_in else computed < high - tol
    return above and below
