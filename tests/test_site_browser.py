"""The report as a site, in real headless Chromium: offline, navigable, searchable, reader-facing labels, and
within its Content-Security-Policy (no page needs anything the policy forbids)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import TRANSPORT_VARIANT
from test_browser import one_browser, render

from sectorplannen import paths
from sectorplannen.chapters import notebook, registry
from sectorplannen.pipeline import csp
from sectorplannen.site import layout
from sectorplannen.site import pages as site_pages
from sectorplannen.site.devtools import DevTools

pytestmark = pytest.mark.notebook

# What a table cell may not show a reader: a Python value or a code name (snake_case id, pandas header).
RAW = re.compile(r"^(True|False|None|nan|NaN|NaT|[a-z0-9]+(_[a-z0-9]+)+|category|value|label|index)$")


@pytest.fixture
def site(built_site, monkeypatch):
    """The whole report as a site, built once per test session (conftest ``built_site``); its ledgers
    read through ``paths.OUTPUTS``."""
    monkeypatch.setattr(paths, "OUTPUTS", built_site.parent)
    return built_site


def _pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module; each page opens fresh in it (``render``)."""
    yield from one_browser()


def _dom(browser: DevTools, url: str) -> BeautifulSoup:
    return render(browser, url, budget_ms=5000)


def _console(browser: DevTools, url: str, budget_ms: int = 3000) -> tuple[BeautifulSoup, list[str]]:
    """The page as Chromium leaves it (opened fresh), and what it wrote to the console about the page's policy."""
    dom = render(browser, url, budget_ms, watch=True)
    return dom, [line for line in browser.console() if "Content Security Policy" in line]


@pytest.fixture(scope="module")
def rendered(built_site, browser) -> dict[str, tuple[BeautifulSoup, set[str], list[str]]]:
    """Every page of the site as headless Chromium leaves it: its DOM after its scripts ran (parsed once:
    the tests below only read it), the URLs it asked other hosts for (the requests the page made) and what
    it wrote to the console about the page's policy. Each page opened fresh once, which the tests of every
    page below read."""
    pages = {}
    for page in _pages(built_site):
        dom, violations = _console(browser, page.as_uri(), 5000)
        pages[page.name] = (dom, browser.requests(), violations)
    return pages


def _rendered_dom(rendered, page: Path) -> BeautifulSoup:
    return rendered[page.name][0]


def test_every_page_is_self_contained_titled_and_dutch(site, rendered):
    found = _pages(site)
    assert len(found) >= len(registry.CHAPTERS) + 3  # chapters, index, all numbers, search
    assert sorted(rendered) == [page.name for page in found]
    for page in found:
        dom = _rendered_dom(rendered, page)
        assert rendered[page.name][1] == set(), f"{page.name} asks another host for something"
        assert dom.html.get("lang") == "nl", page.name
        title = dom.title.get_text(strip=True)
        assert title and title != "Notebook", page.name
    chapter = (site / f"{registry.CHAPTERS[1].name}.html").read_text(encoding="utf-8")
    assert "<title>Hoofdstuk 3. De uitvoering van de maatregelen – tranche 1 en 2 – " in chapter
    assert "cdnjs" not in chapter and "require.js" not in chapter and "mathjax" not in chapter.lower()


def test_sidebar_and_previous_next_links_resolve(site, rendered):
    main = list(registry.CHAPTERS)
    for page in _pages(site):
        dom = _rendered_dom(rendered, page)
        sidebar = dom.select(".site-sidebar a")
        chapters = [a["href"] for a in sidebar if a["href"] not in (site_pages.INDEX, *dict(layout.REFERENCE))]
        assert chapters == [f"{c.name}.html" for c in main], f"{page.name}: sidebar is not every chapter in order"
        links = sidebar + dom.select(".site-prevnext a") + dom.select(".site-toc a")
        assert dom.select(".site-prevnext a"), f"{page.name} has no previous/next"
        for link in links:
            target = urlsplit(link["href"])
            file = site / target.path if target.path else page
            assert file.exists(), f"{page.name} links to missing {link['href']}"
            if target.fragment:
                assert f'id="{target.fragment}"' in file.read_text(encoding="utf-8"), f"{page.name}: {link['href']}"
    first = _rendered_dom(rendered, site / f"{registry.CHAPTERS[0].name}.html")
    assert [a["href"] for a in first.select(".site-prevnext a")] == ["index.html", f"{registry.CHAPTERS[1].name}.html"]


def test_search_finds_a_chapter_by_a_printed_number_and_a_claim_by_its_id(site, browser):
    dom = _dom(browser, (site / "zoeken.html").as_uri() + "?q=296.145")
    hits = [a["href"] for a in dom.select(".search-results a")]
    assert any(h.startswith(f"{registry.CHAPTERS[1].name}.html#") for h in hits), hits[:10]
    assert any(h.startswith("getallen.html#claim-") for h in hits)
    dom = _dom(browser, (site / "zoeken.html").as_uri() + "?q=3-01")
    hits = [a["href"] for a in dom.select(".search-results a")]
    assert "getallen.html#claim-3-01" in hits[:3]
    assert "Geen resultaten" in _dom(browser, (site / "zoeken.html").as_uri() + "?q=qqxqq").get_text()


def test_claims_page_has_every_claim_and_filters_by_status(site, browser):
    import pandas as pd

    ledgers = [pd.read_csv(notebook.ledger_path(c.name)) for c in registry.CHAPTERS if c.entry.claims]
    differ = sum(int((ledger["status"] == "wijkt af").sum()) for ledger in ledgers)
    dom = _dom(browser, (site / "getallen.html").as_uri())
    rows = dom.select("table.claims tbody tr")
    assert len(rows) == sum(len(ledger) for ledger in ledgers)
    dom = _dom(browser, (site / "getallen.html").as_uri() + "?status=wijkt+af")
    shown = [row for row in dom.select("table.claims tbody tr") if not row.has_attr("hidden")]
    assert 0 < differ == len(shown)
    assert {row["data-status"] for row in shown} == {"wijkt af"}
    assert dom.select_one(".claims-count").get_text() == f"{differ} van {len(rows)} getallen"
    # each chapter's ledger summary links to its rows there, and the claims link back to the chapter
    chapter = _dom(browser, (site / f"{registry.CHAPTERS[1].name}.html").as_uri())
    assert chapter.select_one('#grootboek a[href^="getallen.html?hoofdstuk="]') is not None
    assert len(chapter.select("table")) < 20 and "grootboek" in rows[0].select_one("td:nth-of-type(2) a")["href"]


def test_no_table_shows_a_raw_id_or_a_python_value(site, rendered):
    for page in _pages(site):
        dom = _rendered_dom(rendered, page)
        for table in dom.find_all("table"):
            for cell in table.find_all(["td", "th"]):
                text = cell.get_text(" ", strip=True)
                assert not RAW.match(text), f"{page.name}: table cell {text!r}"
            caption = table.find("caption")
            if caption:
                text = caption.get_text(" ", strip=True)
                assert not re.search(r"(Tabel \S+)\W+\1\b", text), f"{page.name}: caption {text[:60]!r}"


def test_screenshots_of_the_site(site, browser, tmp_path):
    for name in (registry.CHAPTERS[9].name + ".html", "getallen.html?status=wijkt+af", "zoeken.html?q=296.145"):
        shot = tmp_path / (re.sub(r"\W+", "-", name) + ".png")
        url = (site / name.split("?")[0]).as_uri() + ("?" + name.split("?")[1] if "?" in name else "")
        render(browser, url, window=(1400, 1600))
        shot.write_bytes(browser.screenshot())
        assert shot.stat().st_size > 20_000, f"{shot} looks empty"


def test_each_page_opens_fresh_and_its_timers_run_within_the_budget(browser, tmp_path):
    """What one page stores or sets is gone on the next (storage of the files' origin, session storage, the
    window size); a timer runs when the budget of virtual time covers it (2 s of 3 s), not when it does not."""
    page = tmp_path / "klok.html"
    page.write_text(
        '<!DOCTYPE html><html><body><p id="p">voor</p><script src="klok.js"></script></body></html>', encoding="utf-8"
    )
    (tmp_path / "klok.js").write_text(
        "var seen = [localStorage.getItem('x'), sessionStorage.getItem('y'), innerWidth].map(String).join(' ');"
        "localStorage.setItem('x', 'bewaard'); sessionStorage.setItem('y', 'sessie');"
        "setTimeout(function () { document.getElementById('p').textContent = 'na ' + seen; }, 2000);",
        encoding="utf-8",
    )
    assert render(browser, page.as_uri(), 3000, window=(333, 444)).select_one("#p").get_text() == "na null null 333"
    second = render(browser, page.as_uri(), 3000).select_one("#p").get_text()
    wide = browser.evaluate("innerWidth")
    assert wide != 333 and second == f"na null null {wide}"
    assert render(browser, page.as_uri(), 1000).select_one("#p").get_text() == "voor"
    browser.open(page.as_uri(), 3000)  # the same page again keeps what it stored: the check above can fail
    assert browser.dom().count("na bewaard sessie") == 1


def _under_policy(page: Path, body: str) -> Path:
    """A test page with the site's policy for pages with scripts and ``body``."""
    page.write_text(
        f'<!DOCTYPE html><html><head><meta charset="utf-8">{csp.SCRIPTED_META}</head><body>{body}</body></html>',
        encoding="utf-8",
    )
    return page


def test_a_page_that_breaks_the_policy_is_reported(browser, tmp_path):
    """The check below can fail: an inline script and an inline handler under the policy are refused and reported."""
    page = _under_policy(
        tmp_path / "inline.html",
        '<p id="p">leeg</p>'
        "<script>document.getElementById('p').textContent = 'inline';</script>"
        "<img src=\"data:,\" onerror=\"document.getElementById('p').textContent = 'handler'\">",
    )
    dom, violations = _console(browser, page.as_uri())
    assert dom.select_one("#p").get_text() == "leeg"
    assert len(violations) == 2 and "Executing inline script" in violations[0]


def test_a_page_that_asks_another_host_is_seen(browser, tmp_path):
    """The check of every page above can fail: a page that asks another host for an image and a script is
    seen asking (under the site's policy, which refuses both, so nothing leaves the machine), and a fresh page
    after it asks nothing."""
    page = _under_policy(
        tmp_path / "extern.html",
        '<img src="https://example.invalid/logo.png" alt="logo"><script src="https://cdn.example.invalid/x.js">'
        "</script>",
    )
    _, violations = _console(browser, page.as_uri())
    assert browser.requests() == {"https://example.invalid/logo.png", "https://cdn.example.invalid/x.js"}
    assert len(violations) == 2 and "https://example.invalid/logo.png" in violations[0]
    empty = tmp_path / "leeg.html"
    empty.write_text("<!DOCTYPE html><html><body><p>leeg</p></body></html>", encoding="utf-8")
    assert _console(browser, empty.as_uri())[1] == [] and browser.requests() == set()


def test_every_page_works_within_its_policy(site, rendered, browser):
    """Every page loads without a policy violation, and its scripts (files of the site, 'self' from disk)
    still run: search finds and marks, the page of all numbers filters; a query full of markup stays text."""
    for page in _pages(site):
        violations = rendered[page.name][2]
        assert violations == [], f"{page.name}: {violations[:2]}"
    dom, violations = _console(browser, (site / "zoeken.html").as_uri() + "?q=296.145")
    assert violations == [] and dom.select(".search-results li") and dom.select(".search-results mark")
    assert {m.get_text() for m in dom.select(".search-results mark")} == {"296.145"}
    dom, violations = _console(browser, (site / "getallen.html").as_uri() + "?status=wijkt+af")
    assert violations == [] and re.fullmatch(r"\d+ van \d+ getallen", dom.select_one(".claims-count").get_text())
    query = "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%20%3C%2Fmark%3E"
    dom, violations = _console(browser, (site / "zoeken.html").as_uri() + f"?q={query}")
    assert violations == [] and dom.select("main img") == []
    assert (
        dom.select_one(".search-count").get_text()
        == "Geen resultaten voor \u201c<img src=x onerror=alert(1)> </mark>\u201d"
    )


# -------------------------------------------------------------------- the reviewer's pages


def test_the_variant_page_answers_the_reviewer_in_the_browser(variant_site, browser):
    """Leave out a plan, open the page: the summary, per number the published selection beside the
    variant, links that land on the numbers, the comparison cell by cell, and the index row saying so."""
    report_dir = variant_site / "report"
    name = registry.chapter_for("uitvoering", TRANSPORT_VARIANT).name
    dom = _dom(browser, (report_dir / f"{name}.html").as_uri())
    banner = dom.select_one("section.site-variant")
    assert banner.h2.get_text() == "Variant: zonder Transport (t3)"
    assert re.search(r"van de \d+ gedrukte getallen .* houden er \d+ stand en vallen er \d+ weg", banner.get_text())
    for link in dom.select('main a[href^="#"]'):  # every link within the page lands on what it names
        assert dom.find(id=link["href"][1:]) is not None, link["href"]
    row = [td.get_text() for td in dom.find(id="variant-6-04").find_all("td")]
    assert row[3:6] == ["13.122", "13.122", "10.333"]  # printed, published selection, without Transport (t3)
    compare = dom.find("a", string=re.compile("cel voor cel"))["href"]
    cells = _dom(browser, (report_dir / compare).as_uri())
    assert cells.h1.get_text() == "Vergelijking van twee berekeningen van hoofdstuk 6"
    totals = [[td.get_text() for td in tr.find_all("td")] for tr in cells.select("table.site-compare-cells tr")]
    assert ["Totaal", "Gerealiseerd aantal deelnemers", "13.122", "10.333", "-2.789"] in totals  # A.9: Transport 2.789
    index = _dom(browser, (report_dir / "index.html").as_uri())
    variant_rows = [tr.get_text(" ", strip=True) for tr in index.select("table.site-index tr.variant")]
    assert len(variant_rows) == 1 and variant_rows[0].startswith("variant: zonder Transport (t3)")
    assert "houden stand" in variant_rows[0] and "gereproduceerd" not in variant_rows[0]


def test_the_robustness_chapter_lists_the_conclusions_one_plan_breaks(site, rendered):
    """The analysis names each conclusion that one plan alone breaks, by plan name, as many as it counts."""
    chapter = next(c for c in registry.CHAPTERS if c.notebook == "robuustheid")
    dom = _rendered_dom(rendered, site / f"{chapter.name}.html")
    table = next(t for t in dom.find_all("table") if "die aan één plan hangen" in t.caption.get_text())
    count = int(re.search(r"De (\d+) conclusies", table.caption.get_text()).group(1))
    rows = table.tbody.find_all("tr")
    assert count == len(rows) > 0
    plans = {tr.find_all("td")[2].get_text() for tr in rows}
    assert "Transport (t3)" in plans and not any(RAW.match(p) for p in plans)
    sidebar = dom.select_one("nav.site-sidebar").get_text(" ")
    assert sidebar.index("ANALYSE" if "ANALYSE" in sidebar else "Analyse") < sidebar.index("Robuustheid")


# How wide a page lays out in the window: the document's width, the window's (inside its scroll bar), and
# the column headers of the page of all numbers that are hidden or cut off.
_WIDTHS = """(() => ({
  scroll: document.documentElement.scrollWidth, window: document.documentElement.clientWidth,
  columns: document.querySelectorAll('table.claims thead th').length,
  cut: [...document.querySelectorAll('table.claims thead th')]
    .filter(th => th.getBoundingClientRect().width < 20 || th.scrollWidth > th.clientWidth).map(th => th.textContent)
}))()"""


def _widths(browser: DevTools, urls: list[str], width: int = 1280) -> list[dict]:
    """The widths of each page (opened fresh) in a headless Chromium window ``width`` px wide."""
    found = []
    for url in urls:
        render(browser, url, window=(width, 900))
        found.append(browser.evaluate(_WIDTHS))
    return found


def test_the_width_check_sees_a_page_wider_than_the_window(browser, tmp_path):
    page = tmp_path / "breed.html"
    page.write_text(
        '<!DOCTYPE html><html lang="nl"><body style="margin: 0"><div style="width: 2000px">breed</div>'
        '<table class="claims" style="table-layout: fixed; width: 300px"><thead><tr><th>Getal</th>'
        '<th style="width: 10px; white-space: nowrap">Toelichting</th></tr></thead></table></body></html>',
        encoding="utf-8",
    )
    [found] = _widths(browser, [page.as_uri()])
    assert found["scroll"] == 2000 > 1280 >= found["window"] and found["cut"] == ["Toelichting"]


def test_the_page_of_all_numbers_fits_a_window_of_1280_px(site, browser):
    """All numbers, filtered or not, in a 1.280 px window: no sideways scrolling, every column shown whole."""
    url = (site / "getallen.html").as_uri()
    for query, found in zip(("", "?status=wijkt+af"), _widths(browser, [url, url + "?status=wijkt+af"]), strict=True):
        assert found["scroll"] <= found["window"] <= 1280, f"getallen.html{query}: {found['scroll']} px wide"
        assert found["columns"] >= 10 and found["cut"] == [], f"getallen.html{query}: cut off {found['cut']}"
