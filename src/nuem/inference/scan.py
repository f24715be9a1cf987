r"""Scans at scale: evaluate a vectorised function over a Cartesian parameter grid, in chunks, on
local processes or a Dask cluster, with checkpoints, retries and table output.

The grid is the Cartesian product of named axes (e.g. threshold × background × exposure × flux,
or a categorical axis such as the target material); a point is addressed by its flat C-order
index, so a chunk is just an index range ``[start, stop)`` and a task ships only the (small)
grid axes and the function, never the points. The function takes a dict of equal-length column
arrays and returns a dict of equal-length result arrays, so one task evaluates a whole chunk
vectorised. On process and Dask executors the function is shipped as bytes and unpickled once
per worker process, so whatever it caches (the rate templates of the scan models) is computed on
the workers, once each.

Robustness: a failed chunk is retried once; if it fails again its points are run one by one and
every point that still fails is reported (grid values and error) while the rest completes. With
``checkpoint=DIR`` each finished chunk is written to DIR at once (atomically,
:class:`nuem.inference.checkpoint.ChunkStore`) and ``resume=True`` computes only the points not
yet stored. Results do not depend on the executor, the worker count or the chunking (functions
must compute each point independently of its neighbours in a chunk; the built-in models do, and
their toys are seeded per grid point).

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
>>> res.best("ab")
{'a': 1.0, 'b': 10.0, 'ab': 10.0}
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._validation import as_float_array
from ..exceptions import InvalidParameterError
from .scan_exec import EXECUTORS, available_cpus
from .tables import write_table

__all__ = ["ScanGrid", "ScanResult", "run_scan", "write_table", "EXECUTORS", "available_cpus"]


def _example_product(cols):  # used by the module doctest (must be importable for pickling)
    return {"ab": cols["a"] * cols["b"]}


def _axis_values(name, values, allow_negative):
    items = values.tolist() if isinstance(values, np.ndarray) else values
    if isinstance(items, str) or not hasattr(items, "__iter__"):
        items = [items]
    items = list(items)
    if items and all(isinstance(v, str) for v in items):            # categorical axis
        arr = np.asarray(items, dtype=str)
        if not all(items):
            raise InvalidParameterError(f"grid axis {name!r} has an empty name")
    else:
        arr = np.atleast_1d(as_float_array(values, f"grid axis {name!r}"))
    if arr.ndim != 1:
        raise InvalidParameterError(f"grid axis {name!r} must be one-dimensional")
    if arr.size == 0:
        raise InvalidParameterError(f"grid axis {name!r} is empty; give at least one value")
    if arr.dtype.kind == "f" and not allow_negative and np.any(arr < 0):
        raise InvalidParameterError(f"grid axis {name!r} has a negative value "
                                    f"{float(arr[arr < 0][0])!r}; values must be >= 0")
    return arr


@dataclass(frozen=True)
class ScanGrid:
    """Cartesian grid of named axes; points are enumerated in C order (last axis fastest).

    Parameters
    ----------
    axes : mapping of str to array_like
        Axis name → 1-D values: finite numbers (>= 0 unless ``allow_negative``; physical scan
        parameters such as thresholds, backgrounds, exposures and fluxes are), or names (str) for
        a categorical axis such as ``target``.
    allow_negative : bool
        Accept negative axis values.

    Examples
    --------
    >>> g = ScanGrid({"x": [1, 2, 3], "y": [0.5, 1.5]})
    >>> g.points(1, 3)
    {'x': array([1., 2.]), 'y': array([1.5, 0.5])}
    >>> ScanGrid({"target": ["Ge", "Si"], "x": [1.0]}).points()["target"].tolist()
    ['Ge', 'Si']
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
            clean[name] = _axis_values(name, values, self.allow_negative)
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

    def point(self, index: int) -> dict:
        """Axis values of one point (plain Python numbers/strings)."""
        return {k: v[0].item() for k, v in self.points(index, index + 1).items()}

    def to_dict(self) -> dict[str, list]:
        """Axes as plain lists (JSON-ready)."""
        return {k: v.tolist() for k, v in self.axes.items()}


@dataclass
class ScanResult:
    """Results of a scan: grid columns followed by the function outputs, one row per point.

    ``data`` maps column name → 1-D array (column-wise storage; :attr:`table` is the numpy
    structured array built from it on demand); ``meta`` records the grid, executor, timing and
    checkpoint use; ``failures`` lists the points that failed twice (their output columns are
    NaN; writers leave them out).
    """

    grid: ScanGrid
    data: dict
    meta: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.grid)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.data)

    @property
    def complete(self) -> bool:
        """True when every point was computed."""
        return not self.failures

    def column(self, name: str) -> np.ndarray:
        """One column as a 1-D array."""
        if name not in self.data:
            raise InvalidParameterError(f"column={name!r} is not known; allowed: "
                                        f"{', '.join(self.columns)}")
        return self.data[name]

    @property
    def table(self) -> np.ndarray:
        """All columns as a numpy structured array (built on first use)."""
        tab = self.__dict__.get("_table")
        if tab is None:
            tab = np.empty(len(self), dtype=[(k, v.dtype) for k, v in self.data.items()])
            for k, v in self.data.items():
                tab[k] = v
            self.__dict__["_table"] = tab
        return tab

    def as_grid(self, name: str) -> np.ndarray:
        """One column reshaped to the grid shape (axes in grid order)."""
        return self.column(name).reshape(self.grid.shape)

    def ok_mask(self) -> np.ndarray:
        """Boolean mask of the computed points (False for :attr:`failures`)."""
        mask = np.ones(len(self), dtype=bool)
        for f in self.failures:
            mask[f["index"]] = False
        return mask

    def row(self, index: int) -> dict:
        """One row as a dict of plain Python values."""
        return {k: v[index].item() for k, v in self.data.items()}

    def best(self, name: str, largest: bool = False) -> dict:
        """The row with the smallest (``largest``: largest) value of ``name`` among the computed
        points (argmin over the column; no per-row conversion)."""
        col = np.where(self.ok_mask(), self.column(name), np.inf if not largest else -np.inf)
        return self.row(int(np.argmax(col) if largest else np.argmin(col)))

    def to_records(self) -> list[dict]:
        """Rows of the computed points as a list of plain dicts."""
        mask = self.ok_mask()
        cols = [(k, v[mask].tolist()) for k, v in self.data.items()]
        names = [k for k, _ in cols]
        return [dict(zip(names, vals, strict=True)) for vals in zip(*(c for _, c in cols),
                                                                   strict=True)]

    def write(self, path, fmt: str | None = None, digits: int | None = None) -> Path:
        """Write the table (see :func:`write_table`)."""
        return write_table(self, path, fmt, digits)


def run_scan(grid: ScanGrid | Mapping, func: Callable, *, executor="local",
             chunksize: int | None = None, progress: bool = True, workers: int | None = None,
             dask_address: str | None = None, scheduler_file=None, checkpoint=None,
             resume: bool = False, retries: int = 1, log=None) -> ScanResult:
    """Evaluate ``func`` over every point of ``grid``, in chunks, on an executor.

    Parameters
    ----------
    grid : ScanGrid or mapping
        The grid (a mapping is turned into a :class:`ScanGrid`).
    func : callable
        ``func(columns: dict[str, ndarray]) -> dict[str, ndarray]``, vectorised over a chunk;
        must be picklable for process/Dask executors (a module-level function or an instance
        such as :class:`nuem.inference.AsimovScanModel`). Optional methods: ``check(grid)``
        (validate the grid before any task: input errors are one message, not a failure per
        point), ``prepare(grid)`` (fill caches; called in-process for the serial executor
        only: process and Dask workers fill their own) and ``describe()`` (JSON-ready
        description recorded in checkpoints and results).
    executor : {"local", "dask", "serial"} or Executor or dask Client
        ``"local"``: a process pool of ``workers`` (default: :func:`available_cpus`);
        ``"dask"``: a ``dask.distributed`` cluster from ``scheduler_file``, at ``dask_address``,
        or a new ``LocalCluster`` of ``workers`` (default :func:`available_cpus`)
        single-threaded worker processes; an existing ``concurrent.futures.Executor`` or
        ``distributed.Client`` is used and not shut down.
    chunksize : int, optional
        Points per task; default ``ceil(N / (4 × workers))`` capped at 5000 and at the
        function's ``max_chunk`` attribute if it has one (toy models: ~1 s tasks).
    progress : bool
        Draw a progress bar on stderr.
    workers : int, optional
        Number of workers for the executors created here.
    dask_address, scheduler_file : str, optional
        Scheduler address (``tcp://host:8786``) or scheduler file of an existing Dask cluster.
    checkpoint : str or Path, optional
        Directory where every finished chunk is stored at once (atomically); it is removed when
        the scan completes, kept when points failed.
    resume : bool
        Continue the scan stored in ``checkpoint``: only points not stored are computed.
    retries : int
        Times a failed chunk is resubmitted before its points are run one by one (default 1).
    log : callable, optional
        Called with one-line messages (dashboard address, retries, failures).

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
    from .scan_runner import execute

    if not isinstance(grid, ScanGrid):
        grid = ScanGrid(grid)
    if not callable(func):
        raise InvalidParameterError("func must be callable: columns dict -> results dict")
    if int(retries) != retries or retries < 0:
        raise InvalidParameterError(f"retries={retries!r} must be an integer >= 0")
    if resume and checkpoint is None:
        raise InvalidParameterError("resume needs a checkpoint directory (--out FILE or "
                                    "--checkpoint DIR)")
    check = getattr(func, "check", None)
    if callable(check):
        check(grid)
    return execute(grid, func, executor=executor, chunksize=chunksize, progress=progress,
                   workers=workers, dask_address=dask_address, scheduler_file=scheduler_file,
                   checkpoint=checkpoint, resume=resume, retries=int(retries), log=log,
                   result_cls=ScanResult)
