"""Numeric text tables (CSV, TSV, white space) with ``# key = value`` metadata comments.

The low-level reader behind :func:`nuem.io.spectra.read_spectrum`: every malformed line raises
:class:`~nuem.exceptions.DataFileError` naming the file and the line; the file is only read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..exceptions import DataFileError

__all__ = ["read_numeric_table", "header_line", "META_RE"]

#: A metadata comment, ``# key = value`` or ``# key: value``.
META_RE = re.compile(r"^#\s*([A-Za-z_][A-Za-z0-9_]*)\s*[=:]\s*(\S+)\s*$")


def _split(line: str, delim: str | None) -> list[str]:
    parts = line.split(delim) if delim else line.split()
    return [p.strip() for p in parts]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_numeric_table(path, *, columns=None, skip_lines: int = 0,
                       normalise: Callable = lambda names, path, lineno: list(names)):
    """Read a numeric table: ``(names, rows, line_numbers, meta)``.

    ``normalise(names, path, lineno)`` maps raw column names (from the header or ``columns``)
    to canonical ones and raises DataFileError for unknown names. The delimiter (comma, tab or
    white space) is detected from the first non-comment line; a first line with no number in it
    is the header.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise DataFileError(path, None, "file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, None, f"cannot read as UTF-8 text: {exc}") from exc
    names = None if columns is None else normalise(columns, path, None)
    delim: str | None = ""
    rows: list[list[float]] = []
    line_numbers: list[int] = []
    meta: dict[str, str] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if lineno <= skip_lines or not line:
            continue
        if line.startswith("#"):
            m = META_RE.match(line)
            if m:
                meta[m.group(1).lower()] = m.group(2)
            continue
        if delim == "":
            delim = "," if "," in line else ("\t" if "\t" in line else None)
        fields = _split(line, delim)
        if not rows and not any(_is_number(f) for f in fields):
            if names is None:
                names = normalise(fields, path, lineno)
            continue  # a header (ignored when columns= is given)
        if names is None:
            raise DataFileError(path, lineno, "no header line and no column names given; add a "
                                "header such as 'e_lo_kev,e_hi_kev,counts' or pass columns=")
        if len(fields) != len(names):
            raise DataFileError(path, lineno, f"{len(fields)} columns, expected {len(names)} "
                                f"({', '.join(names)})")
        try:
            values = [float(f) for f in fields]
        except ValueError:
            bad = next(f for f in fields if not _is_number(f))
            raise DataFileError(path, lineno, f"non-numeric value {bad!r}") from None
        if not all(math.isfinite(v) for v in values):
            raise DataFileError(path, lineno, "NaN or infinite value")
        rows.append(values)
        line_numbers.append(lineno)
    if not rows:
        raise DataFileError(path, None, "no data rows")
    return names, np.array(rows), line_numbers, meta




def header_line(path, skip_lines: int, columns) -> int | None:
    """1-based number of the header line (None if the names came from ``columns=``)."""
    if columns is not None:
        return None
    text = Path(path).read_text(encoding="utf-8-sig")
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if lineno > skip_lines and line and not line.startswith("#"):
            return lineno
    return None
