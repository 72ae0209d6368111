"""Chapter parameters: one validated object, with clear errors before any work is done.

Every chapter notebook starts with a papermill ``parameters`` cell and passes its values to
:func:`validate`. A wrong value raises :class:`ParameterError` naming the parameter and listing
the valid values.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from sectorplannen.plans import TRANCHE_GROUPS, register

TRANCHES = tuple(TRANCHE_GROUPS)  # '1', '2', '1-2', '3'


class ParameterError(ValueError):
    """A chapter parameter with a wrong type or value."""


@dataclass(frozen=True)
class ChapterParams:
    """The validated parameters of a plan-level chapter (inhoud, uitvoering)."""

    tranche: str = "1-2"
    exclude_plans: tuple[str, ...] = ()  # plan ids
    top_n: int = 20
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def tranche_group(self) -> str:
        """The Bijlage A tables the chapter reads: '1-2' (also for '1' or '2' alone) or '3'."""
        return "3" if self.tranche == "3" else "1-2"

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
                plan = plans.resolve(value, "3" if tranche == "3" else "1-2")
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


def validate(tranche="1-2", exclude_plans=(), top_n=20, **extra) -> ChapterParams:
    """Check the chapter parameters and return them as one object."""
    if not isinstance(tranche, str | int) or str(tranche) not in TRANCHES:
        raise ParameterError(f"tranche must be one of {', '.join(map(repr, TRANCHES))}, not {tranche!r}")
    tranche = str(tranche)
    if isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1:
        raise ParameterError(f"top_n must be a whole number of at least 1, not {top_n!r}")
    return ChapterParams(
        tranche=tranche, exclude_plans=_plan_ids(exclude_plans or (), tranche), top_n=top_n, extra=extra
    )


@dataclass(frozen=True)
class ParticipantParams:
    """The validated parameters of the participant-level chapter (arbeidsmarktpositie)."""

    tranche: str = "1-2"
    measurement_date: str = "2019"
    exclude_plans: tuple[str, ...] = ()
    min_cell_size: int = 10
    data_source: str = "synthetic"

    @property
    def tranche_group(self) -> str:
        return "3" if self.tranche == "3" else "1-2"

    @property
    def is_published_cohort(self) -> bool:
        return self.tranche in ("1-2", "3") and not self.exclude_plans and self.measurement_date == "2019"

    @property
    def synthetic(self) -> bool:
        return self.data_source == "synthetic"


def validate_participant(
    tranche="1-2", measurement_date="2019", exclude_plans=(), min_cell_size=10, data_source="synthetic", **extra
) -> ParticipantParams:
    """Check the parameters of the participant-level chapter before any work is done."""
    if extra:
        raise ParameterError(f"unknown parameter(s): {', '.join(sorted(extra))}")
    base = validate(tranche=tranche, exclude_plans=exclude_plans)
    date = str(measurement_date)
    if date[:4] in ("2017", "2018", "2019") and date[4:] in ("", "-05-31"):
        date = date[:4]
    else:
        raise ParameterError(
            f"measurement_date must be 2017, 2018 or 2019 (31 May of that year), not {measurement_date!r}"
        )
    if isinstance(min_cell_size, bool) or not isinstance(min_cell_size, int) or min_cell_size < 1:
        raise ParameterError(f"min_cell_size must be a whole number of at least 1, not {min_cell_size!r}")
    if not isinstance(data_source, str) or not data_source:
        raise ParameterError(
            f"data_source must be 'synthetic' or the path of a participant extract, not {data_source!r}"
        )
    return ParticipantParams(base.tranche, date, base.exclude_plans, min_cell_size, data_source)
