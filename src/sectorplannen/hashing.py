"""Content hashes: what decides whether an output is current, and how a confidential file is named.

Hashes, not timestamps: a file is current when its sources hash as they did when it was made.
A real participant extract is named in outputs only by a short hash of its content.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import time
from pathlib import Path

from sectorplannen import paths
from sectorplannen.errors import ParameterError


def file_stamp(path: Path) -> tuple:
    """A file's size, modification time and inode (``(None,)`` when it is absent): the key under which
    one process keeps what it read and validated from the file, so a file read again in the same run is
    not parsed again and a file changed meanwhile is. Between runs, content hashes decide (above)."""
    try:
        found = Path(path).stat()
    except OSError:
        return (None,)
    return found.st_size, found.st_mtime_ns, found.st_ino


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_HASHES: dict[tuple, str] = {}


# A file modified this recently may change again within the same timestamp tick, so its hash is not
# remembered (git's "racily clean" rule).
RACY_NS = 2_000_000_000


def content_hash(path: Path) -> str:
    """SHA-256 of a (possibly large) file's content. Within one process a file whose size, inode
    and timestamps did not change is hashed once: the synthetic participant file is 120 MB and two
    chapters read it."""
    stat = path.stat()
    key = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    if key in _HASHES:
        return _HASHES[key]
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > RACY_NS:
        _HASHES[key] = digest
    return digest


def extract_label(data_source) -> str:
    """How outputs name a real participant extract: a short hash of its content, so the same extract
    given by two paths is one variant (of its path only while it is not a readable file), never
    the path itself."""
    path = Path(str(data_source)).expanduser()
    try:
        regular = stat.S_ISREG(path.stat().st_mode)  # stat, not open: a FIFO must not block here
    except OSError:
        regular = False
    if regular:
        try:
            return "extract-" + content_hash(path)[:8]
        except OSError:
            pass
    return "extract-" + hashlib.sha256(str(data_source).encode()).hexdigest()[:8]


# A build hands a chapter's kernel the path of a real extract in this environment variable, and the
# notebook only the extract's label: the parameters papermill writes into the notebook (and into a
# half-written notebook a killed worker leaves) never hold the path.
EXTRACT_VARIABLE = "SECTORPLANNEN_EXTRACT"


_LABEL = re.compile(r"extract-[0-9a-f]{8}")


def resolve_extract(data_source):
    """The path behind ``data_source`` when it is the label of the extract this process was given
    (:data:`EXTRACT_VARIABLE`); any other value as it is. A label without its extract is one line."""
    if not isinstance(data_source, str) or not _LABEL.fullmatch(data_source):
        return data_source
    given = os.environ.get(EXTRACT_VARIABLE)
    if given and extract_label(given) == data_source:
        return given
    raise ParameterError(
        f"data_source {data_source!r} is the label of an extract, not its path: give the path of the extract "
        "(make chapter passes it to the notebook itself)"
    )


def input_name(path: Path) -> str:
    """How the fingerprint names an input: its path in the repository; a file outside it (a real
    extract) only as such, so no path of a confidential file enters a record."""
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else "extern"


def sources_record(data_file: Path) -> Path:
    """The small file next to a generated file that records the hashes of its sources."""
    return data_file.with_name(data_file.name + ".sources.json")


def _source_hashes(sources: list[Path]) -> dict[str, str]:
    return {
        input_name(p) if p.is_relative_to(paths.ROOT) else str(p): sha256(p) if p.is_file() else "" for p in sources
    }


def write_sources_record(data_file: Path, sources: list[Path]) -> Path:
    """Record what ``data_file`` was just made from (written atomically, after the file itself)."""
    record_path = sources_record(data_file)
    text = json.dumps(_source_hashes(sources), indent=2, sort_keys=True)
    tmp = record_path.with_name(f".{record_path.name}.{os.getpid()}.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(record_path)
    return record_path


def changed_sources(data_file: Path, sources: list[Path]) -> list[str] | None:
    """The sources of ``data_file`` that changed since it was made (in the order of ``sources``);
    None when there is no (readable) record of what it was made from."""
    try:
        made_from = json.loads(sources_record(data_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    now = _source_hashes(sources)
    return [name for name in now if made_from.get(name) != now[name]]
