r"""Checkpoints of a scan: every finished chunk is written at once, atomically, so that an
interrupted scan (killed, node lost, time limit) resumes without recomputing finished points.

A checkpoint is a directory holding

* ``manifest.json`` -- what is being computed (grid axes, the function's description, seed,
  format version); a resume with a different manifest is refused, naming the first difference;
* ``chunk-<start>-<stop>.npz`` -- the result columns of grid points ``[start, stop)``, each
  written to a temporary file in the directory, flushed to disk and renamed into place
  (``os.replace`` is atomic on POSIX): a killed process leaves either the whole chunk or none;
* ``failures.json`` -- points that failed twice (retried on ``--resume``).

Examples
--------
>>> import tempfile, pathlib, numpy as np
>>> d = pathlib.Path(tempfile.mkdtemp()) / "scan.parts"
>>> store = ChunkStore(d, {"grid": {"x": [1.0, 2.0, 3.0]}}, n_points=3)
>>> store.save(0, 2, {"f": np.array([1.0, 4.0])})
>>> again = ChunkStore(d, {"grid": {"x": [1.0, 2.0, 3.0]}}, n_points=3, resume=True)
>>> again.finished().tolist(), again.load_all()[0]
([True, True, False], [(0, 2)])
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np

from .._files import atomic_open
from ..exceptions import InvalidParameterError

__all__ = ["ChunkStore", "CHECKPOINT_VERSION"]

#: Format version of the checkpoint directory.
CHECKPOINT_VERSION = 1
_CHUNK = re.compile(r"^chunk-(\d+)-(\d+)\.npz$")


def _atomic_write(path: Path, write) -> None:
    """Write through ``write(fileobj)`` to a temporary file next to ``path``, fsync, rename."""
    with atomic_open(path, fsync=True) as fh:
        write(fh)


def _first_difference(a, b, where="") -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{where}{k}"
            d = _first_difference(a[k], b[k], f"{where}{k}.")
            if d:
                return d
        return None
    return None if a == b else where.rstrip(".") or "manifest"


class ChunkStore:
    """A checkpoint directory of a scan (module docstring).

    Parameters
    ----------
    directory : str or Path
        The checkpoint directory.
    manifest : dict
        JSON-ready description of the scan (grid axes, function, seed ...).
    n_points : int
        Number of grid points.
    resume : bool
        Continue from an existing directory (its manifest must equal ``manifest``). Without
        ``resume`` an existing non-empty directory is refused (finished chunks are never
        overwritten by accident).
    """

    def __init__(self, directory, manifest: dict, n_points: int, resume: bool = False):
        self.directory = Path(directory)
        self.n_points = int(n_points)
        self.manifest = {"version": CHECKPOINT_VERSION, "n_points": self.n_points, **manifest}
        text = json.dumps(self.manifest, sort_keys=True, allow_nan=False)
        self.manifest = json.loads(text)          # as it reads back (tuples -> lists ...)
        path = self.directory / "manifest.json"
        if self.directory.exists() and not self.directory.is_dir():
            raise InvalidParameterError(f"checkpoint={str(self.directory)!r} exists and is not "
                                        "a directory")
        if resume:
            if not path.is_file():
                raise InvalidParameterError(f"resume: no checkpoint in {str(self.directory)!r} "
                                            "(no manifest.json); run without --resume first")
            old = json.loads(path.read_text(encoding="utf-8"))
            diff = _first_difference(old, self.manifest)
            if diff is not None:
                raise InvalidParameterError(
                    f"resume: the checkpoint in {str(self.directory)!r} is of a different scan "
                    f"({diff!r} differs); use the same options or remove the directory")
            return
        if self.directory.is_dir() and any(self.directory.iterdir()):
            raise InvalidParameterError(f"checkpoint directory {str(self.directory)!r} exists "
                                        "and is not empty: add --resume to continue that scan "
                                        "or remove it")
        self.directory.mkdir(parents=True, exist_ok=True)
        _atomic_write(path, lambda fh: fh.write((text + "\n").encode()))

    # -- chunks ---------------------------------------------------------------------------------
    def _chunks(self) -> list[tuple[int, int, Path]]:
        out = []
        for p in self.directory.iterdir():
            m = _CHUNK.match(p.name)
            if m:
                s, e = int(m.group(1)), int(m.group(2))
                if 0 <= s < e <= self.n_points:
                    out.append((s, e, p))
        return sorted(out)

    def save(self, start: int, stop: int, columns: dict) -> None:
        """Write the results of points ``[start, stop)`` atomically."""
        path = self.directory / f"chunk-{int(start)}-{int(stop)}.npz"
        arrays = {k: np.asarray(v) for k, v in columns.items()}
        _atomic_write(path, lambda fh: np.savez(fh, **arrays))

    def finished(self) -> np.ndarray:
        """Boolean mask of the points whose results are stored."""
        done = np.zeros(self.n_points, dtype=bool)
        for s, e, _ in self._chunks():
            done[s:e] = True
        return done

    def load_all(self) -> tuple[list[tuple[int, int]], list[dict]]:
        """(ranges, column dicts) of every stored chunk, in index order."""
        ranges, parts = [], []
        for s, e, p in self._chunks():
            with np.load(p, allow_pickle=False) as z:
                parts.append({k: z[k] for k in z.files})
            ranges.append((s, e))
        return ranges, parts

    # -- failures -------------------------------------------------------------------------------
    def save_failures(self, failures: list[dict]) -> None:
        path = self.directory / "failures.json"
        if not failures:
            if path.exists():
                path.unlink()
            return
        text = json.dumps(failures, indent=1, default=str) + "\n"
        _atomic_write(path, lambda fh: fh.write(text.encode()))

    def remove(self) -> None:
        """Delete the checkpoint (after the final table is written)."""
        shutil.rmtree(self.directory, ignore_errors=True)
