"""Figures (matplotlib, imported lazily inside the functions; no pyplot, Agg canvas).

Modules: :mod:`nuem.plotting.spectra` (flux, ON/OFF spectra with components, residual, measured
spectra with X-ray lines). Figures of published papers live in :mod:`nuem.reproductions`, which
builds them with the helpers exported here (:func:`new_figure`, :func:`save`, :data:`COLOURS`).
Importing this package does not import matplotlib.

Examples
--------
>>> import sys, nuem.plotting
>>> "nuem.plotting" in sys.modules
True
"""

from __future__ import annotations

from ._figure import COLOURS, new_figure, save

__all__ = ["COLOURS", "new_figure", "save"]


def __dir__():  # the public API only (locked by tests/test_api.py)
    return sorted(__all__)
