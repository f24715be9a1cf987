"""HTML reports: ``nuem report --experiment ID --out DIR``.

:func:`build_report` writes, atomically, a directory with

* ``index.html`` -- one page (inline CSS, no scripts, no network): the limits (expected, with
  its ±1σ/±2σ band; from the data, with method and nuisances; published), the experiment, its
  assumptions and citations, the neutrino flux, the expected ON/OFF spectra with each component
  (and the ON and OFF data with Poisson error bars), the ON-OFF residual (expected, measured,
  best fit), the expected limit versus exposure, for a germanium detector Figs. 4 and 9a of
  Wong & Li, MPLA 20, 1103 (2005) (:mod:`nuem.reproductions.wong_li_2005`) and, with a data
  file, the measured spectrum and its X-ray lines;
* ``figures/*.png`` and ``figures/*.pdf``;
* ``summary.json`` -- every number shown (keys documented in ``docs/report.md``);
* ``.nuem-report`` -- the marker that lets a later report replace this directory.

Examples
--------
>>> from nuem.report import FIGURES
>>> sorted(FIGURES)[:3]
['data', 'flux', 'limits']
"""

from __future__ import annotations

from .builder import FIGURES, build_report
from .output_dir import MARKER

__all__ = ["build_report", "FIGURES", "MARKER"]


def __dir__():  # the public API only (locked by tests/test_api.py)
    return sorted(__all__)
