r"""Generic fits with iminuit on arrays: a χ² fit of a residual spectrum and a joint ON/OFF
Poisson fit -- array-level front ends of the likelihood models
:class:`nuem.inference.ResidualModel` and :class:`nuem.inference.OnOffModel`.

Both take arrays (bins) and fit one signal strength :math:`a` (e.g. :math:`(\mu_\nu/u)^2`)
multiplying a per-unit signal template :math:`u_i`; :math:`a` may be negative (unphysical
region), as needed before a unified interval (FC Sec. IV B; Wong, Li, Lin, PRL 105, 061801
(2010), analysis I).

* :func:`chi2_fit`: :math:`\chi^2(a,\nu) = \sum_i [r_i - a u_i (1+\nu_0) - \sum_k \nu_k t_{ki}]^2
  /\sigma_i^2 + \sum_k (\nu_k/\tau_k)^2` with Gaussian-constrained nuisances: a signal
  normalisation :math:`\nu_0` (e.g. flux 5 %, cross-section model 20 % in Wong et al. 2010)
  and additive templates :math:`t_k` (background shape); optionally an energy-scale shift
  :math:`\delta` (:math:`E_\mathrm{obs} = (1+\delta)E`, constrained by :math:`\sigma_\delta`)
  entering to first order, :math:`a(1+\nu_0)(u_i + \delta\,\partial_\delta u_i)
  + \delta\,\partial_\delta m_i` with :math:`m_i` the expectation subtracted from the residual
  (SM ν–e + ν–N), the derivatives from :func:`nuem.inference.templates.energy_scale_derivative`.
  The statistical error is the error with the nuisances fixed at their best fit, the total
  error with them free (Hessian of χ² at the minimum), and
  :math:`\sigma_\mathrm{syst} = \sqrt{\sigma_\mathrm{tot}^2 - \sigma_\mathrm{stat}^2}`;
  dof = bins − 1 (each constraint adds one pseudo-measurement and one parameter).
* :func:`onoff_poisson_fit`: :math:`n^\mathrm{on}_i \sim \mathrm{Pois}(b_i t_\mathrm{on} + a u_i
  + k_i)` (:math:`k_i` a known ON-only expectation, e.g. SM ν–e + ν–N, default 0),
  :math:`n^\mathrm{off}_i \sim \mathrm{Pois}(b_i t_\mathrm{off})` with the background rates
  :math:`b_i` profiled analytically (the positive root of the quadratic score equation; cf.
  Rolke, López & Conrad, NIM A 551, 493 (2005), Sec. 2), and :math:`-2\ln L_\mathrm{prof}(a)`
  minimised by iminuit (MIGRAD, errordef 1; MINOS errors; the error from the Hessian of
  :math:`-2\ln L_\mathrm{prof}` at the minimum, :func:`nuem.inference.likelihood.numeric_hessian`).
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, positive_scalar
from ..exceptions import InvalidParameterError
from ._common import check_nonempty, check_sigma
from .likelihood import FitResult
from .onoff_model import OnOffModel, profile_background
from .residual_model import ResidualModel

__all__ = ["FitResult", "chi2_fit", "onoff_poisson_fit", "profile_background"]


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
        ``best_fit`` a, ``stat``, ``syst``, ``total`` errors, ``chi2`` and ``dof``; fitted
        nuisances as ``norm``, ``escale``, ``c0``, ``c1`` ...

    Examples
    --------
    >>> import numpy as np
    >>> u = np.linspace(1.0, 2.0, 48)
    >>> fit = chi2_fit(-1.0 * u, np.full(48, 5.0), u)        # noise-free residual at a = -1
    >>> round(fit.best_fit, 6), fit.dof, round(fit.stat, 4), fit.syst
    (-1.0, 47, 0.4721, 0.0)
    """
    r, s, u = _arrays(residual, sigma, unit_signal)
    tpl = None
    if templates is not None:
        t = np.atleast_2d(as_float_array(templates, "templates"))
        if t.shape[1] != r.size:
            raise InvalidParameterError(f"templates must have shape (K, {r.size}), got "
                                        f"{t.shape}")
        tau = np.atleast_1d(check_sigma(template_sigmas, "template_sigmas"))
        if tau.size != t.shape[0]:
            raise InvalidParameterError("template_sigmas needs one value per template")
        tpl = {f"c{j}": (t[j], tau[j]) for j in range(t.shape[0])}
    norms = None
    if norm_sigma is not None:
        norms = {"norm": positive_scalar(norm_sigma, "norm_sigma")}
    scale = _scale_inputs(scale_derivatives, scale_sigma, r.size)
    return ResidualModel(u, s, norms=norms, templates=tpl, scale=scale).fit(r)


def _scale_inputs(derivs, sigma, n):
    if derivs is None and sigma is None:
        return None
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
        ``best_fit``, ``stat`` (Hessian), ``minos`` (lower, upper errors), ``chi2`` = the
        Poisson deviance :math:`-2\ln(L/L_\mathrm{sat})`, ``dof`` = bins − 1.

    Examples
    --------
    >>> fit = onoff_poisson_fit([20, 20], [20, 20], [5.0, 5.0], 1.0, 1.0)
    >>> abs(round(fit.best_fit, 4)), round(fit.stat, 4)     # σ² = (20 + 20)/(5² × 2 bins)
    (0.0, 0.8944)
    """
    model = OnOffModel(unit_signal, t_on, t_off, known=known_on)
    return model.fit((n_on, n_off))
