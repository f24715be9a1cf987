"""Atomic data: shells, binding energies, photoabsorption, dielectric function, medium terms.

The atomic-ionization cross sections built on these live in
:mod:`nuem.interactions.atomic_ionization`.

Examples
--------
>>> from nuem.atoms import stepping_electrons_kev
>>> float(stepping_electrons_kev(32, 10.0))   # Ge: K shell still bound at 10 keV
30.0
"""

from .._lazy import attach
from .shells import (
    Shell,
    binding_energies_kev,
    shells,
    stepping_electrons,
    stepping_electrons_kev,
)

__all__ = [
    "Shell",
    "shells",
    "stepping_electrons",
    "stepping_electrons_kev",
    "binding_energies_kev",
    "SOURCES",
    "sigma_gamma_cm2",
    "sigma_gamma_element_cm2",
    "trk_electrons",
    "dielectric_function",
    "plasma_energy_kev",
    "sigma_gamma_extended_cm2",
    "distant_collision_terms",
    "edge_peaks",
]

_LAZY = {
    "SOURCES": "photoabsorption", "sigma_gamma_cm2": "photoabsorption",
    "sigma_gamma_element_cm2": "photoabsorption", "trk_electrons": "photoabsorption",
    "dielectric_function": "dielectric", "plasma_energy_kev": "dielectric",
    "sigma_gamma_extended_cm2": "medium", "distant_collision_terms": "medium",
    "edge_peaks": "medium",
}


__getattr__, __dir__ = attach(__name__, _LAZY)
