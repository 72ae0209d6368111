"""``make bench``: the three benchmarks one after another, their lines as they come, then the whole
run's time and the largest resident set of any process it started, each beside its target.

Usage: python benchmarks/run_all.py [--jobs N] [--before]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_SECONDS = 300  # issue 24: make bench under 5 minutes ...
TARGET_MIB = 4096  # ... and 4 GB


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--before", action="store_true", help="also the pandas path before the engine (>10 GB)")
    args = parser.parse_args()
    parts = [
        ("the report build", ["report_build.py", "--jobs", str(args.jobs)]),
        ("the participant file and tables", ["participants_scale.py", *(["--before"] if args.before else [])]),
        ("the release record", ["release_record.py"]),
    ]
    start = time.perf_counter()
    for title, command in parts:
        print(f"make bench: {title} ({time.perf_counter() - start:.0f} s so far) ...", flush=True)
        subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], check=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    met = {"time": seconds < TARGET_SECONDS, "memory": peak < TARGET_MIB}
    note = "; --before ran the pandas path too" if args.before else ""
    print(
        f"make bench: {seconds:.0f} s in all (target: under {TARGET_SECONDS} s: {'met' if met['time'] else 'NOT met'}"
        f"{note}); largest process {peak:,.0f} MiB (target: under {TARGET_MIB:,} MiB: "
        f"{'met' if met['memory'] else 'NOT met'})",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
