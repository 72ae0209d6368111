"""The participant file: schema, validation and loading (a real extract or the synthetic file).

Chapters 4 and 7 describe participants linked by BSN to UWV records. That extract is
confidential: evaluators keep it outside the repository and point the notebook's ``data_source``
parameter at it. Anyone else runs the same analysis on the synthetic file
(:mod:`sectorplannen.participants.synthetic`), which has this schema. The schema is documented in
``data/README.md``.

One row per participant and measurement date (31 May 2017, 2018, 2019).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pandera.pandas as pa
import yaml

from sectorplannen import paths, yamlfile
from sectorplannen.errors import DataFileError, OutcomeError
from sectorplannen.sources.categories import category_ids
from sectorplannen.sources.register import register

INKOMENSSITUATIE = {
    "werknemer": "Werknemer",
    "werknemer_ww": "Werknemer en WW",
    "werknemer_overige_uitkering": "Werknemer en overige uitkering",
    "ww": "WW",
    "overige_uitkering": "Overige uitkering",
    "overig": "Overig",
}


EMPLOYED = ("werknemer", "werknemer_ww", "werknemer_overige_uitkering")


JOB_CHANGERS = ("andere_werkgever_zelfde_sector", "andere_sector")  # employed elsewhere than at the start


BENEFIT = ("werknemer_ww", "werknemer_overige_uitkering", "ww", "overige_uitkering")


WERKGEVER = {
    "zelfde_werkgever": "Zelfde werkgever",
    "andere_werkgever_zelfde_sector": "Andere werkgever, zelfde sector",
    "andere_sector": "Andere sector",
}


CONTRACT = {"vast": "Vast", "flexibel": "Flexibel"}


# Hours as Figuur 4.14 distinguishes them; "deeltijd met vaste uren" is the three middle values.
UREN = {
    "geen_vaste_uren": "Geen vaste uren (uitzend/oproep)",
    "minder_dan_12_uur": "Minder dan 12 uur per week",
    "twee_drie_dagen": "2-3 dagen",
    "vier_dagen": "4 dagen",
    "voltijd": "Voltijd",
}


PART_TIME = ("minder_dan_12_uur", "twee_drie_dagen", "vier_dagen")


# The outcome variables with their values, in the order the synthetic file assigns them.
OUTCOMES = {
    "inkomenssituatie": tuple(INKOMENSSITUATIE),
    "werkgever": tuple(WERKGEVER),
    "contract": tuple(CONTRACT),
    "uren": tuple(UREN),
}


# Outcomes the claims name that are a set of values of one variable (``baan=ja``).
DERIVED_OUTCOMES = {
    "baan": ("inkomenssituatie", EMPLOYED),
    "uitkering": ("inkomenssituatie", BENEFIT),
    "alleen_uitkering": ("inkomenssituatie", ("ww", "overige_uitkering")),
}


NOT_EMPLOYED = "geen"


# Cohort keys that are a condition on an outcome (``baan=ja``, ``baanwisselaar=nee``): the variable
# and the values that mean "ja". One definition for cohort selection, calibration and the generator.
OUTCOME_CONDITIONS = {"baan": ("inkomenssituatie", EMPLOYED), "baanwisselaar": ("werkgever", JOB_CHANGERS)}


YES, NO = ("ja", "true", "1"), ("nee", "false", "0")


DOELGROEPEN = {
    "1-2": {
        "werkenden_sector": "Werkenden sector",
        "werkenden_andere_sectoren": "Werkenden andere sectoren",
        "studenten": "Studenten",
        "niet_werkend": "Niet-werkend",
    },
}


PEILDATA = ("2017-05-31", "2018-05-31", "2019-05-31")


# The measure of a participant whose theme the report does not split by measure (every theme but
# arbeidsmobiliteit, and every trajectory type of tranche 3).
NOT_SPLIT = "niet uitgesplitst"


@lru_cache(maxsize=1)
def measures() -> dict[str, tuple[str, ...]]:
    """The measures the report names, per theme (Figuur 4.1: the four of arbeidsmobiliteit), as the
    prior of the synthetic file lists them (``maatregelen`` in data/calibratie.yaml): an extract's
    ``maatregel`` is one of these for its theme, or 'niet uitgesplitst'. Nothing else: a value held by
    few participants would be shown as a row label, and free text never reaches a page."""
    try:
        named = (yamlfile.read(paths.CALIBRATION) or {}).get("maatregelen") or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{paths.CALIBRATION}: cannot read the measures per theme ({exc})") from None
    return {str(theme): tuple(str(m) for m in per_theme) for theme, per_theme in named.items()}


def measure_values() -> list[str]:
    """Every value ``maatregel`` may hold: the named measures of every theme, then 'niet uitgesplitst'."""
    return [m for per_theme in measures().values() for m in per_theme] + [NOT_SPLIT]


COLUMNS = [
    "deelnemer_id",
    "plan_id",
    "tranche",
    "categorie",
    "maatregel",
    "doelgroep",
    "jong",
    "start",
    "einde",
    "peildatum",
    "inkomenssituatie",
    "werkgever",
    "contract",
    "uren",
]


# What describes a participant's trajectory, the same on every measurement date (the outcomes change):
# a participant in two plans (or two themes, ages, start dates) would be counted in both.
STATIC_COLUMNS = ("plan_id", "tranche", "categorie", "maatregel", "doelgroep", "jong", "start", "einde")


# The column of a table of counts (the engine's output): how many participants each row stands for.
# A frame without it has one participant per row; every count below reads either.
COUNT = "aantal"


def weights(frame: pd.DataFrame) -> np.ndarray:
    """How many participants each row stands for: the column ``aantal`` of a table of counts, else 1."""
    if COUNT in frame.columns:
        return frame[COUNT].to_numpy(np.int64)
    return np.ones(len(frame), dtype=np.int64)


def size(frame: pd.DataFrame) -> int:
    """The number of participants in a frame of participants or of counts."""
    return int(frame[COUNT].sum()) if COUNT in frame.columns else len(frame)


def outcome_values(column: str) -> tuple[str, tuple[str, ...]]:
    """``baan=ja``, ``werkgever=a|b`` -> the outcome variable and the values that count as a hit
    (a derived outcome other than ``ja`` counts the other values of its variable)."""
    variable, _, values = column.partition("=")
    wanted = tuple(v.strip() for v in values.split("|"))
    if variable in DERIVED_OUTCOMES:
        source, members = DERIVED_OUTCOMES[variable]
        if wanted == ("ja",):
            return source, tuple(members)
        return source, tuple(v for v in OUTCOMES[source] if v not in members)
    if variable not in OUTCOMES:
        raise OutcomeError(f"outcome {column!r}: unknown variable {variable!r}")
    unknown = [v for v in wanted if v not in OUTCOMES[variable]]
    if unknown:
        raise OutcomeError(f"outcome {column!r}: unknown value(s) {', '.join(unknown)}")
    return variable, wanted


def outcome_condition(key: str, value) -> tuple[str, tuple[str, ...]]:
    """A cohort condition on an outcome as the values it admits: ``baan=ja`` -> the employed
    income situations; ``baan=nee`` -> every other one; ``baanwisselaar=nee`` -> the same employer
    or no job."""
    variable, members = OUTCOME_CONDITIONS[key]
    answer = str(value).strip().lower()
    domain = OUTCOMES[variable] + ((NOT_EMPLOYED,) if variable in ("werkgever", "contract", "uren") else ())
    if answer in YES:
        return variable, tuple(members)
    if answer in NO:
        return variable, tuple(v for v in domain if v not in members)
    raise OutcomeError(f"cohort condition {key}={value!r}: expected ja or nee")


def with_categories(people: pd.DataFrame) -> pd.DataFrame:
    """The text columns (all but the participant id) as categoricals: selecting cohorts from
    hundreds of thousands of rows is several times faster on categories than on strings."""
    text = [c for c in people.columns if people[c].dtype == object and c != "deelnemer_id"]
    return people.astype({c: "category" for c in text})


def doelgroepen(tranche_group: str) -> list[str]:
    """Target groups at the start: four for tranche 1-2; in tranche 3 the trajectory type is the group."""

    return list(DOELGROEPEN["1-2"]) if tranche_group == "1-2" else category_ids("type_traject")


# The schema's rules across columns (their names are the messages' wording, see sectorplannen.participants.extract).
RULE_CONSISTENT = "plan, tranche, categorie and doelgroep belong together"
RULE_JOB_FIELDS = "werkgever, contract and uren are filled exactly when employed"
RULE_DATES = "start is not after einde"
RULE_MEASURE = "a named maatregel belongs to its theme"


# How Excel and databases write the values of ``jong`` (Dutch Excel: WAAR / ONWAAR), lower case.
JONG_VALUES = {"true": True, "false": False, "1": True, "0": False, "waar": True, "onwaar": False}


def participant_schema() -> pa.DataFrameSchema:

    plans = {p.id: p for p in register()}
    plan_tranche = {p.id: p.tranche for p in plans.values()}
    themes, types = set(category_ids("thema")), set(category_ids("type_traject"))
    groups = set(doelgroepen("1-2")) | set(doelgroepen("3"))
    text = {"dtype": str, "nullable": False}

    def consistent(df: pd.DataFrame) -> pd.Series:
        tranche_ok = df["plan_id"].map(plan_tranche).fillna(-1) == df["tranche"]
        axis_ok = df["categorie"].where(df["tranche"] < 3, "").isin(themes | {""}) & df["categorie"].where(
            df["tranche"] == 3, ""
        ).isin(types | {""})
        group_ok = (df["tranche"] < 3) & df["doelgroep"].isin(doelgroepen("1-2")) | (df["tranche"] == 3) & (
            df["doelgroep"] == df["categorie"]
        )
        return tranche_ok & axis_ok & group_ok

    def job_fields(df: pd.DataFrame) -> pd.Series:
        employed = df["inkomenssituatie"].isin(EMPLOYED)
        filled = (df[["werkgever", "contract", "uren"]] != NOT_EMPLOYED).all(axis=1)
        empty = (df[["werkgever", "contract", "uren"]] == NOT_EMPLOYED).all(axis=1)
        return (employed & filled) | (~employed & empty)

    theme_of = {m: theme for theme, named in measures().items() for m in named}

    def measure_in_theme(df: pd.DataFrame) -> pd.Series:
        theme = df["maatregel"].map(theme_of)
        return theme.isna() | (theme == df["categorie"])

    return pa.DataFrameSchema(
        {
            "deelnemer_id": pa.Column(checks=pa.Check.str_length(min_value=1), **text),
            "plan_id": pa.Column(checks=pa.Check.isin(list(plans)), **text),
            "tranche": pa.Column(int, checks=pa.Check.isin([1, 2, 3]), coerce=True),
            "categorie": pa.Column(checks=pa.Check.isin(sorted(themes | types)), **text),
            "maatregel": pa.Column(checks=pa.Check.isin(measure_values()), **text),
            "doelgroep": pa.Column(checks=pa.Check.isin(sorted(groups)), **text),
            "jong": pa.Column(bool, coerce=False),
            "start": pa.Column("datetime64[ns]", checks=pa.Check.ge(pd.Timestamp("2013-01-01"))),
            "einde": pa.Column("datetime64[ns]", checks=pa.Check.le(pd.Timestamp("2019-05-31"))),
            "peildatum": pa.Column(checks=pa.Check.isin(list(PEILDATA)), **text),
            "inkomenssituatie": pa.Column(checks=pa.Check.isin(list(INKOMENSSITUATIE)), **text),
            "werkgever": pa.Column(checks=pa.Check.isin([*WERKGEVER, NOT_EMPLOYED]), **text),
            "contract": pa.Column(checks=pa.Check.isin([*CONTRACT, NOT_EMPLOYED]), **text),
            "uren": pa.Column(checks=pa.Check.isin([*UREN, NOT_EMPLOYED]), **text),
        },
        checks=[
            pa.Check(consistent, name=RULE_CONSISTENT),
            pa.Check(job_fields, name=RULE_JOB_FIELDS),
            pa.Check(lambda df: df["start"] <= df["einde"], name=RULE_DATES),
            pa.Check(measure_in_theme, name=RULE_MEASURE),
        ],
        unique=["deelnemer_id", "peildatum"],
        strict=True,
        ordered=False,
    )
