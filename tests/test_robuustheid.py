"""The robustness chapter: every claim recomputed with each plan (and group of plans) left out."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import as_outputs

from sectorplannen import cli, paths, published, reuse
from sectorplannen.chapters import registry, robuustheid
from sectorplannen.render import sentences, style
from sectorplannen.sources.register import register
from sectorplannen.statistics import bijlage
from sectorplannen.statistics.selection import validate


@pytest.fixture(scope="module")
def sensitivity(built_report):
    """The variants the shared report's robustness chapter computed and kept (sectorplannen.reuse, for
    exactly today's inputs): what the chapter's page shows, not computed a second time."""
    with as_outputs(built_report):
        kept = reuse.lookup(robuustheid.REUSED, robuustheid.inputs())
    assert kept is not reuse.MISSING, "the report's robustness chapter kept no variants for these inputs"
    return kept


def _row(sensitivity, claim: str) -> pd.Series:
    summary = sensitivity.summary.set_index("claim")
    return summary.loc[claim]


@pytest.mark.slow
def test_a_claim_that_hinges_on_one_plan_is_flagged(sensitivity):
    """Claim 6-03: 'Het grootste aantal deelnemers is te vinden in trajecten gericht op een overgang
    van een WW-uitkering naar een baan' (tranche 3). By hand from Tabel A.9: the plan rows sum to
    4.481 for WW naar baan and 3.684 for overig naar baan; Transport (t3) realised 1.354 WW naar
    baan and none in overig naar baan, so without it WW naar baan has 3.127 and overig naar baan is
    the largest. Left out, no other single plan changes the answer."""
    table = published.table("A.9")
    body = table[~table["is_total_row"] & ~table["is_total_column"] & (table["plan_id"] != "")]
    totals = body.groupby("category_id")["value"].sum()
    without = body[body["plan_id"] != "transport-t3"].groupby("category_id")["value"].sum()
    assert (totals["ww-naar-baan"], totals["overig-naar-baan"]) == (4481, 3684)
    assert totals.idxmax() == "ww-naar-baan" and without.idxmax() == "overig-naar-baan"
    row = _row(sensitivity, "6-03")
    assert row["plannen_die_het_breken"] == 1
    assert row["breekt_zonder"] == "Transport (t3)"
    assert not row["houdt_altijd"]
    assert row["soort_getal"] == robuustheid.KINDS[robuustheid.KIND_CONCLUSION]


@pytest.mark.slow
def test_a_robust_share_holds_under_every_exclusion(sensitivity):
    """Claim 2-01: om- en bijscholing has the most measures (Tabel A.1, tranche 1 en 2). By hand: its
    plan rows sum to 213 measures against 95 for leerwerkplekken, and no plan has more than 9 in
    it, so no single plan left out can change the answer."""
    measures = bijlage.load(validate(tranche="1-2")).tables["maatregelen"]
    totals = measures.sum()
    assert (totals["scholing"], totals["leerwerkplekken"], measures["scholing"].max()) == (213, 95, 9)
    row = _row(sensitivity, "2-01")
    assert row["houdt_altijd"] and row["plannen_die_het_breken"] == 0


@pytest.mark.slow
def test_totals_are_counted_apart(sensitivity):
    """296.145 realised participants (claim 3-09) changes with any plan left out: it is a total, not a
    conclusion the chapter weighs."""
    row = _row(sensitivity, "3-09")
    assert row["soort_getal"] == robuustheid.KINDS["totaal"]
    assert row["plannen_die_het_breken"] == 75  # every plan of tranche 1 and 2 moves the total
    assert "3-09" not in set(sensitivity.summary.loc[robuustheid.conclusion_rows(sensitivity.summary), "claim"])


@pytest.mark.slow
def test_range_and_the_plan_that_moves_it_most(sensitivity):
    """Claim 3-10, 96 procent of the planned participants realised (296.145 / 309.384 = 95,72%). By
    hand from A.2 and A.3, the lowest and highest rates over the single-plan exclusions."""
    planned = bijlage.load(validate(tranche="1-2")).tables["deelnemers_gepland"].sum(axis=1)
    realised = bijlage.load(validate(tranche="1-2")).tables["deelnemers_gerealiseerd"].sum(axis=1)
    rates = 100 * (realised.sum() - realised) / (planned.sum() - planned)
    row = _row(sensitivity, "3-10")
    values = sensitivity.variant_values
    singles = values[(values["claim"] == "3-10") & (values["soort"] == "plan")].set_index("variant")["waarde"]
    assert singles.min() == pytest.approx(rates.min()) and singles.max() == pytest.approx(rates.max())
    assert row["standaard"] == pytest.approx(100 * 296145 / 309384)
    worst = (rates - row["standaard"]).abs().idxmax()
    assert row["plan_met_grootste_invloed"] == register().get(worst).name


def test_group_variants_are_the_groups_the_chapter_names():
    variants = robuustheid.variants("3")
    groups = {v.label: v.plans for v in variants if v.kind == "groep"}
    assert len([v for v in variants if v.kind == "plan"]) == 24
    assert len(groups["zonder de regionale plannen"]) == 14  # 9-17: 14 of the 24 plans are regional
    assert len(groups["zonder de sectorale plannen"]) == 10


def test_without_is_load_with_the_plans_excluded():
    full = bijlage.load(validate(tranche="3"))
    derived = bijlage.without(full, ["transport-t3", "ict-t3"])
    loaded = bijlage.load(validate(tranche="3", exclude_plans=["transport-t3", "ict-t3"]))
    assert derived.params == loaded.params
    assert [p.id for p in derived.plans] == [p.id for p in loaded.plans]
    for name, frame in loaded.tables.items():
        pd.testing.assert_frame_equal(derived.tables[name], frame)
    pd.testing.assert_frame_equal(derived.funding, loaded.funding)


@pytest.mark.slow
def test_outputs_are_written(sensitivity, tmp_path):
    written = robuustheid.write(sensitivity, tmp_path)
    assert [p.name for p in written] == ["per_getal.csv", "varianten.csv", "een_plan.csv"]
    summary = pd.read_csv(written[0])
    assert len(summary) == len(sensitivity.summary) and "breekt_zonder" in summary.columns
    assert len(pd.read_csv(written[2])) == robuustheid.counts(sensitivity).one_plan
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_run_with_other_plans_shows_the_default_value_beside_its_own():
    """Tranche 3 without Transport (t3): claim 6-04 (13.122 realised participants, the sum of Tabel
    A.9's plan rows) becomes 10.333, because Transport realised 66 + 1.369 + 1.354 = 2.789; claim
    6-03 (the largest trajectory type) changes from WW-uitkering to overig naar baan (see above)."""
    from sectorplannen import claims
    from sectorplannen.statistics.indicators import Indicators

    params = validate(tranche="3", exclude_plans=["Transport (t3)"])
    ledger = claims.ledger("uitvoering", "3", Indicators(bijlage.load(params)), params.is_published_cohort)
    rows = ledger.set_index("claim")
    assert rows.loc["6-04", ["standaard", "berekend", "verschil"]].tolist() == ["13.122", "10.333", "-2.789"]
    assert rows.loc["6-03", "standaard"] == "Vanuit WW-uitkering naar baan"
    assert (rows.loc["6-03", "berekend"], rows.loc["6-03", "verschil"]) == ("Vanuit overig naar baan", "anders")
    assert rows.loc["6-04", "status"] == claims.STATUS_OTHER
    published = claims.ledger("uitvoering", "3")
    assert "standaard" not in published.columns  # the published selection needs no comparison


@pytest.mark.slow
def test_participant_claims_on_the_synthetic_file_are_labelled_and_recomputed(synthetic_rows):
    """Claim 4-09 (18.688 werkenden sector in arbeidsmobiliteit, Tabel 4.1) on the synthetic file,
    calibrated to it, without Bouw: by hand, the 2019 rows of that cohort minus Bouw's."""
    from sectorplannen import participants

    frame = robuustheid.participants_synthetic(participants.load("synthetic"), limit=1)  # the engine's counts
    people = synthetic_rows  # participants.rows("synthetic"): one row per participant, counted by hand
    assert set(frame["gegevens"]) == {"synthetisch"}
    assert set(frame["variant"]) == {"zonder Bouw", "zonder Transport (t3)"}  # the largest plan of each group
    row = frame[(frame["claim"] == "4-09") & (frame["variant"] == "zonder Bouw")].iloc[0]
    cohort = people[
        (people["peildatum"] == "2019-05-31")
        & (people["categorie"] == "arbeidsmobiliteit")
        & (people["doelgroep"] == "werkenden_sector")
    ]
    assert row["standaard"] == len(cohort) == 18688
    assert row["waarde"] == len(cohort[cohort["plan_id"] != "bouw"])
    assert not row["houdt"]


@pytest.mark.slow
def test_a_themes_rank_from_below_is_weighed_not_set_apart(sensitivity):
    """Claim 2-13 ('Loopbaanchecks en -adviezen en gezondheidsmaatregelen zijn het minst vaak
    ingezet', Tabel A.1) ranks themes, not plans: it is weighed, and only Welzijn Jeugdzorg en
    Kinderopvang breaks it (found independently by a second implementation of this chapter)."""
    row = _row(sensitivity, "2-13")
    assert row["soort_getal"] == robuustheid.KINDS[robuustheid.KIND_CONCLUSION]
    assert row["breekt_zonder"] == "Welzijn Jeugdzorg en Kinderopvang"


def _one_plan_row(sensitivity, claim: str) -> pd.Series:
    frame = robuustheid.one_plan(sensitivity)
    return frame.set_index("claim").loc[claim]


@pytest.mark.slow
def test_a_conclusion_one_plan_breaks_is_listed_with_the_value_without_it(sensitivity):
    """Claim 3-05 'Aan leerwerkplekken is meer budget besteed dan vooraf beoogd' (more than 100%,
    tranche 1 en 2). By hand from Tabel A.5 and A.6 (x € 1.000): planned 643.206, spent 655.098, so
    11.892 more than planned. Mobiliteit spent 38.468 against 9.221 planned, 29.247 more: without it
    616.630 / 633.985 = 97,26%, less than planned. No other plan spent more than 7.469 over its plan
    (Metalektro), so leaving out any other keeps the total above 100%: the claim hangs on Mobiliteit."""

    def leerwerkplekken(table_id: str) -> pd.Series:
        table = published.table(table_id)
        rows = table[~table["is_total_row"] & (table["plan_id"] != "") & (table["category_id"] == "leerwerkplekken")]
        return rows.set_index("plan_id")["value"].fillna(0)

    planned, spent = leerwerkplekken("A.5"), leerwerkplekken("A.6")
    assert (planned.sum(), spent.sum()) == (643206, 655098)
    over = (spent - planned).sort_values(ascending=False)
    assert over.index[0] == "mobiliteit" and over.iloc[0] == 38468 - 9221 > spent.sum() - planned.sum()
    assert over.iloc[1] == 7469 < spent.sum() - planned.sum()  # Metalektro: no other plan breaks it
    without = 100 * (spent.sum() - spent["mobiliteit"]) / (planned.sum() - planned["mobiliteit"])
    assert round(without, 2) == 97.26

    row = _one_plan_row(sensitivity, "3-05")
    assert (row["plan_id"], row["plan"]) == ("mobiliteit", register().get("mobiliteit").name)
    assert (row["gedrukt"], row["alle_plannen"], row["zonder_plan"]) == ("meer dan 100%", "101,8%", "97,3%")
    assert row["plaats"] == "samenvattend kader, hoofdstuk 3" and not row["houdt"]
    # the number shown is the number the ledger checked: that variant's own row
    values = sensitivity.variant_values
    checked = values[(values["claim"] == "3-05") & (values["variant"] == "zonder Mobiliteit")].iloc[0]
    assert checked["waarde"] == pytest.approx(without) and checked["getoond"] + "%" == row["zonder_plan"]

    transport = _one_plan_row(sensitivity, "6-03")  # see test_a_claim_that_hinges_on_one_plan_is_flagged
    assert (transport["plan"], transport["gedrukt"], transport["zonder_plan"]) == (
        "Transport (t3)",
        "Vanuit WW-uitkering naar baan",
        "Vanuit overig naar baan",
    )


@pytest.mark.slow
def test_one_count_is_the_rows_of_the_table_and_is_stated_alike_everywhere(sensitivity, scratch, monkeypatch, capsys):
    """The page once counted 136 conclusions in its headline and 138 in its table of kinds: the two
    shares read from the printed total row of Tabel 3.3 (3-132, 3-224) are computable for no
    selection without a plan, and only the headline left them out. Now they are a kind of their own
    and every place states the same numbers, which are the rows of the tables that list them."""
    counts = robuustheid.counts(sensitivity)
    table = robuustheid.one_plan_table(sensitivity)
    assert counts.one_plan == len(table) == len(robuustheid.one_plan(sensitivity))
    assert counts.several == len(robuustheid.breaking_table(sensitivity))
    assert counts.conclusions == counts.hold + counts.one_plan + counts.several
    assert {"3-05", "6-03", "2-13"} <= set(robuustheid.one_plan(sensitivity)["claim"])  # hand-checked above
    kinds = robuustheid.kinds_table(sensitivity)
    weighed = kinds.loc[robuustheid.KINDS[robuustheid.KIND_CONCLUSION]]
    assert (weighed["Getallen"], weighed["Houden altijd stand"]) == (counts.conclusions, counts.hold)
    for claim in ("3-132", "3-224"):
        assert _row(sensitivity, claim)["soort_getal"] == robuustheid.KINDS["vast"]

    headline = robuustheid.headline(sensitivity)
    for number in (counts.conclusions, counts.hold, counts.broken, counts.one_plan):
        assert f"**{number}**" in headline
    assert f"de andere {counts.several} vallen weg" in headline

    # make robuustheid prints the same count (its computation replaced by the module's, outputs in scratch)
    monkeypatch.setattr(robuustheid, "compute", lambda jobs=None: sensitivity)
    assert cli.main(["robuustheid", "--jobs", "1"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith(robuustheid.counts_line(sensitivity))
    assert (
        f"van de {counts.conclusions} gewogen conclusies (aandelen, realisaties, rangordes) houden er {counts.hold} "
        f"altijd stand, {counts.broken} niet zonder ten minste één plan: {counts.one_plan} hangen aan precies één plan"
    ) in line
    written = pd.read_csv(paths.OUTPUTS / "robuustheid" / "een_plan.csv")
    assert len(written) == counts.one_plan


@pytest.mark.slow
def test_the_table_names_plans_and_themes_never_ids_and_is_escaped(sensitivity):
    """Every cell but the report's own sentence holds names and numbers, no plan, theme or claim id
    (the sentence may use a word that is also an id: 'is gezondheid')."""
    table = robuustheid.one_plan_table(sensitivity)
    from sectorplannen.sources import categories

    plan_ids = {p.id for group in robuustheid.GROUPS for p in register().in_group(group)}
    category_ids = {e["id"] for axis in categories.categories().values() for e in axis}
    ids = plan_ids | category_ids | set(sensitivity.summary["claim"])
    shown = table.drop(columns="Conclusie in het rapport").to_numpy().ravel()
    assert not {str(cell) for cell in shown} & ids  # 'overig' is an id, 'Vanuit overig naar baan' its name
    words = {w.strip("(),;") for cell in shown for w in str(cell).split()}
    assert words and not words & set(sensitivity.summary["claim"])
    hyphenated = {i for i in ids if "-" in i and not i[0].isdigit()}  # 'ww-naar-baan', 'transport-t3'
    assert not any(i in str(cell) for cell in table.to_numpy().ravel() for i in hyphenated)
    assert "Vanuit overig naar baan" in set(table["Zonder dit plan"])  # 'overig-naar-baan' by its name
    assert list(table.columns) == [
        "Conclusie in het rapport",
        "Plaats",
        "Plan weggelaten",
        "Gedrukt",
        "Zonder dit plan",
    ]

    marked = table.copy()
    marked.iloc[0, 0] = "<script>alert(1)</script>"
    html = style.table(marked, caption="c").to_html()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_chapter_is_placed_with_the_analysis_of_the_report():
    """Robustness analyses the report: its section is 'Analyse', after the report's chapters and
    before the context; the numbers follow the sections, so sorting by number is reading order."""
    chapter = next(c for c in registry.CHAPTERS if c.notebook == "robuustheid")
    assert (chapter.section, chapter.number) == ("Analyse", 11)
    assert sentences.heading(chapter) == "## Analyse: Robuustheid: welke conclusies hangen aan één plan?"
    order = list(registry.SECTIONS)
    sections = [order.index(c.section) for c in registry.CHAPTERS]
    assert sections == sorted(sections) and set(sections) == {0, 1, 2}
    assert {c.notebook for c in registry.CHAPTERS if c.section == "Context"} == {
        "monitoring",
        "dwsra",
        "steunpakket_2020",
    }
    with pytest.raises(ValueError, match="section of x must be one of Rapport, Analyse, Context"):
        registry.Entry("x", {"": 99}, {"": "x"}, (), dict, section="Elders")
