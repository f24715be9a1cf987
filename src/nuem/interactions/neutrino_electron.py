"""Neutrino-electron elastic scattering on a free electron at rest: SM, mu_nu, <r^2>.

Every dsigma/dT here is, at fixed electron recoil T, a polynomial in 1/E_nu of degree <= 2::

    dsigma/dT (T, E_nu) = c0(T) + c1(T)/E_nu + c2(T)/E_nu^2     for E_nu >= E_nu,min(T)

and 0 below. The ``*_coefficients`` functions return ``ndarray`` of shape ``(3,) + T.shape``
holding (c0, c1, c2) in hepunits (area/energy, area, area x energy); the rates engine
integrates them exactly against flux moments. The ``dsigma_dt_*`` functions take ``t_kev`` and
``enu_mev`` (numpy broadcasting) and return cm^2/keV, exactly 0 where T > T_max(E_nu).

Conventions (docs/interactions.md):

* SM: Wong & Li, Mod. Phys. Lett. A 20, 1103 (2005), Eqs. 4-5, tree level.
* Charge radius: g_V -> g_V + x for both nu and nubar (Wong & Li 2005 after Eq. 5). ``r2_cm2``
  is the <r^2> quoted for the incident flavour, entering with the same sign for nu and nubar as in
  Wong & Li 2005 and the reactor analyses; field-theoretically it is the charge radius of the nu_l
  field (the photon and Z vector couplings of the nubar both flip, so the shift is the same).
* Millicharge: :mod:`nuem.interactions.millicharge` (g_V shift, interference, pure term).
* Magnetic moment: mu_nu in Bohr magnetons, mu_B = e/(2 m_e) with e = sqrt(4 pi alpha)
  (Heaviside-Lorentz natural units); helicity flip, no interference with SM.

Validity: free electron at rest (no binding: see :mod:`nuem.rates` for the stepping
approximation), tree level, |q^2| << M_W^2 (any reactor or solar energy).

Examples
--------
>>> from nuem.interactions.neutrino_electron import dsigma_dt_sm, dsigma_dt_magnetic_moment
>>> sm = float(dsigma_dt_sm(10.0, 1.5, "nuebar"))                  # cm^2/keV
>>> mm = float(dsigma_dt_magnetic_moment(10.0, 1.5, mu_nu=1e-10))
>>> f"{sm:.3e}", f"{mm:.3e}", round(mm / sm)
('1.025e-47', '2.478e-46', 24)
"""

from __future__ import annotations

import numpy as np
from hepunits import cm2, keV

from .._validation import choice, finite_scalar, positive
from ..constants import (
    ELECTRON_MASS,
    GF2_ME_OVER_2PI,
    PI_ALPHA2_OVER_ME2,
    SIN2_THETA_W_LOW_Q2,
)
from .charge_radius import (
    R2_CONVENTIONS,
    charge_radius_gv_shift,
    charge_radius_gv_shift_internal,
    check_r2_convention,
)
from .couplings import check_couplings, electron_couplings
from .kinematics import check_energies as _inputs
from .kinematics import check_sin2w, evaluate_polynomial

__all__ = [
    "FLAVORS",
    "R2_CONVENTIONS",
    "couplings",
    "charge_radius_gv_shift",
    "charge_radius_gv_shift_internal",
    "sm_coefficients",
    "magnetic_moment_coefficients",
    "dsigma_dt_sm_internal",
    "dsigma_dt_sm",
    "dsigma_dt_magnetic_moment",
]

#: Supported flavours: the first three are neutrinos, the last three antineutrinos.
FLAVORS = ("nue", "numu", "nutau", "nuebar", "numubar", "nutaubar")
_UNIT = cm2 / keV  # hepunits value of 1 cm^2/keV


def couplings(flavor: str, sin2w: float = SIN2_THETA_W_LOW_Q2, *,
              scheme: str = "tree") -> tuple[float, float]:
    """Effective couplings (g_V, g_A) of nu_l-e scattering, Wong & Li 2005 Eq. 5.

    g_V = +-1/2 + 2 sin^2(theta_W), g_A = +-1/2, upper sign for nu_e (charged + neutral
    current), lower sign for nu_mu, nu_tau; g_A -> -g_A for antineutrinos. ``scheme=
    "radiative"``: the SM couplings with radiative corrections
    (:mod:`nuem.interactions.couplings`).

    Parameters
    ----------
    flavor : {"nue", "numu", "nutau", "nuebar", "numubar", "nutaubar"}
    sin2w : float
        sin^2(theta_W) in (0, 1); default 0.23857 (PDG low-Q^2 MS-bar).

    Returns
    -------
    (float, float)
        (g_V, g_A), dimensionless.

    Examples
    --------
    >>> couplings("nuebar", 0.25)
    (1.0, -0.5)
    """
    choice(flavor, "flavor", FLAVORS)
    return _couplings(flavor, check_sin2w(sin2w), scheme)


def _couplings(flavor: str, sin2w: float, scheme: str = "tree") -> tuple[float, float]:
    choice(flavor, "flavor", FLAVORS)
    return electron_couplings(flavor, sin2w, couplings=scheme)


def sm_coefficients(t, flavor: str, sin2w: float = SIN2_THETA_W_LOW_Q2, gv_shift=0.0,
                    couplings: str = "tree"):
    """(c0, c1, c2) of the SM nu-e cross section, Wong & Li 2005 Eq. 4 with g_V -> g_V + gv_shift.

    dsigma/dT = K [(g_V+g_A)^2 + (g_V-g_A)^2 (1-T/E)^2 + (g_A^2-g_V^2) m_e T/E^2],
    K = G_F^2 m_e/(2 pi), so with b = g_V - g_A: c0 = K[(g_V+g_A)^2 + b^2], c1 = -2 K b^2 T,
    c2 = K[b^2 T^2 + (g_A^2 - g_V^2) m_e T].

    Parameters
    ----------
    t : ndarray
        Electron recoil energy, hepunits energy (> 0, not validated).
    flavor : str
        One of :data:`FLAVORS`.
    sin2w : float
        sin^2(theta_W) (not validated).
    gv_shift : float or ndarray
        Additive shift of g_V (e.g. charge radius, millicharge), broadcast with ``t``.
    couplings : {"radiative", "tree"}
        Coupling scheme (:mod:`nuem.interactions.couplings`).

    Returns
    -------
    ndarray, shape (3,) + broadcast(t, gv_shift).shape
        hepunits: c0 area/energy, c1 area, c2 area x energy.
    """
    g_v0, g_a = _couplings(flavor, sin2w, couplings)
    t = np.asarray(t, dtype=float)
    g_v = g_v0 + np.asarray(gv_shift, dtype=float)
    t, g_v = np.broadcast_arrays(t, g_v)
    k = GF2_ME_OVER_2PI
    b2 = (g_v - g_a) ** 2
    return k * np.stack([(g_v + g_a) ** 2 + b2, -2.0 * b2 * t,
                         b2 * t * t + (g_a * g_a - g_v * g_v) * ELECTRON_MASS * t])


def magnetic_moment_coefficients(t, mu_nu: float):
    """(c0, c1, c2) of (pi alpha^2/m_e^2) mu_nu^2 (1/T - 1/E), Wong & Li 2005 Eq. 6.

    The same form is Wong, Li & Lin, PRL 105, 061801 (2010), Eq. 2.

    ``mu_nu`` in Bohr magnetons (Heaviside-Lorentz mu_B = e/2m_e), ``t`` in hepunits.
    Returns shape (3,) + t.shape: c0 = K mu^2/T (area/energy), c1 = -K mu^2 (area), c2 = 0.
    """
    t = np.asarray(t, dtype=float)
    k = PI_ALPHA2_OVER_ME2 * mu_nu**2
    return np.stack([k / t, np.full_like(t, -k), np.zeros_like(t)])


def dsigma_dt_sm_internal(t, enu, flavor: str, sin2w: float = SIN2_THETA_W_LOW_Q2,
                          gv_shift=0.0, couplings: str = "tree"):
    """SM nu-e dsigma/dT in hepunits (t, enu energies; result area/energy); 0 above T_max."""
    t = np.asarray(t, dtype=float)
    return evaluate_polynomial(sm_coefficients(t, flavor, sin2w, gv_shift, couplings), t, enu,
                               ELECTRON_MASS)


# ---- public interface (keV, MeV, cm^2) ---------------------------------------------------------

def _shift(r2_cm2, r2_convention, sin2w):
    r2 = finite_scalar(r2_cm2, "r2_cm2")
    r2_convention = check_r2_convention(r2_convention)
    return charge_radius_gv_shift_internal(r2, r2_convention, sin2w) if r2 else 0.0


def _flavor_sin2w(flavor, sin2w):
    return choice(flavor, "flavor", FLAVORS), check_sin2w(sin2w)


def dsigma_dt_sm(t_kev, enu_mev, flavor: str = "nuebar", *, sin2w: float = SIN2_THETA_W_LOW_Q2,
                 r2_cm2: float = 0.0, r2_convention: str = "gv-shift", couplings: str = "tree"):
    """SM nu-e differential cross section on a free electron, Wong & Li 2005 Eqs. 4-5.

    (G_F^2 m_e/2pi)[(g_V+g_A)^2 + (g_V-g_A)^2(1-T/E)^2 + (g_A^2-g_V^2) m_e T/E^2], with
    g_V -> g_V + x(<r^2>) if ``r2_cm2`` is non-zero (:func:`charge_radius_gv_shift`).

    Parameters
    ----------
    t_kev : array_like
        Electron recoil kinetic energy in keV, > 0.
    enu_mev : array_like
        Neutrino energy in MeV, > 0; broadcast with ``t_kev``.
    flavor : str
        One of :data:`FLAVORS` (default "nuebar", reactor).
    sin2w : float
        sin^2(theta_W) in (0, 1), default 0.23857.
    r2_cm2 : float
        Neutrino charge radius <r^2> in cm^2 (any sign).
    r2_convention : {"gv-shift", "sin2w-shift", "tree-level"}
        Charge-radius convention (:mod:`nuem.interactions.charge_radius`).
    couplings : {"tree", "radiative"}
        Coupling scheme (:mod:`nuem.interactions.couplings`); default tree level, the printed
        Eq. 4-5 (the rate engine defaults to "radiative").

    Returns
    -------
    ndarray
        dsigma/dT in cm^2/keV, exactly 0 where T > T_max(E_nu). Valid for a free electron,
        any E_nu << M_W.

    Examples
    --------
    >>> f"{float(dsigma_dt_sm(1.0, 1.0, 'nuebar')):.4e}"
    '1.0361e-47'
    >>> float(dsigma_dt_sm(900.0, 1.0))     # above T_max(1 MeV) = 796.5 keV
    0.0
    """
    t, e = _inputs(t_kev, enu_mev)
    flavor, sin2w = _flavor_sin2w(flavor, sin2w)
    val = dsigma_dt_sm_internal(t, e, flavor, sin2w, _shift(r2_cm2, r2_convention, sin2w),
                                check_couplings(couplings))
    return np.maximum(val, 0.0) / _UNIT  # guard: rounding residue of a square sum


def dsigma_dt_magnetic_moment(t_kev, enu_mev, mu_nu: float):
    """Magnetic-moment nu-e cross section, Wong & Li 2005 Eq. 6 / Wong, Li & Lin 2010 Eq. 2.

    (pi alpha^2/m_e^2) mu_nu^2 (1/T - 1/E_nu); no interference with the SM (helicity flip).

    Parameters
    ----------
    t_kev, enu_mev : array_like
        Electron recoil energy (keV, > 0) and neutrino energy (MeV, > 0), broadcast.
    mu_nu : float
        Effective magnetic moment in Bohr magnetons (>= 0), mu_B = e/(2 m_e) with
        e = sqrt(4 pi alpha) (Heaviside-Lorentz), i.e. 2.963e-7 eV^-1.

    Returns
    -------
    ndarray
        cm^2/keV, 0 above T_max.

    Examples
    --------
    >>> f"{float(dsigma_dt_magnetic_moment(10.0, 2.0, mu_nu=1e-10)):.4e}"
    '2.4822e-46'
    """
    t, e = _inputs(t_kev, enu_mev)
    mu = float(positive(mu_nu, "mu_nu", "mu_B", allow_zero=True))
    coef = magnetic_moment_coefficients(t, mu)
    return evaluate_polynomial(coef, t, e, ELECTRON_MASS) / _UNIT
