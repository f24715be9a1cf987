"""Photoabsorption cross sections sigma_gamma(E) of elements and compounds.

Sources (selectable, so that their spread becomes a systematic; docs/atomic_models.md):

* ``"henke"``: B.L. Henke, E.M. Gullikson & J.C. Davis, At. Data Nucl. Data Tables 54, 181
  (1993), as shipped by ``periodictable.xsf`` (atomic scattering factors f1, f2 on 10 eV-30 keV,
  measured near edges). sigma_a = 2 r_e lambda f2 (Henke et al. Eq. 5), lambda = hc/E.
  Between nodes log-log linear interpolation (the tabulation convention of Henke et al.).
* ``"elam"``: W.T. Elam, B.D. Ravel & J.R. Sieber, Radiat. Phys. Chem. 63, 121 (2002)
  (Scofield photoionization), via xraylib ``CSb_Photo`` (T. Schoonjans et al., Spectrochim.
  Acta B 66, 776 (2011)); 0.1 keV to 0.8-0.9 MeV depending on Z.
* ``"kissel"``: L. Kissel's RTAB partial photoionization cross sections via xraylib
  ``CSb_Photo_Total`` (a few eV to ~290 keV; used from 10 eV up).
* ``"composite"`` (default): Henke below ~20 keV blended into Elam above, with a smooth weight
  in ln E over a window that contains no absorption edge of the element (default window
  [29/1.5, 29] keV; moved below an edge that falls inside it). The blend is done in ln sigma.

All sources are tabulated once per element on nodes (their own nodes for Henke; 120 per decade
plus both sides of every absorption edge for xraylib) and interpolated log-log between nodes.
Values are per atom; a compound's sigma is the sum over its formula unit.

Validity: photon energies from 10 eV (no table is valid below: FFAST/Kissel-type atomic
calculations miss the solid-state valence response; the tables disagree by 20-40 % at
100-300 eV) to the upper end of the chosen table. Outside: :class:`OutOfRangeError` unless the
caller passes ``outside="zero"`` (an explicit cut, sigma = 0 there).

Examples
--------
>>> s = sigma_gamma_cm2("Ge", [1.0, 11.2])
>>> [f"{v:.3g}" for v in s]                            # Ge, cm^2 per atom
['2.26e-19', '2.4e-20']
"""

from __future__ import annotations

import functools
import math

import numpy as np
from hepunits import cm, keV

from .._validation import as_float_array, choice
from ..constants import ALPHA, CLASSICAL_ELECTRON_RADIUS, ELECTRON_MASS, HBARC, HC
from ..exceptions import OutOfRangeError

__all__ = [
    "SOURCES",
    "MIN_ENERGY_KEV",
    "TRK_CM2_KEV_PER_ELECTRON",
    "sigma_gamma_cm2",
    "sigma_gamma_element_cm2",
    "energy_range_kev",
    "integrated_sigma_gamma_cm2_kev",
    "trk_electrons",
    "edge_energies_kev",
]

#: Selectable photoabsorption sources (first = default).
SOURCES = ("composite", "henke", "elam", "kissel")
#: No photoabsorption table is used below this energy (keV).
MIN_ENERGY_KEV = 0.010
_OUTSIDE = ("raise", "zero")

# nuem.constants (CODATA 2018) in the keV/cm units of the tables.
_R_E_CM = CLASSICAL_ELECTRON_RADIUS / cm
_HC_KEV_CM = HC / (keV * cm)
_ALPHA = ALPHA
_ME_KEV = ELECTRON_MASS / keV
_HBARC_KEV_CM = HBARC / (keV * cm)
#: TRK sum rule per electron, int sigma_gamma dE = 2 pi^2 alpha (hbar c)^2 / m_e, in cm^2 keV
#: (Thomas-Reiche-Kuhn; e.g. Fano & Cooper, Rev. Mod. Phys. 40, 441 (1968), Eq. 2.21):
#: 1.0976e-19 cm^2 keV = 109.8 Mb eV.
TRK_CM2_KEV_PER_ELECTRON = 2.0 * math.pi**2 * _ALPHA * _HBARC_KEV_CM**2 / _ME_KEV

_NODES_PER_DECADE = 120
_EDGE_REL = 1e-6
_HENKE_HI_KEV = 30.0
_BLEND_HI_KEV = 29.0
_BLEND_RATIO = 1.5


def _xraylib():
    import xraylib  # lazy: ~20 ms

    return xraylib


def edge_energies_kev(z: int) -> np.ndarray:
    """Sorted absorption-edge (binding) energies of element ``z`` in keV (xraylib EdgeEnergy).

    Examples
    --------
    >>> [round(float(e), 4) for e in edge_energies_kev(32)[-4:]]   # Ge L3, L2, L1, K
    [1.2167, 1.2478, 1.4143, 11.1031]
    """
    from .shells import binding_energies_kev

    b = binding_energies_kev(z)
    return np.unique(b[b > 0])


def _probe_range(func, z: int, lo: float, hi: float) -> tuple[float, float]:
    """Smallest and largest energy (keV) at which xraylib ``func(z, E)`` returns, by bisection."""
    def ok(e):
        try:
            return func(z, float(e)) > 0
        except ValueError:
            return False

    grid = np.geomspace(lo, hi, 200)
    good = np.array([ok(e) for e in grid])
    if not good.any():
        raise OutOfRangeError(f"z={z}: xraylib {func.__name__} has no data in [{lo}, {hi}] keV")
    i0, i1 = int(np.argmax(good)), int(len(good) - 1 - np.argmax(good[::-1]))
    a, b = (grid[i0 - 1] if i0 > 0 else grid[0]), grid[i0]
    for _ in range(40):
        m = math.sqrt(a * b)
        a, b = (a, m) if ok(m) else (m, b)
    e_lo = b
    a, b = grid[i1], (grid[i1 + 1] if i1 + 1 < len(grid) else grid[-1])
    for _ in range(40):
        m = math.sqrt(a * b)
        a, b = (m, b) if ok(m) else (a, m)
    return float(e_lo * (1 + 1e-9)), float(a * (1 - 1e-9))


def _xraylib_nodes(z: int, func, e_lo: float, e_hi: float) -> tuple[np.ndarray, np.ndarray]:
    n = max(2, int(math.ceil(math.log10(e_hi / e_lo) * _NODES_PER_DECADE)) + 1)
    e = np.geomspace(e_lo, e_hi, n)
    edges = edge_energies_kev(z)
    edges = edges[(edges > e_lo * 1.004) & (edges < e_hi / 1.004)]
    extra = []
    for b0 in edges:  # the tables' own edge may sit up to ~0.1 % off EdgeEnergy: bisect the jump
        a, b = b0 * (1 - 3e-3), b0 * (1 + 3e-3)
        sa, sb = func(z, float(a)), func(z, float(b))
        if sa > 0 and sb > 1.02 * sa:
            mid_level = math.sqrt(sa * sb)
            for _ in range(40):
                m = math.sqrt(a * b)
                a, b = (a, m) if func(z, float(m)) > mid_level else (m, b)
        else:
            a, b = b0 * (1 - _EDGE_REL), b0 * (1 + _EDGE_REL)
        extra += [a, b]
    e = np.unique(np.concatenate([e, extra]))
    s = np.array([func(z, float(x)) for x in e]) * 1e-24  # barn -> cm^2
    keep = s > 0
    return e[keep], s[keep]


def _henke_nodes(z: int) -> tuple[np.ndarray, np.ndarray]:
    import periodictable

    table = periodictable.elements[z].xray.sftable
    if table is None:
        raise OutOfRangeError(f"z={z}: periodictable has no Henke table for this element")
    e, f2 = np.asarray(table[0], float), np.asarray(table[2], float)
    keep = np.isfinite(f2) & (f2 > 0) & (e >= MIN_ENERGY_KEV * (1 - 1e-9))
    e, f2 = e[keep], f2[keep]
    e, idx = np.unique(e, return_index=True)
    return e, 2.0 * _R_E_CM * (_HC_KEV_CM / e) * f2[idx]


def _loglog(e_nodes, s_nodes, e):
    return np.exp(np.interp(np.log(e), np.log(e_nodes), np.log(s_nodes)))


def _blend_window(z: int) -> tuple[float, float]:
    hi = _BLEND_HI_KEV
    edges = edge_energies_kev(z)
    inside = edges[(edges > hi / _BLEND_RATIO) & (edges <= _HENKE_HI_KEV)]
    if inside.size:
        hi = 0.98 * float(inside.min())
    lo = hi / _BLEND_RATIO
    below = edges[(edges > lo) & (edges < hi)]
    if below.size:
        lo = 1.02 * float(below.max())
    return lo, hi


@functools.cache
def _element_nodes(z: int, source: str) -> tuple[np.ndarray, np.ndarray]:
    """(E in keV, sigma in cm^2 per atom) nodes of one element and source (cached, read-only)."""
    xrl = _xraylib()
    if source == "henke":
        e, s = _henke_nodes(z)
    elif source == "elam":
        lo, hi = _probe_range(xrl.CSb_Photo, z, 0.05, 2000.0)
        e, s = _xraylib_nodes(z, xrl.CSb_Photo, max(lo, MIN_ENERGY_KEV), hi)
    elif source == "kissel":
        lo, hi = _probe_range(xrl.CSb_Photo_Total, z, 1e-4, 2000.0)
        e, s = _xraylib_nodes(z, xrl.CSb_Photo_Total, max(lo, MIN_ENERGY_KEV), hi)
    else:  # composite
        eh, sh = _element_nodes(z, "henke")
        ee, se = _element_nodes(z, "elam")
        lo, hi = _blend_window(z)
        e = np.unique(np.concatenate([eh[eh < hi], ee[ee > lo], np.geomspace(lo, hi, 25)]))
        w = np.clip(np.log(e / lo) / math.log(hi / lo), 0.0, 1.0)
        w = w * w * (3.0 - 2.0 * w)  # smoothstep: continuous value and slope in ln E
        with np.errstate(divide="ignore"):
            ls_h = np.where(e <= eh[-1], np.log(_loglog(eh, sh, np.minimum(e, eh[-1]))), 0.0)
            ls_e = np.where(e >= ee[0], np.log(_loglog(ee, se, np.maximum(e, ee[0]))), 0.0)
        s = np.exp((1.0 - w) * ls_h + w * ls_e)
    for a in (e, s):
        a.setflags(write=False)
    return e, s


def _check_source(source: str) -> str:
    return choice(source, "source", SOURCES)


def energy_range_kev(z: int, source: str = "composite") -> tuple[float, float]:
    """Energy range (keV) covered by ``source`` for element ``z`` (lower end >= 10 eV).

    Examples
    --------
    >>> energy_range_kev(32, "henke")
    (0.01, 30.0)
    """
    e, _ = _element_nodes(int(z), _check_source(source))
    return float(e[0]), float(e[-1])


def _check_outside(outside: str) -> str:
    return choice(outside, "outside", _OUTSIDE)


def sigma_gamma_element_cm2(z: int, e_kev, source: str = "composite", *,
                            outside: str = "raise") -> np.ndarray:
    """Photoabsorption cross section of one atom of element ``z`` in cm^2.

    Parameters
    ----------
    z : int
        Atomic number (1-92 for Henke; xraylib tables 1-99).
    e_kev : array_like
        Photon energies in keV (> 0).
    source : {"composite", "henke", "elam", "kissel"}
        Table (module docstring). Default composite Henke -> Elam.
    outside : {"raise", "zero"}
        Outside the table range (always below 10 eV): raise :class:`OutOfRangeError`, or
        return 0 (an explicit cut).

    Returns
    -------
    ndarray
        sigma_gamma in cm^2 per atom, same shape as ``e_kev``.

    Examples
    --------
    >>> f"{float(sigma_gamma_element_cm2(32, 11.2, 'elam')):.4g}"   # xraylib CSb_Photo(32, 11.2)
    '2.319e-20'
    """
    src = _check_source(source)
    _check_outside(outside)
    e = as_float_array(e_kev, "e_kev")
    en, sn = _element_nodes(int(z), src)
    bad = (e < en[0]) | (e > en[-1])
    if np.any(bad):
        if outside == "raise":
            v = float(e[bad].flat[0])
            raise OutOfRangeError(
                f"e_kev={v!r} keV is outside the range of the {src!r} photoabsorption table for "
                f"Z={z}: [{en[0]:g}, {en[-1]:g}] keV (no table is valid below 0.01 keV); pass "
                "outside='zero' to cut")
    out = _loglog(en, sn, np.clip(e, en[0], en[-1]))
    return np.where(bad, 0.0, out)[()]


def _elements_of(target):
    from ..targets import Target, get_target

    tgt = target if isinstance(target, Target) else get_target(target)
    return tgt, [(el.z, n) for el, n in tgt.elements]


def sigma_gamma_cm2(target, e_kev, source: str = "composite", *,
                    outside: str = "raise") -> np.ndarray:
    """Photoabsorption cross section of a target per formula unit (per atom for an element).

    sigma(formula) = sum_i n_i sigma_i (independent-atom approximation; solid-state effects
    near edges are only in the Henke data, which are measured on solids and gases).

    Parameters
    ----------
    target : str or Target
        Element or formula (``"Ge"``, ``"CsI"``), see :func:`nuem.targets.get_target`.
    e_kev : array_like
        Photon energies in keV.
    source, outside
        As :func:`sigma_gamma_element_cm2`.

    Returns
    -------
    ndarray
        cm^2 per formula unit.

    Examples
    --------
    >>> f"{float(sigma_gamma_cm2('CsI', 30.0, 'elam')):.3g}"
    '3.53e-21'
    """
    _, els = _elements_of(target)
    return sum(n * sigma_gamma_element_cm2(z, e_kev, source, outside=outside) for z, n in els)


# ------------------------------------------------------------------ tables for the models
@functools.cache
def _target_table(name: str, source: str):
    """Union-node table of a target: (E keV, sigma cm^2/formula unit, cumulative integral).

    The cumulative integral C(E_i) = int_{E_0}^{E_i} sigma dE (cm^2 keV) is exact for the
    log-log-linear interpolant (closed form per segment).
    """
    _, els = _elements_of(name)
    nodes = [_element_nodes(z, source) for z, _ in els]
    lo = max(n[0][0] for n in nodes)
    hi = min(n[0][-1] for n in nodes)
    e = np.unique(np.concatenate([n[0] for n in nodes]))
    e = e[(e >= lo) & (e <= hi)]
    s = sum(c * _loglog(en, sn, e) for (en, sn), (_, c) in zip(nodes, els, strict=True))
    cum = np.concatenate([[0.0], np.cumsum(_segment_integrals(e, s))])
    for a in (e, s, cum):
        a.setflags(write=False)
    return e, s, cum


def _segment_integrals(e, s):
    """int_a^b sigma dE for sigma log-log linear between (a, s_a) and (b, s_b)."""
    a, b, sa, sb = e[:-1], e[1:], s[:-1], s[1:]
    return _segment_pairs(a, b, sa, sb)


def integrated_sigma_gamma_cm2_kev(target, e_lo_kev: float, e_hi_kev: float,
                                   source: str = "composite") -> float:
    """int sigma_gamma dE over [e_lo_kev, e_hi_kev] in cm^2 keV per formula unit (exact for
    the log-log interpolant); both limits must lie in the table range.

    Examples
    --------
    >>> v = integrated_sigma_gamma_cm2_kev("Ge", 0.01, 30.0, "henke")
    >>> round(v / TRK_CM2_KEV_PER_ELECTRON, 1)     # effective electrons below 30 keV
    30.2
    """
    tgt, _ = _elements_of(target)
    e, s, cum = _target_table(tgt.name, _check_source(source))
    lo, hi = float(e_lo_kev), float(e_hi_kev)
    if not (e[0] <= lo <= hi <= e[-1]):
        raise OutOfRangeError(f"integration range [{lo}, {hi}] keV is outside the {source!r} "
                              f"table range [{e[0]:g}, {e[-1]:g}] keV (or reversed)")
    return float(_cumulative(e, s, cum, np.array(hi)) - _cumulative(e, s, cum, np.array(lo)))


def _cumulative(e, s, cum, x):
    """int_{E_0}^{x} sigma dE for x inside the table (vectorized, exact for the interpolant)."""
    x = np.asarray(x, dtype=float)
    j = np.clip(np.searchsorted(e, x, side="right") - 1, 0, e.size - 2)
    return (cum[j] + _segment_pairs(e[j], x, s[j], _loglog(e, s, x)))[()]


def _segment_pairs(a, b, sa, sb):
    """int_a^b sigma dE, sigma log-log linear from (a, sa) to (b, sb); sigma E ~ E^p."""
    a, b, sa, sb = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, b, sa, sb)))
    out = np.zeros(b.shape)
    ok = b > a
    if np.any(ok):
        r = np.log(b[ok] / a[ok])
        p = np.log(sb[ok] / sa[ok]) / r + 1.0
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            gen = sa[ok] * a[ok] * np.expm1(p * r) / p
        out[ok] = np.where(np.abs(p) < 1e-9, sa[ok] * a[ok] * r, gen)
    return out


def trk_electrons(target, source: str = "composite") -> float:
    """Number of electrons per formula unit seen by the TRK sum rule within the table range.

    N_eff = int_{E_lo}^{E_hi} sigma_gamma dE / (2 pi^2 alpha (hbar c)^2 / m_e)
    (Thomas-Reiche-Kuhn sum rule; should approach Z minus the oscillator strength below the
    table's 10 eV start, plus a few-% relativistic/retardation excess of the tables at high E).

    Examples
    --------
    >>> round(trk_electrons("Ge") / 32, 2)
    0.95
    """
    tgt, _ = _elements_of(target)
    e, _, cum = _target_table(tgt.name, _check_source(source))
    return float(cum[-1] / TRK_CM2_KEV_PER_ELECTRON)

