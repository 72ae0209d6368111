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
# # De vervolgregeling DWSRA
#
# De Tijdelijke regeling cofinanciering projecten dienstverlening werkzoekenden en samenwerking en
# regie arbeidsmarkt (DWSRA) volgde op de sectorplannen. De tussenevaluatie van Ecorys (2018)
# beschrijft de aanvraagrondes en de lopende projecten. Haar tabellen staan hier, met hun
# grootboek.

# %% tags=["parameters"]
show_sources = True  # toon bij elke tabel de bronregels

# %%
from IPython.display import display

from sectorplannen import claims, published
from sectorplannen.chapters import notebook
from sectorplannen.render import figures, tables

run = notebook.start("dwsra", show_sources=show_sources)

# %% [markdown]
# ## Aanvragen en lopende projecten

# %%
activities = tables.wide("003", "2.4")["Aantal projecten"].sort_values()
figures.show(figures.bars(activities, "Lopende DWSRA-projecten per type activiteit",
                          "tussenevaluatie DWSRA, Tabel 2.4", "Aantal projecten (van 47)"),
             "Staafdiagram: aantal lopende DWSRA-projecten per type activiteit")

# %%
regions = tables.wide("003", "3.2")["Aantal projecten"].sort_values()
figures.show(figures.bars(regions, "Regionale spreiding van DWSRA-projecten", "tussenevaluatie DWSRA, Tabel 3.2",
                          "Aantal projecten"),
             "Staafdiagram: DWSRA-projecten naar regionale spreiding")

# %% [markdown]
# ## De tabellen van de tussenevaluatie

# %%
for table_id in [t for seed, t in published.tables() if seed == "003"]:
    display(tables.published_table("003", table_id) if show_sources else tables.wide("003", table_id))

# %% [markdown]
# ## Grootboek

# %%
ledger = claims.ledger("dwsra")
notebook.finish(run, ledger)
