"""The flux protocol: what the rate engine needs from a neutrino source.

Every differential cross section in nuem is, at fixed recoil energy T, a finite sum
sum_k c_k(T) E_nu^-k above the kinematic threshold E_nu,min(T) (Wong & Li, Mod. Phys. Lett. A
20, 1103 (2005), Eqs. 4, 6, 8, 9; docs/interactions.md). The flux-averaged rate is therefore
exactly

    dR/dT = N(T) sum_k c_k(T) M_k(E_nu,min(T)),    M_k(x) = int_{E >= x} dPhi/dE E^-k dE,

so a source only has to provide its **tail moments** M_k. Anything that implements the methods
below is a flux for :func:`nuem.rates.differential_rates` and :func:`nuem.binned.counts_in_bins`
(duck typing; :class:`Flux` is a :class:`typing.Protocol` for documentation and ``isinstance``):

``label`` (str)
    Free text carried into provenance.
``flavors`` (tuple of str)
    The neutrino species present, each one of :data:`FLAVORS`.
``moments_mev(enu_min_mev, powers=(0, 1, 2), flavor=None)``
    M_k(x) for every k in ``powers`` at lower limits ``enu_min_mev`` (MeV, any shape), for one
    flavour or (``flavor=None``) summed over all; returns an array of shape
    ``(len(powers),) + shape(enu_min_mev)`` in cm^-2 s^-1 MeV^-k (row i for ``powers[i]``).
    M_k(x) must include the flux at E = x itself (a line exactly at x counts).
``total_cm2_s(flavor=None)``
    Total flux in cm^-2 s^-1.
``break_energies_mev()``
    1-d array of the energies (MeV) where dPhi/dE_nu is not smooth: lines, steps and kinks
    (the nodes of a table). Recoil spectra are non-smooth at T_max of these energies, and
    :func:`nuem.binned.counts_in_bins` places its integration boundaries there.

Implementations in nuem: :class:`nuem.sources.flux.TabulatedFlux` (a table, linear between
nodes), :class:`nuem.sources.lines.LineFlux` (mono-energetic lines) and
:class:`nuem.sources.mixture.FlavorMixture` (a beam whose flavours have different spectra).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
from hepunits import MeV, cm2, s

from ..exceptions import InvalidParameterError

__all__ = ["FLAVORS", "Flux", "SingleFlavor", "check_flux", "check_flavor", "moments_internal"]

#: Neutrino species nuem knows: three neutrinos, then three antineutrinos. Reactors emit
#: ``"nuebar"``; the Sun and electron-capture sources emit ``"nue"``.
FLAVORS = ("nue", "numu", "nutau", "nuebar", "numubar", "nutaubar")

_FLUX = 1.0 / (cm2 * s)  # hepunits value of 1 cm^-2 s^-1


@runtime_checkable
class Flux(Protocol):
    """A neutrino flux as the rate engine sees it (see the module docstring)."""

    label: str

    @property
    def flavors(self) -> tuple[str, ...]:
        """Neutrino species present (each in :data:`FLAVORS`)."""

    def moments_mev(self, enu_min_mev, powers=(0, 1, 2), flavor: str | None = None
                    ) -> np.ndarray:
        """Tail moments M_k(x) in cm^-2 s^-1 MeV^-k, shape (len(powers),) + shape(x)."""

    def total_cm2_s(self, flavor: str | None = None) -> float:
        """Total flux in cm^-2 s^-1 (one flavour, or all)."""

    def break_energies_mev(self) -> np.ndarray:
        """Energies (MeV) of lines, steps and kinks of dPhi/dE_nu."""


class SingleFlavor:
    """Base of the fluxes that carry one species (attribute ``flavor``): the protocol's
    ``flavors`` and the test whether a requested flavour is another one (then moments and totals
    are zero)."""

    flavor: str

    @property
    def flavors(self) -> tuple[str, ...]:
        """The single flavour, as a tuple (flux protocol)."""
        return (self.flavor,)

    def is_other_flavor(self, flavor: str | None) -> bool:
        """True if ``flavor`` is given and is not this flux's species."""
        return flavor is not None and check_flavor(flavor) != self.flavor


_REQUIRED = ("flavors", "moments_mev", "total_cm2_s", "break_energies_mev")


def check_flavor(flavor: str, name: str = "flavor") -> str:
    """A flavour name from :data:`FLAVORS` (exact match), else UnknownNameError naming ``name``."""
    from .._validation import choice

    return choice(flavor, name, FLAVORS)


def check_flux(flux) -> tuple[str, ...]:
    """Check that ``flux`` implements the protocol; return its flavours.

    Raises
    ------
    InvalidParameterError
        Naming the missing method or the unknown flavour.
    """
    missing = [m for m in _REQUIRED if not hasattr(flux, m)]
    if missing:
        raise InvalidParameterError(
            f"flux={type(flux).__name__} does not implement the nuem flux protocol: missing "
            f"{', '.join(missing)} (see nuem.sources.protocol)")
    flavors = tuple(flux.flavors)
    if not flavors:
        raise InvalidParameterError(f"flux={type(flux).__name__} has no flavours")
    for f in flavors:
        check_flavor(f, "flux.flavors")
    return flavors


def moments_internal(flux, x, powers, flavor=None) -> np.ndarray:
    """M_k(x) in hepunits (flux x energy^-k) for lower limits ``x`` in hepunits energy.

    The engine works in hepunits; this converts the protocol's public units at the boundary and
    checks the shape of what the flux returns.
    """
    x = np.asarray(x, dtype=float)
    powers = tuple(int(k) for k in powers)
    out = np.asarray(flux.moments_mev(x / MeV, powers, flavor), dtype=float)
    want = (len(powers),) + x.shape
    if out.shape != want:
        raise InvalidParameterError(
            f"flux={type(flux).__name__}.moments_mev returned shape {out.shape}; the flux "
            f"protocol requires {want} (len(powers),) + shape(enu_min_mev)")
    if not np.all(np.isfinite(out)):
        raise InvalidParameterError(
            f"flux={type(flux).__name__}.moments_mev returned NaN or infinity for "
            f"enu_min_mev in [{float(np.min(x)) / MeV:g}, {float(np.max(x)) / MeV:g}] MeV; the "
            "flux protocol requires finite moments")
    scale = np.array([_FLUX * MeV ** (-k) for k in powers]).reshape((-1,) + (1,) * x.ndim)
    return out * scale
