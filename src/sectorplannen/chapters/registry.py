"""The chapters of the report and its context chapters: one entry each, and a run's parameters
resolved once into one :class:`RunSpec`.

Every parameter of every chapter is declared here (:class:`Parameter`: name, default, type, allowed
values, the values with which the report's printed numbers apply). :func:`resolve` checks a run's
parameters against the declaration and resolves the plan selection to plans, once; every later
layer (the build, papermill, the kernel's :func:`sectorplannen.chapters.notebook.start`) receives the
:class:`RunSpec` or its serialised form (:meth:`RunSpec.to_json`) and checks nothing again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sectorplannen import datakind, hashing
from sectorplannen.chapters import participant_values
from sectorplannen.errors import ParameterError, did_you_mean
from sectorplannen.sources.register import TRANCHE_WORDS, register, tranche_group
from sectorplannen.statistics.selection import ChapterParams, validate

# What every chapter reads: the published tables (and the raw files they were made from) and the claims.
PUBLISHED_INPUTS = ("data/published", "data/claims", "data/raw")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a chapter notebook, as its ``parameters`` cell assigns it: its name, default,
    type, the values it may take (empty: any value of its type, checked by the entry's ``resolve``)
    and the values with which the report's printed numbers apply (``None``: any value)."""

    name: str
    default: object
    kind: type | tuple[type, ...]
    allowed: tuple = ()
    published: tuple | None = None


def _tranche(default="1-2", allowed=("1-2", "3", "1", "2")) -> Parameter:
    return Parameter("tranche", default, (str, int), allowed, published=("1-2", "3"))


EXCLUDE_PLANS = Parameter("exclude_plans", [], (list, tuple, str), published=((),))
SHOW_SOURCES = Parameter("show_sources", True, bool, (True, False))
TOP_N = Parameter("top_n", 20, int)


# The environment variable that carries a run's specification (RunSpec.to_json) into the kernel the
# build starts for it: the parameters papermill writes into the notebook are its public form.
SPEC_VARIABLE = "SECTORPLANNEN_RUN_SPEC"


def _frozen(value):
    return tuple(value) if isinstance(value, list | tuple) else value


@dataclass(frozen=True)
class RunSpec:
    """A chapter run's parameters, resolved once by :func:`resolve`: every declared parameter with
    its checked, normalised value (``spec.top_n``, ``spec["top_n"]``) and the plans it selects, per
    tranche group (:class:`~sectorplannen.statistics.selection.ChapterParams`, excluded plans as ids).
    Nothing that receives it checks it again; :meth:`to_json` is the form the kernel receives."""

    notebook: str
    values: tuple[tuple[str, object], ...]
    selections: tuple[tuple[str, ChapterParams], ...] = ()

    def __getattr__(self, name: str):
        if name.startswith("_") or name in ("values", "selections", "notebook"):
            raise AttributeError(name)
        for key, value in self.values:
            if key == name:
                return value
        raise AttributeError(f"{self.notebook} has no parameter {name!r}")

    def __getitem__(self, name: str):
        return dict(self.values)[name]

    def as_dict(self) -> dict:
        """Every parameter by name (lists as lists, as a notebook assigns them)."""
        return {key: list(value) if isinstance(value, tuple) else value for key, value in self.values}

    @property
    def entry(self) -> Entry:
        return entry(self.notebook)

    @property
    def selection(self) -> ChapterParams:
        """The plans of a chapter computed for one selection (inhoud, uitvoering, arbeidsmarktpositie)."""
        if len(self.selections) != 1:
            raise ValueError(f"{self.notebook} selects plans per tranche group: use selections")
        return self.selections[0][1]

    @property
    def tranche_group(self) -> str:
        """The Bijlage A tables the chapter reads: '1-2' (also for '1' or '2' alone) or '3'."""
        return tranche_group(self["tranche"])

    @property
    def is_published_cohort(self) -> bool:
        """True when every parameter has a value with which the report's printed numbers apply
        (the tranche groups, no plan left out, peildatum 2019): the claims hold for this run."""
        declared = {p.name: p for p in self.entry.parameters}
        return all(
            declared[key].published is None or _frozen(value) in declared[key].published for key, value in self.values
        )

    @property
    def data_kind(self) -> str:
        """What the run is computed from: 'published', 'synthetic' or 'extract'."""
        return _data_kind(self.entry, self["data_source"] if self.entry.data == "participants" else None)

    @property
    def synthetic(self) -> bool:
        return self.data_kind == datakind.SYNTHETIC

    def to_json(self) -> str:
        """The serialised form: what the build hands the kernel (:meth:`from_json` reads it back)."""
        selections = {
            group: {"tranche": s.tranche, "exclude_plans": list(s.exclude_plans), "top_n": s.top_n}
            for group, s in self.selections
        }
        return json.dumps({"notebook": self.notebook, "values": self.as_dict(), "selections": selections})

    @classmethod
    def from_json(cls, text: str) -> RunSpec:
        """A specification :func:`resolve` made, read back without checking it again."""
        data = json.loads(text)
        return cls(
            data["notebook"],
            tuple((key, _frozen(value)) for key, value in data["values"].items()),
            tuple(
                (group, ChapterParams(s["tranche"], tuple(s["exclude_plans"]), s["top_n"]))
                for group, s in data["selections"].items()
            ),
        )


# The headings of the site's sidebar and index, in reading order: the report's own chapters, the
# analyses of the report (how its conclusions stand up), and the context from other documents.
# The chapter numbers follow this order, so sorting by number is reading order.
SECTIONS = {
    "Rapport": "De hoofdstukken van het rapport, nagerekend",
    "Analyse": "Analyse van het rapport: hoe stevig staan de conclusies",
    "Context": "Context uit andere documenten: voortgangsbrieven, de vervolgregeling, het steunpakket",
}
REPORT_SECTION = "Rapport"


def chapter_label(section: str, number: int, numbered: bool = False) -> str:
    """How a chapter is named before its title: 'Hoofdstuk 3' for a chapter of the report, else its
    section ('Analyse', 'Context'), with its number when ``numbered`` (the sidebar: 'Context 12')."""
    if section == REPORT_SECTION:
        return f"Hoofdstuk {number}"
    return f"{section} {number}" if numbered else section


@dataclass(frozen=True)
class Entry:
    """A chapter notebook: ``notebooks/<notebook>.ipynb``, its module ``chapters/<notebook>.py``
    (where it has one) and its claims ``data/claims/<notebook>.csv``. ``numbers`` and ``titles``
    give the report chapter per tranche group ('' for a chapter without one); ``resolve`` checks
    the values together (after each one's type and allowed values) and returns them normalised with
    the plans they select per tranche group; ``inputs`` are the files and folders it reads (its
    fingerprint)."""

    notebook: str
    numbers: dict[str, int]
    titles: dict[str, str]
    parameters: tuple[Parameter, ...]
    resolve: Callable[[dict], tuple[dict, dict[str, ChapterParams]]]
    inputs: tuple[str, ...] = PUBLISHED_INPUTS
    data: str = datakind.PUBLISHED  # or 'participants': the participant file named by data_source
    claims: bool = True  # the chapter reproduces printed numbers (data/claims/<notebook>.csv, its ledger)
    section: str = REPORT_SECTION  # where the site places it: a key of SECTIONS

    def __post_init__(self):
        if self.section not in SECTIONS:
            raise ValueError(f"section of {self.notebook} must be one of {', '.join(SECTIONS)}, not {self.section!r}")

    @property
    def defaults(self) -> dict:
        return {p.name: p.default for p in self.parameters}

    @property
    def per_tranche_group(self) -> bool:
        """True for a report chapter per tranche group (its runs name their tranche)."""
        return "" not in self.numbers

    @property
    def is_report_chapter(self) -> bool:
        """A chapter of the report itself (numbered as in the report), not an analysis or context."""
        return self.section == REPORT_SECTION


@dataclass(frozen=True)
class Chapter:
    """One chapter of the report: a notebook run for one tranche. ``parameters`` are those the run
    was given, normalised (what its name shows); ``spec`` all of them, resolved once."""

    notebook: str
    number: int
    title: str
    parameters: dict = field(default_factory=dict)
    resolved: RunSpec | None = field(default=None, compare=False, repr=False)

    @property
    def spec(self) -> RunSpec:
        """The run's specification (resolved on first use for a chapter the registry lists)."""
        if self.resolved is None:
            object.__setattr__(self, "resolved", resolve(self.notebook, self.parameters))
        return self.resolved

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

    @property
    def label(self) -> str:
        """'Hoofdstuk 8' for a chapter of the report, its section ('Analyse', 'Context') for another."""
        return chapter_label(self.section, self.number)

    @property
    def data_kind(self) -> str:
        """What the chapter is computed from: 'published', 'synthetic' or 'extract' (from the
        parameters it was given: a listed chapter need not be resolved to say it)."""
        return _data_kind(self.entry, self.parameters.get("data_source", self.entry.defaults.get("data_source")))


def _data_kind(entry: Entry, data_source) -> str:
    return datakind.of_source(data_source) if entry.data == "participants" else datakind.PUBLISHED


def normal_value(value):
    """A parameter value as it is compared and named: a tuple as a list."""
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


def _one_selection(checked: ChapterParams) -> dict[str, ChapterParams]:
    return {checked.tranche_group: checked}


def _plan_level(p: dict) -> tuple[dict, dict]:
    checked = validate(tranche=p["tranche"], exclude_plans=p["exclude_plans"], top_n=p["top_n"])
    values = {"tranche": checked.tranche, "exclude_plans": list(checked.exclude_plans), "top_n": checked.top_n}
    return values, _one_selection(checked)


def _participant(p: dict) -> tuple[dict, dict]:
    checked = validate(tranche=p["tranche"], exclude_plans=p["exclude_plans"])
    size, reason = participant_values.min_cell(p["min_cell_size"], p["min_cell_override"])
    source = participant_values.data_source(p["data_source"])
    if source != datakind.SYNTHETIC:  # the kernel runs in notebooks/: a relative path would point elsewhere
        source = str(Path(source).expanduser().absolute())
    values = {
        "tranche": checked.tranche,
        "peildatum": participant_values.peildatum(p["peildatum"]),
        "exclude_plans": list(checked.exclude_plans),
        "min_cell_size": size,
        "min_cell_override": reason,
        "data_source": source,
    }
    return values, _one_selection(checked)


def _split_exclusions(exclude_plans) -> dict[str, list[str]]:
    """Plans to leave out, per tranche group (names or ids of either group)."""
    out = {"1-2": [], "3": []}
    for value in exclude_plans or []:
        hits = [g for g in out if _known(value, g)]
        if not hits:
            raise ParameterError(f"exclude_plans: unknown plan {value!r}; see data/published/plans.csv")
        if len(hits) > 1:
            ids = [register().resolve(value, g).id for g in hits]
            raise ParameterError(f"exclude_plans: {value!r} is a plan in both tranche groups; use an id: {ids}")
        out[hits[0]].append(value)
    return out


def _known(value: str, group: str) -> bool:
    try:
        plan = register().lookup(value) if value in {p.id for p in register()} else register().resolve(value, group)
    except KeyError:
        return False
    return plan.tranche_group == group


def _both_groups(p: dict) -> tuple[dict, dict]:
    values = p["exclude_plans"] or []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise ParameterError(f"exclude_plans must be a list of plan names or ids, not {values!r}")
    selections = {group: validate(group, names) for group, names in _split_exclusions(values).items()}
    ids = [i for checked in selections.values() for i in checked.exclude_plans]
    return {"exclude_plans": sorted(ids)}, selections


def _monitoring(p: dict) -> tuple[dict, dict]:
    tranche = p["tranche"]
    if isinstance(tranche, bool) or str(tranche) not in ("1-2", "3"):
        raise ParameterError(f"tranche must be '1-2' or '3' for monitoring (the financing series), not {tranche!r}")
    return {"tranche": str(tranche)}, {}


def _sources(p: dict) -> tuple[dict, dict]:
    if not isinstance(p["show_sources"], bool):
        raise ParameterError(f"show_sources must be true or false, not {p['show_sources']!r}")
    return {"show_sources": p["show_sources"]}, {}


def _positive_top_n(p: dict) -> tuple[dict, dict]:
    if p["top_n"] < 1:
        raise ParameterError(f"top_n must be a whole number of at least 1, not {p['top_n']!r}")
    return {"top_n": p["top_n"]}, {}


_PLAN_LEVEL = (_tranche(), EXCLUDE_PLANS, TOP_N)


def _per_tranche_group(title: str) -> dict[str, str]:
    return {group: f"{title} – {TRANCHE_WORDS[group]}" for group in ("1-2", "3")}


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
                "peildatum",
                "2019",
                (str, int),
                ("2017", "2018", "2019", "2017-05-31", "2018-05-31", "2019-05-31"),
                published=("2019",),
            ),
            EXCLUDE_PLANS,
            Parameter("min_cell_size", 10, int),
            Parameter("min_cell_override", "", str),
            Parameter("data_source", datakind.SYNTHETIC, str),
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
        {"": f"Kerncijfers: {TRANCHE_WORDS['1-2']} en {TRANCHE_WORDS['3']} naast elkaar (Tabel S.1 en 10.1)"},
        (EXCLUDE_PLANS,),
        _both_groups,
    ),
    Entry(
        "robuustheid",
        {"": 11},
        {"": "Robuustheid: welke conclusies hangen aan één plan?"},
        (Parameter("top_n", 15, int),),
        _positive_top_n,
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


# The report as ``make report`` builds it: every entry for every tranche group it has (each run's
# specification is resolved when the build first needs it).
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


KIND_WORDS = {str: "text", int: "a whole number", bool: "true or false", list: "a list", tuple: "a list"}


def resolve(notebook: str, parameters: dict) -> RunSpec:
    """A run's parameters, checked once against the registry and resolved: a name the registry
    does not declare is refused with the known names, a wrong value with the valid ones; defaults
    are filled in, values normalised (plan ids, '2019') and the plan selection resolved to plans.
    The one place a run's parameters are checked."""
    spec = entry(notebook)
    defaults = spec.defaults
    unknown = set(parameters) - set(defaults)
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {did_you_mean(unknown, defaults)} for {notebook}; known: {', '.join(defaults)}"
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
    values, selections = spec.resolve(given)
    values = {**given, **values}
    return RunSpec(
        notebook,
        tuple((p.name, _frozen(values[p.name])) for p in spec.parameters),
        tuple(selections.items()),
    )


def chapter_for(notebook: str, parameters: dict) -> Chapter:
    """The report chapter a notebook run with these parameters reproduces (or a variant of it),
    with its specification resolved (:func:`resolve`, unknown names refused)."""
    return chapter_of(resolve(notebook, parameters), parameters)


def chapter_of(spec: RunSpec, given) -> Chapter:
    """The chapter of a resolved run: named after the normalised values of the parameters it was
    ``given`` (their names; plan ids, not names), numbered and titled for its tranche group."""
    entry = spec.entry
    keys = list(given)
    if entry.per_tranche_group:
        keys = ["tranche", *(k for k in keys if k != "tranche")]  # the report's chapters name their tranche
    shown = {key: normal_value(spec[key]) for key in keys}
    if not entry.per_tranche_group:
        return Chapter(spec.notebook, entry.numbers[""], entry.titles[""], shown, spec)
    tranche = str(shown["tranche"])
    group = tranche_group(tranche)
    title = entry.titles[group].replace(TRANCHE_WORDS[group], TRANCHE_WORDS[tranche])
    return Chapter(spec.notebook, entry.numbers[group], title, shown, spec)


def run_name(notebook: str, parameters: dict) -> str:
    """Output name that says which parameters made it: ``uitvoering_tranche-3_exclude_plans-transport``.
    A parameter at its default leaves the name unchanged, except the tranche, which every name of
    a report chapter carries. Long names are shortened with a hash of the full parameter set, so
    two runs never share a name; the name carries no path of a confidential file, only a label."""
    spec = entry(notebook)
    defaults = {k: v for k, v in spec.defaults.items() if k != "tranche" or not spec.per_tranche_group}
    shown = {k: v for k, v in parameters.items() if k not in defaults or normal_value(v) != normal_value(defaults[k])}
    if "data_source" in shown:
        shown["data_source"] = hashing.extract_label(shown["data_source"])
    parts = [notebook] + [f"{key}-{_slug(shown[key])}" for key in sorted(shown)]
    name = "_".join(parts)
    if len(name) > 120:  # the hash of what the name shows, so a run given its defaults (a kernel) gets the same name
        shown = {key: normal_value(value) for key, value in shown.items()}
        digest = hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()[:10]
        name = f"{name[:100]}_{digest}"
    return name
