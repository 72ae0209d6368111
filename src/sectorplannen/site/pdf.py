"""The whole report as one PDF, printed by headless Chromium, with page numbers and the provenance of the build."""

from __future__ import annotations

import html as html_lib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from sectorplannen.build import csp
from sectorplannen.site.devtools import DevTools
from sectorplannen.site.pages import Page, chapter_pages, main_pages
from sectorplannen.site.printed import destination_pages, page_count  # noqa: F401 (the command line counts the pages)
from sectorplannen.site.templating import SITE_TITLE

PDF_NAME = "sectorplannen-reproductie.pdf"
# Headless Chromium that asks no other host for anything (the browser tests use the same flags).
BROWSER_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FLAGS = [*BROWSER_FLAGS, "--no-pdf-header-footer", "--generate-pdf-document-outline"]
# A4 with the report's margins (top, right, bottom, left, in mm); what a table may be wide on either page.
A4_MM = (210, 297)
MARGINS_MM = (16, 14, 18, 14)
PORTRAIT_MM = A4_MM[0] - MARGINS_MM[1] - MARGINS_MM[3]
LANDSCAPE_MM = A4_MM[1] - MARGINS_MM[1] - MARGINS_MM[3]
PX_PER_MM = 96 / 25.4
# The mark a table too wide for a portrait page gets: its own landscape page, and if even that is too
# narrow, smaller type that may break inside a word (what Chromium cannot lay out otherwise).
LANDSCAPE, NARROW = "landscape", "narrow"
STYLESHEET = Path(__file__).parent / "static" / "site.css"


def chromium() -> str:
    """The Chromium the browser tests use; a clear error when it is not installed."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise FileNotFoundError("headless Chromium is not installed (Debian package 'chromium'): needed for `make pdf`")
    return found


def _styles(report_dir: Path) -> str:
    """The notebook's look (the site's ``static/notebook.css``), inline: the printed document loads nothing."""
    sheet = Path(report_dir) / "static" / "notebook.css"
    return f"<style>{sheet.read_text(encoding='utf-8')}</style>" if sheet.is_file() else ""


def _content(page: str) -> str:
    """A chapter page's own content for print: its main part and its provenance footer (the navigation
    stands outside both)."""
    start, end = page.find("<main>") + len("<main>"), page.rfind("</main>")
    footer = re.search(r'<footer class="sectorplannen-provenance".*?</footer>', page, flags=re.DOTALL)
    return page[start:end] + (footer.group(0) if footer else "")


def _commit(page: str) -> str:
    match = re.search(r"Commit <code>([^<]+)</code>", page)
    return html_lib.unescape(match.group(1)) if match else "onbekend"


def _css_string(text: str) -> str:
    """``text`` as the inside of a quoted CSS string in a ``<style>`` block: quotes, backslashes and
    angle brackets as CSS escapes, so it can neither end the string nor the block."""
    return re.sub(r'["\\<>\n]', lambda m: f"\\{ord(m.group(0)):x} ", text)


def _chapters(report_dir: Path) -> list[tuple[Page, str]]:
    chapters = [
        (page, (report_dir / page.href).read_text(encoding="utf-8")) for page in main_pages(chapter_pages(report_dir))
    ]
    if not chapters:
        raise FileNotFoundError(f"no chapter pages in {report_dir}: run `make report` first")
    return chapters


def mark_tables(body: str, marks: dict[int, str]) -> str:
    """``body`` with the n-th table (in document order, counted from 0) marked ``data-print="<mark>"``."""
    tables = list(re.finditer(r"<table\b", body))
    if marks and max(marks) >= len(tables):
        raise ValueError(f"table {max(marks)} to mark, but the document holds {len(tables)} tables")
    for index in sorted(marks, reverse=True):
        at = tables[index].end()
        body = f'{body[:at]} data-print="{marks[index]}"{body[at:]}'
    return body


def print_css(commit: str) -> str:
    """The print document's own style after the notebook's: the site's stylesheet (its print rules), A4 pages
    with the commit and the page number in the margin, a landscape page for a marked table, the contents."""
    provenance = _css_string(f"{SITE_TITLE} · commit {commit}")
    top, right, bottom, left = MARGINS_MM
    return STYLESHEET.read_text(encoding="utf-8") + (
        f"@page {{ size: A4; margin: {top}mm {right}mm {bottom}mm {left}mm;"
        f' @bottom-left {{ content: "{provenance}"; font: 7pt sans-serif; color: #555; }}'
        ' @bottom-right { content: "pagina " counter(page) " van " counter(pages); font: 8pt sans-serif; } }'
        f"@page {LANDSCAPE} {{ size: A4 landscape; }}"
        f'table[data-print="{LANDSCAPE}"], table[data-print="{NARROW}"] {{ page: {LANDSCAPE}; }}'
        f'table[data-print="{NARROW}"] {{ font-size: 7pt; }}'
        f'table[data-print="{NARROW}"] th, table[data-print="{NARROW}"] td {{ overflow-wrap: anywhere; }}'
        "body { margin: 0; padding: 0; } .chapter { break-before: page; }"
        ".title-page h1 { font-size: 24pt; margin-top: 30mm; } .title-page { font-family: sans-serif; }"
        "table { break-inside: auto; } .jp-Cell { break-inside: auto; }"
        ".contents { padding-left: 0; list-style: none; } .contents li { display: flex; margin: 0.3em 0; }"
        ".contents a { color: inherit; text-decoration: none; }"
        ".contents .leader { flex: 1; border-bottom: 1px dotted #888; margin: 0 0.4em 0.3em; }"
        ".contents .start { min-width: 2em; text-align: right; }"
    )


def print_html(report_dir: Path, marks: dict[int, str] | None = None, starts: dict[str, int] | None = None) -> str:
    """One HTML document of the whole report for print: a title page with contents, then each chapter on
    new pages; every page numbered and carrying the commit it was built from. ``marks`` sends a table
    (by its place in the document) to a landscape page (``layout`` measures which); ``starts`` gives the
    page on which each chapter starts, for the contents (``build`` finds them in a first print)."""
    chapters = _chapters(report_dir)
    starts = starts or {}
    commit = _commit(chapters[0][1])
    contents = "".join(
        f'<li><a href="#{html_lib.escape(page.name)}">{html_lib.escape(page.heading)}</a><span class="leader"></span>'
        f'<span class="start">{starts.get(page.name, "")}</span></li>'
        for page, _ in chapters
    )
    body = "".join(
        f'<section class="chapter" id="{html_lib.escape(page.name)}" aria-label="{html_lib.escape(page.heading)}">'
        f"{_content(text)}</section>"
        for page, text in chapters
    )
    title_page = (
        '<section class="title-page"><h1>Eindevaluatie Regeling cofinanciering sectorplannen: reproductie</h1>'
        "<p>Elk hoofdstuk opnieuw berekend uit de gepubliceerde tabellen (SEO/ecbo, 2013-2019), met het "
        "grootboek van elk hoofdstuk samengevat. Alle getallen met hun herberekening staan in de site "
        "(pagina Alle getallen).</p>"
        f"<p>Gebouwd uit commit <code>{html_lib.escape(commit)}</code>; de herkomst van elk hoofdstuk staat "
        f'aan het eind ervan.</p><h2>Inhoud</h2><ol class="contents">{contents}</ol></section>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        + csp.PRINT_META
        + f"<title>{html_lib.escape(SITE_TITLE)}</title>{_styles(report_dir)}"
        f"<style>{print_css(commit)}</style></head>"
        f'<body class="jp-Notebook">{mark_tables(title_page + body, marks or {})}</body></html>\n'
    )


# The right edge of every table of the document (in CSS px, document order): what a page must hold.
_TABLE_EDGES = """[...document.querySelectorAll('table')].map(t => {
  const box = t.getBoundingClientRect();
  return Math.max(box.right, box.left + t.scrollWidth);
})"""


def page_px(width_mm: float) -> int:
    """The width of a page's printable area in CSS px, rounded down (a table must fit inside it)."""
    return int(width_mm * PX_PER_MM)


def print_layout(browser: DevTools, document: Path, width_mm: float) -> None:
    """Open ``document`` in ``browser`` laid out as it prints (print media, no scroll bars) on a page whose
    printable area is ``width_mm`` wide."""
    browser.call("Emulation.setScrollbarsHidden", {"hidden": True})
    browser.call("Emulation.setEmulatedMedia", {"media": "print"})
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": page_px(width_mm), "height": 1000, "deviceScaleFactor": 1, "mobile": False},
    )
    browser.open(document.as_uri())


def table_edges(browser: DevTools, document: Path, width_mm: float) -> list[float]:
    """The right edge of each table of ``document`` (document order) printed ``width_mm`` wide."""
    print_layout(browser, document, width_mm)
    return browser.evaluate(_TABLE_EDGES)


def layout(document: Path, timeout: int = 300) -> dict[int, str]:
    """Which tables of the print ``document`` do not fit a portrait page (by their place in it): each gets a
    landscape page, and the ones that do not fit that either the narrow mark."""
    with DevTools(chromium(), BROWSER_FLAGS, timeout=timeout) as browser:
        wide = [
            index
            for index, edge in enumerate(table_edges(browser, document, PORTRAIT_MM))
            if edge > page_px(PORTRAIT_MM)
        ]
        landscape = table_edges(browser, document, LANDSCAPE_MM) if wide else []
    return {index: NARROW if landscape[index] > page_px(LANDSCAPE_MM) else LANDSCAPE for index in wide}


def prepare(report_dir: Path, source: Path, starts: dict[str, int] | None = None, timeout: int = 300) -> dict[int, str]:
    """Write the print document of the report to ``source`` with its tables laid out (``layout``); the marks."""
    source.write_text(print_html(report_dir), encoding="utf-8")
    marks = layout(source, timeout)
    source.write_text(print_html(report_dir, marks, starts), encoding="utf-8")
    return marks


def print_to_pdf(source: Path, partial: Path, timeout: int) -> bytes:
    """Print the HTML document ``source`` to ``partial`` with headless Chromium; the PDF's bytes."""
    partial.unlink(missing_ok=True)
    result = subprocess.run(
        [
            chromium(),
            *FLAGS,
            f"--user-data-dir={source.parent / 'profile'}",
            f"--print-to-pdf={partial}",
            source.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0 or not partial.exists():
        raise RuntimeError(f"Chromium could not print the report: {result.stderr.strip()[-500:]}")
    return partial.read_bytes()


def build(report_dir: Path, target: Path | None = None, timeout: int = 300) -> Path:
    """Print the whole report to one PDF (``outputs/report/sectorplannen-reproductie.pdf``) with Chromium:
    measure which tables need a landscape page, print, read on which page each chapter starts, and print
    again with those pages in the contents (again while they move, at most three times)."""
    report_dir = Path(report_dir)
    target = Path(target or report_dir / PDF_NAME)
    names = [page.name for page, _ in _chapters(report_dir)]
    with tempfile.TemporaryDirectory(prefix="sectorplannen-pdf-") as folder:
        source, partial = Path(folder) / "rapport.html", Path(folder) / "rapport.pdf"
        marks = prepare(report_dir, source, timeout=timeout)
        starts: dict[str, int] = {}
        for _ in range(3):
            if starts:
                source.write_text(print_html(report_dir, marks, starts), encoding="utf-8")
            found = destination_pages(print_to_pdf(source, partial, timeout))
            missing = [name for name in names if name not in found]
            if missing:
                raise RuntimeError(f"the printed report has no destination for chapter(s) {', '.join(missing)}")
            printed = {name: found[name] for name in names}
            if printed == starts:
                break
            starts = printed
        else:
            raise RuntimeError("the chapters' first pages kept moving when their numbers were printed in the contents")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(partial, target)
    return target
