"""Chapter notebooks: paired with jupytext, committed without outputs, executed by papermill."""

from __future__ import annotations

import re

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import TRANSPORT_VARIANT, broken_notebook

from sectorplannen import errors, paths
from sectorplannen.chapters import notebook, registry
from sectorplannen.pipeline import report

NOTEBOOKS = sorted((paths.ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs_and_paired(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has outputs"
    assert path.with_suffix(".py").exists(), f"{path.name} has no paired .py"
    import jupytext

    paired = jupytext.read(path.with_suffix(".py"))
    assert [c.source for c in paired.cells] == [c.source for c in nb.cells], f"{path.name} and .py differ"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"


@pytest.fixture
def built(built_report, monkeypatch):
    """Every chapter of the report executed once (papermill) and rendered, forced, into an empty
    folder: the session's shared build (conftest ``built_report``), read through ``paths.OUTPUTS``."""
    monkeypatch.setattr(paths, "OUTPUTS", built_report)
    return built_report / "report"


@pytest.mark.notebook
@pytest.mark.parametrize("chapter", registry.CHAPTERS, ids=lambda c: c.name)
def test_chapter_runs_and_shows_its_tables(built, chapter):
    page = (built / f"{chapter.name}.html").read_text(encoding="utf-8")
    assert (f"Hoofdstuk {chapter.number}" if chapter.section == "Rapport" else f"{chapter.section}:") in page
    if chapter.notebook == "robuustheid":  # reproduces no printed number: no ledger, a verdict on the others
        assert "houden er <strong>" in page and "zonder Transport (t3)" in page
        assert re.search(r"De \d+ conclusies die aan één plan hangen<br/?>", page)  # the table, its count
        assert "Vanuit overig naar baan" in page and "ww-naar-baan" not in page  # names, never ids
        assert (paths.OUTPUTS / "robuustheid" / "per_getal.csv").exists()
        return
    assert "Grootboek" in page
    assert "<table" in page and ("data:image/png;base64" in page or chapter.notebook == "kerncijfers")  # no figure
    assert "Traceback" not in page and "Error" not in page.split("Grootboek")[0][-2000:]
    if chapter.notebook == "arbeidsmarktpositie":
        assert "SYNTHETISCHE GEGEVENS" in page and "(SYNTHETISCHE GEGEVENS)" in page
        assert "geen effecten" in page
    if chapter.notebook == "kerncijfers":
        assert "Overzicht kerncijfers uitvoering sectorplannen" in page and "296,1" in page
    if chapter.notebook == "monitoring":
        assert "430.000" in page and "296.145" in page
    if chapter.notebook == "uitvoering":
        assert "Gepland en gerealiseerd aantal deelnemers" in page
        assert "296.145" in page or chapter.parameters["tranche"] == "3"
        assert "13.122" in page or chapter.parameters["tranche"] == "1-2"
    ledger = pd.read_csv(notebook.ledger_path(chapter.name))
    assert len(ledger) > 0
    assert set(ledger["status"]) <= {
        "gereproduceerd",
        "wijkt af",
        "niet berekenbaar",
        "overgenomen",
        "niet gekalibreerd (synthetisch)",
        "gekalibreerd (synthetisch)",
        "nagerekend (zelfde tabel)",
        "onderdrukt",
    }
    assert ledger["verklaard"].all(), "a claim differs without an explanation"


@pytest.mark.notebook
def test_index_links_chapters_in_report_order(built):
    page = (built / "index.html").read_text(encoding="utf-8")
    positions = [page.index(f'href="{c.name}.html"') for c in sorted(registry.CHAPTERS, key=lambda c: c.number)]
    assert positions == sorted(positions)
    assert "gereproduceerd" in page


@pytest.mark.notebook
def test_rerun_with_other_parameters_does_not_overwrite(variant_site, monkeypatch):
    monkeypatch.setattr(paths, "OUTPUTS", variant_site)  # the report with the variant added (conftest)
    built = variant_site / "report"
    chapter = registry.chapter_for("uitvoering", TRANSPORT_VARIANT)
    html = built / f"{chapter.name}.html"
    assert html.name == "uitvoering_exclude_plans-transport-t3_tranche-3.html"
    assert (built / "uitvoering_tranche-3.html").exists()
    page = html.read_text(encoding="utf-8")
    assert "zonder Transport (t3)" in page
    ledger = pd.read_csv(notebook.ledger_path(chapter.name))
    assert set(ledger["status"]) <= {"andere selectie", "niet berekenbaar"}
    # the reviewer reads per number the published selection, this run and the difference: 6-04 ("13.122
    # deelnemers weten te realiseren") loses Transport (t3)'s 2.789 realised participants (Tabel A.9 total row)
    soup = BeautifulSoup(page, "html.parser")
    row = [td.get_text() for td in soup.find(id="variant-6-04").find_all("td")]
    assert row[3:8] == ["13.122", "13.122", "10.333", "-2.789", "nee, valt weg"]
    summary = soup.select_one("section.site-variant").get_text(" ", strip=True)
    broken = (ledger["standaard_status"].isin(["gereproduceerd", "nagerekend (zelfde tabel)", "overgenomen"])
              & (ledger["houdt_stand"] == "nee")).sum()
    assert f"vallen er {broken} weg" in summary and "tekst (13.122)" in summary
    compare = soup.find("a", string=re.compile("cel voor cel"))["href"]
    cells = BeautifulSoup((built / compare).read_text(encoding="utf-8"), "html.parser")
    totals = [[td.get_text() for td in tr.find_all("td")] for tr in cells.select("table.site-compare-cells tr")]
    assert ["Totaal", "Gerealiseerd aantal deelnemers", "13.122", "10.333", "-2.789"] in totals


@pytest.mark.notebook
def test_failing_chapter_names_chapter_cell_and_error(tmp_path, monkeypatch):
    broken_notebook(tmp_path, "inhoud")
    monkeypatch.setattr(paths, "NOTEBOOKS", tmp_path)
    chapter = registry.Chapter("inhoud", 2, "test", {"tranche": "1-2"})
    with pytest.raises(errors.ChapterFailed, match=r"chapter 2 \(inhoud.*failed in cell \d+: RuntimeError: kapot"):
        report.execute(chapter, tmp_path / "out")
    assert not (tmp_path / "out" / "inhoud_tranche-1-2.ipynb").exists()
    assert (tmp_path / "out" / "inhoud_tranche-1-2.failed.ipynb").exists()


def test_bad_parameters_fail_before_execution(tmp_path):
    chapter = registry.Chapter("uitvoering", 3, "test", {"tranche": "4"})
    with pytest.raises(ValueError, match="tranche must be one of"):
        report.execute(chapter, tmp_path)
    assert not any(tmp_path.iterdir())
