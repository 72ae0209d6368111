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
# # Robuustheid
#
# Hangt een conclusie van het rapport aan één plan? Hier is elk getal dat uit de gegevens per plan
# volgt opnieuw berekend met elk plan apart weggelaten, en met groepen plannen weggelaten: de
# zorgplannen, de regionale plannen, de sectorale plannen en per thema de grootste plannen die
# samen meer dan de helft van de deelnemers leveren. Een getal *houdt stand* als het gedrukte getal
# op de afronding en met de woorden van het rapport (*ruim*, *bijna*, *meer dan*) nog klopt.
#
# Totalen en aantallen (deelnemers, euro's, plannen) veranderen per definitie als een plan wegvalt,
# en getallen over één plan (het grootste plan, de hoogste realisatie) ook als dat plan wegvalt;
# die worden apart geteld. Gewogen worden de aandelen, realisatiepercentages en rangordes: de
# conclusies van het rapport. Geteld worden alleen de conclusies die met alle plannen kloppen en die
# zonder elk plan opnieuw te berekenen zijn. Ze vallen in drie groepen: ze houden altijd stand, ze
# hangen aan één plan, of ze vallen weg zonder elk van twee of meer plannen. Elke telling hieronder
# is het aantal rijen van de tabel die die conclusies opsomt.

# %% tags=["parameters"]
top_n = 15  # aantal plannen in de figuur

# %%
from IPython.display import Markdown, display

from sectorplannen import notation
from sectorplannen.chapters import notebook, robuustheid
from sectorplannen.render import figures, style

run = notebook.start("robuustheid", top_n=top_n)
sensitivity = robuustheid.sensitivity()
robuustheid.write(sensitivity)
display(Markdown(robuustheid.headline(sensitivity)))

# %% [markdown]
# ## Conclusies die aan één plan hangen
#
# Elke conclusie die niet meer klopt als één bepaald plan wordt weggelaten, en die wel klopt zonder
# elk ander plan: de zin uit het rapport, waar die staat, het plan, het gedrukte getal en wat de
# herberekening zonder dat plan geeft (in de notatie en op de afronding van het grootboek).

# %%
one_plan = robuustheid.one_plan_table(sensitivity)
style.table(one_plan, caption=f"De {notation.getal(len(one_plan))} conclusies die aan één plan hangen",
            source="herberekening uit Bijlage A met elk plan apart weggelaten")

# %% [markdown]
# ## Welke plannen verschuiven de meeste conclusies?

# %%
per_plan = robuustheid.per_plan(sensitivity).head(top_n).sort_values()
figures.show(
    figures.bars(per_plan, "Conclusies die niet meer kloppen zonder dit plan",
                 "herberekening uit Bijlage A met elk plan apart weggelaten",
                 "Aantal gedrukte aandelen, percentages en rangordes"),
    "Staafdiagram: per plan het aantal conclusies van het rapport dat niet meer klopt als dat plan wordt weggelaten",
)

# %% [markdown]
# ## Soorten getallen

# %%
style.table(robuustheid.kinds_table(sensitivity), {"Getallen": notation.getal, "Houden altijd stand": notation.getal},
            "Getallen die uit de gegevens per plan volgen, naar soort")

# %% [markdown]
# ## Conclusies die aan meerdere plannen hangen
#
# De overige conclusies die niet elke weglating overleven, de kwetsbaarste eerst: het gedrukte getal,
# wat de gegevens met alle plannen geven, het laagste en hoogste getal over alle varianten, en de
# plannen zonder welke het gedrukte getal niet meer klopt (elk apart weggelaten).

# %%
several = robuustheid.breaking_table(sensitivity)
style.table(several, {"Plannen die het breken": notation.getal},
            f"De {notation.getal(len(several))} conclusies die niet meer kloppen zonder elk van twee of meer plannen")

# %% [markdown]
# ## Groepen plannen weggelaten

# %%
style.table(robuustheid.group_table(sensitivity), {"Getallen": notation.getal, "Kloppen niet meer": notation.getal},
            "Conclusies die niet meer kloppen zonder een groep plannen")

# %%
notebook.finish(run)
