"""A sum of fluxes of one neutrino species (e.g. the solar nu_e continuum plus its lines).

Tail moments are linear in the flux, so the moments of a sum are the sums of the moments and
every rate computed with a :class:`SumFlux` equals the sum of the rates of its parts exactly.

Examples
--------
>>> from nuem.sources.flux import TabulatedFlux
>>> from nuem.sources.lines import LineFlux
>>> s = SumFlux([TabulatedFlux([0.0, 1.0], [2.0, 0.0], flavor="nue"), LineFlux([0.5], [3.0])])
>>> s.flavors, s.total_cm2_s(), float(s.moments_mev(0.5, powers=(0,))[0])
(('nue',), 4.0, 3.25)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..exceptions import InvalidParameterError
from .protocol import SingleFlavor, check_flux

__all__ = ["SumFlux"]


class SumFlux(SingleFlavor):
    """Several single-flavour fluxes of the same species, added (flux protocol).

    Parameters
    ----------
    parts : sequence of flux
        At least one flux; each implements the flux protocol and carries exactly the one
        flavour common to all parts.
    label : str
        Free text for provenance (default: the parts' labels joined by " + ").
    """

    def __init__(self, parts: Sequence, *, label: str = ""):
        parts = tuple(parts)
        if not parts:
            raise InvalidParameterError("parts must contain at least one flux")
        flavors = set()
        for i, p in enumerate(parts):
            inner = check_flux(p)
            if len(inner) != 1:
                raise InvalidParameterError(f"parts[{i}] carries {len(inner)} flavours; a SumFlux "
                                            "adds single-flavour fluxes")
            flavors.add(inner[0])
        if len(flavors) != 1:
            names = ", ".join(sorted(flavors))
            raise InvalidParameterError(f"parts have different flavours ({names}); a SumFlux "
                                        "adds fluxes of one species")
        self.flavor = flavors.pop()
        self._parts = parts
        self.label = label or " + ".join(getattr(p, "label", "") or type(p).__name__
                                         for p in parts)

    @property
    def parts(self) -> tuple:
        """The added fluxes."""
        return self._parts

    def total_cm2_s(self, flavor: str | None = None) -> float:
        """Sum of the parts' totals, cm^-2 s^-1 (0 for another flavour)."""
        if self.is_other_flavor(flavor):
            return 0.0
        return float(sum(p.total_cm2_s() for p in self._parts))

    def break_energies_mev(self) -> np.ndarray:
        """Union of the parts' break energies (MeV)."""
        return np.unique(np.concatenate([np.asarray(p.break_energies_mev(), dtype=float).ravel()
                                         for p in self._parts]))

    def moments_mev(self, enu_min_mev, powers=(0, 1, 2), flavor: str | None = None
                    ) -> np.ndarray:
        """Sum of the parts' tail moments, cm^-2 s^-1 MeV^-k (flux protocol)."""
        powers = tuple(int(k) for k in powers)
        x = np.asarray(enu_min_mev, dtype=float)
        if self.is_other_flavor(flavor):
            return np.zeros((len(powers),) + x.shape)
        return sum(np.asarray(p.moments_mev(x, powers), dtype=float) for p in self._parts)

    def __repr__(self) -> str:
        return f"SumFlux({len(self._parts)} parts, flavor={self.flavor!r})"
