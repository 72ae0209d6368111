"""Where the project's files live. Every path is relative to the repository root."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
RAW = DATA / "raw"
PUBLISHED = DATA / "published"
# Everything generated goes here; SECTORPLANNEN_OUTPUTS points a run (or a test) elsewhere.
OUTPUTS = Path(os.environ.get("SECTORPLANNEN_OUTPUTS") or ROOT / "outputs").resolve()
SEEDS = ROOT.parent / "shared" / "seeds"
