"""The page of all numbers (every claim of every chapter, filterable offline) and each chapter's ledger
in short, as data for the templates."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from sectorplannen import claims
from sectorplannen.claims import STATUS_DIFFERS, STATUSES, inputs
from sectorplannen.site.pages import CLAIMS, Page
from sectorplannen.sources import register

TRANCHE_WORDS = {**register.TRANCHE_WORDS, "alle": "alle tranches"}
PLACE_WORDS = {"tekst": "tekst", "kop": "kop", "samenvatting": "samenvatting", "voetnoot": "voetnoot"}
HEADERS = (
    "Getal",
    "Hoofdstuk",
    "Tranche",
    "Plaats",
    "Regel",
    "Tekst in het rapport",
    "Gedrukt",
    "Berekend",
    "Status",
    "Toelichting",
    "Berekend uit",
)


@dataclass(frozen=True)
class Claim:
    """One row of a chapter's ledger as the reader sees it (no Python values, Dutch notation)."""

    id: str
    page: Page
    tranche: str
    place: str
    line: str
    quote: str
    published: str  # the number as the report prints it (the claims file's `published`)
    computed: str
    status: str
    explanation: str
    inputs: str

    @property
    def anchor(self) -> str:
        return f"claim-{self.id}"

    @property
    def css(self) -> str:
        return status_class(self.status)


def claim_facts(claims_dir: Path | None = None) -> dict[str, tuple[str, str]]:
    """The tranche each claim id is about and the document that prints it, from ``data/claims/*.csv``."""
    out = {}
    for path in sorted(Path(claims_dir or claims.CLAIMS).glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            out |= {row["id"]: (row["tranche"], row["source"]) for row in csv.DictReader(handle)}
    return out


def line_words(line: str, source: str) -> str:
    """Where a number stands in its document: '1086' in the final evaluation (the report the chapters
    reproduce), '212 (de voortgangsbrief van 2017)' in another document."""
    if not line or not source or source == "001":
        return line
    return f"{line} ({inputs.document(source)})"


def place(row: dict) -> str:
    """'Tabel 3.1', 'tekst', 'samenvatting' as the report names the place of a number."""
    where = row.get("plaats", "").strip()
    return PLACE_WORDS.get(where, where)


def _tranche(page: Page, claim_id: str, facts: dict[str, tuple[str, str]]) -> str:
    tranche = facts.get(claim_id, ("", ""))[0] or str(page.parameters.get("tranche", ""))
    return TRANCHE_WORDS.get(tranche, f"tranche {tranche}" if tranche else "")


def read_ledger(path: Path) -> list[dict]:
    """The rows of one run's ledger file (none when it has none)."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(ledger_dir: Path, pages: list[Page]) -> list[Claim]:
    """Every claim of every chapter page that has a ledger, in page order and ledger order."""
    facts = claim_facts()
    return [
        Claim(
            row["claim"],
            page,
            _tranche(page, row["claim"], facts),
            place(row),
            line_words(row.get("regel", ""), facts.get(row["claim"], ("", ""))[1]),
            row.get("tekst", ""),
            row.get("gepubliceerd", ""),
            row.get("berekend", ""),
            row.get("status", ""),
            row.get("toelichting", ""),
            row.get("invoer", ""),
        )
        for page in pages
        for row in read_ledger(ledger_dir / f"{page.name}.csv")
    ]


def status_class(status: str) -> str:
    return "status-" + re.sub(r"[^a-z]+", "-", status.lower()).strip("-")


def page_context(claims_: list[Claim], pages: list[Page]) -> dict:
    """What the page of all numbers shows: the claims, the filters' choices and the counts in words."""
    seen_pages = [p for p in pages if any(c.page is p for c in claims_)]
    statuses = [s for s in STATUSES if any(c.status == s for c in claims_)]
    statuses += sorted({c.status for c in claims_} - set(statuses))
    counts = {s: sum(c.status == s for c in claims_) for s in statuses}
    return {
        "claims": claims_,
        "headers": HEADERS,
        "summary": ", ".join(f"{counts[s]} {s}" for s in statuses),
        "filters": {
            "chapters": [(p.name, p.heading) for p in seen_pages],
            "tranches": [t for t in TRANCHE_WORDS.values() if any(c.tranche == t for c in claims_)],
            "statuses": statuses,
        },
    }


def ledger_context(page: Page, claims_: list[Claim], own_table: str | None = None) -> dict:
    """A chapter's ledger in short: counts per status and the numbers that differ, each linked to the
    page of all numbers (filtered on this chapter), or for a variant to ``own_table``, the anchor of its
    own table of numbers on its page."""
    own = [c for c in claims_ if c.page is page]
    listing = f"{CLAIMS}?hoofdstuk={page.name}"
    counts = [
        {
            "status": s,
            "count": n,
            "css": status_class(s),
            "href": f"#{own_table}" if own_table else f"{listing}&status={s.replace(' ', '+')}",
        }
        for s in STATUSES
        if (n := sum(c.status == s for c in own))
    ]
    differs = [
        {**vars(c), "href": f"#{own_table}" if own_table else f"{CLAIMS}#{c.anchor}"}
        for c in own
        if c.status == STATUS_DIFFERS
    ]
    return {
        "size": len(own),
        "href": f"#{own_table}" if own_table else listing,
        "where": "in de tabel hieronder" if own_table else "op de pagina Alle getallen",
        "counts": counts,
        "differs": differs,
    }
