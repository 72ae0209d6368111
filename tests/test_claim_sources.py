"""Every claim holds to its source: its quote is printed on its lines of the seed document, and the
quote carries the published number.

The seed files are the PDF texts in ``<repository>/../shared/seeds/<source>_*.txt``. Both the source
lines and the quote are normalised before the quote is looked up: a word hyphenated across a line
break is joined ("deel-\\nnemers", quoted as "deel- nemers", both become "deelnemers") and all white
space (line breaks included) collapses to single spaces. A compound that keeps its hyphen at a line
break ("WW-\\nuitkering") is also found written with the hyphen ("WW-uitkering").

``line`` is read exactly, without a margin: ``N`` or ``N-M`` names every line the quote is printed
on (in 001 and 003 text lines are separated by blank lines, so a quote that runs on to the next
text line is ``N-(N+2)``). Tables: a claim on a table cell quotes the row as the PDF text prints it
(label and cells in one line, e.g. ``Totaal 14.312 13.122 92% 100%``).
"""

from __future__ import annotations

import csv
import math
import re
from functools import cache

import pytest

from sectorplannen import paths

SEEDS = paths.ROOT.parent / "shared" / "seeds"
CLAIMS = paths.DATA / "claims"
CLAIM_FILES = sorted(p.stem for p in CLAIMS.glob("*.csv"))
IDENTITY_UNITS = ("plan", "categorie")  # the published value is a plan or category id

# A word broken at a line end, in the source ("deel-\nnemers") or in a quote ("deel- nemers").
_BROKEN = re.compile(r"(?<=\w)-\s+(?=\w)")
# A number as the report prints it: 296.145, 66,7, 7511 (thousands dots, decimal comma).
_NUMBER = re.compile(r"(?<![\d.,])\d+(?:\.\d{3})*(?:,\d+)?(?![\d]|[.,]\d)")
# A computation in a note: a number (a division, a sum) = a number: "3.864/18.816 = 20,5%",
# "13.122/(296.145 + 13.122) = 4,2%", "9 + 18 + 18 = 45". A slash alone is no computation: notes list
# printed figures as "9,7 / 8,2 / 7,4" and classes as "2-3/4 dagen"; every division in the notes
# states its result with "=".
_COMPUTATION = re.compile(r"\d\s*%?\)?\s*=\s*[-€(]?\s*\d")

# Verbal quantities: the words that carry a published value that the quote does not print as a
# number. Keyed by (unit, published); derived from the claims. Matched case-insensitively on the
# normalised quote.
_ONE_OF = r"([eé]én|een|1) (van|op) de"  # één, Eén (capitalised), een
VERBAL: dict[tuple[str, str], tuple[str, ...]] = {
    # counts in words; 1 and 2 also as a rank ("het grootste", "gevolgd door")
    ("aantal", "0"): (r"\bgeen\b",),
    ("aantal", "1"): (
        r"\b[eé]éns?\b",
        r"\beenmaal\b",
        r"\been jaar\b",
        rf"\b{_ONE_OF}\b",
        r"\b(hoogst|grootst|meest|belangrijkst)e?\b",
    ),
    ("aantal", "2"): (r"\btwee(tal)?\b", r"\bgevolgd door\b", r"\bop één na\b"),
    # a rank of a group of participants by a share ("ligt het hoogst bij")
    ("rang", "1"): (r"\bhoogst\b",),
    ("aantal", "3"): (r"\bdrie\b", r"\bderde\b"),  # 'een derde project': the third
    ("aantal", "4"): (r"\bvier\b",),
    ("aantal", "5"): (r"\bvijf\b",),
    ("aantal", "6"): (r"\bzes\b",),
    ("aantal", "8"): (r"\bacht\b",),
    ("aantal", "9"): (r"\bnegen\b",),
    ("aantal", "10"): (r"\btien\b",),
    ("aantal", "12"): (r"\btwaalf\b",),
    ("aantal", "100"): (r"\bhonderd\b",),
    ("aantal", "1.000"): (r"\bduizenden\b",),
    ("aantal", "10.000"): (r"\btienduizenden\b",),
    # percentages in words and fractions
    ("procent", "2"): (r"\btwee procent\b",),
    ("procent", "3"): (r"\bdrie procent\b",),
    ("procent", "5"): (r"\bvijf procent\b",),
    ("procent", "8"): (r"\bacht procent\b",),
    ("procent", "10"): (rf"\b{_ONE_OF} tien\b",),
    ("procent", "17"): (r"\bzeventien procent\b",),
    ("procent", "20"): (r"\been vijfde\b",),
    ("procent", "25"): (r"\been kwart\b",),
    ("procent", "33,3"): (r"\been derde\b", rf"\b{_ONE_OF} drie\b"),
    ("procent", "50"): (
        r"\bhelft\b",
        r"\bmeeste\b",
        r"\bmerendeels?\b",
        r"\bmeerderheid\b",
        r"\bmeerder- heid\b",
        r"\bminderheid\b",
        r"\bveelal\b",
        r"\bvoornamelijk\b",
        r"\bvooral\b",
        r"\bgrotendeels\b",
        r"\b(grootste|overgrote) deel\b",
    ),
    ("procent", "60"): (r"\bdrie op de vijf\b",),
    ("procent", "66,7"): (r"\btwee derde\b", r"\btwee op de drie\b"),
    ("procent", "75"): (r"\bdrie ?kwart\b",),
    ("procent", "80"): (r"\bvier op de vijf\b",),
    ("procent", "90"): (r"\b(9|negen) (op|van) de (10|tien)\b",),
    ("procent", "100"): (
        r"\balle\b",
        r"\ballemaal\b",
        r"\bal deze\b",
        r"\bmeer\b.*\bdan\b.*\bbeoogd\b",  # 'meer besteed dan beoogd': more than 100 percent
    ),
}


@cache
def seed_lines(source: str) -> list[str]:
    """The lines of seed ``source`` (``001``)."""
    found = sorted(SEEDS.glob(f"{source}_*.txt"))
    assert len(found) == 1, f"seed {source}: expected one file {SEEDS}/{source}_*.txt, found {found}"
    return found[0].read_text(encoding="utf-8").split("\n")


def normalise(text: str) -> str:
    """Join words hyphenated across a line break, collapse white space."""
    return _BROKEN.sub("", " ".join(text.split()))


def normalise_keeping_hyphens(text: str) -> str:
    """As :func:`normalise`, but a hyphen at a line break stays (a compound such as WW-uitkering)."""
    return normalise(re.sub(r"(?<=\w)-[ \t]*\n\s*(?=\w)", "-", text))


def line_range(line: str) -> tuple[int, int]:
    first, _, last = line.partition("-")
    return int(first), int(last or first)


def source_text(source: str, line: str) -> str:
    first, last = line_range(line)
    return "\n".join(seed_lines(source)[first - 1 : last])


def quote_found(claim: dict) -> bool:
    text = source_text(claim["source"], claim["line"])
    quote = normalise(claim["quote"])
    return quote in normalise(text) or quote in normalise_keeping_hyphens(text)


def _value(number: str) -> float:
    return float(number.replace(".", "").replace(",", "."))


def published_carried(claim: dict) -> bool:
    """Does the quote print the published value (as a number, or in the words that carry it)?"""
    unit, published = claim["unit"], claim["published"]
    if unit in IDENTITY_UNITS:
        return True
    quote = normalise(claim["quote"])
    numbers = list(_NUMBER.finditer(quote))
    if any(m.group() == published for m in numbers):
        return True
    # a footnote mark printed against the number ('7511' = 75 with footnote 11), when the note says so
    if "voetnoot" in claim["note"] and any(m.group().startswith(published) and m.group() != published for m in numbers):
        return True
    # '€ 1,4 miljard' for 1.400 miljoen euro
    if unit == "miljoen euro" and any(
        math.isclose(_value(m.group()) * 1000, _value(published)) and quote[m.end() :].lstrip().startswith("miljard")
        for m in numbers
    ):
        return True
    return any(re.search(p, quote, re.IGNORECASE) for p in VERBAL.get((unit, published), ()))


def read_claims(name: str) -> list[dict]:
    with (CLAIMS / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _report(name: str, claim: dict, problem: str) -> str:
    return (
        f"{claim['id']} ({name}.csv, seed {claim['source']}, line {claim['line']}): {problem}\n"
        f"    quote:  {normalise(claim['quote'])!r}\n"
        f"    source: {normalise(source_text(claim['source'], claim['line']))!r}"
    )


@pytest.mark.parametrize("name", CLAIM_FILES)
def test_quote_is_printed_on_its_lines(name):
    failures = []
    for claim in read_claims(name):
        first, last = line_range(claim["line"])
        if not 1 <= first <= last <= len(seed_lines(claim["source"])):
            failures.append(f"{claim['id']} ({name}.csv): line {claim['line']} outside seed {claim['source']}")
        elif not quote_found(claim):
            failures.append(_report(name, claim, "quote not found on these lines"))
    assert not failures, f"{len(failures)} claim(s) of {name}.csv do not hold to their source:\n" + "\n".join(failures)


@pytest.mark.parametrize("name", CLAIM_FILES)
def test_quote_carries_the_published_value(name):
    failures = [
        _report(name, claim, f"published {claim['published']!r} ({claim['unit']}) not in the quote")
        for claim in read_claims(name)
        if not published_carried(claim)
    ]
    assert not failures, f"{len(failures)} claim(s) of {name}.csv:\n" + "\n".join(failures)


def test_the_check_itself():
    assert normalise("deel-\n\nnemers  in de\nsector") == "deelnemers in de sector"
    assert normalise("De meeste deel- nemers") == "De meeste deelnemers"
    assert normalise_keeping_hyphens("een WW-\n\nuitkering") == "een WW-uitkering"
    claim = {"unit": "aantal", "published": "296.145", "note": "", "quote": "Totaal 296.145 309.384"}
    assert published_carried(claim)
    assert not published_carried({**claim, "published": "296"})  # no part of a number
    assert not published_carried({**claim, "published": "296145"})  # not as printed
    assert published_carried({**claim, "published": "1.400", "unit": "miljoen euro", "quote": "€ 1,4 miljard"})
    assert published_carried({**claim, "published": "66,7", "unit": "procent", "quote": "twee derde van"})
    assert not published_carried({**claim, "published": "33,3", "unit": "procent", "quote": "twee derde van"})
    table_row = {"source": "001", "line": "136", "quote": "Aantal bereikte deelnemers 296 duizend 13 duizend"}
    assert quote_found(table_row)  # Tabel S.1, a row as printed
    assert not quote_found({**table_row, "line": "138"})  # no margin: the line must be right


def _computed_in_note() -> list[str]:
    """Claims without a statistic whose note computes a figure (``file/id``)."""
    return [
        f"{name}/{claim['id']}"
        for name in CLAIM_FILES
        for claim in read_claims(name)
        if not claim["statistic"] and _COMPUTATION.search(claim["note"])
    ]


def test_no_computed_figure_in_the_note_of_a_claim_without_statistic():
    """A claim whose note computes its number is computable: it needs a statistic, not a note. A claim
    stays without a statistic only with a note that names the missing data
    in words, without a computation of the form ``13.122/17.223 = 76,2%``."""
    found = _computed_in_note()
    assert not found, f"{len(found)} claims without statistic with a computation in the note: " + ", ".join(found)
