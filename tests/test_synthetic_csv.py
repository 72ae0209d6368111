"""The synthetic file's CSV export (``synthetic.export_csv``): DuckDB's CSV writer defines the bytes;
Arrow's writer, which writes the file where no value needs quotes, writes exactly those bytes, and
DuckDB still writes every file that has a value Arrow would have to quote."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sectorplannen.participants import engine, synthetic


def _duckdb_csv(table: pa.Table, path) -> bytes:
    """The reference: DuckDB's writer, as the export called it before Arrow wrote the file."""
    connection = engine.connect()
    connection.execute("SET preserve_insertion_order = true")
    connection.register("bestand", table)
    connection.execute(f"COPY bestand TO '{engine.quoted(str(path))}' (HEADER, DELIMITER ',')")
    engine.close(connection)
    return path.read_bytes()


@pytest.fixture
def arrow_writes(monkeypatch) -> list[int]:
    """The number of rows each call of Arrow's CSV writer wrote (none: DuckDB wrote the file)."""
    calls: list[int] = []
    write = synthetic.pa_csv.write_csv

    def counted(table, sink, options):
        calls.append(table.num_rows)
        return write(table, sink, options)

    monkeypatch.setattr(synthetic.pa_csv, "write_csv", counted)
    return calls


def test_arrow_writes_the_synthetic_file_as_duckdb_does(synthetic_file, tmp_path, arrow_writes):
    """Every type of the file (text, dictionary text, whole numbers, booleans, dates) on its first
    30.000 rows: the same bytes as DuckDB's writer."""
    table = pq.read_table(synthetic_file).slice(0, 30_000)
    assert pa.types.is_dictionary(table.schema.field("plan_id").type)
    assert table.schema.field("start").type == pa.date32() and table.schema.field("jong").type == pa.bool_()
    exported = synthetic.export_csv(table, tmp_path / "arrow.csv").read_bytes()
    assert arrow_writes == [30_000]
    assert exported == _duckdb_csv(table, tmp_path / "duckdb.csv")
    assert exported.startswith(b"deelnemer_id,plan_id,tranche,categorie,")  # the header without quotes


@pytest.mark.parametrize(
    ("values", "expected"),
    [  # by hand (RFC 4180, as DuckDB quotes): a comma, a quote and a line break are quoted, quotes doubled
        (["x", "y,z"], 'naam,n\nx,1\n"y,z",2\n'),
        (["x", 'q"r'], 'naam,n\nx,1\n"q""r",2\n'),
        (["x", "twee\nregels"], 'naam,n\nx,1\n"twee\nregels",2\n'),
        (["x", ""], 'naam,n\nx,1\n"",2\n'),  # empty text is quoted: an empty field is a missing value
    ],
)
def test_a_value_that_needs_quotes_is_written_by_duckdb(tmp_path, arrow_writes, values, expected):
    table = pa.table({"naam": values, "n": [1, 2]})
    exported = synthetic.export_csv(table, tmp_path / "uit.csv").read_bytes()
    assert exported.decode("utf-8") == expected
    assert exported == _duckdb_csv(table, tmp_path / "duckdb.csv")
    assert not list(tmp_path.glob(".uit.csv.*"))  # Arrow's unfinished file replaced, nothing left behind


def test_missing_values_and_other_types(tmp_path, arrow_writes):
    """A missing value is an empty field in both writers (Arrow writes it); a decimal number is left to
    DuckDB, whose number format defines the file."""
    missing = pa.table({"naam": ["x", None], "n": pa.array([None, 2], pa.int64()), "jong": [True, None]})
    exported = synthetic.export_csv(missing, tmp_path / "leeg.csv").read_bytes()
    assert exported.decode("utf-8") == "naam,n,jong\nx,,true\n,2,\n"
    assert exported == _duckdb_csv(missing, tmp_path / "duckdb.csv")
    assert arrow_writes == [2]
    decimal = pa.table({"aandeel": [0.5, 1.25]})
    assert synthetic.export_csv(decimal, tmp_path / "getal.csv").read_text(encoding="utf-8") == "aandeel\n0.5\n1.25\n"
    assert arrow_writes == [2]  # DuckDB wrote it


def test_a_column_name_that_needs_quotes_is_written_by_duckdb(tmp_path, arrow_writes):
    table = pa.table({"naam, voluit": ["x"]})
    exported = synthetic.export_csv(table, tmp_path / "kop.csv").read_bytes()
    assert exported == _duckdb_csv(table, tmp_path / "duckdb.csv")
    assert exported.decode("utf-8") == '"naam, voluit"\nx\n'
    assert arrow_writes == []
