"""Loading the participant file (a real extract or the synthetic file), validated against the schema."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from sectorplannen import datakind, paths
from sectorplannen.errors import ParticipantDataError
from sectorplannen.participants import engine, extract, extract_sql, formats, synthetic
from sectorplannen.participants.extract import columns_problem, explain, file_bytes
from sectorplannen.participants.schema import JONG_VALUES, STATIC_COLUMNS, participant_schema
from sectorplannen.sources.register import TRANCHE_GROUPS


def _first_bad(bad: pd.Series) -> tuple[int, str]:
    """The row number of the first flagged row (the header is row 1) and how many more there are."""
    n = int(bad.sum())
    more = "" if n == 1 else f" (and {n - 1} more row{'s' if n > 2 else ''})"
    return int(bad.idxmax()) + 2, more


def _parse(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """The text columns as the schema types them (dates, ``jong``, ``tranche``); a header without
    exactly the schema's columns, or a value that is no date, boolean or tranche, is named."""

    problem = columns_problem(list(frame.columns), path)
    if problem:
        raise ParticipantDataError(problem)
    out = frame.copy()
    for column in ("start", "einde"):
        text = out[column].str.strip()
        parsed = pd.to_datetime(text.where(text.str.fullmatch(extract.DATE)), format="%Y-%m-%d", errors="coerce")
        bad = parsed.isna()
        if bad.any():
            row, more = _first_bad(bad)
            raise ParticipantDataError(extract.not_a_date(path, row - 2, column, out.loc[row - 2, column], more))
        out[column] = parsed
    jong = out["jong"].str.strip().str.lower().map(JONG_VALUES)
    if jong.isna().any():
        row, more = _first_bad(jong.isna())
        raise ParticipantDataError(extract.not_a_boolean(path, row - 2, out.loc[row - 2, "jong"], more))
    out["jong"] = jong.astype(bool)
    text = out["tranche"].str.strip()
    tranche = pd.to_numeric(text.where(~text.str.contains("_", regex=False)), errors="coerce")
    bad = tranche.isna() | (tranche % 1 != 0)
    if bad.any():
        row, more = _first_bad(bad)
        raise ParticipantDataError(extract.not_a_tranche(path, row - 2, out.loc[row - 2, "tranche"], more))
    out["tranche"] = tranche.astype(int)
    return out


def validate(frame: pd.DataFrame, path: Path | str = "<frame>") -> pd.DataFrame:
    """Check a participant frame against the schema; raise one line naming row and column and
    saying what to do (see :func:`sectorplannen.participants.extract.explain`)."""
    schema = participant_schema()
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise ParticipantDataError(explain(exc.failure_cases, frame, path, schema)) from None


def check_location(path: Path) -> None:
    """A real extract must stay outside the repository and outside outputs/."""
    resolved = Path(path).resolve()
    if resolved == paths.SYNTHETIC.resolve():
        return
    if not resolved.exists():  # say so first: a missing file is not one kept in the wrong place
        where = "" if Path(path).is_absolute() else f" (looked for {resolved})"
        raise ParticipantDataError(f"{path}: no such file{where}: check the path given as data_source")
    for folder in (paths.ROOT, paths.OUTPUTS):
        if resolved.is_relative_to(folder.resolve()):
            raise ParticipantDataError(
                f"{path}: a participant extract must be kept outside the repository ({paths.ROOT}); "
                "move it and pass its path as data_source"
            )


def read_valid(path: Path, mapping: Path | str | None = None) -> pd.DataFrame:
    """A participant file read (CSV with any separator, UTF-8 or Windows-1252; Parquet, SPSS or Stata),
    mapped by its column mapping and checked against the schema."""

    frame = validate(_parse(extract.read(path, mapping), path), path)
    one_participant_one_trajectory(frame, path)
    if not isinstance(frame.index, pd.RangeIndex):  # rows without values were left out
        frame = frame.reset_index(drop=True)
    return frame


def one_participant_one_trajectory(frame: pd.DataFrame, path: Path | str) -> None:
    """Refuse a participant whose plan or another static field differs between measurement dates,
    naming the two rows (never the id) and the column."""
    distinct = frame.drop_duplicates(["deelnemer_id", *STATIC_COLUMNS])
    twice = distinct["deelnemer_id"].duplicated(keep=False)
    if not twice.any():
        return
    first_id = distinct.loc[twice, "deelnemer_id"].iloc[0]
    rows = distinct.index[distinct["deelnemer_id"] == first_id][:2]
    a, b = frame.loc[rows[0]], frame.loc[rows[1]]
    column = next(c for c in STATIC_COLUMNS if a[c] != b[c])
    others = int(distinct.loc[twice, "deelnemer_id"].nunique()) - 1
    dates = (a["peildatum"], b["peildatum"])
    raise ParticipantDataError(extract.two_trajectories(path, rows[0], rows[1], column, dates, others))


# Rows per tranche, peildatum and plan of extracts checked in this process, by file version: a build
# that runs chapters 4 and 7 on one extract reads it once before the kernels start.
_CHECKED: dict[tuple, pd.Series] = {}


def _version(path: Path | None) -> tuple:
    if path is None or not path.is_file():
        return (str(path),)
    stat = path.stat()
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def _checked_counts(path: Path, mapping: Path | str | None = None) -> pd.Series:

    if not path.is_file():
        file_bytes(path)  # names a missing path or a folder
    mapping_file = Path(mapping) if mapping is not None else formats.mapping_beside(path)
    key = (*_version(path), *_version(mapping_file))
    if key not in _CHECKED:
        counts = extract_sql.check(path, mapping)  # CSV and Parquet: in DuckDB, out of core
        if counts is None:  # SPSS, Stata, and what DuckDB does not read as strict UTF-8 CSV
            frame = read_valid(path, mapping)
            counts = frame.groupby(["tranche", "peildatum", "plan_id"], observed=True).size()
        _CHECKED.clear()  # one extract at a time is enough
        _CHECKED[key] = counts
    return _CHECKED[key]


def check_extract(path, tranche=None, peildatum=None, exclude_plans=(), mapping=None) -> None:
    """Everything about a real extract that can be checked before a kernel starts: where it is
    (outside the repository), that it can be read (with its column mapping), the schema, and that the chosen tranche and
    measurement date (without ``exclude_plans``) select participants. Raises
    :class:`ParticipantDataError` with one line naming file, row and column and what to do."""

    path = Path(path)
    check_location(path)
    counts = _checked_counts(path, mapping)
    if tranche is None and peildatum is None:
        return
    keys = counts.index.to_frame(index=False)
    chosen = pd.Series(True, index=keys.index)
    what = "participants"
    if tranche is not None:
        chosen &= keys["tranche"].isin(TRANCHE_GROUPS[str(tranche)])
        what += f" of tranche {tranche}"
    if peildatum is not None:
        chosen &= keys["peildatum"] == f"{str(peildatum)[:4]}-05-31"
        what += f" on 31 May {str(peildatum)[:4]}"
    if not chosen.any():
        raise ParticipantDataError(
            f"{path}: the extract has no {what}: choose another tranche or peildatum, or check the "
            "extract's columns 'tranche' and 'peildatum'"
        )
    if not (chosen & ~keys["plan_id"].isin(list(exclude_plans))).any():
        raise ParticipantDataError(
            f"{path}: the extract has no {what} outside exclude_plans: keep at least one plan with participants"
        )


def _path(data_source: str | Path) -> Path:
    """The file behind ``data_source``: the synthetic file (generated on first use) or an extract
    kept outside the repository."""
    if datakind.of_source(data_source) == datakind.SYNTHETIC:
        if not paths.SYNTHETIC.exists():
            synthetic.write()
        return paths.SYNTHETIC
    path = Path(data_source)
    check_location(path)
    return path


def _labelled(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    frame.attrs["data_kind"] = datakind.SYNTHETIC if path == paths.SYNTHETIC else datakind.EXTRACT
    frame.attrs["path"] = str(path)
    return frame


def rows(data_source: str | Path = datakind.SYNTHETIC, mapping: Path | str | None = None) -> pd.DataFrame:
    """The participant file one row per participant and measurement date: a CSV, Parquet, SPSS or
    Stata extract read and checked as :func:`check_extract` does, with its column mapping; the
    synthetic file, which its generator made to the schema, straight from Parquet (the same frame
    the checks give of its CSV export, which tests/test_engine.py holds it to)."""
    path = _path(data_source)
    if path == paths.SYNTHETIC:
        return _labelled(_synthetic_rows(path), path)
    return _labelled(read_valid(path, mapping), path)


def _synthetic_rows(path: Path) -> pd.DataFrame:
    """The synthetic file's rows typed as :func:`read_valid` types an extract's: text as text (not
    Parquet's dictionary), dates as timestamps."""
    frame = pd.read_parquet(path)
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype(object)
    for column in ("start", "einde"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def load(data_source: str | Path = datakind.SYNTHETIC, mapping: Path | str | None = None) -> pd.DataFrame:
    """The participant file as the chapters use it: the engine's table of counts (one row per
    combination of the audited columns, with ``aantal``; :mod:`sectorplannen.participants.engine`).
    The synthetic file, which its generator checked, is counted by DuckDB straight from Parquet; a
    CSV or Parquet extract is checked and counted by DuckDB over the file, out of core
    (:func:`sectorplannen.participants.extract_sql.counted`); what DuckDB does not read (SPSS, Stata,
    a Windows-1252 CSV, ...) is read and checked row by row first (:func:`read_valid`), then counted."""
    path = _path(data_source)
    if path == paths.SYNTHETIC:
        return _labelled(engine.counts(path), path)
    counts = extract_sql.counted(path, mapping)
    if counts is None:
        counts = engine.counts(read_valid(path, mapping))
    return _labelled(counts, path)
