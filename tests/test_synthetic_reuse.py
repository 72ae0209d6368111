"""The synthetic file once per state of its inputs (``synthetic.generated``, ``sectorplannen.reuse``):
kept and looked up by a content hash of what it is made from, generated in a forked process while
``make data`` makes the tables, and that early result dropped when the tables changed an input."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

from sectorplannen import claims, hashing, paths, reuse
from sectorplannen.errors import UnexplainedFindings
from sectorplannen.participants import synthetic


def test_lookup_finds_what_keep_kept_and_only_for_the_same_inputs(scratch, tmp_path):
    source = tmp_path / "invoer.txt"
    source.write_text("een\n", encoding="utf-8")
    assert reuse.lookup("proef", [source]) is reuse.MISSING
    assert reuse.keep("proef", [source], {"waarde": 1}) == {"waarde": 1}
    assert reuse.lookup("proef", [source]) == {"waarde": 1}
    assert reuse.reused("proef", [source], lambda: pytest.fail("computed although kept")) == {"waarde": 1}
    source.write_text("twee\n", encoding="utf-8")
    assert reuse.lookup("proef", [source]) is reuse.MISSING
    reuse.keep("proef", [source], {"waarde": 2})
    kept = sorted(p.name for p in paths.reuse().iterdir())
    assert kept == [f"proef-{reuse.key('proef', [source])}.pickle"]  # the older result is removed


@pytest.fixture
def calibration_copy(tmp_path, monkeypatch):
    copy = tmp_path / "calibratie.yaml"
    shutil.copyfile(paths.CALIBRATION, copy)
    monkeypatch.setattr(paths, "CALIBRATION", copy)
    return copy


def test_the_key_covers_the_prior_the_tables_the_claims_and_the_code(calibration_copy):
    names = {
        p.relative_to(paths.ROOT).as_posix() if p.is_relative_to(paths.ROOT) else p.name for p in synthetic.inputs()
    }
    for expected in (
        "calibratie.yaml",  # the copy, outside the repository
        "data/published/001/A.8.csv",
        "data/published/datapackage.json",
        "data/claims/arbeidsmarktpositie.csv",
        "data/raw/plans.yaml",  # the register
        "src/sectorplannen/participants/calibration.py",
        "src/sectorplannen/participants/synthetic.py",
        "src/sectorplannen/published/load.py",
    ):
        assert expected in names
    before = reuse.key(synthetic.REUSED, synthetic.inputs())
    calibration_copy.write_text(calibration_copy.read_text(encoding="utf-8") + "\n# een andere aanname\n", "utf-8")
    assert reuse.key(synthetic.REUSED, synthetic.inputs()) != before


def _counting_generate(log):
    """A stand-in for generate (seconds each): a frame made from the prior's text, each call logged
    in a file (the early process is another process)."""

    def generate(reuse_answers: bool = False) -> pd.DataFrame:
        assert reuse_answers  # generated() takes the solver's kept answers
        with log.open("a", encoding="utf-8") as handle:
            handle.write("gegenereerd\n")
        frame = pd.DataFrame({"prior": [paths.CALIBRATION.read_text(encoding="utf-8")]})
        frame.attrs["niet gehaald"] = ["4-202 (2019)"]
        return frame

    return generate


def test_generated_alongside_the_tables_then_reused(scratch, calibration_copy, tmp_path, monkeypatch):
    log = tmp_path / "log.txt"
    monkeypatch.setattr(synthetic, "generate", _counting_generate(log))
    frame, side, how = synthetic.generated(lambda: "tabellen")
    assert (side, how) == ("tabellen", "alongside")
    assert frame["prior"].iloc[0] == calibration_copy.read_text(encoding="utf-8")
    assert frame.attrs["niet gehaald"] == ["4-202 (2019)"]
    again, _, how = synthetic.generated()
    assert how == "reused" and again.equals(frame) and again.attrs == frame.attrs
    assert log.read_text(encoding="utf-8").count("gegenereerd") == 1


def test_an_input_changed_alongside_drops_the_early_result(scratch, calibration_copy, tmp_path, monkeypatch):
    log = tmp_path / "log.txt"
    monkeypatch.setattr(synthetic, "generate", _counting_generate(log))

    def tables():  # as make data rewriting a table the file is made from
        calibration_copy.write_text("doelen: []\n", encoding="utf-8")

    frame, _, how = synthetic.generated(tables)
    assert how == "afresh"
    assert frame["prior"].iloc[0] == "doelen: []\n"  # made from the inputs as they are now
    assert reuse.lookup(synthetic.REUSED, synthetic.inputs())["prior"].iloc[0] == "doelen: []\n"


def test_a_failing_make_data_stops_the_early_process_and_keeps_nothing(scratch, calibration_copy, monkeypatch):
    monkeypatch.setattr(synthetic, "generate", lambda reuse_answers: pd.DataFrame({"prior": ["x"]}))
    started = []
    early_class = synthetic._Early

    class Watched(early_class):
        def __init__(self):
            super().__init__()
            started.append(self)

    monkeypatch.setattr(synthetic, "_Early", Watched)

    def tables():
        raise UnexplainedFindings("make data: 1 difference(s) without an explanation")

    with pytest.raises(UnexplainedFindings):
        synthetic.generated(tables)
    assert len(started) == 1 and not started[0].process.is_alive()
    assert reuse.lookup(synthetic.REUSED, synthetic.inputs()) is reuse.MISSING


def test_an_early_process_that_fails_leaves_the_error_to_this_one(scratch, calibration_copy, monkeypatch):
    calls = []

    def generate(reuse_answers: bool = False):
        calls.append(1)  # in this process only: the forked one's list is its own
        raise ValueError("calibratie: no target for uren covers 3 people (add a tranche-wide target)")

    monkeypatch.setattr(synthetic, "generate", generate)
    with pytest.raises(ValueError, match="no target for uren"):
        synthetic.generated()
    assert calls == [1]


@pytest.mark.slow
def test_the_file_generated_alongside_is_the_file_generated_here(scratch, synthetic_file, tmp_path):
    """Generation is deterministic: generated afresh in a second process, the file is the session's file
    (generated in a process of its own, conftest) byte for byte, and it says which claims the calibration
    gave up (all explained)."""
    frame, _, how = synthetic.generated()
    assert how == "alongside"
    exported = synthetic.export_csv(synthetic.typed(frame), tmp_path / "deelnemers.csv")
    assert exported.read_bytes() == paths.SYNTHETIC_CSV.read_bytes()
    given_up = frame.attrs["niet gehaald"]
    assert given_up and {entry.split()[0] for entry in given_up} <= set(claims.explanations())
    reused, _, how = synthetic.generated()
    assert how == "reused"
    # equal columns, dtypes and values (assert_frame_equal compares 780 thousand text values one by one, 13 s)
    assert list(reused.columns) == list(frame.columns) and reused.dtypes.equals(frame.dtypes)
    assert reused.equals(frame) and reused.attrs == frame.attrs


def test_saved_writes_only_when_the_files_there_are_not_the_ones_saved_before(scratch, tmp_path, monkeypatch):
    target = tmp_path / "synthetic" / "deelnemers.parquet"
    monkeypatch.setattr(paths, "SYNTHETIC", target)
    frame = pd.DataFrame({"deelnemer_id": ["S000001"], "start": [pd.Timestamp("2014-01-01")], "jong": [True]})
    assert synthetic.saved(frame) is True
    csv = target.with_suffix(".csv")
    assert csv.read_text(encoding="utf-8") == "deelnemer_id,start,jong\nS000001,2014-01-01,true\n"
    stamps = {p: p.stat().st_mtime_ns for p in (target, csv)}
    assert synthetic.saved(frame) is False  # the same files: not written again
    assert {p: p.stat().st_mtime_ns for p in (target, csv)} == stamps
    csv.write_text("deelnemer_id,start,jong\nS000001,2014-01-01,false\n", encoding="utf-8")  # edited by hand
    assert synthetic.saved(frame) is True
    assert csv.read_text(encoding="utf-8") == "deelnemer_id,start,jong\nS000001,2014-01-01,true\n"
    hashing_record = target.with_name(target.name + ".sources.json")
    hashing_record.unlink()  # no record of what it was made from: written again
    assert synthetic.saved(frame) is True and hashing_record.is_file()


def test_a_failing_csv_export_changes_neither_file(tmp_path, monkeypatch):
    target = tmp_path / "deelnemers.parquet"
    frame = pd.DataFrame({"deelnemer_id": ["S000001"], "jong": [True]})
    synthetic.save(frame, target)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def full_disk(table, path):
        path.write_text("deelnemer_id,jong\n", encoding="utf-8")  # begun, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(synthetic, "export_csv", full_disk)
    with pytest.raises(OSError, match="No space left"):
        synthetic.save(pd.DataFrame({"deelnemer_id": ["S000002"], "jong": [False]}), target)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no temporary file left either


# -------------------------------------------------------------------- written alongside (make data)


@pytest.fixture
def synthetic_target(tmp_path, monkeypatch):
    """The synthetic file's place in tmp_path (what make data writes)."""
    target = tmp_path / "synthetic" / "deelnemers.parquet"
    monkeypatch.setattr(paths, "SYNTHETIC", target)
    return target


@pytest.fixture
def writers(tmp_path, monkeypatch):
    """The processes that wrote the synthetic file's files (a log in a file: the early process is another)."""
    log = tmp_path / "schrijvers.txt"
    written = synthetic._written

    def logged(frame, path, tag):
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        return written(frame, path, tag)

    monkeypatch.setattr(synthetic, "_written", logged)
    return lambda: [int(line) for line in log.read_text(encoding="utf-8").split()] if log.exists() else []


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _expected(frame, tmp_path) -> dict[str, bytes]:
    """The files save() writes for a frame, in a folder of their own."""
    synthetic.save(frame, tmp_path / "verwacht" / "deelnemers.parquet")
    return {name: data for name, data in _files(tmp_path / "verwacht").items() if not name.endswith(".json")}


def test_make_data_s_file_is_written_by_the_process_that_generated_it(
    scratch, calibration_copy, synthetic_target, writers, tmp_path, monkeypatch
):
    monkeypatch.setattr(synthetic, "generate", _counting_generate(tmp_path / "log.txt"))
    frame, side, how, written = synthetic.generated_and_saved(lambda: "tabellen")
    assert (side, how, written) == ("tabellen", "alongside", True)
    early = writers()
    assert len(early) == 1 and early[0] != os.getpid()  # the early process wrote them, once
    files = _files(synthetic_target.parent)  # in place, with their record; nothing temporary left
    assert sorted(files) == ["deelnemers.csv", "deelnemers.parquet", "deelnemers.parquet.sources.json"]
    assert {name: files[name] for name in ("deelnemers.csv", "deelnemers.parquet")} == _expected(frame, tmp_path)
    assert hashing.changed_sources(synthetic_target, synthetic.synthetic_sources()) == []
    kept = reuse.lookup(synthetic.WRITTEN, synthetic.inputs())
    assert kept == [hashing.content_hash(synthetic_target), hashing.content_hash(synthetic_target.with_suffix(".csv"))]
    again = synthetic.generated_and_saved()
    assert again[2:] == ("reused", False) and len(writers()) == 2  # only _expected's save: nothing written again


def test_files_written_early_are_dropped_with_the_early_result(
    scratch, calibration_copy, synthetic_target, writers, tmp_path, monkeypatch
):
    monkeypatch.setattr(synthetic, "generate", _counting_generate(tmp_path / "log.txt"))

    def tables():  # make data rewriting an input while the early process generates and writes
        calibration_copy.write_text("doelen: []\n", encoding="utf-8")

    frame, _, how, written = synthetic.generated_and_saved(tables)
    assert (how, written) == ("afresh", True) and frame["prior"].iloc[0] == "doelen: []\n"
    assert os.getpid() in writers()  # written here, from the frame generated again
    files = _files(synthetic_target.parent)
    assert sorted(files) == ["deelnemers.csv", "deelnemers.parquet", "deelnemers.parquet.sources.json"]
    assert {name: files[name] for name in ("deelnemers.csv", "deelnemers.parquet")} == _expected(frame, tmp_path)


def test_files_written_early_are_removed_when_the_same_files_are_there(
    scratch, calibration_copy, synthetic_target, writers, tmp_path, monkeypatch
):
    monkeypatch.setattr(synthetic, "generate", _counting_generate(tmp_path / "log.txt"))
    synthetic.generated_and_saved()
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in synthetic_target.parent.iterdir()}
    for kept in paths.reuse().glob(f"{synthetic.REUSED}-*"):  # the frame generated again, the files not written
        kept.unlink()
    _, _, how, written = synthetic.generated_and_saved()
    assert (how, written) == ("alongside", False) and len(writers()) == 2  # written early, not put in place
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in synthetic_target.parent.iterdir()} == before


def test_an_early_process_that_cannot_write_leaves_the_files_to_this_one(
    scratch, calibration_copy, synthetic_target, tmp_path, monkeypatch
):
    monkeypatch.setattr(synthetic, "generate", _counting_generate(tmp_path / "log.txt"))
    here, export = os.getpid(), synthetic.export_csv

    def full_disk_there(table, path):
        if os.getpid() != here:
            path.write_text("deelnemer_id\n", encoding="utf-8")  # begun, then the disk is full
            raise OSError(28, "No space left on device")
        return export(table, path)

    monkeypatch.setattr(synthetic, "export_csv", full_disk_there)
    frame, _, how, written = synthetic.generated_and_saved()
    assert (how, written) == ("alongside", True)
    files = _files(synthetic_target.parent)
    assert sorted(files) == ["deelnemers.csv", "deelnemers.parquet", "deelnemers.parquet.sources.json"]
    assert {name: files[name] for name in ("deelnemers.csv", "deelnemers.parquet")} == _expected(frame, tmp_path)
