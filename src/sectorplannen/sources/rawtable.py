"""Read a raw table file of ``data/raw/``: published lines as printed -> cells.

The format is described in ``data/raw/README.md``. This module depends only on the standard
library and PyYAML, so it can run before the project environment exists.

The PDF text shows an empty cell as an extra space. :func:`parse_file` reads the cells from that
spacing; where the spacing does not decide (a lost or extra space), it places the printed
numbers so that the row total (``total_column``) holds and, if that leaves a choice, so that the
column totals (``total_row``) hold. A placement it cannot decide is an error naming the file and
line; the raw file then records the placement under ``positions``.
"""

from __future__ import annotations

import itertools
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sectorplannen import yamlfile
from sectorplannen.errors import RawTableError

UNITS = ("aantal", "procent", "euro", "duizend euro", "miljoen euro", "duizend")


REQUIRED_KEYS = ("source", "table", "caption", "lines", "row_kind", "label_columns", "columns", "unit")


SEPARATOR = " | "


_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$|^-?\d+(,\d+)?$")


_GLUE = [
    (re.compile(r"€ (?=-?\d)"), "€\x00"),
    (re.compile(r"(\d) (?=(duizend|miljoen|mln\.|procent)(\s|$))"), "\\1\x00"),
]


# Candidate placements tried when resolving ambiguous rows against column totals.
_MAX_COMBINATIONS = 200_000


@dataclass(frozen=True)
class Cell:
    """One printed cell: the text as printed, its numeric value and unit."""

    column: str
    printed: str
    value: float | None
    unit: str


@dataclass
class Row:
    """One printed table row."""

    line: str
    labels: tuple[str, ...]
    group: str
    fields: list[str]
    cells: list[Cell] = field(default_factory=list)

    label_index: int = 0

    @property
    def label(self) -> str:
        """The row label (the label column named by ``row_label``; the first by default)."""
        return self.labels[self.label_index]


@dataclass
class RawTable:
    """A parsed raw table: header metadata and its rows with cells placed in columns."""

    path: Path
    meta: dict
    rows: list[Row]

    @property
    def table_id(self) -> str:
        return str(self.meta["table"])

    @property
    def columns(self) -> list[str]:
        return list(self.meta["columns"])


def parse_number(printed: str) -> float | None:
    """Return the value of a printed Dutch number (``2.756``, ``23,4``); None for ``-`` or ''."""
    text = printed.strip()
    if text in ("", "-", "–"):
        return None
    if not _NUMBER.match(text):
        raise ValueError(f"not a number as printed: {printed!r}")
    value = float(text.replace(".", "").replace(",", "."))
    return value


def parse_cell(printed: str, column: str, default_unit: str) -> Cell:
    """Read one printed cell such as ``€ 46.211.157``, ``94%``, ``296 duizend``."""
    text = printed.strip()
    if text.startswith("(") and text.endswith(")"):  # a share printed beside its count: 11 (23%)
        text = text[1:-1].strip()
    unit = default_unit
    euro = text.startswith("€")
    if euro:
        text = text[1:].strip()
    for suffix, suffix_unit in (
        ("%", "procent"),
        (" procent", "procent"),
        (" duizend", "duizend"),
        (" miljoen", "miljoen euro"),
        (" mln.", "miljoen euro"),
    ):
        if text.endswith(suffix):
            text = text[: -len(suffix)].strip()
            unit = suffix_unit
            break
    if euro and unit not in ("euro", "duizend euro", "miljoen euro"):
        unit = "euro"
    if text == "" and printed.strip() != "":
        raise ValueError(f"not a number as printed: {printed!r}")
    return Cell(column=column, printed=printed, value=parse_number(text), unit=unit)


def split_fields(values: str) -> list[str]:
    """Split the printed values text into fields; '' marks an empty cell (an extra space)."""
    glued = values.rstrip()
    for pattern, replacement in _GLUE:
        glued = pattern.sub(replacement, glued)
    if glued == "":
        return []
    return [part.replace("\x00", " ") for part in glued.split(" ")]


def _read(path: Path) -> tuple[dict, list[tuple[int, str]]]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise RawTableError(path, "file must start with a '---' line (YAML header)")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise RawTableError(path, "YAML header is not closed by a '---' line") from None
    try:
        meta = yamlfile.parse("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise RawTableError(path, f"YAML header does not parse: {exc}") from None
    body = [(end + 2 + i, line) for i, line in enumerate(lines[end + 1 :])]
    return meta, body


def _check_meta(path: Path, meta: dict) -> None:
    missing = [key for key in REQUIRED_KEYS if key not in meta]
    if missing:
        raise RawTableError(path, f"header misses key(s): {', '.join(missing)}")
    if meta["row_kind"] not in ("plan", "label"):
        raise RawTableError(path, f"row_kind must be 'plan' or 'label', not {meta['row_kind']!r}")
    if meta["row_kind"] == "plan" and str(meta.get("tranche")) not in ("1", "1-2", "3"):
        raise RawTableError(path, "a table with row_kind 'plan' needs tranche '1', '1-2' or '3'")
    units = [meta["unit"], *(meta.get("units") or {}).values()]
    bad = [unit for unit in units if unit not in UNITS]
    if bad:
        raise RawTableError(path, f"unknown unit {bad[0]!r}; valid units: {', '.join(UNITS)}")
    unknown = set(meta.get("units") or {}) - set(meta["columns"])
    if unknown:
        raise RawTableError(path, f"units names unknown column(s): {', '.join(sorted(unknown))}")
    if meta.get("total_column") is not None and meta["total_column"] not in meta["columns"]:
        raise RawTableError(path, f"total_column {meta['total_column']!r} is not one of the columns")
    if meta.get("row_label") is not None and meta["row_label"] not in meta["label_columns"]:
        raise RawTableError(path, f"row_label {meta['row_label']!r} is not one of the label_columns")
    lines = meta["lines"]
    if not (
        isinstance(lines, list) and len(lines) == 2 and all(isinstance(n, int) for n in lines) and lines[0] <= lines[1]
    ):
        raise RawTableError(path, "lines must be [first, last] line numbers of the table")


def _rows(path: Path, meta: dict, body: list[tuple[int, str]]) -> list[Row]:
    n_labels = len(meta["label_columns"])
    label_index = meta["label_columns"].index(meta["row_label"]) if meta.get("row_label") else 0
    rows: list[Row] = []
    group = ""
    for file_line, text in body:
        stripped = text.strip()
        if not stripped:
            continue
        if stripped.startswith("# group:"):
            group = stripped[len("# group:") :].strip()
            continue
        if stripped.startswith("#"):
            continue
        parts = text.split(SEPARATOR)
        if len(parts) != n_labels + 2:
            raise RawTableError(
                path,
                f"file line {file_line}: expected {n_labels + 2} fields separated by "
                f"'{SEPARATOR}' (line-ref, {n_labels} label(s), values), found {len(parts)}",
            )
        ref = parts[0].strip()
        if not re.fullmatch(r"\d+(-\d+)?", ref):
            raise RawTableError(path, f"file line {file_line}: line-ref {ref!r} is not N or N-M")
        labels = tuple(part.strip() for part in parts[1:-1])
        rows.append(Row(line=ref, labels=labels, group=group, fields=split_fields(parts[-1]), label_index=label_index))
    if not rows:
        raise RawTableError(path, "no table rows")
    return rows


def _placements(row: Row, n_columns: int) -> list[tuple[int, ...]]:
    """Every order-preserving placement of the row's printed numbers into the columns."""
    tokens = [f for f in row.fields if f != ""]
    if len(tokens) > n_columns:
        return []
    return list(itertools.combinations(range(n_columns), len(tokens)))


def rounding_tolerance(unit: str, n_parts: int) -> float:
    """Largest difference between a printed total and the sum of its printed parts that
    rounding can explain: none for counts (exact); half a unit per part for amounts rounded to
    the printed unit (euros from amounts with cents, thousands, millions, percentages)."""
    return 0.0 if unit == "aantal" else 0.5 * n_parts


def _row_total_holds(cells: list[Cell], total_index: int) -> bool:
    """Does the total column equal the sum of the row's cells in the same unit (within rounding)?"""
    total = cells[total_index]
    parts = [c.value for i, c in enumerate(cells) if i != total_index and c.value is not None and c.unit == total.unit]
    if total.value is None:
        return not parts
    return abs(sum(parts) - total.value) <= rounding_tolerance(total.unit, len(parts)) + 1e-9


def _cells_for(table_meta: dict, columns: list[str], tokens: list[str], placement, path, row):
    units = table_meta.get("units") or {}
    markers = (table_meta.get("footnote_markers") or {}).get(row.label, {})
    out = []
    filled = dict(zip(placement, tokens, strict=True))
    for index, column in enumerate(columns):
        printed = filled.get(index, "")
        text = printed
        marker = str(markers.get(column, ""))
        if marker:
            if not printed.endswith(marker):
                raise RawTableError(
                    path,
                    f"row {row.label!r}, column {column!r}: footnote marker "
                    f"{marker!r} is not at the end of {printed!r}",
                    row.line,
                )
            text = printed[: -len(marker)]
        try:
            cell = parse_cell(text, column, units.get(column, table_meta["unit"]))
        except ValueError as exc:
            raise RawTableError(path, f"row {row.label!r}, column {column!r}: {exc}", row.line) from None
        out.append(Cell(column=column, printed=printed, value=cell.value, unit=cell.unit))
    return out


def parse_file(path: Path | str) -> RawTable:
    """Parse one raw table file; raise :class:`RawTableError` naming file and line on bad input."""
    path = Path(path)
    meta, body = _read(path)
    _check_meta(path, meta)
    rows = _rows(path, meta, body)
    columns = list(meta["columns"])
    n = len(columns)
    total_index = columns.index(meta["total_column"]) if meta.get("total_column") else None
    positions = meta.get("positions") or {}
    for key in ("positions", "footnote_markers"):
        unknown = set(meta.get(key) or {}) - {row.label for row in rows}
        if unknown:
            raise RawTableError(path, f"{key} names unknown row(s): {', '.join(sorted(unknown))}")

    ambiguous: dict[int, list[tuple[int, ...]]] = {}
    for i, row in enumerate(rows):
        tokens = [f for f in row.fields if f != ""]
        if row.label in positions:
            placement = tuple(positions[row.label])
            if (
                len(placement) != len(tokens)
                or list(placement) != sorted(set(placement))
                or (placement and (placement[0] < 0 or placement[-1] >= n))
            ):
                raise RawTableError(
                    path,
                    f"positions for {row.label!r} must be {len(tokens)} increasing column indexes below {n}",
                    row.line,
                )
            row.cells = _cells_for(meta, columns, tokens, placement, path, row)
            continue
        if len(row.fields) == n:
            placement = tuple(j for j, f in enumerate(row.fields) if f != "")
            row.cells = _cells_for(meta, columns, tokens, placement, path, row)
            continue
        candidates = _placements(row, n)
        if total_index is not None:
            candidates = [
                p for p in candidates if _row_total_holds(_cells_for(meta, columns, tokens, p, path, row), total_index)
            ]
        if not candidates:
            raise RawTableError(
                path,
                f"row {row.label!r}: {len(row.fields)} fields for {n} columns "
                "and no placement of its numbers fits the row total",
                row.line,
            )
        if len(candidates) == 1:
            row.cells = _cells_for(meta, columns, tokens, candidates[0], path, row)
        else:
            ambiguous[i] = candidates
    if ambiguous:
        _resolve_by_column_totals(path, meta, rows, ambiguous)
    return RawTable(path=path, meta=meta, rows=rows)


def _resolve_by_column_totals(path, meta, rows, ambiguous) -> None:
    columns = list(meta["columns"])
    total_label = meta.get("total_row")
    first = rows[min(ambiguous)]
    if not total_label or not any(r.label == total_label for r in rows):
        raise RawTableError(
            path,
            f"row {first.label!r}: the spacing does not decide the columns and "
            "the table has no total row; record them under 'positions'",
            first.line,
        )
    total_row = next(r for r in rows if r.label == total_label)
    if total_row.cells == [] or rows.index(total_row) in ambiguous:
        raise RawTableError(path, "the total row itself is ambiguous; record it under 'positions'", total_row.line)
    fixed = [r for i, r in enumerate(rows) if i not in ambiguous and r is not total_row]
    base = [sum((r.cells[j].value or 0.0) for r in fixed) for j in range(len(columns))]
    options = [ambiguous[i] for i in sorted(ambiguous)]
    size = 1
    for option in options:
        size *= len(option)
    if size > _MAX_COMBINATIONS:
        raise RawTableError(
            path,
            f"{len(options)} rows have ambiguous spacing ({size} placements); record them under 'positions'",
            first.line,
        )
    fitting = []
    for combo in itertools.product(*options):
        sums = list(base)
        for i, placement in zip(sorted(ambiguous), combo, strict=True):
            tokens = [f for f in rows[i].fields if f != ""]
            for j, token in zip(placement, tokens, strict=True):
                sums[j] += parse_cell(token, columns[j], meta["unit"]).value or 0.0
        tolerance = rounding_tolerance(meta["unit"], len(rows) - 1) + 1e-9
        if all(abs(s - (c.value or 0.0)) <= tolerance for s, c in zip(sums, total_row.cells, strict=True)):
            fitting.append(combo)
            if len(fitting) > 1:
                break
    if len(fitting) != 1:
        labels = ", ".join(repr(rows[i].label) for i in sorted(ambiguous))
        reason = "no placement fits" if not fitting else "more than one placement fits"
        raise RawTableError(
            path,
            f"rows {labels}: the spacing does not decide the columns and "
            f"{reason} the column totals; record them under 'positions'",
            first.line,
        )
    for i, placement in zip(sorted(ambiguous), fitting[0], strict=True):
        tokens = [f for f in rows[i].fields if f != ""]
        rows[i].cells = _cells_for(meta, columns, tokens, placement, path, rows[i])


def _summary(table: RawTable) -> str:
    meta = table.meta
    lines = [f"{table.path}: table {table.table_id}, {len(table.rows)} rows x {len(table.columns)} columns"]
    if meta.get("total_column"):
        k = table.columns.index(meta["total_column"])
        for row in table.rows:
            if not _row_total_holds(row.cells, k):
                parts = sum(
                    c.value
                    for j, c in enumerate(row.cells)
                    if j != k and c.value is not None and c.unit == row.cells[k].unit
                )
                lines.append(
                    f"  row total differs: {row.label!r} printed {row.cells[k].value} sum {parts:g} (line {row.line})"
                )
    total_label = meta.get("total_row")
    if total_label:
        totals = [r for r in table.rows if r.label == total_label]
        if not totals:
            lines.append(f"  total_row {total_label!r} not found")
        else:
            body = [r for r in table.rows if r.label != total_label]
            for j, cell in enumerate(totals[0].cells):
                if cell.unit == "procent":
                    continue
                s = sum(r.cells[j].value or 0.0 for r in body)
                if cell.value is not None and abs(s - cell.value) > 0.5:
                    lines.append(f"  column total differs: {cell.column!r} printed {cell.value:g} sum {s:g}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m sectorplannen.sources.rawtable FILE...``: parse and report totals that do not add up."""
    status = 0
    for name in argv if argv is not None else sys.argv[1:]:
        try:
            print(_summary(parse_file(name)))
        except RawTableError as exc:
            print(f"ERROR {exc}")
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
