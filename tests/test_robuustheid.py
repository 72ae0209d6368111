"""The robustness chapter: every claim recomputed with each plan (and group of plans) left out."""

from __future__ import annotations

import pandas as pd
import pytest

from sectorplannen import published
from sectorplannen.chapters import robuustheid
from sectorplannen.sources.register import register
from sectorplannen.statistics import bijlage
from sectorplannen.statistics.selection import validate


@pytest.fixture(scope="module")
def sensitivity():
    return robuustheid.compute(jobs=2)


def _row(sensitivity, claim: str) -> pd.Series:
    summary = sensitivity.summary.set_index("claim")
    return summary.loc[claim]


@pytest.mark.slow
def test_a_claim_that_hinges_on_one_plan_is_flagged(sensitivity):
    """Claim 6-03: 'Het grootste aantal deelnemers is te vinden in trajecten gericht op een overgang
    van een WW-uitkering naar een baan' (tranche 3). By hand from Tabel A.9: the plan rows sum to
    4.481 for WW naar baan and 3.684 for overig naar baan; Transport (t3) realised 1.354 WW naar
    baan and none in overig naar baan, so without it WW naar baan has 3.127 and overig naar baan is
    the largest. Left out, no other single plan changes the answer."""
    table = published.table("A.9")
    body = table[~table["is_total_row"] & ~table["is_total_column"] & (table["plan_id"] != "")]
    totals = body.groupby("category_id")["value"].sum()
    without = body[body["plan_id"] != "transport-t3"].groupby("category_id")["value"].sum()
    assert (totals["ww-naar-baan"], totals["overig-naar-baan"]) == (4481, 3684)
    assert totals.idxmax() == "ww-naar-baan" and without.idxmax() == "overig-naar-baan"
    row = _row(sensitivity, "6-03")
    assert row["plannen_die_het_breken"] == 1
    assert row["breekt_zonder"] == "Transport (t3)"
    assert not row["houdt_altijd"]
    assert row["soort_getal"] == robuustheid.KINDS[robuustheid.KIND_CONCLUSION]


@pytest.mark.slow
def test_a_robust_share_holds_under_every_exclusion(sensitivity):
    """Claim 2-01: om- en bijscholing has the most measures (Tabel A.1, tranche 1 en 2). By hand: its
    plan rows sum to 213 measures against 95 for leerwerkplekken, and no plan has more than 9 in
    it, so no single plan left out can change the answer."""
    measures = bijlage.load(validate(tranche="1-2")).tables["maatregelen"]
    totals = measures.sum()
    assert (totals["scholing"], totals["leerwerkplekken"], measures["scholing"].max()) == (213, 95, 9)
    row = _row(sensitivity, "2-01")
    assert row["houdt_altijd"] and row["plannen_die_het_breken"] == 0


@pytest.mark.slow
def test_totals_are_counted_apart(sensitivity):
    """296.145 realised participants (claim 3-09) changes with any plan left out: it is a total, not a
    conclusion the chapter weighs."""
    row = _row(sensitivity, "3-09")
    assert row["soort_getal"] == robuustheid.KINDS["totaal"]
    assert row["plannen_die_het_breken"] == 75  # every plan of tranche 1 and 2 moves the total
    assert "3-09" not in set(sensitivity.summary.loc[robuustheid.conclusion_rows(sensitivity.summary), "claim"])


@pytest.mark.slow
def test_range_and_the_plan_that_moves_it_most(sensitivity):
    """Claim 3-10, 96 procent of the planned participants realised (296.145 / 309.384 = 95,72%). By
    hand from A.2 and A.3, the lowest and highest rates over the single-plan exclusions."""
    planned = bijlage.load(validate(tranche="1-2")).tables["deelnemers_gepland"].sum(axis=1)
    realised = bijlage.load(validate(tranche="1-2")).tables["deelnemers_gerealiseerd"].sum(axis=1)
    rates = 100 * (realised.sum() - realised) / (planned.sum() - planned)
    row = _row(sensitivity, "3-10")
    values = sensitivity.variant_values
    singles = values[(values["claim"] == "3-10") & (values["soort"] == "plan")].set_index("variant")["waarde"]
    assert singles.min() == pytest.approx(rates.min()) and singles.max() == pytest.approx(rates.max())
    assert row["standaard"] == pytest.approx(100 * 296145 / 309384)
    worst = (rates - row["standaard"]).abs().idxmax()
    assert row["plan_met_grootste_invloed"] == register().get(worst).name


def test_group_variants_are_the_groups_the_chapter_names():
    variants = robuustheid.variants("3")
    groups = {v.label: v.plans for v in variants if v.kind == "groep"}
    assert len([v for v in variants if v.kind == "plan"]) == 24
    assert len(groups["zonder de regionale plannen"]) == 14  # 9-17: 14 of the 24 plans are regional
    assert len(groups["zonder de sectorale plannen"]) == 10


def test_without_is_load_with_the_plans_excluded():
    full = bijlage.load(validate(tranche="3"))
    derived = bijlage.without(full, ["transport-t3", "ict-t3"])
    loaded = bijlage.load(validate(tranche="3", exclude_plans=["transport-t3", "ict-t3"]))
    assert derived.params == loaded.params
    assert [p.id for p in derived.plans] == [p.id for p in loaded.plans]
    for name, frame in loaded.tables.items():
        pd.testing.assert_frame_equal(derived.tables[name], frame)
    pd.testing.assert_frame_equal(derived.funding, loaded.funding)


@pytest.mark.slow
def test_outputs_are_written(sensitivity, tmp_path):
    written = robuustheid.write(sensitivity, tmp_path)
    assert [p.name for p in written] == ["per_getal.csv", "varianten.csv"]
    summary = pd.read_csv(written[0])
    assert len(summary) == len(sensitivity.summary) and "breekt_zonder" in summary.columns
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_run_with_other_plans_shows_the_default_value_beside_its_own():
    """Tranche 3 without Transport (t3): claim 6-04 (13.122 realised participants, the sum of Tabel
    A.9's plan rows) becomes 10.333, because Transport realised 66 + 1.369 + 1.354 = 2.789; claim
    6-03 (the largest trajectory type) changes from WW-uitkering to overig naar baan (see above)."""
    from sectorplannen import claims
    from sectorplannen.statistics.indicators import Indicators

    params = validate(tranche="3", exclude_plans=["Transport (t3)"])
    ledger = claims.ledger("uitvoering", "3", Indicators(bijlage.load(params)), params.is_published_cohort)
    rows = ledger.set_index("claim")
    assert rows.loc["6-04", ["standaard", "berekend", "verschil"]].tolist() == ["13.122", "10.333", "-2.789"]
    assert rows.loc["6-03", "standaard"] == "Vanuit WW-uitkering naar baan"
    assert (rows.loc["6-03", "berekend"], rows.loc["6-03", "verschil"]) == ("Vanuit overig naar baan", "anders")
    assert rows.loc["6-04", "status"] == claims.STATUS_OTHER
    published = claims.ledger("uitvoering", "3")
    assert "standaard" not in published.columns  # the published selection needs no comparison


@pytest.mark.slow
def test_participant_claims_on_the_synthetic_file_are_labelled_and_recomputed(synthetic_rows):
    """Claim 4-09 (18.688 werkenden sector in arbeidsmobiliteit, Tabel 4.1) on the synthetic file,
    calibrated to it, without Bouw: by hand, the 2019 rows of that cohort minus Bouw's."""
    from sectorplannen import participants

    frame = robuustheid.participants_synthetic(participants.load("synthetic"), limit=1)  # the engine's counts
    people = synthetic_rows  # participants.rows("synthetic"): one row per participant, counted by hand
    assert set(frame["gegevens"]) == {"synthetisch"}
    assert set(frame["variant"]) == {"zonder Bouw", "zonder Transport (t3)"}  # the largest plan of each group
    row = frame[(frame["claim"] == "4-09") & (frame["variant"] == "zonder Bouw")].iloc[0]
    cohort = people[
        (people["peildatum"] == "2019-05-31")
        & (people["categorie"] == "arbeidsmobiliteit")
        & (people["doelgroep"] == "werkenden_sector")
    ]
    assert row["standaard"] == len(cohort) == 18688
    assert row["waarde"] == len(cohort[cohort["plan_id"] != "bouw"])
    assert not row["houdt"]


@pytest.mark.slow
def test_a_themes_rank_from_below_is_weighed_not_set_apart(sensitivity):
    """Claim 2-13 ('Loopbaanchecks en -adviezen en gezondheidsmaatregelen zijn het minst vaak
    ingezet', Tabel A.1) ranks themes, not plans: it is weighed, and only Welzijn Jeugdzorg en
    Kinderopvang breaks it (found independently by a second implementation of this chapter)."""
    row = _row(sensitivity, "2-13")
    assert row["soort_getal"] == robuustheid.KINDS[robuustheid.KIND_CONCLUSION]
    assert row["breekt_zonder"] == "Welzijn Jeugdzorg en Kinderopvang"
