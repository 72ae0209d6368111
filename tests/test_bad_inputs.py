"""Inputs built to hang, exhaust memory or crash the reading of an extract: a named pipe, a device,
compressed files under any name, NUL bytes and control characters, a file beyond the size bound.
Each is read as what it is or refused in one line (by row and column where there is one), within
a second, before any kernel starts. Every file is made in a temporary folder from the sample of
the synthetic file."""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import build_pages

from sectorplannen import hashing, participants, paths
from sectorplannen.chapters import notebook, registry
from sectorplannen.cli import main
from sectorplannen.errors import ColumnMappingError, ParticipantDataError, StaleSyntheticData
from sectorplannen.participants import engine, filebytes, formats
from sectorplannen.pipeline import preflight, provenance, report

PIPE = "a named pipe (FIFO), not a regular file: export the extract to a file and give its path as data_source"
SAVE_AS = "save it as UTF-8 CSV (in Excel: 'CSV UTF-8 (comma delimited)')"


@pytest.fixture
def plain(sample, tmp_path) -> Path:
    path = tmp_path / "deelnemers.csv"
    sample.to_csv(path, index=False, lineterminator="\n")
    return path


def _refused(path: Path) -> str:
    """The one line reading ``path`` gives, run in a thread that must end within 10 s (a hang fails the test)."""
    outcome: dict = {}

    def attempt():
        try:
            participants.rows(path)
            outcome["read"] = True
        except ParticipantDataError as exc:
            outcome["message"] = str(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), f"reading {path} hangs"
    assert "message" in outcome, f"{path} was read"
    assert "\n" not in outcome["message"]
    return outcome["message"]


@pytest.mark.parametrize(
    ("name", "compress"),
    [
        ("deelnemers.csv.gz", gzip.compress),
        ("deelnemers.csv", gzip.compress),  # a gzip file named .csv: a traceback before
        ("export.csv", bz2.compress),
        ("export.dat", lzma.compress),
    ],
)
def test_a_compressed_csv_is_read_as_the_plain_file_whatever_its_name(plain, tmp_path, name, compress):
    path = tmp_path / "gecomprimeerd" / name
    path.parent.mkdir()
    path.write_bytes(compress(plain.read_bytes()))
    pd.testing.assert_frame_equal(participants.rows(path), participants.rows(plain))
    participants.check_extract(path, "1-2", "2019")


def test_a_damaged_gzip_file_is_one_line(plain, tmp_path):
    path = tmp_path / "half.csv"
    path.write_bytes(gzip.compress(plain.read_bytes())[:300])
    assert _refused(path) == (
        f"{path}: a gzip file that cannot be decompressed (Compressed file ended before the end-of-stream marker "
        "was reached): compress the extract again, or give it uncompressed"
    )


def test_zstd_and_zip_are_refused_in_one_line(plain, tmp_path):
    zstd = tmp_path / "deelnemers.csv"
    zstd.write_bytes(b"\x28\xb5\x2f\xfd" + plain.read_bytes()[:100])  # the zstd frame magic
    assert _refused(zstd) == (
        f"{zstd}: compressed with zstd, which is not read: decompress it (zstd -d) or compress it with gzip"
    )
    import zipfile

    archive = tmp_path / "deelnemers.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(plain, "deelnemers.csv")
    assert _refused(archive) == f"{archive}: an Excel workbook (or another zip file), not a CSV file: {SAVE_AS}"


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "deelnemers.csv"
    os.mkfifo(fifo)
    assert _refused(fifo) == f"{fifo}: {PIPE}"
    with pytest.raises(ParticipantDataError, match="named pipe"):
        participants.check_extract(fifo, "3", "2019")


def test_a_device_is_refused_before_anything_is_read():
    assert _refused(Path("/dev/zero")) == (
        "/dev/zero: a character device, not a regular file: export the extract to a file and give its path as "
        "data_source"
    )


def test_valid_rows_followed_by_nul_bytes_are_refused_at_the_row_where_they_begin(plain, tmp_path, sample):
    path = tmp_path / "nul.csv"
    path.write_bytes(plain.read_bytes() + b"\x00" * 50_000)
    row = len(sample) + 2  # the header is row 1, the rows follow, the NUL bytes start the next line
    assert _refused(path) == (
        f"{path}, row {row}, column 'deelnemer_id': binary content (a NUL byte), not text: export the extract "
        f"again; {SAVE_AS}"
    )


def test_a_control_character_inside_a_row_names_row_and_column(plain, tmp_path):
    lines = plain.read_text(encoding="utf-8").splitlines()
    fields = lines[4].split(",")  # row 5
    fields[9] = fields[9][:4] + "\x0c" + fields[9][5:]  # peildatum, the tenth column
    lines[4] = ",".join(fields)
    path = tmp_path / "ff.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _refused(path) == (
        f"{path}, row 5, column 'peildatum': binary content (byte 0x0c, a control character), not text: export the "
        f"extract again; {SAVE_AS}"
    )


def test_nul_bytes_stop_the_reading_at_the_first_chunk(plain, tmp_path, monkeypatch):
    """A huge tail of NUL bytes is not read into memory: reading ends at the chunk where they start."""
    monkeypatch.setattr(filebytes, "CHUNK", 4096)
    path = tmp_path / "staart.csv"
    head = plain.read_bytes()
    path.write_bytes(head + b"\x00" * 1_000_000)
    data = filebytes.read(path, text=True)
    assert len(data) <= len(head) + 2 * 4096
    assert len(filebytes.read(path)) == len(head) + 1_000_000  # not a text read: the whole file


def test_utf16_without_byte_order_mark_is_named(plain, tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes(plain.read_text(encoding="utf-8").encode("utf-16-le"))
    assert _refused(path) == f"{path}: holds NUL characters (UTF-16 without a byte order mark?): {SAVE_AS}"


def test_a_file_beyond_the_size_bound_is_refused_before_it_is_read(plain, tmp_path, monkeypatch):
    monkeypatch.setenv("SECTORPLANNEN_EXTRACT_MAX_MB", "0")
    message = (
        "larger than 0 MB (decompressed): check that it is the extract, or set SECTORPLANNEN_EXTRACT_MAX_MB higher "
        "on a machine with the memory to read it"
    )
    assert _refused(plain) == f"{plain}: {message}"
    bomb = tmp_path / "bom.csv"
    bomb.write_bytes(gzip.compress(b"a" * 3_000_000))  # 3 MB of text in a few kB
    monkeypatch.setenv("SECTORPLANNEN_EXTRACT_MAX_MB", "1")
    assert _refused(bomb) == f"{bomb}: {message.replace('0 MB', '1 MB')}"
    monkeypatch.setenv("SECTORPLANNEN_EXTRACT_MAX_MB", "veel")
    assert _refused(plain) == "SECTORPLANNEN_EXTRACT_MAX_MB='veel' is not a whole number of megabytes: write e.g. 4096"


def test_the_command_line_refuses_a_pipe_in_one_line(tmp_path, capsys, monkeypatch):
    outputs = tmp_path / "outputs"
    monkeypatch.setenv("SECTORPLANNEN_OUTPUTS", str(outputs))
    monkeypatch.setattr(paths, "OUTPUTS", outputs)
    fifo = tmp_path / "pijp.csv"
    os.mkfifo(fifo)
    status = main(["chapter", "arbeidsmarktpositie", "--tranche", "3", "--params", f"data_source={fifo}"])
    err = capsys.readouterr().err
    assert status == 2
    assert err == f"error: {fifo}: {PIPE}\n"
    assert not outputs.exists()


# ------------------------------------------------------------------- the engine's spill folder


def _spill_folder(connection) -> Path:
    (folder,) = connection.execute("SELECT current_setting('temp_directory')").fetchone()
    return Path(folder)


def test_the_engine_spills_into_a_fresh_owner_only_folder_never_a_prepared_one(tmp_path, monkeypatch, sample):
    """Where a predictable name used to be, another user's symlink is not followed: each connection
    gets a new folder (mode 0700) that is gone once the connection is closed or counted with."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    trap = tmp_path / "aanvaller"
    trap.mkdir()
    (temp / f"sectorplannen-duckdb-{os.getuid()}").symlink_to(trap)  # the name used before
    first, second = engine.connect(), engine.connect()
    folders = [_spill_folder(first), _spill_folder(second)]
    assert folders[0] != folders[1]
    for folder in folders:
        assert folder.parent == temp and folder.name.startswith("sectorplannen-duckdb-")
        assert not folder.is_symlink() and folder.stat().st_mode & 0o777 == 0o700
    first.execute("CREATE TABLE t AS SELECT range AS i FROM range(10)")
    engine.close(first)
    assert not folders[0].exists()
    del second
    import gc

    gc.collect()
    assert not folders[1].exists()  # collected without close: removed all the same
    engine.counts(participants.rows(_csv_of(sample, tmp_path)))  # a connection of its own, closed after
    assert sorted(p.name for p in temp.iterdir()) == [f"sectorplannen-duckdb-{os.getuid()}"]
    assert list(trap.iterdir()) == []


def test_a_given_spill_folder_that_is_a_symlink_is_refused(tmp_path):
    from sectorplannen.errors import SetupError

    link = tmp_path / "spill"
    link.symlink_to(tmp_path)
    with pytest.raises(SetupError, match="temporary folder is a symbolic link"):
        engine.connect(temp_directory=link)
    made = engine.connect(temp_directory=tmp_path / "nieuw")
    assert (tmp_path / "nieuw").stat().st_mode & 0o777 == 0o700
    engine.close(made)


def _csv_of(sample, folder: Path) -> Path:
    path = folder / "deelnemers.csv"
    sample.to_csv(path, index=False, lineterminator="\n")
    return path


# ------------------------------------------------------------------- the smaller items of issue 20

# Eight plans of tranche 1-2 left out: a name longer than 120 characters, shortened with a hash.
MANY_PLANS = [
    "Bouw",
    "Transport",
    "Zorg Noord-Holland Noord",
    "Metaal",
    "Schoonmaak",
    "Groothandel",
    "Detailhandel",
    "ICT",
]


def test_a_long_run_name_is_the_same_in_the_build_and_in_the_kernel():
    """The build names a run from the parameters given; the kernel from every parameter of the
    notebook's parameters cell (defaults included): both must give the page's name to the ledger."""
    given = {"tranche": "1-2", "exclude_plans": MANY_PLANS}
    in_build = registry.chapter_for("uitvoering", given)
    in_kernel = registry.chapter_for("uitvoering", {**registry.entry("uitvoering").defaults, **given})
    assert len(in_build.name) == 111 and in_build.name[100] == "_"  # shortened: 100 characters, '_' and a hash
    assert in_kernel.name == in_build.name
    other = registry.chapter_for("uitvoering", {**given, "top_n": 5})
    assert other.name != in_build.name  # another parameter, another name


@pytest.mark.notebook
def test_ledger_and_manifest_trouble_is_noticed_and_repaired(scratch, session_nursery):
    """One long-named run built for real: its ledger gets the page's name; a deleted or edited ledger
    makes the chapter stale (the page of all numbers would silently lose its numbers) and the next
    build rebuilds it; a damaged manifest is one line and a rebuild, never a traceback. The three
    builds fork their kernels from the test session's nursery (conftest)."""
    outputs, _ = scratch
    assert session_nursery is not None
    # chapter 2, the quickest chapter with a plan selection (three builds of it)
    chapter = registry.chapter_for("inhoud", {"tranche": "1-2", "exclude_plans": [*MANY_PLANS, "Metalektro"]})
    assert len(chapter.name) == 111 and chapter.name[100] == "_"  # the name shortened with a hash
    lines: list[str] = []
    build_pages([chapter], jobs=1, log=lines.append)
    ledger = paths.ledger(chapter.name)
    assert ledger.is_file() and (outputs / "report" / f"{chapter.name}.html").is_file()
    assert sorted(p.name for p in (outputs / "ledger").iterdir()) == [ledger.name]
    assert report.is_current(chapter)
    content = ledger.read_bytes()

    ledger.unlink()
    assert not report.is_current(chapter)
    build_pages([chapter], jobs=1, log=lines.append)
    assert ledger.read_bytes() == content and report.is_current(chapter)

    ledger.write_bytes(content + content.splitlines(keepends=True)[1])  # a number twice
    assert not report.is_current(chapter)

    manifest = report._manifest(chapter)
    for damage in (b"\xff\xfe\x00kapot", b"[]", b"null", b'{"fingerprint": 3}', b'{"fingerprint": "ab'):
        manifest.write_bytes(damage)
        assert not report.is_current(chapter)
    lines.clear()
    build_pages([chapter], jobs=1, log=lines.append)
    assert lines[0] == (f"[herstel] {manifest} was beschadigd en is verwijderd: dit hoofdstuk wordt opnieuw gebouwd")
    assert lines[1].startswith(f"[start] hoofdstuk 2 {chapter.name}")
    assert report.is_current(chapter) and ledger.read_bytes() == content


def _readonly_outputs() -> Path:
    """A built-looking output folder nobody may write (as root: run the command as nobody)."""
    folder = Path(tempfile.mkdtemp(prefix="sp-ro-"))
    folder.chmod(0o755)
    for name in ("report", ".build", "ledger"):
        (folder / name).mkdir()
        (folder / name / "x.txt").write_text("eerder\n", encoding="utf-8")
    for each in [folder, *folder.iterdir()]:
        each.chmod(0o555)
    return folder


@pytest.mark.parametrize("command", [["report"], ["chapter", "inhoud", "--tranche", "3"]])
def test_read_only_outputs_are_one_line(command):
    folder = _readonly_outputs()
    try:
        as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.getuid() == 0 else []
        if as_nobody and not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv")
        env = {**os.environ, "SECTORPLANNEN_OUTPUTS": str(folder), "PYTHONDONTWRITEBYTECODE": "1"}
        run = subprocess.run(
            [*as_nobody, sys.executable, "-m", "sectorplannen", *command],
            cwd=paths.ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 2, run.stderr
        assert run.stderr == (
            f"error: output folder {folder} is not writable (Permission denied): make it writable (chmod -R u+w "
            f"{folder}) or set SECTORPLANNEN_OUTPUTS to a folder you may write\n"
        )
        assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) == [
            ".build",
            ".build/x.txt",
            "ledger",
            "ledger/x.txt",
            "report",
            "report/x.txt",
        ]
    finally:
        for each in [folder, *folder.iterdir()]:
            each.chmod(0o755)
        shutil.rmtree(folder)


@pytest.mark.notebook
def test_a_one_participant_extract_gives_a_chapter_with_every_number_suppressed(scratch, sample, tmp_path):
    """What an evaluator in a secure environment expects of a tiny extract: the chapter is built (a
    figure whose every share is suppressed says so instead of failing: 'no numeric data to plot'
    before), and every number from the file is suppressed (x); the ledger CSV carries the cell size
    and the stated reason for going below 10 (min_cell_override)."""
    chosen = sample.loc[(sample["tranche"] == "3") & (sample["peildatum"] == "2019-05-31"), "deelnemer_id"].iloc[0]
    one = sample[sample["deelnemer_id"] == chosen]
    assert len(one) == 1
    extract = tmp_path / "beveiligd" / "een.csv"
    extract.parent.mkdir()
    one.to_csv(extract, index=False)
    reason = "Proefrun met één deelnemer"
    chapter = registry.chapter_for(
        "arbeidsmarktpositie",
        {
            "tranche": "3",
            "peildatum": one["peildatum"].iloc[0][:4],
            "data_source": str(extract),
            "min_cell_size": 5,
            "min_cell_override": reason,
        },
    )
    (html,) = build_pages([chapter], jobs=1, log=lambda _: None)
    assert html.is_file()
    ledger = pd.read_csv(notebook.ledger_path(chapter.name), dtype=str, keep_default_na=False)
    on_file = ledger[ledger["invoer_ids"] == "deelnemersbestand"]
    assert len(on_file) > 10
    # every number from the one participant is suppressed; the groups without participants show 0
    # (whether a 0 beside an x may be shown is the disclosure audit's question, not this test's)
    assert set(on_file["berekend"]) <= {"x", "0", ""} and "x" in set(on_file["berekend"])
    assert set(ledger["min_cell_size"]) == {"5"} and set(ledger["min_cell_override"]) == {reason}


@pytest.mark.parametrize(
    "shares",
    [
        pd.DataFrame(index=["Totaal"]),
        pd.DataFrame({"Werknemer": [float("nan")], "WW": [float("nan")]}, index=["Totaal"]),
    ],
    ids=["no column", "every share suppressed"],
)
def test_a_figure_without_any_share_says_so(shares):
    from sectorplannen.render import figures

    fig = figures.stacked_shares(shares, "Contract", "bron", "SYNTHETISCH")
    drawn = fig.figure()  # the figure drawn again, to read its artists
    texts = [t.get_text() for t in drawn.axes[0].texts]
    assert texts == ["Geen aandelen te tonen: elke cel is onderdrukt of leeg."]
    assert len(drawn.axes[0].patches) == 0  # no bars
    drawn.clf()


def test_a_ledger_of_the_synthetic_file_records_the_default_cell_size(tmp_path, monkeypatch):
    """finish() writes min_cell_size and min_cell_override beside every claim of a participant run."""
    monkeypatch.setattr(paths, "OUTPUTS", tmp_path)

    chapter = registry.chapter_for("arbeidsmarktpositie", {"tranche": "3"})
    run = notebook.Run(chapter, _participant(tranche="3"))
    monkeypatch.setattr(notebook, "display", lambda *_, **__: None)
    row = {
        "claim": "7-01",
        "hoofdstuk": "7",
        "plaats": "tekst",
        "regel": "1",
        "tekst": "t",
        "gepubliceerd": "5",
        "eenheid": "aantal",
        "berekend": "x",
        "berekend_waarde": "",
        "status": "onderdrukt",
        "toelichting": "",
        "invoer": "deelnemersbestand",
        "verklaard": "True",
    }
    notebook.finish(run, pd.DataFrame([row]))
    written = pd.read_csv(tmp_path / "ledger" / f"{chapter.name}.csv", dtype=str, keep_default_na=False)
    assert written.to_dict("records") == [{**row, "min_cell_size": "10", "min_cell_override": ""}]


def test_a_truncated_synthetic_file_is_caught_before_any_kernel_and_the_advice_is_make_data(tmp_path, monkeypatch):
    broken = tmp_path / "deelnemers.parquet"
    broken.write_bytes(paths.SYNTHETIC.read_bytes()[:100_000])
    from sectorplannen.participants import synthetic

    hashing.write_sources_record(broken, synthetic.synthetic_sources())  # made from the current sources
    monkeypatch.setattr(paths, "SYNTHETIC", broken)
    chapter = registry.chapter_for("arbeidsmarktpositie", {"tranche": "3"})
    with pytest.raises(StaleSyntheticData) as caught:
        preflight.prepare_synthetic([chapter])
    message = str(caught.value)
    assert message.startswith(f"{broken} is damaged (") and message.endswith("): run `make data`")
    assert "\n" not in message
    with pytest.raises(ParticipantDataError, match=r"not readable as Parquet \(.*\): run `make data`$"):
        engine.counts(broken)  # the same advice should the file break while a kernel reads it


def test_provenance_records_the_extract_and_its_mapping_each_by_its_own_hash(sample, tmp_path):
    extract = tmp_path / "deelnemers.csv"
    sample.to_csv(extract, index=False)
    mapping = Path(f"{extract}{formats.MAPPING_SUFFIX}")
    mapping.write_text("csv: {separator: ','}\n", encoding="utf-8")
    parameters = {"data_source": str(extract)}
    label = hashing.extract_label(str(extract))
    assert provenance.participant_hashes(parameters, "extract") == {
        label: hashing.sha256(extract),
        f"{label}.mapping": hashing.sha256(mapping),
    }


def _plan_mapping(path: Path, codes: dict) -> None:
    Path(f"{path}{formats.MAPPING_SUFFIX}").write_text(
        yaml.safe_dump({"codes": {"plan_id": codes}}, sort_keys=False), encoding="utf-8"
    )


def test_a_mapping_that_merges_two_plans_is_refused(sample, tmp_path):
    plans = sorted(set(sample.loc[sample["tranche"] == "3", "plan_id"]))[:2]
    coded = sample.assign(plan_id=sample["plan_id"].map({plans[0]: "P1", plans[1]: "P2"}).fillna(sample["plan_id"]))
    path = tmp_path / "codes.csv"
    coded.to_csv(path, index=False)
    _plan_mapping(path, {"P1": plans[0], "P2": plans[0]})
    with pytest.raises(ColumnMappingError) as caught:
        participants.rows(path)
    assert str(caught.value) == (
        f"{path}{formats.MAPPING_SUFFIX}, line 4, codes, column 'plan_id': 'P1' and 'P2' both become plan "
        f"{plans[0]!r}, which merges two plans: give each extract code its own plan id"
    )
    _plan_mapping(path, {"P1": plans[0], "P2": plans[1]})
    assert set(participants.rows(path)["plan_id"]) == set(sample["plan_id"])  # one code per plan: read
    half = sample.assign(plan_id=sample["plan_id"].replace({plans[1]: "P2"}))  # plans[0] stays as it is
    half.to_csv(path, index=False)
    _plan_mapping(path, {"P2": plans[0]})
    row = int((half["plan_id"] == plans[0]).idxmax()) + 2
    with pytest.raises(ColumnMappingError) as caught:
        participants.rows(path)
    assert str(caught.value) == (
        f"{path}{formats.MAPPING_SUFFIX}, line 3, codes, column 'plan_id': 'P2' becomes plan {plans[0]!r}, which "
        f"{path} also holds as it is (row {row}), so two plans would merge: recode every plan code of the "
        "extract, or none"
    )


# -------------------------------------------------------------------- make: nothing typed reaches a shell


def test_make_passes_nb_params_tranche_and_grid_without_any_shell_or_make_interpreting_them(tmp_path):
    marker = tmp_path / "geraakt"
    outputs = tmp_path / "outputs"
    env = {**os.environ, "SECTORPLANNEN_OUTPUTS": str(outputs)}
    env.pop("MAKEFLAGS", None)
    env.pop("MAKELEVEL", None)
    attacks = {
        "quote": f"top_n=1' ; touch {marker}-quote ; echo '",
        "subshell": f"top_n=$(touch {marker}-subshell)",
        "backticks": f"top_n=`touch {marker}-backticks`",
        "make": f"top_n=$(shell touch {marker}-make)",
    }

    def make(*arguments: str, timeout: int = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["make", "--no-print-directory", *arguments],
            cwd=paths.ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    for name, params in attacks.items():
        run = make("chapter", "NB=uitvoering", "TRANCHE=3", f"PARAMS={params}")
        assert run.returncode == 2, (name, run.stdout, run.stderr)
        said = [line for line in run.stderr.splitlines() if not line.startswith("make: ***")]
        assert len(said) == 1 and said[0].startswith("error: "), (name, run.stderr)
        assert ("top_n" in said[0]) and "Traceback" not in run.stderr
    for variable in ("NB", "TRANCHE", "GRID"):
        target = "sweep" if variable == "GRID" else "chapter"
        value = f"$(shell touch {marker}-{variable})`touch {marker}-{variable}-b`"
        extra = ["NB=uitvoering"] if variable == "TRANCHE" else []
        run = make(target, *extra, f"{variable}={value}")
        assert run.returncode == 2, (variable, run.stdout, run.stderr)
        said = [line for line in run.stderr.splitlines() if not line.startswith("make: ***")]
        assert len(said) == 1 and said[0].startswith("error: "), (variable, run.stderr)
    assert list(tmp_path.glob("geraakt*")) == []
    assert not outputs.exists() or not any(outputs.rglob("*.html"))
    run = make("chapter", timeout=60)
    assert run.returncode == 2 and run.stderr.splitlines()[0] == (
        "usage: make chapter NB=<notebook> [TRANCHE=1-2|3|1|2] [PARAMS='key=value ...'] [FORCE=1]"
    )


def _participant(**parameters):
    """The participant chapter's parameters, resolved by the registry (as make chapter resolves them)."""
    from sectorplannen.chapters import registry

    return registry.resolve("arbeidsmarktpositie", parameters)
