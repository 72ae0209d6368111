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
# # Vormgeving van de Regeling
#
# Hoofdstuk 9 gaat over de vormgeving van de Regeling: tranches, voorwaarden, uitvoeringslast en
# de rollen van SZW en de Stichting van de Arbeid. De gekwantificeerde delen staan hier: het
# aandeel regionale plannen per tranche (Figuur 9.1), herberekend uit het planregister, en de
# aantallen die de tekst noemt.

# %% tags=["parameters"]
show_sources = True  # toon bij elke tabel de bronregels

# %%
from IPython.display import display

from sectorplannen import claims, notation, published
from sectorplannen.chapters import notebook, vormgeving
from sectorplannen.render import figures, style, tables

run = notebook.start("vormgeving", show_sources=show_sources)
share = vormgeving.regional_share()

# %% [markdown]
# ## Figuur 9.1: aandeel regionale plannen per tranche
#
# Het register deelt elk plan in als landelijk (sectoraal) of regionaal, op naam en met de brief
# van 2014 (zie `data/raw/plans.yaml`). Het rapport geeft zijn indeling per plan niet; waar de
# aantallen verschillen, staan beide hier en in het grootboek.

# %%
style.table(share, {c: (notation.procent if "Aandeel" in c else notation.getal) for c in share.columns},
            "Regionale plannen per tranche: planregister en tekst", "planregister; eindevaluatie r. 5989-5995")

# %%
figures.report_figure("Figuur 9.1", figures.bars(share["Aandeel regionaal (register)"],
                                                 "Aandeel regionale plannen per tranche",
                                                 "planregister (data/raw/plans.yaml)", "Percentage van de plannen",
                                                 percent=True),
                      "Staafdiagram: aandeel regionale plannen in tranche 1, 2 en 3 volgens het planregister",
                      "Per tranche de regionale plannen als percentage van alle plannen, volgens het planregister.")

# %% [markdown]
# ## Aantallen uit de tekst

# %%
for table_id in [t for seed, t in published.tables() if seed == "001" and t.startswith("9.t")]:
    display(tables.published_table("001", table_id) if show_sources else tables.wide("001", table_id))

# %% [markdown]
# ## Grootboek

# %%
ledger = claims.ledger("vormgeving")
notebook.finish(run, ledger)
