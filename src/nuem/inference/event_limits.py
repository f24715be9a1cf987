r"""Limits from event lists: an extended unbinned likelihood and a method of the registry.

:func:`limit_from_events` reads an event list (one reconstructed energy per line,
:func:`nuem.io.events.read_event_list`) and a tabulated background model
(:func:`nuem.io.events.read_background_table`), builds the experiment's
:class:`~nuem.inference.unbinned_model.UnbinnedModel` (signal, background with a free or
Gaussian-constrained normalisation, and the SM ν–e component of the source, fixed by default;
:func:`nuem.inference.event_templates.event_model`) in the analysis window, fits it and takes
the upper limit from a registered method with a ``model_interval`` for unbinned models:
``profile-likelihood`` (asymptotic, Wilks; the default) or ``feldman-cousins`` (belt by toys).
The result carries the best fit θ̂ ± stat ± syst, the fitted nuisances, the test-statistic curve
q̃(θ) (:mod:`nuem.inference.profile_limits`), the window, the exposure and the models used.
μν and δQ limits are ref·√θ_up, ⟨r²⟩ ref·θ_up (ref = 10⁻¹¹ μB, 10⁻¹² e, 10⁻³² cm²).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validation import choice
from ..exceptions import InvalidParameterError
from ._common import check_cl, resolve_experiment
from .methods import get_method
from .sensitivity import PARAM_UNITS, PARAMS, to_physical

__all__ = ["EventLimitResult", "limit_from_events"]

_N_CURVE = 25


@dataclass(frozen=True)
class EventLimitResult:
    """Upper limit from an event list (``to_dict`` for JSON); θ in the units of
    :data:`nuem.inference.sensitivity.PARAM_UNITS`."""

    param: str
    method: str
    cl: float
    upper_limit: float
    theta_upper: float
    best_fit: float
    stat: float
    syst: float
    total: float
    nuisances: dict
    test_statistic: dict
    window_kev: list
    n_events: int
    exposure: dict
    models: dict
    details: dict = field(default_factory=dict)

    @property
    def unit(self) -> str:
        return PARAM_UNITS[self.param][1]

    def to_dict(self) -> dict:
        """Plain mapping for JSON; an error the data cannot determine (fewer events than
        fitted parameters; see :meth:`UnbinnedModel.fit`) is None, with ``errors_note``."""
        ref, unit = PARAM_UNITS[self.param]

        def err(v):
            return float(v) if np.isfinite(v) else None

        out = {"param": self.param, "unit": unit, "method": self.method, "cl": self.cl,
                "upper_limit": self.upper_limit, "theta_upper": self.theta_upper,
                "best_fit": self.best_fit, "best_fit_error": err(self.total),
                "best_fit_unit": (f"({ref:g} {unit})^2" if self.param != "r2"
                                  else f"{ref:g} cm^2"),
                "stat": err(self.stat), "syst": err(self.syst), "total": err(self.total),
                "nuisances": dict(self.nuisances), "test_statistic": dict(self.test_statistic),
                "window_kev": list(self.window_kev), "n_events": self.n_events,
                "exposure": dict(self.exposure), "models": dict(self.models),
                "details": dict(self.details)}
        if not np.all(np.isfinite([self.stat, self.syst, self.total])):
            out["errors_note"] = ("the error of the best fit is undefined: the data hold too few "
                                  f"events ({self.n_events}) to fix every fitted parameter; the "
                                  "upper limit does not use it")
        return out


def limit_from_events(experiment, events, background, *, background_unit: str | None = None,
                      param: str = "mu-nu", method: str = "profile-likelihood", cl: float = 0.9,
                      atomic=None, e_min_kev: float | None = None, e_max_kev: float | None = None,
                      background_sigma: float | None = None, include_sm: bool = True,
                      float_sm: bool = False, sm_sigma: float | None = None,
                      n_toys: int = 10_000, seed=0, workers: int = 1,
                      step_kev: float | None = None) -> EventLimitResult:
    """Upper limit on μν, δQ or ⟨r²⟩ from an event list (module docstring).

    Parameters
    ----------
    experiment : Experiment or str
        Preset id or Experiment: source, target, resolution, efficiency, exposure, window.
    events : path, EventList or array_like
        Reconstructed energies (keV); every one must lie in the window.
    background : path or BackgroundTable
        Observed background model (resolution and efficiency applied); a path needs
        ``background_unit`` (:data:`nuem.io.events.BACKGROUND_UNITS`).
    param : {"mu-nu", "delta-q", "r2"}
    method : str
        ``"profile-likelihood"`` (default) or ``"feldman-cousins"`` (toys), or a registered
        method with a ``model_interval`` for unbinned models.
    cl : float
        Confidence level in (0, 1).
    atomic : str or mapping, optional
        Atomic model(s); default per process (stepping for the SM and μν channels).
    e_min_kev, e_max_kev : float, optional
        Window (default: the experiment's analysis window).
    background_sigma : float, optional
        Relative Gaussian uncertainty of the background normalisation (None: free).
    include_sm, float_sm, sm_sigma
        Add the SM ν–e component (False when the background table already contains it);
        float its normalisation (free, or Gaussian with ``sm_sigma``).
    n_toys, seed, workers
        Feldman–Cousins by toys: pseudo-experiments per grid point, seed, threads.
    step_kev : float, optional
        Node spacing of the densities (default 0.05 keV).

    Returns
    -------
    EventLimitResult
    """
    from ..io.events import BackgroundTable, EventList, read_background_table, read_event_list
    from .event_templates import event_model

    cl = check_cl(cl)
    param = choice(param, "param", PARAMS)
    meth = get_method(method, "model")
    kinds = tuple(getattr(meth, "model_kinds", ()) or ())
    if kinds and "unbinned" not in kinds:
        raise InvalidParameterError(f"method={method!r} does not take unbinned models; use "
                                    "profile-likelihood or feldman-cousins")
    experiment = resolve_experiment(experiment)
    a = experiment.analysis
    lo = a.e_min_kev if e_min_kev is None else float(e_min_kev)
    hi = a.e_max_kev if e_max_kev is None else float(e_max_kev)
    if not (np.isfinite(lo) and np.isfinite(hi) and 0 < lo < hi):
        raise InvalidParameterError(f"e_min_kev={lo!r}, e_max_kev={hi!r}: need 0 < e_min_kev "
                                    "< e_max_kev")
    if not isinstance(background, BackgroundTable):
        if background_unit is None:
            raise InvalidParameterError("background_unit is required with a background file")
        background = read_background_table(background, background_unit)
    background.check_covers(lo, hi)
    if isinstance(events, EventList):
        ev = events
        bad = (ev.energies_kev < lo) | (ev.energies_kev > hi)
        if np.any(bad):
            raise InvalidParameterError(f"event energy {float(ev.energies_kev[bad][0])!r} keV "
                                        f"is outside the window [{lo:g}, {hi:g}] keV")
    elif isinstance(events, np.ndarray | list | tuple):
        from ..io.events import parse_event_lines

        ev = parse_event_lines([repr(float(x)) for x in events], "<events>", lo, hi)
    else:
        ev = read_event_list(events, lo, hi)
    model, info = event_model(experiment, background, param=param, atomic=atomic,
                              e_min_kev=lo, e_max_kev=hi,
                              step_kev=step_kev, background_sigma=background_sigma,
                              include_sm=include_sm, float_sm=float_sm, sm_sigma=sm_sigma,
                              nonnegative=True)
    data = model.check_data(ev.energies_kev)
    fit = model.fit(data)
    opts = {k: v for k, v in (("n_toys", n_toys), ("seed", seed), ("workers", workers))
            if k in (getattr(meth, "options", ()) or ())}
    iv = meth.model_interval(model, data, cl, **opts)
    up = float(iv.upper)
    return EventLimitResult(
        param=param, method=method, cl=cl, upper_limit=to_physical(up, param), theta_upper=up,
        best_fit=float(fit.best_fit), stat=float(fit.stat), syst=float(fit.syst),
        total=float(fit.total),
        nuisances={"fitted": dict(fit.nuisances),
                   "background_sigma": background_sigma, "sm": info["sm_component"],
                   "sm_sigma": sm_sigma if float_sm else None},
        test_statistic=_curve(model, data, fit, up, cl),
        window_kev=info["window_kev"], n_events=ev.n,
        exposure={"kg_day": info["exposure_kg_day"], "t_yr": info["exposure_t_yr"]},
        models={"experiment": experiment.id, "source": experiment.source.kind,
                "target": experiment.target, "atomic": info["atomic_models"],
                "resolution": experiment.resolution.to_dict(),
                "efficiency": repr(experiment.efficiency),
                "background": background.to_dict(), "sm_component": info["sm_component"],
                "node_step_kev": info["step_kev"]},
        details={"events": ev.source, "expected_counts": info["expected_counts"],
                 "lower_theta": float(iv.lower),
                 **{k: v for k, v in iv.details.items() if k != "validity"},
                 **({"validity": iv.details["validity"]} if "validity" in iv.details else {})})


def _curve(model, data, fit, theta_up, cl) -> dict:
    """q̃(θ) on a grid from 0 to 1.5 θ_up (the curve of the JSON output)."""
    from .profile_limits import q_tilde, threshold

    top = 1.5 * max(theta_up, 1e-12)
    thetas = np.linspace(0.0, top, _N_CURVE)
    phys = max(float(fit.best_fit), 0.0)
    ref = (fit, phys, float(model.profile(phys, data).m2lnl))
    q = q_tilde(model, data, thetas, ref)
    return {"theta": thetas.tolist(), "q": q.tolist(), "threshold": threshold(cl),
            "definition": "q~(theta) = -2 ln[L(theta, nu^^)/L(max(theta^, 0), nu^)], 0 for "
                          "theta < theta^ (Cowan et al., EPJC 71, 1554 (2011))"}
