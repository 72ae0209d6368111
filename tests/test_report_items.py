"""Every table and figure of the report accounted for (issue 22, point 6): the list
(data/claims/tabellen_figuren.yaml) against the seed, the figures' series against Bijlage A cells by hand,
the chapter pages and the page "Tabellen en figuren" of the session's built report against the list, and
the README's list against it."""

from __future__ import annotations

import csv
import html
import re

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from sectorplannen import claims, paths
from sectorplannen.chapters import registry, report_figures
from sectorplannen.errors import DataFileError
from sectorplannen.site import figures_page, markup
from sectorplannen.site.pages import FIGURES
from sectorplannen.sources import report_items
from sectorplannen.statistics import bijlage
from sectorplannen.statistics.selection import validate

SEED = next((paths.ROOT.parent / "shared" / "seeds").glob("001_*.txt"))
LINES = SEED.read_text(encoding="utf-8").split("\n")
ITEMS = report_items.items()
REFERENCE = re.compile(r"\b(Tabel|Figuur) ((?:\d+|[AS])\.\d+)")


def _joined(first: int, last: int) -> str:
    """Seed lines first..last (1-based) as one text: blank lines dropped, words hyphenated across a break joined."""
    text = ""
    for line in (x.strip() for x in LINES[first - 1 : last]):
        if line:
            text = text[:-1] + line if text.endswith("-") and not text.endswith(" -") else f"{text} {line}".strip()
    return text


# -------------------------------------------------------------------- the list against the seed


def test_every_table_and_figure_of_the_report_is_listed_once():
    printed = {f"{kind} {number}" for line in LINES for kind, number in REFERENCE.findall(line)}
    listed = [i.id for i in ITEMS]
    assert len(listed) == len(set(listed))
    assert printed == set(listed), (
        f"missing: {sorted(printed - set(listed))}; not in the report: {set(listed) - printed}"
    )
    assert sum(i.kind == "Figuur" for i in ITEMS) == 41 and sum(i.kind == "Tabel" for i in ITEMS) == 24


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.id)
def test_caption_is_the_report_s_own(item):
    """The title is printed on the item's lines, right after its number (a footnote mark aside)."""
    text = re.sub(r"\)3[78]$", ")", _joined(*item.lines))
    assert text == f"{item.id} {item.title}", text


def test_what_is_not_reproduced_names_the_absent_data():
    missing = [i for i in ITEMS if i.status == "niet gereproduceerd"]
    assert {i.id for i in missing} == {"Tabel 2.1", "Figuur 2.3", "Figuur 5.2"}
    for item in missing:
        assert claims.missing_input(item.reason), f"{item.id}: the reason names no absent input"
    assert all(i.reason.startswith(("Invoer", "Nagerekend")) for i in ITEMS if i.status == "invoer")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"id": "Figuur 3"}, "id must be 'Tabel X.Y' or 'Figuur X.Y', not 'Figuur 3'"),
        ({"lines": [1293]}, "Figuur 3.2: lines must be [first, last] line numbers"),
        ({"title": " "}, "Figuur 3.2: title is empty"),
        ({"notebook": "uitvoer"}, "Figuur 3.2: notebook must be one of"),
        ({"status": "klaar"}, "Figuur 3.2: status must be one of"),
        ({"status": "niet gereproduceerd"}, "Figuur 3.2: a 'niet gereproduceerd' entry needs a reason"),
    ],
)
def test_a_wrong_entry_is_refused_with_its_place(change, words):
    good = {
        "id": "Figuur 3.2",
        "lines": [1293, 1293],
        "title": "t",
        "notebook": "uitvoering",
        "status": "gereproduceerd",
    }
    with pytest.raises(DataFileError) as error:
        report_items.parse([{**good, **change}])
    assert words in str(error.value) and "tabellen_figuren.yaml" in str(error.value)
    with pytest.raises(DataFileError, match=r"Figuur 3\.2: listed twice"):
        report_items.parse([good, good])
    with pytest.raises(DataFileError, match=r"Tabel 3\.1: a reproduced table needs the anchor"):
        report_items.parse([{**good, "id": "Tabel 3.1"}])


def _claims_on(item) -> list[dict]:
    rows = []
    for path in sorted(claims.CLAIMS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += [r for r in csv.DictReader(handle) if r["source"] == "001"]
    first, last = item.lines
    out = []
    for row in rows:
        start, _, end = row["line"].partition("-")
        if (int(start) <= last and int(end or start) >= first) or row["location"] == item.id:
            out.append(row)
    return out


NUMBER_WORDS = re.compile(r"\d|procent|op de|helft|driekwart|merendeel|grootste|alle|meeste|grootst", re.IGNORECASE)


@pytest.mark.parametrize("item", [i for i in ITEMS if i.kind == "Figuur"], ids=lambda i: i.id)
def test_the_numbers_a_figure_prints_are_claims(item):
    """A caption that prints a number, a share in words or a rank is registered in the claims."""
    found = _claims_on(item)
    if NUMBER_WORDS.search(re.sub(r"\(tranche \d\)", "", item.title)):  # a tranche's number is no claim
        assert found, f"{item.id}: '{item.title}' prints a number that no claim registers"
    if item.id == "Figuur 4.1":  # the labels printed in the figure itself (l. 2059-2139)
        assert sum(r["location"] == "Figuur 4.1" for r in found) == 38


# -------------------------------------------------------------------- series by hand from Bijlage A


@pytest.fixture(scope="module")
def t12():
    return bijlage.load(validate(tranche="1-2", exclude_plans=[], top_n=20))


@pytest.fixture(scope="module")
def t3():
    return bijlage.load(validate(tranche="3", exclude_plans=[], top_n=20))


def test_figure_3_2_bouw_is_its_row_of_a_3(t12):
    from sectorplannen.chapters import uitvoering

    top = uitvoering.top_plans(t12, "deelnemers_gerealiseerd", 20)
    assert top.index[0] == "Bouw"  # the caption: 'Sectorplan Bouw heeft verreweg het grootste aantal'
    # Tabel A.3, line 9087: Bouw 3.903, -, 6.180, 3.744, 19.952, 245 (totaal 34.024)
    assert top.loc["Bouw"].tolist() == [3903, 0, 6180, 3744, 19952, 245]


def test_figure_a_2_is_a_3_over_a_2_per_plan(t12):
    from sectorplannen.chapters import uitvoering
    from sectorplannen.statistics.indicators import Indicators

    rates = uitvoering.per_plan(Indicators(t12)).set_index("plan")["realisatie_deelnemers"]
    assert rates["Logistiek Twente"] == pytest.approx(100 * 144 / 88)  # A.3 l. 9140 totaal / A.2 l. 8899 totaal
    assert rates["Bouw"] == pytest.approx(100 * 34024 / 34780)  # A.3 l. 9087 / A.2 l. 8846
    assert rates.idxmax() == "Logistiek Twente"


def test_figure_a_1_classes(t12):
    classes = report_figures.realisation_classes(t12, "deelnemers")
    assert list(classes.columns) == ["Minder dan 50%", "50% tot 90%", "90% tot 110%", "110% en hoger"]
    # every plan with something planned or realised in a theme is in one class of that theme
    planned, realised = t12["deelnemers_gepland"].fillna(0), t12["deelnemers_gerealiseerd"].fillna(0)
    counted = ((planned > 0) | (realised > 0)).sum()
    assert classes.sum(axis=1).tolist() == counted.tolist()
    # Bouw leerwerkplekken: 3.744 of 4.500 (A.3 l. 9087, A.2 l. 8846) = 83,2%: class 50% tot 90%
    one = report_figures.rate_classes(
        t12["deelnemers_gepland"].loc[["bouw"]], t12["deelnemers_gerealiseerd"].loc[["bouw"]]
    )
    assert one.loc["leerwerkplekken"].tolist() == [0, 1, 0, 0]


def test_rate_classes_follow_the_report_s_footnotes():
    planned = pd.DataFrame({"a": [100, 100, np.nan, np.nan, 100, 0]}, index=list("pqrstu"))
    realised = pd.DataFrame({"a": [49, 109.9, 5, np.nan, np.nan, 3]}, index=list("pqrstu"))
    # p 49% -> < 50; q 109,9% -> 90-110; r nothing planned, 5 realised -> 110% en hoger (footnote 37);
    # s neither -> not counted; t planned, nothing realised -> 0% -> < 50; u planned 0, realised 3 -> 110% en hoger
    assert report_figures.rate_classes(planned, realised).loc["a"].tolist() == [2, 0, 1, 2]


def test_figure_5_1_counts_plans_with_realised_participants(t3):
    counts = report_figures.plans_with_realised(t3)
    # Tabel A.9: all 24 plans have participants from WW to a job ('Alle plannen hebben deelnemers vanuit een
    # WW-uitkering naar een baan begeleid')
    assert counts["Vanuit WW-uitkering naar baan"] == 24 == len(t3.plan_ids)
    assert counts.max() == 24 and (counts <= 24).all()


def test_figure_2_1_sums_the_plan_rows_of_a_1(t12):
    from sectorplannen.chapters import inhoud
    from sectorplannen.statistics.indicators import Indicators

    measures = inhoud.per_category(Indicators(t12))["maatregelen"]
    a1 = pd.read_csv(paths.PUBLISHED / "001" / "A.1.csv")
    plans = a1[~a1["is_total_row"] & ~a1["is_total_column"]]
    by_hand = plans.groupby("category")["value"].sum()
    assert measures["Om- en bijscholing"] == by_hand["Om- en bijscholing"] == 213
    # the Totaal row of A.1 prints 222 (and the text '222 van de 558'): its plan rows add up to 213
    assert a1[a1["is_total_row"] & (a1["category"] == "Om- en bijscholing")]["value"].item() == 222


def test_participant_series_picks_the_figure_s_groups():
    columns = ["n", "Werknemer", "WW"]
    shares = {
        "inkomen": pd.DataFrame([[100, 80, 20], [10, 70, 30]], index=["Totaal", "Gezondheid"], columns=columns),
        "inkomen_maatregel": pd.DataFrame([[10, 70, 30], [4, 50, np.nan]], index=["Totaal", "X"], columns=columns),
    }
    figure_4_15 = report_figures.participant_series(shares, "4.15", "1-2")
    assert figure_4_15.index.tolist() == ["Totaal tranches 1 en 2 (100)", "Gezondheid (10)"]
    figure_4_1 = report_figures.participant_series(shares, "4.1", "1-2")
    assert figure_4_1.index.tolist() == ["Totaal tranches 1 en 2 (100)", "Arbeidsmobiliteit (10)", "X (4)"]
    assert np.isnan(figure_4_1.loc["X (4)", "WW"])  # a suppressed cell stays empty
    assert set(report_figures.PARTICIPANT_FIGURES) == {
        i.number for i in ITEMS if i.notebook == "arbeidsmarktpositie" and i.kind == "Figuur"
    }


# -------------------------------------------------------------------- the README


def test_readme_lists_every_table_and_figure_as_the_list_does():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(figures_page.README_START), readme.index(figures_page.README_END)
    block = readme[start : end + len(figures_page.README_END)]
    assert block == figures_page.readme_list(), "README list differs: print figures_page.readme_list() into README"


# -------------------------------------------------------------------- the built report


def _page_of(item) -> str:
    return next(
        c.name
        for c in registry.CHAPTERS
        if c.notebook == item.notebook and c.parameters.get("tranche", "") == item.tranche
    )


def _figures(page_html: str) -> dict:
    """anchor -> the <figure> of every figure of the report on a page."""
    return {f["id"]: f for f in BeautifulSoup(page_html, "html.parser").select("figure.rapportfiguur")}


def _figure_captions(page_html: str) -> dict[str, str]:
    """anchor -> caption text of every figure of the report on a page."""
    return {anchor: f.figcaption.get_text() for anchor, f in _figures(page_html).items()}


@pytest.mark.parametrize(
    "item", [i for i in ITEMS if i.kind == "Figuur" and i.chapter in "23456789"], ids=lambda i: i.id
)
def test_every_figure_of_chapters_2_to_9_is_on_its_chapter_page(built_site, item):
    page = (built_site / f"{_page_of(item)}.html").read_text(encoding="utf-8")
    captions = _figure_captions(page)
    assert captions.get(report_items.anchor(item.id)) == item.caption, f"{item.id} not under its number"
    figure = _figures(page)[report_items.anchor(item.id)]
    if item.status == "gereproduceerd":
        assert figure.img is not None and figure.img["src"].startswith("data:image/png;base64,")
        if item.notebook == "arbeidsmarktpositie":  # values of the synthetic file, said beside the figure
            assert "SYNTHETISCHE deelnemersbestand" in figure.get_text()
    else:
        assert figure.img is None and "Niet gereproduceerd" in figure.get_text()
        assert claims.missing_input(figure.get_text())


def test_chapter_pages_caption_figures_as_the_list_does(built_site):
    """No page shows a report figure the list does not place there, nor under another title."""
    by_anchor = {report_items.anchor(i.id): i for i in ITEMS if i.kind == "Figuur"}
    seen = set()
    for chapter in registry.CHAPTERS:
        page = (built_site / f"{chapter.name}.html").read_text(encoding="utf-8")
        for anchor, caption in _figure_captions(page).items():
            item = by_anchor[anchor]
            assert _page_of(item) == chapter.name, f"{item.id} shown on {chapter.name}"
            assert caption == item.caption
            seen.add(anchor)
    assert seen == set(by_anchor)  # every figure (Bijlage A's too) placed, drawn or accounted for


def test_reproduced_tables_are_under_their_heading(built_site):
    for item in (i for i in ITEMS if i.kind == "Tabel" and i.anchor):
        page = (built_site / f"{_page_of(item)}.html").read_text(encoding="utf-8")
        assert f'id="{item.anchor}"' in page, f"{item.id}: no heading {item.anchor} on {_page_of(item)}"
    shown = (built_site / "uitvoering_tranche-3.html").read_text(encoding="utf-8")
    assert "Tabel 6.3 (rapport): Financiering per sectorplan" in shown


def test_page_lists_every_table_and_figure_with_working_links(built_site):
    page = (built_site / FIGURES).read_text(encoding="utf-8")
    rows = re.findall(r'<tr id="([^"]+)">(.*?)</tr>', page, flags=re.DOTALL)
    assert [anchor for anchor, _ in rows] == [report_items.anchor(i.id) for i in ITEMS]
    for (_, row), item in zip(rows, ITEMS, strict=True):
        text = markup.plain(row)
        assert text.startswith(f"{item.id} {item.title}"), text
        if item.reason:
            assert item.reason in text
    for link in sorted(set(re.findall(r'href="([^"#]+\.html)(?:#([^"]*))?"', page))):
        target = built_site / link[0]
        assert target.exists(), link
        if link[1]:
            assert f'id="{html.escape(link[1])}"' in target.read_text(encoding="utf-8"), link
    figure_4_1 = next(row for anchor, row in rows if anchor == "figuur-4-1")
    assert "4-60" in figure_4_1 and "gekalibreerd (synthetisch)" in figure_4_1  # the caption's 80 procent
    assert '<span class="synthetisch">synthetisch</span>' in figure_4_1  # drawn from the synthetic file
    assert "synthetisch</span>" not in dict(rows)["figuur-3-2"]
    index = (built_site / "index.html").read_text(encoding="utf-8")
    assert f'href="{FIGURES}"' in index  # in the sidebar, as the other reference pages


def test_labels_met_by_the_synthetic_file_are_no_evidence(built_report):
    """The numbers the participant figures print, computed from the synthetic file, are never
    'gereproduceerd' (the file was calibrated to them)."""
    checked = 0
    for group in ("1-2", "3"):
        path = built_report / "ledger" / f"arbeidsmarktpositie_tranche-{group}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            ledger = {row["claim"]: row for row in csv.DictReader(handle)}
        for item in (i for i in ITEMS if i.notebook == "arbeidsmarktpositie" and i.tranche == group):
            for claim in _claims_on(item):
                row = ledger.get(claim["id"])
                if row and "deelnemersbestand" in row["invoer_ids"]:
                    assert row["status"] != claims.STATUS_REPRODUCED, claim["id"]
                    checked += 1
    assert checked > 50
