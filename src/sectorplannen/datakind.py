"""What a chapter run is computed from, its data kind: the published tables, the synthetic participant
file or a real participant extract. One vocabulary for the registry, the build's records and
fingerprints (standard library only, as :mod:`sectorplannen.pipeline.uptodate` needs), and the pages."""

from __future__ import annotations

PUBLISHED = "published"  # the published tables (plan level; real data)
SYNTHETIC = "synthetic"  # the synthetic participant file (also the value of data_source that names it)
EXTRACT = "extract"  # a real participant extract, named by data_source
KINDS = (PUBLISHED, SYNTHETIC, EXTRACT)

# How a chapter page's provenance names the data (Dutch: the reader sees it).
LABELS = {
    PUBLISHED: "gepubliceerde tabellen (echte gegevens op planniveau)",
    SYNTHETIC: "SYNTHETISCHE deelnemersgegevens (geen echte personen)",
    EXTRACT: "echt deelnemersbestand (vertrouwelijk)",
}

# How a variant's description names the data (Dutch, shorter).
WORDS = {
    PUBLISHED: "gepubliceerde tabellen",
    SYNTHETIC: "synthetische deelnemersgegevens",
    EXTRACT: "echt deelnemersbestand",
}


def of_source(data_source) -> str:
    """The kind of participant data ``data_source`` names: the synthetic file, or an extract."""
    return SYNTHETIC if str(data_source) == SYNTHETIC else EXTRACT
