"""Claims and the reproduction ledger.

A claim (``data/claims/<chapter>.csv``, format in ``data/claims/README.md``) is one number the
report prints, with what it means. :func:`ledger` computes each claim's statistic and says
whether the report's number is reproduced, differs (with the explanation from
``data/claims/verschillen.yaml``) or is not computable from the data the project has.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import yaml

from sectorplannen import paths
from sectorplannen.checks import round_half_up
from sectorplannen.indicators import STATISTICS, Indicators, NotComputable

CLAIMS = paths.DATA / "claims"
UNITS = {
    "aantal": 1.0,
    "procent": 1.0,
    "euro": 1.0,
    "duizend": 1e3,
    "miljoen euro": 1e6,
    "plan": None,
    "categorie": None,
}
IDENTITY_UNITS = ("plan", "categorie")  # the published value is an id, compared as text
QUALIFIERS = ("", "ongeveer", "ruim", "bijna", "meer dan", "minder dan")
STATUS_REPRODUCED, STATUS_DIFFERS, STATUS_NA, STATUS_OTHER, STATUS_TAKEN, STATUS_UNCALIBRATED = (
    "gereproduceerd",
    "wijkt af",
    "niet berekenbaar",
    "andere selectie",
    "overgenomen",
    "niet gekalibreerd (synthetisch)",
)
# A value recomputed from other printed cells of the table that prints it: checks the table's
# arithmetic (its totals and shares), not its data.
STATUS_ARITHMETIC = "nagerekend (zelfde tabel)"
# A participant claim met on the synthetic file, which is calibrated to meet it: no evidence.
STATUS_CALIBRATED = "gekalibreerd (synthetisch)"
# A participant value that disclosure control hides (too few participants behind it).
STATUS_SUPPRESSED = "onderdrukt"
# The statuses in the order a ledger summary lists them; only the first is evidence of reproduction.
STATUSES = (
    STATUS_REPRODUCED,
    STATUS_ARITHMETIC,
    STATUS_TAKEN,
    STATUS_CALIBRATED,
    STATUS_DIFFERS,
    STATUS_UNCALIBRATED,
    STATUS_SUPPRESSED,
    STATUS_NA,
    STATUS_OTHER,
)
TRANCHES = ("1", "2", "1-2", "3", "alle")
PARTICIPANT_CLAIMS = ("arbeidsmarktpositie",)
PARTICIPANT_STATISTICS = ("aandeel", "deelnemers_aantal")
COLUMNS = [
    "id",
    "chapter",
    "tranche",
    "line",
    "location",
    "quote",
    "statistic",
    "category",
    "plan",
    "rank",
    "published",
    "unit",
    "step",
    "qualifier",
    "note",
    "source",
    "table",
    "row",
    "column",
]


class ClaimsError(ValueError):
    """A malformed claims file (names file, row and column)."""


def _schema() -> pa.DataFrameSchema:
    from sectorplannen.published import category_ids

    text = {"dtype": str, "nullable": False}
    return pa.DataFrameSchema(
        {
            "id": pa.Column(checks=pa.Check.str_matches(r"^[0-9A-Za-z]+-\d{2,3}$"), unique=True, **text),
            "chapter": pa.Column(**text),
            "tranche": pa.Column(checks=pa.Check.isin(list(TRANCHES)), **text),
            "line": pa.Column(checks=pa.Check.str_matches(r"^\d+(-\d+)?$"), **text),
            "location": pa.Column(**text),
            "quote": pa.Column(**text),
            "statistic": pa.Column(checks=pa.Check.isin(["", *STATISTICS]), **text),
            "category": pa.Column(checks=pa.Check.isin(["", *category_ids()]), **text),
            "plan": pa.Column(checks=pa.Check(lambda plans: plans.map(_known_plans)), **text),
            "rank": pa.Column(checks=pa.Check.str_matches(r"^(\d+)?$"), **text),
            "published": pa.Column(checks=pa.Check.str_length(min_value=1), **text),
            "unit": pa.Column(checks=pa.Check.isin(list(UNITS)), **text),
            "step": pa.Column(float, checks=pa.Check.gt(0), coerce=True),
            "qualifier": pa.Column(checks=pa.Check.isin(QUALIFIERS), **text),
            "note": pa.Column(**text),
            "source": pa.Column(checks=pa.Check.isin(["000", "001", "002", "003", "004"]), **text),
            "table": pa.Column(checks=pa.Check.isin(["", *_table_refs()]), **text),
            "row": pa.Column(**text),
            "column": pa.Column(**text),
        },
        strict=True,
        ordered=True,
    )


def _known_plans(value: str) -> bool:
    """Empty, a plan id, or several as ``a|b``."""
    from sectorplannen.plans import register

    ids = {p.id for p in register()}
    return not value or all(part in ids for part in value.split("|"))


def _table_refs() -> list[str]:
    from sectorplannen.published import tables

    return [f"{seed}/{table_id}" for seed, table_id in tables()]


def load(chapter_file: str, claims_dir: Path | None = None) -> pd.DataFrame:
    """The claims of one chapter notebook (``inhoud``, ``uitvoering``), validated."""
    path = Path(claims_dir or CLAIMS) / f"{chapter_file}.csv"
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise ClaimsError(f"{path}: missing") from None
    try:
        frame = _schema().validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        case = exc.failure_cases.iloc[0]
        row = f", row {int(case['index']) + 2}" if pd.notna(case["index"]) else ""
        raise ClaimsError(
            f"{path}{row}, column {case['column']!r}: fails {case['check']} (value {case['failure_case']!r})"
        ) from None
    numeric = ~frame["unit"].isin(IDENTITY_UNITS)
    values = pd.to_numeric(
        frame.loc[numeric, "published"].str.replace(".", "", regex=False).str.replace(",", ".", regex=False),
        errors="coerce",
    )
    if values.isna().any():
        bad = values[values.isna()].index[0]
        raise ClaimsError(f"{path}, row {bad + 2}, column 'published': {frame.loc[bad, 'published']!r} is not a number")
    frame["value"] = None
    frame.loc[numeric, "value"] = values
    frame.loc[~numeric, "value"] = frame.loc[~numeric, "published"]
    return frame


def explanations(claims_dir: Path | None = None) -> dict[str, str]:
    """Claim id -> explanation of why the computed value differs (``verschillen*.yaml``: one
    general file and one per chapter notebook)."""
    out = {}
    for path in sorted(Path(claims_dir or CLAIMS).glob("verschillen*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for number, entry in enumerate(entries, start=1):
            ids = entry.get("claims") or [entry.get("claim")]
            if not all(ids) or not entry.get("explanation"):
                raise ClaimsError(f"{path}: entry {number} needs 'claim' (or 'claims') and 'explanation'")
            for claim_id in ids:
                if str(claim_id) in out:
                    raise ClaimsError(f"{path}: claim {claim_id} is explained twice")
                out[str(claim_id)] = " ".join(str(entry["explanation"]).split())
    return out


def interval(published: float, step: float, qualifier: str) -> tuple[float, float, bool, bool]:
    """The values a computed number may take for the report to print ``published`` with this
    rounding ``step`` and ``qualifier``: ``(low, high, low_included, high_included)``.

    Unqualified numbers are rounded half up; *ongeveer* allows half a step either way; *ruim* and
    *bijna* mean just above and just below (within a step); *meer dan* and *minder dan* are open."""
    half = step / 2
    bounds = {
        "": (published - half, published + half, True, False),
        "ongeveer": (published - half, published + half, True, True),
        "ruim": (published, published + step, False, False),
        "bijna": (published - step, published, False, False),
        "meer dan": (published, math.inf, False, False),
        "minder dan": (-math.inf, published, False, False),
    }
    if qualifier not in bounds:
        raise ValueError(f"unknown qualifier {qualifier!r}")
    return bounds[qualifier]


def round_to_step(value: float, step: float) -> float:
    """``value`` at the claim's own rounding (half up): 87,3 with step 1 gives 87."""
    digits = max(0, -math.floor(math.log10(step) + 1e-9))
    return round_half_up(round_half_up(value / step, 0) * step, digits)


def format_step(value: float, step: float, extra: int = 0) -> str:
    """A value at the rounding of a printed number, in Dutch notation (87; 2,5; 18.816): the
    ledger sets the computed value beside the published one in the same notation. ``extra``
    decimals show what a qualifier (ruim, bijna, ongeveer) speaks about."""
    from sectorplannen.style import getal

    return getal(value, max(0, -math.floor(math.log10(step) + 1e-9)) + extra)


def matches(computed: float, published: float, step: float, qualifier: str) -> bool:
    """Does the computed value, in the claim's unit, give the printed number?"""
    low, high, low_in, high_in = interval(published, step, qualifier)
    tol = max(step * 1e-9, abs(published) * 1e-12)  # float noise, far below any rounding step
    above = computed >= low - tol if low_in else computed > low + tol
    below = computed <= high + tol if high_in else computed < high - tol
    return above and below


def evaluate(claim: pd.Series, indicators: Indicators, published_cohort: bool = True) -> dict:
    """One ledger row for a claim."""
    row = {
        "claim": claim["id"],
        "hoofdstuk": claim["chapter"],
        "plaats": claim["location"],
        "regel": claim["line"],
        "tekst": claim["quote"],
        "gepubliceerd": claim["published"],
        "eenheid": claim["unit"],
        "berekend": "",
        "berekend_waarde": None,
        "status": STATUS_NA,
        "toelichting": claim["note"],
        "invoer": "",
    }
    if claim["unit"] not in IDENTITY_UNITS:  # the printed number in the same notation as the computed one
        row["gepubliceerd"] = format_step(float(claim["value"]), float(claim["step"]))
    else:  # a plan or category as the report names it, not its id
        row["gepubliceerd"] = reader_name(claim["unit"], claim["value"])
    if not claim["statistic"]:
        return row
    try:
        value = indicators.compute(
            claim["statistic"],
            claim["category"],
            claim["plan"],
            claim["rank"] or None,
            table=claim["table"],
            row=claim["row"],
            column=claim["column"],
        )
    except NotComputable as exc:
        row["toelichting"] = f"{claim['note']} {exc}".strip()
        return row
    if claim["unit"] in IDENTITY_UNITS:
        row["berekend_waarde"] = value
        row["berekend"] = reader_name(claim["unit"], value)
        ok = value == claim["value"]
    else:
        scaled = value / UNITS[claim["unit"]]
        row["berekend_waarde"] = scaled
        step = float(claim["step"])
        row["berekend"] = format_step(scaled, step, extra=1 if claim["qualifier"] else 0)
        ok = matches(scaled, float(claim["value"]), step, claim["qualifier"])
    provenance = getattr(indicators, "provenance", None)
    row["invoer"] = ", ".join(provenance.inputs) if provenance else ""
    if not published_cohort:
        row["status"] = STATUS_OTHER
    elif not ok:
        row["status"] = STATUS_DIFFERS
    else:
        row["status"] = evidence(claim, provenance)
    return row


def reader_name(unit: str, value: str) -> str:
    """A plan or category id as the report names it (the id itself when it is unknown)."""
    from sectorplannen import published
    from sectorplannen.plans import register

    if unit == "plan":
        try:
            return register().get(value).name
        except KeyError:
            return str(value)
    labels = {e["id"]: e["label"] for axis in published.categories().values() for e in axis}
    return labels.get(value, str(value))


def printed_in(claim: pd.Series) -> str | None:
    """The published table (``seed/id``) that prints the claim, when it is printed in a table."""
    match = re.match(r"^Tabel\s+(\S+)$", str(claim["location"]).strip())
    return f"{claim['source']}/{match.group(1)}" if match else None


def evidence(claim: pd.Series, provenance) -> str:
    """What a matching computed value shows: a reproduction from other data, a check of the
    printing table's own arithmetic, or a number that is itself an input."""
    if provenance is None or not provenance.inputs:
        return STATUS_REPRODUCED
    if provenance.cell is not None:
        return STATUS_TAKEN  # one printed cell read back (a table of this report, or a .t table of its text)
    if printed_in(claim) in provenance.inputs:
        return STATUS_ARITHMETIC
    return STATUS_REPRODUCED


def indicators_for(tranche: str):
    """The statistics of a claim's tranche for the published selection ('alle': tables only)."""
    from sectorplannen import bijlage
    from sectorplannen.indicators import TableIndicators
    from sectorplannen.params import validate

    if tranche == "alle":
        return TableIndicators()
    return Indicators(bijlage.load(validate(tranche=tranche)))


def ledger(
    chapter_file: str,
    tranche: str | None = None,
    indicators: Indicators | None = None,
    published_cohort: bool = True,
    claims_dir: Path | None = None,
    synthetic: bool = False,
) -> pd.DataFrame:
    """The reproduction ledger of one chapter notebook: the claims of ``tranche`` (all claims when
    None), computed with ``indicators`` for that tranche and the published selection otherwise.
    With ``synthetic`` participant data a participant statistic that differs checks the
    calibration, not the report: its status is 'niet gekalibreerd (synthetisch)', unless
    ``verschillen*.yaml`` explains it by a contradiction in the report itself (then no data can
    give every number, and the status is 'wijkt af' with that explanation)."""
    claims = load(chapter_file, claims_dir)
    if tranche is not None:
        claims = claims[claims["tranche"] == tranche]
    known = explanations(claims_dir)
    cache = {tranche: indicators} if indicators is not None else {}
    rows = []
    for _, claim in claims.iterrows():
        if claim["tranche"] not in cache:
            cache[claim["tranche"]] = indicators_for(claim["tranche"])
        own = claim["tranche"] == tranche
        rows.append(evaluate(claim, cache[claim["tranche"]], published_cohort or not own))
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    if synthetic:  # the synthetic file is calibrated to these claims: a match is no evidence either way
        participant = claims["statistic"].isin(PARTICIPANT_STATISTICS).to_numpy()
        unexplained = ~frame["claim"].isin(list(known)).to_numpy()
        frame.loc[participant & unexplained & (frame["status"] == STATUS_DIFFERS).to_numpy(), "status"] = (
            STATUS_UNCALIBRATED
        )
        frame.loc[participant & (frame["status"] == STATUS_REPRODUCED).to_numpy(), "status"] = STATUS_CALIBRATED
    differs = frame["status"] == STATUS_DIFFERS
    frame.loc[differs, "toelichting"] = [
        " ".join(part for part in (known.get(c, ""), note) if part).strip()
        for c, note in zip(frame.loc[differs, "claim"], frame.loc[differs, "toelichting"], strict=True)
    ]
    frame["verklaard"] = ~differs | frame["claim"].isin(list(known))
    return frame


def summary(frame: pd.DataFrame) -> dict[str, int]:
    """Counts per status."""
    counts = frame["status"].value_counts() if not frame.empty else pd.Series(dtype=int)
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def published_ledgers() -> dict[str, pd.DataFrame]:
    """The ledger of every plan-level chapter for the published selection, by chapter notebook
    and tranche (``uitvoering 3``), computed without running the notebooks."""
    from sectorplannen import bijlage
    from sectorplannen.params import validate

    out = {}
    for path in sorted(CLAIMS.glob("*.csv")):
        if path.stem in PARTICIPANT_CLAIMS:
            continue  # computed from participant data: checked in its chapter, not against the report here
        if path.stem in ("inhoud", "uitvoering"):
            for tranche in ("1-2", "3"):
                frame = ledger(path.stem, tranche, Indicators(bijlage.load(validate(tranche=tranche))))
                if not frame.empty:
                    out[f"{path.stem} {tranche}"] = frame
        else:
            out[path.stem] = ledger(path.stem)
    return out


def stale_explanations(ledgers: dict[str, pd.DataFrame]) -> list[str]:
    """Claim ids in ``verschillen*.yaml`` whose claim no longer differs (participant claims aside)."""
    differing = {c for frame in ledgers.values() for c in frame.loc[frame["status"] == STATUS_DIFFERS, "claim"]}
    participant = {c for name in PARTICIPANT_CLAIMS if (CLAIMS / f"{name}.csv").exists() for c in load(name)["id"]}
    return sorted(set(explanations()) - differing - participant)
