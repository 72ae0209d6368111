"""What a variant changes, for its page: per number of the report the value with the published
selection, with this run and the difference, whether the printed statement still holds, and a summary
in words of the conclusions that fall away.

The values come from the variant's ledger (``outputs/ledger/<run>.csv``), which computes each claim
for this run and for the published selection (:func:`sectorplannen.claims.evaluation.beside_default`):
the numbers shown are the numbers the ledger checked. Participant runs have no such comparison (the
difference between two selections of participants would reveal the group left out)."""

from __future__ import annotations

from sectorplannen import datakind
from sectorplannen.claims import STATUS_ARITHMETIC, STATUS_REPRODUCED, STATUS_TAKEN
from sectorplannen.notation import getal
from sectorplannen.site import run_words
from sectorplannen.site.claims_page import place, read_ledger, status_class
from sectorplannen.site.pages import Page

HOLDING = (STATUS_REPRODUCED, STATUS_ARITHMETIC, STATUS_TAKEN)  # the printed number holds at its rounding
CLAIMS_HEADING = "Getallen van deze variant naast de gepubliceerde selectie"
HOLDS_WORDS = {"ja": "ja", "nee": "nee, valt weg", "": ""}


def anchor(claim_id: str) -> str:
    return f"variant-{claim_id}"


def _row(row: dict) -> dict:
    holds = row.get("houdt_stand", "")
    default_holds = row.get("standaard_status", "") in HOLDING
    return {
        "id": row["claim"],
        "anchor": anchor(row["claim"]),
        "place": place(row),
        "quote": row.get("tekst", ""),
        "published": row.get("gepubliceerd", ""),
        "default": row.get("standaard", ""),
        "value": row.get("berekend", ""),
        "difference": row.get("verschil", ""),
        "holds": HOLDS_WORDS.get(holds, holds) if default_holds else ("" if not holds else "klopte al niet"),
        "breaks": default_holds and holds == "nee",
        "kept": default_holds and holds == "ja",
        "unchanged": default_holds and holds == "ja" and row.get("berekend", "") == row.get("standaard", ""),
        "default_holds": default_holds,
        "explanation": row.get("toelichting", ""),
        "css": "site-differs" if default_holds and holds == "nee" else status_class(row.get("status", "")),
    }


def context(page: Page, ledger_path, default: Page | None, compare_href: str | None) -> dict:
    """The variant part of ``page``: its settings in words, the summary, the conclusions that fall
    away and every number beside the published selection."""
    tranche = str(default.parameters.get("tranche", "")) if default else None
    words = run_words.describe(page.parameters, page.notebook, page.data_kind, tranche)
    rows = [_row(r) for r in read_ledger(ledger_path)]
    beside = any(r["default"] for r in rows)
    holding = [r for r in rows if r["default_holds"]]
    broken = [r for r in rows if r["breaks"]]
    kept = [r for r in holding if r["kept"]]
    unchanged = [r for r in holding if r["unchanged"]]
    open_ = len(holding) - len(kept) - len(broken)  # this run computes nothing for them
    phrase = words[0].upper() + words[1:]
    if beside:
        moved = len(holding) - len(unchanged)
        summary = [
            f"{phrase}: van de {getal(len(holding))} gedrukte getallen die met de gepubliceerde selectie van "
            f"plannen kloppen, houden er {getal(len(kept))} stand en vallen er {getal(len(broken))} weg"
            + (f"; {getal(open_)} zijn in deze variant niet te berekenen." if open_ else ".")
            + f" {getal(len(unchanged))} ervan veranderen niet door deze keuze (ze hangen niet af van de plannen"
            f" die meetellen); van de {getal(moved)} die wel veranderen, houden er {getal(len(kept) - len(unchanged))}"
            " stand op de afronding van het rapport.",
        ]
        if broken:
            shown = ", ".join(f"{r['place']} ({r['published']})" for r in broken[:8])
            summary.append(
                f"Deze conclusies vallen weg: {shown}"
                + (f" en nog {getal(len(broken) - 8)} andere" if len(broken) > 8 else "")
                + "."
            )
        claims_sentence = (
            "Per getal uit het rapport: het gedrukte getal, de herberekening met de gepubliceerde selectie van "
            "plannen, de herberekening in deze variant, het verschil en of het gedrukte getal (op zijn "
            "afronding) in deze variant nog klopt."
        )
    else:
        summary = [
            f"{phrase}. Deze variant is niet naast de gepubliceerde selectie gezet: bij deelnemersgegevens zou het "
            "verschil tussen twee selecties de weggelaten groep onthullen."
            if page.data_kind != datakind.PUBLISHED
            else f"{phrase}."
        ]
        claims_sentence = "Per getal uit het rapport: het gedrukte getal en de herberekening in deze variant."
    return {
        "heading": f"Variant: {words}",
        "claims_heading": CLAIMS_HEADING,
        "summary": summary,
        "broken": broken,
        "rows": rows,
        "beside_default": beside,
        "claims_sentence": claims_sentence,
        "compare_href": compare_href,
        "counts": {"holding": len(holding), "kept": len(kept), "broken": len(broken)},
    }
