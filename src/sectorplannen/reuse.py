"""Results that depend only on the project's data and the code that computes them (the robustness
chapter's variants), computed once per state of those inputs and reused, keyed by a content hash of
every input file: a chapter rebuilt because its notebook, the site or the build changed does not
compute them again, and a changed table, claim or statistic always does.

The results are kept in ``outputs/.reuse/`` (:func:`sectorplannen.paths.reuse`) as pickles that this
project wrote itself; ``make clean`` removes them. A damaged or unreadable file is computed again."""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import TypeVar

from sectorplannen import paths
from sectorplannen.hashing import content_hash

T = TypeVar("T")

PACKAGE = Path(__file__).resolve().parent  # src/sectorplannen


def code(*modules: str) -> list[Path]:
    """The source files of the package's foundation modules and of ``modules`` (layer folders such as
    ``statistics`` or single modules such as ``chapters/robuustheid.py``), for a key."""
    found = sorted(p for p in PACKAGE.glob("*.py"))
    for name in modules:
        target = PACKAGE / name
        found += [target] if target.is_file() else sorted(target.rglob("*.py"))
    return found


def key(name: str, inputs: Iterable[Path]) -> str:
    """SHA-256 over the name and every input's place and content (the order of ``inputs`` does not matter)."""
    digest = hashlib.sha256(name.encode())
    for path in sorted({Path(p).resolve() for p in inputs}):
        place = path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path
        digest.update(f"\n{place.as_posix()} {content_hash(path)}".encode())
    return digest.hexdigest()


MISSING = object()  # what lookup returns when nothing is kept for these inputs


def _target(name: str, inputs: Iterable[Path]) -> Path:
    return paths.reuse() / f"{name}-{key(name, inputs)}.pickle"


def _load(target: Path):
    if target.is_file():
        try:
            return pickle.loads(target.read_bytes())  # written by this module, in this project's outputs
        except Exception:  # a damaged or foreign file: compute again and replace it
            with suppress(OSError):
                target.unlink()
    return MISSING


def _store(name: str, target: Path, value: T) -> T:
    with suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}")
        partial.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, target)
        for older in target.parent.glob(f"{name}-*.pickle"):
            if older != target:
                older.unlink(missing_ok=True)
    return value


def lookup(name: str, inputs: Iterable[Path]):
    """What :func:`reused` would return for exactly these inputs without computing it, or :data:`MISSING`."""
    return _load(_target(name, inputs))


def keep(name: str, inputs: Iterable[Path], value: T) -> T:
    """Keep ``value`` as the result of ``name`` for these inputs (as :func:`reused` keeps what it computed)."""
    return _store(name, _target(name, inputs), value)


def reused(name: str, inputs: Iterable[Path], compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned before for exactly these inputs. Older results of ``name``
    are removed when a new one is kept; a folder that cannot be written only costs the reuse."""
    return _kept_or_computed(name, _target(name, inputs), compute)  # the inputs as they were before computing


def reused_for(name: str, digest: str, compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned before for the same ``digest``: a hash the caller made of
    everything ``compute`` reads, for inputs that are values rather than files (a solver's model).
    Kept and replaced as :func:`reused` keeps its results."""
    target = paths.reuse() / f"{name}-{hashlib.sha256(f'{name} {digest}'.encode()).hexdigest()}.pickle"
    return _kept_or_computed(name, target, compute)


def _kept_or_computed(name: str, target: Path, compute: Callable[[], T]) -> T:
    found = _load(target)
    return _store(name, target, compute()) if found is MISSING else found
