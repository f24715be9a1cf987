r"""Binned-Poisson limits for ON-only data (no background subtraction).

The method of Wong, Li, Lin, PRL 105, 061801 (2010), analysis II (20-g ULEGe reactor-ON spectrum),
taken from the CDEX/TEXONO dark-matter analyses (S. T. Lin et al., PRD 79, 061101(R) (2009),
Sec. 3.2 of the arXiv version): with no background model, the expected signal in any bin may not
exceed what the observed count of that bin allows.

For bins i with observed counts :math:`n_i` and expected signal :math:`s_i(\theta) = \theta
u_i` (:math:`u_i \ge 0` the signal per unit :math:`\theta`, e.g. :math:`\theta = \mu_\nu^2`):

.. math:: \lambda_i^\mathrm{up} = \tfrac12 F^{-1}_{\chi^2_{2(n_i+1)}}(\mathrm{CL_{bin}}),
   \qquad \theta_\mathrm{up} = \min_{i:\,u_i>0} \lambda_i^\mathrm{up}/u_i ,

:math:`\lambda^\mathrm{up}` being the classical one-sided Poisson upper limit
(:math:`P(N \le n|\lambda^\mathrm{up}) = 1-\mathrm{CL_{bin}}`; Garwood 1936, PDG Eq. 40.76 with
b = 0). Non-integer counts use the same formula (continuous gamma extension).

How CL is applied (``trials``):

``"none"`` (default, as published)
    :math:`\mathrm{CL_{bin}} = \mathrm{CL}` in every bin. Any background only makes the bin
    limits looser, but the minimum over :math:`N` bins is a look-elsewhere choice: with signal in
    several bins and little background the overall coverage can fall below CL.
``"sidak"``
    :math:`\mathrm{CL_{bin}} = \mathrm{CL}^{1/N}` (N = bins with :math:`u_i > 0`): the
    probability that any bin of independent counts fluctuates below its limit is at most
    1 − CL, so the limit covers at CL for any background.
``"bonferroni"``
    :math:`\mathrm{CL_{bin}} = 1 - (1-\mathrm{CL})/N` (same guarantee without independence).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, choice
from ..exceptions import InvalidParameterError
from ._common import check_cl, check_counts

__all__ = ["BinnedPoissonLimit", "binned_poisson_limit", "poisson_upper_mean", "TRIALS"]

TRIALS = ("none", "sidak", "bonferroni")


def poisson_upper_mean(n, cl: float = 0.9):
    r"""Classical one-sided upper limit on a Poisson mean with no background.

    :math:`P(N \le n\,|\,\lambda) = 1 - \mathrm{CL}`, i.e.
    :math:`\lambda = Q^{-1}(n+1, 1-\mathrm{CL})` (Garwood 1936; PDG "Statistics", Eq. 40.76).

    Examples
    --------
    >>> [round(float(v), 3) for v in poisson_upper_mean([0, 1, 10])]
    [2.303, 3.89, 15.407]
    """
    cl = check_cl(cl)
    n = check_counts(n, "counts")
    from scipy import special  # lazy: keeps the CLI's option parsing light

    return special.gammainccinv(n + 1.0, 1.0 - cl)


@dataclass(frozen=True)
class BinnedPoissonLimit:
    """Result of :func:`binned_poisson_limit`.

    ``upper_limit`` is the limit on θ; ``limiting_bin`` the index of the bin that sets it;
    ``bin_limits`` the per-bin limits :math:`\\lambda_i^{up}/u_i` (inf where u_i = 0);
    ``cl_bin`` the CL applied in each bin.
    """

    upper_limit: float
    limiting_bin: int
    bin_limits: np.ndarray
    cl: float
    cl_bin: float
    trials: str
    method: str = "binned-poisson"

    def to_dict(self) -> dict:
        return {"upper_limit": self.upper_limit, "limiting_bin": self.limiting_bin,
                "bin_limits": [float(v) if np.isfinite(v) else None for v in self.bin_limits],
                "cl": self.cl, "cl_bin": self.cl_bin, "trials": self.trials,
                "method": self.method}


def binned_poisson_limit(counts, unit_signal, cl: float = 0.9,
                         trials: str = "none") -> BinnedPoissonLimit:
    r"""Upper limit on θ from ON-only binned counts with signal :math:`\theta u_i`.

    Parameters
    ----------
    counts : array_like
        Observed counts :math:`n_i \ge 0` per bin (1-d, non-empty).
    unit_signal : array_like
        Expected signal counts per unit θ in each bin, :math:`u_i \ge 0`, same shape; at least
        one must be > 0.
    cl : float
        Confidence level in (0, 1).
    trials : {"none", "sidak", "bonferroni"}
        How CL is applied over bins (see the module docstring).

    Returns
    -------
    BinnedPoissonLimit

    Examples
    --------
    >>> r = binned_poisson_limit([0, 10, 100], [1.0, 10.0, 50.0])
    >>> round(r.upper_limit, 3), r.limiting_bin          # bin 1: 15.41/10
    (1.541, 1)
    >>> round(binned_poisson_limit([0, 10, 100], [1.0, 10.0, 50.0], trials="sidak").upper_limit, 3)
    1.774
    """
    cl = check_cl(cl)
    trials = choice(trials, "trials", TRIALS)
    n = check_counts(counts, "counts")
    u = as_float_array(unit_signal, "unit_signal")
    if n.ndim != 1:
        raise InvalidParameterError(f"counts must be 1-d, got shape {n.shape}")
    if u.shape != n.shape:
        raise InvalidParameterError(f"unit_signal has shape {u.shape}, counts has {n.shape}; "
                                    "they must match")
    if np.any(u < 0):
        raise InvalidParameterError("unit_signal contains negative values; the signal per "
                                    "unit parameter must be >= 0")
    used = u > 0
    n_used = int(used.sum())
    if n_used == 0:
        raise InvalidParameterError("unit_signal is zero in every bin: no sensitivity")
    if trials == "sidak":
        cl_bin = cl ** (1.0 / n_used)
    elif trials == "bonferroni":
        cl_bin = 1.0 - (1.0 - cl) / n_used
    else:
        cl_bin = cl
    from scipy import special

    lam = special.gammainccinv(n + 1.0, 1.0 - cl_bin)
    with np.errstate(divide="ignore"):
        per_bin = np.where(used, lam / np.where(used, u, 1.0), np.inf)
    i = int(np.argmin(per_bin))
    return BinnedPoissonLimit(float(per_bin[i]), i, per_bin, cl, float(cl_bin), trials)
