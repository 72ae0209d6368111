"""The site layer on small pages: sections replaced not repeated, the ledger folded, labels for readers."""

from __future__ import annotations

import pandas as pd

from sectorplannen.render import tables
from sectorplannen.site import claims_page, markup, navigation
from sectorplannen.site.pages import Page

PAGE = (
    '<!DOCTYPE html>\n<html lang="nl"><head><title>Notebook</title></head><body class="jp-Notebook"><main>'
    '<h2 id="Aantal-deelnemers">Aantal deelnemers</h2><p>296.145 deelnemers</p>'
    '<h2 id="Grootboek">Grootboek</h2><style type="text/css">#T_ab12 td {}</style><table id="T_ab12">'
    "<caption>Grootboek: gepubliceerde getallen en de herberekening</caption><tr><td>3-01</td></tr></table>"
    "</main></body></html>"
)
CHAPTERS = [Page("inhoud_tranche-1-2", 2, "Inhoud"), Page("uitvoering_tranche-1-2", 3, "Uitvoering")]


def _claims(page):
    row = dict(place="Tabel 3.1", line="1086", quote="q", computed="58", explanation="uitleg", inputs="001/A.3")
    return [
        claims_page.Claim("3-01", page, "tranche 1 en 2", printed="69", status="gereproduceerd", **row),
        claims_page.Claim("3-02", page, "tranche 1 en 2", printed="64", status="wijkt af", **row),
    ]


def test_decorating_twice_gives_the_same_page():
    once = navigation.decorate(PAGE, CHAPTERS, CHAPTERS[1].href, "Hoofdstuk 3. Uitvoering")
    assert navigation.decorate(once, CHAPTERS, CHAPTERS[1].href, "Hoofdstuk 3. Uitvoering") == once
    assert once.count('class="site-sidebar"') == 1 and "<title>Hoofdstuk 3. Uitvoering</title>" in once
    assert 'href="inhoud_tranche-1-2.html">← Hoofdstuk 2. Inhoud' in once
    assert 'href="getallen.html">Alle getallen →' in once
    assert '<a href="#Aantal-deelnemers">Aantal deelnemers</a>' in once


def test_ledger_folded_into_a_summary_that_links_to_the_page_of_all_numbers():
    page = CHAPTERS[1]
    folded = claims_page.fold_ledger(PAGE, page, _claims(page))
    assert "T_ab12" not in folded and 'id="grootboek"' in folded
    assert 'href="getallen.html?hoofdstuk=uitvoering_tranche-1-2&amp;status=wijkt+af">1</a>' in folded
    assert '<a href="getallen.html#claim-3-02">3-02</a>' in folded  # the number that differs, listed
    assert claims_page.fold_ledger(folded, page, _claims(page)) == folded
    everything = claims_page.page_html(_claims(page), CHAPTERS)
    assert '<tr id="claim-3-01" data-hoofdstuk="uitvoering_tranche-1-2"' in everything
    assert '<a href="uitvoering_tranche-1-2.html#grootboek">Hoofdstuk 3</a>' in everything


def test_search_sections_leave_out_the_site_and_styles():
    sections = markup.sections(navigation.decorate(PAGE, CHAPTERS, CHAPTERS[1].href, "t"))
    assert sections[0] == ("Aantal-deelnemers", "Aantal deelnemers", "296.145 deelnemers")


def test_reference_captions_name_the_table_once_with_its_document():
    assert tables.reference_caption("003", "2.1", "Tabel 2.1 Tabel 2.1 Ontvangen aanvragen") == (
        "Tabel 2.1 (tussenevaluatie DWSRA): Ontvangen aanvragen"
    )
    assert tables.reference_caption("004", "1", "Tabel 1 Tabel 1: Overzicht") == "Tabel 1 (brief 2020): Overzicht"
    assert tables.reference_caption("001", "8.t1", "Tabel 8.t1 Initiatiefnemers") == (
        "Uit de tekst (rapport): Initiatiefnemers"
    )


def test_numbers_that_differ_from_the_report_are_marked_in_the_table():
    frame = pd.DataFrame(
        {"T3 (gedrukt)": ["€ 64 miljoen", "296 duizend"], "T3 (berekend)": [58.4, 296.1]}, index=["budget", "n"]
    )
    html = tables.printed_beside_computed(frame, "Tabel 10.1 (rapport)", "bron").to_html()
    assert "≠ 58,4" in html and ">296,1<" in html and "≠ 296" not in html
    assert "≠ = wijkt af van het gedrukte getal" in html
