"""Search across chapters and numbers, offline: an index built with the site, read by a small script."""

from __future__ import annotations

import json

from sectorplannen.site import markup
from sectorplannen.site.claims_page import Claim
from sectorplannen.site.pages import CLAIMS, Page

INDEX_FILE = "zoekindex.js"


def chapter_entries(page: Page, cells: str) -> list[dict]:
    """One entry per section of a chapter's cells (heading, link, text)."""
    return [
        {"t": f"{page.label}: {heading}", "u": f"{page.href}#{anchor}", "x": text, "k": "hoofdstuk"}
        for anchor, heading, text in markup.sections(cells)
    ]


def claim_entries(claims: list[Claim]) -> list[dict]:
    """One entry per number: its id, chapter, quote, printed and computed value, status, explanation."""
    return [
        {
            "t": f"Getal {c.id} ({c.page.label}, {c.place})",
            "u": f"{CLAIMS}#{c.anchor}",
            "x": " ".join(
                [c.id, c.quote, f"gedrukt {c.published}", f"berekend {c.computed}", c.status, c.tranche, c.explanation]
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
