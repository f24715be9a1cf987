"""nuem: neutrino electromagnetic properties with reactor antineutrinos.

The physics chain, one module each: :mod:`nuem.sources` (dPhi/dE_nu) ->
:mod:`nuem.interactions` (dsigma/dT) -> :mod:`nuem.targets` and :mod:`nuem.atoms` (electrons,
shells, nuclei) -> :mod:`nuem.rates` (dR/dT in counts/(kg keV day)) -> :mod:`nuem.binned`
(counts in bins for an exposure).

Importing ``nuem`` is cheap: the names below are loaded on first use.

Examples
--------
>>> import nuem
>>> src = nuem.ReactorSource(power_gw=2.9, distance_m=28.0)
>>> round(src.flux_cm2_s / 1e12, 1)   # TEXONO Kuo-Sheng: 6.4e12 /cm2/s (PRD 75, 012001 (2007))
6.5
>>> spec = nuem.differential_rates("Ge", src.tabulated(), [10.0], mu_nu=1e-10)
>>> sorted(spec.components)
['cevns', 'cevns_magnetic_moment', 'magnetic_moment', 'millicharge', 'sm_electron']
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_LAZY = {
    "ReactorSource": "nuem.sources.reactor",
    "reactor_flux": "nuem.sources.reactor",
    "Flux": "nuem.sources.protocol",
    "TabulatedFlux": "nuem.sources.flux",
    "LineFlux": "nuem.sources.lines",
    "FlavorMixture": "nuem.sources.mixture",
    "get_target": "nuem.targets",
    "Target": "nuem.targets",
    "differential_rates": "nuem.rates",
    "RateSpectrum": "nuem.rates",
    "COMPONENTS": "nuem.rates",
    "counts_in_bins": "nuem.binned",
    "NuemError": "nuem.exceptions",
    "InvalidParameterError": "nuem.exceptions",
    "constants": "nuem.constants",
    "interactions": "nuem.interactions",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nuem' has no attribute {name!r}")
    mod = importlib.import_module(module)
    value = mod if module.rsplit(".", 1)[-1] == name else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(__all__)
