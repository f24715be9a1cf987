"""Detection efficiency curves eff(E) in [0, 1] and their registry.

Public API (stable)
-------------------
* :class:`StepEfficiency` ``(threshold_kev, plateau=1.0)`` -- model ``"step"``;
* :class:`ErfEfficiency` ``(threshold_kev, width_kev, plateau=1.0)`` -- model ``"erf"``;
* :class:`TabulatedEfficiency` ``(e_kev, efficiency)`` -- model ``"tabulated"``;
* :func:`bin_averaged_efficiency` ``(eff, edges_kev)`` -- the mean of a curve over bins;
* :data:`EFFICIENCY_MODELS` -- the registry the experiment schema, CLI and docs read.

All curves are callables ``eff(e_kev) -> ndarray`` (E in keV, observed energy).

Examples
--------
>>> StepEfficiency(12.0)([11.9, 12.0]).tolist()
[0.0, 1.0]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy.special import erf, erfc

from .._validation import as_float_array, interp_in_range, positive_scalar
from ..exceptions import InvalidParameterError
from ..specs import Registry, Variant, number, numbers
from ..specs.fields import same_length
from .edges import check_edges

__all__ = ["StepEfficiency", "ErfEfficiency", "TabulatedEfficiency", "bin_averaged_efficiency",
           "EFFICIENCY_MODELS"]

_SQRT2 = math.sqrt(2.0)


def _check_plateau(p: float) -> None:
    x = positive_scalar(p, "plateau", allow_zero=True)
    if x > 1.0:
        raise InvalidParameterError(f"plateau={x!r} must lie in [0, 1]")


@dataclass(frozen=True)
class StepEfficiency:
    """eff(E) = plateau for E >= threshold_kev, else 0.

    Examples
    --------
    >>> StepEfficiency(12.0)([11.9, 12.0]).tolist()
    [0.0, 1.0]
    """

    name: ClassVar[str] = "step"
    threshold_kev: float
    plateau: float = 1.0

    def __post_init__(self):
        positive_scalar(self.threshold_kev, "threshold_kev", "keV", allow_zero=True)
        _check_plateau(self.plateau)

    def __call__(self, e_kev) -> np.ndarray:
        e = as_float_array(e_kev, "e_kev")
        return np.where(e >= self.threshold_kev, self.plateau, 0.0)

    def bin_mean(self, edges_kev) -> np.ndarray:
        """Exact mean over each bin: plateau x the fraction of the bin above the threshold."""
        e = check_edges(edges_kev)
        above = np.clip(e[1:] - np.maximum(e[:-1], self.threshold_kev), 0.0, None)
        return self.plateau * above / np.diff(e)


@dataclass(frozen=True)
class ErfEfficiency:
    """eff(E) = plateau/2 [1 + erf((E - threshold_kev) / (sqrt(2) width_kev))].

    ``threshold_kev`` is the 50 % point and ``width_kev`` the Gaussian width of the trigger
    turn-on (the usual form of a discriminator threshold smeared by noise).

    Examples
    --------
    >>> float(ErfEfficiency(0.22, 0.03)(0.22))
    0.5
    """

    name: ClassVar[str] = "erf"
    threshold_kev: float
    width_kev: float
    plateau: float = 1.0

    def __post_init__(self):
        positive_scalar(self.threshold_kev, "threshold_kev", "keV", allow_zero=True)
        positive_scalar(self.width_kev, "width_kev", "keV")
        _check_plateau(self.plateau)

    def __call__(self, e_kev) -> np.ndarray:
        e = as_float_array(e_kev, "e_kev")
        return 0.5 * self.plateau * (1.0 + erf((e - self.threshold_kev)
                                              / (_SQRT2 * self.width_kev)))

    def bin_mean(self, edges_kev) -> np.ndarray:
        """Exact mean over each bin: mean = plateau/2 [G(u1) - G(u0)] / (u1 - u0),
        u = (E - threshold)/(sqrt(2) width), with G the antiderivative of 1 + erf(u) = erfc(-u),
        G(u) = i erfc(-u) = u erfc(-u) + exp(-u^2)/sqrt(pi), the first repeated integral of
        erfc (NIST DLMF Sec. 7.18; Abramowitz & Stegun Sec. 7.2). Written with erfc, both terms
        vanish far below threshold without cancellation."""
        e = check_edges(edges_kev)
        u = (e - self.threshold_kev) / (_SQRT2 * self.width_kev)
        g = u * erfc(-u) + np.exp(-u * u) / math.sqrt(math.pi)
        return 0.5 * self.plateau * np.diff(g) / np.diff(u)


class TabulatedEfficiency:
    """Efficiency given at energies, linearly interpolated; outside the table is an error.

    Parameters
    ----------
    e_kev : array_like
        Strictly increasing energies in keV.
    efficiency : array_like
        Values in [0, 1].

    Examples
    --------
    >>> eff = TabulatedEfficiency([0.2, 0.5, 1.0], [0.0, 0.8, 1.0])
    >>> round(float(eff(0.35)), 12)
    0.4
    """

    name: ClassVar[str] = "tabulated"

    def __init__(self, e_kev, efficiency):
        self.e_kev = check_edges(e_kev, "efficiency e_kev")
        self.efficiency = as_float_array(efficiency, "efficiency")
        if self.efficiency.shape != self.e_kev.shape:
            raise InvalidParameterError("efficiency and e_kev must have the same length")
        if np.any((self.efficiency < 0) | (self.efficiency > 1)):
            raise InvalidParameterError("efficiency values must lie in [0, 1]")
        self.e_kev.setflags(write=False)
        self.efficiency.setflags(write=False)

    def __call__(self, e_kev) -> np.ndarray:
        return interp_in_range(e_kev, self.e_kev, self.efficiency, "e_kev", "keV", "efficiency")

    def bin_mean(self, edges_kev) -> np.ndarray:
        """Exact mean over each bin of the linear interpolation (its integral is piecewise
        quadratic); bins outside the table are an error, as for the curve itself."""
        e = check_edges(edges_kev)
        self(e[[0, -1]])                       # range check, naming the offending energy
        k, y = self.e_kev, self.efficiency
        cum = np.concatenate([[0.0], np.cumsum(0.5 * (y[1:] + y[:-1]) * np.diff(k))])
        i = np.clip(np.searchsorted(k, e, side="right") - 1, 0, k.size - 2)
        dx = e - k[i]
        slope = (y[i + 1] - y[i]) / (k[i + 1] - k[i])
        area = cum[i] + y[i] * dx + 0.5 * slope * dx * dx      # integral from k[0] to e
        return np.diff(area) / np.diff(e)

    def __repr__(self) -> str:
        return f"TabulatedEfficiency({self.e_kev.size} points, {self.e_kev[0]:g}-" \
               f"{self.e_kev[-1]:g} keV)"


def bin_averaged_efficiency(eff, edges_kev, *, n_nodes: int = 8) -> np.ndarray:
    """Mean of ``eff`` over each bin: exact for the built-in curves (their ``bin_mean``: a step
    or a sharp erf turn-on inside a bin, a kink of a table); any other callable by
    Gauss-Legendre quadrature with ``n_nodes`` points per bin (exact for polynomials of degree
    2 n_nodes - 1; a discontinuity inside a bin is averaged only to within 0.092 of its jump at
    8 points).

    Examples
    --------
    >>> bin_averaged_efficiency(StepEfficiency(12.5), [10.0, 12.0, 14.0]).tolist()
    [0.0, 0.75]
    """
    mean = getattr(eff, "bin_mean", None)
    if mean is not None:
        return np.asarray(mean(edges_kev), dtype=float)
    e = check_edges(edges_kev)
    x, w = np.polynomial.legendre.leggauss(n_nodes)
    mid, half = 0.5 * (e[1:] + e[:-1]), 0.5 * np.diff(e)
    pts = mid[:, None] + half[:, None] * x[None, :]
    return (np.asarray(eff(pts), dtype=float) * w[None, :]).sum(axis=1) / 2.0


# ------------------------------------------------------------------------------- registry
#: Registry of efficiency models (key ``model``); ``build(values, context)`` ignores context.
EFFICIENCY_MODELS = Registry("efficiency model", key="model")


_PLATEAU = number("plateau", "", lo=0, hi=1, help="efficiency far above threshold")
EFFICIENCY_MODELS.register(Variant(
    "step", (number("threshold_kev", "keV", True, lo=0), _PLATEAU),
    lambda v, ctx: StepEfficiency(v["threshold_kev"], v.get("plateau", 1.0)),
    help="plateau above threshold_kev, 0 below"))
EFFICIENCY_MODELS.register(Variant(
    "erf", (number("threshold_kev", "keV", True, lo=0, help="50 % point"),
            number("width_kev", "keV", True, lo=0, lo_open=True, help="Gaussian turn-on width"),
            _PLATEAU),
    lambda v, ctx: ErfEfficiency(v["threshold_kev"], v["width_kev"], v.get("plateau", 1.0)),
    help="plateau/2 [1 + erf((E - threshold)/(sqrt(2) width))]"))
EFFICIENCY_MODELS.register(Variant(
    "tabulated", (numbers("e_kev", "keV", True, help="strictly increasing energies"),
                  numbers("efficiency", "", True, help="values in [0, 1]")),
    lambda v, ctx: TabulatedEfficiency(v["e_kev"], v["efficiency"]),
    help="linear interpolation; error outside the table",
    check=same_length("e_kev", "efficiency", "energies e_kev")))
