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
irreducible, seed 001).

Steps
-----
1. Flux: ``ReactorSource(power_gw, distance_m)`` or ``reactor_flux(flux_cm2_s)``.
2. A fine *true* grid in keVee from ``e_min - n_sigma sigma(e_min)`` (not below
   :data:`LOWEST_MODELLED_KEV`) to ``e_max + n_sigma sigma(e_max)``, uniform in
   u = int dE/sigma(E) with du <= 1/4 and widths <= half an analysis bin.
3. Counts per fine bin with :func:`nuem.binned.counts_in_bins` (exact rates, 1 kg day):
   electron recoils on the keVee grid; nuclear recoils on the keVnr grid ``nr_from_ee(edges)``
   of the quenching model, which maps counts bin-to-bin (counts conserved, no Jacobian needed).
4. Smearing with :func:`nuem.detectors.response.smearing_matrix` into the analysis bins; counts
   leaving the window are reported in ``leakage``.
5. Efficiency averaged over each analysis bin multiplies signals and backgrounds (background
   levels are read as efficiency-corrected physical rates).
6. Exposure: ON = mass x fiducial x (1 - dead time) x live_days_on; OFF likewise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import __version__
from ..constants import SIN2_THETA_W_LOW_Q2
from ..detectors.response import bin_averaged_efficiency, smearing_matrix
from .loader import Experiment

__all__ = ["LOWEST_MODELLED_KEV", "SIGNAL_COMPONENTS", "ObservedSpectrum", "observed_spectrum",
           "true_grid_kev"]

#: Lowest true energy (keVee) for which signals are modelled; counts below it are not computed.
LOWEST_MODELLED_KEV = 0.01
_ELECTRON = ("sm_electron", "magnetic_moment", "millicharge")
_NUCLEAR = ("cevns", "cevns_magnetic_moment")
#: Reactor-ON signal components, in output order.
SIGNAL_COMPONENTS = _ELECTRON + _NUCLEAR
_MAX_TRUE_BINS = 20000


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
    """Edges of the fine true-energy grid (keVee) used before smearing (step 2)."""
    res, a = experiment.resolution, experiment.analysis
    lo = max(LOWEST_MODELLED_KEV, a.e_min_kev - n_sigma * float(res.sigma_kev(a.e_min_kev)))
    hi = a.e_max_kev + n_sigma * float(res.sigma_kev(a.e_max_kev))
    trial = np.geomspace(lo, hi, 4001)
    trial[0], trial[-1] = lo, hi
    sig = res.sigma_kev(trial)
    step = np.minimum(sig / 4.0, 0.5 * a.bin_width_kev)
    u = np.concatenate([[0.0], np.cumsum(np.diff(trial) * 2.0 / (step[1:] + step[:-1]))])
    n = int(min(max(np.ceil(u[-1]), 8), _MAX_TRUE_BINS))
    edges = np.interp(np.linspace(0.0, u[-1], n + 1), u, trial)
    edges[0], edges[-1] = lo, hi
    return edges


def observed_spectrum(experiment: Experiment, *, mu_nu: float = 0.0, delta_q: float = 0.0,
                      r2_cm2: float = 0.0, atomic=None,
                      sin2w: float = SIN2_THETA_W_LOW_Q2, n_sigma: float = 5.0
                      ) -> ObservedSpectrum:
    """Expected counts per analysis bin, ON and OFF, for an experiment and EM parameters.

    Parameters
    ----------
    experiment : Experiment
        From :func:`nuem.experiments.get_experiment` or :func:`load_experiment`.
    mu_nu, delta_q, r2_cm2, sin2w
        As in :func:`nuem.rates.differential_rates` (mu_B, e, cm^2, sin^2 theta_W).
    atomic : str, mapping or None
        Atomic model(s), passed unchanged to :func:`nuem.rates.differential_rates`; ``None``
        (default) uses that function's own default.
    n_sigma : float
        Smearing kernel truncation in standard deviations.

    Examples
    --------
    >>> from nuem.experiments import get_experiment
    >>> s = observed_spectrum(get_experiment("texono-hpge"), mu_nu=1e-10)
    >>> float(s.e_kev[0]), bool(s.components["magnetic_moment"].sum() > 0)
    (12.5, True)
    """
    from ..binned import counts_in_bins

    if not isinstance(experiment, Experiment):
        raise TypeError("experiment must be a nuem.experiments.Experiment")
    flux = experiment.flux()
    obs = experiment.analysis.edges_kev()
    true = true_grid_kev(experiment, n_sigma)
    kw = dict(mu_nu=mu_nu, delta_q=delta_q, r2_cm2=r2_cm2, sin2w=sin2w)
    if atomic is not None:
        kw["atomic"] = atomic
    if experiment.density_g_cm3 is not None:
        kw["density_g_cm3"] = experiment.density_g_cm3
    per_kgd = counts_in_bins(experiment.target, flux, true, 1.0, components=_ELECTRON, **kw)
    true_nr = experiment.quenching.nr_from_ee(true)
    per_kgd.update({k: v for k, v in counts_in_bins(
        experiment.target, flux, true_nr, 1.0, components=_NUCLEAR, **kw).items()
        if k in _NUCLEAR})
    sm = smearing_matrix(true, obs, experiment.resolution, n_sigma=n_sigma)
    eff = bin_averaged_efficiency(experiment.efficiency, obs)
    x_on, x_off = experiment.exposure.on_kg_day, experiment.exposure.off_kg_day
    comps: dict[str, np.ndarray] = {}
    leakage: dict[str, dict] = {}
    for c in SIGNAL_COMPONENTS:
        n_true = per_kgd[c] * x_on
        comps[c] = (sm.matrix @ n_true) * eff
        leakage[c] = {"below_window": float(sm.below @ n_true),
                      "above_window": float(sm.above @ n_true),
                      "true_range_kev": [float(true[0]), float(true[-1])]}
    bg = experiment.background
    comps["background"] = bg.counts(obs, x_on, experiment.resolution) * eff
    comps["background_off"] = bg.counts(obs, x_off, experiment.resolution) * eff
    comps["total_on"] = sum(comps[c] for c in SIGNAL_COMPONENTS) + comps["background"]
    comps["total_off"] = comps["background_off"].copy()
    for v in comps.values():
        v.setflags(write=False)
    edges = obs.copy()
    edges.setflags(write=False)
    return ObservedSpectrum(
        experiment_id=experiment.id, edges_kev=edges, components=comps,
        exposure_on_kg_day=x_on, exposure_off_kg_day=x_off, leakage=leakage,
        parameters={"mu_nu": mu_nu, "delta_q": delta_q, "r2_cm2": r2_cm2, "atomic": atomic,
                    "sin2w": sin2w, "n_sigma": n_sigma, "flux_cm2_s": flux.total_cm2_s()},
        provenance={"nuem": __version__, "experiment": experiment.id,
                    "experiment_file": experiment.source_path,
                    "reference": experiment.reference, "flux": flux.label,
                    "resolution": experiment.resolution.to_dict(),
                    "quenching": _describe(experiment.quenching),
                    "efficiency": repr(experiment.efficiency),
                    "background": bg.to_dict(),
                    "true_grid": f"{true.size - 1} bins, {true[0]:.4g}-{true[-1]:.4g} keVee",
                    "rates": "nuem.binned.counts_in_bins (exact flux moments)",
                    "notes": ["SM nu-e and coherent nu-N are reactor-ON only (irreducible, "
                              "seed 001); the background model is identical ON and OFF.",
                              "The SM nu-e rate at keV recoil depends on the reactor spectrum "
                              "below 2 MeV (no measurement) at the 10-20 % level."]})


def _describe(q) -> dict:
    return q.to_dict() if hasattr(q, "to_dict") else {"model": repr(q)}
