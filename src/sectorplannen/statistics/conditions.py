"""Conditions on plans, as a claim writes them: which plans a sentence counts or names.

A claim that counts plans past a threshold ("op drie plannen na is de realisatie tussen de 64 en
123 procent") or names a group of plans ("de 18 regionale zorgplannen") writes it in one text
field, so the ledger computes the sentence and not a number worked out by hand:

- a *condition* (column ``row`` of :meth:`Indicators.plannen_aantal`): comparisons of per-plan
  values joined by ``;`` (and), alternatives joined by ``|`` (or), e.g.
  ``realisatie_budget<64 | realisatie_budget>123`` or
  ``realisatie_deelnemers>=124; deelnemers_gerealiseerd<100``;
- a *selector* (a part of column ``plan``): register fields joined by ``&``, e.g.
  ``plan_type=regionaal&cluster=zorg``, beside plain plan ids (``bouw|openbaar-vervoer``).

A part that cannot be read raises ValueError naming it; the statistics report it as not computable.
"""

from __future__ import annotations

import operator
import re

import pandas as pd

_OPERATORS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt, "=": operator.eq}
_COMPARISON = re.compile(r"^\s*([a-z_]+)\s*(<=|>=|<|>|=)\s*(-?\d+(?:\.\d+)?)\s*$")
SELECTOR_FIELDS = ("plan_type", "cluster")


def comparisons(condition: str) -> list[list[tuple[str, str, float]]]:
    """The condition as alternatives (or) of comparisons (and): ``[[(variable, op, number)]]``."""
    alternatives = []
    for alternative in str(condition or "").split("|"):
        parts = []
        for part in alternative.split(";"):
            match = _COMPARISON.match(part)
            if not match:
                raise ValueError(f"voorwaarde {part.strip()!r}: schrijf variabele<getal, >, <=, >= of =")
            parts.append((match.group(1), match.group(2), float(match.group(3))))
        alternatives.append(parts)
    return alternatives


def variables(condition: str) -> set[str]:
    """The per-plan variables a condition compares."""
    return {variable for alternative in comparisons(condition) for variable, _, _ in alternative}


def holds(condition: str, values: pd.DataFrame) -> pd.Series:
    """Per plan (the rows of ``values``, one column per variable): does the condition hold?
    A plan without a value for a compared variable (no planned participants for a rate) fails
    that comparison."""
    result = pd.Series(False, index=values.index)
    for alternative in comparisons(condition):
        met = pd.Series(True, index=values.index)
        for variable, op, number in alternative:
            column = values[variable]
            met &= column.notna() & _OPERATORS[op](column, number)
        result |= met
    return result


def named(plan: str, plans: list) -> list[str]:
    """The plan ids ``plan`` names among ``plans`` (register entries): ids and selectors joined by
    ``|``, in the order named, each once. An id outside ``plans`` is returned as is (the caller
    says it is not in the selection)."""
    ids: list[str] = []
    for token in (t.strip() for t in str(plan or "").split("|")):
        if not token:
            continue
        if "=" not in token:
            ids.append(token)
            continue
        wanted = {}
        for part in token.split("&"):
            key, _, value = part.partition("=")
            if key.strip() not in SELECTOR_FIELDS or not value.strip():
                raise ValueError(f"plankeuze {part.strip()!r}: alleen {', '.join(SELECTOR_FIELDS)}")
            wanted[key.strip()] = value.strip()
        ids.extend(p.id for p in plans if all(getattr(p, k) == v for k, v in wanted.items()))
    return list(dict.fromkeys(ids))
