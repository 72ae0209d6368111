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
import threading
from pathlib import Path

import pandas as pd
import pytest

from sectorplannen import participants
from sectorplannen.cli import main
from sectorplannen.errors import ParticipantDataError
from sectorplannen.participants import filebytes

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
    from sectorplannen import paths

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
    import tempfile

    from sectorplannen.participants import engine

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
    from sectorplannen.participants import engine

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
