"""Atomic output directory for reports (internal).

The report is written into a fresh temporary directory *next to* the target (same file system),
then moved into place with ``os.replace``/``os.rename``: a reader never sees a half-written report,
and a failure leaves the target as it was. Rules:

* the target may not exist, be empty, or be a previous nuem report (it contains the marker file
  :data:`MARKER`); anything else is refused unless ``force=True``;
* a file (not a directory), a symbolic link, the current working directory, the home directory,
  the file-system root, or a directory that contains any of them, is always refused;
* the old report is renamed aside, the new one renamed in, then the old one deleted; nothing else
  is touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..exceptions import InvalidParameterError

__all__ = ["MARKER", "atomic_directory", "check_target"]

#: Marker file that identifies a directory written by ``nuem report``.
MARKER = ".nuem-report"


def check_target(out_dir, force: bool = False) -> Path:
    """Validate the output directory; returns it as an absolute Path (not resolved).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "notes.txt").write_text("mine")
    >>> check_target(d)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nuem.exceptions.InvalidParameterError: --out ... or pass --force to replace it
    """
    out = Path(os.path.abspath(os.fspath(out_dir)))
    if out.is_symlink():
        raise InvalidParameterError(f"--out {out} is a symbolic link; give a real directory")
    if out.exists() and not out.is_dir():
        raise InvalidParameterError(f"--out {out} exists and is not a directory")
    protected = [Path.cwd(), Path.home(), Path(out.anchor)]
    for p in protected:
        p = Path(os.path.abspath(p))
        if out == p or out in p.parents:
            raise InvalidParameterError(f"--out {out} is or contains {p}; refusing to replace it")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file() and not force:
        raise InvalidParameterError(
            f"--out {out} is not empty and is not a previous nuem report (no {MARKER} marker); "
            "choose another directory or pass --force to replace it")
    return out


@contextmanager
def atomic_directory(out_dir, force: bool = False):
    """Context manager yielding a temporary directory; on success it becomes ``out_dir``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "rep"
    >>> with atomic_directory(target) as tmp:
    ...     _ = (tmp / "index.html").write_text("<p>hi</p>")
    >>> sorted(p.name for p in target.iterdir())
    ['.nuem-report', 'index.html']
    """
    out = check_target(out_dir, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes 0700; a report is an ordinary directory
    try:
        yield tmp
        (tmp / MARKER).write_text("written by nuem report; safe to replace with a new report\n")
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rmdir(old)
            os.rename(out, old)
        try:
            os.rename(tmp, out)
        except OSError:
            if old is not None:
                os.rename(old, out)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
