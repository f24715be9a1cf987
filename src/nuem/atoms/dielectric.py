"""Complex dielectric function eps(E) = eps1 + i eps2 of a medium, built from sigma_gamma.

Formulas (Allison & Cobb, Ann. Rev. Nucl. Part. Sci. 30, 253 (1980), Eqs. 20-21; Landau &
Lifshitz, Electrodynamics of Continuous Media, Sec. 82):

* eps2(E) = n hbar c sigma_gamma(E) / E  (n = formula units per volume; valid where
  |eps - 1| << 1, i.e. above ~30 eV in solids; used everywhere as the model's definition),
* eps1(E) - 1 = (2/pi) P int_0^inf E' eps2(E') / (E'^2 - E^2) dE'  (Kramers-Kronig).

Numerics: g(E') = E' eps2(E') = n hbar c sigma(E') is taken linear between the table nodes of
:mod:`nuem.atoms.photoabsorption` (120 per decade, both sides of every edge); the principal
value integral is then a closed-form sum of logarithms, evaluated at the geometric midpoints of
the nodes (never on a node) and interpolated in ln E. Computed once per (target, source,
density) and cached.

Regulator for the strength below the tables (< 10 eV): the TRK sum rule fixes the total
oscillator strength to Z per formula unit; the deficit N_miss = Z - int sigma dE / (2 pi^2
alpha (hbar c)^2/m_e) (about 1.5 of the 4 valence electrons of Ge) is put in one undamped
oscillator at E_0 = 5 eV, which adds -(hbar omega_miss)^2 / (E^2 - E_0^2) to eps1 above the
table start and nothing to eps2 there. Above the table end eps1 = 1 - (hbar omega_p)^2/E^2 with
all Z electrons (the free-electron limit), and eps2 follows sigma's power-law extrapolation.
The table's own tail above its end (< 1e-3 of the strength) is neglected in the KK integral.

Validity: 10 eV to the upper end of the table (composite Ge: 1 MeV). The result is that of an
isotropic medium of independent atoms with the given density; crystal-field and excitonic
structure are present only as far as the Henke data contain them.

Examples
--------
>>> eps = dielectric_function("Ge", [0.1, 1.0, 10.0])
>>> [f"{1 - v.real:.2e}" for v in eps]              # -> (hbar omega_p / E)^2 = 1.9e-05 at 10 keV
['1.27e-02', '1.29e-03', '1.83e-05']
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .._validation import as_float_array, positive_scalar
from ..constants import AVOGADRO
from ..exceptions import InvalidParameterError, OutOfRangeError
from . import photoabsorption as pa

__all__ = ["dielectric_function", "mass_density_g_cm3", "number_density_cm3",
           "plasma_energy_kev", "detector_densities_g_cm3", "E0_MISSING_KEV"]

#: Energy (keV) of the oscillator carrying the TRK strength missing below the tables.
E0_MISSING_KEV = 0.005


def detector_densities_g_cm3() -> dict[str, float]:
    """Detector-phase densities (g/cm^3) by formula: those of the materials table
    (:mod:`nuem.materials`, where each value's citation is): crystals (Ge, Si, CsI, NaI), liquid
    Xe at 165 K and Ar at 87 K, liquid C6F6, polystyrene. Gases (e.g. CF4) have no entry: their
    density depends on pressure and must be given.

    Examples
    --------
    >>> detector_densities_g_cm3()["Xe"]
    2.953
    """
    from ..materials import get_material, material_names

    return {f: get_material(f).density_g_cm3.value for f in material_names()
            if get_material(f).density_g_cm3 is not None}


def mass_density_g_cm3(target, density=None) -> float:
    """Mass density in g/cm^3: ``density`` if given, else the target material's detector-phase
    density (:func:`nuem.materials.get_material`: the materials table, or periodictable's value
    for an element without an entry).

    Raises
    ------
    InvalidParameterError
        For a target with no tabulated density (e.g. a gas such as CF4, whose density depends on
        pressure): pass ``density_g_cm3``.

    Examples
    --------
    >>> mass_density_g_cm3("Ge")
    5.323
    >>> mass_density_g_cm3("CsI")
    4.51
    """
    if density is not None:
        return positive_scalar(density, "density_g_cm3", "g/cm^3")
    from ..materials import get_material

    tgt, _ = pa._elements_of(target)
    rho = get_material(tgt.name).density_g_cm3
    if rho is None:
        raise InvalidParameterError(f"density_g_cm3=None: no density is tabulated for target "
                                    f"{tgt.name!r}; pass density_g_cm3 (> 0, g/cm^3)")
    return rho.value


def number_density_cm3(target, density=None) -> float:
    """Formula units per cm^3, n = rho N_A / M."""
    tgt, _ = pa._elements_of(target)
    return mass_density_g_cm3(target, density) * AVOGADRO / tgt.molar_mass_g_mol


def plasma_energy_kev(target, density=None) -> float:
    """Free-electron plasma energy hbar omega_p = sqrt(4 pi alpha n_e (hbar c)^3 / m_e), keV.

    Examples
    --------
    >>> round(plasma_energy_kev("Ge") * 1e3, 1)       # eV, all 32 electrons
    44.1
    """
    tgt, els = pa._elements_of(target)
    z_fu = sum(z * n for z, n in els)
    n_e = number_density_cm3(target, density) * z_fu
    return math.sqrt(4.0 * math.pi * pa._ALPHA * n_e * pa._HBARC_KEV_CM**3 / pa._ME_KEV)


@functools.cache
def _eps_table(name: str, source: str, rho: float):
    """Midpoint grid (keV) and eps1 there; plus constants (n, Z, N_miss, omega_miss^2)."""
    e, s, cum = pa._target_table(name, source)
    tgt, els = pa._elements_of(name)
    z_fu = sum(z * n for z, n in els)
    n = rho * AVOGADRO / tgt.molar_mass_g_mol
    g = n * pa._HBARC_KEV_CM * s  # E eps2, keV
    a, b = e[:-1], e[1:]
    beta = (g[1:] - g[:-1]) / (b - a)
    alpha = g[:-1] - beta * a
    x = np.sqrt(a * b)  # evaluation points: geometric midpoints
    with np.errstate(divide="ignore"):
        l1 = np.log(np.abs(e[:, None] - x[None, :]))
    l2 = np.log(e[:, None] + x[None, :])
    d, sm = l1 - l2, l1 + l2
    kk = (alpha[:, None] / (2.0 * x[None, :]) * (d[1:] - d[:-1])
          + 0.5 * beta[:, None] * (sm[1:] - sm[:-1])).sum(axis=0)
    n_miss = max(0.0, z_fu - cum[-1] / pa.TRK_CM2_KEV_PER_ELECTRON)
    wp2_miss = 4.0 * math.pi * pa._ALPHA * n * n_miss * pa._HBARC_KEV_CM**3 / pa._ME_KEV
    eps1 = 1.0 + 2.0 / math.pi * kk - wp2_miss / (x * x - E0_MISSING_KEV**2)
    wp2 = 4.0 * math.pi * pa._ALPHA * n * z_fu * pa._HBARC_KEV_CM**3 / pa._ME_KEV
    return x, eps1, n, z_fu, n_miss, wp2


def _sigma_ext(e_tab, s_tab, e):
    """sigma on the table, power-law extrapolated above its end (internal, for the models)."""
    p = math.log(s_tab[-1] / s_tab[-2]) / math.log(e_tab[-1] / e_tab[-2])
    inside = pa._loglog(e_tab, s_tab, np.minimum(e, e_tab[-1]))
    return np.where(e > e_tab[-1], s_tab[-1] * (e / e_tab[-1]) ** p, inside)


def _eps_internal(name: str, source: str, rho: float, e_kev: np.ndarray):
    """eps1, eps2 at e_kev (keV, >= table start; no validation; extrapolated above the end)."""
    e_tab, s_tab, _ = pa._target_table(name, source)
    x, eps1_tab, n, _, _, wp2 = _eps_table(name, source, rho)
    eps2 = n * pa._HBARC_KEV_CM * _sigma_ext(e_tab, s_tab, e_kev) / e_kev
    eps1 = np.interp(np.log(e_kev), np.log(x), eps1_tab)
    eps1 = np.where(e_kev > x[-1], 1.0 - wp2 / (e_kev * e_kev), eps1)
    return eps1, eps2


def dielectric_function(target, e_kev, source: str = "composite", *,
                        density_g_cm3=None) -> np.ndarray:
    """Complex dielectric function eps(E) of ``target`` from its photoabsorption (module notes).

    Parameters
    ----------
    target : str or Target
        Element or formula.
    e_kev : array_like
        Energies in keV inside the table range of ``source`` (>= 10 eV).
    source : {"composite", "henke", "elam", "kissel"}
        Photoabsorption table.
    density_g_cm3 : float, optional
        Mass density in g/cm^3 (default: periodictable's value for an element; required for a
        compound).

    Returns
    -------
    ndarray of complex
        eps1 + i eps2, dimensionless.

    Raises
    ------
    OutOfRangeError
        If an energy is outside the table range.
    """
    tgt, _ = pa._elements_of(target)
    src = pa._check_source(source)
    rho = mass_density_g_cm3(tgt, density_g_cm3)
    e = as_float_array(e_kev, "e_kev")
    e_tab, _, _ = pa._target_table(tgt.name, src)
    bad = (e < e_tab[0]) | (e > e_tab[-1])
    if np.any(bad):
        raise OutOfRangeError(f"e_kev={float(e[bad].flat[0])!r} keV is outside the {src!r} table "
                              f"range [{e_tab[0]:g}, {e_tab[-1]:g}] keV of target {tgt.name!r}")
    eps1, eps2 = _eps_internal(tgt.name, src, rho, e)
    return (eps1 + 1j * eps2)[()]
