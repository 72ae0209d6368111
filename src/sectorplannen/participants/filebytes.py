"""The bytes of an extract, read so that nothing can hang or exhaust memory: only a regular file
(a FIFO or a device such as /dev/zero is refused before anything is read from it), at most a
bounded number of bytes, decompressed when it is gzip, bzip2 or xz (recognised by its first bytes,
whatever its name), and, for a text file, no further than the first chunk with a NUL or other
binary byte (valid rows followed by a gigabyte of NUL bytes stop after the first 16 MB)."""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
import re
import stat
import zlib
from pathlib import Path

from sectorplannen.errors import ParticipantDataError

# An extract larger than this (after decompression) is refused: reading it as text columns would
# need several times its size in memory. SECTORPLANNEN_EXTRACT_MAX_MB raises it for a larger machine.
MAX_MB = 1024


CHUNK = 16 * 1024 * 1024


# Bytes no text file holds (C0 controls but tab, line feed and carriage return; DEL).
BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# First bytes -> the compression they announce; zip and zstd are refused, the others read.
MAGIC = {
    b"\x1f\x8b": "gzip",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"\x28\xb5\x2f\xfd": "zstd",
    b"PK\x03\x04": "zip",
}


_OPEN = {"gzip": lambda raw: gzip.GzipFile(fileobj=raw), "bzip2": bz2.BZ2File, "xz": lzma.LZMAFile}


_KINDS = {
    stat.S_ISFIFO: "a named pipe (FIFO)",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISSOCK: "a socket",
}


def _fail(message: str) -> ParticipantDataError:
    return ParticipantDataError(message)


def limit() -> int:
    """The largest extract read, in bytes (SECTORPLANNEN_EXTRACT_MAX_MB, else 1024 MB)."""
    given = os.environ.get("SECTORPLANNEN_EXTRACT_MAX_MB", "")
    try:
        return int(given) * 1024 * 1024 if given.strip() else MAX_MB * 1024 * 1024
    except ValueError:
        raise _fail(
            f"SECTORPLANNEN_EXTRACT_MAX_MB={given!r} is not a whole number of megabytes: write e.g. 4096"
        ) from None


def compression(head: bytes) -> str | None:
    """The compression the first bytes of a file announce ('gzip', 'bzip2', 'xz', 'zstd', 'zip'), or None."""
    return next((kind for magic, kind in MAGIC.items() if head.startswith(magic)), None)


def open_regular(path: Path) -> int:
    """A file descriptor of ``path`` opened for reading, only when it is a regular file: it is opened
    without blocking (a FIFO would wait for a writer forever) and checked on the descriptor itself
    (so the file checked is the file read). A missing path, a folder, a pipe or device, or a file
    that may not be read, is one line."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise _fail(f"{path}: no such file: check the path given as data_source") from None
    except IsADirectoryError:
        raise _fail(f"{path}: a folder, not a file: give the path of the extract's CSV file as data_source") from None
    except PermissionError:
        raise _fail(f"{path}: not allowed to read this file: check its permissions") from None
    except OSError as exc:
        raise _fail(f"{path}: cannot be read ({exc.strerror or exc}): check the path given as data_source") from None
    mode = os.fstat(fd).st_mode
    if stat.S_ISREG(mode):
        os.set_blocking(fd, True)
        return fd
    os.close(fd)
    if stat.S_ISDIR(mode):
        raise _fail(f"{path}: a folder, not a file: give the path of the extract's CSV file as data_source")
    kind = next((name for test, name in _KINDS.items() if test(mode)), "not a regular file")
    raise _fail(f"{path}: {kind}, not a regular file: export the extract to a file and give its path as data_source")


def read(path: Path, size: int | None = None, text: bool = False) -> bytes:
    """The content of the regular file ``path``, decompressed when it is gzip, bzip2 or xz (its first
    ``size`` bytes when given). A file larger than :func:`limit` (after decompression), a damaged
    compressed file, a zip or zstd file, is one line. With ``text``, reading stops after the first
    chunk that holds a binary byte (the caller names its row), unless the file starts with a UTF-16
    byte order mark (whose text is full of NUL bytes)."""
    most = limit()
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as raw:
        head = raw.read(8)
        raw.seek(0)
        kind = compression(head)
        if kind == "zip":
            raise _fail(
                f"{path}: an Excel workbook (or another zip file), not a CSV file: save it as UTF-8 CSV "
                "(in Excel: 'CSV UTF-8 (comma delimited)')"
            )
        if kind == "zstd":
            raise _fail(
                f"{path}: compressed with zstd, which is not read: decompress it (zstd -d) or compress it with gzip"
            )
        if kind is None and os.fstat(fd).st_size > most:
            raise _too_large(path, most)
        stream = _OPEN[kind](raw) if kind else raw
        try:
            return _bounded(stream, path, most, size, text and head[:2] not in (b"\xff\xfe", b"\xfe\xff"))
        except (OSError, EOFError, lzma.LZMAError, zlib.error) as exc:
            if kind is None:
                raise _fail(f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
            raise _fail(
                f"{path}: a {kind} file that cannot be decompressed ({exc}): compress the extract again, or give "
                "it uncompressed"
            ) from None


def _bounded(stream, path: Path, most: int, size: int | None, stop_at_binary: bool) -> bytes:
    if size is not None:
        return stream.read(size)
    chunks, total = [], 0
    while True:
        chunk = stream.read(min(CHUNK, most + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > most:
            raise _too_large(path, most)
        if stop_at_binary and BINARY.search(chunk):
            return b"".join(chunks)


def _too_large(path: Path, most: int) -> ParticipantDataError:
    return _fail(
        f"{path}: larger than {most // (1024 * 1024)} MB (decompressed): check that it is the extract, or set "
        "SECTORPLANNEN_EXTRACT_MAX_MB higher on a machine with the memory to read it"
    )
