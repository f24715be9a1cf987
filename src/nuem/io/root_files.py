"""Measured spectra from ROOT files (TH1 histograms, read with uproot; no ROOT installation).

Layout (:func:`read_root`): one TH1 per series, named like the columns of a text table
(:data:`nuem.io.spectra.COLUMN_NAMES` and aliases: ``counts``, ``cpkkd``, ``on_counts``,
``off_counts``, ``on_cpkkd``, ``off_cpkkd``, ``residual_counts``, ``residual_cpkkd``, ``on``,
``off`` ...) or mapped to those names with ``histograms=``; all with the same bin edges, in keV.
The bin contents are the values; for a residual series the TH1 bin errors are its 1σ errors
(``sigma_*``); the errors of other series are not used (counts carry Poisson errors).
Under- and overflow bins are ignored (a note says so when they are not empty). Metadata: a
``TObjString`` named like a text-table metadata key (``exposure_kg_day``,
``exposure_on_kg_day``, ``exposure_off_kg_day``, ``exposure_residual_kg_day``) holding a number,
or ``exposure_kg_day=``. Row numbers in error messages are bin numbers (1 = first bin).

uproot is an optional dependency (``pip install 'nuem[interchange]'``), imported on first use.

Examples
--------
>>> import tempfile, os, numpy as np, uproot
>>> path = os.path.join(tempfile.mkdtemp(), "spectrum.root")
>>> with uproot.recreate(path) as f:
...     f["on_counts"] = (np.array([600.0, 580.0]), np.array([12.0, 13.0, 14.0]))
...     f["off_counts"] = (np.array([130.0, 128.0]), np.array([12.0, 13.0, 14.0]))
...     f["exposure_on_kg_day"] = "570.7"
...     f["exposure_off_kg_day"] = "127.8"
>>> s = read_root(path)
>>> s.series, s.exposure_kg_day["on"], s.e_hi_kev.tolist()
(('on', 'off'), 570.7, [13.0, 14.0])
"""

from __future__ import annotations

import numpy as np

from ..exceptions import DataFileError
from .spectra import ALIASES, MeasuredSpectrum, spectrum_from_columns

__all__ = ["read_root", "METADATA_KEYS", "require"]

#: Metadata keys read from TObjString entries (as ``# key = value`` in text tables).
METADATA_KEYS = ("exposure_kg_day", "exposure_on_kg_day", "exposure_off_kg_day",
                 "exposure_residual_kg_day")
_VALUE_NAMES = {"counts", "cpkkd", "on_counts", "off_counts", "on_cpkkd", "off_cpkkd",
                "residual_counts", "residual_cpkkd"}


def require(module: str, path, what: str):
    """Import an optional dependency or raise one clear error naming the file and the extra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise DataFileError(path, None, f"reading {what} needs the Python package {module!r}: "
                            "pip install 'nuem[interchange]'") from None


def _canonical(name: str) -> str | None:
    key = ALIASES.get(name.lower(), name.lower())
    return key if key in _VALUE_NAMES else None


def read_root(path, *, histograms: dict | None = None, exposure_kg_day=None,
              source: str | None = None) -> MeasuredSpectrum:
    """Read a measured spectrum from TH1 histograms of a ROOT file (layout: module docstring).

    Parameters
    ----------
    path : str or Path
        The ROOT file (only read).
    histograms : dict, optional
        ``{column name: key in the file}``, e.g. ``{"on_counts": "hOn", "off_counts": "hOff"}``;
        default: every TH1 whose name is a value column.
    exposure_kg_day : float or dict, optional
        As in :func:`nuem.io.spectra.read_spectrum` (overrides the file's metadata).
    source : str, optional
        Label stored in the result (default: the path).
    """
    uproot = require("uproot", path, "ROOT files")
    try:
        f = uproot.open(path)
    except (OSError, ValueError) as exc:
        raise DataFileError(path, None, f"cannot open as a ROOT file: {exc}") from None
    with f:
        classes = {k.split(";")[0]: v for k, v in f.classnames().items()}
        if histograms is None:
            keys = {c: k for k, cls in classes.items() if cls.startswith("TH1")
                    and (c := _canonical(k)) is not None}
        else:
            keys = {}
            for col, key in histograms.items():
                c = _canonical(col)
                if c is None:
                    raise DataFileError(path, None, f"histograms: {col!r} is not a value column;"
                                        f" allowed: {', '.join(sorted(_VALUE_NAMES))}")
                if key not in classes or not classes[key].startswith("TH1"):
                    raise DataFileError(path, None, f"no TH1 named {key!r}; the file has: "
                                        + ", ".join(f"{k} ({v})" for k, v in classes.items()))
                keys[c] = key
        if not keys:
            raise DataFileError(path, None, "no TH1 named like a value column (counts, cpkkd, "
                                "on_counts, off_counts, residual_counts ...); the file has: "
                                + (", ".join(f"{k} ({v})" for k, v in classes.items())
                                   or "nothing") + "; or pass histograms=")
        columns, notes, edges0 = {}, [], None
        for col, key in keys.items():
            h = f[key]
            edges = np.asarray(h.axis().edges(), float)
            if edges0 is None:
                edges0 = edges
                columns["e_lo_kev"], columns["e_hi_kev"] = edges[:-1], edges[1:]
            elif edges.shape != edges0.shape or not np.allclose(edges, edges0, rtol=1e-12):
                raise DataFileError(path, None, f"histogram {key!r} has other bin edges than "
                                    f"{next(iter(keys.values()))!r}; all series need the same")
            columns[col] = np.asarray(h.values(), float)
            if col.startswith("residual_"):
                columns["sigma_" + col.split("_", 1)[1]] = np.asarray(h.errors(), float)
            flow = np.asarray(h.values(flow=True), float)
            if flow[0] != 0 or flow[-1] != 0:
                notes.append(f"{key}: under/overflow ({flow[0]:g}, {flow[-1]:g}) ignored")
        meta = {k: str(f[k]) for k in METADATA_KEYS if classes.get(k) == "TObjString"}
    s = spectrum_from_columns(columns, path, meta=meta, exposure_kg_day=exposure_kg_day,
                              source=source)
    return MeasuredSpectrum(s.e_lo_kev, s.e_hi_kev, s.values, s.exposure_kg_day, s.source,
                            (*s.notes, *notes), s.errors)

