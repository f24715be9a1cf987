"""Solar nu_e survival probability for adiabatic MSW-LMA conversion (three flavours, day time).

A nu_e produced in the solar core at electron density n_e leaves the Sun adiabatically (the
LMA solution is adiabatic at all solar-neutrino energies) as an incoherent mixture of mass
eigenstates; the Sun-Earth distance averages the vacuum oscillation phase. With theta_13 the
standard three-flavour reduction gives (e.g. Giunti & Kim, *Fundamentals of Neutrino Physics
and Astrophysics*, Oxford 2007, Sec. 9.3)

.. math:: P_{ee} = \\cos^4\\theta_{13}\\, P_{ee}^{2\\nu} + \\sin^4\\theta_{13},\\qquad
          P_{ee}^{2\\nu} = \\tfrac12 + \\tfrac12 \\cos 2\\theta_{12} \\cos 2\\theta_{12}^m ,

with the matter mixing angle at the production point

.. math:: \\cos 2\\theta_{12}^m = \\frac{\\cos 2\\theta_{12} - \\beta}
          {\\sqrt{(\\cos 2\\theta_{12} - \\beta)^2 + \\sin^2 2\\theta_{12}}},\\qquad
          \\beta = \\frac{2\\sqrt2\\, G_F\\, n_e \\cos^2\\theta_{13}\\, E_\\nu}{\\Delta m^2_{21}} .

Limits (tested): E_nu -> 0 gives the vacuum average cos^4 theta13 (1 - sin^2 2theta12 / 2)
+ sin^4 theta13; E_nu -> infinity gives cos^4 theta13 sin^2 theta12 + sin^4 theta13. P_ee always
lies in [sin^4 theta13, 1].

Validity: day-time flux (no regeneration in the Earth; the day-night asymmetry of 8B neutrinos is
a few per cent, so the night/day average differs by about +1.5 % for 8B and less below 5 MeV),
production at one effective density per branch (see :mod:`nuem.sources.solar`), no
non-standard interactions, no sterile states.

Mixing parameters: NuFIT 5.2 (2022), normal ordering, fit including the Super-Kamiokande
atmospheric chi^2 table: sin^2 theta12 = 0.303, sin^2 theta13 = 0.02225, Delta m^2_21 =
7.41e-5 eV^2 (I. Esteban, M.C. Gonzalez-Garcia, M. Maltoni, T. Schwetz, A. Zhou, JHEP 09
(2020) 178, arXiv:2007.14792, updated as NuFIT 5.2, www.nu-fit.org).

Examples
--------
>>> p = survival_probability([0.1, 10.0], 90.0)          # MeV; n_e in N_A cm^-3
>>> [round(float(x), 3) for x in p]
[0.55, 0.32]
>>> round(vacuum_average_pee(), 4), round(high_energy_limit_pee(), 4)
(0.5527, 0.2902)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from hepunits import cm3, eV

from .._validation import as_float_array, finite_scalar
from ..constants import AVOGADRO, G_FERMI, HBARC, MeV
from ..exceptions import InvalidParameterError

__all__ = ["MixingParameters", "NUFIT_52", "matter_potential_ev", "survival_probability",
           "vacuum_average_pee", "high_energy_limit_pee"]


@dataclass(frozen=True)
class MixingParameters:
    """Solar-sector oscillation parameters.

    Attributes
    ----------
    sin2_theta12, sin2_theta13 : float
        sin^2 of the mixing angles, in (0, 1) and [0, 1).
    dm2_21_ev2 : float
        Delta m^2_21 in eV^2 (> 0).
    source : str
        Citation of the values.
    """

    sin2_theta12: float
    sin2_theta13: float
    dm2_21_ev2: float
    source: str = ""

    def __post_init__(self):
        s12 = finite_scalar(self.sin2_theta12, "sin2_theta12")
        s13 = finite_scalar(self.sin2_theta13, "sin2_theta13")
        dm2 = finite_scalar(self.dm2_21_ev2, "dm2_21_ev2")
        if not 0.0 < s12 < 1.0:
            raise InvalidParameterError(f"sin2_theta12={s12!r} is outside (0, 1)")
        if not 0.0 <= s13 < 1.0:
            raise InvalidParameterError(f"sin2_theta13={s13!r} is outside [0, 1)")
        if not dm2 > 0.0:
            raise InvalidParameterError(f"dm2_21_ev2={dm2!r} eV^2 must be > 0")


#: NuFIT 5.2 (2022) best fit, normal ordering, with the SK atmospheric data (module docstring).
NUFIT_52 = MixingParameters(
    sin2_theta12=0.303, sin2_theta13=0.02225, dm2_21_ev2=7.41e-5,
    source="NuFIT 5.2 (2022), normal ordering with SK-atm: I. Esteban et al., JHEP 09 (2020) "
           "178 [arXiv:2007.14792], www.nu-fit.org")

#: sqrt(2) G_F (hbar c)^3 N_A / cm^3: the potential of n_e = 1 N_A cm^-3, in hepunits (MeV).
_V_PER_NA_CM3 = math.sqrt(2.0) * G_FERMI * HBARC**3 * AVOGADRO / cm3


def matter_potential_ev(ne_na_cm3) -> np.ndarray:
    """Charged-current potential V = sqrt(2) G_F n_e in eV, for n_e in units of N_A cm^-3.

    L. Wolfenstein, Phys. Rev. D (1978); V = 7.632e-14 eV per N_A cm^-3 (G_F from PDG, hbar c and
    N_A from CODATA 2018; :mod:`nuem.constants`).

    Examples
    --------
    >>> f"{float(matter_potential_ev(1.0)):.4e}"
    '7.6325e-14'
    """
    ne = as_float_array(ne_na_cm3, "ne_na_cm3")
    if np.any(ne < 0):
        raise InvalidParameterError(f"ne_na_cm3={float(ne[ne < 0].flat[0])!r} N_A cm^-3 must be "
                                    ">= 0")
    return ne * _V_PER_NA_CM3 / eV


def survival_probability(enu_mev, ne_na_cm3, mixing: MixingParameters = NUFIT_52
                         ) -> np.ndarray:
    """Day-time adiabatic MSW-LMA nu_e survival probability P_ee (module docstring).

    Parameters
    ----------
    enu_mev : array_like
        Neutrino energies in MeV (>= 0).
    ne_na_cm3 : float or array_like
        Electron density at production in units of N_A cm^-3 (>= 0; broadcast with
        ``enu_mev``); 0 gives the vacuum average.
    mixing : MixingParameters
        Oscillation parameters (default :data:`NUFIT_52`).

    Returns
    -------
    ndarray
        P_ee, dimensionless, in [sin^4 theta13, 1].
    """
    if not isinstance(mixing, MixingParameters):
        raise InvalidParameterError(f"mixing={mixing!r} must be a MixingParameters")
    e = as_float_array(enu_mev, "enu_mev")
    if np.any(e < 0):
        raise InvalidParameterError(f"enu_mev={float(e[e < 0].flat[0])!r} MeV must be >= 0")
    v = matter_potential_ev(ne_na_cm3) * eV
    c13 = 1.0 - mixing.sin2_theta13
    c2 = 1.0 - 2.0 * mixing.sin2_theta12
    s2 = 2.0 * math.sqrt(mixing.sin2_theta12 * (1.0 - mixing.sin2_theta12))
    beta = 2.0 * v * c13 * (e * MeV) / (mixing.dm2_21_ev2 * eV * eV)
    cos2m = (c2 - beta) / np.sqrt((c2 - beta) ** 2 + s2 * s2)
    p2 = 0.5 + 0.5 * c2 * cos2m
    return c13 * c13 * p2 + mixing.sin2_theta13**2


def vacuum_average_pee(mixing: MixingParameters = NUFIT_52) -> float:
    """E -> 0 limit: cos^4 theta13 (1 - sin^2(2 theta12)/2) + sin^4 theta13."""
    s12, s13 = mixing.sin2_theta12, mixing.sin2_theta13
    return (1 - s13) ** 2 * (1.0 - 2.0 * s12 * (1.0 - s12)) + s13**2


def high_energy_limit_pee(mixing: MixingParameters = NUFIT_52) -> float:
    """E -> infinity limit (full adiabatic conversion).

    cos^4 theta13 sin^2 theta12 + sin^4 theta13.
    """
    s12, s13 = mixing.sin2_theta12, mixing.sin2_theta13
    return (1 - s13) ** 2 * s12 + s13**2
