"""Building ``data/published/`` from ``data/raw/``: one tidy CSV per table, the register and a
Frictionless ``datapackage.json`` (:func:`build`)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pandas as pd

from sectorplannen import paths, yamlfile
from sectorplannen.errors import RawTableError, UnknownPlanError
from sectorplannen.published.findings import COLUMNS as FINDING_COLUMNS
from sectorplannen.published.labels import (
    BASE_COLUMNS,
    TAIL_COLUMNS,
    label_columns,
    raw_table_files,
    resource_name,
    slug,
)
from sectorplannen.sources.categories import category_lookup
from sectorplannen.sources.rawtable import UNITS, RawTable, parse_file
from sectorplannen.sources.register import PlanRegister, register


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
    entries = yamlfile.read((raw_dir or paths.RAW) / "sources.yaml")
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


def build(raw_dir: Path | None = None) -> dict[str, str]:
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

    resources.append(
        {
            "name": "findings",
            "path": "findings.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": "Bevindingen: inconsistenties in de gepubliceerde tabellen, met toelichting",
            # The text as published before the checks moved to sectorplannen.published.checks (kept byte for byte).
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
