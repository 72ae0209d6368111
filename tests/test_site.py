"""The site layer on a small site made from fabricated build records (no notebook runs): every page is
rendered once from templates, the ledger's place holds its summary, a variant shows what it changes
beside the published selection, two runs are compared per number and per table cell, and the notebook
side (the exporter) cuts the cells at the ledger and keeps the tables as data."""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import fake_run
from nbformat import v4

from sectorplannen import site
from sectorplannen.errors import ParameterError
from sectorplannen.pipeline import exporter
from sectorplannen.render import outputs as marks
from sectorplannen.render import style, tables
from sectorplannen.site import claims_page, comparison, layout, markup, pages, variants

DEFAULT = "uitvoering_tranche-3"
VARIANT = "uitvoering_exclude_plans-transport-t3_tranche-3"
OTHER = "inhoud_tranche-3"
COLUMNS = ["claim", "plaats", "regel", "tekst", "gepubliceerd", "berekend", "status", "toelichting", "invoer"]
VARIANT_COLUMNS = [*COLUMNS, "standaard", "verschil", "standaard_status", "houdt_stand"]
TABLE = {
    "caption": "Tabel 6.1 (rapport): deelnemers",
    "index_levels": 1,
    "head": [["", "Gepland", "Gerealiseerd"]],
    "rows": [["Werk naar werk", "1.860", "1.711"], ["Totaal", "14.312", "13.122"]],
}
VARIANT_TABLE = {**TABLE, "rows": [["Werk naar werk", "1.783", "1.711"], ["Totaal", "11.524", "10.333"]]}


def _cells(heading: str) -> str:
    return (
        f'<div class="jp-Cell"><h1 id="{heading}">{heading}<a class="anchor-link" href="#{heading}">¶</a></h1>'
        '<h2 id="Aantal-deelnemers">Aantal deelnemers</h2><p>13.122 deelnemers</p>'
        '<h2 id="Grootboek">Grootboek</h2><p>Het grootboek zegt per getal wat er mee gedaan is.</p></div>'
    )


def _row(claim, printed, computed, status, **extra):
    return {
        "claim": claim,
        "plaats": "tekst",
        "regel": "3520",
        "tekst": f"zin met {printed}",
        "gepubliceerd": printed,
        "berekend": computed,
        "status": status,
        "toelichting": "uitleg",
        "invoer": "001/A.9",
        **extra,
    }


UNCHANGED = _row(  # 6-08 without Transport (t3): the same value, still holding
    "6-08",
    "24",
    "24",
    "andere selectie",
    standaard="24",
    verschil="",
    standaard_status="gereproduceerd",
    houdt_stand="ja",
)


@pytest.fixture
def small_site(scratch) -> Path:
    """Two chapters and a variant as a build leaves them, made a site; returns the report folder."""
    outputs, _ = scratch
    fake_run(outputs, OTHER, 5, {"tranche": "3"}, [_row("5-01", "24", "24", "gereproduceerd")])
    default_rows = [
        _row("6-04", "13.122", "13.122", "gereproduceerd"),
        _row("6-08", "24", "24", "gereproduceerd"),
        _row("6-05", "92", "91", "wijkt af"),
        _row("6-01", "76", "", "niet berekenbaar"),
    ]
    fake_run(outputs, DEFAULT, 6, {"tranche": "3"}, default_rows, [TABLE])
    variant_rows = [  # as claims.evaluation.beside_default writes them (hand-made values)
        _row(
            "6-04",
            "13.122",
            "10.333",
            "andere selectie",
            standaard="13.122",
            verschil="-2.789",
            standaard_status="gereproduceerd",
            houdt_stand="nee",
        ),
        UNCHANGED,
        _row(
            "6-05",
            "92",
            "90",
            "andere selectie",
            standaard="91",
            verschil="-1,6",
            standaard_status="wijkt af",
            houdt_stand="nee",
        ),
        _row(
            "6-01",
            "76",
            "",
            "niet berekenbaar",
            standaard="",
            verschil="",
            standaard_status="niet berekenbaar",
            houdt_stand="",
        ),
    ]
    fake_run(outputs, VARIANT, 6, {"tranche": "3", "exclude_plans": ["transport-t3"]}, variant_rows, [VARIANT_TABLE])
    site.build(outputs / "report")
    return outputs / "report"


def _soup(report: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((report / name).read_text(encoding="utf-8"), "html.parser")


def test_a_chapter_page_is_rendered_once_with_its_frame_and_ledger_summary(small_site):
    page = _soup(small_site, f"{DEFAULT}.html")
    assert page.title.string == "Hoofdstuk 6. Titel 6 – Sectorplannen: reproductie"
    assert len(page.select("nav.site-sidebar")) == 1
    assert page.select_one("a.current")["href"] == f"{DEFAULT}.html"
    assert page.select_one("a.prev")["href"] == f"{OTHER}.html"
    assert [a["href"] for a in page.select(".site-toc a")] == ["#Aantal", "#Grootboek", "#Na"]
    main = str(page.main)  # the summary stands between the cells before and after the ledger
    assert main.index("13.122 deelnemers") < main.index('id="grootboek"') < main.index("slot")
    counts = {tr.td.get_text(): tr.a["href"] for tr in page.select("table.site-ledger-counts tbody tr")}
    assert counts == {
        "gereproduceerd": f"getallen.html?hoofdstuk={DEFAULT}&status=gereproduceerd",
        "wijkt af": f"getallen.html?hoofdstuk={DEFAULT}&status=wijkt+af",
        "niet berekenbaar": f"getallen.html?hoofdstuk={DEFAULT}&status=niet+berekenbaar",
    }
    assert page.select_one("table.site-ledger-differs a")["href"] == "getallen.html#claim-6-05"
    assert "Commit 0123456789ab" in page.select_one("footer.sectorplannen-provenance").get_text()
    before = (small_site / f"{DEFAULT}.html").stat().st_mtime_ns
    site.build(small_site)  # the same records give the same page, left as it was
    assert (small_site / f"{DEFAULT}.html").stat().st_mtime_ns == before


def test_a_variant_page_shows_each_number_beside_the_published_selection(small_site):
    page = _soup(small_site, f"{VARIANT}.html")
    banner = page.select_one("section.site-variant").get_text(" ", strip=True)
    # hand count: 6-04 and 6-08 hold with the published selection (6-05 differs there, 6-01 is not
    # computable); without Transport 6-08 still holds and 6-04 does not
    assert "Variant: zonder Transport (t3)" in banner
    assert (
        "van de 2 gedrukte getallen die met de gepubliceerde selectie van plannen kloppen, houden er 1 stand" in banner
    )
    assert "vallen er 1 weg" in banner and "Deze conclusies vallen weg: tekst (13.122)" in banner
    rows = {
        tr["id"]: [td.get_text() for td in tr.find_all("td")] for tr in page.select("table.site-variant-table tbody tr")
    }
    assert rows["variant-6-04"][3:8] == ["13.122", "13.122", "10.333", "-2.789", "nee, valt weg"]
    assert rows["variant-6-05"][7] == "klopte al niet"
    assert page.select_one("a.current")["href"] == f"{DEFAULT}.html"  # the sidebar shows its chapter
    link = page.select_one("table.site-variant-broken a")["href"]
    assert link == "#variant-6-04" and page.find(id="variant-6-04") is not None  # the link lands on the number
    assert page.select_one("#grootboek a")["href"] == "#variant-getallen"
    compare = comparison.href(pages.Page(DEFAULT, 6, ""), pages.Page(VARIANT, 6, ""))
    assert page.find("a", href=compare) is not None and (small_site / compare).is_file()


def test_the_index_says_what_a_variant_changes(small_site):
    rows = [
        tr.get_text(" ", strip=True) for tr in _soup(small_site, "index.html").select("table.site-index tr.variant")
    ]
    assert rows == [
        "variant: zonder Transport (t3) gepubliceerde tabellen 1 van de 2 kloppende getallen houden stand, 1 vallen weg"
    ]


def test_two_runs_are_compared_per_number_and_per_table_cell(small_site):
    page = _soup(small_site, comparison.href(pages.Page(DEFAULT, 6, ""), pages.Page(VARIANT, 6, "")))
    claims = [[td.get_text() for td in tr.find_all("td")] for tr in page.select("table.site-compare-claims tbody tr")]
    assert ["tekst", "zin met 13.122", "13.122", "13.122", "10.333", "-2.789", "ja", "nee"] in claims
    assert not any(row[1] == "zin met 24" for row in claims)  # 6-08: the same in both, not listed
    cells = [[td.get_text() for td in tr.find_all("td")] for tr in page.select("table.site-compare-cells tbody tr")]
    assert cells == [  # Gerealiseerd of 'Werk naar werk' is the same in both
        ["Werk naar werk", "Gepland", "1.860", "1.783", "-77"],
        ["Totaal", "Gepland", "14.312", "11.524", "-2.788"],
        ["Totaal", "Gerealiseerd", "13.122", "10.333", "-2.789"],
    ]


def test_compare_asks_for_built_runs_of_one_chapter(small_site):
    build = small_site.parent / ".build"
    every = pages.chapter_pages(small_site)
    with pytest.raises(ParameterError, match=r"^A='nergens' is no built run: give the name of a page"):
        comparison.request(build, every, "nergens", VARIANT)
    with pytest.raises(ParameterError, match="are runs of different chapters"):
        comparison.request(build, every, OTHER, VARIANT)
    a, b = comparison.request(build, every, f"outputs/report/{VARIANT}.html", DEFAULT)
    assert (a.name, b.name) == (VARIANT, DEFAULT) and comparison.requested(build) == [(VARIANT, DEFAULT)]
    site.build(small_site)
    assert (small_site / comparison.href(a, b)).is_file()


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("13.122", "10.333", "-2.789"),
        ("4,2", "3,4", "-0,8"),
        ("€ 65,6", "€ 52,9", "-12,7"),
        ("92%", "90%", "-2"),
        ("24", "24", "0"),
        ("ICT", "Installatie", ""),
        ("1.860", "1.860,5", "+0,5"),
    ],
)
def test_differences_read_dutch_numbers(a, b, expected):
    assert comparison.difference(a, b) == expected


def test_the_exporter_cuts_the_cells_at_the_ledger_and_keeps_the_tables_as_data():
    frame = pd.DataFrame({"Gepland": [1860.0]}, index=pd.Index(["Werk & werk"], name="Type traject"))
    styled = style.table(frame, {"Gepland": lambda v: f"{v:,.0f}".replace(",", ".")}, "Tabel 6.1 <deelnemers>", "bron")
    bundle = styled._repr_mimebundle_()
    assert bundle[marks.TABLE_MIME] == {
        "caption": "Tabel 6.1 <deelnemers> Bron: bron",
        "index_levels": 1,
        "head": [["", "Gepland"], ["Type traject", ""]],
        "rows": [["Werk & werk", "1.860"]],
    }
    ledger = tables.ledger(pd.DataFrame([_row("6-01", "76", "76", "gereproduceerd")]))
    nb = v4.new_notebook(
        cells=[
            v4.new_markdown_cell("# Hoofdstuk 6"),
            v4.new_code_cell(
                "",
                outputs=[
                    v4.new_output(
                        "display_data", data={"text/html": "<p>voor</p>", marks.TABLE_MIME: bundle[marks.TABLE_MIME]}
                    ),
                    v4.new_output(
                        "display_data", data={"text/html": ledger.to_html()}, metadata=marks.ledger_metadata()
                    ),
                    v4.new_output("display_data", data={"text/html": "<p>na</p>"}),
                ],
            ),
        ]
    )
    before, after = exporter.split_at_ledger(nbformat.from_dict(nb))
    assert [len(c.get("outputs", [])) for c in before.cells] == [0, 1] and len(after.cells) == 1
    parts = exporter.parts(nbformat.from_dict(nb))
    assert parts["title"] == "Hoofdstuk 6" and parts["ledger"] is True
    assert "voor" in parts["before"] and "na" not in parts["before"] and "na" in parts["after"]
    assert "6-01" not in parts["before"] + parts["after"]  # the ledger itself is left to the site
    assert parts["tables"] == [bundle[marks.TABLE_MIME]]
    assert "<html" not in parts["before"] and "<script" not in parts["before"]


def test_contents_and_search_read_the_cells():
    cells = _cells("Hoofdstuk-6")
    assert layout.contents(cells, (2, "variant-getallen", "Getallen"))[-1] == (2, "variant-getallen", "Getallen")
    assert markup.sections(cells)[1] == ("Aantal-deelnemers", "Aantal deelnemers", "13.122 deelnemers")


def test_variant_words_and_counts_come_from_the_ledger(tmp_path):
    path = tmp_path / "v.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=VARIANT_COLUMNS)
        writer.writeheader()
        writer.writerow({**UNCHANGED, "standaard_status": "overgenomen"})
    page = pages.Page(
        VARIANT, 6, "t", {"tranche": "3", "exclude_plans": ["transport-t3"]}, variant=True, notebook="uitvoering"
    )
    context = variants.context(page, path, pages.Page(DEFAULT, 6, "t", {"tranche": "3"}), None)
    assert context["counts"] == {"holding": 1, "kept": 1, "broken": 0}
    assert context["summary"][0].endswith(  # 6-08: the same 24 with and without Transport (t3)
        "1 ervan veranderen niet door deze keuze (ze hangen niet af van de plannen die meetellen); van de 0 die "
        "wel veranderen, houden er 0 stand op de afronding van het rapport."
    )


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


def test_a_line_names_its_document_unless_it_is_the_final_evaluation():
    assert claims_page.line_words("1086", "001") == "1086"  # the report the chapters reproduce
    assert claims_page.line_words("212", "000") == "212 (de voortgangsbrief van 2017)"
    assert claims_page.line_words("975-981", "003") == "975-981 (de tussenevaluatie van de DWSRA)"
    assert claims_page.line_words("", "003") == ""
