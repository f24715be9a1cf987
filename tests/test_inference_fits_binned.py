"""Fits (χ², ON/OFF Poisson) and the binned-Poisson method (Wong, Li, Lin, PRL 105, 061801
(2010), analysis II; Lin et al., PRD 79, 061101 (2009), Sec. 3.2)."""

import json

import numpy as np
import pytest

from nuem.cli.main import main
from nuem.exceptions import InvalidParameterError
from nuem.inference import (
    binned_poisson_limit,
    chi2_fit,
    onoff_poisson_fit,
    poisson_upper_mean,
    profile_background,
)


def test_chi2_fit_closed_form_and_pulls():
    rng = np.random.default_rng(11)
    u = np.linspace(2.0, 0.5, 48)
    sig = np.full(48, 1.5)
    w = 1 / sig**2
    err = 1 / np.sqrt(np.sum(w * u * u))
    pulls = []
    for _ in range(300):
        r = -1.0 * u + rng.normal(0, sig)
        fit = chi2_fit(r, sig, u)
        assert fit.best_fit == pytest.approx(np.sum(w * r * u) / np.sum(w * u * u), abs=1e-6)
        assert fit.stat == pytest.approx(err, rel=1e-4)
        pulls.append((fit.best_fit + 1.0) / fit.stat)
    pulls = np.array(pulls)
    assert abs(pulls.mean()) < 0.2 and pulls.std() == pytest.approx(1.0, abs=0.12)


def test_chi2_fit_norm_nuisance():
    u = np.linspace(2.0, 0.5, 20)
    fit = chi2_fit(3.0 * u, np.ones(20), u, norm_sigma=0.2)
    assert fit.best_fit == pytest.approx(3.0, rel=1e-4)
    # total error: stat and 20 % of the signal in quadrature (linearised)
    assert fit.total == pytest.approx(np.hypot(fit.stat, 0.2 * 3.0), rel=0.05)
    assert fit.syst > 0 and fit.dof == 19


def test_profile_background_matches_numeric():
    from scipy.optimize import minimize_scalar
    on, off, u = np.array([12.0]), np.array([30.0]), np.array([4.0])
    for a in (-1.0, 0.0, 2.0):
        b = profile_background(a, on, off, u, 1.0, 2.5)[0]
        def nll(bb, a=a):
            m1, m2 = bb + a * 4.0, 2.5 * bb
            return -(12 * np.log(m1) - m1 + 30 * np.log(m2) - m2)
        res = minimize_scalar(nll, bounds=(max(1e-9, -a * 4 + 1e-9), 100), method="bounded")
        assert b == pytest.approx(res.x, rel=1e-4)


def test_onoff_fit_pulls():
    rng = np.random.default_rng(12)
    u = np.linspace(30.0, 5.0, 10)
    brate = np.full(10, 50.0)
    pulls = []
    for _ in range(200):
        on = rng.poisson(brate * 1.0 + 1.0 * u)
        off = rng.poisson(brate * 2.0)
        fit = onoff_poisson_fit(on, off, u, 1.0, 2.0)
        pulls.append((fit.best_fit - 1.0) / fit.stat)
    pulls = np.array(pulls)
    assert abs(pulls.mean()) < 0.2 and pulls.std() == pytest.approx(1.0, abs=0.15)


def test_binned_poisson_toy():
    # exact per-bin limits; the most constraining bin sets the limit
    n = np.array([5, 50, 200, 3])
    u = np.array([1.0, 20.0, 40.0, 0.0])
    r = binned_poisson_limit(n, u, 0.9)
    lam = poisson_upper_mean(n, 0.9)
    assert r.upper_limit == pytest.approx(np.min(lam[:3] / u[:3]))
    assert r.limiting_bin == int(np.argmin(lam[:3] / u[:3]))
    assert np.isinf(r.bin_limits[3])
    # P(N <= n | lam_up) = 0.1
    from scipy.stats import poisson
    assert np.allclose(poisson.cdf(n, lam), 0.1)
    # trials corrections are more conservative
    s = binned_poisson_limit(n, u, 0.9, trials="sidak").upper_limit
    bo = binned_poisson_limit(n, u, 0.9, trials="bonferroni").upper_limit
    assert r.upper_limit < s <= bo


def test_binned_poisson_coverage_with_background():
    # no background modelled: the per-bin limit still covers when background is present
    rng = np.random.default_rng(13)
    u = np.array([5.0, 3.0, 1.0])
    theta = 2.0
    n = rng.poisson(theta * u + np.array([20.0, 20.0, 20.0]), size=(4000, 3))
    lims = np.array([binned_poisson_limit(row, u, 0.9).upper_limit for row in n[:500]])
    assert np.mean(lims >= theta) >= 0.9


def test_binned_poisson_bad_input():
    with pytest.raises(InvalidParameterError, match="counts is empty"):
        binned_poisson_limit([], [])
    with pytest.raises(InvalidParameterError, match="negative"):
        binned_poisson_limit([1, -2], [1.0, 1.0])
    with pytest.raises(InvalidParameterError, match="unit_signal"):
        binned_poisson_limit([1, 2], [0.0, 0.0])
    with pytest.raises(InvalidParameterError, match="sigma"):
        chi2_fit([1.0, 2.0], [1.0, 0.0], [1.0, 1.0])
    with pytest.raises(InvalidParameterError, match="n_on"):
        onoff_poisson_fit([-1, 2], [1, 2], [1.0, 1.0], 1.0, 1.0)


def test_cli_interval(capsys):
    assert main(["interval", "--estimate", "-1.0", "--sigma", "2.846", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "feldman-cousins" and out["cl"] == 0.9
    assert out["lower"] == 0.0 and out["upper"] == pytest.approx(3.735, abs=0.005)
    assert main(["interval", "--estimate", "0", "--sigma", "1", "--method", "bayes",
                 "--cl", "0.95", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "bayes" and out["upper"] == pytest.approx(1.96, abs=0.01)


@pytest.mark.parametrize(("argv", "word"), [
    (["--estimate", "1", "--sigma", "0"], "sigma"),
    (["--estimate", "1", "--sigma", "-1"], "sigma"),
    (["--estimate", "1", "--sigma", "1", "--cl", "1.0"], "cl"),
    (["--estimate", "1", "--sigma", "1", "--cl", "0"], "cl"),
    (["--counts", "-3"], "negative"),
])
def test_cli_interval_errors(capsys, argv, word):
    assert main(["interval", *argv, "--json"]) == 2
    assert word in capsys.readouterr().err


def test_onoff_poisson_fit_known_on_expectation():
    # Asimov ON = b t_on + a u + k, OFF = b t_off: the fit returns a exactly when k is given,
    # and absorbs k into a (bias sum(k)/sum(u)) when it is not.
    u, b, k = np.array([5.0, 3.0, 1.0]), np.array([20.0, 20.0, 20.0]), np.array([4.0, 2.0, 1.0])
    on, off = b * 1.0 + 2.0 * u + k, b * 2.0
    with_k = onoff_poisson_fit(on, off, u, 1.0, 2.0, known_on=k)
    assert with_k.best_fit == pytest.approx(2.0, abs=1e-3)
    without = onoff_poisson_fit(on, off, u, 1.0, 2.0)
    assert without.best_fit > 2.5
    with pytest.raises(InvalidParameterError, match="known_on"):
        onoff_poisson_fit(on, off, u, 1.0, 2.0, known_on=-k)
