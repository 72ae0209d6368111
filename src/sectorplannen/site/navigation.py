"""Navigation on every page: the sidebar with all chapters, previous/next and the page's own contents."""

from __future__ import annotations

from html import escape

from sectorplannen.build import csp
from sectorplannen.site import markup
from sectorplannen.site.pages import CLAIMS, INDEX, SEARCH, Page

SITE_TITLE = "Sectorplannen: reproductie"
REFERENCE = [(CLAIMS, "Alle getallen"), (SEARCH, "Zoeken")]


def order(main: list[Page]) -> list[tuple[str, str]]:
    """(href, label) of every page in reading order: start, the chapters, the reference pages."""
    return [(INDEX, "Start"), *((p.href, p.heading) for p in main), *REFERENCE]


def sidebar(main: list[Page], current: str) -> str:
    """The sidebar: site title, search box, the report chapters, then context, then the reference pages."""

    def link(href: str, text: str) -> str:
        mark = ' aria-current="page" class="current"' if href == current else ""
        return f'<li><a href="{escape(href)}"{mark}>{escape(text)}</a></li>'

    groups = []
    for group in ("Rapport", "Context"):
        items = "".join(link(p.href, f"{p.number}. {p.title}") for p in main if p.group == group)
        if items:
            groups.append(f"<h2>{group}</h2><ol>{items}</ol>")
    reference = "".join(link(href, text) for href, text in REFERENCE)
    return (
        '<nav class="site-sidebar" aria-label="Hoofdstukken">'
        f'<p class="site-title"><a href="{INDEX}">{SITE_TITLE}</a></p>'
        f'<form class="site-search" action="{SEARCH}" method="get" role="search">'
        '<input type="search" name="q" placeholder="Zoek een getal of woord" aria-label="Zoeken"></form>'
        + "".join(groups)
        + f"<h2>Naslag</h2><ol>{reference}</ol></nav>"
    )


def prev_next(main: list[Page], current: str) -> str:
    """Links to the previous and next page in reading order."""
    pages = order(main)
    hrefs = [href for href, _ in pages]
    if current not in hrefs:
        return ""
    at = hrefs.index(current)
    parts = []
    if at > 0:
        href, text = pages[at - 1]
        parts.append(f'<a class="prev" rel="prev" href="{escape(href)}">← {escape(text)}</a>')
    if at + 1 < len(pages):
        href, text = pages[at + 1]
        parts.append(f'<a class="next" rel="next" href="{escape(href)}">{escape(text)} →</a>')
    return f'<nav class="site-prevnext" aria-label="Vorige en volgende">{"".join(parts)}</nav>'


def contents(page: str) -> str:
    """The page's own contents: its level-2 and level-3 headings, linked."""
    items = [
        f'<li class="level{level}"><a href="#{escape(anchor, quote=True)}">{escape(text)}</a></li>'
        for level, anchor, text in markup.headings(page, "23")
    ]
    if len(items) < 2:
        return ""
    heading = "<h2>Op deze pagina</h2>"
    return f'<aside class="site-toc" aria-label="Op deze pagina">{heading}<ul>{"".join(items)}</ul></aside>'


def decorate(page: str, main: list[Page], current: str, title: str, position: str | None = None) -> str:
    """``page`` with the site's stylesheet, title, sidebar, contents and previous/next (replacing earlier
    ones); ``position`` is the page whose neighbours previous/next show (a variant's own chapter). A page
    without a Content-Security-Policy (rendered by an older build) gets the one without script."""
    if "</head>" not in page or "<body" not in page:  # not a page of the build (nothing to find one's way in)
        return page
    page = markup.with_policy(page, csp.META)
    page = markup.set_title(page, title)
    page = markup.insert(page, "</head>", "head", '<link rel="stylesheet" href="static/site.css">', after=False)
    for name in ("nav", "toc", "prevnext"):
        page = markup.strip(page, name)
    toc = contents(page)
    body_open = page.find(">", page.find("<body")) + 1
    page = page[:body_open] + markup.section("nav", sidebar(main, current) + toc) + page[body_open:]
    anchor = "</main>" if "</main>" in page else "</body>"
    return markup.insert(page, anchor, "prevnext", prev_next(main, position or current), after=False)
