"""The synthetic participant file: the real schema, calibrated to what the report publishes.

Nobody outside the evaluators may see the BSN-linked participant data. This module generates a
stand-in with the same schema (:mod:`sectorplannen.participants`), deterministically (seeded), so
that anyone can run chapters 4 and 7. It is calibrated to the published numbers:

- per plan x theme (tranche 1-2, Tabel A.8) and per plan x trajectory type (tranche 3, Tabel
  A.13) the number of BSN-registered participants, exactly;
- per theme the target groups at the start (Tabel 4.1), exactly; per trajectory type the plan
  type (Tabel 7.1 follows from A.13 and the register);
- the measures within a theme where the report prints their counts (Figuur 4.1), exactly;
- per theme the share of young participants (Tabel 3.1; tranche 3: Tabel 10.1), to the unit;
- the outcomes (income situation, employer, contract, hours) to every participant number chapters
  4 and 7 state (the claims in ``data/claims/arbeidsmarktpositie.csv``), at the published rounding,
  by :mod:`sectorplannen.participants.calibration`. Where the report is silent, ``data/calibratie.yaml`` holds
  the prior: full distributions from the figures, or assumptions that say so. Where the report
  contradicts itself, the fewest claims are given up; :func:`write` lists them.

What the report does not say is filled with documented assumptions (see ``ASSUMPTIONS``), never
presented as a finding. Every output made from this file says it is synthetic.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pa_compute
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from sectorplannen import hashing, paths, published, reuse, yamlfile
from sectorplannen.errors import DataFileError
from sectorplannen.participants import calibration, engine
from sectorplannen.participants import cohort as cohort_module
from sectorplannen.participants.calibration import VARIABLES
from sectorplannen.participants.schema import (
    COLUMNS,
    DOELGROEPEN,
    EMPLOYED,
    NOT_EMPLOYED,
    OUTCOME_CONDITIONS,
    PEILDATA,
    outcome_condition,
    with_categories,
)
from sectorplannen.sources import categories
from sectorplannen.sources.register import register

SEED = 20190531


T = TypeVar("T")


# What the file generated once per state of its inputs, and the hashes of the files saved from it,
# are kept as in sectorplannen.reuse (neither name begins with the other: keeping one removes only
# the older results of its own name).
REUSED, WRITTEN = "synthetic-participants", "written-synthetic-participants"


ASSUMPTIONS = {
    "spreiding doelgroepen": "Binnen een thema hebben alle plannen dezelfde verdeling over de doelgroepen "
    "(Tabel 4.1 geeft alleen thema x doelgroep); afronding zo dat A.8 en 4.1 allebei exact kloppen.",
    "spreiding maatregelen": "Maatregelen binnen een thema zijn evenredig over de plannen verdeeld; alleen "
    "arbeidsmobiliteit heeft gedrukte aantallen per maatregel (Figuur 4.1). Andere thema's: 'niet uitgesplitst'.",
    "jongeren": "Jongeren (26 jaar of jonger) zijn eerst studenten, daarna willekeurige andere deelnemers van "
    "het thema, tot het aandeel van Tabel 3.1 (tranche 3: 34 procent, Tabel 10.1).",
    "looptijd": "Start en einde van de deelname zijn verzonnen: tranche 1-2 start 2014-2016 en duurt 3-18 "
    "maanden; tranche 3 start juni 2016-2017 en duurt 3-12 maanden.",
    "eerdere peildata": "Waar het rapport voor 2017 of 2018 geen uitkomst geeft, is de situatie gelijk aan die "
    "van de latere peildatum; waar het wel iets zegt, wisselen zo min mogelijk deelnemers van situatie.",
    "uitkomsten": "Elk getal dat hoofdstuk 4 en 7 over deelnemers noemen is een eis (op de gepubliceerde "
    "afronding); wat het rapport niet zegt volgt de aannames in data/calibratie.yaml (2019) of, voor 2017 "
    "en 2018, de situatie van de latere peildatum (zo min mogelijk wisselingen). Binnen een cel die geen "
    "enkel getal van het rapport onderscheidt, is de uitkomst onafhankelijk van plan en persoon.",
}


def add_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """``days + months`` as the calendar does it (31 January + 1 month = 28/29 February), vectorised."""
    first = days.astype("datetime64[M]")
    offset = days - first.astype("datetime64[D]")
    target = first + months.astype("timedelta64[M]")
    last = (target + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
    return np.minimum(target.astype("datetime64[D]") + offset, last)


def two_margin_table(rows: pd.Series, columns: pd.Series) -> pd.DataFrame:
    """Whole-unit table whose row sums are ``rows`` and column sums are ``columns`` (equal totals),
    as close as possible to independence (controlled rounding)."""
    if int(rows.sum()) != int(columns.sum()):
        raise ValueError(f"margins differ: {int(rows.sum())} against {int(columns.sum())}")
    total = rows.sum()
    exact = (
        np.outer(rows.to_numpy(float), columns.to_numpy(float)) / total
        if total
        else np.zeros((len(rows), len(columns)))
    )
    table = np.floor(exact).astype(int)
    need_row = rows.to_numpy(int) - table.sum(axis=1)
    need_col = columns.to_numpy(int) - table.sum(axis=0)
    for flat in np.argsort(-(exact - table), axis=None, kind="mergesort"):
        i, j = divmod(int(flat), len(columns))
        if need_row[i] > 0 and need_col[j] > 0:
            table[i, j] += 1
            need_row[i] -= 1
            need_col[j] -= 1
    for i in np.flatnonzero(need_row):
        for j in np.flatnonzero(need_col):
            take = min(need_row[i], need_col[j])
            table[i, j] += take
            need_row[i] -= take
            need_col[j] -= take
    return pd.DataFrame(table, index=rows.index, columns=columns.index)


def _counts(table_id: str) -> pd.DataFrame:
    frame = published.table(table_id)
    body = frame[~frame["is_total_row"] & ~frame["is_total_column"]]
    return body.pivot_table(index="plan_id", columns="category_id", values="value", aggfunc="sum").fillna(0).astype(int)


def target_group_ids() -> dict[str, str]:
    """Tabel 4.1's printed target groups -> the schema's ids (participants.DOELGROEPEN)."""
    return {label: group for group, label in DOELGROEPEN["1-2"].items()}


def _target_groups() -> pd.DataFrame:
    """Tabel 4.1 as theme x target group counts."""
    frame = published.table("4.1")
    body = frame[~frame["is_total_row"] & ~frame["is_total_column"]]
    body = body.assign(doelgroep=body["row"].map(target_group_ids()))
    return (
        body.pivot_table(index="category_id", columns="doelgroep", values="value", aggfunc="sum").fillna(0).astype(int)
    )


def _youth_shares() -> dict[str, float]:
    frame = published.table("3.1")
    shares = frame[(frame["category"] == "Aandeel jongeren (tot en met 26)") & ~frame["is_total_row"]]
    lookup = categories.category_lookup()
    return {lookup[row]: value / 100 for row, value in zip(shares["row"], shares["value"], strict=True)}


def _youth_share_t3() -> float:
    frame = published.table("10.1")
    cell = frame[(frame["row"] == "Aandeel deelnemers onder 27 jaar") & (frame["category"] == "Tranche 3")]
    return float(cell["value"].iloc[0]) / 100


def measure_counts() -> dict[str, pd.Series]:
    """Measures within a theme with the counts the report prints (Figuur 4.1: arbeidsmobiliteit)."""
    calibration = load_calibration()
    return {theme: pd.Series(counts, dtype=int) for theme, counts in (calibration.get("maatregelen") or {}).items()}


def population(rng: np.random.Generator) -> pd.DataFrame:
    """One row per participant (no outcomes yet), tranche 1-2 and 3; the text columns as categoricals
    (as :func:`~sectorplannen.participants.schema.with_categories` makes them). Built from numbered
    values (a plan's people in a block, a theme's blocks one after the other) with the same seeded
    draws, in the same order, as row-by-row construction made them."""
    plans = {p.id: p for p in register()}
    numbered: dict[str, dict[str, int]] = defaultdict(dict)  # per text column: its values' numbers
    parts: dict[str, list[np.ndarray]] = defaultdict(list)  # per column: its blocks

    def number(name: str, values) -> np.ndarray:
        """The numbers of a few values of a text column (numbered as they come)."""
        seen = numbered[name]
        return np.array([seen.setdefault(value, len(seen)) for value in values], dtype=np.int64)

    def add(n: int, **columns) -> None:
        for name, values in columns.items():
            parts[name].append(values if len(values) == n else np.repeat(values, n))

    counts12, groups = _counts("A.8"), _target_groups()
    youth = _youth_shares()
    measures = measure_counts()
    for theme in counts12.columns:
        per_plan = counts12[theme][counts12[theme] > 0]
        by_group = two_margin_table(per_plan, groups.loc[theme][groups.loc[theme] > 0])
        sizes = by_group.to_numpy().ravel()  # plan by plan, each plan's groups in order (as stack() reads it)
        plan_id = np.repeat(np.repeat(number("plan_id", by_group.index), by_group.shape[1]), sizes)
        doelgroep = np.repeat(np.tile(number("doelgroep", by_group.columns), by_group.shape[0]), sizes)
        maatregel = number("maatregel", ["niet uitgesplitst"])
        if theme in measures:
            by_measure = two_margin_table(per_plan, measures[theme])
            maatregel = _measures(plan_id, number("maatregel", by_measure.columns), by_measure.to_numpy(), rng)
        n_young = round(youth.get(theme, 0.0) * len(plan_id))
        student = doelgroep == numbered["doelgroep"].get("studenten", -1)
        students, others = np.flatnonzero(student), np.flatnonzero(~student)
        jong = np.zeros(len(plan_id), dtype=bool)
        jong[students[:n_young]] = True
        jong[rng.permutation(others)[: max(0, n_young - len(students))]] = True
        add(len(plan_id), plan_id=plan_id, doelgroep=doelgroep, categorie=number("categorie", [theme]))
        add(len(plan_id), maatregel=maatregel, jong=jong)
    counts3 = _counts("A.13")
    share3 = _youth_share_t3()
    for kind in counts3.columns:
        per_plan = counts3[kind][counts3[kind] > 0]
        plan_id = np.repeat(number("plan_id", per_plan.index), per_plan.to_numpy())
        jong = np.zeros(len(plan_id), dtype=bool)
        jong[rng.permutation(len(plan_id))[: round(share3 * len(plan_id))]] = True
        add(len(plan_id), plan_id=plan_id, doelgroep=number("doelgroep", [kind]), categorie=number("categorie", [kind]))
        add(len(plan_id), maatregel=number("maatregel", ["niet uitgesplitst"]), jong=jong)
    order = rng.permutation(sum(len(block) for block in parts["jong"]))
    columns = {name: np.concatenate(blocks)[order] for name, blocks in parts.items()}
    plan_ids = list(numbered["plan_id"])
    plan_types = register().plan_types()
    out = pd.DataFrame({"deelnemer_id": participant_ids(len(order))})
    for name, seen in numbered.items():
        out[name] = _categorical(columns[name], list(seen))
    out["jong"] = columns["jong"]
    out["tranche"] = np.array([plans[plan_id].tranche for plan_id in plan_ids], dtype=np.int64)[columns["plan_id"]]
    out["plan_type"] = _categorical(columns["plan_id"], [plan_types[plan_id] for plan_id in plan_ids])
    early = out["tranche"].to_numpy() < 3
    start12 = pd.Timestamp("2014-01-01") + pd.to_timedelta(rng.integers(0, 3 * 365, len(out)), unit="D")
    start3 = pd.Timestamp("2016-06-01") + pd.to_timedelta(rng.integers(0, 18 * 30, len(out)), unit="D")
    out["start"] = np.where(early, start12, start3)
    months = np.where(early, rng.integers(3, 19, len(out)), rng.integers(3, 13, len(out)))
    out["einde"] = add_months(out["start"].to_numpy("datetime64[D]"), months)
    return out


def participant_ids(n: int) -> np.ndarray:
    """``S000001`` up to ``f"S{n:06d}"``: up to 999.999 written as digits into one byte buffer and split
    (a third of the time of formatting each), beyond that formatted one by one."""
    if n >= 10**6:
        return np.array([f"S{i:06d}" for i in range(1, n + 1)], dtype=object)
    numbers = np.arange(1, n + 1)
    text = np.empty((n, 8), dtype=np.uint8)
    text[:, 0], text[:, 7] = ord("S"), ord(" ")
    for place in range(6, 0, -1):
        text[:, place] = ord("0") + numbers % 10
        numbers //= 10
    return np.array(text.tobytes().decode("ascii").split(), dtype=object)


def _measures(plan_id: np.ndarray, measures: np.ndarray, counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each person's measure (``measures``, numbered; ``counts``: plans in order of appearance x
    measures): per plan its measures in a seeded random order, handed out from the end of that order
    to the plan's people in row order."""
    codes = pd.factorize(plan_id)[0]  # in order of appearance, as the plans' rows of ``counts``
    drawn = [rng.permutation(np.repeat(measures, row)) for row in counts]
    out = np.empty(len(plan_id), dtype=np.int64)
    out[np.argsort(codes, kind="stable")] = np.concatenate([plan[::-1] for plan in drawn])
    return out


def _categorical(codes: np.ndarray, labels: list[str]) -> pd.Categorical:
    """``labels[codes]`` as a categorical of the values present, sorted, as ``astype("category")``
    makes it of the texts (without hashing a text per row)."""
    text = np.array(labels, dtype=object)
    present = np.flatnonzero(np.bincount(codes, minlength=len(text)))
    distinct = pd.unique(text[present])  # two plans of one plan type: one category
    ranks = {value: rank for rank, value in enumerate(sorted(distinct))}
    renumber = np.array([ranks.get(value, -1) for value in text], dtype=np.int64)  # -1: not present
    return pd.Categorical.from_codes(renumber[codes], categories=pd.Index(sorted(distinct), dtype=object))


@dataclass
class Target:
    """One calibration target: the distribution of a variable in a cohort at a measurement date."""

    tranche: str
    cohort: dict
    peildatum: str
    variable: str
    distribution: dict
    source: str

    def attributes(self, people: pd.DataFrame) -> pd.Series:
        """Whether each row is in the target's tranche and meets its conditions on attributes: the part
        of :meth:`matches` that no outcome changes, so the generator evaluates it once."""
        mask = cohort_module.isin(people["tranche"], [1, 2] if self.tranche == "1-2" else [3])
        for key, value in self.cohort.items():
            if key in OUTCOME_CONDITIONS:
                continue
            if people[key].dtype == bool:
                mask &= people[key] == (str(value).lower() in ("true", "ja", "1"))
            else:
                mask &= people[key] == value
        return mask

    def outcome_conditions(self) -> list[tuple[str, tuple[str, ...]]]:
        """The target's conditions on outcomes (baan=ja|nee, baanwisselaar=ja|nee, as cohort selection
        reads them) as (variable, values admitted)."""
        return [outcome_condition(key, value) for key, value in self.cohort.items() if key in OUTCOME_CONDITIONS]

    def matches(self, people: pd.DataFrame) -> pd.Series:
        """Whether each row is in the target's cohort: its attributes and its conditions on outcomes (the
        generator takes the two parts apart, the attributes once for every date)."""
        mask = self.attributes(people)
        for variable, values in self.outcome_conditions():
            mask &= people[variable].isin(values)
        return mask


def load_calibration(path: Path | None = None) -> dict:
    """The prior (``data/calibratie.yaml``), parsed by libyaml where PyYAML has it (the same safe
    loader, eight times faster on this file)."""
    return yamlfile.read(path or paths.CALIBRATION) or {}


def targets(path: Path | None = None) -> list[Target]:
    out = []
    for number, entry in enumerate(load_calibration(path).get("doelen") or [], start=1):
        missing = [k for k in ("tranche", "variabele", "verdeling", "bron") if k not in entry]
        if missing:
            raise DataFileError(f"{path or paths.CALIBRATION}: doel {number} misses {', '.join(missing)}")
        peildatum = str(entry.get("peildatum", 2019))
        out.append(
            Target(
                str(entry["tranche"]),
                dict(entry.get("cohort") or {}),
                f"{peildatum}-05-31",
                entry["variabele"],
                {str(k): float(v) for k, v in entry["verdeling"].items()},
                str(entry["bron"]),
            )
        )
    return out


def _domain(variable: str) -> tuple[str, ...]:
    """The values of an outcome variable as the generator numbers them: its own values, then "geen"
    (not employed) for whoever is not eligible."""
    return (*VARIABLES[variable], NOT_EMPLOYED)


def _prior(
    variable: str,
    peildatum: str,
    rows: np.ndarray,
    goals: list[Target],
    in_goal: list[np.ndarray],
    current: dict[str, np.ndarray],
    later: dict[str, np.ndarray] | None,
) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Each eligible person's prior for ``variable`` (``rows``: who is eligible): the most specific
    calibration target of this date that matches; otherwise the value at the later date (fewest
    changes); otherwise the most specific 2019 target. ``in_goal`` holds per goal where the people
    who meet its attributes are; ``current`` and ``later`` each person's outcomes (numbered as
    :func:`_domain`) at this date and at the later one. Returns the prior key per person as a number
    in sorted order of the keys' names (the order that numbers the cells) and the distribution per
    number."""

    values = VARIABLES[variable]
    names: dict[str, int] = {}  # each key's name and its number in order of appearance
    table: dict[str, np.ndarray] = {}

    def number(name: str, weights: np.ndarray) -> int:
        table[name] = weights
        return names.setdefault(name, len(names))

    def matching(goal: int) -> np.ndarray:
        """Where the people who meet a goal are (its attributes, then its conditions on outcomes)."""
        where = in_goal[goal]
        for source, members in goals[goal].outcome_conditions():
            where = where[np.isin(_domain(source), members)[current[source][where]]]
        return where

    def most_specific(date: str) -> np.ndarray:
        chosen = np.full(len(rows), -1, dtype=np.int64)  # everyone; the eligible ones are taken at the end
        relevant = [i for i, t in enumerate(goals) if t.variable == variable and t.peildatum == date]
        for i in sorted(relevant, key=lambda i: len(goals[i].cohort)):
            goal = goals[i]
            key = f"{date[:4]} {goal.variable} {goal.tranche} {sorted(goal.cohort.items())}"
            weights = np.array([goal.distribution.get(v, 0.0) for v in values])
            chosen[matching(i)] = number(key, weights / weights.sum())
        return chosen[rows]

    keys = most_specific(peildatum)
    if later is not None:
        previous = later[variable][rows]
        own = (keys == -1) & (previous < len(values))  # the later value, unless "geen"
        named = np.array([number(f"= {value}", np.array([float(v == value) for v in values])) for value in values])
        keys[own] = named[previous[own]]
    missing = keys == -1
    if missing.any():
        keys[missing] = most_specific(PEILDATA[-1])[missing]
    if (keys == -1).any():
        raise ValueError(
            f"calibratie: no target for {variable} covers {int((keys == -1).sum())} people (add a tranche-wide target)"
        )
    ranks = np.empty(len(names), dtype=np.int64)
    ranks[[names[name] for name in sorted(names)]] = np.arange(len(names))
    return ranks[keys], {int(ranks[code]): table[name] for name, code in names.items()}


def outcomes(
    people: pd.DataFrame, rng: np.random.Generator, goals: list[Target], claims=None, reuse_answers: bool = False
) -> pd.DataFrame:
    """Long frame: every participant at every measurement date (participant by participant, the dates
    in order) with income, employer, contract, hours, calibrated to the claims of chapters 4 and 7
    (:mod:`sectorplannen.participants.calibration`; ``reuse_answers``: the solver's answers kept per
    programme, ``calibration.solve``). The claims the calibration could not meet together are in
    ``frame.attrs["niet gehaald"]``. The outcomes are kept as numbers per person (:func:`_domain`)
    and become text once, in the long frame."""

    claims = calibration.constraints() if claims is None else claims
    people = with_categories(people)
    masks = calibration.attribute_masks(people, claims)
    in_goal = _goal_members(people, goals)
    employed = np.isin(_domain("inkomenssituatie"), EMPLOYED)
    by_date: dict[str, dict[str, np.ndarray]] = {}
    unmet: list[str] = []
    later = None
    for peildatum in reversed(PEILDATA):  # 2019 first: earlier dates stay as close to it as the claims allow
        current: dict[str, np.ndarray] = {}
        assigned: dict[str, pd.Series] = {}
        for variable in calibration.VARIABLES:
            if variable == "inkomenssituatie":
                rows = np.ones(len(people), dtype=bool)
            else:
                rows = employed[current["inkomenssituatie"]]
            keys, table = _prior(variable, peildatum, rows, goals, in_goal, current, later)
            relevant = [c for c in claims if c.variable == variable and c.peildatum == peildatum[:4]]
            problem = calibration.build_problem(
                variable, peildatum, pd.Series(keys, index=people.index[rows]), table, assigned, relevant, masks
            )
            result = calibration.solve(problem, reuse_answer=reuse_answers)
            unmet += [f"{claim} ({peildatum[:4]})" for claim in result.unmet]
            column = np.full(len(people), len(VARIABLES[variable]), dtype=np.int8)  # not eligible: not employed
            column[rows] = calibration.assigned_numbers(problem, result, rng)
            current[variable] = column
            assigned[variable] = pd.Series(pd.Categorical.from_codes(column, _domain(variable)), index=people.index)
        later = current
        by_date[peildatum] = current
    return _long(people, by_date, unmet)


def _goal_members(people: pd.DataFrame, goals: list[Target]) -> list[np.ndarray]:
    """Per goal where the people who meet its attributes are: the same at every date, and once per
    distinct tranche and attributes (many goals share them)."""
    found: dict[tuple, np.ndarray] = {}
    out = []
    for goal in goals:
        attributes = sorted((k, repr(v)) for k, v in goal.cohort.items() if k not in OUTCOME_CONDITIONS)
        key = (goal.tranche, tuple(attributes))
        if key not in found:
            found[key] = np.flatnonzero(goal.attributes(people).to_numpy(dtype=bool))
        out.append(found[key])
    return out


def _long(people: pd.DataFrame, by_date: dict[str, dict[str, np.ndarray]], unmet: list[str]) -> pd.DataFrame:
    """The file's rows: each participant (sorted by id) at each measurement date (in order), the
    outcomes as text. The generated ids (unique) are in row order already; other ids are sorted."""
    ids = pd.Index(people["deelnemer_id"])
    order = np.arange(len(people)) if ids.is_monotonic_increasing else np.argsort(ids.to_numpy(), kind="stable")
    dates = sorted(by_date)
    rows = np.repeat(order, len(dates))
    columns = {}
    for name in [c for c in COLUMNS if c in people.columns]:  # what describes the person: the same every date
        column = people[name]
        columns[name] = (column.array if isinstance(column.dtype, pd.CategoricalDtype) else column.to_numpy()).take(
            rows
        )
    columns["peildatum"] = np.tile(np.array(dates, dtype=object), len(order))
    for variable in VARIABLES:
        numbers = np.stack([by_date[date][variable] for date in dates], axis=1)[order].ravel()
        columns[variable] = np.array(_domain(variable), dtype=object)[numbers]
    out = pd.DataFrame({name: columns[name] for name in COLUMNS}, copy=False)  # a block per column: no stacking
    out.attrs["niet gehaald"] = unmet
    return out


def generate(seed: int = SEED, calibration: Path | None = None, reuse_answers: bool = False) -> pd.DataFrame:
    """The synthetic participant file (deterministic for a seed). ``attrs["niet gehaald"]`` lists
    the claims the calibration gave up because the report contradicts itself. ``reuse_answers``
    takes the solver's answer to a programme it solved before (the same file, sooner)."""
    rng = np.random.default_rng(seed)
    people = population(rng)
    # dates stay dates and jong a boolean (as population makes them): Parquet stores them typed, the
    # CSV export writes YYYY-MM-DD and true/false
    return outcomes(people, rng, targets(calibration), reuse_answers=reuse_answers)


def inputs() -> list[Path]:
    """Everything :func:`generate` reads (the prior, the published tables, the claims, the register
    and the categories) and the code of the layers it runs: the key of its reused result."""
    return [
        paths.CALIBRATION,
        *paths.data_files(paths.PUBLISHED, paths.DATA / "claims"),
        *sorted(paths.RAW.glob("*.yaml")),
        *reuse.code("sources", "published", "claims", "participants"),
    ]


def generated(alongside: Callable[[], T] = lambda: None) -> tuple[pd.DataFrame, T, str]:
    """:func:`generate` (the default seed and prior) once per state of its :func:`inputs`
    (:mod:`sectorplannen.reuse`), and what ``alongside()`` returns (``make data``: the published
    tables, which the file is made from). When nothing is kept, the file is generated in a second
    process from the tables as they are while ``alongside()`` runs here; if ``alongside()``
    changed an input, that early result is dropped and the file generated again. Says how:
    ``"reused"``, ``"alongside"`` or ``"afresh"``."""
    frame, side, how, _ = _generated(alongside, write=False)
    return frame, side, how


def generated_and_saved(alongside: Callable[[], T] = lambda: None) -> tuple[pd.DataFrame, T, str, bool]:
    """:func:`generated`, then :func:`saved` (whether the files were written: the fourth value), as
    ``make data`` runs them. A file generated alongside is also written by the second process, to
    temporary names, while this one keeps the frame: the files are put in place here when
    :func:`saved` would write them, and removed otherwise (or when ``alongside()`` changed an input)."""
    frame, side, how, early = _generated(alongside, write=True)
    if early is None:
        return frame, side, how, saved(frame)
    try:
        return frame, side, how, saved(frame, early.files())
    finally:
        early.stop()  # what it wrote and was not put in place is removed


def _generated(alongside: Callable[[], T], write: bool) -> tuple[pd.DataFrame, T, str, _Early | None]:
    """:func:`generated`, and the second process when its frame was taken and it is writing the files."""
    before = reuse.key(REUSED, inputs())
    early = None
    if reuse.lookup(REUSED, inputs()) is reuse.MISSING:
        early = _Early(paths.SYNTHETIC) if write else _Early()
    try:
        side = alongside()
    except BaseException:
        if early is not None:
            early.stop()
        raise
    if early is not None:
        frame = early.result() if reuse.key(REUSED, inputs()) == before else early.stop()
        if frame is not None:
            return reuse.keep(REUSED, inputs(), frame), side, "alongside", early if write else None
    found = reuse.lookup(REUSED, inputs())
    if found is not reuse.MISSING:
        return found, side, "reused", None
    return reuse.reused(REUSED, inputs(), lambda: generate(reuse_answers=True)), side, "afresh", None


class _Early:
    """:func:`generate` in a forked process (it inherits the modules and tables already read);
    its frame comes back through a pipe, or None when it failed (then the caller generates it).
    Given a place to ``write``, it then writes the files there under temporary names
    (:func:`_written`) and sends them with their hashes (:meth:`files`)."""

    def __init__(self, write: Path | None = None) -> None:
        context = multiprocessing.get_context("fork")
        self.write = write
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=_generate_into, args=(sender, write), daemon=True)
        self.process.start()
        sender.close()  # the child's end: a child that dies closes the pipe

    def result(self) -> pd.DataFrame | None:
        frame = self._receive()
        if frame is None or self.write is None:
            self.stop()
        return frame

    def files(self) -> dict | None:
        """The files it wrote for the frame (``{"pairs": [(temporary, place)], "hashes": {place: sha256}}``),
        or None when it could not write them."""
        return self._receive()

    def _receive(self):
        try:
            return self.receiver.recv()
        except (EOFError, OSError):
            return None

    def stop(self) -> None:
        if self.process.is_alive():  # dropped, or stopped by an error here: its work is not needed
            self.process.terminate()
        self.process.join()
        self.receiver.close()
        if self.write is not None:  # what it wrote and nobody put in place (or began when stopped)
            for leftover in _temporaries(self.write, self.process.pid):
                leftover.unlink(missing_ok=True)


def _generate_into(sender, write: Path | None) -> None:
    try:
        frame = generate(reuse_answers=True)
    except BaseException:  # the caller generates the file itself, and reports what goes wrong there
        frame = None
    sender.send(frame)
    if frame is not None and write is not None:
        try:
            pairs = _written(frame, write, str(os.getpid()))
            files = {"pairs": pairs, "hashes": {place: hashing.content_hash(temporary) for temporary, place in pairs}}
        except BaseException:  # the caller saves the frame itself, and reports what goes wrong there
            files = None
        sender.send(files)
    sender.close()


def typed(frame: pd.DataFrame) -> pa.Table:
    """The generated file as Parquet stores it: dates as dates, ``jong`` as a boolean, the rest as
    the schema types it (text columns dictionary-encoded by the Parquet writer)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for name in [c for c in ("start", "einde") if c in table.column_names]:
        table = table.set_column(table.schema.get_field_index(name), name, table[name].cast(pa.date32()))
    return table


def export_csv(table: pa.Table, path: Path) -> Path:
    """The file as CSV (comma, UTF-8, dates YYYY-MM-DD, ``jong`` true/false) for people who want to
    read it; the engine reads the Parquet file. DuckDB's CSV writer defines the bytes; Arrow's writes
    the same bytes in a fifth of the time where no value needs quotes (:func:`_unquoted`), so it
    writes the file when it can and DuckDB otherwise."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    plain = _unquoted(table)
    if plain is not None:
        try:
            with tmp.open("wb") as out:
                out.write((",".join(plain.column_names) + "\n").encode())
                pa_csv.write_csv(plain, out, pa_csv.WriteOptions(include_header=False, quoting_style="none"))
        except pa.ArrowInvalid:  # a value with a comma, a quote or a line break: DuckDB quotes it
            plain = None
    if plain is None:
        connection = engine.connect()
        connection.execute("SET preserve_insertion_order = true")  # the rows in the file's order
        connection.register("bestand", table)
        connection.execute(f"COPY bestand TO '{engine.quoted(str(tmp))}' (HEADER, DELIMITER ',')")
        engine.close(connection)
    tmp.replace(path)
    return path


# What Arrow writes as DuckDB does when nothing is quoted: text, whole numbers, booleans, dates.
_UNQUOTED_TYPES = (pa.types.is_string, pa.types.is_large_string, pa.types.is_integer, pa.types.is_boolean)


def _unquoted(table: pa.Table) -> pa.Table | None:
    """``table`` with its dictionary columns as plain text, when Arrow writes it as DuckDB does without
    quotes: names of letters, digits and underscores; only text, whole numbers, booleans and dates;
    no empty text (DuckDB writes ``""``, an empty field is a missing value). None otherwise. A value
    with a comma, a quote or a line break makes Arrow's writer fail (the caller then asks DuckDB)."""
    columns = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        plain_type = column.type == pa.date32() or any(check(column.type) for check in _UNQUOTED_TYPES)
        if not (plain_type and name.isascii() and name.replace("_", "a").isalnum() and not name[:1].isdigit()):
            return None
        text = pa.types.is_string(column.type) or pa.types.is_large_string(column.type)
        if text and pa_compute.any(pa_compute.equal(column, "")).as_py():
            return None
        columns.append(column)
    return pa.table(dict(zip(table.column_names, columns, strict=True))) if columns else None


def save(frame: pd.DataFrame, path: Path | None = None) -> Path:
    """Write a generated file atomically (default ``data/synthetic/deelnemers.parquet``, with its CSV
    export ``deelnemers.csv`` beside it; a path ending in ``.csv`` gets the CSV alone), then the
    record of what it was made from next to it (``deelnemers.parquet.sources.json``), so a build can
    tell when the file is older than its prior, claims or code."""
    path = path or paths.SYNTHETIC
    _in_place(_written(frame, path, str(os.getpid())), path)
    return path


def _written(frame: pd.DataFrame, path: Path, tag: str) -> list[tuple[Path, Path]]:
    """:func:`save`'s files written under temporary names marked ``tag`` (:func:`_temporaries`), as
    (temporary, place) in the order they are to be put in place; on an error none is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{tag}.tmp")
    table = typed(frame)
    if path.suffix != ".parquet":
        export_csv(table, tmp)
        return [(tmp, path)]
    csv_path = path.with_suffix(".csv")
    csv_tmp = csv_path.with_name(f".{csv_path.name}.{tag}.part")
    try:
        with ThreadPoolExecutor(1) as pool:  # the CSV is written while Arrow writes the Parquet file
            csv = pool.submit(export_csv, table, csv_tmp)
            pq.write_table(table, tmp, compression="zstd", row_group_size=1 << 20)
            csv.result()
    except BaseException:
        tmp.unlink(missing_ok=True)
        csv_tmp.unlink(missing_ok=True)
        raise
    return [(csv_tmp, csv_path), (tmp, path)]  # both written: neither file changes when one of them cannot be


def _in_place(pairs: list[tuple[Path, Path]], path: Path) -> None:
    """Put :func:`_written`'s files in place, then the record of what they were made from."""
    for temporary, place in pairs:
        temporary.replace(place)
    hashing.write_sources_record(path, synthetic_sources())  # after the file: a crash in between leaves it stale


def _temporaries(path: Path, tag: str | int) -> list[Path]:
    """Every temporary name :func:`_written` (and :func:`export_csv` inside it, in a process ``tag``)
    may leave for ``path``."""
    csv_path = path.with_suffix(".csv")
    made = [path.with_name(f".{path.name}.{tag}.tmp"), csv_path.with_name(f".{csv_path.name}.{tag}.part")]
    return made + [name.with_name(f".{name.name}.{tag}.tmp") for name in made]


def saved(frame: pd.DataFrame, early: dict | None = None) -> bool:
    """:func:`save` a frame :func:`generated` gave to the default place, unless the files there are the
    ones saved from it before (their hashes are kept with the inputs' key, :mod:`sectorplannen.reuse`)
    and their record is current. Whether it wrote them. ``early``: the files a second process wrote
    from this frame under temporary names (:meth:`_Early.files`), put in place instead of writing
    them again."""
    files = [paths.SYNTHETIC, *([paths.SYNTHETIC.with_suffix(".csv")] if paths.SYNTHETIC.suffix == ".parquet" else [])]
    kept = reuse.lookup(WRITTEN, inputs())
    if (
        kept is not reuse.MISSING
        and all(f.is_file() for f in files)
        and hashing.changed_sources(paths.SYNTHETIC, synthetic_sources()) == []
        and [hashing.content_hash(f) for f in files] == kept
    ):
        return False
    if early is not None and sorted(place for _, place in early["pairs"]) == sorted(files):
        _in_place(early["pairs"], paths.SYNTHETIC)
        hashes = [early["hashes"][f] for f in files]
    else:
        save(frame)
        hashes = [hashing.content_hash(f) for f in files]
    reuse.keep(WRITTEN, inputs(), hashes)
    return True


def write(path: Path | None = None, seed: int = SEED) -> Path:
    """Generate and write the synthetic file."""
    return save(generate(seed), path)


__all__ = ["ASSUMPTIONS", "export_csv", "generate", "save", "target_group_ids", "two_margin_table", "typed", "write"]


def synthetic_sources() -> list[Path]:
    """What the synthetic participant file is made from: the prior, the claims it is calibrated to,
    the published tables (by their hashes in datapackage.json) and the generator's code."""
    return [
        paths.CALIBRATION,
        paths.DATA / "claims" / "arbeidsmarktpositie.csv",
        paths.PUBLISHED / "datapackage.json",
        paths.ROOT / "src" / "sectorplannen" / "participants" / "synthetic.py",
        paths.ROOT / "src" / "sectorplannen" / "participants" / "calibration.py",
    ]
