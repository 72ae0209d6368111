"""Consistency checks and findings: rounding, ratios, verify's verdict."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from sectorplannen import notation, paths
from sectorplannen.published import checks, findings
from sectorplannen.published import make as build


def frame(rows, total_row="Totaal", total_column="Totaal", unit="aantal"):
    records = []
    for row, values in rows.items():
        for category, value in values.items():
            records.append(
                {
                    "group": "",
                    "row": row,
                    "line": "1",
                    "plan_id": "",
                    "category_id": "",
                    "is_total_row": row == total_row,
                    "is_total_column": category == total_column,
                    "category": category,
                    "value": value,
                    "unit": unit,
                    "table": "T",
                }
            )
    out = pd.DataFrame(records)
    out.attrs.update({"seed": "999", "table": "T", "total_row": total_row, "total_column": total_column})
    return out


def test_row_and_column_totals_find_exact_differences():
    f = frame(
        {
            "P": {"A": 1, "B": 2, "Totaal": 3},
            "Q": {"A": 4, "B": 5, "Totaal": 10},
            "Totaal": {"A": 5, "B": 8, "Totaal": 13},
        }
    )
    rows = checks.row_totals(f)
    assert [(d.row, d.published, d.computed, d.kind) for d in rows] == [("Q", 10, 9, "verschil")]
    cols = checks.column_totals(f)
    assert [(d.category, d.published, d.computed) for d in cols] == [("B", 8, 7), ("Totaal", 13, 13)][:1]


def test_rounded_units_allow_half_a_unit_per_part():
    f = frame({"P": {"A": 1, "B": 2, "Totaal": 4}, "Totaal": {"A": 1, "B": 2, "Totaal": 4}}, unit="duizend euro")
    assert {d.kind for d in checks.row_totals(f)} == {"afronding"}
    f = frame({"P": {"A": 1, "B": 2, "Totaal": 5}, "Totaal": {"A": 1, "B": 2, "Totaal": 5}}, unit="duizend euro")
    assert {d.kind for d in checks.row_totals(f)} == {"verschil"}


@pytest.mark.parametrize(("value", "expected"), [(78.5, 79), (122.5, 123), (0.5, 1), (2.4999, 2)])
def test_round_half_up_as_the_report_rounds(value, expected):
    assert checks.round_half_up(value) == expected


def test_explanations_match_by_check_table_row_and_category():
    d = checks.Discrepancy("kolomtotaal", "001/A.1", "Totaal", "Overig", "8803", 84, 79, "som")
    assert findings.Explanation("kolomtotaal", "001/A.1", "x").matches(d)
    assert findings.Explanation("kolomtotaal", "001/A.1", "x", row="Totaal", category="Overig").matches(d)
    assert not findings.Explanation("kolomtotaal", "001/A.1", "x", category="Gezondheid").matches(d)
    table = findings.classify([d], [])
    assert table["status"].tolist() == ["onverklaard"]


@pytest.mark.slow
def test_the_published_data_verifies(published_build):
    result = published_build
    assert (result.classified["status"] == "onverklaard").sum() == 0
    assert result.unused == []
    statuses = set(result.classified["status"])
    assert statuses == {"afronding", "verklaard"}


@pytest.mark.slow
def test_known_findings_are_found(published_build):
    result = published_build
    table = result.classified
    a1 = table[(table["table"] == "001/A.1") & (table["check"] == "kolomtotaal") & (table["category"] == "Totaal")]
    assert a1[["published", "computed"]].to_numpy().tolist() == [[558, 538]]
    a10 = table[
        (table["table"] == "001/A.10")
        & (table["check"] == "kolomtotaal")
        & (table["category"] == "Vanuit werk naar ander beroep")
    ]
    assert a10["difference"].tolist() == [-72]
    youth = table[(table["table"] == "001/3.1") & (table["check"] == "percentage")]
    assert youth["published"].tolist() == [21]


@pytest.mark.slow
def test_an_unrecorded_difference_fails_verify(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    a2 = raw / "001" / "A.2.txt"
    text = a2.read_text(encoding="utf-8")
    assert "| Afval |   2.764   1.700 4.464" in text
    a2.write_text(text.replace("| Afval |   2.764   1.700 4.464", "| Afval |   2.764   1.700 4.465"), encoding="utf-8")
    result = build.build_all(raw)
    bad = result.classified[result.classified["status"] == "onverklaard"]
    assert ("rijtotaal", "001/A.2", "Afval") in set(zip(bad["check"], bad["table"], bad["row"], strict=True))


@pytest.mark.slow
def test_stale_explanation_is_reported(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    with (raw / "findings.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n- {check: rijtotaal, table: 001/A.9, row: Achterhoek, explanation: bestaat niet}\n")
    assert [e.row for e in build.build_all(raw).unused] == ["Achterhoek"]


@pytest.mark.slow
def test_the_report_s_selections_and_bounds_are_checked_against_the_full_data(published_build):
    """Found systematically (checks.yaml: selections, at_most), each recorded in findings.yaml."""
    found = {(d.check, d.table, d.row): d for d in published_build.discrepancies}
    # Tabel 3.3 lists 'de 20 grootste' plans (r. 1410); Groningen is missing although A.6 alone
    # (18.537 thousand euro) exceeds the smallest listed plan incl. overhead (Luchtvaart deel 2).
    groningen = found["selectie", "001/3.3", "Groningen"]
    assert (groningen.published, groningen.computed) == (17285253.0, 18537000.0)
    # Zorg Rijnmond: A.6 spent 18.574 thousand euro excl. overhead, Tabel 3.3 gives 17.377.224 incl.
    rijnmond = found["vergelijking", "001/A.6", "zorg-rijnmond"]
    assert (rijnmond.published, rijnmond.computed) == (18574000.0, 17377224.0)
    # more people with a BSN than realised participants: Kantoorbranche 2.370 (A.8) against 1.882 (A.3)
    bsn = {
        (d.row, d.category): d
        for d in published_build.discrepancies
        if (d.check, d.table) == ("vergelijking", "001/A.8")
    }
    kantoor = bsn["kantoorbranche", "Totaal"]
    assert (kantoor.published, kantoor.computed) == (2370.0, 1882.0)
    assert sum(1 for _, category in bsn if category == "Totaal") == 7
    # and per theme: Afval 1.058 with a BSN in leerwerkplekken (A.8 r. 10295), none realised there (A.3 r. 9075)
    afval = bsn["afval", "leerwerkplekken"]
    assert (afval.published, afval.computed) == (1058.0, 0.0)
    assert sum(1 for _, category in bsn if category != "Totaal") == 17


def test_a_selection_check_flags_only_a_plan_certainly_larger():
    def table(values, column):
        rows = [
            {"row": p, "plan_id": p, "line": "1", "is_total_row": False, "category": column, "value": v}
            for p, v in values.items()
        ]
        return pd.DataFrame(rows)

    tables = {
        ("1", "top"): table({"a": 100.0, "b": 50.0}, "Totaal"),  # the 2 largest, incl. overhead
        ("1", "ref"): table({"a": 95.0, "b": 48.0, "c": 49.0, "d": 51.0}, "Totaal"),  # excl. overhead
    }
    spec = {"table": "1/top", "size": 2, "column": "Totaal", "reference": "1/ref", "by": "Totaal"}
    found = checks.selection_check(spec, lambda seed, table_id: tables[seed, table_id])
    assert [(d.row, d.published, d.computed) for d in found] == [("d", 50.0, 51.0)]  # c (49) may be smaller
    with pytest.raises(ValueError, match="2 plans listed, not 3"):
        checks.selection_check({**spec, "size": 3}, lambda seed, table_id: tables[seed, table_id])


@pytest.mark.parametrize(
    ("value", "expected"),
    [(14312, "14.312"), (18574000.0, "18.574.000"), (19.9614, "19,9614"), (2.5, "2,5"), (float("nan"), "")],
)
def test_listed_numbers_are_in_dutch_notation(value, expected):
    assert notation.exact(value) == expected


@pytest.mark.slow
def test_verify_lists_each_finding_once_in_dutch_notation(published_build):
    """Tabel A.10's total (r. 10734: 14.312 printed, 14.384 computed) in Dutch notation; the A.1
    explanation, which covers seven rows, printed once after them; no line twice."""
    text = build.report(published_build)
    assert "gedrukt           14.312  berekend           14.384  r. 10734" in text
    assert "e+" not in text and "14,312" not in text
    explanation = "De Totaal-rij van Tabel A.1 (558 maatregelen"
    assert sum(line.strip().startswith(explanation) for line in text.splitlines()) == 1
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == len(set(lines))
