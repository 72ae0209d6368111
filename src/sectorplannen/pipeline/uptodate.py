"""Whether the report is up to date, answered before any heavy layer is imported.

A chapter's *fingerprint* (content hashes of everything it reads: its notebook and paired ``.py``,
every file of the package, its data files and participant files, its parameters) is computed
here, with nothing but the standard library, so that ``make report`` with nothing changed can say
so in a fraction of a second: :func:`check` reads the stamp the last complete build left
(``outputs/.build/report.json``: the chapters of the report with the fingerprints they were built
from, and the size, time and inode of every file the build and the site wrote) and recomputes
each fingerprint from the files as they are now. Anything that differs, or anything it cannot
read, sends the command the usual way (which checks everything again and rebuilds what is stale):
this module can only ever say "up to date" for what is, and otherwise says nothing.

A large participant file is hashed once and its hash remembered in the stamp with its size,
inode and timestamps (including the change time, which no program can set back): a file whose
stat is unchanged has the same content (git's rule; a file changed within two seconds of being
hashed is not remembered).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from sectorplannen import datakind, paths
from sectorplannen.hashing import RACY_NS, content_hash, input_name

STAMP_VERSION = 1
PACKAGE = Path(__file__).resolve().parents[1]  # src/sectorplannen
# What the build and the site write and read back (the site reads the pages, manifests and ledgers).
OUTPUT_FOLDERS = (paths.REPORT, paths.RECORDS, paths.LEDGERS)
NOT_OUTPUTS = {"report.json", "timings.json"}  # the stamp itself; timings change with every build
NOT_READ = (".pdf",)  # the printed report (`make pdf`): made from the site, read by nothing


def stamp_path() -> Path:
    return paths.records() / "report.json"


def code_files() -> list[Path]:
    """Every file of the package a build runs or renders with: the code, the page templates, the
    site's styles and scripts (not compiled bytecode)."""
    return sorted(
        p
        for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc" and not p.name.startswith(".")
    )


def code_digest() -> str:
    """One hash of every file of the package (names and contents): what the kernel nursery imported
    must be what a chapter's fingerprint records."""
    digest = hashlib.sha256()
    for path in code_files():
        digest.update(input_name(path).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def input_files(inputs: tuple[str, ...]) -> list[Path]:
    """The data files under a chapter's declared inputs (files and folders relative to the
    repository, :attr:`~sectorplannen.chapters.registry.Entry.inputs`; :func:`paths.data_files`)."""
    files = []
    for name in inputs:
        target = paths.ROOT / name
        files += [target] if target.is_file() else paths.data_files(target)
    return files


def _stat_key(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def participant_hash(path: Path, known: dict | None = None) -> str:
    """SHA-256 of a participant file; from ``known`` (path: [stat key..., hash]) when its stat is
    unchanged."""
    if known:
        entry = known.get(str(path))
        if entry and entry[:-1] == _stat_key(path):
            return entry[-1]
    return content_hash(path)


def fingerprint(
    notebook: Path,
    shown: dict,
    data_kind: str,
    inputs: tuple[str, ...],
    participants: list[Path],
    known: dict | None = None,
    digests: dict | None = None,
) -> str:
    """Content hash of everything a chapter run depends on: its parameters as outputs show them
    (``shown``: an extract by its label) and kind of data, the notebook and its paired ``.py``,
    every file of the package, the data files and the participant files (by content, whatever
    their path). A missing input counts as such, so the run is not current. ``digests`` caches
    file hashes within one check (pass a fresh dict, or None)."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"parameters": shown, "data_kind": data_kind}, sort_keys=True).encode())
    small = [notebook, notebook.with_suffix(".py"), *code_files(), *input_files(inputs)]
    for path in small:
        digest.update(input_name(path).encode())
        if digests is not None and path in digests:
            digest.update(digests[path])
            continue
        value = hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"\0missing"
        if digests is not None:
            digests[path] = value
        digest.update(value)
    for path in participants:
        digest.update(input_name(path).encode())
        digest.update(participant_hash(path, known).encode() if path.is_file() else b"\0missing")
    return digest.hexdigest()


def _outputs() -> dict[str, list[int]]:
    found = {}
    for folder in OUTPUT_FOLDERS:
        root = paths.OUTPUTS / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.name in NOT_OUTPUTS or path.name.startswith(".") or path.suffix in NOT_READ:
                continue
            if path.is_file():
                stat = path.stat()
                found[str(path.relative_to(paths.OUTPUTS))] = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    return found


def write_stamp(chapters: list[dict], show_code: bool, summary: dict) -> None:
    """Record a complete build of the report: ``chapters`` as (name, number, notebook, parameters
    as shown, data kind, inputs, participant files, fingerprint built from), what the site said
    (``summary``), and every output file as it is now."""
    now = time.time_ns()
    known = {}
    for chapter in chapters:
        for name in chapter["participants"]:
            path = Path(name)
            if path.is_file():
                key = _stat_key(path)
                if now - max(key[2], key[3]) > RACY_NS:
                    known[name] = [*key, content_hash(path)]
    record = {
        "version": STAMP_VERSION,
        "show_code": show_code,
        "chapters": chapters,
        "known": known,
        "summary": summary,
        "outputs": _outputs(),
    }
    path = stamp_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def remove_stamp() -> None:
    """Forget the last complete build (any command that changes outputs calls this first)."""
    stamp_path().unlink(missing_ok=True)


def check(show_code: bool) -> dict | None:
    """The stamp of the last complete build when the whole report is still exactly what it made
    (every fingerprint, every output file); None otherwise, or when anything cannot be read."""
    try:
        record = json.loads(stamp_path().read_text(encoding="utf-8"))
        if record.get("version") != STAMP_VERSION or record.get("show_code") != show_code:
            return None
        digests: dict = {}
        for chapter in record["chapters"]:
            if chapter["data_kind"] == datakind.EXTRACT:  # an extract's mapping may appear beside it: the usual way
                return None
            current = fingerprint(
                paths.NOTEBOOKS / f"{chapter['notebook']}.ipynb",
                chapter["parameters"],
                chapter["data_kind"],
                tuple(chapter["inputs"]),
                [Path(p) for p in chapter["participants"]],
                known=record["known"],
                digests=digests,
            )
            if current != chapter["fingerprint"]:
                return None
        if _outputs() != record["outputs"]:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record
