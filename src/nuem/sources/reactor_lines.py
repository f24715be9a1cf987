"""Electron neutrinos from a power reactor: 51Cr and 55Fe electron-capture lines.

Neutron capture on 50Cr and 54Fe in the stainless steel of the control-rod assemblies and core
structures produces 51Cr and 55Fe, which decay by electron capture and emit mono-energetic nu_e
(nominally 747 keV and 231 keV); realistic neutron-transport simulations of the Kuo-Sheng reactor
give about 8.3e-4 nu_e per fission in total (B. Xin et al. (TEXONO), arXiv:hep-ex/0502001;
quoted by H.T. Wong & H.B. Li, Mod. Phys. Lett. A 20, 1103 (2005), Sec. 4.3). The flux at
distance L from a core with fission rate R is

.. math:: \\Phi_{\\nu_e} = \\frac{R\\, Y}{4\\pi L^2},\\qquad Y = Y_{51} + Y_{55},

and each isotope's share is distributed over its capture lines (K, L1, M1 of the daughter
atom, :mod:`nuem.sources.ec_sources`): 51Cr at 746.98, 751.82, 752.38 keV (ground-state branch)
and 426.90, 431.74, 432.30 keV (320 keV branch, 9.93 %); 55Fe at 224.67, 230.44, 231.13 keV (the
"231 keV" of the nominal value is the Q value; 88.6 % of the captures are from the K shell and
emit 224.7 keV).

The split of Y between 51Cr and 55Fe (``cr51_fraction``) must be supplied: the per-isotope yields
of Xin et al. 2005 are not reproduced here (they could not be checked). Y is the emission rate per
fission at the time considered: 51Cr (T1/2 = 27.7 d) reaches equilibrium with the neutron flux
within months, 55Fe (2.74 y) does not within one fuel cycle, so Y depends on the reactor history.
:class:`nuem.sources.reactor.ReactorSource` adds these lines to its antineutrinos with
``nue_lines_cr51_fraction`` (:func:`nue_lines_for_fission_flux`).

Examples
--------
>>> f = reactor_nue_lines(9.55e19, 28.0, cr51_fraction=0.5)  # ~2.9 GW at 28 m
>>> f"{f.total_cm2_s():.3e}"
'8.046e+08'
"""

from __future__ import annotations

import numpy as np

from .._validation import finite_scalar, positive_scalar
from ..exceptions import InvalidParameterError
from .ec_sources import EC_DECAYS
from .geometry import flux_from_activity_cm2_s
from .lines import LineFlux

__all__ = ["REACTOR_NUE_PER_FISSION", "reactor_nue_lines", "nue_lines_for_fission_flux"]

#: Total nu_e per fission from 51Cr + 55Fe (Wong & Li 2005, Sec. 4.3; Xin et al.,
#: arXiv:hep-ex/0502001).
REACTOR_NUE_PER_FISSION = 8.3e-4


def reactor_nue_lines(fissions_per_s: float, distance_m: float, *, cr51_fraction: float,
                      per_fission: float = REACTOR_NUE_PER_FISSION) -> LineFlux:
    """nu_e lines of a reactor core at a distance (module docstring).

    Parameters
    ----------
    fissions_per_s : float
        Fission rate R of the core (s^-1, > 0), e.g. ``ReactorSource.fissions_per_s``.
    distance_m : float
        Core-detector distance L (m, > 0).
    cr51_fraction : float
        Fraction of the nu_e yield from 51Cr, in [0, 1] (the rest from 55Fe). Required: no
        published split is built in.
    per_fission : float
        Total nu_e yield Y per fission (>= 0; default 8.3e-4).

    Returns
    -------
    LineFlux
        Flavour ``"nue"``, total R Y / (4 pi L^2) in cm^-2 s^-1.
    """
    rate = positive_scalar(fissions_per_s, "fissions_per_s", "s^-1")
    y = positive_scalar(per_fission, "per_fission", allow_zero=True)
    share = _share(cr51_fraction)
    phi = flux_from_activity_cm2_s(rate, distance_m=distance_m, per_decay=y)
    return _lines(phi, share, f"reactor nu_e lines ({y:g}/fission, 51Cr share {share:g}) at "
                              f"{float(distance_m):g} m")


def nue_lines_for_fission_flux(fissions_cm2_s: float, *, cr51_fraction: float,
                               per_fission: float = REACTOR_NUE_PER_FISSION) -> LineFlux:
    """The same lines for a fission flux R / (4 pi L^2) at the detector (cm^-2 s^-1, > 0):
    total ``fissions_cm2_s`` x Y (a reactor known by its antineutrino flux Phi and yield N_nu:
    R / (4 pi L^2) = Phi / N_nu).

    Examples
    --------
    >>> f = nue_lines_for_fission_flux(1e12, cr51_fraction=1.0)
    >>> round(f.total_cm2_s() / 8.3e8, 12)
    1.0
    """
    phi = positive_scalar(fissions_cm2_s, "fissions_cm2_s", "cm^-2 s^-1")
    y = positive_scalar(per_fission, "per_fission", allow_zero=True)
    share = _share(cr51_fraction)
    return _lines(phi * y, share, f"reactor nu_e lines ({y:g}/fission, 51Cr share {share:g})")


def _share(cr51_fraction) -> float:
    share = finite_scalar(cr51_fraction, "cr51_fraction")
    if not 0.0 <= share <= 1.0:
        raise InvalidParameterError(f"cr51_fraction={share!r} is outside [0, 1]")
    return share


def _lines(phi: float, share: float, label: str) -> LineFlux:
    energies, fluxes = [], []
    for iso, frac in (("Cr51", share), ("Fe55", 1.0 - share)):
        e, w = EC_DECAYS[iso].lines()
        energies.append(e)
        fluxes.append(phi * frac * w / w.sum())
    return LineFlux(np.concatenate(energies), np.concatenate(fluxes), "nue", label=label)
