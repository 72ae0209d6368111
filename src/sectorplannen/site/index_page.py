"""The start page: the chapters in reading order, each with its variants under it (named by what they
change, with what that does to the report's numbers) and its ledger in short."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sectorplannen import claims
from sectorplannen.chapters.registry import CHAPTERS
from sectorplannen.notation import getal
from sectorplannen.site import run_words, variants
from sectorplannen.site.claims_page import read_ledger
from sectorplannen.site.pages import SECTIONS, Page, default_of


def _ledger_words(rows: list[dict]) -> tuple[str, str]:
    """('315 gereproduceerd', ' van 1.398; 392 niet berekenbaar, ...') for a chapter's ledger."""
    if not rows:
        return "", ""
    counts = Counter(r.get("status", "") for r in rows)
    order = [s for s in claims.STATUSES if s in counts] + sorted(s for s in counts if s not in claims.STATUSES)
    rest = ", ".join(f"{getal(counts[s])} {s}" for s in order if s != claims.STATUS_REPRODUCED)
    strong = f"{getal(counts.get(claims.STATUS_REPRODUCED, 0))} gereproduceerd"
    return strong, f" van {getal(len(rows))}" + (f"; {rest}" if rest else "")


def _variant_words(page: Page, ledger_dir: Path, default: Page | None) -> tuple[str, str]:
    """What a variant does to the report's numbers, in words."""
    comparison = variants.context(page, ledger_dir / f"{page.name}.csv", default, None)
    counts = comparison["counts"]
    if comparison["beside_default"]:
        return "", (
            f"{getal(counts['kept'])} van de {getal(counts['holding'])} kloppende getallen houden stand, "
            f"{getal(counts['broken'])} vallen weg"
        )
    return _ledger_words(read_ledger(ledger_dir / f"{page.name}.csv"))


def rows(pages: list[Page], ledger_dir: Path) -> list[dict]:
    """The rows of the index: per chapter number (sections in order) its page, then its variants."""
    numbers = sorted({c.number for c in CHAPTERS} | {p.number for p in pages})
    titles = {c.number: c.title for c in CHAPTERS}
    out = []
    for section in SECTIONS:
        for number in numbers:
            head = next((p for p in pages if p.number == number and not p.variant), None)
            variants_ = [p for p in pages if p.number == number and p.variant]
            probe = head or (variants_[0] if variants_ else None)
            if probe is None or probe.section != section:
                continue
            kind = f"Hoofdstuk {number}" if section == "Rapport" else section
            if head is None:
                out.append(
                    {
                        "kind": kind,
                        "text": f"{titles.get(number, probe.title)} (niet gebouwd)",
                        "href": "",
                        "synthetic": False,
                        "data": "",
                        "strong": "",
                        "rest": "",
                        "variant": False,
                    }
                )
            else:
                strong, rest = _ledger_words(read_ledger(ledger_dir / f"{head.name}.csv"))
                out.append(
                    {
                        "kind": kind,
                        "text": head.title,
                        "href": head.href,
                        "synthetic": head.data_kind == "synthetic",
                        "data": run_words.data_words(head.data_kind, head.parameters),
                        "strong": strong,
                        "rest": rest,
                        "variant": False,
                    }
                )
            default = default_of(probe, pages)
            for page in variants_:
                tranche = str(default.parameters.get("tranche", "")) if default else None
                strong, rest = _variant_words(page, ledger_dir, default)
                out.append(
                    {
                        "kind": "",
                        "href": page.href,
                        "variant": True,
                        "text": "variant: " + run_words.describe(page.parameters, page.notebook, "published", tranche),
                        "synthetic": page.data_kind == "synthetic",
                        "data": run_words.data_words(page.data_kind, page.parameters),
                        "strong": strong,
                        "rest": rest,
                    }
                )
    return out
