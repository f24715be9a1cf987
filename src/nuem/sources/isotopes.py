"""Fission isotopes of a power reactor: energy per fission, yields, and ν̄e spectra S_k(E_nu).

Per-isotope antineutrino spectrum S_k(E_nu) in ν̄e per MeV per fission (E_nu >= 0):

* **E_nu >= E_match (default 2 MeV), up to 13 MeV:** the Huber–Mueller (HM) tables, interpolated
  log-linearly ("exponentially", as the data release states) between their 50 keV nodes; zero
  above 13 MeV, where the tables end. Tables: Daya Bay Collaboration, Full Data Release,
  Zenodo DOI 10.5281/zenodo.17587229 (2025), CC BY 4.0 (``nuem/data/HM_SPECTRA_ATTRIBUTION.md``);
  F.P. An et al. (Daya Bay), PRL 130, 161802 (2023); P. Huber, PRC 84, 024617 (2011) [Erratum
  PRC 85, 029901 (2012)] for 235U, 239Pu, 241Pu; Th.A. Mueller et al., PRC 83, 054615 (2011) for
  238U.
* **0 <= E_nu < E_match:** no measurement exists; the shape below is an *assumption*
  (:class:`LowEnergyModel`): ln S = ln S_HM(E_m) + s (E - E_m) + c (E - E_m)^2, multiplied by a
  phase-space turn-on w(E) = 1 - exp(-(E/E0)^2) (so S ∝ E^2 as E -> 0, as for an allowed β
  spectrum near Eν = 0), E0 = 0.2 MeV by default. The exp(quadratic) form is that of the
  Vogel–Engel fits, P. Vogel & J. Engel, PRD 39, 3378 (1989). s is the HM log-slope of the
  table segment starting at E_m (value and slope are continuous at E_m), and c is solved once
  (:func:`scipy.optimize.brentq`, cached) so that the integral over all energies equals the
  total ν̄e yield Y_k of the isotope (Wong & Li, MPLA 20, 1103 (2005), Table 1); for the
  default E_m and E0 the solved c are stored (no root finding at run time). The SM ν–e
  rate at keV recoil depends on this shape at the 10–20 % level; the μν rate at T << E_nu depends
  only on the total yield (Wong & Li, MPLA 20, 1103 (2005), Sec. 4.3).

Nothing is read at import time; tables are loaded lazily through :mod:`importlib.resources`.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from importlib import resources

import numpy as np

from .._validation import as_float_array, choice, in_range
from ..exceptions import DataFileError, InvalidParameterError

__all__ = [
    "ISOTOPES",
    "ENERGY_PER_FISSION_MEV",
    "ANTINEUTRINOS_PER_FISSION",
    "DEFAULT_FISSION_FRACTIONS",
    "FRACTIONS_SOURCE",
    "HM_EMAX_MEV",
    "LowEnergyModel",
    "hm_table",
    "low_energy_model",
    "isotope_spectrum_per_fission",
]

#: The four fissile isotopes that produce > 99 % of the fissions in a power reactor.
ISOTOPES = ("U235", "U238", "Pu239", "Pu241")

#: Mean energy released per fission (MeV) by model key.
#: ``"ma2013"``: X.B. Ma et al., PRC 88, 014605 (2013) (also the Daya Bay release values);
#: ``"kopeikin2004"``: V. Kopeikin, L. Mikaelyan, V. Sinev, Phys. At. Nucl. 67, 1892 (2004).
ENERGY_PER_FISSION_MEV = {
    "ma2013": {"U235": 202.36, "U238": 205.99, "Pu239": 211.12, "Pu241": 214.26},
    "kopeikin2004": {"U235": 201.92, "U238": 205.52, "Pu239": 209.99, "Pu241": 213.60},
}

#: Total ν̄e yield per fission Y_k (all energies), Wong & Li, MPLA 20, 1103 (2005), Table 1.
ANTINEUTRINOS_PER_FISSION = {"U235": 6.14, "U238": 7.08, "Pu239": 5.58, "Pu241": 6.42}

#: Fission fractions of a "typical PWR" (relative fission rates), an assumed operating point as
#: tabulated in the TEXONO group's reactor overviews; not traced to a paper (Wong & Li, MPLA 20,
#: 1103 (2005), Table 1, list 0.49/0.07/0.36/0.08 for a typical reactor).
DEFAULT_FISSION_FRACTIONS = {"U235": 0.55, "U238": 0.07, "Pu239": 0.32, "Pu241": 0.06}
#: Where :data:`DEFAULT_FISSION_FRACTIONS` come from (for provenance records).
FRACTIONS_SOURCE = ("assumed typical-PWR fractions 0.55/0.07/0.32/0.06 (TEXONO reactor overviews; "
                    "Wong & Li, MPLA 20, 1103 (2005), Table 1, list 0.49/0.07/0.36/0.08)")

#: Upper end of the HM tables (MeV); the spectra are zero above.
HM_EMAX_MEV = 13.0

_HM_FILES = {iso: f"hm_{iso}.tsv" for iso in ISOTOPES}


def _check_isotope(isotope: str) -> str:
    return choice(isotope, "isotope", ISOTOPES)


@functools.cache
def hm_table(isotope: str) -> tuple[np.ndarray, np.ndarray]:
    """The Huber–Mueller table of ``isotope``: (E_nu in MeV, ν̄e per MeV per fission).

    Read once from the package data file ``nuem/data/hm_<isotope>.tsv`` (header
    ``E_MeV N_density``; 1.75–13 MeV on a 50 keV mesh; Daya Bay full data release, CC BY 4.0,
    DOI 10.5281/zenodo.17587229; Huber PRC 84, 024617 (2011); Mueller et al. PRC 83, 054615
    (2011)). The returned arrays are read-only.

    Raises
    ------
    DataFileError
        If the file is missing or malformed (wrong header, not two numbers per line, non-positive
        density, energies not strictly increasing); the message names the file and line.
    """
    name = _HM_FILES[_check_isotope(isotope)]
    res = resources.files("nuem.data").joinpath(name)
    try:
        text = res.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(str(res), None, f"cannot read the HM table: {exc}") from exc
    return _parse_hm_text(text, str(res))


def _parse_hm_text(text: str, path: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse a two-column HM table; raise :class:`DataFileError` naming ``path`` and line."""
    lines = text.splitlines()
    if not lines or lines[0].split() != ["E_MeV", "N_density"]:
        raise DataFileError(path, 1, "expected the header 'E_MeV N_density'")
    e, s = [], []
    for no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2:
            raise DataFileError(path, no, f"expected 2 columns, found {len(parts)}")
        try:
            x, y = float(parts[0]), float(parts[1])
        except ValueError:
            raise DataFileError(path, no, f"not a number: {line.strip()!r}") from None
        if not (math.isfinite(x) and math.isfinite(y)) or y <= 0:
            raise DataFileError(path, no, f"density must be finite and > 0, got {parts[1]}")
        if e and x <= e[-1]:
            raise DataFileError(path, no, f"energy {x} MeV does not exceed the previous {e[-1]}")
        e.append(x)
        s.append(y)
    if len(e) < 3:
        raise DataFileError(path, None, "fewer than 3 data lines")
    ea, sa = np.array(e), np.array(s)
    ea.setflags(write=False)
    sa.setflags(write=False)
    return ea, sa


def _hm_log_interp(isotope: str, enu: np.ndarray) -> np.ndarray:
    """Log-linear interpolation of the HM table inside [E_first, 13 MeV]; 0 above 13 MeV."""
    e, s = hm_table(isotope)
    out = np.exp(np.interp(enu, e, np.log(s)))
    return np.where(enu > e[-1], 0.0, out)


def _hm_integral_above(isotope: str, e_match: float) -> float:
    """Exact integral of the log-linear HM interpolant from ``e_match`` to 13 MeV."""
    e, s = hm_table(isotope)
    e_nodes = np.r_[e_match, e[e > e_match]]
    s_nodes = _hm_log_interp(isotope, e_nodes)
    h = np.diff(e_nodes)
    b = np.diff(np.log(s_nodes)) / h
    with np.errstate(divide="ignore", invalid="ignore"):
        seg = np.where(np.abs(b * h) > 1e-12, np.diff(s_nodes) / b, s_nodes[:-1] * h)
    return float(seg.sum())


@dataclass(frozen=True)
class LowEnergyModel:
    """Low-energy (E_nu < E_match) model of one isotope's spectrum (an assumption, see module).

    ln S(E) = ln S_m + s (E - E_m) + c (E - E_m)^2, times w(E) = 1 - exp(-(E/E0)^2).

    Attributes
    ----------
    isotope : str
    e_match_mev, e_turn_on_mev : float
        E_m and E0 in MeV.
    s_match_per_mev : float
        S_m = S_HM(E_m), ν̄e/MeV/fission.
    slope_per_mev : float
        s, the HM log-slope of the table segment starting at E_m (MeV^-1).
    c_per_mev2 : float
        c (MeV^-2), solved so that the total yield is ``total_yield``.
    yield_above : float
        Integral of the HM interpolant from E_m to 13 MeV (ν̄e/fission).
    total_yield : float
        Y_k, ν̄e per fission over all energies (Wong & Li, MPLA 20, 1103 (2005), Table 1).
    """

    isotope: str
    e_match_mev: float
    e_turn_on_mev: float
    s_match_per_mev: float
    slope_per_mev: float
    c_per_mev2: float
    yield_above: float
    total_yield: float

    def __call__(self, enu: np.ndarray) -> np.ndarray:
        """S(E) in ν̄e/MeV/fission for energies ``enu`` (MeV) in [0, E_m] (no validation)."""
        x = enu - self.e_match_mev
        w = -np.expm1(-((enu / self.e_turn_on_mev) ** 2))
        return self.s_match_per_mev * np.exp(self.slope_per_mev * x + self.c_per_mev2 * x * x) * w


# Gauss–Legendre nodes for the smooth low-energy integral (split at 4 E0, where w(E) -> 1).
_GL_X, _GL_W = np.polynomial.legendre.leggauss(96)


def _gl_integral(func, a: float, b: float) -> float:
    mid, half = 0.5 * (a + b), 0.5 * (b - a)
    return float(half * np.dot(_GL_W, func(mid + half * _GL_X)))


def _check_low_energy_parameters(e_match_mev, e_turn_on_mev) -> tuple[float, float]:
    e_first = 1.75  # first node of the HM tables (MeV)
    em = in_range(e_match_mev, "e_match_mev", e_first, 4.0, "MeV")
    e0 = in_range(e_turn_on_mev, "e_turn_on_mev", 1e-3, em / 4.0, "MeV")
    return em, e0


def low_energy_model(isotope: str, e_match_mev: float = 2.0,
                     e_turn_on_mev: float = 0.2) -> LowEnergyModel:
    """Solve (once, cached) the low-energy model of ``isotope`` for given E_m and E0.

    Parameters
    ----------
    isotope : str
        One of :data:`ISOTOPES`.
    e_match_mev : float
        E_m in MeV, in [1.75, 4.0] (within the HM tables; default 2.0).
    e_turn_on_mev : float
        E0 in MeV, in [0.001, E_m/4] (default 0.2). The bound keeps w(E_m) = 1 to
        exp(-16) ~ 1e-7, so value and slope are continuous at E_m to that accuracy (to double
        precision for the defaults, exp(-100)).

    Returns
    -------
    LowEnergyModel

    Raises
    ------
    InvalidParameterError
        For parameters out of range, or if no c reproduces Y_k (cannot happen for the shipped
        tables).
    """
    _check_isotope(isotope)
    em, e0 = _check_low_energy_parameters(e_match_mev, e_turn_on_mev)
    return _solve_low_energy(isotope, em, e0)


#: The coefficients c (MeV^-2) of the default low-energy models (E_m = 2 MeV, E0 = 0.2 MeV),
#: solved once with :func:`_solve_c` (Brent's method, xtol 1e-14, rtol 1e-13) from the shipped
#: HM tables and the yields of Wong & Li, MPLA 20, 1103 (2005), Table 1, and stored so that no
#: root finding (and no scipy import) happens at run time; tests/test_sources_reactor.py
#: re-solves them. Other (E_m, E0) are solved on first use.
_STORED_C = {(2.0, 0.2): {"U235": -0.03417013646013708, "U238": 0.04722497945110056,
                          "Pu239": 0.0822055453614758, "Pu241": 0.07384016892798241}}


@functools.lru_cache(maxsize=64)
def _solve_low_energy(isotope: str, em: float, e0: float) -> LowEnergyModel:
    """Cached low-energy model behind :func:`low_energy_model` (validated arguments): c from
    :data:`_STORED_C` where stored, else solved by :func:`_solve_c`."""
    parts = _low_energy_parts(isotope, em)
    c = _STORED_C.get((em, e0), {}).get(isotope)
    if c is None:
        c = _solve_c(isotope, em, e0)
    return LowEnergyModel(isotope, em, e0, *parts[:2], c, *parts[2:])


def _low_energy_parts(isotope: str, em: float) -> tuple[float, float, float, float]:
    """(S_m, slope s, HM yield above E_m, total yield Y_k) of the low-energy model."""
    e, s = hm_table(isotope)
    j = min(int(np.searchsorted(e, em, side="right")) - 1, e.size - 2)
    slope = float((math.log(s[j + 1]) - math.log(s[j])) / (e[j + 1] - e[j]))
    s_m = float(_hm_log_interp(isotope, np.array(em)))
    above = _hm_integral_above(isotope, em)
    return s_m, slope, above, ANTINEUTRINOS_PER_FISSION[isotope]


def _solve_c(isotope: str, em: float, e0: float) -> float:
    """Solve for the coefficient c that makes the total yield Y_k (validated arguments)."""
    s_m, slope, above, total = _low_energy_parts(isotope, em)
    target = total - above
    if target <= 0:
        raise InvalidParameterError(f"e_match_mev={em!r}: the HM table above it already holds "
                                    f"{above:.4f} >= Y={total} ν̄e/fission for {isotope}")
    cut = min(4.0 * e0, em)

    def deficit(c: float) -> float:
        m = LowEnergyModel(isotope, em, e0, s_m, slope, c, above, total)
        return _gl_integral(m, 0.0, cut) + _gl_integral(m, cut, em) - target

    lo, hi = -1.0, 1.0
    for _ in range(60):  # deficit(c) increases monotonically with c: expand the bracket
        if deficit(lo) < 0 < deficit(hi):
            break
        lo, hi = 2.0 * lo, 2.0 * hi
    else:  # pragma: no cover - unreachable for positive targets
        raise InvalidParameterError(f"no low-energy coefficient c reproduces Y={total} for "
                                    f"{isotope} with e_match_mev={em}, e_turn_on_mev={e0}")
    from scipy.optimize import brentq  # lazy: scipy.optimize is slow to import

    return float(brentq(deficit, lo, hi, xtol=1e-14, rtol=1e-13))


def isotope_spectrum_per_fission(isotope: str, enu_mev, *, e_match_mev: float = 2.0,
                                 e_turn_on_mev: float = 0.2) -> np.ndarray:
    """ν̄e spectrum S_k(E_nu) of one fissile isotope, in ν̄e per MeV per fission.

    HM table (log-linear between 50 keV nodes) for E_nu >= E_m up to 13 MeV, zero above;
    the yield-preserving low-energy model of :func:`low_energy_model` below E_m (an assumption:
    no measurement exists below 2 MeV). Sources in the module docstring.

    Parameters
    ----------
    isotope : str
        One of :data:`ISOTOPES`.
    enu_mev : array_like
        Antineutrino energies in MeV (>= 0).
    e_match_mev, e_turn_on_mev : float
        E_m and E0 of the low-energy model (MeV).

    Returns
    -------
    ndarray
        Same shape as ``enu_mev``.

    Examples
    --------
    >>> round(float(isotope_spectrum_per_fission("U235", 2.0)), 4)  # HM table node
    1.3166
    """
    model = low_energy_model(isotope, e_match_mev, e_turn_on_mev)
    enu = as_float_array(enu_mev, "enu_mev")
    if np.any(enu < 0):
        raise InvalidParameterError(f"enu_mev={float(enu[enu < 0].flat[0])!r} MeV is negative; "
                                    "energies must be >= 0")
    return _spectrum(model, enu)


def _spectrum(model: LowEnergyModel, enu: np.ndarray) -> np.ndarray:
    """S_k at validated energies (MeV)."""
    low = enu < model.e_match_mev
    out = np.empty_like(enu, dtype=float)
    out[low] = model(enu[low])
    out[~low] = _hm_log_interp(model.isotope, enu[~low])
    return out
