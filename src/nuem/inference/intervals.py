r"""Interval methods selectable by name, and the :math:`\mu_\nu` limit from a fit of
:math:`\mu_\nu^2`.

The methods come from the registry :mod:`nuem.inference.methods`; ``METHODS`` is a live view of
the names giving Gaussian or Poisson intervals for a parameter bounded below by 0:

``"feldman-cousins"``
    unified intervals, Feldman & Cousins, PRD 57, 3873 (1998) (two-sided or upper limit, decided
    by the data) — :mod:`nuem.inference.feldman_cousins`;
``"bayes"``
    flat prior on the physical region, upper limit — :mod:`nuem.inference.bayes`;
``"cls"``
    Read, J. Phys. G 28, 2693 (2002), upper limit — :mod:`nuem.inference.cls`;

plus any method added with :func:`nuem.inference.register_method`. The result records the
method and CL (:class:`Interval`).

Magnetic-moment fits measure :math:`\mu_\nu^2` (the cross section is linear in it): the fit gives
a Gaussian estimate :math:`\hat{x} \pm \sigma` of :math:`x = (\mu_\nu/u)^2` with u a unit
(Wong, Li, Lin, PRL 105, 061801 (2010): :math:`u = 10^{-11}\mu_B`), the interval is built for
:math:`x \ge 0`, and the limit on :math:`\mu_\nu` is :math:`u\sqrt{x_\mathrm{up}}` (square root
is monotone, so the coverage of the interval carries over).
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import as_float_array, positive_scalar
from ._common import Interval, check_cl, check_sigma
from .methods import METHODS, get_method

__all__ = ["METHODS", "Interval", "gaussian_interval", "poisson_interval", "sqrt_limit",
           "mu_nu_limit_from_mu2"]


def gaussian_interval(estimate, sigma, cl: float = 0.9,
                      method: str = "feldman-cousins") -> Interval:
    r"""Interval at ``cl`` for a Gaussian measurement of a parameter bounded below by 0.

    Parameters
    ----------
    estimate : array_like
        Best-fit value(s); may be negative (unphysical region).
    sigma : array_like
        Standard deviation(s), > 0.
    cl : float
        Confidence level in (0, 1).
    method : str
        A registered method with Gaussian intervals (:data:`nuem.inference.GAUSSIAN_METHODS`:
        ``"feldman-cousins"``, ``"bayes"``, ``"cls"`` and user-registered ones).

    Returns
    -------
    Interval

    Examples
    --------
    >>> iv = gaussian_interval(-1.0, 2.846, method="feldman-cousins")
    >>> iv.method, round(iv.upper, 2)
    ('feldman-cousins', 3.74)
    >>> round(gaussian_interval(-1.0, 2.846, method="bayes").upper, 2)
    4.11
    """
    cl = check_cl(cl)
    check_sigma(sigma)
    return get_method(method, "gaussian").gaussian_interval(estimate, sigma, cl)


def poisson_interval(n, background: float = 0.0, cl: float = 0.9,
                     method: str = "feldman-cousins") -> Interval:
    r"""Interval at ``cl`` for a Poisson signal mean with known background.

    ``method`` is a registered method with Poisson intervals (``"feldman-cousins"``,
    ``"bayes"``, ``"cls"`` built in).

    Examples
    --------
    >>> round(poisson_interval(0, 0.0).upper, 2)            # FC Table IV, b = 0: 2.44
    2.44
    >>> round(poisson_interval(0, 0.0, method="bayes").upper, 2)
    2.3
    """
    cl = check_cl(cl)
    return get_method(method, "poisson").poisson_interval(n, background, cl)


def sqrt_limit(limit, unit: float = 1.0):
    r"""Limit on :math:`\mu` from a limit on :math:`x = (\mu/u)^2`: :math:`u\sqrt{x}`.

    Examples
    --------
    >>> round(sqrt_limit(3.61, unit=1e-11) / 1e-11, 6)
    1.9
    """
    x = as_float_array(limit, "limit")
    if np.any(x < 0):
        from ..exceptions import InvalidParameterError
        raise InvalidParameterError("limit must be >= 0 (a limit on a squared quantity)")
    unit = positive_scalar(unit, "unit")
    out = unit * np.sqrt(x)
    return float(out) if out.ndim == 0 else out


def mu_nu_limit_from_mu2(best_fit: float, stat: float, syst: float = 0.0, *,
                         cl: float = 0.9, method: str = "feldman-cousins",
                         unit: float = 1e-11) -> dict:
    r"""Upper limit on :math:`\mu_\nu` from a Gaussian estimate of :math:`(\mu_\nu/u)^2`.

    The statistical and systematic errors are combined in quadrature,
    :math:`\sigma = \sqrt{\sigma_\mathrm{stat}^2 + \sigma_\mathrm{syst}^2}`, the interval on
    :math:`x = (\mu_\nu/u)^2 \ge 0` is built with ``method`` and the limit on
    :math:`\mu_\nu` is :math:`u\sqrt{x_\mathrm{up}}`.

    Wong, Li, Lin, PRL 105, 061801 (2010), analysis I: :math:`x = -1.0 \pm 2.7 \pm 0.9` gives
    :math:`\sigma = 2.846`, :math:`x/\sigma = -0.351`, FC 90 % upper end
    :math:`1.313\sigma = 3.74`, hence :math:`\mu_\nu < 1.93\times10^{-11}\mu_B`, published
    :math:`1.9\times10^{-11}\mu_B` (their Eq. 11).

    Parameters
    ----------
    best_fit, stat, syst : float
        Estimate of :math:`(\mu_\nu/u)^2` and its statistical and systematic errors.
    cl : float
        Confidence level in (0, 1).
    method : {"feldman-cousins", "bayes", "cls"}
    unit : float
        The unit u of the squared parameter (default :math:`10^{-11}\mu_B`).

    Returns
    -------
    dict
        ``mu2_lower``, ``mu2_upper`` (in units of u²), ``sigma``, ``upper_limit`` and
        ``lower_limit`` (on :math:`\mu_\nu`, in the units of u times u's unit), ``cl``,
        ``method``.

    Examples
    --------
    >>> r = mu_nu_limit_from_mu2(-1.0, 2.7, 0.9)
    >>> round(r["upper_limit"] / 1e-11, 2)
    1.93
    """
    best = float(as_float_array(best_fit, "best_fit"))
    stat = float(check_sigma(stat, "stat"))
    syst = positive_scalar(syst, "syst", allow_zero=True)
    sigma = math.hypot(stat, syst)
    iv = gaussian_interval(best, sigma, cl, method)
    return {"best_fit": best, "stat": stat, "syst": syst, "sigma": sigma,
            "mu2_lower": iv.lower, "mu2_upper": iv.upper,
            "lower_limit": sqrt_limit(iv.lower, unit), "upper_limit": sqrt_limit(iv.upper, unit),
            "unit": unit, "cl": iv.cl, "method": iv.method}
