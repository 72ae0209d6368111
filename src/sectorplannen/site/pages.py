"""The pages of the site in reading order, from the build's manifests (report chapters, context, variants)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sectorplannen.chapters import registry

REPORT_CHAPTERS = 10  # chapters 2-10 reproduce the report; 11 and up are context
INDEX, CLAIMS, SEARCH = "index.html", "getallen.html", "zoeken.html"


@dataclass(frozen=True)
class Page:
    """One chapter page of the site (a report chapter, a context chapter or a variant of one)."""

    name: str
    number: int
    title: str
    parameters: dict = field(default_factory=dict)
    data_kind: str = "published"
    variant: bool = False

    @property
    def href(self) -> str:
        return f"{self.name}.html"

    @property
    def label(self) -> str:
        """'Hoofdstuk 3' for a report chapter, 'Context 11' for a context chapter."""
        return f"Hoofdstuk {self.number}" if self.number <= REPORT_CHAPTERS else f"Context {self.number}"

    @property
    def heading(self) -> str:
        return f"{self.label}. {self.title}"

    @property
    def group(self) -> str:
        return "Rapport" if self.number <= REPORT_CHAPTERS else "Context"


def chapter_pages(report_dir: Path, chapters=()) -> list[Page]:
    """Every chapter page with HTML in ``report_dir``: the report's chapters in order, each variant
    after its chapter. Read from the build manifests (``outputs/.build``), else from ``chapters``."""
    base = {c.name for c in registry.CHAPTERS}
    found: dict[str, Page] = {}
    manifests = report_dir.parent / ".build"
    for manifest in sorted(manifests.glob("*.json")):
        if not (report_dir / f"{manifest.stem}.html").exists():
            continue
        try:
            record = json.loads(manifest.read_text(encoding="utf-8"))
            found[manifest.stem] = Page(
                manifest.stem,
                int(record["number"]),
                record["title"],
                record.get("parameters", {}),
                record.get("data_kind", "published"),
                manifest.stem not in base,
            )
        except (OSError, ValueError, KeyError):
            continue
    for chapter in [*registry.CHAPTERS, *chapters]:
        if chapter.name not in found and (report_dir / f"{chapter.name}.html").exists():
            found[chapter.name] = Page(
                chapter.name,
                chapter.number,
                chapter.title,
                dict(chapter.parameters),
                registry.data_kind(chapter),
                chapter.name not in base,
            )
    return sorted(found.values(), key=lambda p: (p.number, p.variant, p.name))


def main_pages(pages: list[Page]) -> list[Page]:
    """The pages the sidebar and previous/next walk through: one per chapter, no variants."""
    return [p for p in pages if not p.variant]
