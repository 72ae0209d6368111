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
# # De arbeidsmarktpositie van de deelnemers
#
# Dit hoofdstuk reproduceert hoofdstuk 4 (tranche 1 en 2) en hoofdstuk 7 (tranche 3): wat er van
# de deelnemers werd, gemeten op 31 mei 2019 (en 2017, 2018): hun inkomenssituatie, of ze bij
# dezelfde werkgever of in dezelfde sector werken, hun contract en hun uren, naar thema of type
# traject, maatregel, doelgroep en soort plan. De evaluatoren koppelden daarvoor de BSN's van de
# deelnemers aan gegevens van UWV. Dat bestand is vertrouwelijk; zonder dat bestand draait dit
# hoofdstuk op een **synthetisch** bestand met hetzelfde schema, gekalibreerd op wat het rapport
# publiceert. Elke tabel en figuur gaat eerst door de controle op onthulling (ACRO, minimale
# celgrootte).

# %% tags=["parameters"]
tranche = "1-2"  # "1-2" of "3" (of "1" / "2" afzonderlijk)
peildatum = "2019"  # peildatum: 2017, 2018 of 2019 (31 mei)
exclude_plans = []  # plannen (naam of id) die buiten beschouwing blijven, bijv. ["Bouw", "VVT", "Energieproductie"]
min_cell_size = 10  # kleinste cel die getoond mag worden (niet lager dan 10 zonder min_cell_override)
min_cell_override = ""  # reden (bijv. toestemming van de beheerder) om toch een kleinere celgrootte te gebruiken
data_source = "synthetic"  # "synthetic" of het pad van een echt deelnemersbestand buiten de repository

# %%
from IPython.display import Markdown, display

from sectorplannen.chapters import arbeidsmarktpositie, notebook, report_figures
from sectorplannen.render import figures, tables
from sectorplannen.sources import report_items

# Every table, comparison and ledger value is computed (and disclosure-controlled) before anything is shown.
run = notebook.start("arbeidsmarktpositie", arbeidsmarktpositie.compute, tranche=tranche, peildatum=peildatum,
                     exclude_plans=exclude_plans, min_cell_size=min_cell_size, min_cell_override=min_cell_override,
                     data_source=data_source)
# people: the participants counted per group by the engine (DuckDB), one row per combination of values with its
# number of participants in `aantal`; participants.rows(data_source) gives one row per participant.
params, people, results = run.params, run.people, run.results
group = params.tranche_group
label = "SYNTHETISCHE GEGEVENS" if params.synthetic else "vertrouwelijk deelnemersbestand"

# %% [markdown]
# ## Deelnemers naar doelgroep
#
# Het aantal deelnemers met een BSN-registratie, zoals Tabel 4.1 en 7.1.

# %%
tables.participant_table(results.participants, "Aantal deelnemers per doelgroep en thema" if group == "1-2"
                         else "Aantal deelnemers per doel(groep) en soort plan", label, params.min_cell_size)

# %% [markdown]
# ## Inkomenssituatie
#
# De inkomenssituatie op de peildatum per thema of type traject. *Overig* betreft zelfstandigen,
# gepensioneerden, personen zonder inkomen en personen die niet meer in Nederland wonen.

# %%
income = results.shares["inkomen"]
display(tables.participant_shares(income, f"Inkomenssituatie op 31 mei {params.peildatum}", label,
                                  params.min_cell_size))
figures.show(figures.stacked_shares(income.drop(columns="n"), f"Inkomenssituatie op 31 mei {params.peildatum}",
                                    "koppeling deelnemers met UWV-gegevens", label),
             "Gestapelde staven: inkomenssituatie van de deelnemers per thema of type traject")

# %%
if group == "1-2":
    display(tables.participant_shares(results.shares["inkomen_maatregel"],
                                      "Inkomenssituatie per maatregel: arbeidsmobiliteit", label, params.min_cell_size))
tables.participant_shares(results.shares["inkomen_doelgroep"], "Inkomenssituatie per doelgroep", label,
                          params.min_cell_size)

# %% [markdown]
# Tranche 1 en 2: de deelnemers aan leerwerkplekken naar hun situatie vooraf (Figuur 4.11).
# Tranche 3: sectorale tegenover regionale plannen (Figuur 7.2), met de indeling van het
# plannenregister (zie de bevinding bij Tabel 7.1).

# %%
start_groups = results.shares["inkomen_start"]
title = ("Inkomenssituatie van deelnemers aan leerwerkplekken per doelgroep vooraf" if group == "1-2"
         else "Inkomenssituatie per soort plan")
display(tables.participant_shares(start_groups, title, label, params.min_cell_size))
figures.show(figures.stacked_shares(start_groups.drop(columns="n"), title, "koppeling deelnemers met UWV-gegevens",
                                    label), f"Gestapelde staven: {title.lower()}")

# %% [markdown]
# ## Werkgever, contract en uren
#
# Van de deelnemers met een baan als werknemer: werken ze bij dezelfde werkgever als bij de start,
# bij een andere werkgever in dezelfde sector of in een andere sector; hebben ze een vast contract;
# en hoeveel uren werken ze. Zoals het rapport laten de mobiliteitscijfers de zes regionale
# sectoroverstijgende plannen buiten beschouwing (voetnoot bij Figuur 4.2).

# %%
mobile = results.shares["werkgever"]
display(tables.participant_shares(mobile, "Werkgever en sector ten opzichte van de start (met een baan)", label,
                                  params.min_cell_size))
figures.show(figures.stacked_shares(mobile.drop(columns="n"), "Werkgever en sector ten opzichte van de start",
                                    "koppeling deelnemers met UWV-gegevens", label),
             "Gestapelde staven: zelfde werkgever, andere werkgever of andere sector per thema")

# %%
hours = results.shares["uren"]
display(tables.participant_shares(results.shares["contract"], "Contract (met een baan)", label, params.min_cell_size))
display(tables.participant_shares(hours, "Uren (met een baan)", label, params.min_cell_size))
figures.show(figures.stacked_shares(hours.drop(columns="n"), "Aantal vaste contracturen of werkdagen per week",
                                    "koppeling deelnemers met UWV-gegevens", label),
             "Gestapelde staven: uren van de werkende deelnemers per thema of type traject")

# %% [markdown]
# Van wie een nieuwe baan heeft (een andere werkgever dan bij de start): werken ze in vaste dienst
# (Figuur 4.3, 4.9, 4.13, 7.4)? En, voor leerwerkplekken, de uren naar de situatie vooraf
# (Figuur 4.14).

# %%
changers = results.shares["baanwisselaars"]
display(tables.participant_shares(changers, "Contract van deelnemers met een nieuwe baan", label,
                                  params.min_cell_size))
figures.show(figures.stacked_shares(changers.drop(columns="n"), "Contract van deelnemers met een nieuwe baan",
                                    "koppeling deelnemers met UWV-gegevens", label),
             "Gestapelde staven: vast of flexibel contract van baanwisselaars per thema of type traject")
if group == "1-2":
    display(tables.participant_shares(results.shares["uren_leerwerkplekken"],
                                      "Uren van werkende deelnemers aan leerwerkplekken per doelgroep",
                                      label, params.min_cell_size))

# %% [markdown]
# ## Figuren van het rapport
#
# Elke figuur van het hoofdstuk onder haar eigen nummer en titel, getekend uit dezelfde aandelen als
# de tabellen hierboven (na de controle op onthulling; een onderdrukte cel blijft leeg), op de
# peildatum van deze run. Een figuur over één thema zet dat thema naast alle deelnemers van de
# tranchegroep. De figuren van het rapport tonen de situatie van mei 2019; hier die van de peildatum
# van deze run (parameter `peildatum`). De getallen in de titels staan in het grootboek onderaan.

# %%
origin = ("Waarden uit het SYNTHETISCHE deelnemersbestand, gekalibreerd op de gedrukte getallen: dit toetst het "
          "rapport niet." if params.synthetic else
          "Waarden uit het vertrouwelijke deelnemersbestand, na de controle op onthulling.")
for item in report_items.on_page("arbeidsmarktpositie", group):
    fig = figures.stacked_shares(report_figures.participant_series(results.shares, item.number, group),
                                 f"{report_figures.participant_title(item.number, group)}, 31 mei {params.peildatum}",
                                 "koppeling deelnemers met UWV-gegevens", label)
    display(figures.report_figure(item.id, fig, f"Gestapelde staven: {item.title}", origin))

# %% [markdown]
# ## Vergelijking tussen thema's
#
# Elk thema tegenover alle deelnemers van de tranchegroep: het verschil in het aandeel met een baan,
# met een betrouwbaarheidsinterval en een toets, en daarna gecorrigeerd voor doelgroep, leeftijd
# en soort plan (logit, gemiddeld marginaal verschil ten opzichte van het grootste thema).
# **Dit zijn verschillen tussen groepen deelnemers, geen effecten van de maatregelen**: er is geen
# controlegroep, en de deelnemers aan een thema verschillen op meer dan wat hier is gecorrigeerd.

# %%
display(tables.comparison(results.against_all, "Aandeel met een baan: thema tegenover alle deelnemers", label))
tables.comparison(results.adjusted, "Aandeel met een baan, gecorrigeerd voor samenstelling", label)

# %%
# The sensitivity section only where it has something to show: tranche 3 has no mobility theme.
if results.without_dominant is not None:
    display(Markdown("## Gevoeligheid: zonder de plannen die het thema domineren\n\n"
                     "Iets meer dan de helft van de deelnemers aan mobiliteitsmaatregelen komt uit drie plannen: "
                     "Bouw, VVT en Energieproductie (r. 1983-1986). Hoe veranderen de uitkomsten zonder die plannen?"))
    display(tables.comparison(results.without_dominant, "Arbeidsmobiliteit met en zonder Bouw, VVT en Energieproductie",
                              label))

# %% [markdown]
# ## Grootboek
#
# Elk getal dat het hoofdstuk noemt. Op **synthetische** gegevens toetst het grootboek de
# kalibratie van het synthetische bestand, niet het rapport: *niet gekalibreerd* betekent dat het
# synthetische bestand dit getal niet nabootst. *Wijkt af* betekent dat het rapport zichzelf
# tegenspreekt: geen bestand, echt of synthetisch, geeft al die getallen tegelijk (zie de
# toelichting). Op het echte bestand toetst het grootboek het rapport. Berekende waarden staan op
# de afronding van het rapport; *onderdrukt* betekent dat er te weinig deelnemers achter het getal
# staan (of dat het uit andere getallen af te leiden zou zijn).

# %%
notebook.finish(run, results.ledger)
