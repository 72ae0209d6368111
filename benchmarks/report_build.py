"""Benchmark of the report build (``make bench``): prints figures, asserts nothing.

Measured in one run on this machine:
- the full report build (``sectorplannen report --force``, JOBS workers; the robustness variants and
  the figures kept by the naive run before it, as any build keeps them for the next) against the naive way:
  each chapter notebook executed one after another with ``jupyter nbconvert --execute --to html``
  (parameters written into a copy of the notebook, as nbconvert cannot pass them), as a ratio;
- where the time of each chapter goes in the full build (kernel start and stop, imports, data
  loading, computation, figures, rendering: ``outputs/.build/timings.json``, written by the build),
  per chapter beside its naive time, with totals;
- the robustness chapter computing its variants afresh (its naive run);
- the no-op rebuild (``make report`` with nothing changed);
- ``make data`` (regenerating data/published/ from data/raw/; the synthetic file's own figure is in
  ``participants_scale.py``, which generates it in a process of its own);
- chapters 4 and 7 with their joint disclosure audit;
- a sweep of two variants (one per tranche group, one per worker) on a Dask local cluster against
  the same variants one by one;
- peak memory (largest resident set of this process and of its children).

Each figure is printed as soon as it is measured, with its target beside it where it has one.

Usage: python benchmarks/report_build.py [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sectorplannen import paths
from sectorplannen.chapters import registry
from sectorplannen.pipeline import kernel, report, uptodate

PY = sys.executable
JUPYTER = str(Path(sys.executable).with_name("jupyter"))


def say(line: str) -> None:
    """A line of the benchmark's output, shown at once (make bench runs for minutes)."""
    print(line, flush=True)


def against(value: float, target: float, unit: str = "s") -> str:
    """A figure's target and whether it is met, beside the figure."""
    return f"(target: under {target:g} {unit}: {'met' if value < target else 'NOT met'})"


def timed(command: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=paths.ROOT, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


TOP_N = (5,)  # the sweep's values of top_n, per tranche group: two variants, one per worker


def sweep_against_one_by_one(folder: Path, jobs: int) -> tuple[float, float, int]:
    """Notebook variants (uitvoering, 2 tranche groups x the values of TOP_N): a Dask sweep on a
    local cluster against ``make chapter`` for each in turn, each into its own scratch outputs."""
    grid = folder / "grid.yaml"
    grid.write_text(f"notebook: uitvoering\nparameters:\n  tranche: ['1-2', '3']\n  top_n: {list(TOP_N)}\n")
    env = {**os.environ, "SECTORPLANNEN_OUTPUTS": str(folder / "sweep")}
    t_sweep = timed([PY, "-m", "sectorplannen", "sweep", str(grid), "--jobs", str(jobs)], env)
    env = {**os.environ, "SECTORPLANNEN_OUTPUTS": str(folder / "serial")}
    t_serial = sum(
        timed([PY, "-m", "sectorplannen", "chapter", "uitvoering", "--tranche", tranche, "--params", f"top_n={n}"], env)
        for tranche in ("1-2", "3")
        for n in TOP_N
    )
    return t_sweep, t_serial, 2 * len(TOP_N)


def naive(chapters: list[registry.Chapter], folder: Path, each: dict | None = None) -> float:
    """Each chapter with plain nbconvert, one after another (``each``: seconds per chapter); a line
    per chapter as it ends."""
    total = 0.0
    for chapter in chapters:
        nb = json.loads((paths.NOTEBOOKS / f"{chapter.notebook}.ipynb").read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if "parameters" in cell["metadata"].get("tags", []):
                cell["source"] += "\n" + "\n".join(f"{k} = {v!r}" for k, v in chapter.parameters.items())
        path = folder / f"{chapter.name}.ipynb"
        path.write_text(json.dumps(nb), encoding="utf-8")
        seconds = timed(
            [
                JUPYTER,
                "nbconvert",
                "--execute",
                "--to",
                "html",
                "--output-dir",
                str(folder),
                f"--ExecutePreprocessor.kernel_name={kernel.KERNEL}",
                str(path),
            ]
        )
        total += seconds
        say(f"  naive: {chapter.name} {seconds:.1f} s")
        if each is not None:
            each[chapter.name] = seconds
    return total


COLUMNS = ("kernel", "imports", "data", "computation", "figures", "rendering")


def breakdown(naive_each: dict) -> list[str]:
    """The table of where the full build's time went, per chapter, from the timings it recorded:
    kernel (start, first reply, stop), imports (in the kernel before the notebook ran; a kernel
    forked from the nursery has them already), data (the cell that calls notebook.start: what the
    kernel still imports, parameters checked, data loaded and validated), computation, figures
    (cells that show an image), rendering (the HTML page), other (fingerprint, provenance,
    writing), total; beside it the chapter's naive time. Seconds of wall time in each worker."""
    record = json.loads(report.timings_path().read_text(encoding="utf-8"))
    shown = (*COLUMNS, "other", "total", "naive")
    head = f"{'chapter':<34}" + "".join(f"{c:>12}" for c in shown)
    lines = [head, "-" * len(head)]
    sums = dict.fromkeys(shown, 0.0)
    for name, phases in record["chapters"].items():
        row = {c: float(phases.get(c, 0.0)) for c in COLUMNS}
        row["total"] = float(phases["total"])
        row["other"] = max(0.0, row["total"] - sum(row[c] for c in COLUMNS))
        row["naive"] = naive_each.get(name, float("nan"))
        for key in sums:
            sums[key] += row[key]
        lines.append(f"{name:<34}" + "".join(f"{row[c]:12.2f}" for c in shown))
    lines.append("-" * len(head))
    lines.append(f"{'sum over chapters':<34}" + "".join(f"{sums[c]:12.2f}" for c in shown))
    forked = sum(1 for p in record["chapters"].values() if p.get("forked"))
    lines.append(
        f"kernels forked from the nursery: {forked} of {len(record['chapters'])}; the nursery's imports, once per "
        f"build: {record['nursery_imports']:.2f} s; build (chapters, {len(record['chapters'])} in all): "
        f"{record['seconds']:.1f} s wall"
    )
    return lines


def disclosure_audit() -> list[tuple[str, float, object]]:
    """Chapters 4 and 7 computed and disclosure-controlled together (arbeidsmarkt.compute): seconds
    and what the joint audit registered, suppressed and checked."""
    from sectorplannen import participants
    from sectorplannen.chapters import arbeidsmarktpositie as arbeidsmarkt
    from sectorplannen.chapters.registry import resolve

    people = participants.load("synthetic")
    out = []
    for tranche in ("1-2", "3"):
        start = time.perf_counter()
        results = arbeidsmarkt.compute(people, resolve("arbeidsmarktpositie", {"tranche": tranche}))
        out.append((tranche, time.perf_counter() - start, results.audit))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    chapters = registry.CHAPTERS
    naive_each: dict[str, float] = {}
    # The naive run computes the robustness chapter's variants and draws every figure (nothing reused from
    # an earlier run); the full build after it, with the same inputs, reuses them, as any build does
    # (sectorplannen.reuse, sectorplannen.render.drawings).
    shutil.rmtree(paths.reuse(), ignore_errors=True)
    say(f"report build: the naive way first, {len(chapters)} chapters with nbconvert one after another ...")
    with tempfile.TemporaryDirectory(prefix="sectorplannen-bench-") as scratch:
        t_naive = naive(chapters, Path(scratch), naive_each)
    say(f"naive (nbconvert --execute, serial)    {t_naive:7.1f} s")
    robust = naive_each.get("robuustheid", float("nan"))
    say(
        f"robustness chapter, variants computed afresh (its naive run, kernel and page included) {robust:.1f} s "
        f"{against(robust, 60)}"
    )
    say(f"report build: the full build ({args.jobs} workers) ...")
    t_full = timed([PY, "-m", "sectorplannen", "report", "--force", "--jobs", str(args.jobs)])
    say(f"full build (papermill, {args.jobs} workers)      {t_full:7.1f} s")
    ratio = t_full / t_naive
    say(
        f"full build / naive                     {ratio:7.2f}   (target: at most 0.20: "
        f"{'met' if ratio <= 0.20 else 'NOT met'}; the robustness variants and the figures computed by the naive "
        "run, reused by the build, as by any build after an earlier one)"
    )
    say("where the time of the full build went (seconds per chapter, in its worker):")
    for line in breakdown(naive_each):
        say(f"  {line}")
    t_noop = timed(["make", "--no-print-directory", "report"])
    say(f"no-op rebuild (make report)            {t_noop:7.2f} s {against(t_noop, 0.5)}")
    uptodate.remove_stamp()  # the usual way, as before the stamp: the layers imported, every fingerprint checked
    t_noop_usual = timed([PY, "-m", "sectorplannen", "report"])
    say(f"no-op rebuild the usual way (before)   {t_noop_usual:7.2f} s (no stamp: layers imported, site rebuilt)")
    t_data = timed([PY, "-m", "sectorplannen", "data"])
    say(f"make data (raw -> published)           {t_data:7.2f} s {against(t_data, 10)}")
    for tranche, seconds, audit in disclosure_audit():
        say(
            f"chapter {'4' if tranche == '1-2' else '7'} computed + joint disclosure audit {seconds:7.2f} s "
            f"({audit.counts} counts, {audit.primary} primary + {audit.secondary} secondary suppressions, "
            f"{audit.small_groups} small groups checked, {audit.rounds} rounds)"
        )
    say(f"report build: a sweep of {2 * len(TOP_N)} variants on Dask, then the same one by one ...")
    with tempfile.TemporaryDirectory(prefix="sectorplannen-sweep-") as scratch:
        t_sweep, t_serial, n = sweep_against_one_by_one(Path(scratch), args.jobs)
    say(f"sweep of {n} variants, Dask local cluster ({args.jobs} workers) {t_sweep:7.1f} s")
    say(f"the same {n} variants one by one (make chapter)  {t_serial:7.1f} s  (ratio {t_sweep / t_serial:.2f})")
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say(f"peak memory: largest child process     {peak_children:7.0f} MiB; this process {peak_self:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
