"""What a chapter page shows (on the site and in print), from the cells the build rendered and its records:
the cells before and after the ledger, the ledger in short, for a variant what it changes, the provenance."""

from __future__ import annotations

import json
from pathlib import Path

from sectorplannen import datakind
from sectorplannen.pipeline import exporter
from sectorplannen.site import claims_page, comparison, layout, pages, templating, variants
from sectorplannen.site.pages import Page


def footer(prov: dict | None) -> dict | None:
    """The provenance of a run as the footer shows it."""
    if not prov:
        return None
    git = prov.get("git", {})
    commit = str(git.get("commit", "onbekend"))[:12] + (
        " (met niet-vastgelegde wijzigingen)" if git.get("dirty") else ""
    )
    return {
        "commit": commit,
        "parameters": json.dumps(prov.get("parameters", {}), ensure_ascii=False, sort_keys=True),
        "data": datakind.LABELS.get(prov.get("data_kind"), str(prov.get("data_kind", ""))),
        "packages": ", ".join(f"{k} {v}" for k, v in prov.get("packages", {}).items()),
        "inputs": [(k, str(v)[:16]) for k, v in prov.get("inputs", {}).items()],
    }


def rendered_parts(report_dir: Path, every: list[Page]) -> dict[str, dict]:
    """The cells the build rendered of each run that has them (a run without is not shown)."""
    found = {p.name: exporter.read_parts(pages.parts_dir(report_dir) / f"{p.name}.json") for p in every}
    return {name: parts for name, parts in found.items() if parts is not None}


def context(page: Page, parts: dict, every: list[Page], claims: list, ledger_dir: Path) -> dict:
    """The content of one chapter page (or variant) and its own contents (``headings``)."""
    default = pages.default_of(page, every) if page.variant else None
    ledger = None
    if parts.get("ledger") and any(c.page is page for c in claims):
        ledger = claims_page.ledger_context(page, claims, own_table="variant-getallen" if page.variant else None)
    variant = None
    if page.variant:
        compare = comparison.href(default, page) if default else None
        variant = variants.context(page, ledger_dir / f"{page.name}.csv", default, compare)
        headings = layout.contents(
            (2, "variant-kop", variant["heading"]),
            parts["before"],
            (2, "variant-getallen", variants.CLAIMS_HEADING),
            parts["after"],
        )
    else:
        headings = layout.contents(parts["before"], parts["after"])
    return {
        "cells_before": templating.cells(parts["before"]),
        "cells_after": templating.cells(parts["after"]),
        "ledger": ledger,
        "variant": variant,
        "provenance": footer(parts.get("provenance")),
        "headings": headings,
        "position": (default or page).href,
    }
