"""Where the project's files live. Every path is relative to the repository root."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
RAW = DATA / "raw"
PUBLISHED = DATA / "published"
OUTPUTS = ROOT / "outputs"
SEEDS = ROOT.parent / "shared" / "seeds"
