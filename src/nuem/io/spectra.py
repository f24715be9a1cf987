"""Measured energy spectra from text tables: :func:`read_spectrum` -> :class:`MeasuredSpectrum`.

File conventions (documented in ``docs/report.md``):

* delimiter: comma (CSV), tab (TSV) or runs of white space, detected from the first table line;
* comment lines start with ``#``; a comment of the form ``# key = value`` (or ``key: value``)
  sets metadata. Known keys: ``exposure_kg_day`` (one spectrum, or both ON and OFF),
  ``exposure_on_kg_day``, ``exposure_off_kg_day``, ``exposure_residual_kg_day``;
* the first non-comment line is a header if none of its fields is a number. Column names
  (case-insensitive, units in the name) are those of :data:`COLUMN_NAMES`, with the aliases of
  :data:`ALIASES`; without a header pass ``columns=``;
* bins: either ``e_lo_kev`` and ``e_hi_kev`` (edges), or ``e_kev`` (centre) with ``width_kev``
  (or the ``bin_width_kev=`` argument for a fixed width): edges = centre +- width/2;
* values: ``counts`` or ``cpkkd`` (counts/(kg keV day), "DRU") for one spectrum, or
  ``on_counts``/``off_counts``/``on_cpkkd``/``off_cpkkd`` for reactor ON and OFF. Conversion
  counts = cpkkd x width_keV x exposure_kg_day needs the exposure;
* ON−OFF residual with errors (series ``residual``): ``residual_counts`` + ``sigma_counts`` or
  ``residual_cpkkd`` + ``sigma_cpkkd`` (aliases ``on_minus_off_*``, ``error_*``, ``err_*``).
  The residual may be negative; the error column is required, in the same unit as the
  residual, and every error must be > 0. A residual cannot be mixed with other value columns.
  Its exposure (``exposure_kg_day``, or ``exposure_residual_kg_day``) is the ON exposure.

Bins must be sorted and must not overlap; an overlap smaller than 1 % of the narrower bin is
taken as rounding of printed edges (e.g. centre +- width/2 with six decimals) and the two edges
are joined. Every malformed line raises :class:`~nuem.exceptions.DataFileError` naming the file
and the line. The input file is only ever opened for reading.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..exceptions import DataFileError
from .tables import header_line as _header_line
from .tables import read_numeric_table

__all__ = ["COLUMN_NAMES", "ALIASES", "MeasuredSpectrum", "read_spectrum", "parse_table",
           "spectrum_from_columns", "build_spectrum"]

COLUMN_NAMES = ("e_lo_kev", "e_hi_kev", "e_kev", "width_kev", "counts", "cpkkd",
                "on_counts", "off_counts", "on_cpkkd", "off_cpkkd", "residual_counts",
                "residual_cpkkd", "sigma_counts", "sigma_cpkkd", "index", "ignore")
ALIASES = {"e_low_kev": "e_lo_kev", "e_high_kev": "e_hi_kev", "e_min_kev": "e_lo_kev",
           "e_max_kev": "e_hi_kev", "e_centre_kev": "e_kev", "e_center_kev": "e_kev",
           "bin_width_kev": "width_kev", "dru": "cpkkd", "rate_cpkkd": "cpkkd",
           "on": "on_counts", "off": "off_counts", "on_dru": "on_cpkkd", "off_dru": "off_cpkkd",
           "on_minus_off_counts": "residual_counts", "on_minus_off_cpkkd": "residual_cpkkd",
           "residual_dru": "residual_cpkkd", "error_counts": "sigma_counts",
           "err_counts": "sigma_counts", "error_cpkkd": "sigma_cpkkd", "err_cpkkd": "sigma_cpkkd",
           "sigma_dru": "sigma_cpkkd"}
#: value column -> (series, kind)
_VALUE_COLUMNS = {"counts": ("spectrum", "counts"), "cpkkd": ("spectrum", "cpkkd"),
                  "on_counts": ("on", "counts"), "off_counts": ("off", "counts"),
                  "on_cpkkd": ("on", "cpkkd"), "off_cpkkd": ("off", "cpkkd"),
                  "residual_counts": ("residual", "counts"),
                  "residual_cpkkd": ("residual", "cpkkd")}
#: error column -> (series, kind)
_ERROR_COLUMNS = {"sigma_counts": ("residual", "counts"), "sigma_cpkkd": ("residual", "cpkkd")}
_OVERLAP_TOLERANCE = 0.01


@dataclass(frozen=True)
class MeasuredSpectrum:
    """A binned measured spectrum, one or more series (``spectrum``, ``on``/``off`` or
    ``residual``).

    Attributes
    ----------
    e_lo_kev, e_hi_kev : ndarray
        Bin edges in keV (electron-equivalent energy as recorded).
    values : dict
        ``{series: (kind, ndarray)}`` with kind ``"counts"`` or ``"cpkkd"``, as read.
    exposure_kg_day : dict
        ``{series: exposure in kg day or None}``.
    source : str
        The file read (or a label).
    notes : tuple of str
        What the reader assumed or dropped.
    errors : dict
        ``{series: ndarray}``: 1σ errors in the series' kind (the ``residual`` series has them).

    Examples
    --------
    >>> s = MeasuredSpectrum(np.array([1.0, 2.0]), np.array([2.0, 3.0]),
    ...                      {"spectrum": ("counts", np.array([10.0, 4.0]))},
    ...                      {"spectrum": 5.0}, "example")
    >>> s.rate_cpkkd().tolist()   # counts / (width_keV * exposure_kg_day)
    [2.0, 0.8]
    """

    e_lo_kev: np.ndarray
    e_hi_kev: np.ndarray
    values: dict
    exposure_kg_day: dict
    source: str
    notes: tuple = field(default_factory=tuple)
    errors: dict = field(default_factory=dict)

    @property
    def e_kev(self) -> np.ndarray:
        """Bin centres, keV."""
        return 0.5 * (self.e_lo_kev + self.e_hi_kev)

    @property
    def width_kev(self) -> np.ndarray:
        """Bin widths, keV."""
        return self.e_hi_kev - self.e_lo_kev

    @property
    def series(self) -> tuple[str, ...]:
        """Names of the series in the file (``spectrum`` or ``on``, ``off``)."""
        return tuple(self.values)

    def _get(self, series: str):
        if series not in self.values:
            raise DataFileError(self.source, None, f"no series {series!r} in this spectrum; "
                                f"it has {', '.join(self.values)}")
        return self.values[series]

    def _exposure(self, series: str, purpose: str) -> float:
        exp = self.exposure_kg_day.get(series)
        if exp is None:
            raise DataFileError(self.source, None, f"{purpose} of series {series!r} needs the "
                                "exposure: add '# exposure_kg_day = X' to the file or pass "
                                "exposure_kg_day=X (kg day)")
        return exp

    def rate_cpkkd(self, series: str = "spectrum") -> np.ndarray:
        """Differential rate in counts/(kg keV day) of a series."""
        kind, v = self._get(series)
        if kind == "cpkkd":
            return v.copy()
        return v / (self.width_kev * self._exposure(series, "converting counts to cpkkd"))

    def counts(self, series: str = "spectrum") -> np.ndarray:
        """Counts per bin of a series (cpkkd x width x exposure if the file gives cpkkd)."""
        kind, v = self._get(series)
        if kind == "counts":
            return v.copy()
        return v * self.width_kev * self._exposure(series, "converting cpkkd to counts")

    def sigma(self, series: str = "residual", kind: str | None = None) -> np.ndarray:
        """1σ errors of a series, as read (``kind=None``) or as ``"counts"`` / ``"cpkkd"``.

        Examples
        --------
        >>> s = MeasuredSpectrum(np.array([1.0]), np.array([3.0]),
        ...                      {"residual": ("cpkkd", np.array([-0.5]))}, {"residual": 10.0},
        ...                      "example", errors={"residual": np.array([0.25])})
        >>> s.sigma().tolist(), s.sigma(kind="counts").tolist()    # x width 2 keV x 10 kg d
        ([0.25], [5.0])
        """
        read_kind, _ = self._get(series)
        if series not in self.errors:
            raise DataFileError(self.source, None, f"series {series!r} has no error column")
        e = np.asarray(self.errors[series], float)
        if kind is None or kind == read_kind:
            return e.copy()
        x = self._exposure(series, f"converting errors to {kind}")
        return e * self.width_kev * x if kind == "counts" else e / (self.width_kev * x)

    def to_dict(self) -> dict:
        """JSON-ready form: edges, centres, widths and, per series, counts and cpkkd (or None
        where the exposure needed for the conversion is unknown)."""
        out = {"source": self.source, "e_lo_kev": self.e_lo_kev.tolist(),
               "e_hi_kev": self.e_hi_kev.tolist(), "e_kev": self.e_kev.tolist(),
               "width_kev": self.width_kev.tolist(), "series": {}, "notes": list(self.notes)}
        for name in self.values:
            entry = {"exposure_kg_day": self.exposure_kg_day.get(name)}
            for what, fn in (("counts", self.counts), ("cpkkd", self.rate_cpkkd)):
                try:
                    entry[what] = fn(name).tolist()
                except DataFileError:
                    entry[what] = None
            if name in self.errors:
                for what in ("counts", "cpkkd"):
                    try:
                        entry[f"sigma_{what}"] = self.sigma(name, what).tolist()
                    except DataFileError:
                        entry[f"sigma_{what}"] = None
            out["series"][name] = entry
        return out


def parse_table(path, *, columns=None, skip_lines: int = 0):
    """Read a numeric text table.

    Returns ``(names, rows, line_numbers, meta)``: column names (normalised), a float array of
    shape (n_rows, n_columns), the 1-based line number of every row, and ``# key = value``
    metadata. Raises :class:`DataFileError` naming file and line for anything malformed.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
    ...     _ = f.write("# exposure_kg_day = 2\\ne_kev,counts,width_kev\\n1.5,3,1\\n")
    >>> names, rows, lines, meta = parse_table(f.name)
    >>> names, rows.tolist(), lines, meta
    (['e_kev', 'counts', 'width_kev'], [[1.5, 3.0, 1.0]], [3], {'exposure_kg_day': '2'})
    >>> os.remove(f.name)
    """
    return read_numeric_table(path, columns=columns, skip_lines=skip_lines,
                              normalise=_normalise)


def _normalise(names, path, lineno) -> list[str]:
    if isinstance(names, str):
        names = names.split(",")
    out = []
    for n in names:
        key = ALIASES.get(n.strip().lower(), n.strip().lower())
        if key not in COLUMN_NAMES:
            raise DataFileError(path, lineno, f"unknown column {n!r}; known: "
                                f"{', '.join(COLUMN_NAMES)} (aliases {', '.join(ALIASES)})")
        if key in out and key != "ignore":
            raise DataFileError(path, lineno, f"column {key!r} appears twice")
        out.append(key)
    return out


def _meta_float(meta, key, path) -> float | None:
    if key not in meta:
        return None
    try:
        x = float(meta[key])
    except ValueError:
        raise DataFileError(path, None, f"metadata {key} = {meta[key]!r} is not a number") \
            from None
    if not (math.isfinite(x) and x > 0):
        raise DataFileError(path, None, f"metadata {key} = {x!r} must be > 0 (kg day)")
    return x


def _edges(names, rows, lines, path, bin_width_kev):
    col = {n: rows[:, i] for i, n in enumerate(names)}
    if "e_lo_kev" in col and "e_hi_kev" in col:
        lo, hi = col["e_lo_kev"], col["e_hi_kev"]
    elif "e_kev" in col:
        if "width_kev" in col:
            width = col["width_kev"]
        elif bin_width_kev is not None:
            width = np.full(len(rows), float(bin_width_kev))
        else:
            raise DataFileError(path, None, "bin centres (e_kev) need a width_kev column or "
                                "bin_width_kev=")
        lo, hi = col["e_kev"] - 0.5 * width, col["e_kev"] + 0.5 * width
    else:
        raise DataFileError(path, None, "no energy columns: need e_lo_kev and e_hi_kev, or "
                            "e_kev (+ width_kev)")
    lo, hi = lo.copy(), hi.copy()
    bad = np.flatnonzero(~(hi > lo))
    if bad.size:
        raise DataFileError(path, lines[bad[0]], f"empty or inverted bin [{lo[bad[0]]}, "
                            f"{hi[bad[0]]}] keV")
    if lo[0] < 0:
        raise DataFileError(path, lines[0], f"negative energy {lo[0]} keV")
    width = hi - lo
    overlap = hi[:-1] - lo[1:]
    tol = _OVERLAP_TOLERANCE * np.minimum(width[:-1], width[1:])
    bad = np.flatnonzero(overlap > tol)
    if bad.size:
        i = bad[0] + 1
        what = "unsorted" if lo[i] < lo[i - 1] else "overlapping"
        raise DataFileError(path, lines[i], f"{what} bins: [{lo[i]}, {hi[i]}] keV starts before "
                            f"the previous bin ends at {hi[i - 1]} keV; bins must be sorted and "
                            "must not overlap")
    join = np.abs(overlap) <= tol
    lo[1:][join] = hi[:-1][join]
    return lo, hi


def read_spectrum(path, *, columns=None, exposure_kg_day=None, bin_width_kev=None,
                  skip_lines: int = 0, source: str | None = None) -> MeasuredSpectrum:
    """Read a measured spectrum from a CSV/TSV/whitespace table (conventions: module docstring).

    Parameters
    ----------
    path : str or Path
        The file (only read).
    columns : str or sequence of str, optional
        Column names for a file without header (e.g. ``"e_kev,cpkkd,width_kev"``).
    exposure_kg_day : float or dict, optional
        Exposure in kg day for all series, or ``{"on": x, "off": y}``; overrides the file's
        ``# exposure_kg_day = ...`` metadata.
    bin_width_kev : float, optional
        Fixed bin width when the file has centres but no ``width_kev`` column.
    skip_lines : int
        Lines at the top to skip (free-text notes).
    source : str, optional
        Label stored in the result (default: the path).

    Returns
    -------
    MeasuredSpectrum

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
    ...     _ = f.write("e_lo_kev\\te_hi_kev\\ton_counts\\toff_counts\\n12\\t13\\t600\\t130\\n")
    >>> s = read_spectrum(f.name, exposure_kg_day={"on": 570.7, "off": 127.8})
    >>> s.series, round(float(s.rate_cpkkd("on")[0]), 3)
    (('on', 'off'), 1.051)
    >>> os.remove(f.name)
    """
    names, rows, lines, meta = parse_table(path, columns=columns, skip_lines=skip_lines)
    return build_spectrum(names, rows, lines, meta, path, exposure_kg_day=exposure_kg_day,
                          bin_width_kev=bin_width_kev, source=source,
                          header_line=lambda: _header_line(path, skip_lines, columns))


def spectrum_from_columns(columns: dict, path, *, meta=None, exposure_kg_day=None,
                          bin_width_kev=None, source: str | None = None) -> MeasuredSpectrum:
    """A :class:`MeasuredSpectrum` from named 1-d columns (the column names and aliases of a
    text table, e.g. ``{"e_lo_kev": ..., "e_hi_kev": ..., "on_counts": ...}``) and ``# key =
    value`` metadata: the common path of the ROOT and HDF5 readers (same checks and messages
    as :func:`read_spectrum`, naming ``path``).

    Examples
    --------
    >>> s = spectrum_from_columns({"e_kev": [1.5, 2.5], "width_kev": [1.0, 1.0],
    ...                            "counts": [4.0, 9.0]}, "mem", meta={"exposure_kg_day": "2"})
    >>> s.e_lo_kev.tolist(), s.rate_cpkkd().tolist()
    ([1.0, 2.0], [2.0, 4.5])
    """
    names = _normalise(list(columns), path, None)
    arrays = [np.asarray(v, dtype=float).ravel() for v in columns.values()]
    n = {a.size for a in arrays}
    if len(n) != 1 or 0 in n:
        raise DataFileError(path, None, "columns must be non-empty and of equal length, got "
                            + ", ".join(f"{k}: {a.size}" for k, a in zip(names, arrays,
                                                                          strict=True)))
    rows = np.column_stack(arrays)
    bad = np.flatnonzero(~np.all(np.isfinite(rows), axis=1))
    if bad.size:
        raise DataFileError(path, None, f"row {bad[0] + 1}: non-finite value")
    lines = list(range(1, rows.shape[0] + 1))
    return build_spectrum(names, rows, lines, {k: str(v) for k, v in (meta or {}).items()},
                          path, exposure_kg_day=exposure_kg_day, bin_width_kev=bin_width_kev,
                          source=source)


def build_spectrum(names, rows, lines, meta, path, *, exposure_kg_day=None, bin_width_kev=None,
                   source=None, header_line=lambda: None) -> MeasuredSpectrum:
    """The :class:`MeasuredSpectrum` of parsed columns (``names``, ``rows`` of shape
    (n, columns), the line or row number of each row, metadata); checks as in
    :func:`read_spectrum`."""
    lo, hi = _edges(names, rows, lines, path, bin_width_kev)
    values, errors = {}, {}
    for i, n in enumerate(names):
        if n in _VALUE_COLUMNS:
            series, kind = _VALUE_COLUMNS[n]
            if series in values:
                raise DataFileError(path, None, f"series {series!r} given twice (counts and "
                                    "cpkkd); keep one column per series")
            v = rows[:, i]
            neg = np.flatnonzero(v < 0)
            if neg.size and series != "residual":
                raise DataFileError(path, lines[neg[0]], f"negative {n} value {v[neg[0]]}")
            values[series] = (kind, v.copy())
    for i, n in enumerate(names):
        if n in _ERROR_COLUMNS:
            series, kind = _ERROR_COLUMNS[n]
            if series not in values or values[series][0] != kind:
                raise DataFileError(path, header_line(), f"error "
                                    f"column {n!r} needs the column {series}_{kind}")
            e = rows[:, i]
            bad = np.flatnonzero(~(e > 0))
            if bad.size:
                raise DataFileError(path, lines[bad[0]], f"{n} = {e[bad[0]]} must be > 0")
            errors[series] = e.copy()
    if not values:
        raise DataFileError(path, None, "no value column: need counts or cpkkd (or on_/off_/"
                            "residual_ variants)")
    if "residual" in values:
        kind = values["residual"][0]
        if "residual" not in errors:
            raise DataFileError(path, header_line(), f"missing column "
                                f"sigma_{kind}: an ON-OFF residual needs its 1-sigma errors")
        if len(values) > 1:
            raise DataFileError(path, None, "mix of an ON-OFF residual and other value columns")
    if "spectrum" in values and len(values) > 1:
        raise DataFileError(path, None, "mix of a plain spectrum and ON/OFF columns")
    common = _meta_float(meta, "exposure_kg_day", path)
    exposure = {s: _meta_float(meta, f"exposure_{s}_kg_day", path) or common for s in values}
    if isinstance(exposure_kg_day, dict):
        exposure.update({k: float(v) for k, v in exposure_kg_day.items()})
    elif exposure_kg_day is not None:
        exposure = dict.fromkeys(values, float(exposure_kg_day))
    for s, x in exposure.items():
        if x is not None and not (math.isfinite(x) and x > 0):
            raise DataFileError(path, None, f"exposure_kg_day for {s!r} = {x!r} must be > 0")
    return MeasuredSpectrum(lo, hi, values, exposure, source or str(path), errors=errors)
