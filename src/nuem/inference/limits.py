r"""Limits from measured spectra: one likelihood model per data set, one method from the registry.

Data are read with :func:`nuem.io.excess.read_measured` (tables with ``on_counts``/``off_counts``,
an ON−OFF residual ``residual_counts``/``residual_cpkkd`` with its ``sigma_*`` errors, a single
``counts``/``cpkkd`` series, or the EXCESS Ge formats). The signal template per data bin comes
from the experiment (:func:`nuem.inference.signal_template`), computed on the experiment's window
with a bin width no coarser than the data and interpolated to the data edges through its
cumulative sum (counts conserved; linear inside a template bin). Only data bins inside the
experiment's analysis window [e_min, e_max] are used (the experiment's threshold applies).

Model (:mod:`nuem.inference.builders`)
    ON/OFF data: the Gaussian ON−OFF residual model (:class:`nuem.inference.ResidualModel`;
    r_i = N_on,i − N_off,i x_on/x_off, σ_i² = N_on,i + N_off,i (x_on/x_off)², the SM ν–e +
    coherent ν–N counts a known ON-only expectation), or with ``joint_poisson=True`` the joint
    Poisson model with the background profiled (:class:`nuem.inference.OnOffModel`; Rolke,
    López & Conrad, NIM A 551, 493 (2005)); a residual file with errors (Wong, Li, Lin, PRL 105,
    061801 (2010), Fig. 3a): the residual model in counts or cpkkd; ON-only data (one series):
    :class:`nuem.inference.BinnedPoissonOnOnly`.
Method (:mod:`nuem.inference.methods`)
    A method with Gaussian intervals (``feldman-cousins``, PRD 57, 3873 (1998); ``bayes``;
    ``cls``) takes the fit θ̂ ± σ_total (unphysical region allowed; Wong et al. 2010,
    analysis I) and gives the interval for θ ≥ 0; a model method (``binned-poisson``:
    Wong et al. 2010 analysis II, no background subtraction, the signal in no bin may exceed
    that bin's CL Poisson upper limit; or a user-registered one) receives the model and the
    data. μν and δQ limits are ref·√θ_up (square root monotone, coverage kept), ⟨r²⟩ ref·θ_up;
    for ⟨r²⟩ (signed) the result also holds the two-sided profile-likelihood interval of the
    exact quadratic model (``two_sided``, lower and upper in cm² with the convention;
    :mod:`nuem.inference.r2_interval`; Gaussian residual models).

Systematics (fit models)
    Gaussian-constrained nuisance parameters of the model's likelihood, profiled in the fit
    (:mod:`nuem.inference.likelihood`): ``flux_norm_sigma`` (reactor ν̄ flux normalisation,
    typically 0.03–0.05) and ``xsec_sigma`` (cross-section model; Wong et al. 2010 took 0.20 for
    the EPA atomic-ionisation model) each scale the signal, (1 + ν_flux)(1 + ν_xsec);
    ``onoff_syst`` (ON/OFF data) the relative OFF normalisation of the subtracted background;
    ``bkg_tilt_sigma`` (ON/OFF data) a linear tilt of it across the window (background shape);
    ``escale_sigma`` a relative energy-scale shift δ acting on the signal and the SM to first
    order (:mod:`nuem.inference.templates`). The result is θ̂ ± stat ± syst with stat the error
    with the nuisances fixed at their best fit, total the error with them profiled (Hessian) and
    syst = √(total² − stat²), reported with χ²/dof (Poisson deviance for the joint fit); the
    interval uses the total error. For a pure normalisation nuisance the profiled syst is
    |θ̂|·σ_ν (it vanishes at θ̂ = 0; Cousins & Highland, NIM A 320, 331 (1992) discuss folding
    such uncertainties into limits).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validation import choice
from ..exceptions import InvalidParameterError
from ._common import check_cl, check_nonneg, resolve_experiment
from .builders import model_for_data
from .methods import LIMIT_METHODS, capabilities, get_method
from .sensitivity import PARAM_UNITS, PARAMS, to_physical
from .templates import template_on_edges

__all__ = ["LIMIT_METHODS", "LimitResult", "template_on_edges", "interval_from_fit",
           "limit_from_data"]


@dataclass(frozen=True)
class LimitResult:
    """Limit from data: ``best_fit`` is θ̂ (None for ON-only data), ``upper_limit`` physical.

    ``stat``, ``syst``, ``total`` are the errors of θ̂ (``best_fit_error`` = ``total``) and
    ``nuisances`` the systematic inputs and fitted nuisance values (fit models only).
    """

    param: str
    unit: str
    method: str
    cl: float
    best_fit: float | None
    best_fit_error: float | None
    theta_upper: float
    upper_limit: float
    chi2: float | None
    dof: int | None
    details: dict = field(default_factory=dict)
    stat: float | None = None
    syst: float | None = None
    total: float | None = None
    nuisances: dict = field(default_factory=dict)
    two_sided: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        ref, unit = PARAM_UNITS[self.param]
        extra = {}
        if self.param == "r2":
            extra = {"r2_convention": self.details.get("r2_convention"),
                     "two_sided": dict(self.two_sided)}
        return {**extra, "param": self.param, "unit": self.unit, "method": self.method,
                "cl": self.cl,
                "best_fit": self.best_fit, "best_fit_error": self.best_fit_error,
                "best_fit_unit": (f"({ref:g} {unit})^2" if self.param != "r2"
                                  else f"{ref:g} cm^2"),
                "theta_upper": self.theta_upper, "upper_limit": self.upper_limit,
                "stat": self.stat, "syst": self.syst, "total": self.total,
                "chi2": self.chi2, "dof": self.dof, "nuisances": dict(self.nuisances),
                "details": dict(self.details)}


def _wants_on_only(meth) -> bool:
    kinds = tuple(getattr(meth, "model_kinds", ()) or ())
    return "model" in capabilities(meth) and kinds == ("on-only",)


def _accepts(meth, kind: str) -> bool:
    kinds = tuple(getattr(meth, "model_kinds", ()) or ())
    return "model" in capabilities(meth) and (not kinds or kind in kinds)


def limit_from_data(experiment, data, *, param: str = "mu-nu", method: str = "feldman-cousins",
                    cl: float = 0.9, atomic=None, trials: str = "none",
                    flux_norm_sigma: float = 0.0, xsec_sigma: float = 0.0,
                    onoff_syst: float = 0.0, joint_poisson: bool = False,
                    escale_sigma: float = 0.0, bkg_tilt_sigma: float = 0.0,
                    couplings: str | None = None,
                    r2_convention: str | None = None, off_model: str = "binned",
                    off_degree: int = 0) -> LimitResult:
    r"""Upper limit on μν, δQ or ⟨r²⟩ from a measured spectrum (models and methods: module
    docstring).

    Parameters
    ----------
    experiment : Experiment or str
        Preset id or Experiment: flux, target, response, window, exposure.
    data : MeasuredSpectrum or path
        Measured spectrum (read with :func:`nuem.io.excess.read_measured` if a path).
    param : {"mu-nu", "delta-q", "r2"}
    method : str
        A registered method with Gaussian or model intervals
        (:data:`nuem.inference.LIMIT_METHODS`: ``"feldman-cousins"``, ``"bayes"``, ``"cls"``,
        ``"binned-poisson"`` and user-registered ones).
    cl : float
        Confidence level in (0, 1).
    atomic : str or mapping, optional
        Atomic model(s) for the template.
    trials : {"none", "sidak", "bonferroni"}
        Binned-Poisson only: how CL is shared among bins.
    flux_norm_sigma : float
        Relative Gaussian uncertainty of the reactor flux normalisation (0 = off; typically
        0.03–0.05). Fit models only.
    xsec_sigma : float
        Relative Gaussian uncertainty of the cross-section model (0 = off; Wong et al. 2010:
        0.20 for the EPA atomic-ionisation cross section). Fit models only.
    onoff_syst : float
        Relative uncertainty of the OFF normalisation in the ON−OFF subtraction (0 = off);
        ON/OFF data only.
    joint_poisson : bool
        Fit ON and OFF counts with the joint Poisson model (:class:`nuem.inference.OnOffModel`)
        instead of the Gaussian residual.
    escale_sigma : float
        Relative energy-scale uncertainty (0 = off; e.g. 0.01), a Gaussian nuisance δ acting on
        the signal and the SM expectation to first order (:mod:`nuem.inference.templates`).
    bkg_tilt_sigma : float
        Background-shape uncertainty: a linear tilt of the subtracted background across the
        window, ±σ at the window ends (0 = off; ON/OFF data).
    couplings : {"radiative", "tree"}, optional
        SM coupling scheme of the templates (None: the rate engine's default).
    r2_convention : {"gv-shift", "sin2w-shift", "tree-level"}, optional
        Charge-radius convention for ``param="r2"`` (None: gv-shift), stated in the result.
    off_model : {"binned", "smooth"}
        ON/OFF data: bin-by-bin subtraction (default) or the smooth background family fitted
        to ON and OFF jointly (:mod:`nuem.inference.smooth_background`; degree ``off_degree``).

    Returns
    -------
    LimitResult

    Examples
    --------
    >>> import numpy as np
    >>> from nuem.io.spectra import MeasuredSpectrum
    >>> d = MeasuredSpectrum(np.array([12.0, 30.0]), np.array([30.0, 60.0]),
    ...                      {"spectrum": ("counts", np.array([9000.0, 15000.0]))},
    ...                      {"spectrum": None}, "example")
    >>> r = limit_from_data("texono-hpge", d, method="binned-poisson")
    >>> r.method, 1e-10 < r.upper_limit < 1e-8
    ('binned-poisson', True)
    """
    from ..io.excess import read_measured
    from ..io.spectra import MeasuredSpectrum

    cl = check_cl(cl)
    sig = {k: check_nonneg(v, k) for k, v in (("flux_norm_sigma", flux_norm_sigma),
                                              ("xsec_sigma", xsec_sigma),
                                              ("onoff_syst", onoff_syst),
                                              ("escale_sigma", escale_sigma),
                                              ("bkg_tilt_sigma", bkg_tilt_sigma))}
    param = choice(param, "param", PARAMS)
    meth = get_method(method, ("gaussian", "model"))
    experiment = resolve_experiment(experiment)
    spec = data if isinstance(data, MeasuredSpectrum) else read_measured(data)
    on_only = _wants_on_only(meth) or (
        _accepts(meth, "on-only") and not {"off", "residual"} & set(spec.values))
    if on_only:
        _fit_only(sig, method)
    from ..interactions.charge_radius import check_r2_convention
    from ..interactions.couplings import DEFAULT_COUPLINGS, check_couplings

    physics = {"couplings": check_couplings(couplings or DEFAULT_COUPLINGS),
               "r2_convention": check_r2_convention(r2_convention or "gv-shift")}
    model, d, details, (lo, hi) = model_for_data(experiment, spec, param=param, atomic=atomic,
                                                 on_only=on_only, joint_poisson=joint_poisson,
                                                 sig=sig, method=method, physics=physics,
                                                 off_model=choice(off_model, "off_model",
                                                                  ("binned", "smooth")),
                                                 off_degree=off_degree)
    quad = details.pop("r2_quadratic", None)
    details["couplings"] = physics["couplings"]
    if param == "r2":
        details["r2_convention"] = physics["r2_convention"]
    opts = {"trials": trials} if "trials" in (getattr(meth, "options", ()) or ()) else {}
    ref, unit = PARAM_UNITS[param]
    details["model"] = model.describe()
    if model.kind == "on-only":
        if not _accepts(meth, "on-only"):
            raise InvalidParameterError(f"method={method!r} cannot use ON-only data")
        iv = meth.model_interval(model, d, cl, **opts)
        up = float(iv.upper)
        extra = dict(iv.details)
        if "limiting_bin" in extra:
            i = int(extra.pop("limiting_bin"))
            extra["limiting_bin_kev"] = [float(lo[i]), float(hi[i])]
        extra.pop("model", None)
        details.update(extra)
        return LimitResult(param, unit, method, cl, None, None, up, to_physical(up, param),
                           None, None, details)
    fit = model.fit(d)
    if _accepts(meth, model.kind):
        iv = meth.model_interval(model, d, cl, **opts)
    elif "gaussian" in capabilities(meth):
        from .intervals import gaussian_interval

        iv = gaussian_interval(fit.best_fit, fit.total, cl, method)
    else:
        raise InvalidParameterError(f"method={method!r} takes neither a Gaussian estimate nor "
                                    f"a {model.kind!r} model")
    if model.kind == "on-off":
        details["minos"] = fit.minos
    details["lower_theta"] = float(iv.lower)
    fitted = {k: float(v) for k, v in fit.nuisances.items() if np.ndim(v) == 0}
    norms = [fitted[k] for k in ("flux_norm", "xsec_norm") if k in fitted]
    if norms:
        fitted["norm"] = float(np.prod([1.0 + v for v in norms]) - 1.0)
    nuis = {**sig, "norm_sigma": float(np.hypot(sig["flux_norm_sigma"], sig["xsec_sigma"])),
            "fitted": fitted}
    up = float(iv.upper)
    two = _two_sided_r2(model, d, quad, cl, physics["r2_convention"]) if param == "r2" else {}
    return LimitResult(param, unit, method, cl, float(fit.best_fit), float(fit.total), up,
                       to_physical(up, param), float(fit.chi2), int(fit.dof), details,
                       float(fit.stat), float(fit.syst), float(fit.total), nuis, two)


def _two_sided_r2(model, data, quad, cl, convention) -> dict:
    """Two-sided ⟨r²⟩ interval (cm²) of the quadratic model (:mod:`nuem.inference.r2_interval`):
    exact quartic without nuisances, profile scan with them; joint Poisson: not available."""
    from .r2_interval import R2_REF_CM2, chi2_quartic, profile_scan_interval, quartic_interval

    if model.kind not in ("residual", "on-off-smooth") or quad is None:
        return {"note": "two-sided <r^2> intervals need a Gaussian model (not --joint-poisson)",
                "r2_convention": convention}
    if model.kind == "on-off-smooth":
        iv = quartic_interval(model.quadratic_signal_quartic(model.unit_signal, quad, data)[0],
                              cl)
        iv["method"] = "profile likelihood of the exact quadratic model, background profiled"
    elif len(model.names) == 1:
        r = np.asarray(data, float) - model.known
        iv = quartic_interval(chi2_quartic(r, model.weight, model.unit_signal, quad), cl)
        iv["method"] = "profile likelihood of the exact quadratic model (Wilks)"
    else:
        iv = profile_scan_interval(model, data, quad, cl)
    return {"best_fit_cm2": iv["best"] * R2_REF_CM2, "lower_cm2": iv["lower"] * R2_REF_CM2,
            "upper_cm2": iv["upper"] * R2_REF_CM2,
            "disconnected_cm2": [[x * R2_REF_CM2 for x in rg] for rg in iv["disconnected"]],
            "cl": cl, "q": iv["q"], "method": iv["method"], "r2_convention": convention}


def _fit_only(sig, method):
    bad = [k for k, v in sig.items() if v]
    if bad:
        raise InvalidParameterError(f"{', '.join(bad)} apply to fit methods only, not to "
                                    f"method={method!r}")


def interval_from_fit(best_fit: float, stat: float, syst: float = 0.0, *, cl: float = 0.9,
                      method: str = "feldman-cousins", param: str = "mu-nu") -> dict:
    r"""Combination step: θ̂ ± stat ± syst → total error → interval for θ ≥ 0 → physical limit.

    total = √(stat² + syst²) (independent Gaussian errors, as quoted by Wong, Li, Lin, PRL 105,
    061801 (2010)); the
    interval is :func:`nuem.inference.gaussian_interval` (Feldman & Cousins, PRD 57, 3873
    (1998) by default) and the physical limit ref·√θ_up (μν, δQ) or ref·θ_up (⟨r²⟩).

    Parameters
    ----------
    best_fit : float
        θ̂, e.g. [μν/(10⁻¹¹ μB)]²; may be negative.
    stat, syst : float
        Statistical (> 0) and systematic (>= 0) errors of θ̂.
    cl : float
        Confidence level in (0, 1).
    method : str
        A method with Gaussian intervals (``"feldman-cousins"``, ``"bayes"``, ``"cls"``, ...).
    param : {"mu-nu", "delta-q", "r2"}

    Returns
    -------
    dict
        ``total``, ``theta_lower``, ``theta_upper``, ``upper_limit`` (physical), ``cl``,
        ``method``.

    Examples
    --------
    Wong et al. 2010, analysis I: [μν/10⁻¹¹ μB]² = −1.0 ± 2.7 (stat) ± 0.9 (syst) →
    μν < 1.9×10⁻¹¹ μB.

    >>> r = interval_from_fit(-1.0, 2.7, 0.9)
    >>> round(r["total"], 3), f"{r['upper_limit']:.2g}"
    (2.846, '1.9e-11')
    """
    cl = check_cl(cl)
    param = choice(param, "param", PARAMS)
    stat = float(stat)
    if not (np.isfinite(stat) and stat > 0):
        raise InvalidParameterError(f"stat must be > 0, got {stat!r}")
    syst = check_nonneg(syst, "syst")
    total = float(np.hypot(stat, syst))
    from .intervals import gaussian_interval

    iv = gaussian_interval(float(best_fit), total, cl, method)
    up, lo = float(iv.upper), float(iv.lower)
    return {"total": total, "theta_lower": lo, "theta_upper": up,
            "upper_limit": to_physical(up, param), "cl": cl, "method": method}
