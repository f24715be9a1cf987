"""The extended unbinned likelihood (UnbinnedModel) and the profile-likelihood and
Feldman-Cousins-by-toys limits (nuem.inference.profile_limits)."""

import numpy as np
import pytest
from scipy import optimize, stats

from nuem.exceptions import InvalidParameterError
from nuem.inference import ResidualModel, get_method
from nuem.inference.profile_limits import fc_upper_limit, profile_upper_limit, threshold
from nuem.inference.unbinned_model import EventData, UnbinnedModel

X = np.linspace(1.0, 30.0, 291)
SIG = 20.0 / X                        # falling signal (counts/keV per unit theta)
BKG = 12.0 + 0.1 * X                  # slowly rising background (counts/keV)
SM = np.full(X.size, 2.5)             # flat known component (counts/keV)


def _model(**kw):
    return UnbinnedModel(X, SIG, BKG, known=SM, **kw)


def _events(model, theta, seed, **nuis):
    toy = model.sample({"theta": theta, **nuis}, rng=seed, n=1)
    e = toy.energies_kev[0]
    return e[~np.isnan(e)]


def _independent_m2lnl(p, e, with_known=True):
    """-2 ln L written out here: trapezoid integrals, np.interp densities."""
    theta, a = p
    lam = theta * np.interp(e, X, SIG) + a * np.interp(e, X, BKG)
    tot = theta * np.trapezoid(SIG, X) + a * np.trapezoid(BKG, X)
    if with_known:
        lam = lam + np.interp(e, X, SM)
        tot = tot + np.trapezoid(SM, X)
    if np.any(lam <= 0):
        return np.inf
    return 2.0 * (tot - np.sum(np.log(lam)))


def test_fit_agrees_with_an_independent_minimiser():
    m = _model()
    e = _events(m, 1.5, seed=3)
    fit = m.fit(e)
    res = optimize.minimize(_independent_m2lnl, [1.0, 1.0], args=(e,), method="Nelder-Mead",
                            options={"xatol": 1e-9, "fatol": 1e-11, "maxiter": 20000})
    assert fit.best_fit == pytest.approx(res.x[0], abs=1e-5)
    assert 1.0 + fit.nuisances["bkg_norm"] == pytest.approx(res.x[1], abs=1e-6)
    # errors: inverse Hessian of -2 ln L / 2, the Hessian by finite differences here
    h = np.zeros((2, 2))
    step = np.array([1e-3, 1e-4])
    for i in range(2):
        for j in range(2):
            def f(di, dj, i=i, j=j):
                p = res.x.copy()
                p[i] += di
                p[j] += dj
                return _independent_m2lnl(p, e)
            h[i, j] = (f(step[i], step[j]) - f(step[i], -step[j]) - f(-step[i], step[j])
                       + f(-step[i], -step[j])) / (4 * step[i] * step[j])
    assert fit.total == pytest.approx(np.sqrt(2 * np.linalg.inv(h)[0, 0]), rel=1e-3)
    assert fit.stat == pytest.approx(np.sqrt(2 / h[0, 0]), rel=1e-3)
    assert m.m2lnl({"theta": 0.3, "bkg_norm": 0.1}, e) == pytest.approx(
        _independent_m2lnl([0.3, 1.1], e), rel=1e-12)


def test_background_only_profile_is_analytic():
    # theta = 0, no known component: the free normalisation is N / B exactly
    m = UnbinnedModel(X, SIG, BKG)
    e = _events(m, 0.0, seed=5)
    pr = m.profile(0.0, e)
    assert 1.0 + pr.values["bkg_norm"] == pytest.approx(e.size / np.trapezoid(BKG, X),
                                                         rel=1e-9)


def test_asimov_data_give_back_the_truth():
    # midpoint-weighted Asimov events are exact for piecewise-linear densities
    m = _model()
    truth = {"theta": 0.7, "bkg_norm": -0.05}
    fit = m.fit(m.asimov_data(truth))
    assert fit.best_fit == pytest.approx(0.7, abs=1e-7)
    assert fit.nuisances["bkg_norm"] == pytest.approx(-0.05, abs=1e-8)


def test_toys_follow_the_density():
    m = _model()
    toys = m.sample({"theta": 2.0}, rng=12, n=400)
    nu = np.trapezoid(m.density({"theta": 2.0}), X)
    assert toys.counts.mean() == pytest.approx(nu, abs=4 * np.sqrt(nu / 400))     # Poisson mean
    assert toys.counts.var() == pytest.approx(nu, rel=0.3)                         # and variance
    e = toys.energies_kev[~np.isnan(toys.energies_kev)]
    assert e.size == toys.counts.sum() and e.min() >= X[0] and e.max() <= X[-1]
    # exact CDF of the piecewise-linear density
    d = m.density({"theta": 2.0})
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (d[1:] + d[:-1]) * np.diff(X))])

    def cdf(x):
        j = np.clip(np.searchsorted(X, x) - 1, 0, X.size - 2)
        t = x - X[j]
        slope = (d[j + 1] - d[j]) / (X[j + 1] - X[j])
        return (cum[j] + d[j] * t + 0.5 * slope * t * t) / cum[-1]

    assert stats.kstest(e, cdf).pvalue > 1e-3


def test_physical_fits_and_profiles_of_many_toys():
    m = _model()
    toys = m.sample({"theta": 0.0}, rng=2, n=200)
    x_free, f_free = m.fit_many(toys.energies_kev)
    x_phys, f_phys = m.fit_many(toys.energies_kev, physical=True)
    neg = x_free[:, 0] < 0
    assert 40 < neg.sum() < 160                         # about half fluctuate below zero
    assert np.all(x_phys[:, 0] >= 0) and np.all(x_phys[~neg] == x_free[~neg])
    assert np.all(f_phys[neg] >= f_free[neg])
    # the physical best fit of a negative toy is its profile at theta = 0
    _, f0 = m.fit_many(toys.energies_kev[neg], theta=0.0)
    np.testing.assert_allclose(f_phys[neg], f0, rtol=0, atol=1e-8)
    # one toy through the single-data-set API
    e = toys.energies_kev[0][~np.isnan(toys.energies_kev[0])]
    assert m.fit(e).best_fit == pytest.approx(x_free[0, 0], abs=1e-9)


@pytest.mark.parametrize("theta_hat", [1.0, 0.0, -0.8])
def test_profile_likelihood_gaussian_limit_is_analytic(theta_hat):
    # Gaussian residual with sigma = 1: q~(theta) = (theta - th)^2 - max(-th, 0)^2
    m = ResidualModel([1.0], [1.0])
    iv = profile_upper_limit(m, [theta_hat], 0.9)
    z = stats.norm.ppf(0.9)
    expect = theta_hat + z if theta_hat >= 0 else theta_hat + np.sqrt(theta_hat**2 + z**2)
    assert iv.upper == pytest.approx(expect, abs=1e-8)
    assert iv.method == "profile-likelihood" and "asymptotic" in iv.details["validity"]
    assert threshold(0.9) == pytest.approx(z**2)


def test_profile_likelihood_through_the_registry_and_gaussian_limit():
    # many events: the unbinned PL limit approaches theta_hat + z sigma_total
    m = UnbinnedModel(X, 50 * SIG, 50 * BKG)
    e = _events(m, 0.5, seed=8)
    fit = m.fit(e)
    iv = get_method("profile-likelihood").model_interval(m, e, 0.9)
    assert fit.best_fit > 0
    assert iv.upper == pytest.approx(fit.best_fit + stats.norm.ppf(0.9) * fit.total, rel=0.02)


def test_feldman_cousins_by_toys_is_seeded_and_close_to_wilks():
    m = _model()
    e = _events(m, 0.0, seed=21)
    a = fc_upper_limit(m, e, 0.9, n_toys=300, seed=4, n_grid=5)
    b = fc_upper_limit(m, e, 0.9, n_toys=300, seed=4, n_grid=5)
    assert a.upper == b.upper and a.details["t_crit"] == b.details["t_crit"]
    pl = profile_upper_limit(m, e, 0.9).upper
    assert a.upper == pytest.approx(pl, rel=0.3)
    assert 0.0 <= a.lower < pl < a.upper * 1.3 and len(a.details["grid_theta"]) >= 5
    assert all(0.5 < t < 5.0 for t in a.details["t_crit"])


@pytest.mark.slow
def test_profile_likelihood_coverage_by_toys():
    # asymptotic 90 % upper limits cover the true theta in 90 % of pseudo-experiments
    # (Cowan et al., EPJC 71, 1554 (2011)); 300 toys: 3 sigma = 0.052
    m = _model()
    truth = 1.0
    toys = m.sample({"theta": truth}, rng=99, n=300)
    covered = 0
    for row in toys.energies_kev:
        e = row[~np.isnan(row)]
        covered += profile_upper_limit(m, e, 0.9).upper >= truth
    assert covered / 300 == pytest.approx(0.9, abs=0.052)


def test_weighted_events_and_negative_signals():
    # a signal that lowers the rate (e.g. <r^2>) is allowed; the background must be >= 0
    m = UnbinnedModel(X, -0.1 * SM, BKG, known=SM)
    e = _events(m, 1.0, seed=1)
    assert np.isfinite(m.fit(e).best_fit)
    d = EventData(np.array([2.0, 3.0]), np.array([0.5, 1.5]))
    assert m.check_data(d).n == 2.0


def test_bad_input():
    with pytest.raises(InvalidParameterError, match="strictly increasing"):
        UnbinnedModel([1.0, 1.0], [1, 1], [1, 1])
    with pytest.raises(InvalidParameterError, match="background must be >= 0"):
        UnbinnedModel(X, SIG, -BKG)
    with pytest.raises(InvalidParameterError, match="signal is zero"):
        UnbinnedModel(X, 0 * SIG, BKG)
    with pytest.raises(InvalidParameterError, match="one value per node"):
        UnbinnedModel(X, SIG[:-1], BKG)
    with pytest.raises(InvalidParameterError, match="known_sigma goes with known_free"):
        UnbinnedModel(X, SIG, BKG, known=SM, known_sigma=0.1)
    with pytest.raises(InvalidParameterError, match="outside the window"):
        _model().fit([0.5, 2.0])
    with pytest.raises(InvalidParameterError, match="n_toys=10 is too small"):
        fc_upper_limit(_model(), [2.0, 3.0], n_toys=10)


def test_constrained_and_floated_nuisances():
    free = _model()
    tight = _model(background_sigma=1e-4, known_free=True, known_sigma=0.2)
    assert tight.names == ("theta", "bkg_norm", "known_norm")
    e = _events(free, 1.0, seed=7)
    # a tightly constrained background normalisation stays at its nominal value
    assert abs(tight.fit(e).nuisances["bkg_norm"]) < 1e-3
    fixed = _model(background_sigma=0.0)
    assert fixed.names == ("theta",)
    assert fixed.fit(e).syst == 0.0
