"""Detector response: energy resolution, count-conserving smearing, thresholds and efficiency.

Public API (stable; other modules and the report build on it)
--------------------------------------------------------------
* :class:`Resolution` ``(sigma_noise_kev, fano=0.11, pair_energy_ev=2.96, linear=0.0)`` with
  :meth:`~Resolution.sigma_kev` and :meth:`~Resolution.fwhm_kev` (keV in, keV out).
* :func:`smearing_matrix` ``(true_edges_kev, obs_edges_kev, resolution, n_sigma=5.0)`` ->
  :class:`SmearingMatrix` with ``matrix`` (n_obs x n_true), ``below`` and ``above`` (n_true,).
* :func:`smear` ``(counts_true, true_edges_kev, obs_edges_kev, resolution, n_sigma=5.0)`` ->
  :class:`Smeared` ``(counts, below, above)``: counts are conserved, counts leaving the
  observed range are returned, never dropped.
* :func:`line_counts` ``(energy_kev, counts, obs_edges_kev, resolution)`` -> :class:`Smeared`
  for a mono-energetic line (exact erf differences).
* Efficiency curves, all callables ``eff(e_kev) -> ndarray`` in [0, 1]:
  :class:`StepEfficiency` ``(threshold_kev, plateau=1.0)``, :class:`ErfEfficiency`
  ``(threshold_kev, width_kev, plateau=1.0)``, :class:`TabulatedEfficiency` ``(e_kev,
  efficiency)``; :func:`bin_averaged_efficiency` ``(eff, edges_kev)`` averages one over bins.
* :class:`Exposure` ``(mass_kg, live_days_on, live_days_off=0, fiducial_fraction=1,
  dead_time_fraction=0)`` with ``on_kg_day``, ``off_kg_day``.

Physics
-------
Resolution (PHYSICS.md section 5; Knoll, *Radiation Detection and Measurement*, 4th ed., Ch. 12)::

    sigma(E)^2 = sigma_noise^2 + F * eps * E + (c * E)^2        [keV^2, E in keV]

with the Fano factor F ~ 0.11 and the pair-creation energy eps = 2.96 eV for germanium at 77 K
(PHYSICS.md section 5), sigma_noise the electronic (pulser) noise and c an optional term linear
in E in sigma (charge trapping, gain drift). Valid for E >= 0; for non-germanium media F and eps
are effective parameters (F * eps = 1/(quanta per keV)).

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

from .._validation import as_float_array, positive, positive_scalar
from ..exceptions import InvalidParameterError, OutOfRangeError

__all__ = [
    "FANO_GE",
    "PAIR_ENERGY_GE_EV",
    "Resolution",
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

#: Fano factor of germanium, ~0.11 (PHYSICS.md section 5; measured 0.10-0.13, Knoll Ch. 12).
FANO_GE: float = 0.11
#: Mean energy per electron-hole pair in germanium at 77 K, 2.96 eV (PHYSICS.md section 5).
PAIR_ENERGY_GE_EV: float = 2.96

_SQRT2 = math.sqrt(2.0)
_FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))


def check_edges(edges_kev, name: str = "edges_kev", *, allow_zero: bool = True) -> np.ndarray:
    """Validate strictly increasing 1-d bin edges in keV (>= 0, or > 0 with allow_zero=False)."""
    e = as_float_array(edges_kev, name)
    if e.ndim != 1 or e.size < 2:
        raise InvalidParameterError(f"{name} must be a 1-d array of at least two bin edges (keV)")
    if e[0] < 0 or (not allow_zero and e[0] == 0):
        raise InvalidParameterError(f"{name}[0]={float(e[0])!r} keV: edges must be "
                                    f"{'>= 0' if allow_zero else '> 0'} keV")
    if np.any(np.diff(e) <= 0):
        raise InvalidParameterError(f"{name} must be strictly increasing")
    return e


@dataclass(frozen=True)
class Resolution:
    """Energy resolution sigma(E)^2 = sigma_noise^2 + F eps E + (linear E)^2 (all keV).

    Parameters
    ----------
    sigma_noise_kev : float
        Electronic noise sigma in keV (>= 0), e.g. from the pulser width.
    fano : float
        Fano factor F (>= 0); 0.11 for germanium.
    pair_energy_ev : float
        Mean energy per charge quantum eps in eV (> 0); 2.96 eV for germanium.
    linear : float
        Dimensionless coefficient c of the optional term (c E)^2 (>= 0), default 0.

    Examples
    --------
    >>> r = Resolution(sigma_noise_kev=0.05)
    >>> round(float(r.sigma_kev(10.37)), 4)    # sqrt(0.05^2 + 0.11 * 2.96e-3 * 10.37)
    0.0767
    >>> round(float(r.fwhm_kev(10.37) * 1000))  # eV
    181
    """

    sigma_noise_kev: float
    fano: float = FANO_GE
    pair_energy_ev: float = PAIR_ENERGY_GE_EV
    linear: float = 0.0

    def __post_init__(self):
        positive_scalar(self.sigma_noise_kev, "sigma_noise_kev", "keV", allow_zero=True)
        positive_scalar(self.fano, "fano", allow_zero=True)
        positive_scalar(self.pair_energy_ev, "pair_energy_ev", "eV")
        positive_scalar(self.linear, "linear", allow_zero=True)

    def sigma_kev(self, e_kev) -> np.ndarray:
        """Standard deviation sigma(E) in keV at energies ``e_kev`` (keV, >= 0)."""
        e = positive(e_kev, "e_kev", "keV", allow_zero=True)
        var = (self.sigma_noise_kev ** 2 + self.fano * self.pair_energy_ev * 1e-3 * e
               + (self.linear * e) ** 2)
        return np.sqrt(var)

    def fwhm_kev(self, e_kev) -> np.ndarray:
        """Full width at half maximum, 2 sqrt(2 ln 2) sigma(E), in keV."""
        return _FWHM_PER_SIGMA * self.sigma_kev(e_kev)

    def to_dict(self) -> dict:
        """Plain form for provenance records."""
        return {"sigma_noise_kev": self.sigma_noise_kev, "fano": self.fano,
                "pair_energy_ev": self.pair_energy_ev, "linear": self.linear,
                "formula": "sigma^2 = sigma_noise^2 + fano*pair_energy*E + (linear*E)^2"}


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


def smearing_matrix(true_edges_kev, obs_edges_kev, resolution: Resolution, *,
                    n_sigma: float = 5.0) -> SmearingMatrix:
    """Count-conserving Gaussian response matrix between two binnings (see module docstring).

    Parameters
    ----------
    true_edges_kev, obs_edges_kev : array_like
        Strictly increasing bin edges in keV (true deposited energy, observed energy).
    resolution : Resolution
        sigma(E), evaluated at each true-bin centre.
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
    if not isinstance(resolution, Resolution):
        raise InvalidParameterError("resolution must be a nuem.detectors.response.Resolution")
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


def smear(counts_true, true_edges_kev, obs_edges_kev, resolution: Resolution, *,
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
                resolution: Resolution) -> Smeared:
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
    sig = float(resolution.sigma_kev(e0))
    if sig == 0.0:
        cdf = (o > e0).astype(float) + 0.5 * (o == e0)
    else:
        cdf = 0.5 * (1.0 + erf((o - e0) / (_SQRT2 * sig)))
    return Smeared(n * np.diff(cdf), n * float(cdf[0]), n * float(1.0 - cdf[-1]))


# ----------------------------------------------------------------------------- efficiencies
@dataclass(frozen=True)
class StepEfficiency:
    """eff(E) = plateau for E >= threshold_kev, else 0.

    Examples
    --------
    >>> StepEfficiency(12.0)([11.9, 12.0]).tolist()
    [0.0, 1.0]
    """

    threshold_kev: float
    plateau: float = 1.0

    def __post_init__(self):
        positive_scalar(self.threshold_kev, "threshold_kev", "keV", allow_zero=True)
        _check_plateau(self.plateau)

    def __call__(self, e_kev) -> np.ndarray:
        e = as_float_array(e_kev, "e_kev")
        return np.where(e >= self.threshold_kev, self.plateau, 0.0)


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
        e = as_float_array(e_kev, "e_kev")
        lo, hi = self.e_kev[0], self.e_kev[-1]
        bad = (e < lo * (1 - 1e-12)) | (e > hi * (1 + 1e-12))
        if np.any(bad):
            raise OutOfRangeError(f"e_kev={float(e[bad].flat[0])!r} keV is outside the tabulated "
                                  f"efficiency range [{lo!r}, {hi!r}] keV")
        return np.interp(e, self.e_kev, self.efficiency)

    def __repr__(self) -> str:
        return f"TabulatedEfficiency({self.e_kev.size} points, {self.e_kev[0]:g}-" \
               f"{self.e_kev[-1]:g} keV)"


def _check_plateau(p: float) -> None:
    x = positive_scalar(p, "plateau", allow_zero=True)
    if x > 1.0:
        raise InvalidParameterError(f"plateau={x!r} must lie in [0, 1]")


def bin_averaged_efficiency(eff, edges_kev, *, n_nodes: int = 8) -> np.ndarray:
    """Mean of ``eff`` over each bin (Gauss-Legendre, ``n_nodes`` points per bin).

    A step exactly on a bin edge is averaged exactly; elsewhere the error is that of an
    8-point rule on a step (< 1/16 of the bin's efficiency jump).

    Examples
    --------
    >>> bin_averaged_efficiency(StepEfficiency(12.0), [10.0, 12.0, 14.0]).tolist()
    [0.0, 1.0]
    """
    e = check_edges(edges_kev)
    x, w = np.polynomial.legendre.leggauss(n_nodes)
    mid, half = 0.5 * (e[1:] + e[:-1]), 0.5 * np.diff(e)
    pts = mid[:, None] + half[:, None] * x[None, :]
    return (np.asarray(eff(pts), dtype=float) * w[None, :]).sum(axis=1) / 2.0


from .exposure import Exposure  # noqa: E402  (re-exported; defined in exposure.py)
