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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sectorplannen import hashing, paths, published, reuse, yamlfile
from sectorplannen.errors import DataFileError
from sectorplannen.participants import calibration, engine
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
    out["tranche"] = out["plan_id"].map({plan_id: plan.tranche for plan_id, plan in plans.items()})  # not per row
    out["plan_type"] = out["plan_id"].map(register().plan_types())
    out = out.iloc[rng.permutation(len(out))].reset_index(drop=True)
    out.insert(0, "deelnemer_id", [f"S{i:06d}" for i in range(1, len(out) + 1)])
    early = out["tranche"] < 3
    start12 = pd.Timestamp("2014-01-01") + pd.to_timedelta(rng.integers(0, 3 * 365, len(out)), unit="D")
    start3 = pd.Timestamp("2016-06-01") + pd.to_timedelta(rng.integers(0, 18 * 30, len(out)), unit="D")
    out["start"] = np.where(early, start12, start3)
    months = np.where(early, rng.integers(3, 19, len(out)), rng.integers(3, 13, len(out)))
    out["einde"] = add_months(out["start"].to_numpy("datetime64[D]"), months)
    return out


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
            if key in OUTCOME_CONDITIONS:  # baan=ja|nee, baanwisselaar=ja|nee, as cohort selection reads them
                variable, values = outcome_condition(key, value)
                mask &= people[variable].isin(values)
            elif people[key].dtype == bool:
                mask &= people[key] == (str(value).lower() in ("true", "ja", "1"))
            else:
                mask &= people[key] == value
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


def _prior(
    frame: pd.DataFrame, variable: str, peildatum: str, eligible: pd.Series, goals: list[Target], later
) -> tuple[pd.Series, dict[str, np.ndarray]]:
    """Each eligible person's prior for ``variable``: the most specific calibration target of this
    date that matches; otherwise the value at the later date (fewest changes); otherwise the
    most specific 2019 target. Returns the prior key per person and the distribution per key."""

    values = VARIABLES[variable]
    rows = eligible.to_numpy(dtype=bool)  # by position, as frame.index[eligible] reads it
    index = frame.index[rows]
    table: dict[str, np.ndarray] = {}

    def most_specific(date: str) -> np.ndarray:
        chosen = np.full(len(index), "", dtype=object)
        relevant = [t for t in goals if t.variable == variable and t.peildatum == date]
        for goal in sorted(relevant, key=lambda t: len(t.cohort)):
            key = f"{date[:4]} {goal.variable} {goal.tranche} {sorted(goal.cohort.items())}"
            weights = np.array([goal.distribution.get(v, 0.0) for v in values])
            table[key] = weights / weights.sum()
            chosen[goal.matches(frame).to_numpy(dtype=bool)[rows]] = key  # on all rows: no copy of the frame
        return chosen

    keys = most_specific(peildatum)
    if later is not None:
        previous = later[variable].to_numpy()[later.index.get_indexer(index)]
        own = (keys == "") & pd.Series(previous).isin(values).to_numpy()
        for value in values:
            table[f"= {value}"] = np.array([float(v == value) for v in values])
        named = {value: f"= {value}" for value in values}
        keys[own] = [named[value] for value in previous[own]]
    missing = keys == ""
    if missing.any():
        keys[missing] = most_specific(PEILDATA[-1])[missing]
    if (keys == "").any():
        raise ValueError(
            f"calibratie: no target for {variable} covers {int((keys == '').sum())} people (add a tranche-wide target)"
        )
    return pd.Series(keys, index=index, dtype=object), table


def outcomes(
    people: pd.DataFrame, rng: np.random.Generator, goals: list[Target], claims=None, reuse_answers: bool = False
) -> pd.DataFrame:
    """Long frame: every participant at every measurement date with income, employer, contract,
    hours, calibrated to the claims of chapters 4 and 7 (:mod:`sectorplannen.participants.calibration`;
    ``reuse_answers``: the solver's answers kept per programme, ``calibration.solve``).
    The claims the calibration could not meet together are in ``frame.attrs["niet gehaald"]``."""

    claims = calibration.constraints() if claims is None else claims
    people = with_categories(people)
    masks = calibration.attribute_masks(people, claims)
    frames, unmet = [], []
    later = None
    for peildatum in reversed(PEILDATA):  # 2019 first: earlier dates stay as close to it as the claims allow
        frame = people.copy()
        frame["peildatum"] = peildatum
        assigned: dict[str, pd.Series] = {}
        for variable in calibration.VARIABLES:
            if variable == "inkomenssituatie":
                eligible = pd.Series(True, index=frame.index)
            else:
                eligible = assigned["inkomenssituatie"].isin(EMPLOYED)
            keys, table = _prior(frame, variable, peildatum, eligible, goals, later)
            relevant = [c for c in claims if c.variable == variable and c.peildatum == peildatum[:4]]
            problem = calibration.build_problem(variable, peildatum, keys, table, assigned, relevant, masks)
            result = calibration.solve(problem, reuse_answer=reuse_answers)
            unmet += [f"{claim} ({peildatum[:4]})" for claim in result.unmet]
            values = calibration.assign(problem, result, rng)
            column = np.full(len(frame), NOT_EMPLOYED, dtype=object)  # who is not eligible: not employed
            column[frame.index.get_indexer(values.index)] = values.to_numpy()
            assigned[variable] = pd.Series(column, index=frame.index)
            frame[variable] = assigned[variable]
        later = frame
        frames.append(frame)
    out = pd.concat(frames[::-1], ignore_index=True)
    out.attrs["niet gehaald"] = unmet
    return out


def generate(seed: int = SEED, calibration: Path | None = None, reuse_answers: bool = False) -> pd.DataFrame:
    """The synthetic participant file (deterministic for a seed). ``attrs["niet gehaald"]`` lists
    the claims the calibration gave up because the report contradicts itself. ``reuse_answers``
    takes the solver's answer to a programme it solved before (the same file, sooner)."""
    rng = np.random.default_rng(seed)
    people = population(rng)
    long = outcomes(people, rng, targets(calibration), reuse_answers=reuse_answers)
    frame = long[COLUMNS].take(_by_participant_and_date(long))
    frame.index = pd.RangeIndex(len(frame))
    # dates stay dates and jong a boolean: Parquet stores them typed, the CSV export writes
    # YYYY-MM-DD and true/false
    frame["start"] = pd.to_datetime(frame["start"])
    frame["einde"] = pd.to_datetime(frame["einde"])
    frame.attrs["niet gehaald"] = list(long.attrs.get("niet gehaald", []))
    return frame


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
    before = reuse.key(REUSED, inputs())
    early = _Early() if reuse.lookup(REUSED, inputs()) is reuse.MISSING else None
    try:
        side = alongside()
    except BaseException:
        if early is not None:
            early.stop()
        raise
    if early is not None:
        frame = early.result() if reuse.key(REUSED, inputs()) == before else early.stop()
        if frame is not None:
            return reuse.keep(REUSED, inputs(), frame), side, "alongside"
    found = reuse.lookup(REUSED, inputs())
    if found is not reuse.MISSING:
        return found, side, "reused"
    return reuse.reused(REUSED, inputs(), lambda: generate(reuse_answers=True)), side, "afresh"


class _Early:
    """:func:`generate` in a forked process (it inherits the modules and tables already read);
    its frame comes back through a pipe, or None when it failed (then the caller generates it)."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=_generate_into, args=(sender,), daemon=True)
        self.process.start()
        sender.close()  # the child's end: a child that dies closes the pipe

    def result(self) -> pd.DataFrame | None:
        try:
            frame = self.receiver.recv()
        except (EOFError, OSError):
            frame = None
        self.stop()
        return frame

    def stop(self) -> None:
        if self.process.is_alive():  # dropped, or stopped by an error here: its work is not needed
            self.process.terminate()
        self.process.join()
        self.receiver.close()


def _generate_into(sender) -> None:
    try:
        frame = generate(reuse_answers=True)
    except BaseException:  # the caller generates the file itself, and reports what goes wrong there
        frame = None
    sender.send(frame)
    sender.close()


def _by_participant_and_date(long: pd.DataFrame) -> np.ndarray:
    """The rows' order sorted by participant, then date (stable, as ``sort_values(kind="mergesort")``
    orders them): the 260 thousand distinct ids are sorted once, not the 780 thousand rows' texts."""

    def ranks(column: pd.Series) -> np.ndarray:
        codes, distinct = pd.factorize(column.to_numpy())
        rank = np.empty(len(distinct), dtype=np.int64)
        rank[np.argsort(distinct, kind="stable")] = np.arange(len(distinct))
        return rank[codes]

    return np.lexsort((ranks(long["peildatum"]), ranks(long["deelnemer_id"])))


def typed(frame: pd.DataFrame) -> pa.Table:
    """The generated file as Parquet stores it: dates as dates, ``jong`` as a boolean, the rest as
    the schema types it (text columns dictionary-encoded by the Parquet writer)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for name in [c for c in ("start", "einde") if c in table.column_names]:
        table = table.set_column(table.schema.get_field_index(name), name, table[name].cast(pa.date32()))
    return table


def export_csv(table: pa.Table, path: Path) -> Path:
    """The file as CSV (comma, UTF-8, dates YYYY-MM-DD, ``jong`` true/false) for people who want to
    read it; the engine reads the Parquet file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    connection = engine.connect()
    connection.execute("SET preserve_insertion_order = true")  # the rows in the file's order
    connection.register("bestand", table)
    connection.execute(f"COPY bestand TO '{engine.quoted(str(tmp))}' (HEADER, DELIMITER ',')")
    engine.close(connection)
    tmp.replace(path)
    return path


def save(frame: pd.DataFrame, path: Path | None = None) -> Path:
    """Write a generated file atomically (default ``data/synthetic/deelnemers.parquet``, with its CSV
    export ``deelnemers.csv`` beside it; a path ending in ``.csv`` gets the CSV alone), then the
    record of what it was made from next to it (``deelnemers.parquet.sources.json``), so a build can
    tell when the file is older than its prior, claims or code."""

    path = path or paths.SYNTHETIC
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    table = typed(frame)
    if path.suffix == ".parquet":
        csv_path = path.with_suffix(".csv")
        csv_tmp = csv_path.with_name(f".{csv_path.name}.{os.getpid()}.part")
        try:
            with ThreadPoolExecutor(1) as pool:  # DuckDB writes the CSV while Arrow writes the Parquet file
                csv = pool.submit(export_csv, table, csv_tmp)
                pq.write_table(table, tmp, compression="zstd", row_group_size=1 << 20)
                csv.result()
        except BaseException:
            tmp.unlink(missing_ok=True)
            csv_tmp.unlink(missing_ok=True)
            raise
        csv_tmp.replace(csv_path)  # both written: neither file changes when one of them cannot be
    else:
        export_csv(table, tmp)
    tmp.replace(path)
    hashing.write_sources_record(
        path, synthetic_sources()
    )  # after the file: a crash in between leaves it looking stale
    return path


def saved(frame: pd.DataFrame) -> bool:
    """:func:`save` a frame :func:`generated` gave to the default place, unless the files there are the
    ones saved from it before (their hashes are kept with the inputs' key, :mod:`sectorplannen.reuse`)
    and their record is current. Whether it wrote them."""
    files = [paths.SYNTHETIC, *([paths.SYNTHETIC.with_suffix(".csv")] if paths.SYNTHETIC.suffix == ".parquet" else [])]
    kept = reuse.lookup(WRITTEN, inputs())
    if (
        kept is not reuse.MISSING
        and all(f.is_file() for f in files)
        and hashing.changed_sources(paths.SYNTHETIC, synthetic_sources()) == []
        and [hashing.content_hash(f) for f in files] == kept
    ):
        return False
    save(frame)
    reuse.keep(WRITTEN, inputs(), [hashing.content_hash(f) for f in files])
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
