"""Neutrino atomic ionization nu + A -> nu + A+ + e- beyond free electrons (docs/atomic_models.md).

Models (all per formula unit of the target, T = energy transfer = observable energy):

* ``epa`` for mu_nu, **historical**: H.T. Wong, H.B. Li & S.T. Lin, PRL 105, 061801 (2010),
  Eq. 10,

  .. math:: (d\\sigma/dT)_{AI} = \\mu_\\nu^2 \\frac{\\alpha}{\\pi}
            \\Big(\\frac{E_\\nu}{m_e}\\Big)^2 \\frac{\\sigma_\\gamma(T)}{T},

  mu_nu in mu_B. Withdrawn: M.B. Voloshin, PRL 105, 201801 (2010); erratum arXiv:1001.2074v3;
  K.A. Kouzakov, A.I. Studenikin & M.B. Voloshin, PRD 83, 113001 (2011) (the stepping
  approximation is accurate for mu_nu; MCRRPA: J.-W. Chen et al., PLB 731, 159 (2014)).
  Emits :class:`~nuem.exceptions.HistoricalModelWarning`; never a default.
* ``pai`` for delta_Q (default): the photoabsorption-ionization model, W.W.M. Allison &
  J.H. Cobb, Ann. Rev. Nucl. Part. Sci. 30, 253 (1980), Eq. 28, for beta = 1 and charge
  delta_Q e, per formula unit (Z -> electrons per formula unit, n = formula units/volume):

  .. math:: \\frac{d\\sigma}{dT} = \\delta_Q^2\\frac{\\alpha}{\\pi}\\Big[
     \\frac{\\sigma_\\gamma(T)}{T}\\ln\\frac{2m_e}{T\\,|1-\\epsilon(T)|}\\,Y
     + \\frac{(1-\\epsilon_1/|\\epsilon|^2)\\,\\theta}{n\\hbar c}\\,Y
     + \\frac{1}{T^2}\\int_0^T\\sigma_\\gamma\\,dE'\\,Y_{free}\\Big],

  theta = arg(1 - eps1 + i eps2). With beta = 1 nothing depends on E_nu for T << E_nu: the
  Lorentz factor of a massive probe (relativistic rise) is replaced by the density effect,
  Q^2_min = T^2 |1 - eps(T)| (for a massless probe in vacuum Q^2_min = 0 and the log
  diverges). nuem adds the spin-1/2 factor Y = 1 - T/E + T^2/(2E^2) = [1 + (1-y)^2]/2 of the
  photon-in-fermion splitting function to the distant terms, and writes the close-collision
  term exactly as the free-electron delta_Q^2 cross section (Giunti & Studenikin, RMP 87, 531
  (2015)) on N_eff(T) = int_0^T sigma_gamma dE / (2 pi^2 alpha/m_e) electrons, so Y_free =
  [1 + (1-y)^2 - m_e T/E^2]/2; both -> 1 for T << E_nu (A&C exactly). The kinematic cut is the
  free-electron one, E_nu >= E_nu,min(T). The strength below 10 eV (TRK deficit, see
  :mod:`nuem.atoms.dielectric`) is included in N_eff, so N_eff -> Z above the K edge.
* ``ww`` for delta_Q: the equivalent-photon (Weizsaecker-Williams) form
  delta_Q^2 (alpha/pi) sigma_gamma(T)/T ln(Q^2_max/Q^2_min) Y with Q^2_max = 2 m_e T,
  Q^2_min = T^2 |1 - eps(T)| (the same regulator), i.e. the distant-collision part of ``pai``
  without the Cherenkov and close-collision terms. It underestimates above the edges.

Above the end of the photoabsorption table (800 keV for Elam/composite) sigma_gamma is continued
as a power law through the last two table nodes (photoeffect ~ E^-3...-1 there); the epa term
and the distant-collision part of pai are then < 1e-3 of the free-electron terms, so the
continuation changes the rates by less than that (docs/atomic_models.md).

Validity: 10 eV <= T (table start; below: OutOfRangeError unless ``outside="zero"``), T << E_nu
for the A&C form; for delta_Q only the pure delta_Q^2 part is modelled here (the SM-delta_Q
interference has one power of 1/q^2 fewer and is taken in the stepping approximation by the
millicharge process, :mod:`nuem.interactions.millicharge`). The medium quantities (sigma_gamma,
dielectric function, N_eff) come from :mod:`nuem.atoms.medium`.

Examples
--------
>>> import warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     epa = float(dsigma_dt_magnetic_moment_epa(1.3, 2.0, 1e-10))
>>> f"{epa:.2e}"                                      # cm^2/keV per Ge atom
'2.36e-40'
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from hepunits import cm2, keV

from .._validation import finite_scalar, positive
from ..atoms.medium import distant_collision_terms, sigma_gamma_extended_cm2
from ..constants import ALPHA, ELECTRON_MASS
from ..exceptions import HistoricalModelWarning
from .kinematics import check_energies, enu_min
from .millicharge import millicharge_pure_coefficients

__all__ = [
    "EPA_WITHDRAWN_NOTE",
    "warn_historical_epa",
    "mu_nu_epa_coefficients",
    "millicharge_pai_coefficients",
    "millicharge_ww_coefficients",
    "dsigma_dt_magnetic_moment_epa",
    "dsigma_dt_millicharge_pai",
    "dsigma_dt_millicharge_ww",
]

EPA_WITHDRAWN_NOTE = (
    "the equivalent-photon (EPA) mu_nu atomic-ionization cross section of Wong, Li & Lin, "
    "PRL 105, 061801 (2010), Eq. 10, was withdrawn: Voloshin, PRL 105, 201801 (2010); "
    "erratum arXiv:1001.2074v3; Kouzakov, Studenikin & Voloshin, PRD 83, 113001 (2011). It is "
    "kept only to reproduce the historical paper; use 'stepping' for physics.")
_UNIT = cm2 / keV


def warn_historical_epa(stacklevel: int = 3) -> None:
    """Emit the :class:`HistoricalModelWarning` of the withdrawn mu_nu EPA."""
    warnings.warn(EPA_WITHDRAWN_NOTE, HistoricalModelWarning, stacklevel=stacklevel)


def mu_nu_epa_coefficients(target, t, mu_nu: float, source: str = "composite", *,
                           outside: str = "raise") -> dict[int, np.ndarray]:
    """Wong, Li & Lin 2010 Eq. 10 as {power k: c_k(T)}, dsigma/dT = sum_k c_k E_nu^-k (k = -2).

    c_{-2} = mu_nu^2 (alpha/pi) sigma_gamma(T) / (T m_e^2), hepunits (area/energy^3), per
    formula unit; ``t`` in hepunits, ``mu_nu`` in mu_B. No warning (callers warn).
    """
    t = np.asarray(t, dtype=float)
    sig = sigma_gamma_extended_cm2(target, t / keV, source, outside=outside) * cm2
    return {-2: mu_nu**2 * ALPHA / math.pi * sig / (t * ELECTRON_MASS**2)}


def _y_coefficients(t, k):
    """k * (1 - T/E + T^2/(2E^2)) as {0, 1, 2} coefficients (spin-1/2 splitting factor)."""
    return np.stack([k, -k * t, 0.5 * k * t * t])


def millicharge_pai_coefficients(target, t, delta_q: float, source: str = "composite", *,
                                 density_g_cm3=None, outside: str = "raise") -> np.ndarray:
    """(c0, c1, c2) of the PAI delta_Q^2 cross section (module docstring), per formula unit.

    ``t`` hepunits; returns shape (3,) + t.shape in hepunits (as
    :func:`nuem.interactions.neutrino_electron.sm_coefficients`).
    """
    t = np.asarray(t, dtype=float)
    dist, cher, n_eff, _ = distant_collision_terms(target, t / keV, source, outside=outside,
                                                   density_g_cm3=density_g_cm3)
    k = delta_q**2 * ALPHA / math.pi * (dist + cher) * _UNIT
    return _y_coefficients(t, k) + n_eff * millicharge_pure_coefficients(t, delta_q)


def millicharge_ww_coefficients(target, t, delta_q: float, source: str = "composite", *,
                                density_g_cm3=None, outside: str = "raise") -> np.ndarray:
    """(c0, c1, c2) of the Weizsaecker-Williams delta_Q^2 form (module docstring)."""
    t = np.asarray(t, dtype=float)
    dist = distant_collision_terms(target, t / keV, source, outside=outside,
                                   density_g_cm3=density_g_cm3).log_term_cm2_kev
    return _y_coefficients(t, delta_q**2 * ALPHA / math.pi * dist * _UNIT)


def _evaluate(coef: dict[int, np.ndarray], t, e):
    val = sum(c * e ** (-k) for k, c in coef.items())
    return np.where(e >= enu_min(t, ELECTRON_MASS), val, 0.0)


def dsigma_dt_magnetic_moment_epa(t_kev, enu_mev, mu_nu: float, target="Ge",
                                  source: str = "composite", *, outside: str = "raise"):
    """Historical mu_nu atomic-ionization cross section (warns; withdrawn).

    Wong, Li & Lin, PRL 105, 061801 (2010), Eq. 10 (module docstring).

    Parameters
    ----------
    t_kev, enu_mev : array_like
        Energy transfer (keV, >= 0.01) and neutrino energy (MeV), broadcast.
    mu_nu : float
        Magnetic moment in mu_B (>= 0).
    target : str or Target
        Element or formula; per formula unit.
    source, outside
        Photoabsorption table and out-of-range policy (:mod:`nuem.atoms.photoabsorption`).

    Returns
    -------
    ndarray
        cm^2/keV per formula unit; 0 for E_nu < E_nu,min(T) (free-electron kinematics).

    Warns
    -----
    HistoricalModelWarning
        Always (:data:`EPA_WITHDRAWN_NOTE`).
    """
    warn_historical_epa()
    t, e = check_energies(t_kev, enu_mev)
    mu = float(positive(mu_nu, "mu_nu", "mu_B", allow_zero=True))
    coef = mu_nu_epa_coefficients(target, t, mu, source, outside=outside)
    return _evaluate(coef, t, e) / _UNIT


def _dq_public(fn, t_kev, enu_mev, delta_q, target, source, density_g_cm3, outside):
    t, e = check_energies(t_kev, enu_mev)
    dq = finite_scalar(delta_q, "delta_q")
    coef = fn(target, t, dq, source, density_g_cm3=density_g_cm3, outside=outside)
    return _evaluate(dict(enumerate(coef)), t, e) / _UNIT


def dsigma_dt_millicharge_pai(t_kev, enu_mev, delta_q: float, target="Ge",
                              source: str = "composite", *, density_g_cm3=None,
                              outside: str = "raise"):
    """delta_Q^2 atomic ionization in the PAI model (Allison & Cobb 1980 Eq. 28, beta = 1).

    Parameters
    ----------
    t_kev, enu_mev : array_like
        Energy transfer (keV, >= 0.01) and neutrino energy (MeV), broadcast.
    delta_q : float
        Millicharge in units of e (only delta_q^2 enters).
    target : str or Target
        Medium (per formula unit).
    source : str
        Photoabsorption table.
    density_g_cm3 : float, optional
        Mass density (density effect); default tabulated for elements.
    outside : {"raise", "zero"}
        Below 10 eV: raise OutOfRangeError or return 0.

    Returns
    -------
    ndarray
        cm^2/keV per formula unit, 0 for E_nu < E_nu,min(T). Independent of E_nu for
        T << E_nu.

    Examples
    --------
    >>> f"{float(dsigma_dt_millicharge_pai(100.0, 5.0, 1e-12)):.3e}"   # ~ free x 32 electrons
    '8.160e-49'
    """
    return _dq_public(millicharge_pai_coefficients, t_kev, enu_mev, delta_q, target, source,
                      density_g_cm3, outside)


def dsigma_dt_millicharge_ww(t_kev, enu_mev, delta_q: float, target="Ge",
                             source: str = "composite", *, density_g_cm3=None,
                             outside: str = "raise"):
    """delta_Q^2 atomic ionization, equivalent-photon (Weizsaecker-Williams) form, cm^2/keV.

    Arguments and units as :func:`dsigma_dt_millicharge_pai`.
    """
    return _dq_public(millicharge_ww_coefficients, t_kev, enu_mev, delta_q, target, source,
                      density_g_cm3, outside)
