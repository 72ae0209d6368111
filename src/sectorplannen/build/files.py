"""Writing outputs safely: atomically, so a failing run never leaves a half-written file."""

from __future__ import annotations

import os
import re
from contextlib import suppress
from pathlib import Path

from sectorplannen import paths
from sectorplannen.build.kernel import alive


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def shown(path: Path) -> str:
    """A path as a message names it: relative to the repository where it is inside."""
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


# What a writer leaves while it writes: ``.<name>.<pid>.tmp`` and papermill's ``.<run>.<pid>.running.ipynb``.
LEFTOVER = re.compile(r"^\..+\.(\d+)\.(tmp|running\.ipynb)$")


def leftovers(outputs: Path | None = None) -> list[tuple[Path, int]]:
    """Every temporary file under ``outputs`` with the pid of the process that was writing it."""
    found = []
    for path in sorted((outputs or paths.OUTPUTS).rglob(".*")):
        match = LEFTOVER.match(path.name)
        if match and path.is_file() and not path.is_symlink():
            found.append((path, int(match.group(1))))
    return found


def remove_stale(outputs: Path | None = None) -> list[Path]:
    """Remove the temporary files of processes that no longer run (a worker killed while papermill
    wrote its notebook leaves one); returns what was removed. A running build's files stay."""
    removed = []
    for path, pid in leftovers(outputs):
        if pid != os.getpid() and not alive(pid):
            with suppress(OSError):  # read-only outputs: the build names them when it writes
                path.unlink()
                removed.append(path)
    return removed
