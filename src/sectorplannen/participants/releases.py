"""The release record of a confidential extract: every count any run of it has shown.

Disclosure control within one run (:mod:`sectorplannen.participants.disclosure`) is not enough
when the same extract is run again with other parameters: two runs that differ by one plan give
that plan's counts by subtraction. Statistical offices protect successive releases from one
microdata set by auditing each new output together with everything already released from it
(linked tables in tau-argus, the output log of CBS Remote Access). This module keeps that log.

Per extract, under the content hash of the file as the audit sees it (the same participants give
the same record in any format or file name), the record holds every count each run showed: its
definition (the finest groups of participants it adds up, by position in the file's audited
columns) and its value, with the run that showed it and the threshold it was shown under. A new
run loads the record, is audited jointly with it and appends what it shows, under one lock per
extract, so parallel runs (a sweep) are released one at a time.

The record lives outside ``outputs/`` (``make clean`` or deleting outputs does not erase it), in
``$SECTORPLANNEN_RELEASES`` or else ``$XDG_STATE_HOME/sectorplannen/releases`` (by default
``~/.local/state/sectorplannen/releases``), readable by its owner only. It holds no value of the
extract beyond the counts that were shown. Resetting it needs a stated reason, which is kept.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import io
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sectorplannen import hashing
from sectorplannen.errors import ReleaseRecordError

LOG = "releases.jsonl"
RESETS = "resets.jsonl"
_KEY = re.compile(r"^[0-9a-f]{64}$")


def root() -> Path:
    """Where the records of every extract are kept."""
    given = os.environ.get("SECTORPLANNEN_RELEASES")
    if given:
        return Path(given).expanduser()
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "sectorplannen" / "releases"


def _private_folder(path: Path) -> Path:
    """Create ``path`` owner-only; refuse a symbolic link or another user's folder."""
    if path.is_symlink():
        raise ReleaseRecordError(f"{path}: the release record may not be reached through a symbolic link")
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ReleaseRecordError(
            f"{path}: cannot create the release record ({exc.strerror}); set SECTORPLANNEN_RELEASES to a folder "
            "you can write"
        ) from None
    info = path.lstat()
    if info.st_uid != os.getuid():
        raise ReleaseRecordError(f"{path}: the release record belongs to another user; set SECTORPLANNEN_RELEASES")
    if info.st_mode & 0o077:
        path.chmod(0o700)
    return path


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, owner-only, durable before it is renamed into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)


def _append_private(path: Path, line: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


@dataclass(frozen=True)
class Released:
    """The counts earlier runs showed: their finest groups, values, and the lowest threshold used."""

    atoms: list[np.ndarray]
    values: list[int]
    runs: int
    min_cell: int | None


class Record:
    """The release record of one extract (a folder named by its content hash); use :func:`opened`."""

    def __init__(self, key: str, folder: Path | None = None):
        if not _KEY.match(key):
            raise AssertionError(f"not a content hash: {key!r}")
        self.key = key
        self.folder = (folder or root()) / key

    @property
    def log(self) -> Path:
        return self.folder / LOG

    def entries(self) -> list[dict]:
        """The releases in order, one dict each (run, time, parameters, threshold, counts, file)."""
        if not self.log.exists():
            return []
        out = []
        for number, line in enumerate(self.log.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                raise ReleaseRecordError(
                    f"{self.log}, line {number}: the release record is damaged; nothing can be released from "
                    "this extract until it is restored from a backup (or reset with a reason: `make releases`)"
                ) from None
        return out

    def released(self) -> Released:
        """Every count shown so far (each distinct count once)."""
        atoms: list[np.ndarray] = []
        values: list[int] = []
        seen: set[bytes] = set()
        entries = self.entries()
        for entry in entries:
            for digest, group, value in _counts_of(self.folder / entry["file"]):
                if digest not in seen:
                    seen.add(digest)
                    atoms.append(group)
                    values.append(value)
        thresholds = [int(e["min_cell"]) for e in entries]
        return Released(atoms, values, len(entries), min(thresholds) if thresholds else None)

    def append(self, run: str, parameters: dict, min_cell: int, counts: list[tuple[np.ndarray, int]]) -> dict:
        """Record what ``run`` showed (call while the record is locked, after the joint audit)."""
        entries = self.entries()
        number = len(entries) + 1
        name = f"release-{number:04d}.npz"
        groups = [np.asarray(a, dtype=np.int32) for a, _ in counts]
        offsets = np.concatenate([[0], np.cumsum([g.size for g in groups], dtype=np.int64)])
        buffer = _npz(
            atoms=np.concatenate(groups) if groups else np.zeros(0, dtype=np.int32),
            offsets=offsets,
            values=np.array([v for _, v in counts], dtype=np.int64),
        )
        _write_private(self.folder / name, buffer)
        entry = {
            "release": number,
            "run": run,
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "user": getpass.getuser(),
            "parameters": parameters,
            "min_cell": int(min_cell),
            "counts": len(counts),
            "file": name,
        }
        _append_private(self.log, json.dumps(entry, sort_keys=True, ensure_ascii=False))
        return entry


_READ: dict[tuple, list[tuple[bytes, np.ndarray, int]]] = {}  # per release file and its stamp: its counts


def _counts_of(path: Path) -> list[tuple[bytes, np.ndarray, int]]:
    """The counts one release showed: (the bytes of its finest groups, the groups, the value) each.
    Kept per file stamp for the process (a run after many releases of one extract, as in a sweep,
    reads each file once); a file changed, replaced or removed meanwhile is read again."""
    key = (str(path), *hashing.file_stamp(path))
    if key not in _READ:
        try:
            with np.load(path, allow_pickle=False) as data:
                flat, offsets, counted = data["atoms"], data["offsets"], data["values"]
        except (OSError, ValueError, KeyError):
            raise ReleaseRecordError(
                f"{path}: a release of this extract is missing or damaged; nothing can be released from it "
                "until the record is restored from a backup (or reset with a reason: `make releases`)"
            ) from None
        groups = [group.astype(np.int64) for group in np.split(flat, offsets[1:-1])]
        for group in groups:
            group.flags.writeable = False  # shared by every later read of this file
        if len(_READ) >= 4096:
            _READ.clear()
        _READ[key] = [(g.tobytes(), g, int(v)) for g, v in zip(groups, counted.tolist(), strict=True)]
    return _READ[key]


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


@contextlib.contextmanager
def opened(key: str, folder: Path | None = None, timeout: float | None = None) -> Iterator[Record]:
    """The record of the extract ``key``, locked for this process until the block ends: one release
    of an extract at a time (a sweep's variants wait their turn)."""
    base = _private_folder(folder or root())
    record = Record(key, base)
    _private_folder(record.folder)
    lock = record.folder / "lock"
    descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        start = time.monotonic()
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if timeout is not None and time.monotonic() - start > timeout:
                    raise ReleaseRecordError(
                        f"{record.folder}: another run of this extract holds the release record; try again when it "
                        "has finished"
                    ) from None
                time.sleep(0.05)
        yield record
    finally:
        os.close(descriptor)  # releases the lock


def protect_jointly(release, run: str, parameters: dict, folder: Path | None = None):
    """Audit ``release`` (a :class:`~sectorplannen.participants.disclosure.Release` with every count
    of ``run`` registered) together with everything earlier runs of its extract showed, and record
    what it shows before anything is shown; one run of an extract at a time. ``parameters`` are
    recorded as given: never put an extract's path in them."""
    with opened(release.key, folder) as record:
        earlier = record.released()
        release.add_released(earlier.atoms, earlier.values, earlier.min_cell, earlier.runs)
        audit = release.protect()
        record.append(run, parameters, release.min_cell, release.shown_counts())
    return audit


def listing(folder: Path | None = None) -> list[dict]:
    """Every extract with a record: its key, releases, counts shown, and the latest run."""
    base = folder or root()
    out = []
    if not base.is_dir():
        return out
    for path in sorted(base.iterdir()):
        if not (path.is_dir() and _KEY.match(path.name)):
            continue
        entries = Record(path.name, base).entries()
        out.append(
            {
                "key": path.name,
                "releases": len(entries),
                "counts": sum(int(e["counts"]) for e in entries),
                "runs": [e["run"] for e in entries],
                "last": entries[-1]["time"] if entries else "",
                "min_cell": min((int(e["min_cell"]) for e in entries), default=None),
            }
        )
    return out


def resets(folder: Path | None = None) -> list[dict]:
    """Every reset of a record, with its reason."""
    path = (folder or root()) / RESETS
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def reset(key: str, reason: str, folder: Path | None = None) -> dict:
    """Start the record of ``key`` afresh: the old one is kept aside (never deleted) and the reset,
    with its reason and who made it, is added to the log of resets."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReleaseRecordError("a release record is reset only with a reason: give REASON='...'")
    base = folder or root()
    matches = [e["key"] for e in listing(base) if e["key"].startswith(key)] if key else []
    if len(matches) != 1:
        found = "no record" if not matches else f"{len(matches)} records"
        raise ReleaseRecordError(f"KEY={key!r} names {found}; `make releases` lists the keys")
    with opened(matches[0], base, timeout=10) as record:
        entries = record.entries()
        aside = base / f"{record.key}.reset-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}"
        entry = {
            "key": record.key,
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "user": getpass.getuser(),
            "reason": reason,
            "releases": len(entries),
            "kept_in": aside.name,
        }
        _append_private(base / RESETS, json.dumps(entry, sort_keys=True, ensure_ascii=False))
        record.folder.rename(aside)
    return entry
