"""Intervals: FC (Gaussian, Poisson, toys), Bayes, CLs and the μν limit of Wong, Li, Lin,
PRL 105, 061801 (2010).

Published values: G. J. Feldman and R. D. Cousins, PRD 57, 3873 (1998) ("FC"). Rows tested are
only those verified against an independent source: Table X x0 = 2.6 -> [1.02, 4.24] and Table IV
b = 0.5, n0 = 10 -> [5.00, 16.00] and b = 3, n0 = 6 -> [0.15, 8.47] (quoted in gammapy's
test_feldman_cousins.py); Table IV b = 0 row (n0 = 0..4, also PDG "Statistics" Table 40.3);
x0 = 0 -> 1.64 and b = 3, n0 = 0 -> 1.08 (FC Tables X and IV). x0 = -3.0 -> 0.26 and
-2.0 -> 0.40 are from memory of Table X and agree with the construction.
"""

import numpy as np
import pytest

from nuem.exceptions import InvalidParameterError
from nuem.inference import (
    BinnedPoissonModel,
    bayes_gaussian_upper,
    bayes_poisson_upper,
    cls_gaussian_upper,
    cls_poisson_upper,
    fc_gaussian_belt,
    fc_gaussian_interval,
    fc_poisson_interval,
    fc_toy_belt,
    fc_toy_interval,
    gaussian_interval,
    mu_nu_limit_from_mu2,
    poisson_interval,
    sqrt_limit,
)


@pytest.mark.parametrize(("x", "lo", "hi"), [(0.0, 0.00, 1.64), (2.6, 1.02, 4.24),
                                             (-3.0, 0.00, 0.26), (-2.0, 0.00, 0.40)])
def test_fc_gaussian_table_x(x, lo, hi):
    iv = fc_gaussian_interval(x, 1.0, 0.9)
    assert iv.lower == pytest.approx(lo, abs=0.006)
    assert iv.upper == pytest.approx(hi, abs=0.006)


def test_fc_gaussian_belt_properties():
    mu = np.linspace(0.0, 3.0, 301)
    x1, x2 = fc_gaussian_belt(mu, 0.9)
    from scipy.stats import norm
    cover = norm.cdf(x2 - mu) - norm.cdf(x1 - mu)
    assert np.allclose(cover, 0.9, atol=1e-10)
    assert np.all(np.diff(x1[1:]) > 0) and np.all(np.diff(x2) > 0)
    # equal likelihood ratio at both ends (FC Eq. 4.3)
    def lnr(x, m):
        return -(x - m) ** 2 / 2 + (x - np.maximum(x, 0)) ** 2 / 2
    ok = mu > 0.05
    assert np.allclose(lnr(x1[ok], mu[ok]), lnr(x2[ok], mu[ok]), atol=1e-8)


def test_fc_gaussian_sigma_scaling_and_vector():
    iv = fc_gaussian_interval(np.array([-2.0, 5.2]), 2.0)
    one = fc_gaussian_interval(np.array([-1.0, 2.6]), 1.0)
    assert np.allclose(iv.upper, 2 * one.upper) and np.allclose(iv.lower, 2 * one.lower)


@pytest.mark.parametrize(("b", "n", "lo", "hi"), [
    (0.0, 0, 0.00, 2.44), (0.0, 1, 0.11, 4.36), (0.0, 2, 0.53, 5.91), (0.0, 3, 1.10, 7.42),
    (0.0, 4, 1.47, 8.60), (0.5, 10, 5.00, 16.00), (3.0, 6, 0.15, 8.47), (3.0, 0, 0.00, 1.08)])
def test_fc_poisson_table_iv(b, n, lo, hi):
    iv = fc_poisson_interval(n, b, 0.9)
    assert iv.lower == pytest.approx(lo, abs=0.01)
    assert iv.upper == pytest.approx(hi, abs=0.01)


def test_fc_poisson_raw_belt_sawtooth():
    # without FC's table convention the b = 3, n0 = 0 upper end is 0.95 (documented)
    raw = fc_poisson_interval(0, 3.0, monotone_in_background=False)
    assert raw.upper == pytest.approx(0.953, abs=0.005)


def test_wong2010_mu_nu_limit():
    # Wong, Li, Lin, PRL 105, 061801 (2010), analysis I: [mu/1e-11]^2 = -1.0 +- 2.7 +- 0.9
    # -> mu < 1.9e-11 mu_B (90 % CL)
    r = mu_nu_limit_from_mu2(-1.0, 2.7, 0.9, cl=0.9, method="feldman-cousins")
    assert r["sigma"] == pytest.approx(2.846, abs=1e-3)
    assert round(r["upper_limit"] / 1e-11, 1) == 1.9
    assert r["upper_limit"] == pytest.approx(1.93e-11, abs=0.01e-11)
    assert r["method"] == "feldman-cousins" and r["cl"] == 0.9


def test_bayes_equals_cls_closed_forms():
    x = np.linspace(-4, 4, 17)
    assert np.allclose(bayes_gaussian_upper(x).upper, cls_gaussian_upper(x).upper)
    n = np.arange(8)
    assert np.allclose(bayes_poisson_upper(n, 2.5).upper, cls_poisson_upper(n, 2.5).upper)
    # numeric check of the truncated-normal posterior (PDG Sec. 40.4.1)
    from scipy import integrate, stats
    u = bayes_gaussian_upper(-0.7, 1.3).upper
    post = integrate.quad(lambda m: stats.norm.pdf(-0.7, m, 1.3), 0, u)[0]
    norm = integrate.quad(lambda m: stats.norm.pdf(-0.7, m, 1.3), 0, np.inf)[0]
    assert post / norm == pytest.approx(0.9, abs=1e-7)
    # Poisson, b = 0: classical and Bayes coincide, 2.303 for n = 0
    assert bayes_poisson_upper(0).upper == pytest.approx(np.log(10), rel=1e-9)


def test_methods_dispatch_and_record():
    for m in ("feldman-cousins", "bayes", "cls"):
        iv = gaussian_interval(0.5, 1.0, 0.95, m)
        assert iv.method == m and iv.cl == 0.95
        assert poisson_interval(2, 1.0, 0.9, m).method == m


def test_fc_gaussian_coverage_fast():
    rng = np.random.default_rng(5)
    for mu in (0.0, 0.5, 1.5, 4.0):
        x = rng.normal(mu, 1.0, 20000)
        iv = fc_gaussian_interval(x, 1.0, 0.9)
        cov = np.mean((iv.lower <= mu) & (mu <= iv.upper))
        assert cov == pytest.approx(0.9, abs=0.01)


def test_bayes_coverage_fast():
    # flat-prior upper limits cover at CL far from the boundary and over-cover near it
    rng = np.random.default_rng(6)
    for mu in (3.0, 5.0):
        x = rng.normal(mu, 1.0, 20000)
        assert np.mean(bayes_gaussian_upper(x).upper >= mu) == pytest.approx(0.9, abs=0.01)
    x = rng.normal(0.3, 1.0, 20000)
    assert np.mean(bayes_gaussian_upper(x).upper >= 0.3) > 0.9


def test_fc_poisson_coverage_fast():
    rng = np.random.default_rng(7)
    b = 3.0
    table = fc_poisson_interval(np.arange(30), b)
    for mu in (0.5, 2.0, 5.0):
        n = rng.poisson(mu + b, 20000)
        cov = np.mean((table.lower[n] <= mu) & (mu <= table.upper[n]))
        assert cov >= 0.9 - 0.01    # discreteness: over-coverage allowed (FC Sec. IV A)


@pytest.mark.slow
def test_coverage_slow():
    rng = np.random.default_rng(8)
    for mu in (0.0, 0.2, 1.0, 2.0, 3.0):
        x = rng.normal(mu, 1.0, 400000)
        iv = fc_gaussian_interval(x)
        assert np.mean((iv.lower <= mu) & (mu <= iv.upper)) == pytest.approx(0.9, abs=0.003)
    for mu in (3.0, 4.0, 6.0):
        x = rng.normal(mu, 1.0, 400000)
        assert np.mean(bayes_gaussian_upper(x).upper >= mu) == pytest.approx(0.9, abs=0.01)


def test_toy_belt_reproduces_exact_gaussian_fc():
    def sample(th, n, rng):
        return rng.normal(th, 1.0, n)

    def tstat(x, th):
        return (x - th) ** 2 - (x - np.maximum(x, 0.0)) ** 2

    grid = np.linspace(0.0, 5.0, 101)
    belt = fc_toy_belt(grid, sample, tstat, 0.9, 20000, seed=3)
    for x0 in (-1.0, 0.5, 2.6):
        iv = fc_toy_interval(belt, tstat(np.full(grid.size, x0), grid))
        ex = fc_gaussian_interval(x0)
        assert iv.upper == pytest.approx(ex.upper, abs=0.1)
        assert iv.lower == pytest.approx(ex.lower, abs=0.1)


def test_binned_poisson_model_toys():
    u = np.array([1.0, 2.0, 3.0, 2.0])
    b = np.array([4.0, 4.0, 4.0, 4.0])
    m = BinnedPoissonModel(u, b)
    rng = np.random.default_rng(1)
    data = m.sample(2.0, 5000, rng)
    th = m.mle(data)
    # MLE is the root of the score, or 0 with a non-positive score at 0
    lam = th[:, None] * u + b
    score = np.sum(u * (data / lam - 1), axis=1)
    assert np.all(np.abs(score[th > 0]) < 1e-6) and np.all(th >= 0)
    assert np.median(th) == pytest.approx(2.0, abs=0.2)
    belt = m.fc_belt(np.linspace(0, 6, 25), n_toys=2000, seed=2)
    iv = m.fc_interval(np.array([6, 8, 11, 8]), belt)
    assert iv.lower < 2.0 < iv.upper
    # single-bin model with large background ~ Gaussian: t_crit ~ 2.71 away from 0
    assert np.all(np.abs(belt.t_crit[-5:] - 2.71) < 0.6)


@pytest.mark.parametrize("bad", [dict(sigma=0.0), dict(sigma=-1.0), dict(cl=0.0), dict(cl=1.0),
                                 dict(cl=1.2)])
def test_bad_input(bad):
    kw = dict(estimate=1.0, sigma=1.0, cl=0.9) | bad
    with pytest.raises(InvalidParameterError, match="sigma|cl"):
        gaussian_interval(**kw)


def test_bad_input_counts_and_method():
    with pytest.raises(InvalidParameterError, match="negative"):
        poisson_interval(-1, 0.0)
    with pytest.raises(InvalidParameterError, match="n is empty"):
        fc_poisson_interval([], 0.0)
    with pytest.raises(InvalidParameterError, match="method"):
        gaussian_interval(0.0, 1.0, method="neyman")
    with pytest.raises(InvalidParameterError, match="limit"):
        sqrt_limit(-1.0)


def test_toy_interval_outside_the_grid_is_an_error():
    """An observation whose interval lies beyond the belt's grid is refused, naming the grid
    (it was returned as a NaN interval)."""
    from nuem.exceptions import OutOfRangeError
    from nuem.inference import ToyBelt

    belt = ToyBelt(np.array([0.0, 1.0, 2.0]), np.array([2.7, 2.7, 2.7]), 0.9, 1000)
    with pytest.raises(OutOfRangeError, match=r"theta in \[0, 2\]"):
        fc_toy_interval(belt, [9.0, 8.0, 7.0])
