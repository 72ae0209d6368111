"""Chapter parameters: one validated object, with clear errors before any work is done.

Every chapter notebook starts with a papermill ``parameters`` cell. The names assigned there are
the notebook's parameters (:func:`notebook_defaults`): :func:`check` refuses any other name and
validates the values for that notebook, before any kernel starts. A wrong value raises
:class:`ParameterError` naming the parameter and listing the valid values.
"""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from sectorplannen import paths
from sectorplannen.plans import TRANCHE_GROUPS, register

TRANCHES = tuple(TRANCHE_GROUPS)  # '1', '2', '1-2', '3'
NOTEBOOKS = paths.ROOT / "notebooks"
# The smallest cell a chapter on a real extract may show without a stated reason (output checking
# rules of secure environments such as CBS remote access).
MIN_CELL_FLOOR = 10
# Parameters a notebook takes although its parameters cell may not assign them yet.
PENDING = {"arbeidsmarktpositie": {"min_cell_override": ""}}


class ParameterError(ValueError):
    """A chapter parameter with a wrong type or value."""


@dataclass(frozen=True)
class ChapterParams:
    """The validated parameters of a plan-level chapter (inhoud, uitvoering)."""

    tranche: str = "1-2"
    exclude_plans: tuple[str, ...] = ()  # plan ids
    top_n: int = 20
    extra: dict = field(default_factory=dict, compare=False)  # always empty: unknown names are refused

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


def _keep_one_plan(tranche: str, excluded: tuple[str, ...]) -> None:
    """Refuse a selection without plans: every table and figure of the chapter would be empty."""
    if all(p.id in excluded for p in register().in_group(tranche)):
        raise ParameterError(f"exclude_plans leaves no plan of tranche {tranche}: keep at least one")


def _unknown(names, known) -> str:
    """``'top_m' (did you mean 'top_n'?)`` for each unknown name."""
    out = []
    for name in sorted(names):
        close = difflib.get_close_matches(str(name), list(known), n=1)
        out.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return ", ".join(out)


def validate(tranche="1-2", exclude_plans=(), top_n=20, **extra) -> ChapterParams:
    """Check the chapter parameters and return them as one object."""
    if extra:
        known = ("tranche", "exclude_plans", "top_n")
        raise ParameterError(f"unknown parameter(s) {_unknown(extra, known)}; known: {', '.join(known)}")
    if not isinstance(tranche, str | int) or str(tranche) not in TRANCHES:
        raise ParameterError(f"tranche must be one of {', '.join(map(repr, TRANCHES))}, not {tranche!r}")
    tranche = str(tranche)
    if isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1:
        raise ParameterError(f"top_n must be a whole number of at least 1, not {top_n!r}")
    excluded = _plan_ids(exclude_plans or (), tranche)
    _keep_one_plan(tranche, excluded)
    return ChapterParams(tranche=tranche, exclude_plans=excluded, top_n=top_n)


@dataclass(frozen=True)
class ParticipantParams:
    """The validated parameters of the participant-level chapter (arbeidsmarktpositie)."""

    tranche: str = "1-2"
    measurement_date: str = "2019"
    exclude_plans: tuple[str, ...] = ()
    min_cell_size: int = 10
    data_source: str = "synthetic"
    min_cell_override: str = ""  # the reason for a min_cell_size below MIN_CELL_FLOOR, shown with the chapter

    @property
    def tranche_group(self) -> str:
        return "3" if self.tranche == "3" else "1-2"

    @property
    def is_published_cohort(self) -> bool:
        return self.tranche in ("1-2", "3") and not self.exclude_plans and self.measurement_date == "2019"

    @property
    def synthetic(self) -> bool:
        return self.data_source == "synthetic"


def _min_cell(min_cell_size, min_cell_override) -> tuple[int, str]:
    """The minimum cell size and the reason for going below the floor (both checked)."""
    if isinstance(min_cell_size, bool) or not isinstance(min_cell_size, int) or min_cell_size < 1:
        raise ParameterError(f"min_cell_size must be a whole number of at least 1, not {min_cell_size!r}")
    if not isinstance(min_cell_override, str):
        raise ParameterError(
            f"min_cell_override must be text (the reason for a min_cell_size below {MIN_CELL_FLOOR}), "
            f"not {min_cell_override!r}"
        )
    reason = " ".join(min_cell_override.split())  # one line: it is printed in the chapter
    if min_cell_size < MIN_CELL_FLOOR and not reason:
        raise ParameterError(
            f"min_cell_size {min_cell_size} is below the floor of {MIN_CELL_FLOOR} required for output from "
            "secure environments: to use it anyway, give the reason in min_cell_override (it is printed in "
            "the chapter and its provenance)"
        )
    if reason and min_cell_size >= MIN_CELL_FLOOR:
        raise ParameterError(
            f"min_cell_override is only for a min_cell_size below {MIN_CELL_FLOOR}, and min_cell_size is "
            f"{min_cell_size}: leave min_cell_override empty"
        )
    return min_cell_size, reason


def validate_participant(
    tranche="1-2",
    measurement_date="2019",
    exclude_plans=(),
    min_cell_size=10,
    data_source="synthetic",
    *,
    min_cell_override="",
    **extra,
) -> ParticipantParams:
    """Check the parameters of the participant-level chapter before any work is done."""
    if extra:
        known = [*notebook_defaults("arbeidsmarktpositie")]
        raise ParameterError(f"unknown parameter(s) {_unknown(extra, known)}; known: {', '.join(known)}")
    base = validate(tranche=tranche, exclude_plans=exclude_plans)
    date = str(measurement_date)
    if date[:4] in ("2017", "2018", "2019") and date[4:] in ("", "-05-31"):
        date = date[:4]
    else:
        raise ParameterError(
            f"measurement_date must be 2017, 2018 or 2019 (31 May of that year), not {measurement_date!r}"
        )
    min_cell_size, reason = _min_cell(min_cell_size, min_cell_override)
    if not isinstance(data_source, str) or not data_source:
        raise ParameterError(
            f"data_source must be 'synthetic' or the path of a participant extract, not {data_source!r}"
        )
    return ParticipantParams(base.tranche, date, base.exclude_plans, min_cell_size, data_source, reason)


# -------------------------------------------------------------------- per notebook


_DEFAULTS_CACHE: dict[tuple[str, int], dict] = {}


def notebook_defaults(notebook: str, folder: Path | None = None) -> dict:
    """The parameters of a notebook with their default values: the names its cell tagged
    ``parameters`` assigns (a value that is not a literal is None). One source of truth for
    what a notebook accepts, read from the notebook itself."""
    import nbformat

    path = Path(folder or NOTEBOOKS) / f"{notebook}.ipynb"
    try:
        key = (str(path), path.stat().st_mtime_ns)
    except OSError:
        known = sorted(p.stem for p in Path(folder or NOTEBOOKS).glob("*.ipynb"))
        raise ParameterError(f"unknown notebook {notebook!r}; known: {', '.join(known)}") from None
    if key not in _DEFAULTS_CACHE:
        cells = nbformat.read(path, as_version=4).cells
        source = "\n".join(c.source for c in cells if "parameters" in c.metadata.get("tags", []))
        _DEFAULTS_CACHE[key] = _assignments(source)
    defaults = dict(_DEFAULTS_CACHE[key])
    for name, value in PENDING.get(notebook, {}).items():
        defaults.setdefault(name, value)
    return defaults


def _assignments(source: str) -> dict:
    """``name = value`` at the top level of a cell, in order, with literal values evaluated."""
    out = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                try:
                    out[target.id] = ast.literal_eval(node.value) if node.value is not None else None
                except ValueError:
                    out[target.id] = None
    return out


def _plan_level(p: dict) -> dict:
    checked = validate(tranche=p["tranche"], exclude_plans=p["exclude_plans"], top_n=p["top_n"])
    return {"tranche": checked.tranche, "exclude_plans": list(checked.exclude_plans), "top_n": checked.top_n}


def _participant(p: dict) -> dict:
    checked = validate_participant(**p)
    source = checked.data_source
    if source != "synthetic":  # the kernel runs in notebooks/: a relative path would point elsewhere
        source = str(Path(source).expanduser().absolute())
    return {
        "tranche": checked.tranche,
        "measurement_date": checked.measurement_date,
        "exclude_plans": list(checked.exclude_plans),
        "min_cell_size": checked.min_cell_size,
        "min_cell_override": checked.min_cell_override,
        "data_source": source,
    }


def _kerncijfers(p: dict) -> dict:
    from sectorplannen.kerncijfers import split_exclusions

    values = p["exclude_plans"] or []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise ParameterError(f"exclude_plans must be a list of plan names or ids, not {values!r}")
    ids = [i for group, names in split_exclusions(values).items() for i in validate(group, names).exclude_plans]
    return {"exclude_plans": sorted(ids)}


def _monitoring(p: dict) -> dict:
    tranche = p["tranche"]
    if isinstance(tranche, bool) or str(tranche) not in ("1-2", "3"):
        raise ParameterError(f"tranche must be '1-2' or '3' for monitoring (the financing series), not {tranche!r}")
    return {"tranche": str(tranche)}


def _sources(p: dict) -> dict:
    if not isinstance(p["show_sources"], bool):
        raise ParameterError(f"show_sources must be true or false, not {p['show_sources']!r}")
    return {"show_sources": p["show_sources"]}


# How each notebook's parameter values are checked and normalised (names come from the notebook).
CHECKS = {
    "inhoud": _plan_level,
    "uitvoering": _plan_level,
    "arbeidsmarktpositie": _participant,
    "kerncijfers": _kerncijfers,
    "monitoring": _monitoring,
    "samenwerking": _sources,
    "vormgeving": _sources,
    "dwsra": _sources,
    "steunpakket_2020": _sources,
}


def check(notebook: str, parameters: dict, folder: Path | None = None) -> dict:
    """Every parameter of a notebook run, checked: a name the notebook's parameters cell does not
    assign is refused with the list of known names, a wrong value with the valid ones. Returns
    all the notebook's parameters, defaults filled in and values normalised (plan ids, '2019')."""
    defaults = notebook_defaults(notebook, folder)
    unknown = set(parameters) - set(defaults)
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {_unknown(unknown, defaults)} for {notebook}; known: {', '.join(defaults)}"
        )
    given = {**defaults, **parameters}
    return {**given, **CHECKS.get(notebook, dict)(given)}
