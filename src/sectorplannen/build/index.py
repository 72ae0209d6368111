"""``index.html``: the chapters in report order with their variants and ledger summaries."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sectorplannen import claims, paths
from sectorplannen.build import csp, provenance
from sectorplannen.build.files import write_atomic
from sectorplannen.chapters import registry
from sectorplannen.chapters.registry import CHAPTERS, Chapter, _normal, data_kind
from sectorplannen.sources.register import register


def write_index(chapters: list[Chapter], report_dir: Path) -> Path:
    """``index.html``: the chapters in report order, each with its variants under it (named by their
    parameters and data) and its ledger summary. Lists every run whose HTML exists: from the build
    manifests (so variants of earlier runs stay listed) and from ``chapters``."""
    entries = _index_entries(chapters, report_dir)
    rows = []
    for number in sorted({c.number for c in CHAPTERS} | {e.number for e in entries.values()}):
        base = next((c for c in CHAPTERS if c.number == number), None)
        variants = sorted(
            (e for e in entries.values() if e.number == number and (base is None or e.name != base.name)),
            key=lambda e: e.name,
        )
        head = entries.get(base.name) if base else None
        if head is None and not variants:
            continue
        rows.append(_head_row(number, base.title if base else variants[0].title, head))
        rows += [_variant_row(entry, base) for entry in variants]
    page = (
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
        + csp.META
        + "<title>Evaluatie sectorplannen: reproductie</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:4px 10px;"
        "text-align:left;vertical-align:top}tr:nth-child(even){background:#f4f6f8}"
        "tr.variant td:nth-child(2){padding-left:2em}"
        ".synthetisch{background:#fde68a;color:#7c2d12;border-radius:3px;padding:0 6px;margin-left:6px;"
        "font-size:0.8em;font-weight:bold}</style></head><body>"
        "<h1>Eindevaluatie Regeling cofinanciering sectorplannen: reproductie</h1>"
        "<p>Elk hoofdstuk is opnieuw berekend uit de gepubliceerde tabellen. Het grootboek per hoofdstuk "
        "zegt per gepubliceerd getal wat er mee gedaan is. Alleen <em>gereproduceerd</em> telt als bewijs: "
        "het getal is opnieuw berekend uit andere gegevens dan het gedrukte getal zelf (de tabellen per plan "
        "van Bijlage A, het plannenregister, een andere tabel of bron). <em>Nagerekend (zelfde tabel)</em> "
        "toetst alleen het rekenwerk van de tabel die het getal drukt; <em>overgenomen</em> getallen zijn "
        "zelf de gegevens; <em>gekalibreerd (synthetisch)</em> getallen komen uit het synthetische "
        "deelnemersbestand, dat erop is gekalibreerd, en zeggen niets over het rapport. Afwijkingen staan "
        "met hun toelichting in het grootboek. De contexthoofdstukken gebruiken de voortgangsbrieven, de "
        "tussenevaluatie van DWSRA en de brief over het steunpakket van 2020.</p>"
        '<p>Hoofdstukken met het label <span class="synthetisch">synthetisch</span> zijn berekend uit '
        "synthetische deelnemersgegevens (geen echte personen). Varianten, berekend met andere parameters "
        "of andere gegevens, staan onder hun hoofdstuk.</p>"
        "<table><tr><th>Hoofdstuk</th><th>Titel</th><th>Gegevens</th><th>Grootboek</th></tr>"
        + "".join(rows)
        + "</table></body></html>\n"
    )
    path = report_dir / "index.html"
    write_atomic(path, page)
    return path


@dataclass(frozen=True)
class _IndexEntry:
    """What the index shows of one built run (never the path of a participant extract)."""

    name: str
    notebook: str
    number: int
    title: str
    parameters: dict
    data_kind: str


def index_fields(chapter: Chapter) -> dict:
    """What the manifest records for the index."""
    return {
        "name": chapter.name,
        "notebook": chapter.notebook,
        "number": chapter.number,
        "title": chapter.title,
        "parameters": provenance.public_parameters(chapter.parameters, data_kind(chapter)),
        "data_kind": data_kind(chapter),
    }


def _index_entries(chapters: list[Chapter], report_dir: Path) -> dict[str, _IndexEntry]:
    """Every run with HTML in ``report_dir``: from its manifest, else from ``chapters``."""
    entries = {}
    for manifest in sorted((paths.OUTPUTS / ".build").glob("*.json")):
        if not (report_dir / f"{manifest.stem}.html").exists():
            continue
        try:
            record = json.loads(manifest.read_text(encoding="utf-8"))
            entries[manifest.stem] = _IndexEntry(
                manifest.stem, *(record[key] for key in ("notebook", "number", "title", "parameters", "data_kind"))
            )
        except (OSError, ValueError, KeyError):  # a manifest from before the index fields: use `chapters`
            continue
    for chapter in chapters:
        if chapter.name not in entries and (report_dir / f"{chapter.name}.html").exists():
            fields = index_fields(chapter)
            entries[chapter.name] = _IndexEntry(**fields)
    return entries


DATA_KIND_WORDS = {
    "published": "gepubliceerde tabellen",
    "synthetic": "synthetische deelnemersgegevens",
    "extract": "echt deelnemersbestand",
}


def _data_words(entry: _IndexEntry) -> str:
    """'synthetische deelnemersgegevens', 'echt deelnemersbestand (extract-1a2b3c4d)'."""
    words = DATA_KIND_WORDS.get(entry.data_kind, entry.data_kind)
    if entry.data_kind == "extract":
        words += f" ({entry.parameters.get('data_source', 'extract')})"
    return words


def _parameter_words(key: str, value) -> str:
    """One parameter as a Dutch reader reads it: 'zonder Transport (t3)', 'peildatum 2018'."""
    if key == "exclude_plans":
        names = []
        for plan_id in value if isinstance(value, list | tuple) else [value]:
            try:
                names.append(register().get(plan_id).name)
            except KeyError:
                names.append(str(plan_id))
        return "zonder " + ", ".join(names)
    words = {
        "tranche": f"tranche {value}",
        "peildatum": f"peildatum {value}",
        "min_cell_size": f"minimale celgrootte {value}",
        "top_n": f"top {value} plannen",
        "show_sources": "met bronnen" if value else "zonder bronnen",
    }
    return words.get(key, f"{key} = {value}")


def _variant_words(parameters: dict, base: Chapter | None, notebook: str) -> list[str]:
    """How a variant differs from its chapter, in words (the data source is named separately)."""
    defaults = registry.entry(notebook).defaults
    order = ("tranche", "exclude_plans", "peildatum", "min_cell_size", "top_n")
    words = []
    for key in sorted(parameters, key=lambda k: (order.index(k) if k in order else len(order), k)):
        value = parameters[key]
        if key == "data_source":
            continue
        if key == "tranche":
            if str(value) != str((base.parameters if base else {}).get("tranche", "1-2")):
                words.append(_parameter_words(key, value))
        elif key not in defaults or _normal(value) != _normal(defaults[key]):
            words.append(_parameter_words(key, value))
    return words


def _ledger_summary(name: str) -> str:

    ledger = paths.ledger(name)
    if not ledger.exists():
        return ""

    counts = pd.read_csv(ledger)["status"].value_counts()
    order = [s for s in claims.STATUSES if s in counts.index] + [s for s in counts.index if s not in claims.STATUSES]
    reproduced = int(counts.get(claims.STATUS_REPRODUCED, 0))
    rest = ", ".join(f"{int(counts[s])} {html.escape(str(s))}" for s in order if s != claims.STATUS_REPRODUCED)
    return f"<strong>{reproduced} gereproduceerd</strong> van {int(counts.sum())}" + (f"; {rest}" if rest else "")


def _synthetic_label(entry: _IndexEntry) -> str:
    return ' <span class="synthetisch">synthetisch</span>' if entry.data_kind == "synthetic" else ""


def _head_row(number: int, title: str, entry: _IndexEntry | None) -> str:
    """The row of a chapter as the report has it (unlinked when only variants of it are built)."""
    kind = f"Hoofdstuk {number}" if number <= 10 else "Context"
    if entry is None:
        return f"<tr><td>{kind}</td><td>{html.escape(title)} (niet gebouwd)</td><td></td><td></td></tr>"
    return (
        f'<tr><td>{kind}</td><td><a href="{html.escape(entry.name)}.html">{html.escape(title)}</a>'
        f"{_synthetic_label(entry)}</td><td>{html.escape(_data_words(entry))}</td>"
        f"<td>{_ledger_summary(entry.name)}</td></tr>"
    )


def _variant_row(entry: _IndexEntry, base: Chapter | None) -> str:
    """A variant under its chapter, named by its parameters and, for participant data, its data."""
    words = _variant_words(entry.parameters, base, entry.notebook)
    if entry.data_kind != "published":
        words.append(_data_words(entry))
    text = "variant: " + "; ".join(words or ["andere instellingen"])
    return (
        f'<tr class="variant"><td></td><td><a href="{html.escape(entry.name)}.html">{html.escape(text)}</a>'
        f"{_synthetic_label(entry)}</td><td>{html.escape(_data_words(entry))}</td>"
        f"<td>{_ledger_summary(entry.name)}</td></tr>"
    )
