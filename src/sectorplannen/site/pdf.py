"""The whole report as one PDF, printed by headless Chromium, with page numbers and the provenance of the build."""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from markupsafe import Markup

from sectorplannen import paths
from sectorplannen.pipeline import csp
from sectorplannen.site import chapter_page, claims_page, templating
from sectorplannen.site.devtools import DevTools
from sectorplannen.site.pages import chapter_pages, main_pages
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
# How the report prints (what `--print-to-pdf` with `--no-pdf-header-footer --generate-pdf-document-outline`
# does): no header or footer of the browser's, backgrounds, paper and margins from the document's `@page`,
# the headings as the PDF's outline.
PRINT_OPTIONS = {
    "displayHeaderFooter": False,
    "printBackground": True,
    "preferCSSPageSize": True,
    "generateDocumentOutline": True,
}
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


def _css_string(text: str) -> str:
    """``text`` as the inside of a quoted CSS string in a ``<style>`` block: quotes, backslashes and
    angle brackets as CSS escapes, so it can neither end the string nor the block."""
    return re.sub(r'["\\<>\n]', lambda m: f"\\{ord(m.group(0)):x} ", text)


_TABLE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def marks_css(marks: dict[str, str]) -> str:
    """The print rules that send each marked table (by its id) to a landscape page, in smaller type that may
    break inside a word when marked narrow: the document itself is never edited to mark a table."""
    rules = []
    for table_id, mark in sorted(marks.items()):
        if not _TABLE_ID.match(table_id) or mark not in (LANDSCAPE, NARROW):
            raise ValueError(f"cannot mark table {table_id!r} as {mark!r}: an id of letters, digits, _ and -")
        rules.append(f"#{table_id} {{ page: {LANDSCAPE}; }}")
        if mark == NARROW:
            rules.append(
                f"#{table_id} {{ font-size: 7pt; }} #{table_id} th, #{table_id} td {{ overflow-wrap: anywhere; }}"
            )
    return "".join(rules)


def print_css(commit: str, marks: dict[str, str] | None = None) -> str:
    """The print document's own style after the notebook's: the site's stylesheet (its print rules), A4 pages
    with the commit and the page number in the margin, a landscape page for a marked table, the contents."""
    provenance = _css_string(f"{SITE_TITLE} · commit {commit}")
    top, right, bottom, left = MARGINS_MM
    return (
        STYLESHEET.read_text(encoding="utf-8")
        + (
            f"@page {{ size: A4; margin: {top}mm {right}mm {bottom}mm {left}mm;"
            f' @bottom-left {{ content: "{provenance}"; font: 7pt sans-serif; color: #555; }}'
            ' @bottom-right { content: "pagina " counter(page) " van " counter(pages); font: 8pt sans-serif; } }'
            f"@page {LANDSCAPE} {{ size: A4 landscape; }}"
            "body { margin: 0; padding: 0; } .chapter { break-before: page; }"
            ".title-page h1 { font-size: 24pt; margin-top: 30mm; } .title-page { font-family: sans-serif; }"
            "table { break-inside: auto; } .jp-Cell { break-inside: auto; }"
            ".contents { padding-left: 0; list-style: none; } .contents li { display: flex; margin: 0.3em 0; }"
            ".contents a { color: inherit; text-decoration: none; }"
            ".contents .leader { flex: 1; border-bottom: 1px dotted #888; margin: 0 0.4em 0.3em; }"
            ".contents .start { min-width: 2em; text-align: right; }"
        )
        + marks_css(marks or {})
    )


def _chapters(report_dir: Path) -> list[dict]:
    """Every chapter of the report (no variants) as its page shows it, in reading order."""
    every = chapter_pages(report_dir)
    parts = chapter_page.rendered_parts(report_dir, every)
    ledger_dir = paths.ledgers(Path(report_dir).parent)
    claims = claims_page.load(ledger_dir, every)
    chapters = [
        {
            "name": page.name,
            "heading": page.heading,
            **chapter_page.context(page, parts[page.name], every, claims, ledger_dir),
        }
        for page in main_pages(every)
        if page.name in parts
    ]
    if not chapters:
        raise FileNotFoundError(f"no chapters built for {report_dir}: run `make report` first")
    return chapters


def print_html(report_dir: Path, marks: dict[str, str] | None = None, starts: dict[str, int] | None = None) -> str:
    """One HTML document of the whole report for print, rendered from what the build computed: a title
    page with contents, then each chapter on new pages; every page numbered and carrying the commit it
    was built from. ``marks`` sends a table (by its id) to a landscape page (``layout`` measures which);
    ``starts`` gives the page on which each chapter starts, for the contents (``build`` finds them)."""
    chapters = _chapters(report_dir)
    commit = next((c["provenance"]["commit"] for c in chapters if c["provenance"]), "onbekend")
    sheet = Path(report_dir) / "static" / "notebook.css"
    notebook = sheet.read_text(encoding="utf-8") if sheet.is_file() else ""
    return (
        templating.environment()
        .get_template("print.html.j2")
        .render(
            policy=Markup(csp.PRINT_META),
            site_title=SITE_TITLE,
            styles=Markup(notebook + print_css(commit, marks)),
            commit=commit,
            chapters=chapters,
            starts=starts or {},
        )
    )


# The right edge of every table of the document (in CSS px, document order): what a page must hold.
_TABLE_EDGES = """[...document.querySelectorAll('table')].map(t => {
  const box = t.getBoundingClientRect();
  const caption = t.querySelector('caption');
  return [t.id, Math.max(box.right, box.left + t.scrollWidth), caption ? caption.innerText.slice(0, 80) : ''];
})"""


def page_px(width_mm: float) -> int:
    """The width of a page's printable area in CSS px, rounded down (a table must fit inside it)."""
    return int(width_mm * PX_PER_MM)


@contextlib.contextmanager
def _browser(browser: DevTools | None, timeout: float) -> Iterator[DevTools]:
    """``browser`` when given (it stays open for its owner's next use), otherwise one started for the block."""
    if browser is not None:
        yield browser
        return
    with DevTools(chromium(), BROWSER_FLAGS, timeout=timeout) as started:
        yield started


def print_layout(browser: DevTools, document: Path, width_mm: float) -> None:
    """Open ``document`` in a fresh page of ``browser`` laid out as it prints (print media, no scroll bars) on
    a page whose printable area is ``width_mm`` wide."""
    browser.fresh()
    browser.call("Emulation.setScrollbarsHidden", {"hidden": True})
    browser.call("Emulation.setEmulatedMedia", {"media": "print"})
    browser.window(page_px(width_mm), 1000)
    browser.open(document.as_uri())


def table_edges(browser: DevTools, document: Path, width_mm: float) -> list[list]:
    """[id, right edge, caption] of each table of ``document`` (document order) printed ``width_mm`` wide."""
    print_layout(browser, document, width_mm)
    return browser.evaluate(_TABLE_EDGES)


def layout(document: Path, timeout: int = 300, browser: DevTools | None = None) -> dict[str, str]:
    """Which tables of the print ``document`` do not fit a portrait page (by their id): each gets a
    landscape page, and the ones that do not fit that either the narrow mark. A table too wide without
    an id cannot be marked: that is a bug of the templates, named with its caption. Measured in ``browser``
    when given, otherwise in a Chromium of its own."""
    with _browser(browser, timeout) as browser:
        wide = [t for t in table_edges(browser, document, PORTRAIT_MM) if t[1] > page_px(PORTRAIT_MM)]
        unnamed = [caption for table_id, _, caption in wide if not table_id]
        if unnamed:
            raise RuntimeError(f"a table too wide for a portrait page has no id to mark it by: {unnamed[0]!r}")
        edges = {t[0]: t[1] for t in table_edges(browser, document, LANDSCAPE_MM)} if wide else {}
    return {t[0]: NARROW if edges[t[0]] > page_px(LANDSCAPE_MM) else LANDSCAPE for t in wide}


def prepare(
    report_dir: Path,
    source: Path,
    starts: dict[str, int] | None = None,
    timeout: int = 300,
    browser: DevTools | None = None,
) -> dict[str, str]:
    """Write the print document of the report to ``source`` with its tables laid out (``layout``); the marks."""
    source.write_text(print_html(report_dir), encoding="utf-8")
    marks = layout(source, timeout, browser)
    source.write_text(print_html(report_dir, marks, starts), encoding="utf-8")
    return marks


def print_to_pdf(source: Path, partial: Path, timeout: int, browser: DevTools | None = None) -> bytes:
    """Print the HTML document ``source`` to ``partial`` in a fresh page of ``browser`` (or of a Chromium of
    its own), as the command line prints it (``PRINT_OPTIONS``); the PDF's bytes."""
    partial.unlink(missing_ok=True)
    with _browser(browser, timeout) as browser:
        try:
            browser.fresh()
            browser.open(source.as_uri())
            data = browser.print_pdf(PRINT_OPTIONS)
        except RuntimeError as error:
            raise RuntimeError(f"Chromium could not print the report: {str(error)[-500:]}") from None
    partial.write_bytes(data)
    return data


def build(report_dir: Path, target: Path | None = None, timeout: int = 300, browser: DevTools | None = None) -> Path:
    """Print the whole report to one PDF (``outputs/report/sectorplannen-reproductie.pdf``) with Chromium:
    measure which tables need a landscape page, print, read on which page each chapter starts, and print
    again with those pages in the contents (again while they move, at most three times); all in one
    Chromium (``browser`` when given)."""
    report_dir = Path(report_dir)
    target = Path(target or report_dir / PDF_NAME)
    names = [chapter["name"] for chapter in _chapters(report_dir)]
    with _browser(browser, timeout) as browser, tempfile.TemporaryDirectory(prefix="sectorplannen-pdf-") as folder:
        source, partial = Path(folder) / "rapport.html", Path(folder) / "rapport.pdf"
        marks = prepare(report_dir, source, timeout=timeout, browser=browser)
        starts: dict[str, int] = {}
        for _ in range(3):
            if starts:
                source.write_text(print_html(report_dir, marks, starts), encoding="utf-8")
            found = destination_pages(print_to_pdf(source, partial, timeout, browser))
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
