"""Atomic file output shared by every package (layer 0, standard library only).

:func:`atomic_output` yields a temporary path beside the destination (:func:`atomic_open` an
open binary file on it); when the block ends
without an exception the file gets the permissions of a newly created file (0666 masked by the
process umask; ``tempfile.mkstemp`` would leave 0600, unreadable to the user's group) and is
renamed into place with ``os.replace`` (atomic on POSIX: a reader sees the old file or the
complete new one, never a partial one); on an exception it is removed and the destination is
left as it was. :func:`write_bytes_atomic` writes bytes (or an iterable of byte chunks as they
come) that way.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> write_bytes_atomic(d / "a.txt", [b"1,", b"2\\n"]).read_bytes()
b'1,2\\n'
>>> sorted(p.name for p in d.iterdir())
['a.txt']
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["atomic_output", "atomic_open", "write_bytes_atomic"]


def _new_file_mode() -> int:
    """0666 masked by the process umask, read from /proc/self/status where the kernel gives it
    (Linux >= 4.7: no change of the process-wide umask, which another thread could observe);
    elsewhere by setting and restoring it."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _temporary_beside(path: Path, suffix: str) -> tuple[int, str]:
    """(fd, name) of a new temporary file next to ``path``, with a new file's permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.fchmod(fd, _new_file_mode())
    return fd, tmp


def _discard(tmp: str) -> None:
    if os.path.exists(tmp):
        os.unlink(tmp)


@contextlib.contextmanager
def atomic_output(path, suffix: str = ".tmp"):
    """Inside: a temporary path (str) next to ``path`` to write; renamed to ``path`` on success
    (module docstring). ``suffix`` ends the temporary name (e.g. ".png", for writers that take
    the format from it)."""
    path = Path(path)
    fd, tmp = _temporary_beside(path, suffix)
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


@contextlib.contextmanager
def atomic_open(path, fsync: bool = False):
    """Inside: a binary file object open on a temporary file next to ``path``; on success it is
    flushed (and with ``fsync`` synced to disk), closed and renamed to ``path``."""
    path = Path(path)
    fd, tmp = _temporary_beside(path, ".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


def write_bytes_atomic(path, data, fsync: bool = False) -> Path:
    """Write ``data`` (bytes, or an iterable of bytes chunks written as they come) to ``path``
    atomically (:func:`atomic_open`); returns the path."""
    with atomic_open(path, fsync=fsync) as fh:
        for chunk in [data] if isinstance(data, bytes) else data:
            fh.write(chunk)
    return Path(path)
