"""What a notebook's outputs carry for the build besides what they show: which output is the ledger
(the site shows its summary in its place) and every house-style table's cells as data (a page that
compares two runs compares them cell by cell, as the reader saw them)."""

from __future__ import annotations

import html
import re

MARK = "sectorplannen"  # the key of the output metadata the build reads
LEDGER_PART = "grootboek"
TABLE_MIME = "application/vnd.sectorplannen.table+json"


def ledger_metadata() -> dict:
    """The metadata of the output that shows a chapter's ledger."""
    return {MARK: LEDGER_PART}


def _text(value) -> str:
    """A cell or caption as the reader reads it: markup removed, entities decoded, spaces folded."""
    text = re.sub(r"<br\s*/?>", " ", str(value if value is not None else ""))
    text = html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text).strip()


def table_data(styler) -> dict:
    """A Styler's caption, header rows and body rows as the texts it shows (formatted, escaped
    values read back as text): what two runs' tables are compared by."""
    translated = styler._translate(False, False)  # the cells pandas renders, with their display values
    head = [[_text(cell.get("display_value")) for cell in row] for row in translated["head"]]
    body = [[_text(cell.get("display_value")) for cell in row] for row in translated["body"]]
    levels = styler.data.index.nlevels
    return {
        "caption": _text(translated.get("caption") or styler.caption or ""),
        "index_levels": levels,
        "head": head,
        "rows": body,
    }
