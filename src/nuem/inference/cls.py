r"""CLs upper limits (A. L. Read, J. Phys. G 28, 2693 (2002); T. Junk, NIM A 434, 435 (1999)).

:math:`\mathrm{CL_s} = \mathrm{CL_{s+b}}/\mathrm{CL_b}` (Read Eq. 3); a signal is excluded at
confidence CL when :math:`\mathrm{CL_s} \le 1-\mathrm{CL}`. The test statistic is the
measurement itself (one-sided: smaller x or n is more background-like):

* Gaussian :math:`x \pm \sigma`: :math:`\mathrm{CL_{s+b}} = \Phi((x-\mu)/\sigma)`,
  :math:`\mathrm{CL_b} = \Phi(x/\sigma)`, so
  :math:`U = x - \sigma\,\Phi^{-1}((1-\mathrm{CL})\,\Phi(x/\sigma))`.
* Poisson n with background b: :math:`\mathrm{CL_{s+b}} = P(N \le n\,|\,s+b)`,
  :math:`\mathrm{CL_b} = P(N \le n\,|\,b)`; solved in closed form with the incomplete gamma
  function, :math:`P(N \le n|\lambda) = Q(n+1, \lambda)`.

For these two cases CLs equals the flat-prior Bayesian limit (Read 2002, Sec. 4; Helene 1983);
the functions are kept separate so that the method is recorded as ``"cls"``.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from .._validation import as_float_array, positive_scalar
from ._common import Interval, _scalar_or_array, check_cl, check_counts, check_sigma

__all__ = ["cls_gaussian_upper", "cls_poisson_upper", "cls_value_gaussian",
           "cls_value_poisson"]


def cls_value_gaussian(mu, x, sigma=1.0):
    r""":math:`\mathrm{CL_s}(\mu)` for a Gaussian measurement (Read 2002, Eq. 3).

    Examples
    --------
    >>> round(float(cls_value_gaussian(0.0, 1.0)), 6)      # no signal: CLs = 1
    1.0
    """
    mu, x = as_float_array(mu, "mu"), as_float_array(x, "x")
    sigma = check_sigma(sigma)
    return np.exp(special.log_ndtr((x - mu) / sigma) - special.log_ndtr(x / sigma))


def cls_value_poisson(s, n, background: float = 0.0):
    r""":math:`\mathrm{CL_s}(s)` for a counting experiment (Read 2002, Eq. 3).

    Examples
    --------
    >>> round(float(cls_value_poisson(2.302585, 0, 3.0)), 4)
    0.1
    """
    s = as_float_array(s, "s")
    n = check_counts(n, "n")
    b = positive_scalar(background, "background", allow_zero=True)
    return special.gammaincc(n + 1.0, s + b) / special.gammaincc(n + 1.0, b)


def cls_gaussian_upper(x, sigma=1.0, cl: float = 0.9) -> Interval:
    r"""CLs upper limit on a Gaussian mean :math:`\mu \ge 0`.

    Examples
    --------
    >>> round(cls_gaussian_upper(-1.0).upper, 3)
    1.148
    """
    cl = check_cl(cl)
    x = as_float_array(x, "x")
    sigma = check_sigma(sigma)
    t = x / sigma
    upper = sigma * (t - special.ndtri_exp(np.log1p(-cl) + special.log_ndtr(t)))
    return Interval(0.0 * upper if np.ndim(upper) else 0.0, _scalar_or_array(upper), cl, "cls",
                    {"model": "gaussian", "test_statistic": "x (one-sided)"})


def cls_poisson_upper(n, background: float = 0.0, cl: float = 0.9) -> Interval:
    r"""CLs upper limit on a Poisson signal mean with known background.

    Examples
    --------
    >>> round(cls_poisson_upper(0, background=3.0).upper, 3)   # = -ln(0.1), independent of b
    2.303
    """
    cl = check_cl(cl)
    b = positive_scalar(background, "background", allow_zero=True)
    n = check_counts(n, "n")
    upper = special.gammainccinv(n + 1.0, (1.0 - cl) * special.gammaincc(n + 1.0, b)) - b
    return Interval(0.0 * upper if np.ndim(upper) else 0.0, _scalar_or_array(upper), cl, "cls",
                    {"model": "poisson", "background": b, "test_statistic": "n (one-sided)"})
