"""The ledger: statuses that mean what they say, and the number shown is the number verified."""

from __future__ import annotations

import pandas as pd
import pytest

from sectorplannen import claims, participants
from sectorplannen.chapters import inhoud, uitvoering
from sectorplannen.chapters.ledgers import published_ledgers
from sectorplannen.participants.indicators import ParticipantIndicators
from sectorplannen.sources import categories
from sectorplannen.statistics import bijlage
from sectorplannen.statistics.indicators import Indicators
from sectorplannen.statistics.selection import validate

UNIT_SCALE = {"aantal": 1.0, "procent": 1.0, "euro": 1.0, "duizend": 1e3, "miljoen euro": 1e6}


@pytest.fixture(scope="module")
def ledgers():
    return published_ledgers()


def test_no_claim_is_reproduced_by_reading_its_own_cell(ledgers):
    for name, frame in ledgers.items():
        spec = pd.concat([claims.load(f) for f in ("inhoud", "uitvoering", name.split()[0])]).drop_duplicates("id")
        spec = spec.set_index("id")
        reproduced = frame[frame["status"] == claims.STATUS_REPRODUCED]
        for row in reproduced.itertuples():
            own = claims.printed_in(spec.loc[row.claim])
            assert row.invoer, f"{name} {row.claim}: reproduced without inputs"
            assert own is None or own not in row.invoer.split(", "), f"{name} {row.claim} reads {own}, its own table"


def test_funding_cells_read_back_are_taken_over_and_shares_are_arithmetic(ledgers):
    frame = ledgers["uitvoering 1-2"].set_index("claim")
    # 3-144 .. 3-147: the Metaal row of Tabel 3.3 (r. 2656): Rijk, sector, total are the printed cells
    # themselves; the 79% sector share is sector / total of that same row.
    spec = claims.load("uitvoering").set_index("id")
    metaal = spec[(spec["location"] == "Tabel 3.3") & (spec["plan"] == "metaal")]
    statuses = {spec.loc[c, "statistic"]: frame.loc[c, "status"] for c in metaal.index}
    assert statuses["financiering_rijk"] == claims.STATUS_TAKEN
    assert statuses["financiering_totaal"] == claims.STATUS_TAKEN
    assert statuses["aandeel_sector"] == claims.STATUS_ARITHMETIC
    assert set(frame.loc[metaal.index, "invoer_ids"]) == {"001/3.3"}
    # Tabel 3.1's realised participants per theme come from A.3, not from 3.1
    table31 = spec[(spec["location"] == "Tabel 3.1") & (spec["statistic"] == "deelnemers_gerealiseerd")]
    assert set(frame.loc[table31.index, "status"]) == {claims.STATUS_REPRODUCED}
    assert set(frame.loc[table31.index, "invoer_ids"]) == {"001/A.3"}


def test_text_transcribed_into_a_t_table_is_taken_over(ledgers):
    """One cell of a .t table read back is taken over; a ratio of two cells of the claim's own
    passage checks its arithmetic; a share of the register's plans is a reproduction."""
    frame = ledgers["samenwerking"].set_index("claim")
    spec = claims.load("samenwerking").set_index("id")
    cells = frame[frame["invoer_ids"].str.contains(".t", regex=False) & (spec["statistic"] == "tabelwaarde")]
    # 90 single cells of the text tables: 89 read back, and 8-110 ('de meeste projectleiders') checked
    # against the 90 procent of the next sentence (8.t15, the same passage); 8-75 is the Regeling's 60
    # procent (8.t18)
    assert len(cells) == 90
    assert set(cells.drop(index="8-110")["status"]) == {claims.STATUS_TAKEN}
    assert cells.loc["8-110", "status"] == claims.STATUS_ARITHMETIC
    assert frame.loc["8-100", "status"] == claims.STATUS_ARITHMETIC  # 13 of 20 (8.t16), the same sentence
    assert frame.loc["8-25", "status"] == claims.STATUS_REPRODUCED  # 15 plans (8.t5) of 24 (register)
    assert frame.loc["8-25", "invoer_ids"] == "001/8.t5, plannenregister"
    assert frame.loc["8-25", "invoer"] == "de tekst (regel 4806-4812) van de eindevaluatie; het plannenregister"


def test_no_claim_checked_on_the_synthetic_file_is_reproduced():
    people = participants.load("synthetic")
    frame = claims.ledger("arbeidsmarktpositie", "3", ParticipantIndicators(people, "3"), synthetic=True)
    spec = claims.load("arbeidsmarktpositie").set_index("id")
    on_file = frame["claim"].map(spec["statistic"]).isin(claims.PARTICIPANT_STATISTICS)
    assert on_file.sum() > 50
    assert claims.STATUS_REPRODUCED not in set(frame.loc[on_file, "status"])
    assert claims.STATUS_CALIBRATED in set(frame.loc[on_file, "status"])
    assert set(frame.loc[on_file & frame["berekend"].ne(""), "invoer_ids"]) == {"deelnemersbestand"}


def test_ledger_values_are_in_dutch_notation(ledgers):
    frame = ledgers["uitvoering 1-2"].set_index("claim")
    assert frame.loc["3-09", ["gepubliceerd", "berekend"]].tolist() == ["296.145", "296.145"]  # r. 2363
    numbers = frame[frame["eenheid"].isin(UNIT_SCALE) & frame["berekend"].ne("")]
    assert not numbers["berekend"].str.contains(r"^\d+\.\d$").any()  # no Python floats such as 18688.0


# Claims per chapter whose number a chapter table shows (chapter 5 states only plan counts and shares
# of plans, which no chapter table shows).
MINIMUM_COMPARED = {("uitvoering", "1-2"): 61, ("uitvoering", "3"): 52, ("inhoud", "1-2"): 8}


@pytest.mark.parametrize(("chapter", "tranche"), list(MINIMUM_COMPARED))
def test_chapter_tables_show_the_values_the_ledger_checks(chapter, tranche):
    """For every claim whose number a chapter table shows, the table's value is the ledger's."""
    indicators = Indicators(bijlage.load(validate(tranche=tranche)))
    module = uitvoering if chapter == "uitvoering" else inhoud
    by_category = module.per_category(indicators)
    by_plan = uitvoering.per_plan(indicators) if chapter == "uitvoering" else pd.DataFrame()
    labels = categories.labels(indicators.b.categories) | {"totaal": "Totaal"}
    frame = claims.ledger(chapter, tranche, indicators).set_index("claim")
    spec = claims.load(chapter).set_index("id").loc[frame.index]
    compared = 0
    for claim_id, claim in spec.iterrows():
        computed = frame.loc[claim_id, "berekend_waarde"]
        if claim["unit"] not in UNIT_SCALE or pd.isna(computed) or computed == "":
            continue
        if claim["plan"] and claim["category_id"]:
            continue  # a plan x category rate: no chapter table shows it
        if claim["plan"] and claim["statistic"] in by_plan.columns:
            shown = by_plan.loc[claim["plan"], claim["statistic"]]
        elif claim["category_id"] and claim["statistic"] in by_category.columns and not claim["plan"]:
            if labels[claim["category_id"]] not in by_category.index:
                continue  # the total of a table without a total row
            shown = by_category.loc[labels[claim["category_id"]], claim["statistic"]]
        else:
            continue
        assert shown / UNIT_SCALE[claim["unit"]] == pytest.approx(float(computed), rel=1e-12), claim_id
        compared += 1
    assert compared >= MINIMUM_COMPARED[chapter, tranche]
