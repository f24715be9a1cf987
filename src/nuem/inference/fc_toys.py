r"""Feldman–Cousins belts by toys for any model (FC Sec. V: the general construction).

For every grid value :math:`\theta_j` the test statistic
:math:`t(\theta) = -2\ln[L(\theta)/L(\hat\theta)]`, :math:`\hat\theta` the maximum in the
physical region (FC Eq. 4.1 in likelihood form; FC Sec. V, Eq. 5.1 ff.), is evaluated on
``n_toys`` pseudo-experiments drawn at :math:`\theta_j`; its CL quantile :math:`t_c(\theta_j)` is
the critical value. The interval for observed data is :math:`\{\theta_j: t_\mathrm{obs}(\theta_j)
\le t_c(\theta_j)\}`. Toys are vectorised (arrays of shape (n_toys, bins)); the loop runs over
grid points only.

Two ways in: any ``sample(theta, n, rng)`` / ``test_statistic(data, theta)`` pair via
:func:`fc_toy_belt`, or the ready model :class:`BinnedPoissonModel` (expected counts
:math:`\theta u_i + b_i`, :math:`\theta \ge 0`, :math:`\hat\theta` by vectorised Newton
iterations on the concave log-likelihood).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import special

from .._validation import as_float_array, check_seed
from ..exceptions import InvalidParameterError, OutOfRangeError
from ._common import Interval, check_cl, check_counts

__all__ = ["ToyBelt", "fc_toy_belt", "fc_toy_interval", "BinnedPoissonModel"]


@dataclass(frozen=True)
class ToyBelt:
    """Critical values ``t_crit`` of the test statistic on the grid ``theta``."""

    theta: np.ndarray
    t_crit: np.ndarray
    cl: float
    n_toys: int


def fc_toy_belt(theta_grid, sample: Callable, test_statistic: Callable, cl: float = 0.9,
                n_toys: int = 10_000, seed=None, workers: int = 1) -> ToyBelt:
    r"""Critical values of the FC test statistic on a parameter grid, by toys.

    Parameters
    ----------
    theta_grid : array_like
        Parameter values (1-d).
    sample : callable
        ``sample(theta, n_toys, rng) -> data`` with a leading toy axis.
    test_statistic : callable
        ``test_statistic(data, theta) -> t`` of shape (n_toys,), vectorised over toys.
    cl : float
        Confidence level in (0, 1).
    n_toys : int
        Pseudo-experiments per grid point.
    seed : int or numpy Generator, optional
        Reproducible random numbers (one independent stream per grid point).
    workers : int
        Threads over grid points (numpy releases the GIL in the array work).

    Returns
    -------
    ToyBelt

    Examples
    --------
    >>> import numpy as np
    >>> def sample(th, n, rng):                            # Gaussian x ~ N(theta, 1)
    ...     return rng.normal(th, 1.0, n)
    >>> def tstat(x, th):
    ...     return (x - th) ** 2 - (x - np.maximum(x, 0.0)) ** 2
    >>> belt = fc_toy_belt([3.0], sample, tstat, n_toys=20000, seed=1)
    >>> bool(abs(belt.t_crit[0] - 1.645 ** 2) < 0.1)       # central region: chi2_1 quantile
    True
    """
    cl = check_cl(cl)
    grid = np.atleast_1d(as_float_array(theta_grid, "theta_grid"))
    if grid.size == 0:
        raise InvalidParameterError("theta_grid is empty")
    n_toys = int(n_toys)
    if n_toys < 10:
        raise InvalidParameterError(f"n_toys={n_toys} is too small; use >= 10")
    seed = check_seed(seed)
    streams = np.random.SeedSequence(seed if not isinstance(seed, np.random.Generator)
                                     else seed.integers(2**63)).spawn(grid.size)

    def one(j):
        rng = np.random.default_rng(streams[j])
        t = test_statistic(sample(grid[j], n_toys, rng), grid[j])
        return np.quantile(t, cl)

    if workers > 1:
        with ThreadPoolExecutor(workers) as ex:
            tc = np.fromiter(ex.map(one, range(grid.size)), float, grid.size)
    else:
        tc = np.fromiter((one(j) for j in range(grid.size)), float, grid.size)
    return ToyBelt(grid, tc, cl, n_toys)


def fc_toy_interval(belt: ToyBelt, t_obs) -> Interval:
    """Interval from a toy belt: hull of grid points with ``t_obs <= t_crit``.

    ``t_obs`` is the observed test statistic at every grid point (same length as the grid).
    ``details['accepted']`` flags the accepted grid points (the hull may contain gaps). No
    accepted point (the interval lies outside the grid) is an error, not an empty interval.

    Examples
    --------
    >>> import numpy as np
    >>> belt = ToyBelt(np.array([0.0, 1.0, 2.0]), np.array([2.7, 2.7, 2.7]), 0.9, 1000)
    >>> fc_toy_interval(belt, [0.5, 1.0, 3.0]).upper
    1.0
    """
    t = as_float_array(t_obs, "t_obs")
    if t.shape != belt.theta.shape:
        raise InvalidParameterError("t_obs must have one value per grid point")
    acc = t <= belt.t_crit
    if not acc.any():
        raise OutOfRangeError(
            f"no grid point of theta in [{belt.theta.min():g}, {belt.theta.max():g}] is "
            "accepted: the interval lies outside the belt's grid; extend the grid")
    lo, hi = float(belt.theta[acc].min()), float(belt.theta[acc].max())
    return Interval(lo, hi, belt.cl, "feldman-cousins",
                    {"model": "toys", "n_toys": belt.n_toys, "accepted": acc,
                     "upper_at_grid_edge": bool(acc[-1])})


class BinnedPoissonModel:
    r"""Binned Poisson spectrum with expected counts :math:`\theta u_i + b_i`, :math:`\theta \ge 0`.

    Parameters
    ----------
    unit_signal : array_like
        Expected signal counts per unit θ per bin, >= 0.
    background : array_like
        Known expected background counts per bin, > 0.

    Examples
    --------
    >>> import numpy as np
    >>> m = BinnedPoissonModel([1.0, 2.0], [5.0, 5.0])
    >>> float(m.mle(np.array([[5.0, 5.0]]))[0])             # no excess -> theta_hat = 0
    0.0
    >>> round(float(m.mle(np.array([[7.0, 9.0]]))[0]), 3)
    2.0
    """

    def __init__(self, unit_signal, background):
        self.u = as_float_array(unit_signal, "unit_signal")
        self.b = as_float_array(background, "background")
        if self.u.ndim != 1 or self.b.shape != self.u.shape or self.u.size == 0:
            raise InvalidParameterError("unit_signal and background must be 1-d, non-empty and "
                                        "of equal length")
        if np.any(self.u < 0) or not np.any(self.u > 0):
            raise InvalidParameterError("unit_signal must be >= 0 with at least one bin > 0")
        if np.any(self.b <= 0):
            raise InvalidParameterError("background must be > 0 in every bin")

    def expected(self, theta):
        return np.asarray(theta, float)[..., None] * self.u + self.b

    def sample(self, theta, n_toys, rng):
        """Poisson toys of shape (n_toys, bins)."""
        return rng.poisson(self.expected(theta), size=(int(n_toys), self.u.size)).astype(float)

    def mle(self, data, n_iter: int = 50):
        r"""Vectorised :math:`\hat\theta \ge 0` for toys ``data`` of shape (n_toys, bins).

        Newton iterations on the score :math:`g(\theta) = \sum_i u_i (n_i/\lambda_i - 1)`, which
        is decreasing and convex: from the moment estimate one step lands left of the root (or
        is clipped to 0, where :math:`g > 0`), and from there the iterates increase
        monotonically to it without overshooting. Toys with :math:`g(0) \le 0` have
        :math:`\hat\theta = 0`.
        """
        data = np.atleast_2d(np.asarray(data, dtype=float))
        u, b = self.u, self.b
        u2, usum = u * u, u.sum()
        theta = np.maximum((data.sum(axis=1) - b.sum()) / usum, 0.0)
        active = np.einsum("ij,j->i", data, u / b) > usum
        theta[~active] = 0.0
        idx = np.flatnonzero(active)
        d = data[idx]
        th = theta[idx]
        for it in range(n_iter):
            if idx.size == 0:
                break
            # in-place work and einsum (no BLAS threads, few temporaries): toys x bins arrays
            inv = np.multiply.outer(th, u)
            inv += b
            np.reciprocal(inv, out=inv)
            r = np.multiply(d, inv)
            g = np.einsum("ij,j->i", r, u) - usum
            r *= inv
            step = g / np.einsum("ij,j->i", r, u2)
            th = th + step
            if it == 0:
                th = np.maximum(th, 0.0)
            done = np.abs(step) <= 1e-9 * (1.0 + th)
            if done.any():
                theta[idx[done]] = th[done]
                keep = ~done
                idx, d, th = idx[keep], d[keep], th[keep]
        theta[idx] = th
        return theta

    def loglike(self, data, theta):
        """:math:`\\ln L` up to a data-only constant."""
        lam = self.expected(theta)
        return np.sum(special.xlogy(data, lam) - lam, axis=-1)

    def test_statistic(self, data, theta):
        r""":math:`t = 2[\ln L(\hat\theta) - \ln L(\theta)] \ge 0` per toy."""
        data = np.atleast_2d(np.asarray(data, dtype=float))
        th_hat = self.mle(data)
        ratio = np.multiply.outer(th_hat, self.u)
        ratio += self.b
        ratio /= float(theta) * self.u + self.b
        np.log(ratio, out=ratio)
        ratio *= data
        t = 2.0 * (ratio.sum(axis=1) - (th_hat - float(theta)) * self.u.sum())
        return np.maximum(t, 0.0)

    def fc_belt(self, theta_grid, cl: float = 0.9, n_toys: int = 10_000, seed=None,
                workers: int = 1) -> ToyBelt:
        """:func:`fc_toy_belt` for this model."""
        return fc_toy_belt(theta_grid, self.sample, self.test_statistic, cl, n_toys, seed,
                           workers)

    def fc_interval(self, counts, belt: ToyBelt) -> Interval:
        """FC interval on θ for observed ``counts`` from a belt of this model."""
        n = check_counts(counts, "counts")
        if n.shape != self.u.shape:
            raise InvalidParameterError(f"counts must have {self.u.size} bins")
        t_obs = np.array([self.test_statistic(n[None, :], th)[0] for th in belt.theta])
        return fc_toy_interval(belt, t_obs)
