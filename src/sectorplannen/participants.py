"""The participant file: schema, validation and loading (a real extract or the synthetic file).

Chapters 4 and 7 describe participants linked by BSN to UWV records. That extract is
confidential: evaluators keep it outside the repository and point the notebook's ``data_source``
parameter at it. Anyone else runs the same analysis on the synthetic file
(:mod:`sectorplannen.synthetic`), which has this schema. The schema is documented in
``data/README.md``.

One row per participant and measurement date (31 May 2017, 2018, 2019).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from sectorplannen import paths

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
SYNTHETIC = paths.DATA / "synthetic" / "deelnemers.csv"


class OutcomeError(ValueError):
    """An outcome (``variable=value|value``) with an unknown variable or value."""


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


class ParticipantDataError(ValueError):
    """A participant file that does not follow the schema (names file, row and column)."""


def doelgroepen(tranche_group: str) -> list[str]:
    """Target groups at the start: four for tranche 1-2; in tranche 3 the trajectory type is the group."""
    from sectorplannen.published import category_ids

    return list(DOELGROEPEN["1-2"]) if tranche_group == "1-2" else category_ids("type_traject")


# The schema's rules across columns (their names are the messages' wording, see sectorplannen.extract).
RULE_CONSISTENT = "plan, tranche, categorie and doelgroep belong together"
RULE_JOB_FIELDS = "werkgever, contract and uren are filled exactly when employed"
RULE_DATES = "start is not after einde"
# How Excel and databases write the values of ``jong`` (Dutch Excel: WAAR / ONWAAR), lower case.
JONG_VALUES = {"true": True, "false": False, "1": True, "0": False, "waar": True, "onwaar": False}


def _schema() -> pa.DataFrameSchema:
    from sectorplannen.plans import register
    from sectorplannen.published import category_ids

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

    return pa.DataFrameSchema(
        {
            "deelnemer_id": pa.Column(checks=pa.Check.str_length(min_value=1), **text),
            "plan_id": pa.Column(checks=pa.Check.isin(list(plans)), **text),
            "tranche": pa.Column(int, checks=pa.Check.isin([1, 2, 3]), coerce=True),
            "categorie": pa.Column(checks=pa.Check.isin(sorted(themes | types)), **text),
            "maatregel": pa.Column(**text),
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
        ],
        unique=["deelnemer_id", "peildatum"],
        strict=True,
        ordered=False,
    )


def _first_bad(bad: pd.Series) -> tuple[int, str]:
    """The row number of the first flagged row (the header is row 1) and how many more there are."""
    n = int(bad.sum())
    more = "" if n == 1 else f" (and {n - 1} more row{'s' if n > 2 else ''})"
    return int(bad.idxmax()) + 2, more


def _parse(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The text columns as the schema types them (dates, ``jong``, ``tranche``); a header without
    exactly the schema's columns, or a value that is no date, boolean or tranche, is named."""
    from sectorplannen.extract import columns_problem

    problem = columns_problem(list(frame.columns), path)
    if problem:
        raise ParticipantDataError(problem)
    out = frame.copy()
    for column in ("start", "einde"):
        parsed = pd.to_datetime(out[column], format="%Y-%m-%d", errors="coerce")
        bad = parsed.isna()
        if bad.any():
            row, more = _first_bad(bad)
            raise ParticipantDataError(
                f"{path}, row {row}, column {column!r}: {out.loc[row - 2, column]!r} is not a date (YYYY-MM-DD)"
                f"{more}: write dates as YYYY-MM-DD, e.g. 2019-05-31 (in Excel: format the column as yyyy-mm-dd)"
            )
        out[column] = parsed
    jong = out["jong"].str.strip().str.lower().map(JONG_VALUES)
    if jong.isna().any():
        row, more = _first_bad(jong.isna())
        raise ParticipantDataError(
            f"{path}, row {row}, column 'jong': expected true or false, found {out.loc[row - 2, 'jong']!r}{more}: "
            "write true (26 or younger at the start) or false"
        )
    out["jong"] = jong.astype(bool)
    tranche = pd.to_numeric(out["tranche"], errors="coerce")
    bad = tranche.isna() | (tranche % 1 != 0)
    if bad.any():
        row, more = _first_bad(bad)
        raise ParticipantDataError(
            f"{path}, row {row}, column 'tranche': {out.loc[row - 2, 'tranche']!r} is not 1, 2 or 3{more}: "
            "write the plan's tranche (data/published/plans.csv)"
        )
    out["tranche"] = tranche.astype(int)
    return out


def validate(frame: pd.DataFrame, path: Path | str = "<frame>") -> pd.DataFrame:
    """Check a participant frame against the schema; raise one line naming row and column and
    saying what to do (see :func:`sectorplannen.extract.explain`)."""
    schema = _schema()
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        from sectorplannen.extract import explain

        raise ParticipantDataError(explain(exc.failure_cases, frame, path, schema)) from None


def check_location(path: Path) -> None:
    """A real extract must stay outside the repository and outside outputs/."""
    resolved = Path(path).resolve()
    if resolved == SYNTHETIC.resolve():
        return
    for folder in (paths.ROOT, paths.OUTPUTS):
        if resolved.is_relative_to(folder.resolve()):
            raise ParticipantDataError(
                f"{path}: a participant extract must be kept outside the repository ({paths.ROOT}); "
                "move it and pass its path as data_source"
            )


def read_valid(path: Path) -> pd.DataFrame:
    """A participant file read (any separator, UTF-8 or Windows-1252) and checked against the schema."""
    from sectorplannen import extract

    frame = validate(_parse(extract.read(path), path), path)
    if not isinstance(frame.index, pd.RangeIndex):  # rows without values were left out
        frame = frame.reset_index(drop=True)
    return frame


# Rows per tranche, peildatum and plan of extracts checked in this process, by file version: a build
# that runs chapters 4 and 7 on one extract reads it once before the kernels start.
_CHECKED: dict[tuple, pd.Series] = {}


def _checked_counts(path: Path) -> pd.Series:
    from sectorplannen.extract import file_bytes

    if not path.is_file():
        file_bytes(path)  # names a missing path or a folder
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _CHECKED:
        frame = read_valid(path)
        _CHECKED.clear()  # one extract at a time is enough
        _CHECKED[key] = frame.groupby(["tranche", "peildatum", "plan_id"], observed=True).size()
    return _CHECKED[key]


def check_extract(path, tranche=None, measurement_date=None, exclude_plans=()) -> None:
    """Everything about a real extract that can be checked before a kernel starts: where it is
    (outside the repository), that it can be read, the schema, and that the chosen tranche and
    measurement date (without ``exclude_plans``) select participants. Raises
    :class:`ParticipantDataError` with one line naming file, row and column and what to do."""
    from sectorplannen.plans import TRANCHE_GROUPS

    path = Path(path)
    check_location(path)
    counts = _checked_counts(path)
    if tranche is None and measurement_date is None:
        return
    keys = counts.index.to_frame(index=False)
    chosen = pd.Series(True, index=keys.index)
    what = "participants"
    if tranche is not None:
        chosen &= keys["tranche"].isin(TRANCHE_GROUPS[str(tranche)])
        what += f" of tranche {tranche}"
    if measurement_date is not None:
        chosen &= keys["peildatum"] == f"{str(measurement_date)[:4]}-05-31"
        what += f" on 31 May {str(measurement_date)[:4]}"
    if not chosen.any():
        raise ParticipantDataError(
            f"{path}: the extract has no {what}: choose another tranche or measurement_date, or check the "
            "extract's columns 'tranche' and 'peildatum'"
        )
    if not (chosen & ~keys["plan_id"].isin(list(exclude_plans))).any():
        raise ParticipantDataError(
            f"{path}: the extract has no {what} outside exclude_plans: keep at least one plan with participants"
        )


def load(data_source: str | Path = "synthetic") -> pd.DataFrame:
    """The participant file: ``"synthetic"`` (generated on first use) or the path of a real extract,
    read and checked as :func:`check_extract` does (the same messages)."""
    if str(data_source) == "synthetic":
        path = SYNTHETIC
        if not path.exists():
            from sectorplannen import synthetic

            synthetic.write()
    else:
        path = Path(data_source)
        check_location(path)
    frame = read_valid(path)
    frame.attrs["data_kind"] = "synthetic" if path == SYNTHETIC else "extract"
    frame.attrs["path"] = str(path)
    return frame
