"""Every reference of the sources' running text to a Tabel, Figuur, Grafiek, Box or Bijlage exists
and says what the text says.

Each reference ('zie Tabel A.4 in bijlage A', 'Tabel A.5 tot en met Tabel A.7', 'Bijlage A.3') must
resolve to a caption of the same document; a Tabel must be transcribed in the project
(``data/raw/<source>/<id>.txt``); a table of Bijlage A must belong to the tranche of the chapter that
refers to it (A.1-A.8: tranche 1 and 2, A.9-A.13: tranche 3) and hold what the sentence is about
(budget or participants). What does not hold is listed, with its explanation, in
``data/raw/verwijzingen.yaml``; planted documents prove that the check finds each kind.
"""

from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass

import pytest
import yaml

from sectorplannen import paths

SEEDS = paths.ROOT.parent / "shared" / "seeds"
RAW = paths.DATA / "raw"
_NUMBER = r"(?:[A-Z]\.\d+|\d+(?:\.\d+)?|[A-Z]\b)"
REFERENCE = re.compile(
    rf"\b(Tabel(?:len)?|Figuur|Grafiek|Box|Bijlage)\s+({_NUMBER})(?:\s+(?:tot en met|t/m)\s+(?:Tabel\s+)?({_NUMBER}))?"
)
CAPTION = re.compile(rf"^(Tabel|Figuur|Grafiek|Box|Bijlage)\s+({_NUMBER})[.:]?(?:\s+\S|\s*$)")
TRANCHE_3_CHAPTERS = ("5", "6", "7")


@dataclass(frozen=True)
class Problem:
    line: int
    reference: str
    kind: str

    def __str__(self) -> str:
        return f"regel {self.line}: {self.reference} ({self.kind})"


def _expand(kind: str, first: str, last: str | None) -> list[str]:
    """'Tabel A.5 tot en met Tabel A.7' names A.5, A.6 and A.7."""
    if not last:
        return [first]
    prefix, _, start = first.rpartition(".")
    end = last.rpartition(".")[2]
    if not (start.isdigit() and end.isdigit()) or prefix != last.rpartition(".")[0]:
        return [first, last]
    return [f"{prefix}.{k}" for k in range(int(start), int(end) + 1)]


def problems(lines: list[str], transcribed: dict[str, str], chapter_of=lambda line: "") -> list[Problem]:
    """The references of one document (its lines) that do not resolve or do not say what the text
    says. ``transcribed`` maps the project's table ids of this document to their captions;
    ``chapter_of`` gives the chapter of a line (for the tranche of Bijlage A)."""
    captions = set()
    for text in lines:
        match = CAPTION.match(text.strip())
        if match:
            captions.add((match.group(1), match.group(2)))
    out = []
    for number, text in enumerate(lines, start=1):
        if CAPTION.match(text.strip()):
            continue
        for match in REFERENCE.finditer(text):
            kind = "Tabel" if match.group(1).startswith("Tabel") else match.group(1)
            context = " ".join(lines[max(0, number - 3) : number]).lower()
            for target in _expand(kind, match.group(2), match.group(3)):
                table = target if kind in ("Tabel", "Bijlage") and "." in target else None
                if (kind, target) not in captions and not (kind == "Bijlage" and table in transcribed):
                    out.append(Problem(number, f"{kind} {target}", "geen bijschrift"))
                    continue
                if kind == "Tabel" and target not in transcribed:
                    out.append(Problem(number, f"{kind} {target}", "niet overgenomen in het project"))
                    continue
                if table is None or not table.startswith("A."):
                    continue
                caption = transcribed[table].lower()
                if ("tranche 3" in caption) != (chapter_of(number) in TRANCHE_3_CHAPTERS):
                    out.append(Problem(number, f"{kind} {target}", "andere tranche"))
                elif "budget" in context and "deelnemer" not in context and "budget" not in caption:
                    out.append(Problem(number, f"{kind} {target}", "ander onderwerp"))
    return out


def _captions(source: str) -> dict[str, str]:
    out = {}
    for path in sorted((RAW / source).glob("*.txt")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        out[str(meta["table"])] = str(meta["caption"])
    return out


def _chapters(source: str):
    """The chapter of a line of a source, from the claims (each names its chapter and lines)."""
    marks = sorted(
        (int(claim["line"].split("-")[0]), claim["chapter"])
        for path in sorted((paths.DATA / "claims").glob("*.csv"))
        for claim in csv.DictReader(path.open(encoding="utf-8"))
        if claim["source"] == source
    )
    starts = [line for line, _ in marks]

    def chapter_of(line: int) -> str:
        index = bisect.bisect_right(starts, line) - 1
        return marks[index][1] if index >= 0 else ""

    return chapter_of


def _explained() -> dict[tuple[str, int, str], str]:
    entries = yaml.safe_load((RAW / "verwijzingen.yaml").read_text(encoding="utf-8"))
    return {(str(e["source"]), int(e["line"]), str(e["reference"])): e["explanation"] for e in entries}


SOURCES = ("000", "001", "002", "003", "004")


def _seed(source: str) -> list[str]:
    found = sorted(SEEDS.glob(f"{source}_*.txt"))
    assert len(found) == 1, f"seed {source}: expected one file {SEEDS}/{source}_*.txt, found {found}"
    return found[0].read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize("source", SOURCES)
def test_every_reference_resolves_and_says_what_the_text_says(source):
    explained = _explained()
    found = problems(_seed(source), _captions(source), _chapters(source))
    unexplained = [str(p) for p in found if (source, p.line, p.reference) not in explained]
    assert not unexplained, f"{source}: " + "; ".join(unexplained)


def test_every_listed_reference_is_still_found():
    found = {
        (source, p.line, p.reference)
        for source in SOURCES
        for p in problems(_seed(source), _captions(source), _chapters(source))
    }
    assert set(_explained()) <= found, set(_explained()) - found
    assert all(len(text) > 40 for text in _explained().values())


PLANTED = [
    "Tabel 3.1 Deelnemers per thema",
    "De meeste deelnemers volgen scholing (zie Tabel 3.1).",
    "Het budget per plan loopt uiteen (zie Tabel A.6).",
    "Het budget per plan van tranche 3 loopt uiteen (zie Bijlage A.3).",
    "Zie Tabel 3.9 en Figuur 2.4.",
    "In Tabel A.5 tot en met Tabel A.7 staan de budgetten.",
    "Tabel A.3 Aantal gerealiseerde deelnemers per thema",
    "Tabel A.5 Gepland budget per plan en thema",
    "Tabel A.6 Totaal besteed budget per plan en thema",
]
PLANTED_TABLES = {
    "3.1": "Deelnemers per thema",
    "A.3": "Aantal gerealiseerde deelnemers per thema",
    "A.5": "Gepland budget per plan en thema",
    "A.6": "Totaal besteed budget per plan en thema",
}


def test_the_check_finds_each_kind_on_a_planted_document():
    chapter_of = lambda line: "6" if line == 4 else "3"  # noqa: E731
    found = {(p.line, p.reference, p.kind) for p in problems(PLANTED, PLANTED_TABLES, chapter_of)}
    assert found == {
        (4, "Bijlage A.3", "andere tranche"),  # chapter 6 (tranche 3) refers to a table of tranche 1-2
        (5, "Tabel 3.9", "geen bijschrift"),
        (5, "Figuur 2.4", "geen bijschrift"),
        (6, "Tabel A.7", "geen bijschrift"),  # A.5 to A.7: A.7 has no caption in the planted document
    }
    text = ["x", "x", "Het budget per plan loopt uiteen (zie Tabel A.3).", "Tabel A.3 Aantal gerealiseerde deelnemers"]
    subject = problems(text, PLANTED_TABLES, lambda line: "3")
    assert [(p.reference, p.kind) for p in subject] == [("Tabel A.3", "ander onderwerp")]
    assert not problems(["Tabel 3.1 Deelnemers", "zie Tabel 3.1"], {"3.1": "Deelnemers"})
    missing = problems(["Tabel 3.1 Deelnemers", "zie Tabel 3.1"], {})
    assert missing == [Problem(2, "Tabel 3.1", "niet overgenomen in het project")]
