"""How published tables and their rows are named: resource names, label columns, table order."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sectorplannen import paths

BASE_COLUMNS = ["table", "line", "group", "row"]


TAIL_COLUMNS = ["plan_id", "category_id", "is_total_row", "is_total_column", "category", "value", "unit", "printed"]


SOURCES = {"000", "001", "002", "003", "004"}


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
