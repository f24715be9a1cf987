"""Coherent elastic neutrino-nucleus scattering (CEvNS): SM and magnetic-moment terms.

T is the nuclear recoil kinetic energy, M the nuclear mass, Z, N the proton and neutron
numbers, A = Z + N. As for electrons, every dsigma/dT is c0 + c1/E_nu + c2/E_nu^2 at fixed T
(``*_coefficients``: shape (3,) + T.shape, hepunits area/energy x energy^k) and 0 for
T > T_max(E_nu) = 2E^2/(M + 2E) (nuclear mass in the kinematics).

* SM, Wong & Li, Mod. Phys. Lett. A 20, 1103 (2005), Eq. 8 with a form factor:
  (G_F^2/4pi) M [Z(1 - 4 sin^2 theta_W) - N]^2 (1 - M T/(2 E^2)) F^2(q). The -T/E term of the
  full expression is omitted as in Wong & Li's Eq. 8 (relative size <= 2E/M < 1e-4 for reactor nu).
* Magnetic moment, Wong & Li 2005 Eq. 9 (spin-0 nuclei):
  (pi alpha^2 mu_nu^2/m_e^2) Z^2 [(1 - T/E)/T + T/(4E^2)], multiplied here by F^2(q)
  (an addition to Wong & Li's Eq. 9: the photon couples to the proton distribution; F^2 > 0.99 for
  T < 1 keV on Ge, where this term matters).
* F(q): Helm, Lewin & Smith, Astropart. Phys. 6, 87 (1996), Eq. 4.7:
  F(q) = 3 j1(q R0)/(q R0) exp(-(q s)^2/2), R0^2 = c^2 + (7/3) pi^2 a^2 - 5 s^2,
  c = 1.23 A^(1/3) - 0.60 fm, a = 0.52 fm, s = 0.9 fm (their Eq. 4.11), with
  |q| = sqrt(T^2 + 2 M T)/(hbar c) the exact three-momentum transfer. Same F for the weak
  (neutron-dominated) and electromagnetic charge: a standard approximation.

Nuclear masses: M = m_atom - Z m_e (electron binding neglected, <1e-6 relative); atomic
masses from :mod:`periodictable` (AME), u = 931.49410242 MeV (CODATA 2018).

Examples
--------
>>> from nuem.interactions.neutrino_nucleus import dsigma_dt_cevns
>>> f"{float(dsigma_dt_cevns(0.1, 2.0, 'Ge74')):.3e}"        # cm^2/keV
'6.639e-41'
"""

from __future__ import annotations

import math
import re

import numpy as np
import periodictable
from hepunits import MeV, cm2, keV

from .._validation import as_float_array, positive
from ..constants import (
    ATOMIC_MASS_UNIT,
    ELECTRON_MASS,
    G_FERMI,
    HBARC,
    HBARC2,
    HELM_C_OFFSET,
    HELM_C_SLOPE,
    HELM_SKIN_THICKNESS,
    HELM_SURFACE_A,
    PI_ALPHA2_OVER_ME2,
    SIN2_THETA_W_LOW_Q2,
)
from ..exceptions import InvalidParameterError, UnknownNameError
from .couplings import check_couplings, weak_charge_of
from .kinematics import check_energies as _inputs
from .kinematics import check_sin2w, evaluate_polynomial, q2

__all__ = [
    "nucleus_mass",
    "isotope",
    "weak_charge",
    "helm_radius",
    "helm_form_factor_internal",
    "helm_form_factor",
    "cevns_coefficients",
    "cevns_magnetic_moment_coefficients",
    "dsigma_dt_cevns",
    "dsigma_dt_cevns_magnetic_moment",
]

_UNIT = cm2 / keV


def nucleus_mass(z, a_mass_u):
    """Nuclear mass (hepunits energy) = atomic mass x u - Z m_e.

    Electron binding energies (<1e-6 relative) are neglected. u = 931.49410242 MeV and
    m_e = 0.51099895 MeV (CODATA 2018). ``a_mass_u`` is the atomic (not nuclear) mass in u.

    Examples
    --------
    >>> round(nucleus_mass(32, 73.921177761) / MeV, 3)
    68840.789
    """
    return a_mass_u * ATOMIC_MASS_UNIT - z * ELECTRON_MASS


_ISO_RE = re.compile(r"^\s*(?:([A-Z][a-z]?)-?(\d+)|(\d+)-?([A-Z][a-z]?))\s*$")


def isotope(name: str) -> tuple[int, int, float]:
    """(Z, N, nuclear mass in MeV) of an isotope name like "Ge74", "Ge-74", "74Ge", "Xe132".

    Atomic masses from :mod:`periodictable`; nuclear mass as :func:`nucleus_mass`.

    Examples
    --------
    >>> z, n, m = isotope("Xe132")
    >>> z, n, round(m, 1)
    (54, 78, 122840.3)
    """
    m = _ISO_RE.match(str(name))
    if not m:
        raise UnknownNameError(f"isotope={name!r} is not an isotope name like 'Ge74' or '74Ge'")
    sym, a = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    try:
        el = periodictable.elements.symbol(sym)
        iso = el[int(a)]
        mass_u = float(iso.mass)
    except (ValueError, KeyError, AttributeError, TypeError) as exc:
        raise UnknownNameError(f"isotope={name!r} is not known to periodictable") from exc
    return el.number, int(a) - el.number, nucleus_mass(el.number, mass_u) / MeV


def weak_charge(z, n, sin2w: float = SIN2_THETA_W_LOW_Q2, couplings: str = "tree") -> float:
    """Weak charge: tree level Q_W = Z(1 - 4 sin^2 theta_W) - N (Wong & Li 2005 Eq. 8), or
    ``couplings="radiative"`` 2(Z g_V^p + N g_V^n) with the PDG nucleon couplings
    (:mod:`nuem.interactions.couplings`).

    Examples
    --------
    >>> round(weak_charge(32, 42, couplings="radiative"), 4)
    -41.0756
    """
    return weak_charge_of(z, n, sin2w, couplings=couplings)


def helm_radius(a):
    """Helm radius R0 (hepunits length), R0^2 = c^2 + (7/3) pi^2 a^2 - 5 s^2 (Lewin & Smith
    1996, Eq. 4.11), c = 1.23 A^(1/3) - 0.60 fm, a = 0.52 fm, s = 0.9 fm.

    Examples
    --------
    >>> from hepunits import fermi
    >>> round(float(helm_radius(132) / fermi), 3)
    5.852
    """
    c = HELM_C_SLOPE * np.cbrt(a) - HELM_C_OFFSET
    s = HELM_SKIN_THICKNESS
    return np.sqrt(c * c + 7.0 / 3.0 * math.pi**2 * HELM_SURFACE_A**2 - 5.0 * s * s)


def _three_j1_over_x(x):
    """3 j1(x)/x = 3 (sin x - x cos x)/x^3; Taylor series for x < 0.2 (error < 1e-15)."""
    x = np.asarray(x, dtype=float)
    small = x < 0.2
    xs = np.where(small, x, 1.0)
    x2 = xs * xs
    series = 1.0 - x2 / 10.0 * (1.0 - x2 / 28.0 * (1.0 - x2 / 54.0 * (1.0 - x2 / 88.0)))
    xl = np.where(small, 1.0, x)
    full = 3.0 * (np.sin(xl) - xl * np.cos(xl)) / xl**3
    return np.where(small, series, full)


def helm_form_factor_internal(q, a):
    """Helm F(q), Lewin & Smith 1996 Eq. 4.7; ``q`` = |q| in hepunits energy (momentum x c)."""
    k = np.asarray(q, dtype=float) / HBARC  # wave number, hepunits length^-1
    return _three_j1_over_x(k * helm_radius(a)) * np.exp(-0.5 * (k * HELM_SKIN_THICKNESS) ** 2)


def helm_form_factor(q_mev, a):
    """Helm nuclear form factor F(q), F(0) = 1 (Lewin & Smith, Astropart. Phys. 6, 87 (1996),
    Eq. 4.7 with their Eq. 4.11 radius).

    Parameters
    ----------
    q_mev : array_like
        Three-momentum transfer |q| in MeV/c (>= 0). For a recoil T: q = sqrt(T^2 + 2MT).
    a : int
        Mass number A (>= 1).

    Returns
    -------
    ndarray
        F(q) (dimensionless; changes sign past its first zero, q R0 = 4.493).

    Examples
    --------
    >>> float(helm_form_factor(0.0, 73))
    1.0
    >>> round(float(helm_form_factor(50.0, 73)), 4)
    0.839
    """
    q = positive(q_mev, "q_mev", "MeV", allow_zero=True)
    return helm_form_factor_internal(q * MeV, _mass_number(a))


def _mass_number(a):
    a = float(positive(a, "a", ""))
    if a != int(a):
        raise InvalidParameterError(f"a={a!r} is not an integer mass number")
    return a


def cevns_coefficients(t, z, n, mass, sin2w: float = SIN2_THETA_W_LOW_Q2,
                       couplings: str = "tree"):
    """(c0, c1, c2) of the SM coherent cross section, Wong & Li 2005 Eq. 8 x F^2 (hepunits).

    c0 = (G_F^2/4pi) M Q_W^2 F^2, c1 = 0, c2 = -c0 M T/2, F = Helm(A = z + n) at
    |q|^2 = T^2 + 2MT. ``t`` and ``mass`` in hepunits energy; returns shape (3,) + t.shape with
    c0 area/energy, c1 area, c2 area x energy. No input validation.
    """
    t = np.asarray(t, dtype=float)
    f2 = helm_form_factor_internal(np.sqrt(q2(t, mass)), z + n) ** 2
    qw = weak_charge(z, n, sin2w, couplings)
    c0 = G_FERMI**2 / (4.0 * math.pi) * mass * qw**2 * HBARC2 * f2
    return np.stack([c0, np.zeros_like(t), -0.5 * mass * t * c0])


def cevns_magnetic_moment_coefficients(t, z, a, mass, mu_nu: float):
    """(c0, c1, c2) of Wong & Li 2005 Eq. 9 x F^2 (hepunits).

    With K = (pi alpha^2/m_e^2) mu^2 Z^2 F^2: c0 = K/T, c1 = -K, c2 = K T/4. ``a`` = mass
    number (Helm), ``mu_nu`` in Bohr magnetons.
    """
    t = np.asarray(t, dtype=float)
    f2 = helm_form_factor_internal(np.sqrt(q2(t, mass)), a) ** 2
    k = PI_ALPHA2_OVER_ME2 * mu_nu**2 * z * z * f2
    return np.stack([k / t, -k, 0.25 * k * t])


def _nucleus(isotope_name, z, n, mass_mev):
    if isotope_name is not None:
        if any(v is not None for v in (z, n, mass_mev)):
            raise InvalidParameterError("give either an isotope name or z, n and mass_mev, "
                                        "not both")
        return isotope(isotope_name)
    if any(v is None for v in (z, n, mass_mev)):
        raise InvalidParameterError("give an isotope name (e.g. 'Ge74') or all of z, n, "
                                    "mass_mev")
    zz, nn = float(as_float_array(z, "z")), float(as_float_array(n, "n"))
    if zz < 1 or zz != int(zz):
        raise InvalidParameterError(f"z={z!r} is not allowed; z must be an integer >= 1")
    if nn < 0 or nn != int(nn):
        raise InvalidParameterError(f"n={n!r} is not allowed; n must be an integer >= 0")
    return int(zz), int(nn), float(positive(mass_mev, "mass_mev", "MeV"))


def dsigma_dt_cevns(t_kev, enu_mev, isotope_name=None, *, z=None, n=None, mass_mev=None,
                    sin2w: float = SIN2_THETA_W_LOW_Q2, couplings: str = "tree"):
    """SM coherent nu-nucleus cross section, Wong & Li 2005 Eq. 8 with the Helm form factor.

    (G_F^2/4pi) M [Z(1 - 4 sin^2 theta_W) - N]^2 (1 - M T/(2 E^2)) F^2(q); same for nu and
    nubar of all flavours (tree level).

    Parameters
    ----------
    t_kev : array_like
        Nuclear recoil kinetic energy in keV, > 0.
    enu_mev : array_like
        Neutrino energy in MeV, > 0; broadcast with ``t_kev``.
    isotope_name : str, optional
        e.g. "Ge74", "Xe132" (:func:`isotope`). Otherwise give ``z``, ``n``, ``mass_mev``
        (nuclear mass in MeV).
    sin2w : float
        sin^2(theta_W) in (0, 1).
    couplings : {"tree", "radiative"}
        Weak charge at tree level (default, Eq. 8) or with the radiatively corrected nucleon
        couplings (:mod:`nuem.interactions.couplings`).

    Returns
    -------
    ndarray
        cm^2/keV, exactly 0 where T > T_max(E_nu) (nuclear mass). Valid for coherent
        scattering, E_nu <~ 50 MeV.

    Examples
    --------
    >>> float(dsigma_dt_cevns(1.0, 2.0, 'Ge74'))      # T_max(2 MeV) = 0.116 keV
    0.0
    """
    t, e = _inputs(t_kev, enu_mev)
    zz, nn, m = _nucleus(isotope_name, z, n, mass_mev)
    coef = cevns_coefficients(t, zz, nn, m * MeV, check_sin2w(sin2w),
                              check_couplings(couplings))
    return evaluate_polynomial(coef, t, e, m * MeV) / _UNIT


def dsigma_dt_cevns_magnetic_moment(t_kev, enu_mev, mu_nu: float, isotope_name=None, *, z=None,
                                    n=None, mass_mev=None):
    """Coherent magnetic-moment cross section, Wong & Li 2005 Eq. 9 (spin-0 nuclei) x F^2(q).

    (pi alpha^2 mu_nu^2/m_e^2) Z^2 [(1 - T/E)/T + T/(4E^2)] F^2(q).

    Parameters
    ----------
    t_kev, enu_mev : array_like
        Nuclear recoil energy (keV, > 0), neutrino energy (MeV, > 0), broadcast.
    mu_nu : float
        Magnetic moment in Bohr magnetons (>= 0, Heaviside-Lorentz mu_B = e/2m_e).
    isotope_name, z, n, mass_mev
        As :func:`dsigma_dt_cevns`.

    Returns
    -------
    ndarray
        cm^2/keV, 0 above T_max.

    Examples
    --------
    >>> f"{float(dsigma_dt_cevns_magnetic_moment(0.01, 2.0, 1e-10, 'Ge74')):.3e}"
    '2.554e-40'
    """
    t, e = _inputs(t_kev, enu_mev)
    zz, nn, m = _nucleus(isotope_name, z, n, mass_mev)
    mu = float(positive(mu_nu, "mu_nu", "mu_B", allow_zero=True))
    coef = cevns_magnetic_moment_coefficients(t, zz, zz + nn, m * MeV, mu)
    return evaluate_polynomial(coef, t, e, m * MeV) / _UNIT
