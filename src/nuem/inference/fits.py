r"""Generic fits with iminuit: a χ² fit of a residual spectrum and a joint ON/OFF Poisson fit.

Both take arrays (bins) and fit one signal strength :math:`a` (e.g. :math:`(\mu_\nu/u)^2`)
multiplying a per-unit signal template :math:`u_i`; :math:`a` may be negative (unphysical
region), as needed before a unified interval (FC Sec. IV B; seed 003 analysis I).

* :func:`chi2_fit`: :math:`\chi^2(a,\nu) = \sum_i [r_i - a u_i (1+\nu_0) - \sum_k \nu_k t_{ki}]^2
  /\sigma_i^2 + \sum_k (\nu_k/\tau_k)^2` with Gaussian-constrained nuisances: a signal
  normalisation :math:`\nu_0` (e.g. flux 5 %, cross-section model 20 % in seed 003) and additive
  templates :math:`t_k` (background shape); optionally an energy-scale shift :math:`\delta`
  (:math:`E_\mathrm{obs} = (1+\delta)E`, constrained by :math:`\sigma_\delta`) entering to first
  order, :math:`a(1+\nu_0)(u_i + \delta\,\partial_\delta u_i) + \delta\,\partial_\delta
  m_i` with :math:`m_i` the expectation subtracted from the residual (SM ν–e + ν–N), the
  derivatives from :func:`nuem.inference.templates.energy_scale_derivative`. The statistical
  error is the error with the nuisances
  fixed at their best fit, the total error with them free (Hesse), and
  :math:`\sigma_\mathrm{syst} = \sqrt{\sigma_\mathrm{tot}^2 - \sigma_\mathrm{stat}^2}`;
  dof = bins − 1 (each constraint adds one pseudo-measurement and one parameter).
* :func:`onoff_poisson_fit`: :math:`n^\mathrm{on}_i \sim \mathrm{Pois}(b_i t_\mathrm{on} + a u_i
  + k_i)` (:math:`k_i` a known ON-only expectation, e.g. SM ν–e + ν–N, default 0),
  :math:`n^\mathrm{off}_i \sim \mathrm{Pois}(b_i t_\mathrm{off})` with the background rates
  :math:`b_i` profiled analytically (the positive root of the quadratic score equation; cf.
  Rolke, López & Conrad, NIM A 551, 493 (2005), Sec. 2), and :math:`-2\ln L_\mathrm{prof}(a)`
  minimised by iminuit (MIGRAD, errordef 1; HESSE and MINOS errors).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import special

from .._validation import as_float_array, positive_scalar
from ..exceptions import InvalidParameterError, NuemError
from ._common import check_counts, check_nonempty, check_sigma

__all__ = ["FitResult", "chi2_fit", "onoff_poisson_fit", "profile_background"]


@dataclass(frozen=True)
class FitResult:
    """Best fit of the signal strength and its errors (``syst`` is 0 without nuisances)."""

    best_fit: float
    stat: float
    syst: float
    total: float
    chi2: float
    dof: int
    nuisances: dict = field(default_factory=dict)
    method: str = ""
    valid: bool = True
    minos: tuple[float, float] | None = None

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("best_fit", "stat", "syst", "total", "chi2", "dof",
                                               "nuisances", "method", "valid", "minos")}


def _arrays(values, sigma, template):
    r = check_nonempty(as_float_array(values, "residual"), "residual")
    s = check_sigma(sigma, "sigma")
    u = as_float_array(template, "unit_signal")
    if r.ndim != 1 or s.shape != r.shape or u.shape != r.shape:
        raise InvalidParameterError(f"residual, sigma and unit_signal must be 1-d of equal "
                                    f"length; got {r.shape}, {s.shape}, {u.shape}")
    if not np.any(u != 0):
        raise InvalidParameterError("unit_signal is zero in every bin: the fit has no "
                                    "sensitivity")
    return r, s, u


def chi2_fit(residual, sigma, unit_signal, *, norm_sigma: float | None = None,
             templates=None, template_sigmas=None, scale_derivatives=None,
             scale_sigma: float | None = None) -> FitResult:
    r"""χ² fit of a residual spectrum :math:`r_i \pm \sigma_i` to :math:`a\,u_i` (+ nuisances).

    Parameters
    ----------
    residual, sigma : array_like
        Residual (e.g. ON − OFF) per bin and its 1σ error (> 0).
    unit_signal : array_like
        Template :math:`u_i`: the residual expected for :math:`a = 1`.
    norm_sigma : float, optional
        Relative Gaussian uncertainty of the signal normalisation (0.2 for 20 %).
    templates : array_like, optional
        Additive nuisance shapes, shape (K, bins); coefficients constrained by
        ``template_sigmas`` (K values, > 0).
    scale_derivatives : tuple of array_like, optional
        (∂u/∂δ, ∂m/∂δ): derivatives of the unit signal and of the subtracted expectation with
        respect to the relative energy-scale shift δ (first order; valid for |δ| ≪ bin width /
        energy). Requires ``scale_sigma`` (> 0, e.g. 0.01 for 1 %).

    Returns
    -------
    FitResult
        ``best_fit`` a, ``stat``, ``syst``, ``total`` errors, ``chi2`` and ``dof``.

    Examples
    --------
    >>> import numpy as np
    >>> u = np.linspace(1.0, 2.0, 48)
    >>> fit = chi2_fit(-1.0 * u, np.full(48, 5.0), u)        # noise-free residual at a = -1
    >>> round(fit.best_fit, 6), fit.dof, round(fit.stat, 4), fit.syst
    (-1.0, 47, 0.4721, 0.0)
    """
    from iminuit import Minuit

    r, s, u = _arrays(residual, sigma, unit_signal)
    t = np.zeros((0, r.size)) if templates is None else np.atleast_2d(
        as_float_array(templates, "templates"))
    if t.shape[1] != r.size:
        raise InvalidParameterError(f"templates must have shape (K, {r.size}), got {t.shape}")
    tau = np.zeros(0) if templates is None else np.atleast_1d(
        check_sigma(template_sigmas, "template_sigmas"))
    if tau.size != t.shape[0]:
        raise InvalidParameterError("template_sigmas needs one value per template")
    has_norm = norm_sigma is not None
    if has_norm:
        norm_sigma = positive_scalar(norm_sigma, "norm_sigma")
    du, dm, scale_sigma = _scale_inputs(scale_derivatives, scale_sigma, r.size)
    has_scale = scale_sigma is not None
    k = t.shape[0]
    w = 1.0 / s**2

    def chi2(par):
        par = np.asarray(par)
        a, nu0, d, c = par[0], par[1], par[2], par[3:]
        model = a * (u + d * du) * (1.0 + nu0) + d * dm + c @ t
        pen = np.sum((c / tau) ** 2) + ((nu0 / norm_sigma) ** 2 if has_norm else 0.0)
        pen += (d / scale_sigma) ** 2 if has_scale else 0.0
        return float(np.sum(w * (r - model) ** 2) + pen)

    a0 = float(np.sum(w * r * u) / np.sum(w * u * u))
    names = ["a", "norm", "escale", *[f"c{j}" for j in range(k)]]
    m = Minuit(chi2, np.array([a0, 0.0, 0.0, *np.zeros(k)]), name=names)
    m.errordef = Minuit.LEAST_SQUARES
    m.errors["a"] = 1.0 / np.sqrt(np.sum(w * u * u))
    if has_norm:
        m.errors["norm"] = norm_sigma
        m.limits["norm"] = (-0.99, None)
    else:
        m.fixed["norm"] = True
    if has_scale:
        m.errors["escale"] = scale_sigma
    else:
        m.fixed["escale"] = True
    m.migrad()
    m.hesse()
    total = float(m.errors["a"])
    best = dict(zip(names, (float(v) for v in m.values), strict=True))
    if not has_norm and not has_scale and k == 0:
        return FitResult(best["a"], total, 0.0, total, float(m.fval), int(r.size - 1), {},
                         "chi2", bool(m.valid))
    # statistical error: nuisances fixed at their best fit
    ms = Minuit(chi2, np.array(list(best.values())), name=names)
    ms.errordef = Minuit.LEAST_SQUARES
    for nm in names[1:]:
        ms.fixed[nm] = True
    ms.migrad()
    ms.hesse()
    stat = float(ms.errors["a"])
    syst = float(np.sqrt(max(total**2 - stat**2, 0.0)))
    return FitResult(best["a"], stat, syst, total, float(m.fval), int(r.size - 1),
                     {nm: best[nm] for nm in names[1:] if not m.fixed[nm]}, "chi2",
                     bool(m.valid))


def _scale_inputs(derivs, sigma, n):
    if derivs is None and sigma is None:
        return np.zeros(n), np.zeros(n), None
    if derivs is None or sigma is None:
        raise InvalidParameterError("scale_derivatives and scale_sigma go together (got "
                                    f"scale_derivatives={'set' if derivs is not None else None},"
                                    f" scale_sigma={sigma!r})")
    du, dm = (as_float_array(x, name) for x, name in zip(derivs, ("d_unit_signal",
                                                                    "d_expectation"),
                                                          strict=True))
    if du.shape != (n,) or dm.shape != (n,):
        raise InvalidParameterError(f"scale_derivatives must be two arrays of length {n}")
    return du, dm, positive_scalar(sigma, "scale_sigma")


def profile_background(a, n_on, n_off, unit_signal, t_on: float, t_off: float):
    r"""Conditional ML background rates :math:`\hat b_i(a)` of the ON/OFF model.

    Solves :math:`n^\mathrm{on}_i t_\mathrm{on}/(b t_\mathrm{on}+s_i) + n^\mathrm{off}_i/b =
    t_\mathrm{on}+t_\mathrm{off}` with :math:`s_i = a u_i`, i.e. the larger root of
    :math:`T t_\mathrm{on} b^2 - [(n^\mathrm{on}+n^\mathrm{off}) t_\mathrm{on} - T s] b -
    n^\mathrm{off} s = 0`, :math:`T = t_\mathrm{on}+t_\mathrm{off}`.

    Examples
    --------
    >>> float(profile_background(0.0, [10.0], [20.0], [1.0], 1.0, 2.0)[0])   # (10+20)/3
    10.0
    """
    n_on, n_off = np.asarray(n_on, float), np.asarray(n_off, float)
    s = np.asarray(a, float) * np.asarray(unit_signal, float)
    tt = t_on + t_off
    bq = (n_on + n_off) * t_on - tt * s
    disc = np.maximum(bq * bq + 4.0 * tt * t_on * n_off * s, 0.0)
    b = (bq + np.sqrt(disc)) / (2.0 * tt * t_on)
    return np.maximum(b, np.maximum(-s / t_on, 0.0))


def _m2lnl(a, n_on, n_off, u, t_on, t_off, known=0.0):
    # profile with the total ON-only expectation s_i = a u_i + k_i (profile_background is
    # linear in its "a * unit_signal" argument)
    s = a * u + known
    b = profile_background(1.0, n_on, n_off, s, t_on, t_off)
    mu_on = b * t_on + s
    mu_off = b * t_off
    if np.any(mu_on < 0):
        return np.inf
    # -2 ln L up to a constant (Poisson deviance terms)
    return float(2.0 * np.sum(mu_on - special.xlogy(n_on, mu_on)
                              + mu_off - special.xlogy(n_off, mu_off)))


def onoff_poisson_fit(n_on, n_off, unit_signal, t_on: float, t_off: float, *,
                      known_on=None) -> FitResult:
    r"""Joint Poisson-likelihood fit of ON and OFF counts for the signal strength a.

    Parameters
    ----------
    n_on, n_off : array_like
        Observed ON and OFF counts per bin (>= 0, same length).
    unit_signal : array_like
        Expected ON signal counts per unit a (signal × exposure already folded in).
    t_on, t_off : float
        ON and OFF exposures (any common unit; b_i is a rate per that unit).
    known_on : array_like, optional
        Known ON-only expected counts k_i >= 0 (e.g. the SM ν–e + coherent ν–N counts, which do
        not cancel in ON − OFF); default 0.

    Returns
    -------
    FitResult
        ``best_fit``, ``stat`` (HESSE), ``minos`` (lower, upper errors), ``chi2`` = the
        Poisson deviance :math:`-2\ln(L/L_\mathrm{sat})`, ``dof`` = bins − 1.

    Examples
    --------
    >>> fit = onoff_poisson_fit([20, 20], [20, 20], [5.0, 5.0], 1.0, 1.0)
    >>> round(fit.best_fit, 4)
    0.0
    """
    from iminuit import Minuit

    on = check_counts(n_on, "n_on")
    off = check_counts(n_off, "n_off")
    u = as_float_array(unit_signal, "unit_signal")
    if on.ndim != 1 or off.shape != on.shape or u.shape != on.shape:
        raise InvalidParameterError("n_on, n_off and unit_signal must be 1-d of equal length")
    if not np.any(u > 0):
        raise InvalidParameterError("unit_signal is zero in every bin: no sensitivity")
    t_on = positive_scalar(t_on, "t_on")
    t_off = positive_scalar(t_off, "t_off")
    known = np.zeros_like(u) if known_on is None else as_float_array(known_on, "known_on")
    if known.shape != u.shape or np.any(known < 0):
        raise InvalidParameterError("known_on must be >= 0 with one value per bin")
    # start: moment estimate
    a0 = float(np.sum(on - off * t_on / t_off - known) / np.sum(u))
    # smallest allowed a keeps every ON mean >= 0 at b = 0 ... any a with s_i > -b t_on is fine
    def f(a):
        return _m2lnl(a, on, off, u, t_on, t_off, known)
    m = Minuit(f, a=a0)
    m.errordef = Minuit.LIKELIHOOD * 2.0   # f is -2 ln L: errordef 1
    m.errors["a"] = max(np.sqrt(on.sum() + off.sum()) / np.sum(u), 1e-12)
    m.migrad()
    if not m.valid:
        raise NuemError("onoff_poisson_fit: MIGRAD did not converge")
    m.hesse()
    try:
        m.minos()
        minos = (float(m.merrors["a"].lower), float(m.merrors["a"].upper))
    except RuntimeError:  # pragma: no cover
        minos = None
    a_hat = float(m.values["a"])
    s_hat = a_hat * u + known
    b = profile_background(1.0, on, off, s_hat, t_on, t_off)
    mu_on, mu_off = b * t_on + s_hat, b * t_off
    dev = 2.0 * np.sum(mu_on - on + special.xlogy(on, on) - special.xlogy(on, mu_on)
                       + mu_off - off + special.xlogy(off, off) - special.xlogy(off, mu_off))
    err = float(m.errors["a"])
    return FitResult(a_hat, err, 0.0, err, float(dev), int(on.size - 1),
                     {"background_rate": b}, "onoff-poisson", bool(m.valid), minos)
