"""The whole report as one PDF, printed by headless Chromium, with page numbers and the provenance of the build."""

from __future__ import annotations

import html as html_lib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from sectorplannen.build import csp
from sectorplannen.site.pages import Page, chapter_pages, main_pages
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


def print_html(report_dir: Path) -> str:
    """One HTML document of the whole report for print: a title page with contents, then each chapter on
    new pages; every page numbered and carrying the commit it was built from."""
    chapters: list[tuple[Page, str]] = [
        (page, (report_dir / page.href).read_text(encoding="utf-8")) for page in main_pages(chapter_pages(report_dir))
    ]
    if not chapters:
        raise FileNotFoundError(f"no chapter pages in {report_dir}: run `make report` first")
    commit = _commit(chapters[0][1])
    provenance = _css_string(f"{SITE_TITLE} · commit {commit}")
    contents = "".join(f"<li>{html_lib.escape(page.heading)}</li>" for page, _ in chapters)
    body = "".join(
        f'<section class="chapter" id="{html_lib.escape(page.name)}">{_content(text)}</section>'
        for page, text in chapters
    )
    css = (
        "@page { size: A4; margin: 16mm 14mm 18mm 14mm;"
        f' @bottom-left {{ content: "{provenance}"; font: 7pt sans-serif; color: #555; }}'
        ' @bottom-right { content: "pagina " counter(page) " van " counter(pages); font: 8pt sans-serif; } }'
        "body { margin: 0; padding: 0; } .chapter { break-before: page; }"
        ".title-page h1 { font-size: 24pt; margin-top: 30mm; } .title-page { font-family: sans-serif; }"
        "table { break-inside: auto; } tr, img { break-inside: avoid; } img { max-width: 100%; }"
        ".jp-Cell { break-inside: auto; }"
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
        + f"<title>{html_lib.escape(SITE_TITLE)}</title>{_styles(report_dir)}<style>{css}</style></head>"
        f'<body class="jp-Notebook">{title_page}{body}</body></html>\n'
    )


def build(report_dir: Path, target: Path | None = None, timeout: int = 300) -> Path:
    """Print the whole report to one PDF (``outputs/report/sectorplannen-reproductie.pdf``) with Chromium."""
    report_dir = Path(report_dir)
    target = Path(target or report_dir / PDF_NAME)
    browser = chromium()
    with tempfile.TemporaryDirectory(prefix="sectorplannen-pdf-") as folder:
        source = Path(folder) / "rapport.html"
        source.write_text(print_html(report_dir), encoding="utf-8")
        partial = Path(folder) / "rapport.pdf"
        result = subprocess.run(
            [
                browser,
                *FLAGS,
                f"--user-data-dir={Path(folder) / 'profile'}",
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
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(partial, target)
    return target


def page_count(pdf: Path) -> int:
    """The number of pages of a PDF (its /Type /Page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", Path(pdf).read_bytes()))
