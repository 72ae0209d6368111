"""What a reader sees beside each number (the ledger's explanation, 'toelichting', and what it was
computed from, 'invoer') is in the report's own words: documents by name, no code names (statistics,
plan or category ids, key=value cohorts), no file paths, no seed numbers or ``r.`` line marks, no
to-do notes, no claim ids and no Python values. Checked on the sources of those texts (claims files,
explanations of differences, the names of the inputs) and on every ledger row of the built report.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from sectorplannen import claims, published
from sectorplannen.claims import inputs
from sectorplannen.sources import categories
from sectorplannen.sources.register import register
from sectorplannen.statistics import bijlage
from sectorplannen.statistics.base import PARTICIPANT_FILE, REGISTER
from sectorplannen.statistics.indicators import Indicators
from sectorplannen.statistics.selection import validate

READER_COLUMNS = ("toelichting", "invoer")

# Plan and category ids with a hyphen: written as code, never as Dutch (a reader sees 'Van WW naar baan').
CODE_IDS = {p.id for p in register()} | {e["id"] for axis in categories.categories().values() for e in axis}
CLAIM_IDS = {row["id"] for path in sorted(claims.CLAIMS.glob("*.csv")) for row in csv.DictReader(path.open())}

RULES = {
    "code name (snake_case)": re.compile(r"\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b"),
    "code name (key=value)": re.compile(r"\b[a-z_]+=\S"),
    "file path or extension": re.compile(
        r"\.(?:py|ya?ml|csv|json|txt|parquet|ipynb|html)\b|\b(?:data|tests|src|outputs|notebooks|raw)/"
    ),
    "document by seed number": re.compile(r"(?<![\d.,])\b00[0-4]\b(?:/|\s+(?:Tabel\b|r\.|regel\b))"),
    "table id of the project (.t)": re.compile(r"(?<![\w.])(?:\d+\.)?t\d+\b|\bt-tabel"),
    "line mark 'r.'": re.compile(r"(?<!\w)r\.\s?\d"),
    "command": re.compile(r"\bmake\s+[a-z]+\b|\bpytest\b|\bpython\b"),
    "to-do note": re.compile(r"\bTODO\b|\bFIXME\b|\bzodra\b|\bnog te\b", re.IGNORECASE),
    "Python value": re.compile(r"\b(?:None|nan|NaN|True|False)\b|<NA>|\[[^\]]*\]|\{[^}]*\}"),
}

# A plan's name as the register gives it marks the tranche of a plan that ran twice: 'Transport (t3)'.
TRANCHE_MARK = re.compile(r"\(t[123]\)")


def offences(text: str) -> list[str]:
    """What in ``text`` is not the reader's language: the names of the rules it breaks."""
    text = TRANCHE_MARK.sub("", text)
    found = [name for name, pattern in RULES.items() if pattern.search(text)]
    tokens = re.findall(r"(?<![\w.,/-])[\w]+(?:-[\w]+)+(?![\w-])", text)
    if any("-" in token and token in CODE_IDS for token in tokens):
        found.append("plan or category id")
    line_ref = re.compile(r"(?:regel|regels|en|tot|r\.)\s+$")
    for match in re.finditer(r"(?<![\w.,/-])\w+-\d+(?![\w-])", text):
        if match.group(0) in CLAIM_IDS and not line_ref.search(text[: match.start()]):
            found.append("claim id")
            break
    return found


def report_offences(rows: list[tuple[str, str, str, str]]) -> str:
    """One line per offending text: where (chapter, claim, column), why, and the text."""
    lines = []
    for chapter, claim, column, text in rows:
        broken = offences(text)
        if broken:
            lines.append(f"{chapter} {claim} {column} [{', '.join(broken)}]: {text}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- the rules themselves


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("ambitie_budget_qs2 geldt alleen voor tranche 1-2", "code name (snake_case)"),
        ("met categorie=ww-naar-baan alleen de instroom", "code name (key=value)"),
        ("kan ook ww-naar-baan bedoelen", "plan or category id"),
        ("het plan zorg-noord-holland-noord", "plan or category id"),
        ("zie het bewijs in data/raw/plans.yaml", "file path or extension"),
        ("de 15 rijen tellen op tot 559 (findings.yaml)", "file path or extension"),
        ("afrondingsgrens, zie findings.csv", "file path or extension"),
        ("(tests/test_figure_4_1.py)", "file path or extension"),
        ("000 Tabel 3 geeft € 138-142 mln", "document by seed number"),
        ("volgens 001/A.3", "document by seed number"),
        ("(001 r. 3350)", "document by seed number"),
        ("projectleiders; 8.t15", "table id of the project (.t)"),
        ("deelbudget (004/t3)", "table id of the project (.t)"),
        ("Ontbreekt: een .t-tabel met dit getal uit de tekst.", "table id of the project (.t)"),
        ("de ambitie (ruim € 116 mln, r. 3668)", "line mark 'r.'"),
        ("aandeel sector per plan kan het toetsen zodra de plannen genoemd zijn", "to-do note"),
        ("Nog te berekenen: een rang.", "to-do note"),
        ("TODO: rekenen", "to-do note"),
        ("zoals 3-04", "claim id"),
        ("(zie 7-12 e.v.)", "claim id"),
        ("Hetzelfde verschil als bij 003-72", "claim id"),
        ("dat het de 20 grootste zijn toetst make verify", "command"),
        ("berekend: None", "Python value"),
        ("waarde nan", "Python value"),
        ("verklaard: False", "Python value"),
        ("plannen ['bouw', 'metaal']", "Python value"),
    ],
)
def test_each_rule_finds_its_kind_of_code(text, rule):
    assert rule in offences(text)


@pytest.mark.parametrize(
    "text",
    [
        "gemeenten/provincies en O&O-fonds (regel 4806-4812)",
        "Tabel 3 van de voortgangsbrief van 2017 (tranche 3, Rijk en sociale partners) geeft € 138-142 mln",
        "de tekst (regel 4806-4812) van de eindevaluatie; het plannenregister",
        "de bsn-deelnemers van de niet-werkenden in 2011-2015, van WW naar baan",
        "de 50-50 verdeling; 'van werk naar werk'-trajecten; 13 van de 20 projectleiders",
        "zie de bevinding bij Tabel 7.1 en de regels 4972-4974 en 5014-5016",
        "kolom 'Aandeel sector'; 1.000 euro; quickscan 2 (Heyma et al., 2015a)",
        "financiering van Transport (t3) staat niet in Tabel 3.3/6.3",
    ],
)
def test_the_reports_own_words_pass(text):
    assert offences(text) == []


def test_the_report_of_offences_names_chapter_claim_and_text():
    rows = [("uitvoering_tranche-3", "6-85", "toelichting", "kan het toetsen zodra ...")]
    assert report_offences(rows) == "uitvoering_tranche-3 6-85 toelichting [to-do note]: kan het toetsen zodra ..."
    assert report_offences([("inhoud", "2-01", "invoer", "Tabel A.1 van de eindevaluatie")]) == ""


# ----------------------------------------------------------------------------- the sources of the texts


def test_every_input_has_a_name_in_the_reports_words():
    """Every published table, the register and the participant file, as the ledger names them."""
    ids = [f"{r['sectorplannen']['seed']}/{r['sectorplannen']['table']}" for r in published.resources()]
    rows = [("-", ref, "invoer", inputs.reader_inputs([ref])) for ref in [*ids, REGISTER, PARTICIPANT_FILE]]
    assert all(text for *_, text in rows)
    assert report_offences(rows) == ""


def test_inputs_are_named_by_document_table_and_line():
    """8-25: 15 plans (the running text of chapter 8, lines 4806-4812) of the tranche's plans."""
    assert inputs.reader_inputs(["001/8.t5", REGISTER]) == (
        "de tekst (regel 4806-4812) van de eindevaluatie; het plannenregister"
    )
    assert inputs.reader_inputs(["001/A.3", "001/A.2"]) == "Tabel A.2 en A.3 van de eindevaluatie"
    assert inputs.reader_inputs(["000/2", "001/A.6"]) == (
        "Tabel 2 van de voortgangsbrief van 2017; Tabel A.6 van de eindevaluatie"
    )
    assert inputs.reader_inputs(["003/2.1", "003/2.t1", "003/2.t2"]) == (
        "Tabel 2.1 en de tekst (regel 971-981 en 1003-1007) van de tussenevaluatie van de DWSRA"
    )
    assert inputs.reader_inputs([PARTICIPANT_FILE]) == "het deelnemersbestand"
    assert inputs.reader_inputs([]) == ""
    with pytest.raises(KeyError):
        inputs.reader_inputs(["009/1"])  # a document the project does not have is a bug


def test_claim_notes_and_explanations_are_in_the_readers_words():
    rows = []
    for path in sorted(claims.CLAIMS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += [(path.stem, c["id"], "note", c["note"]) for c in csv.DictReader(handle)]
    for path in sorted(claims.CLAIMS.glob("verschillen*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            where = ", ".join(map(str, entry["claims"])) if "claims" in entry else str(entry["claim"])
            rows.append((path.stem, where, "explanation", entry["explanation"]))
    assert len(rows) > 1500
    assert report_offences(rows) == ""


# ----------------------------------------------------------------------------- the built report


@pytest.mark.notebook
def test_every_ledger_row_of_the_built_report_is_in_the_readers_words(built_report: Path):
    """Every row of every chapter's ledger, as the page of all numbers and the chapter show it."""
    ledgers = sorted((built_report / "ledger").glob("*.csv"))
    assert {p.stem for p in ledgers} >= {"uitvoering_tranche-1-2", "samenwerking", "kerncijfers", "monitoring"}
    rows = []
    for path in ledgers:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                rows += [(path.stem, row["claim"], column, row[column]) for column in READER_COLUMNS]
    assert len(rows) > 3000
    assert report_offences(rows) == ""


def test_a_run_without_a_plan_names_it_as_the_report_does():
    """Leaving out Transport (tranche 3): its funding row of Tabel 6.3 is gone, and the ledger says so
    with the plan's name, not its id ``transport-t3``."""
    indicators = Indicators(bijlage.load(validate(tranche="3", exclude_plans=["Transport"])))
    frame = claims.ledger("uitvoering", "3", indicators, published_cohort=False).set_index("claim")
    assert frame.loc["6-166", "toelichting"] == (
        "kolom 'Aandeel sector'; financiering van Transport (t3) staat niet in Tabel 3.3/6.3"
    )
    rows = [
        ("uitvoering 3 zonder Transport", c, col, str(r[col])) for c, r in frame.iterrows() for col in READER_COLUMNS
    ]
    assert report_offences(rows) == ""
