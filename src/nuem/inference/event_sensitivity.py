r"""Expected sensitivities of event-list experiments: the extended unbinned likelihood.

For an experiment analysed event by event (the liquid-noble and solar presets; ``nuem limit
--data-format events``) the model is the one of the limit,
:func:`nuem.inference.event_templates.event_model`: signal + background (a user's table, or the
experiment's own ``[background]`` model) + the SM ν–e component of the source, an
:class:`~nuem.inference.unbinned_model.UnbinnedModel` with the same nuisances.

**Asimov** (``method="asimov"``). The Asimov data set is
:meth:`UnbinnedModel.asimov_data`: one weighted "event" at the midpoint of every node segment
(spacing ≤ 0.05 keV), its weight the expected counts of the segment at θ = 0 and nominal
nuisances. Its maximum-likelihood fit is exactly the truth: the densities are linear on each
segment, so the midpoint rule is exact, w_j = h_j λ(m_j), and the score
∫ t_p dE − Σ_j w_j t_p(m_j)/λ(m_j) = Σ_j h_j t_p(m_j) − Σ_j h_j t_p(m_j) = 0 for every template
t_p. The profile-likelihood ratio on it is therefore q̃_A(θ), the Asimov statistic of
G. Cowan, K. Cranmer, E. Gross, O. Vitells, EPJC 71, 1554 (2011), Sec. 5: the median upper limit
of the background-only ensemble solves q̃_A(θ_med) = [Φ⁻¹(CL)]² (θ̂ is asymptotically Gaussian
with median 0 and the limit grows monotonically with θ̂). σ_A = θ_med / Φ⁻¹(CL) (q̃_A = θ²/σ_A²,
Cowan et al. Eq. 30), and the bands are the limits for θ̂ = N σ_A, N = ±1, ±2 (Cowan et al.
Sec. 4.4, Eq. 89): for ``interval="profile-likelihood"`` the q̃ limit
θ_up = θ̂ + (θ̂² + z²σ_A²)^{1/2} for θ̂ < 0 and θ̂ + zσ_A for θ̂ ≥ 0 (q̃ of Cowan et al. Eq. 16,
z = Φ⁻¹(CL)); for a method with Gaussian intervals (``feldman-cousins``, ``bayes``, ``cls``) that
method's interval of θ̂ = N σ_A ± σ_A (asymptotic).

**Toys** (``method="toys"``). ``n_toys`` pseudo-experiments from :meth:`UnbinnedModel.sample`
(Poisson number of events, energies drawn exactly from λ(E)) at θ = 0 and nominal nuisances,
each fitted (vectorised Newton iterations, :meth:`UnbinnedModel.fit_prepared`);
``profile-likelihood``: each toy's own one-sided limit q̃(θ_up) = z², solved by vectorised
regula falsi (Illinois) on √q̃; ``feldman-cousins``: the construction of Feldman & Cousins,
PRD 57, 3873 (1998), Sec. V, by toys — one belt t_c(θ) on a θ grid from toys at nominal
nuisances (:func:`nuem.inference.fc_toy_belt`, statistic t = q̃ without the θ < θ̂ clause), each
toy's upper limit where its t(θ) − t_c(θ) changes sign (linear interpolation between grid
points, as :func:`nuem.inference.profile_limits.fc_upper_limit`); ``bayes``/``cls``: that
method's Gaussian interval of each toy's θ̂ with σ_A. Median and bands are the 50 %,
15.9/84.1 % and 2.3/97.7 % quantiles of the toys' limits.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_seed, choice
from ..exceptions import InvalidParameterError, NuemError
from ._common import check_cl, resolve_experiment

__all__ = ["EVENT_INTERVALS", "event_sensitivity", "is_event_list", "auto_likelihood",
           "reject_onoff_options"]

#: Interval methods of event-list sensitivities (``profile-likelihood`` first: the default).
EVENT_INTERVALS = ("profile-likelihood", "feldman-cousins", "bayes", "cls")
_QUANT = (0.02275, 0.15866, 0.5, 0.84134, 0.97725)
_N_SIGMA = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
_FC_GRID = 16


def is_event_list(experiment) -> bool:
    """True for an experiment analysed event by event: no OFF exposure and a source other than
    a reactor (the solar and liquid-noble presets)."""
    return experiment.exposure.off_kg_day <= 0 and experiment.source.kind != "reactor"


def auto_likelihood(experiment, param: str, background=None) -> tuple[str, str]:
    """(likelihood, reason) of ``likelihood="auto"`` in
    :func:`nuem.inference.expected_sensitivity`: ``unbinned`` for an event-list experiment
    (:func:`is_event_list`) with a background model (``background`` given, or the experiment's
    ``[background]`` non-zero in its window) and param mu-nu or delta-q; else ``onoff``."""
    if not is_event_list(experiment):
        return "onoff", "OFF exposure or reactor source: ON-OFF residual model"
    if param == "r2":
        return "onoff", "event-list experiment, but r2 is signed: ON-OFF residual model"
    a = experiment.analysis
    if background is None and not experiment.background.counts(
            [a.e_min_kev, a.e_max_kev], 1.0, experiment.resolution).sum() > 0:
        return "onoff", ("event-list experiment without a background model: ON-OFF residual "
                         "model with the SM rates as the only background")
    return "unbinned", "event-list experiment (no OFF exposure, non-reactor source)"


def reject_onoff_options(*, onoff_syst=0.0, template=None, off_model="binned", off_degree=0,
                         rate_options=None, dq_band=False, r2_convention=None,
                         couplings=None, cli: bool = False) -> None:
    """InvalidParameterError naming the first option of the ON−OFF model that is set (as a
    command-line flag with ``cli``)."""
    from ..interactions.charge_radius import R2_CONVENTIONS
    from ..interactions.couplings import DEFAULT_COUPLINGS

    given = {"onoff_syst": onoff_syst != 0, "template": template is not None,
             "off_model": off_model != "binned", "off_degree": off_degree != 0,
             "rate_options": bool(rate_options), "dq_band": bool(dq_band),
             "r2_convention": r2_convention not in (None, R2_CONVENTIONS[0]),
             "couplings": couplings not in (None, DEFAULT_COUPLINGS)}
    bad = [k for k, v in given.items() if v]
    if bad:
        name, sel = ((f"--{bad[0].replace('_', '-')}", "--likelihood onoff") if cli
                     else (bad[0], "likelihood='onoff'"))
        raise InvalidParameterError(f"{name} applies to the ON-OFF sensitivity model, not to "
                                    f"the unbinned event-list likelihood ({sel} selects the "
                                    "former)")


def _q_tilde_limit(theta_hat, sigma, z):
    """Asymptotic q̃ upper limit for an estimate θ̂ with error σ (module docstring)."""
    th = np.asarray(theta_hat, float)
    neg = th + np.sqrt(th * th + (z * sigma) ** 2)
    return np.where(th < 0, neg, th + z * sigma)


def _gaussian_limits(theta_hat, sigma, cl, interval):
    from .intervals import gaussian_interval

    return np.asarray(gaussian_interval(theta_hat, sigma, cl, interval).upper, float)


def _pl_uppers(model, t, w, lo, f_ref, z, step):
    """Each toy's one-sided profile-likelihood limit: √q̃(θ) = z above θ̂₊ (``lo``), by
    regula falsi with the Illinois modification, vectorised over toys."""
    def g(th):
        f = model.fit_prepared(t, w, theta=th)[1]
        return np.sqrt(np.maximum(f - f_ref, 0.0)) - z

    a, ga = lo.copy(), np.full(lo.shape, -z)
    b = lo + step
    gb = g(b)
    for _ in range(40):
        low = gb < 0
        if not np.any(low):
            break
        a, ga = np.where(low, b, a), np.where(low, gb, ga)
        b = np.where(low, lo + 2.0 * (b - lo), b)
        gb = np.where(low, g(b), gb)
    else:
        raise NuemError("toys: the test statistic does not reach the threshold for every toy")
    side = np.zeros(lo.shape, int)
    for _ in range(60):
        c = b - gb * (b - a) / (gb - ga)
        gc = g(c)
        right = gc > 0
        b, gb, a, ga = (np.where(right, c, b), np.where(right, gc, gb),
                        np.where(right, a, c), np.where(right, ga, gc))
        ga = np.where(right & (side == 1), 0.5 * ga, ga)        # Illinois
        gb = np.where(~right & (side == -1), 0.5 * gb, gb)
        side = np.where(right, 1, -1)
        if np.all(np.abs(b - a) <= 1e-7 * np.maximum(np.abs(b), 1e-12)):
            break
    return np.where(np.abs(gb) < np.abs(ga), b, a)


def _fc_uppers(model, t, w, f_ref, top, cl, n_toys, seed, workers):
    """Each toy's FC upper limit from one belt by toys on [0, top] (module docstring)."""
    from .fc_toys import fc_toy_belt

    grid = np.linspace(0.0, top, _FC_GRID)

    def sample(th, n, rng):
        return model.sample({"theta": float(th)}, rng, n)

    def tstat(toys, th):
        tt, ww = model.prepare(toys.energies_kev)
        fb = model.fit_prepared(tt, ww, physical=True)[1]
        return np.maximum(model.fit_prepared(tt, ww, theta=float(th))[1] - fb, 0.0)

    belt = fc_toy_belt(grid, sample, tstat, cl, n_toys, seed, workers)
    gap = np.stack([np.maximum(model.fit_prepared(t, w, theta=float(th))[1] - f_ref, 0.0)
                    for th in grid], axis=1) - belt.t_crit
    if np.any(gap[:, -1] <= 0):
        raise NuemError("feldman-cousins toys: a toy is accepted at the top of the belt grid; "
                        "the construction is outside its assumptions")
    acc = gap <= 0
    last = np.where(acc.any(axis=1), grid.size - 1 - np.argmax(acc[:, ::-1], axis=1), -1)
    i = np.clip(last, 0, grid.size - 2)
    rows = np.arange(gap.shape[0])
    g0, g1 = gap[rows, i], gap[rows, i + 1]
    cross = grid[i] + (grid[i + 1] - grid[i]) * g0 / (g0 - g1)
    return np.where(last < 0, 0.0, cross), belt


def event_sensitivity(experiment, background=None, *, background_unit: str | None = None,
                      param: str = "mu-nu", cl: float = 0.9, method: str = "asimov",
                      interval: str = "profile-likelihood", n_toys: int = 2000, seed=None,
                      workers: int = 1, atomic=None, e_min_kev=None, e_max_kev=None,
                      background_sigma=None, include_sm: bool = True, float_sm: bool = False,
                      sm_sigma=None, step_kev=None, reason: str = "requested"):
    """Expected upper limit and bands of an event-list experiment (module docstring).

    Parameters
    ----------
    experiment : Experiment or str
    background : path, BackgroundTable or None
        Background model (observed energy; with ``background_unit`` for a path); None: the
        experiment's ``[background]`` model.
    param : {"mu-nu", "delta-q"}
        The signed ⟨r²⟩ has no one-sided sensitivity here.
    method : {"asimov", "toys"}
    interval : str
        One of :data:`EVENT_INTERVALS`.
    n_toys, seed, workers
        Toys (and, for ``feldman-cousins``, toys per belt grid point), seed, threads.
    atomic, e_min_kev, e_max_kev, background_sigma, include_sm, float_sm, sm_sigma, step_kev
        As for :func:`nuem.inference.limit_from_events`.
    reason : str
        Why this likelihood was chosen (recorded in ``assumptions``).

    Returns
    -------
    nuem.inference.SensitivityResult
        ``assumptions["likelihood"] == "unbinned"``; ``assumptions["background"]`` says which
        background model was used.
    """
    from scipy.stats import norm

    from ..io.events import BackgroundTable, read_background_table
    from .event_templates import event_model
    from .profile_limits import profile_upper_limit
    from .sensitivity import PARAM_UNITS, SENSITIVITY_METHODS, SensitivityResult, to_physical

    cl = check_cl(cl)
    if param == "r2":
        raise InvalidParameterError("param='r2': the signed charge radius has no one-sided "
                                    "event-list sensitivity; allowed: mu-nu, delta-q (or the "
                                    "ON-OFF model, likelihood='onoff')")
    param = choice(param, "param", ("mu-nu", "delta-q"))
    method = choice(method, "method", SENSITIVITY_METHODS)
    interval = choice(interval, "interval", EVENT_INTERVALS)
    experiment = resolve_experiment(experiment)
    if background is not None and not isinstance(background, BackgroundTable):
        if background_unit is None:
            raise InvalidParameterError("background_unit is required with a background file")
        background = read_background_table(background, background_unit)
    model, info = event_model(experiment, background, param=param, atomic=atomic,
                              e_min_kev=e_min_kev, e_max_kev=e_max_kev,
                              step_kev=step_kev, background_sigma=background_sigma,
                              include_sm=include_sm, float_sm=float_sm, sm_sigma=sm_sigma,
                              nonnegative=True)
    z = float(norm.ppf(cl))
    asimov = model.asimov_data()
    fit_a = model.fit(asimov)
    theta_med = float(profile_upper_limit(model, asimov, cl).upper)
    sigma_a = theta_med / z
    details = {"theta_median_asimov": theta_med, "sigma_asimov": sigma_a,
               "sigma_hessian": float(fit_a.total), "theta_hat_asimov": float(fit_a.best_fit)}
    if method == "asimov":
        est = _N_SIGMA * sigma_a
        th = (_q_tilde_limit(est, sigma_a, z) if interval == "profile-likelihood"
              else _gaussian_limits(est, sigma_a, cl, interval))
    else:
        n_toys = int(n_toys)
        if n_toys < 10:
            raise InvalidParameterError(f"n_toys={n_toys} is too small; give >= 10")
        rng = np.random.default_rng(check_seed(seed))
        toys = model.sample(None, rng, n_toys)
        t, w = model.prepare(toys.energies_kev)
        theta_hat = model.fit_prepared(t, w)[0][:, 0]
        xp, f_ref = model.fit_prepared(t, w, physical=True)
        if interval in ("bayes", "cls"):
            lim = _gaussian_limits(theta_hat, sigma_a, cl, interval)
        else:
            lim = _pl_uppers(model, t, w, xp[:, 0], f_ref, z, z * sigma_a)
            if interval == "feldman-cousins":
                top = 1.6 * float(lim.max()) + sigma_a
                lim, belt = _fc_uppers(model, t, w, f_ref, top, cl, n_toys,
                                       rng.integers(2**63), workers)
                details["fc_grid_theta"] = belt.theta.tolist()
                details["fc_t_crit"] = belt.t_crit.tolist()
        th = np.quantile(lim, _QUANT)
        details.update(n_toys=n_toys, seed=seed, toy_theta_hat_median=float(np.median(theta_hat)),
                       toy_events_mean=float(np.mean(toys.counts)))
    phys = [float(to_physical(v, param)) for v in th]
    ref, unit = PARAM_UNITS[param]
    bk = info["background"]
    used = (f"background table {bk['source']} ({bk['unit']})" if bk["kind"] == "table"
            else f"{bk['source']} (flat/shaped continuum and lines of the experiment file)")
    exp_c = info["expected_counts"]
    assumptions = {
        "experiment": experiment.id, "likelihood": "unbinned", "likelihood_reason": reason,
        "model": "extended unbinned likelihood: signal + background + SM nu-e "
                 "(nuem.inference.event_templates.event_model)",
        "exposure_on_kg_day": info["exposure_kg_day"], "exposure_t_yr": info["exposure_t_yr"],
        "window_kev": info["window_kev"], "node_step_kev": info["step_kev"],
        "background": used, "background_model": bk,
        "background_sigma": background_sigma, "sm_component": info["sm_component"],
        "atomic_models": info["atomic_models"], "interval": interval,
        "background_counts": exp_c["background"], "sm_counts": exp_c["sm_electron"],
        "signal_per_unit_theta": exp_c["signal_per_unit_theta"],
        "theta": f"(param/{ref:g} {unit})^2",
        "asimov": "weighted events at the node-segment midpoints (expected counts at theta = 0, "
                  "nominal nuisances); its fit is exactly the truth, so its limit is the "
                  "median of the background-only ensemble (Cowan et al., EPJC 71, 1554 (2011))",
        "bands": ("Asimov: limits of theta^ = N sigma_A, sigma_A = theta_med / Phi^-1(CL)"
                  if method == "asimov" else f"quantiles of {n_toys} toys' limits"),
        "details": details,
    }
    return SensitivityResult(param=param, unit=unit, cl=cl, method=method, interval=interval,
                             median=phys[2], band_1sigma=(phys[1], phys[3]),
                             band_2sigma=(phys[0], phys[4]), sigma_theta=sigma_a,
                             theta={"median": float(th[2]), "sigma": sigma_a},
                             assumptions=assumptions)
