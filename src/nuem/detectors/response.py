"""Detector response: count-conserving smearing with a resolution model (and re-exports).

Public API (stable; other modules and the report build on it)
--------------------------------------------------------------
* :func:`smearing_matrix` ``(true_edges_kev, obs_edges_kev, resolution, n_sigma=5.0)`` ->
  :class:`SmearingMatrix` with ``matrix`` (n_obs x n_true), ``below`` and ``above`` (n_true,).
* :func:`smear` ``(counts_true, true_edges_kev, obs_edges_kev, resolution, n_sigma=5.0)`` ->
  :class:`Smeared` ``(counts, below, above)``: counts are conserved, counts leaving the
  observed range are returned, never dropped.
* :func:`line_counts` ``(energy_kev, counts, obs_edges_kev, resolution)`` -> :class:`Smeared`
  for a mono-energetic line (exact erf differences).
* Re-exported: the resolution models (:class:`Resolution`, :class:`GaussianFano`,
  :class:`GaussianPoly`, :mod:`nuem.detectors.resolution`), the efficiency curves
  (:class:`StepEfficiency`, :class:`ErfEfficiency`, :class:`TabulatedEfficiency`,
  :func:`bin_averaged_efficiency`, :mod:`nuem.detectors.efficiency`), :func:`check_edges` and
  :class:`Exposure`.

``resolution`` is any model with ``sigma_kev(e_kev)`` (keV in, keV out), see
:mod:`nuem.detectors.resolution`.

Physics
-------
Smearing assumes the counts of each true bin are uniform within the bin and uses sigma at the
bin centre. The probability to observe a count from the true bin [c, d] in [a, b] is then exact::

    P = s / (2 (d - c)) * [G((b-c)/s) - G((b-d)/s) - G((a-c)/s) + G((a-d)/s)],
    G(x) = x erf(x) + exp(-x^2)/sqrt(pi),  s = sqrt(2) sigma,

(the integral of the Gaussian CDF difference over the bin). Two virtual bins (-inf, e_0) and
(e_N, +inf) collect what leaves the observed range, so each column sums to 1. Entries whose
observed bin lies entirely beyond ``n_sigma`` standard deviations of the true bin are set to 0
(each tail beyond 5 sigma is < 2.9e-7) and each column is then renormalised to exactly 1: this
is the only renormalisation, and it keeps counts conserved to rounding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import erf

from .._validation import as_float_array, positive_scalar
from ..exceptions import InvalidParameterError
from .edges import check_edges
from .efficiency import (
    ErfEfficiency,
    StepEfficiency,
    TabulatedEfficiency,
    bin_averaged_efficiency,
)
from .exposure import Exposure
from .resolution import (
    FANO_GE,
    PAIR_ENERGY_GE_EV,
    GaussianFano,
    GaussianPoly,
    Resolution,
    ResolutionModel,
)

__all__ = [
    "FANO_GE",
    "PAIR_ENERGY_GE_EV",
    "Resolution",
    "GaussianFano",
    "GaussianPoly",
    "ResolutionModel",
    "SmearingMatrix",
    "Smeared",
    "smearing_matrix",
    "smear",
    "line_counts",
    "StepEfficiency",
    "ErfEfficiency",
    "TabulatedEfficiency",
    "bin_averaged_efficiency",
    "check_edges",
    "Exposure",
]

_SQRT2 = math.sqrt(2.0)


def _check_resolution(resolution) -> None:
    if not isinstance(resolution, ResolutionModel):
        raise InvalidParameterError("resolution must be a resolution model with sigma_kev(e_kev) "
                                    "(nuem.detectors.resolution), got "
                                    f"{type(resolution).__name__}")


@dataclass(frozen=True)
class SmearingMatrix:
    """Response matrix: ``matrix[i, j]`` = P(observed in bin i | true bin j).

    ``below[j]`` / ``above[j]`` are the probabilities to be observed below the first / above
    the last observed edge; ``matrix.sum(0) + below + above == 1`` for every column.
    """

    matrix: np.ndarray
    below: np.ndarray
    above: np.ndarray


@dataclass(frozen=True)
class Smeared:
    """Observed counts per bin and the counts that left the observed range (below/above)."""

    counts: np.ndarray
    below: float
    above: float


def _g(x: np.ndarray) -> np.ndarray:
    return x * erf(x) + np.exp(-x * x) / math.sqrt(math.pi)


def smearing_matrix(true_edges_kev, obs_edges_kev, resolution: ResolutionModel, *,
                    n_sigma: float = 5.0) -> SmearingMatrix:
    """Count-conserving Gaussian response matrix between two binnings (see module docstring).

    Parameters
    ----------
    true_edges_kev, obs_edges_kev : array_like
        Strictly increasing bin edges in keV (true deposited energy, observed energy).
    resolution : ResolutionModel
        sigma(E) (any model of :mod:`nuem.detectors.resolution`), evaluated at each true-bin
        centre.
    n_sigma : float
        Truncation of the kernel in standard deviations (>= 3).

    Examples
    --------
    >>> sm = smearing_matrix([9.0, 9.1], [8.0, 9.05, 12.0], Resolution(0.2))
    >>> float(sm.matrix.sum() + sm.below[0] + sm.above[0])
    1.0
    """
    t = check_edges(true_edges_kev, "true_edges_kev")
    o = check_edges(obs_edges_kev, "obs_edges_kev")
    _check_resolution(resolution)
    if not n_sigma >= 3.0:
        raise InvalidParameterError(f"n_sigma={n_sigma!r} must be >= 3")
    c, d = t[:-1], t[1:]
    width = d - c
    sig = resolution.sigma_kev(0.5 * (c + d))
    s = np.maximum(_SQRT2 * sig, 1e-12 * np.maximum(width, 1e-12))  # sigma = 0: sharp edges
    # cumulative P(observed < a) for every observed edge a and true bin j (uniform in bin)
    a = o[:, None]
    # P(E_obs < a) = 1/2 + (1/2) <erf((a - E)/s)>_bin;  int_c^d erf((a-E)/s) dE = s [G]
    cdf = 0.5 + s / (2.0 * width) * (_g((a - c) / s) - _g((a - d) / s))
    cdf = np.clip(cdf, 0.0, 1.0)
    probs = np.diff(np.vstack([np.zeros_like(c), cdf, np.ones_like(c)]), axis=0)
    probs = np.clip(probs, 0.0, None)
    # truncate beyond n_sigma (bin-to-bin distance), then renormalise each column to 1
    lo, hi = o[:-1, None], o[1:, None]
    far = (lo - d > n_sigma * sig) | (c - hi > n_sigma * sig)
    inner = probs[1:-1]
    inner[far] = 0.0
    below = probs[0].copy()
    below[(c - o[0]) > n_sigma * sig] = 0.0
    above = probs[-1].copy()
    above[(o[-1] - d) > n_sigma * sig] = 0.0
    norm = inner.sum(axis=0) + below + above
    return SmearingMatrix(inner / norm, below / norm, above / norm)


def smear(counts_true, true_edges_kev, obs_edges_kev, resolution: ResolutionModel, *,
          n_sigma: float = 5.0) -> Smeared:
    """Observed counts per ``obs_edges_kev`` bin from counts per true bin (conserves counts).

    Examples
    --------
    >>> out = smear([100.0], [10.3, 10.4], [9.0, 10.35, 12.0], Resolution(0.1))
    >>> round(float(out.counts.sum() + out.below + out.above), 9)
    100.0
    """
    sm = smearing_matrix(true_edges_kev, obs_edges_kev, resolution, n_sigma=n_sigma)
    n = as_float_array(counts_true, "counts_true")
    if n.shape != sm.below.shape:
        raise InvalidParameterError(f"counts_true has shape {n.shape}; expected "
                                    f"{sm.below.shape} (one value per true bin)")
    return Smeared(sm.matrix @ n, float(sm.below @ n), float(sm.above @ n))


def line_counts(energy_kev: float, counts: float, obs_edges_kev,
                resolution: ResolutionModel) -> Smeared:
    """A mono-energetic line of total ``counts`` at ``energy_kev`` observed in bins (exact).

    Examples
    --------
    >>> r = line_counts(10.367, 50.0, [9.0, 10.367, 12.0], Resolution(0.1))
    >>> [round(float(x), 6) for x in r.counts]
    [25.0, 25.0]
    """
    e0 = positive_scalar(energy_kev, "energy_kev", "keV")
    n = positive_scalar(counts, "counts", allow_zero=True)
    o = check_edges(obs_edges_kev, "obs_edges_kev")
    _check_resolution(resolution)
    sig = float(resolution.sigma_kev(e0))
    if sig == 0.0:
        cdf = (o > e0).astype(float) + 0.5 * (o == e0)
    else:
        cdf = 0.5 * (1.0 + erf((o - e0) / (_SQRT2 * sig)))
    return Smeared(n * np.diff(cdf), n * float(cdf[0]), n * float(1.0 - cdf[-1]))
