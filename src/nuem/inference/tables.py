"""Scan tables written atomically: CSV, JSON or Parquet (:func:`write_table`)."""

from __future__ import annotations

import json
from pathlib import Path

from .._files import write_bytes_atomic
from ..exceptions import InvalidParameterError
from .csv_text import csv_bytes, csv_chunks
from .float_text import check_digits

__all__ = ["write_table", "csv_bytes", "csv_chunks"]


def write_table(result, path, fmt: str | None = None, digits: int | None = None) -> Path:
    """Write a scan table atomically (temporary file in the same folder, then ``os.replace``).

    Parameters
    ----------
    result : nuem.inference.ScanResult
    path : str or Path
        Destination; an existing file is replaced only once the new one is complete.
    fmt : {"csv", "json", "parquet"}, optional
        Format; default from the suffix. Parquet needs the optional ``pyarrow``.
    digits : int, optional
        CSV only: significant digits of the floats (1..17, correctly rounded; 17 always reads
        back exactly). Default: the shortest text that reads back to the same double, as
        Python's ``repr`` (no information lost). JSON and Parquet always keep every bit.

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
    digits = check_digits(digits)
    names = result.columns
    mask = result.ok_mask() if hasattr(result, "ok_mask") else None
    cols = {k: result.column(k) for k in names}
    if mask is not None and not mask.all():
        cols = {k: v[mask] for k, v in cols.items()}
    if fmt == "csv":
        full = mask is None or mask.all()
        from .scan_exec import available_cpus

        write_bytes_atomic(path, csv_chunks(cols, result.grid.shape if full else None, digits,
                                             threads=min(2, available_cpus())))
    elif fmt == "json":
        obj = {"columns": list(names), "grid": {k: v.tolist() for k, v in result.grid.axes.items()},
               "meta": result.meta, "rows": result.to_records()}
        if getattr(result, "failures", None):
            obj["failures"] = result.failures
        write_bytes_atomic(path, (json.dumps(obj, indent=1, allow_nan=False) + "\n").encode())
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
        write_bytes_atomic(path, sink.getvalue().to_pybytes())
    else:
        raise InvalidParameterError(f"output format {fmt!r} (from {str(path)!r}) is not "
                                    "supported; use .csv, .json or .parquet")
    return path
