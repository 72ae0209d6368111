"""Participant layer: schema, synthetic generator, cohorts, statistics, disclosure control."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sectorplannen import participants, paths, published
from sectorplannen.participants import cohort, compare, describe, disclosure, synthetic
from sectorplannen.participants import loading as participants_load


@pytest.fixture(scope="module")
def synthetic_path(synthetic_file):
    """The CSV export of the synthetic file the session generated (conftest), current with its sources."""
    return paths.SYNTHETIC_CSV


@pytest.fixture(scope="module")
def people(synthetic_rows):
    return synthetic_rows  # participants.rows("synthetic"), read once per worker (conftest)


def _count(table_id):
    frame = published.table(table_id)
    body = frame[~frame["is_total_row"] & ~frame["is_total_column"]]
    return body.groupby(["plan_id", "category_id"])["value"].sum()


@pytest.mark.slow
def test_counts_per_plan_and_theme_are_exact(people):
    now = cohort.select(people)
    counts = now.groupby(["plan_id", "categorie"]).size()
    for table_id in ("A.8", "A.13"):
        expected = _count(table_id)
        expected = expected[expected > 0]
        assert counts.reindex(expected.index).astype(int).tolist() == expected.astype(int).tolist()


@pytest.mark.slow
def test_target_groups_per_theme_are_exact(people):
    t12 = cohort.select(people, tranche="1-2")
    frame = published.table("4.1")
    body = frame[~frame["is_total_row"] & ~frame["is_total_column"]]
    names = synthetic.target_group_ids()
    assert set(names) == set(body["row"]), "Tabel 4.1 prints a target group the schema does not know"
    for cell in body.itertuples():
        got = ((t12["categorie"] == cell.category_id) & (t12["doelgroep"] == names[cell.row])).sum()
        assert got == cell.value, (cell.row, cell.category)


@pytest.mark.slow
def test_measure_counts_and_calibrated_shares(people):
    mobility = cohort.select(people, tranche="1-2", categorie="arbeidsmobiliteit")
    assert mobility["maatregel"].value_counts().to_dict() == {
        "Arbeidsbemiddeling": 13293,
        "Transitiefonds werk naar werk": 4132,
        "Transfercentrum werk naar werk": 1317,
        "Sollicitatietraining": 74,
    }
    share = 100 * (mobility["inkomenssituatie"] == "werknemer").mean()
    assert round(share) == 73  # Figuur 4.1, balk Arbeidsmobiliteit
    employed = mobility["inkomenssituatie"].isin(participants.EMPLOYED).mean() * 100
    assert round(employed) == 80  # r. 2000: 80 procent
    youth = cohort.select(people, tranche="1-2", categorie="leerwerkplekken")["jong"].mean() * 100
    assert round(youth) == 66  # Tabel 3.1


# Generated afresh, the file is the session's file byte for byte: tests/test_synthetic_reuse.py
# (test_the_file_generated_alongside_is_the_file_generated_here) generates it in a process of its own.


@pytest.mark.slow
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns="uren"), "missing column"),
        (lambda f: f.assign(plan_id=["bestaat-niet", *list(f["plan_id"][1:])]), "row 2, column 'plan_id'"),
        (
            lambda f: f.assign(start=["2019-13-40", *list(f["start"][1:])]),
            "row 2, column 'start': '2019-13-40' is not a date",
        ),
        (lambda f: f.assign(peildatum=["2020-05-31", *list(f["peildatum"][1:])]), "column 'peildatum'"),
        (lambda f: f.assign(jong=["misschien", *list(f["jong"][1:])]), "column 'jong': expected true or false"),
        (lambda f: f.assign(tranche=["3", *list(f["tranche"][1:])]), "plan, tranche, categorie and doelgroep"),
    ],
)
def test_bad_extracts_name_row_and_column(synthetic_path, tmp_path, change, message):
    raw = pd.read_csv(synthetic_path, dtype=str, keep_default_na=False, nrows=200)
    bad = tmp_path / "bad.csv"
    change(raw).to_csv(bad, index=False)
    with pytest.raises(participants.ParticipantDataError, match=message):
        participants.validate(participants_load._parse(pd.read_csv(bad, dtype=str, keep_default_na=False), bad), bad)


@pytest.mark.slow
def test_job_fields_must_follow_the_income_situation(synthetic_path, tmp_path):
    raw = pd.read_csv(synthetic_path, dtype=str, keep_default_na=False, nrows=200)
    index = raw.index[raw["inkomenssituatie"] == "werknemer"][0]
    raw.loc[index, "contract"] = "geen"
    with pytest.raises(participants.ParticipantDataError, match="filled exactly when employed"):
        participants.validate(participants_load._parse(raw, "x.csv"), "x.csv")


def test_extract_inside_the_repository_is_refused(tmp_path):
    with pytest.raises(participants.ParticipantDataError, match="outside the repository"):
        participants.load(paths.DATA / "calibratie.yaml")  # a file that exists inside the repository
    with pytest.raises(participants.ParticipantDataError, match="no such file"):
        participants.load(tmp_path / "geen.csv")


@pytest.mark.slow
def test_cohort_selection(people):
    base = cohort.select(people, tranche="1-2")
    assert len(base) == 247324  # Tabel 4.1 Totaal
    young = cohort.select(people, tranche="1-2", jong="ja")
    assert 0 < len(young) < len(base)
    without = cohort.select(people, tranche="1-2", excl_overstijgend="ja")
    assert not without["plan_id"].isin(cohort.CROSS_SECTOR_PLANS).any()
    assert len(cohort.select(people, tranche="1-2", exclude_plans=["bouw"])) < len(base)
    assert len(cohort.select(people, peildatum="2017")) == len(cohort.select(people))
    with pytest.raises(cohort.CohortError, match="unknown cohort key"):
        cohort.select(people, thema="x")
    with pytest.raises(cohort.CohortError, match="peildatum must be"):
        cohort.select(people, peildatum="2020")
    assert cohort.parse("categorie=scholing; peildatum=2018") == {"categorie": "scholing", "peildatum": "2018"}


def test_share_with_wilson_interval_by_hand():
    frame = pd.DataFrame({"x": range(100)})
    outcome = pd.Series([True] * 80 + [False] * 20)
    result = describe.share_with_ci(frame, outcome)
    assert result["aandeel"] == 80
    # Wilson 95% interval for 80/100: 71,1-86,7 (by hand: (p + z²/2n ± z√(p(1-p)/n + z²/4n²)) / (1 + z²/n))
    assert result["laag"] == pytest.approx(71.1, abs=0.1)
    assert result["hoog"] == pytest.approx(86.7, abs=0.1)


def test_disclosure_suppresses_small_cells_and_marks_them():
    frame = pd.DataFrame(
        {
            "g": ["a"] * 40 + ["b"] * 12 + ["c"] * 30,
            "y": ["x"] * 20 + ["z"] * 20 + ["x"] * 6 + ["z"] * 6 + ["x"] * 25 + ["z"] * 5,
        }
    )
    counts = disclosure.crosstab(frame["g"], frame["y"], min_cell=10)
    assert counts.loc["a"].tolist() == [20, 20]
    assert counts.loc["b"].isna().all() and pd.isna(counts.loc["c", "z"])
    shown = disclosure.marked(counts, lambda v: f"{v:.0f}")
    assert shown.loc["b", "x"] == "x" and shown.loc["a", "x"] == "20"
    with pytest.raises(disclosure.DisclosureError, match="min_cell_size"):
        disclosure.crosstab(frame["g"], frame["y"], min_cell=-1)


@pytest.mark.slow
def test_comparisons_are_differences_not_effects(people):
    t12 = cohort.select(people, tranche="1-2")
    employed = t12["inkomenssituatie"].isin(participants.EMPLOYED)
    table = compare.against_all(t12, employed)
    assert table.loc["arbeidsmobiliteit", "verschil"] < 0 < table.loc["leerwerkplekken", "verschil"]
    assert (table["laag"] <= table["verschil"]).all() and (table["verschil"] <= table["hoog"]).all()
    sample = t12.sample(20000, random_state=1)
    outcome = employed.loc[sample.index]
    adjusted = compare.adjusted(sample, outcome)
    largest = sample["categorie"].value_counts().index[0]
    assert adjusted.index[adjusted["referentie"]].tolist() == [largest]  # the reference is the largest theme
    assert set(adjusted.index) == set(sample["categorie"])
    others = adjusted[~adjusted["referentie"]]
    assert (others["laag"] < others["verschil"]).all() and (others["verschil"] < others["hoog"]).all()
    # Where the raw gap to the reference is wide, adjusting for target group, age and plan type keeps its sign.
    raw = 100 * (outcome.groupby(sample["categorie"]).mean() - outcome[sample["categorie"] == largest].mean())
    wide = raw[(raw.abs() > 5) & (raw.index != largest)]
    assert len(wide) > 0
    assert (others.loc[wide.index, "verschil"] * wide > 0).all()


@pytest.mark.slow
@pytest.mark.parametrize("tranche", ["1-2", "3"])
def test_synthetic_file_gives_every_participant_claim_the_report_allows(people, tranche):
    """The calibration's promise: every participant number of chapters 4 and 7 is met on the
    synthetic file (status 'gekalibreerd': no evidence about the report), except where the report
    contradicts itself (verschillen_arbeidsmarktpositie.yaml)."""
    from sectorplannen import claims
    from sectorplannen.participants.indicators import ParticipantIndicators

    ledger = claims.ledger("arbeidsmarktpositie", tranche, ParticipantIndicators(people, tranche), synthetic=True)
    participant = claims.load("arbeidsmarktpositie").set_index("id")["statistic"].isin(claims.PARTICIPANT_STATISTICS)
    ledger = ledger[ledger["claim"].map(participant)]
    assert (ledger["status"] != claims.STATUS_UNCALIBRATED).all(), ledger.loc[
        ledger["status"] == claims.STATUS_UNCALIBRATED, ["claim", "gepubliceerd", "berekend"]
    ].to_string()
    differs = ledger[ledger["status"] == claims.STATUS_DIFFERS]
    assert set(differs["claim"]) <= set(claims.explanations())
    assert set(ledger["status"]) <= {claims.STATUS_CALIBRATED, claims.STATUS_DIFFERS}


def test_add_months_follows_the_calendar():
    days = np.array(["2016-01-31", "2015-12-15", "2016-08-31", "2014-03-01"], dtype="datetime64[D]")
    got = synthetic.add_months(days, np.array([1, 3, 6, 18]))
    assert [str(d) for d in got] == ["2016-02-29", "2016-03-15", "2017-02-28", "2015-09-01"]
