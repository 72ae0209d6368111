"""Nothing from an extract or a parameter becomes markup, and every page carries the Content-Security-Policy.

Markup is planted in every string that reaches a page (the labels of an extract's categories, the
reason given in ``min_cell_override``, plan names, run names and titles, the ledger's texts) and
every writer is asked to render it: the table writer, the sentences, the figures' descriptions, the
provenance footer, the index, the page of all numbers, the search index and the PDF's document. The
output is parsed as a browser parses it and must hold the planted text as text, with no element or
attribute made from it. The same check on the unescaped writers (pandas' own Styler, raw Markdown)
must find the live elements: the check can fail.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import QUICK_CHAPTERS, fake_run

from sectorplannen import errors, notation
from sectorplannen.chapters import registry
from sectorplannen.pipeline import csp, provenance
from sectorplannen.render import escaping, figures, sentences, style, tables
from sectorplannen.site import claims_page, search
from sectorplannen.site import pdf as site_pdf
from sectorplannen.site.pages import Page

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(1)</script>"
ATTRIBUTE = '"><b>x</b>'
PLANTED = [IMG, SCRIPT, ATTRIBUTE]
EVERYTHING = " ".join(PLANTED)  # one string with all three (as a one-line parameter holds them)


def markdown_html(text: str) -> str:
    """Markdown as nbconvert renders a ``display(Markdown(...))`` output into a chapter page."""
    from nbconvert.filters.markdown import markdown2html

    return markdown2html(text)


def live_markup(page: str) -> list[str]:
    """What planted markup became in ``page``, parsed as a browser parses it: any ``img``, ``b`` or inline
    ``script`` element, any ``on...`` attribute, any attribute or tag name made of a planted fragment."""
    soup = BeautifulSoup(page, "html.parser")
    found = []
    for tag in soup.find_all(True):
        if tag.name in ("b",) or (tag.name == "img" and not str(tag.get("src", "")).startswith("data:image/")):
            found.append(str(tag)[:80])
        if tag.name == "script" and (tag.string or "").strip():
            found.append(str(tag)[:80])
        for attribute in tag.attrs:
            if attribute.startswith("on") or '"' in attribute or "<" in attribute or ">" in attribute:
                found.append(f"{tag.name} {attribute}")
    return found


def assert_inert(page: str, planted=PLANTED) -> None:
    """``page`` holds each planted string as text and no element or attribute made from one."""
    assert live_markup(page) == []
    text = BeautifulSoup(page, "html.parser").get_text()
    for fragment in planted:
        assert fragment in text, f"{fragment!r} is not shown as text"


def assert_policy_first(page: str, name: str) -> None:
    """``page`` carries the report's policy in its head, before any style, script or link it could govern:
    the policy without script, or (only on a page that loads the site's scripts) the one with them."""
    soup = BeautifulSoup(page, "html.parser")
    head = soup.head
    policies = head.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
    expected = csp.SCRIPTED_POLICY if soup.find("script") else csp.POLICY
    assert [m["content"] for m in policies] == [expected], name
    before = str(head)[: str(head).find("Content-Security-Policy")]
    assert not re.search(r"<(style|script|link)\b", before), f"{name}: policy after a style, script or link"


# ------------------------------------------------------------------ the check itself can fail


@pytest.mark.parametrize(
    "unescaped",
    [
        lambda s: pd.DataFrame({"n": [1]}, index=[s]).style.to_html(),  # pandas' Styler as it is
        lambda s: pd.DataFrame({s: [1]}).style.to_html(),
        lambda s: pd.DataFrame({"n": [1]}).style.set_caption(s).to_html(),
        lambda s: markdown_html(f"reden: {s}."),  # Markdown passes HTML through
        lambda s: f'<tr data-status="{s}"><td>{s}</td></tr>',  # a hand-written row
    ],
)
@pytest.mark.parametrize("planted", PLANTED)
def test_the_check_finds_markup_that_an_unescaped_writer_makes_live(unescaped, planted):
    page = unescaped(planted)
    assert live_markup(page) != []
    with pytest.raises(AssertionError):
        assert_inert(page, [planted])


# ------------------------------------------------------------------ chapter pages: tables


def _frame(label: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"n": [120.0, 15.0], "Met een baan": [61.2, 40.0], label: [1.0, float("nan")]},
        index=pd.Index(["Scholing", label], name=label),
    )
    frame.columns.name = label
    return frame


@pytest.mark.parametrize("planted", PLANTED)
def test_house_style_table_escapes_labels_values_names_and_caption(planted):
    frame = _frame(planted).assign(tekst=[planted, "gewoon"])
    page = style.table(frame, {"n": notation.getal, planted: notation.getal}, caption=planted, source=planted).to_html()
    assert_inert(page, [planted])
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("caption").get_text() == f"{planted}Bron: {planted}"  # caption and source line, as text
    assert [th.get_text() for th in soup.select("th.row_heading")] == ["Scholing", planted]
    assert planted in [th.get_text() for th in soup.select("th.col_heading")]
    assert soup.select_one("td.data.row0.col0").get_text() == "120"  # numbers still in Dutch notation


def test_a_formatters_text_is_escaped_too():
    page = style.table(pd.DataFrame({"p": [0.0001]}), {"p": lambda v: "<0,001" if v < 0.001 else ""}).to_html()
    assert "&lt;0,001" in page and BeautifulSoup(page, "html.parser").select_one("td").get_text() == "<0,001"


@pytest.mark.parametrize("planted", PLANTED)
def test_a_measure_label_from_an_extract_stays_text_in_participant_tables(planted):
    """``maatregel`` and the other category labels of an extract reach the page as row labels."""
    shares = _frame(planted).iloc[:, :2]
    counts = pd.DataFrame({"Met een baan": [73.0, float("nan")]}, index=shares.index)
    for page in (
        tables.participant_shares(shares, "Inkomenssituatie per maatregel", "synthetisch", 10).to_html(),
        tables.participant_table(counts, f"Aantallen {planted}", planted, 10).to_html(),
        tables.comparison(
            pd.DataFrame({"n": [120], "aandeel": [61.2], "p": [0.2]}, index=pd.Index([planted], name="categorie")),
            "Aandeel met een baan",
            planted,
        ).to_html(),
    ):
        assert_inert(page, [planted])
        cells = [td.get_text() for td in BeautifulSoup(page, "html.parser").select("td")]
        assert "x" in cells or "120" in cells  # suppressed cells still marked, numbers still written


@pytest.mark.parametrize("planted", PLANTED)
def test_ledger_and_printed_beside_computed_tables_escape_their_texts(planted):
    ledger = pd.DataFrame(
        {
            "claim": ["3-01"],
            "plaats": [planted],
            "regel": [12],
            "tekst": [planted],
            "gepubliceerd": ["296.145"],
            "berekend": ["296.145"],
            "status": ["gereproduceerd"],
            "invoer": [planted],
            "toelichting": [planted],
        }
    )
    assert_inert(tables.ledger(ledger).to_html(), [planted])
    frame = pd.DataFrame({"Aantal (gedrukt)": ["1.234"], "Aantal (berekend)": [1234.0]}, index=[planted])
    assert_inert(tables.printed_beside_computed(frame, planted, planted).to_html(), [planted])


def test_a_figures_description_is_an_attribute_value():
    import matplotlib

    matplotlib.use("Agg")
    frame = pd.DataFrame({"Werkloos": [40.0], "Werkend": [60.0]}, index=[EVERYTHING])
    fig = figures.stacked_shares(frame, EVERYTHING, EVERYTHING, EVERYTHING)  # labels drawn as pixels
    page = figures.show(fig, EVERYTHING).data
    soup = BeautifulSoup(page, "html.parser")
    assert len(soup.find_all(True)) == 1 and soup.img["alt"] == EVERYTHING
    assert live_markup(page) == []


# ------------------------------------------------------------------ chapter pages: sentences


def test_the_override_reason_is_printed_as_text():
    chapter = registry.chapter_for(
        "arbeidsmarktpositie", {"tranche": "3", "min_cell_size": 5, "min_cell_override": EVERYTHING}
    )
    params = _participant(tranche="3", min_cell_size=5, min_cell_override=EVERYTHING)
    page = markdown_html(sentences.participant_banner(chapter, params, 1234))
    assert_inert(page)
    assert f"met als reden: {EVERYTHING}." in BeautifulSoup(page, "html.parser").get_text()


@pytest.mark.parametrize("planted", [*PLANTED, "[klik](javascript:alert(1))", "![](http://elders.example/x.png)"])
def test_names_in_sentences_are_text_not_markdown(planted):
    page = markdown_html(sentences.range_sentence(pd.Series({planted: 40.0, "Transport": 164.0}), "deelnemers"))
    assert_inert(page, [planted])
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("a") is None and soup.find("img") is None
    assert markdown_html(escaping.markdown_text("*nadruk* _ook_ `code` # kop")).count("<") == 2  # only the <p>


@pytest.mark.parametrize(
    ("notebook", "tranche"),
    [
        ("inhoud", {"tranche": "3"}),
        ("uitvoering", {"tranche": "1-2"}),
        ("arbeidsmarktpositie", {"tranche": "3"}),
        ("kerncijfers", {}),
    ],
)
def test_markup_in_a_plan_parameter_is_refused_before_it_reaches_a_page(notebook, tranche):
    """A plan left out reaches a page only as the register's name of a known plan (the kerncijfers notebook
    prints the values as given): anything else is refused."""
    for planted in PLANTED:
        with pytest.raises(errors.SectorplannenError, match="exclude_plans: unknown plan"):
            registry.resolve(notebook, {**tranche, "exclude_plans": [planted]})


def test_run_names_and_public_parameters_carry_no_markup():
    """A run's name (file names, links, the index) is a slug; an extract's path is shown only as its label."""
    parameters = {"tranche": "3", "min_cell_size": 5, "min_cell_override": EVERYTHING, "data_source": f"/x/{IMG}.csv"}
    name = registry.run_name("arbeidsmarktpositie", parameters)
    assert re.fullmatch(r"[a-z0-9.+_-]+", name), name
    shown = provenance.public_parameters(parameters, "extract")
    assert re.fullmatch(r"extract-[0-9a-f]{8}", shown["data_source"])


# ------------------------------------------------------------------ provenance, index, site, PDF


def _planted_site(outputs, planted: str = EVERYTHING) -> Path:
    """A chapter and a variant of it as the build leaves them, with ``planted`` in every text that reaches
    a page (title, parameters, provenance, the ledger's texts, a table's cells), made a site."""
    from sectorplannen import site

    prov = {
        "git": {"commit": IMG + "0123456789", "dirty": False},
        "parameters": {"min_cell_override": planted, "tranche": "3"},
        "packages": {ATTRIBUTE: SCRIPT},
        "inputs": {IMG: SCRIPT},
        "data_kind": ATTRIBUTE,
    }
    row = dict.fromkeys(("plaats", "regel", "tekst", "gepubliceerd", "berekend", "toelichting", "invoer"), planted)
    table = {"caption": planted, "index_levels": 1, "head": [["", planted]], "rows": [[planted, planted]]}
    base = "arbeidsmarktpositie_tranche-3"
    fake_run(
        outputs,
        base,
        7,
        {"tranche": "3"},
        [{"claim": "7-01", **row, "status": "wijkt af"}],
        [table],
        title=f"Titel {planted}",
        provenance=prov,
        data_kind="synthetic",
    )
    variant = registry.chapter_for(
        "arbeidsmarktpositie", {"tranche": "3", "min_cell_size": 5, "min_cell_override": planted}
    )
    changed = {**table, "rows": [[planted, f"{planted}!"]]}
    fake_run(
        outputs,
        variant.name,
        7,
        {"tranche": "3", "min_cell_size": 5, "min_cell_override": planted},
        [{"claim": "7-01", **row, "status": "onderdrukt"}],
        [changed],
        title=f"Titel {planted}",
        provenance=prov,
        data_kind="synthetic",
    )
    site.build(outputs / "report")
    return outputs / "report"


def test_every_page_the_site_renders_shows_planted_texts_as_text(scratch):
    """The chapter page (its footer and ledger summary), the variant page, the comparison, the start page,
    the page of all numbers, the page of tables and figures and the search index: the planted texts are text,
    every page has its policy."""
    outputs, _ = scratch
    report_dir = _planted_site(outputs)
    pages = sorted(report_dir.glob("*.html"))
    assert len(pages) == 7  # two runs, their comparison, the start page, all numbers, tables and figures, search
    for path in pages:
        page = path.read_text(encoding="utf-8")
        assert live_markup(page) == [], path.name
        assert_policy_first(page, path.name)
    chapter = (report_dir / "arbeidsmarktpositie_tranche-3.html").read_text(encoding="utf-8")
    footer = BeautifulSoup(chapter, "html.parser").select_one("footer").get_text()
    assert IMG in footer and SCRIPT in footer and "min_cell_override" in footer
    assert_inert(chapter)  # the title and the numbers that differ, in the ledger summary
    assert_inert((report_dir / "index.html").read_text(encoding="utf-8"))
    assert_inert((report_dir / "getallen.html").read_text(encoding="utf-8"))
    assert_inert((report_dir / "tabellen_figuren.html").read_text(encoding="utf-8"))
    compared = next(p for p in pages if p.name.startswith("vergelijking_")).read_text(encoding="utf-8")
    assert_inert(compared)  # the cells of the two tables, as text
    script = (report_dir / search.INDEX_FILE).read_text(encoding="utf-8")
    assert "<" not in script


@pytest.mark.parametrize("planted", PLANTED)
def test_page_of_all_numbers_and_ledger_summary_show_texts_as_text(scratch, planted):
    outputs, _ = scratch
    report_dir = _planted_site(outputs, planted)
    html = (report_dir / "getallen.html").read_text(encoding="utf-8")
    assert_inert(html, [planted])
    assert html.count("<script") == 1 and '<script src="static/getallen.js"></script>' in html
    form = BeautifulSoup(html, "html.parser").select_one("form.claims-filters")
    assert form.attrs == {"class": ["claims-filters"]}  # no inline handler (its onsubmit is in getallen.js)
    summary = BeautifulSoup(
        (report_dir / "arbeidsmarktpositie_tranche-3.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert planted in summary.select_one("table.site-ledger-differs").get_text()


def _claim(planted: str, page: Page) -> claims_page.Claim:
    texts = dict.fromkeys(("tranche", "place", "quote", "published", "computed", "explanation", "inputs"), planted)
    return claims_page.Claim("7-01", page, line="12", status="wijkt af", **texts)


def test_search_index_is_a_file_that_cannot_close_a_script():
    page = Page("arbeidsmarktpositie_tranche-3", 7, EVERYTHING)
    chapter = f'<main><h2 id="a">{escaping.html_text(EVERYTHING)}</h2><p>{escaping.html_text(EVERYTHING)}</p></main>'
    entries = search.chapter_entries(page, chapter) + search.claim_entries([_claim(EVERYTHING, page)])
    script = search.index_script(entries)
    assert "<" not in script  # not even '</script>' inside a string
    data = json.loads(script.removeprefix("window.ZOEKINDEX = ").removesuffix(";\n"))
    assert data[0]["t"].endswith(EVERYTHING) and EVERYTHING in data[-1]["x"]  # the text itself, unchanged


def test_pdf_document_keeps_the_commit_inside_its_css_string(scratch):
    """The commit is read back from the chapter page and written into the print style sheet."""
    outputs, _ = scratch
    chapter = registry.CHAPTERS[0]
    prov = {
        "git": {"commit": '"}</style><script>alert(1)</script>', "dirty": False},
        "parameters": {"min_cell_override": EVERYTHING},
        "packages": {},
        "inputs": {},
        "data_kind": "published",
    }
    fake_run(
        outputs,
        chapter.name,
        chapter.number,
        {"tranche": "1-2"},
        [],
        title=IMG,
        provenance=prov,
        cells=f"<h2 id='h'>{escaping.html_text(IMG)}</h2>",
    )
    from sectorplannen import site

    site.build(outputs / "report")
    document = site_pdf.print_html(outputs / "report")
    assert csp.PRINT_META in document
    assert_inert(document, [IMG])
    soup = BeautifulSoup(document, "html.parser")
    assert soup.find("script") is None
    assert "@bottom-left" in soup.find_all("style")[-1].string


# ------------------------------------------------------------------ the policy


def _directives(policy: str) -> dict[str, str]:
    return dict(d.strip().split(" ", 1) for d in policy.split(";"))


def test_the_policy_allows_no_inline_script_and_no_other_host():
    plain, scripted, printed = (_directives(p) for p in (csp.POLICY, csp.SCRIPTED_POLICY, csp.PRINT_POLICY))
    assert plain["default-src"] == scripted["default-src"] == printed["default-src"] == "'none'"
    assert "script-src" not in plain and "script-src" not in printed  # chapter pages, index, PDF: no script
    assert scripted["script-src"] == "'self'"  # the site's script files only: no 'unsafe-inline', no host
    assert plain["img-src"] == printed["img-src"] == "data:" and plain["base-uri"] == "'none'"
    assert scripted == {**plain, "script-src": "'self'"}
    for policy in (csp.POLICY, csp.SCRIPTED_POLICY, csp.PRINT_POLICY):
        assert not re.search(r"https?:|\*|'unsafe-eval'|'unsafe-hashes'|script-src[^;]*'unsafe-inline'", policy)


# ------------------------------------------------------------------ a built chapter, end to end


@pytest.mark.notebook
def test_planted_parameter_is_inert_on_every_page_and_every_page_has_the_policy(quick_build, scratch):
    """A chapter run with markup in its string parameter, built beside two built chapters (a copy of
    the session's quick build) and made a site: every page, the search index and the PDF's document
    show it only as text, and every page carries the policy first in its head."""
    from sectorplannen import site
    from sectorplannen.pipeline import report

    outputs, _ = scratch
    shutil.copytree(quick_build / "outputs", outputs, dirs_exist_ok=True)
    chapter = registry.chapter_for(
        "arbeidsmarktpositie", {"tranche": "3", "min_cell_size": 5, "min_cell_override": EVERYTHING}
    )
    others = [registry.chapter_for(*other) for other in QUICK_CHAPTERS]
    report.build([chapter], jobs=1, log=lambda _: None)
    report_dir = outputs / "report"
    site.build(report_dir, [chapter])
    pages = sorted(report_dir.glob("*.html"))
    assert {p.name for p in pages} >= {
        *(f"{c.name}.html" for c in [chapter, *others]),
        *("index.html", "getallen.html", "zoeken.html"),
    }
    for path in pages:
        page = path.read_text(encoding="utf-8")
        assert_policy_first(page, path.name)
        assert live_markup(page) == [], path.name
        for script in BeautifulSoup(page, "html.parser").find_all("script"):
            assert script.get("src") and not script.string, f"{path.name}: inline script"
    chapter_page = (report_dir / f"{chapter.name}.html").read_text(encoding="utf-8")
    text = BeautifulSoup(chapter_page, "html.parser").get_text()
    assert f"met als reden: {EVERYTHING}." in text  # the reason, printed as the reader typed it
    footer = text.split("Herkomst.")[1]  # and among the provenance footer's parameters (as JSON)
    assert IMG in footer and SCRIPT in footer
    index = BeautifulSoup((report_dir / "index.html").read_text(encoding="utf-8"), "html.parser").get_text()
    assert "minimale celgrootte 5; kleinere cellen toegestaan" in index and IMG not in index  # reason: on its page
    assert "<" not in (report_dir / search.INDEX_FILE).read_text(encoding="utf-8")
    document = site_pdf.print_html(report_dir)
    assert live_markup(document) == [] and csp.PRINT_META in document


def _participant(**parameters):
    """The participant chapter's parameters, resolved by the registry (as make chapter resolves them)."""
    from sectorplannen.chapters import registry

    return registry.resolve("arbeidsmarktpositie", parameters)
