"""Parameter sweeps: every chapter variant of a grid, run and rendered on a Dask cluster.

A grid (YAML) names a notebook and, per parameter, the values to try; its variants are every
combination. ``make sweep GRID=grid.yaml`` checks every variant before any work (one line names
the first bad one), then runs them as ``make chapter`` does (papermill, nbconvert, atomically) on
a local Dask cluster, or on an existing one when ``DASK_SCHEDULER=tcp://host:port`` is set. A
variant that fails is reported by name and parameters and leaves nothing half-written; the index
lists the variants under their chapter.

    notebook: uitvoering
    parameters:
      tranche: ["1-2", "3"]
      top_n: [10, 20]
"""

from __future__ import annotations

import functools
import itertools
import os
import time
from pathlib import Path

import yaml

from sectorplannen import paths
from sectorplannen.chapters import registry
from sectorplannen.chapters.registry import Chapter
from sectorplannen.errors import ChapterFailed, ParameterError
from sectorplannen.pipeline import report
from sectorplannen.pipeline.preflight import preflight
from sectorplannen.pipeline.workers import say

SCHEDULER_VARIABLE = "DASK_SCHEDULER"


def load_grid(path: Path | str) -> list[Chapter]:
    """The variants of a grid file, each checked against the registry (a bad one is named)."""
    path = Path(path)
    try:
        grid = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"{path}: no such grid file; give GRID=path/to/grid.yaml") from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML ({exc.problem or exc})") from None
    if not isinstance(grid, dict) or set(grid) - {"notebook", "parameters"} or "notebook" not in grid:
        raise ParameterError(f"{path}: a grid has 'notebook' and 'parameters' (a value list per parameter)")
    parameters = grid.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise ParameterError(f"{path}: 'parameters' must map each parameter to a list of values")
    names = list(parameters)
    options = [values if isinstance(values, list) else [values] for values in parameters.values()]
    chapters = []
    for number, combination in enumerate(itertools.product(*options), start=1):
        given = dict(zip(names, combination, strict=True))
        try:
            chapters.append(registry.chapter_for(str(grid["notebook"]), given))
        except ParameterError as exc:
            shown = ", ".join(f"{k}={v!r}" for k, v in given.items())
            raise ParameterError(f"{path}, variant {number} ({grid['notebook']}: {shown}): {exc}") from None
    return list({c.name: c for c in chapters}.values())  # the same variant twice runs once


def _client(scheduler: str | None, jobs: int):
    # heavy: dask.distributed is loaded only when a sweep runs
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler, timeout="20s")
    cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster)


def run(chapters: list[Chapter], jobs: int = 2, scheduler: str | None = None, show_code: bool = False, log=say):
    """Run the variants on the cluster (``scheduler`` or ``$DASK_SCHEDULER``; else a local one with
    ``jobs`` workers); returns the HTML paths. Failures are raised together, each by name and
    parameters, after the others are done."""
    # heavy: dask.distributed is loaded only when a sweep runs
    from distributed import as_completed

    preflight(chapters)
    scheduler = scheduler or os.environ.get(SCHEDULER_VARIABLE) or None
    client = _client(scheduler, jobs)
    failures = []
    try:
        task = functools.partial(report.run_one, show_code=show_code)
        futures = {
            client.submit(task, chapter, pure=False, key=f"sectorplannen-{chapter.name}"): chapter
            for chapter in chapters
        }
        for chapter in chapters:
            log(f"[start] {chapter.name}")
        for future in as_completed(futures):
            chapter = futures[future]
            name, seconds, error = future.result()
            if error:
                failures.append(f"{chapter.notebook} {chapter.parameters}: {error}")
                log(f"[FOUT] {name} ({seconds:.1f} s)")
            else:
                log(f"[klaar] {name} ({seconds:.1f} s)")
    finally:
        cluster = client.cluster
        client.close()
        if cluster is not None:
            cluster.close()
    report_dir = paths.report()
    if failures:
        raise ChapterFailed(f"{len(failures)} of {len(chapters)} variants failed:\n" + "\n".join(failures))
    return [report_dir / f"{c.name}.html" for c in chapters]


def timed(chapters: list[Chapter], jobs: int = 2) -> float:
    """Seconds for a sweep on a local cluster (for ``make bench``)."""
    start = time.perf_counter()
    run(chapters, jobs=jobs, log=lambda _: None)
    return time.perf_counter() - start
