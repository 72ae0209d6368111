"""Benchmark of the joint audit across runs of one extract (part of ``make bench``): prints figures,
asserts nothing.

A real extract's run is audited together with everything earlier runs of the same extract showed
(:mod:`sectorplannen.participants.releases`). How much does that cost as the record grows? The
extract is tranche 3 of the synthetic file. The record is filled with real, audited releases:
each earlier release is a reviewer's leave-one-out variant (the cohort size and Tabel 7.1 without
one plan, then without two plans in turn, audited jointly with the record and appended to it).
After 1, 10 and 50 such releases the whole chapter (every table, comparison and the ledger) is
computed for the published selection with the record, beside the same chapter without a record,
in the same process. Peak memory is the process's resident set at the end.

Usage: python benchmarks/release_record.py [--releases 1,10,50]
"""

from __future__ import annotations

import argparse
import itertools
import resource
import shutil
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--releases", default="1,10,50")
    args = parser.parse_args()
    steps = sorted(int(n) for n in args.releases.split(","))

    from sectorplannen import participants
    from sectorplannen.chapters import arbeidsmarktpositie as chapter
    from sectorplannen.chapters.registry import resolve
    from sectorplannen.participants import disclosure, releases

    people = participants.load("synthetic")
    extract = people[people["tranche"] == 3].reset_index(drop=True)
    plans = sorted(extract["plan_id"].unique())
    variants = [(p,) for p in plans] + list(itertools.combinations(plans, 2))
    folder = Path(tempfile.mkdtemp(prefix="bench-releases-"))
    params = resolve("arbeidsmarktpositie", {"tranche": "3", "data_source": "/bench/extract.csv"})

    chapter.compute(extract, resolve("arbeidsmarktpositie", {"tranche": "3"}))  # warm: imports (ACRO) and caches
    start = time.perf_counter()
    chapter.compute(extract, resolve("arbeidsmarktpositie", {"tranche": "3"}))
    alone = time.perf_counter() - start
    print(f"release record: the chapter on tranche 3 without a record (synthetic): {alone:.1f} s", flush=True)

    done = 0
    fill = 0.0
    for target in steps:
        while done < target:
            excluded = variants[done]
            start = time.perf_counter()
            release = disclosure.Release(extract)
            selection = extract[(extract["peildatum"] == "2019-05-31") & ~extract["plan_id"].isin(excluded)]
            release.count(selection)
            chapter.participants_counts(release, selection, "3")
            releases.protect_jointly(release, f"zonder {'+'.join(excluded)}", {"exclude_plans": list(excluded)}, folder)
            fill += time.perf_counter() - start
            done += 1
        copy = Path(tempfile.mkdtemp(prefix="bench-releases-")) / "r"
        shutil.copytree(folder, copy)  # the chapter's own release stays out of the next step's count
        start = time.perf_counter()
        results = chapter.compute(extract, params, run=f"na {done}", releases=copy)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"release record: chapter after {done:>2} earlier releases ({results.audit.earlier_counts} counts): "
            f"{seconds:.1f} s ({seconds / alone:.1f}x the chapter alone), {results.audit.secondary} secondary "
            f"suppressions, peak {peak:.0f} MiB; filling the record took {fill:.1f} s",
            flush=True,
        )


if __name__ == "__main__":
    main()
