r"""Limits from measured spectra: ON−OFF residual fits and binned-Poisson limits for ON-only data.

Data are read with :func:`nuem.io.excess.read_measured` (tables with ``on_counts``/``off_counts``
or a single ``counts``/``cpkkd`` series, or the EXCESS Ge formats). The signal template per data
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
``binned-poisson`` (ON-only, one series)
    Seed 003 analysis II: no background subtraction; the signal in no bin may exceed the bin's
    CL Poisson upper limit (:func:`nuem.inference.binned_poisson_limit`). Counts are the file's, or
    rate × width × exposure with the file's exposure or, failing that, the experiment's ON
    exposure (stated in the result).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validation import choice
from ..exceptions import InvalidParameterError
from ._common import check_cl
from .sensitivity import PARAM_UNITS, PARAMS, hypothetical_experiment, signal_template, to_physical

__all__ = ["LIMIT_METHODS", "LimitResult", "template_on_edges", "limit_from_data"]

LIMIT_METHODS = ("feldman-cousins", "bayes", "cls", "binned-poisson")
_MAX_TEMPLATE_BINS = 2000


@dataclass(frozen=True)
class LimitResult:
    """Limit from data: ``best_fit`` is θ̂ (None for binned-poisson), ``upper_limit`` physical."""

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

    def to_dict(self) -> dict:
        ref, unit = PARAM_UNITS[self.param]
        return {"param": self.param, "unit": self.unit, "method": self.method, "cl": self.cl,
                "best_fit": self.best_fit, "best_fit_error": self.best_fit_error,
                "best_fit_unit": (f"({ref:g} {unit})^2" if self.param != "r2"
                                  else f"{ref:g} cm^2"),
                "theta_upper": self.theta_upper, "upper_limit": self.upper_limit,
                "chi2": self.chi2, "dof": self.dof, "details": dict(self.details)}


def template_on_edges(experiment, e_lo_kev, e_hi_kev, param: str = "mu-nu", atomic=None):
    """Signal per unit θ and zero-signal SM (ν–e + ν–N) counts on arbitrary data bins.

    Returns ``(u, sm, spectrum)``; bins must lie inside the experiment's window. Counts are for the
    experiment's ON exposure.

    Examples
    --------
    >>> import numpy as np
    >>> from nuem.experiments import get_experiment
    >>> e = get_experiment("texono-hpge")
    >>> u, sm, _ = template_on_edges(e, np.array([12.0, 20.0]), np.array([20.0, 60.0]))
    >>> bool(u[0] > 0 and u[1] > 0)
    True
    """
    lo, hi = np.asarray(e_lo_kev, float), np.asarray(e_hi_kev, float)
    a = experiment.analysis
    width = max(float(np.min(hi - lo)), (a.e_max_kev - a.e_min_kev) / _MAX_TEMPLATE_BINS)
    exp = experiment
    if width < a.bin_width_kev:
        exp = hypothetical_experiment(experiment, bin_width_kev=width)
    u, s = signal_template(exp, param, atomic)
    sm = np.asarray(s.components["sm_electron"] + s.components["cevns"], float)
    edges = np.asarray(s.edges_kev, float)

    def rebin(v):
        cum = np.concatenate([[0.0], np.cumsum(v)])
        return np.interp(hi, edges, cum) - np.interp(lo, edges, cum)

    return rebin(u), rebin(sm), s


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
                    cl: float = 0.9, atomic=None, trials: str = "none") -> LimitResult:
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
    x_on, x_off = experiment.exposure.on_kg_day, experiment.exposure.off_kg_day
    ref, unit = PARAM_UNITS[param]
    details = {"experiment": experiment.id, "data": spec.source, "n_bins": int(inside.sum()),
               "window_kev": [float(lo[0]), float(hi[-1])], "atomic": atomic,
               "flux_cm2_s": tspec.parameters.get("flux_cm2_s")}
    if method == "binned-poisson":
        from .binned_poisson import binned_poisson_limit

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
    from .fits import chi2_fit
    from .intervals import gaussian_interval

    if "on" not in spec.values or "off" not in spec.values:
        raise InvalidParameterError(f"data: method {method!r} needs ON and OFF series "
                                    "(on_counts/off_counts); use binned-poisson for ON-only data")
    n_on, xo, _ = _counts(spec, "on", x_on, "ON")
    n_off, xf, _ = _counts(spec, "off", x_off, "OFF")
    n_on, n_off = n_on[inside], n_off[inside]
    if not xf or xf <= 0:
        raise InvalidParameterError("data: the OFF exposure is zero; cannot subtract")
    ratio = xo / xf
    u, sm = u * (xo / x_on), sm * (xo / x_on)
    resid = n_on - n_off * ratio - sm
    sigma = np.sqrt(np.maximum(n_on, 1.0) + np.maximum(n_off, 1.0) * ratio**2)
    fit = chi2_fit(resid, sigma, u)
    iv = gaussian_interval(fit.best_fit, fit.total, cl, method)
    theta_up = float(iv.upper)
    details.update({"exposure_on_kg_day": xo, "exposure_off_kg_day": xf,
                    "lower_theta": float(iv.lower)})
    return LimitResult(param, unit, method, cl, float(fit.best_fit), float(fit.total), theta_up,
                       to_physical(theta_up, param), float(fit.chi2), int(fit.dof), details)
