"""An extract in Parquet, SPSS or Stata, or a semicolon Latin-1 CSV, with the extract's own column
names and codes and a column mapping beside it, loads to the same frame as the schema's CSV; a bad
cell gives the same one line as in a CSV; a file that is not its format and a wrong mapping are one
line each. Every file is made in a temporary folder from a sample of the synthetic file."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
import yaml

from sectorplannen import participants
from sectorplannen.errors import ColumnMappingError, ExtractFormatError, ParticipantDataError
from sectorplannen.participants import formats, schema

# The extract's own names for the schema's columns (as a secure environment might export them).
RENAMED = {
    "deelnemer_id": "BSN_ID",
    "plan_id": "PLAN",
    "tranche": "TRANCHE",
    "categorie": "CATEGORIE",
    "maatregel": "MAATREGEL",
    "doelgroep": "DOELGROEP",
    "jong": "JONG26",
    "start": "STARTDATUM",
    "einde": "EINDDATUM",
    "peildatum": "PEILDATUM",
    "inkomenssituatie": "INKSIT",
    "werkgever": "WERKGEVER",
    "contract": "CONTRACT",
    "uren": "UREN",
}

INKOMENSSITUATIE_CODES = {i + 1: value for i, value in enumerate(participants.INKOMENSSITUATIE)}

MAPPING = {
    "columns": {extract: schema for schema, extract in RENAMED.items()},
    "codes": {"inkomenssituatie": INKOMENSSITUATIE_CODES, "jong": {1: True, 0: False}},
}

BAD_ROW = 7  # the frame index of the cell made bad: row 9 of the file (the header is row 1)


def coded(sample: pd.DataFrame) -> pd.DataFrame:
    """The sample as a statistics package holds it: renamed columns, numeric codes, real dates, whole numbers."""
    codes = {value: code for code, value in INKOMENSSITUATIE_CODES.items()}
    frame = sample.assign(
        inkomenssituatie=sample["inkomenssituatie"].map(codes),
        jong=(sample["jong"] == "true").astype(int),
        tranche=sample["tranche"].astype(int),
        start=pd.to_datetime(sample["start"]),
        einde=pd.to_datetime(sample["einde"]),
    )
    return frame.rename(columns=RENAMED)


def _mapping(path: Path, mapping=MAPPING) -> Path:
    target = Path(f"{path}{formats.MAPPING_SUFFIX}")
    target.write_text(yaml.safe_dump(mapping, sort_keys=False), encoding="utf-8")
    return target


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, engine="pyarrow", index=False)


def write_sav(frame: pd.DataFrame, path: Path) -> None:
    dated = frame.assign(**{c: frame[c].dt.date for c in ("STARTDATUM", "EINDDATUM")})
    pyreadstat.write_sav(dated, str(path))


def write_dta(frame: pd.DataFrame, path: Path) -> None:
    dated = frame.assign(**{c: frame[c].dt.date for c in ("STARTDATUM", "EINDDATUM")})
    pyreadstat.write_dta(dated, str(path))


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, sep=";", encoding="latin-1", index=False, date_format="%Y-%m-%d", lineterminator="\r\n")


WRITERS = {"parquet": write_parquet, "sav": write_sav, "dta": write_dta, "csv": write_csv}


def _plain(sample: pd.DataFrame, folder: Path) -> Path:
    path = folder / "schema.csv"
    sample.to_csv(path, index=False, lineterminator="\n")
    return path


@pytest.mark.parametrize("suffix", WRITERS)
def test_each_format_with_a_mapping_loads_to_the_schema_csv(sample, tmp_path, suffix):
    expected = participants.rows(_plain(sample, tmp_path))
    frame = coded(sample)
    if suffix == "csv":
        frame.loc[0, "BSN_ID"] = "Deelnemer één"  # a Latin-1 character
        expected.loc[0, "deelnemer_id"] = "Deelnemer één"
    path = tmp_path / f"extract.{suffix}"
    WRITERS[suffix](frame, path)
    _mapping(path)
    participants.check_extract(path, "1-2", "2019")
    got = participants.rows(path)
    assert got.attrs["data_kind"] == "extract"
    assert got.shape == (313, 14)
    pd.testing.assert_frame_equal(got, expected, check_like=False)


def test_a_mapping_can_be_given_instead_of_lying_beside_the_extract(sample, tmp_path):
    path = tmp_path / "extract.dta"
    write_dta(coded(sample), path)
    elsewhere = _mapping(tmp_path / "elders")
    got = participants.rows(path, mapping=elsewhere)
    pd.testing.assert_frame_equal(got, participants.rows(_plain(sample, tmp_path)))


@pytest.mark.parametrize("suffix", WRITERS)
def test_a_bad_cell_gives_the_line_the_csv_path_gives(sample, tmp_path, suffix):
    schema_csv = sample.copy()
    schema_csv.loc[BAD_ROW, "inkomenssituatie"] = "9"  # a code the mapping does not know stays as it is
    csv_path = _plain(schema_csv, tmp_path)
    with pytest.raises(ParticipantDataError) as from_csv:
        participants.rows(csv_path)
    frame = coded(sample)
    frame.loc[BAD_ROW, "INKSIT"] = 9
    path = tmp_path / f"extract.{suffix}"
    WRITERS[suffix](frame, path)
    _mapping(path)
    with pytest.raises(ParticipantDataError) as caught:
        participants.rows(path)
    message = str(caught.value)
    assert message == str(from_csv.value).replace(str(csv_path), str(path))
    assert message.startswith(f"{path}, row {BAD_ROW + 2}, column 'inkomenssituatie': value '9' is not one of ")
    assert "\n" not in message


@pytest.mark.parametrize(
    ("suffix", "kind"), [("parquet", "Parquet"), ("sav", "SPSS"), ("dta", "Stata"), ("pq", "Parquet")]
)
def test_a_file_that_is_not_its_format_is_one_line(sample, tmp_path, suffix, kind):
    path = tmp_path / f"extract.{suffix}"
    sample.to_csv(path, index=False)  # a CSV file with the wrong suffix
    with pytest.raises(ExtractFormatError) as caught:
        participants.rows(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: not a readable {kind} file (")
    assert message.endswith("or export it as UTF-8 CSV")
    assert "\n" not in message


def test_a_missing_format_file_is_named(tmp_path):
    path = tmp_path / "geen.sav"
    with pytest.raises(ParticipantDataError) as caught:
        participants.rows(path)
    assert str(caught.value) == f"{path}: no such file: check the path given as data_source"


def test_without_a_mapping_the_extract_names_are_unexpected_columns(sample, tmp_path):
    path = tmp_path / "extract.parquet"
    write_parquet(coded(sample), path)
    with pytest.raises(ParticipantDataError) as caught:
        participants.rows(path)
    assert str(caught.value).startswith(
        f"{path}, row 1 (header): column(s) 'deelnemer_id', 'plan_id', 'tranche', 'categorie', 'maatregel', "
        "'doelgroep', 'jong', 'start', 'einde', 'peildatum', 'inkomenssituatie', 'werkgever', 'contract', 'uren' "
        "missing and 'BSN_ID', 'PLAN', "
    )


def _line(mapping_path: Path, text: str, after: str = "columns:") -> int:
    """The number of the first line holding ``text`` below the line ``after``."""
    lines = mapping_path.read_text().splitlines()
    start = lines.index(after)
    return next(i for i, line in enumerate(lines, 1) if i > start and text in line)


def test_a_mapping_to_an_unknown_schema_column_is_refused(sample, tmp_path):
    path = tmp_path / "extract.parquet"
    write_parquet(coded(sample), path)
    wrong = {**MAPPING, "columns": {**MAPPING["columns"], "INKSIT": "inkomen"}}
    mapping = _mapping(path, wrong)
    with pytest.raises(ColumnMappingError) as caught:
        participants.rows(path)
    assert str(caught.value) == (
        f"{mapping}, line {_line(mapping, 'INKSIT')}, columns: 'INKSIT' maps to 'inkomen', which is not a column "
        f"of the schema: use one of {', '.join(participants.COLUMNS)}"
    )


def test_codes_for_an_unknown_schema_column_are_refused(sample, tmp_path):
    path = tmp_path / "extract.sav"
    write_sav(coded(sample), path)
    wrong = {**MAPPING, "codes": {"INKSIT": INKOMENSSITUATIE_CODES}}
    mapping = _mapping(path, wrong)
    with pytest.raises(ColumnMappingError) as caught:
        participants.rows(path)
    assert str(caught.value) == (
        f"{mapping}, line {_line(mapping, 'INKSIT:', 'codes:')}, codes: 'INKSIT' is not a column of the schema: "
        f"name the schema column (after renaming), one of {', '.join(participants.COLUMNS)}"
    )


def test_a_mapped_column_missing_from_the_file_is_refused(sample, tmp_path):
    path = tmp_path / "extract.dta"
    write_dta(coded(sample).drop(columns="UREN"), path)
    mapping = _mapping(path)
    with pytest.raises(ColumnMappingError) as caught:
        participants.check_extract(path)
    message = str(caught.value)
    assert message.startswith(
        f"{mapping}, line {_line(mapping, 'UREN:')}, columns: maps 'UREN', which {path} does not have (its columns: "
        "BSN_ID, PLAN, "
    )
    assert message.endswith("): correct the name or remove the line")


def test_a_mapping_that_is_not_yaml_names_its_line(sample, tmp_path):
    path = tmp_path / "extract.parquet"
    write_parquet(coded(sample), path)
    mapping = Path(f"{path}{formats.MAPPING_SUFFIX}")
    mapping.write_text("columns:\n  BSN_ID: deelnemer_id\n  PLAN: [plan_id\n", encoding="utf-8")
    with pytest.raises(ColumnMappingError) as caught:
        participants.rows(path)
    assert str(caught.value).startswith(f"{mapping}, line 4: not valid YAML (")
    assert str(caught.value).endswith("): see the example mapping in data/README.md")


def test_text_of_cells_is_what_a_csv_export_holds():
    column = pd.Series([1.0, 2.5, None, True, pd.Timestamp("2019-05-31"), pd.Timestamp("2019-05-31 10:00")])
    assert formats.as_text(column).tolist() == ["1", "2.5", "", "true", "2019-05-31", "2019-05-31 10:00:00"]


# ------------------------------------------------------------------ CSV separator and encoding given


def test_a_csv_read_with_the_separator_and_encoding_its_mapping_gives(sample, tmp_path):
    """A Dutch Excel export (semicolons, Latin-1) whose header alone would not decide: the mapping
    says how to read it, and it reads as the schema's CSV."""
    expected = participants.rows(_plain(sample, tmp_path))
    frame = sample.copy()
    frame.loc[0, "deelnemer_id"] = expected.loc[0, "deelnemer_id"] = "Deelnemer één; twee"
    path = tmp_path / "export.csv"
    frame.to_csv(path, sep=";", encoding="latin-1", index=False)
    _mapping(path, {"csv": {"separator": ";", "encoding": "latin-1"}})
    got = participants.rows(path)
    pd.testing.assert_frame_equal(got, expected)
    assert got.loc[0, "deelnemer_id"] == "Deelnemer één; twee"


def test_a_given_separator_is_used_not_detected(sample, tmp_path):
    path = tmp_path / "komma.csv"
    sample.to_csv(path, index=False)
    _mapping(path, {"csv": {"separator": "tab"}})
    with pytest.raises(ParticipantDataError, match=r"komma.csv, row 1 \(header\): column\(s\) 'deelnemer_id'"):
        participants.rows(path)


def test_a_given_encoding_the_file_is_not_in_names_row_and_column(sample, tmp_path):
    frame = sample.copy()
    frame.loc[3, "maatregel"] = "Scholing één"
    path = tmp_path / "latin.csv"
    frame.to_csv(path, index=False, encoding="latin-1")
    mapping = _mapping(path, {"csv": {"encoding": "utf-8"}})
    with pytest.raises(ParticipantDataError) as caught:
        participants.rows(path)
    assert str(caught.value) == (
        f"{path}, row 5, column 'maatregel': not utf-8 as the column mapping says (byte 0xe9): correct "
        "csv.encoding in the mapping, or remove it to have the encoding detected"
    )
    assert mapping.is_file()


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        ({"separator": "|"}, r"line 2, csv: separator '\|' is not one a CSV export uses: write ',', ';' or tab$"),
        (
            {"encoding": "latin-99"},
            r"line 2, csv: 'latin-99' is not an encoding: write utf-8, latin-1 or windows-1252$",
        ),
        ({"quote": "'"}, r"line 1, csv: give only 'separator' and 'encoding', e\.g\. csv: "),
    ],
)
def test_a_bad_csv_section_names_the_mapping_line(sample, tmp_path, csv, message):
    path = tmp_path / "extract.csv"
    sample.to_csv(path, index=False)
    mapping = _mapping(path, {"csv": csv})
    with pytest.raises(ColumnMappingError, match=rf"^{re.escape(str(mapping))}, {message}"):
        participants.rows(path)


def test_a_csv_section_for_a_statistics_file_is_refused(sample, tmp_path):
    path = tmp_path / "extract.sav"
    write_sav(coded(sample), path)
    mapping = _mapping(path, {**MAPPING, "csv": {"separator": ";"}})
    with pytest.raises(ParticipantDataError) as caught:
        participants.rows(path)
    assert (
        str(caught.value)
        == f"{mapping}, csv: {path} is in SPSS format, not CSV: remove the csv section from the mapping"
    )


# ------------------------------------------------------------------- measures: codes the project knows


MEASURE_CODES = {
    0: "niet uitgesplitst",
    **{i + 1: m for i, m in enumerate(schema.measures()["arbeidsmobiliteit"])},
}


@pytest.mark.parametrize("suffix", WRITERS)
def test_a_measure_code_the_mapping_does_not_know_is_one_line_in_every_format(sample, tmp_path, suffix):
    """A statistics package codes the measure; the mapping recodes it. A code it does not know stays
    as it is and is named by file, row and column as in a CSV; the known codes load."""
    frame = coded(sample)
    frame["MAATREGEL"] = frame["MAATREGEL"].map({m: c for c, m in MEASURE_CODES.items()})
    assert frame["MAATREGEL"].notna().all()  # every measure of the sample has a code
    good = tmp_path / f"goed.{suffix}"
    WRITERS[suffix](frame, good)
    mapping = {**MAPPING, "codes": {**MAPPING["codes"], "maatregel": MEASURE_CODES}}
    _mapping(good, mapping)
    assert participants.rows(good)["maatregel"].tolist() == sample["maatregel"].tolist()
    frame.loc[BAD_ROW, "MAATREGEL"] = 7
    path = tmp_path / f"extract.{suffix}"
    WRITERS[suffix](frame, path)
    _mapping(path, mapping)
    with pytest.raises(ParticipantDataError) as caught:
        participants.rows(path)
    assert str(caught.value) == (
        f"{path}, row {BAD_ROW + 2}, column 'maatregel': value '7' is not one of Arbeidsbemiddeling, Transitiefonds "
        "werk naar werk, Transfercentrum werk naar werk, Sollicitatietraining, niet uitgesplitst: use one of these "
        "values"
    )


def test_a_mapping_that_recodes_to_an_unknown_measure_is_named(sample, tmp_path):
    """The mapping cannot smuggle free text in: what it recodes to is checked as the extract's own value."""
    path = tmp_path / "extract.parquet"
    write_parquet(coded(sample), path)
    _mapping(path, {**MAPPING, "codes": {**MAPPING["codes"], "maatregel": {"niet uitgesplitst": "<b>Scholing</b>"}}})
    first = int((sample["maatregel"] == "niet uitgesplitst").idxmax())
    with pytest.raises(
        ParticipantDataError,
        match=rf"^{re.escape(str(path))}, row {first + 2}, column 'maatregel': "
        r"value '<b>Scholing</b>' is not one of ",
    ):
        participants.rows(path)
