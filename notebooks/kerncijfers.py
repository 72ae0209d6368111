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
# # Kerncijfers
#
# Tabel S.1 (samenvatting) en Tabel 10.1 (conclusie) zetten de kerncijfers van tranche 1 en 2 en
# van tranche 3 naast elkaar. Hier is elke regel opnieuw berekend uit de gegevens van de andere
# hoofdstukken (Bijlage A, Tabel 3.3 en 6.3, de quickscans), met het gedrukte getal ernaast.

# %% tags=["parameters"]
exclude_plans = []  # plannen (naam of id, van beide tranchegroepen) die buiten de berekening blijven

# %%
from IPython.display import Markdown, display

from sectorplannen import claims
from sectorplannen.chapters import kerncijfers, notebook
from sectorplannen.render import tables

run = notebook.start("kerncijfers", exclude_plans=exclude_plans)
table = kerncijfers.table(run.params)
if exclude_plans:
    excluded = ", ".join(exclude_plans)
    display(Markdown(f"> **Let op:** berekend zonder {excluded}; de gedrukte getallen gelden voor alle plannen."))

# %% [markdown]
# ## Tabel 10.1 herberekend
#
# De berekende waarden staan in de eenheid van de tabel (duizenden deelnemers, miljoenen euro's,
# procenten). Waar het project geen gegevens heeft (de aandelen jongeren: die staan niet per plan
# in het rapport) staat de reden.

# %%
tables.printed_beside_computed(table,
                               "Tabel 10.1 en S.1 (rapport): Overzicht kerncijfers uitvoering sectorplannen, "
                               "gedrukt en herberekend",
                               "Tabel 10.1 en S.1; Bijlage A, Tabel 3.3 en 6.3, voortgangsbrief 2017")

# %% [markdown]
# Tabel S.1 heeft dezelfde regels als Tabel 10.1 behalve de drie over jongeren; de controle
# *S.1 = 10.1* staat bij de bevindingen van de gepubliceerde tabellen (`make verify`).
#
# ## Grootboek
#
# Het grootboek toetst de gedrukte getallen altijd aan alle plannen (de gepubliceerde selectie),
# ook als hierboven plannen zijn weggelaten.

# %%
ledger = claims.ledger("kerncijfers")
notebook.finish(run, ledger)
