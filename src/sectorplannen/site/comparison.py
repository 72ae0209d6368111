"""Two runs of one chapter side by side: every number of the report whose value, or whether it holds,
differs between them, and every table cell that differs, as the reader saw them.

The numbers come from the two ledgers, the cells from the tables the two notebooks showed (each house-
style table carries its cells as data, :mod:`sectorplannen.render.outputs`): what is compared is what
each page shows. ``make compare A=<run> B=<run>`` asks for a comparison; the site renders every one
asked for, and one of each variant with its chapter as ``make report`` builds it, anew at each build.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sectorplannen.claims import STATUS_DIFFERS
from sectorplannen.errors import ParameterError
from sectorplannen.notation import getal
from sectorplannen.pipeline.files import write_atomic
from sectorplannen.site import run_words
from sectorplannen.site.claims_page import place, read_ledger
from sectorplannen.site.pages import Page
from sectorplannen.site.variants import HOLDING

REQUESTS = "vergelijkingen.json"  # in outputs/.build: the comparisons asked for with make compare
_NUMBER = re.compile(r"^(?:€\s*)?(-?\d{1,3}(?:\.\d{3})*|-?\d+)(?:,(\d+))?\s*(%|procent|mln|miljoen)?$")


def href(a: Page, b: Page) -> str:
    return f"vergelijking_{a.name}__{b.name}.html"


def number(text: str) -> tuple[float, int] | None:
    """A number as the report and the pages print it (296.145; 58,4; € 64; 12%), with its decimals."""
    match = _NUMBER.match(str(text).strip())
    if not match:
        return None
    whole, decimals = match.group(1).replace(".", ""), match.group(2) or ""
    return float(f"{whole}.{decimals}" if decimals else whole), len(decimals)


def difference(a: str, b: str) -> str:
    """B − A in Dutch notation when both are numbers, at the finer of their two precisions; else ''."""
    x, y = number(a), number(b)
    if x is None or y is None:
        return ""
    places = max(x[1], y[1])
    change = round(y[0] - x[0], places)
    return ("+" if change > 0 else "") + getal(change, places)


def _holds(row: dict) -> str:
    """Whether the printed number holds in a run: from the run's own comparison, else its status."""
    if row.get("houdt_stand"):
        return row["houdt_stand"]
    if row.get("status") in HOLDING:
        return "ja"
    return "nee" if row.get("status") == STATUS_DIFFERS else ""


def claims(ledger_a: list[dict], ledger_b: list[dict]) -> list[dict]:
    """The numbers whose computed value or whose holding differs between the two runs."""
    by_id = {row["claim"]: row for row in ledger_b}
    out = []
    for row in ledger_a:
        other = by_id.get(row["claim"])
        if other is None:
            continue
        a, b = row.get("berekend", ""), other.get("berekend", "")
        holds_a, holds_b = _holds(row), _holds(other)
        if a == b and holds_a == holds_b:
            continue
        out.append(
            {
                "anchor": f"getal-{row['claim']}",
                "place": place(row),
                "quote": row.get("tekst", ""),
                "published": row.get("gepubliceerd", ""),
                "a": a or "niet berekend",
                "b": b or "niet berekend",
                "difference": difference(a, b) or ("anders" if a != b else ""),
                "holds_a": holds_a,
                "holds_b": holds_b,
            }
        )
    return out


def _by_label(table: dict) -> dict[tuple[str, str], str]:
    """A table's cells by (row label, column label): index cells joined, header rows joined."""
    levels = int(table.get("index_levels", 1))
    head, rows = table.get("head", []), table.get("rows", [])
    width = max((len(r) for r in rows), default=levels) - levels
    columns = [
        " / ".join(h[levels + j] for h in head if levels + j < len(h) and h[levels + j]) or f"kolom {j + 1}"
        for j in range(width)
    ]
    return {
        (" / ".join(row[:levels]), column): row[levels + j]
        for row in rows
        for j, column in enumerate(columns)
        if levels + j < len(row)
    }


def cells(a: dict, b: dict) -> list[dict]:
    """Every cell of two versions of one table that differs, by row and column label."""
    value_a, value_b = _by_label(a), _by_label(b)
    order = list(dict.fromkeys([*value_a, *value_b]))
    out = []
    for key in order:
        x, y = value_a.get(key), value_b.get(key)
        if x == y:
            continue
        out.append(
            {
                "row": key[0],
                "column": key[1],
                "a": "(geen rij)" if x is None else x,
                "b": "(geen rij)" if y is None else y,
                "difference": difference(x or "", y or ""),
            }
        )
    return out


def _pair_tables(tables_a: list[dict], tables_b: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """The tables of the two runs paired: by caption, else by position when both show as many."""
    captions_b = {t["caption"]: t for t in tables_b}
    if all(t["caption"] in captions_b for t in tables_a) or len(tables_a) != len(tables_b):
        pairs = [(t, captions_b.get(t["caption"])) for t in tables_a]
        seen = {t["caption"] for t in tables_a}
        return pairs + [(None, t) for t in tables_b if t["caption"] not in seen]
    return list(zip(tables_a, tables_b, strict=True))


def tables(tables_a: list[dict], tables_b: list[dict]) -> list[dict]:
    """The tables that differ, each with its differing cells (or a note when one run lacks it)."""
    out = []
    for i, (a, b) in enumerate(_pair_tables(tables_a, tables_b)):
        caption = (a or b)["caption"]
        if a is None or b is None:
            note = f"Deze tabel staat alleen in {'B' if a is None else 'A'}."
            out.append({"anchor": f"tabel-{i + 1}", "caption": caption, "note": note, "cells": []})
            continue
        changed = cells(a, b)
        if changed:
            note = "" if a["caption"] == b["caption"] else f"In B: {b['caption']}"
            out.append({"anchor": f"tabel-{i + 1}", "caption": caption, "note": note, "cells": changed})
    return out


def _run_words(page: Page, default: Page | None) -> str:
    if not page.variant:
        return f"{page.heading} (zoals het rapport het berekent)"
    tranche = str(default.parameters.get("tranche", "")) if default else None
    return f"{page.heading}, variant: {run_words.describe(page.parameters, page.notebook, page.data_kind, tranche)}"


def context(a: Page, b: Page, parts_a: dict, parts_b: dict, ledger_dir: Path, default: Page | None) -> dict:
    """What the comparison page of runs ``a`` and ``b`` shows."""
    numbers = claims(read_ledger(ledger_dir / f"{a.name}.csv"), read_ledger(ledger_dir / f"{b.name}.csv"))
    differing = tables(parts_a.get("tables", []), parts_b.get("tables", []))
    n_cells = sum(len(t["cells"]) for t in differing)
    return {
        "heading": f"Vergelijking van twee berekeningen van {a.label.lower()}",
        "a": {"href": a.href, "text": _run_words(a, default)},
        "b": {"href": b.href, "text": _run_words(b, default)},
        "summary": [
            f"{getal(len(numbers))} getallen uit het rapport krijgen in B een andere waarde of houden anders stand "
            f"dan in A; {getal(n_cells)} tabelcellen in {getal(len(differing))} tabellen verschillen."
        ],
        "claims": numbers,
        "tables": differing,
    }


def requested(build_dir: Path) -> list[tuple[str, str]]:
    """The comparisons asked for with ``make compare`` (run names), in the order asked."""
    try:
        pairs = json.loads((build_dir / REQUESTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [(str(a), str(b)) for a, b in pairs if isinstance(a, str) and isinstance(b, str)]


def request(build_dir: Path, pages: list[Page], a: str, b: str) -> tuple[Page, Page]:
    """Record that runs ``a`` and ``b`` (names of built runs, as their pages are named) are to be
    compared; a run that is not built, or two runs of different chapters, is one clear line."""
    by_name = {p.name: p for p in pages}
    found = []
    for label, name in (("A", a), ("B", b)):
        name = Path(name.strip()).name.removesuffix(".html")
        if name not in by_name:
            known = ", ".join(sorted(by_name)) or "none (run make report first)"
            raise ParameterError(
                f"{label}={name!r} is no built run: give the name of a page in outputs/report/, one of {known}"
            )
        found.append(by_name[name])
    if found[0].number != found[1].number:
        raise ParameterError(
            f"A={found[0].name} and B={found[1].name} are runs of different chapters ({found[0].label}, "
            f"{found[1].label}): compare two runs of one chapter"
        )
    pairs = [p for p in requested(build_dir) if p != (found[0].name, found[1].name)]
    write_atomic(build_dir / REQUESTS, json.dumps([*pairs, [found[0].name, found[1].name]]))
    return found[0], found[1]
