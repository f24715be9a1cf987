"""Two-body elastic kinematics nu + X -> nu + X for a target X at rest.

Notation: E_nu is the incident neutrino energy, T the kinetic (recoil) energy of the target,
M the target mass (electron: m_e; nucleus: M_N). All internal functions use :mod:`hepunits`
(MeV = 1); the public ``*_kev`` / ``*_mev`` functions convert at the boundary.

Formulas (two-body kinematics, e.g. Giunti & Studenikin, Rev. Mod. Phys. 87, 531
(2015), Sec. V):

* T_max(E_nu) = 2 E_nu^2 / (M + 2 E_nu),
* E_nu,min(T) = [T + sqrt(T^2 + 2 M T)] / 2   (the inverse of T_max),
* |q|^2 = T^2 + 2 M T  (squared three-momentum transfer, exact for elastic scattering).

Neither expression suffers from cancellation: both are sums or ratios of positive terms, and
sqrt(T^2 + 2MT) is evaluated as sqrt(T) sqrt(T + 2M) so that it neither overflows nor loses
digits for T << M (nuclear recoils of eV on 100-GeV nuclei) or T >> M.

The module also holds the evaluator shared by all cross sections: every dsigma/dT in
:mod:`nuem.interactions` is, at fixed T, ``c0 + c1/E_nu + c2/E_nu^2`` above threshold and 0
below (:func:`evaluate_polynomial`).

Examples
--------
>>> round(float(t_max_kev(1.0, 0.51099895)), 3)    # 1 MeV nu on a free electron
796.496
>>> round(float(enu_min_mev(796.4960, 0.51099895)), 4)
1.0
"""

from __future__ import annotations

import numpy as np
from hepunits import MeV, keV

from .._validation import finite_scalar, positive
from ..constants import ELECTRON_MASS
from ..exceptions import InvalidParameterError

__all__ = [
    "t_max",
    "enu_min",
    "q2",
    "t_max_kev",
    "enu_min_mev",
    "evaluate_polynomial",
    "check_energies",
    "check_sin2w",
]

_ME_MEV = ELECTRON_MASS / MeV


def t_max(enu, mass):
    """Maximum recoil kinetic energy T_max = 2 E_nu^2 / (M + 2 E_nu) (hepunits).

    Parameters
    ----------
    enu : array_like
        Neutrino energy (hepunits energy, > 0; not validated).
    mass : float or array_like
        Target mass (hepunits energy, > 0).

    Returns
    -------
    ndarray
        T_max in hepunits energy, broadcast over ``enu`` and ``mass``.
    """
    enu = np.asarray(enu, dtype=float)
    return 2.0 * enu * enu / (mass + 2.0 * enu)


def enu_min(t, mass):
    """Minimum neutrino energy to produce recoil T: [T + sqrt(T^2 + 2 M T)] / 2 (hepunits).

    Inverse of :func:`t_max` (two-body elastic kinematics). The square root is evaluated as
    sqrt(T) sqrt(T + 2M), which is exact to rounding for any T/M.

    Parameters
    ----------
    t : array_like
        Recoil kinetic energy (hepunits, >= 0; not validated).
    mass : float or array_like
        Target mass (hepunits, > 0).

    Returns
    -------
    ndarray
        E_nu,min in hepunits energy.
    """
    t = np.asarray(t, dtype=float)
    return 0.5 * (t + np.sqrt(t) * np.sqrt(t + 2.0 * mass))


def q2(t, mass):
    """Squared three-momentum transfer |q|^2 = T^2 + 2 M T (hepunits energy^2).

    Exact for elastic scattering off a target at rest (-q_mu q^mu = 2MT and q^0 = T).
    """
    t = np.asarray(t, dtype=float)
    return t * (t + 2.0 * mass)


def t_max_kev(enu_mev, mass_mev=_ME_MEV):
    """Maximum recoil energy in keV for neutrino energy ``enu_mev`` on a target of mass
    ``mass_mev``.

    T_max = 2 E_nu^2 / (M + 2 E_nu) (two-body elastic kinematics).

    Parameters
    ----------
    enu_mev : array_like
        Neutrino energy in MeV, > 0.
    mass_mev : float or array_like
        Target mass in MeV, > 0. Default: electron mass 0.51099895 MeV (CODATA 2018).

    Returns
    -------
    ndarray
        T_max in keV.

    Examples
    --------
    >>> round(float(t_max_kev(2.0, 67654.0)), 4)   # 2 MeV nu on a Ge-72-like nucleus, keV
    0.1182
    """
    e = positive(enu_mev, "enu_mev", "MeV")
    m = positive(mass_mev, "mass_mev", "MeV")
    return t_max(e * MeV, m * MeV) / keV


def enu_min_mev(t_kev, mass_mev=_ME_MEV):
    """Minimum neutrino energy in MeV that can give a recoil energy ``t_kev``.

    E_nu,min = [T + sqrt(T^2 + 2 M T)] / 2 (two-body elastic kinematics).

    Parameters
    ----------
    t_kev : array_like
        Recoil kinetic energy in keV, >= 0.
    mass_mev : float or array_like
        Target mass in MeV, > 0. Default: electron mass.

    Returns
    -------
    ndarray
        E_nu,min in MeV.

    Examples
    --------
    >>> round(float(enu_min_mev(10.0)), 5)      # 10 keV electron recoil
    0.05579
    """
    t = positive(t_kev, "t_kev", "keV", allow_zero=True)
    m = positive(mass_mev, "mass_mev", "MeV")
    return enu_min(t * keV, m * MeV) / MeV


def evaluate_polynomial(coef, t, enu, mass):
    """Evaluate dsigma/dT = c0 + c1/E_nu + c2/E_nu^2 where kinematically allowed, else 0.

    Parameters
    ----------
    coef : ndarray, shape (3,) + S
        Coefficients (hepunits area/energy x energy^k) at recoil energies ``t`` (shape S).
    t : ndarray
        Recoil energies (hepunits), shape S.
    enu : array_like
        Neutrino energies (hepunits), broadcastable with S.
    mass : float
        Target mass (hepunits).

    Returns
    -------
    ndarray
        dsigma/dT in hepunits area/energy, shape broadcast(S, enu.shape); exactly 0 where
        T > T_max(E_nu).
    """
    enu = np.asarray(enu, dtype=float)
    inv = 1.0 / enu
    val = coef[0] + inv * (coef[1] + inv * coef[2])
    allowed = np.asarray(t) <= t_max(enu, mass)
    return np.where(allowed, val, 0.0)


def check_energies(t_kev, enu_mev):
    """Validate ``t_kev`` > 0 and ``enu_mev`` > 0 (broadcastable); return them in hepunits."""
    t = positive(t_kev, "t_kev", "keV") * keV
    e = positive(enu_mev, "enu_mev", "MeV") * MeV
    try:
        np.broadcast_shapes(t.shape, e.shape)
    except ValueError as exc:
        raise InvalidParameterError(f"t_kev (shape {t.shape}) and enu_mev (shape {e.shape}) "
                                    "do not broadcast") from exc
    return t, e


def check_sin2w(sin2w) -> float:
    """Validate sin^2(theta_W) in the open interval (0, 1)."""
    s = finite_scalar(sin2w, "sin2w")
    if not 0.0 < s < 1.0:
        raise InvalidParameterError(f"sin2w={s!r} is outside the allowed range (0, 1)")
    return s
