"""Atomic structure: shells, binding energies, photoabsorption and ionization models.

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
    "dsigma_dt_magnetic_moment_epa",
    "dsigma_dt_millicharge_pai",
    "dsigma_dt_millicharge_ww",
    "edge_peak_ratios",
]

_LAZY = {
    "SOURCES": "photoabsorption", "sigma_gamma_cm2": "photoabsorption",
    "sigma_gamma_element_cm2": "photoabsorption", "trk_electrons": "photoabsorption",
    "dielectric_function": "dielectric", "plasma_energy_kev": "dielectric",
    "dsigma_dt_magnetic_moment_epa": "ionization", "dsigma_dt_millicharge_pai": "ionization",
    "dsigma_dt_millicharge_ww": "ionization", "edge_peak_ratios": "ionization",
}


__getattr__, __dir__ = attach(__name__, _LAZY)
