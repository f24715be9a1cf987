"""Millicharged-neutrino electron scattering on a free electron at rest (delta_Q).

Same polynomial structure as :mod:`nuem.interactions.neutrino_electron` (coefficients
(c0, c1, c2) of 1/E_nu^k in hepunits; ``dsigma_dt_*`` take keV/MeV and return cm^2/keV,
exactly 0 above T_max).

Convention:

* ``delta_q`` is the electric charge, in units of e > 0 (proton charge), of the
  neutrino nu_l (the field); the electron charge is -e. Matching the photon exchange amplitude
  e^2 delta_q (-1) [nubar gamma^mu nu][ebar gamma_mu e] / q^2 (q^2 = -2 m_e T) onto
  -(G_F/sqrt2)[nubar gamma^mu (1-gamma5) nu][ebar gamma_mu (g_V - g_A gamma5) e] with a
  left-handed nu gives g_V -> g_V - sqrt2 pi alpha delta_q / (G_F m_e T), the same shift for nu
  and nubar (same argument as for <r^2>; consistent with F_Q(q^2) = delta_q + q^2 <r^2>/6 and
  Giunti & Studenikin, Rev. Mod. Phys. 87, 531 (2015)). Flipping the sign of ``delta_q`` flips
  the SM-delta_Q interference term; the pure delta_Q^2 term is even.

Validity: free electron at rest (atomic binding: :mod:`nuem.rates` stepping, and the PAI/WW
models of :mod:`nuem.atoms.ionization`), tree level, |q^2| << M_W^2.

Examples
--------
>>> from nuem.interactions.millicharge import dsigma_dt_millicharge_pure
>>> f"{float(dsigma_dt_millicharge_pure(1.0, 1.0, 1e-12)):.3e}"
'2.546e-46'
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import finite_scalar
from ..constants import (
    ALPHA,
    ELECTRON_MASS,
    G_FERMI,
    GF2_ME_OVER_2PI,
    PI_ALPHA2_OVER_ME2,
    SIN2_THETA_W_LOW_Q2,
)
from .couplings import check_couplings
from .kinematics import check_energies as _inputs
from .kinematics import evaluate_polynomial
from .neutrino_electron import _UNIT, _couplings, _flavor_sin2w, _shift, sm_coefficients

__all__ = [
    "millicharge_gv_shift",
    "sm_millicharge_coefficients",
    "millicharge_difference_coefficients",
    "millicharge_pure_coefficients",
    "dsigma_dt_sm_millicharge",
    "dsigma_dt_millicharge_difference",
    "dsigma_dt_millicharge_pure",
]


def millicharge_gv_shift(t, delta_q):
    """g_V shift -sqrt2 pi alpha delta_q / (G_F m_e T) from a millicharge (hepunits ``t``).

    Sign derived in the module docstring (photon exchange matched onto the V-A current, electron
    charge -e); magnitude as in Giunti & Studenikin, RMP 87, 531 (2015), Sec. V.
    """
    return -math.sqrt(2.0) * math.pi * ALPHA * delta_q / (G_FERMI * ELECTRON_MASS * t)


def sm_millicharge_coefficients(t, delta_q: float, flavor: str,
                                sin2w: float = SIN2_THETA_W_LOW_Q2, gv_shift=0.0,
                                couplings: str = "tree"):
    """(c0, c1, c2) of SM + millicharge (interference and pure term included).

    Wong & Li 2005 Eq. 4 with g_V -> g_V + gv_shift - sqrt2 pi alpha delta_q/(G_F m_e T)
    (see the module docstring for the sign). Units as :func:`sm_coefficients`.
    """
    t = np.asarray(t, dtype=float)
    return sm_coefficients(t, flavor, sin2w, gv_shift + millicharge_gv_shift(t, delta_q),
                           couplings)


def millicharge_difference_coefficients(t, delta_q: float, flavor: str,
                                        sin2w: float = SIN2_THETA_W_LOW_Q2, gv_shift=0.0,
                                        couplings: str = "tree"):
    """(c0, c1, c2) of what delta_Q adds to the SM (with ``gv_shift``), interference included.

    With G = g_V + gv_shift, d = -sqrt2 pi alpha delta_q/(G_F m_e T), b = G - g_A, K =
    G_F^2 m_e/(2 pi), expanding Wong & Li 2005 Eq. 4 gives exactly (no subtraction of large
    numbers):
    c0 = K(4 d G + 2 d^2), c1 = -2 K T (2 d b + d^2),
    c2 = K[T^2 (2 d b + d^2) - m_e T (2 d G + d^2)].
    Can be negative (destructive interference). Units as :func:`sm_coefficients`.
    """
    g_v0, g_a = _couplings(flavor, sin2w, couplings)
    t = np.asarray(t, dtype=float)
    g = g_v0 + np.asarray(gv_shift, dtype=float)
    d = millicharge_gv_shift(t, delta_q)
    t, g, d = np.broadcast_arrays(t, g, d)
    k = GF2_ME_OVER_2PI
    d2 = d * d
    vb = 2.0 * d * (g - g_a) + d2
    return k * np.stack([4.0 * d * g + 2.0 * d2, -2.0 * t * vb,
                         t * t * vb - ELECTRON_MASS * t * (2.0 * d * g + d2)])


def millicharge_pure_coefficients(t, delta_q: float):
    """(c0, c1, c2) of the pure delta_Q^2 term (pi alpha^2 delta_q^2/(m_e T^2))[1 + (1-T/E)^2
    - m_e T/E^2] (Giunti & Studenikin, RMP 87, 531 (2015)); -> 2 pi alpha^2 dq^2/(m_e T^2)
    for T << E. ``t`` hepunits; units as :func:`sm_coefficients`.
    """
    t = np.asarray(t, dtype=float)
    k = PI_ALPHA2_OVER_ME2 * ELECTRON_MASS * delta_q**2 / (t * t)
    return k * np.stack([np.full_like(t, 2.0), -2.0 * t, t * t - ELECTRON_MASS * t])


def dsigma_dt_sm_millicharge(t_kev, enu_mev, delta_q: float, flavor: str = "nuebar", *,
                             sin2w: float = SIN2_THETA_W_LOW_Q2, r2_cm2: float = 0.0,
                             r2_convention: str = "gv-shift", couplings: str = "tree"):
    """SM + millicharge (+ charge radius) nu-e cross section, always >= 0.

    Wong & Li 2005 Eq. 4 with g_V -> g_V + x(<r^2>) - sqrt2 pi alpha delta_q/(G_F m_e T)
    (Giunti & Studenikin, RMP 87, 531 (2015); sign: module docstring).

    Parameters
    ----------
    t_kev, enu_mev : array_like
        keV (> 0) and MeV (> 0), broadcast.
    delta_q : float
        Neutrino millicharge in units of e (any sign; charge of the nu_l field, e > 0 the
        proton charge).
    flavor, sin2w, r2_cm2, r2_convention, couplings
        As :func:`dsigma_dt_sm`.

    Returns
    -------
    ndarray
        cm^2/keV, 0 above T_max.
    """
    t, e = _inputs(t_kev, enu_mev)
    dq = finite_scalar(delta_q, "delta_q")
    flavor, sin2w = _flavor_sin2w(flavor, sin2w)
    coef = sm_millicharge_coefficients(t, dq, flavor, sin2w, _shift(r2_cm2, r2_convention, sin2w),
                                       check_couplings(couplings))
    return np.maximum(evaluate_polynomial(coef, t, e, ELECTRON_MASS), 0.0) / _UNIT


def dsigma_dt_millicharge_difference(t_kev, enu_mev, delta_q: float, flavor: str = "nuebar", *,
                                     sin2w: float = SIN2_THETA_W_LOW_Q2, r2_cm2: float = 0.0,
                                     r2_convention: str = "gv-shift", couplings: str = "tree"):
    """What delta_Q adds to the SM (+<r^2>) cross section: interference + pure term (cm^2/keV).

    Equal to ``dsigma_dt_sm_millicharge - dsigma_dt_sm`` but computed algebraically
    (:func:`millicharge_difference_coefficients`). May be negative: destructive interference
    is physical. Odd part in ``delta_q`` = interference, even part = pure term. Arguments as
    :func:`dsigma_dt_sm_millicharge`.

    Examples
    --------
    >>> a = float(dsigma_dt_millicharge_difference(1.0, 1.0, 1e-14))
    >>> b = float(dsigma_dt_millicharge_difference(1.0, 1.0, -1e-14))
    >>> a < 0 < b     # for nuebar, delta_q > 0 lowers g_V: destructive
    True
    """
    t, e = _inputs(t_kev, enu_mev)
    dq = finite_scalar(delta_q, "delta_q")
    flavor, sin2w = _flavor_sin2w(flavor, sin2w)
    coef = millicharge_difference_coefficients(t, dq, flavor, sin2w,
                                               _shift(r2_cm2, r2_convention, sin2w),
                                               check_couplings(couplings))
    return evaluate_polynomial(coef, t, e, ELECTRON_MASS) / _UNIT


def dsigma_dt_millicharge_pure(t_kev, enu_mev, delta_q: float):
    """Pure millicharge term (pi alpha^2 dq^2/(m_e T^2))[1 + (1-T/E)^2 - m_e T/E^2] (cm^2/keV).

    Giunti & Studenikin, RMP 87, 531 (2015); -> 2 pi alpha^2 dq^2/(m_e T^2) for T << E_nu.
    ``delta_q`` in units of e (any sign); other arguments as :func:`dsigma_dt_sm`.

    Examples
    --------
    >>> f"{float(dsigma_dt_millicharge_pure(1.0, 1.0, 1e-12)):.3e}"
    '2.546e-46'
    """
    t, e = _inputs(t_kev, enu_mev)
    dq = finite_scalar(delta_q, "delta_q")
    coef = millicharge_pure_coefficients(t, dq)
    return np.maximum(evaluate_polynomial(coef, t, e, ELECTRON_MASS), 0.0) / _UNIT
