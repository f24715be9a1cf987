"""Nuclear-recoil quenching: from nuclear-recoil energy (keVnr) to electron-equivalent (keVee).

Public API (stable)
-------------------
* :func:`lindhard_k` ``(z, a)`` -> k = 0.133 Z^(2/3) A^(-1/2) (defined in :mod:`nuem.materials`).
* :class:`LindhardQuenching` ``(k=0.157, z=32)`` (germanium defaults) and
  :class:`TabulatedQuenching`
  ``(e_nr_kev, quenching_factor)``; both provide

  - ``quenching_factor(e_nr_kev)`` -> Y = E_ee / E_nr (dimensionless),
  - ``ee_from_nr(e_nr_kev)`` -> E_ee in keVee,
  - ``nr_from_ee(e_ee_kev)`` -> E_nr in keVnr (inverse; E_ee(E_nr) is strictly increasing),
  - ``dee_dnr(e_nr_kev)`` -> Jacobian dE_ee/dE_nr,
  - ``quench_spectrum(e_nr_kev, rate_per_kev_nr)`` -> (e_ee_kev, rate_per_kev_ee) with
    dR/dE_ee = dR/dE_nr / (dE_ee/dE_nr), which conserves counts.

  Binned counts need no Jacobian: the counts in the keVee bin [a, b] are the counts in the
  keVnr bin [nr_from_ee(a), nr_from_ee(b)] (exact, used by :mod:`nuem.detectors.folding`).
* :data:`QUENCHING_MODELS` -- the registry (``lindhard``, ``tabulated``) the experiment schema,
  CLI and docs read; an experiment without a quenching table uses the target material's default
  (:attr:`nuem.materials.Material.quenching`).

Physics
-------
Lindhard model (J. Lindhard et al., Mat. Fys. Medd. Dan. Vid. Selsk. 33, no. 10 (1963)), in the
analytic form used by J.D. Lewin & P.F. Smith, Astropart. Phys. 6, 87 (1996), Sec. 6::

    Y(E_nr) = k g(eps) / (1 + k g(eps)),   g = 3 eps^0.15 + 0.7 eps^0.6 + eps,
    eps = 11.5 Z^(-7/3) E_nr[keV],          k = 0.133 Z^(2/3) A^(-1/2)

Germanium (Z = 32, A = 72.63): k = 0.157. k is a parameter: CONUS
measured k = 0.162 +- 0.004 (A. Bonhomme et al., EPJC 82, 815 (2022)); B.J. Scholz et al.,
PRD 94, 122003 (2016) found 0.179 for sub-keV recoils. The model is a theory for eps >~ 0.01
(E_nr >~ 3 keVnr in Ge); below, it is an extrapolation that experiments test, which is why a
tabulated alternative exists. With k = 0.157, Y(1 keVnr) = 0.171 and Y(10 keVnr) = 0.234.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from .._validation import as_float_array, interp_in_range, positive, positive_scalar
from ..exceptions import InvalidParameterError, OutOfRangeError
from ..materials import lindhard_k
from ..specs import Cited, Registry, Variant, number, numbers
from ..specs.fields import same_length

__all__ = ["K_LINDHARD_GE", "lindhard_k", "LindhardQuenching", "TabulatedQuenching",
           "QUENCHING_MODELS"]

#: Lindhard k for germanium, 0.133 Z^(2/3) A^(-1/2) = 0.157 to three digits (the default of
#: :class:`LindhardQuenching`; experiments use the unrounded value of :mod:`nuem.materials`).
K_LINDHARD_GE: float = 0.157

_INV_GRID = np.geomspace(1e-5, 1e5, 4001)  # keVnr, for the numerical inverse


class _QuenchingBase:
    """Shared inverse, Jacobian and spectrum mapping for E_ee = Y(E_nr) E_nr."""

    def quenching_factor(self, e_nr_kev) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def ee_from_nr(self, e_nr_kev) -> np.ndarray:
        """Electron-equivalent energy E_ee = Y(E_nr) E_nr in keVee."""
        e = positive(e_nr_kev, "e_nr_kev", "keVnr", allow_zero=True)
        return self.quenching_factor(e) * e

    def dee_dnr(self, e_nr_kev) -> np.ndarray:
        """Jacobian dE_ee/dE_nr (central difference, relative step 1e-5)."""
        e = positive(e_nr_kev, "e_nr_kev", "keVnr")
        h = 1e-5 * e
        return (self.ee_from_nr(e + h) - self.ee_from_nr(e - h)) / (2.0 * h)

    def _grid(self) -> np.ndarray:
        return _INV_GRID

    def nr_from_ee(self, e_ee_kev) -> np.ndarray:
        """Inverse map: nuclear-recoil energy (keVnr) that gives ``e_ee_kev`` (keVee)."""
        y = positive(e_ee_kev, "e_ee_kev", "keVee", allow_zero=True)
        grid = self._grid()
        ee = self.ee_from_nr(grid)
        pos = y > 0
        if np.any(y[pos] < ee[0]) or np.any(y > ee[-1]):
            bad = y[(pos & (y < ee[0])) | (y > ee[-1])]
            raise OutOfRangeError(f"e_ee_kev={float(bad.flat[0])!r} keVee is outside the range "
                                  f"[{ee[0]:.4g}, {ee[-1]:.4g}] keVee of the quenching model")
        out = np.zeros_like(y)
        x = np.exp(np.interp(np.log(y[pos]), np.log(ee), np.log(grid)))
        for _ in range(3):  # Newton polish on E_ee(x) = y
            x = np.clip(x - (self.ee_from_nr(x) - y[pos]) / self.dee_dnr(x), grid[0], grid[-1])
        out[pos] = x
        return out

    def quench_spectrum(self, e_nr_kev, rate_per_kev_nr):
        """Map a differential spectrum in keVnr to keVee: returns (e_ee_kev, rate_per_kev_ee).

        Examples
        --------
        >>> q = LindhardQuenching()
        >>> e, r = q.quench_spectrum([1.0, 2.0], [1.0, 1.0])
        >>> bool(r[0] > 1.0)   # dE_ee/dE_nr < 1 concentrates counts
        True
        """
        e = positive(e_nr_kev, "e_nr_kev", "keVnr")
        r = as_float_array(rate_per_kev_nr, "rate_per_kev_nr")
        if r.shape != e.shape:
            raise InvalidParameterError("rate_per_kev_nr must have the shape of e_nr_kev")
        return self.ee_from_nr(e), r / self.dee_dnr(e)


@dataclass(frozen=True)
class LindhardQuenching(_QuenchingBase):
    """Lindhard quenching Y(E_nr) with parameter k and nuclear charge z (module docstring).

    Examples
    --------
    >>> q = LindhardQuenching(k=0.157, z=32)
    >>> round(float(q.quenching_factor(1.0)), 3)
    0.171
    >>> round(float(q.nr_from_ee(q.ee_from_nr(5.0))), 9)
    5.0
    """

    name: ClassVar[str] = "lindhard"
    k: float = K_LINDHARD_GE
    z: float = 32

    def __post_init__(self):
        positive_scalar(self.k, "k")
        positive_scalar(self.z, "z")

    def quenching_factor(self, e_nr_kev) -> np.ndarray:
        """Y = E_ee / E_nr at ``e_nr_kev`` (keVnr, >= 0); Y(0) = 0."""
        e = positive(e_nr_kev, "e_nr_kev", "keVnr", allow_zero=True)
        eps = 11.5 * self.z ** (-7.0 / 3.0) * e
        g = 3.0 * eps ** 0.15 + 0.7 * eps ** 0.6 + eps
        return self.k * g / (1.0 + self.k * g)

    def to_dict(self) -> dict:
        return {"model": "lindhard", "k": self.k, "z": self.z,
                "source": "Lindhard et al. 1963; form of Lewin & Smith 1996 Sec. 6"}


class TabulatedQuenching(_QuenchingBase):
    """Quenching factor tabulated against E_nr (keVnr), linear interpolation; error outside.

    ``E_ee = Y E_nr`` must be strictly increasing over the table (checked).

    Examples
    --------
    >>> q = TabulatedQuenching([0.5, 1.0, 5.0], [0.15, 0.17, 0.21])
    >>> round(float(q.quenching_factor(3.0)), 3)
    0.19
    """

    name: ClassVar[str] = "tabulated"

    def __init__(self, e_nr_kev, quenching_factor):
        e = as_float_array(e_nr_kev, "e_nr_kev")
        y = as_float_array(quenching_factor, "quenching_factor")
        if e.ndim != 1 or e.size < 2 or y.shape != e.shape:
            raise InvalidParameterError("e_nr_kev and quenching_factor must be 1-d arrays of the "
                                        "same length >= 2")
        if e[0] <= 0 or np.any(np.diff(e) <= 0):
            raise InvalidParameterError("e_nr_kev must be > 0 and strictly increasing")
        if np.any((y <= 0) | (y > 1)):
            raise InvalidParameterError("quenching_factor values must lie in (0, 1]")
        if np.any(np.diff(e * y) <= 0):
            raise InvalidParameterError("E_ee = quenching_factor * e_nr_kev must be strictly "
                                        "increasing over the table")
        self.e_nr_kev, self.values = e, y
        e.setflags(write=False)
        y.setflags(write=False)
        self._inv = np.geomspace(e[0], e[-1], 2001)
        self._inv[0], self._inv[-1] = e[0], e[-1]

    def _grid(self) -> np.ndarray:
        return self._inv

    def quenching_factor(self, e_nr_kev) -> np.ndarray:
        return interp_in_range(e_nr_kev, self.e_nr_kev, self.values, "e_nr_kev", "keVnr",
                               "quenching", rtol=1e-9)

    def dee_dnr(self, e_nr_kev) -> np.ndarray:
        e = positive(e_nr_kev, "e_nr_kev", "keVnr")
        lo, hi = self.e_nr_kev[0], self.e_nr_kev[-1]
        h = 1e-6 * e
        a, b = np.clip(e - h, lo, hi), np.clip(e + h, lo, hi)
        return (self.ee_from_nr(b) - self.ee_from_nr(a)) / (b - a)

    def to_dict(self) -> dict:
        return {"model": "tabulated", "e_nr_kev": self.e_nr_kev.tolist(),
                "quenching_factor": self.values.tolist()}


# ------------------------------------------------------------------------------- registry
#: Registry of quenching models (key ``model``). ``build(values, context)``: ``context`` has
#: ``material`` (:class:`nuem.materials.Material`) and ``default(field, cited)`` (records the
#: citation of a material default), as for the resolution models.
QUENCHING_MODELS = Registry("quenching model", key="model")


def _build_lindhard(values: dict, context) -> LindhardQuenching:
    q = context["material"].quenching
    k = values["k"] if "k" in values else context["default"]("k", q.k)
    z = values["z"] if "z" in values else context["default"]("z", _z_cited(q))
    return LindhardQuenching(k, z)


def _z_cited(q) -> Cited:
    return Cited(q.z, f"atomic number of {q.element}, the element of the target with the "
                      "largest mass fraction")


QUENCHING_MODELS.register(Variant(
    "lindhard", (number("k", "", lo=0, lo_open=True, help="default: the target material's"),
                 number("z", "", lo=0, lo_open=True,
                        help="nuclear charge; default: the target material's")),
    _build_lindhard, help="Y = k g / (1 + k g), Lewin & Smith 1996 Sec. 6",
    citation="J. Lindhard et al., Mat. Fys. Medd. Dan. Vid. Selsk. 33, no. 10 (1963)"))
QUENCHING_MODELS.register(Variant(
    "tabulated", (numbers("e_nr_kev", "keV", True, help="nuclear-recoil energies"),
                  numbers("quenching_factor", "", True, help="Y = E_ee / E_nr in (0, 1]")),
    lambda v, ctx: TabulatedQuenching(v["e_nr_kev"], v["quenching_factor"]),
    help="linear interpolation in E_nr; error outside the table",
    check=same_length("e_nr_kev", "quenching_factor", "energies e_nr_kev")))
