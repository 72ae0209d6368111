"""Benchmark of the participant data at scale (part of ``make bench``): prints figures, asserts
nothing but that both methods give the same tables.

The same work, two ways, side by side (the pandas way only with ``--before``): the cohort of tranche
1-2 and two disclosure-controlled descriptive tables (income situation per theme, and employer per
theme for the employed) on the 2019 rows of the synthetic file, replicated 1x, 10x and 100x in
memory and 1000x from a Parquet file on disk:

- *pandas* (the method before the engine): one row per participant in a pandas frame
  (categorical columns), selected and cross-tabulated row by row;
- *engine*: DuckDB counts the participants per combination of the audited columns in one query
  (:func:`sectorplannen.participants.engine.counts`, memory limited to 2 GB, spilling to disk
  beyond it), and the same selection and tables run on that table of counts.

Each step runs in a fresh process, so its peak memory (resident set, including DuckDB's) is its
own. The 1000x file (about 260 million rows) is written once into a temporary folder by DuckDB.
Pandas at 1000x is not run: at 100x it already needs more than 10 GB.

The extract checks (:mod:`sectorplannen.participants.extract_sql`) run on the 2019 rows replicated
100x (26 million rows, every participant id distinct) written as one CSV file and one Parquet file;
each file is loaded as a chapter loads it (``participants.load``: checked, then counted by the engine
from the same pass), in one process per file, which gives both figures: checked (when the checks
passed) and counted (when the counts are made). The two files are kept between runs in the
temporary folder (``sectorplannen-bench/``, a folder per clone, which ``make clean`` removes), under
the content hash of what they are made from (the synthetic file, the code that writes them, DuckDB's
version), and read once into the page cache before they are timed, as a freshly written file is.

Usage: python benchmarks/participants_scale.py [--factors 1,10,100] [--disk 1000] [--extract 100] [--before]
[--only extract] [--step NAME]
(the pandas path, before the engine, runs only with --before, which `make bench BENCH_BEFORE=1` passes)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS_2019 = "peildatum = '2019-05-31'"


def _base():
    """The 2019 rows of the synthetic file as a pandas frame with categorical columns."""
    import pyarrow.parquet as pq

    from sectorplannen import paths
    from sectorplannen.participants import schema, synthetic

    if not paths.SYNTHETIC.exists():
        synthetic.write()
    table = pq.read_table(paths.SYNTHETIC, filters=[("peildatum", "=", "2019-05-31")])
    frame = table.to_pandas()
    frame["tranche"] = frame["tranche"].astype("int64")
    return schema.with_categories(frame)


def _warm() -> None:
    """Load ACRO (and statsmodels) before the clock starts: an import is not the method's cost."""
    from sectorplannen.participants import disclosure

    disclosure._acro(disclosure.DEFAULT_MIN_CELL)


def _tables(people) -> dict:
    """The cohort and its two tables (shares with group sizes, after disclosure control)."""
    from sectorplannen.participants import cohort, describe

    selection = cohort.select(people, tranche="1-2")
    working = selection[selection["inkomenssituatie"] == "werknemer"]
    return {
        "inkomen": describe.distribution(selection, "categorie", "inkomenssituatie"),
        "werkgever": describe.distribution(working, "categorie", "werkgever"),
    }


def _digest(tables: dict) -> str:
    """The tables as text, to check that both methods give the same numbers."""
    import hashlib

    text = "".join(t.astype(float).round(9).to_csv(lineterminator="\n") for t in tables.values())
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def step_pandas(factor: int) -> dict:
    import pandas as pd

    base = _base()
    frame = pd.concat([base] * factor, ignore_index=True) if factor > 1 else base
    frame = frame.drop(columns=[c for c in ("deelnemer_id", "start", "einde") if c in frame.columns])
    _warm()
    start = time.perf_counter()
    tables = _tables(frame)
    return {"seconds": time.perf_counter() - start, "rows": len(frame), "digest": _digest(tables)}


def step_engine(factor: int) -> dict:
    import pyarrow as pa

    from sectorplannen.participants import engine

    base = pa.Table.from_pandas(_base(), preserve_index=False)
    # the rows really replicated in memory (combine_chunks copies), as an extract N times larger would be
    table = pa.concat_tables([base] * factor).combine_chunks() if factor > 1 else base
    _warm()
    start = time.perf_counter()
    counts = engine.counts(table, engine.connect(memory_limit="2GB"))
    tables = _tables(counts)
    return {
        "seconds": time.perf_counter() - start,
        "rows": table.num_rows,
        "groups": len(counts),
        "digest": _digest(tables),
    }


def write_disk_file(factor: int, folder: Path, parts: int = 100) -> tuple[Path, float]:
    """The 2019 rows replicated ``factor`` times as an extract in ``parts`` Parquet files (zstd),
    as a secure environment exports a large table: every column, and the rows mixed (row i is base
    row i x 7919 mod n, a permutation within each copy), so that neither compression nor reading
    profits from runs of one row. DuckDB writes one part of factor/parts copies, with a distinct
    participant id per copy; the other parts are byte copies of it (the ids repeat across parts,
    which counting does not read). Returns the glob of the parts."""
    import shutil

    from sectorplannen import paths
    from sectorplannen.participants import engine

    per_part = max(factor // parts, 1)
    folder = folder / f"deelnemers_{factor}x"
    folder.mkdir()
    first = folder / "deel-000.parquet"
    connection = engine.connect(memory_limit="2GB", temp_directory=folder.parent / "spill")
    start = time.perf_counter()
    connection.execute(
        "CREATE TABLE basis AS SELECT row_number() OVER () - 1 AS rij, * "
        f"FROM read_parquet('{engine.quoted(str(paths.SYNTHETIC))}') WHERE {ROWS_2019}"
    )
    (n,) = connection.execute("SELECT count(*) FROM basis").fetchone()
    connection.execute(
        "COPY (SELECT b.deelnemer_id || '-' || (i // $n)::VARCHAR AS deelnemer_id, b.* EXCLUDE (rij, deelnemer_id) "
        f"FROM range({per_part} * $n) t(i) JOIN basis b ON b.rij = (i * 7919) % $n) "
        f"TO '{engine.quoted(str(first))}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1048576)",
        {"n": n},
    )
    for part in range(1, factor // per_part):
        shutil.copyfile(first, folder / f"deel-{part:03d}.parquet")
    return folder / "deel-*.parquet", time.perf_counter() - start


def step_disk(factor: int, folder: str) -> dict:
    from sectorplannen.participants import engine

    path = Path(folder) / f"deelnemers_{factor}x" / "deel-*.parquet"
    _warm()
    start = time.perf_counter()
    connection = engine.connect(memory_limit="2GB", temp_directory=Path(folder) / "spill")
    counts = engine.counts(path, connection)
    _tables(counts)
    seconds = time.perf_counter() - start
    # every count is factor times the count of the file once (compared after the timing)
    once = engine.counts(_base(), connection)
    scaled = once.assign(aantal=once["aantal"] * factor)
    return {
        "seconds": seconds,
        "rows": int(counts["aantal"].sum()),
        "groups": len(counts),
        "exact": bool(counts.equals(scaled)),
    }


def write_extract(factor: int, folder: Path) -> tuple[dict[str, Path], float]:
    """The 2019 rows replicated ``factor`` times as one extract, each copy with its own participant
    ids and the rows mixed as :func:`write_disk_file` mixes them (so Parquet's compression does not
    profit from runs of one row), written as Parquet (zstd) and as CSV (UTF-8, with a header) by DuckDB,
    both from the same query (the same rows; the CSV writer may put them in another order). The row
    numbers are a table, not ``range``, which one thread makes, so that both files are written on every core."""
    from sectorplannen import paths
    from sectorplannen.participants import engine

    files = {"Parquet": folder / f"extract_{factor}x.parquet", "CSV": folder / f"extract_{factor}x.csv"}
    connection = engine.connect(memory_limit="2GB", temp_directory=folder / "spill")
    connection.execute("SET preserve_insertion_order = true")  # the Parquet file's rows in the query's order
    connection.execute("SET enable_progress_bar = false")  # the bench prints its own lines
    start = time.perf_counter()
    connection.execute(
        "CREATE TABLE basis AS SELECT row_number() OVER () - 1 AS rij, * "
        f"FROM read_parquet('{engine.quoted(str(paths.SYNTHETIC))}') WHERE {ROWS_2019}"
    )
    (n,) = connection.execute("SELECT count(*) FROM basis").fetchone()
    connection.execute(f"CREATE TABLE rijen AS SELECT range AS i FROM range({factor} * $n)", {"n": n})
    copies = (
        "SELECT b.deelnemer_id || '-' || (i // $n)::VARCHAR AS deelnemer_id, b.* EXCLUDE (rij, deelnemer_id) "
        "FROM rijen JOIN basis b ON b.rij = (i * 7919) % $n"
    )
    connection.execute(
        f"COPY ({copies}) TO '{engine.quoted(str(files['Parquet']))}' "
        "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1048576)",
        {"n": n},
    )
    connection.execute(f"COPY ({copies}) TO '{engine.quoted(str(files['CSV']))}' (FORMAT csv, HEADER)", {"n": n})
    engine.close(connection)
    return files, time.perf_counter() - start


def _used(start: float) -> dict:
    """Seconds since ``start``, the CPU time of all threads and the peak resident memory so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": time.perf_counter() - start,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
    }


def step_extract(_factor: int, path: str) -> dict:
    """A real extract loaded as a chapter loads it (participants.load): every check in DuckDB, out of
    core, with its own connection (memory limited to extract_sql.MEMORY_LIMIT), then counted by the
    engine over the combinations of the same pass, the rows never in pandas. Both moments are measured:
    ``checked`` when the checks passed (what extract_sql.check does), ``counted`` when the counts are
    made. None of it (but ``sql``) when the file went to the pandas reader."""
    from sectorplannen import participants
    from sectorplannen.participants import extract_sql

    start = time.perf_counter()
    marks = {}
    counted = extract_sql.counted
    # participants.load calls extract_sql.counted: the same call, told to mark when the checks passed
    extract_sql.counted = lambda *args, **kwargs: counted(
        *args, **kwargs, on_checked=lambda: marks.update(_used(start))
    )
    try:
        counts = participants.load(path)
    finally:
        extract_sql.counted = counted
    return {
        "checked": marks,
        "counted": _used(start),
        "rows": int(counts["aantal"].sum()),
        "groups": len(counts),
        "sql": bool(marks),
    }


def step_load(_factor: int, method: str) -> dict:
    """The participant file as a chapter reads it: before, the CSV read and checked row by row; now,
    counted by the engine from Parquet."""
    from sectorplannen import participants, paths

    start = time.perf_counter()
    frame = participants.read_valid(paths.SYNTHETIC_CSV) if method == "pandas" else participants.load("synthetic")
    return {"seconds": time.perf_counter() - start, "rows": len(frame)}


def step_generate(_factor: int, method: str, folder: str) -> dict:
    """The synthetic file generated and written: before, as CSV; now, as Parquet with its CSV export."""
    from sectorplannen.participants import synthetic

    start = time.perf_counter()
    frame = synthetic.generate()
    generated = time.perf_counter()
    synthetic.save(frame, Path(folder) / ("deelnemers.csv" if method == "pandas" else "deelnemers.parquet"))
    return {"seconds": time.perf_counter() - start, "generate": generated - start, "rows": len(frame)}


def run_step(*args: str) -> dict:
    """One step in a fresh process: its figures and its own peak resident memory."""
    out = subprocess.run([sys.executable, __file__, "--step", *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument("--disk", type=int, default=1000)
    parser.add_argument("--step", nargs="+")
    parser.add_argument("--extract", type=int, default=100, help="the scale of the extract checked (0: none)")
    parser.add_argument("--only", choices=["extract"], help="run only this part")
    parser.add_argument(
        "--before",
        action="store_true",
        help="also the pandas path (before the engine), beside the engine: minutes and more than 10 GB at 100x",
    )
    args = parser.parse_args()
    if args.step:
        name, factor, *rest = args.step
        steps = {"pandas": step_pandas, "engine": step_engine, "disk": step_disk, "load": step_load}
        steps["extract"] = step_extract
        result = {**steps, "generate": step_generate}[name](int(factor), *rest)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        result["peak_mb"] = usage.ru_maxrss / 1024
        result["cpu"] = usage.ru_utime + usage.ru_stime  # of every thread: what a busy machine does not change
        print(json.dumps(result))
        return 0
    if args.only == "extract":
        return extract_checked(args.extract)

    before = args.before  # the pandas path (before the engine) only on request: BENCH_BEFORE=1
    methods = ("pandas", "engine") if before else ("engine",)
    print("every step in its own process: seconds and peak memory (resident set) of that process", flush=True)
    with tempfile.TemporaryDirectory(prefix="sectorplannen-synthetic-") as folder:
        steps = {method: run_step("generate", "1", method, folder) for method in methods}
    new = steps["engine"]
    old = f"CSV (before) {steps['pandas']['seconds']:6.2f} s {steps['pandas']['peak_mb']:6.0f} MiB;  " if before else ""
    print(
        f"synthetic file, generated and written:  {old}Parquet + CSV export {new['seconds']:6.2f} s "
        f"{new['peak_mb']:6.0f} MiB  (of which generating {new['generate']:.2f} s; target: under 5 s: "
        f"{'met' if new['generate'] < 5 else 'NOT met'})",
        flush=True,
    )
    steps = {method: run_step("load", "1", method) for method in methods}
    new = steps["engine"]
    old = steps.get("pandas")
    shown = f"CSV checked row by row (before) {old['seconds']:6.2f} s {old['peak_mb']:6.0f} MiB;  " if old else ""
    print(
        f"participant file loaded for a chapter:  {shown}engine, counted from Parquet {new['seconds']:6.2f} s "
        f"{new['peak_mb']:6.0f} MiB  ({new['rows']:,} counts)",
        flush=True,
    )
    print("cohort + descriptive tables (tranche 1-2, 2019)")
    print(f"{'scale':>6} {'rows':>12}  {'pandas (before)':>22}  {'engine (DuckDB)':>22}  {'ratio':>6}  same tables")
    for factor in (int(f) for f in args.factors.split(",")):
        new = run_step("engine", str(factor))
        if not before:
            print(
                f"{factor:>5}x {new['rows']:>12,}  {'(BENCH_BEFORE=1 runs it)':>22}  "
                f"{new['seconds']:8.2f} s {new['peak_mb']:7.0f} MiB",
                flush=True,
            )
            continue
        old = run_step("pandas", str(factor))
        print(
            f"{factor:>5}x {old['rows']:>12,}  {old['seconds']:8.2f} s {old['peak_mb']:7.0f} MiB  "
            f"{new['seconds']:8.2f} s {new['peak_mb']:7.0f} MiB  {new['seconds'] / old['seconds']:6.3f}  "
            f"{'yes' if old['digest'] == new['digest'] else 'NO'}",
            flush=True,
        )
    if args.disk:
        with tempfile.TemporaryDirectory(prefix="sectorplannen-scale-", dir=os.environ.get("TMPDIR")) as folder:
            path, seconds = write_disk_file(args.disk, Path(folder))
            files = sorted(path.parent.glob(path.name))
            megabytes = sum(f.stat().st_size for f in files) / 2**20
            print(
                f"{args.disk}x extract written (DuckDB): {len(files)} Parquet files, {megabytes:,.0f} MiB in all, "
                f"{seconds:.1f} s"
            )
            disk = run_step("disk", str(args.disk), folder)
        print(
            f"{args.disk:>5}x {disk['rows']:>12,}  {'(not run: > 10 GB at 100x)':>22}  "
            f"{disk['seconds']:8.2f} s {disk['peak_mb']:7.0f} MiB  from Parquet on disk, memory limit 2 GB; "
            f"every count {args.disk} x the count of 1x: {'yes' if disk['exact'] else 'NO'}"
        )
    return extract_checked(args.extract)


EXTRACT_TARGET = (15.0, 2048)  # seconds and MiB per format (issue 24)


# The written extracts, kept between runs: outside the repository (where an extract must be), one folder
# per clone, named after its path (make clean removes it).
KEPT = Path(tempfile.gettempdir()) / "sectorplannen-bench" / str(Path(__file__).resolve().parents[1]).replace("/", "_")


def _made_from(factor: int) -> str:
    """The content hash of what the extract of ``factor`` is made from: the synthetic file, the code
    that writes it (with the rows it takes) and DuckDB's version (which writes it)."""
    import hashlib
    import inspect

    import duckdb

    from sectorplannen import hashing, paths

    text = "\n".join(
        [hashing.content_hash(paths.SYNTHETIC), inspect.getsource(write_extract), ROWS_2019, duckdb.__version__]
    )
    return f"{factor}x-" + hashlib.sha256(text.encode()).hexdigest()[:16]


def kept_extract(factor: int) -> tuple[dict[str, Path], float | None]:
    """The extract of ``factor`` as CSV and Parquet, from :data:`KEPT` when a run wrote it from the same
    inputs (seconds None), else written (the seconds it took) into a folder of its own that is renamed
    into place when both files are whole; extracts made from other inputs are removed (each is gigabytes)."""
    import shutil

    from sectorplannen import paths
    from sectorplannen.participants import synthetic

    if not paths.SYNTHETIC.exists():
        synthetic.write()
    folder = KEPT / f"extract-{_made_from(factor)}"
    names = {"Parquet": f"extract_{factor}x.parquet", "CSV": f"extract_{factor}x.csv"}
    if folder.is_dir():
        return {kind: folder / name for kind, name in names.items()}, None
    KEPT.mkdir(parents=True, exist_ok=True)
    for old in KEPT.glob("extract-*"):
        shutil.rmtree(old, ignore_errors=True)
    partial = Path(tempfile.mkdtemp(prefix="writing-", dir=KEPT))
    try:
        files, seconds = write_extract(factor, partial)
        shutil.rmtree(partial / "spill", ignore_errors=True)
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return {kind: folder / path.name for kind, path in files.items()}, seconds


def _into_cache(files: dict[str, Path]) -> float:
    """Read the files once, so that a kept file is timed from the page cache as a freshly written one is
    (a read of its bytes, no parsing). Returns the seconds it took."""
    start = time.perf_counter()
    buffer = bytearray(16 * 1024 * 1024)
    for path in files.values():
        with open(path, "rb", buffering=0) as handle:
            while handle.readinto(buffer):
                pass
    return time.perf_counter() - start


def _figures(figures: dict[str, dict]) -> str:
    return "; ".join(
        f"{kind} {f['seconds']:.1f} s ({f['cpu']:.1f} s CPU), {f['peak_mb']:,.0f} MiB" for kind, f in figures.items()
    )


def extract_checked(factor: int) -> int:
    """The extract checks at ``factor`` times the 2019 rows, as CSV and as Parquet, each loaded as a chapter
    loads it in its own process, which times it checked and counted (one pass over the file each); beside
    the time, the CPU time of all its threads (on two cores shared with other work, the time depends on
    the others; on two free cores it is about half the CPU time, plus what runs on one)."""
    if not factor:
        return 0
    print(f"make bench: the {factor}x extract (CSV and Parquet) ...", flush=True)
    files, seconds = kept_extract(factor)
    sizes = ", ".join(f"{kind} {path.stat().st_size / 2**20:,.0f} MiB" for kind, path in files.items())
    if seconds is None:
        warm = _into_cache(files)
        print(f"{factor}x extract kept from an earlier run ({sizes}; read into the page cache: {warm:.1f} s)")
    else:
        print(f"{factor}x extract written (DuckDB, {seconds:.1f} s): {sizes}", flush=True)
    runs = {kind: run_step("extract", str(factor), str(path)) for kind, path in files.items()}
    checked = {kind: run["checked"] for kind, run in runs.items() if run["sql"]}
    seconds_target, mib_target = EXTRACT_TARGET
    rows = next(iter(runs.values()))["rows"]
    readers = "".join(f" ({kind}: the pandas reader)" for kind, run in runs.items() if not run["sql"])
    met = len(checked) == len(runs) and all(
        f["seconds"] < seconds_target and f["peak_mb"] < mib_target for f in checked.values()
    )
    print(
        f"extract checked, {factor}x: {_figures(checked)}{readers} ({rows:,} rows; target: under "
        f"{seconds_target:.0f} s and {mib_target:,} MiB each: {'met' if met else 'NOT met'})",
        flush=True,
    )
    same = all(run["rows"] == rows for run in runs.values()) and len({run["groups"] for run in runs.values()}) == 1
    print(
        f"extract counted, {factor}x: {_figures({kind: run['counted'] for kind, run in runs.items()})} (checked, "
        f"then counted by the engine from the same pass, as participants.load does; "
        f"{next(iter(runs.values()))['groups']:,} counts of {rows:,} rows, the same from both files: "
        f"{'yes' if same else 'NO'})",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
