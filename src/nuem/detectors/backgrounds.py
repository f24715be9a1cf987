"""Reactor-independent backgrounds: continua (cpkkd) and electron-capture X-ray lines.

Public API (stable)
-------------------
* :class:`FlatContinuum` ``(level_cpkkd)``; :class:`ShapedContinuum` ``(e_kev, level_cpkkd)``
  (linear between points, error outside). ``.counts(edges_kev, exposure_kg_day)`` -> counts per
  bin in *observed* energy (a measured continuum already contains the resolution).
* :class:`Line` ``(label, energy_kev, rate_per_kg_day)``: any mono-energetic line.
* :data:`EC_ISOTOPES` and :func:`ec_lines` ``(isotope, k_rate_per_kg_day=None,
  decays_per_kg_day=None, l_to_k=None, m_to_l=None)`` -> tuple of :class:`Line` (K, L, M).
* :class:`BackgroundModel` ``(continua=(), lines=())`` with ``.counts(edges_kev,
  exposure_kg_day, resolution)`` -> counts per observed bin (lines smeared, continua not).

Units: cpkkd = counts/(kg keV day); line rates in counts/(kg day).

The same background model applies to reactor ON and OFF (it is reactor-independent and cancels
in ON - OFF after exposure scaling). The SM nu-e and coherent nu-N rates are reactor-ON only and
do not cancel: they are irreducible backgrounds to mu_nu/delta_Q (H.T. Wong et al. (TEXONO),
PRD 75, 012001 (2007)).

Electron-capture lines
----------------------
An EC decay inside the crystal deposits the full binding energy of the captured shell of the
*daughter* atom (X-rays and Auger electrons are absorbed), so the line energies are the daughter's
K, L1 and M1 edge energies, taken from xraylib ``EdgeEnergy`` (Schoonjans et al., Spectrochim.
Acta B 66, 776 (2011)): 68Ge/71Ge -> Ga K 10.367, L1 1.298, M1 0.158 keV; 65Zn -> Cu K 8.979;
55Fe -> Mn K 6.539; 68Ga -> Zn K 9.659; 73As -> Ge K 11.103 keV; 49V -> Ti K 4.966; 54Mn -> Cr
K 5.989; 57Co -> Fe K 7.112 keV. Other edge tables quote L1 1.299 and M1 0.160 keV for Ga (the
difference, 1-2 eV, is far below any Ge resolution).

Capture ratios P_L/P_K and P_M/P_L: ENSDF calculated atomic-shell EC fractions (the
"calculated" CK, CL, CM+ of the ENSDF decay data sets, as distributed in JSON by A.M. Hurst,
pace_ensdf, paceENSDF/ENSDF_JSON/j_input_<parent>_<daughter>_*.json, commit 0c9354c), where
CM+ is M plus all outer shells (the N-shell part deposits only a few eV):

======  ==============================  =======  =======
parent  CK / CL / CM+                   L/K      M/L
======  ==============================  =======  =======
68Ge    0.8645 / 0.1143 / 0.02118       0.1322   0.1853
71Ge    0.8759 / 0.1049 / 0.0192        0.1198   0.1830
65Zn    EC-weighted over its two        0.1132   0.1753
        branches (50.04 % to 1115 keV:
        0.8797/0.1023/0.018; 48.54 % to
        g.s.: 0.8605/0.09458/0.01652)
55Fe    0.885 / 0.0974 / 0.0161 (M)     0.1101   0.1653
68Ga    0.08167 / 0.009017 / 0.001604   0.1104   0.1779
        (per decay; EC 8.9 %)
73As    0.8754 / 0.1048 / 0.019793      0.1197   0.1889
49V     0.8924 / 0.09179 / 0.01583      0.1029   0.1725
======  ==============================  =======  =======

68Ge has the larger L/K because of its smaller Q value (106.9 vs 232.5 keV for 71Ge: the ratio
scales with (Q - B_L)^2/(Q - B_K)^2). A single rounded "L/K ~ 0.117, M/L ~ 0.16" for both Ge
isotopes, used before, is replaced by the ENSDF values (68Ge +13 %, 71Ge +2.4 % in L/K). 54Mn and
57Co have no built-in ratios: only the K line is produced unless ``l_to_k``/``m_to_l`` are
given. Every preset may override the ratios.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, positive_scalar
from ..exceptions import InvalidParameterError, OutOfRangeError, UnknownNameError
from .response import Resolution, check_edges, line_counts

__all__ = ["FlatContinuum", "ShapedContinuum", "Line", "ECIsotope", "EC_ISOTOPES", "ec_lines",
           "normalize_isotope", "BackgroundModel"]


@dataclass(frozen=True)
class FlatContinuum:
    """A flat continuum of ``level_cpkkd`` counts/(kg keV day) at all energies.

    Examples
    --------
    >>> FlatContinuum(1.0).counts([12.0, 13.0, 15.0], 100.0).tolist()
    [100.0, 200.0]
    """

    level_cpkkd: float

    def __post_init__(self):
        positive_scalar(self.level_cpkkd, "level_cpkkd", "cpkkd", allow_zero=True)

    def counts(self, edges_kev, exposure_kg_day: float) -> np.ndarray:
        e = check_edges(edges_kev)
        x = positive_scalar(exposure_kg_day, "exposure_kg_day", "kg day", allow_zero=True)
        return self.level_cpkkd * np.diff(e) * x


class ShapedContinuum:
    """A continuum given at energies (keV) in cpkkd, linear in between; error outside.

    Examples
    --------
    >>> s = ShapedContinuum([10.0, 20.0], [2.0, 0.0])
    >>> s.counts([10.0, 15.0, 20.0], 1.0).tolist()
    [7.5, 2.5]
    """

    def __init__(self, e_kev, level_cpkkd):
        self.e_kev = check_edges(e_kev, "e_kev")
        self.level_cpkkd = as_float_array(level_cpkkd, "level_cpkkd")
        if self.level_cpkkd.shape != self.e_kev.shape:
            raise InvalidParameterError("level_cpkkd must have the length of e_kev")
        if np.any(self.level_cpkkd < 0):
            raise InvalidParameterError("level_cpkkd must be >= 0")
        e, y = self.e_kev, self.level_cpkkd
        self._cum = np.concatenate([[0.0], np.cumsum(0.5 * np.diff(e) * (y[1:] + y[:-1]))])

    def _integral(self, x: np.ndarray) -> np.ndarray:
        e, y = self.e_kev, self.level_cpkkd
        j = np.clip(np.searchsorted(e, x, side="right") - 1, 0, e.size - 2)
        yx = np.interp(x, e, y)
        return self._cum[j] + 0.5 * (x - e[j]) * (y[j] + yx)

    def counts(self, edges_kev, exposure_kg_day: float) -> np.ndarray:
        edges = check_edges(edges_kev)
        x = positive_scalar(exposure_kg_day, "exposure_kg_day", "kg day", allow_zero=True)
        lo, hi = self.e_kev[0], self.e_kev[-1]
        if edges[0] < lo * (1 - 1e-12) or edges[-1] > hi * (1 + 1e-12):
            raise OutOfRangeError(f"bins {edges[0]:g}-{edges[-1]:g} keV extend outside the shaped "
                                  f"background table [{lo:g}, {hi:g}] keV")
        return np.diff(self._integral(np.clip(edges, lo, hi))) * x


@dataclass(frozen=True)
class Line:
    """A mono-energetic line: ``rate_per_kg_day`` counts/(kg day) at ``energy_kev``."""

    label: str
    energy_kev: float
    rate_per_kg_day: float

    def __post_init__(self):
        positive_scalar(self.energy_kev, "energy_kev", "keV")
        positive_scalar(self.rate_per_kg_day, "rate_per_kg_day", "counts/(kg day)",
                        allow_zero=True)


@dataclass(frozen=True)
class ECIsotope:
    """An electron-capture isotope: daughter element and (optional) capture ratios."""

    name: str
    daughter_z: int
    l_to_k: float | None = None
    m_to_l: float | None = None
    ratio_source: str = ""


def _ensdf(name: str, daughter_z: int, *branches: tuple[float, float, float, float]):
    """ECIsotope from ENSDF calculated shell fractions (module docstring table).

    ``branches``: (EC branch weight, CK, CL, CM+) per EC branch; the ratios are the
    branch-weighted sums, L/K = sum w CL / sum w CK and M/L = sum w CM / sum w CL.
    """
    k = sum(w * ck for w, ck, _, _ in branches)
    lsh = sum(w * cl for w, _, cl, _ in branches)
    m = sum(w * cm for w, _, _, cm in branches)
    text = "; ".join(f"branch {w:g}: CK {ck:g}, CL {cl:g}, CM+ {cm:g}"
                     for w, ck, cl, cm in branches)
    return ECIsotope(name, daughter_z, lsh / k, m / lsh,
                     "ENSDF calculated EC shell fractions (pace_ensdf JSON, commit 0c9354c): "
                     + text)


#: Cosmogenic / calibration EC isotopes known by name (keys normalised like ``"Ge68"``);
#: capture ratios from the module docstring's ENSDF table.
EC_ISOTOPES: dict[str, ECIsotope] = {
    "Ge68": _ensdf("Ge68", 31, (1.0, 0.8645, 0.1143, 0.02118)),
    "Ge71": _ensdf("Ge71", 31, (1.0, 0.8759, 0.1049, 0.0192)),
    "Zn65": _ensdf("Zn65", 29, (0.5004, 0.8797, 0.1023, 0.018),
                   (0.4854, 0.8605, 0.09458, 0.01652)),
    "Fe55": _ensdf("Fe55", 25, (1.0, 0.885, 0.0974, 0.0161)),
    "Ga68": _ensdf("Ga68", 30, (1.0, 0.08167, 0.009017, 0.001604)),
    "As73": _ensdf("As73", 32, (1.0, 0.8754, 0.1048, 0.019793)),
    "V49": _ensdf("V49", 22, (1.0, 0.8924, 0.09179, 0.01583)),
    "Mn54": ECIsotope("Mn54", 24),
    "Co57": ECIsotope("Co57", 26),
}

_ISO_RE = re.compile(r"^\s*(?:([A-Za-z]{1,2})[-\s]?(\d{1,3})|(\d{1,3})[-\s]?([A-Za-z]{1,2}))\s*$")


def normalize_isotope(name: str) -> str:
    """``"68Ge"``, ``"Ge-68"``, ``"ge68"`` -> ``"Ge68"``; unknown isotopes raise.

    Examples
    --------
    >>> normalize_isotope("68Ge")
    'Ge68'
    """
    m = _ISO_RE.match(str(name))
    key = None
    if m:
        sym, a = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        key = f"{sym.capitalize()}{int(a)}"
    if key not in EC_ISOTOPES:
        raise UnknownNameError(f"isotope={name!r} is not a known electron-capture isotope; "
                               f"known: {', '.join(EC_ISOTOPES)}")
    return key


@functools.cache
def _edges_kev(z: int) -> tuple[float, float, float]:
    import xraylib

    return tuple(float(xraylib.EdgeEnergy(z, s))
                 for s in (xraylib.K_SHELL, xraylib.L1_SHELL, xraylib.M1_SHELL))


def ec_lines(isotope: str, *, k_rate_per_kg_day: float | None = None,
             decays_per_kg_day: float | None = None, l_to_k: float | None = None,
             m_to_l: float | None = None) -> tuple[Line, ...]:
    """K, L and M lines of an EC isotope from its K-line rate or its EC decay rate.

    Exactly one of ``k_rate_per_kg_day`` (counts/(kg day) in the K line) and
    ``decays_per_kg_day`` (EC decays/(kg day), split K : L : M = 1 : L/K : L/K x M/L) is given.

    Examples
    --------
    >>> [(l.label, round(l.energy_kev, 3), round(l.rate_per_kg_day, 3))
    ...  for l in ec_lines("68Ge", k_rate_per_kg_day=10.0)]
    [('Ge68 K', 10.367, 10.0), ('Ge68 L1', 1.298, 1.322), ('Ge68 M1', 0.158, 0.245)]
    """
    iso = EC_ISOTOPES[normalize_isotope(isotope)]
    lk = iso.l_to_k if l_to_k is None else positive_scalar(l_to_k, "l_to_k", allow_zero=True)
    ml = iso.m_to_l if m_to_l is None else positive_scalar(m_to_l, "m_to_l", allow_zero=True)
    if (k_rate_per_kg_day is None) == (decays_per_kg_day is None):
        raise InvalidParameterError(f"{iso.name}: give exactly one of k_rate_per_kg_day and "
                                    "decays_per_kg_day")
    lk_, ml_ = (lk or 0.0), (ml or 0.0)
    if k_rate_per_kg_day is not None:
        k = positive_scalar(k_rate_per_kg_day, "k_rate_per_kg_day", "counts/(kg day)",
                            allow_zero=True)
    else:
        d = positive_scalar(decays_per_kg_day, "decays_per_kg_day", "1/(kg day)",
                            allow_zero=True)
        k = d / (1.0 + lk_ + lk_ * ml_)
    ek, el, em = _edges_kev(iso.daughter_z)
    out = [Line(f"{iso.name} K", ek, k)]
    if lk_ > 0:
        out.append(Line(f"{iso.name} L1", el, k * lk_))
        if ml_ > 0:
            out.append(Line(f"{iso.name} M1", em, k * lk_ * ml_))
    return tuple(out)


@dataclass(frozen=True)
class BackgroundModel:
    """Continua plus lines; identical for reactor ON and OFF.

    Examples
    --------
    >>> bg = BackgroundModel(continua=(FlatContinuum(1.0),),
    ...                      lines=ec_lines("Ge68", k_rate_per_kg_day=0.0))
    >>> bg.counts([12.0, 14.0], 10.0, Resolution(0.3)).tolist()
    [20.0]
    """

    continua: tuple = ()
    lines: tuple[Line, ...] = ()

    def continuum_counts(self, edges_kev, exposure_kg_day: float) -> np.ndarray:
        edges = check_edges(edges_kev)
        out = np.zeros(edges.size - 1)
        for c in self.continua:
            out += c.counts(edges, exposure_kg_day)
        return out

    def line_counts(self, edges_kev, exposure_kg_day: float,
                    resolution: Resolution) -> np.ndarray:
        edges = check_edges(edges_kev)
        x = positive_scalar(exposure_kg_day, "exposure_kg_day", "kg day", allow_zero=True)
        out = np.zeros(edges.size - 1)
        for ln in self.lines:
            out += line_counts(ln.energy_kev, ln.rate_per_kg_day * x, edges, resolution).counts
        return out

    def counts(self, edges_kev, exposure_kg_day: float, resolution: Resolution) -> np.ndarray:
        """Counts per observed bin for an exposure (kg day): continua + smeared lines."""
        return (self.continuum_counts(edges_kev, exposure_kg_day)
                + self.line_counts(edges_kev, exposure_kg_day, resolution))

    def to_dict(self) -> dict:
        conts = []
        for c in self.continua:
            if isinstance(c, FlatContinuum):
                conts.append({"kind": "flat", "level_cpkkd": c.level_cpkkd})
            else:
                conts.append({"kind": "shaped", "e_kev": c.e_kev.tolist(),
                              "level_cpkkd": c.level_cpkkd.tolist()})
        return {"continua": conts,
                "lines": [{"label": ln.label, "energy_kev": ln.energy_kev,
                           "rate_per_kg_day": ln.rate_per_kg_day} for ln in self.lines],
                "line_energies_source": "xraylib EdgeEnergy of the daughter (K, L1, M1)"}
