"""All runs of one extract together reveal no small count: the release record and the joint audit.

The synthetic file with a few groups made small stands in for a real extract (one tranche 3 plan
keeps a single participant, two others 4 and 7; tranche 1 keeps 6 students). Each scenario runs
the chapter's computation several times, as a reviewer would (plans left out one at a time,
tranche 1, 2 and 1-2, measurement dates), and an attacker that knows every number each run shows
and the runs' parameters, and nothing of the audit, subtracts: within each table, and between the
tables of two runs whose selections are nested (a count that depends only on who took part, not
on an outcome, is the same on every date). With the record, the attacker recovers no count of 1
to 9; with every run audited on its own (the record off), the same attacker does, and what it
finds is true of the extract.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import multiprocessing
import os
import stat
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import build_pages
from test_disclosure import counts_from_shares, extract_csv, solve_by_subtraction

from sectorplannen import paths
from sectorplannen.chapters import arbeidsmarktpositie as arbeidsmarkt
from sectorplannen.errors import DisclosureError, ReleaseRecordError
from sectorplannen.participants import disclosure, engine, releases
from sectorplannen.sources.register import register

MIN = 10
EXTRACT = "/beveiligd/deelnemers.csv"  # never read: the runs get the participants directly
SINGLE = "mobiliteitsbranche-van-werk-naar-werk"  # left with one participant in tranche 3
STUDENTS = 6  # students left in tranche 1

# Tables whose counts depend only on who took part (plan, theme, measure, group), not on an
# outcome: the same number on every measurement date; and tables of all participants of a group
# whose group sizes are (the tables of those with a job are not).
STATIC_TABLES = ("deelnemers",)
STATIC_SIZES = ("inkomen", "inkomen_doelgroep", "inkomen_start", "inkomen_maatregel")
STATIC_COLUMNS = ("n", "Totaal")


# ----------------------------------------------------------------------------- the extracts


@pytest.fixture(scope="module")
def people(synthetic_rows):
    return synthetic_rows  # participants.rows("synthetic"), read once per worker (conftest)


def plant(people: pd.DataFrame, n: int, **where) -> pd.DataFrame:
    """Keep ``n`` of the participants matching ``where`` (all their dates), drop the others."""
    mask = pd.Series(True, index=people.index)
    for column, value in where.items():
        mask &= people[column] == value
    ids = people.loc[mask, "deelnemer_id"].drop_duplicates()
    return people[~(mask & people["deelnemer_id"].isin(ids.iloc[n:]))].reset_index(drop=True)


@pytest.fixture(scope="module")
def tranche3(people):
    """Tranche 3 with three plans made small: 1, 4 and 7 participants."""
    extract = people[people["tranche"] == 3]
    for plan, n in ((SINGLE, 1), ("betonreparatie", 4), ("haaglanden", 7)):
        extract = plant(extract, n, plan_id=plan)
    extract = engine.counts(extract)
    sizes = extract[extract["peildatum"] == "2019-05-31"].groupby("plan_id")["aantal"].sum()
    assert sizes[SINGLE] == 1 and sizes["betonreparatie"] == 4 and sizes["haaglanden"] == 7
    return extract


@pytest.fixture(scope="module")
def tranche12(people):
    """Tranche 1 and 2 with 6 students in tranche 1 (and thousands in tranche 2)."""
    return engine.counts(plant(people[people["tranche"] < 3], STUDENTS, tranche=1, doelgroep="studenten"))


# ----------------------------------------------------------------------------- an independent attacker


def plans_of(params) -> frozenset[str]:
    tranches = {"1-2": (1, 2), "1": (1,), "2": (2,), "3": (3,)}[params.tranche]
    return frozenset(p.id for p in register() if p.tranche in tranches) - set(params.exclude_plans)


def published(results) -> dict[str, pd.DataFrame]:
    """Every count grid the run shows (tables with margins; shares turned back into counts with their n)."""
    grids = {"deelnemers": results.participants.astype(float)}
    grids |= {name: counts_from_shares(table).astype(float) for name, table in results.shares.items()}
    ledger = results.ledger
    on_file = (ledger["invoer_ids"] == "deelnemersbestand") & (ledger["eenheid"] == "aantal")
    values = ledger[on_file & ledger["berekend_waarde"].notna()]
    grids["grootboek"] = pd.DataFrame({"Totaal": values.set_index("claim")["berekend_waarde"].astype(float)})
    return grids


def _small(value: float) -> bool:
    return not np.isnan(value) and abs(value - round(value)) < 1e-6 and 0.5 < value < MIN - 0.5


def attack(runs: list[tuple[object, object]]) -> list[tuple]:
    """Every count of 1 to MIN - 1 the shown numbers of ``runs`` (params, results) give: shown,
    by subtraction within a table, or as the difference of the same cell in two nested runs."""
    shown = [
        (params, {k: solve_by_subtraction(g) if "Totaal" in g.index else g for k, g in published(r).items()})
        for params, r in runs
    ]
    found = []
    for i, (_, grids) in enumerate(shown):
        for name, grid in grids.items():
            found += [(i, name, r, c, v) for (r, c), v in grid.stack().items() if _small(v)]
    for (a, (big, big_grids)), (b, (small, small_grids)) in itertools.permutations(enumerate(shown), 2):
        if not plans_of(small) < plans_of(big):
            continue
        for name in big_grids.keys() & small_grids.keys():
            one, two = big_grids[name], small_grids[name]
            difference = one.sub(two.reindex(index=one.index, columns=one.columns))
            if big.peildatum != small.peildatum:  # only what does not depend on an outcome
                if name not in STATIC_TABLES + STATIC_SIZES:
                    continue
                if name in STATIC_SIZES:
                    difference = difference[[c for c in difference.columns if c in STATIC_COLUMNS]]
            if {"Totaal"} <= set(difference.index) and {"Totaal"} <= set(difference.columns):
                difference = solve_by_subtraction(difference)
            found += [(a, b, name, r, c, v) for (r, c), v in difference.stack().items() if _small(v)]
    return found


def run_all(extract, variants: list[dict], folder: Path | None) -> list[tuple]:
    """Each variant as a run of the chapter; ``folder`` None: every run audited on its own."""
    out = []
    for i, variant in enumerate(variants):
        params = _participant(data_source=EXTRACT, **variant)
        record = folder if folder is not None else Path(os.environ["SECTORPLANNEN_RELEASES"]) / f"alone-{id(out)}-{i}"
        out.append((params, arbeidsmarkt.compute(extract, params, run=f"variant-{i}", releases=record)))
    return out


SCENARIOS = {
    "a leave-one-out sweep": (
        "tranche3",
        [{"tranche": "3"}] + [{"tranche": "3", "exclude_plans": [plan]} for plan in (SINGLE, "betonreparatie")],
    ),
    "measurement dates": (
        "tranche3",
        [{"tranche": "3", "peildatum": "2017"}, {"tranche": "3", "peildatum": "2018", "exclude_plans": [SINGLE]}],
    ),
    "tranche 1, 2 and 1-2": ("tranche12", [{"tranche": "1-2"}, {"tranche": "2"}, {"tranche": "1"}]),
}


@pytest.fixture(scope="module")
def outcomes(request, tranche3, tranche12, tmp_path_factory):
    """Per scenario: the runs audited on their own, and the same runs through one release record."""
    extracts = {"tranche3": tranche3, "tranche12": tranche12}
    out = {}
    for name, (extract, variants) in SCENARIOS.items():
        folder = tmp_path_factory.mktemp("releases")
        recorded = run_all(extracts[extract], variants, folder)
        # each run audited alone: the first is so either way, and the second is all the attacker needs
        alone = recorded[:1] + run_all(extracts[extract], variants[1:2], None)
        out[name] = (alone, recorded, folder)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_the_attacker_recovers_small_counts_without_the_record(outcomes, scenario):
    alone, _, _ = outcomes[scenario]
    found = attack(alone)
    assert found, f"{scenario}: runs audited one by one should leak (else this test cannot fail)"


@pytest.mark.slow
def test_what_the_attacker_recovers_without_the_record_is_true(outcomes, tranche3):
    """The leave-one-out difference of the cohort size is the one participant of the plan left out."""
    alone, _, _ = outcomes["a leave-one-out sweep"]
    differences = {(hit[2], hit[3], hit[4]): hit[5] for hit in attack(alone) if len(hit) == 6 and hit[:2] == (0, 1)}
    truth = tranche3[(tranche3["plan_id"] == SINGLE) & (tranche3["peildatum"] == "2019-05-31")]["aantal"].sum()
    assert differences[("deelnemers", "Totaal", "Totaal")] == truth == 1


@pytest.mark.slow
def test_the_students_of_tranche_1_are_recovered_without_the_record(outcomes):
    """Tabel 4.1 of tranche 1-2 minus that of tranche 2: the students row total is tranche 1's 6."""
    alone, _, _ = outcomes["tranche 1, 2 and 1-2"]
    hits = {(h[2], h[3], h[4]): h[5] for h in attack(alone) if len(h) == 6 and h[:2] == (0, 1)}
    assert hits[("deelnemers", "Studenten", "Totaal")] == STUDENTS


@pytest.mark.slow
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_no_small_count_from_all_runs_of_an_extract_together(outcomes, scenario):
    _, recorded, folder = outcomes[scenario]
    assert attack(recorded) == []
    (record,) = releases.listing(folder)
    assert record["releases"] == len(SCENARIOS[scenario][1])
    assert [audit.earlier_releases for audit in (r.audit for _, r in recorded)] == list(range(record["releases"]))


@pytest.mark.slow
def test_a_later_run_shows_again_what_an_earlier_one_showed(outcomes):
    """The first run is audited first and alone: its tables are the same with or without the record;
    a run after it is suppressed more than on its own."""
    alone, recorded, _ = outcomes["a leave-one-out sweep"]
    pd.testing.assert_frame_equal(alone[0][1].participants, recorded[0][1].participants)
    assert recorded[1][1].audit.secondary > alone[1][1].audit.secondary


@pytest.mark.slow
def test_a_tranche_run_computes_its_ledger_on_its_own_selection(outcomes, tranche12):
    """TRANCHE=1 counts tranche 1 participants only: claim 4-01's cohort size is the tranche 1 count."""
    _, recorded, _ = outcomes["tranche 1, 2 and 1-2"]
    sizes = tranche12[tranche12["peildatum"] == "2019-05-31"].groupby("tranche")["aantal"].sum()
    for params, results in recorded:
        expected = {"1-2": sizes.sum(), "1": sizes[1], "2": sizes[2]}[params.tranche]
        assert results.n == expected


# ----------------------------------------------------------------------------- the record itself


@pytest.mark.slow
def test_the_record_is_private_and_keeps_no_path(outcomes):
    _, _, folder = outcomes["a leave-one-out sweep"]
    (record,) = releases.listing(folder)
    base = folder / record["key"]
    assert stat.S_IMODE(base.stat().st_mode) == 0o700
    for path in base.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    log = (base / releases.LOG).read_text(encoding="utf-8")
    assert EXTRACT not in log and "beveiligd" not in log
    entries = [json.loads(line) for line in log.splitlines()]
    assert [e["parameters"]["exclude_plans"] for e in entries] == [[], [SINGLE], ["betonreparatie"]]
    assert all(e["min_cell"] == MIN and e["counts"] > 0 for e in entries)


@pytest.mark.slow
def test_the_record_is_keyed_by_content_not_by_file(tranche3):
    """The same participants in another order (another file, another format) are the same extract."""
    one = disclosure.Release(tranche3)
    two = disclosure.Release(tranche3.sample(frac=1.0, random_state=3).reset_index(drop=True))
    other = disclosure.Release(tranche3[tranche3["plan_id"] != SINGLE].reset_index(drop=True))
    assert one.key == two.key != other.key


@pytest.mark.slow
def test_rerunning_a_run_releases_nothing_new(tranche3, tmp_path):
    params = _participant(tranche="3", data_source=EXTRACT)
    first = arbeidsmarkt.compute(tranche3, params, run="a", releases=tmp_path)
    again = arbeidsmarkt.compute(tranche3, params, run="a", releases=tmp_path)
    pd.testing.assert_frame_equal(first.participants, again.participants)
    assert again.audit.secondary == first.audit.secondary
    assert again.audit.earlier_counts >= len(again.participants.stack())  # every shown cell was released before


@pytest.mark.slow
def test_the_synthetic_file_keeps_no_record(tranche3, tmp_path):
    arbeidsmarkt.compute(tranche3, _participant(tranche="3"), run="s", releases=tmp_path)
    assert releases.listing(tmp_path) == []


def test_reset_needs_a_reason_and_is_recorded(tmp_path):
    folder = tmp_path / "r"
    with releases.opened("a" * 64, folder) as record:
        record.append("run-1", {"tranche": "3"}, 10, [(np.array([0, 1]), 12)])
    with pytest.raises(ReleaseRecordError, match="only with a reason"):
        releases.reset("a" * 8, "  ", folder)
    with pytest.raises(ReleaseRecordError, match="names no record"):
        releases.reset("b" * 8, "nieuwe levering", folder)
    entry = releases.reset("a" * 8, "nieuwe   levering van CBS", folder)
    assert entry["reason"] == "nieuwe levering van CBS" and entry["releases"] == 1
    assert releases.listing(folder) == []
    assert releases.resets(folder)[0]["reason"] == "nieuwe levering van CBS"
    assert (folder / entry["kept_in"] / releases.LOG).exists()  # kept aside, never deleted


def earlier_counts(record: releases.Record) -> list[tuple[list[int], int]]:
    """What the record says was shown: (finest groups, value) per count."""
    atoms, counted, _, _ = dataclasses.astuple(record.released())
    return [(group.tolist(), value) for group, value in zip(atoms, counted, strict=True)]


def test_a_damaged_record_stops_every_release_in_one_line(tmp_path):
    """Also when the process read the release before it was damaged (what it keeps is per file stamp)."""
    key = "c" * 64
    with releases.opened(key, tmp_path) as record:
        record.append("run-1", {}, 10, [(np.array([0]), 11)])
        assert earlier_counts(record) == [([0], 11)]
    (tmp_path / key / "release-0001.npz").write_bytes(b"kapot")
    with releases.opened(key, tmp_path) as record, pytest.raises(ReleaseRecordError, match="missing or damaged"):
        record.released()
    (tmp_path / key / releases.LOG).write_text("{niet json\n", encoding="utf-8")
    with releases.opened(key, tmp_path) as record, pytest.raises(ReleaseRecordError, match=r"line 1: .* damaged"):
        record.entries()


def test_a_release_file_replaced_is_read_again(tmp_path):
    """Two records whose first releases differ, the second's file copied over the first's: the
    first record now shows the second's counts (a process keeps what it read only per file stamp)."""
    one, two = "f" * 64, "0" * 64
    for key, counts in ((one, [(np.array([0, 1]), 12)]), (two, [(np.array([2]), 15), (np.array([0, 2]), 40)])):
        with releases.opened(key, tmp_path) as record:
            record.append("run-1", {}, 10, counts)
    first = releases.Record(one, tmp_path)
    assert earlier_counts(first) == [([0, 1], 12)]
    (tmp_path / one / "release-0001.npz").write_bytes((tmp_path / two / "release-0001.npz").read_bytes())
    assert earlier_counts(first) == [([2], 15), ([0, 2], 40)]


def test_the_record_is_never_reached_through_a_symbolic_link(tmp_path):
    target = tmp_path / "elders"
    target.mkdir()
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(ReleaseRecordError, match="symbolic link"), releases.opened("d" * 64, tmp_path / "link"):
        pass


def _hold(folder: str, seconds: float, started) -> None:
    with releases.opened("e" * 64, Path(folder)):
        started.set()
        time.sleep(seconds)


def test_one_release_of_an_extract_at_a_time(tmp_path):
    """A second run (a sweep's other variant) waits for the lock; with a time-out it says so in one line."""
    context = multiprocessing.get_context("fork")
    started = context.Event()
    holder = context.Process(target=_hold, args=(str(tmp_path), 1.5, started))
    holder.start()
    try:
        assert started.wait(10)
        with (
            pytest.raises(ReleaseRecordError, match="another run of this extract"),
            releases.opened("e" * 64, tmp_path, timeout=0.2),
        ):
            pass
        begin = time.monotonic()
        with releases.opened("e" * 64, tmp_path):
            waited = time.monotonic() - begin
        assert waited > 0.3
    finally:
        holder.join(10)


@pytest.mark.slow
def test_a_run_that_only_earlier_counts_could_protect_is_refused(tranche3):
    """If everything left to suppress was shown before (here: a forged record that shows every
    count of the run at a threshold of 10), the run is refused with one line."""
    release = disclosure.Release(tranche3, MIN)
    everyone = tranche3[tranche3["peildatum"] == "2019-05-31"]
    without = everyone[everyone["plan_id"] != SINGLE]
    atoms = [release._atoms_of(everyone), release._atoms_of(without)]
    release.add_released(atoms, [int(everyone["aantal"].sum()), int(without["aantal"].sum())], MIN, runs=2)
    release.count(everyone)
    with pytest.raises(DisclosureError, match="cannot be shown"):
        release.protect()


@pytest.mark.notebook
def test_deleting_outputs_does_not_erase_what_was_shown(people, tmp_path, monkeypatch):
    """Two `make chapter` runs of one extract with outputs/ deleted in between: the second is audited
    with the first (its page says so), and the ledgers of the two runs differ by no count of 1 to 9."""
    import shutil

    from sectorplannen.chapters import notebook, registry

    out = tmp_path / "outputs"
    folder = tmp_path / "releases"
    monkeypatch.setenv("SECTORPLANNEN_OUTPUTS", str(out))
    monkeypatch.setenv("SECTORPLANNEN_RELEASES", str(folder))
    monkeypatch.setattr(paths, "OUTPUTS", out)
    extract_rows = plant(people[people["tranche"] == 3], 1, plan_id=SINGLE)
    extract = extract_csv(extract_rows, tmp_path / "beveiligd" / "deelnemers.csv")
    ledgers = []
    for i, excluded in enumerate(([], [SINGLE])):  # both builds fork their kernels from the session's nursery
        chapter = registry.chapter_for(
            "arbeidsmarktpositie", {"tranche": "3", "data_source": str(extract), "exclude_plans": excluded}
        )
        (html,) = build_pages([chapter], jobs=1, log=lambda _: None)
        page = html.read_text(encoding="utf-8")
        assert ("1 eerdere run" in page) == (i == 1)
        ledger = pd.read_csv(notebook.ledger_path(chapter.name)).set_index("claim")
        ledgers.append(ledger)
        shutil.rmtree(out)  # as `make clean` would: the record stays
    (record,) = releases.listing(folder)
    assert record["releases"] == 2
    first, second = ledgers
    on_file = (first["invoer_ids"] == "deelnemersbestand") & (first["eenheid"] == "aantal")
    both = first[on_file].index.intersection(second.index)
    difference = pd.to_numeric(first.loc[both, "berekend_waarde"], errors="coerce") - pd.to_numeric(
        second.loc[both, "berekend_waarde"], errors="coerce"
    )
    assert not ((difference > 0.5) & (difference < MIN - 0.5)).any(), difference[difference.between(0.5, 9.5)]


def _participant(**parameters):
    """The participant chapter's parameters, resolved by the registry (as make chapter resolves them)."""
    from sectorplannen.chapters import registry

    return registry.resolve("arbeidsmarktpositie", parameters)
