"""The themes (tranche 1-2) and trajectory types (tranche 3) of ``data/raw/categories.yaml``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sectorplannen import paths, yamlfile


@lru_cache(maxsize=4)
def categories(path: Path | str | None = None) -> dict[str, list[dict]]:
    """The category axes (``thema``, ``type_traject``, ``totaal``) from ``categories.yaml``."""
    return yamlfile.read(path or paths.RAW / "categories.yaml")


def category_lookup() -> dict[str, str]:
    """Printed category label -> category id, over all axes."""
    return {printed: entry["id"] for axis in categories().values() for entry in axis for printed in entry["printed"]}


def category_ids(axis: str | None = None) -> list[str]:
    axes = [axis] if axis else list(categories())
    return [entry["id"] for name in axes for entry in categories()[name]]


def labels(ids: list[str]) -> dict[str, str]:
    """Category id -> the report's label, for ``ids`` (of any axis)."""
    entries = {e["id"]: e["label"] for axis in categories().values() for e in axis}
    return {c: entries[c] for c in ids}
