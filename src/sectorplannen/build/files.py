"""Writing outputs safely: atomically, so a failing run never leaves a half-written file."""

from __future__ import annotations

import os
from pathlib import Path

from sectorplannen import paths


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def shown(path: Path) -> str:
    """A path as a message names it: relative to the repository where it is inside."""
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)
