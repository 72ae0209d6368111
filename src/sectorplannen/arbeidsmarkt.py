"""Chapters 4 and 7 (arbeidsmarktpositie): the tables and comparisons, disclosure-controlled.

Every table here is computed from the participant file for the chosen cohort and passes ACRO's
minimum-cell-size check (:mod:`sectorplannen.disclosure`) before it is returned: suppressed cells
are NaN and show as ``<10``.
"""

from __future__ import annotations

import pandas as pd

from sectorplannen import cohort, describe, disclosure, published
from sectorplannen.participants import CONTRACT, DOELGROEPEN, EMPLOYED, INKOMENSSITUATIE, JOB_CHANGERS, UREN, WERKGEVER

LABELS = {
    "inkomenssituatie": INKOMENSSITUATIE,
    "werkgever": WERKGEVER,
    "contract": CONTRACT,
    "uren": UREN,
}
# The plans the report names as dominating the mobility theme (r. 1983-1986): a reviewer's question
# is how the shares change without them.
DOMINANT_MOBILITY_PLANS = ("bouw", "vvt", "energieproductie")


def category_labels(tranche_group: str) -> dict[str, str]:
    axis = "type_traject" if tranche_group == "3" else "thema"
    return {e["id"]: e["label"] for e in published.categories()[axis]}


def group_labels(tranche_group: str) -> dict[str, str]:
    return DOELGROEPEN["1-2"] if tranche_group == "1-2" else category_labels("3")


def participants_table(people: pd.DataFrame, tranche_group: str, min_cell: int) -> pd.DataFrame:
    """Tabel 4.1 / 7.1: participants per target group x category (tranche 3: per trajectory type
    x plan type), with totals, disclosure-controlled."""
    if tranche_group == "1-2":
        rows = people["doelgroep"].map(group_labels("1-2")).rename("Doelgroep vooraf")
        cols = people["categorie"].map(category_labels("1-2")).rename("Thema")
    else:
        rows = people["categorie"].map(category_labels("3")).rename("Doel(groep)")
        cols = with_plan_type(people)["soort_plan"].map(PLAN_TYPE_LABELS).rename("Soort plan")
    counts = disclosure.crosstab(rows, cols, min_cell)
    counts["Totaal"] = rows.value_counts().reindex(counts.index)
    counts.loc["Totaal"] = [*list(cols.value_counts().reindex(counts.columns[:-1])), len(people)]
    return counts


def distribution(
    people: pd.DataFrame, by: str, variable: str, min_cell: int, labels: dict | None = None
) -> pd.DataFrame:
    """Shares (%) of a variable per group (plus a total row), disclosure-controlled; column n."""
    order = list(LABELS[variable])
    table = describe.distribution(people, by, variable, min_cell, order)
    total = describe.distribution(people.assign(_alle="Totaal"), "_alle", variable, min_cell, order)
    if labels:
        table = table.reindex([k for k in labels if k in table.index] + [k for k in table.index if k not in labels])
    table = pd.concat([total, table])
    table.index = [labels.get(i, i) if labels else i for i in table.index]
    table = table.rename(columns=LABELS[variable])
    return table


PLAN_TYPE_LABELS = {"sectoraal": "Sectorale plannen", "regionaal": "Regionale plannen"}


def employed(people: pd.DataFrame) -> pd.DataFrame:
    return people[people["inkomenssituatie"].isin(EMPLOYED)]


def job_changers(people: pd.DataFrame) -> pd.DataFrame:
    """Participants with a job at another employer than at the start (Figuur 4.3, 4.9, 7.4)."""
    working = employed(people)
    return working[working["werkgever"].isin(JOB_CHANGERS)]


def with_plan_type(people: pd.DataFrame) -> pd.DataFrame:
    """The participants with a column ``soort_plan`` (sectoraal, regionaal) from the plan register."""
    from sectorplannen.plans import register

    return people.assign(soort_plan=people["plan_id"].map(register().plan_types()))


def against_all(people: pd.DataFrame, tranche_group: str, min_cell: int) -> pd.DataFrame:
    from sectorplannen import compare

    table = compare.against_all(people, people["inkomenssituatie"].isin(EMPLOYED), "categorie", min_cell)
    table.index = [category_labels(tranche_group).get(i, i) for i in table.index]
    return table


def adjusted(people: pd.DataFrame, tranche_group: str) -> pd.DataFrame:
    from sectorplannen import compare

    table = compare.adjusted(people, people["inkomenssituatie"].isin(EMPLOYED), "categorie")
    table.index = [category_labels(tranche_group).get(i, i) for i in table.index]
    return table


def without_dominant(people: pd.DataFrame, min_cell: int, plans=DOMINANT_MOBILITY_PLANS) -> pd.DataFrame:
    """Mobility theme with and without the plans that dominate it: share with a job, with another
    employer and in another sector (among those with a job)."""
    rows = {}
    for label, frame in (
        ("Alle plannen", people),
        ("Zonder " + ", ".join(plans), people[~people["plan_id"].isin(plans)]),
    ):
        mobility = frame[frame["categorie"] == "arbeidsmobiliteit"]
        job = mobility["inkomenssituatie"].isin(EMPLOYED)
        working = mobility[job]
        rows[label] = {
            "n": len(mobility) if len(mobility) >= min_cell else None,
            "Met een baan": describe.share_with_ci(mobility, job, min_cell=min_cell)["aandeel"],
            "Andere werkgever (van werkenden)": describe.share_with_ci(
                working, working["werkgever"] != "zelfde_werkgever", min_cell=min_cell
            )["aandeel"],
            "Andere sector (van werkenden)": describe.share_with_ci(
                working, working["werkgever"] == "andere_sector", min_cell=min_cell
            )["aandeel"],
        }
    return pd.DataFrame(rows).T


def select(people: pd.DataFrame, params) -> pd.DataFrame:
    return cohort.select(
        people, tranche=params.tranche, peildatum=params.measurement_date, exclude_plans=params.exclude_plans
    )
