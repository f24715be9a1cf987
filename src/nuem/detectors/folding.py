"""Folding true-energy counts into observed bins: the detector stage of an expected spectrum.

Public API (stable)
-------------------
* :class:`Response` -- the protocol of a detector response: ``obs_edges_kev``,
  ``true_edges_kev()``, ``matrix(true_edges_kev)`` -> :class:`FoldingMatrix`,
  ``background_counts(background, exposure_kg_day)``.
* :class:`DetectorResponse` ``(obs_edges_kev, bin_width_kev, resolution, efficiency, quenching,
  n_sigma=5.0)`` -- the implementation: Gaussian smearing with any resolution model of
  :mod:`nuem.detectors.resolution`, efficiency of :mod:`nuem.detectors.efficiency`, quenching of
  :mod:`nuem.detectors.quenching`.
* :class:`FoldingMatrix` with ``fold(counts_true)`` -> :class:`Folded` ``(counts, below,
  above)``: observed counts per bin (efficiency applied) and the counts smeared out of the window.
* :func:`true_grid_kev` ``(e_min_kev, e_max_kev, bin_width_kev, resolution, n_sigma=5.0)``.
* :func:`fold_spectrum` ``(target, flux, response, exposure, background, *, mu_nu, delta_q,
  r2_cm2, sin2w, atomic=None, density_g_cm3=None)`` -> :class:`FoldedSpectrum`.

Steps of :func:`fold_spectrum`
------------------------------
1. A fine *true* grid in keVee from ``e_min - n_sigma sigma(e_min)`` (not below
   :data:`LOWEST_MODELLED_KEV`) to ``e_max + n_sigma sigma(e_max)``, uniform in
   u = int dE/sigma(E) with du <= 1/4 and widths <= half an analysis bin.
2. Counts per fine bin with :func:`nuem.binned.counts_in_bins` (exact rates, 1 kg day):
   electron recoils on the keVee grid; nuclear recoils on the keVnr grid ``nr_from_ee(edges)``
   of the quenching model, which maps counts bin-to-bin (counts conserved, no Jacobian needed).
3. Smearing with :func:`nuem.detectors.response.smearing_matrix` into the analysis bins; counts
   leaving the window are reported in ``leakage``.
4. Efficiency averaged over each analysis bin multiplies signals and backgrounds (background
   levels are read as efficiency-corrected physical rates; lines are smeared).
5. Exposure: ON = mass x fiducial x (1 - dead time) x live_days_on; OFF likewise.

Components: ``sm_electron``, ``magnetic_moment``, ``millicharge`` (delta_Q minus SM),
``cevns``, ``cevns_magnetic_moment`` at the ON exposure; ``background`` (ON exposure),
``background_off``; ``total_on`` = signals + background, ``total_off`` = background_off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from .._validation import positive_scalar
from ..exceptions import InvalidParameterError
from .edges import check_edges
from .efficiency import bin_averaged_efficiency
from .response import SmearingMatrix, smearing_matrix

__all__ = ["LOWEST_MODELLED_KEV", "ELECTRON_COMPONENTS", "NUCLEAR_COMPONENTS",
           "SIGNAL_COMPONENTS", "Response", "DetectorResponse", "FoldingMatrix", "Folded",
           "FoldedSpectrum", "true_grid_kev", "fold_spectrum"]

#: Lowest true energy (keVee) for which signals are modelled; counts below it are not computed.
LOWEST_MODELLED_KEV = 0.01
#: Electron-recoil and nuclear-recoil signal components, in output order.
ELECTRON_COMPONENTS = ("sm_electron", "magnetic_moment", "millicharge")
NUCLEAR_COMPONENTS = ("cevns", "cevns_magnetic_moment")
#: Reactor-ON signal components, in output order.
SIGNAL_COMPONENTS = ELECTRON_COMPONENTS + NUCLEAR_COMPONENTS
_MAX_TRUE_BINS = 20000


def true_grid_kev(e_min_kev: float, e_max_kev: float, bin_width_kev: float, resolution,
                  n_sigma: float = 5.0) -> np.ndarray:
    """Edges of the fine true-energy grid (keVee) used before smearing (step 1): steps of
    min(sigma(E)/4, bin width/2) over the window widened by ``n_sigma`` sigma on each side; a
    window needing more than 20000 such steps is an error (the grid is never coarsened).

    Examples
    --------
    >>> from nuem.detectors.resolution import Resolution
    >>> g = true_grid_kev(12.0, 60.0, 1.0, Resolution(0.3))
    >>> float(g[0]) < 12.0 < 60.0 < float(g[-1]), bool(np.all(np.diff(g) <= 0.5 + 1e-12))
    (True, True)
    """
    lo = max(LOWEST_MODELLED_KEV, e_min_kev - n_sigma * float(resolution.sigma_kev(e_min_kev)))
    hi = e_max_kev + n_sigma * float(resolution.sigma_kev(e_max_kev))
    trial = np.geomspace(lo, hi, 4001)
    trial[0], trial[-1] = lo, hi
    sig = resolution.sigma_kev(trial)
    step = np.minimum(sig / 4.0, 0.5 * bin_width_kev)
    u = np.concatenate([[0.0], np.cumsum(np.diff(trial) * 2.0 / (step[1:] + step[:-1]))])
    if u[-1] > _MAX_TRUE_BINS:
        raise InvalidParameterError(
            f"analysis window {e_min_kev:g}-{e_max_kev:g} keV: resolving sigma(E) = "
            f"{float(sig[0]):.3g}-{float(sig[-1]):.3g} keV in steps of sigma/4 needs "
            f"{u[-1]:.0f} true-energy bins; at most {_MAX_TRUE_BINS} are allowed (narrow the "
            "window, or fold it in parts)")
    n = int(max(np.ceil(u[-1]), 8))
    edges = np.interp(np.linspace(0.0, u[-1], n + 1), u, trial)
    edges[0], edges[-1] = lo, hi
    return edges


@dataclass(frozen=True)
class Folded:
    """Observed counts per bin and the counts smeared below / above the observed window."""

    counts: np.ndarray
    below: float
    above: float


@dataclass(frozen=True, eq=False)
class FoldingMatrix:
    """Smearing matrix and bin-averaged efficiency between a true grid and the observed bins."""

    true_edges_kev: np.ndarray
    smearing: SmearingMatrix
    efficiency: np.ndarray

    def fold(self, counts_true) -> Folded:
        """Counts per true bin -> observed counts (smeared, times efficiency) and leakage."""
        n = np.asarray(counts_true, dtype=float)
        if n.shape != self.smearing.below.shape:
            raise InvalidParameterError(f"counts_true has shape {n.shape}; expected "
                                        f"{self.smearing.below.shape} (one value per true bin)")
        return Folded((self.smearing.matrix @ n) * self.efficiency,
                      float(self.smearing.below @ n), float(self.smearing.above @ n))


@runtime_checkable
class Response(Protocol):
    """What the folding needs from a detector response."""

    obs_edges_kev: np.ndarray

    def true_edges_kev(self) -> np.ndarray: ...

    def matrix(self, true_edges_kev) -> FoldingMatrix: ...

    def background_counts(self, background, exposure_kg_day: float) -> np.ndarray: ...


@dataclass(frozen=True, eq=False)
class DetectorResponse:
    """Resolution, efficiency and quenching on a set of observed (analysis) bins.

    Parameters
    ----------
    obs_edges_kev : array_like
        Observed bin edges (keVee), strictly increasing.
    bin_width_kev : float
        Nominal analysis bin width (keV); bounds the true-grid spacing.
    resolution, efficiency, quenching
        Models of :mod:`nuem.detectors.resolution`, :mod:`~nuem.detectors.efficiency` and
        :mod:`~nuem.detectors.quenching`.
    n_sigma : float
        Truncation of the smearing kernel in standard deviations (>= 3).
    """

    obs_edges_kev: np.ndarray
    bin_width_kev: float
    resolution: object
    efficiency: object
    quenching: object
    n_sigma: float = 5.0

    def __post_init__(self):
        e = check_edges(self.obs_edges_kev, "obs_edges_kev").copy()
        e.setflags(write=False)
        object.__setattr__(self, "obs_edges_kev", e)
        positive_scalar(self.bin_width_kev, "bin_width_kev", "keV")

    def true_edges_kev(self) -> np.ndarray:
        """The fine true grid of step 1 (keVee)."""
        return true_grid_kev(float(self.obs_edges_kev[0]), float(self.obs_edges_kev[-1]),
                             self.bin_width_kev, self.resolution, self.n_sigma)

    def matrix(self, true_edges_kev) -> FoldingMatrix:
        """Smearing matrix and per-bin efficiency for ``true_edges_kev`` (computed once)."""
        sm = smearing_matrix(true_edges_kev, self.obs_edges_kev, self.resolution,
                             n_sigma=self.n_sigma)
        eff = bin_averaged_efficiency(self.efficiency, self.obs_edges_kev)
        return FoldingMatrix(np.asarray(true_edges_kev, dtype=float), sm, eff)

    def background_counts(self, background, exposure_kg_day: float, eff=None) -> np.ndarray:
        """Background counts per observed bin (continua as given, lines smeared) x efficiency."""
        if eff is None:
            eff = bin_averaged_efficiency(self.efficiency, self.obs_edges_kev)
        return background.counts(self.obs_edges_kev, exposure_kg_day, self.resolution) * eff


@dataclass(frozen=True)
class FoldedSpectrum:
    """Counts per observed bin for the full exposure (module docstring), with leakage."""

    components: dict
    leakage: dict = field(default_factory=dict)
    true_edges_kev: np.ndarray | None = None


def fold_spectrum(target, flux, response: DetectorResponse, exposure, background, *,
                  mu_nu: float = 0.0, delta_q: float = 0.0, r2_cm2: float = 0.0,
                  sin2w: float | None = None, atomic=None,
                  density_g_cm3: float | None = None, couplings: str | None = None,
                  r2_convention: str | None = None,
                  sigma_gamma_source: str | None = None) -> FoldedSpectrum:
    """Expected counts per observed bin, ON and OFF (steps of the module docstring).

    Parameters
    ----------
    target : str
        Target material (:func:`nuem.targets.get_target` name).
    flux
        Neutrino flux at the detector (e.g. :class:`nuem.sources.flux.TabulatedFlux`).
    response : DetectorResponse
    exposure : nuem.detectors.exposure.Exposure
    background : nuem.detectors.backgrounds.BackgroundModel
    mu_nu, delta_q, r2_cm2, sin2w, atomic, density_g_cm3, couplings, r2_convention,
    sigma_gamma_source
        As in :func:`nuem.binned.counts_in_bins`; ``None`` uses that function's defaults.
    """
    from ..binned import counts_in_bins

    if not isinstance(response, Response):
        raise InvalidParameterError("response must implement nuem.detectors.folding.Response")
    true = response.true_edges_kev()
    optional = dict(sin2w=sin2w, atomic=atomic, density_g_cm3=density_g_cm3,
                    couplings=couplings, r2_convention=r2_convention,
                    sigma_gamma_source=sigma_gamma_source)
    kw = dict(mu_nu=mu_nu, delta_q=delta_q, r2_cm2=r2_cm2,
              **{k: v for k, v in optional.items() if v is not None})   # None: callee default
    per_kgd = counts_in_bins(target, flux, true, 1.0, components=ELECTRON_COMPONENTS, **kw)
    true_nr = response.quenching.nr_from_ee(true)
    per_kgd.update({k: v for k, v in counts_in_bins(
        target, flux, true_nr, 1.0, components=NUCLEAR_COMPONENTS, **kw).items()
        if k in NUCLEAR_COMPONENTS})
    fm = response.matrix(true)
    x_on, x_off = exposure.on_kg_day, exposure.off_kg_day
    comps: dict[str, np.ndarray] = {}
    leakage: dict[str, dict] = {}
    for c in SIGNAL_COMPONENTS:
        out = fm.fold(per_kgd[c] * x_on)
        comps[c] = out.counts
        leakage[c] = {"below_window": out.below, "above_window": out.above,
                      "true_range_kev": [float(true[0]), float(true[-1])]}
    comps["background"] = response.background_counts(background, x_on, fm.efficiency)
    comps["background_off"] = response.background_counts(background, x_off, fm.efficiency)
    comps["total_on"] = sum(comps[c] for c in SIGNAL_COMPONENTS) + comps["background"]
    comps["total_off"] = comps["background_off"].copy()
    for v in comps.values():
        v.setflags(write=False)
    return FoldedSpectrum(comps, leakage, true)
