"""What a statistic declares about itself: its unit, its kind, the arguments it takes and the groups
it splits by, so that a claim naming an argument the statistic would ignore is refused when claims
are loaded, and the robustness chapter reads a number's kind from the statistic, not from its name.

Plan-level statistics are methods marked with :func:`statistic`; the arguments a method takes are
read from its signature, so the declaration cannot drift from the code. The participant statistics
are computed a layer higher (``participants``), from a file the claims layer never reads; they are
declared here, in :data:`PARTICIPANT`, and their methods are bound to these declarations with
:func:`declared`, which refuses a method whose arguments differ.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from sectorplannen.statistics.base import PARTICIPANT_FILE

# The arguments a claim can give a statistic, as the claims file names their columns.
ARGUMENTS = {
    "category": "category_id",
    "plan": "plan",
    "rank": "rank",
    "table": "table",
    "row": "row",
    "column": "column",
}
# What kind of number a statistic gives; the robustness chapter weighs a number by its kind.
KINDS = {
    "total": "a total or a count of the selected plans or participants",
    "share": "a share or a rate of the selection's own data",
    "rank": "which category, cluster or tranche comes first",
    "plan_count": "a number or share of plans (with a category, past a threshold)",
    "one_plan": "about one plan (the largest, the highest rate, a named plan's share)",
    "elsewhere": "against a total from elsewhere (an ambition, the other tranche group)",
    "cell": "read or derived from the printed cells of one table",
}
# The units a statistic's value comes in, and the units a claim may print it in.
UNITS = {
    "aantal": ("aantal", "duizend"),
    "euro": ("euro", "miljoen euro"),
    "procent": ("procent",),
    "plan": ("plan",),
    "categorie": ("categorie",),
    "rang": ("rang", "aantal"),  # a rank, printed as a rank or as a number
    "tranche": ("aantal",),  # a tranche's number, printed as 'tranche 3'
    "tabel": ("aantal", "duizend", "euro", "miljoen euro", "procent"),  # as the table prints it
}
# The groups an argument splits the data by (a table statistic's row and column name a cell).
GROUPS = {"category": "category", "plan": "plan"}
PLAN_DATA = "plantabellen"  # Bijlage A, the register and the transcribed tables


@dataclass(frozen=True)
class Declaration:
    """One statistic of the claims vocabulary, as it declares itself."""

    name: str
    unit: str  # a key of UNITS
    kind: str  # a key of KINDS
    takes: tuple[str, ...]  # keys of ARGUMENTS, in the order of the signature
    groups: tuple[str, ...] = ()  # what the statistic splits by: category, plan, plan type, cohort
    source: str = PLAN_DATA  # or PARTICIPANT_FILE
    calibrated: bool = False  # the synthetic participant file is calibrated to meet it

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"statistic {self.name}: unknown unit {self.unit!r}")
        if self.kind not in KINDS:
            raise ValueError(f"statistic {self.name}: unknown kind {self.kind!r}")
        unknown = set(self.takes) - set(ARGUMENTS)
        if unknown:
            raise ValueError(f"statistic {self.name}: unknown arguments {sorted(unknown)}")

    def fits(self, claim_unit: str) -> bool:
        """Whether a claim may print this statistic's value in ``claim_unit``."""
        return claim_unit in UNITS[self.unit]

    def arguments(self, given: dict) -> dict:
        """The arguments this statistic takes out of ``given``; a non-empty argument it does not
        take is a bug of the caller (claims are refused at loading for it)."""
        ignored = sorted(name for name, value in given.items() if value not in (None, "") and name not in self.takes)
        if ignored:
            raise TypeError(f"statistic {self.name} takes no {', '.join(ignored)} (it takes {self.takes or 'none'})")
        return {name: given.get(name) for name in self.takes}


def _takes(method: Callable) -> tuple[str, ...]:
    parameters = list(inspect.signature(method).parameters.values())[1:]  # without self
    if any(p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL) for p in parameters):
        raise TypeError(f"statistic {method.__name__} takes **kwargs: name every argument it uses")
    return tuple(p.name for p in parameters)


def _default_groups(takes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(GROUPS[name] for name in takes if name in GROUPS)


def statistic(*, unit: str, kind: str, groups: tuple[str, ...] | None = None):
    """Mark a method as a statistic of the claims vocabulary; its arguments come from its signature."""

    def mark(method: Callable) -> Callable:
        takes = _takes(method)
        method.declaration = Declaration(
            method.__name__, unit, kind, takes, _default_groups(takes) if groups is None else groups
        )
        return method

    return mark


def declared(declarations: dict[str, Declaration]):
    """Bind a method to the declaration of its name in ``declarations``; refuse one whose
    arguments differ from what is declared."""

    def bind(method: Callable) -> Callable:
        declaration = declarations[method.__name__]
        if _takes(method) != declaration.takes:
            raise TypeError(f"statistic {method.__name__} takes {_takes(method)}, declared {declaration.takes}")
        method.declaration = declaration
        return method

    return bind


def collect(*classes: type) -> dict[str, Declaration]:
    """Every declared statistic of ``classes`` (their bases included), by name."""
    found = {}
    for cls in classes:
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                declaration = getattr(value, "declaration", None)
                if isinstance(declaration, Declaration):
                    found[name] = declaration
    return dict(sorted(found.items()))


# The participant statistics of chapters 4 and 7 (computed in ``participants.indicators``). The
# cohort is the claim's ``row``, the outcome its ``column``; ``plan`` names plans within the cohort.
PARTICIPANT = {
    d.name: d
    for d in (
        Declaration("aandeel", "procent", "share", ("row", "column"), ("cohort",), PARTICIPANT_FILE, True),
        Declaration("deelnemers_aantal", "aantal", "total", ("row",), ("cohort",), PARTICIPANT_FILE, True),
        Declaration(
            "cohort_aandeel", "procent", "share", ("plan", "row", "column"), ("cohort", "plan"), PARTICIPANT_FILE
        ),
        Declaration("aandeel_rang", "rang", "rank", ("row", "column"), ("cohort",), PARTICIPANT_FILE),
        Declaration("aandeel_groepen_lager", "procent", "rank", ("row", "column"), ("cohort",), PARTICIPANT_FILE),
    )
}
