"""Plan-level plausibility of the Bijlage A tables: numbers that agree with every printed total and
still cannot all be right, or need a reason the table does not give.

Each check returns :class:`~sectorplannen.published.checks.Discrepancy` records like the consistency
checks, so every plan it flags is a finding that ``data/raw/findings.yaml`` must explain (``make
verify`` fails otherwise). A flag is never rounding-level: its ``computed`` side is the bound the plan
passes, not a value the printed number should have. The checks (declared in ``checks.yaml``):

- ``realisatiegraad``: a plan's realised total against its planned total (``realisation_rates``);
- ``deelnemers zonder budget`` / ``budget zonder deelnemers``: a plan and theme (or trajectory type)
  with participants but no budget, or the reverse (``presence``);
- ``gepland, niet gerealiseerd`` / ``gerealiseerd zonder plan``: a plan and theme (or trajectory
  type) planned and not realised at all, or realised without a plan (``plan_realisation``);
- ``zonder maatregel``: participants or budget in a theme where A.1 lists no measure (``measures``);
- ``eigen bijdrage``: a plan's own share of its funding below what the co-financing rates leave to
  the sector, given how it spent its budget (``cofinancing``);
- ``kosten per deelnemer``: a plan's budget per participant far outside that of the other plans of
  its tranche group (``cost_per_participant``).

The thresholds are conventions fixed in the code with their reasons (a factor 2, Tukey's far-out
fences, the Regeling's co-financing rates as the report states them), not fitted to what they flag.
"""

from __future__ import annotations

import math

import pandas as pd

from sectorplannen.errors import DataFileError
from sectorplannen.published.checks import Discrepancy, category_axis, split_ref

# A realised total under half or over twice the planned total (factor 2 either way): beyond it the
# plan no longer describes the size of what was done, which the report's own comparisons of
# realisation against plan assume; a rate within it is ordinary over- or underrealisation.
RATE_LOW, RATE_HIGH = 50.0, 200.0

# Tukey's "far out" fences: more than 3 interquartile ranges beyond the quartiles (Tukey 1977,
# Exploratory Data Analysis), the textbook boundary for values that do not belong with the rest.
TUKEY_FAR_OUT = 3.0


# What each kind of check needs in its checks.yaml entry.
REQUIRED = {
    "realisation_rates": ("realised", "planned"),
    "presence": ("count", "amount"),
    "plan_realisation": ("planned", "realised"),
    "measures": ("table", "measures"),
    "cofinancing": ("funding", "spent", "government_rate"),
    "cost_per_participant": ("budget", "participants"),
}


def _one_row_per(frame: pd.DataFrame, keys: list[str], ref: str) -> None:
    """Raise when table ``ref`` has two rows for the same ``keys`` (a plan printed twice)."""
    twice = frame[frame.duplicated(keys, keep=False)]
    if not twice.empty:
        first = twice.iloc[0]
        raise DataFileError(
            f"{ref}: plan {first['plan_id']!r} has more than one row (lines "
            f"{', '.join(sorted(set(twice.loc[twice['plan_id'] == first['plan_id'], 'line'].astype(str))))}); "
            "a plausibility check in checks.yaml needs one row per plan: merge the rows in data/raw/"
        )


def _plan_values(ref: str, load, column: str | None = None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per plan of table ``ref``: the value in its total column (or ``column``), its label and line."""
    frame = load(*split_ref(ref))
    frame = frame[~frame["is_total_row"] & (frame["plan_id"] != "")]
    frame = frame[frame["category"] == column] if column else frame[frame["is_total_column"]]
    _one_row_per(frame, ["plan_id"], ref)
    frame = frame.set_index("plan_id")
    return frame["value"].astype(float), frame["row"].astype(str), frame["line"].astype(str)


def _plan_cells(ref: str, load) -> pd.DataFrame:
    """Per plan and category id (theme or trajectory type): value, label, category as printed, line."""
    frame = load(*split_ref(ref))
    frame = frame[~frame["is_total_row"] & ~frame["is_total_column"] & (frame["plan_id"] != "")]
    _one_row_per(frame, ["plan_id", "category"], ref)
    return pd.DataFrame(
        {
            "plan_id": frame["plan_id"].to_numpy(),
            "category": category_axis(frame["category"]).to_numpy(),
            "printed_category": frame["category"].to_numpy(),
            "row": frame["row"].astype(str).to_numpy(),
            "line": frame["line"].astype(str).to_numpy(),
            "value": frame["value"].astype(float).fillna(0.0).to_numpy(),
        }
    ).set_index(["plan_id", "category"])


def realisation_rates(spec: dict, load) -> list[Discrepancy]:
    """Plans whose realised total (``realised``) is under :data:`RATE_LOW` or over :data:`RATE_HIGH`
    percent of their planned total (``planned``); a plan with a realisation but no plan is flagged
    as well (``published`` is then the realised total, ``computed`` 0). ``published`` is the rate,
    ``computed`` the bound it passes."""
    realised, labels, lines = _plan_values(spec["realised"], load)
    planned, _, _ = _plan_values(spec["planned"], load)
    out = []
    for plan_id, done in realised.fillna(0.0).items():
        goal = float(planned.get(plan_id, float("nan")))
        against = f"{spec['realised']} / {spec['planned']} buiten {RATE_LOW:g}-{RATE_HIGH:g} procent"
        if math.isnan(goal) or goal <= 0:  # realised without a plan: the rate has no bound at all
            if done <= 0:
                continue
            rate, bound, against = done, 0.0, f"gerealiseerd zonder gepland totaal in {spec['planned']}"
        else:
            rate = 100.0 * done / goal
            if RATE_LOW <= rate <= RATE_HIGH:
                continue
            bound = RATE_LOW if rate < RATE_LOW else RATE_HIGH
        out.append(
            Discrepancy(
                "realisatiegraad", spec["realised"], labels[plan_id], "Totaal", lines[plan_id], rate, bound, against
            )
        )
    return out


def _one_sided(first: str, second: str, names: tuple[str, str], load) -> list[Discrepancy]:
    """Cells (plan and category id) with a positive number in table ``first`` and an empty or zero
    cell in ``second`` (check ``names[0]``, found in ``first``), or the reverse (``names[1]``)."""
    left, right = _plan_cells(first, load), _plan_cells(second, load)
    out = []
    for key in left.index.union(right.index):
        a = float(left["value"].get(key, 0.0))
        b = float(right["value"].get(key, 0.0))
        if (a > 0) == (b > 0):
            continue
        check, table, other, cells, value = (
            (names[0], first, second, left, a) if a > 0 else (names[1], second, first, right, b)
        )
        cell = cells.loc[key]
        out.append(
            Discrepancy(
                check,
                table,
                str(cell["row"]),
                str(cell["printed_category"]),
                str(cell["line"]),
                value,
                0.0,
                f"leeg of nul in {other}",
            )
        )
    return out


def presence(spec: dict, load) -> list[Discrepancy]:
    """Plans with participants (``count``) in a theme or trajectory type but no budget there
    (``amount``), or budget but no participants. Any positive number against an empty or zero cell
    is flagged: a measure without participants or without money is a statement about the plan,
    whatever its size, and needs the report's reason."""
    return _one_sided(spec["count"], spec["amount"], ("deelnemers zonder budget", "budget zonder deelnemers"), load)


def plan_against_realisation(spec: dict, load) -> list[Discrepancy]:
    """Plans that planned a theme or trajectory type (``planned``) and realised nothing in it
    (``realised``), or realised one they had not planned. Flagged whatever the size, for the reason
    :func:`presence` gives: a whole part of a plan dropped or added is a statement about the plan."""
    return _one_sided(
        spec["planned"], spec["realised"], ("gepland, niet gerealiseerd", "gerealiseerd zonder plan"), load
    )


def without_measures(spec: dict, load) -> list[Discrepancy]:
    """Plans with participants or budget (``table``) in a theme where the table of measures
    (``measures``: A.1) lists none: every participant and every euro belongs to a measure. The
    reverse (a measure without participants) is ordinary: not every measure counts participants
    (r. 1136-1144 of the report), and :func:`presence` covers it for the budget."""
    return [
        d
        for d in _one_sided(spec["table"], spec["measures"], ("zonder maatregel", ""), load)
        if d.check == "zonder maatregel"
    ]


def cost_per_participant(spec: dict, load) -> list[Discrepancy]:
    """Plans whose budget per participant (``budget`` x ``scale`` / ``participants``, plan totals)
    lies beyond Tukey's far-out fences (:data:`TUKEY_FAR_OUT`) of all the table's plans, taken on a
    log scale: the cost of a participant differs by a factor between measures (a leerwerkplek
    costs many loopbaanchecks), so plans differ by ratios, not by amounts. Plans without
    participants or budget are left to :func:`presence`."""
    budget, labels, lines = _plan_values(spec["budget"], load)
    participants, _, _ = _plan_values(spec["participants"], load)
    both = pd.DataFrame({"budget": budget * float(spec.get("scale", 1)), "participants": participants}).dropna()
    both = both[(both["budget"] > 0) & (both["participants"] > 0)]
    per_person = both["budget"] / both["participants"]
    if len(per_person) < 4:  # no quartiles to speak of
        return []
    logs = per_person.map(math.log10)
    q1, q3 = float(logs.quantile(0.25)), float(logs.quantile(0.75))
    low, high = 10 ** (q1 - TUKEY_FAR_OUT * (q3 - q1)), 10 ** (q3 + TUKEY_FAR_OUT * (q3 - q1))
    out = []
    for plan_id, value in per_person.items():
        if low <= value <= high:
            continue
        out.append(
            Discrepancy(
                "kosten per deelnemer",
                spec["budget"],
                labels[plan_id],
                "Totaal",
                lines[plan_id],
                float(value),
                low if value < low else high,
                f"{spec['budget']} / {spec['participants']} per plan buiten de uiterste grenzen van Tukey "
                f"({low:,.0f}-{high:,.0f} euro)".replace(",", "."),
            )
        )
    return out


def cofinancing_floor(spec: dict, load) -> list[Discrepancy]:
    """Plans whose own (sector) share of the funding (``funding``: Tabel 3.3 or 6.3, columns Sector
    and Totaal) is below what the Regeling's co-financing leaves to the sector, given how the plan
    spent its budget (``spent``: A.6 or A.12 per theme or trajectory type, times ``scale``).

    The government paid ``government_rate`` percent of a measure's cost "in de meeste gevallen"
    (50; leerwerkplekken 20: r. 536-538 and 1414-1426 of the report, ``rates`` per category id), so
    the sector paid the rest. The report names the exception (r. 1428-1432: a few measures for the
    inflow of benefit recipients, up to 100 percent government), so a flag is a plan the rule does
    not describe and whose reason the report must give, not an error by itself. The funding tables
    include overhead and the spending tables do not; as the government may have paid all of it (its
    overhead subsidy was a share of the subsidy, r. 7723-7727), the floor is taken over the funding
    total, the most the bound can give way. A plan is flagged when its share lies more than half a
    percentage point (the precision of the printed share) below."""
    cells = _plan_cells(spec["spent"], load)
    scale = float(spec.get("scale", 1))
    rates = {str(k): float(v) for k, v in (spec.get("rates") or {}).items()}
    default = float(spec["government_rate"])
    frame = load(*split_ref(spec["funding"]))
    frame = frame[~frame["is_total_row"] & (frame["plan_id"] != "")]
    wide = frame.pivot_table(index="plan_id", columns="category", values="value", aggfunc="first")
    rows = frame.drop_duplicates("plan_id").set_index("plan_id")
    out = []
    for plan_id, funding in wide.iterrows():
        if plan_id not in cells.index.get_level_values(0):
            continue
        spent = cells.loc[plan_id, "value"] * scale
        total_spent = float(spent.sum())
        total, sector = float(funding["Totaal"]), float(funding["Sector"])
        if total_spent <= 0 or total <= 0:
            continue
        own = sum(float(v) * (100.0 - rates.get(str(c), default)) / 100.0 for c, v in spent.items())
        floor = 100.0 * own / max(total, total_spent)
        share = 100.0 * sector / total
        if share >= floor - 0.5:
            continue
        out.append(
            Discrepancy(
                "eigen bijdrage",
                spec["funding"],
                str(rows.loc[plan_id, "row"]),
                "Aandeel sector",
                str(rows.loc[plan_id, "line"]),
                share,
                floor,
                f"ten minste wat de cofinanciering de sector laat van het besteed budget in {spec['spent']}",
            )
        )
    return out


def all_flags(load, spec: dict) -> list[Discrepancy]:
    """Every plausibility check ``spec`` (``checks.yaml``) declares; an entry without what its kind
    needs is named before any check runs."""
    for kind, needed in REQUIRED.items():
        for number, entry in enumerate(spec.get(kind) or [], start=1):
            missing = [key for key in needed if key not in (entry or {})]
            if missing:
                raise DataFileError(
                    f"checks.yaml {kind}, entry {number}: missing {', '.join(missing)} (needs {', '.join(needed)})"
                )
    checks = {
        "realisation_rates": realisation_rates,
        "presence": presence,
        "plan_realisation": plan_against_realisation,
        "measures": without_measures,
        "cofinancing": cofinancing_floor,
        "cost_per_participant": cost_per_participant,
    }
    out: list[Discrepancy] = []
    for kind, check in checks.items():
        for entry in spec.get(kind) or []:
            out += check(entry, load)
    return out
