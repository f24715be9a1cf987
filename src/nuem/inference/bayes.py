r"""Bayesian upper limits with a flat prior on the physical region (closed forms).

* Gaussian measurement :math:`x \pm \sigma` of :math:`\mu \ge 0`, prior flat on
  :math:`\mu \ge 0`: the posterior is a normal truncated at 0, so
  :math:`P(\mu > U\,|\,x) = \Phi((x-U)/\sigma)/\Phi(x/\sigma) = 1-\mathrm{CL}` gives
  :math:`U = x - \sigma\,\Phi^{-1}\big((1-\mathrm{CL})\,\Phi(x/\sigma)\big)`
  (PDG Review of Particle Physics, "Statistics", Sec. 40.4.1; FC Sec. II).
* Poisson count n with known background b, prior flat on :math:`s \ge 0`:
  :math:`P(s > U\,|\,n) = Q(n+1, U+b)/Q(n+1, b)` with Q the regularised upper incomplete gamma
  function, so :math:`U = Q^{-1}\big(n+1, (1-\mathrm{CL})\,Q(n+1, b)\big) - b`
  (O. Helene, Nucl. Instrum. Meth. 212, 319 (1983); PDG Sec. 40.4.1).

Both coincide with the CLs upper limits of :mod:`nuem.inference.cls` (Read, J. Phys. G 28,
2693 (2002), Sec. 4), a known identity that the tests check.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from .._validation import as_float_array, positive_scalar
from ._common import Interval, _scalar_or_array, check_cl, check_counts, check_sigma

__all__ = ["bayes_gaussian_upper", "bayes_poisson_upper"]


def bayes_gaussian_upper(x, sigma=1.0, cl: float = 0.9) -> Interval:
    r"""Flat-prior credible upper limit on a Gaussian mean :math:`\mu \ge 0`.

    Parameters
    ----------
    x : array_like
        Measured value(s), any sign.
    sigma : array_like
        Standard deviation(s), > 0.
    cl : float
        Credibility level in (0, 1).

    Returns
    -------
    Interval
        ``lower = 0``, ``upper = U``; ``method = "bayes"``.

    Examples
    --------
    >>> round(bayes_gaussian_upper(0.0).upper, 3)          # Phi^-1(0.95) for x = 0
    1.645
    >>> round(bayes_gaussian_upper(5.0).upper, 3)          # far from 0: x + z_0.9
    6.282
    """
    cl = check_cl(cl)
    x = as_float_array(x, "x")
    sigma = check_sigma(sigma)
    t = x / sigma
    # log-space tail for very negative t: ndtri((1-cl) * ndtr(t)) via log_ndtr
    arg = np.log1p(-cl) + special.log_ndtr(t)
    upper = sigma * (t - _ndtri_exp(arg))
    return Interval(0.0 * upper if np.ndim(upper) else 0.0, _scalar_or_array(upper), cl, "bayes",
                    {"model": "gaussian", "prior": "flat on mu >= 0"})


def _ndtri_exp(y):
    """Phi^-1(exp(y)) (scipy >= 1.10 has special.ndtri_exp)."""
    return special.ndtri_exp(y)


def bayes_poisson_upper(n, background: float = 0.0, cl: float = 0.9) -> Interval:
    r"""Flat-prior credible upper limit on a Poisson signal mean with known background.

    Parameters
    ----------
    n : array_like
        Observed counts >= 0 (non-integer values use the continuous gamma extension).
    background : float
        Known background mean b >= 0.
    cl : float
        Credibility level in (0, 1).

    Returns
    -------
    Interval
        ``lower = 0``, ``upper = U``; ``method = "bayes"``.

    Examples
    --------
    >>> round(bayes_poisson_upper(0).upper, 3)              # -ln(0.1), any b
    2.303
    >>> round(bayes_poisson_upper(0, background=3.0).upper, 3)
    2.303
    """
    cl = check_cl(cl)
    b = positive_scalar(background, "background", allow_zero=True)
    n = check_counts(n, "n")
    q_b = special.gammaincc(n + 1.0, b)
    upper = special.gammainccinv(n + 1.0, (1.0 - cl) * q_b) - b
    return Interval(0.0 * upper if np.ndim(upper) else 0.0, _scalar_or_array(upper), cl, "bayes",
                    {"model": "poisson", "background": b, "prior": "flat on s >= 0"})
