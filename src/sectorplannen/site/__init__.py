"""The report as a site a reader can find their way in, rendered once from what the build computed.

:func:`build` renders every page of ``outputs/report/`` from one set of autoescaping templates
(:mod:`.templating`): each chapter from the cells the build rendered of its notebook
(:mod:`sectorplannen.pipeline.exporter`), its ledger in short where the notebook showed the ledger, and
its provenance; each variant with what it changes beside the published selection (:mod:`.variants`)
and a page that compares it with its chapter cell by cell (:mod:`.comparison`); the start page, the page
of all numbers (``getallen.html``, filterable offline), the list of the report's tables and figures
(``tabellen_figuren.html``) and the search page with its prebuilt index. No
page is edited after it is written; an unchanged page keeps its file. Every page carries the policy of
:mod:`sectorplannen.pipeline.csp`. :mod:`.pdf` prints the whole report with headless Chromium. Only the
command line calls this layer, after a build.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from sectorplannen import paths
from sectorplannen.pipeline import exporter
from sectorplannen.pipeline.files import write_atomic
from sectorplannen.site import (
    chapter_page,
    claims_page,
    comparison,
    figures_page,
    index_page,
    layout,
    pages,
    search,
    templating,
)
from sectorplannen.site.pages import CLAIMS, FIGURES, INDEX, SEARCH, Page

STATIC = Path(__file__).parent / "static"
SITE_TITLE = templating.SITE_TITLE


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, only when it changed (an unchanged site keeps its files)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    write_atomic(path, text)


def _chapter(page: Page, parts: dict, every: list[Page], main: list[Page], claims: list, ledger_dir: Path) -> str:
    """One chapter page (or variant) from its parts."""
    content = chapter_page.context(page, parts, every, claims, ledger_dir)
    nav = layout.navigation(main, content.pop("position"), headings=content.pop("headings"))
    return templating.render(
        "chapter.html.j2",
        title=f"{page.heading}{' (variant)' if page.variant else ''} – {SITE_TITLE}",
        nav=nav,
        notebook_styles=True,
        **content,
    )


def _comparisons(every: list[Page], build_dir: Path) -> list[tuple[Page, Page]]:
    """Each variant with its chapter, then every comparison asked for (runs that still exist)."""
    by_name = {p.name: p for p in every}
    pairs = [(d, p) for p in every if p.variant and (d := pages.default_of(p, every))]
    for a, b in comparison.requested(build_dir):
        if a in by_name and b in by_name and (by_name[a], by_name[b]) not in pairs:
            pairs.append((by_name[a], by_name[b]))
    return pairs


def build(report_dir: Path, chapters=()) -> dict:
    """Render the site into ``report_dir`` from what the build left: every chapter and variant page, the
    comparisons, the start page, the page of all numbers, the tables and figures, the search page and its
    index, the styles and scripts. Returns what it made (pages, claims, seconds)."""
    start = time.perf_counter()
    report_dir = Path(report_dir)
    build_dir, ledger_dir = paths.records(report_dir.parent), paths.ledgers(report_dir.parent)
    static = report_dir / "static"
    static.mkdir(parents=True, exist_ok=True)
    for asset in sorted(STATIC.iterdir()):
        if asset.is_file():
            _write(static / asset.name, asset.read_text(encoding="utf-8"))
    _write(static / "notebook.css", exporter.notebook_css())
    every = pages.chapter_pages(report_dir, chapters)
    main = pages.main_pages(every)
    claims = claims_page.load(ledger_dir, every)
    parts = chapter_page.rendered_parts(report_dir, every)
    every = [p for p in every if p.name in parts]
    entries = []
    for page in every:
        _write(report_dir / page.href, _chapter(page, parts[page.name], every, main, claims, ledger_dir))
        if not page.variant:
            entries += search.chapter_entries(page, parts[page.name]["before"] + parts[page.name]["after"])
    made = len(every)
    for a, b in _comparisons(every, build_dir):
        default = pages.default_of(b, every)
        context = comparison.context(a, b, parts[a.name], parts[b.name], ledger_dir, default)
        nav = layout.navigation(main, (default or a).href)
        title = f"Vergelijking: {a.label} – {SITE_TITLE}"
        _write(
            report_dir / comparison.href(a, b),
            templating.render("vergelijking.html.j2", title=title, nav=nav, **context),
        )
        made += 1
    main_claims = [c for c in claims if not c.page.variant]
    reference = {  # the pages every site has: (title, template, what they show)
        CLAIMS: (
            "Alle getallen",
            "getallen.html.j2",
            {"scripts": ["static/getallen.js"], "scripted": True, **claims_page.page_context(main_claims, main)},
        ),
        FIGURES: ("Tabellen en figuren", "tabellen_figuren.html.j2", figures_page.page_context(main, main_claims)),
        SEARCH: ("Zoeken", "zoeken.html.j2", {"scripts": [search.INDEX_FILE, "static/zoeken.js"], "scripted": True}),
        INDEX: ("", "index.html.j2", {"rows": index_page.rows(every, claims, ledger_dir)}),
    }
    for name, (heading, template, context) in reference.items():
        title = f"{heading} – {SITE_TITLE}" if heading else SITE_TITLE
        nav = layout.navigation(main, name)
        _write(report_dir / name, templating.render(template, title=title, nav=nav, **context))
    _write(report_dir / search.INDEX_FILE, search.index_script(entries + search.claim_entries(main_claims)))
    return {"pages": made + len(reference), "claims": len(main_claims), "seconds": time.perf_counter() - start}
