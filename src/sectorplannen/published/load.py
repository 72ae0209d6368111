"""The published tables: built from ``data/raw/`` and loaded, validated, from ``data/published/``.

``make data`` calls :func:`build`, which parses every raw table file, resolves plan names
against the register, and writes one tidy CSV per table plus ``plans.csv`` and a Frictionless
``datapackage.json`` describing them. :func:`table` loads one tidy table and validates it.

A tidy table has one row per printed cell:

========================  ============================================================
``table``                 table id as printed (``A.1``, ``3.1``, ``1``)
``line``                  line (``N`` or ``N-M``) of the row in the seed file
``group``                 printed sub-heading the row stands under (often empty)
``row``                   the row label as printed
*label columns*           further printed label fields (e.g. ``maatregel``), if any
``plan_id``               register id of the plan the row is about (plan tables)
``category_id``           theme or trajectory type of the cell (``categories.yaml``)
``is_total_row``          the row is the table's printed total row
``is_total_column``       the cell is in the table's printed total column
``category``              the column header as printed
``value``                 the printed number (empty for an empty cell)
``unit``                  aantal, procent, euro, duizend euro, miljoen euro, duizend
``printed``               the cell exactly as printed
========================  ============================================================
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from sectorplannen import hashing, paths
from sectorplannen.errors import PublishedDataError
from sectorplannen.published.findings import assert_totals_recorded
from sectorplannen.published.labels import SOURCES, label_columns
from sectorplannen.sources.categories import categories as read_categories
from sectorplannen.sources.categories import category_ids
from sectorplannen.sources.rawtable import UNITS
from sectorplannen.sources.register import register


def check_files(data_dir: Path | None = None) -> None:
    """Every file of the data package exists and has the recorded hash; a file that differs is
    then validated as a table, so the error names its row and column where it can."""
    data_dir = Path(data_dir or paths.PUBLISHED)
    package = _package(data_dir)
    for res in package["resources"]:
        path = data_dir / res["path"]
        if not path.exists():
            raise PublishedDataError(f"{path}: missing; run `make data`")
        expected = res.get("hash", "").removeprefix("sha256:")
        if expected and hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            if "sectorplannen" in res:
                meta = res["sectorplannen"]
                table(meta["table"], meta["seed"], data_dir)
            raise PublishedDataError(f"{path}: content differs from datapackage.json; run `make data`")


def write(files: dict[str, str], out_dir: Path | None = None) -> list[Path]:
    """Write built files atomically (each to a temporary name, then renamed into place)."""
    out_dir = out_dir or paths.PUBLISHED
    written = []
    for relative, text in files.items():
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(text, encoding="utf-8", newline="")
        tmp.replace(target)
        written.append(target)
    return written


def _package(data_dir: Path) -> dict:
    """The data package description, parsed once per process while the file is unchanged (every
    table read looks its resource up here: the robustness chapter reads tables 1351 times).
    Treat it as read-only."""
    path = data_dir / "datapackage.json"
    key = (str(path), *hashing.file_stamp(path))
    if key in _PACKAGES:
        return _PACKAGES[key]
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PublishedDataError(f"{path}: missing; run `make data`") from None
    except json.JSONDecodeError as exc:
        raise PublishedDataError(f"{path}: not valid JSON ({exc})") from None
    if key[1] is not None:  # a missing file has no stamp to key it by
        _PACKAGES[key] = package
    return package


_PACKAGES: dict[tuple, dict] = {}


def resources(data_dir: Path | None = None) -> list[dict]:
    """The table resources of the data package (excluding plans and findings)."""
    package = _package(Path(data_dir or paths.PUBLISHED))
    return [r for r in package["resources"] if "sectorplannen" in r]


def resource(table_id: str, source: str = "001", data_dir: Path | None = None) -> dict:
    source = str(source).zfill(3)
    if source not in SOURCES:
        raise PublishedDataError(f"unknown source {source!r}; valid: {', '.join(sorted(SOURCES))}")
    found = [
        r
        for r in resources(data_dir)
        if r["sectorplannen"]["seed"] == source and r["sectorplannen"]["table"] == str(table_id)
    ]
    if not found:
        known = [r["sectorplannen"]["table"] for r in resources(data_dir) if r["sectorplannen"]["seed"] == source]
        raise PublishedDataError(f"no table {table_id!r} in source {source}; known: {', '.join(known)}")
    return found[0]


# A column of a CSV file read as text (read_csv with dtype=str and no NA values, as read_table_file and the
# claims files do): every value is a str by construction, so a schema checks its values, not its type.
# pandera's own str check tests each element and formats a report even when all pass: a quarter of the
# time of reading the tables.
TEXT_COLUMN = {"nullable": False}


def _schema_for(res: dict) -> pa.DataFrameSchema:
    meta = res["sectorplannen"]
    extra = label_columns(meta)
    plan_ids = [plan.id for plan in register()]
    is_plan = meta["row_kind"] == "plan"
    text = TEXT_COLUMN
    columns = {
        "table": pa.Column(checks=pa.Check.eq(meta["table"]), **text),
        "line": pa.Column(checks=pa.Check.str_matches(r"^\d+(-\d+)?$"), **text),
        "group": pa.Column(**text),
        "row": pa.Column(**text),
        **{name: pa.Column(**text) for name in extra},
        "plan_id": pa.Column(checks=pa.Check.isin(["", *plan_ids]), **text),
        "category_id": pa.Column(checks=pa.Check.isin(["", *category_ids()]), **text),
        "is_total_row": pa.Column(bool, nullable=False),
        "is_total_column": pa.Column(bool, nullable=False),
        "category": pa.Column(checks=pa.Check.isin([str(c) for c in meta["columns"]]), **text),
        "value": pa.Column(float, checks=pa.Check.ge(0), nullable=True, coerce=True),
        "unit": pa.Column(checks=pa.Check.isin(list(UNITS)), **text),
        "printed": pa.Column(**text),
    }
    checks = []
    if is_plan:
        checks.append(
            pa.Check(
                lambda df: (df["plan_id"] != "") | df["is_total_row"],
                element_wise=False,
                name="every row but the total row names a known plan",
            )
        )
    return pa.DataFrameSchema(columns, checks=checks, strict=True, ordered=True)


def _describe_failure(path: Path, case: pd.Series) -> str:
    column = case.get("column")
    index = case.get("index")
    where = f"{path}"
    if index is not None and pd.notna(index):
        where += f", row {int(index) + 2}"  # +1 header line, +1 one-based
    if column is not None and pd.notna(column) and case.get("schema_context") != "DataFrameSchema":
        where += f", column {column!r}"
    check = case.get("check")
    value = case.get("failure_case")
    if check == "column_in_dataframe":
        return f"{path}: missing column {value!r}"
    if check == "column_in_schema":
        return f"{path}: unexpected column {value!r}"
    if check == "column_ordered":
        return f"{path}: columns out of order at {value!r}"
    return f"{where}: fails {check} (value {value!r})"


def read_table_file(path: Path, res: dict) -> pd.DataFrame:
    """Read and validate one tidy CSV against its resource description."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise PublishedDataError(f"{path}: missing; run `make data`") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise PublishedDataError(f"{path}: not a readable CSV ({exc})") from None
    for flag in ("is_total_row", "is_total_column"):
        if flag in frame:
            mapped = frame[flag].map({"true": True, "false": False})
            bad = mapped.isna()
            if bad.any():
                row = int(bad.idxmax()) + 2
                raise PublishedDataError(
                    f"{path}, row {row}, column {flag!r}: expected true or false, "
                    f"found {frame.loc[bad.idxmax(), flag]!r}"
                )
            frame[flag] = mapped.astype(bool)
    if "value" in frame:
        frame["value"] = frame["value"].replace("", None)
    try:
        frame = _schema_for(res).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        messages = [_describe_failure(path, case) for _, case in cases.head(5).iterrows()]
        more = f" (and {len(cases) - 5} more)" if len(cases) > 5 else ""
        raise PublishedDataError("; ".join(messages) + more) from None
    frame["value"] = frame["value"].astype(float)
    frame.attrs.update(res["sectorplannen"])
    frame.attrs["title"] = res["title"]
    frame.attrs["path"] = str(path)
    return frame


def table(
    table_id: str,
    source: str = "001",
    data_dir: Path | str | None = None,
    check_totals: bool = True,
    metadata: bool = True,
) -> pd.DataFrame:
    """One published table as a tidy DataFrame (see the module docstring for its columns).

    The table is validated (types, units, known plans and categories, non-negative values), and,
    with ``check_totals``, its printed totals are checked: a total that does not add up and is not
    recorded in ``findings.csv`` raises :class:`PublishedDataError` naming file, row and column.
    ``metadata=False`` leaves out the table's description (``attrs``: caption, columns, units...):
    pandas copies ``attrs`` into the result of every operation, which was a fifth of the time of
    the robustness chapter's thousands of computations.
    """
    data_dir = Path(data_dir or paths.PUBLISHED)
    res = resource(table_id, source, data_dir)
    path = data_dir / res["path"]
    key = (str(path), check_totals, *hashing.file_stamp(path), *hashing.file_stamp(data_dir / "findings.csv"))
    if key not in _TABLES:
        frame = read_table_file(path, res)
        if check_totals:
            assert_totals_recorded(frame, data_dir)
        description, frame.attrs = frame.attrs, {}
        _TABLES[key] = (frame, description)
    cached, description = _TABLES[key]
    frame = cached.copy()  # without attrs: pandas deep-copies them into every copy
    if metadata:
        frame.attrs = copy.deepcopy(description)
    return frame


# Validated tables by file and its size and times (and those of findings.csv), each with its description
# kept apart: a table read again in the same process (every variant of the robustness chapter reads the
# same ones) is validated once.
_TABLES: dict[tuple, tuple[pd.DataFrame, dict]] = {}


def forget() -> None:
    """Empty this process's caches of the published data: the validated tables, the data package, and
    the plan register and categories that validate them (:mod:`sectorplannen.published.read_ahead`
    empties them in a kernel whose files changed)."""
    _TABLES.clear()
    _PACKAGES.clear()
    register.cache_clear()
    read_categories.cache_clear()


def tables(data_dir: Path | str | None = None) -> list[tuple[str, str]]:
    """(source, table id) of every published table."""
    return [(r["sectorplannen"]["seed"], r["sectorplannen"]["table"]) for r in resources(data_dir)]
