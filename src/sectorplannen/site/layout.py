"""Where a reader is: the sidebar with every page in reading order, previous/next and the page's own
contents, as data for the templates."""

from __future__ import annotations

from sectorplannen.site import markup
from sectorplannen.site.pages import CLAIMS, FIGURES, INDEX, SEARCH, SECTIONS, Page

REFERENCE = [(CLAIMS, "Alle getallen"), (FIGURES, "Tabellen en figuren"), (SEARCH, "Zoeken")]


def order(main: list[Page]) -> list[tuple[str, str]]:
    """(href, label) of every page in reading order: start, the chapters by section, the reference pages."""
    chapters = [(p.href, p.heading) for section in SECTIONS for p in main if p.section == section]
    return [(INDEX, "Start"), *chapters, *REFERENCE]


def contents(*parts: str | tuple[int, str, str]) -> list[tuple[int, str, str]]:
    """The page's own contents in order: the level-2 and level-3 headings of each HTML part, and the
    (level, anchor, text) of each heading the site adds itself."""
    out = []
    for part in parts:
        out += [part] if isinstance(part, tuple) else markup.headings(part, "23")
    return out


def navigation(main: list[Page], current: str, position: str | None = None, headings=()) -> dict:
    """The sidebar groups (current page marked), previous/next of ``position`` (a variant's own chapter)
    and the page's contents (``headings``: see :func:`contents`)."""
    groups = []
    for section in SECTIONS:
        links = [
            {"href": p.href, "text": f"{p.number}. {p.title}", "current": p.href == current}
            for p in main
            if p.section == section
        ]
        if links:
            groups.append({"title": section, "links": links})
    groups.append({"title": "Naslag", "links": [{"href": h, "text": t, "current": h == current} for h, t in REFERENCE]})
    pages = order(main)
    hrefs = [href for href, _ in pages]
    at = hrefs.index(position or current) if (position or current) in hrefs else None
    previous = next_ = None
    if at is not None and at > 0:
        previous = dict(zip(("href", "text"), pages[at - 1], strict=True))
    if at is not None and at + 1 < len(pages):
        next_ = dict(zip(("href", "text"), pages[at + 1], strict=True))
    items = [{"level": level, "anchor": anchor, "text": text} for level, anchor, text in headings]
    return {"groups": groups, "previous": previous, "next": next_, "contents": items}
