"""The engine for participant data (DuckDB over Parquet or a frame): the table of counts it makes,
and that chapters 4 and 7 show the same numbers from it as from one row per participant."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import statsmodels.formula.api as smf

from sectorplannen import participants, paths
from sectorplannen.chapters import arbeidsmarktpositie as arbeidsmarkt
from sectorplannen.chapters.registry import resolve
from sectorplannen.errors import SetupError
from sectorplannen.participants import compare, disclosure, engine
from sectorplannen.participants.schema import COUNT, EMPLOYED, size
from sectorplannen.sources.register import register


@pytest.fixture(scope="module")
def rows(synthetic_rows):
    return synthetic_rows  # participants.rows("synthetic"), read once per worker (conftest)


@pytest.fixture(scope="module")
def counts():
    return participants.load("synthetic")


@pytest.mark.slow
def test_the_synthetic_file_is_counted_from_parquet(rows, counts):
    """Every participant at each of the three measurement dates: 780.195 rows (260.065 x 3), and
    each count is the number of rows with those values (pandas, row by row)."""
    assert counts.attrs["data_kind"] == "synthetic"
    assert size(counts) == len(rows) == 780_195 == 3 * rows["deelnemer_id"].nunique()
    assert (counts[COUNT] > 0).all() and len(counts) < len(rows) / 10
    by_hand = rows.groupby(list(disclosure.AUDIT_COLUMNS), observed=True).size()
    got = counts.set_index(list(disclosure.AUDIT_COLUMNS))[COUNT]
    pd.testing.assert_series_equal(got.sort_index(), by_hand.sort_index(), check_names=False)


@pytest.mark.slow
def test_counting_is_deterministic_and_the_csv_export_holds_the_same_rows(rows, counts, tmp_path):
    """The CSV export passes every check of a real extract (DuckDB, the whole file) with the engine's
    counts per tranche, date and plan; read row by row as an extract is (pandas, its first 50.000
    rows), it is the frame participants.rows gives of the Parquet file."""
    from sectorplannen.participants import extract_sql

    assert engine.counts(paths.SYNTHETIC).equals(counts)
    checked = extract_sql.check(paths.SYNTHETIC_CSV)
    by_engine = counts.groupby(["tranche", "peildatum", "plan_id"], observed=True)[COUNT].sum()
    assert checked.to_dict() == by_engine[by_engine > 0].to_dict()
    assert int(checked.sum()) == 780_195
    head = tmp_path / "deelnemers.csv"
    with paths.SYNTHETIC_CSV.open(encoding="utf-8") as whole, head.open("w", encoding="utf-8") as part:
        part.writelines(line for _, line in zip(range(50_001), whole, strict=False))
    exported = participants.read_valid(head)
    pd.testing.assert_frame_equal(exported, rows.head(50_000).reset_index(drop=True), check_like=False)


@pytest.mark.slow
@pytest.mark.parametrize("tranche", ["1-2", "3"])
def test_chapters_4_and_7_show_the_same_tables_from_the_engine(rows, counts, tranche):
    """Every table, comparison, audit and ledger value of chapter 4 (tranche 1-2) and 7 (tranche 3):
    one row per participant (the method before the engine) against the engine's counts. Tranche 1-2
    on every fourth of its participants (by id, all their dates): row by row, all 247 thousand took
    18 s, and the equality does not depend on the size (smaller groups only give the audit more to do)."""
    params = resolve("arbeidsmarktpositie", {"tranche": tranche})
    if tranche == "1-2":
        rows = rows[rows["deelnemer_id"].str[1:].astype(int) % 4 == 0].reset_index(drop=True)
        counts = engine.counts(rows)
    before, after = arbeidsmarkt.compute(rows, params), arbeidsmarkt.compute(counts, params)
    assert after.audit == before.audit and after.n == before.n
    pd.testing.assert_frame_equal(after.participants, before.participants)
    assert after.shares.keys() == before.shares.keys()
    for name in before.shares:
        pd.testing.assert_frame_equal(after.shares[name], before.shares[name])
    pd.testing.assert_frame_equal(after.against_all, before.against_all)
    pd.testing.assert_frame_equal(after.adjusted, before.adjusted, rtol=1e-7)
    pd.testing.assert_frame_equal(after.ledger, before.ledger)
    if tranche == "3":  # Tabel 7.1, Totaal (r. 4331), which the synthetic file is calibrated to
        assert after.participants.loc["Totaal", "Totaal"] == 12_741


@pytest.mark.slow
def test_the_weighted_logit_gives_what_statsmodels_logit_gives_row_by_row(rows, counts):
    """The adjusted comparison of tranche 3 (Figuur 7.3's groups): a binomial GLM with frequency
    weights on the counts against statsmodels' Logit and get_margeff on one row per participant."""
    params = resolve("arbeidsmarktpositie", {"tranche": "3"})
    selection = arbeidsmarkt.select(rows, params)
    job = selection["inkomenssituatie"].isin(EMPLOYED)
    data = pd.DataFrame(
        {
            "y": job.astype(int).to_numpy(),
            "groep": selection["categorie"].to_numpy(),
            "jong": selection["jong"].astype(int).to_numpy(),
            "plan_type": selection["plan_id"].map(register().plan_types()).to_numpy(),
        }
    )
    reference = data["groep"].value_counts().index[0]
    model = smf.logit(f"y ~ C(groep, Treatment(reference={reference!r})) + jong + C(plan_type)", data).fit(disp=False)
    margins = model.get_margeff(at="overall").summary_frame()
    margins = margins[margins.index.str.startswith("C(groep")]
    margins.index = [name.split("[T.")[-1].rstrip("]") for name in margins.index]

    chosen = arbeidsmarkt.select(counts, params)
    got = compare.adjusted(chosen, chosen["inkomenssituatie"].isin(EMPLOYED), "categorie")
    assert got.index[0] == reference and got.loc[reference, "verschil"] == 0
    got = got.drop(index=reference).loc[margins.index]
    np.testing.assert_allclose(got["verschil"], 100 * margins["dy/dx"], rtol=1e-6)
    np.testing.assert_allclose(got["laag"], 100 * margins["Conf. Int. Low"], rtol=1e-5)
    np.testing.assert_allclose(got["p"], margins["Pr(>|z|)"], rtol=1e-4, atol=1e-12)


@pytest.mark.slow
def test_a_file_larger_than_the_memory_limit_is_counted_by_spilling(rows, counts, tmp_path):
    """Three copies of the file in two Parquet parts, read as one glob under a 64 MB limit with
    one thread (the rows as text take about 300 MB): every count is three times the count of the file once."""
    table = pq.read_table(paths.SYNTHETIC)
    pq.write_table(table, tmp_path / "deel-1.parquet")
    pq.write_table(pa_concat([table, table]), tmp_path / "deel-2.parquet")
    connection = engine.connect(memory_limit="64MB", threads=1, temp_directory=tmp_path / "spill")
    tripled = engine.counts(tmp_path / "deel-*.parquet", connection)
    pd.testing.assert_frame_equal(tripled, counts.assign(**{COUNT: 3 * counts[COUNT]}), check_like=False)


def pa_concat(tables):
    import pyarrow as pa

    return pa.concat_tables(tables)


@pytest.mark.slow
def test_a_real_extract_is_checked_and_counted_as_its_rows_count(rows, tmp_path):
    """Counted by the engine over the checked file (extract_sql.counted): the table of its rows counted."""
    extract = tmp_path / "beveiligd" / "deelnemers.parquet"
    extract.parent.mkdir()
    sample = rows.iloc[::50].reset_index(drop=True)
    sample.to_parquet(extract)
    loaded = participants.load(extract)
    assert loaded.attrs["data_kind"] == "extract" and size(loaded) == len(sample) == 15_604
    pd.testing.assert_frame_equal(loaded, engine.counts(participants.rows(extract)))


def test_unreadable_or_incomplete_parquet_is_one_line(tmp_path):
    with pytest.raises(participants.ParticipantDataError) as missing:
        engine.counts(tmp_path / "geen.parquet")
    assert str(missing.value) == f"{tmp_path / 'geen.parquet'}: no such Parquet file: run `make data` or check the path"
    garbage = tmp_path / "kapot.parquet"
    garbage.write_bytes(b"PAR1 niet echt")
    with pytest.raises(participants.ParticipantDataError) as broken:
        engine.counts(garbage)
    message = str(broken.value)
    assert message.startswith(f"{garbage}: not readable as Parquet (") and "\n" not in message
    assert message.endswith("write it again as Parquet, or give the extract as CSV")
    assert "Error" not in message
    partial = tmp_path / "half.parquet"
    pd.DataFrame({"plan_id": ["bouw"], "tranche": [1]}).to_parquet(partial)
    with pytest.raises(participants.ParticipantDataError, match=r"half.parquet: column\(s\) 'categorie', 'maatregel'"):
        engine.counts(partial)


def test_the_memory_limit_is_set_per_machine_and_running_out_is_one_line(monkeypatch):
    monkeypatch.setenv("SECTORPLANNEN_ENGINE_MEMORY", "3GB")
    assert engine.connect().execute("SELECT current_setting('memory_limit')").fetchone()[0].startswith("2.7 GiB")
    monkeypatch.setenv("SECTORPLANNEN_ENGINE_MEMORY", "veel")
    with pytest.raises(SetupError) as bad:
        engine.connect()
    assert str(bad.value) == "SECTORPLANNEN_ENGINE_MEMORY='veel' is not an amount of memory: write e.g. 2GB or 500MB"
    with pytest.raises(SetupError) as short:
        engine.counts(paths.SYNTHETIC, engine.connect(memory_limit="2MB", threads=1))
    assert str(short.value).startswith("counting the participant file needed more than the engine's memory limit (")
    assert "set SECTORPLANNEN_ENGINE_MEMORY higher" in str(short.value) and "\n" not in str(short.value)
