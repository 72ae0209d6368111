"""A real extract as a chapter loads it (participants.load): checked and counted by DuckDB over the
file (extract_sql.counted), the rows never in pandas; the count table is the one the pandas path gives
(engine.counts of loading.read_valid) on the same file, cell for cell."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import test_extract_formats as formats_cases
import yaml

from sectorplannen import paths
from sectorplannen.errors import ParticipantDataError
from sectorplannen.participants import engine, extract_sql, loading


def _pandas_counts(path, mapping=None) -> pd.DataFrame:
    return engine.counts(loading.read_valid(path, mapping))


@pytest.mark.slow  # the whole synthetic file
def test_the_synthetic_file_exported_as_csv_counts_as_the_pandas_path(tmp_path, synthetic_rows):
    """The pandas path's count table of the same rows: participants.rows of the Parquet file, which is
    the CSV export read and checked row by row (test_engine holds the two equal)."""
    path = tmp_path / "deelnemers.csv"
    shutil.copyfile(paths.SYNTHETIC_CSV, path)  # outside the repository, as an extract is kept
    got = extract_sql.counted(path)
    expected = engine.counts(synthetic_rows)
    pd.testing.assert_frame_equal(got, expected)
    assert int(got["aantal"].sum()) == len(pd.read_parquet(paths.SYNTHETIC, columns=["plan_id"]))
    assert got["tranche"].dtype == "int64" and got["jong"].dtype == "bool"


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_an_extract_with_a_column_mapping_counts_as_the_pandas_path(sample, tmp_path, suffix):
    """Renamed columns, numeric codes for inkomenssituatie and jong (test_extract_formats' coded frame)."""
    path = tmp_path / f"extract.{suffix}"
    frame = formats_cases.coded(sample)
    if suffix == "csv":  # as a Dutch Excel writes it, but UTF-8 (which DuckDB reads)
        frame.to_csv(path, sep=";", index=False, date_format="%Y-%m-%d", lineterminator="\r\n")
    else:
        formats_cases.write_parquet(frame, path)
    formats_cases._mapping(path)
    got = extract_sql.counted(path)
    pd.testing.assert_frame_equal(got, _pandas_counts(path))
    assert int(got["aantal"].sum()) == 313
    employed = got.loc[got["inkomenssituatie"] == "werknemer", "aantal"].sum()
    assert employed == (sample["inkomenssituatie"] == "werknemer").sum()


def test_load_counts_an_extract_without_reading_its_rows_into_pandas(sample, tmp_path, monkeypatch):
    path = tmp_path / "extract.csv"
    sample.to_csv(path, index=False)
    expected = _pandas_counts(path)
    monkeypatch.setattr(loading, "read_valid", None)  # the pandas path is never taken
    got = loading.load(path)
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs == {"data_kind": "extract", "path": str(path)}


def test_load_of_an_extract_duckdb_does_not_read_takes_the_pandas_path(sample, tmp_path):
    """Windows-1252 (a Latin-1 character in an id): read and checked row by row, then counted; the same table."""
    frame = sample.copy()
    frame.loc[0, "deelnemer_id"] = "Deelnemer één"
    path = tmp_path / "extract.csv"
    frame.to_csv(path, index=False, encoding="cp1252")
    assert extract_sql.counted(path) is None
    plain = tmp_path / "plain.csv"
    frame.to_csv(plain, index=False)
    pd.testing.assert_frame_equal(loading.load(path), extract_sql.counted(plain))


def test_load_of_a_bad_extract_gives_the_checks_line(sample, tmp_path):
    frame = sample.copy()
    frame.loc[3, "uren"] = "altijd"
    path = tmp_path / "extract.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(ParticipantDataError) as caught:
        loading.load(path)
    assert str(caught.value).startswith(f"{path}, row 5, column 'uren': value 'altijd' is not one of")


def test_a_mapping_given_beside_the_call_is_used(sample, tmp_path):
    path = tmp_path / "extract.csv"
    sample.rename(columns={"uren": "UREN"}).to_csv(path, index=False)
    mapping = tmp_path / "elders.yaml"
    mapping.write_text(yaml.safe_dump({"columns": {"UREN": "uren"}}), encoding="utf-8")
    pd.testing.assert_frame_equal(loading.load(path, mapping), _pandas_counts(path, mapping))


def test_on_checked_is_told_once_the_checks_passed_and_before_the_counting(sample, tmp_path, monkeypatch):
    """make bench times an extract checked and counted from one pass: the mark comes between the two."""
    path = tmp_path / "extract.csv"
    sample.to_csv(path, index=False)
    events = []
    counting = extract_sql._Checks.counted
    monkeypatch.setattr(extract_sql._Checks, "counted", lambda self: events.append("counting") or counting(self))
    got = extract_sql.counted(path, on_checked=lambda: events.append("checked"))
    assert events == ["checked", "counting"]
    assert int(got["aantal"].sum()) == len(sample) == 313


def test_on_checked_is_not_told_when_a_check_fails(sample, tmp_path):
    frame = sample.copy()
    frame.loc[3, "uren"] = "altijd"
    path = tmp_path / "extract.csv"
    frame.to_csv(path, index=False)
    events = []
    with pytest.raises(ParticipantDataError, match="row 5, column 'uren'"):
        extract_sql.counted(path, on_checked=lambda: events.append("checked"))
    assert events == []
