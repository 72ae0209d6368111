"""The checks of an extract in DuckDB (participants.extract_sql) give, on every planted bad extract
of tests/test_extract_checks.py (as CSV and as Parquet), the very line the pandas path gives
(loading.read_valid), and on a good extract the same counts per tranche, date and plan."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import test_extract_checks as planted
import test_extract_formats as formats_cases
import yaml

from sectorplannen.errors import ParticipantDataError, SectorplannenError
from sectorplannen.participants import extract_sql, filebytes, loading

# Not the file's content: where it is (checked before either path reads it), or a selection.
NOT_CONTENT = {planted.inside_repository, planted.no_participants_selected}


# What DuckDB does not read as strict UTF-8 CSV (and a workbook, a zip file): handed to the pandas
# reader, which names the byte or the kind of file.
PANDAS_READER = {planted.empty, planted.workbook, planted.mixed_encoding, planted.ragged_row}


CASES = [case for case in planted.CASES if case not in NOT_CONTENT]


def _pandas_line(path: Path, mapping=None) -> str:
    with pytest.raises(SectorplannenError) as caught:
        loading.read_valid(path, mapping)
    return str(caught.value)


def _sql_line(path: Path, mapping=None) -> str | None:
    """The SQL path's line, or None when it hands the extract to the pandas reader."""
    try:
        counts = extract_sql.check(path, mapping)
    except SectorplannenError as exc:
        return str(exc)
    assert counts is None, f"{path} passed the SQL checks"
    return None


def _as_parquet(path: Path) -> Path:
    """The same extract as Parquet, every column text (as a database exports it)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False)
    target = path.with_suffix(".parquet")
    frame.to_parquet(target, index=False)
    return target


@pytest.fixture(params=["by line", "by field"])
def reading(request, monkeypatch):
    """A CSV file read line by line (the id before the first separator, the rest as one text), or field
    by field (as a file with quotes is): the same lines either way."""
    if request.param == "by field":
        monkeypatch.setattr(extract_sql._Checks, "_by_line", lambda *_: False)
    return request.param


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_the_sql_checks_give_the_pandas_line_on_every_planted_csv(case, sample, tmp_path, reading):
    path, message = case(sample, tmp_path)
    assert _pandas_line(path) == message  # the planted message, as test_extract_checks asserts it
    got = _sql_line(path)
    if case in PANDAS_READER:
        assert got is None
    else:
        assert got == message


READABLE = [case for case in CASES if case not in PANDAS_READER and case not in {planted.missing, planted.a_folder}]


@pytest.mark.parametrize("case", READABLE, ids=lambda case: case.__name__)
def test_the_sql_checks_give_the_pandas_line_on_every_planted_parquet(case, sample, tmp_path):
    if case in {planted.column_twice, planted.header_only}:
        pytest.skip("pandas writes no Parquet file with a column twice; an empty frame loses its text types")
    csv_path, _ = case(sample, tmp_path)
    path = _as_parquet(csv_path)
    message = _pandas_line(path)
    assert str(path) in message
    assert _sql_line(path) == message


def _counts_by_pandas(path: Path, mapping=None) -> pd.Series:
    frame = loading.read_valid(path, mapping)
    return frame.groupby(["tranche", "peildatum", "plan_id"], observed=True).size()


def test_a_good_extract_gives_the_counts_pandas_gives_as_csv_and_parquet(sample, tmp_path):
    path = tmp_path / "goed.csv"
    sample.to_csv(path, index=False, lineterminator="\r\n")
    expected = _counts_by_pandas(path)
    assert int(expected.sum()) == len(sample) == 313  # conftest: every 2500th row of the synthetic file
    pd.testing.assert_series_equal(extract_sql.check(path), expected)
    pd.testing.assert_series_equal(extract_sql.check(_as_parquet(path)), expected)


def test_a_typed_parquet_extract_with_its_mapping_is_checked_in_sql(sample, tmp_path):
    """Renamed columns, numeric codes, real dates and whole numbers (test_extract_formats' coded frame)."""
    path = tmp_path / "deelnemers.parquet"
    formats_cases.write_parquet(formats_cases.coded(sample), path)
    formats_cases._mapping(path)
    pd.testing.assert_series_equal(extract_sql.check(path), _counts_by_pandas(path))
    frame = formats_cases.coded(sample)
    frame.loc[formats_cases.BAD_ROW, "INKSIT"] = 9  # a code the mapping does not know
    formats_cases.write_parquet(frame, path)
    message = _pandas_line(path)
    assert f"{path}, row 9, column 'inkomenssituatie': value '9' is not one of" in message
    assert _sql_line(path) == message


@pytest.mark.parametrize("chunk", [None, 5], ids=["one chunk", "chunks of 5 bytes"])
def test_rows_after_an_empty_line_keep_their_numbers(sample, tmp_path, monkeypatch, chunk):
    """DuckDB leaves empty lines out; the row named is still the line the file has (here row 8, after
    the empty line 4), also when the empty line is found across the boundary of two chunks read."""
    if chunk:
        monkeypatch.setattr(filebytes, "CHUNK", chunk)
    lines = planted._csv(sample, tmp_path / "tmp.csv").read_text(encoding="utf-8").splitlines()
    lines.insert(3, "")  # line 4
    fields = lines[7].split(",")  # line 8: the sample's row 6
    fields[11] = "geen_idee"  # werkgever
    lines[7] = ",".join(fields)
    path = tmp_path / "leeg.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _pandas_line(path)
    assert message.startswith(f"{path}, row 8, column 'werkgever': value 'geen_idee' is not one of")
    assert _sql_line(path) == message


def test_a_plan_merge_by_the_mapping_is_named_in_sql(sample, tmp_path):
    plan = sample.loc[0, "plan_id"]
    other = sample.loc[sample["plan_id"] != plan, "plan_id"].iloc[0]
    frame = sample.assign(plan_id=sample["plan_id"].replace(other, "P99"))
    path = tmp_path / "merge.csv"
    frame.to_csv(path, index=False, lineterminator="\n")
    mapping = tmp_path / "merge.mapping.yaml"
    mapping.write_text(yaml.safe_dump({"codes": {"plan_id": {"P99": plan}}}), encoding="utf-8")
    message = _pandas_line(path, mapping)
    assert f"'P99' becomes plan {plan!r}, which {path} also holds as it is (row 2)" in message
    assert _sql_line(path, mapping) == message


def test_a_bad_row_on_a_large_file_is_found_without_the_pandas_reader(sample, tmp_path, monkeypatch):
    """The SQL path does not fall back when the file is valid CSV: the pandas reader is never asked."""
    path = tmp_path / "groot.csv"
    frame = pd.concat([sample.assign(deelnemer_id=sample["deelnemer_id"] + f"-{i}") for i in range(20)])
    frame.iloc[5000, frame.columns.get_loc("uren")] = "altijd"
    frame.to_csv(path, index=False, lineterminator="\n")
    monkeypatch.setattr(loading, "read_valid", None)
    with pytest.raises(ParticipantDataError) as caught:
        loading.check_extract(path)
    assert str(caught.value).startswith(f"{path}, row 5002, column 'uren': value 'altijd' is not one of")


PER_PARTICIPANT = [planted.duplicate, planted.participant_in_two_plans, planted.participant_with_two_start_dates]


@pytest.mark.parametrize("case", PER_PARTICIPANT, ids=lambda case: case.__name__)
@pytest.mark.parametrize("in_memory", [True, False], ids=["sorted in memory", "grouped by DuckDB"])
def test_a_participant_twice_is_found_by_either_way_of_grouping_the_ids(case, in_memory, sample, tmp_path, monkeypatch):
    """Beyond IDS_IN_MEMORY rows the hashes of the ids are grouped by DuckDB (spilling) instead of sorted
    in memory: the same line."""
    if not in_memory:
        monkeypatch.setattr(extract_sql, "IDS_IN_MEMORY", 0)
    path, message = case(sample, tmp_path)
    assert _sql_line(path) == message
    good = tmp_path / "goed.csv"
    sample.to_csv(good, index=False)
    assert int(extract_sql.check(good).sum()) == 313


def test_a_csv_file_with_quotes_is_read_field_by_field(sample, tmp_path, monkeypatch):
    """A quoted id (with the separator in it) or a quoted value elsewhere: not read line by line, and
    the counts are the file's."""
    frame = sample.copy()
    frame.loc[4, "deelnemer_id"] = "S1, met komma"
    path = tmp_path / "quoted.csv"
    frame.to_csv(path, index=False)
    read = []
    by_line = extract_sql._Checks._by_line
    monkeypatch.setattr(extract_sql._Checks, "_by_line", lambda *a: read.append(by_line(*a)) or read[-1])
    pd.testing.assert_series_equal(extract_sql.check(path), _counts_by_pandas(path))
    assert read == [False]
    frame = sample.assign(categorie='"' + sample["categorie"] + '"')  # quoted value, read as the code
    path.write_text(frame.to_csv(index=False).replace('"""', '"'), encoding="utf-8")
    pd.testing.assert_series_equal(extract_sql.check(path), _counts_by_pandas(path))
    assert read == [False, False]
    sample.to_csv(path, index=False)
    extract_sql.check(path)
    assert read == [False, False, True]
