"""The ``sectorplannen`` command line: what the Makefile calls.

``sectorplannen data`` regenerates ``data/published/``; ``sectorplannen verify`` checks it and
lists the findings; ``sectorplannen table A.1 --source 001`` prints one published table.
"""

from __future__ import annotations

import argparse
import sys
import time

from sectorplannen import paths
from sectorplannen.build import kernel, uptodate
from sectorplannen.errors import ChapterFailed, SectorplannenError

# Each command imports the layers it uses when it runs (the one exception to "imports at module level",
# tests/test_layers.py): a no-op `make report` answers from uptodate before pandas or any layer that
# imports it is loaded, in a tenth of the time the imports alone take.


def _data(args) -> int:
    from sectorplannen.participants import synthetic  # layers: imported when the command runs
    from sectorplannen.published import make  # layers: imported when the command runs

    result = make.make_data()
    start = time.perf_counter()
    frame = synthetic.generate()
    path = synthetic.save(frame)
    seconds = time.perf_counter() - start
    print(f"{path.relative_to(paths.ROOT)}: SYNTHETIC participant file written ({seconds:.1f} s)")
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
        site.build(paths.OUTPUTS / "report", chapters)
        raise


def _site(chapters=()) -> dict:
    from sectorplannen import site  # layers: imported when the command runs

    made = site.build(paths.OUTPUTS / "report", chapters)
    print(f"site: {made['pages']} pagina's, {made['claims']} getallen ({made['seconds']:.1f} s)")
    return made


def _report(args) -> int:
    done = None if args.force else uptodate.check(args.show_code)
    if done:  # nothing changed since the last complete build: say so without importing the layers
        for chapter in done["chapters"]:
            print(f"[actueel] hoofdstuk {chapter['number']} {chapter['name']}")
        summary = done["summary"]
        print(f"site: actueel, {summary['pages']} pagina's, {summary['claims']} getallen")
        print(f"report: {paths.OUTPUTS / 'report' / 'index.html'}")
        return 0
    with kernel.nursery():  # its imports for the kernels run while the layers are imported here
        from sectorplannen.build import report  # layers: imported when the command runs

        uptodate.remove_stamp()
        _with_site(lambda: report.build(show_code=args.show_code, jobs=args.jobs, force=args.force))
    made = _site()
    report.write_stamp(args.show_code, {"pages": made["pages"], "claims": made["claims"]})
    print(f"report: {paths.OUTPUTS / 'report' / 'index.html'}")
    return 0


def _pdf(args) -> int:
    from sectorplannen.site import pdf  # layers: imported when the command runs

    path = pdf.build(paths.OUTPUTS / "report")
    print(f"pdf: {path} ({pdf.page_count(path)} pagina's)")
    return 0


def _chapter(args) -> int:
    from sectorplannen.build import report  # layers: imported when the command runs
    from sectorplannen.chapters import registry  # layers: imported when the command runs

    parameters = registry.parse_params(args.params)
    if args.tranche:
        parameters["tranche"] = args.tranche
    chapter = registry.chapter_for(args.notebook, parameters)
    with kernel.nursery():
        (html,) = _with_site(
            lambda: report.build([chapter], show_code=args.show_code, jobs=1, force=args.force), [chapter]
        )
    _site([chapter])
    print(f"chapter: {html}")
    return 0


def _robustness(args) -> int:
    from sectorplannen import participants  # layers: imported when the command runs
    from sectorplannen.chapters import robuustheid  # layers: imported when the command runs

    start = time.perf_counter()
    sensitivity = robuustheid.compute(jobs=args.jobs)
    written = robuustheid.write(sensitivity)
    weighed = sensitivity.summary[robuustheid.conclusion_rows(sensitivity.summary)]
    print(
        f"{sensitivity.n_variants} varianten, {len(sensitivity.summary)} getallen die kloppen en uit de plannen "
        "volgen, "
        f"{len(weighed)} gewogen conclusies: {int(weighed['houdt_altijd'].sum())} houden altijd stand "
        f"({time.perf_counter() - start:.1f} s)"
    )
    if args.deelnemers:
        start = time.perf_counter()
        frame = robuustheid.participants_synthetic(participants.load("synthetic"))
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
    from sectorplannen.build import sweep  # layers: imported when the command runs

    chapters = sweep.load_grid(args.grid)
    print(f"sweep: {len(chapters)} varianten van {chapters[0].notebook if chapters else '-'}")
    built = _with_site(lambda: sweep.run(chapters, jobs=args.jobs, show_code=args.show_code), chapters)
    _site(chapters)
    for html in built:
        print(f"  {html}")
    return 0


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
    r.set_defaults(func=_report)
    sub.add_parser("pdf", help="print the built report to one PDF (headless Chromium)").set_defaults(func=_pdf)
    c = sub.add_parser("chapter", help="run one chapter notebook with other parameters")
    c.add_argument("notebook", help="notebook name, e.g. uitvoering")
    c.add_argument("--tranche", help="tranche: 1-2, 3, 1 or 2")
    c.add_argument("--params", help='more parameters: key=value pairs in YAML, e.g. exclude_plans=["Bouw"] top_n=10')
    c.add_argument("--show-code", action="store_true", help="show the code cells in the HTML")
    c.add_argument("--force", action="store_true", help="rebuild even if the inputs did not change")
    c.set_defaults(func=_chapter)
    g = sub.add_parser("robuustheid", help="recompute every claim with each plan (and group of plans) left out")
    g.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    g.add_argument("--deelnemers", action="store_true", help="also the participant claims, on the synthetic file")
    g.set_defaults(func=_robustness)
    w = sub.add_parser("sweep", help="run the chapter variants of a parameter grid on a Dask cluster")
    w.add_argument("grid", help="grid file (YAML: notebook, parameters with lists of values)")
    w.add_argument("--jobs", type=int, default=2, help="workers of the local cluster (default 2)")
    w.add_argument("--show-code", action="store_true", help="show the code cells in the HTML")
    w.set_defaults(func=_sweep)
    t = sub.add_parser("table", help="print one published table")
    t.add_argument("table", help="table id as printed, e.g. A.1 or 3.1")
    t.add_argument("--source", default="001", help="seed number (000-004); default 001")
    t.add_argument("--rows", type=int, default=60, help="rows to print")
    t.set_defaults(func=_table)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
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
