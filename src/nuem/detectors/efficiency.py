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

from .._validation import as_float_array, interp_in_range, positive_int, positive_scalar
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
        """Exact mean over each bin (edges in keV, >= 0, strictly increasing): plateau x the
        fraction of the bin above the threshold."""
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
        """Exact mean over each bin (edges in keV, >= 0, strictly increasing; any E >= 0):
        mean = plateau/2 [G(u1) - G(u0)] / (u1 - u0), u = (E - threshold)/(sqrt(2) width),
        with G the antiderivative of 1 + erf(u) = erfc(-u), G(u) = i erfc(-u) =
        u erfc(-u) + exp(-u^2)/sqrt(pi), the first repeated integral of erfc (NIST DLMF
        Sec. 7.18; Abramowitz & Stegun Sec. 7.2). Written without cancellation: below
        threshold with i erfc(-u) (both terms vanish), above with i erfc(-u) = 2u + i erfc(u)
        (mean = plateau [1 + (i erfc(u1) - i erfc(u0)) / (2 (u1 - u0))]), and for bins with
        u1 - u0 < 1e-3 by Simpson's rule (error < 1e-15 there) instead of the difference."""
        e = check_edges(edges_kev)
        u = (e - self.threshold_kev) / (_SQRT2 * self.width_kev)
        u0, u1, du = u[:-1], u[1:], np.diff(u)
        above = u0 >= 0.0
        s = np.where(above, 1.0, -1.0)                 # i erfc(s u) is small on each side
        ig = _ierfc(s * u1) - _ierfc(s * u0)
        exact = np.where(above, 1.0 + 0.5 * ig / du, 0.5 * ig / du)
        mid = 0.5 * (u0 + u1)
        simpson = (erfc(-u0) + 4.0 * erfc(-mid) + erfc(-u1)) / 12.0
        return self.plateau * np.where(du < 1e-3, simpson, exact)


def _ierfc(x: np.ndarray) -> np.ndarray:
    """i erfc(x) = exp(-x^2)/sqrt(pi) - x erfc(x), the integral of erfc from x to infinity
    (NIST DLMF Sec. 7.18); positive, -> 0 as x -> +inf, ~ -2x as x -> -inf."""
    return np.exp(-x * x) / math.sqrt(math.pi) - x * erfc(x)


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
            raise InvalidParameterError(
                f"efficiency has shape {self.efficiency.shape} for e_kev of shape "
                f"{self.e_kev.shape}; one value per energy is required")
        bad = (self.efficiency < 0) | (self.efficiency > 1)
        if np.any(bad):
            i = int(np.argmax(bad))
            raise InvalidParameterError(f"efficiency[{i}]={float(self.efficiency[i])!r} (at "
                                        f"e_kev={float(self.e_kev[i])!r} keV) must lie in [0, 1]")
        self.e_kev.setflags(write=False)
        self.efficiency.setflags(write=False)

    def __call__(self, e_kev) -> np.ndarray:
        return interp_in_range(e_kev, self.e_kev, self.efficiency, "e_kev", "keV", "efficiency")

    def bin_mean(self, edges_kev) -> np.ndarray:
        """Exact mean over each bin (edges in keV) of the linear interpolation (its integral is
        piecewise quadratic); bins outside the table are an error, as for the curve itself."""
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
    if not callable(eff):
        raise InvalidParameterError(f"eff={eff!r} must be an efficiency curve eff(e_kev)")
    n_nodes = positive_int(n_nodes, "n_nodes", "the Gauss-Legendre order per bin")
    e = check_edges(edges_kev)
    mean = getattr(eff, "bin_mean", None)
    if mean is not None:
        out = np.asarray(mean(e), dtype=float)
    else:
        x, w = np.polynomial.legendre.leggauss(n_nodes)
        mid, half = 0.5 * (e[1:] + e[:-1]), 0.5 * np.diff(e)
        pts = mid[:, None] + half[:, None] * x[None, :]
        vals = np.asarray(eff(pts), dtype=float)
        if vals.shape != pts.shape:
            raise InvalidParameterError(f"eff={eff!r} returned shape {vals.shape} for energies "
                                        f"of shape {pts.shape}; one value per energy is required")
        out = (vals * w[None, :]).sum(axis=1) / 2.0
    if out.shape != (e.size - 1,):
        raise InvalidParameterError(f"eff={eff!r}.bin_mean returned shape {out.shape} for "
                                    f"{e.size - 1} bins; one mean per bin is required")
    bad = ~np.isfinite(out) | (out < -1e-12) | (out > 1.0 + 1e-12)   # rounding only
    if np.any(bad):
        i = int(np.argmax(bad))
        raise InvalidParameterError(f"eff={eff!r}: mean efficiency {float(out[i])!r} over the bin "
                                    f"{float(e[i]):g}-{float(e[i + 1]):g} keV; an efficiency "
                                    "must be finite and lie in [0, 1]")
    return out


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
