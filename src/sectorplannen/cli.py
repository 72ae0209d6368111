"""The ``sectorplannen`` command line: what the Makefile calls.

``sectorplannen data`` regenerates ``data/published/``; ``sectorplannen verify`` checks it and
lists the findings; ``sectorplannen table A.1 --source 001`` prints one published table.
"""

from __future__ import annotations

import argparse
import sys

from sectorplannen import build, published
from sectorplannen.plans import UnknownPlanError
from sectorplannen.rawtable import RawTableError

USER_ERRORS = (RawTableError, published.PublishedDataError, UnknownPlanError, ValueError, FileNotFoundError)


def _data(args) -> int:
    result = build.make_data()
    tables = sum(1 for name in result.files if name.count("/") == 1)
    cells = sum(text.count("\n") - 1 for name, text in result.files.items() if name.count("/") == 1)
    print(f"data/published: {tables} tables, {cells} cells, {len(result.classified)} findings written")
    return 0


def _verify(args) -> int:
    result = build.build_all()
    stale = build.stale_files(result)
    print(build.report(result))
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
    if status == 0:
        print("\nOK every difference is rounding-level or explained")
    return status


def _table(args) -> int:
    frame = published.table(args.table, args.source)
    print(frame.attrs["title"])
    print(frame.to_string(max_rows=args.rows))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sectorplannen", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("data", help="regenerate data/published/ from data/raw/").set_defaults(func=_data)
    sub.add_parser("verify", help="run every check, list findings; fail on an unexplained difference").set_defaults(
        func=_verify
    )
    t = sub.add_parser("table", help="print one published table")
    t.add_argument("table", help="table id as printed, e.g. A.1 or 3.1")
    t.add_argument("--source", default="001", help="seed number (000-004); default 001")
    t.add_argument("--rows", type=int, default=60, help="rows to print")
    t.set_defaults(func=_table)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except USER_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
