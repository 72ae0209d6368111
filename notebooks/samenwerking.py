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
# # Samenwerking
#
# Hoofdstuk 8 beschrijft de samenwerkingsverbanden achter de plannen: wie het initiatief nam,
# welke partners meededen, waar de eigen financiering vandaan kwam, wat veranderde, en hoe
# projectleiders de samenwerking beoordelen. Het hoofdstuk heeft geen tabellen; de aantallen die
# de tekst noemt zijn per onderwerp overgenomen in tabellen (`data/raw/001/8.t*.txt`, met
# regelnummers) en hier als tabel en figuur getoond. Ze komen uit interviews en dossiers die het
# project niet heeft: het grootboek noemt ze *overgenomen*. Waar een getal uit een onafhankelijke
# bron volgt (het aantal regionale plannen, uit het planregister), is het nagerekend.

# %% tags=["parameters"]
show_sources = True  # toon bij elke tabel de bronregels

# %%
from IPython.display import display

from sectorplannen import claims, published
from sectorplannen.chapters import notebook
from sectorplannen.render import figures, tables

run = notebook.start("samenwerking", show_sources=show_sources)
text_tables = [t for seed, t in published.tables() if seed == "001" and t.startswith("8.t")]

# %% [markdown]
# ## Initiatiefnemers en partners

# %%
initiators = tables.wide("001", "8.t1").iloc[:, 0].sort_values()
figures.show(figures.bars(initiators, "Initiatiefnemers van de sectorplannen, tranche 1 en 2",
                          "eindevaluatie, tekst r. 4721-4729", "Aantal plannen"),
             "Staafdiagram: initiatiefnemers van de plannen van tranche 1 en 2")

# %%
partners = tables.wide("001", "8.t3")
figures.show(figures.grouped(partners, "Partijen in de samenwerkingsverbanden van tranche 3",
                             "eindevaluatie, tekst r. 4749-4757", "Aantal plannen"),
             "Staafdiagram: partijen in landelijke en regionale samenwerkingsverbanden van tranche 3")

# %% [markdown]
# ## Alle aantallen uit de tekst
#
# Elke tabel hieronder is een groep samenhangende getallen uit de lopende tekst, in de woorden
# van het rapport, met de regels waar ze staan.

# %%
for table_id in text_tables:
    display(tables.published_table("001", table_id) if show_sources else tables.wide("001", table_id))

# %% [markdown]
# ## Grootboek

# %%
ledger = claims.ledger("samenwerking")
notebook.finish(run, ledger)
