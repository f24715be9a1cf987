"""Atomic structure: shells, binding energies and ionization models.

Examples
--------
>>> from nuem.atoms import stepping_electrons_kev
>>> float(stepping_electrons_kev(32, 10.0))   # Ge: K shell still bound at 10 keV
30.0
"""

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
]
