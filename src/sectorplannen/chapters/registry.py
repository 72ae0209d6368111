"""The chapters of the report and its context chapters: one entry each."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sectorplannen import hashing
from sectorplannen.chapters.kerncijfers import split_exclusions
from sectorplannen.errors import ParameterError
from sectorplannen.participants.selection import validate_participant
from sectorplannen.statistics.selection import _unknown, validate

# What every chapter reads: the published tables (and the raw files they were made from) and the claims.
PUBLISHED_INPUTS = ("data/published", "data/claims", "data/raw")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a chapter notebook, as its ``parameters`` cell assigns it."""

    name: str
    default: object
    kind: type | tuple[type, ...]
    allowed: tuple = ()  # the values it may take (empty: any value of its kind, checked by the entry)


def _tranche(default="1-2", allowed=("1-2", "3", "1", "2")) -> Parameter:
    return Parameter("tranche", default, (str, int), allowed)


EXCLUDE_PLANS = Parameter("exclude_plans", [], (list, tuple, str))
SHOW_SOURCES = Parameter("show_sources", True, bool, (True, False))


# The headings of the site's sidebar and index, in reading order: the report's own chapters, the
# analyses of the report (how its conclusions stand up), and the context from other documents.
# The chapter numbers follow this order, so sorting by number is reading order.
SECTIONS = {
    "Rapport": "De hoofdstukken van het rapport, nagerekend",
    "Analyse": "Analyse van het rapport: hoe stevig staan de conclusies",
    "Context": "Context uit andere documenten: voortgangsbrieven, de vervolgregeling, het steunpakket",
}


@dataclass(frozen=True)
class Entry:
    """A chapter notebook: ``notebooks/<notebook>.ipynb``, its module ``chapters/<notebook>.py``
    (where it has one) and its claims ``data/claims/<notebook>.csv``. ``numbers`` and ``titles``
    give the report chapter per tranche group ('' for a chapter without one); ``check`` validates
    and normalises the values; ``inputs`` are the files and folders it reads (its fingerprint)."""

    notebook: str
    numbers: dict[str, int]
    titles: dict[str, str]
    parameters: tuple[Parameter, ...]
    check: Callable[[dict], dict]
    inputs: tuple[str, ...] = PUBLISHED_INPUTS
    data: str = "published"  # or 'participants': the participant file named by data_source
    claims: bool = True  # the chapter reproduces printed numbers (data/claims/<notebook>.csv, its ledger)
    section: str = "Rapport"  # where the site places it: a key of SECTIONS

    def __post_init__(self):
        if self.section not in SECTIONS:
            raise ValueError(f"section of {self.notebook} must be one of {', '.join(SECTIONS)}, not {self.section!r}")

    @property
    def defaults(self) -> dict:
        return {p.name: p.default for p in self.parameters}


@dataclass(frozen=True)
class Chapter:
    """One chapter of the report: a notebook run for one tranche."""

    notebook: str
    number: int
    title: str
    parameters: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return run_name(self.notebook, self.parameters)

    @property
    def entry(self) -> Entry:
        return entry(self.notebook)

    @property
    def section(self) -> str:
        """The heading the site lists the chapter under (a key of :data:`SECTIONS`)."""
        return self.entry.section


def _normal(value):
    return list(value) if isinstance(value, tuple) else value


def _slug(value) -> str:
    if isinstance(value, list | tuple):
        return "+".join(_slug(v) for v in value) or "geen"
    return re.sub(r"[^A-Za-z0-9.+-]+", "-", str(value)).strip("-").lower()


def parse_params(text: str | None) -> dict:
    """Parameters as given on the command line: ``key=value`` pairs (values in YAML, separated by
    ';' or spaces), or a YAML mapping. ``exclude_plans=["Transport"] top_n=10``."""
    if not text or not text.strip():
        return {}
    text = text.strip()
    if not re.match(r"^\w+\s*=", text):
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ParameterError(f"PARAMS is not key=value pairs nor a YAML mapping ({_yaml_problem(exc)})") from None
        if not isinstance(value, dict):
            raise ParameterError(f"PARAMS must be key=value pairs or a YAML mapping, not {text!r}")
        return value
    out = {}
    for pair in re.split(r"[;\s]+(?=\w+\s*=)", text):
        key, _, raw = pair.partition("=")
        try:
            out[key.strip()] = yaml.safe_load(raw.strip().rstrip(";"))
        except yaml.YAMLError as exc:
            raise ParameterError(
                f"PARAMS: value of {key.strip()!r} is not valid YAML ({_yaml_problem(exc)}): put a text value in "
                "double quotes"
            ) from None
        except ValueError as exc:  # e.g. an impossible date such as 2019-02-30
            raise ParameterError(f"PARAMS: value of {key.strip()!r} is not valid: {exc}") from None
    return out


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """What YAML found wrong, in one line (its message spans several, with the text and a caret)."""
    return " ".join(str(getattr(exc, "problem", None) or exc).split())


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
        "peildatum": checked.peildatum,
        "exclude_plans": list(checked.exclude_plans),
        "min_cell_size": checked.min_cell_size,
        "min_cell_override": checked.min_cell_override,
        "data_source": source,
    }


def _kerncijfers(p: dict) -> dict:
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


def _positive_top_n(top_n) -> dict:
    if top_n < 1:
        raise ParameterError(f"top_n must be a whole number of at least 1, not {top_n!r}")
    return {"top_n": top_n}


_PLAN_LEVEL = (_tranche(), EXCLUDE_PLANS, Parameter("top_n", 20, int))
TRANCHE_GROUP_TITLES = {"1-2": "tranche 1 en 2", "3": "tranche 3"}


def _per_tranche_group(title: str) -> dict[str, str]:
    return {group: f"{title} – {words}" for group, words in TRANCHE_GROUP_TITLES.items()}


# Every chapter, in reading order: the report's chapters 2-10, the analysis (11), then the context (12-14).
REGISTRY = (
    Entry("inhoud", {"1-2": 2, "3": 5}, _per_tranche_group("De inhoud van de maatregelen"), _PLAN_LEVEL, _plan_level),
    Entry(
        "uitvoering",
        {"1-2": 3, "3": 6},
        _per_tranche_group("De uitvoering van de maatregelen"),
        _PLAN_LEVEL,
        _plan_level,
    ),
    Entry(
        "arbeidsmarktpositie",
        {"1-2": 4, "3": 7},
        _per_tranche_group("De arbeidsmarktpositie van de deelnemers"),
        (
            _tranche(),
            Parameter(
                "peildatum", "2019", (str, int), ("2017", "2018", "2019", "2017-05-31", "2018-05-31", "2019-05-31")
            ),
            EXCLUDE_PLANS,
            Parameter("min_cell_size", 10, int),
            Parameter("min_cell_override", "", str),
            Parameter("data_source", "synthetic", str),
        ),
        _participant,
        (*PUBLISHED_INPUTS, "data/calibratie.yaml"),
        data="participants",
    ),
    Entry(
        "samenwerking",
        {"": 8},
        {"": "Het effect van de sectorplannen op de inspanningen van samenwerkingspartners"},
        (SHOW_SOURCES,),
        _sources,
    ),
    Entry(
        "vormgeving",
        {"": 9},
        {"": "De vormgeving van de Regeling cofinanciering sectorplannen"},
        (SHOW_SOURCES,),
        _sources,
    ),
    Entry(
        "kerncijfers",
        {"": 10},
        {"": "Kerncijfers: tranche 1 en 2 en tranche 3 naast elkaar (Tabel S.1 en 10.1)"},
        (EXCLUDE_PLANS,),
        _kerncijfers,
    ),
    Entry(
        "robuustheid",
        {"": 11},
        {"": "Robuustheid: welke conclusies hangen aan één plan?"},
        (Parameter("top_n", 15, int),),
        lambda p: _positive_top_n(p["top_n"]),
        claims=False,
        section="Analyse",
    ),
    Entry(
        "monitoring",
        {"": 12},
        {"": "Ambities en realisatie door de tijd: de voortgangsbrieven van 2014 en 2017"},
        (_tranche(allowed=("1-2", "3")),),
        _monitoring,
        section="Context",
    ),
    Entry(
        "dwsra",
        {"": 13},
        {"": "De vervolgregeling DWSRA: aanvragen en projecten (tussenevaluatie 2018)"},
        (SHOW_SOURCES,),
        _sources,
        section="Context",
    ),
    Entry(
        "steunpakket_2020",
        {"": 14},
        {"": "Het steunpakket van 2020: leren en ontwikkelen en de sectorale maatwerktrajecten"},
        (SHOW_SOURCES,),
        _sources,
        section="Context",
    ),
)


# The report as ``make report`` builds it: every entry for every tranche group it has.
CHAPTERS = sorted(
    (
        Chapter(e.notebook, number, e.titles[group], {"tranche": group} if group else {})
        for e in REGISTRY
        for group, number in e.numbers.items()
    ),
    key=lambda c: c.number,
)


def entry(notebook: str) -> Entry:
    """The registry entry of a notebook; an unknown name is refused with the known ones."""
    for candidate in REGISTRY:
        if candidate.notebook == notebook:
            return candidate
    known = ", ".join(e.notebook for e in REGISTRY)
    raise ParameterError(f"unknown notebook {notebook!r}; known: {known}")


def check(notebook: str, parameters: dict) -> dict:
    """Every parameter of a notebook run, checked: a name the registry does not declare is refused
    with the list of known names, a wrong value with the valid ones. Returns all the notebook's
    parameters, defaults filled in and values normalised (plan ids, '2019')."""
    spec = entry(notebook)
    defaults = spec.defaults
    unknown = set(parameters) - set(defaults)
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {_unknown(unknown, defaults)} for {notebook}; known: {', '.join(defaults)}"
        )
    given = {**defaults, **parameters}
    for parameter in spec.parameters:
        value = given[parameter.name]
        if isinstance(value, bool) and parameter.kind is not bool:
            raise ParameterError(f"{parameter.name} must not be true or false, not {value!r}")
        if not isinstance(value, parameter.kind) and value is not None:
            kinds = parameter.kind if isinstance(parameter.kind, tuple) else (parameter.kind,)
            names = " or ".join(KIND_WORDS.get(k, k.__name__) for k in kinds)
            raise ParameterError(f"{parameter.name} must be {names}, not {value!r}")
        if parameter.allowed and value not in parameter.allowed and str(value) not in map(str, parameter.allowed):
            allowed = ", ".join(map(repr, parameter.allowed))
            raise ParameterError(f"{parameter.name} must be one of {allowed} for {notebook}, not {value!r}")
    return {**given, **spec.check(given)}


KIND_WORDS = {str: "text", int: "a whole number", bool: "true or false", list: "a list", tuple: "a list"}


def chapter_for(notebook: str, parameters: dict) -> Chapter:
    """The report chapter a notebook run with these parameters reproduces (or a variant of it).
    The parameters are checked against the registry (unknown names are refused) and the run is
    named after their normalised values (plan ids, not names)."""
    spec = entry(notebook)
    checked = check(notebook, parameters)
    keys = list(parameters)
    if "" not in spec.numbers:
        keys = ["tranche", *(k for k in keys if k != "tranche")]  # the report's chapters name their tranche
    parameters = {key: checked[key] for key in keys}
    tranche = str(parameters.get("tranche", "1-2"))
    group = "" if "" in spec.numbers else ("3" if tranche == "3" else "1-2")
    title = spec.titles[group]
    if tranche in ("1", "2") and group:
        title = title.replace("tranche 1 en 2", f"tranche {tranche}")
    return Chapter(notebook, spec.numbers[group], title, parameters)


def run_name(notebook: str, parameters: dict) -> str:
    """Output name that says which parameters made it: ``uitvoering_tranche-3_exclude_plans-transport``.
    A parameter at its default leaves the name unchanged, except the tranche, which every name of
    a report chapter carries. Long names are shortened with a hash of the full parameter set, so
    two runs never share a name; the name carries no path of a confidential file, only a label."""
    spec = entry(notebook)
    defaults = {k: v for k, v in spec.defaults.items() if k != "tranche" or "" in spec.numbers}
    shown = {k: v for k, v in parameters.items() if k not in defaults or _normal(v) != _normal(defaults[k])}
    if "data_source" in shown:
        shown["data_source"] = hashing.extract_label(shown["data_source"])
    parts = [notebook] + [f"{key}-{_slug(shown[key])}" for key in sorted(shown)]
    name = "_".join(parts)
    if len(name) > 120:  # the hash of what the name shows, so a run given its defaults (a kernel) gets the same name
        shown = {key: _normal(value) for key, value in shown.items()}
        digest = hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()[:10]
        name = f"{name[:100]}_{digest}"
    return name


def data_kind(chapter: Chapter) -> str:
    """What the chapter is computed from: 'published', 'synthetic' or 'extract'."""
    if entry(chapter.notebook).data != "participants":
        return "published"
    return "synthetic" if str(chapter.parameters.get("data_source", "synthetic")) == "synthetic" else "extract"
