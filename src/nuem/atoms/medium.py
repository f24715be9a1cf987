"""Medium quantities for atomic ionization by neutral or weakly charged probes.

What the atomic-ionization cross sections of :mod:`nuem.interactions.atomic_ionization` need from
the medium, all per formula unit of the target and computed from the photoabsorption tables of
:mod:`nuem.atoms.photoabsorption` and the dielectric function of :mod:`nuem.atoms.dielectric`:

* :func:`sigma_gamma_extended_cm2` -- sigma_gamma(T), continued above the end of the table as a
  power law through its last two nodes (photoeffect ~ E^-3...-1 there);
* :func:`distant_collision_terms` -- the three energy-transfer densities of the
  photoabsorption-ionization (PAI) model of W.W.M. Allison & J.H. Cobb, Ann. Rev. Nucl. Part.
  Sci. 30, 253 (1980), Eq. 28 at beta = 1 (docs/atomic_models.md):
  sigma_gamma(T)/T ln(2 m_e / (T |1 - eps(T)|)) (distant collisions, regulated by the density
  effect), the Cherenkov term (1 - eps1/|eps|^2) theta/(n hbar c) with theta = arg(1 - eps1 +
  i eps2), and the effective number of electrons N_eff(T) = int_0^T sigma_gamma dE / (2 pi^2 alpha
  (hbar c)^2/m_e) (Thomas-Reiche-Kuhn sum rule, including the strength below the table start);
* :func:`edge_peaks` -- heights of the sigma_gamma(T)/T peaks at the absorption edges.

Validity: T >= 10 eV (table start; below, OutOfRangeError unless ``outside="zero"``); the
distant-collision logarithm is set to zero where Q^2_min = T^2 |1 - eps| exceeds
Q^2_max = 2 m_e T (T of order m_e, outside the model's T << m_e range).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from hepunits import cm, keV

from ..constants import ELECTRON_MASS, HBARC
from ..exceptions import OutOfRangeError
from . import dielectric as di
from . import photoabsorption as pa

__all__ = ["DistantCollisionTerms", "sigma_gamma_extended_cm2", "distant_collision_terms",
           "edge_peaks", "photoabsorption_nodes_kev"]


class DistantCollisionTerms(NamedTuple):
    """PAI energy-transfer densities at T (per formula unit); zero where cut below the table."""

    log_term_cm2_kev: np.ndarray  #: sigma_gamma(T)/T ln(Q2max/Q2min), cm^2/keV
    cherenkov_cm2_kev: np.ndarray  #: (1 - eps1/|eps|^2) theta / (n hbar c), cm^2/keV
    n_eff: np.ndarray  #: electrons seen by the TRK sum below T (dimensionless)
    electrons_per_formula_unit: float  #: Z summed over the formula unit


def _table(target, source: str, t_kev: np.ndarray, outside: str):
    tgt, _ = pa._elements_of(target)
    src = pa._check_source(source)
    pa._check_outside(outside)
    e, s, cum = pa._target_table(tgt.name, src)
    low = t_kev < e[0]
    if np.any(low) and outside == "raise":
        raise OutOfRangeError(f"t_kev={float(t_kev[low].flat[0])!r} keV is below the start of "
                              f"the {src!r} photoabsorption table ({e[0]:g} keV); atomic "
                              "ionization models need sigma_gamma(T); pass outside='zero' to cut")
    return tgt, src, e, s, cum, low


def sigma_gamma_extended_cm2(target, t_kev, source: str = "composite", *,
                             outside: str = "raise") -> np.ndarray:
    """sigma_gamma(T) per formula unit in cm^2, power-law continued above the table end.

    Parameters
    ----------
    target : str or Target
        Element or formula.
    t_kev : ndarray
        Energy transfers in keV (no further validation; >= 0).
    source : str
        Photoabsorption table (:data:`nuem.atoms.photoabsorption.SOURCES`).
    outside : {"raise", "zero"}
        Below the table start: raise OutOfRangeError, or return 0 there.
    """
    t_kev = np.asarray(t_kev, dtype=float)
    _, _, e, s, _, low = _table(target, source, t_kev, outside)
    tt = np.maximum(t_kev, e[0])
    return np.where(low, 0.0, di._sigma_ext(e, s, tt))


def distant_collision_terms(target, t_kev, source: str = "composite", *, outside: str = "raise",
                            density_g_cm3=None) -> DistantCollisionTerms:
    """The PAI energy-transfer densities at ``t_kev`` (module docstring), per formula unit.

    Parameters
    ----------
    target : str or Target
        Medium.
    t_kev : ndarray
        Energy transfers in keV.
    source, outside
        As :func:`sigma_gamma_extended_cm2`.
    density_g_cm3 : float, optional
        Mass density for the density effect (default: the tabulated detector-phase value).
    """
    t_kev = np.asarray(t_kev, dtype=float)
    tgt, src, e, s, cum, low = _table(target, source, t_kev, outside)
    rho = di.mass_density_g_cm3(tgt, density_g_cm3)
    _, _, n, z_fu, n_miss, _ = di._eps_table(tgt.name, src, rho)
    tt = np.maximum(t_kev, e[0])
    eps1, eps2 = di._eps_internal(tgt.name, src, rho, tt)
    sig = di._sigma_ext(e, s, tt)
    mod = np.hypot(1.0 - eps1, eps2)
    me_kev = ELECTRON_MASS / keV
    log = np.maximum(np.log(2.0 * me_kev / (tt * mod)), 0.0)
    theta = np.arctan2(eps2, 1.0 - eps1)
    hbarc_kev_cm = HBARC / (keV * cm)
    cher = (1.0 - eps1 / (eps1 * eps1 + eps2 * eps2)) * theta / (n * hbarc_kev_cm)
    inside = np.minimum(tt, e[-1])
    c = pa._cumulative(e, s, cum, inside) + n_miss * pa.TRK_CM2_KEV_PER_ELECTRON
    above = tt > e[-1]
    if np.any(above):  # power-law tail of sigma beyond the table end (closed form)
        c = c + np.where(above, pa._segment_pairs(e[-1], tt, s[-1], sig), 0.0)
    keep = np.where(low, 0.0, 1.0)
    return DistantCollisionTerms(keep * sig / tt * log, keep * cher,
                                 keep * c / pa.TRK_CM2_KEV_PER_ELECTRON, float(z_fu))


def photoabsorption_nodes_kev(target, source: str = "composite") -> np.ndarray:
    """Energies (keV) where the photoabsorption-based models are not smooth: the table nodes
    (log-log linear between them) and the geometric midpoints where the Kramers-Kronig eps1 is
    evaluated (interpolated between them)."""
    tgt, _ = pa._elements_of(target)
    e, _, _ = pa._target_table(tgt.name, pa._check_source(source))
    return np.concatenate([e, np.sqrt(e[:-1] * e[1:])])


def edge_peaks(target, source: str = "composite") -> dict:
    """Heights of the sigma_gamma(T)/T edge peaks per shell group (K, L, M).

    A spectrum proportional to sigma_gamma(T)/T (the distant-collision part of the atomic
    ionization models) jumps at each absorption edge B to sigma_gamma(B+)/B. For each group the
    peak is the largest sigma_gamma(B+)/B of its subshells.

    Returns
    -------
    dict
        ``target``, ``source``, ``edges`` (list of {z, shell, e_kev,
        sigma_over_t_below_cm2_kev, sigma_over_t_above_cm2_kev}), ``peaks_cm2_kev`` {K, L, M},
        ``peak_ratios`` {L/K, M/L}; per formula unit.

    Examples
    --------
    >>> round(edge_peaks("Ge")["peak_ratios"]["L/K"])
    358
    """
    from .shells import shells

    tgt, els = pa._elements_of(target)
    rows, peaks = [], {}
    for z, count in els:
        e_tab, _ = pa._element_nodes(z, pa._check_source(source))
        for sh in shells(z):
            b = sh.binding_kev
            if sh.name[0] not in "KLM" or not (e_tab[0] < b * 0.999 and b * 1.001 < e_tab[-1]):
                continue
            # tables place edges within ~0.1 % of xraylib's EdgeEnergy (Henke Ge L3: 1.2170)
            grid = b * np.geomspace(0.998, 1.01, 241)
            s_over_t = pa.sigma_gamma_element_cm2(z, grid, source) / grid
            lo, hi = s_over_t[0] * b, s_over_t.max() * b
            rows.append({"z": z, "shell": sh.name, "e_kev": b,
                         "sigma_over_t_below_cm2_kev": count * lo / b,
                         "sigma_over_t_above_cm2_kev": count * hi / b})
            g = sh.name[0]
            peaks[g] = max(peaks.get(g, 0.0), count * hi / b)
    ratios = {}
    if "K" in peaks and "L" in peaks:
        ratios["L/K"] = peaks["L"] / peaks["K"]
    if "L" in peaks and "M" in peaks:
        ratios["M/L"] = peaks["M"] / peaks["L"]
    return {"target": tgt.name, "source": source, "edges": rows, "peaks_cm2_kev": peaks,
            "peak_ratios": ratios}
