"""What a ledger value was computed from, in the report's own words.

A computation records its inputs as ids (``001/A.3``, ``001/8.t5``, ``plannenregister``,
``deelnemersbestand``); the ledger keeps those ids for tools and tests (column ``invoer_ids``) and
shows the reader the documents by name (column ``invoer``): "Tabel A.2 en A.3 van de eindevaluatie",
"de tekst van de eindevaluatie (regel 4806-4812)", "het plannenregister". This is the one place
that names them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sectorplannen import published
from sectorplannen.statistics.base import PARTICIPANT_FILE, REGISTER

# The source documents (``../shared/seeds/<seed>_*.txt``) as the report's reader knows them.
DOCUMENTS = {
    "000": "de voortgangsbrief van 2017",
    "001": "de eindevaluatie",
    "002": "de voortgangsbrief van 2014",
    "003": "de tussenevaluatie van de DWSRA",
    "004": "de Kamerbrief van 2020",
}
OTHER_INPUTS = {REGISTER: "het plannenregister", PARTICIPANT_FILE: "het deelnemersbestand"}


def _is_text_table(table_id: str) -> bool:
    """A table transcribed from the running text (``8.t5``, ``t1``), not one the document prints."""
    return table_id.rpartition(".")[2].startswith("t")


def _lines(seed: str, table_id: str) -> str:
    first, last = published.resource(table_id, seed)["sectorplannen"]["lines"]
    return str(first) if first == last else f"{first}-{last}"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} en {items[-1]}"


def document(seed: str) -> str:
    """A source document by name ('de eindevaluatie'); an unknown seed is a bug."""
    return DOCUMENTS[seed]


def reader_inputs(ids: Iterable[str]) -> str:
    """The inputs of one value in words, one part per document, then the register and the
    participant file: 'Tabel A.13 en de tekst (regel 4806-4812) van de eindevaluatie; het
    plannenregister'. Empty for no inputs."""
    ids = sorted(set(ids))
    tables: dict[str, list[str]] = {}
    texts: dict[str, list[str]] = {}
    others = []
    for ref in ids:
        if ref in OTHER_INPUTS:
            others.append(OTHER_INPUTS[ref])
            continue
        seed, _, table_id = ref.partition("/")
        document(seed)  # an unknown document is a bug, not something to print
        if _is_text_table(table_id):
            texts.setdefault(seed, []).append(_lines(seed, table_id))
        else:
            tables.setdefault(seed, []).append(table_id)
    parts = []
    for seed in sorted(set(tables) | set(texts)):
        items = []
        if seed in tables:
            items.append("Tabel " + _listed(tables[seed]))
        if seed in texts:
            items.append(f"de tekst (regel {_listed(sorted(set(texts[seed]), key=_first_line))})")
        parts.append(f"{_listed(items)} van {document(seed)}")
    return "; ".join(parts + others)


def _first_line(lines: str) -> int:
    return int(lines.partition("-")[0])
