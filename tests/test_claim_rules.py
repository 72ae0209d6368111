"""The rules a claim's status and note follow.

- *niet berekenbaar* only where an input is absent from the project: the note of every claim without a
  statistic names one (``Ontbreekt: <input>.``, from ``claims.MISSING_INPUTS``), never a missing
  statistic; a claim the data determine that is not computed yet says so (``claims.files.PENDING_MARK``) and
  is listed in ``PENDING`` here, so the list can only shrink on purpose;
- no arithmetic in the note of a claim that is not computed, in any form (a result with "=", a share in
  brackets, "x van de y", a division, a sum, a difference, a product, a qualified result such as "ruim
  76 procent"); planted notes prove the check finds each form;
- a caption computed from its own table, and a sentence computed from its own passage, are
  *nagerekend*; one printed statement is one claim.
"""

from __future__ import annotations

import csv
import re
from functools import cache

import pandas as pd
import pytest

from sectorplannen import claims, paths
from sectorplannen.chapters.ledgers import published_ledgers
from sectorplannen.claims.evaluation import evaluate, evidence, indicators_for, printed_in, reads_itself
from sectorplannen.claims.files import (
    STATUS_ARITHMETIC,
    STATUS_DIFFERS,
    STATUS_NA,
    STATUS_REPRODUCED,
    STATUS_TAKEN,
)
from sectorplannen.statistics.indicators import Provenance

CLAIMS = paths.DATA / "claims"
FILES = sorted(p.stem for p in CLAIMS.glob("*.csv"))

# Claims the project's data determine (participant statistics on the participant file) that are not
# computed yet: their notes carry claims.files.PENDING_MARK. Remove an id once its claim has a statistic.
PENDING = frozenset(
    [
        # The share of 2019's job changers who had changed by 2018: it links one participant across two
        # measurement dates, which the engine's table of counts (per combination of the audited
        # columns, per date) and the disclosure audit (its groups are such combinations) do not carry.
        "4-111",
        "4-242",
        # Chapter 10's key figure over all three tranches: a participant cohort over both tranche
        # groups together, which the participant statistics (one tranche group per claim) do not take.
        "10-39",
    ]
)

# Every form in which a note can compute a figure.
ARITHMETIC = {
    "uitkomst met =": re.compile(r"\d\s*%?\)?\s*=\s*[-€(]?\s*\d"),
    "aandeel met decimalen": re.compile(r"(?<![\d.])\d{1,3},\d+\s*(%|procent)"),
    "x van de y": re.compile(
        r"(?<![\d,.])\d[\d.,]*\s*(?:\([^)]*\)\s*)?(?:[a-zé]+\s+){0,4}van\s+(?:de\s+|het\s+|alle\s+)?(?:[a-zé]+\s+){0,2}\d"
    ),
    "deling": re.compile(r"\d\s*/\s*\(|\d(?:\.\d{3})+\s*/\s*\d|\d\s*/\s*\d(?:\.\d{3})+"),
    "som": re.compile(r"\d\s*\+\s*\d"),
    "verschil": re.compile(r"\d\s+(?:-|−)\s+(?:de\s+)?\d|\d[\d.,]*\s+(?:[a-zé]+\s+){0,3}min\s+(?:de\s+)?\d"),
    "product": re.compile(r"\d\s*[x×]\s*€?\s*\d"),
    "som in woorden": re.compile(r"\b(?:tel(?:t|len)|opgeteld)\b[^.;]{0,60}?\bop tot\s+(?:€\s*)?\d"),
    "deling in woorden": re.compile(r"\b[a-z]{3,}\s*/\s*\d|\d\s*/\s*[a-z]{3,}\b"),
    "uitkomst in woorden": re.compile(
        r"\b(?:ruim|bijna|circa|dus|is|samen|geeft|geven|gewogen)\s+\d[\d.]*(?:,\d+)?\s*(?:%|procent)"
    ),
}
# What a note may quote or fix without computing: the report's own words ('ruim 9 van de 10') and the
# reading of a verbal quantity as a number ("vastgelegd als bijna 100 procent").
_QUOTED = re.compile(r"'[^']*'|‘[^’]*’")
_READING = re.compile(r"\b(?:vastgelegd|gelezen) als (?:bijna|ruim|meer dan|minder dan|ongeveer)?\s*")
# A table, figure or quickscan is named by its number, which is no quantity: 'Tabel 1 van de voortgangsbrief
# van 2017', 'de aantallen per thema van quickscan 4'.
_NAMED = re.compile(r"\b(?:Tabel|Figuur|Grafiek|Box|Bijlage|[Qq]uickscan)\s+[A-Z]?\d+(?:\.\w+)?")


def arithmetic(note: str) -> str | None:
    """The form of arithmetic a note contains, or None."""
    text = _NAMED.sub("Tabel", _READING.sub("", _QUOTED.sub("''", note)))
    return next((form for form, pattern in ARITHMETIC.items() if pattern.search(text)), None)


def read(name: str) -> list[dict]:
    with (CLAIMS / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def uncomputed() -> list[tuple[str, dict]]:
    """The claims that are not computed: without a statistic, or with one that the data of the
    published selection cannot give (the ledger says *niet berekenbaar*)."""
    failing = set()
    for name, frame in {**published_ledgers(), "arbeidsmarktpositie": claims.plan_level("arbeidsmarktpositie")}.items():
        failing |= {(name.split()[0], c) for c in frame.loc[frame["status"] == STATUS_NA, "claim"]}
    return [
        (name, claim)
        for name in FILES
        for claim in read(name)
        if not claim["statistic"] or (name, claim["id"]) in failing
    ]


def rule_violations(rows) -> list[str]:
    """Claims without a statistic whose note names no absent input (pending ones aside), or names a
    missing statistic."""
    bad = []
    for name, claim in rows:
        note = claim["note"]
        pending = claim["id"] in PENDING and claims.files.PENDING_MARK in note
        if not (claims.missing_input(note) or pending):
            bad.append(f"{name}/{claim['id']}: geen 'Ontbreekt: <invoer>.' uit MISSING_INPUTS")
        if re.search(r"\bgeen \w*statistiek|woordenlijst|statistiek ontbreekt", note, re.IGNORECASE):
            bad.append(f"{name}/{claim['id']}: noemt een ontbrekende statistiek")
    return bad


def test_a_claim_not_computed_names_the_missing_input():
    bad = rule_violations(uncomputed())
    assert not bad, f"{len(bad)} claims:\n" + "\n".join(bad)


def test_the_pending_list_is_exact():
    """A claim leaves PENDING when it is computed; none joins it silently."""
    marked = {c["id"] for _, c in uncomputed() if claims.files.PENDING_MARK in c["note"]}
    assert marked == PENDING
    computed = {c["id"] for name in FILES for c in read(name) if c["statistic"]}
    assert not PENDING & computed
    assert all(claims.files.PENDING_MARK not in c["note"] for name in FILES for c in read(name) if c["statistic"])


def test_the_rule_check_fails_on_a_planted_claim():
    good = {"id": "X-01", "note": "aandeel uit interviews. Ontbreekt: interviews en groepsgesprekken van de evaluatie."}
    assert not rule_violations([("x", good)])
    assert rule_violations([("x", {**good, "note": "geen statistiek voor het aandeel van de grootste n"})])
    assert rule_violations([("x", {**good, "note": "Ontbreekt: een statistiek."})])  # not an input
    assert rule_violations([("x", {**good, "note": good["note"] + " Geen rangstatistiek per cluster."})])
    assert rule_violations([("x", {**good, "note": good["note"] + " De woordenlijst heeft geen rang."})])
    assert rule_violations([("x", {**good, "note": f"{claims.files.PENDING_MARK}een rang."})])  # not in PENDING


def test_no_arithmetic_in_the_note_of_a_claim_not_computed():
    found = [f"{name}/{c['id']} ({arithmetic(c['note'])})" for name, c in uncomputed() if arithmetic(c["note"])]
    assert not found, f"{len(found)} notes compute a figure: " + ", ".join(found)


@pytest.mark.parametrize(
    "note",
    [
        "13.122/(296.145 + 13.122) = 4,2%",
        "aandeel plan in thema: Tabel A.8 (16,9%)",
        "gerealiseerd 13.122 (A.9) van 17.223 beoogd",
        "13 van de 20 projectleiders (8.t16)",
        "13.122/17.223",
        "lopende projecten (47 - 22)",
        "24 afgeronde plannen min 22",
        "23 + 52 plannen",
        "2 x € 18,75 mln",
        "12.201 met een baan van de 12.920, ruim 94 procent",
        "de som is 63 procent",
        "de drie leeftijdsgroepen (17, 54 en 28 procent) tellen door afronding op tot 99",
        "elk percentage van de tabel = aantal/19",
        "de rijen tellen samen op tot € 45 miljoen",
        "Tabel 1 van de voortgangsbrief van 2017: 13 van de 20 projectleiders",
    ],
)
def test_the_arithmetic_check_finds_a_planted_computation(note):
    assert arithmetic(note)


@pytest.mark.parametrize(
    "note",
    [
        "'ruim 9 van de 10' gelezen als een aandeel boven 90 procent",
        "'vrijwel alle' vastgelegd als bijna 100 procent",
        "voetnoot 13: regel voor de projectcode van combinatieprojecten",
        "Figuur 4.14, balk 'Studenten (21.041)', reeks '4 dagen'",
        "rang van de twee VWNW-typen naar aandeel met een baan (78 en 81 tegen 76 en 72)",
        "Tabel 1 van de voortgangsbrief van 2017 drukt de ambitie bij quickscan 2 afgerond op duizenden",
        "de tekst telt deelnemers, niet trajecten; zie regel 4794-4796",
        "werkgevers en/of werknemers; A.9-A.13 zijn per type traject",
        "Grafiek 1 geeft de aantallen bij quickscan 5, de aantallen per thema van quickscan 4 ontbreken",
    ],
)
def test_the_arithmetic_check_passes_words_and_printed_figures(note):
    assert arithmetic(note) is None


def _claim(**fields) -> pd.Series:
    base = {"id": "X-01", "location": "tekst", "quote": "", "source": "001", "line": "100"}
    return pd.Series({**base, **fields})


def test_a_caption_computed_from_its_own_table_is_arithmetic():
    caption = _claim(location="kop", quote="Tabel 3.3 Metaal heeft hoogste eigen bijdrage aan een sectorplan")
    assert printed_in(caption) == "001/3.3"
    assert evidence(caption, Provenance(("001/3.3",))) == STATUS_ARITHMETIC
    assert evidence(caption, Provenance(("001/A.3",))) == STATUS_REPRODUCED
    # a caption is never itself a cell: one cell of its own table checks it ('waaronder voornamelijk
    # jongeren' against the 66 procent of Tabel 3.1), a cell of another table is read back
    assert evidence(caption, Provenance(("001/3.3",), cell="001/3.3")) == STATUS_ARITHMETIC
    assert evidence(caption, Provenance(("001/6.3",), cell="001/6.3")) == STATUS_TAKEN
    second_line = _claim(location="kop", quote="waaronder voornamelijk jongeren", line="1230-1231")
    assert printed_in(second_line) == "001/3.1"  # the table whose caption starts on line 1230
    assert evidence(second_line, Provenance(("001/3.1",), cell="001/3.1")) == STATUS_ARITHMETIC


def test_a_cell_of_the_same_passage_behind_a_verbal_number_is_arithmetic():
    """004 r. 436: 'Ruim de helft (55 procent)': the 55 of the same sentence checks 'ruim de helft';
    the 55 read back for the 55 itself is overgenomen."""
    sentence = _claim(source="004", line="436")
    cell = Provenance(("004/t6",), "004/t6", ("436",))
    assert evidence(sentence, cell, printed_number=False) == STATUS_ARITHMETIC
    assert evidence(sentence, cell, printed_number=True) == STATUS_TAKEN
    elsewhere = Provenance(("004/t6",), "004/t6", ("450",))
    assert evidence(sentence, elsewhere, printed_number=False) == STATUS_TAKEN
    figure = _claim(location="kop", quote="Figuur 3.1 Om- en bijscholing heeft de meeste deelnemers")
    assert printed_in(figure) is None


def test_inputs_from_the_claims_own_passage_are_arithmetic():
    """003 r. 975-981: the round ceilings, and a line later the 50-50 split they restore."""
    sentence = _claim(source="003", line="981")
    assert evidence(sentence, Provenance(("003/2.t1",), None, ("975-977", "979"))) == STATUS_ARITHMETIC
    assert evidence(sentence, Provenance(("003/2.t1",), None, ("900",))) == STATUS_REPRODUCED  # another passage
    assert evidence(sentence, Provenance(("003/2.1",), None, ("979",))) == STATUS_REPRODUCED  # a printed table
    assert evidence(sentence, Provenance(("003/2.t1", "plannenregister"), None, ("979",))) == STATUS_REPRODUCED


def test_a_text_cell_read_back_is_its_printed_number_without_the_qualifier():
    """'ruim € 116 miljoen' is transcribed as 116 (001/6.t2): read back it is the printed number, while
    a cell with another number (90 procent behind 'de meeste') or of a printed table keeps the qualifier."""
    claim = _claim(value=116.0, step="1", qualifier="ruim", line="3668")
    assert reads_itself(claim, Provenance(("001/6.t2",), "001/6.t2", ("3668",)), 116.0)
    assert not reads_itself(claim, Provenance(("001/6.t2",), "001/6.t2", ("3668",)), 161.0)  # a misread
    assert not reads_itself(claim, Provenance(("001/6.3",), "001/6.3", ("3668",)), 116.0)  # a printed table
    assert not reads_itself(claim, Provenance(("001/6.t2", "001/A.12"), None, ("3668",)), 116.0)  # computed
    most = _claim(value=50.0, step="5", qualifier="meer dan", line="5273")
    assert not reads_itself(most, Provenance(("001/8.t15",), "001/8.t15", ("5273-5275",)), 90.0)


@pytest.fixture(scope="module")
def ledger_rows():
    """The ledger rows of some claims, on the published tables (participant claims aside)."""
    wanted = {
        "uitvoering": ["3-25", "3-39", "3-114", "3-139", "3-235", "6-11", "6-12", "6-44", "6-55", "6-57", "6-86"],
        "monitoring": ["002-10", "000-80"],
        "arbeidsmarktpositie": ["4-08", "4-121", "4-207", "4-212", "7-29", "7-58"],
        "dwsra": ["003-29", "003-59", "003-68", "003-149", "003-206"],
        "steunpakket_2020": ["004-24"],
    }
    rows, cache = {}, {}
    for name, ids in wanted.items():
        frame = claims.load(name)
        for _, claim in frame[frame["id"].isin(ids)].iterrows():
            tranche = claim["tranche"]
            cache.setdefault(tranche, indicators_for(tranche))
            rows[claim["id"]] = evaluate(claim, cache[tranche])
    return rows


@pytest.mark.parametrize(
    ("claim", "status", "computed"),
    [
        ("3-25", STATUS_DIFFERS, "0"),  # none of the three high outliers has under 100 participants (A.3)
        ("3-114", STATUS_REPRODUCED, "3"),  # budget realisation outside 64-123 percent: 48, 133, 297
        ("3-139", STATUS_ARITHMETIC, "Metaal"),  # the caption of Tabel 3.3, from Tabel 3.3
        ("3-39", STATUS_ARITHMETIC, "66,0"),  # caption of Tabel 3.1 against its youth column (66 %)
        ("003-206", STATUS_REPRODUCED, "19"),  # the denominator of Tabel 3.4's shares (6 of 19 is 32 %)
        ("004-24", STATUS_ARITHMETIC, "55,0"),  # 'ruim de helft (55 procent)': the 55 of the same sentence
        ("3-235", STATUS_ARITHMETIC, "36,2"),  # 154 of 426 measures, both from the same sentence (001/3.t1)
        ("6-11", STATUS_REPRODUCED, "76"),  # 13.122 (A.9) of the 17.223 intended (chapter 6's text, 6.t1)
        ("6-55", STATUS_TAKEN, "116"),  # 'ruim € 116 miljoen' read back from its own line (6.t2)
        ("6-57", STATUS_REPRODUCED, "50"),  # € 58,4 miljoen (A.12) of € 116 miljoen (6.t2)
        ("002-10", STATUS_DIFFERS, "38"),  # 24 + 1 + 3 + 10 outcomes of 37 submitted applications (002/t1)
        ("000-80", STATUS_TAKEN, "45"),  # the total of 000/t3, whose parts add up to it (a checked total row)
        ("003-149", STATUS_ARITHMETIC, "80,9"),  # 38 of 47 running projects, the same sentence (003/2.t5)
        ("6-12", STATUS_REPRODUCED, "4,2"),  # 13.122 of 296.145 + 13.122 (A.3, A.9)
        ("6-44", STATUS_DIFFERS, "360"),  # Perspectief: 460 realised of 100 planned is 360 % more
        ("6-86", STATUS_ARITHMETIC, "91,7"),  # 22 of the 24 plans of Tabel 6.3 print 50 %
        ("4-08", STATUS_ARITHMETIC, "87,3"),  # the caption of Tabel 4.1, from Tabel 4.1
        ("4-121", STATUS_DIFFERS, "31"),  # 100 - 69,4 (A.8); the report subtracts rounded shares
        ("4-207", STATUS_DIFFERS, "84"),  # 84,4 (A.8); the report adds rounded shares to 85
        ("4-212", STATUS_DIFFERS, "16"),  # 15,6 (A.8)
        ("7-29", STATUS_DIFFERS, "42,1"),  # A.13 and the register, not the mislabelled column of Tabel 7.1
        ("7-58", STATUS_REPRODUCED, "43"),  # 1.354 of 3.135 (A.13, sectoral plans)
        ("003-29", STATUS_REPRODUCED, "66,7"),  # 32 of 48 (003 Tabel 2.1)
        ("003-59", STATUS_ARITHMETIC, "49,5"),  # the ceilings of the same passage (003/2.t1)
        ("003-68", STATUS_ARITHMETIC, "81"),  # 30,55 of 37,5 (003/2.t3, same passage)
    ],
)
def test_claim_status(ledger_rows, claim, status, computed):
    row = ledger_rows[claim]
    assert (row["status"], row["berekend"]) == (status, computed)


def test_every_difference_found_here_is_explained():
    known = claims.explanations()
    for claim in ("3-25", "3-26", "6-44", "4-121", "4-207", "4-212", "4-228", "7-29", "3-67", "002-10"):
        assert claim in known


def test_one_printed_statement_is_one_claim():
    """Two claims of the running text with the same words, printed value and statistic count one
    statement twice (003-59 and 003-60 were one '50-50')."""
    seen: dict[tuple, str] = {}
    doubled = []
    for name in FILES:
        for c in read(name):
            if c["location"].startswith(("Tabel", "Figuur")):
                continue  # a table row prints each cell, equal values included
            key = (c["source"], c["line"], c["quote"], c["published"], c["unit"], c["statistic"])
            if key in seen:
                doubled.append(f"{seen[key]} en {name}/{c['id']}")
            seen[key] = f"{name}/{c['id']}"
    assert not doubled, "; ".join(doubled)
