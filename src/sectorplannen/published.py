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

import csv
import hashlib
import io
import json
import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import yaml

from sectorplannen import paths
from sectorplannen.plans import PlanRegister, UnknownPlanError, register
from sectorplannen.rawtable import UNITS, RawTable, RawTableError, parse_file

BASE_COLUMNS = ["table", "line", "group", "row"]
TAIL_COLUMNS = ["plan_id", "category_id", "is_total_row", "is_total_column", "category", "value", "unit", "printed"]
SOURCES = {"000", "001", "002", "003", "004"}
# Units printed in thousands or millions, and their factor to the base unit (euros, persons).
UNIT_SCALE = {"duizend euro": 1e3, "miljoen euro": 1e6, "duizend": 1e3}


class PublishedDataError(ValueError):
    """A published data file that is malformed: names the file, row and column."""


# --------------------------------------------------------------------------------------------
# categories


@lru_cache(maxsize=4)
def categories(path: Path | str | None = None) -> dict[str, list[dict]]:
    """The category axes (``thema``, ``type_traject``, ``totaal``) from ``categories.yaml``."""
    return yaml.safe_load(Path(path or paths.RAW / "categories.yaml").read_text(encoding="utf-8"))


def category_lookup() -> dict[str, str]:
    """Printed category label -> category id, over all axes."""
    return {printed: entry["id"] for axis in categories().values() for entry in axis for printed in entry["printed"]}


def category_ids(axis: str | None = None) -> list[str]:
    axes = [axis] if axis else list(categories())
    return [entry["id"] for name in axes for entry in categories()[name]]


# --------------------------------------------------------------------------------------------
# building


def slug(text: str) -> str:
    """A column-name slug of a printed label (``Doelgroep vooraf`` -> ``doelgroep_vooraf``)."""
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


def resource_name(seed: str, table_id: str) -> str:
    return f"{seed}-{slug(table_id).replace('_', '-')}"


def raw_table_files(raw_dir: Path | None = None) -> list[Path]:
    """Every raw table file, in source and report order (A.1, A.2, ..., A.10)."""
    raw_dir = raw_dir or paths.RAW
    return sorted(raw_dir.glob("[0-9][0-9][0-9]/*.txt"), key=lambda p: (p.parent.name, _table_key(p.stem)))


def _table_key(table_id: str) -> tuple:
    """Report order: the summary (S.1), the chapters (2.1 ... 10.1, with the tables transcribed
    from the running text as 8.t1, 8.t2 ...), then the appendix (A.1 ...); numbers sort naturally."""
    first = table_id.split(".")[0]
    rank = 0 if first == "S" else 1 if first.isdigit() else 2
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.findall(r"\d+|[^\d.]+", table_id))
    return (rank, *parts)


def extra_label_columns(frame: pd.DataFrame) -> list[str]:
    """The further printed label columns of a loaded tidy table (e.g. ``maatregel``)."""
    return [c for c in frame.columns if c not in BASE_COLUMNS + TAIL_COLUMNS]


def grouped_labels(frame: pd.DataFrame) -> pd.Series:
    """Row labels with their printed sub-heading: ``<group> / <row>`` (just ``<row>`` without one)."""
    return frame["group"].where(frame["group"] == "", frame["group"] + " / ") + frame["row"]


def label_columns(meta: dict) -> list[str]:
    """The extra label columns of a tidy table (all label columns but the row label)."""
    row_label = meta.get("row_label") or meta["label_columns"][0]
    return [slug(name) for name in meta["label_columns"] if name != row_label]


def tidy_records(raw: RawTable, plans: PlanRegister) -> list[dict]:
    """The tidy records of one parsed raw table (see the module docstring)."""
    meta = raw.meta
    lookup = category_lookup()
    extra = [name for name in meta["label_columns"] if name != (meta.get("row_label") or meta["label_columns"][0])]
    fill_down = set(meta.get("fill_down") or [])
    total_row, total_column = meta.get("total_row"), meta.get("total_column")
    records: list[dict] = []
    previous: dict[str, str] = {}
    for row in raw.rows:
        labels = dict(zip(meta["label_columns"], row.labels, strict=True))
        for name in fill_down:
            if labels[name] == "" and row.label != total_row:
                labels[name] = previous.get(name, "")
        previous = labels
        # The declared total row, or any row the table labels as a total ("Totaal (over alle
        # plannen)" in Tabel 3.3 is a total over all plans, not over the rows printed above it).
        is_total_row = row.label == total_row or row.label.casefold().startswith("totaal")
        plan_id = ""
        if meta["row_kind"] == "plan" and not is_total_row:
            try:
                plan_id = plans.resolve(row.label, str(meta["tranche"])).id
            except UnknownPlanError as exc:
                raise RawTableError(raw.path, str(exc), row.line) from None
        for cell in row.cells:
            records.append(
                {
                    "table": raw.table_id,
                    "line": row.line,
                    "group": row.group,
                    "row": labels[meta.get("row_label") or meta["label_columns"][0]],
                    **{slug(name): labels[name] for name in extra},
                    "plan_id": plan_id,
                    "category_id": lookup.get(cell.column) or lookup.get(row.label, ""),
                    "is_total_row": is_total_row,
                    "is_total_column": cell.column == total_column,
                    "category": cell.column,
                    "value": cell.value,
                    "unit": cell.unit,
                    "printed": cell.printed,
                }
            )
    return records


def _format_value(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def to_csv_text(records: list[dict], columns: list[str]) -> str:
    """Deterministic CSV text (LF line ends, minimal quoting, booleans as true/false)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow(
            [
                _format_value(record[c])
                if c == "value"
                else ("true" if record[c] else "false")
                if isinstance(record[c], bool)
                else record[c]
                for c in columns
            ]
        )
    return buffer.getvalue()


def sources(raw_dir: Path | None = None) -> dict[str, dict]:
    """The source documents by seed (``000`` ... ``004``), from ``sources.yaml``."""
    entries = yaml.safe_load(((raw_dir or paths.RAW) / "sources.yaml").read_text(encoding="utf-8"))
    return {str(entry["seed"]).zfill(3): entry for entry in entries}


def _field(name: str, kind: str, description: str, **constraints) -> dict:
    field = {"name": name, "type": kind, "description": description}
    if kind == "boolean":
        field |= {"trueValues": ["true"], "falseValues": ["false"]}
    if constraints:
        field["constraints"] = constraints
    return field


def _schema(meta: dict, extra: list[str], plan_ids: list[str]) -> dict:
    fields = [
        _field("table", "string", "table id as printed", required=True, enum=[str(meta["table"])]),
        _field("line", "string", "line (N or N-M) of the row in the seed file", required=True, pattern=r"\d+(-\d+)?"),
        _field("group", "string", "printed sub-heading the row stands under"),
        _field("row", "string", "row label as printed"),
        *[_field(name, "string", "further printed row label") for name in extra],
        _field(
            "plan_id",
            "string",
            "plan register id of the row's plan",
            **({"enum": ["", *plan_ids]} if meta["row_kind"] == "plan" else {}),
        ),
        _field("category_id", "string", "category axis id (categories.yaml)"),
        _field("is_total_row", "boolean", "row is the printed total row", required=True),
        _field("is_total_column", "boolean", "cell is in the printed total column", required=True),
        _field("category", "string", "column header as printed", required=True, enum=[str(c) for c in meta["columns"]]),
        _field("value", "number", "the printed number; empty for an empty cell", minimum=0),
        _field("unit", "string", "unit of the value", required=True, enum=list(UNITS)),
        _field("printed", "string", "the cell exactly as printed"),
    ]
    return {"fields": fields, "missingValues": [""]}


def build(out_dir: Path | None = None, raw_dir: Path | None = None) -> dict[str, str]:
    """Build every published file's text from ``data/raw/``: {relative path: text}.

    Nothing is written: :func:`write` does that, so a failing build leaves the files as they were.
    """
    raw_dir = raw_dir or paths.RAW
    plans = register(raw_dir / "plans.yaml") if raw_dir != paths.RAW else register()
    docs = sources(raw_dir)
    files: dict[str, str] = {}
    resources = []
    plan_ids = [plan.id for plan in plans]
    for path in raw_table_files(raw_dir):
        raw = parse_file(path)
        seed = path.parent.name
        if seed not in docs:
            raise RawTableError(path, f"seed {seed} is not in sources.yaml")
        if docs[seed]["file"] != raw.meta["source"]:
            raise RawTableError(
                path, f"source {raw.meta['source']!r} is not the file of seed {seed} ({docs[seed]['file']!r})"
            )
        if path.stem != raw.table_id:
            raise RawTableError(path, f"file name and table id {raw.table_id!r} differ")
        extra = label_columns(raw.meta)
        columns = BASE_COLUMNS + extra + TAIL_COLUMNS
        relative = f"{seed}/{raw.table_id}.csv"
        files[relative] = to_csv_text(tidy_records(raw, plans), columns)
        resources.append(
            {
                "name": resource_name(seed, raw.table_id),
                "path": relative,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": f"Tabel {raw.table_id} {raw.meta['caption']}".strip(),
                "description": " ".join(str(raw.meta.get("notes") or "").split()),
                "sources": [{"title": docs[seed]["title"], "path": f"shared/seeds/{docs[seed]['file']}"}],
                "sectorplannen": {
                    "seed": seed,
                    "table": raw.table_id,
                    "caption": raw.meta["caption"],
                    "lines": raw.meta["lines"],
                    "unit": raw.meta["unit"],
                    "units": raw.meta.get("units") or {},
                    "row_kind": raw.meta["row_kind"],
                    "tranche": str(raw.meta.get("tranche") or ""),
                    "label_columns": raw.meta["label_columns"],
                    "row_label": raw.meta.get("row_label"),
                    "columns": raw.meta["columns"],
                    "total_row": raw.meta.get("total_row"),
                    "total_column": raw.meta.get("total_column"),
                    "raw": f"data/raw/{seed}/{path.name}",
                },
                "schema": _schema(raw.meta, extra, plan_ids),
            }
        )
    plan_frame = plans.frame()
    files["plans.csv"] = plan_frame.to_csv(index=False, lineterminator="\n")
    resources.append(
        {
            "name": "plans",
            "path": "plans.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": "Planregister: alle sectorplannen van de drie tranches",
            "description": "Kept by hand in data/raw/plans.yaml, with the evidence for every entry.",
            "schema": {
                "fields": [_field(c, "integer" if c == "tranche" else "string", c) for c in plan_frame.columns],
                "primaryKey": ["id"],
            },
        }
    )
    from sectorplannen.findings import COLUMNS as FINDING_COLUMNS

    resources.append(
        {
            "name": "findings",
            "path": "findings.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": "Bevindingen: inconsistenties in de gepubliceerde tabellen, met toelichting",
            "description": "Written by make data from the checks (sectorplannen.checks) and data/raw/findings.yaml.",
            "schema": {
                "fields": [
                    _field(c, "number" if c in ("published", "computed", "difference") else "string", c)
                    for c in FINDING_COLUMNS
                ]
            },
        }
    )
    package = {
        "profile": "tabular-data-package",
        "name": "sectorplannen-published",
        "title": "Gepubliceerde tabellen over de Regeling cofinanciering sectorplannen",
        "description": "Every numeric table of the source documents, transcribed as printed "
        "(data/raw/) and made tidy by sectorplannen.published.build.",
        "sources": [{"title": doc["title"], "path": f"shared/seeds/{doc['file']}"} for doc in docs.values()],
        "resources": resources,
    }
    files["datapackage.json"] = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
    return files


def add_hashes(files: dict[str, str]) -> dict[str, str]:
    """Record each resource's SHA-256 in datapackage.json (Frictionless ``hash``), so a changed or
    damaged file is found without reading it as a table."""
    package = json.loads(files["datapackage.json"])
    for res in package["resources"]:
        if res["path"] in files:
            res["hash"] = "sha256:" + hashlib.sha256(files[res["path"]].encode("utf-8")).hexdigest()
    return {**files, "datapackage.json": json.dumps(package, ensure_ascii=False, indent=2) + "\n"}


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


# --------------------------------------------------------------------------------------------
# loading


def _package(data_dir: Path) -> dict:
    path = data_dir / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PublishedDataError(f"{path}: missing; run `make data`") from None
    except json.JSONDecodeError as exc:
        raise PublishedDataError(f"{path}: not valid JSON ({exc})") from None


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


def _schema_for(res: dict) -> pa.DataFrameSchema:
    meta = res["sectorplannen"]
    extra = label_columns(meta)
    plan_ids = [plan.id for plan in register()]
    is_plan = meta["row_kind"] == "plan"
    text = {"dtype": str, "nullable": False}
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
    table_id: str, source: str = "001", data_dir: Path | str | None = None, check_totals: bool = True
) -> pd.DataFrame:
    """One published table as a tidy DataFrame (see the module docstring for its columns).

    The table is validated (types, units, known plans and categories, non-negative values), and,
    with ``check_totals``, its printed totals are checked: a total that does not add up and is not
    recorded in ``findings.csv`` raises :class:`PublishedDataError` naming file, row and column.
    """
    data_dir = Path(data_dir or paths.PUBLISHED)
    res = resource(table_id, source, data_dir)
    frame = read_table_file(data_dir / res["path"], res)
    if check_totals:
        from sectorplannen.findings import assert_totals_recorded

        assert_totals_recorded(frame, data_dir)
    return frame


def tables(data_dir: Path | str | None = None) -> list[tuple[str, str]]:
    """(source, table id) of every published table."""
    return [(r["sectorplannen"]["seed"], r["sectorplannen"]["table"]) for r in resources(data_dir)]
