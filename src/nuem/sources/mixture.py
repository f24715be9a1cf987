"""A beam whose flavours have different spectra (e.g. solar nu_e after MSW conversion).

:class:`FlavorMixture` holds one single-flavour flux per species. The rate engine computes every
flavour-dependent process (SM nu-e scattering, the millicharge interference) for each species with
its own couplings and sums; flavour-blind processes (magnetic moment with one effective mu_nu,
coherent scattering at tree level) use the summed moments.

Examples
--------
>>> from nuem.sources.lines import LineFlux
>>> mix = FlavorMixture({"nue": LineFlux([0.862], [3e9]), "numu": LineFlux([0.862], [2e9])})
>>> mix.flavors, mix.total_cm2_s(), mix.total_cm2_s("numu")
(('nue', 'numu'), 5000000000.0, 2000000000.0)
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..exceptions import InvalidParameterError
from .protocol import check_flavor, check_flux

__all__ = ["FlavorMixture"]


class FlavorMixture:
    """Several single-flavour fluxes forming one beam (flux protocol).

    Parameters
    ----------
    components : mapping of str to flux
        ``{flavor: flux}``; each flux implements the flux protocol and carries exactly one
        flavour. The key sets the species: a component built with another flavour label (say a
        shape computed for nu_e and scaled to the nu_mu share) is used as the key's species.
    label : str
        Free text for provenance (default: the components' labels).
    """

    def __init__(self, components: Mapping, *, label: str = ""):
        if not isinstance(components, Mapping) or not components:
            raise InvalidParameterError("components must be a non-empty mapping {flavor: flux}")
        comps = {}
        for flavor, flux in components.items():
            check_flavor(flavor, "components flavor")
            inner = check_flux(flux)
            if len(inner) != 1:
                raise InvalidParameterError(
                    f"components[{flavor!r}] carries {len(inner)} flavours ({', '.join(inner)}); "
                    "each component of a FlavorMixture must be a single-flavour flux")
            comps[flavor] = flux
        self._components = comps
        self.label = label or " + ".join(f"{f}: {getattr(x, 'label', '') or type(x).__name__}"
                                         for f, x in comps.items())

    @property
    def components(self) -> dict:
        """``{flavor: flux}`` (a copy of the mapping)."""
        return dict(self._components)

    @property
    def flavors(self) -> tuple[str, ...]:
        """The species present, in the order given."""
        return tuple(self._components)

    def total_cm2_s(self, flavor: str | None = None) -> float:
        """Total flux of one species, or of all (cm^-2 s^-1)."""
        if flavor is not None:
            flux = self._components.get(check_flavor(flavor))
            return 0.0 if flux is None else float(flux.total_cm2_s())
        return float(sum(f.total_cm2_s() for f in self._components.values()))

    def break_energies_mev(self) -> np.ndarray:
        """Union of the components' break energies (MeV)."""
        parts = [np.asarray(f.break_energies_mev(), dtype=float).ravel()
                 for f in self._components.values()]
        return np.unique(np.concatenate(parts))

    def moments_mev(self, enu_min_mev, powers=(0, 1, 2), flavor: str | None = None
                    ) -> np.ndarray:
        """Tail moments of one species or of the sum, cm^-2 s^-1 MeV^-k (flux protocol)."""
        powers = tuple(int(k) for k in powers)
        x = np.asarray(enu_min_mev, dtype=float)
        if flavor is not None:
            flux = self._components.get(check_flavor(flavor))
            if flux is None:
                return np.zeros((len(powers),) + x.shape)
            return np.asarray(flux.moments_mev(x, powers), dtype=float)
        return sum(np.asarray(f.moments_mev(x, powers), dtype=float)
                   for f in self._components.values())

    def __repr__(self) -> str:
        parts = ", ".join(f"{k}: {v!r}" for k, v in self._components.items())
        return f"FlavorMixture({{{parts}}})"
