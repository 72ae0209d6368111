"""``make data`` and ``make verify``: regenerate ``data/published/`` and check it.

:func:`make_data` builds every file in memory, checks the new tables in a scratch folder, then
writes them into ``data/published/`` (each file atomically), so a failing build changes nothing.
:func:`verify` checks that ``data/published/`` is what ``data/raw/`` gives, runs every check and
reports the findings.

``make data`` records the SHA-256 of every file of ``data/raw/`` it read in ``datapackage.json``;
:func:`check_raw` compares them before a report build, so a table edited without ``make data``
is named instead of giving chapters from stale published data. It refuses to write anything
while a difference has no explanation (:class:`UnexplainedFindings`).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sectorplannen import notation, paths, published, reuse
from sectorplannen.errors import StaleRawData, UnexplainedFindings
from sectorplannen.published import findings, load, plausibility, tidy
from sectorplannen.published.checks import Discrepancy, all_discrepancies, load_spec

REUSED = "published-tables"  # the name of build_all's kept result (sectorplannen.reuse)


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
    files = tidy.build(raw_dir=raw_dir)
    with tempfile.TemporaryDirectory(prefix="sectorplannen-") as scratch:
        load.write(files, Path(scratch))
        loader, spec = _loader(Path(scratch)), load_spec(raw_dir / "checks.yaml")
        found = all_discrepancies(loader, spec, published.tables(Path(scratch))) + plausibility.all_flags(loader, spec)
    recorded = findings.explanations(raw_dir / "findings.yaml")
    classified = findings.classify(found, recorded)
    files["findings.csv"] = findings.to_csv_text(classified)
    files = add_raw_hashes(tidy.add_hashes(files), raw_dir)
    return Result(files, found, classified, findings.unused(found, recorded))


def inputs(raw_dir: Path | None = None) -> list[Path]:
    """What :func:`build_all` reads (every file of ``data/raw/``) and the code of the layers that
    compute it: the key of its reused result."""
    return [*raw_files(raw_dir), *reuse.code("sources", "published")]


def make_data(out_dir: Path | None = None, raw_dir: Path | None = None) -> Result:
    """Build everything from ``raw_dir`` (once per state of :func:`inputs`, :mod:`sectorplannen.reuse`:
    a second ``make data`` with nothing changed only writes the files again) and write it into
    ``out_dir``; writes nothing when a difference has no explanation (raises :class:`UnexplainedFindings`)."""
    result = reuse.reused(REUSED, inputs(raw_dir), lambda: build_all(raw_dir))
    check_explained(result)
    load.write(result.files, out_dir)
    return result


def check_explained(result: Result, shown: int = 3) -> None:
    """Raise :class:`UnexplainedFindings` naming the differences without an explanation."""
    frame = result.classified[result.classified["status"] == "onverklaard"]
    if frame.empty:
        return
    named = [
        f"{r.check} {r.table} row {r.row!r} column {r.category!r} (printed {r.published:g}, computed {r.computed:g})"
        for r in frame.head(shown).itertuples(index=False)
    ]
    more = f" and {len(frame) - shown} more" if len(frame) > shown else ""
    raise UnexplainedFindings(
        f"make data: {len(frame)} difference(s) without an explanation: {'; '.join(named)}{more}; "
        "add an explanation to data/raw/findings.yaml or fix the table (`make verify` lists them); "
        "nothing was written"
    )


def raw_files(raw_dir: Path | None = None) -> list[Path]:
    """Every file of data/raw/ that ``make data`` (or a chapter) reads: the tables, the register,
    the categories, the checks, the findings and the sources; not the README, nor hidden files
    (an editor's swap file, a temporary file)."""
    raw_dir = raw_dir or paths.RAW
    return [p for p in sorted(raw_dir.rglob("*")) if p.is_file() and p.suffix != ".md" and not _hidden(p, raw_dir)]


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(folder).parts)


def raw_hashes(raw_dir: Path | None = None) -> dict[str, str]:
    """``{"data/raw/001/A.3.txt": "sha256:..."}`` for every raw file (named as in the repository,
    also when ``raw_dir`` is a copy)."""
    raw_dir = raw_dir or paths.RAW
    return {
        f"data/raw/{p.relative_to(raw_dir).as_posix()}": "sha256:" + hashlib.sha256(p.read_bytes()).hexdigest()
        for p in raw_files(raw_dir)
    }


def add_raw_hashes(files: dict[str, str], raw_dir: Path | None = None) -> dict[str, str]:
    """Record the raw files the build read in datapackage.json (``sectorplannen.raw``)."""
    package = json.loads(files["datapackage.json"])
    package["sectorplannen"] = {"raw": raw_hashes(raw_dir)}
    return {**files, "datapackage.json": json.dumps(package, ensure_ascii=False, indent=2) + "\n"}


def check_raw(raw_dir: Path | None = None, published_dir: Path | None = None) -> None:
    """Raise :class:`StaleRawData` naming the first raw file that changed, appeared or went away
    since ``make data`` wrote ``published_dir`` (hashes only: a few milliseconds)."""
    package_path = Path(published_dir or paths.PUBLISHED) / "datapackage.json"
    try:
        recorded = json.loads(package_path.read_text(encoding="utf-8"))["sectorplannen"]["raw"]
    except (OSError, ValueError, KeyError, TypeError):
        raise StaleRawData(
            f"{shown(package_path)} records no hashes of data/raw/ (written before this check): run `make data`"
        ) from None
    now = raw_hashes(raw_dir)
    problems = [f"{name} changed" for name in now if name in recorded and recorded[name] != now[name]]
    problems += [f"{name} is new" for name in now if name not in recorded]
    problems += [f"{name} was removed" for name in recorded if name not in now]
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise StaleRawData(f"{problems[0]} since `make data`{more}: run `make data`")


def shown(path: Path) -> str:
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


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
        # the rows one explanation covers together, then that explanation once; a row found by two
        # checks alike is listed once
        groups: dict[str, list[str]] = {}
        for r in part.itertuples(index=False):
            line = (
                f"  {r.check:<12} {r.table:<9} {r.row[:38]:<38} {r.category[:34]:<34} "
                f"gedrukt {notation.exact(r.published):>16}  berekend {notation.exact(r.computed):>16}  r. {r.line}"
            )
            rows = groups.setdefault(r.explanation if status == "verklaard" else "", [])
            if line not in rows:
                rows.append(line)
        for explanation, rows in groups.items():
            lines.extend(rows)
            if explanation:
                lines.append(f"      {explanation}")
    for e in result.unused:
        lines.append(
            f"\nSTALE explanation in findings.yaml matches no discrepancy: {e.check} {e.table} "
            f"{e.row or '*'} {e.category or '*'}"
        )
    return "\n".join(lines)
