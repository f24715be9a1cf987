"""Detector modelling: resolution and smearing, thresholds/efficiency, quenching, backgrounds.

Modules: :mod:`nuem.detectors.response`, :mod:`nuem.detectors.quenching`,
:mod:`nuem.detectors.backgrounds`. Importing this package imports nothing heavy (the names below
are loaded on first use).

Examples
--------
>>> from nuem.detectors import Resolution
>>> round(float(Resolution(0.0).sigma_kev(10.0)), 4)   # Fano only: sqrt(0.11 * 2.96 eV * 10 keV)
0.0571
"""

from __future__ import annotations

from .._lazy import attach

_LAZY = {
    "Resolution": "response", "Exposure": "exposure", "smear": "response",
    "smearing_matrix": "response", "line_counts": "response", "StepEfficiency": "response",
    "ErfEfficiency": "response", "TabulatedEfficiency": "response",
    "bin_averaged_efficiency": "response", "FANO_GE": "response", "PAIR_ENERGY_GE_EV": "response",
    "LindhardQuenching": "quenching", "TabulatedQuenching": "quenching",
    "lindhard_k": "quenching", "K_LINDHARD_GE": "quenching",
    "FlatContinuum": "backgrounds", "ShapedContinuum": "backgrounds", "Line": "backgrounds",
    "ec_lines": "backgrounds", "EC_ISOTOPES": "backgrounds", "BackgroundModel": "backgrounds",
}

__all__ = sorted(_LAZY)


__getattr__, __dir__ = attach(__name__, _LAZY)
