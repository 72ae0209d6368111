"""The selection of plans a chapter is computed for: tranche, plans left out, the n largest shown.

A wrong value raises :class:`~sectorplannen.errors.ParameterError` naming the parameter and the valid values."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sectorplannen.errors import ParameterError
from sectorplannen.sources.register import TRANCHE_GROUPS, register, tranche_group

TRANCHES = tuple(TRANCHE_GROUPS)  # '1', '2', '1-2', '3'


@dataclass(frozen=True)
class ChapterParams:
    """The validated parameters of a plan-level chapter (inhoud, uitvoering)."""

    tranche: str = "1-2"
    exclude_plans: tuple[str, ...] = ()  # plan ids
    top_n: int = 20

    @property
    def tranche_group(self) -> str:
        """The Bijlage A tables the chapter reads: '1-2' (also for '1' or '2' alone) or '3'."""
        return tranche_group(self.tranche)

    @property
    def is_published_cohort(self) -> bool:
        """True when the parameters select what the report published (so claims apply)."""
        return self.tranche in ("1-2", "3") and not self.exclude_plans


def _plan_ids(values, tranche: str) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple):
        raise ParameterError(f"exclude_plans must be a list of plan names or ids, not {type(values).__name__}")
    plans = register()
    group = plans.in_group(tranche)
    valid = {p.id: p for p in group}
    out = []
    for value in values:
        if not isinstance(value, str):
            raise ParameterError(f"exclude_plans: {value!r} is not a plan name or id")
        plan = valid.get(value)
        if plan is None:
            try:
                plan = plans.resolve(value, tranche_group(tranche))
            except KeyError:
                names = [p.name for p in group] + list(valid)
                close = difflib.get_close_matches(value, names, n=3)
                hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
                raise ParameterError(
                    f"exclude_plans: unknown plan {value!r} for tranche {tranche}.{hint} Valid plans: "
                    + ", ".join(sorted(p.name for p in group))
                ) from None
            if plan.id not in valid:
                raise ParameterError(f"exclude_plans: plan {value!r} is not in tranche {tranche}")
        out.append(plan.id)
    return tuple(sorted(set(out)))


def _keep_one_plan(tranche: str, excluded: tuple[str, ...]) -> None:
    """Refuse a selection without plans: every table and figure of the chapter would be empty."""
    if all(p.id in excluded for p in register().in_group(tranche)):
        raise ParameterError(f"exclude_plans leaves no plan of tranche {tranche}: keep at least one")


def validate(tranche="1-2", exclude_plans=(), top_n=20) -> ChapterParams:
    """Check the values of a selection of plans and return it as one object (the names of a run's
    parameters are the registry's to check, once, in ``registry.resolve``)."""
    if not isinstance(tranche, str | int) or str(tranche) not in TRANCHES:
        raise ParameterError(f"tranche must be one of {', '.join(map(repr, TRANCHES))}, not {tranche!r}")
    tranche = str(tranche)
    if isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1:
        raise ParameterError(f"top_n must be a whole number of at least 1, not {top_n!r}")
    excluded = _plan_ids(exclude_plans or (), tranche)
    _keep_one_plan(tranche, excluded)
    return ChapterParams(tranche=tranche, exclude_plans=excluded, top_n=top_n)
