"""The report as a site a reader can find their way in, made from what the build wrote.

:func:`build` turns ``outputs/report/`` into a site: every page gets a sidebar with all chapters,
previous/next and its own contents; each chapter's ledger is folded into a summary that links to
the page of all numbers (``getallen.html``, every claim of every chapter, filterable offline); a
prebuilt index makes the chapters and numbers searchable (``zoeken.html``); scripts and styles are
shipped in the site, so no page asks another host for anything, and every page carries the policy of
:mod:`sectorplannen.build.csp` (scripts only as the site's files, none inline). :mod:`.pdf` prints
the whole report to one PDF with headless Chromium. The pages themselves are rendered offline by the build
(:mod:`sectorplannen.build.exporter`); this layer sits on top of it, and only the command line
calls it, after a build.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from sectorplannen.site import claims_page, markup, navigation, pages, search

STATIC = Path(__file__).parent / "static"


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (only when it changed, so an unchanged site keeps its files)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    tmp = path.with_name(f".{path.name}.site.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def build(report_dir: Path, chapters=()) -> dict:
    """Make ``report_dir`` a site: decorate every page, write the page of all numbers, the search page
    and its index, copy the scripts and styles. Returns what it made (pages, claims, seconds)."""
    start = time.perf_counter()
    report_dir = Path(report_dir)
    static = report_dir / "static"
    static.mkdir(parents=True, exist_ok=True)
    for asset in sorted(STATIC.iterdir()):
        if asset.is_file():
            shutil.copyfile(asset, static / asset.name)
    every = pages.chapter_pages(report_dir, chapters)
    main = pages.main_pages(every)
    claims = claims_page.load(report_dir.parent / "ledger", every)
    entries = []
    for page in every:
        path = report_dir / page.href
        html = claims_page.fold_ledger(path.read_text(encoding="utf-8"), page, claims)
        base = next((p for p in main if p.number == page.number), page)
        html = navigation.decorate(
            html,
            main,
            base.href if page.variant else page.href,
            f"{page.heading} – {navigation.SITE_TITLE}",
            position=base.href,
        )
        _write(path, html)
        if not page.variant:
            entries += search.chapter_entries(page, html)
    main_claims = [c for c in claims if not c.page.variant]
    generated = {
        pages.CLAIMS: (claims_page.page_html(main_claims, main), "Alle getallen"),
        pages.SEARCH: (search.page_html(), "Zoeken"),
    }
    for name, (html, title) in generated.items():
        _write(report_dir / name, navigation.decorate(html, main, name, f"{title} – {navigation.SITE_TITLE}"))
    _write(report_dir / search.INDEX_FILE, search.index_script(entries + search.claim_entries(main_claims)))
    index = report_dir / pages.INDEX
    if index.exists():
        html = markup.set_title(index.read_text(encoding="utf-8"), navigation.SITE_TITLE)
        _write(index, navigation.decorate(html, main, pages.INDEX, navigation.SITE_TITLE))
    return {"pages": len(every) + 3, "claims": len(main_claims), "seconds": time.perf_counter() - start}
