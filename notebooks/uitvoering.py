# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: sectorplannen (.venv)
#     language: python
#     name: sectorplannen
# ---

# %% [markdown]
# # De uitvoering van de maatregelen
#
# Dit hoofdstuk reproduceert hoofdstuk 3 (tranche 1 en 2) en hoofdstuk 6 (tranche 3) van de
# eindevaluatie: het geplande tegenover het gerealiseerde aantal deelnemers en budget, per thema
# of type traject en per plan, de spreiding van de realisatie over de plannen en de verdeling van
# de financiering over rijksoverheid en sector. Alles is berekend uit de tabellen per plan van
# Bijlage A; de hoofdstuktabellen van het rapport dienen alleen als controle (grootboek onderaan).

# %% tags=["parameters"]
tranche = "1-2"  # "1-2", "3", of "1" / "2" afzonderlijk (via het planregister)
exclude_plans = []  # plannen (naam of id) die buiten de berekening blijven, bijv. ["Bouw"]
top_n = 20  # aantal plannen in de figuren per plan

# %%
from IPython.display import Markdown, display

from sectorplannen import claims
from sectorplannen.chapters import notebook, report_figures, uitvoering
from sectorplannen.render import figures, sentences, tables

run = notebook.start("uitvoering", tranche=tranche, exclude_plans=exclude_plans, top_n=top_n)
params, data, indicators = run.params, run.data, run.indicators
per_category = uitvoering.per_category(indicators)
per_plan = uitvoering.per_plan(indicators)
t12 = params.tranche_group == "1-2"
axis = "thema" if t12 else "type traject"
n = run.chapter.number  # the report's tables of this chapter: Tabel 3.1-3.3 (tranche 1 en 2) or 6.1-6.3 (tranche 3)

# %% [markdown]
# ## Aantal deelnemers
#
# De realisatie wordt vergeleken met de laatste herziene beschikkingen zoals opgenomen in de
# eindrapportages. Niet alle maatregelen zijn in deelnemers uit te drukken; die tellen hier niet
# mee.

# %%
tables.participants(per_category, f"Tabel {n}.1 (rapport): Gepland en gerealiseerd aantal deelnemers per {axis}")

# %%
fig = figures.planned_realised(per_category.drop(index="Totaal"), "deelnemers_gepland", "deelnemers_gerealiseerd",
                               f"Geplande en gerealiseerde deelnemers per {axis}", tables.SOURCE_DECLARATIONS)
alt = f"Staafdiagram: geplande en gerealiseerde deelnemers per {axis}"
if t12:
    display(figures.report_figure("Figuur 3.1", fig, alt, "Per thema de som over de plannen van Tabel A.2 (gepland) "
                                  "en Tabel A.3 (gerealiseerd)."))
else:
    display(figures.show(fig, alt))

# %% [markdown]
# De grootste plannen naar gerealiseerde deelnemers, uitgesplitst naar thema of type traject:

# %%
fig = figures.stacked(uitvoering.top_plans(data, "deelnemers_gerealiseerd", params.top_n),
                      f"De {params.top_n} grootste plannen naar gerealiseerde deelnemers",
                      tables.SOURCE_DECLARATIONS, "Aantal gerealiseerde deelnemers")
figures.report_figure("Figuur 3.2" if t12 else "Figuur 6.1", fig,
                      f"Gestapelde staven: gerealiseerde deelnemers per {axis} voor de {params.top_n} grootste plannen",
                      f"De {params.top_n} plannen met de meeste gerealiseerde deelnemers (Tabel "
                      f"{'A.3' if t12 else 'A.9'}), per {axis}.")

# %% [markdown]
# ### Spreiding van de realisatie over de plannen
#
# De realisatiegraad per plan (gerealiseerd gedeeld door gepland), met de plannen buiten 50-120
# procent bij naam.

# %%
rates = per_plan.set_index("plan")["realisatie_deelnemers"].dropna()
fig = figures.distribution(rates, "Verdeling realisatiegraad deelnemers per sectorplan", tables.SOURCE_DECLARATIONS,
                           "Gerealiseerde deelnemers als percentage van gepland", uitvoering.outliers(rates))
display(figures.show(fig, "Histogram: realisatiegraad deelnemers per sectorplan, uitschieters bij naam"))
display(Markdown(sentences.range_sentence(rates, "deelnemers")))

# %% [markdown]
# ## Budget
#
# Budgetten zijn exclusief overheadkosten. Bijlage A drukt die van tranche 1 en 2 af in duizenden
# euro's; de bedragen hier zijn die duizenden maal duizend.

# %%
tables.budget(per_category, f"Tabel {n}.2 (rapport): Gepland en gerealiseerd budget per {axis}")

# %%
fig = figures.stacked(uitvoering.top_plans(data, "budget_besteed", params.top_n),
                      f"De {params.top_n} grootste plannen naar besteed budget", tables.SOURCE_DECLARATIONS,
                      "Besteed budget", euro=True)
figures.report_figure("Figuur 3.3" if t12 else "Figuur 6.2", fig,
                      f"Gestapelde staven: besteed budget per {axis} voor de {params.top_n} grootste plannen",
                      f"De {params.top_n} plannen met het meeste bestede budget (Tabel {'A.6' if t12 else 'A.12'}), "
                      f"per {axis}, exclusief overheadkosten.")

# %%
budget_rates = per_plan.set_index("plan")["realisatie_budget"].dropna()
fig = figures.distribution(budget_rates, "Percentage besteed budget per sectorplan", tables.SOURCE_DECLARATIONS,
                           "Besteed budget als percentage van gepland", uitvoering.outliers(budget_rates, 60, 125))
display(figures.show(fig, "Histogram: percentage besteed budget per sectorplan, uitschieters bij naam"))
display(Markdown(sentences.range_sentence(budget_rates, "budget")))

# %% [markdown]
# ## Financiering: rijksoverheid en sector
#
# De financiering per plan, inclusief overheadkosten, zoals Tabel 3.3 (de twintig grootste plannen
# van tranche 1 en 2) en Tabel 6.3 (alle plannen van tranche 3) die geven. Het aandeel van de
# sector is hier opnieuw berekend uit de bedragen.

# %%
tables.funding(uitvoering.funding(data), f"Tabel {n}.3 (rapport): Financiering per sectorplan, inclusief overhead")

# %% [markdown]
# ## Realisatie tegenover de oorspronkelijke ambitie
#
# De quickscans volgden de ambities gedurende de looptijd (voortgangsbrief 2017, Tabel 1-3).

# %%
display(Markdown(sentences.ambition_sentence(indicators)))

# %% [markdown]
# ## Figuren van Bijlage A
#
# De spreiding van de realisatie over de plannen zoals Bijlage A die toont: per thema (of type traject)
# het aantal plannen per klasse van realisatie, en per plan de realisatie. Het rapport noemt van de
# klassen alleen '110% en hoger' (een plan dat in een categorie niets plande maar wel iets realiseerde,
# valt daarin, voetnoot 37 en 38); de lagere grenzen (50 en 90 procent) zijn die van dit project.

# %%
appendix = ("Figuur A.1", "Figuur A.2", "Figuur A.3", "Figuur A.4") if t12 else ("Figuur A.5", None, "Figuur A.6",
                                                                                 "Figuur A.7")
sources = "Tabel A.2 en A.3" if t12 else "Tabel A.10 en A.9"
budget_sources = "Tabel A.5 en A.6" if t12 else "Tabel A.11 en A.12"
fig = figures.stacked(report_figures.realisation_classes(data, "deelnemers"),
                      f"Plannen naar realisatiegraad deelnemers per {axis}", tables.SOURCE_DECLARATIONS,
                      "Aantal plannen", legend_below=True)
display(figures.report_figure(appendix[0], fig, f"Gestapelde staven: plannen per klasse van realisatie per {axis}",
                              f"Per {axis} het aantal plannen naar gerealiseerde deelnemers als percentage van de "
                              f"geplande ({sources})."))
if appendix[1]:
    fig = figures.per_plan(rates, "Realisatiegraad deelnemers per sectorplan", tables.SOURCE_DECLARATIONS,
                           "Gerealiseerde deelnemers als percentage van gepland")
    display(figures.report_figure(appendix[1], fig, "Staafdiagram: realisatiegraad deelnemers per sectorplan",
                                  f"Per plan de gerealiseerde deelnemers als percentage van de geplande ({sources})."))
fig = figures.stacked(report_figures.realisation_classes(data, "budget"),
                      f"Plannen naar percentage besteed budget per {axis}", tables.SOURCE_DECLARATIONS,
                      "Aantal plannen", legend_below=True)
display(figures.report_figure(appendix[2], fig, f"Gestapelde staven: plannen per klasse van besteed budget per {axis}",
                              f"Per {axis} het aantal plannen naar besteed budget als percentage van het geplande "
                              f"({budget_sources})."))
fig = figures.per_plan(budget_rates, "Percentage besteed budget per sectorplan", tables.SOURCE_DECLARATIONS,
                       "Besteed budget als percentage van gepland")
display(figures.report_figure(appendix[3], fig, "Staafdiagram: percentage besteed budget per sectorplan",
                              f"Per plan het besteed budget als percentage van het geplande ({budget_sources})."))

# %% [markdown]
# ## Grootboek
#
# Elk getal dat het hoofdstuk in tekst en tabellen noemt, met de herberekening. *Gereproduceerd*:
# de herberekening geeft het gedrukte getal (op de afronding van het rapport); *wijkt af*: met de
# toelichting; *niet berekenbaar*: de gegevens van dit project geven het getal niet (bijvoorbeeld
# uitkomsten van interviews).

# %%
ledger = claims.ledger("uitvoering", params.tranche_group, indicators, params.is_published_cohort)
notebook.finish(run, ledger)
