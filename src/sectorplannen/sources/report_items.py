"""Every table and figure of the final evaluation (``data/claims/tabellen_figuren.yaml``): its number, its
printed caption and where the project reproduces it, so the chapters' captions, the page "Tabellen en
figuren" and the README's list are one list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from sectorplannen import paths, yamlfile
from sectorplannen.errors import DataFileError

ITEMS_FILE = paths.DATA / "claims" / "tabellen_figuren.yaml"
# What became of a table or figure of the report (its own vocabulary, not a claim's status).
SHOWN, INPUT, NOT_SHOWN = "gereproduceerd", "invoer", "niet gereproduceerd"
STATUSES = (SHOWN, INPUT, NOT_SHOWN)
NOTEBOOKS = ("inhoud", "uitvoering", "arbeidsmarktpositie", "vormgeving", "kerncijfers")
_ID = re.compile(r"^(Tabel|Figuur) ((?:\d+|[AS])\.\d+)$")


@dataclass(frozen=True)
class Item:
    """One table or figure of the report and where the project shows it (or why not)."""

    id: str  # 'Figuur 3.2'
    lines: tuple[int, int]  # the caption's first and last line in the seed
    title: str  # the caption as printed, without its number
    notebook: str
    tranche: str  # the tranche group of the page ('1-2', '3'), '' for a chapter without one
    status: str
    reason: str = ""
    anchor: str = ""

    @property
    def kind(self) -> str:
        return self.id.split()[0]

    @property
    def number(self) -> str:
        return self.id.split()[1]

    @property
    def chapter(self) -> str:
        """The report's chapter ('3', '10') or 'A' (Bijlage A) or 'S' (the summary)."""
        return self.number.split(".")[0]

    @property
    def caption(self) -> str:
        """The caption a chapter page gives it: 'Figuur 3.2 (rapport): <the report's title>'."""
        return f"{self.id} (rapport): {self.title}"

    @property
    def target(self) -> str:
        """The id on the page where it is: a figure's own anchor, a table's heading."""
        return anchor(self.id) if self.kind == "Figuur" else self.anchor  # a figure not reproduced: the reason


def anchor(item_id: str) -> str:
    """The anchor of a figure on its chapter page: 'Figuur 3.2' -> 'figuur-3-2'."""
    return item_id.lower().replace(" ", "-").replace(".", "-")


def _problem(where: str, what: str) -> DataFileError:
    return DataFileError(f"{ITEMS_FILE.name}, {where}: {what}; correct the entry in data/claims/{ITEMS_FILE.name}")


def parse(entries) -> tuple[Item, ...]:
    """The list checked: every entry a known number, caption lines, a title, a known notebook and status,
    a reason for what is not shown, no number twice."""
    if not isinstance(entries, list):
        raise _problem("the file", "expected a list of entries")
    items, seen = [], set()
    for place, entry in enumerate(entries, start=1):
        where = f"entry {place}"
        if not isinstance(entry, dict):
            raise _problem(where, "expected a mapping with id, lines, title, notebook and status")
        ident = str(entry.get("id", ""))
        if not _ID.match(ident):
            raise _problem(where, f"id must be 'Tabel X.Y' or 'Figuur X.Y', not {ident!r}")
        where = f"{ident}"
        if ident in seen:
            raise _problem(where, "listed twice")
        seen.add(ident)
        lines = entry.get("lines")
        if not (isinstance(lines, list) and len(lines) == 2 and all(isinstance(n, int) for n in lines)):
            raise _problem(where, f"lines must be [first, last] line numbers, not {lines!r}")
        if not str(entry.get("title", "")).strip():
            raise _problem(where, "title is empty")
        if entry.get("notebook") not in NOTEBOOKS:
            raise _problem(where, f"notebook must be one of {', '.join(NOTEBOOKS)}, not {entry.get('notebook')!r}")
        if entry.get("status") not in STATUSES:
            raise _problem(where, f"status must be one of {', '.join(STATUSES)}, not {entry.get('status')!r}")
        if entry["status"] != SHOWN and not str(entry.get("reason", "")).strip():
            raise _problem(where, f"a {entry['status']!r} entry needs a reason")
        if ident.startswith("Tabel") and entry["status"] == SHOWN and not entry.get("anchor"):
            raise _problem(where, "a reproduced table needs the anchor of the heading it is shown under")
        items.append(
            Item(
                ident,
                (lines[0], lines[1]),
                str(entry["title"]).strip(),
                entry["notebook"],
                str(entry.get("tranche", "")),
                entry["status"],
                str(entry.get("reason", "")).strip(),
                str(entry.get("anchor", "")),
            )
        )
    return tuple(items)


@lru_cache(maxsize=2)
def items(path: Path | str | None = None) -> tuple[Item, ...]:
    """Every table and figure of the report, in the order the report prints them."""
    path = Path(path or ITEMS_FILE)
    try:
        entries = yamlfile.read(path)
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path.name} is not valid YAML ({' '.join(str(exc).split())[:200]})") from None
    return parse(entries)


def item(item_id: str) -> Item:
    """One table or figure by its number ('Figuur 3.2'); an unknown number is a bug of the caller."""
    for candidate in items():
        if candidate.id == item_id:
            return candidate
    raise KeyError(f"{item_id!r} is not in {ITEMS_FILE.name}")


def on_page(notebook: str, tranche_group: str = "") -> list[Item]:
    """The figures a chapter page shows or accounts for (in the report's order)."""
    return [i for i in items() if i.kind == "Figuur" and i.notebook == notebook and i.tranche == tranche_group]
