"""The plan register: every sectorplan of the three tranches, its names and its kind.

The register is kept by hand in ``data/raw/plans.yaml`` (with the evidence for every
classification) and written to ``data/published/plans.csv`` by ``make data``. Tables name plans
as printed; :meth:`PlanRegister.resolve` maps a printed name (or alias) within a tranche group to
its plan, and an unknown name is an error.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sectorplannen import paths, yamlfile
from sectorplannen.errors import DataFileError, ParameterError, UnknownPlanError

if TYPE_CHECKING:
    import pandas as pd  # for the annotations only: pandas is loaded when the register is read

TRANCHES = (1, 2, 3)


PLAN_TYPES = ("sectoraal", "regionaal")


CLUSTERS = ("techniek/transport", "zorg", "overig")


STATUSES = ("uitgevoerd", "ingetrokken")


TRANCHE_GROUPS = {"1": (1,), "2": (2,), "1-2": (1, 2), "3": (3,)}


# How the report names a tranche or tranche group (in titles, tables, the page of all numbers).
TRANCHE_WORDS = {"1": "tranche 1", "2": "tranche 2", "1-2": "tranche 1 en 2", "3": "tranche 3"}


def tranche_group(tranche) -> str:
    """The tranche group a tranche belongs to: '3' for tranche 3, else '1-2' (tranche 1, 2, or both):
    the report treats tranche 1 and 2 together, with their own tables (Bijlage A)."""
    return "3" if str(tranche) == "3" else "1-2"


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    tranche: int
    plan_type: str
    cluster: str
    aliases: tuple[str, ...] = ()
    status: str = "uitgevoerd"

    @property
    def tranche_group(self) -> str:
        return tranche_group(self.tranche)


@lru_cache(maxsize=1)
def register_schema():
    """What ``plans.yaml`` must hold, as a pandera schema (made when the register is first read: the
    command line checks a chapter's parameters, most of which need no plan, without pandas)."""
    import pandera.pandas as pa  # heavy (pandas): loaded only when the register is read

    return pa.DataFrameSchema(
        {
            "id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$"), unique=True),
            "name": pa.Column(str, pa.Check.str_length(min_value=1)),
            "tranche": pa.Column(int, pa.Check.isin(TRANCHES)),
            "plan_type": pa.Column(str, pa.Check.isin(PLAN_TYPES)),
            "cluster": pa.Column(str, pa.Check.isin(CLUSTERS)),
            "aliases": pa.Column(str, nullable=True),
            "status": pa.Column(str, pa.Check.isin(STATUSES)),
        },
        strict=True,
        coerce=True,
    )


class PlanRegister:
    """All plans, with lookup of printed names per tranche group."""

    def __init__(self, plans: list[Plan], source: str = "plans"):
        self.plans = list(plans)
        self._by_id = {plan.id: plan for plan in self.plans}
        self._names: dict[tuple[str, str], Plan] = {}
        for plan in self.plans:
            for name in (plan.name, *plan.aliases):
                key = (plan.tranche_group, _norm(name))
                other = self._names.get(key)
                if other is not None and other.id != plan.id:
                    raise DataFileError(
                        f"{source}: name {name!r} is used by both {other.id!r} and "
                        f"{plan.id!r} in tranche group {plan.tranche_group}"
                    )
                self._names[key] = plan

    @classmethod
    def from_yaml(cls, path: Path | str) -> PlanRegister:
        import pandas as pd  # heavy: loaded only when the register is read (see register_schema)
        import pandera.pandas as pa  # heavy, as pandas

        path = Path(path)
        entries = yamlfile.read(path)
        if not isinstance(entries, list):
            raise DataFileError(f"{path}: expected a YAML list of plans")
        frame = pd.DataFrame(
            [
                {key: entry.get(key) for key in ("id", "name", "tranche", "plan_type", "cluster")}
                | {"aliases": "; ".join(entry.get("aliases") or []), "status": entry.get("status", "uitgevoerd")}
                for entry in entries
            ]
        )
        try:
            register_schema().validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            case = exc.failure_cases.iloc[0]
            raise DataFileError(
                f"{path}: plan entry {int(case['index']) + 1 if pd.notna(case['index']) else '?'}"
                f", field {case['column']!r}: fails {case['check']} "
                f"(value {case['failure_case']!r})"
            ) from None
        plans = [
            Plan(
                id=e["id"],
                name=e["name"],
                tranche=int(e["tranche"]),
                plan_type=e["plan_type"],
                cluster=e["cluster"],
                aliases=tuple(e.get("aliases") or ()),
                status=e.get("status", "uitgevoerd"),
            )
            for e in entries
        ]
        return cls(plans, source=str(path))

    def __iter__(self):
        return iter(self.plans)

    def __len__(self) -> int:
        return len(self.plans)

    def get(self, plan_id: str) -> Plan:
        try:
            return self._by_id[plan_id]
        except KeyError:
            raise UnknownPlanError(f"unknown plan id {plan_id!r}") from None

    def plan_types(self) -> dict[str, str]:
        """Plan id -> plan type (``sectoraal`` or ``regionaal``), to map a column of plan ids."""
        return {plan.id: plan.plan_type for plan in self.plans}

    def in_group(self, tranche_group: str, include_withdrawn: bool = False) -> list[Plan]:
        """Plans of a tranche group: '1', '2', '1-2' or '3' (carried out, unless asked otherwise)."""
        if tranche_group not in TRANCHE_GROUPS:
            raise ParameterError(f"unknown tranche {tranche_group!r}; valid: {', '.join(TRANCHE_GROUPS)}")
        return [
            plan
            for plan in self.plans
            if plan.tranche in TRANCHE_GROUPS[tranche_group] and (include_withdrawn or plan.status == "uitgevoerd")
        ]

    def resolve(self, name: str, tranche: str) -> Plan:
        """The plan printed as ``name`` in a table of ``tranche`` ('1', '1-2' or '3')."""
        group = tranche_group(tranche)
        plan = self._names.get((group, _norm(name)))
        if plan is None:
            known = [p.name for p in self.plans if p.tranche_group == group]
            close = difflib.get_close_matches(name, known, n=3)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise UnknownPlanError(f"unknown plan {name!r} in tranche {tranche}{hint}")
        return plan

    def lookup(self, name_or_id: str) -> Plan:
        """A plan by id, or by a name that is unambiguous across all tranches."""
        if name_or_id in self._by_id:
            return self._by_id[name_or_id]
        matches = {plan.id: plan for (group, key), plan in self._names.items() if key == _norm(name_or_id)}
        if len(matches) == 1:
            return next(iter(matches.values()))
        if len(matches) > 1:
            raise UnknownPlanError(
                f"plan name {name_or_id!r} is ambiguous: {', '.join(sorted(matches))}; use the plan id"
            )
        close = difflib.get_close_matches(name_or_id, [p.name for p in self.plans] + list(self._by_id), n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise UnknownPlanError(f"unknown plan {name_or_id!r}{hint}")

    def frame(self) -> pd.DataFrame:
        """The register as a table (one row per plan), as written to ``plans.csv``."""
        import pandas as pd  # heavy: loaded only when the register is read (see register_schema)

        return pd.DataFrame(
            [
                {
                    "id": p.id,
                    "name": p.name,
                    "tranche": p.tranche,
                    "tranche_group": p.tranche_group,
                    "plan_type": p.plan_type,
                    "cluster": p.cluster,
                    "aliases": "; ".join(p.aliases),
                    "status": p.status,
                }
                for p in self.plans
            ]
        )


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


@lru_cache(maxsize=4)
def register(path: Path | str | None = None) -> PlanRegister:
    """The plan register from ``data/raw/plans.yaml`` (or ``path``)."""
    return PlanRegister.from_yaml(path or paths.RAW / "plans.yaml")
