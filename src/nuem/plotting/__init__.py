"""Figures (matplotlib, imported lazily inside the functions; no pyplot, Agg canvas).

Modules: :mod:`nuem.plotting.spectra` (flux, ON/OFF spectra with components, residual, measured
spectra with X-ray lines), :mod:`nuem.plotting.seed004` (seed 004 Fig. 4 and Fig. 9a); other
modules may add seed-specific figures. Importing this package does not import matplotlib.

Examples
--------
>>> import sys, nuem.plotting
>>> "nuem.plotting" in sys.modules
True
"""

from __future__ import annotations
