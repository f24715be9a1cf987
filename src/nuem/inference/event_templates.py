r"""Densities of an experiment on a fine grid: the inputs of :class:`UnbinnedModel`.

:func:`event_model` builds, for an experiment (source, target, resolution, efficiency,
exposure) and an analysis window [E₀, E₁],

1. a node grid E₀ = x₀ < x₁ < … < x_n = E₁ with spacing ≤ ``step_kev`` (default 0.05 keV);
2. the expected electron-recoil counts per node segment for the full exposure: the true-energy
   rates (:func:`nuem.binned.counts_in_bins`, exact for the source's flux; the atomic model of
   each process as chosen, by default stepping for the SM and μν channels) on the fine true grid
   of :func:`nuem.detectors.folding.true_grid_kev`, smeared with the experiment's resolution
   and multiplied by its efficiency averaged over each segment
   (:class:`nuem.detectors.folding.DetectorResponse`); divided by the segment width this is a
   density at the segment centre, interpolated linearly to the nodes (the end nodes take their
   segment's value);
3. the signal per unit strength θ exactly as :func:`nuem.inference.signal_template` defines it
   (μν: the ``magnetic_moment`` channel at 10⁻¹¹ μB; δQ: the even part of ``millicharge`` at
   10⁻¹² e; ⟨r²⟩: ``sm_electron`` at 10⁻³² cm² minus at 0), and the SM ν–e density
   (``sm_electron``) as the known component;
4. the background: the user's table (:class:`nuem.io.events.BackgroundTable`, observed energy,
   resolution and efficiency already in it) times the exposure; or, without a table, the
   experiment's own ``[background]`` model (:class:`nuem.detectors.backgrounds.BackgroundModel`:
   continua in observed energy, lines smeared with the resolution) integrated over the node
   segments and interpolated to the nodes as in step 2 (exact for a flat continuum).

Only electron recoils enter: an event list of an electron-recoil selection (such as the
XENONnT release) contains no nuclear recoils.
"""

from __future__ import annotations

import numpy as np
from hepunits import day, year

from ..exceptions import InvalidParameterError
from ._common import check_nonneg
from .sensitivity import PARAM_UNITS, PARAMS
from .unbinned_model import UnbinnedModel

__all__ = ["DEFAULT_STEP_KEV", "node_grid", "electron_densities", "background_density",
           "event_model"]

#: Default node spacing (keV): below a quarter of the resolution of liquid xenon at 1 keV.
DEFAULT_STEP_KEV = 0.05
_ELECTRON = ("sm_electron", "magnetic_moment", "millicharge")


def node_grid(e_min_kev: float, e_max_kev: float, step_kev: float = DEFAULT_STEP_KEV):
    """Uniform nodes from e_min to e_max (keV) with spacing <= step_kev.

    Examples
    --------
    >>> node_grid(1.0, 2.0, 0.3).round(3).tolist()
    [1.0, 1.25, 1.5, 1.75, 2.0]
    """
    if not (np.isfinite(e_min_kev) and np.isfinite(e_max_kev) and 0 < e_min_kev < e_max_kev):
        raise InvalidParameterError(f"analysis window {e_min_kev!r}-{e_max_kev!r} keV: need "
                                    "0 < e_min_kev < e_max_kev")
    if not step_kev > 0:
        raise InvalidParameterError(f"step_kev={step_kev!r} must be > 0")
    n = max(int(np.ceil((e_max_kev - e_min_kev) / step_kev - 1e-9)), 1)
    return np.linspace(e_min_kev, e_max_kev, n + 1)


def _to_nodes(nodes, counts):
    """Counts per segment -> density at the nodes (centres interpolated; ends: end segment)."""
    width = np.diff(nodes)
    centre = 0.5 * (nodes[1:] + nodes[:-1])
    return np.interp(nodes, centre, counts / width)


def electron_densities(experiment, nodes, *, atomic=None, **params) -> dict:
    """Observed electron-recoil densities (counts/keV, full ON exposure) at the nodes for the
    EM parameters ``params`` (mu_nu, delta_q, r2_cm2), by component (module docstring, step 2).
    """
    from ..binned import counts_in_bins
    from ..detectors.folding import DetectorResponse

    step = float(np.max(np.diff(nodes)))
    resp = DetectorResponse(nodes, step, experiment.resolution, experiment.efficiency,
                            experiment.quenching)
    true = resp.true_edges_kev()
    kw = dict(params)
    if atomic is not None:
        kw["atomic"] = atomic
    if experiment.density_g_cm3 is not None:
        kw["density_g_cm3"] = experiment.density_g_cm3
    per = counts_in_bins(experiment.target, experiment.flux(), true, 1.0,
                         components=_ELECTRON, **kw)
    fm = resp.matrix(true)
    x = experiment.exposure.on_kg_day
    return {c: _to_nodes(nodes, fm.fold(per[c] * x).counts) for c in _ELECTRON}


def background_density(experiment, background, nodes):
    """Observed background density at the nodes (counts/keV, full ON exposure) and its
    description (module docstring, step 4).

    ``background``: a :class:`nuem.io.events.BackgroundTable` covering the nodes, or None for
    the experiment's ``[background]`` model (an error if it gives no counts in the window).
    """
    x = experiment.exposure.on_kg_day
    lo, hi = float(nodes[0]), float(nodes[-1])
    if background is not None:
        background.check_covers(lo, hi)
        return background.rate_cpkkd(nodes) * x, {"kind": "table", **background.to_dict()}
    model = experiment.background
    dens = _to_nodes(nodes, model.counts(nodes, x, experiment.resolution))
    if not np.any(dens > 0):
        raise InvalidParameterError(f"experiment {experiment.id!r} has no background model in "
                                    f"{lo:g}-{hi:g} keV ([background] gives no counts); give a "
                                    "background file (background= / --background-file)")
    return dens, {"kind": "experiment", "source": f"the [background] model of {experiment.id}",
                  "unit": "counts/(kg keV day)", "model": model.to_dict()}


def event_model(experiment, background, *, param: str = "mu-nu", atomic=None,
                e_min_kev: float | None = None, e_max_kev: float | None = None,
                step_kev: float | None = None, background_sigma: float | None = None,
                include_sm: bool = True, float_sm: bool = False, sm_sigma: float | None = None,
                nonnegative: bool = False):
    """(model, info) for an experiment, a background table and a window (module docstring).

    Parameters
    ----------
    experiment : nuem.experiments.Experiment
    background : nuem.io.events.BackgroundTable or None
        Observed background model; must cover the window. None: the experiment's
        ``[background]`` model (:func:`background_density`).
    param : {"mu-nu", "delta-q", "r2"}
    atomic : str or mapping, optional
        Atomic model(s) (:func:`nuem.rates.differential_rates`); default per process.
    e_min_kev, e_max_kev : float, optional
        Window (default: the experiment's analysis window).
    step_kev : float, optional
        Node spacing (keV; default :data:`DEFAULT_STEP_KEV`).
    background_sigma : float or None
        σ of the relative background normalisation (>= 0; None: free).
    include_sm : bool
        Add the SM ν–e component of the source (False when the background table already
        contains it).
    float_sm, sm_sigma
        Float the SM component's normalisation (free, or Gaussian with ``sm_sigma`` >= 0).
    nonnegative : bool
        Require the density to be >= 0 on the whole window, not only at the events
        (:class:`UnbinnedModel`; used for limits and sensitivities: data and toys may hold few
        events).
    """
    from ..rates import resolve_atomic_models

    if param not in PARAMS:
        raise InvalidParameterError(f"param={param!r} is not known; allowed: {', '.join(PARAMS)}")
    background_sigma, sm_sigma = (None if v is None else check_nonneg(v, k) for k, v in
                                  (("background_sigma", background_sigma),
                                   ("sm_sigma", sm_sigma)))
    if float_sm and not include_sm:
        raise InvalidParameterError("float_sm needs the SM component (include_sm=True); it is "
                                    "not added when the background already contains it")
    a = experiment.analysis
    lo = a.e_min_kev if e_min_kev is None else float(e_min_kev)
    hi = a.e_max_kev if e_max_kev is None else float(e_max_kev)
    nodes = node_grid(lo, hi, DEFAULT_STEP_KEV if step_kev is None else step_kev)
    bkg, bkg_info = background_density(experiment, background, nodes)
    ref = PARAM_UNITS[param][0]
    zero = electron_densities(experiment, nodes, atomic=atomic)
    if param == "mu-nu":
        signal = electron_densities(experiment, nodes, atomic=atomic,
                                    mu_nu=ref)["magnetic_moment"]
        models = resolve_atomic_models(atomic, mu_nu=ref)
    elif param == "delta-q":
        plus = electron_densities(experiment, nodes, atomic=atomic, delta_q=ref)["millicharge"]
        minus = electron_densities(experiment, nodes, atomic=atomic, delta_q=-ref)["millicharge"]
        signal = 0.5 * (plus + minus)
        models = resolve_atomic_models(atomic, delta_q=ref)
    else:
        signal = (electron_densities(experiment, nodes, atomic=atomic,
                                     r2_cm2=ref)["sm_electron"] - zero["sm_electron"])
        models = resolve_atomic_models(atomic)
    x = experiment.exposure.on_kg_day
    sm = zero["sm_electron"] if include_sm else None
    model = UnbinnedModel(nodes, signal, bkg, known=sm, background_sigma=background_sigma,
                          known_free=float_sm, known_sigma=sm_sigma if float_sm else None,
                          nonnegative=nonnegative)
    integ = model.integrals
    info = {"window_kev": [lo, hi], "nodes": int(nodes.size), "step_kev": float(nodes[1] - lo),
            "exposure_kg_day": x, "exposure_t_yr": x / 1000.0 / (year / day),
            "atomic_models": dict(models), "background": bkg_info,
            "expected_counts": {"signal_per_unit_theta": float(integ[0]),
                                "background": float(integ[1]),
                                "sm_electron": float(integ[2]) if include_sm else None},
            "sm_component": ("floated" if float_sm else "fixed") if include_sm
            else "not added (in the background table)"}
    return model, info
