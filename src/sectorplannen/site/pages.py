"""The pages of the site in reading order, from the build's records: the report's chapters, the analysis
of the report, the context chapters, and each variant after its chapter."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sectorplannen import datakind, paths
from sectorplannen.chapters import registry
from sectorplannen.errors import SectorplannenError
from sectorplannen.pipeline.report import read_manifest

INDEX, CLAIMS, SEARCH = "index.html", "getallen.html", "zoeken.html"
FIGURES = "tabellen_figuren.html"  # every table and figure of the report, and where it is shown
SECTIONS = tuple(registry.SECTIONS)  # the sidebar's groups, in reading order


@dataclass(frozen=True)
class Page:
    """One chapter page of the site (a report chapter, the analysis, a context chapter or a variant)."""

    name: str
    number: int
    title: str
    parameters: dict = field(default_factory=dict)
    data_kind: str = datakind.PUBLISHED
    variant: bool = False
    notebook: str = ""

    @property
    def href(self) -> str:
        return f"{self.name}.html"

    @property
    def section(self) -> str:
        """'Rapport', 'Analyse' or 'Context': where the sidebar and the index place the page (the registry
        says; a run of a notebook it no longer has stays with the context)."""
        try:
            return registry.entry(self.notebook).section
        except SectorplannenError:
            return "Context"

    @property
    def label(self) -> str:
        """'Hoofdstuk 3' for a report chapter, 'Analyse 11' or 'Context 12' for the others."""
        return registry.chapter_label(self.section, self.number, numbered=True)

    @property
    def heading(self) -> str:
        return f"{self.label}. {self.title}"


def parts_dir(report_dir: Path) -> Path:
    """Where the build leaves what it rendered of each chapter (``outputs/.build/pages``)."""
    return paths.rendered(Path(report_dir).parent)


def chapter_pages(report_dir: Path, chapters=()) -> list[Page]:
    """Every chapter run the build rendered (its parts exist): the report's chapters in order, each
    variant after its chapter. Read from the build manifests (``outputs/.build``), else from ``chapters``."""
    base = {c.name for c in registry.CHAPTERS}
    found: dict[str, Page] = {}
    rendered = parts_dir(report_dir)
    for manifest in sorted(paths.records(Path(report_dir).parent).glob("*.json")):
        if not (rendered / manifest.name).is_file():
            continue
        record = read_manifest(manifest)
        try:
            found[manifest.stem] = Page(
                manifest.stem,
                int(record["number"]),
                record["title"],
                record.get("parameters", {}),
                record.get("data_kind", datakind.PUBLISHED),
                manifest.stem not in base,
                record.get("notebook", ""),
            )
        except (ValueError, KeyError, TypeError):  # no record, or one without what a page needs
            continue
    for chapter in [*registry.CHAPTERS, *chapters]:
        if chapter.name not in found and (rendered / f"{chapter.name}.json").is_file():
            found[chapter.name] = Page(
                chapter.name,
                chapter.number,
                chapter.title,
                dict(chapter.parameters),
                chapter.data_kind,
                chapter.name not in base,
                chapter.notebook,
            )
    return sorted(found.values(), key=lambda p: (p.number, p.variant, p.name))


def main_pages(pages: list[Page]) -> list[Page]:
    """The pages the sidebar and previous/next walk through: one per chapter, no variants."""
    return [p for p in pages if not p.variant]


def default_of(page: Page, pages: list[Page]) -> Page | None:
    """The chapter as ``make report`` builds it that ``page`` is a variant of (same number)."""
    return next((p for p in pages if not p.variant and p.number == page.number), None)
