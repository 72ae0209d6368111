"""`make pdf`: the whole report as one PDF, printed by headless Chromium; every table fits its page."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from test_browser import one_browser

from sectorplannen.chapters import registry
from sectorplannen.site import pdf, printed
from sectorplannen.site.devtools import DevTools
from sectorplannen.site.pages import chapter_pages, main_pages

pytestmark = pytest.mark.notebook

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian package 'chromium')"
)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module's layouts, measurements and prints; each page opens fresh in it."""
    yield from one_browser()


# Per table: the page it prints on (CSS `page`), its right edge, its caption and its chapter's title;
# and every element that would print a scroll bar (overflow auto or scroll in print).
_MEASURE = """(() => {
  const tables = [...document.querySelectorAll('table')].map(table => {
    const box = table.getBoundingClientRect();
    const caption = table.querySelector('caption');
    const chapter = table.closest('section.chapter');
    return {page: getComputedStyle(table).page, right: Math.max(box.right, box.left + table.scrollWidth),
            caption: caption ? caption.innerText.trim().replace(/\\s+/g, ' ') : '(tabel zonder bijschrift)',
            chapter: chapter ? chapter.getAttribute('aria-label') : '(titelpagina)'};
  });
  const scrolling = [...document.querySelectorAll('*')].filter(element => {
    const style = getComputedStyle(element);
    return /auto|scroll/.test(style.overflowX + ' ' + style.overflowY);
  }).map(element =>
    [element.tagName.toLowerCase(), ...String(element.className).split(/\\s+/)].filter(Boolean).join('.'));
  return {tables, scrolling};
})()"""


def printed_overflows(browser: DevTools, document: Path) -> tuple[list[str], list[str]]:
    """The tables of a print document wider than the page they print on, each as 'chapter: caption (width)',
    and the elements that print a scroll bar; measured in Chromium's print layout (a fresh page each), once
    as wide as a portrait A4 page inside the PDF's margins and once as a landscape one."""
    tables, scrolling = [], []
    for landscape, width_mm in ((False, pdf.PORTRAIT_MM), (True, pdf.LANDSCAPE_MM)):
        pdf.print_layout(browser, document, width_mm)
        found = browser.evaluate(_MEASURE)
        limit = pdf.page_px(width_mm)
        for table in found["tables"]:
            if (table["page"] == pdf.LANDSCAPE) == landscape and table["right"] > limit:
                tables.append(
                    f"{table['chapter']}: {table['caption'][:90]} ({table['right']:.0f} px op een "
                    f"{'liggende' if landscape else 'staande'} pagina van {limit} px)"
                )
        scrolling += [] if landscape else found["scrolling"]
    return tables, scrolling


@needs_chromium
def test_the_print_check_names_a_table_too_wide_and_a_scroll_bar(browser, tmp_path):
    """The check below can fail: a table wider than a portrait page, one wider than a landscape page on a
    landscape page, and a box that scrolls are each named (chapter title and caption)."""
    document = tmp_path / "breed.html"
    document.write_text(
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><style>body { margin: 0; }'
        ".landscape { page: landscape; }</style></head><body>"
        '<section class="chapter" aria-label="Hoofdstuk 1. Breed"><h1>Breed</h1>'
        '<table style="width: 800px"><caption>Tabel 1.1<br>acht honderd pixels</caption><tr><td>a</td></tr></table>'
        '<table style="width: 600px"><caption>Tabel 1.2: past</caption><tr><td>b</td></tr></table>'
        '<table class="landscape" style="width: 1100px"><caption>Tabel 1.3: te breed</caption><tr><td>c</td></tr>'
        '</table><div class="schuif" style="overflow-x: auto">d</div></section></body></html>',
        encoding="utf-8",
    )
    tables, scrolling = printed_overflows(browser, document)
    assert tables == [
        f"Hoofdstuk 1. Breed: Tabel 1.1 acht honderd pixels (800 px op een staande pagina van {pdf.page_px(182)} px)",
        f"Hoofdstuk 1. Breed: Tabel 1.3: te breed (1100 px op een liggende pagina van {pdf.page_px(269)} px)",
    ]
    assert scrolling == ["div.schuif"]


@needs_chromium
def test_every_table_of_every_chapter_fits_its_printed_page(request, browser, tmp_path):
    site = request.getfixturevalue("built_site")  # the whole report as a site, built once per session
    document = tmp_path / "rapport.html"
    pdf.prepare(site, document, browser=browser)  # as `make pdf` lays it out
    html = document.read_text(encoding="utf-8")
    assert html.count("<table") > 80  # every chapter's tables, not an empty document
    tables, scrolling = printed_overflows(browser, document)
    assert tables == [], "tables cut off at the right margin in print:\n" + "\n".join(tables)
    assert scrolling == [], f"elements that print a scroll bar: {scrolling[:10]}"


@needs_chromium
def test_a_table_too_wide_for_a_portrait_page_prints_on_a_landscape_page(browser, tmp_path):
    """``layout`` sends a table wider than a portrait page to a landscape page, one wider than that too to a
    landscape page in smaller type that may break inside a word; the PDF holds the landscape page."""
    cells = "".join(f"<td>Arbeidsmarktpositie{i}</td>" for i in range(7))
    long_cells = "".join(f"<td>Levensmiddelenindustrie{i}Levensmiddelenindustrie</td>" for i in range(7))
    body = (
        f'<p>staand</p><table id="T_smal"><caption>Smal</caption><tr><td>1</td></tr></table>'
        f'<table id="T_breed"><caption>Breed</caption><tr>{cells}</tr></table><p>weer staand</p>'
        f'<table id="T_zeer-breed"><caption>Zeer breed</caption><tr>{long_cells}</tr></table>'
    )
    page = '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><style>{}</style></head><body>{}</body></html>'
    document = tmp_path / "liggend.html"
    document.write_text(page.format(pdf.print_css("abc1234"), body), encoding="utf-8")
    marks = pdf.layout(document, browser=browser)
    assert marks == {"T_breed": pdf.LANDSCAPE, "T_zeer-breed": pdf.NARROW}
    document.write_text(page.format(pdf.print_css("abc1234", marks), body), encoding="utf-8")  # the same body
    assert printed_overflows(browser, document) == ([], [])
    data = pdf.print_to_pdf(document, tmp_path / "liggend.pdf", 120, browser)
    assert (tmp_path / "liggend.pdf").read_bytes() == data
    boxes = [tuple(round(float(n)) for n in box.split()[2:]) for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)]
    assert boxes == [(595, 842), (842, 595), (595, 842), (842, 595)]  # A4 portrait, each wide table landscape


def test_tables_are_marked_by_their_id_in_the_print_style_never_in_the_document(tmp_path):
    assert pdf.marks_css({"T_ab12": pdf.LANDSCAPE}) == "#T_ab12 { page: landscape; }"
    assert "#T_ab12 { font-size: 7pt; }" in pdf.marks_css({"T_ab12": pdf.NARROW})
    with pytest.raises(ValueError, match=re.escape("cannot mark table '} body { x'")):
        pdf.marks_css({"} body { x": pdf.LANDSCAPE})  # an id that could end the rule is refused
    with pytest.raises(ValueError, match="cannot mark table 'T_1' as 'staand'"):
        pdf.marks_css({"T_1": "staand"})


@needs_chromium
def test_a_table_too_wide_without_an_id_is_named(tmp_path):
    cells = "".join(f"<td>Arbeidsmarktpositie{i}</td>" for i in range(9))
    document = tmp_path / "zonder-id.html"
    document.write_text(
        f"<!DOCTYPE html><html><body><table><caption>Zonder id</caption><tr>{cells}</tr></table></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(RuntimeError, match="has no id to mark it by: 'Zonder id'"):
        pdf.layout(document)  # in a Chromium of its own, as `make pdf` starts one


def test_destination_pages_follow_the_page_tree():
    """The page of a named destination is its page's place in the page tree (nested /Pages included)."""
    data = (
        b"%PDF-1.4\n1 0 obj\n<</Type /Catalog\n/Pages 2 0 R\n/Dests 9 0 R>>\nendobj\n"
        b"2 0 obj\n<</Type /Pages\n/Count 3\n/Kids [3 0 R 4 0 R]>>\nendobj\n"
        b"3 0 obj\n<</Type /Page\n/Parent 2 0 R>>\nendobj\n"
        b"4 0 obj\n<</Type /Pages\n/Count 2\n/Kids [5 0 R 6 0 R]>>\nendobj\n"
        b"5 0 obj\n<</Type /Page\n/Parent 4 0 R>>\nendobj\n6 0 obj\n<</Type /Page\n/Parent 4 0 R>>\nendobj\n"
        b"9 0 obj\n<</inhoud_tranche-1-2 [5 0 R /XYZ 6 776 0]\n/h#C3#A9 [6 0 R /XYZ 6 579 0]>>\nendobj\n"
    )
    assert printed.destination_pages(data) == {"inhoud_tranche-1-2": 2, "hé": 3}
    with pytest.raises(RuntimeError, match="no page tree or no named destinations"):
        printed.destination_pages(data.replace(b"/Dests 9 0 R", b""))


def _outline_titles(data: bytes) -> list[str]:
    """The bookmark titles of a PDF (Chromium writes one per heading), decoded."""
    titles = []
    for raw in re.findall(rb"/Title\s*(<[0-9A-Fa-f]+>|\((?:\\.|[^\\)])*\))", data):
        if raw.startswith(b"<"):
            text = bytes.fromhex(raw[1:-1].decode())
            titles.append(text[2:].decode("utf-16-be") if text[:2] == b"\xfe\xff" else text.decode("latin-1"))
        else:
            titles.append(re.sub(r"\\([()\\])", r"\1", raw[1:-1].decode("latin-1")))  # \( \) \\ unescaped
    return titles


@needs_chromium
def test_make_pdf_prints_every_chapter_with_page_numbers(request, browser, tmp_path):
    site = request.getfixturevalue("built_site")  # the whole report as a site, built once per session
    target = pdf.build(site, tmp_path / "rapport.pdf", browser=browser)  # `make pdf` starts its own
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = printed.page_count(target)
    assert 40 <= pages <= 400, pages  # a title page, then every chapter on pages of its own
    # Chromium's outline holds each heading's text (line breaks lose their space, hence no whitespace)
    squeezed = {re.sub(r"\s+", "", t) for t in _outline_titles(data)}
    for chapter in registry.CHAPTERS:
        title = re.sub(r"\s+", "", chapter.title)
        assert any(title in t for t in squeezed), f"chapter {chapter.number} missing from the PDF"
    # the contents link to each chapter, and the page each link lands on is the number printed beside it
    names = [page.name for page in main_pages(chapter_pages(site))]
    starts = printed.destination_pages(data)
    first_pages = [starts[name] for name in names]
    assert first_pages[0] == 2 and first_pages == sorted(set(first_pages)) and first_pages[-1] < pages
    html = pdf.print_html(site, starts=starts)
    for name in names:
        assert f'<a href="#{name}">' in html and f'<span class="start">{starts[name]}</span>' in html
    assert 'counter(page) " van " counter(pages)' in html and "commit" in html
    assert not re.search(r'class="[^"]*site-sidebar', html) and "cdnjs" not in html  # the style may name it


def _fake_browser(tmp_path, script: str) -> str:
    browser = tmp_path / "chromium"
    browser.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    browser.chmod(0o755)
    return str(browser)


def test_a_browser_that_quits_or_hangs_is_reported_with_what_it_said(tmp_path):
    with pytest.raises(RuntimeError, match="Chromium closed the DevTools pipe: geen beeldscherm"):
        DevTools(_fake_browser(tmp_path, "echo geen beeldscherm >&2"), [])
    with pytest.raises(TimeoutError, match="Chromium did not answer over the DevTools pipe"):
        DevTools(_fake_browser(tmp_path, "sleep 2"), [], timeout=0.5)


@needs_chromium
def test_a_page_that_does_not_finish_loading_is_reported(tmp_path):
    """A page that never loads is named with the time it was given (in a Chromium of its own: it stays busy)."""
    page = tmp_path / "hangt.html"
    page.write_text("<!DOCTYPE html><html><body><script>while (true) {}</script></body></html>", encoding="utf-8")
    said = f"did not finish loading {re.escape(page.as_uri())} within 2 s"
    with DevTools(CHROMIUM, pdf.BROWSER_FLAGS) as browser, pytest.raises(TimeoutError, match=said):
        browser.timeout = 2  # once started: a busy machine may take longer to start it
        browser.open(page.as_uri())


@needs_chromium
def test_a_script_that_fails_in_the_page_is_reported(browser):
    browser.fresh()
    browser.open("about:blank")
    assert browser.evaluate("[1, 2].map(n => n * 3)") == [3, 6]
    with pytest.raises(RuntimeError, match=r"script failed: .*kapot"):
        browser.evaluate("(() => { throw new Error('kapot'); })()")


@needs_chromium
def test_a_document_that_cannot_be_opened_is_not_printed(browser, tmp_path):
    """A print that fails says so with what Chromium said, and leaves no PDF; the browser prints on after it."""
    missing = tmp_path / "weg.html"
    with pytest.raises(
        RuntimeError, match=r"Chromium could not print the report: .*weg\.html: net::ERR_FILE_NOT_FOUND"
    ):
        pdf.print_to_pdf(missing, tmp_path / "weg.pdf", 60, browser)
    assert not (tmp_path / "weg.pdf").exists()
    missing.write_text("<!DOCTYPE html><html><body><p>terug</p></body></html>", encoding="utf-8")
    assert pdf.print_to_pdf(missing, tmp_path / "weg.pdf", 60, browser).startswith(b"%PDF-")
