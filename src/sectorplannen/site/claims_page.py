"""The page of all numbers (every claim of every chapter, filterable offline) and each chapter's folded ledger."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from sectorplannen import claims
from sectorplannen.build import csp
from sectorplannen.claims import STATUS_DIFFERS, STATUSES
from sectorplannen.site import markup
from sectorplannen.site.pages import CLAIMS, Page

TRANCHE_WORDS = {"1": "tranche 1", "2": "tranche 2", "1-2": "tranche 1 en 2", "3": "tranche 3", "alle": "alle tranches"}
PLACE_WORDS = {"tekst": "tekst", "kop": "kop", "samenvatting": "samenvatting", "voetnoot": "voetnoot"}
LEDGER_CAPTION = "Grootboek: gepubliceerde getallen en de herberekening"
_LEDGER_TABLE = re.compile(
    r'(?:<style type="text/css">(?:(?!</style>).)*?</style>\s*)?<table id="(T_[0-9a-f]+)">\s*<caption>'
    + re.escape(LEDGER_CAPTION)
    + r".*?</table>",
    re.DOTALL,
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
    printed: str
    computed: str
    status: str
    explanation: str
    inputs: str

    @property
    def anchor(self) -> str:
        return f"claim-{self.id}"


def claim_tranches(claims_dir: Path | None = None) -> dict[str, str]:
    """The tranche each claim id is about, from ``data/claims/*.csv``."""
    out = {}
    for path in sorted(Path(claims_dir or claims.CLAIMS).glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            out |= {row["id"]: row["tranche"] for row in csv.DictReader(handle)}
    return out


def _place(row: dict) -> str:
    """'Tabel 3.1', 'tekst', 'samenvatting (S)' as the report names the place of a number."""
    place = row.get("plaats", "").strip()
    return PLACE_WORDS.get(place, place)


def _tranche(page: Page, claim_id: str, tranches: dict[str, str]) -> str:
    tranche = tranches.get(claim_id) or str(page.parameters.get("tranche", ""))
    return TRANCHE_WORDS.get(tranche, f"tranche {tranche}" if tranche else "")


def load(ledger_dir: Path, pages: list[Page]) -> list[Claim]:
    """Every claim of every chapter page that has a ledger, in page order and ledger order."""
    tranches = claim_tranches()
    out = []
    for page in pages:
        path = ledger_dir / f"{page.name}.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                out.append(
                    Claim(
                        row["claim"],
                        page,
                        _tranche(page, row["claim"], tranches),
                        _place(row),
                        row.get("regel", ""),
                        row.get("tekst", ""),
                        row.get("gepubliceerd", ""),
                        row.get("berekend", ""),
                        row.get("status", ""),
                        row.get("toelichting", ""),
                        row.get("invoer", ""),
                    )
                )
    return out


def status_class(status: str) -> str:
    return "status-" + re.sub(r"[^a-z]+", "-", status.lower()).strip("-")


def _cell(text: str, cls: str = "") -> str:
    attribute = f' class="{cls}"' if cls else ""
    return f"<td{attribute}>{escape(text)}</td>"


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


def _row(claim: Claim) -> str:
    page = claim.page
    chapter = f'<a href="{escape(page.href)}#grootboek">{escape(page.label)}</a>'
    return (
        f'<tr id="{escape(claim.anchor)}" data-hoofdstuk="{escape(page.name)}" data-tranche="{escape(claim.tranche)}"'
        f' data-status="{escape(claim.status)}">'
        f'<td><a href="#{escape(claim.anchor)}">{escape(claim.id)}</a></td><td>{chapter}</td>'
        + _cell(claim.tranche)
        + _cell(claim.place)
        + _cell(claim.line, "num")
        + _cell(claim.quote, "quote")
        + _cell(claim.printed, "num")
        + _cell(claim.computed, "num")
        + _cell(claim.status, "status " + status_class(claim.status))
        + _cell(claim.explanation, "note")
        + _cell(claim.inputs)
        + "</tr>"
    )


def _options(values: list[tuple[str, str]]) -> str:
    return '<option value="">alle</option>' + "".join(
        f'<option value="{escape(value)}">{escape(text)}</option>' for value, text in values
    )


def page_html(claims: list[Claim], pages: list[Page]) -> str:
    """The page of all numbers: one table, filters by chapter, tranche and status, search, sorting."""
    seen_pages = [p for p in pages if any(c.page is p for c in claims)]
    statuses = [s for s in STATUSES if any(c.status == s for c in claims)]
    statuses += sorted({c.status for c in claims} - set(statuses))
    tranches = [t for t in TRANCHE_WORDS.values() if any(c.tranche == t for c in claims)]
    counts = {s: sum(c.status == s for c in claims) for s in statuses}
    summary = ", ".join(f"{counts[s]} {escape(s)}" for s in statuses)
    chapters = _options([(p.name, p.heading) for p in seen_pages])
    filters = (
        '<form class="claims-filters">'
        f'<label>Hoofdstuk <select name="hoofdstuk">{chapters}</select></label>'
        f'<label>Tranche <select name="tranche">{_options([(t, t) for t in tranches])}</select></label>'
        f'<label>Status <select name="status">{_options([(s, s) for s in statuses])}</select></label>'
        '<label>Zoek <input type="search" name="q" placeholder="getal, woord of nummer"></label>'
        '<output class="claims-count" aria-live="polite"></output></form>'
    )
    head = "".join(f'<th scope="col" data-sort="{i}">{escape(h)}</th>' for i, h in enumerate(HEADERS))
    body = "".join(_row(c) for c in claims)
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        + csp.SCRIPTED_META
        + '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        "<title>Alle getallen</title></head><body><main>"
        '<h1 id="alle-getallen">Alle getallen en hun herberekening</h1>'
        f"<p>Elk getal dat een hoofdstuk van het rapport noemt ({len(claims)} getallen: {summary}), met de plaats "
        "(tabel, figuur of tekst en de regel in de brontekst), het gedrukte getal, de herberekening, de status en de "
        "toelichting. Alleen <em>gereproduceerd</em> telt als bewijs van reproductie. Filter op hoofdstuk, tranche "
        "en status, zoek op een getal of woord en sorteer door op een kolomkop te klikken. De link in de kolom "
        "Hoofdstuk leidt terug naar het grootboek van dat hoofdstuk.</p>"
        + filters
        + f'<div class="claims-wrap"><table class="claims" id="getallen"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
        '<script src="static/getallen.js"></script></main></body></html>\n'
    )


def ledger_summary(page: Page, claims: list[Claim]) -> str:
    """What replaces a chapter's ledger table: the counts per status and the numbers that differ,
    each linked to the page of all numbers."""
    own = [c for c in claims if c.page is page]
    link = f"{CLAIMS}?hoofdstuk={escape(page.name)}"
    counts = [(s, sum(c.status == s for c in own)) for s in STATUSES]
    rows = "".join(
        f'<tr><td class="{status_class(s)}">{escape(s)}</td><td class="num">'
        f'<a href="{link}&amp;status={escape(s.replace(" ", "+"))}">{n}</a></td></tr>'
        for s, n in counts
        if n
    )
    differs = [c for c in own if c.status == STATUS_DIFFERS]
    text = (
        f'<p id="grootboek">Het volledige grootboek van dit hoofdstuk ({len(own)} getallen) staat op de pagina '
        f'<a href="{link}">Alle getallen</a>, te filteren op status en tranche.</p>'
        f'<table class="site-ledger-counts"><caption>Grootboek van dit hoofdstuk per status</caption>'
        f"<thead><tr><th>Status</th><th>Aantal getallen</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    if differs:
        items = "".join(
            f'<tr><td><a href="{CLAIMS}#{escape(c.anchor)}">{escape(c.id)}</a></td><td>{escape(c.place)}</td>'
            f'<td class="quote">{escape(c.quote)}</td><td class="num">{escape(c.printed)}</td>'
            f'<td class="num">{escape(c.computed)}</td><td class="note">{escape(c.explanation)}</td></tr>'
            for c in differs
        )
        text += (
            '<table class="site-ledger-differs"><caption>Getallen die afwijken van het rapport</caption>'
            "<thead><tr><th>Getal</th><th>Plaats</th><th>Tekst in het rapport</th><th>Gedrukt</th><th>Berekend</th>"
            f"<th>Toelichting</th></tr></thead><tbody>{items}</tbody></table>"
        )
    return f'<div class="site-ledger">{text}</div>'


def fold_ledger(html: str, page: Page, claims: list[Claim]) -> str:
    """The chapter page with its ledger table (hundreds of rows) replaced by :func:`ledger_summary`
    (on a page folded by an earlier build, the summary is written anew)."""
    summary = ledger_summary(page, claims)
    if markup.find(html, "ledger") is not None:
        return re.sub(
            r"<!--site:ledger-->.*?<!--/site:ledger-->",
            lambda _: markup.section("ledger", summary),
            html,
            count=1,
            flags=re.DOTALL,
        )
    return _LEDGER_TABLE.sub(lambda _: markup.section("ledger", summary), html, count=1)
