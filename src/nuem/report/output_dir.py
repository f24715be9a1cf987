"""Atomic output directory for reports (internal).

The report is written into a fresh temporary directory *next to* the target (same file system),
then moved into place with ``os.replace``/``os.rename``: a reader never sees a half-written report,
and a failure leaves the target as it was. Rules:

* the target may not exist, be empty, or be a previous nuem report (it contains the marker file
  :data:`MARKER`); anything else is refused unless ``force=True``;
* a file (not a directory), a symbolic link, the current working directory, the home directory,
  the file-system root, or a directory that contains any of them, is always refused;
* the old report is renamed aside, the new one renamed in, then the old one deleted; nothing else
  is touched;
* the temporary folders (``.DIR.tmp-<pid>-*``, ``.DIR.old-<pid>-*``) are removed on every exit the
  process survives (an exception, Ctrl-C, or SIGTERM/SIGHUP, which the CLI turns into an
  exception); those of a process that was killed (SIGKILL, power loss) are swept by the next
  report into the same directory (:func:`sweep_leftovers`): a temporary folder whose process has
  ended is deleted, an old report whose replacement never arrived is put back.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..exceptions import InvalidParameterError

__all__ = ["MARKER", "atomic_directory", "check_target", "sweep_leftovers"]

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


#: Temporary folder names: ``.<DIR>.tmp-<pid>-<random>`` (and ``.old-``); older nuem versions
#: wrote ``.<DIR>.tmp-<random>`` without the process id.
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?:(?P<pid>\d+)-)?[^-]+$")
#: Age after which a temporary folder without a process id counts as abandoned.
_LEGACY_AGE_S = 3600.0


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:     # another user's process
        return True
    return True


def sweep_leftovers(out_dir) -> list[Path]:
    """Remove the temporary folders that killed ``nuem report`` runs left next to ``out_dir``
    (their process has ended; for names without a process id: older than an hour); an old report
    set aside (``.old-``) is renamed back to ``out_dir`` when that no longer exists. Returns the
    folders removed or restored.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> (base / ".rep.tmp-999999999-abcd1234").mkdir()   # no such process
    >>> [p.name for p in sweep_leftovers(base / "rep")]
    ['.rep.tmp-999999999-abcd1234']
    """
    import time

    out = Path(os.path.abspath(os.fspath(out_dir)))
    if not out.parent.is_dir():
        return []
    done = []
    for p in sorted(out.parent.iterdir()):
        m = _LEFTOVER.match(p.name)
        if not m or m.group("name") != out.name or p.is_symlink() or not p.is_dir():
            continue
        pid = m.group("pid")
        if pid is not None:
            if _process_alive(int(pid)):
                continue
        elif time.time() - p.stat().st_mtime < _LEGACY_AGE_S:
            continue
        if m.group("kind") == "old" and not out.exists():
            os.rename(p, out)
        else:
            shutil.rmtree(p, ignore_errors=True)
        done.append(p)
    return done


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
    sweep_leftovers(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-{os.getpid()}-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes 0700; a report is an ordinary directory
    try:
        yield tmp
        (tmp / MARKER).write_text("written by nuem report; safe to replace with a new report\n")
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-{os.getpid()}-",
                                        dir=out.parent))
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
