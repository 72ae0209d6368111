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
# # Ambities en realisatie door de tijd
#
# De voortgangsbrieven aan de Tweede Kamer volgden de sectorplannen met quickscans. Hier staan
# die tussenstanden naast de eindcijfers van de eindevaluatie: de beoogde en bereikte deelnemers
# (tranche 1 en 2), de financiering per peilmoment (beide tranchegroepen) en de toekenningen van
# het eerste tijdvak per plan (brief van 2014), via het planregister gekoppeld aan de eindcijfers.

# %% tags=["parameters"]
tranche = "1-2"  # financieringsreeks: "1-2" (voortgangsbrief Tabel 2) of "3" (Tabel 3)

# %%

from sectorplannen import claims, notation
from sectorplannen.chapters import monitoring, notebook
from sectorplannen.render import figures, style

run = notebook.start("monitoring", tranche=tranche)
people = monitoring.participants()

# %% [markdown]
# ## Deelnemers: beoogd en bereikt (tranche 1 en 2)
#
# De quickscans ronden af op duizenden; de eindcijfers zijn de som van de planrijen van Bijlage A
# (laatste herziene beschikkingen en einddeclaraties).

# %%
style.table(people, {"Beoogde ambities": notation.getal, "Bereikte deelnemers": notation.getal,
                     "Bereikt als % van beoogd": notation.procent},
            "Beoogde en bereikte deelnemers per peilmoment, tranche 1 en 2",
            "voortgangsbrief 2017, Tabel 1; eindevaluatie, Bijlage A")

# %%
figures.show(figures.over_time(people[["Beoogde ambities", "Bereikte deelnemers"]],
                               "Ambitie daalt, bereik stijgt: deelnemers per peilmoment",
                               "voortgangsbrief 2017, Tabel 1; eindevaluatie, Bijlage A", "Aantal deelnemers"),
             "Lijndiagram: beoogde en bereikte deelnemers van quickscan 2 tot de eindevaluatie")

# %% [markdown]
# ## Financiering per peilmoment

# %%
money = monitoring.financing(tranche)
style.table(money, {c: (lambda v: notation.getal(v, 1)) for c in ["Rijk", "Sociale partners", "Totaal"]},
            f"Cofinanciering Rijk en sociale partners (miljoen euro), tranche {tranche}",
            "voortgangsbrief 2017, Tabel 2 en 3; eindevaluatie, Tabel 3.3 en 6.3")

# %% [markdown]
# ## Het eerste tijdvak (2014) en de eindcijfers per plan
#
# De 24 plannen die in 2014 in het eerste tijdvak werden goedgekeurd, onder hun naam van toen,
# met wat ze uiteindelijk besteedden en bereikten. De cofinanciering van het Rijk aan het eind staat
# alleen in Tabel 3.3 voor de twintig grootste plannen.

# %%
first = monitoring.first_period()
style.table(first, {c: notation.euro for c in first.columns if "financiering" in c or "budget" in c}
            | {"Gerealiseerde deelnemers (A.3)": notation.getal},
            "Toegekende cofinanciering eerste tijdvak (2014) en eindcijfers per plan",
            "voortgangsbrief 2014, Tabel 1; eindevaluatie, Tabel 3.3, A.3 en A.6; planregister")

# %% [markdown]
# ## Grootboek
#
# De getallen van beide voortgangsbrieven.

# %%
ledger = claims.ledger("monitoring")
notebook.finish(run, ledger)
