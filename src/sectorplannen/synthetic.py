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
- the outcomes (income situation, employer, contract, hours) to the targets in
  ``data/synthetic/calibratie.yaml``: every target names the claim(s) it reproduces, or says it is
  an assumption where the report is silent.

What the report does not say is filled with documented assumptions (see ``ASSUMPTIONS``), never
presented as a finding. Every output made from this file says it is synthetic.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from sectorplannen import paths, published
from sectorplannen.participants import COLUMNS, DOELGROEPEN, EMPLOYED, NOT_EMPLOYED, PEILDATA, SYNTHETIC
from sectorplannen.plans import register

SEED = 20190531
CALIBRATION = paths.DATA / "calibratie.yaml"
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
    "van 2019.",
    "uitkomsten": "Per deelnemer geldt het meest specifieke kalibratiedoel dat op hem van toepassing is; "
    "deelnemers zonder doel volgen het totaal van hun tranchegroep.",
}


def integer_split(total: int, weights: pd.Series) -> pd.Series:
    """Split ``total`` over the index of ``weights`` proportionally, in whole units (largest remainder)."""
    weights = weights.astype(float).clip(lower=0)
    if total == 0 or weights.sum() == 0:
        return pd.Series(0, index=weights.index, dtype=int)
    exact = weights / weights.sum() * total
    floor = np.floor(exact).astype(int)
    rest = int(total - floor.sum())
    order = (exact - floor).sort_values(ascending=False, kind="mergesort")
    floor[order.index[:rest]] += 1
    return floor


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


# ------------------------------------------------------------------------------------ population


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
    lookup = published.category_lookup()
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
    """One row per participant (no outcomes yet), tranche 1-2 and 3."""
    plans = {p.id: p for p in register()}
    frames = []
    counts12, groups = _counts("A.8"), _target_groups()
    youth = _youth_shares()
    measures = measure_counts()
    for theme in counts12.columns:
        per_plan = counts12[theme][counts12[theme] > 0]
        by_group = two_margin_table(per_plan, groups.loc[theme][groups.loc[theme] > 0])
        part = by_group.stack().rename("n").reset_index()
        part.columns = ["plan_id", "doelgroep", "n"]
        people = part.loc[part.index.repeat(part["n"])].drop(columns="n").reset_index(drop=True)
        people["categorie"] = theme
        if theme in measures:
            by_measure = two_margin_table(per_plan, measures[theme])
            labels = []
            for plan_id in people["plan_id"].unique():
                row = by_measure.loc[plan_id]
                labels.append(pd.Series(np.repeat(row.index.to_numpy(), row.to_numpy()), name=plan_id))
            assignment = {s.name: list(rng.permutation(s.to_numpy())) for s in labels}
            people["maatregel"] = [assignment[p].pop() for p in people["plan_id"]]
        else:
            people["maatregel"] = "niet uitgesplitst"
        n_young = round(youth.get(theme, 0.0) * len(people))
        students = people.index[people["doelgroep"] == "studenten"]
        others = people.index.difference(students)
        young = list(students[:n_young]) + list(rng.permutation(others)[: max(0, n_young - len(students))])
        people["jong"] = people.index.isin(young)
        frames.append(people)
    counts3 = _counts("A.13")
    share3 = _youth_share_t3()
    for kind in counts3.columns:
        per_plan = counts3[kind][counts3[kind] > 0]
        people = pd.DataFrame({"plan_id": np.repeat(per_plan.index.to_numpy(), per_plan.to_numpy())})
        people["categorie"] = kind
        people["doelgroep"] = kind
        people["maatregel"] = "niet uitgesplitst"
        n_young = round(share3 * len(people))
        people["jong"] = people.index.isin(rng.permutation(people.index)[:n_young])
        frames.append(people)
    out = pd.concat(frames, ignore_index=True)
    out["tranche"] = out["plan_id"].map(lambda p: plans[p].tranche)
    out["plantype"] = out["plan_id"].map(lambda p: plans[p].plan_type)
    out = out.iloc[rng.permutation(len(out))].reset_index(drop=True)
    out.insert(0, "deelnemer_id", [f"S{i:06d}" for i in range(1, len(out) + 1)])
    early = out["tranche"] < 3
    start12 = pd.Timestamp("2014-01-01") + pd.to_timedelta(rng.integers(0, 3 * 365, len(out)), unit="D")
    start3 = pd.Timestamp("2016-06-01") + pd.to_timedelta(rng.integers(0, 18 * 30, len(out)), unit="D")
    out["start"] = np.where(early, start12, start3)
    months = np.where(early, rng.integers(3, 19, len(out)), rng.integers(3, 13, len(out)))
    out["einde"] = [s + pd.DateOffset(months=int(m)) for s, m in zip(out["start"], months, strict=True)]
    return out


# ------------------------------------------------------------------------------------ outcomes


@dataclass
class Target:
    """One calibration target: the distribution of a variable in a cohort at a measurement date."""

    tranche: str
    cohort: dict
    peildatum: str
    variable: str
    distribution: dict
    source: str

    def matches(self, people: pd.DataFrame) -> pd.Series:
        mask = people["tranche"].isin([1, 2] if self.tranche == "1-2" else [3])
        for key, value in self.cohort.items():
            if key == "baanwisselaar":
                changed = people["werkgever"].isin(["andere_werkgever_zelfde_sector", "andere_sector"])
                mask &= changed if value == "ja" else ~changed
            else:
                mask &= people[key].astype(str) == str(value)
        return mask


def load_calibration(path: Path | None = None) -> dict:
    return yaml.safe_load((path or CALIBRATION).read_text(encoding="utf-8")) or {}


def targets(path: Path | None = None) -> list[Target]:
    out = []
    for number, entry in enumerate(load_calibration(path).get("doelen") or [], start=1):
        missing = [k for k in ("tranche", "variabele", "verdeling", "bron") if k not in entry]
        if missing:
            raise ValueError(f"{path or CALIBRATION}: doel {number} misses {', '.join(missing)}")
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


def _assign(people, variable: str, peildatum: str, eligible: pd.Series, rng, goals: list[Target], fallback=None):
    """Assign ``variable`` to the eligible people: each follows its most specific matching target;
    people no target covers keep ``fallback`` (their situation at the later date)."""
    values = pd.Series("", index=people.index, dtype=object)
    relevant = [t for t in goals if t.variable == variable and t.peildatum == peildatum]
    if not relevant:
        return None
    specificity = sorted(relevant, key=lambda t: len(t.cohort))
    chosen = pd.Series(-1, index=people.index)
    for number, goal in enumerate(specificity):
        chosen[goal.matches(people) & eligible] = number
    for number, goal in enumerate(specificity):
        members = chosen.index[chosen == number]
        if len(members) == 0:
            continue
        counts = integer_split(len(members), pd.Series(goal.distribution))
        labels = np.repeat(counts.index.to_numpy(), counts.to_numpy())
        values[rng.permutation(members)] = labels
    uncovered = eligible & (chosen == -1)
    if uncovered.any():
        if fallback is None:
            raise ValueError(
                f"calibratie: no target for {variable} at {peildatum} covers {int(uncovered.sum())} people "
                "(add a tranche-wide target)"
            )
        values[uncovered] = fallback[uncovered]
    return values


def outcomes(people: pd.DataFrame, rng: np.random.Generator, goals: list[Target]) -> pd.DataFrame:
    """Long frame: every participant at every measurement date with income, employer, contract, hours."""
    frames = []
    latest = None
    for peildatum in reversed(PEILDATA):  # 2019 first: earlier dates default to it
        frame = people.copy()
        frame["peildatum"] = peildatum
        everyone = pd.Series(True, index=frame.index)
        income = _assign(
            frame,
            "inkomenssituatie",
            peildatum,
            everyone,
            rng,
            goals,
            None if latest is None else latest["inkomenssituatie"],
        )
        frame["inkomenssituatie"] = income if income is not None else latest["inkomenssituatie"]
        employed = frame["inkomenssituatie"].isin(EMPLOYED)
        for variable in ("werkgever", "contract", "uren"):
            fallback = None
            if latest is not None:  # earlier dates: the later situation, drawn anew for the newly employed
                fallback = latest[variable].where(employed & (latest[variable] != NOT_EMPLOYED), "")
                missing = employed & (fallback == "")
                if missing.any():
                    pool = latest.loc[latest[variable] != NOT_EMPLOYED, variable].to_numpy()
                    fallback[missing] = rng.choice(pool, int(missing.sum()))
            assigned = _assign(frame, variable, peildatum, employed, rng, goals, fallback)
            if assigned is None:
                assigned = fallback
            frame[variable] = assigned.where(employed, NOT_EMPLOYED)
        if latest is None:
            latest = frame
        frames.append(frame)
    out = pd.concat(frames[::-1], ignore_index=True)
    return out


def generate(seed: int = SEED, calibration: Path | None = None) -> pd.DataFrame:
    """The synthetic participant file (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    people = population(rng)
    frame = outcomes(people, rng, targets(calibration))
    frame = frame[COLUMNS].sort_values(["deelnemer_id", "peildatum"], kind="mergesort").reset_index(drop=True)
    frame["start"] = pd.to_datetime(frame["start"]).dt.strftime("%Y-%m-%d")
    frame["einde"] = pd.to_datetime(frame["einde"]).dt.strftime("%Y-%m-%d")
    frame["jong"] = frame["jong"].map({True: "true", False: "false"})
    return frame


def write(path: Path | None = None, seed: int = SEED) -> Path:
    """Generate and write the synthetic file atomically (``data/synthetic/deelnemers.csv``)."""
    path = path or SYNTHETIC
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = generate(seed)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    frame.to_csv(tmp, index=False, lineterminator="\n")
    tmp.replace(path)
    return path


__all__ = ["ASSUMPTIONS", "generate", "integer_split", "target_group_ids", "two_margin_table", "write"]
