"""Run the chapter notebooks with papermill and render their cells with nbconvert.

``make report`` runs every chapter for every tranche it applies to into ``outputs/notebooks/``
and renders each one's cells (code hidden; ``--show-code`` shows it) into ``outputs/.build/pages/``,
from which the site (:mod:`sectorplannen.site`) renders the pages of ``outputs/report/`` once.
``make chapter`` reruns one chapter with other parameters; the output names carry the parameters, so
runs with different parameters do not overwrite each other. Files are written to a temporary name and
renamed into place, so a failing run never leaves a half-written chapter and the previous good one
stays until a new one is complete.
"""

from __future__ import annotations

import functools
import json
import os
import time
from pathlib import Path

from sectorplannen import hashing, paths
from sectorplannen.chapters.registry import CHAPTERS, Chapter
from sectorplannen.errors import ChapterFailed
from sectorplannen.pipeline import exporter, kernel, provenance, uptodate
from sectorplannen.pipeline.execute import execute
from sectorplannen.pipeline.files import remove_stale, shown, write_atomic
from sectorplannen.pipeline.kernel import remove_kernel_folders
from sectorplannen.pipeline.preflight import preflight
from sectorplannen.pipeline.workers import run_all, say


def _manifest(chapter: Chapter) -> Path:
    return paths.manifest(chapter.name)


def parts_path(chapter: Chapter) -> Path:
    """Where the build leaves the rendered cells of a chapter run, for the site."""
    return paths.parts(chapter.name)


def index_fields(chapter: Chapter) -> dict:
    """What the manifest records for the site (never the path of a participant extract)."""
    return {
        "name": chapter.name,
        "notebook": chapter.notebook,
        "number": chapter.number,
        "title": chapter.title,
        "parameters": provenance.public_parameters(chapter.parameters, chapter.data_kind),
        "data_kind": chapter.data_kind,
    }


def read_manifest(path: Path) -> dict | None:
    """A chapter's manifest, or None when it is missing or damaged (not UTF-8, not JSON, not a
    record): the chapter is then simply not current."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _ledger_digest(chapter: Chapter) -> str | None:
    """SHA-256 of the chapter's ledger in outputs/ledger/ (the page of all numbers reads it), None when absent."""
    path = paths.ledger(chapter.name)
    return hashing.sha256(path) if path.is_file() else None


def is_current(chapter: Chapter, show_code: bool = False) -> bool:
    """True when the chapter's cells were rendered from exactly the current inputs (content hashes),
    and its ledger is still the one the build wrote (a deleted or edited ledger would silently drop or
    change numbers on the page of all numbers)."""
    recorded = read_manifest(_manifest(chapter))
    if recorded is None or exporter.read_parts(parts_path(chapter)) is None:
        return False
    if recorded.get("ledger") != _ledger_digest(chapter) and chapter.entry.claims:
        return False
    source = paths.NOTEBOOKS / f"{chapter.notebook}.ipynb"
    current = provenance.fingerprint(source, chapter.parameters, chapter.data_kind, chapter.entry.inputs)
    return recorded.get("fingerprint") == current and recorded.get("show_code") == show_code


def drop_damaged_manifests(log=say) -> list[Path]:
    """Remove every manifest in outputs/.build that cannot be read (its chapter is rebuilt, as if it
    had never been built), saying so in one line each; returns them."""
    dropped = []
    for path in sorted(paths.records().glob("*.json")):
        if path.name in uptodate.NOT_OUTPUTS or read_manifest(path) is not None:
            continue
        try:
            path.unlink()
        except OSError:
            continue  # read-only outputs: the build's preflight names them
        dropped.append(path)
        log(f"[herstel] {shown(path)} was beschadigd en is verwijderd: dit hoofdstuk wordt opnieuw gebouwd")
    return dropped


def run_one(chapter: Chapter, show_code: bool) -> tuple[str, float, str | None]:
    """Worker: execute and render one chapter, then record it in its manifest (fingerprint, seconds
    and what the index shows). Returns (name, seconds, error or None). Removes the kernel folders
    this process made, whatever happens."""
    start = time.perf_counter()
    timings: dict = {}
    try:
        executed = execute(chapter, timings=timings)
        rendering = time.perf_counter()
        prov = exporter.write_parts(executed, parts_path(chapter), show_code)["provenance"]
        timings["rendering"] = round(time.perf_counter() - rendering, 3)
    except ChapterFailed as exc:
        return chapter.name, time.perf_counter() - start - kernel.WAITED, str(exc)
    finally:
        remove_kernel_folders(os.getpid())
    seconds = time.perf_counter() - start - kernel.WAITED  # a standby's wait for its turn is not its time
    timings["total"] = round(seconds, 3)
    if kernel.WAITED:
        timings["waited"] = round(kernel.WAITED, 3)  # a standby, its kernel up, waiting for a free worker
    if kernel.LAUNCHES and kernel.LAUNCHES[-1].get("imports") is not None:
        timings["nursery_imports"] = round(kernel.LAUNCHES[-1]["imports"], 3)
    record = {
        "fingerprint": prov["fingerprint"],
        "ledger": _ledger_digest(chapter),
        "show_code": show_code,
        "seconds": round(seconds, 1),
        "timings": timings,
    }
    write_atomic(_manifest(chapter), json.dumps({**record, **index_fields(chapter)}, sort_keys=True))
    return chapter.name, seconds, None


def _expected_seconds(chapter: Chapter) -> float:
    """How long the chapter took last time (longest first balances the workers)."""
    try:
        return float(read_manifest(_manifest(chapter))["seconds"])
    except (ValueError, KeyError, TypeError):
        return 25.0 if chapter.entry.data == "participants" else 8.0  # first build: participant chapters are slowest


def _import_for_workers(show_code: bool) -> None:
    """Import what every worker needs to run and render a chapter, and compile the page templates,
    once, here, before the workers are forked from this process (each would otherwise do it again)."""
    import nbformat  # noqa: F401 - heavy: loaded only when chapters are built
    import papermill  # noqa: F401 - heavy: loaded only when chapters are built

    exporter.warm(show_code)


def timings_path() -> Path:
    return paths.records() / "timings.json"


def _write_timings(chapters: list[Chapter], seconds: float) -> None:
    """Where the time of this build went, per chapter (from the manifests its workers wrote):
    ``outputs/.build/timings.json``, which ``make bench`` prints."""
    per_chapter = {}
    for chapter in chapters:
        timings = (read_manifest(_manifest(chapter)) or {}).get("timings")
        if isinstance(timings, dict):
            per_chapter[chapter.name] = timings
    imports = max((t.get("nursery_imports", 0.0) for t in per_chapter.values()), default=0.0)
    record = {"seconds": round(seconds, 3), "nursery_imports": imports, "chapters": per_chapter}
    write_atomic(timings_path(), json.dumps(record, indent=1, sort_keys=True))


def build(
    chapters: list[Chapter] | None = None, show_code: bool = False, jobs: int = 2, force: bool = False, log=say
) -> list[Path]:
    """Execute chapters and render their cells (default: the whole report) with ``jobs`` worker
    processes, longest first, skipping chapters whose inputs did not change; returns the paths of
    their pages (the site renders them: :func:`sectorplannen.site.build`). Prints a
    progress line per chapter (queued, started, finished with seconds, up to date). Ctrl-C stops
    it within seconds with one line and raises :class:`Interrupted`; earlier outputs stay intact."""
    chapters = list(chapters or CHAPTERS)
    report_dir = paths.report()
    remove_stale()  # half-written files of killed builds (a notebook papermill was writing)
    drop_damaged_manifests(log)
    todo = sorted((c for c in chapters if force or not is_current(c, show_code)), key=_expected_seconds, reverse=True)
    for chapter in chapters:
        if chapter not in todo:
            log(f"[actueel] hoofdstuk {chapter.number} {chapter.name}")
    failures = []
    if todo:
        started = time.perf_counter()
        with kernel.nursery():  # imports for every kernel while the checks run
            preflight(todo)
            _import_for_workers(show_code)
            kernel.EXPECTED_KERNELS = len(todo)  # the nursery reads ahead for the kernels still to come
            results = run_all(todo, functools.partial(run_one, show_code=show_code), jobs, log)
        failures = [error for _, _, error in results if error]
        _write_timings(todo, time.perf_counter() - started)
    if failures:
        raise ChapterFailed("\n".join(failures))
    return [report_dir / f"{c.name}.html" for c in chapters]


def write_stamp(show_code: bool, summary: dict) -> None:
    """Record that the whole report is built, for a no-op ``make report`` to recognise without
    importing this layer (:mod:`.uptodate`): every chapter with the fingerprint it was built from
    (its manifest's) and how to recompute it. Nothing is recorded when a chapter has no page or
    was built with other settings."""
    chapters = []
    for chapter in CHAPTERS:
        manifest = read_manifest(_manifest(chapter))
        if manifest is None:
            return
        html_path = paths.report() / f"{chapter.name}.html"
        if manifest.get("show_code") != show_code or not html_path.exists():
            return
        kind = chapter.data_kind
        chapters.append(
            {
                "name": chapter.name,
                "number": chapter.number,
                "notebook": chapter.notebook,
                "parameters": provenance.public_parameters(chapter.parameters, kind),
                "data_kind": kind,
                "inputs": list(chapter.entry.inputs),
                "participants": [str(p) for p in provenance.participant_files(chapter.parameters, kind)],
                "fingerprint": manifest["fingerprint"],
            }
        )
    uptodate.write_stamp(chapters, show_code, summary)
