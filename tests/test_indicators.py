"""Statistics from Bijlage A against hand-computed values and the report's numbers."""

from __future__ import annotations

import pytest

from sectorplannen.chapters import inhoud, uitvoering
from sectorplannen.claims.rounding import matches
from sectorplannen.statistics import bijlage
from sectorplannen.statistics.indicators import Indicators, NotComputable
from sectorplannen.statistics.selection import validate


@pytest.fixture(scope="module")
def t12():
    return Indicators(bijlage.load(validate()))


@pytest.fixture(scope="module")
def t3():
    return Indicators(bijlage.load(validate(tranche="3")))


def test_totals_equal_the_sum_of_the_plan_rows(t12, t3):
    assert t12.deelnemers_gerealiseerd() == 296145  # = Tabel 3.1 and A.3's total row
    assert t12.deelnemers_gepland() == 309384
    assert t12.budget_besteed() == 977743000  # A.6 plan rows, thousands x 1000
    assert t3.deelnemers_gerealiseerd() == 13122
    assert t3.deelnemers_gepland() == 14384  # A.10's rows; the printed total is 14.312 (a finding)


def test_rates_and_shares(t12):
    assert t12.realisatie_deelnemers() == pytest.approx(100 * 296145 / 309384)
    assert t12.realisatie_deelnemers(category="overig") == pytest.approx(100 * 4002 / 5264)
    assert t12.budget_aandeel(category="leerwerkplekken") == pytest.approx(67.0, abs=0.05)


def test_ranks_and_outliers_as_the_text_names_them(t12):
    assert [t12.plan_rang_deelnemers(rank=i) for i in (1, 2, 3, 4)] == [
        "bouw",
        "welzijn-jeugdzorg-en-kinderopvang",
        "levensmiddelenindustrie",
        "transport",
    ]
    assert t12.plan_rang_budget(rank=1) == "metaal"
    assert [round(t12.realisatie_deelnemers_hoogste(rank=i)) for i in (1, 2, 3)] == [164, 127, 124]
    assert round(t12.realisatie_budget_hoogste(rank=1)) == 297
    assert t12.categorie_rang_maatregelen(rank=1) == "scholing"


def test_register_counts(t12):
    assert t12.plannen() == 75
    assert t12.plannen_regionaal_zorg() == 18


def test_the_ambition_of_tranche_3_is_the_one_chapter_6_states(t12, t3):
    """Chapter 6 r. 3526-3530: 13.122 realised of 17.223 intended is 76 procent; r. 3668-3672:
    € 58,4 miljoen spent (A.12) of ruim € 116 miljoen is 50 procent. The quickscans give tranche 1-2."""
    assert t3.ambitie_deelnemers() == 17223
    assert t3.realisatie_tov_ambitie_deelnemers() == pytest.approx(100 * 13122 / 17223)  # 76,2
    assert t3.ambitie_budget() == 116e6
    assert t3.realisatie_tov_ambitie_budget() == pytest.approx(100 * 58381725 / 116e6)  # 50,3
    assert t3.compute("realisatie_tov_ambitie_budget") == pytest.approx(50.33, abs=0.01)
    assert t3.provenance.inputs == ("001/6.t2", "001/A.12")
    assert t3.ambitie_budget_qs2() == 142e6  # the 2017 letter's June 2016 report: € 71 + 71 miljoen
    assert t12.ambitie_deelnemers() == t12.ambitie_deelnemers_qs2() == 430000  # Tabel 1 of the letter
    assert t12.ambitie_budget() == t12.ambitie_budget_qs2()


def test_several_categories_of_one_plan_are_summed(t3):
    """Transport (t3) in Tabel A.10: 1.375 planned towards another occupation, 1.408 from WW, none from
    another situation; the new drivers the 2017 letter speaks of (r. 101)."""
    new_drivers = "werk-ander-beroep|ww-naar-baan|overig-naar-baan"
    assert t3.deelnemers_gepland(category=new_drivers, plan="transport-t3") == 2783
    assert t3.deelnemers_gepland(category="ww-naar-baan|werk-ander-beroep") == t3.deelnemers_gepland(
        category="ww-naar-baan"
    ) + t3.deelnemers_gepland(category="werk-ander-beroep")


def test_the_denominator_of_printed_shares(t3):
    """003 Tabel 3.4: 6 (32%), 8 (42%), 4 (21%), 2 (11%), 1 (5%) are shares of 19 projects (6/19 =
    31,6; 2/19 = 10,5 rounds up to 11; 18 gives 33 for the first row, so 19 is the smallest)."""
    assert t3.tabelnoemer(table="003/3.4", column="Aantal projecten|% van totaal") == 19
    with pytest.raises(NotComputable, match="twee kolommen"):
        t3.tabelnoemer(table="003/3.4", column="Aantal projecten")


def test_not_computable_is_said(t3):
    with pytest.raises(NotComputable, match="alleen voor tranche 1-2"):
        t3.ambitie_deelnemers_qs2()
    with pytest.raises(NotComputable, match="onbekende statistiek"):
        t3.compute("bestaat_niet")
    with pytest.raises(NotComputable, match="geen tabel met maatregelen"):
        t3.maatregelen()


def test_excluding_a_plan_changes_the_totals():
    without = Indicators(bijlage.load(validate(exclude_plans=["Bouw"])))
    full = Indicators(bijlage.load(validate()))
    bouw = full.deelnemers_gerealiseerd(plan="bouw")
    assert without.deelnemers_gerealiseerd() == full.deelnemers_gerealiseerd() - bouw
    assert without.plan_rang_deelnemers(rank=1) == "welzijn-jeugdzorg-en-kinderopvang"
    with pytest.raises(NotComputable, match="alleen de 20 grootste plannen"):
        without.financiering_totaal(category="totaal")


def test_tranche_3_funding_without_a_plan_sums_the_remaining_rows():
    full = Indicators(bijlage.load(validate(tranche="3")))
    without = Indicators(bijlage.load(validate(tranche="3", exclude_plans=["Transport"])))
    transport = full.financiering_rijk(plan="transport-t3")
    assert without.financiering_rijk(category="totaal") == pytest.approx(
        full.b.funding.drop(index="totaal")["rijk"].sum() - transport
    )


def test_tranche_1_alone_uses_the_register():
    t1 = bijlage.load(validate(tranche="1"))
    assert len(t1.plans) == 23  # 24 approvals in 2014, one (Uitzendbranche) withdrawn
    assert "bouw" in t1.plan_ids and "afval" not in t1.plan_ids


def test_chapter_tables_have_a_total_row():
    data = bijlage.load(validate(tranche="3"))
    table = uitvoering.per_category(Indicators(data))
    assert table.loc["Totaal", "deelnemers_gerealiseerd"] == 13122
    assert list(table.index[:-1]) == [
        "Vanuit werk naar hetzelfde beroep",
        "Vanuit werk naar ander beroep",
        "Vanuit WW-uitkering naar baan",
        "Vanuit overig naar baan",
    ]
    content = inhoud.per_category(Indicators(bijlage.load(validate())))
    assert content["maatregelen"].sum() == 538  # the A.1 plan rows (the printed total says 558)


@pytest.mark.parametrize(
    ("computed", "published", "step", "qualifier", "ok"),
    [
        (95.72, 96, 1, "", True),
        (95.4, 96, 1, "", False),
        (296145, 296, 1, "", False),
        (39.6, 40, 5, "ongeveer", True),
        (67.6, 66.7, 5, "ongeveer", True),
        (19.6, 20, 5, "bijna", True),
        (20.1, 20, 5, "bijna", False),
        (296.1, 296, 1, "ruim", True),
        (51, 50, 1, "meer dan", True),
        (2.5, 3, 1, "", True),
    ],
)
def test_claim_matching_rules(computed, published, step, qualifier, ok):
    assert matches(computed, published, step, qualifier) is ok


def test_plans_past_a_threshold(t12):
    """Chapter 3 r. 1188-1194, 1373-1375, from A.2/A.3 and A.5/A.6 (rates as the report prints them)."""
    assert t12.plannen_aantal(row="realisatie_deelnemers<50") == 1  # Mainport Rotterdam: 95 of 240
    assert t12.deelnemers_bij_realisatie_laagste(rank=1) == 95
    assert t12.plannen_aantal(row="realisatie_deelnemers>=123.5; deelnemers_gerealiseerd<100") == 0
    assert t12.deelnemers_bij_realisatie_hoogste(rank=1) == 144  # Logistiek Twente, 164 %
    assert t12.plannen_aantal(row="realisatie_budget<63.5 | realisatie_budget>=123.5") == 3  # 48, 133, 297 %
    assert t12.plannen_aantal(row="realisatie_budget<64 | realisatie_budget>123") == 4  # Mode en Textiel 123,2 %
    assert t12.plannen_aandeel(row="realisatie_budget<63.5") == pytest.approx(100 / 75)


@pytest.mark.parametrize("row", ["realisatie_budget", "realisatie_budget << 3", "leeftijd<30", ""])
def test_an_unreadable_condition_is_not_computable(t12, row):
    with pytest.raises(NotComputable):
        t12.plannen_aantal(row=row)


def test_plans_named_by_a_register_selector(t12):
    zorg = "plan_type=regionaal&cluster=zorg"
    assert t12.plannen_bsn_aantal(plan=zorg) == t12.plannen_regionaal_zorg() == 18
    share = t12.plan_aandeel_bsn(category="scholing", plan=zorg)
    assert share == pytest.approx(28.2, abs=0.05)  # r. 2402: 28 procent
    assert t12.plan_aandeel_bsn_overig(category="scholing", plan=zorg) == pytest.approx(100 - share)
    named = "bouw|openbaar-vervoer|levensmiddelenindustrie"
    assert t12.plannen_bsn_overig_aantal(category="gezondheid", plan=named) == 12  # r. 2833
    with pytest.raises(NotComputable):
        t12.plan_aandeel_bsn(category="scholing", plan="plan_type=landelijk&sector=zorg")


def test_shares_of_groups_and_tranches(t12, t3):
    assert t3.tranche_aandeel_deelnemers() == pytest.approx(100 * 13122 / (296145 + 13122))
    assert t12.tranche_aandeel_deelnemers() == pytest.approx(100 * 296145 / (296145 + 13122))
    assert t3.aandeel_grootste_plannen_deelnemers(rank=5) == pytest.approx(53.8, abs=0.05)  # r. 3640: 54
    assert t3.categorieen_boven_planning(plan="mkb-rotterdam") == 4  # WW: 332 realised, none planned
    assert t3.meer_dan_gepland_deelnemers(category="overig-naar-baan", plan="perspectief") == pytest.approx(360)
    assert t3.categorie_aandeel_bsn(category="ww-naar-baan|werk-ander-beroep", plan="plan_type=regionaal") == (
        pytest.approx(42.1, abs=0.05)
    )
    assert t3.plannen_bsn_aantal() == 22 and t3.plannen_zonder_bsn() == 2  # voetnoot 25


def test_ranks_of_categories_and_rows(t12, t3):
    assert t12.categorie_rang_deelnemers_gepland(rank=1) == "scholing"
    assert t12.categorie_rang_realisatie_deelnemers(rank=1) == "leerwerkplekken"  # Tabel 3.1: 99 %
    assert t12.plan_rang_financiering_sector(rank=1) == "metaal"
    assert t3.categorie_rang_bsn(rank=1) == "ww-naar-baan"
    assert t12.cluster_rang(rank=1, row="plan_type=regionaal") == "zorg"
    assert t12.tabelrang(table="003/2.4", row="DW2: Loopbaanoriëntatie", column="Aantal projecten") == 1
    assert t12.tabelrijen(table="003/2.4") == 6


def test_ratios_of_printed_cells(t12):
    assert t12.tabelverhouding(
        table="003/2.1", row="SRA", column="Tweede ronde - Ontvangen|Totaal - Ontvangen"
    ) == pytest.approx(100 * 32 / 48)
    assert t12.tabelgewogen_gemiddelde(
        table="001/3.1", column="Aandeel jongeren (tot en met 26)|Gerealiseerd aantal deelnemers"
    ) == pytest.approx(19.96, abs=0.01)
    with pytest.raises(NotComputable):
        t12.tabelverhouding(table="003/2.1", row="SRA", column="Tweede ronde - Ontvangen")
