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
# # De inhoud van de maatregelen
#
# Dit hoofdstuk reproduceert hoofdstuk 2 (tranche 1 en 2) en hoofdstuk 5 (tranche 3) van de
# eindevaluatie: welke maatregelen de plannen bevatten. In tranche 1 en 2 zijn dat maatregelen in
# zes thema's (Tabel A.1); tranche 3 kende vier typen trajecten, en de inhoud blijkt daar uit de
# typen waarin een plan deelnemers plande (Tabel A.10) en realiseerde (Tabel A.9).

# %% tags=["parameters"]
tranche = "1-2"  # "1-2", "3", of "1" / "2" afzonderlijk (via het planregister)
exclude_plans = []  # plannen (naam of id) die buiten de berekening blijven
top_n = 20  # niet gebruikt in dit hoofdstuk; zelfde parameters als uitvoering

# %%

from IPython.display import display

from sectorplannen import claims, notation
from sectorplannen.chapters import inhoud, notebook, report_figures
from sectorplannen.render import figures, style, tables

run = notebook.start("inhoud", tranche=tranche, exclude_plans=exclude_plans, top_n=top_n)
params, data, indicators = run.params, run.data, run.indicators
per_category = inhoud.per_category(indicators)
t12 = params.tranche_group == "1-2"

# %% [markdown]
# ## Thema's en typen trajecten
#
# De figuren van het rapport staan onder hun eigen nummer en titel, berekend uit de
# tabellen per plan van Bijlage A.

# %%
if t12:
    fig = figures.bars(per_category["maatregelen"], "Aantal maatregelen naar thema in sectorplannen",
                       "Tabel A.1 (beschikkingen sectorplannen), som over de plannen", "Aantal maatregelen")
    display(figures.report_figure("Figuur 2.1", fig, "Staafdiagram: aantal maatregelen per thema",
                                  "Per thema de som van de maatregelen over de plannen in Tabel A.1."))
else:
    fig = figures.bars(per_category["deelnemers_gepland"], "Geplande deelnemers naar type traject",
                       "Tabel A.10 (einddeclaraties sectorplannen), som over de plannen", "Aantal geplande deelnemers")
    display(figures.show(fig, "Staafdiagram: geplande deelnemers per type traject"))

# %%
fig = figures.bars(per_category["plannen_met_categorie"],
                   "Percentage sectorplannen met minimaal één maatregel in het thema" if t12
                   else "Percentage sectorplannen met geplande deelnemers in het type traject",
                   "Tabel A.1" if t12 else "Tabel A.10", "Percentage van de plannen", percent=True,
                   subtitle=f"{per_category.attrs['plannen_in_tabel']} plannen met gegevens in de tabel")
alt = "Staafdiagram: percentage plannen met minimaal één maatregel (of geplande deelnemers) per categorie"
if t12:
    display(figures.report_figure("Figuur 2.2", fig, alt, "Per thema het aandeel van de plannen in Tabel A.1 met "
                                  "minstens één maatregel in het thema."))
else:
    display(figures.show(fig, alt))

# %%
if t12:
    display(figures.not_reproduced("Figuur 2.3"))
else:
    fig = figures.bars(report_figures.plans_with_realised(data), "Plannen met gerealiseerde deelnemers per traject",
                       "Tabel A.9 (einddeclaraties sectorplannen)", "Aantal plannen",
                       subtitle=f"{len(data.plan_ids)} plannen")
    display(figures.report_figure("Figuur 5.1", fig, "Staafdiagram: aantal plannen met gerealiseerde deelnemers per "
                                  "type traject", "Per type traject het aantal plannen met meer dan nul gerealiseerde "
                                  "deelnemers in Tabel A.9."))
    display(figures.not_reproduced("Figuur 5.2"))

# %% [markdown]
# ## Landelijke en regionale plannen
#
# De verdeling over de thema's (of typen) voor landelijke plannen, regionale plannen en de
# zorgplannen (cluster zorg volgens het planregister), in procenten van de maatregelen of van de
# geplande deelnemers van die groep.

# %%
style.table(inhoud.per_plan_type(data), dict.fromkeys(inhoud.per_plan_type(data).columns, notation.procent),
            "Verdeling over de thema's naar soort plan" if t12 else "Verdeling over de typen trajecten naar soort plan",
            "Tabel A.1 / A.10 en het planregister")

# %% [markdown]
# ## Per plan

# %%
tables.plans(inhoud.per_plan(data), "Maatregelen per thema per sectorplan" if t12
             else "Geplande deelnemers per type traject per sectorplan")

# %% [markdown]
# ## Grootboek
#
# Elk getal dat het hoofdstuk noemt, met de herberekening uit de tabellen per plan.

# %%
ledger = claims.ledger("inhoud", params.tranche_group, indicators, params.is_published_cohort)
notebook.finish(run, ledger)
