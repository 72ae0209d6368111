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
# # Het steunpakket van 2020
#
# In de coronacrisis kwam het kabinet met maatregelen voor leren en ontwikkelen, waaronder
# *maatwerktrajecten vanuit sectoren*: het idee van de sectorplannen in een nieuwe crisis. Hier
# staat Tabel 1 van de brief van november 2020, en de omvang van de maatwerktrajecten naast die
# van de sectorplannen.

# %% tags=["parameters"]
show_sources = True  # toon bij de tabel de bronregels

# %%
from IPython.display import display

from sectorplannen import claims, notation
from sectorplannen.chapters import notebook
from sectorplannen.chapters import steunpakket_2020 as steunpakket
from sectorplannen.render import figures, style, tables

run = notebook.start("steunpakket_2020", show_sources=show_sources)

# %% [markdown]
# ## Maatregelen voor leren en ontwikkelen (Tabel 1)

# %%
display(tables.published_table("004", "1") if show_sources else tables.wide("004", "1"))
figures.show(figures.bars(steunpakket.measures()["Cum."].sort_values(), "Budget per maatregel, 2020-2021",
                          "brief 30 november 2020, Tabel 1", "Miljoen euro"),
             "Staafdiagram: budget per maatregel voor leren en ontwikkelen in het steunpakket")

# %% [markdown]
# ## Omvang tegenover de sectorplannen
#
# De cofinanciering van het Rijk aan de sectorplannen (Tabel 3.3 en 6.3 van de eindevaluatie)
# naast het budget voor de sectorale maatwerktrajecten. Een vergelijking van omvang, geen oordeel
# over effect.

# %%
scale = steunpakket.scale_comparison()
style.table(scale, {"Cofinanciering Rijk": notation.euro, "Deelnemers": notation.getal,
                    "Maatwerktrajecten 2020-2021 als % van deze cofinanciering": notation.procent},
            "Sectorplannen en maatwerktrajecten: omvang", "eindevaluatie Tabel 3.3, 6.3, Bijlage A; brief 2020 Tabel 1")

# %% [markdown]
# ## Grootboek

# %%
ledger = claims.ledger("steunpakket_2020")
notebook.finish(run, ledger)
