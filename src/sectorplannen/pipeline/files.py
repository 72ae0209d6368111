"""Writing outputs safely: atomically, so a failing run never leaves a half-written file."""

from __future__ import annotations

import os
import re
from contextlib import suppress
from pathlib import Path

from sectorplannen import paths
from sectorplannen.errors import SetupError
from sectorplannen.pipeline.kernel import alive


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


def check_writable(folder: Path | None = None) -> None:
    """The output folder and every folder in it can be written (a probe file is made and removed in
    each; a folder not made yet, where it would be made): read-only outputs are one line before any
    work, not a traceback halfway through a build. Nothing is created."""
    folder = folder or paths.OUTPUTS
    todo = f"make it writable (chmod -R u+w {folder}) or set SECTORPLANNEN_OUTPUTS to a folder you may write"
    if not folder.exists():
        parent = next((p for p in folder.parents if p.exists()), Path("/"))
        if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
            reason = "Not a directory" if not parent.is_dir() else "Permission denied"
            raise SetupError(f"output folder {folder} is not writable ({reason} at {parent}): {todo}")
        return
    for each in [folder, *sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())]:
        probe = each / f".write-test-{os.getpid()}"
        try:
            probe.write_text("")
            probe.unlink()
        except OSError as exc:
            raise SetupError(f"output folder {each} is not writable ({exc.strerror or exc}): {todo}") from None
