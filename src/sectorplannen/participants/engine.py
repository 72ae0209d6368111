"""The analytical engine for participant data: DuckDB, embedded (no server), over Parquet or a frame in memory.

Every number chapters 4 and 7 show counts the participants in a selection made on the audited
columns (:data:`sectorplannen.participants.disclosure.AUDIT_COLUMNS`: plan, tranche, theme, measure,
target group, age group, measurement date and the four outcomes). So one query reduces the
participant file to the number of participants per combination of those columns
(:func:`counts`): some 60 thousand rows for the synthetic file, and no more for a file a thousand
times its size. Cohort selection, the descriptive tables, the comparisons, the logit and the
disclosure audit then work on that table of counts (pandas, every row weighted by its ``aantal``),
and give the same numbers as on one row per participant.

DuckDB reads a Parquet file in a stream of row groups and spills to a temporary folder when a
query needs more than its memory limit, so a file larger than memory is counted too. What it spills
is participant data: the folder is made fresh for each connection (owner-only, by ``mkdtemp``, so no
name can be prepared for it in advance and no symlink followed) and removed when the connection
is closed (:func:`close`) or collected.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from pathlib import Path

import duckdb
import pandas as pd

from sectorplannen import paths
from sectorplannen.errors import ParticipantDataError, SetupError
from sectorplannen.participants.disclosure import AUDIT_COLUMNS
from sectorplannen.participants.schema import COUNT

# How each counted column comes out of the engine: the types the schema gives a validated frame.
_TYPES = {"tranche": "BIGINT", "jong": "BOOLEAN"}


# The engine's memory limit unless a caller gives one; SECTORPLANNEN_ENGINE_MEMORY sets it for a machine.
MEMORY_LIMIT = "2GB"


# The spill folder each connection made, removed with it: id(connection) -> its finalizer.
_FOLDERS: dict[int, weakref.finalize] = {}


def connect(memory_limit: str | None = None, threads: int | None = None, temp_directory: Path | None = None):
    """A DuckDB connection in memory, limited to ``memory_limit`` (default 2 GB, or the environment's
    SECTORPLANNEN_ENGINE_MEMORY; beyond it, grouping spills to ``temp_directory``, by default a fresh
    owner-only folder in the system's temporary directory, removed with the connection)."""
    if temp_directory is None:
        folder = Path(tempfile.mkdtemp(prefix="sectorplannen-duckdb-"))  # new, mode 0700, never an existing name
    else:
        folder = _given_folder(Path(temp_directory))
    limit = memory_limit or os.environ.get("SECTORPLANNEN_ENGINE_MEMORY") or MEMORY_LIMIT
    connection = duckdb.connect(":memory:")
    if temp_directory is None:
        key = id(connection)
        _FOLDERS[key] = weakref.finalize(connection, _remove, key, str(folder))
    try:
        connection.execute(f"SET memory_limit = '{quoted(limit)}'")
    except duckdb.Error:
        close(connection)
        raise SetupError(
            f"SECTORPLANNEN_ENGINE_MEMORY={limit!r} is not an amount of memory: write e.g. 2GB or 500MB"
        ) from None
    connection.execute(f"SET temp_directory = '{quoted(str(folder))}'")
    connection.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
    connection.execute("SET preserve_insertion_order = false")  # results are sorted explicitly
    return connection


def _given_folder(folder: Path) -> Path:
    """A spill folder the caller chose: made owner-only when it is new; a symlink is refused."""
    if folder.is_symlink():
        raise SetupError(f"{folder}: the engine's temporary folder is a symbolic link: give a real folder")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _remove(key: int, folder: str) -> None:
    _FOLDERS.pop(key, None)
    shutil.rmtree(folder, ignore_errors=True)


def close(connection) -> None:
    """Close a connection and remove the spill folder :func:`connect` made for it."""
    connection.close()
    finalizer = _FOLDERS.get(id(connection))
    if finalizer is not None:
        finalizer()


def quoted(text: str) -> str:
    """Text inside single quotes in SQL."""
    return text.replace("'", "''")


class View(str):
    """The name of a view on the connection that counts it (an extract's checked combinations, with
    ``aantal``: :func:`sectorplannen.participants.extract_sql.counted`), not the path of a file."""


def relation(source, connection) -> str:
    """The SQL name of ``source`` for ``connection``: a Parquet file (or a glob of files) read in
    place, a view on the connection, or a pandas frame / Arrow table registered as a view (nothing
    is copied)."""
    if isinstance(source, View):
        return '"' + source.replace('"', '""') + '"'
    if isinstance(source, str | Path):
        path = Path(source)
        if not any(ch in str(path) for ch in "*?[") and not path.is_file():
            raise ParticipantDataError(f"{path}: no such Parquet file: run `make data` or check the path")
        return f"read_parquet('{quoted(str(path))}')"
    if isinstance(source, pd.DataFrame):  # only the columns counted (dates and ids stay out)
        source = source[[c for c in source.columns if c in (*AUDIT_COLUMNS, COUNT)]]
    connection.register("deelnemers", source)
    return "deelnemers"


def columns_of(source, connection) -> list[str]:
    """The column names of ``source``; a file DuckDB cannot read as Parquet is named in one line."""
    try:
        described = connection.execute(f"DESCRIBE SELECT * FROM {relation(source, connection)}").fetchall()
    except duckdb.Error as exc:
        if isinstance(source, View) or not isinstance(source, str | Path):
            raise  # a frame the engine cannot read is a bug, not bad input
        reason = " ".join(str(exc).split("\n")[0].split(" Error: ", 1)[-1].split())[:160]  # without DuckDB's class
        todo = (
            "run `make data`"
            if Path(source) == paths.SYNTHETIC
            else "write it again as Parquet, or give the extract as CSV"
        )
        raise ParticipantDataError(f"{source}: not readable as Parquet ({reason}): {todo}") from None
    return [row[0] for row in described]


def counts(source, connection=None) -> pd.DataFrame:
    """The participants of ``source`` (a Parquet file, a frame of participants, or a frame of counts)
    counted per combination of the audited columns, in one query: a frame with those columns and
    ``aantal``, sorted on every column (so the same file always gives the same frame)."""
    if connection is None:
        connection = connect()
        try:
            return counts(source, connection)
        finally:
            close(connection)
    have = columns_of(source, connection)
    missing = [c for c in AUDIT_COLUMNS if c not in have]
    if missing:
        where = source if isinstance(source, str | Path) else "participant frame"
        raise ParticipantDataError(
            f"{where}: column(s) {', '.join(map(repr, missing))} missing: the participant file must hold the "
            "schema's columns (data/README.md)"
        )
    # group on the columns as stored (dictionary codes in Parquet and Arrow), type the small result
    weight = f"sum({COUNT})" if COUNT in have else "count(*)"
    typed = ", ".join(f"{c}::{_TYPES.get(c, 'VARCHAR')} AS {c}" for c in AUDIT_COLUMNS)
    try:
        frame = connection.execute(
            f"SELECT * FROM (SELECT {typed}, {COUNT}::BIGINT AS {COUNT} FROM ("
            f"SELECT {', '.join(AUDIT_COLUMNS)}, {weight} AS {COUNT} FROM {relation(source, connection)} GROUP BY ALL"
            f")) ORDER BY {', '.join(AUDIT_COLUMNS)}"
        ).df()
    except duckdb.OutOfMemoryException:
        (limit,) = connection.execute("SELECT current_setting('memory_limit')").fetchone()
        raise SetupError(
            f"counting the participant file needed more than the engine's memory limit ({limit}) even when "
            "spilling to disk: set SECTORPLANNEN_ENGINE_MEMORY higher (e.g. 8GB) or free space in the temporary folder"
        ) from None
    return frame.astype({c: object for c in AUDIT_COLUMNS if c not in _TYPES})
