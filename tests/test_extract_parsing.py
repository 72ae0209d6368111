"""Values the two readers of an extract could parse differently, each run through both on the same
small file: the pandas path (loading.read_valid) and the SQL checks (extract_sql.check) accept it
with the same counts, or refuse it with the same line. What is decided (extract.SPACE, extract.DATE):
white space around a date, a tranche or jong is ignored; a date may have one-digit months and days;
a tranche is a number, never one with an underscore; a row is a record as a spreadsheet shows it,
so a quoted value over several lines is one row, and an empty line inside a quoted value is none."""

from __future__ import annotations

import pandas as pd
import pytest

from sectorplannen.errors import ParticipantDataError
from sectorplannen.participants import extract_sql, filebytes, loading

ROW = 3  # the frame index of the cell set: row 5 of the file (the header is row 1)


@pytest.fixture(autouse=True, params=["by line", "by field"])
def reading(request, monkeypatch):
    """Every case with the CSV file read line by line and field by field (extract_sql._Checks._by_line)."""
    if request.param == "by field":
        monkeypatch.setattr(extract_sql._Checks, "_by_line", lambda *_: False)


def _outcomes(path):
    """(pandas path, SQL path): the counts per tranche, date and plan, or the line that refuses the file."""
    try:
        frame = loading.read_valid(path)
        pandas = frame.groupby(["tranche", "peildatum", "plan_id"], observed=True).size()
    except ParticipantDataError as exc:
        pandas = str(exc)
    try:
        sql = extract_sql.check(path)
        assert sql is not None, "handed to the pandas reader"
    except ParticipantDataError as exc:
        sql = str(exc)
    return pandas, sql


def _with(sample, tmp_path, column, value):
    frame = sample.copy()
    frame.loc[ROW, column] = value.replace("T", frame.loc[ROW, "tranche"])
    path = tmp_path / "extract.csv"
    frame.to_csv(path, index=False)
    return path


ACCEPTED = [
    ("tranche", " T"),  # a leading space, as a fixed-width export writes it
    ("tranche", "T "),
    ("tranche", "\tT"),
    ("tranche", "T.0"),
    ("tranche", "+T"),
    ("start", "2015-3-6"),  # one-digit month and day
    ("start", "2015-03-6"),
    ("einde", "2016-1-31"),
    ("start", " 2015-03-06"),
    ("einde", "2016-01-31 "),
    ("start", "\u00a02015-03-06"),  # a no-break space, as a spreadsheet may put it
    ("jong", " true"),
    ("jong", "\tWAAR"),
    ("jong", "false\u00a0"),
]


@pytest.mark.parametrize(("column", "value"), ACCEPTED, ids=[repr(v) for _, v in ACCEPTED])
def test_accepted_by_both_with_the_same_counts(sample, tmp_path, column, value):
    pandas, sql = _outcomes(_with(sample, tmp_path, column, value))
    assert isinstance(pandas, pd.Series)
    pd.testing.assert_series_equal(sql, pandas)
    assert int(sql.sum()) == 313


def test_a_one_digit_month_is_the_date_it_names(sample, tmp_path):
    frame = loading.read_valid(_with(sample, tmp_path, "start", "2015-3-6"))
    assert frame.loc[ROW, "start"] == pd.Timestamp("2015-03-06")


REFUSED = [
    ("tranche", "T_0", "'T_0' is not 1, 2 or 3"),  # Python's float and DuckDB read 2_0 as 20
    ("tranche", "1_000", "'1_000' is not 1, 2 or 3"),
    ("tranche", "nan", "'nan' is not 1, 2 or 3"),
    ("tranche", "inf", "'inf' is not 1, 2 or 3"),
    ("tranche", "T,0", "'T,0' is not 1, 2 or 3"),
    ("start", "2015-03- 6", "'2015-03- 6' is not a date"),  # space inside the value
    ("start", "201-03-06", "'201-03-06' is not a date"),
    ("start", "2015-003-06", "'2015-003-06' is not a date"),
    ("start", "2015-03-06 00:00", "'2015-03-06 00:00' is not a date"),
    ("einde", "2262-04-12", "'2262-04-12' is not a date"),  # after the last day pandas holds
    ("start", "1677-09-21", "'1677-09-21' is not a date"),
    ("start", "1677-09-22", "1677-09-22 is before 2013-"),  # a date, too early for the scheme
    ("peildatum", "2019-5-31", "value '2019-5-31' is not one of 2017-05-31, 2018-05-31, 2019-05-31"),  # a code
    ("jong", "j", "expected true or false, found 'j'"),
]


@pytest.mark.parametrize(("column", "value", "said"), REFUSED, ids=[repr(v) for _, v, _ in REFUSED])
def test_refused_by_both_with_the_same_line(sample, tmp_path, column, value, said):
    path = _with(sample, tmp_path, column, value)
    pandas, sql = _outcomes(path)
    value = value.replace("T", sample.loc[ROW, "tranche"])
    assert pandas == sql
    assert pandas.startswith(f"{path}, row 5, column {column!r}: ")
    assert said.replace("T", sample.loc[ROW, "tranche"]) in pandas


def _lines_with_a_quoted_line_break(sample, tmp_path, value: str, empty_after: int | None, bad: int):
    """The sample as CSV with ``value`` (quoted, over several lines) as the id of frame row 2, an
    empty line inserted after the file's line ``empty_after``, and a bad hours value on frame row ``bad``."""
    frame = sample.copy()
    frame.loc[2, "deelnemer_id"] = value
    frame.loc[bad, "uren"] = "altijd"
    end = "\r\n" if "\r" in value else "\n"  # the file's line ends as the value's
    lines = frame.to_csv(index=False, lineterminator=end).split(end)
    if empty_after is not None:
        lines.insert(empty_after, "")
    path = tmp_path / "extract.csv"
    path.write_bytes(end.join(lines).encode("utf-8"))
    return path


@pytest.mark.parametrize("chunk", [None, 7], ids=["one chunk", "chunks of 7 bytes"])
@pytest.mark.parametrize(
    ("value", "empty_after", "bad", "row"),
    [
        ("a\nb", None, 6, 8),  # a value over two lines: row 8 is the 8th record, on line 9
        ("a\nb", 6, 4, 7),  # an empty line (line 7) after it: a row of its own, before the bad row
        ("a\nb", 6, 3, 5),  # the bad row before the empty line
        ("a\n\nb", None, 6, 8),  # an empty line inside the quoted value: not a row
        ("a\r\n\r\nb", 7, 6, 9),  # the same in a file with Windows line ends, and an empty line after it
    ],
)
def test_a_quoted_value_over_several_lines_is_one_row(
    sample, tmp_path, monkeypatch, chunk, value, empty_after, bad, row
):
    if chunk:
        monkeypatch.setattr(filebytes, "CHUNK", chunk)
    path = _lines_with_a_quoted_line_break(sample, tmp_path, value, empty_after, bad)
    pandas, sql = _outcomes(path)
    assert pandas.startswith(f"{path}, row {row}, column 'uren': value 'altijd' is not one of")
    assert sql == pandas
