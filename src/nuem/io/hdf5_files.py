"""Measured spectra from HDF5 files (read with h5py).

Layout (:func:`read_hdf5`): the object at ``dataset`` (default the file's root group) is either

* a group whose 1-d datasets are named like the columns of a text table
  (:data:`nuem.io.spectra.COLUMN_NAMES` and aliases: ``e_lo_kev``, ``e_hi_kev`` or ``e_kev`` +
  ``width_kev``, and ``counts``, ``on_counts``, ``off_counts``, ``residual_cpkkd`` +
  ``sigma_cpkkd`` ...); other members are ignored and listed in the notes; or
* a compound (structured) dataset whose field names are those columns.

Metadata are attributes of that group or dataset with the keys of a text table's
``# key = value`` lines (``exposure_kg_day``, ``exposure_on_kg_day``, ``exposure_off_kg_day``,
``exposure_residual_kg_day``). Values are checked exactly as for text tables; row numbers in
error messages are 1-based bin numbers.

h5py is an optional dependency (``pip install 'nuem[interchange]'``), imported on first use.

Examples
--------
>>> import tempfile, os, numpy as np, h5py
>>> path = os.path.join(tempfile.mkdtemp(), "spectrum.h5")
>>> with h5py.File(path, "w") as f:
...     g = f.create_group("texono")
...     g["e_lo_kev"], g["e_hi_kev"] = [12.0, 13.0], [13.0, 14.0]
...     g["on_counts"], g["off_counts"] = [600.0, 580.0], [130.0, 128.0]
...     g.attrs["exposure_on_kg_day"], g.attrs["exposure_off_kg_day"] = 570.7, 127.8
>>> s = read_hdf5(path, dataset="texono")
>>> sorted(s.series), s.exposure_kg_day["off"]
(['off', 'on'], 127.8)
"""

from __future__ import annotations

import numpy as np

from ..exceptions import DataFileError
from .root_files import METADATA_KEYS, require
from .spectra import ALIASES, COLUMN_NAMES, MeasuredSpectrum, spectrum_from_columns

__all__ = ["read_hdf5"]


def _column(name: str) -> str | None:
    key = ALIASES.get(name.lower(), name.lower())
    return key if key in COLUMN_NAMES and key not in ("index", "ignore") else None


def read_hdf5(path, *, dataset: str = "/", exposure_kg_day=None,
              source: str | None = None) -> MeasuredSpectrum:
    """Read a measured spectrum from an HDF5 group or compound dataset (module docstring).

    Parameters
    ----------
    path : str or Path
        The HDF5 file (only read).
    dataset : str
        Path of the group or compound dataset inside the file (default ``"/"``).
    exposure_kg_day : float or dict, optional
        As in :func:`nuem.io.spectra.read_spectrum` (overrides the attributes).
    source : str, optional
        Label stored in the result (default ``path:dataset``).
    """
    h5py = require("h5py", path, "HDF5 files")
    try:
        f = h5py.File(path, "r")
    except OSError as exc:
        raise DataFileError(path, None, f"cannot open as an HDF5 file: {exc}") from None
    with f:
        if dataset not in f:
            raise DataFileError(path, None, f"no group or dataset {dataset!r}; the file has: "
                                + ", ".join(f.keys()))
        obj = f[dataset]
        columns, ignored = {}, []
        if isinstance(obj, h5py.Group):
            for name, member in obj.items():
                col = _column(name)
                if col is None or not isinstance(member, h5py.Dataset) or member.ndim != 1:
                    ignored.append(name)
                    continue
                columns[name] = np.asarray(member[()], float)
        elif obj.dtype.names:
            for name in obj.dtype.names:
                if _column(name) is None:
                    ignored.append(name)
                else:
                    columns[name] = np.asarray(obj[name], float).ravel()
        else:
            raise DataFileError(path, None, f"{dataset!r} is a plain dataset; give a group of "
                                "column datasets or a compound dataset with named fields")
        meta = {}
        for k in METADATA_KEYS:
            if k in obj.attrs:
                v = obj.attrs[k]
                meta[k] = v.decode() if isinstance(v, bytes) else str(np.asarray(v).item())
    s = spectrum_from_columns(columns, path, meta=meta, exposure_kg_day=exposure_kg_day,
                              source=source or f"{path}:{dataset}")
    notes = (f"ignored members of {dataset}: {', '.join(ignored)}",) if ignored else ()
    return MeasuredSpectrum(s.e_lo_kev, s.e_hi_kev, s.values, s.exposure_kg_day, s.source,
                            (*s.notes, *notes), s.errors)
