"""Sterile-to-active conversion nu_s + A -> nu_a + A+ + e- through a transition magnetic moment.

The process of J.-W. Chen et al., Phys. Rev. D 93, 093012 (2016) (arXiv:1601.07257): a halo
sterile neutrino (mass m_s, speed v ~ 1e-3) converts to a massless active neutrino on an atom
through the vertex mu_sa sigma^{mu nu} q_nu (C. Giunti & A. Studenikin, Rev. Mod. Phys. 87, 531
(2015)); mu_sa in Bohr magnetons, Heaviside-Lorentz (mu_B = e/2m_e, e^2 = 4 pi alpha), the
normalisation in which nu_s -> nu_a gamma has Gamma = mu^2 m_s^3/(8 pi) (checked in the tests
against :mod:`nuem.interactions.radiative_decay`). Equation numbers (S1 ...) are those of
docs/sterile_dm.md, where every step is derived; the lepton traces and the free-electron limit
were re-derived for nuem (the paper's own equation numbers could not be checked here).

* (S1) Born cross section on an atom in terms of its charge and transverse-current response
  functions R_L(T, q), R_T(T, q) (q = |q|, Q^2 = T^2 - q^2; R_T summed over both transverse
  components), for a nu_s of momentum p_s:
  dsigma/dT = alpha mu^2/(4 p_s^2) int_{|E_a-p_s|}^{E_a+p_s} dq q [L00 R_L/q^4 +
  L_T R_T/(2 |Q^2 - Pi_T|^2)], E_a = E_s - T; L00, L_T the lepton traces (S2, S3):
  L_T = 4 m_s^4 at Q^2 = 0, so the transverse photon has a **double pole** at Q^2 = 0, inside
  the kinematic range for T in [(E_s - p_s)/2, (E_s + p_s)/2], i.e. around T = m_s/2.
* (S4) The pole is regulated by the medium: the transverse photon propagator carries the
  self-energy Pi_T = T^2 (1 - eps(T)) (eps from :func:`nuem.atoms.dielectric_function`),
  Im Pi_T = T n sigma_gamma(T). At the pole R_T = T sigma_gamma(T)/(2 pi^2 alpha) (real-photon
  absorption), so sigma_gamma cancels between numerator and width: the pole integrates to the
  radiative decay nu_s -> nu_a gamma of the halo inside the detector with the photon absorbed,
  n_s Gamma per unit volume, a Doppler box around m_s/2 (S7). There is no finite isolated-atom
  limit (the rate per atom grows as 1/density), and the box height scales as mu_sa^2 rho m_s
  <1/v> / rho_det, independent of sigma_gamma (at fixed lifetime instead of fixed mu_sa: the
  integral as 1/m_s, the height as 1/m_s^2): docs/sterile_dm.md,
  "Comparison with Chen et al. 2016", Eqs. C1-C5.
* (S5) Atomic response, ``"pai"`` model (default): the dipole (photoabsorption) limit below the
  Bethe ridge, R_L = q^2 sigma_gamma/(4 pi^2 alpha T), R_T = T sigma_gamma/(2 pi^2 alpha) for
  q^2 < 2 m_e T, and the ridge itself as N_eff(T) free electrons (the structure of the PAI model,
  W.W.M. Allison & J.H. Cobb, Ann. Rev. Nucl. Part. Sci. 30, 253 (1980), Eq. 28).
* (S6) Halo average: with the non-relativistic kinematics E_a = m_s - T, the velocity
  distribution enters only through eta(|q - (m_s - T)|/m_s) (:meth:`SterileDMHalo.eta_s_km`):
  dR/dT = n_s n alpha mu^2/(4 m_s^2) int dq q F(T, q) eta(|q - m_s + T|/m_s);
  far from the pole this is velocity independent (the 1/v law).
* (S8) Free electrons at rest (the free-electron limit of S1, and the ridge of S5): T is fixed to
  T_f = m_s^2/(2 (m_s + m_e)) up to a Doppler width ~ 2 v m_s^2/m_e (< 1 eV): a line, reported
  as a line (energy, rate) with N = Z (``"free"``), the stepping count at T_f (``"stepping"``,
  V.I. Kopeikin et al., Phys. At. Nucl. 60, 1859 (1997)) or N_eff(T_f) (``"pai"``).
  The exact free-electron cross section (S9) is :func:`dsigma_dt_transition_free`.

Validity: m_s in [1, 1000] keV (pole above the plasma energies, where |eps - 1| << 1; below
2 m_e, where nu_s -> nu_a gamma is the only electromagnetic decay); non-relativistic halo (O(v^2)
~ 1e-6 neglected); the detector much larger than the attenuation length of m_s/2 photons (the
pole counts the decays inside it; decays outside whose photons enter are neglected); the dipole
response of S5 is accurate for q below the inverse size of the shell (inner shells) and is the
PAI approximation above it (the same as for delta_Q, docs/atomic_models.md).
"""

from __future__ import annotations

import math

import numpy as np
from hepunits import cm, keV

from .._validation import as_float_array, choice, positive_scalar
from ..constants import ALPHA, AVOGADRO, BOHR_MAGNETON, ELECTRON_MASS, HBAR_EV_S, HBARC
from ..exceptions import InvalidParameterError, OutOfRangeError

__all__ = ["ATOMIC_MODELS_STERILE", "lepton_traces", "dsigma_dt_transition_free",
           "free_line_energy_kev", "sterile_dm_rates", "pole_rate_per_kg_day"]

#: Atomic models of the sterile conversion (first = default), module docstring S5/S8.
ATOMIC_MODELS_STERILE = ("pai", "stepping", "free")
_ME = ELECTRON_MASS / keV  # keV
_HBARC = HBARC / (keV * cm)  # keV cm
_HBAR = HBAR_EV_S * 1e-3  # keV s
_DAY = 86400.0
_GL_X, _GL_W = np.polynomial.legendre.leggauss(16)


def _mu_kev(mu_sa: float) -> float:
    """mu = mu_sa mu_B in keV^-1 (Heaviside-Lorentz)."""
    return mu_sa * BOHR_MAGNETON * keV


def lepton_traces(q2, e_a, t, m_s):
    """Spin-summed lepton traces (L00, L_T) of the vertex sigma^{mu nu} q_nu, Eqs. S2-S3.

    Tr[k'-slash Gamma^mu (k-slash + m_s) Gamma^nu] for a massless final neutrino, in the frame
    with q along z (L_T = L^xx + L^yy), as functions of Q^2 = T^2 - q^2, E_a, T and m_s (any
    common energy unit, arrays broadcast). L_T(Q^2 = 0) = 4 m_s^4.
    """
    q2, e_a, t = np.asarray(q2, float), np.asarray(e_a, float), np.asarray(t, float)
    m2 = m_s * m_s
    l00 = -2.0 * (4 * e_a**2 * q2 + 4 * e_a * q2 * t - 4 * e_a * t * m2 + q2 * t * t - q2 * m2
                  - t * t * m2 + m2 * m2)
    lt = -2.0 * (4 * e_a**2 * q2**2 + 4 * e_a * q2**2 * t - 4 * e_a * q2 * t * m2 + q2**3
                 - 2 * q2 * t * t * m2 - q2 * m2 * m2 + 2 * t * t * m2 * m2) / (q2 - t * t)
    return l00, lt


def dsigma_dt_transition_free(t_kev, e_s_kev, m_s_kev: float, mu_sa: float):
    """nu_s e -> nu_a e on a free electron at rest, cm^2/keV per electron (Eq. S9).

    dsigma/dT = alpha mu^2 / (8 m_e^2 T^2 p_s^2) [8 m_e^2 E_s T (E_s - T) + 4 m_e m_s^2 E_s T
    - 2 m_e m_s^2 T^2 - 2 m_e^2 m_s^2 T + m_s^4 T - m_e m_s^4]  (covariant Born, spin-averaged),
    for q_e(T) = sqrt(T^2 + 2 m_e T) in [|E_a - p_s|, E_a + p_s], E_a = E_s - T; zero outside.
    m_s -> 0 gives the magnetic-moment cross section alpha mu^2 (1/T - 1/E).

    Parameters
    ----------
    t_kev : array_like
        Electron recoil energy T in keV (> 0).
    e_s_kev : array_like
        Total energy of the incoming nu_s in keV (>= m_s_kev), broadcast with ``t_kev``.
    m_s_kev : float
        Sterile-neutrino mass, keV (>= 0).
    mu_sa : float
        Transition moment in mu_B.
    """
    t = as_float_array(t_kev, "t_kev")
    e_s = as_float_array(e_s_kev, "e_s_kev")
    m = positive_scalar(m_s_kev, "m_s_kev", "keV", allow_zero=True)
    if np.any(t <= 0):
        raise InvalidParameterError(f"t_kev={float(t[t <= 0].flat[0])!r} keV is not allowed; "
                                    "it must be > 0 keV")
    if np.any(e_s < m):
        raise InvalidParameterError(f"e_s_kev={float(e_s[e_s < m].flat[0])!r} keV is not "
                                    f"allowed; it must be >= m_s_kev = {m!r} keV")
    t, e_s = np.broadcast_arrays(t, e_s)
    p2 = e_s * e_s - m * m
    e_a = e_s - t
    q_e = np.sqrt(t * t + 2 * _ME * t)
    p_s = np.sqrt(np.maximum(p2, 0.0))
    ok = (e_a >= 0) & (q_e >= np.abs(e_a - p_s)) & (q_e <= e_a + p_s) & (p2 > 0)
    m2 = m * m
    bracket = (8 * _ME**2 * e_s * t * (e_s - t) + 4 * _ME * m2 * e_s * t - 2 * _ME * m2 * t * t
               - 2 * _ME**2 * m2 * t + m2 * m2 * t - _ME * m2 * m2)
    with np.errstate(divide="ignore", invalid="ignore"):
        val = ALPHA * _mu_kev(mu_sa) ** 2 * bracket / (8 * _ME**2 * t * t * p2)
    return np.where(ok, val, 0.0) * _HBARC**2


def free_line_energy_kev(m_s_kev):
    """Energy transfer to a free electron at rest by a nu_s at rest, T_f = m_s^2/(2(m_s + m_e))
    in keV (Eq. S8)."""
    m = np.asarray(m_s_kev, dtype=float)
    return m * m / (2.0 * (m + _ME))


def _free_line_rate_per_electron(m_s, n_s_kev3, mu):
    """Line rate per electron (keV, i.e. hbar/s units) of Eq. S8, velocity independent."""
    t = m_s * m_s / (2.0 * (m_s + _ME))
    q = math.sqrt(t * t + 2 * _ME * t)
    q2 = t * t - q * q
    l00, lt = lepton_traces(q2, m_s - t, t, m_s)
    e_p = _ME + t
    bracket = e_p * (l00 / q**4 + lt * q * q / (4 * _ME**2 * q2 * q2))
    return float(n_s_kev3 * ALPHA * mu * mu / (4 * m_s * m_s) * bracket * 2 * m_s * q / (e_p + q))


def _complex_lorentz_integral(a, gam, q_lo, q_hi, m_s):
    """A = int du / ((a - q^2)^2 + gam^2), q = q0 + m_s u, exactly (partial fractions)."""
    c = np.sqrt(a - 1j * gam)

    def prim(q):
        return np.log(c + q) - np.log(c - q)

    return np.imag((prim(q_hi) - prim(q_lo)) / (2.0 * c)) / (gam * m_s)


def _response_integrals(t, m_s, u_max, eta, q_cut2, pole_re, pole_gam):
    """The u-integrals of S6 for the dipole response, per unit of the S6 prefactor.

    Returns (longitudinal, transverse continuum, pole) for every T (arrays), with the pole
    (Lorentzian) subtracted and integrated exactly, the rest by Gauss-Legendre on segments split
    at the kinks of eta and mirrored about the pole (principal value of the remainder).
    """
    q0 = m_s - t
    u_lo = np.maximum(-u_max, -q0 / m_s)
    u_hi = np.minimum(u_max, (np.sqrt(q_cut2) - q0) / m_s)
    live = u_hi > u_lo
    u_hi = np.where(live, u_hi, u_lo)
    a = t * t - pole_re
    q_p = np.sqrt(np.maximum(a, 0.0))
    u_p = (q_p - q0) / m_s
    inside = live & (a > 0) & (u_p > u_lo) & (u_p < u_hi)
    u_p = np.where(inside, u_p, u_lo)
    d = np.where(inside, np.minimum(u_p - u_lo, u_hi - u_p), 0.0)
    knee = eta.knee
    kinks = [np.zeros_like(t), -knee + 0 * t, knee + 0 * t]
    pts = [u_lo, u_hi, u_p, u_p - d, u_p + d] + kinks + [2 * u_p - k for k in kinks]
    pts = np.sort(np.clip(np.stack(pts, axis=-1), u_lo[:, None], u_hi[:, None]), axis=-1)
    lo, hi = pts[:, :-1], pts[:, 1:]
    half = 0.5 * (hi - lo)
    u = (0.5 * (hi + lo))[..., None] + half[..., None] * _GL_X  # (N, segments, nodes)
    w = half[..., None] * _GL_W
    tt = t[:, None, None]
    q = q0[:, None, None] + m_s * u
    q2 = tt * tt - q * q
    used = w > 0          # zero-width segments (coinciding split points) may sit at q = 0
    with np.errstate(invalid="ignore", divide="ignore"):
        l00, lt = lepton_traces(q2, (m_s - t)[:, None, None], tt, m_s)
        et = eta(np.abs(u))
        long = np.sum(np.where(used, w * m_s * q * l00 / (q * q) * et, 0.0), axis=(1, 2))
        h_t = m_s * q * tt * tt * lt * et
        _, ltp = lepton_traces(pole_re, m_s - t, t, m_s)
        h_p = np.where(inside, m_s * q_p * t * t * ltp * eta(np.abs(u_p)), 0.0)
        den = (q2 - pole_re[:, None, None]) ** 2 + pole_gam[:, None, None] ** 2
        trans = np.sum(np.where(used, w * (h_t - h_p[:, None, None]) / den, 0.0), axis=(1, 2))
    q_lo, q_hi = q0 + m_s * u_lo, q0 + m_s * u_hi
    area = np.where(inside, _complex_lorentz_integral(np.where(inside, a, 1.0),
                                                      np.where(inside, pole_gam, 1.0),
                                                      q_lo, q_hi, m_s), 0.0)
    zero = ~live | (q0 <= 0)   # T >= m_s: no energy left for the active neutrino
    return (np.where(zero, 0.0, long), np.where(zero, 0.0, trans), h_p * area)


class _Eta:
    """eta(|u|) in units of 1/c for a halo (u in units of c)."""

    def __init__(self, halo):
        self._halo = halo
        self._c = 1.0 / float(halo.km_s_to_c(1.0))
        self.knee = float(halo.km_s_to_c(halo.v_esc_km_s - halo.v_earth_km_s))
        self.u_max = float(halo.km_s_to_c(halo.v_max_km_s))

    def __call__(self, u):
        u = np.asarray(u, dtype=float)
        return self._halo.eta_s_km(u * self._c) * self._c


def pole_rate_per_kg_day(halo, mu_sa: float, density_g_cm3: float) -> float:
    """Integral of the pole (S7): n_s Gamma(nu_s -> nu_a gamma) / rho_det, counts/(kg day)."""
    mu = _mu_kev(mu_sa)
    gamma_kev = mu * mu * halo.m_s_kev**3 / (8 * math.pi)
    n_s = halo.number_density_cm3()
    return n_s * gamma_kev / _HBAR / density_g_cm3 * 1000.0 * _DAY


def sterile_dm_rates(target, source, t_kev, mu_sa: float, *, atomic: str | None = None,
                     photo_source: str = "composite", density_g_cm3=None):
    """Differential rate of sterile-DM conversion on a target, counts/(kg keV day) (S6-S8).

    Parameters
    ----------
    target : str or Target
        Detector medium (per kg of it).
    source : SterileDMHalo
        The halo population (:class:`nuem.sources.sterile_dm.SterileDMHalo`).
    t_kev : array_like
        Energy transfers (observable energies) in keV, > 0.
    mu_sa : float
        Transition magnetic moment |mu_sa| in mu_B (>= 0).
    atomic : {"pai", "stepping", "free"}, optional
        Atomic response (module docstring; default ``"pai"``). ``"stepping"`` and ``"free"``
        have no continuum (free electrons cannot absorb the photon: the pole is kept, being the
        decay of the halo inside the medium).
    photo_source : str
        Photoabsorption table (:data:`nuem.atoms.SOURCES`).
    density_g_cm3 : float, optional
        Detector density (default: the tabulated detector-phase value).

    Returns
    -------
    SterileDMSpectrum
        Components ``pole`` and ``ionization`` on ``t_kev``, the free-electron ``lines``,
        parameters and provenance.
    """
    from ..atoms import dielectric as di
    from ..atoms.medium import distant_collision_terms, sigma_gamma_extended_cm2
    from ..atoms.shells import stepping_electrons_kev
    from ..targets import Target, get_target
    from .sterile_result import SterileDMSpectrum

    tgt = target if isinstance(target, Target) else get_target(target)
    model = choice(atomic or ATOMIC_MODELS_STERILE[0], "atomic", ATOMIC_MODELS_STERILE)
    mu_b = positive_scalar(mu_sa, "mu_sa", "mu_B", allow_zero=True)
    t = np.atleast_1d(as_float_array(t_kev, "t_kev")).astype(float)
    if np.any(t <= 0):
        raise InvalidParameterError(f"t_kev={float(t[t <= 0][0])!r} keV is not allowed; "
                                    "energies must be > 0 keV")
    rho = di.mass_density_g_cm3(tgt, density_g_cm3)
    fu_per_kg = AVOGADRO * 1000.0 / tgt.molar_mass_g_mol
    m_s, mu = source.m_s_kev, _mu_kev(mu_b)
    n_s = source.number_density_cm3() * _HBARC**3  # keV^3
    eta = _Eta(source)
    to_rate = fu_per_kg / _HBAR * _DAY  # keV (per formula unit, per keV) -> /(kg keV day)

    sig = sigma_gamma_extended_cm2(tgt, t, photo_source, outside="zero") / _HBARC**2  # keV^-2
    window = np.abs(2 * t - m_s) <= 1.5 * m_s * eta.u_max + 1e-12
    re_pi, gam = np.zeros_like(t), np.zeros_like(t)
    if np.any(window):
        eps = di.dielectric_function(tgt, t[window], photo_source, density_g_cm3=rho)
        re_pi[window] = t[window] ** 2 * (1.0 - eps.real)
        gam[window] = np.maximum(t[window] ** 2 * eps.imag, 1e-300)
    q_cut2 = 2 * _ME * t
    long, trans, pole = _response_integrals(t, m_s, eta.u_max, eta, q_cut2, re_pi, gam)
    pref = n_s * mu * mu / (16 * math.pi**2 * m_s * m_s * t)  # times sigma (S6)
    with np.errstate(invalid="ignore"):
        pole_rate = np.where(gam > 0, pref * sig * pole, 0.0)
    ionization = pref * sig * (long + trans) if model == "pai" else np.zeros_like(t)
    t_f = float(free_line_energy_kev(m_s))
    z_fu = float(sum(el.z * c for el, c in tgt.elements))
    if model == "free":
        n_el = z_fu
    elif model == "stepping":
        n_el = float(sum(c * stepping_electrons_kev(el.z, t_f) for el, c in tgt.elements))
    else:
        n_el = float(distant_collision_terms(tgt, np.array([t_f]), photo_source,
                                             outside="zero", density_g_cm3=rho).n_eff[0])
    line_rate = _free_line_rate_per_electron(m_s, n_s, mu) * n_el * to_rate
    width = 2 * eta.u_max * m_s * math.sqrt(t_f * t_f + 2 * _ME * t_f) / (_ME + t_f + m_s)
    if not np.all(np.isfinite(ionization)):      # a numerical failure, never silently zeroed
        bad = float(t[~np.isfinite(ionization)][0])
        raise OutOfRangeError(f"t_kev={bad!r}: the sterile-neutrino ionization integral is not "
                              f"finite for m_s = {m_s:g} keV")
    comps = {"pole": pole_rate * to_rate, "ionization": ionization * to_rate}
    return SterileDMSpectrum(
        t_kev=t, components=comps,
        lines=[{"name": "free_electron", "energy_kev": t_f, "rate_kg_day": line_rate,
                "electrons_per_formula_unit": n_el, "full_width_kev": width}],
        parameters={"mu_sa": mu_b, "m_s_kev": m_s, "rho_gev_cm3": source.rho_gev_cm3},
        provenance={"process": "sterile-to-active conversion via transition magnetic moment",
                    "reference": "J.-W. Chen et al., PRD 93, 093012 (2016); docs/sterile_dm.md",
                    "atomic_model": model, "photoabsorption": photo_source,
                    "target": tgt.name, "density_g_cm3": rho, "halo": source.describe(),
                    "pole_integral_kg_day": pole_rate_per_kg_day(source, mu_b, rho)})
