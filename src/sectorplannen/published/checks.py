"""Consistency checks of the published tables.

Every check compares a printed number with what other printed numbers say it should be and
returns :class:`Discrepancy` records, never corrections. Four kinds:

- ``rijtotaal``: a printed total column against the sum of its row (``total_column``);
- ``kolomtotaal``: a printed total row against the sum of its column (``total_row``);
- ``percentage``: a printed percentage against the ratio it claims (``checks.yaml``: ratios);
- ``vergelijking``: the same number printed in two places, e.g. a chapter table against the
  aggregation of Bijlage A, or one plan across tables (``checks.yaml``: matches);
- ``soort plan``: a table with a column per plan type (sectoral, regional) against the sum of
  the plans of that type in Bijlage A, by the plan register (``checks.yaml``: plan_types);
- ``selectie``: a table of the n largest plans against the full data they were drawn from
  (``checks.yaml``: selections).

A discrepancy is rounding-level (``afronding``) when the rounding of the printed numbers can
explain it; every other difference needs a recorded explanation (see ``findings``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sectorplannen import paths, yamlfile
from sectorplannen.errors import DataFileError
from sectorplannen.notation import round_half_up
from sectorplannen.published.labels import extra_label_columns
from sectorplannen.sources.categories import category_lookup
from sectorplannen.sources.rawtable import rounding_tolerance
from sectorplannen.sources.register import register

EPSILON = 1e-9


ROUNDED_UNITS = {"duizend euro": 0.5, "miljoen euro": 0.5, "duizend": 0.5, "procent": 0.5}


@dataclass(frozen=True)
class Discrepancy:
    """A printed number that differs from what other printed numbers say it should be."""

    check: str
    table: str
    row: str
    category: str
    line: str
    published: float
    computed: float
    against: str
    tolerance: float = 0.0

    @property
    def difference(self) -> float:
        return self.published - self.computed

    @property
    def kind(self) -> str:
        return "afronding" if abs(self.difference) <= self.tolerance + EPSILON else "verschil"


def _name(frame: pd.DataFrame) -> str:
    return f"{frame.attrs['seed']}/{frame.attrs['table']}"


def _row_key(frame: pd.DataFrame) -> list[str]:

    return ["group", "row", *extra_label_columns(frame)]


def row_totals(frame: pd.DataFrame) -> list[Discrepancy]:
    """Printed total column against the sum of the row's other cells in the same unit."""
    if not frame.attrs.get("total_column"):
        return []
    keys = [*_row_key(frame), "line"]
    totals = frame[frame["is_total_column"]]
    parts = frame[~frame["is_total_column"] & frame["value"].notna()]
    parts = parts.merge(totals[[*keys, "unit"]], on=keys, suffixes=("", "_total"))
    parts = parts[parts["unit"] == parts["unit_total"]]
    sums = parts.groupby(keys, sort=False)["value"].agg(["sum", "count"])
    out = []
    for total in totals.itertuples(index=False):
        key = tuple(getattr(total, k) for k in keys)
        computed, n = (float(sums.loc[key, "sum"]), int(sums.loc[key, "count"])) if key in sums.index else (0.0, 0)
        if pd.isna(total.value) and n == 0:
            continue
        printed = 0.0 if pd.isna(total.value) else float(total.value)
        if abs(printed - computed) > EPSILON:
            out.append(
                Discrepancy(
                    "rijtotaal",
                    _name(frame),
                    str(total.row),
                    str(total.category),
                    str(total.line),
                    printed,
                    computed,
                    "som van de rij",
                    rounding_tolerance(total.unit, n),
                )
            )
    return out


def column_totals(frame: pd.DataFrame) -> list[Discrepancy]:
    """Printed total row against the sum of the column over the other rows (not percentages)."""
    if not frame.attrs.get("total_row"):
        return []
    total_rows = frame[frame["is_total_row"]]
    body = frame[~frame["is_total_row"]]
    out = []
    for category, total in total_rows.groupby("category", sort=False):
        unit = total["unit"].iloc[0]
        if unit == "procent":
            continue
        parts = body[(body["category"] == category) & body["value"].notna()]
        printed = total["value"].iloc[0]
        if pd.isna(printed) and parts.empty:
            continue
        out.append(
            Discrepancy(
                "kolomtotaal",
                _name(frame),
                str(total["row"].iloc[0]),
                str(category),
                str(total["line"].iloc[0]),
                float(0 if pd.isna(printed) else printed),
                float(parts["value"].sum()),
                "som van de kolom",
                rounding_tolerance(unit, len(parts)),
            )
        )
    return [d for d in out if abs(d.difference) > EPSILON]


def load_spec(path: Path | None = None) -> dict:
    """The declared checks (``data/raw/checks.yaml``)."""
    return yamlfile.read(path or paths.RAW / "checks.yaml") or {}


def split_ref(ref: str) -> tuple[str, str]:
    """``'001/A.3'`` -> ``('001', 'A.3')``: the seed and the table of a table reference."""
    seed, _, table_id = ref.partition("/")
    return seed, table_id


def category_axis(labels: pd.Series) -> pd.Series:
    """Printed labels as category ids where they are themes or trajectory types (else as printed)."""

    lookup = category_lookup()
    return labels.map(lambda label: lookup.get(label, label))


def _row_keys(frame: pd.DataFrame) -> pd.Series:
    """A row's identity across tables: its plan, else its category, else its label."""
    return frame["plan_id"].where(frame["plan_id"] != "", category_axis(frame["row"]))


def _cell_key(frame: pd.DataFrame) -> pd.Series:
    """Cells are matched across tables by plan (or row) and category axis (or header)."""
    row = _row_keys(frame).where(~frame["is_total_row"], "totaal")
    return row + "|" + category_axis(frame["category"])


def ratio_check(spec: dict, load) -> list[Discrepancy]:
    """Printed percentages against numerator/denominator (same table or two other tables).

    A percentage is rounding-level when it lies within the range the rounding of the printed
    percentage and of its printed numerator and denominator allows.
    """
    table = load(*split_ref(spec["table"]))
    if "column" in spec:  # a column of the table against other columns of the same table
        rows = table.pivot(index=[*_row_key(table), "line"], columns="category", values="value")
        units = table.groupby("category")["unit"].first()
        numerator_unit = units[spec["numerator"]]
        if "denominator_value" in spec:  # a number the text states (e.g. 47 running projects)
            denominators = pd.Series(float(spec["denominator_value"]), index=rows.index)
            denominator_unit, against = "aantal", f"{spec['numerator']} / {spec['denominator_value']}"
        elif "denominator_row" in spec:  # the column's value in the total row
            total = rows[rows.index.get_level_values("row") == spec["denominator_row"]]
            denominators = pd.Series(float(total[spec["denominator"]].iloc[0]), index=rows.index)
            denominator_unit = units[spec["denominator"]]
            against = f"{spec['numerator']} / {spec['denominator']} ({spec['denominator_row']})"
        else:
            denominators = rows[spec["denominator"]]
            denominator_unit = units[spec["denominator"]]
            against = f"{spec['numerator']} / {spec['denominator']}"
        pairs = [
            (
                key,
                spec["column"],
                row[spec["column"]],
                row[spec["numerator"]],
                denominators[key],
                numerator_unit,
                denominator_unit,
            )
            for key, row in rows.iterrows()
        ]
        keyed = {key: (key[1], key[-1]) for key, *_ in pairs}
    else:
        numerator = load(*split_ref(spec["numerator"]))
        denominator = load(*split_ref(spec["denominator"]))
        num = pd.Series(numerator["value"].values, index=_cell_key(numerator))
        den = pd.Series(denominator["value"].values, index=_cell_key(denominator))
        pairs = []
        keyed = {}
        for key, cell in zip(_cell_key(table), table.itertuples(index=False), strict=True):
            pairs.append(
                (
                    key,
                    cell.category,
                    cell.value,
                    num.get(key, float("nan")),
                    den.get(key, float("nan")),
                    numerator["unit"].iloc[0],
                    denominator["unit"].iloc[0],
                )
            )
            keyed[key] = (cell.row, cell.line)
        against = f"{spec['numerator']} / {spec['denominator']}"
    out = []
    for key, category, printed, n, d, n_unit, d_unit in pairs:
        if pd.isna(printed) and (pd.isna(d) or d == 0):
            continue
        value = 0.0 if pd.isna(printed) else float(printed)
        if pd.isna(d) or d == 0:
            computed, tolerance = float("nan"), 0.0
        else:
            n = 0.0 if pd.isna(n) else float(n)
            computed = 100.0 * n / float(d)
            dn, dd = ROUNDED_UNITS.get(n_unit, 0.0), ROUNDED_UNITS.get(d_unit, 0.0)
            low = 100.0 * max(n - dn, 0.0) / (float(d) + dd)
            high = 100.0 * (n + dn) / max(float(d) - dd, EPSILON)
            tolerance = max(computed - low, high - computed) + 0.5
            if value == round_half_up(computed):
                continue
        row, line = keyed[key]
        out.append(Discrepancy("percentage", spec["table"], row, category, line, value, computed, against, tolerance))
    return out


def weighted_share_check(spec: dict, load) -> list[Discrepancy]:
    """A printed total share against the mean of the printed shares weighted by the printed counts
    (e.g. the share of young participants over all themes). Rounding-level when within what the
    rounding of each printed share allows."""
    table = load(*split_ref(spec["table"]))
    rows = table.pivot(index=[*_row_key(table), "line"], columns="category", values="value")
    is_total = rows.index.get_level_values("row") == spec["total_row"]
    body, total = rows[~is_total], rows[is_total]
    weights = body[spec["weights"]].fillna(0.0)
    computed = float((body[spec["column"]].fillna(0.0) * weights).sum() / weights.sum())
    printed = float(total[spec["column"]].iloc[0])
    if printed == round_half_up(computed):
        return []
    key = total.index[0]
    return [
        Discrepancy(
            "percentage",
            spec["table"],
            key[1],
            spec["column"],
            key[-1],
            printed,
            computed,
            f"gemiddelde van {spec['column']} gewogen met {spec['weights']}",
            0.5 + 0.5,
        )
    ]


def plan_set_check(spec: dict, load) -> list[Discrepancy]:
    """The plans of a table against those of a reference table: a plan missing on either side."""
    table, like = load(*split_ref(spec["table"])), load(*split_ref(spec["like"]))
    have = set(table["plan_id"]) - {""}
    want = set(like["plan_id"]) - {""}
    out = []
    for plan_id in sorted(want ^ have):
        source = like if plan_id in want else table
        row = source[source["plan_id"] == plan_id].iloc[0]
        out.append(
            Discrepancy(
                "plannen",
                spec["table"],
                str(row["row"]),
                "(plan)",
                str(row["line"]) if plan_id in have else "",
                float(plan_id in have),
                float(plan_id in want),
                f"plannen van {spec['like']}",
            )
        )
    return out


def _plan_totals(ref: str, column: str, scale: float, load) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per plan id: the value of ``column`` in table ``ref`` (times ``scale``), its row label and line."""
    frame = load(*split_ref(ref))
    frame = frame[~frame["is_total_row"] & (frame["category"] == column) & (frame["plan_id"] != "")]
    frame = frame.set_index("plan_id")
    return frame["value"].astype(float) * scale, frame["row"], frame["line"]


def selection_check(spec: dict, load) -> list[Discrepancy]:
    """A table that lists the ``size`` largest plans, against the full data they were drawn from.

    The table's own amounts (``column``) may include more than the reference's (``reference``
    column ``by``): e.g. Tabel 3.3 includes overhead, A.6 does not. A plan left out is then
    certainly larger than a listed one only when its reference amount alone exceeds the smallest
    listed amount; each such plan is a finding."""
    listed, listed_labels, _ = _plan_totals(spec["table"], spec["column"], 1.0, load)
    reference, labels, lines = _plan_totals(spec["reference"], spec["by"], float(spec.get("scale", 1)), load)
    smallest = listed.idxmin()
    amount = f"{listed[smallest]:,.0f}".replace(",", ".")
    out = []
    if len(listed) != int(spec["size"]):
        raise DataFileError(f"checks.yaml selection {spec['table']}: {len(listed)} plans listed, not {spec['size']}")
    for plan_id, value in reference.drop(index=listed.index, errors="ignore").items():
        if value > listed[smallest] + EPSILON:
            out.append(
                Discrepancy(
                    "selectie",
                    spec["table"],
                    str(labels[plan_id]),
                    "(plan)",
                    str(lines[plan_id]),
                    float(listed[smallest]),
                    float(value),
                    f"de {spec['size']} grootste plannen: {labels[plan_id]} ontbreekt, maar heeft volgens "
                    f"{spec['reference']} ({spec['by']}) alleen al meer dan het kleinste plan in de tabel "
                    f"({listed_labels[smallest]}, {amount})",
                )
            )
    return out


def plan_type_check(spec: dict, load) -> list[Discrepancy]:
    """Columns per plan type against the Bijlage A table summed over the register's plans of
    that type, row by row (rows matched on category)."""

    plan_type = register().plan_types()
    table = load(*split_ref(spec["table"]))
    table = table.assign(_category=category_axis(table["row"]).values)  # rows are categories here
    plans = load(*split_ref(spec["plans"]))
    plans = plans[~plans["is_total_row"] & ~plans["is_total_column"]]
    plans = plans.assign(_type=plans["plan_id"].map(plan_type), _category=category_axis(plans["category"]).values)
    by_category = plans.groupby(["_category", "_type"])["value"].sum(min_count=1)
    by_type = plans.groupby("_type")["value"].sum(min_count=1)
    out = []
    for column, kind in spec["columns"].items():
        cells = table[table["category"] == column]
        for _, cell in cells.iterrows():
            expected = by_type.get(kind) if cell["is_total_row"] else by_category.get((cell["_category"], kind))
            if expected is None or pd.isna(cell["value"]) or abs(float(cell["value"]) - float(expected)) <= EPSILON:
                continue
            out.append(
                Discrepancy(
                    "soort plan",
                    spec["table"],
                    str(cell["row"]),
                    column,
                    str(cell["line"]),
                    float(cell["value"]),
                    float(expected),
                    f"som van de {kind}e plannen in {spec['plans']}",
                )
            )
    return out


def _select(sel: dict, load) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """Values of a selector by key, with their line refs: see ``checks.yaml`` for the forms."""
    frame = load(*split_ref(sel["table"]))
    if "column" in sel:
        frame = frame[frame["category"] == sel["column"]]
    if "row" in sel:
        frame = frame[frame["row"] == sel["row"]]
    if sel.get("aggregate") == "sum":
        frame = frame[~frame["is_total_row"] & ~frame["is_total_column"]]
    by = sel.get("by", "cell")
    if by == "row":
        keys = _row_keys(frame)
    elif by == "column":
        keys = category_axis(frame["category"])
    elif by == "plan_category":  # one cell per plan and theme (or trajectory type), totals left out
        frame = frame[~frame["is_total_row"] & ~frame["is_total_column"] & (frame["plan_id"] != "")]
        keys = frame["plan_id"] + "|" + category_axis(frame["category"])
    else:
        keys = frame["row"] + "|" + frame["category"]
    values = pd.Series(frame["value"].values, index=keys.values)
    lines = pd.Series(frame["line"].values, index=keys.values)
    if sel.get("aggregate") == "sum":
        values = values.groupby(level=0, sort=False).sum(min_count=1)
        lines = lines.groupby(level=0, sort=False).first().map(lambda _: "")
    return values * float(sel.get("scale", 1)), lines, frame


def match_check(spec: dict, load) -> list[Discrepancy]:
    """The same number printed in two places (``left`` is the published side)."""
    left, left_lines, _ = _select(spec["left"], load)
    right, _, _ = _select(spec["right"], load)
    for side, values in (("left", left), ("right", right)):
        duplicated = values.index[values.index.duplicated()].unique().tolist()
        if duplicated:
            raise DataFileError(
                f"checks.yaml match {spec['name']!r}: {side} selector {spec[side]} gives "
                f"several values for {', '.join(map(str, duplicated[:3]))}; narrow it"
            )
    keys = [k for k in left.index if k in right.index and k not in set(spec.get("skip", []))]
    tolerance = float(spec.get("tolerance", 0))
    out = []
    for key in keys:
        a, b = left[key], right[key]
        if pd.isna(a) and pd.isna(b):
            continue
        a = 0.0 if pd.isna(a) else float(a)
        b = 0.0 if pd.isna(b) else float(b)
        if spec.get("at_most") and a <= b + EPSILON:
            continue  # an upper bound, not an equality: only exceeding it is a finding
        if abs(a - b) > EPSILON:
            row, _, category = str(key).partition("|")
            out.append(
                Discrepancy(
                    "vergelijking",
                    spec["left"]["table"],
                    row,
                    category or spec["left"].get("column", ""),
                    str(left_lines.get(key, "")),
                    a,
                    b,
                    spec["name"],
                    tolerance,
                )
            )
    return out


def all_discrepancies(load, spec: dict | None = None, tables: list[tuple[str, str]] | None = None) -> list[Discrepancy]:
    """Run every check over every table; ``load(seed, table_id)`` returns a tidy table."""
    spec = load_spec() if spec is None else spec
    out: list[Discrepancy] = []
    for seed, table_id in tables or []:
        frame = load(seed, table_id)
        out += row_totals(frame) + column_totals(frame)
    for ratio in spec.get("ratios", []):
        out += weighted_share_check(ratio, load) if "weights" in ratio else ratio_check(ratio, load)
    for plan_set in spec.get("plan_sets", []):
        out += plan_set_check(plan_set, load)
    for match in spec.get("matches", []):
        out += match_check(match, load)
    for plan_types in spec.get("plan_types", []):
        out += plan_type_check(plan_types, load)
    for selection in spec.get("selections", []):
        out += selection_check(selection, load)
    return out
