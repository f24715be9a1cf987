"""Reading measured energy spectra and locating X-ray lines in them.

Modules:

* :mod:`nuem.io.spectra` -- :class:`MeasuredSpectrum` and :func:`read_spectrum` for CSV / TSV /
  whitespace tables with a header (bin edges or centres + widths, counts or cpkkd, optional
  ON/OFF columns, exposure in kg day);
* :mod:`nuem.io.excess` -- readers for the two EXCESS-workshop germanium formats (EDELWEISS RED30,
  MINER) shipped in ``shared/data/excess_workshop_ge_spectra`` (CC BY 4.0);
* :mod:`nuem.io.lines` -- peak finding over a smooth continuum and a binned Gaussian + linear
  fit, compared with the model's cosmogenic X-ray lines (Ga K 10.367, L1 1.299 keV);
* :mod:`nuem.io.root_files` -- TH1 histograms of ROOT files (uproot, optional);
* :mod:`nuem.io.hdf5_files` -- column datasets or compound datasets of HDF5 files (h5py,
  optional);
* :mod:`nuem.io.serialize` -- plain-Python/JSON forms of results (no NaN is ever written);
* :mod:`nuem.io.events` -- event lists (one reconstructed energy per line) and tabulated
  background models for unbinned limits.

:func:`nuem.io.excess.read_measured` reads any of them (ROOT and HDF5 recognised by their
signature bytes).

Nothing is read at import time; every reader only opens its input for reading.

Examples
--------
>>> from nuem.io import spectra
>>> spectra.COLUMN_NAMES[:3]
('e_lo_kev', 'e_hi_kev', 'e_kev')
"""

from __future__ import annotations

import importlib

__all__ = ["spectra", "excess", "lines", "serialize", "events", "root_files", "hdf5_files"]


def __getattr__(name: str):
    """The sub-modules, imported on first use."""
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():  # the public API only (locked by tests/test_api.py)
    return sorted(__all__)
