"""The ``sectorplannen`` command line: what the Makefile calls.

``sectorplannen data`` regenerates ``data/published/``; ``sectorplannen verify`` checks it and
lists the findings; ``sectorplannen table A.1 --source 001`` prints one published table.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from sectorplannen import datakind, paths
from sectorplannen.errors import ChapterFailed, ParameterError, SectorplannenError
from sectorplannen.pipeline import files, kernel, uptodate

# Each command imports the layers it uses when it runs (the one exception to "imports at module level",
# tests/test_layers.py): a no-op `make report` answers from uptodate before pandas or any layer that
# imports it is loaded, in a tenth of the time the imports alone take.


def _data(args) -> int:
    from sectorplannen.participants import synthetic  # layers: imported when the command runs
    from sectorplannen.published import make  # layers: imported when the command runs

    start = time.perf_counter()
    # the synthetic file is made from data/published/: generated (and written) alongside it, or reused,
    # see synthetic.generated_and_saved
    frame, result, how, written = synthetic.generated_and_saved(make.make_data)
    done = "written" if written else "unchanged (the same file is there)"
    seconds = time.perf_counter() - start
    print(f"{make.shown(paths.SYNTHETIC)}: SYNTHETIC participant file {done} ({how}; {seconds:.1f} s with the tables)")
    missed = frame.attrs["niet gehaald"]
    if missed:
        print(
            f"  calibrated to every participant claim but {len(missed)}, which contradict other claims "
            f"(explained in data/claims/verschillen_arbeidsmarktpositie.yaml): {', '.join(missed)}"
        )
    tables = sum(1 for name in result.files if name.count("/") == 1)
    cells = sum(text.count("\n") - 1 for name, text in result.files.items() if name.count("/") == 1)
    print(f"data/published: {tables} tables, {cells} cells, {len(result.classified)} findings written")
    return 0


def _verify(args) -> int:
    from sectorplannen import claims  # layers: imported when the command runs
    from sectorplannen.chapters.ledgers import published_ledgers  # layers: imported when the command runs
    from sectorplannen.published import make  # layers: imported when the command runs

    result = make.build_all()
    stale = make.stale_files(result)
    print(make.report(result))
    status = 0
    if stale:
        print(
            f"\nFAIL data/published/ is not what data/raw/ gives ({', '.join(stale[:5])}"
            f"{' ...' if len(stale) > 5 else ''}): run `make data`"
        )
        status = 1
    unexplained = int((result.classified["status"] == "onverklaard").sum())
    if unexplained:
        print(f"\nFAIL {unexplained} difference(s) without an explanation in data/raw/findings.yaml")
        status = 1
    if result.unused:
        print(f"\nFAIL {len(result.unused)} explanation(s) in data/raw/findings.yaml match nothing")
        status = 1
    ledgers = published_ledgers()
    # the participant chapter's claims that the published tables compute (A.8, A.13, the register)
    ledgers["arbeidsmarktpositie (plantabellen)"] = claims.plan_level("arbeidsmarktpositie")
    print("\nGrootboeken (gepubliceerde selectie):")
    for name, frame in ledgers.items():
        counts = claims.summary(frame)
        print(f"  {name:<16} {len(frame):>4} claims: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n))
        for row in frame[~frame["verklaard"]].itertuples(index=False):
            print(
                f"    FAIL {row.claim} gedrukt {row.gepubliceerd}, berekend {row.berekend}: geen toelichting "
                "in data/claims/verschillen.yaml"
            )
            status = 1
    total = {s: sum(claims.summary(frame)[s] for frame in ledgers.values()) for s in claims.STATUSES}
    other = [f"{n} {s}" for s, n in total.items() if n and s not in (claims.STATUS_REPRODUCED, claims.STATUS_DIFFERS)]
    print(
        f"\n  Reproductie: {total[claims.STATUS_REPRODUCED]} van {sum(total.values())} getallen gereproduceerd uit "
        f"andere gegevens dan het gedrukte getal; {total[claims.STATUS_DIFFERS]} wijken af (toegelicht); "
        f"geen bewijs van reproductie: {', '.join(other)}."
    )
    absent = claims.not_computable(list(ledgers.values()))
    print("  Niet berekenbaar, naar wat ontbreekt: " + "; ".join(f"{key} {n}" for key, n in absent.items()) + ".")
    if absent.get("zonder ontbrekende invoer"):
        print(f"  FAIL {absent['zonder ontbrekende invoer']} niet berekenbare claim(s) zonder 'Ontbreekt: <invoer>.'")
        status = 1
    for claim in claims.stale_explanations(ledgers):
        print(f"  FAIL data/claims/verschillen.yaml explains {claim}, which does not differ (any more)")
        status = 1
    if status == 0:
        print("\nOK every difference is rounding-level or explained")
    return status


def _table(args) -> int:
    from sectorplannen import published  # layers: imported when the command runs

    frame = published.table(args.table, args.source)
    print(frame.attrs["title"])
    print(frame.to_string(max_rows=args.rows))
    return 0


def _with_site(build, chapters=()):
    """Run a build, then make the report a site (navigation, the page of all numbers, search), also
    when chapters failed: the pages that were built are linked."""
    from sectorplannen import site  # layers: imported when the command runs

    try:
        return build()
    except ChapterFailed:
        site.build(paths.report(), chapters)
        raise


def _site(chapters=()) -> dict:
    from sectorplannen import site  # layers: imported when the command runs

    made = site.build(paths.report(), chapters)
    print(f"site: {made['pages']} pagina's, {made['claims']} getallen ({made['seconds']:.1f} s)")
    return made


def _report(args) -> int:
    files.remove_stale()  # what killed builds left, before anything else (standard library only)
    done = None if args.force else uptodate.check(args.show_code)
    if done:  # nothing changed since the last complete build: say so without importing the layers
        for chapter in done["chapters"]:
            print(f"[actueel] hoofdstuk {chapter['number']} {chapter['name']}")
        summary = done["summary"]
        print(f"site: actueel, {summary['pages']} pagina's, {summary['claims']} getallen")
        print(f"report: {paths.report() / 'index.html'}")
        return 0
    files.check_writable()  # read-only outputs: one line before anything is removed or written
    with kernel.nursery():  # its imports for the kernels run while the layers are imported here
        from sectorplannen.pipeline import report  # layers: imported when the command runs

        uptodate.remove_stamp()
        _with_site(lambda: report.build(show_code=args.show_code, jobs=args.jobs, force=args.force))
    made = _site()
    report.write_stamp(args.show_code, {"pages": made["pages"], "claims": made["claims"]})
    print(f"report: {paths.report() / 'index.html'}")
    return 0


def _pdf(args) -> int:
    from sectorplannen.site import pdf  # layers: imported when the command runs

    path = pdf.build(paths.report())
    print(f"pdf: {path} ({pdf.page_count(path)} pagina's)")
    return 0


def _chapter(args) -> int:
    from sectorplannen.chapters import registry  # layers: imported when the command runs

    files.remove_stale()
    files.check_writable()
    parameters = registry.parse_params(args.params)
    if args.tranche:
        parameters["tranche"] = args.tranche
    chapter = registry.chapter_for(args.notebook, parameters)
    # the build layer (and the participants layer under it) only once the parameters are right, so
    # that a mistake in them is answered before half a second of imports it does not need
    from sectorplannen.pipeline import report  # layers: imported when the command runs

    with kernel.nursery():
        (html,) = _with_site(
            lambda: report.build([chapter], show_code=args.show_code, jobs=1, force=args.force), [chapter]
        )
    _site([chapter])
    print(f"chapter: {html}")
    return 0


def _compare(args) -> int:
    from sectorplannen import site  # layers: imported when the command runs
    from sectorplannen.site import comparison, pages  # layers: imported when the command runs

    files.check_writable()
    report_dir = paths.report()
    a, b = comparison.request(paths.records(), pages.chapter_pages(report_dir), args.a, args.b)
    uptodate.remove_stamp()  # the site gets a page the stamp does not know
    site.build(report_dir)
    print(f"vergelijking: {report_dir / comparison.href(a, b)}")
    return 0


def _robustness(args) -> int:
    from sectorplannen import participants  # layers: imported when the command runs
    from sectorplannen.chapters import robuustheid  # layers: imported when the command runs

    start = time.perf_counter()
    sensitivity = robuustheid.sensitivity(jobs=args.jobs)
    written = robuustheid.write(sensitivity)
    print(f"{robuustheid.counts_line(sensitivity)} ({time.perf_counter() - start:.1f} s)")
    if args.deelnemers:
        start = time.perf_counter()
        frame = robuustheid.participants_synthetic(participants.load(datakind.SYNTHETIC))
        target = robuustheid.write_table(frame, "deelnemers_synthetisch.csv")
        print(
            f"deelnemersclaims op het SYNTHETISCHE bestand (gekalibreerd; geen bewijs over het rapport): "
            f"{frame['variant'].nunique()} varianten ({time.perf_counter() - start:.1f} s)"
        )
        written.append(target)
    for path in written:
        print(f"  {path}")
    return 0


def _sweep(args) -> int:
    from sectorplannen.pipeline import sweep  # layers: imported when the command runs

    files.remove_stale()
    files.check_writable()
    chapters = sweep.load_grid(args.grid)
    print(f"sweep: {len(chapters)} varianten van {chapters[0].notebook if chapters else '-'}")
    built = _with_site(lambda: sweep.run(chapters, jobs=args.jobs, show_code=args.show_code), chapters)
    _site(chapters)
    for html in built:
        print(f"  {html}")
    return 0


def _releases(args) -> int:
    from sectorplannen.participants import releases  # layers: imported when the command runs

    if args.reset is not None:
        entry = releases.reset(args.reset, args.reason or "")
        print(
            f"release record {entry['key'][:12]} reset ({entry['releases']} releases kept aside in "
            f"{releases.root() / entry['kept_in']}); reason recorded: {entry['reason']}"
        )
        return 0
    records = releases.listing()
    print(f"release records: {releases.root()}")
    if not records:
        print("  none: no run of a real extract has shown anything yet")
    for record in records:
        print(
            f"  {record['key'][:12]}  {record['releases']} releases, {record['counts']} counts shown, last "
            f"{record['last']}, lowest threshold {record['min_cell']}"
        )
        for run in record["runs"]:
            print(f"      {run}")
    for entry in releases.resets():
        print(f"  reset {entry['key'][:12]} on {entry['time']} by {entry['user']}: {entry['reason']}")
    return 0


# `make report/chapter/sweep` passes what was typed after make in these variables (see the Makefile):
# read here as text, so neither make nor a shell ever interprets NB, TRANCHE, PARAMS or GRID.
MAKE_PREFIX = "SECTORPLANNEN_MAKE_"


USAGE = {
    "chapter": "usage: make chapter NB=<notebook> [TRANCHE=1-2|3|1|2] [PARAMS='key=value ...'] [FORCE=1]",
    "sweep": "usage: make sweep GRID=path/to/grid.yaml (see src/sectorplannen/pipeline/sweep.py)",
    "compare": "usage: make compare A=<run> B=<run> (two runs of one chapter, named as their pages in outputs/report/)",
}


def _make_value(name: str) -> str:
    return os.environ.get(MAKE_PREFIX + name, "").strip()


def _from_make(args) -> str | None:
    """Fill ``args`` from what `make` was given (its variables, passed in the environment as typed);
    returns the target's usage line when NB or GRID is missing. A JOBS that is no number is one line."""
    jobs = _make_value("JOBS") or "2"
    if not jobs.isdigit() or int(jobs) < 1:
        raise ParameterError(f"JOBS must be a whole number of at least 1, not {jobs!r}: e.g. make report JOBS=2")
    args.jobs = int(jobs)
    args.show_code = bool(_make_value("SHOW_CODE"))
    args.force = bool(_make_value("FORCE"))
    if args.command == "chapter":
        args.notebook = _make_value("NB")
        args.tranche = _make_value("TRANCHE") or None
        args.params = os.environ.get(MAKE_PREFIX + "PARAMS") or None
    if args.command == "sweep":
        args.grid = _make_value("GRID")
    if args.command == "compare":
        args.a, args.b = _make_value("A"), _make_value("B")
        if not (args.a and args.b):
            return USAGE["compare"]
    for command, name in (("chapter", "notebook"), ("sweep", "grid")):
        if args.command == command and not getattr(args, name):
            return USAGE[command]
    return None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sectorplannen", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("data", help="regenerate data/published/ from data/raw/").set_defaults(func=_data)
    sub.add_parser("verify", help="run every check, list findings; fail on an unexplained difference").set_defaults(
        func=_verify
    )
    r = sub.add_parser("report", help="run every chapter notebook and render the HTML report")
    r.add_argument("--show-code", action="store_true", help="show the code cells in the HTML")
    r.add_argument("--jobs", type=int, default=2, help="chapters run in parallel (default 2)")
    r.add_argument("--force", action="store_true", help="rebuild chapters whose inputs did not change")
    r.add_argument("--from-make", action="store_true", help="read JOBS, SHOW_CODE, FORCE as `make report` passes them")
    r.set_defaults(func=_report)
    sub.add_parser("pdf", help="print the built report to one PDF (headless Chromium)").set_defaults(func=_pdf)
    c = sub.add_parser("chapter", help="run one chapter notebook with other parameters")
    c.add_argument("notebook", nargs="?", default="", help="notebook name, e.g. uitvoering")
    c.add_argument("--tranche", help="tranche: 1-2, 3, 1 or 2")
    c.add_argument("--params", help='more parameters: key=value pairs in YAML, e.g. exclude_plans=["Bouw"] top_n=10')
    c.add_argument("--show-code", action="store_true", help="show the code cells in the HTML")
    c.add_argument("--force", action="store_true", help="rebuild even if the inputs did not change")
    c.add_argument("--from-make", action="store_true", help="read NB, TRANCHE, PARAMS, ... from `make chapter`")
    c.set_defaults(func=_chapter)
    g = sub.add_parser("robuustheid", help="recompute every claim with each plan (and group of plans) left out")
    g.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    g.add_argument("--deelnemers", action="store_true", help="also the participant claims, on the synthetic file")
    g.set_defaults(func=_robustness)
    w = sub.add_parser("sweep", help="run the chapter variants of a parameter grid on a Dask cluster")
    w.add_argument("grid", nargs="?", default="", help="grid file (YAML: notebook, parameters with lists of values)")
    w.add_argument("--jobs", type=int, default=2, help="workers of the local cluster (default 2)")
    w.add_argument("--show-code", action="store_true", help="show the code cells in the HTML")
    w.add_argument("--from-make", action="store_true", help="read GRID, JOBS, SHOW_CODE as `make sweep` passes them")
    w.set_defaults(func=_sweep)
    v = sub.add_parser("compare", help="compare two runs of one chapter, per number and per table cell (a page)")
    v.add_argument("a", nargs="?", default="", help="the first run: the name of its page in outputs/report/")
    v.add_argument("b", nargs="?", default="", help="the second run")
    v.add_argument("--from-make", action="store_true", help="read A and B as `make compare` passes them")
    v.set_defaults(func=_compare)
    e = sub.add_parser("releases", help="list what runs of each real extract have shown (the release record)")
    e.add_argument("--reset", metavar="KEY", help="start the record of this extract afresh (needs --reason)")
    e.add_argument("--reason", help="why the record is reset (kept with the record)")
    e.set_defaults(func=_releases)
    t = sub.add_parser("table", help="print one published table")
    t.add_argument("table", help="table id as printed, e.g. A.1 or 3.1")
    t.add_argument("--source", default="001", help="seed number (000-004); default 001")
    t.add_argument("--rows", type=int, default=60, help="rows to print")
    t.set_defaults(func=_table)
    return p


def main(argv: list[str] | None = None) -> int:
    commands = parser()
    args = commands.parse_args(argv)
    if args.command in USAGE and not getattr(args, "from_make", False):
        names = {"chapter": ["notebook"], "sweep": ["grid"], "compare": ["a", "b"]}[args.command]
        missing = [name for name in names if not getattr(args, name)]
        if missing:
            commands.error(f"the following arguments are required: {', '.join(missing)}")  # exits 2 with the usage
    try:
        usage = _from_make(args) if getattr(args, "from_make", False) else None
    except ParameterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if usage:
        print(usage, file=sys.stderr)
        return 2
    if getattr(args, "jobs", 1) < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt as stop:
        if hasattr(stop, "exit_status"):  # build.workers.Interrupted: the build has said what it stopped
            return stop.exit_status
        print("[gestopt] onderbroken", file=sys.stderr)  # Ctrl-C outside a build's chapter runs: one line
        return 130
    except SectorplannenError as exc:  # a user's mistake: its message says what and where; a bug keeps its traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
