"""Chapters 4 and 7 (arbeidsmarktpositie): the tables, comparisons and ledger, disclosure-controlled.

Every participant-level number the chapter shows is computed here, in :func:`compute`, before any
of it is shown: the counts behind each table, share, comparison and ledger value are registered in
one :class:`~sectorplannen.participants.disclosure.Release`, which decides what is suppressed for the run as a
whole (ACRO's primary suppression plus secondary suppression so that nothing can be recovered by
subtraction, within a table or across tables). Only then are the tables made, from the counts that
passed. Suppressed values are NaN and show as ``x``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sectorplannen import claims
from sectorplannen.participants import cohort, compare, disclosure, releases
from sectorplannen.participants.indicators import ParticipantIndicators
from sectorplannen.participants.schema import (
    CONTRACT,
    DOELGROEPEN,
    EMPLOYED,
    INKOMENSSITUATIE,
    JOB_CHANGERS,
    UREN,
    WERKGEVER,
)
from sectorplannen.sources import categories as category_file
from sectorplannen.sources.register import register

LABELS = {
    "inkomenssituatie": INKOMENSSITUATIE,
    "werkgever": WERKGEVER,
    "contract": CONTRACT,
    "uren": UREN,
}


# The plans the report names as dominating the mobility theme (r. 1983-1986): a reviewer's question
# is how the shares change without them.
DOMINANT_MOBILITY_PLANS = ("bouw", "vvt", "energieproductie")


PLAN_TYPE_LABELS = {"sectoraal": "Sectorale plannen", "regionaal": "Regionale plannen"}


SUPPRESSED = "x"  # as CBS marks a confidential cell


def category_labels(tranche_group: str) -> dict[str, str]:
    axis = "type_traject" if tranche_group == "3" else "thema"
    return {e["id"]: e["label"] for e in category_file.categories()[axis]}


def group_labels(tranche_group: str) -> dict[str, str]:
    return DOELGROEPEN["1-2"] if tranche_group == "1-2" else category_labels("3")


def employed(people: pd.DataFrame) -> pd.DataFrame:
    return people[people["inkomenssituatie"].isin(EMPLOYED)]


def job_changers(people: pd.DataFrame) -> pd.DataFrame:
    """Participants with a job at another employer than at the start (Figuur 4.3, 4.9, 7.4)."""
    working = employed(people)
    return working[working["werkgever"].isin(JOB_CHANGERS)]


def with_plan_type(people: pd.DataFrame) -> pd.DataFrame:
    """The participants with a column ``plan_type`` (sectoraal, regionaal) from the plan register."""

    return people.assign(plan_type=people["plan_id"].map(register().plan_types()))


def select(people: pd.DataFrame, params) -> pd.DataFrame:
    return cohort.select(people, tranche=params.tranche, peildatum=params.peildatum, exclude_plans=params.exclude_plans)


@dataclass
class Distribution:
    """Shares of a variable per group, with a total row first: registered, read after protect."""

    table: disclosure.CountTable
    variable: str
    labels: dict | None = None

    def frame(self) -> pd.DataFrame:
        shares = self.table.shares()
        groups = [g for g in shares.index if g != disclosure.TOTAL]
        if self.labels:
            groups = [k for k in self.labels if k in groups] + [k for k in groups if k not in self.labels]
        out = shares.reindex([disclosure.TOTAL, *groups])
        out.index = [self.labels.get(i, i) if self.labels else i for i in out.index]
        return out.rename(columns=LABELS[self.variable])


def _distribution(release, rows: pd.DataFrame, by: str, variable: str, labels: dict | None = None) -> Distribution:
    return Distribution(release.crosstab(rows, by, variable, list(LABELS[variable])), variable, labels)


@dataclass
class WithoutDominant:
    """Mobility with and without the plans that dominate it (counts registered per selection)."""

    release: disclosure.Release
    keys: dict = field(default_factory=dict)  # label -> {measure: (numerator key, denominator key)}

    def frame(self) -> pd.DataFrame:
        value = self.release.value
        rows = {}
        for label, measures in self.keys.items():
            n = value(measures["n"][0])
            row = {"n": None if np.isnan(n) else n}
            for name, (num, den) in measures.items():
                if name != "n":
                    a, b = value(num), value(den)
                    row[name] = None if np.isnan(a) or np.isnan(b) or b == 0 else 100 * a / b
            rows[label] = row
        return pd.DataFrame(rows).T


def _without_dominant(release, people: pd.DataFrame, plans=DOMINANT_MOBILITY_PLANS) -> WithoutDominant:
    pending = WithoutDominant(release)
    for label, frame in (
        ("Alle plannen", people),
        ("Zonder " + ", ".join(plans), people[~people["plan_id"].isin(plans)]),
    ):
        mobility = frame[frame["categorie"] == "arbeidsmobiliteit"]
        working = employed(mobility)
        n, k = release.count(mobility), release.count(working)
        pending.keys[label] = {
            "n": (n, n),
            "Met een baan": (k, n),
            "Andere werkgever (van werkenden)": (release.count(working[working["werkgever"] != "zelfde_werkgever"]), k),
            "Andere sector (van werkenden)": (release.count(working[working["werkgever"] == "andere_sector"]), k),
        }
    return pending


@dataclass
class Results:
    """Everything chapter 4 or 7 shows, after disclosure control."""

    params: object
    n: float
    participants: pd.DataFrame
    shares: dict[str, pd.DataFrame]
    against_all: pd.DataFrame
    adjusted: pd.DataFrame
    without_dominant: pd.DataFrame | None
    ledger: pd.DataFrame
    audit: disclosure.Audit


def participants_counts(release, people: pd.DataFrame, tranche_group: str) -> disclosure.CountTable:
    """Tabel 4.1 / 7.1: participants per target group x theme (tranche 3: trajectory type x plan
    type), with totals."""
    if tranche_group == "1-2":
        rows = people.assign(
            _r=people["doelgroep"].map(group_labels("1-2")), _c=people["categorie"].map(category_labels("1-2"))
        )
    else:
        typed = with_plan_type(people)
        rows = typed.assign(
            _r=typed["categorie"].map(category_labels("3")), _c=typed["plan_type"].map(PLAN_TYPE_LABELS)
        )
    order = list(category_labels("1-2").values()) if tranche_group == "1-2" else list(PLAN_TYPE_LABELS.values())
    return release.crosstab(rows, "_r", "_c", order)


def compute(people: pd.DataFrame, params, run: str = "", releases: Path | None = None) -> Results:
    """Every table, comparison and ledger value of the chapter for ``params``, disclosure-controlled
    together: nothing here is shown before the whole run has been audited. On a real extract the
    audit includes everything earlier runs of it showed, and what this run shows is added to the
    extract's release record (``releases``: the record's folder, by default
    :func:`~sectorplannen.participants.releases.root`) under ``run``, one run at a time."""

    group = params.tranche_group
    selection = select(people, params)
    release = disclosure.Release(people, params.min_cell_size)
    size = release.count(selection)
    counts = participants_counts(release, selection, group)
    themes = category_labels(group)
    working = employed(selection)
    pending = {
        "inkomen": _distribution(release, selection, "categorie", "inkomenssituatie", themes),
        "inkomen_doelgroep": _distribution(release, selection, "doelgroep", "inkomenssituatie", group_labels(group)),
        "werkgever": _distribution(
            release,
            working[~working["plan_id"].isin(cohort.CROSS_SECTOR_PLANS)],
            "categorie",
            "werkgever",
            themes,
        ),
        "contract": _distribution(release, working, "categorie", "contract", themes),
        "uren": _distribution(release, working, "categorie", "uren", themes),
        "baanwisselaars": _distribution(release, job_changers(selection), "categorie", "contract", themes),
    }
    if group == "1-2":
        mobility = selection[selection["categorie"] == "arbeidsmobiliteit"]
        learning = selection[selection["categorie"] == "leerwerkplekken"]
        pending["inkomen_maatregel"] = _distribution(release, mobility, "maatregel", "inkomenssituatie")
        pending["inkomen_start"] = _distribution(
            release, learning, "doelgroep", "inkomenssituatie", group_labels(group)
        )
        pending["uren_leerwerkplekken"] = _distribution(
            release, employed(learning), "doelgroep", "uren", group_labels(group)
        )
        dominant = _without_dominant(release, selection)
    else:
        pending["inkomen_start"] = _distribution(
            release, with_plan_type(selection), "plan_type", "inkomenssituatie", PLAN_TYPE_LABELS
        )
        dominant = None
    job = selection["inkomenssituatie"].isin(EMPLOYED)
    comparison = compare.register_against_all(release, selection, job, "categorie")
    indicators = ParticipantIndicators(
        people, group, params.exclude_plans, release=release, cohort_tranche=params.tranche
    )
    ledger = claims.ledger(
        "arbeidsmarktpositie", group, indicators, params.is_published_cohort, synthetic=params.synthetic
    )
    audit = _protect(release, params, run, releases)
    against = comparison.frame()
    return Results(
        params=params,
        n=release.value(size),
        participants=counts.counts(),
        shares={name: table.frame() for name, table in pending.items()},
        against_all=_labelled(against, themes),
        adjusted=_adjusted(selection, job, against, themes),
        without_dominant=dominant.frame() if dominant else None,
        ledger=protect_ledger(ledger, indicators, release),
        audit=audit,
    )


def _protect(release: disclosure.Release, params, run: str, folder: Path | None) -> disclosure.Audit:
    """The audit of this run; on a real extract jointly with every earlier release of it, and what
    passes is recorded before anything is shown (the synthetic file is not confidential)."""
    if params.synthetic:
        return release.protect()
    shown = {k: v for k, v in params.as_dict().items() if k != "data_source"}  # never the extract's path
    return releases.protect_jointly(release, run or "arbeidsmarktpositie", shown, folder)


def _labelled(table: pd.DataFrame, labels: dict) -> pd.DataFrame:
    table = table.copy()
    table.index = [labels.get(i, i) for i in table.index]
    return table


def _adjusted(selection: pd.DataFrame, job: pd.Series, against: pd.DataFrame, labels: dict) -> pd.DataFrame:
    """The composition-adjusted comparison, for the groups whose counts passed disclosure control
    (a group suppressed in the unadjusted comparison is left out of the model)."""
    shown = against.index[~against["onderdrukt"].astype(bool)]
    kept = selection[selection["categorie"].isin(shown)]
    if kept["categorie"].nunique() < 2:
        return pd.DataFrame(columns=["verschil", "laag", "hoog", "p", "referentie"])
    return _labelled(compare.adjusted(kept, job.loc[kept.index], "categorie"), labels)


def protect_ledger(ledger: pd.DataFrame, indicators, release: disclosure.Release) -> pd.DataFrame:
    """The ledger as it may be shown: a participant value at the report's own rounding, or
    suppressed (status 'onderdrukt') when a count behind it is suppressed."""
    if ledger.empty:
        return ledger
    spec = claims.load("arbeidsmarktpositie").set_index("id")
    ledger = ledger.copy()
    for i, claim_id in ledger["claim"].items():
        claim = spec.loc[claim_id]
        keys = indicators.keys.get((claim["statistic"], claim["row"], claim["column"]))
        if keys is None:
            continue  # a plan-level statistic, or no value
        if not all(release.is_shown(k) for k in keys):
            ledger.loc[i, ["berekend", "berekend_waarde"]] = [SUPPRESSED, np.nan]
            ledger.loc[i, "status"] = claims.STATUS_SUPPRESSED
            ledger.loc[i, "toelichting"] = (
                f"Onderdrukt: achter dit getal staan minder dan {release.min_cell} deelnemers, "
                "of het is af te leiden uit andere getallen van dit hoofdstuk."
            )
            continue
        value = ledger.loc[i, "berekend_waarde"]
        if pd.notna(value):
            step = float(claim["step"])
            ledger.loc[i, "berekend_waarde"] = claims.round_to_step(float(value), step)
            ledger.loc[i, "berekend"] = claims.format_step(ledger.loc[i, "berekend_waarde"], step)
    return ledger
