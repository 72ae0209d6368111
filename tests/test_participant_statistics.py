"""The participant statistics built from several counts (``cohort_aandeel``, ``aandeel_rang``,
``aandeel_groepen_lager``), on a hand-made file whose values are counted by hand, and the
disclosure rule: every count behind such a value is registered, so a value resting on a small
count is suppressed in the ledger."""

from __future__ import annotations

import pandas as pd
import pytest

from sectorplannen import claims
from sectorplannen.chapters.arbeidsmarktpositie import protect_ledger
from sectorplannen.participants import disclosure
from sectorplannen.participants.indicators import ParticipantIndicators
from sectorplannen.statistics.indicators import NotComputable

JOB = {"werkgever": "zelfde_werkgever", "contract": "vast", "uren": "voltijd"}
NO_JOB = {"werkgever": "geen", "contract": "geen", "uren": "geen"}
PART_TIME = "minder_dan_12_uur|vier_dagen"  # the part-time classes the hand-made file holds


def person(plan, categorie, doelgroep, jong, income, n, **job):
    employed = income.startswith("werknemer")
    fields = {**(JOB if employed else NO_JOB), **job}
    return [
        {
            "plan_id": plan,
            "tranche": 1,
            "categorie": categorie,
            "maatregel": "niet uitgesplitst",
            "doelgroep": doelgroep,
            "jong": jong,
            "peildatum": "2019-05-31",
            "inkomenssituatie": income,
            **fields,
        }
    ] * n


def hand_made() -> pd.DataFrame:
    """Leerwerkplekken: 20 werkenden (vvt, zorg; 18 with a job, 12 of them vast), 30 studenten
    (bouw; 21 with a job, 6 vast) of whom 20 young; scholing: 40 (35 with a job, of whom 10 work
    four days and 5 under 12 hours), gezondheid: 30 (24 with a job, 6 of them with WW beside it,
    3 more with WW alone)."""
    rows = [
        *person("vvt", "leerwerkplekken", "werkenden_sector", False, "werknemer", 12),
        *person("vvt", "leerwerkplekken", "werkenden_sector", False, "werknemer", 6, contract="flexibel"),
        *person("vvt", "leerwerkplekken", "werkenden_sector", False, "overig", 2),
        *person("bouw", "leerwerkplekken", "studenten", True, "werknemer", 6),
        *person("bouw", "leerwerkplekken", "studenten", True, "werknemer", 10, contract="flexibel"),
        *person("bouw", "leerwerkplekken", "studenten", True, "overig", 4),
        *person("bouw", "leerwerkplekken", "studenten", False, "werknemer", 5, contract="flexibel"),
        *person("bouw", "leerwerkplekken", "studenten", False, "overig", 5),
        *person("bouw", "scholing", "werkenden_sector", False, "werknemer", 20),
        *person("bouw", "scholing", "werkenden_sector", False, "werknemer", 10, uren="vier_dagen"),
        *person("bouw", "scholing", "werkenden_sector", False, "werknemer", 5, uren="minder_dan_12_uur"),
        *person("bouw", "scholing", "werkenden_sector", False, "overig", 5),
        *person("vvt", "gezondheid", "werkenden_sector", False, "werknemer", 18),
        *person("vvt", "gezondheid", "werkenden_sector", False, "werknemer_ww", 6),
        *person("vvt", "gezondheid", "werkenden_sector", False, "ww", 3),
        *person("vvt", "gezondheid", "werkenden_sector", False, "overig", 3),
    ]
    frame = pd.DataFrame(rows)
    return frame.assign(deelnemer_id=[f"D{i:03d}" for i in range(len(frame))])


@pytest.fixture(scope="module")
def indicators():
    return ParticipantIndicators(hand_made(), "1-2")


@pytest.mark.parametrize(
    ("statistic", "plan", "row", "column", "expected"),
    [
        ("cohort_aandeel", "", "categorie=leerwerkplekken", "jong=ja", 40.0),  # 20 of 50 young
        ("cohort_aandeel", "cluster=zorg", "categorie=leerwerkplekken", "", 40.0),  # 20 (vvt) of 50
        # part-time with fixed hours among the 35 with a job in scholing: 10 four days of 15
        ("cohort_aandeel", "", f"categorie=scholing; baan=ja; uren={PART_TIME}", "uren=vier_dagen", 200 / 3),
        ("cohort_aandeel", "", "categorie=gezondheid; uitkering=ja", "baan=ja", 200 / 3),  # 6 of 9
        # job shares: leerwerkplekken 39/50 = 78, scholing 35/40 = 87,5, gezondheid 24/30 = 80
        ("aandeel_rang", "", "categorie=scholing", "baan=ja", 1.0),
        ("aandeel_rang", "", "categorie=leerwerkplekken", "baan=ja", 3.0),
        ("aandeel_rang", "", "categorie=leerwerkplekken|gezondheid", "baan=ja", 2.0),  # 63 of 80 pooled
        # within leerwerkplekken: werkenden 18/20 = 90 against studenten 21/30 = 70
        ("aandeel_rang", "", "categorie=leerwerkplekken; doelgroep=studenten", "baan=ja", 2.0),
        # vast among those with a job: werkenden 12/18 against studenten 6/21
        ("aandeel_rang", "", "categorie=leerwerkplekken; baan=ja; doelgroep=werkenden_sector", "contract=vast", 1.0),
        ("aandeel_groepen_lager", "", "categorie=gezondheid", "baan=ja", 50.0),  # leerwerkplekken lower, scholing not
        ("aandeel_groepen_lager", "", "categorie=scholing", "baan=ja", 100.0),
    ],
)
def test_values_counted_by_hand(indicators, statistic, plan, row, column, expected):
    value = indicators.compute(statistic, plan=plan, row=row, column=column)
    assert value == pytest.approx(expected)
    assert "deelnemersbestand" in indicators.provenance.inputs


@pytest.mark.parametrize(
    ("statistic", "row", "column"),
    [
        ("aandeel_rang", "", "baan=ja"),  # no group named
        ("aandeel_rang", "categorie=scholing", "baan"),  # no outcome
        ("aandeel_groepen_lager", "categorie=scholing; doelgroep=werkenden_sector", "baan=ja"),  # no other group
        ("cohort_aandeel", "categorie=loopbaan", "jong=ja"),  # an empty cohort
        ("cohort_aandeel", "categorie=scholing; salaris=hoog", ""),  # an unknown outcome
    ],
)
def test_what_cannot_be_computed_is_said(indicators, statistic, row, column):
    with pytest.raises(NotComputable):
        indicators.compute(statistic, row=row, column=column)


def test_an_unreadable_plan_selector_is_not_computable(indicators):
    with pytest.raises(NotComputable, match="plankeuze"):
        indicators.compute("cohort_aandeel", plan="sector=zorg", row="categorie=leerwerkplekken")


def test_every_count_is_registered_and_a_small_one_suppresses_the_value():
    """A rank rests on the job counts of every theme: with a theme of 4 participants (below the
    minimum of 10) the rank is suppressed; a share of 20 of 50 is shown."""
    people = pd.concat(
        [hand_made(), pd.DataFrame(person("bouw", "loopbaan", "werkenden_sector", False, "werknemer", 4))],
        ignore_index=True,
    )
    release = disclosure.Release(people, 10)
    indicators = ParticipantIndicators(people, "1-2", release=release)
    indicators.compute("aandeel_rang", row="categorie=scholing", column="baan=ja")
    indicators.compute("cohort_aandeel", row="categorie=leerwerkplekken", column="jong=ja")
    rank_keys = indicators.keys["aandeel_rang", "categorie=scholing", "baan=ja"]
    assert len(rank_keys) == 8  # numerator and denominator of each of the four themes
    release.protect()
    assert not all(release.is_shown(k) for k in rank_keys)  # loopbaan: 4 of 4
    young = indicators.keys["cohort_aandeel", "categorie=leerwerkplekken", "jong=ja"]
    assert all(release.is_shown(k) for k in young)


def test_the_ledger_shows_a_suppressed_rank_as_suppressed():
    people = pd.concat(
        [hand_made(), pd.DataFrame(person("bouw", "loopbaan", "werkenden_sector", False, "werknemer", 4))],
        ignore_index=True,
    )
    release = disclosure.Release(people, 10)
    indicators = ParticipantIndicators(people, "1-2", release=release)
    frame = claims.ledger("arbeidsmarktpositie", "1-2", indicators, synthetic=True)
    release.protect()
    shown = protect_ledger(frame, indicators, release).set_index("claim")
    assert shown.loc["4-03", "status"] == claims.STATUS_SUPPRESSED  # rank of leerwerkplekken among the themes
    assert shown.loc["4-157", "status"] != claims.STATUS_SUPPRESSED  # 20 young of 50


def test_a_table_of_counts_gives_the_same_values(indicators):
    """The engine hands the chapter one row per combination of columns with its ``aantal``."""
    people = hand_made().drop(columns="deelnemer_id")
    counted = people.groupby(list(people.columns), observed=True).size().rename("aantal").reset_index()
    on_counts = ParticipantIndicators(counted, "1-2")
    for statistic, row, column in [
        ("cohort_aandeel", "categorie=gezondheid; uitkering=ja", "baan=ja"),
        ("aandeel_rang", "categorie=leerwerkplekken", "baan=ja"),
        ("aandeel_groepen_lager", "categorie=gezondheid", "baan=ja"),
    ]:
        expected = indicators.compute(statistic, row=row, column=column)
        assert on_counts.compute(statistic, row=row, column=column) == pytest.approx(expected)
    assert len(counted) < len(people)


def test_no_participant_statistic_shadows_a_plan_level_one():
    """A participant statistic with a plan-level statistic's name would take that statistic's claims
    to the participant file (and their files out of the plan-level checks)."""
    from sectorplannen.statistics.indicators import STATISTICS

    assert not set(claims.FILE_STATISTICS) & set(STATISTICS)
    assert not claims.is_participant_file("uitvoering")
