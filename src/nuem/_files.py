"""Atomic file output shared by every package (layer 0, standard library only).

:func:`atomic_output` yields a temporary path beside the destination; when the block ends
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

__all__ = ["atomic_output", "write_bytes_atomic"]


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_output(path, suffix: str = ".tmp", fsync: bool = False):
    """Inside: a temporary path (str) next to ``path`` to write; renamed to ``path`` on success
    (module docstring). ``suffix`` ends the temporary name (e.g. ".png", for writers that take
    the format from it); ``fsync`` flushes the file to disk before the rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, _new_file_mode())
        if fsync:
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_bytes_atomic(path, data, fsync: bool = False) -> Path:
    """Write ``data`` (bytes, or an iterable of bytes chunks written as they come) to ``path``
    atomically (:func:`atomic_output`); returns the path."""
    with atomic_output(path, fsync=fsync) as tmp, open(tmp, "wb") as fh:
        for chunk in [data] if isinstance(data, bytes) else data:
            fh.write(chunk)
    return Path(path)
