"""Scan tables written atomically: CSV, JSON or Parquet (:func:`write_table`)."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from pathlib import Path

import numpy as np

from ..exceptions import InvalidParameterError

__all__ = ["write_table", "csv_bytes"]


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _cells(values) -> np.ndarray:
    """Cell strings (object array) of a 1-D array: ``repr`` of each float (the shortest string
    that reads back to the same double); names as they are, CSV-quoted where needed."""
    if values.dtype.kind in "US":
        text = values.astype(str).tolist()
        if any(c in v for v in text for c in ',"\n\r'):
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows([v] for v in text)
            text = buf.getvalue().splitlines()
    else:
        text = list(map(repr, values.astype(float, copy=False).tolist()))
    out = np.empty(len(text), dtype=object)
    out[:] = text
    return out


def _format_column(col, shape=None) -> list[str]:
    """Cells of one column. With the grid ``shape``, values constant along grid axes (the grid
    columns themselves, counts that do not depend on the background ...) are formatted once
    per distinct combination of the other axes and broadcast."""
    col = np.asarray(col)
    if shape is not None and len(shape) > 1 and col.size == math.prod(shape) and col.size > 64:
        a = col.reshape(shape)
        idx = []
        for ax, size in enumerate(shape):
            first = a[(slice(None),) * ax + (slice(0, 1),)]
            idx.append(slice(0, 1) if size > 1 and np.array_equal(a, np.broadcast_to(
                first, shape)) else slice(None))
            if idx[-1] == slice(0, 1):
                a = first
        reduced = a
        if reduced.size < col.size:
            cells = _cells(reduced.ravel()).reshape(reduced.shape)
            return np.broadcast_to(cells, shape).ravel().tolist()
    return _cells(col.ravel()).tolist()


def csv_bytes(columns: dict, shape=None) -> bytes:
    """CSV text (header + one row per index) of equal-length columns, built column-wise.

    Floats are written as ``repr`` (shortest string that reads back to the same double). With
    the grid ``shape`` of a scan (rows in C order), each column is formatted once per distinct
    value along the grid axes it depends on; a column equal to an earlier one reuses its cells.

    Examples
    --------
    >>> import numpy as np
    >>> print(csv_bytes({"x": np.array([1.0, 0.1]), "t": np.array(["Ge", "Si"])}).decode())
    x,t
    1.0,Ge
    0.1,Si
    <BLANKLINE>
    """
    cells, done = [], []
    for col in columns.values():
        col = np.asarray(col)
        for prev, prev_cells in done:
            if prev.dtype == col.dtype and np.array_equal(prev, col):
                cells.append(prev_cells)
                break
        else:
            cells.append(_format_column(col, shape))
            done.append((col, cells[-1]))
    header = ",".join(columns)
    body = "\n".join(map(",".join, zip(*cells, strict=True)))
    return (header + "\n" + body + ("\n" if body else "")).encode()


def write_table(result, path, fmt: str | None = None) -> Path:
    """Write a scan table atomically (temporary file in the same folder, then ``os.replace``).

    Parameters
    ----------
    result : nuem.inference.ScanResult
    path : str or Path
        Destination; an existing file is replaced only once the new one is complete.
    fmt : {"csv", "json", "parquet"}, optional
        Format; default from the suffix. Parquet needs the optional ``pyarrow``.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from nuem.inference.scan import ScanGrid, _example_product, run_scan
    >>> res = run_scan(ScanGrid({"a": [1.0, 2.0], "b": [3.0]}), _example_product,
    ...                executor="serial", progress=False)
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> print(write_table(res, d / "s.csv").read_text().strip())
    a,b,ab
    1.0,3.0,3.0
    2.0,3.0,6.0
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    names = result.columns
    mask = result.ok_mask() if hasattr(result, "ok_mask") else None
    cols = {k: result.column(k) for k in names}
    if mask is not None and not mask.all():
        cols = {k: v[mask] for k, v in cols.items()}
    if fmt == "csv":
        full = mask is None or mask.all()
        _atomic_write_bytes(path, csv_bytes(cols, result.grid.shape if full else None))
    elif fmt == "json":
        obj = {"columns": list(names), "grid": {k: v.tolist() for k, v in result.grid.axes.items()},
               "meta": result.meta, "rows": result.to_records()}
        if getattr(result, "failures", None):
            obj["failures"] = result.failures
        _atomic_write_bytes(path, (json.dumps(obj, indent=1, allow_nan=False) + "\n").encode())
    elif fmt == "parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as exc:
            raise InvalidParameterError("Parquet output needs the optional package pyarrow "
                                        "(pip install pyarrow); use .csv or .json") from exc
        tbl = pa.table(cols)
        sink = pa.BufferOutputStream()
        pq.write_table(tbl, sink)
        _atomic_write_bytes(path, sink.getvalue().to_pybytes())
    else:
        raise InvalidParameterError(f"output format {fmt!r} (from {str(path)!r}) is not "
                                    "supported; use .csv, .json or .parquet")
    return path
