r"""Limits from measured spectra: ON−OFF residual fits and binned-Poisson limits for ON-only data.

Data are read with :func:`nuem.io.excess.read_measured` (tables with ``on_counts``/``off_counts``,
an ON−OFF residual ``residual_counts``/``residual_cpkkd`` with its ``sigma_*`` errors, a single
``counts``/``cpkkd`` series, or the EXCESS Ge formats). The signal template per data
bin comes from the experiment (:func:`nuem.inference.sensitivity.signal_template`), computed on the
experiment's window with a bin width no coarser than the data and interpolated to the data edges
through its cumulative sum (counts conserved; linear inside a template bin). Only data bins inside
the experiment's analysis window [e_min, e_max] are used (the experiment's threshold applies).

Methods
-------
``feldman-cousins`` / ``bayes`` / ``cls`` (ON and OFF series)
    Residual r_i = N_on,i − N_off,i x_on/x_off − (SM ν–e + coherent ν–N)_i (expected, ON-only;
    seed 001), σ_i² = N_on,i + N_off,i (x_on/x_off)² (Poisson, floored at 1 count per series to
    keep σ > 0 in empty bins). χ² fit of θ u_i to r_i (:func:`nuem.inference.chi2_fit`, the
    unphysical region allowed; seed 003 analysis I), then the interval for θ ≥ 0 from the Gaussian
    estimate θ̂ ± σ_θ (:func:`nuem.inference.gaussian_interval`: FC, PRD 57, 3873 (1998); flat
    prior; CLs). μν and δQ limits are ref·√θ_up (square root monotone, coverage kept).
    A file with an ON−OFF residual and errors (seed 003 Fig. 3a) is fitted directly:
    r_i − SM_i ± σ_i, in counts (template scaled to the file's exposure, else the experiment's ON
    exposure) or in cpkkd (template divided by width × ON exposure).
    With ``joint_poisson=True`` (ON/OFF counts) the fit is instead the joint Poisson likelihood
    with the background profiled (:func:`nuem.inference.onoff_poisson_fit`; Rolke, López &
    Conrad, NIM A 551, 493 (2005)) and the SM ν–e + ν–N counts as a known ON-only
    expectation.
``binned-poisson`` (ON-only, one series)
    Seed 003 analysis II: no background subtraction; the signal in no bin may exceed the bin's
    CL Poisson upper limit (:func:`nuem.inference.binned_poisson_limit`). Counts are the file's, or
    rate × width × exposure with the file's exposure or, failing that, the experiment's ON
    exposure (stated in the result).

Systematics (fit methods)
-------------------------
Gaussian-constrained nuisances, profiled in the χ² (:func:`nuem.inference.chi2_fit`):
``flux_norm_sigma`` (reactor ν̄ flux normalisation, typically 0.03–0.05) and ``xsec_sigma``
(cross-section model; seed 003 took 0.20 for its EPA atomic-ionisation model) both scale the
signal, (1 + ν_flux)(1 + ν_xsec) ≈ 1 + ν with σ_ν = √(σ_flux² + σ_xsec²) (one normalisation
nuisance; to first order exact, since the two are degenerate); ``onoff_syst`` (ON/OFF data
only) is the relative uncertainty of the OFF normalisation, an additive template
c·N_off·x_on/x_off with σ_c = ``onoff_syst`` (background-subtraction systematic);
``bkg_tilt_sigma`` (ON/OFF data) a linear tilt of that subtracted background across the window
(background shape); ``escale_sigma`` a relative energy-scale shift δ acting on the signal and the
subtracted SM to first order (:mod:`nuem.inference.templates`). The result is
θ̂ ± stat ± syst with stat the error with the nuisances fixed at their best fit, total the error
with them profiled (HESSE) and syst = √(total² − stat²), reported with χ²/dof as in seed 003;
the interval uses the total error (:func:`interval_from_fit`). For a pure normalisation nuisance
the profiled syst is |θ̂|·σ_ν (Gauss–Newton Hessian at the minimum), which is what the joint
Poisson fit adds in quadrature. Note that it vanishes for θ̂ = 0; Cousins & Highland, NIM A 320,
331 (1992) discuss folding such uncertainties into limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .._validation import choice
from ..exceptions import InvalidParameterError
from ._common import check_cl
from .sensitivity import PARAM_UNITS, PARAMS, to_physical
from .templates import _fine_template, template_on_edges

__all__ = ["LIMIT_METHODS", "LimitResult", "template_on_edges", "interval_from_fit",
           "limit_from_data"]

LIMIT_METHODS = ("feldman-cousins", "bayes", "cls", "binned-poisson")


@dataclass(frozen=True)
class LimitResult:
    """Limit from data: ``best_fit`` is θ̂ (None for binned-poisson), ``upper_limit`` physical.

    ``stat``, ``syst``, ``total`` are the errors of θ̂ (``best_fit_error`` = ``total``) and
    ``nuisances`` the systematic inputs and fitted nuisance values (fit methods only).
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

    def to_dict(self) -> dict:
        ref, unit = PARAM_UNITS[self.param]
        return {"param": self.param, "unit": self.unit, "method": self.method, "cl": self.cl,
                "best_fit": self.best_fit, "best_fit_error": self.best_fit_error,
                "best_fit_unit": (f"({ref:g} {unit})^2" if self.param != "r2"
                                  else f"{ref:g} cm^2"),
                "theta_upper": self.theta_upper, "upper_limit": self.upper_limit,
                "stat": self.stat, "syst": self.syst, "total": self.total,
                "chi2": self.chi2, "dof": self.dof, "nuisances": dict(self.nuisances),
                "details": dict(self.details)}


def _counts(spec, series, exposure, what):
    kind, v = spec.values[series]
    if kind == "counts":
        return np.asarray(v, float), spec.exposure_kg_day.get(series) or exposure, "file"
    x = spec.exposure_kg_day.get(series)
    src = "file"
    if x is None:
        x, src = exposure, f"experiment {what} exposure (file has none)"
    if not x or x <= 0:
        raise InvalidParameterError(f"data series {series!r} is a rate and no {what} exposure "
                                    "is known; add '# exposure_kg_day = X' to the file")
    return np.asarray(v, float) * spec.width_kev * x, x, src


def limit_from_data(experiment, data, *, param: str = "mu-nu", method: str = "feldman-cousins",
                    cl: float = 0.9, atomic=None, trials: str = "none",
                    flux_norm_sigma: float = 0.0, xsec_sigma: float = 0.0,
                    onoff_syst: float = 0.0, joint_poisson: bool = False,
                    escale_sigma: float = 0.0, bkg_tilt_sigma: float = 0.0) -> LimitResult:
    r"""Upper limit on μν, δQ or ⟨r²⟩ from a measured spectrum (methods: module docstring).

    Parameters
    ----------
    experiment : Experiment or str
        Preset id or Experiment: flux, target, response, window, exposure.
    data : MeasuredSpectrum or path
        Measured spectrum (read with :func:`nuem.io.excess.read_measured` if a path).
    param : {"mu-nu", "delta-q", "r2"}
    method : {"feldman-cousins", "bayes", "cls", "binned-poisson"}
    cl : float
        Confidence level in (0, 1).
    atomic : str or mapping, optional
        Atomic model(s) for the template.
    trials : {"none", "sidak", "bonferroni"}
        Binned-Poisson only: how CL is shared among bins.
    flux_norm_sigma : float
        Relative Gaussian uncertainty of the reactor flux normalisation (0 = off; typically
        0.03–0.05). Fit methods only.
    xsec_sigma : float
        Relative Gaussian uncertainty of the cross-section model (0 = off; seed 003: 0.20 for
        the EPA atomic-ionisation cross section). Fit methods only.
    onoff_syst : float
        Relative uncertainty of the OFF normalisation in the ON−OFF subtraction (0 = off);
        ON/OFF data only.
    joint_poisson : bool
        Fit ON and OFF counts with the joint Poisson likelihood
        (:func:`nuem.inference.onoff_poisson_fit`) instead of the Gaussian residual χ².
    escale_sigma : float
        Relative energy-scale uncertainty (0 = off; e.g. 0.01), a Gaussian nuisance δ acting on
        the signal and the subtracted SM expectation to first order
        (:mod:`nuem.inference.templates`). χ² fits only.
    bkg_tilt_sigma : float
        Background-shape uncertainty: a linear tilt of the subtracted OFF spectrum across the
        window, ±σ at the window ends (0 = off; ON/OFF data, χ² fit only).

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
    from ..experiments import Experiment, get_experiment
    from ..io.excess import read_measured
    from ..io.spectra import MeasuredSpectrum

    cl = check_cl(cl)
    sig = {k: _nonneg(v, k) for k, v in (("flux_norm_sigma", flux_norm_sigma),
                                         ("xsec_sigma", xsec_sigma), ("onoff_syst", onoff_syst),
                                         ("escale_sigma", escale_sigma),
                                         ("bkg_tilt_sigma", bkg_tilt_sigma))}
    param = choice(param, "param", PARAMS)
    method = choice(method, "method", LIMIT_METHODS)
    if isinstance(experiment, str):
        experiment = get_experiment(experiment)
    if not isinstance(experiment, Experiment):
        raise InvalidParameterError("experiment must be a preset id or a nuem Experiment")
    spec = data if isinstance(data, MeasuredSpectrum) else read_measured(data)
    a = experiment.analysis
    tol = 1e-9
    inside = (spec.e_lo_kev >= a.e_min_kev - tol) & (spec.e_hi_kev <= a.e_max_kev + tol)
    if not np.any(inside):
        raise InvalidParameterError(
            f"data: no bin of {spec.source} lies inside the analysis window "
            f"{a.e_min_kev:g}-{a.e_max_kev:g} keV of experiment {experiment.id!r}")
    lo, hi = spec.e_lo_kev[inside], spec.e_hi_kev[inside]
    u, sm, tspec = template_on_edges(experiment, lo, hi, param, atomic)
    du = dsm = None
    if sig["escale_sigma"]:
        from .templates import energy_scale_derivative

        f_edges, f_u, f_sm, _ = _fine_template(experiment, lo, hi, param, atomic)
        du = energy_scale_derivative(f_edges, f_u, lo, hi)
        dsm = energy_scale_derivative(f_edges, f_sm, lo, hi)
    x_on, x_off = experiment.exposure.on_kg_day, experiment.exposure.off_kg_day
    ref, unit = PARAM_UNITS[param]
    details = {"experiment": experiment.id, "data": spec.source, "n_bins": int(inside.sum()),
               "window_kev": [float(lo[0]), float(hi[-1])], "atomic": atomic,
               "flux_cm2_s": tspec.parameters.get("flux_cm2_s")}
    if method == "binned-poisson":
        from .binned_poisson import binned_poisson_limit

        _fit_only(sig, method)
        series = "spectrum" if "spectrum" in spec.values else "on"
        if series not in spec.values:
            raise InvalidParameterError("data: binned-poisson needs an ON or single spectrum")
        n, x, src = _counts(spec, series, x_on, "ON")
        n = n[inside]
        if x and x != x_on:       # template for the data's exposure
            u = u * (x / x_on)
        bp = binned_poisson_limit(n, np.clip(u, 0.0, None), cl, trials)
        details.update({"exposure_kg_day": x, "exposure_source": src, "trials": trials,
                        "limiting_bin_kev": [float(lo[bp.limiting_bin]),
                                             float(hi[bp.limiting_bin])],
                        "cl_bin": bp.cl_bin, "background": "none subtracted (conservative)"})
        return LimitResult(param, unit, method, cl, None, None, float(bp.upper_limit),
                           to_physical(bp.upper_limit, param), None, None, details)
    from .fits import chi2_fit, onoff_poisson_fit

    norm = float(np.hypot(sig["flux_norm_sigma"], sig["xsec_sigma"]))
    nuis = {**sig, "norm_sigma": norm}
    if "residual" in spec.values:
        if joint_poisson or sig["onoff_syst"] or sig["bkg_tilt_sigma"]:
            raise InvalidParameterError("data: an ON-OFF residual file supports neither "
                                        "joint_poisson nor onoff_syst/bkg_tilt_sigma (they "
                                        "need ON and OFF counts)")
        kind, r = spec.values["residual"]
        r, sigma = np.asarray(r, float)[inside], spec.sigma("residual")[inside]
        if kind == "counts":
            x = spec.exposure_kg_day.get("residual") or x_on
            scale = np.full(lo.size, x / x_on)
            details.update({"exposure_kg_day": x, "residual_unit": "counts"})
        else:
            scale = 1.0 / ((hi - lo) * x_on)
            details["residual_unit"] = "cpkkd"
        u, sm = u * scale, sm * scale
        sd = None if du is None else (du * scale, dsm * scale)
        fit = chi2_fit(r - sm, sigma, u, norm_sigma=norm or None, scale_derivatives=sd,
                       scale_sigma=sig["escale_sigma"] or None)
        details["input"] = "residual"
    else:
        if "on" not in spec.values or "off" not in spec.values:
            raise InvalidParameterError(
                f"data: method {method!r} needs ON and OFF series (on_counts/off_counts) or an "
                "ON-OFF residual (residual_*/sigma_*); use binned-poisson for ON-only data")
        n_on, xo, _ = _counts(spec, "on", x_on, "ON")
        n_off, xf, _ = _counts(spec, "off", x_off, "OFF")
        n_on, n_off = n_on[inside], n_off[inside]
        if not xf or xf <= 0:
            raise InvalidParameterError("data: the OFF exposure is zero; cannot subtract")
        ratio = xo / xf
        u, sm = u * (xo / x_on), sm * (xo / x_on)
        sd = None if du is None else (du * (xo / x_on), dsm * (xo / x_on))
        sigma = np.sqrt(np.maximum(n_on, 1.0) + np.maximum(n_off, 1.0) * ratio**2)
        off_tpl = n_off * ratio
        details.update({"exposure_on_kg_day": xo, "exposure_off_kg_day": xf,
                        "input": "on-off"})
        if joint_poisson:
            if sig["escale_sigma"] or sig["bkg_tilt_sigma"]:
                raise InvalidParameterError("joint_poisson does not take escale_sigma or "
                                            "bkg_tilt_sigma; use the chi2 residual fit")
            fit = onoff_poisson_fit(n_on, n_off, u, xo, xf, known_on=np.clip(sm, 0.0, None))
            w = 1.0 / sigma**2
            s_off = sig["onoff_syst"] * abs(np.sum(w * u * off_tpl)) / np.sum(w * u * u)
            syst = float(np.hypot(abs(fit.best_fit) * norm, s_off))
            fit = replace(fit, syst=syst, total=float(np.hypot(fit.stat, syst)),
                          nuisances={})
            details.update({"fit": "joint Poisson ON/OFF (background profiled, SM nu-e + "
                                   "nu-N as known ON-only expectation)",
                            "sm_subtracted": True, "minos": fit.minos})
        else:
            from .templates import tilt_template

            tpl, taus = [], []
            for key, t in (("onoff_syst", off_tpl),
                           ("bkg_tilt_sigma", tilt_template(off_tpl, lo, hi))):
                if sig[key]:
                    tpl.append(t)
                    taus.append(sig[key])
            fit = chi2_fit(n_on - off_tpl - sm, sigma, u, norm_sigma=norm or None,
                           templates=np.array(tpl) if tpl else None,
                           template_sigmas=taus or None, scale_derivatives=sd,
                           scale_sigma=sig["escale_sigma"] or None)
            names = [k for k in ("onoff_syst", "bkg_tilt_sigma") if sig[k]]
            fit = replace(fit, nuisances={
                ({"norm": "norm", "escale": "escale"}.get(k)
                 or {"onoff_syst": "onoff_norm", "bkg_tilt_sigma": "bkg_tilt"}[
                     names[int(k[1:])]]): v for k, v in fit.nuisances.items()})
    if not joint_poisson:
        details.update({"fit": "chi2 residual", "sm_subtracted": True})
    nuis["fitted"] = {k: float(v) for k, v in fit.nuisances.items()}
    theta_up, lower, _ = _interval(fit.best_fit, fit.total, cl, method)
    details["lower_theta"] = lower
    return LimitResult(param, unit, method, cl, float(fit.best_fit), float(fit.total), theta_up,
                       to_physical(theta_up, param), float(fit.chi2), int(fit.dof), details,
                       float(fit.stat), float(fit.syst), float(fit.total), nuis)


def _fit_only(sig, method):
    bad = [k for k, v in sig.items() if v]
    if bad:
        raise InvalidParameterError(f"{', '.join(bad)} apply to fit methods only, not to "
                                    f"method={method!r}")


def _nonneg(x, name: str) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise InvalidParameterError(f"{name} must be a number, got {x!r}") from None
    if not (np.isfinite(v) and v >= 0):
        raise InvalidParameterError(f"{name} must be finite and >= 0, got {x!r}")
    return v


def _interval(best_fit, total, cl, method):
    from .intervals import gaussian_interval

    iv = gaussian_interval(best_fit, total, cl, method)
    return float(iv.upper), float(iv.lower), iv


def interval_from_fit(best_fit: float, stat: float, syst: float = 0.0, *, cl: float = 0.9,
                      method: str = "feldman-cousins", param: str = "mu-nu") -> dict:
    r"""Combination step: θ̂ ± stat ± syst → total error → interval for θ ≥ 0 → physical limit.

    total = √(stat² + syst²) (independent Gaussian errors, as quoted in seed 003); the
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
    method : {"feldman-cousins", "bayes", "cls"}
    param : {"mu-nu", "delta-q", "r2"}

    Returns
    -------
    dict
        ``total``, ``theta_lower``, ``theta_upper``, ``upper_limit`` (physical), ``cl``,
        ``method``.

    Examples
    --------
    Seed 003 analysis I: [μν/10⁻¹¹ μB]² = −1.0 ± 2.7 (stat) ± 0.9 (syst) → μν < 1.9×10⁻¹¹ μB.

    >>> r = interval_from_fit(-1.0, 2.7, 0.9)
    >>> round(r["total"], 3), f"{r['upper_limit']:.2g}"
    (2.846, '1.9e-11')
    """
    cl = check_cl(cl)
    param = choice(param, "param", PARAMS)
    stat = float(stat)
    if not (np.isfinite(stat) and stat > 0):
        raise InvalidParameterError(f"stat must be > 0, got {stat!r}")
    syst = _nonneg(syst, "syst")
    total = float(np.hypot(stat, syst))
    up, lo, _ = _interval(float(best_fit), total, cl, method)
    return {"total": total, "theta_lower": lo, "theta_upper": up,
            "upper_limit": to_physical(up, param), "cl": cl, "method": method}
