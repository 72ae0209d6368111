"""``make data`` and ``make verify``: regenerate ``data/published/`` and check it.

:func:`make_data` builds every file in memory, checks the new tables in a scratch folder, then
writes them into ``data/published/`` (each file atomically), so a failing build changes nothing.
:func:`verify` checks that ``data/published/`` is what ``data/raw/`` gives, runs every check and
reports the findings.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sectorplannen import findings, paths, published
from sectorplannen.checks import Discrepancy, all_discrepancies, load_spec


@dataclass
class Result:
    files: dict[str, str]
    discrepancies: list[Discrepancy]
    classified: pd.DataFrame
    unused: list[findings.Explanation]


def _loader(data_dir: Path):
    cache: dict[tuple[str, str], pd.DataFrame] = {}

    def load(seed: str, table_id: str) -> pd.DataFrame:
        if (seed, table_id) not in cache:
            cache[seed, table_id] = published.table(table_id, seed, data_dir, check_totals=False)
        return cache[seed, table_id]

    return load


def build_all(raw_dir: Path | None = None) -> Result:
    """Everything ``make data`` writes, computed without touching ``data/published/``."""
    raw_dir = raw_dir or paths.RAW
    files = published.build(raw_dir=raw_dir)
    with tempfile.TemporaryDirectory(prefix="sectorplannen-") as scratch:
        published.write(files, Path(scratch))
        found = all_discrepancies(
            _loader(Path(scratch)), load_spec(raw_dir / "checks.yaml"), published.tables(Path(scratch))
        )
    recorded = findings.explanations(raw_dir / "findings.yaml")
    classified = findings.classify(found, recorded)
    files["findings.csv"] = findings.to_csv_text(classified)
    files = published.add_hashes(files)
    return Result(files, found, classified, findings.unused(found, recorded))


def make_data(out_dir: Path | None = None) -> Result:
    result = build_all()
    published.write(result.files, out_dir)
    return result


def stale_files(result: Result, out_dir: Path | None = None) -> list[str]:
    """Published files that differ from what ``data/raw/`` gives (or are missing)."""
    out_dir = out_dir or paths.PUBLISHED
    stale = []
    for relative, text in result.files.items():
        target = out_dir / relative
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            stale.append(relative)
    return stale


def report(result: Result) -> str:
    """The findings as text, grouped by status."""
    frame = result.classified
    lines = [
        f"{len(frame)} bevindingen: "
        + ", ".join(f"{n} {status}" for status, n in frame["status"].value_counts().sort_index().items())
    ]
    for status in ("onverklaard", "verklaard", "afronding"):
        part = frame[frame["status"] == status]
        if part.empty:
            continue
        lines.append(f"\n== {status} ({len(part)})")
        for r in part.itertuples(index=False):
            lines.append(
                f"  {r.check:<12} {r.table:<9} {r.row[:38]:<38} {r.category[:34]:<34} "
                f"gedrukt {r.published:>14,.6g}  berekend {r.computed:>14,.6g}  r. {r.line}"
            )
            if status == "verklaard":
                lines.append(f"      {r.explanation}")
    for e in result.unused:
        lines.append(
            f"\nSTALE explanation in findings.yaml matches no discrepancy: {e.check} {e.table} "
            f"{e.row or '*'} {e.category or '*'}"
        )
    return "\n".join(lines)
