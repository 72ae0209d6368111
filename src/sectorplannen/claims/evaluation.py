"""Claims and the reproduction ledger.

A claim (``data/claims/<chapter>.csv``, format in ``data/claims/README.md``) is one number the
report prints, with what it means. :func:`ledger` computes each claim's statistic and says
whether the report's number is reproduced, differs (with the explanation from
``data/claims/verschillen.yaml``) or is not computable from the data the project has.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sectorplannen import published
from sectorplannen.claims.files import (
    CLAIMS,
    FILE_STATISTICS,
    IDENTITY_UNITS,
    PENDING_MARK,
    STATUS_ARITHMETIC,
    STATUS_CALIBRATED,
    STATUS_DIFFERS,
    STATUS_NA,
    STATUS_OTHER,
    STATUS_REPRODUCED,
    STATUS_TAKEN,
    STATUS_UNCALIBRATED,
    STATUSES,
    UNITS,
    explanations,
    is_participant_file,
    load,
    missing_input,
)
from sectorplannen.claims.inputs import reader_inputs
from sectorplannen.claims.rounding import format_step, matches
from sectorplannen.sources import categories as category_file
from sectorplannen.sources.register import register
from sectorplannen.statistics import bijlage
from sectorplannen.statistics.indicators import Indicators, NotComputable, TableIndicators
from sectorplannen.statistics.selection import validate

HOLDS = "_klopt"  # while a ledger is made: whether the computed value gives the printed number at its rounding


def evaluate(claim, indicators: Indicators, published_cohort: bool = True) -> dict:
    """One ledger row for a claim (a row of a claims file: a mapping of its columns)."""
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
        "invoer_ids": "",
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
            claim["category_id"],
            claim["plan"],
            claim["rank"] or None,
            table=claim["table"],
            row=claim["row"],
            column=claim["column"],
        )
    except NotComputable as exc:
        row["toelichting"] = "; ".join(part for part in (claim["note"], str(exc)) if part)
        return row
    provenance = getattr(indicators, "provenance", None)
    if claim["unit"] in IDENTITY_UNITS:
        row["berekend_waarde"] = value
        row["berekend"] = reader_name(claim["unit"], value)
        ok = value == claim["value"]
    else:
        scaled = value / UNITS[claim["unit"]]
        row["berekend_waarde"] = scaled
        step = float(claim["step"])
        qualifier = "" if reads_itself(claim, provenance, scaled) else claim["qualifier"]
        row["berekend"] = format_step(scaled, step, extra=1 if qualifier else 0)
        ok = matches(scaled, float(claim["value"]), step, qualifier)
    row[HOLDS] = bool(ok)
    if provenance:  # the reader's words for the page, the ids for tools and tests
        row["invoer"] = reader_inputs(provenance.inputs)
        row["invoer_ids"] = ", ".join(provenance.inputs)
    if not published_cohort:
        row["status"] = STATUS_OTHER
    elif not ok:
        row["status"] = STATUS_DIFFERS
    else:
        printed_number = claim["unit"] in IDENTITY_UNITS or matches(scaled, float(claim["value"]), step, "")
        row["status"] = evidence(claim, provenance, printed_number)
    return row


def reader_name(unit: str, value: str) -> str:
    """A plan or category id as the report names it (the id itself when it is unknown)."""

    if unit == "plan":
        try:
            return register().get(value).name
        except KeyError:
            return str(value)
    labels = {e["id"]: e["label"] for axis in category_file.categories().values() for e in axis}
    return labels.get(value, str(value))


def printed_in(claim: pd.Series) -> str | None:
    """The published table (``seed/id``) that prints the claim: the table it is a cell of, or the
    table whose caption or heading it is (a ``kop`` that begins with ``Tabel 3.3``)."""
    match = re.match(r"^Tabel\s+(\S+)$", str(claim["location"]).strip())
    if match is None and str(claim["location"]).strip() == "kop":
        match = re.match(r"^Tabel\s+([0-9A-Z]+\.[0-9]+)\b", str(claim["quote"]).strip())
        if match is None:  # the caption's second line ('waaronder voornamelijk jongeren'): the table it opens
            return _caption_of(claim["source"], _span(claim["line"]))
    return f"{claim['source']}/{match.group(1)}" if match else None


def _caption_of(source: str, lines: tuple[int, int]) -> str | None:
    """The printed table of ``source`` whose caption (the first of its lines) the lines are part of."""
    for resource in published.resources():  # in the package's order, each read once (not looked up by id)
        seed, table_id = resource["sectorplannen"]["seed"], resource["sectorplannen"]["table"]
        if seed != source or _TEXT_TABLE.search(f"/{table_id}"):
            continue
        first = resource["sectorplannen"]["lines"][0]
        if first <= lines[0] <= first + 2:
            return f"{seed}/{table_id}"
    return None


# Text lines around a claim that still count as its own passage: in 001 and 003 text lines are two
# lines apart, so three printed text lines before and after (a sentence that states the inputs
# and then, a line later, what follows from them: 003 r. 975-981).
PASSAGE = 6
_TEXT_TABLE = re.compile(r"/(.*\.)?t\d+$")  # a table transcribed from the running text: 8.t3, t1


def _span(lines: str) -> tuple[int, int]:
    first, _, last = str(lines).partition("-")
    return int(first), int(last or first)


def from_own_passage(claim: pd.Series, provenance) -> bool:
    """True when every input is a ``.t`` table of the claim's own text and every cell read is
    printed in the claim's passage: the value checks the sentence's own arithmetic."""
    own_text = [ref.startswith(f"{claim['source']}/") and _TEXT_TABLE.search(ref) for ref in provenance.inputs]
    if claim["location"] != "tekst" or not provenance.lines or not all(own_text):
        return False
    first, last = _span(claim["line"])
    return all(first - PASSAGE <= _span(lines)[0] and _span(lines)[1] <= last + PASSAGE for lines in provenance.lines)


def reads_itself(claim: pd.Series, provenance, value: float) -> bool:
    """True when the value is the claim's own printed number read back: the one cell read is of a
    table transcribed from the running text and holds the printed number. A transcription drops
    'ruim', 'bijna', 'circa' (the notes of each such table say so: 'ruim € 116 miljoen' is kept as
    116, wherever the text repeats it), so such a cell is compared with the printed number, not with
    what the qualifier says about a true value the transcription cannot know. (A cell with another
    number, such as the 90 procent behind 'de meeste', keeps the qualifier.)"""
    if provenance is None or provenance.cell is None or not _TEXT_TABLE.search(provenance.cell):
        return False
    return matches(value, float(claim["value"]), float(claim["step"]), "")


def evidence(claim: pd.Series, provenance, printed_number: bool = True) -> str:
    """What a matching computed value shows: a reproduction from other data, a check of the
    printing table's (or sentence's) own arithmetic, or a number that is itself an input.
    ``printed_number``: the value is the claim's printed number itself (not, say, the 55 procent
    behind 'ruim de helft')."""
    if provenance is None or not provenance.inputs:
        return STATUS_REPRODUCED
    if provenance.cell is not None:
        own_caption = claim["location"] == "kop" and printed_in(claim) == provenance.cell
        own_passage = not printed_number and from_own_passage(claim, provenance)
        if not (own_caption or own_passage):
            return STATUS_TAKEN  # one printed cell read back (a table of this report, or a .t table of its text)
    if printed_in(claim) in provenance.inputs or from_own_passage(claim, provenance):
        return STATUS_ARITHMETIC
    return STATUS_REPRODUCED


def indicators_for(tranche: str):
    """The statistics of a claim's tranche for the published selection ('alle': tables only)."""

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
    for claim in claims.to_dict("records"):  # a claim's fields by name: a dict reads them fifty times as fast as a row
        if claim["tranche"] not in cache:
            cache[claim["tranche"]] = indicators_for(claim["tranche"])
        own = claim["tranche"] == tranche
        rows.append(evaluate(claim, cache[claim["tranche"]], published_cohort or not own))
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    if synthetic:  # the synthetic file is calibrated to these claims: a match is no evidence either way
        participant = claims["statistic"].isin(FILE_STATISTICS).to_numpy()
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
    if not published_cohort and type(indicators) is Indicators:
        frame = beside_default(frame, claims, tranche)
    return frame.drop(columns=[HOLDS], errors="ignore")


def beside_default(frame: pd.DataFrame, claims: pd.DataFrame, tranche: str) -> pd.DataFrame:
    """A ledger of another selection of plans with, per own-tranche claim, the value for the
    published selection (``standaard``) and this run's difference from it (``verschil``), so a
    reviewer sees what the other choice changes, with whether the printed number holds at its
    rounding with the published selection (``standaard_status``, the status it has there) and with
    this one (``houdt_stand``: ja or nee; empty where this run computes nothing). Plan-level only: for
    participant data the difference between two selections would reveal the group left out."""
    default = indicators_for(tranche)
    own = (claims["tranche"] == tranche).to_numpy()
    standard, difference, standard_status = [], [], []
    holds = ["" if pd.isna(h) else ("ja" if h else "nee") for h in frame.get(HOLDS, pd.Series([None] * len(frame)))]
    for claim, row, is_own in zip(claims.to_dict("records"), frame.itertuples(index=False), own, strict=True):
        base = evaluate(claim, default) if is_own else None
        standard_status.append(base["status"] if base is not None else "")
        if base is None or base["berekend_waarde"] is None:
            standard.append("")
            difference.append("")
            continue
        standard.append(base["berekend"])
        if claim["unit"] in IDENTITY_UNITS or row.berekend_waarde is None:
            difference.append("" if row.berekend == base["berekend"] else "anders")
        else:
            step = float(claim["step"])
            change = float(row.berekend_waarde) - float(base["berekend_waarde"])
            extra = 0 if claim["unit"] in ("aantal", "euro", "duizend", "miljoen euro") else 1
            difference.append(("+" if change > 0 else "") + format_step(change, step, extra=extra))
    return frame.assign(standaard=standard, verschil=difference, standaard_status=standard_status, houdt_stand=holds)


def summary(frame: pd.DataFrame) -> dict[str, int]:
    """Counts per status."""
    counts = frame["status"].value_counts() if not frame.empty else pd.Series(dtype=int)
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def stale_explanations(ledgers: dict[str, pd.DataFrame]) -> list[str]:
    """Claim ids in ``verschillen*.yaml`` whose claim no longer differs (participant claims aside)."""
    differing = {c for frame in ledgers.values() for c in frame.loc[frame["status"] == STATUS_DIFFERS, "claim"]}
    participant = {
        c
        for name in (p.stem for p in sorted(CLAIMS.glob("*.csv")))
        if is_participant_file(name)
        for c in load(name)["id"]
    }
    return sorted(set(explanations()) - differing - participant)


def plan_level(chapter_file: str) -> pd.DataFrame:
    """The ledger of the claims of a participant chapter that need no participant data (a plan's
    share of Tabel A.8, the plans of Tabel A.13, ...), for the published selection: what ``make
    verify`` can check without a participant file."""
    claims = load(chapter_file)
    frame = ledger(chapter_file)
    keep = ~claims["statistic"].isin(FILE_STATISTICS).to_numpy()
    return frame[keep].reset_index(drop=True)


def not_computable(frames: list[pd.DataFrame]) -> dict[str, int]:
    """The claims that are *niet berekenbaar*, counted by the input their note names as absent
    (``Ontbreekt: ...``), 'nog te berekenen' for those the data determine but that are not computed
    yet, and 'zonder ontbrekende invoer' for a note that names neither (a breach of the rule)."""
    counts: dict[str, int] = {}
    for frame in frames:
        for note in frame.loc[frame["status"] == STATUS_NA, "toelichting"]:
            key = missing_input(note) or ("nog te berekenen" if PENDING_MARK in note else "zonder ontbrekende invoer")
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def statistic_value(indicators, statistic: str, **cohort) -> float:
    """One statistic as the ledger computes it, NaN where the data cannot give it (the chapter
    tables show the same value the ledger checks)."""
    try:
        return indicators.compute(statistic, **cohort)
    except NotComputable:
        return float("nan")
