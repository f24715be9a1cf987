"""The task loop of :func:`nuem.inference.run_scan` (internal): chunks submitted to an executor,
results checkpointed as they finish, failed chunks retried and then split into single points,
and the columns assembled in grid order."""

from __future__ import annotations

import functools
import math
import pickle
import sys
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, wait

import numpy as np

from ..exceptions import InvalidParameterError, NuemError
from .scan_exec import open_executor

__all__ = ["execute", "evaluate_chunk", "Pickled"]


class Pickled:
    """A function shipped to worker processes as bytes and unpickled once per process (so
    caches it fills -- rate templates -- live as long as the worker)."""

    __slots__ = ("data",)

    def __init__(self, func):
        self.data = pickle.dumps(func, protocol=pickle.HIGHEST_PROTOCOL)


@functools.lru_cache(maxsize=4)
def _unpickle(data: bytes):
    return pickle.loads(data)


def evaluate_chunk(func, grid, start: int, stop: int):
    """Worker task: evaluate ``func`` on the points ``[start, stop)``; returns (start, stop,
    dict of 1-D arrays of length ``stop - start``)."""
    if isinstance(func, Pickled):
        func = _unpickle(func.data)
    cols = grid.points(start, stop)
    if getattr(func, "needs_index", False):      # e.g. toys seeded per grid point
        cols["point_index"] = np.arange(start, stop)
    out = func(cols)
    n = stop - start
    res = {}
    for k, v in dict(out).items():
        arr = np.asarray(v)
        if arr.shape != (n,):
            arr = np.broadcast_to(arr, (n,)).copy()
        res[k] = arr
    return start, stop, res


class _Progress:
    """Minimal text progress bar on stderr (no dependency)."""

    def __init__(self, total: int, enabled: bool, stream=None, width: int = 30):
        self.total, self.enabled, self.width = total, enabled, width
        self.stream = stream or sys.stderr
        self.done = 0
        self.t0 = time.perf_counter()

    def update(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        frac = self.done / self.total if self.total else 1.0
        bar = "#" * int(round(frac * self.width))
        dt = time.perf_counter() - self.t0
        self.stream.write(f"\rscan [{bar:<{self.width}}] {self.done}/{self.total} points "
                          f"{dt:6.1f} s")
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def _ranges(todo: np.ndarray, chunksize: int):
    """Contiguous runs of True in ``todo``, cut into pieces of at most ``chunksize``."""
    idx = np.flatnonzero(todo)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) != 1)
    starts = np.r_[idx[0], idx[breaks + 1]]
    stops = np.r_[idx[breaks] + 1, idx[-1] + 1]
    out = []
    for s, e in zip(starts.tolist(), stops.tolist(), strict=True):
        out += [(a, min(a + chunksize, e)) for a in range(s, e, chunksize)]
    return out


def _describe(func):
    describe = getattr(func, "describe", None)
    if callable(describe):
        return describe()
    name = getattr(func, "__qualname__", type(func).__name__)
    return f"{getattr(func, '__module__', '?')}.{name}"


def execute(grid, func, *, executor, chunksize, progress, workers, dask_address,
            scheduler_file, checkpoint, resume, retries, log, result_cls):
    """Run the scan (arguments as :func:`nuem.inference.run_scan`, validated)."""
    from .checkpoint import ChunkStore

    n = len(grid)
    store = None
    if checkpoint is not None:
        store = ChunkStore(checkpoint, {"grid": grid.to_dict(), "function": _describe(func)},
                           n, resume=resume)
    done = store.finished() if store is not None else np.zeros(n, dtype=bool)
    n_stored = int(done.sum())
    ex, close, label, n_workers, distributed = open_executor(executor, workers, dask_address,
                                                             scheduler_file, log)
    try:
        if chunksize is None:   # >= 4 tasks per worker; heavy points: the model's cap
            cap = int(getattr(func, "max_chunk", 5000))
            chunksize = max(1, min(5000, cap, math.ceil(n / (4 * n_workers))))
        elif int(chunksize) != chunksize or chunksize < 1:
            raise InvalidParameterError(f"chunksize={chunksize!r} must be an integer >= 1")
        chunksize = int(chunksize)
        if not distributed and not done.all():
            prepare = getattr(func, "prepare", None)
            if callable(prepare):
                prepare(grid)
        payload = Pickled(func) if distributed else func
        t0 = time.perf_counter()
        bar = _Progress(n, progress)
        if n_stored:
            bar.update(n_stored)
        planned = _ranges(~done, chunksize)
        parts, failures, n_retried = _loop(ex, payload, grid, planned, n_workers, retries, store,
                                           bar, log)
        elapsed = time.perf_counter() - t0
    finally:
        if close is not None:
            close()
    failures.sort(key=lambda f: f["index"])
    if store is not None:
        ranges, stored = store.load_all()
        parts = list(zip(ranges, stored, strict=True))
    if not parts and failures:          # nothing computed: the error is the answer
        if store is not None and n_stored == 0:
            store.remove()
        raise failures[0]["exception"]
    data = _assemble(grid, parts, failures)
    for f in failures:
        f.pop("exception", None)
    if store is not None:
        store.save_failures(failures)
        if not failures:
            store.remove()
    meta = {"n_points": n, "n_chunks": len(planned), "chunksize": chunksize,
            "executor": label, "workers": n_workers, "elapsed_s": elapsed,
            "function": getattr(func, "__name__", type(func).__name__),
            "points_from_checkpoint": n_stored, "points_computed": n - n_stored - len(failures),
            "retried_chunks": n_retried, "failed_points": len(failures)}
    if checkpoint is not None:
        meta["checkpoint"] = str(checkpoint)
    return result_cls(grid, data, meta, failures)


def _loop(ex, payload, grid, planned, n_workers, retries, store, bar, log):
    from concurrent.futures.process import BrokenProcessPool

    queue = deque((s, e, 0) for s, e in planned)
    pending, parts, failures, n_retried = {}, [], [], 0
    max_inflight = max(4, 4 * n_workers)
    while queue or pending:
        while queue and len(pending) < max_inflight:
            s, e, attempt = queue.popleft()
            pending[ex.submit(evaluate_chunk, payload, grid, s, e)] = (s, e, attempt)
        finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for fut in finished:
            s, e, attempt = pending.pop(fut)
            try:
                _, _, res = fut.result()
            except BrokenProcessPool:
                raise
            except Exception as exc:  # noqa: BLE001 - reported with the grid point
                where = f"points [{s}, {e})" if e - s > 1 else f"point {s} {grid.point(s)}"
                if attempt < retries and not isinstance(exc, NuemError):
                    n_retried += 1
                    _log(log, f"scan: {where} failed ({type(exc).__name__}: {exc}); retrying")
                    queue.append((s, e, attempt + 1))
                elif e - s > 1:
                    _log(log, f"scan: {where} failed again; running its points one by one")
                    queue.extend((i, i + 1, retries) for i in range(s, e))
                else:
                    _log(log, f"scan: {where} failed: {type(exc).__name__}: {exc}")
                    failures.append({"index": s, "point": grid.point(s),
                                     "error": f"{type(exc).__name__}: {exc}",
                                     "exception": exc})
                    if store is not None:
                        store.save_failures([{k: v for k, v in f.items() if k != "exception"}
                                             for f in failures])
                    bar.update(1)
                continue
            _check_columns(res, grid)
            if store is not None:
                store.save(s, e, res)
            parts.append(((s, e), res))
            bar.update(e - s)
    return parts, failures, n_retried


def _log(log, msg):
    if log is not None:
        log(msg)


def _check_columns(res, grid):
    if not res:
        raise InvalidParameterError("func returned no columns")
    clash = set(res) & set(grid.names)
    if clash:
        raise InvalidParameterError(f"func output columns {sorted(clash)} clash with grid axes")


def _assemble(grid, parts, failures):
    """Grid columns + output columns in index order; NaN at failed points."""
    n = len(grid)
    parts = sorted(parts, key=lambda p: p[0])
    names = list(parts[0][1]) if parts else []
    data = grid.points()
    for k in names:
        first = parts[0][1][k]
        dtype = np.result_type(first.dtype, np.float64) if first.dtype.kind in "biuf" \
            else first.dtype
        col = np.full(n, np.nan) if dtype.kind == "f" else np.zeros(n, dtype=dtype)
        col = col.astype(dtype, copy=False)
        for (s, e), res in parts:
            if list(res) != names:
                raise InvalidParameterError(f"func returned columns {list(res)} for points "
                                            f"[{s}, {e}) but {names} elsewhere")
            col[s:e] = res[k]
        data[k] = col
    return data
