r"""Scans at scale: evaluate a vectorised function over a Cartesian parameter grid, in chunks, on
local processes or a Dask cluster, with a progress bar and table output (CSV / JSON / Parquet).

The grid is the Cartesian product of named axes (e.g. threshold × background × exposure × flux);
a point is addressed by its flat C-order index, so a chunk is just an index range
``[start, stop)`` and a task ships only the (small) grid axes and the function, never the
points. The function takes a dict of equal-length column arrays and returns a dict of
equal-length result arrays, so one task evaluates a whole chunk vectorised and per-task overhead
stays small. Any ``concurrent.futures.Executor`` (or a ``dask.distributed.Client``) can run the
tasks; ``"local"`` uses a :class:`~concurrent.futures.ProcessPoolExecutor`, ``"dask"`` starts (or
connects to) a ``dask.distributed`` cluster, ``"serial"`` runs in-process.

Examples
--------
>>> import numpy as np
>>> g = ScanGrid({"a": [1.0, 2.0], "b": [10.0, 20.0, 30.0]})
>>> len(g), g.shape
(6, (2, 3))
>>> res = run_scan(g, _example_product, executor="serial", progress=False)
>>> res.column("ab").tolist()
[10.0, 20.0, 30.0, 20.0, 40.0, 60.0]
>>> res.as_grid("ab").shape
(2, 3)
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._validation import as_float_array
from ..exceptions import InvalidParameterError
from .tables import write_table

__all__ = ["ScanGrid", "ScanResult", "run_scan", "write_table", "EXECUTORS"]

#: Executor names accepted by :func:`run_scan` (or pass an Executor / dask Client instance).
EXECUTORS = ("local", "dask", "serial")


def _example_product(cols):  # used by the module doctest (must be importable for pickling)
    return {"ab": cols["a"] * cols["b"]}


@dataclass(frozen=True)
class ScanGrid:
    """Cartesian grid of named axes; points are enumerated in C order (last axis fastest).

    Parameters
    ----------
    axes : mapping of str to array_like
        Axis name → 1-D values (finite, non-empty). Values must be >= 0 unless ``allow_negative``
        (physical scan parameters such as thresholds, backgrounds, exposures and fluxes are).
    allow_negative : bool
        Accept negative axis values.

    Examples
    --------
    >>> g = ScanGrid({"x": [1, 2, 3], "y": [0.5, 1.5]})
    >>> g.points(1, 3)
    {'x': array([1., 2.]), 'y': array([1.5, 0.5])}
    >>> ScanGrid({"x": []})
    Traceback (most recent call last):
    ...
    nuem.exceptions.InvalidParameterError: grid axis 'x' is empty; give at least one value
    """

    axes: Mapping[str, np.ndarray]
    allow_negative: bool = False

    def __post_init__(self):
        if not isinstance(self.axes, Mapping) or not self.axes:
            raise InvalidParameterError("grid: give at least one axis (name -> values)")
        clean = {}
        for name, values in self.axes.items():
            if not isinstance(name, str) or not name:
                raise InvalidParameterError(f"grid axis name {name!r} must be a non-empty string")
            arr = np.atleast_1d(as_float_array(values, f"grid axis {name!r}"))
            if arr.ndim != 1:
                raise InvalidParameterError(f"grid axis {name!r} must be one-dimensional")
            if arr.size == 0:
                raise InvalidParameterError(f"grid axis {name!r} is empty; give at least one "
                                            "value")
            if not self.allow_negative and np.any(arr < 0):
                raise InvalidParameterError(f"grid axis {name!r} has a negative value "
                                            f"{float(arr[arr < 0][0])!r}; values must be >= 0")
            clean[name] = arr
        object.__setattr__(self, "axes", clean)

    @property
    def names(self) -> tuple[str, ...]:
        """Axis names, in grid order."""
        return tuple(self.axes)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of values along each axis."""
        return tuple(a.size for a in self.axes.values())

    def __len__(self) -> int:
        return math.prod(self.shape)

    def points(self, start: int = 0, stop: int | None = None) -> dict[str, np.ndarray]:
        """Columns of the points with flat index in ``[start, stop)``."""
        n = len(self)
        stop = n if stop is None else min(int(stop), n)
        idx = np.unravel_index(np.arange(int(start), stop), self.shape)
        return {name: self.axes[name][i] for name, i in zip(self.names, idx, strict=True)}


def _evaluate_chunk(func: Callable, grid: ScanGrid, start: int, stop: int):
    """Worker task: evaluate ``func`` on one index range; returns (start, dict of arrays)."""
    cols = grid.points(start, stop)
    out = func(cols)
    n = stop - start
    res = {}
    for k, v in dict(out).items():
        arr = np.asarray(v)
        if arr.shape != (n,):
            arr = np.broadcast_to(arr, (n,)).copy()
        res[k] = arr
    return start, res


@dataclass
class ScanResult:
    """Results of a scan: grid columns followed by the function outputs, one row per point.

    ``table`` is a numpy structured array; ``meta`` records the grid, executor and timing.
    """

    grid: ScanGrid
    table: np.ndarray
    meta: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return self.table.size

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.table.dtype.names)

    def column(self, name: str) -> np.ndarray:
        """One column as a 1-D array."""
        if name not in self.columns:
            raise InvalidParameterError(f"column={name!r} is not known; allowed: "
                                        f"{', '.join(self.columns)}")
        return self.table[name]

    def as_grid(self, name: str) -> np.ndarray:
        """One column reshaped to the grid shape (axes in grid order)."""
        return self.column(name).reshape(self.grid.shape)

    def to_records(self) -> list[dict]:
        """Rows as a list of plain dicts."""
        names = self.columns
        return [dict(zip(names, (float(v) for v in row), strict=True)) for row in self.table]

    def write(self, path, fmt: str | None = None) -> Path:
        """Write the table (see :func:`write_table`)."""
        return write_table(self, path, fmt)


# -- progress -------------------------------------------------------------------------------
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


# -- executors ------------------------------------------------------------------------------
class _SerialExecutor(Executor):
    """In-process executor (debugging, doctests, tiny grids)."""

    def submit(self, fn, /, *args, **kwargs):
        from concurrent.futures import Future

        fut: Future = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - delivered through the future
            fut.set_exception(exc)
        return fut


def _ignore_interrupts() -> None:
    """Worker initializer: Ctrl-C reaches the whole process group, but only the parent acts on
    it (it cancels the pending chunks); workers never print a KeyboardInterrupt traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _open_executor(executor, workers: int | None, dask_address: str | None):
    """Return (executor, closer, label, n_workers) for an executor spec."""
    if isinstance(executor, str):
        if executor == "serial":
            return _SerialExecutor(), None, "serial", 1
        if executor == "local":
            from concurrent.futures import ProcessPoolExecutor

            n = workers or os.cpu_count() or 1
            ex = ProcessPoolExecutor(max_workers=n, initializer=_ignore_interrupts)

            def shutdown():  # after an interruption: drop the chunks not yet started
                ex.shutdown(wait=True, cancel_futures=True)

            return ex, shutdown, "local", n
        if executor == "dask":
            try:
                from dask.distributed import Client, LocalCluster
            except ImportError as exc:
                raise InvalidParameterError(
                    'executor="dask" needs dask.distributed (pip install "dask[distributed]")'
                ) from exc
            if dask_address:
                client = Client(dask_address)
                cluster = None
            else:
                cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1,
                                       processes=True, dashboard_address=":0")
                client = Client(cluster)
            n = len(client.scheduler_info().get("workers", {})) or (workers or 1)

            def close():
                client.close()
                if cluster is not None:
                    cluster.close()

            return client.get_executor(), close, "dask", n
        raise InvalidParameterError(f"executor={executor!r} is not known; allowed: "
                                    f"{', '.join(EXECUTORS)} or an Executor instance")
    if hasattr(executor, "get_executor") and hasattr(executor, "scheduler_info"):  # dask Client
        n = len(executor.scheduler_info().get("workers", {})) or 1
        return executor.get_executor(), None, "dask", n
    if hasattr(executor, "submit"):
        n = workers or getattr(executor, "_max_workers", None) or os.cpu_count() or 1
        return executor, None, type(executor).__name__, n
    raise InvalidParameterError(f"executor={executor!r} is neither a name ({', '.join(EXECUTORS)})"
                                " nor an object with a submit() method")


def run_scan(grid: ScanGrid | Mapping, func: Callable, *, executor="local",
             chunksize: int | None = None, progress: bool = True, workers: int | None = None,
             dask_address: str | None = None) -> ScanResult:
    """Evaluate ``func`` over every point of ``grid``, in chunks, on an executor.

    Parameters
    ----------
    grid : ScanGrid or mapping
        The grid (a mapping is turned into a :class:`ScanGrid`).
    func : callable
        ``func(columns: dict[str, ndarray]) -> dict[str, ndarray]``, vectorised over a chunk;
        must be picklable for process/Dask executors (a module-level function or an instance
        such as :class:`nuem.inference.asimov_grid.AsimovScanModel`). If it has a
        ``prepare(grid)`` method it is called once first (e.g. to compute shared templates
        before the function is shipped to workers).
    executor : {"local", "dask", "serial"} or Executor or dask Client
        ``"local"``: a process pool of ``workers`` (default: CPU count); ``"dask"``: a
        ``dask.distributed`` cluster at ``dask_address`` or a new ``LocalCluster`` of
        ``workers`` (default 2) single-threaded worker processes; an existing
        ``concurrent.futures.Executor`` or ``distributed.Client`` is used and not shut down.
    chunksize : int, optional
        Points per task; default ``ceil(N / (4 × workers))`` capped at 5000.
    progress : bool
        Draw a progress bar on stderr.
    workers : int, optional
        Number of workers for the executors created here.
    dask_address : str, optional
        Scheduler address (``tcp://host:8786``) for ``executor="dask"``.

    Returns
    -------
    ScanResult

    Examples
    --------
    >>> res = run_scan({"a": [1.0, 2.0, 3.0], "b": [2.0]}, _example_product,
    ...                executor="serial", chunksize=2, progress=False)
    >>> res.columns, res.meta["n_chunks"]
    (('a', 'b', 'ab'), 2)
    """
    if not isinstance(grid, ScanGrid):
        grid = ScanGrid(grid)
    if not callable(func):
        raise InvalidParameterError("func must be callable: columns dict -> results dict")
    if workers is not None and (int(workers) != workers or workers < 1):
        raise InvalidParameterError(f"workers={workers!r} must be an integer >= 1")
    n = len(grid)
    prepare = getattr(func, "prepare", None)
    if callable(prepare):
        prepare(grid)
    ex, close, label, n_workers = _open_executor(executor, workers, dask_address)
    if chunksize is None:
        chunksize = max(1, min(5000, math.ceil(n / (4 * n_workers))))
    elif int(chunksize) != chunksize or chunksize < 1:
        raise InvalidParameterError(f"chunksize={chunksize!r} must be an integer >= 1")
    chunksize = int(chunksize)
    starts = list(range(0, n, chunksize))
    bar = _Progress(n, progress)
    t0 = time.perf_counter()
    parts: dict[int, dict] = {}
    try:
        futures = {ex.submit(_evaluate_chunk, func, grid, s, min(s + chunksize, n)): s
                   for s in starts}
        for fut in as_completed(futures):
            s, res = fut.result()
            parts[s] = res
            bar.update(next(iter(res.values())).size if res else 0)
    finally:
        if close is not None:
            close()
    elapsed = time.perf_counter() - t0
    out_names = list(parts[starts[0]])
    if not out_names:
        raise InvalidParameterError("func returned no columns")
    clash = set(out_names) & set(grid.names)
    if clash:
        raise InvalidParameterError(f"func output columns {sorted(clash)} clash with grid axes")
    cols = grid.points()
    for k in out_names:
        cols[k] = np.concatenate([parts[s][k] for s in starts])
    dtype = [(k, np.result_type(v.dtype, np.float64) if v.dtype.kind in "biuf" else v.dtype)
             for k, v in cols.items()]
    table = np.empty(n, dtype=dtype)
    for k, v in cols.items():
        table[k] = v
    meta = {"n_points": n, "n_chunks": len(starts), "chunksize": chunksize,
            "executor": label, "workers": n_workers, "elapsed_s": elapsed,
            "function": getattr(func, "__name__", type(func).__name__)}
    return ScanResult(grid, table, meta)
