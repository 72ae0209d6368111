"""Figures drawn once per content, as knitr caches a chunk's plots: the PNG of a house-style figure is
kept under a hash of everything that decides its pixels (the figure function and its arguments, the
render code, the plotting libraries and their settings, the fonts), so a chapter computed again with
the same numbers (``make report --force``, a notebook's text edited, a sweep's other parameter that
leaves this figure as it was) shows the same bytes without drawing them again, and any change to
what the figure shows, or to how it is drawn, draws it anew.

Kept in ``outputs/.reuse/figuren/`` (:func:`sectorplannen.paths.reuse`; ``make clean`` removes it),
the :data:`KEEP` most recently used; a damaged file is drawn again, and a folder that cannot be
written only costs the reuse."""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import sys
from collections.abc import Callable
from contextlib import suppress
from importlib import metadata
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib import font_manager

from sectorplannen import paths, reuse

KEEP = 2000  # figures kept (about 100 MB): every chapter's figures many times over
FOLDER = "figuren"
LIBRARIES = ("matplotlib", "seaborn", "numpy", "pandas", "pillow")
PNG_START, PNG_END = b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"


def png(fig) -> bytes:
    """A figure as PNG bytes (deterministic: no software stamp), the figure closed."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


class Drawing:
    """A figure as its PNG, drawn now or kept from an earlier drawing of the same content."""

    def __init__(self, data: bytes, redraw: Callable):
        self.png = data
        self._redraw = redraw

    def figure(self):
        """The matplotlib figure drawn again from the same arguments, for code that inspects its
        artists (the caller closes it)."""
        return self._redraw()

    def _repr_png_(self) -> bytes:  # a Drawing left as a cell's last value shows as the figure
        return self.png


@functools.cache
def _settled() -> bytes:
    """What decides a figure's pixels and does not change within a process: the render code (and the
    foundation modules it uses), the libraries' versions, the Python version."""
    digest = hashlib.sha256(sys.version.encode())
    for library in LIBRARIES:
        digest.update(f"\n{library} {metadata.version(library)}".encode())
    digest.update(reuse.key(FOLDER, reuse.code("render")).encode())  # each file's place and content
    return digest.digest()


def _settings() -> bytes:
    """What decides a figure's pixels and may change within a process: matplotlib's settings (the house
    style, the backend) and the fonts it would choose and could choose from."""
    fonts = sorted(f"{font.fname} {font.weight} {font.style}" for font in font_manager.fontManager.ttflist)
    chosen = font_manager.findfont(font_manager.FontProperties(family=mpl.rcParams["font.family"]))
    state = repr(sorted((name, repr(value)) for name, value in mpl.rcParams.items()))
    return hashlib.sha256(f"{state}\n{chosen}\n{fonts}".encode()).digest()


def key(function: Callable, args: tuple, kwargs: dict) -> str | None:
    """The hash a figure is kept under, or None when an argument cannot be hashed by content (the
    figure is then drawn every time)."""
    try:
        arguments = pickle.dumps((args, sorted(kwargs.items())), protocol=5)
    except Exception:  # an argument pickle cannot write: no key, no reuse
        return None
    digest = hashlib.sha256(f"{function.__module__}.{function.__qualname__}".encode())
    for part in (_settled(), _settings(), arguments):
        digest.update(part)
    return digest.hexdigest()


def _place(digest: str) -> Path:
    return paths.reuse() / FOLDER / f"{digest}.png"


def _kept(target: Path) -> bytes | None:
    try:
        data = target.read_bytes()
    except OSError:
        return None
    if data.startswith(PNG_START) and data.endswith(PNG_END):
        with suppress(OSError):
            os.utime(target)  # recently used: kept longest
        return data
    with suppress(OSError):  # a damaged file: drawn again and replaced
        target.unlink()
    return None


def _keep(target: Path, data: bytes) -> None:
    with suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}")
        partial.write_bytes(data)
        os.replace(partial, target)
        kept = list(target.parent.glob("*.png"))
        if len(kept) > KEEP:
            kept.sort(key=lambda p: p.stat().st_mtime_ns)
            for older in kept[: len(kept) - KEEP]:
                older.unlink(missing_ok=True)


def drawn(function: Callable) -> Callable:
    """``function`` (arguments in, a matplotlib figure out) as a :class:`Drawing`: its PNG kept under
    :func:`key` and drawn only when no figure of that key is kept."""

    @functools.wraps(function)
    def drawing(*args, **kwargs) -> Drawing:
        digest = key(function, args, kwargs)
        data = _kept(_place(digest)) if digest else None
        if data is None:
            data = png(function(*args, **kwargs))
            if digest:
                _keep(_place(digest), data)
        return Drawing(data, functools.partial(function, *args, **kwargs))

    return drawing
