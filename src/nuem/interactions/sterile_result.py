"""Result of :func:`nuem.interactions.sterile_transition.sterile_dm_rates`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["SterileDMSpectrum"]


@dataclass
class SterileDMSpectrum:
    """Sterile-DM conversion rates: grid components in counts/(kg keV day), lines in
    counts/(kg day).

    ``components``: ``pole`` (the q^2 -> 0 pole around T = m_s/2: the halo's radiative decay in
    the detector) and ``ionization`` (the atomic continuum); ``lines``: the free-electron line
    at T_f = m_s^2/(2 (m_s + m_e)), narrower than 1 eV, as {name, energy_kev, rate_kg_day,
    electrons_per_formula_unit, full_width_kev}. ``to_dict`` has the keys of
    :meth:`nuem.rates.RateSpectrum.to_dict` plus ``lines``.
    """

    t_kev: np.ndarray
    components: dict[str, np.ndarray]
    lines: list = field(default_factory=list)
    parameters: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)

    @property
    def total_electron(self) -> np.ndarray:
        """Sum of the grid components, counts/(kg keV day) (lines not included)."""
        return sum(self.components.values())

    @property
    def total_nuclear(self) -> np.ndarray:
        """No nuclear recoils: zeros."""
        return np.zeros_like(self.t_kev)

    def to_dict(self) -> dict:
        """Plain-Python form (lists) for JSON output."""
        return {
            "t_kev": self.t_kev.tolist(),
            "units": "counts/(kg keV day)",
            "components": {k: np.asarray(v).tolist() for k, v in self.components.items()},
            "total_electron_recoil": np.asarray(self.total_electron).tolist(),
            "total_nuclear_recoil": self.total_nuclear.tolist(),
            "lines": [dict(x) for x in self.lines],
            "lines_units": "counts/(kg day)",
            "parameters": self.parameters,
            "provenance": self.provenance,
        }
