"""Plan-level plausibility checks: each fires on a planted table, and on the report's own tables
it flags exactly the plans findings.yaml explains."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sectorplannen.errors import DataFileError
from sectorplannen.published import checks, findings, plausibility


def plan_table(rows: dict[str, dict[str, float | None]], line: str = "1") -> pd.DataFrame:
    """A tidy plan table: one row per plan (its id doubles as its label), a Totaal column."""
    records = []
    for plan, values in rows.items():
        for category, value in values.items():
            records.append(
                {
                    "row": plan.upper(),
                    "line": line,
                    "plan_id": plan,
                    "is_total_row": False,
                    "is_total_column": category == "Totaal",
                    "category": category,
                    "value": value,
                }
            )
    return pd.DataFrame(records)


def loader(tables: dict[str, pd.DataFrame]):
    return lambda seed, table_id: tables[f"{seed}/{table_id}"]


def test_a_realisation_under_half_or_over_twice_the_plan_is_flagged():
    tables = {
        "9/real": plan_table(
            {"a": {"Totaal": 40}, "b": {"Totaal": 100}, "c": {"Totaal": 250}, "d": {"Totaal": 50}, "e": {"Totaal": 5}}
        ),
        "9/plan": plan_table(
            {
                "a": {"Totaal": 100},
                "b": {"Totaal": 100},
                "c": {"Totaal": 100},
                "d": {"Totaal": 100},
                "e": {"Totaal": None},
            }
        ),
    }
    found = plausibility.realisation_rates({"realised": "9/real", "planned": "9/plan"}, loader(tables))
    # a: 40 of 100 below 50; c: 250 of 100 above 200; d at exactly 50 is inside; e realised without a plan
    assert [(d.row, d.published, d.computed) for d in found] == [
        ("A", 40.0, 50.0),
        ("C", 250.0, 200.0),
        ("E", 5.0, 0.0),
    ]
    assert {d.kind for d in found} == {"verschil"}  # never rounding-level: every flag needs its explanation


def test_participants_without_budget_and_budget_without_participants_are_flagged():
    tables = {
        "9/count": plan_table({"a": {"Scholing": 10, "Overig": None, "Totaal": 10}, "b": {"Scholing": 3, "Totaal": 3}}),
        "9/amount": plan_table({"a": {"Scholing": 0, "Overig": 7, "Totaal": 7}, "b": {"Scholing": 2, "Totaal": 2}}),
    }
    found = plausibility.presence({"count": "9/count", "amount": "9/amount"}, loader(tables))
    assert sorted((d.check, d.table, d.row, d.category, d.published) for d in found) == [
        ("budget zonder deelnemers", "9/amount", "A", "Overig", 7.0),
        ("deelnemers zonder budget", "9/count", "A", "Scholing", 10.0),
    ]


def test_a_part_planned_and_not_realised_or_realised_without_a_plan_is_flagged():
    tables = {
        "9/plan": plan_table({"a": {"Gezondheid": 1447, "Overig": None, "Totaal": 1447}}),
        "9/real": plan_table({"a": {"Gezondheid": 0, "Overig": 30, "Totaal": 30}}),
    }
    found = plausibility.plan_against_realisation({"planned": "9/plan", "realised": "9/real"}, loader(tables))
    assert sorted((d.check, d.table, d.category, d.published) for d in found) == [
        ("gepland, niet gerealiseerd", "9/plan", "Gezondheid", 1447.0),
        ("gerealiseerd zonder plan", "9/real", "Overig", 30.0),
    ]


def test_participants_in_a_theme_without_a_measure_are_flagged_not_the_reverse():
    tables = {
        "9/measures": plan_table({"a": {"Gezondheid": 2, "Overig": None, "Totaal": 2}}),
        "9/people": plan_table({"a": {"Gezondheid": None, "Overig": 40, "Totaal": 40}}),
    }
    found = plausibility.without_measures({"table": "9/people", "measures": "9/measures"}, loader(tables))
    # 40 in Overig without a measure there; Gezondheid's 2 measures without participants are ordinary
    assert [(d.check, d.table, d.category, d.published) for d in found] == [
        ("zonder maatregel", "9/people", "Overig", 40.0)
    ]


def test_an_own_share_below_what_the_co_financing_leaves_to_the_sector_is_flagged():
    spent = {"Leerwerkplekken": 80, "Om- en bijscholing": 20, "Totaal": 100}  # per plan, excl. overhead
    tables = {
        "9/spent": plan_table({"a": spent, "b": spent, "c": spent}),
        # a: no overhead, 50-50; b: 10 overhead, all paid by the government (74 own); c: 10 overhead, 60 own
        "9/funding": plan_table(
            {
                "a": {"Rijksoverheid": 50, "Sector": 50, "Totaal": 100},
                "b": {"Rijksoverheid": 36, "Sector": 74, "Totaal": 110},
                "c": {"Rijksoverheid": 50, "Sector": 60, "Totaal": 110},
            }
        ),
    }
    spec = {"funding": "9/funding", "spent": "9/spent", "government_rate": 50, "rates": {"leerwerkplekken": 20}}
    found = plausibility.cofinancing_floor(spec, loader(tables))
    # the sector pays at least 0,8 x 80 + 0,5 x 20 = 74: 74% of a's 100, 74 / 110 = 67,3% of b's and c's
    assert [(d.row, d.published, round(d.computed, 2)) for d in found] == [
        ("A", 50.0, 74.0),
        ("C", pytest.approx(100 * 60 / 110), 67.27),  # b: 74 / 110 is the floor itself, not below it
    ]


def test_a_cost_per_participant_beyond_tukey_s_far_out_fences_is_flagged():
    ordinary = {f"p{i}": 1000.0 * (1 + i / 10) for i in range(8)}  # 1.000 to 1.700 euro per participant
    costs = {**ordinary, "dear": 1_000_000.0, "cheap": 1.0}
    tables = {
        "9/budget": plan_table({plan: {"Totaal": cost * 10} for plan, cost in costs.items()}),
        "9/people": plan_table({plan: {"Totaal": 10} for plan in costs}),
    }
    found = plausibility.cost_per_participant({"budget": "9/budget", "participants": "9/people"}, loader(tables))
    logs = pd.Series(costs).map(math.log10)  # the fences by hand: quartiles of the ten log costs
    q1, q3 = logs.quantile(0.25), logs.quantile(0.75)
    high, low = 10 ** (q3 + 3 * (q3 - q1)), 10 ** (q1 - 3 * (q3 - q1))
    assert [(d.row, d.published) for d in found] == [("DEAR", 1_000_000.0), ("CHEAP", 1.0)]
    assert [d.computed for d in found] == pytest.approx([high, low])
    assert low > 1.0 and high < 1_000_000.0 and low < 1000.0 and high > 1700.0


def test_a_bound_per_plan_and_theme_is_checked_cell_by_cell():
    tables = {
        # the themes as A.8 and A.3 print them: matched on their category ids
        "9/bsn": plan_table({"a": {"Om- en bijscholing": 12, "Overige maatregelen": 1, "Totaal": 13}}),
        "9/real": plan_table({"a": {"Om- en bijscholing": 5, "Overig": 9, "Totaal": 14}}),
    }
    spec = {
        "name": "bsn per thema",
        "left": {"table": "9/bsn", "by": "plan_category"},
        "right": {"table": "9/real", "by": "plan_category"},
        "at_most": True,
    }
    found = checks.match_check(spec, loader(tables))
    # the plan's total (13 against 14) passes; its scholing cell does not
    assert [(d.row, d.category, d.published, d.computed) for d in found] == [("a", "scholing", 12.0, 5.0)]


@pytest.mark.slow
def test_the_report_s_plans_flagged_are_the_explained_ones(published_build):
    flagged = [d for d in published_build.discrepancies if d.check in ("realisatiegraad", "kosten per deelnemer")]
    rates = {(d.table, d.row): round(d.published, 1) for d in flagged}
    assert rates == {
        ("001/A.3", "Mainport Rotterdam"): 39.6,  # 95 of 240 (A.3 r. 9146, A.2 r. 8905)
        ("001/A.6", "Mobiliteit"): 297.4,  # 44.066 of 14.818 thousand euro
        ("001/A.6", "Vrijetijdssector Drenthe"): 47.7,  # 1.238 of 2.593
        ("001/A.9", "ICT"): 32.4,  # 826 of 2.550
        ("001/A.9", "MKB Rotterdam"): 310.5,  # 1.242 of 400
    }
    presence = [
        d for d in published_build.discrepancies if d.check in ("deelnemers zonder budget", "budget zonder deelnemers")
    ]
    assert not [d for d in presence if d.check == "deelnemers zonder budget"]
    assert {d.table: sum(1 for e in presence if e.table == d.table) for d in presence} == {
        "001/A.5": 27,
        "001/A.6": 25,
        "001/A.11": 1,
    }
    # Luchtvaart deel 2 planned 1.447 participants in gezondheid (A.2 r. 8903) and realised none (A.3 r. 9144)
    parts = {(d.check, d.table, d.row, d.category): d.published for d in published_build.discrepancies}
    assert parts["gepland, niet gerealiseerd", "001/A.2", "Luchtvaart deel 2", "Gezondheid"] == 1447.0
    # MKB Rotterdam: 332 'vanuit WW-uitkering naar baan' without a plan (A.9 r. 10631; footnote 37)
    assert parts["gerealiseerd zonder plan", "001/A.9", "MKB Rotterdam", "Vanuit WW-uitkering naar baan"] == 332.0
    own = {
        (d.table, d.row): round(d.published, 1) for d in published_build.discrepancies if d.check == "eigen bijdrage"
    }
    # Zorg Noord-Brabant: 50-50 to the euro (Tabel 3.3 r. 1452) with 38.441 of 42.864 thousand on leerwerkplekken
    assert own == {
        ("001/3.3", "Zorg Noord-Brabant"): 50.0,
        ("001/3.3", "Transport"): 68.0,
        ("001/3.3", "Zorg Rijnmond"): 71.1,
        ("001/6.3", "LEC Regio Zwolle"): 42.5,
        ("001/6.3", "Steigerbouw"): 44.8,
    }
    # only Politie en defensie, which has no row in A.1 at all
    assert {d.row for d in published_build.discrepancies if d.check == "zonder maatregel"} == {"Politie en defensie"}
    table = published_build.classified
    ours = table[table["check"].isin(["realisatiegraad", "budget zonder deelnemers", "gepland, niet gerealiseerd"])]
    ours = pd.concat([ours, table[table["check"] == "gerealiseerd zonder plan"]])
    assert len(ours) == 5 + 53 + 12 + 3 and set(ours["status"]) == {"verklaard"}


def test_an_unexplained_flag_stays_unexplained():
    flag = plausibility.realisation_rates(
        {"realised": "9/real", "planned": "9/plan"},
        loader({"9/real": plan_table({"a": {"Totaal": 1}}), "9/plan": plan_table({"a": {"Totaal": 10}})}),
    )
    assert findings.classify(flag, [])["status"].tolist() == ["onverklaard"]


def test_an_entry_without_what_its_check_needs_is_named_before_any_check_runs():
    def never(seed, table_id):
        raise AssertionError("no table is read")

    with pytest.raises(DataFileError, match=r"checks.yaml cofinancing, entry 2: missing government_rate"):
        plausibility.all_flags(
            never,
            {
                "cofinancing": [
                    {"funding": "9/f", "spent": "9/s", "government_rate": 50},
                    {"funding": "9/f", "spent": "9/s"},
                ]
            },
        )


def test_a_plan_printed_twice_is_named_with_its_lines():
    twice = pd.concat([plan_table({"a": {"Totaal": 1}}, line="7"), plan_table({"a": {"Totaal": 2}}, line="9")])
    tables = {"9/real": twice, "9/plan": plan_table({"a": {"Totaal": 2}})}
    with pytest.raises(DataFileError, match=r"9/real: plan 'a' has more than one row \(lines 7, 9\)"):
        plausibility.realisation_rates({"realised": "9/real", "planned": "9/plan"}, loader(tables))
