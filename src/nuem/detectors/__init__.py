"""Detector modelling: resolution, efficiency, quenching, backgrounds, and the folding of
true-energy counts into observed bins.

Modules: :mod:`nuem.detectors.resolution` (models + registry), :mod:`nuem.detectors.efficiency`
(curves + registry), :mod:`nuem.detectors.quenching` (models + registry),
:mod:`nuem.detectors.response` (smearing), :mod:`nuem.detectors.folding` (the response protocol
and the folding pipeline), :mod:`nuem.detectors.backgrounds`, :mod:`nuem.detectors.exposure`.
Importing this package imports nothing heavy (the names below are loaded on first use).

Examples
--------
>>> from nuem.detectors import Resolution
>>> round(float(Resolution(0.0).sigma_kev(10.0)), 4)   # Fano only: sqrt(0.11 * 2.96 eV * 10 keV)
0.0571
>>> from nuem.detectors import RESOLUTION_MODELS
>>> RESOLUTION_MODELS.names()
('gaussian-fano', 'gaussian-poly')
"""

from __future__ import annotations

from .._lazy import attach

_LAZY = {
    "Resolution": "resolution", "GaussianFano": "resolution", "GaussianPoly": "resolution",
    "ResolutionModel": "resolution", "RESOLUTION_MODELS": "resolution",
    "FANO_GE": "resolution", "PAIR_ENERGY_GE_EV": "resolution",
    "Exposure": "exposure", "smear": "response",
    "smearing_matrix": "response", "line_counts": "response", "check_edges": "edges",
    "StepEfficiency": "efficiency", "ErfEfficiency": "efficiency",
    "TabulatedEfficiency": "efficiency", "bin_averaged_efficiency": "efficiency",
    "EFFICIENCY_MODELS": "efficiency",
    "LindhardQuenching": "quenching", "TabulatedQuenching": "quenching",
    "lindhard_k": "quenching", "K_LINDHARD_GE": "quenching", "QUENCHING_MODELS": "quenching",
    "Response": "folding", "DetectorResponse": "folding", "FoldingMatrix": "folding",
    "Folded": "folding", "FoldedSpectrum": "folding", "fold_spectrum": "folding",
    "true_grid_kev": "folding",
    "FlatContinuum": "backgrounds", "ShapedContinuum": "backgrounds", "Line": "backgrounds",
    "ec_lines": "backgrounds", "EC_ISOTOPES": "backgrounds", "BackgroundModel": "backgrounds",
}

__all__ = sorted(_LAZY)


__getattr__, __dir__ = attach(__name__, _LAZY)
