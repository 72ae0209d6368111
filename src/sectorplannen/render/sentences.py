"""Sentences a chapter shows its reader, written from computed values (Dutch, report's terms).

They are Markdown: every name and parameter in them is written with :func:`markdown_text`, as text."""

from __future__ import annotations

import pandas as pd

from sectorplannen import claims, notation
from sectorplannen.render.escaping import markdown_text
from sectorplannen.sources.register import register
from sectorplannen.statistics.bijlage import Bijlage
from sectorplannen.statistics.indicators import Indicators, NotComputable


def banner(chapter, params, data: Bijlage) -> str:
    """The chapter heading and a line saying what selection of plans it is computed for (``params``:
    the run's parameters, with ``tranche``, ``exclude_plans`` as plan ids and ``is_published_cohort``)."""
    lines = [f"## Hoofdstuk {chapter.number}: {chapter.title}", ""]
    selection = f"**Selectie:** tranche {params.tranche}, {len(data.plans)} plannen"
    if params.exclude_plans:
        selection += " (zonder " + ", ".join(markdown_text(p.name) for p in _excluded(params)) + ")"
    lines.append(selection + ".")
    if not params.is_published_cohort:
        lines += [
            "",
            "> **Let op:** deze selectie wijkt af van wat het rapport publiceerde. De gepubliceerde "
            "getallen staan in het grootboek ter vergelijking, maar gelden voor een andere selectie.",
        ]
    return "\n".join(lines)


def _excluded(params):

    return [register().get(i) for i in params.exclude_plans]


def range_sentence(rates: pd.Series, what: str) -> str:
    """'De realisatiegraad loopt uiteen van 40% (plan) tot 164% (plan).'"""
    if rates.empty:
        return "Geen plannen met een geplande omvang in deze selectie."
    low, high = rates.idxmin(), rates.idxmax()
    median = rates.median()
    label = "deelnemers" if what == "deelnemers" else "het budget"
    return (
        f"De realisatiegraad van {label} loopt per plan uiteen van {notation.procent(rates[low])} "
        f"({markdown_text(low)}) tot {notation.procent(rates[high])} ({markdown_text(high)}); de mediaan is "
        f"{notation.procent(median)} over {len(rates)} plannen."
    )


def ambition_sentence(indicators: Indicators) -> str:
    """Realisation against the quickscan ambition, where the sources give it."""
    parts = []
    try:
        ambition = indicators.ambitie_deelnemers_qs2()
        parts.append(
            f"Ten tijde van quickscan 2 werden {notation.getal(ambition)} deelnemers beoogd "
            f"(voortgangsbrief 2017, Tabel 1, afgerond op duizenden); met "
            f"{notation.getal(indicators.deelnemers_gerealiseerd())} gerealiseerde deelnemers is dat "
            f"{notation.procent(indicators.realisatie_tov_ambitie_deelnemers())} van die ambitie."
        )
    except NotComputable as exc:
        parts.append(f"Een ambitie in deelnemers is niet beschikbaar: {exc}.")
    budget = indicators.ambitie_budget_qs2()
    parts.append(
        f"Het oorspronkelijk beoogde budget (cofinanciering Rijk plus sociale partners, "
        f"{notation.miljoen(budget)}) is voor {notation.procent(indicators.realisatie_tov_ambitie_budget())} "
        f"besteed ({notation.miljoen(indicators.budget_besteed())} volgens Bijlage A, exclusief overhead)."
    )
    return " ".join(parts)


def heading(chapter) -> str:
    """The heading of a chapter without plan parameters: 'Hoofdstuk 8' for a report chapter, its
    section ('Analyse', 'Context') for the others."""
    return f"## {chapter.label}: {chapter.title}"


# What each status says, in the sentence that sums up a chapter's ledger (after the count).
STATUS_SENTENCES = {
    claims.STATUS_ARITHMETIC: "volgen uit andere getallen van dezelfde tabel: dat toetst het rekenwerk van de "
    "tabel (totalen, aandelen), niet de gegevens",
    claims.STATUS_TAKEN: "zijn zelf de gegevens: gelezen uit de tabel die ze drukt of uit de tekst "
    "overgenomen, en dus niet onafhankelijk na te rekenen",
    claims.STATUS_CALIBRATED: "komen uit het synthetische deelnemersbestand, dat op juist deze getallen is "
    "gekalibreerd: ze zeggen niets over het rapport",
    claims.STATUS_UNCALIBRATED: "bootst het synthetische bestand niet na",
    claims.STATUS_SUPPRESSED: "zijn onderdrukt: er staan te weinig deelnemers achter, of ze zouden met andere "
    "getallen van dit hoofdstuk een te kleine groep verraden",
    claims.STATUS_OTHER: "horen bij de gepubliceerde selectie en zijn hier niet vergelijkbaar",
}


def ledger_sentence(ledger: pd.DataFrame) -> str:
    """The chapter's ledger in a few sentences: only *gereproduceerd* counts as evidence."""
    counts = claims.summary(ledger)
    text = (
        f"Van de {len(ledger)} getallen in dit hoofdstuk zijn er **{counts[claims.STATUS_REPRODUCED]} "
        "gereproduceerd** uit andere gegevens dan het gedrukte getal zelf (Bijlage A, het plannenregister, "
        f"een andere tabel of bron); {counts[claims.STATUS_DIFFERS]} wijken af (met toelichting) en "
        f"{counts[claims.STATUS_NA]} zijn niet te berekenen uit de gegevens van dit project."
    )
    for status, sentence in STATUS_SENTENCES.items():
        if counts[status]:
            text += f" {counts[status]} getallen {sentence} (*{status}*)."
    return text


def participant_banner(chapter, params, n: float) -> str:
    """Heading of the participant chapter, with the data kind on its face."""
    lines = [f"## Hoofdstuk {chapter.number}: {chapter.title}", ""]
    if params.synthetic:
        lines += [
            '<div style="border:3px solid #b03a2e;background:#fdedec;padding:0.8em;font-weight:bold">'
            "SYNTHETISCHE GEGEVENS. Alle tabellen en figuren in dit hoofdstuk komen uit een synthetisch "
            "deelnemersbestand: geen echte personen. De aantallen per plan, thema en doelgroep en de "
            "percentages die het rapport noemt zijn nagebootst (behalve waar het rapport zichzelf tegenspreekt); "
            "al het andere is "
            "een gedocumenteerde aanname. Trek er geen conclusies uit over de deelnemers.</div>",
            "",
        ]
    else:
        lines += ["**Gegevens:** vertrouwelijk deelnemersbestand (alleen in een beveiligde omgeving).", ""]
    size = f"minder dan {params.min_cell_size}" if pd.isna(n) else notation.getal(n)
    lines.append(
        f"**Selectie:** tranche {params.tranche}, peildatum 31 mei {params.peildatum}, "
        f"{size} deelnemers; minimale celgrootte {params.min_cell_size}."
    )
    override = params.min_cell_override
    if override:
        lines.append(
            f"\n> **Let op:** de minimale celgrootte is lager dan de gebruikelijke ondergrens van 10, met als "
            f"reden: {markdown_text(override)}."
        )
    if params.exclude_plans:
        lines.append("Zonder: " + ", ".join(markdown_text(p.name) for p in _excluded(params)) + ".")
    return "\n".join(lines)


def disclosure_sentence(audit) -> str:
    """What disclosure control did in this run, in numbers (and with how many earlier runs of the
    same extract it was audited)."""
    earlier = ""
    if audit.earlier_releases:
        runs = "eerdere run" if audit.earlier_releases == 1 else "eerdere runs"
        earlier = (
            f" Dit is samen gecontroleerd met alles wat {notation.getal(audit.earlier_releases)} {runs} op "
            f"hetzelfde bestand lieten zien ({notation.getal(audit.earlier_counts)} aantallen), zodat ook "
            "het vergelijken van runs geen klein aantal oplevert."
        )
    return (
        f"**Onthullingscontrole:** van de {audit.counts} aantallen achter de tabellen, vergelijkingen en het "
        f"grootboek van dit hoofdstuk zijn er {audit.primary} onderdrukt omdat ze kleiner zijn dan de minimale "
        f"celgrootte (of nul), en {audit.secondary} om te voorkomen dat zo'n aantal door aftrekken uit andere "
        f"getallen terug te rekenen is (over alle tabellen samen).{earlier} Onderdrukte cellen staan als x."
    )
