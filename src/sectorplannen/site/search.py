"""Search across chapters and numbers, offline: an index built with the site, read by a small script."""

from __future__ import annotations

import json

from sectorplannen.build import csp
from sectorplannen.site import markup
from sectorplannen.site.claims_page import Claim
from sectorplannen.site.pages import CLAIMS, Page

INDEX_FILE = "zoekindex.js"


def chapter_entries(page: Page, html: str) -> list[dict]:
    """One entry per section of a chapter page (heading, link, text), the site's own parts left out."""
    for name in ("nav", "toc", "prevnext", "head"):
        html = markup.strip(html, name)
    return [
        {"t": f"{page.label}: {heading}", "u": f"{page.href}#{anchor}", "x": text, "k": "hoofdstuk"}
        for anchor, heading, text in markup.sections(html)
    ]


def claim_entries(claims: list[Claim]) -> list[dict]:
    """One entry per number: its id, chapter, quote, printed and computed value, status, explanation."""
    return [
        {
            "t": f"Getal {c.id} ({c.page.label}, {c.place})",
            "u": f"{CLAIMS}#{c.anchor}",
            "x": " ".join(
                [c.id, c.quote, f"gedrukt {c.printed}", f"berekend {c.computed}", c.status, c.tranche, c.explanation]
            ),
            "k": "getal",
        }
        for c in claims
    ]


def index_script(entries: list[dict]) -> str:
    """The index as a script file of its own (a page opened from disk may not fetch a JSON file, and the
    policy allows no inline script). Its text is JSON with every ``<`` written ``\\u003c``, so that
    even pasted into a page it could not close a ``<script>``."""
    data = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return "window.ZOEKINDEX = " + data + ";\n"


def page_html() -> str:
    """The search page: a box, and the results the script finds in the index."""
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        + csp.SCRIPTED_META
        + '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        "<title>Zoeken</title></head><body><main>"
        '<h1 id="zoeken">Zoeken</h1>'
        "<p>Zoek in de tekst en tabellen van alle hoofdstukken en in alle getallen met hun herberekening: een "
        "getal zoals het rapport het drukt (296.145 of 58,4), een woord, of het nummer van een getal (3-01).</p>"
        '<form class="search-page" action="zoeken.html" method="get" role="search">'
        '<input type="search" name="q" id="zoekterm" aria-label="Zoekterm" autofocus>'
        '<button type="submit">Zoek</button></form>'
        '<p class="search-count" aria-live="polite"></p><ol class="search-results"></ol>'
        f'<script src="{INDEX_FILE}"></script><script src="static/zoeken.js"></script>'
        "</main></body></html>\n"
    )
