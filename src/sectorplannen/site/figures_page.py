"""The page "Tabellen en figuren": every table and figure of the report (``data/claims/tabellen_figuren.yaml``)
with the chapter page and anchor where the site shows it, or why it does not, and the numbers its caption
prints with their status, as data for the template."""

from __future__ import annotations

import re
from collections import Counter

from sectorplannen import datakind
from sectorplannen.chapters import registry
from sectorplannen.site.claims_page import Claim
from sectorplannen.site.pages import CLAIMS, Page
from sectorplannen.sources import report_items
from sectorplannen.sources.report_items import Item

STATUS_WORDS = {
    report_items.SHOWN: "getoond onder het nummer van het rapport",
    report_items.INPUT: "invoer van de berekening",
    report_items.NOT_SHOWN: "niet gereproduceerd",
}
_LINES = re.compile(r"^(\d+)(?:-(\d+))?")


def part(item: Item) -> str:
    """Where the report prints it: 'Hoofdstuk 3', 'Bijlage A' or 'Samenvatting'."""
    return {"A": "Bijlage A", "S": "Samenvatting"}.get(item.chapter, f"Hoofdstuk {item.chapter}")


def page_of(item: Item, pages: list[Page]) -> Page | None:
    """The chapter page (not a variant) of the item's notebook and tranche group, if the site has it."""
    for page in pages:
        tranche = str(page.parameters.get("tranche", ""))
        if not page.variant and page.notebook == item.notebook and tranche == item.tranche:
            return page
    return None


def _overlaps(line: str, first: int, last: int) -> bool:
    match = _LINES.match(line)
    if not match:
        return False
    start = int(match.group(1))
    end = int(match.group(2) or start)
    return start <= last and end >= first


def caption_claims(item: Item, claims: list[Claim], page: Page | None) -> list[Claim]:
    """The claims of the numbers its caption (or, for a figure, its printed labels) prints: the ledger rows
    of its page on the caption's lines or placed in the figure itself."""
    if page is None:
        return []
    return [  # a line of another document carries its name in brackets: not a line of the report
        c
        for c in claims
        if c.page == page and not c.line.endswith(")") and (_overlaps(c.line, *item.lines) or c.place == item.id)
    ]


def rows(pages: list[Page], claims: list[Claim]) -> list[dict]:
    """One row per table and figure, in the report's order."""
    out = []
    for item in report_items.items():
        page = page_of(item, pages)
        href = ""
        if page is not None:
            href = page.href + (f"#{item.target}" if item.target else "")
        printed = caption_claims(item, claims, page)
        numbers = [{"id": c.id, "href": f"{CLAIMS}#{c.anchor}", "status": c.status, "css": c.css} for c in printed]
        if item.kind == "Tabel":  # a table prints many numbers: their statuses counted, the page lists them
            counts = Counter(c.status for c in printed)
            numbers = [{"id": "", "href": "", "status": f"{n} {s}", "css": ""} for s, n in sorted(counts.items())]
        out.append(
            {
                "id": item.id,
                "anchor": report_items.anchor(item.id),
                "title": item.title,
                "part": part(item),
                "status": STATUS_WORDS[item.status],
                "shown": item.status == report_items.SHOWN,
                "where": page.heading if page is not None else "",
                "synthetic": page is not None and page.data_kind == datakind.SYNTHETIC and item.kind == "Figuur",
                "href": href,
                "reason": item.reason,
                "numbers": numbers,
            }
        )
    return out


def page_context(pages: list[Page], claims: list[Claim]) -> dict:
    """What the template shows: the rows and their counts."""
    table_rows = rows(pages, claims)
    count = {s: sum(item.status == s for item in report_items.items()) for s in report_items.STATUSES}
    return {
        "rows": table_rows,
        "tables": sum(r["id"].startswith("Tabel") for r in table_rows),
        "figures": sum(r["id"].startswith("Figuur") for r in table_rows),
        "shown": count[report_items.SHOWN],
        "inputs": count["invoer"],
        "missing": count["niet gereproduceerd"],
    }


README_START = "<!-- tabellen-figuren: generated from data/claims/tabellen_figuren.yaml (figures_page.readme_list) -->"
README_END = "<!-- /tabellen-figuren -->"


def readme_list() -> str:
    """The README's list of every table and figure of the report (Markdown, between README_START and
    README_END): number, the report's title, the page and anchor where the site shows it, or why not.
    ``tests/test_report_items.py`` holds the README to it; print this to update the README."""
    names = {(c.notebook, str(c.parameters.get("tranche", ""))): c.name for c in registry.CHAPTERS}
    lines = [
        README_START,
        "",
        "| report | title (as printed) | page | status |",
        "|---|---|---|---|",
    ]
    for item in report_items.items():
        page = f"{names[(item.notebook, item.tranche)]}.html"
        where = f"`{page}#{item.target}`" if item.target else f"`{page}`"
        status = item.status + (f": {item.reason}" if item.reason else "")
        title = item.title.replace("|", "\\|")
        lines.append(f"| {item.id} | {title} | {where} | {status.replace('|', chr(92) + '|')} |")
    return "\n".join([*lines, "", README_END])
