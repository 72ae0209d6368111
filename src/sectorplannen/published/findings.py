"""Findings: the report's own inconsistencies, each with its explanation.

The checks (``sectorplannen.published.checks``) find every discrepancy; ``data/raw/findings.yaml`` holds
the explanations, written by hand after reading the source. ``make data`` writes the result to
``data/published/findings.csv``: every discrepancy with both values, the difference, the line
reference, its kind (``afronding`` when rounding explains it) and its explanation.
``make verify`` fails on a difference that is not rounding-level and has no explanation, and on
an explanation that no longer matches any discrepancy.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sectorplannen import paths, yamlfile
from sectorplannen.errors import DataFileError, PublishedDataError
from sectorplannen.published.checks import Discrepancy, column_totals, row_totals

COLUMNS = [
    "check",
    "table",
    "row",
    "category",
    "line",
    "published",
    "computed",
    "difference",
    "against",
    "kind",
    "status",
    "explanation",
]


ROUNDING_EXPLANATION = "Afrondingsverschil: binnen wat de afronding van de gedrukte getallen toelaat."


@dataclass(frozen=True)
class Explanation:
    """A hand-written explanation for one or more discrepancies (``findings.yaml``)."""

    check: str
    table: str
    explanation: str
    row: str | None = None
    category: str | None = None

    def matches(self, d: Discrepancy) -> bool:
        return (
            self.check == d.check
            and self.table == d.table
            and self.row in (None, d.row)
            and self.category in (None, d.category)
        )


def explanations(path: Path | None = None) -> list[Explanation]:
    path = path or paths.RAW / "findings.yaml"
    entries = yamlfile.read(path) or []
    out = []
    for number, entry in enumerate(entries, start=1):
        missing = [key for key in ("check", "table", "explanation") if not entry.get(key)]
        if missing:
            raise DataFileError(f"{path}: entry {number} misses {', '.join(missing)}")
        out.append(
            Explanation(
                check=entry["check"],
                table=entry["table"],
                explanation=" ".join(str(entry["explanation"]).split()),
                row=entry.get("row"),
                category=entry.get("category"),
            )
        )
    return out


def classify(discrepancies: list[Discrepancy], recorded: list[Explanation]) -> pd.DataFrame:
    """One row per discrepancy with its kind, status and explanation."""
    rows = []
    for d in discrepancies:
        explanation = next((e.explanation for e in recorded if e.matches(d)), "")
        if explanation:
            status = "verklaard"
        elif d.kind == "afronding":
            status, explanation = "afronding", ROUNDING_EXPLANATION
        else:
            status = "onverklaard"
        rows.append(
            {
                "check": d.check,
                "table": d.table,
                "row": d.row,
                "category": d.category,
                "line": d.line,
                "published": d.published,
                "computed": d.computed,
                "difference": d.difference,
                "against": d.against,
                "kind": d.kind,
                "status": status,
                "explanation": explanation,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def unused(discrepancies: list[Discrepancy], recorded: list[Explanation]) -> list[Explanation]:
    """Explanations that match no discrepancy (stale: the data or the check changed)."""
    return [e for e in recorded if not any(e.matches(d) for d in discrepancies)]


def _number(value: float) -> str:
    if pd.isna(value):
        return ""
    value = round(float(value), 6)
    return str(int(value)) if value.is_integer() else repr(value)


def to_csv_text(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in frame.to_dict("records"):
        writer.writerow(
            [_number(record[c]) if c in ("published", "computed", "difference") else record[c] for c in COLUMNS]
        )
    return buffer.getvalue()


def read(data_dir: Path | None = None) -> pd.DataFrame:
    path = Path(data_dir or paths.PUBLISHED) / "findings.csv"

    try:
        return pd.read_csv(
            path,
            dtype={"row": str, "category": str, "line": str, "table": str},
            keep_default_na=False,
            na_values={"published": [""], "computed": [""]},
        )
    except FileNotFoundError:
        raise PublishedDataError(f"{path}: missing; run `make data`") from None


def assert_totals_recorded(frame: pd.DataFrame, data_dir: Path | None = None) -> None:
    """Raise if a printed total of ``frame`` breaks its rule and ``findings.csv`` does not say so."""

    found = row_totals(frame) + column_totals(frame)
    if not found:
        return
    recorded = read(data_dir)
    for d in found:
        hit = recorded[
            (recorded["check"] == d.check)
            & (recorded["table"] == d.table)
            & (recorded["row"] == d.row)
            & (recorded["category"] == d.category)
            & ((recorded["published"] - d.published).abs() < 1e-6)
            & ((recorded["computed"] - d.computed).abs() < 1e-6)
        ]
        if hit.empty:
            what = "row total" if d.check == "rijtotaal" else "column total"
            raise PublishedDataError(
                f"{frame.attrs.get('path', d.table)}, row {d.row!r} (line {d.line}), column {d.category!r}: "
                f"printed {what} {d.published:g} but the parts sum to {d.computed:g}, and findings.csv "
                "records no such finding"
            )
