"""The claims files of ``data/claims/``: their schema, statuses and the explanations of differences."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from sectorplannen import hashing, notation, paths, yamlfile
from sectorplannen.errors import ClaimsError
from sectorplannen.published import labels
from sectorplannen.published.load import TEXT_COLUMN, tables
from sectorplannen.sources.categories import category_ids
from sectorplannen.sources.register import register
from sectorplannen.statistics import indicators
from sectorplannen.statistics.declaration import ARGUMENTS, PARTICIPANT

CLAIMS = paths.DATA / "claims"


IDENTITY_UNITS = ("plan", "categorie")  # the published value is an id, compared as text
# The units a claim may print its number in, and their factor to the statistic's base unit ("rang":
# a position, 1 = highest, of a group of participants, not a number of participants).
UNITS = {
    **{unit: notation.scale(unit) for unit in ("aantal", "procent", "euro", "duizend", "miljoen euro", "rang")},
    **dict.fromkeys(IDENTITY_UNITS),
}


QUALIFIERS = ("", "ongeveer", "ruim", "bijna", "meer dan", "minder dan")


STATUS_REPRODUCED, STATUS_DIFFERS, STATUS_NA, STATUS_OTHER, STATUS_TAKEN, STATUS_UNCALIBRATED = (
    "gereproduceerd",
    "wijkt af",
    "niet berekenbaar",
    "andere selectie",
    "overgenomen",
    "niet gekalibreerd (synthetisch)",
)


# A value recomputed from other printed cells of the table that prints it: checks the table's
# arithmetic (its totals and shares), not its data.
STATUS_ARITHMETIC = "nagerekend (zelfde tabel)"


# A participant claim met on the synthetic file, which is calibrated to meet it: no evidence.
STATUS_CALIBRATED = "gekalibreerd (synthetisch)"


# A participant value that disclosure control hides (too few participants behind it).
STATUS_SUPPRESSED = "onderdrukt"


# The statuses in the order a ledger summary lists them; only the first is evidence of reproduction.
STATUSES = (
    STATUS_REPRODUCED,
    STATUS_ARITHMETIC,
    STATUS_TAKEN,
    STATUS_CALIBRATED,
    STATUS_DIFFERS,
    STATUS_UNCALIBRATED,
    STATUS_SUPPRESSED,
    STATUS_NA,
    STATUS_OTHER,
)


TRANCHES = ("1", "2", "1-2", "3", "alle")


# The participant statistics (declared in ``statistics.declaration``): those the synthetic file is
# calibrated to (a share, a count), and all of them.
PARTICIPANT_STATISTICS = tuple(name for name, d in PARTICIPANT.items() if d.calibrated)
FILE_STATISTICS = tuple(PARTICIPANT)
# Every statistic a claim may name, as it declares itself: the plan-level vocabulary and the
# participant statistics.
VOCABULARY = {**indicators.DECLARATIONS, **PARTICIPANT}
STATISTICS = list(VOCABULARY)


# What a claim that no data of the project determines lacks: an input that is absent from the
# project. The claim's note names one, as "Ontbreekt: <input>." A missing statistic is never the
# reason (a statistic the data determine is written, in ``statistics/``); a claim that the data
# determine but that is not computed yet says so, as PENDING_MARK followed by what it needs. A number
# the running text states is no absent input: it is transcribed into a text table and read back.
MISSING_INPUTS = (
    "interviews en groepsgesprekken van de evaluatie",
    "enquêtes onder projectleiders, werkgevers of deelnemers",
    "de leeftijd van alle deelnemers per plan (het deelnemersbestand heeft alleen de bsn-deelnemers)",
    "gegevens per maatregel",
    "gegevens per plan of project die geen tabel van het project bevat",
    "herzieningen, betalingen en afronding per plan",
    "deelnemersgegevens die het deelnemersbestand niet heeft",
    "een bron buiten het project",
    "een transcriptie van een grafiek van de bron",
    "de volledige zin (de tekstextractie mist het begin)",
)
MISSING_MARK = "Ontbreekt: "
PENDING_MARK = "Niet berekend, hoewel de gegevens van het project het getal bepalen: "


def missing_input(note: str) -> str | None:
    """The absent input a note names ("Ontbreekt: <input>."), or None."""
    for item in MISSING_INPUTS:
        if f"{MISSING_MARK}{item}." in note:
            return item
    return None


COLUMNS = [
    "id",
    "chapter",
    "tranche",
    "line",
    "location",
    "quote",
    "statistic",
    "category_id",
    "plan",
    "rank",
    "published",
    "unit",
    "step",
    "qualifier",
    "note",
    "source",
    "table",
    "row",
    "column",
]


def _schema() -> pa.DataFrameSchema:

    text = TEXT_COLUMN  # read as text (_read)
    return pa.DataFrameSchema(
        {
            "id": pa.Column(checks=pa.Check.str_matches(r"^[0-9A-Za-z]+-\d{2,3}$"), unique=True, **text),
            "chapter": pa.Column(**text),
            "tranche": pa.Column(checks=pa.Check.isin(list(TRANCHES)), **text),
            "line": pa.Column(checks=pa.Check.str_matches(r"^\d+(-\d+)?$"), **text),
            "location": pa.Column(**text),
            "quote": pa.Column(**text),
            "statistic": pa.Column(checks=pa.Check.isin(["", *STATISTICS]), **text),
            "category_id": pa.Column(checks=pa.Check(lambda ids: ids.map(_known_categories)), **text),
            "plan": pa.Column(checks=pa.Check(lambda plans: plans.map(_known_plans)), **text),
            "rank": pa.Column(checks=pa.Check.str_matches(r"^(\d+)?$"), **text),
            "published": pa.Column(checks=pa.Check.str_length(min_value=1), **text),
            "unit": pa.Column(checks=pa.Check.isin(list(UNITS)), **text),
            "step": pa.Column(float, checks=pa.Check.gt(0), coerce=True),
            "qualifier": pa.Column(checks=pa.Check.isin(QUALIFIERS), **text),
            "note": pa.Column(**text),
            "source": pa.Column(checks=pa.Check.isin(sorted(labels.SOURCES)), **text),
            "table": pa.Column(checks=pa.Check.isin(["", *_table_refs()]), **text),
            "row": pa.Column(**text),
            "column": pa.Column(**text),
        },
        strict=True,
        ordered=True,
    )


def _known_plans(value: str) -> bool:
    """Empty, a plan id, a register selector (``plan_type=regionaal&cluster=zorg``), or several as ``a|b``."""

    ids = {p.id for p in register()}
    return not value or all(part in ids or _selector(part) for part in value.split("|"))


def _selector(part: str) -> bool:
    """A selector of register fields: ``field=value`` joined by ``&``, each a known value."""
    known = {"plan_type": {p.plan_type for p in register()}, "cluster": {p.cluster for p in register()}}
    pairs = [item.partition("=") for item in part.split("&")]
    return all(sep and value in known.get(key, ()) for key, sep, value in pairs)


def _known_categories(value: str) -> bool:
    """Empty, a category id or 'totaal', or several as ``a|b``."""
    ids = {"", *category_ids()}
    return all(part in ids for part in value.split("|"))


def _table_refs() -> list[str]:

    return [f"{seed}/{table_id}" for seed, table_id in tables()]


def load(chapter_file: str, claims_dir: Path | None = None) -> pd.DataFrame:
    """The claims of one chapter notebook (``inhoud``, ``uitvoering``), validated."""
    path = Path(claims_dir or CLAIMS) / f"{chapter_file}.csv"
    key = (str(path), *hashing.file_stamp(path))
    if key[1] is None:
        raise ClaimsError(f"{path}: missing")
    if key not in _LOADED:
        _LOADED[key] = _read(path)
    return _LOADED[key].copy()


# Validated claims files by path, size and times: a file read again in the same process (every
# variant of the robustness chapter, every tranche of a ledger) is validated once.
_LOADED: dict[tuple, pd.DataFrame] = {}


def _read(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise ClaimsError(f"{path}: missing") from None
    try:
        frame = _schema().validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        case = exc.failure_cases.iloc[0]
        row = f", row {int(case['index']) + 2}" if pd.notna(case["index"]) else ""
        raise ClaimsError(
            f"{path}{row}, column {case['column']!r}: fails {case['check']} (value {case['failure_case']!r})"
        ) from None
    numeric = ~frame["unit"].isin(IDENTITY_UNITS)
    values = pd.to_numeric(
        frame.loc[numeric, "published"].str.replace(".", "", regex=False).str.replace(",", ".", regex=False),
        errors="coerce",
    )
    if values.isna().any():
        bad = values[values.isna()].index[0]
        raise ClaimsError(f"{path}, row {bad + 2}, column 'published': {frame.loc[bad, 'published']!r} is not a number")
    _check_arguments(path, frame)
    frame["value"] = None
    frame.loc[numeric, "value"] = values
    frame.loc[~numeric, "value"] = frame.loc[~numeric, "published"]
    return frame


def _check_arguments(path: Path, frame: pd.DataFrame) -> None:
    """Refuse a claim that gives its statistic an argument the statistic does not take (it would be
    computed without it, over all plans or categories, without a word), or a unit it cannot be in."""
    for index, claim in frame[frame["statistic"] != ""].iterrows():
        declaration = VOCABULARY[claim["statistic"]]
        for argument, column in ARGUMENTS.items():
            if claim[column] and argument not in declaration.takes:
                takes = ", ".join(ARGUMENTS[a] for a in declaration.takes) or "nothing"
                raise ClaimsError(
                    f"{path}, row {index + 2}, column {column!r}: statistic {claim['statistic']!r} takes no "
                    f"{column} (it takes {takes}); empty the cell or name a statistic that takes it"
                )
        if not declaration.fits(claim["unit"]):
            raise ClaimsError(
                f"{path}, row {index + 2}, column 'unit': statistic {claim['statistic']!r} gives "
                f"{declaration.unit}, not {claim['unit']!r}; correct the unit or the statistic"
            )


def explanations(claims_dir: Path | None = None) -> dict[str, str]:
    """Claim id -> explanation of why the computed value differs (``verschillen*.yaml``: one
    general file and one per chapter notebook); read once per state of the files in a process
    (every ledger reads them)."""
    files = sorted(Path(claims_dir or CLAIMS).glob("verschillen*.yaml"))
    key = tuple((str(path), *hashing.file_stamp(path)) for path in files)
    if key not in _EXPLAINED:
        _EXPLAINED[key] = _explanations(files)
    return dict(_EXPLAINED[key])


# Explanations by the path, size and times of every file they come from.
_EXPLAINED: dict[tuple, dict[str, str]] = {}


def _explanations(files: list[Path]) -> dict[str, str]:
    out = {}
    for path in files:
        entries = yamlfile.read(path) or []
        for number, entry in enumerate(entries, start=1):
            ids = entry.get("claims") or [entry.get("claim")]
            if not all(ids) or not entry.get("explanation"):
                raise ClaimsError(f"{path}: entry {number} needs 'claim' (or 'claims') and 'explanation'")
            for claim_id in ids:
                if str(claim_id) in out:
                    raise ClaimsError(f"{path}: claim {claim_id} is explained twice")
                out[str(claim_id)] = " ".join(str(entry["explanation"]).split())
    return out


def is_participant_file(chapter_file: str, claims_dir: Path | None = None) -> bool:
    """True when a claims file states participant numbers (computed from participant data, so
    checked in its chapter on that data, not against the report from the published tables)."""
    return bool(load(chapter_file, claims_dir)["statistic"].isin(FILE_STATISTICS).any())
