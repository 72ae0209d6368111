"""Benchmark of the report build (``make bench``): prints figures, asserts nothing.

Measured in one run on this machine:
- the full report build (``sectorplannen report --force``, JOBS workers) against the naive way:
  each chapter notebook executed one after another with ``jupyter nbconvert --execute --to html``
  (parameters written into a copy of the notebook, as nbconvert cannot pass them), as a ratio;
- the no-op rebuild (``make report`` with nothing changed);
- ``make data`` (regenerating data/published/ from data/raw/);
- peak memory (largest resident set of this process and of its children).

Usage: python benchmarks/report_build.py [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sectorplannen import paths
from sectorplannen.build import kernel
from sectorplannen.chapters import registry

PY = sys.executable
JUPYTER = str(Path(sys.executable).with_name("jupyter"))


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=paths.ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def naive(chapters: list[registry.Chapter], folder: Path) -> float:
    """Each chapter with plain nbconvert, one after another."""
    total = 0.0
    for chapter in chapters:
        nb = json.loads((paths.NOTEBOOKS / f"{chapter.notebook}.ipynb").read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if "parameters" in cell["metadata"].get("tags", []):
                cell["source"] += "\n" + "\n".join(f"{k} = {v!r}" for k, v in chapter.parameters.items())
        path = folder / f"{chapter.name}.ipynb"
        path.write_text(json.dumps(nb), encoding="utf-8")
        total += timed(
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
    return total


def participant_scaling(factors=(1, 10, 100)) -> list[tuple[int, float]]:
    """Cohort selection and a disclosure-controlled distribution table on the 2019 rows of the
    synthetic file, replicated 10x and 100x (categorical columns keep 100x in memory)."""
    import pandas as pd

    from sectorplannen import participants
    from sectorplannen.participants import cohort, describe

    people = participants.load("synthetic")
    base = participants.with_categories(people[people["peildatum"] == "2019-05-31"])
    out = []
    for factor in factors:
        frame = pd.concat([base] * factor, ignore_index=True) if factor > 1 else base
        start = time.perf_counter()
        selection = cohort.select(frame, tranche="1-2")
        describe.distribution(selection, "categorie", "inkomenssituatie")
        describe.distribution(selection[selection["inkomenssituatie"] == "werknemer"], "categorie", "werkgever")
        out.append((factor, time.perf_counter() - start))
        del frame
    return out


def disclosure_audit() -> list[tuple[str, float, object]]:
    """Chapters 4 and 7 computed and disclosure-controlled together (arbeidsmarkt.compute): seconds
    and what the joint audit registered, suppressed and checked."""
    from sectorplannen import participants
    from sectorplannen.chapters import arbeidsmarktpositie as arbeidsmarkt
    from sectorplannen.participants.selection import validate_participant

    people = participants.load("synthetic")
    out = []
    for tranche in ("1-2", "3"):
        start = time.perf_counter()
        results = arbeidsmarkt.compute(people, validate_participant(tranche=tranche))
        out.append((tranche, time.perf_counter() - start, results.audit))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    chapters = registry.CHAPTERS
    with tempfile.TemporaryDirectory(prefix="sectorplannen-bench-") as scratch:
        t_naive = naive(chapters, Path(scratch))
    t_full = timed([PY, "-m", "sectorplannen", "report", "--force", "--jobs", str(args.jobs)])
    t_noop = timed(["make", "--no-print-directory", "report"])
    t_data = timed([PY, "-m", "sectorplannen", "data"])
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"chapters                               {len(chapters)}")
    print(f"naive (nbconvert --execute, serial)    {t_naive:7.1f} s")
    print(f"full build (papermill, {args.jobs} workers)      {t_full:7.1f} s")
    print(f"full build / naive                     {t_full / t_naive:7.2f}   (target: at most 0.50)")
    print(f"no-op rebuild (make report)            {t_noop:7.2f} s (target: under 2 s)")
    print(f"make data (raw -> published)           {t_data:7.2f} s")
    t_synthetic = timed([PY, "-c", "from sectorplannen import synthetic; synthetic.write()"])
    print(f"synthetic participant file (generate)  {t_synthetic:7.2f} s")
    for tranche, seconds, audit in disclosure_audit():
        print(
            f"chapter {'4' if tranche == '1-2' else '7'} computed + joint disclosure audit {seconds:7.2f} s "
            f"({audit.counts} counts, {audit.primary} primary + {audit.secondary} secondary suppressions, "
            f"{audit.small_groups} small groups checked, {audit.rounds} rounds)"
        )
    for factor, seconds in participant_scaling():
        print(f"cohort + descriptive tables, {factor:>3}x    {seconds:7.2f} s")
    print(f"peak memory: largest child process     {peak_children:7.0f} MiB; this process {peak_self:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
