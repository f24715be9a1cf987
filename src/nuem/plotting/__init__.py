"""Figures (matplotlib, imported lazily inside the functions; Agg canvas).

Every plotting function draws into ``ax=`` (a new figure with the nuem look when None) and
returns the axes; :func:`save` writes a figure (or an axes' figure) as PNG/PDF. Modules:
:mod:`nuem.plotting.style` (one style per quantity, axis labels with units),
:mod:`nuem.plotting.spectra` (flux, ON/OFF spectra and data, components, residual, measured
spectra with X-ray lines), :mod:`nuem.plotting.limits` (expected limits with ±1σ/±2σ bands),
:mod:`nuem.plotting.contours` (scan contours, one panel per slice). Figures of published papers
live in :mod:`nuem.reproductions`, which builds them with the helpers exported here
(:func:`new_figure`, :func:`new_axes`, :func:`legend_above`, :func:`save`, :data:`COLOURS`).
Importing this package does not import matplotlib.

Examples
--------
>>> import sys, nuem.plotting
>>> "nuem.plotting" in sys.modules
True
"""

from __future__ import annotations

from ._figure import COLOURS, legend_above, new_axes, new_figure, save

__all__ = ["COLOURS", "new_figure", "new_axes", "legend_above", "save"]


def __dir__():  # the public API only (locked by tests/test_api.py)
    return sorted(__all__)
