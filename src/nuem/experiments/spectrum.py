"""The observed-spectrum pipeline: experiment -> flux -> rates -> quenching -> response -> bins.

Public API (stable)
-------------------
* :func:`observed_spectrum` ``(experiment, *, mu_nu=0.0, delta_q=0.0, r2_cm2=0.0,
  atomic=None, sin2w=SIN2_THETA_W_LOW_Q2, n_sigma=5.0)`` -> :class:`ObservedSpectrum`.
* :class:`ObservedSpectrum` (frozen): ``experiment_id``, ``edges_kev`` (n+1), ``e_kev`` (bin
  centres, keVee), ``bin_width_kev`` (n), ``components`` (dict of counts per bin, see below),
  ``exposure_on_kg_day``, ``exposure_off_kg_day``, ``leakage`` (counts smeared out of the
  analysis window, per signal component), ``parameters``, ``provenance``; ``to_dict()``.

Components (counts per analysis bin for the full exposure):

* ``sm_electron``, ``magnetic_moment``, ``millicharge`` (delta_Q minus SM, may be < 0),
  ``cevns``, ``cevns_magnetic_moment``: reactor-ON signals at the ON exposure;
* ``background``: reactor-independent background at the ON exposure; ``background_off``: the
  same model at the OFF exposure;
* ``total_on`` = sum of the signals + ``background``; ``total_off`` = ``background_off``.

The ON - OFF residual expected for the parameters is ``total_on - total_off * exposure_on /
exposure_off`` = the sum of the signals (the SM nu-e and coherent parts included: they are
irreducible, H.T. Wong et al. (TEXONO), PRD 75, 012001 (2007)).

This module is the orchestrator: the experiment gives the flux (:meth:`Experiment.flux`, from
its source's registry entry) and the detector response (:meth:`Experiment.response`); the
folding -- true grid, exact binned rates on the keVee and keVnr grids, quenching, smearing,
efficiency, backgrounds, exposure -- is :func:`nuem.detectors.folding.fold_spectrum` (its module
docstring lists the steps).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import __version__
from ..constants import SIN2_THETA_W_LOW_Q2
from ..detectors.folding import LOWEST_MODELLED_KEV, SIGNAL_COMPONENTS, fold_spectrum
from ..detectors.folding import true_grid_kev as _true_grid
from .loader import Experiment

__all__ = ["LOWEST_MODELLED_KEV", "SIGNAL_COMPONENTS", "ObservedSpectrum", "observed_spectrum",
           "true_grid_kev"]


@dataclass(frozen=True)
class ObservedSpectrum:
    """Expected observed counts per analysis bin (see module docstring)."""

    experiment_id: str
    edges_kev: np.ndarray
    components: dict
    exposure_on_kg_day: float
    exposure_off_kg_day: float
    leakage: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)
    provenance: dict = field(default_factory=dict)

    @property
    def e_kev(self) -> np.ndarray:
        """Bin centres in keVee."""
        return 0.5 * (self.edges_kev[1:] + self.edges_kev[:-1])

    @property
    def bin_width_kev(self) -> np.ndarray:
        """Bin widths in keVee."""
        return np.diff(self.edges_kev)

    def to_dict(self) -> dict:
        """JSON-ready form (the ``nuem spectrum --json`` object)."""
        return {"experiment": self.experiment_id, "units": {
                    "e_kev": "keVee (bin centre)", "components": "counts per bin, full exposure"},
                "e_kev": self.e_kev.tolist(), "bin_width_kev": self.bin_width_kev.tolist(),
                "edges_kev": self.edges_kev.tolist(),
                "components": {k: np.asarray(v).tolist() for k, v in self.components.items()},
                "exposure_on_kg_day": self.exposure_on_kg_day,
                "exposure_off_kg_day": self.exposure_off_kg_day,
                "leakage": self.leakage, "parameters": self.parameters,
                "provenance": self.provenance}


def true_grid_kev(experiment: Experiment, n_sigma: float = 5.0) -> np.ndarray:
    """Edges of the fine true-energy grid (keVee) used before smearing
    (:func:`nuem.detectors.folding.true_grid_kev` on the experiment's analysis window)."""
    a = experiment.analysis
    return _true_grid(a.e_min_kev, a.e_max_kev, a.bin_width_kev, experiment.resolution, n_sigma)


from ..interactions.couplings import DEFAULT_COUPLINGS  # noqa: E402


def observed_spectrum(experiment: Experiment, *, mu_nu: float = 0.0, delta_q: float = 0.0,
                      r2_cm2: float = 0.0, atomic=None,
                      sin2w: float = SIN2_THETA_W_LOW_Q2, n_sigma: float = 5.0,
                      couplings: str | None = None, r2_convention: str | None = None,
                      sigma_gamma_source: str | None = None) -> ObservedSpectrum:
    """Expected counts per analysis bin, ON and OFF, for an experiment and EM parameters.

    Parameters
    ----------
    experiment : Experiment
        From :func:`nuem.experiments.get_experiment`, :func:`load_experiment` or
        :func:`hypothetical_experiment`.
    mu_nu, delta_q, r2_cm2, sin2w
        As in :func:`nuem.rates.differential_rates` (mu_B, e, cm^2, sin^2 theta_W).
    atomic : str, mapping or None
        Atomic model(s), passed unchanged to :func:`nuem.rates.differential_rates`; ``None``
        (default) uses that function's own default.
    n_sigma : float
        Smearing kernel truncation in standard deviations.
    couplings, r2_convention, sigma_gamma_source : str, optional
        SM coupling scheme, charge-radius convention and photoabsorption table
        (:func:`nuem.rates.differential_rates`; ``None``: its defaults).

    Examples
    --------
    >>> from nuem.experiments import get_experiment
    >>> s = observed_spectrum(get_experiment("texono-hpge"), mu_nu=1e-10)
    >>> float(s.e_kev[0]), bool(s.components["magnetic_moment"].sum() > 0)
    (12.5, True)
    """
    if not isinstance(experiment, Experiment):
        raise TypeError("experiment must be a nuem.experiments.Experiment")
    flux = experiment.flux()
    response = experiment.response(n_sigma)
    folded = fold_spectrum(experiment.target, flux, response, experiment.exposure,
                           experiment.background, mu_nu=mu_nu, delta_q=delta_q, r2_cm2=r2_cm2,
                           sin2w=sin2w, atomic=atomic, density_g_cm3=experiment.density_g_cm3,
                           couplings=couplings, r2_convention=r2_convention,
                           sigma_gamma_source=sigma_gamma_source)
    true = folded.true_edges_kev
    edges = response.obs_edges_kev
    bg = experiment.background
    return ObservedSpectrum(
        experiment_id=experiment.id, edges_kev=edges, components=folded.components,
        exposure_on_kg_day=experiment.exposure.on_kg_day,
        exposure_off_kg_day=experiment.exposure.off_kg_day, leakage=folded.leakage,
        parameters={"mu_nu": mu_nu, "delta_q": delta_q, "r2_cm2": r2_cm2, "atomic": atomic,
                    "sin2w": sin2w, "n_sigma": n_sigma, "flux_cm2_s": flux.total_cm2_s(),
                    "couplings": couplings or DEFAULT_COUPLINGS,
                    "r2_convention": r2_convention or "gv-shift"},
        provenance={"nuem": __version__, "experiment": experiment.id,
                    "experiment_file": experiment.source_path,
                    "reference": experiment.reference, "flux": flux.label,
                    "source_kind": experiment.source.kind,
                    "resolution": experiment.resolution.to_dict(),
                    "quenching": _describe(experiment.quenching),
                    "efficiency": repr(experiment.efficiency),
                    "background": bg.to_dict(),
                    "true_grid": f"{true.size - 1} bins, {true[0]:.4g}-{true[-1]:.4g} keVee",
                    "rates": "nuem.binned.counts_in_bins (exact flux moments)",
                    "folding": "nuem.detectors.folding.fold_spectrum",
                    "notes": ["SM nu-e and coherent nu-N are reactor-ON only (irreducible); "
                              "the background model is identical ON and OFF.",
                              "The SM nu-e rate at keV recoil depends on the reactor spectrum "
                              "below 2 MeV (no measurement) at the 10-20 % level."]})


def _describe(q) -> dict:
    return q.to_dict() if hasattr(q, "to_dict") else {"model": repr(q)}
