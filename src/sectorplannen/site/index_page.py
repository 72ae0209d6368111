"""The start page: the chapters in reading order, each with its variants under it (named by what they
change, with what that does to the report's numbers) and its ledger in short."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sectorplannen import claims, datakind
from sectorplannen.chapters.registry import CHAPTERS, chapter_label
from sectorplannen.notation import getal
from sectorplannen.site import run_words, variants
from sectorplannen.site.claims_page import Claim
from sectorplannen.site.pages import SECTIONS, Page, default_of


def _ledger_words(statuses: list[str]) -> tuple[str, str]:
    """('315 gereproduceerd', ' van 1.398; 392 niet berekenbaar, ...') for the statuses of a run's ledger."""
    if not statuses:
        return "", ""
    counts = Counter(statuses)
    order = [s for s in claims.STATUSES if s in counts] + sorted(s for s in counts if s not in claims.STATUSES)
    rest = ", ".join(f"{getal(counts[s])} {s}" for s in order if s != claims.STATUS_REPRODUCED)
    strong = f"{getal(counts.get(claims.STATUS_REPRODUCED, 0))} gereproduceerd"
    return strong, f" van {getal(len(statuses))}" + (f"; {rest}" if rest else "")


def _variant_words(page: Page, statuses: list[str], ledger_dir: Path, default: Page | None) -> tuple[str, str]:
    """What a variant does to the report's numbers, in words."""
    comparison = variants.context(page, ledger_dir / f"{page.name}.csv", default, None)
    counts = comparison["counts"]
    if comparison["beside_default"]:
        return "", (
            f"{getal(counts['kept'])} van de {getal(counts['holding'])} kloppende getallen houden stand, "
            f"{getal(counts['broken'])} vallen weg"
        )
    return _ledger_words(statuses)


def _row(
    kind: str = "",
    text: str = "",
    href: str = "",
    page: Page | None = None,
    variant: bool = False,
    words: tuple[str, str] = ("", ""),
) -> dict:
    """One row of the index: what the template shows of a chapter, a variant or a chapter not built."""
    return {
        "kind": kind,
        "text": text,
        "href": href,
        "variant": variant,
        "synthetic": page is not None and page.data_kind == datakind.SYNTHETIC,
        "data": run_words.data_words(page.data_kind, page.parameters) if page else "",
        "strong": words[0],
        "rest": words[1],
    }


def rows(pages: list[Page], claims_: list[Claim], ledger_dir: Path) -> list[dict]:
    """The rows of the index: per chapter number (sections in order) its page, then its variants, each
    with its ledger in short (from ``claims_``, every run's ledger as the site read it)."""
    numbers = sorted({c.number for c in CHAPTERS} | {p.number for p in pages})
    titles = {c.number: c.title for c in CHAPTERS}
    statuses = {p.name: [c.status for c in claims_ if c.page is p] for p in pages}
    out = []
    for section in SECTIONS:
        for number in numbers:
            head = next((p for p in pages if p.number == number and not p.variant), None)
            variants_ = [p for p in pages if p.number == number and p.variant]
            probe = head or (variants_[0] if variants_ else None)
            if probe is None or probe.section != section:
                continue
            kind = chapter_label(section, number)
            if head is None:
                out.append(_row(kind, f"{titles.get(number, probe.title)} (niet gebouwd)"))
            else:
                out.append(_row(kind, head.title, head.href, head, words=_ledger_words(statuses[head.name])))
            default = default_of(probe, pages)
            tranche = str(default.parameters.get("tranche", "")) if default else None
            for page in variants_:
                text = "variant: " + run_words.describe(page.parameters, page.notebook, datakind.PUBLISHED, tranche)
                words = _variant_words(page, statuses[page.name], ledger_dir, default)
                out.append(_row("", text, page.href, page, variant=True, words=words))
    return out
