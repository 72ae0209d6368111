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
from sectorplannen.chapters import notebook, uitvoering
from sectorplannen.render import figures, sentences, tables

run = notebook.start("uitvoering", tranche=tranche, exclude_plans=exclude_plans, top_n=top_n)
params, data, indicators = run.params, run.data, run.indicators
per_category = uitvoering.per_category(indicators)
per_plan = uitvoering.per_plan(indicators)
axis = "thema" if params.tranche_group == "1-2" else "type traject"
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
figures.show(fig, f"Staafdiagram: geplande en gerealiseerde deelnemers per {axis}")

# %% [markdown]
# De grootste plannen naar gerealiseerde deelnemers, uitgesplitst naar thema of type traject:

# %%
fig = figures.stacked(uitvoering.top_plans(data, "deelnemers_gerealiseerd", params.top_n),
                      f"De {params.top_n} grootste plannen naar gerealiseerde deelnemers",
                      tables.SOURCE_DECLARATIONS, "Aantal gerealiseerde deelnemers")
figures.show(fig, f"Gestapelde staven: gerealiseerde deelnemers per {axis} voor de {params.top_n} grootste plannen")

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
figures.show(fig, f"Gestapelde staven: besteed budget per {axis} voor de {params.top_n} grootste plannen")

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
# ## Grootboek
#
# Elk getal dat het hoofdstuk in tekst en tabellen noemt, met de herberekening. *Gereproduceerd*:
# de herberekening geeft het gedrukte getal (op de afronding van het rapport); *wijkt af*: met de
# toelichting; *niet berekenbaar*: de gegevens van dit project geven het getal niet (bijvoorbeeld
# uitkomsten van interviews).

# %%
ledger = claims.ledger("uitvoering", params.tranche_group, indicators, params.is_published_cohort)
notebook.finish(run, ledger)
