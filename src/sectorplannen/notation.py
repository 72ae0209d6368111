"""Numbers as the report prints them: Dutch notation and rounding half up."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

# Units printed in thousands or millions, and their factor to the base unit (persons, euros); every
# other unit (aantal, euro, procent, a rank) is printed in its base unit.
UNIT_SCALE = {"duizend": 1e3, "duizend euro": 1e3, "miljoen euro": 1e6}


def scale(unit: str) -> float:
    """The factor from a printed unit to its base unit: 1e6 for 'miljoen euro', 1 for 'procent'."""
    return UNIT_SCALE.get(unit, 1.0)


def round_half_up(value: float, digits: int = 0) -> float:
    """Round as the report does (0,5 up), not as Python's banker's rounding."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def getal(value: float | None, decimals: int = 0) -> str:
    """Dutch number: 296.145; 23,4; '' for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    rounded = round_half_up(float(value), decimals)
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def exact(value: float | None, max_decimals: int = 4) -> str:
    """Dutch number with the decimals the value has (at most ``max_decimals``): 14.312; 19,9614;
    18.574.000. For listings of computed values, where the report's rounding is not known."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = getal(value, max_decimals)
    return text.rstrip("0").rstrip(",") if "," in text else text


def procent(value: float | None, decimals: int = 0) -> str:
    """Dutch percentage: 96%."""
    text = getal(value, decimals)
    return f"{text}%" if text else ""


def euro(value: float | None, decimals: int = 0) -> str:
    """Dutch euro amount: € 1.000.412.943."""
    text = getal(value, decimals)
    return f"€ {text}" if text else ""


def miljoen(value: float | None, decimals: int = 0) -> str:
    """An amount in euro as '€ 978 miljoen'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"€ {getal(value / 1e6, decimals)} miljoen"
