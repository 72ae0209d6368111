"""The robustness chapter: which published conclusions hinge on a single plan?

Every claim the plan-level data can compute is recomputed with each plan left out in turn and
with groups of plans left out (the zorg plans, the regional plans, the sectoral plans, and per
theme the largest plans that together hold more than half of its participants), in-process
through the statistics layer and in parallel worker processes. Per claim: the range over the
variants, whether the printed number (at its rounding and qualifier) still holds, and which plan
moves it most. Only claims that hold in the published selection and are computed from the plans
(status *gereproduceerd* or *nagerekend*) can lose their footing. Of those, totals and counts
(participants, euros, plans) change with any plan left out by definition; the conclusions are the
shares, rates and rankings, and those are what the chapter weighs. :func:`counts` is the one count
of them the page, ``make robuustheid`` and ``een_plan.csv`` all state, and :func:`one_plan` lists
every conclusion that hangs on a single plan with the value the ledger computes without it.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sectorplannen import claims, notation, paths, reuse
from sectorplannen.participants.indicators import ParticipantIndicators
from sectorplannen.participants.schema import weights
from sectorplannen.render import tables
from sectorplannen.sources import categories as category_file
from sectorplannen.sources.register import TRANCHE_WORDS, register
from sectorplannen.statistics import bijlage
from sectorplannen.statistics.indicators import Indicators
from sectorplannen.statistics.selection import validate

GROUPS = ("1-2", "3")
GROUP_WORDS = {group: TRANCHE_WORDS[group] for group in ("1-2", "3")}
# The statuses of a claim computed from the plans that holds in the published selection.
HOLDING = (claims.STATUS_REPRODUCED, claims.STATUS_ARITHMETIC)
# Units of totals and counts: a plan left out changes them by definition.
EXTENSIVE_UNITS = ("aantal", "euro", "duizend", "miljoen euro")
# The kinds a statistic declares (statistics.declaration) that are weighed apart: about one plan (the
# largest, the highest realisation: leaving that plan out changes them by definition), counting plans
# (the share of plans with ...: one plan moves them by 1/n), against a total from elsewhere.
DECLARED_KINDS = {"one_plan": "plan", "plan_count": "telling", "elsewhere": "elders"}
KIND_CONCLUSION = "conclusie"
KINDS = {
    "totaal": "totaal of aantal (verandert per definitie)",
    "plan": "over één plan (verandert als dat plan wegvalt)",
    "telling": "telling van plannen (één plan verschuift 1/n)",
    "elders": "berekend tegen een totaal van elders (niet per plan te splitsen)",
    "vast": "aandeel of realisatie uit een totaalrij (zonder een plan niet na te rekenen)",
    KIND_CONCLUSION: "aandeel, realisatie of rangorde (gewogen)",
}
# Where a claim is printed, in the reader's words (the claims' ``location`` and ``chapter``).
LOCATION_WORDS = {"samenvatting": "samenvattend kader", "kop": "kop", "tekst": "tekst", "voetnoot": "voetnoot"}
CHAPTER_WORDS = {"S": "samenvatting", "inleiding": "inleiding", "brief": "brief"}
UNIT_SUFFIX = {"procent": "%"}


@dataclass(frozen=True)
class Variant:
    """A selection of plans: the published one without ``plans``."""

    group: str
    kind: str  # 'plan' (one plan left out) or 'groep'
    label: str  # as a reader reads it: 'zonder Bouw', 'zonder de zorgplannen'
    plans: tuple[str, ...]


def _dominant(full: bijlage.Bijlage) -> dict[str, tuple[str, ...]]:
    """Per theme (trajectory type): the largest plans that together hold more than half of its
    realised participants."""
    realised = full.tables["deelnemers_gerealiseerd"].fillna(0)
    out = {}
    for category in full.categories:
        column = realised[category].sort_values(ascending=False)
        if column.sum() <= 0:
            continue
        share = column.cumsum() / column.sum()
        out[category] = tuple(sorted(column.index[: int((share < 0.5).sum()) + 1]))
    return out


def variants(group: str) -> list[Variant]:
    """Every plan left out in turn, then the groups of plans (each only when it leaves plans)."""
    plans = register().in_group(group)
    names = {p.id: p.name for p in plans}
    out = [Variant(group, "plan", f"zonder {p.name}", (p.id,)) for p in sorted(plans, key=lambda p: p.name)]
    groups = {
        "zonder de zorgplannen": tuple(p.id for p in plans if p.cluster == "zorg"),
        "zonder de regionale plannen": tuple(p.id for p in plans if p.plan_type == "regionaal"),
        "zonder de sectorale plannen": tuple(p.id for p in plans if p.plan_type == "sectoraal"),
    }
    labels = {e["id"]: e["label"] for axis in category_file.categories().values() for e in axis}
    for category, ids in _dominant(_full(group)).items():
        if len(ids) > 1:  # a single dominant plan is already a single-plan variant
            groups[f"zonder de grootste plannen in {labels.get(category, category)} ({len(ids)})"] = ids
    for label, ids in groups.items():
        if ids and len(ids) < len(names):
            out.append(Variant(group, "groep", label, tuple(sorted(ids))))
    return out


_FULL: dict[str, bijlage.Bijlage] = {}


def _full(group: str) -> bijlage.Bijlage:
    if group not in _FULL:
        _FULL[group] = bijlage.load(validate(tranche=group))
    return _FULL[group]


def claim_files() -> list[str]:
    """The claims files with claims of a tranche group computed from plan-level data."""
    return [
        path.stem
        for path in sorted(claims.CLAIMS.glob("*.csv"))
        if not claims.is_participant_file(path.stem) and claims.load(path.stem)["tranche"].isin(GROUPS).any()
    ]


def _claims(group: str) -> pd.DataFrame:
    """The claims of a tranche group in the plan-level claims files."""
    frames = [claims.load(name) for name in claim_files()]
    frame = pd.concat(frames, ignore_index=True)
    return frame[frame["tranche"] == group].reset_index(drop=True)


def _ledger(selected: pd.DataFrame, data: bijlage.Bijlage) -> pd.DataFrame:
    """The ledger rows of the claims ``selected`` for one selection of plans."""
    indicators = Indicators(data)
    return pd.DataFrame([claims.evaluate(claim, indicators) for claim in selected.to_dict("records")])


def _evaluate(task: tuple[Variant, pd.DataFrame]) -> pd.DataFrame:
    """The claims ``task[1]`` computed for the variant's selection (a worker's task)."""
    variant, selected = task
    frame = _ledger(selected, bijlage.without(_full(variant.group), variant.plans))
    return pd.DataFrame(
        {
            "claim": frame["claim"],
            "variant": variant.label,
            "soort": variant.kind,
            "tranchegroep": variant.group,
            "weggelaten": "; ".join(variant.plans),  # plan ids
            "waarde": frame["berekend_waarde"],
            "getoond": frame["berekend"],  # as the ledger shows it: Dutch notation, a category by its name
            "berekenbaar": frame["status"] != claims.STATUS_NA,
            "houdt": frame["status"] != claims.STATUS_DIFFERS,
        }
    )


@dataclass
class Sensitivity:
    """The default ledger, every variant's values and the summary per claim."""

    default: pd.DataFrame  # the ledger of the published selection, both tranche groups
    variant_values: pd.DataFrame  # one row per claim and variant
    summary: pd.DataFrame  # one row per claim that holds and is computed from the plans
    n_variants: int


def compute(jobs: int | None = None) -> Sensitivity:
    """Every variant of both tranche groups, in ``jobs`` worker processes (default: the cores)."""
    claimed = {group: _claims(group) for group in GROUPS}  # read once, not once per variant
    default = pd.concat([_ledger(claimed[group], _full(group)).assign(tranchegroep=group) for group in GROUPS])
    holding = default[default["status"].isin(HOLDING) & default["berekend_waarde"].notna()]
    only = {
        group: claimed[group][claimed[group]["id"].isin(holding.loc[holding["tranchegroep"] == group, "claim"])]
        for group in GROUPS
    }
    todo = [(v, only[group]) for group in GROUPS for v in variants(group)]
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1:  # forked workers inherit the tables and claims already read
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_evaluate, todo, chunksize=4))
    else:
        results = [_evaluate(task) for task in todo]
    values = pd.concat(results, ignore_index=True)
    return Sensitivity(default, values, summarise(default, values), len(todo))


def inputs() -> list[Path]:
    """What :func:`compute` reads: the published tables, the claims, the register and the categories,
    and the code of the layers that compute a claim (and of this module)."""
    return [
        *paths.data_files(paths.PUBLISHED, paths.DATA / "claims"),
        *sorted(paths.RAW.glob("*.yaml")),
        *reuse.code("sources", "published", "statistics", "claims", "chapters/robuustheid.py"),
    ]


REUSED = "robuustheid"  # the name the variants are kept under (sectorplannen.reuse)


def sensitivity(jobs: int | None = None) -> Sensitivity:
    """:func:`compute`, once per state of its inputs (:mod:`sectorplannen.reuse`): the chapter rebuilt
    for its notebook, the site or the build takes the variants it computed before."""
    return reuse.reused(REUSED, inputs(), lambda: compute(jobs))


def summarise(default: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Per claim that holds in the published selection and is computed from the plans: its range,
    how many single-plan exclusions break it, the plan that moves it most and the groups that
    break it. Sorted: claims that break first, by how many exclusions break them."""
    base = default[default["status"].isin(HOLDING) & default["berekend_waarde"].notna()].set_index("claim")
    statistics = pd.concat([_claims(group) for group in GROUPS]).set_index("id")
    rows = []
    for claim, variants_of in values[values["claim"].isin(base.index)].groupby("claim", sort=False):
        own = base.loc[claim]
        numeric = own["eenheid"] not in claims.IDENTITY_UNITS
        computable = variants_of[variants_of["berekenbaar"]]
        singles = computable[computable["soort"] == "plan"]
        broken = singles[~singles["houdt"]]
        if numeric:
            values_of = pd.to_numeric(computable["waarde"])
            shift = (pd.to_numeric(singles["waarde"]) - float(own["berekend_waarde"])).abs()
            mover = singles.loc[shift.idxmax(), "variant"] if len(shift) and shift.max() > 0 else ""
            low, high, moved = values_of.min(), values_of.max(), shift.max() if len(shift) else 0.0
        else:  # a rank claim: the plan or theme named changes or not
            changed = singles[singles["waarde"] != own["berekend_waarde"]]
            mover = changed["variant"].iloc[0] if len(changed) else ""
            low = high = moved = None
        groups = computable[(computable["soort"] == "groep") & ~computable["houdt"]]["variant"]
        claim_row = statistics.loc[claim]
        rows.append(
            {
                "claim": claim,
                "tranchegroep": own["tranchegroep"],
                "hoofdstuk": own["hoofdstuk"],
                "plaats": place(claim_row),
                "tekst": own["tekst"],
                "gepubliceerd": own["gepubliceerd"],
                "gedrukt": printed(claim_row, own["gepubliceerd"]),
                "eenheid": own["eenheid"],
                "standaard": own["berekend_waarde"],
                "standaard_getoond": ranked(with_unit(own["berekend"], own["eenheid"]), claim_row),
                "laagste": low,
                "hoogste": high,
                "grootste_verschuiving": moved,
                "plan_met_grootste_invloed": mover.removeprefix("zonder "),
                "plannen_die_het_breken": len(broken),
                "breekt_zonder": "; ".join(v.removeprefix("zonder ") for v in broken["variant"]),
                "groepen_die_het_breken": "; ".join(v.removeprefix("zonder ") for v in groups),
                "houdt_altijd": broken.empty,
                "soort_getal": KINDS[kind(claim_row, own, own["tranchegroep"], computable=not singles.empty)],
                "per_variant_berekenbaar": not singles.empty,
            }
        )
    frame = pd.DataFrame(rows)
    return frame.sort_values(["plannen_die_het_breken", "claim"], ascending=[False, True], ignore_index=True)


def place(claim: pd.Series) -> str:
    """Where the report prints a claim, in words: 'Tabel 6.1, hoofdstuk 6', 'tekst, samenvatting'."""
    location = str(claim["location"]).strip()
    chapter = str(claim["chapter"]).strip()
    where = LOCATION_WORDS.get(location, location)
    part = CHAPTER_WORDS.get(chapter, f"hoofdstuk {chapter}")
    document = "" if claim["source"] == "001" else f" ({tables.DOCUMENTS.get(claim['source'], claim['source'])})"
    return f"{where}, {part}{document}"


def with_unit(text: str, unit: str) -> str:
    """A value as the ledger shows it, with its unit where the bare number would not say it (96%)."""
    return f"{text}{UNIT_SUFFIX[unit]}" if text and unit in UNIT_SUFFIX else text


def ranked(text: str, claim: pd.Series) -> str:
    """A plan or theme named at a rank other than the first, marked with that rank, so two claims
    about one sentence ('the least used are A and B') can be told apart: 'Gezondheid (rang 2)'."""
    rank = str(claim["rank"]).strip()
    named = claim["unit"] in claims.IDENTITY_UNITS  # a number's rank is its statistic's, not the value's
    return f"{text} (rang {rank})" if named and text and rank not in ("", "1") else text


def printed(claim: pd.Series, published: str) -> str:
    """The printed value with its qualifier, unit and rank: 'meer dan 100%', 'Gezondheid (rang 2)'."""
    value = ranked(with_unit(published, claim["unit"]), claim)
    return " ".join(part for part in (claim["qualifier"], value) if part)


def kind(claim: pd.Series, own: pd.Series, group: str, computable: bool = True) -> str:
    """What kind of number a claim is, for weighing it (a key of :data:`KINDS`); a share that no
    selection without a plan can compute (it is read from a printed total row) is ``vast``."""
    declared = claims.VOCABULARY[claim["statistic"]].kind
    plan_level = {f"001/{table}" for table in bijlage.TABLES[group].values()} | {"plannenregister"}
    if own["eenheid"] in EXTENSIVE_UNITS:
        return "totaal"
    if declared in DECLARED_KINDS:
        return DECLARED_KINDS[declared]
    if not set(filter(None, str(own["invoer_ids"]).split(", "))) <= plan_level:
        return "elders"
    return KIND_CONCLUSION if computable else "vast"


def conclusion_rows(summary: pd.DataFrame) -> pd.Series:
    """The claims the chapter weighs: shares, rates and rankings of the plans' own data, computable
    for every variant."""
    return (summary["soort_getal"] == KINDS[KIND_CONCLUSION]) & summary["per_variant_berekenbaar"]


def per_plan(sensitivity: Sensitivity) -> pd.Series:
    """How many holding conclusions (shares, rates, rankings) break when each plan is left out
    (plans that break none omitted)."""
    summary = sensitivity.summary
    conclusions = set(summary.loc[conclusion_rows(summary), "claim"])
    frame = sensitivity.variant_values
    singles = frame[(frame["soort"] == "plan") & frame["claim"].isin(conclusions) & frame["berekenbaar"]]
    broken = singles[~singles["houdt"]]
    labels = broken["variant"].str.removeprefix("zonder ") + " (" + broken["tranchegroep"].map(GROUP_WORDS) + ")"
    return labels.value_counts().sort_values(ascending=False)


def write_table(frame: pd.DataFrame, name: str, folder=None):
    """One table as CSV in ``outputs/robuustheid/`` (written atomically)."""
    folder = folder or paths.robustness()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    frame.to_csv(tmp, index=False, lineterminator="\n")
    tmp.replace(target)
    return target


ONE_PLAN_CSV = "een_plan.csv"


def write(sensitivity: Sensitivity, folder=None) -> list:
    """The summary per claim, every variant's values and the conclusions that hang on one plan as
    CSV in ``outputs/robuustheid/``."""
    return [
        write_table(sensitivity.summary, "per_getal.csv", folder),
        write_table(sensitivity.variant_values, "varianten.csv", folder),
        write_table(one_plan(sensitivity), ONE_PLAN_CSV, folder),
    ]


def _weighed(sensitivity: Sensitivity) -> pd.DataFrame:
    summary = sensitivity.summary
    return summary[conclusion_rows(summary)]


@dataclass(frozen=True)
class Counts:
    """The chapter's one count of the conclusions it weighs (:func:`conclusion_rows`: the printed
    shares, rates and rankings that hold in the published selection and that every selection
    without a plan can compute), split by what leaving out single plans does to them. The page,
    ``make robuustheid`` and ``een_plan.csv`` all state these numbers."""

    variants: int
    conclusions: int
    hold: int  # hold whichever single plan is left out
    one_plan: int  # fail without exactly one plan (and without no other): the rows of one_plan()
    several: int  # fail without each of two or more plans, each left out on its own

    @property
    def broken(self) -> int:
        return self.one_plan + self.several


def counts(sensitivity: Sensitivity) -> Counts:
    """The weighed conclusions counted once, for every place that states them."""
    weighed = _weighed(sensitivity)
    breaking = weighed["plannen_die_het_breken"]
    return Counts(
        sensitivity.n_variants,
        len(weighed),
        int((breaking == 0).sum()),
        int((breaking == 1).sum()),
        int((breaking > 1).sum()),
    )


def counts_line(sensitivity: Sensitivity) -> str:
    """The count in one line, as ``make robuustheid`` prints it (Dutch, like the page)."""
    c = counts(sensitivity)
    return (
        f"{c.variants} varianten; van de {c.conclusions} gewogen conclusies (aandelen, realisaties, rangordes) "
        f"houden er {c.hold} altijd stand, {c.broken} niet zonder ten minste één plan: {c.one_plan} hangen aan "
        f"precies één plan ({ONE_PLAN_CSV}), {c.several} vallen weg zonder elk van meerdere plannen"
    )


def _chapter_order(chapter: str) -> tuple[int, str]:
    """The summary first, then the chapters by number, then the rest (appendices, other documents)."""
    if chapter == "S":
        return (0, "")
    return (int(chapter), "") if chapter.isdigit() else (1000, chapter)


def one_plan(sensitivity: Sensitivity) -> pd.DataFrame:
    """Every weighed conclusion that hangs on one plan: the printed sentence, where it is printed,
    the plan (id and name as the report names it), the printed value, and the value and verdict of
    the ledger computed without that plan (the very row :func:`summarise` counted). Ordered by plan,
    then by where the report prints it."""
    weighed = _weighed(sensitivity)
    hanging = weighed[weighed["plannen_die_het_breken"] == 1]
    values = sensitivity.variant_values
    singles = values[(values["soort"] == "plan") & values["berekenbaar"] & ~values["houdt"]]
    frame = hanging.merge(
        singles[["claim", "tranchegroep", "weggelaten", "getoond", "houdt"]],
        on=["claim", "tranchegroep"],
        validate="one_to_many",
    )
    if len(frame) != len(hanging):  # a bug: every claim that one plan breaks has that plan's row
        raise AssertionError(f"{len(hanging)} conclusions hang on one plan, {len(frame)} have its values")
    frame["plan"] = [register().get(plan).name for plan in frame["weggelaten"]]
    statistics = pd.concat([_claims(group) for group in GROUPS]).set_index("id")
    frame["zonder_plan"] = [
        ranked(with_unit(value, unit), statistics.loc[claim])
        for claim, value, unit in zip(frame["claim"], frame["getoond"], frame["eenheid"], strict=True)
    ]
    frame = frame.assign(volgorde=frame["hoofdstuk"].map(_chapter_order))
    frame = frame.sort_values(["plan", "volgorde", "claim"], ignore_index=True)
    return frame[
        [
            "claim",
            "tranchegroep",
            "hoofdstuk",
            "plaats",
            "tekst",
            "weggelaten",
            "plan",
            "gedrukt",
            "standaard_getoond",
            "zonder_plan",
            "houdt",
        ]
    ].rename(columns={"weggelaten": "plan_id", "standaard_getoond": "alle_plannen"})


def one_plan_table(sensitivity: Sensitivity) -> pd.DataFrame:
    """:func:`one_plan` as the reader reads it: sentences, places and plans in words, values as
    the ledger shows them, no ids. No column says whether the printed number still holds: every
    conclusion in it fails without its plan (the caption says so)."""
    frame = one_plan(sensitivity)
    if frame["houdt"].any():
        raise AssertionError("a conclusion that holds without its plan is listed as hanging on it")
    table = pd.DataFrame(
        {
            "Conclusie in het rapport": frame["tekst"],
            "Plaats": frame["plaats"],
            "Plan weggelaten": frame["plan"],
            "Gedrukt": frame["gedrukt"],
            "Zonder dit plan": frame["zonder_plan"],
        }
    )
    table.index = pd.RangeIndex(1, len(table) + 1, name="Nr.")
    return table


def _plans(text: str, shown: int = 4) -> str:
    """'Bouw, Metaal en 3 andere' for a '; '-separated list of plans."""
    names = [n for n in text.split("; ") if n]
    if len(names) <= shown:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} en {len(names) - shown} andere"


def headline(sensitivity: Sensitivity) -> str:
    """The chapter's finding in numbers (Dutch), from :func:`counts`."""
    c = counts(sensitivity)
    plans = one_plan(sensitivity)["plan"].value_counts(sort=False)
    plans = plans.sort_values(ascending=False, kind="stable")  # by count, then by name
    hinge = "; ".join(f"{n} zonder {plan}" for plan, n in plans.items())
    return (
        f"Van de **{c.conclusions}** aandelen, realisatiepercentages en rangordes die het rapport drukt, die in de "
        f"gepubliceerde selectie kloppen en die zonder elk plan opnieuw te berekenen zijn, houden er **{c.hold}** "
        f"stand als welk plan dan ook wordt weggelaten (op de afronding en met de woorden van het rapport). "
        f"**{c.broken}** kloppen niet meer zonder ten minste één plan: **{c.one_plan}** daarvan hangen aan precies "
        f"één plan ({hinge}), de andere {c.several} vallen weg zonder elk van twee of meer plannen. Berekend over "
        f"{c.variants} varianten: elk plan apart weggelaten en groepen plannen weggelaten."
    )


def kinds_table(sensitivity: Sensitivity) -> pd.DataFrame:
    """How many numbers of each kind hold under every single-plan exclusion."""
    summary = sensitivity.summary
    grouped = summary.groupby("soort_getal", sort=False)
    frame = pd.DataFrame(
        {"Getallen": grouped.size(), "Houden altijd stand": grouped["houdt_altijd"].sum().astype(int)}
    ).reindex([KINDS[k] for k in KINDS])
    frame.index.name = "Soort getal"
    return frame.dropna().astype(int)


def _with_units(values: pd.Series, units: pd.Series) -> list[str]:
    """Computed values at one decimal in Dutch notation, with their unit ('93,3%'); '' for a ranking."""
    return [with_unit(notation.getal(v, 1), u) for v, u in zip(values, units, strict=True)]


def breaking_table(sensitivity: Sensitivity) -> pd.DataFrame:
    """The weighed conclusions that fail without each of two or more plans (those that hang on one
    plan are :func:`one_plan_table`), the most fragile first: every one of them."""
    weighed = _weighed(sensitivity)
    broken = weighed[weighed["plannen_die_het_breken"] > 1]
    table = pd.DataFrame(
        {
            "Conclusie in het rapport": broken["tekst"],
            "Plaats": broken["plaats"],
            "Gedrukt": broken["gedrukt"],
            "Met alle plannen": broken["standaard_getoond"],
            "Laagste": _with_units(broken["laagste"], broken["eenheid"]),
            "Hoogste": _with_units(broken["hoogste"], broken["eenheid"]),
            "Plannen die het breken": broken["plannen_die_het_breken"],
            "Breekt zonder": broken["breekt_zonder"].map(_plans),
        }
    )
    table.index = pd.RangeIndex(1, len(table) + 1, name="Nr.")
    return table


def group_table(sensitivity: Sensitivity) -> pd.DataFrame:
    """Per group of plans left out: how many weighed numbers no longer hold."""
    weighed = set(_weighed(sensitivity)["claim"])
    frame = sensitivity.variant_values
    groups = frame[(frame["soort"] == "groep") & frame["claim"].isin(weighed) & frame["berekenbaar"]]
    table = groups.groupby(["tranchegroep", "variant"], sort=False)["houdt"].agg(["size", "sum"])
    out = pd.DataFrame(
        {
            "Getallen": table["size"].astype(int),
            "Kloppen niet meer": (table["size"] - table["sum"]).astype(int),
        }
    )
    out.index = [f"{variant} ({GROUP_WORDS[group]})" for group, variant in out.index]
    out.index.name = "Weggelaten"
    return out


# ------------------------------------------------------------- participant claims (synthetic file)

PARTICIPANT_FILE = "arbeidsmarktpositie"
LARGEST_PLANS = 5  # single-plan variants for participant claims: the plans with the most participants


def participant_variants(people: pd.DataFrame, group: str) -> list[Variant]:
    """The groups of plans, and each of the plans with the most participants left out in turn (a
    participant ledger takes seconds, so not every plan: the largest move the shares most)."""
    plans = register().in_group(group)
    names = {p.id: p.name for p in plans}
    # participants per plan (a table of counts weighs its rows by aantal)
    counts = (
        pd.Series(weights(people), index=people.index)[people["plan_id"].isin(names).to_numpy()]
        .groupby(people["plan_id"])
        .sum()
        .sort_values(ascending=False, kind="stable")
    )
    out = [Variant(group, "plan", f"zonder {names[i]}", (i,)) for i in counts.index[:LARGEST_PLANS]]
    groups = {
        "zonder de zorgplannen": tuple(p.id for p in plans if p.cluster == "zorg"),
        "zonder de regionale plannen": tuple(p.id for p in plans if p.plan_type == "regionaal"),
        "zonder de sectorale plannen": tuple(p.id for p in plans if p.plan_type == "sectoraal"),
    }
    out += [Variant(group, "groep", label, ids) for label, ids in groups.items() if ids and len(ids) < len(names)]
    return out


def _participant_ledger(people: pd.DataFrame, group: str, plans=()) -> pd.DataFrame:
    indicators = ParticipantIndicators(people, group, plans)
    return claims.ledger(PARTICIPANT_FILE, group, indicators, True, synthetic=True)


def participants_synthetic(people: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """The participant claims on the synthetic file, per variant: whether the calibrated number still
    holds. SYNTHETIC: the file is calibrated to these numbers, so this shows how the calibration
    spreads over the plans, not how robust the report is (the column ``gegevens`` says so)."""
    rows = []
    for group in GROUPS:
        default = _participant_ledger(people, group).set_index("claim")
        holding = default[default["status"] == claims.STATUS_CALIBRATED]
        for variant in participant_variants(people, group)[:limit]:
            frame = _participant_ledger(people, group, variant.plans).set_index("claim").loc[holding.index]
            rows.append(
                pd.DataFrame(
                    {
                        "claim": holding.index,
                        "tranchegroep": group,
                        "tekst": holding["tekst"],
                        "gepubliceerd": holding["gepubliceerd"],
                        "standaard": holding["berekend_waarde"],
                        "variant": variant.label,
                        "soort": variant.kind,
                        "waarde": frame["berekend_waarde"],
                        "houdt": frame["status"] != claims.STATUS_UNCALIBRATED,
                        "gegevens": "synthetisch",
                    }
                ).reset_index(drop=True)
            )
    return pd.concat(rows, ignore_index=True)
