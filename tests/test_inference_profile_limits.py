"""Asymptotic profile-likelihood and Feldman-Cousins-by-toys limits
(nuem.inference.profile_limits): analytic Gaussian limits and refusals."""

from types import SimpleNamespace

import numpy as np
import pytest
from scipy.stats import norm

from nuem.exceptions import InvalidParameterError, NuemError
from nuem.inference import ResidualModel
from nuem.inference.profile_limits import fc_upper_limit, profile_upper_limit, q_tilde, threshold


@pytest.mark.parametrize("cl", [0.68, 0.9, 0.95])
@pytest.mark.parametrize("theta_hat", [-1.5, -0.3, 0.0, 0.7, 2.0])
def test_gaussian_limit_is_the_analytic_q_tilde_limit(theta_hat, cl):
    # one Gaussian bin, theta_hat +- sigma: q~(theta) = [(theta - theta_hat)^2 - min(theta_hat,
    # 0)^2] / sigma^2 (Cowan, Cranmer, Gross, Vitells, EPJC 71, 1554 (2011), q~_mu); the limit
    # solves q~ = z^2: theta_hat + z sigma (theta_hat >= 0), theta_hat + sqrt(theta_hat^2 +
    # z^2 sigma^2) (theta_hat < 0)
    sigma, z = 0.8, norm.ppf(cl)
    model = ResidualModel([1.0], [sigma])
    up = profile_upper_limit(model, [theta_hat], cl).upper
    want = (theta_hat + z * sigma if theta_hat >= 0
            else theta_hat + np.sqrt(theta_hat**2 + (z * sigma) ** 2))
    assert up == pytest.approx(want, rel=1e-7)
    assert threshold(cl) == pytest.approx(z * z, rel=1e-12)


def test_q_tilde_is_zero_below_the_best_fit_and_quadratic_above():
    model = ResidualModel([1.0], [1.0])
    th = np.array([-1.0, 0.5, 0.9, 1.0, 2.0, 3.5])
    q = q_tilde(model, [1.0], th)
    assert np.all(q[th < 1.0] == 0.0)
    assert q[th >= 1.0] == pytest.approx((th[th >= 1.0] - 1.0) ** 2, abs=1e-9)


@pytest.mark.parametrize("cl", [0.0, 1.0, -0.1, 1.5, float("nan")])
def test_confidence_level_outside_zero_one_is_refused(cl):
    model = ResidualModel([1.0], [1.0])
    with pytest.raises(InvalidParameterError, match="cl="):
        profile_upper_limit(model, [0.0], cl)
    with pytest.raises(InvalidParameterError, match="cl="):
        threshold(cl)


class _Saturating:
    """A model whose -2 ln L ratio saturates at `top`: the data never exclude large theta
    beyond that level (fake, with the methods the limits use)."""

    def __init__(self, top):
        self.top = top

    def _f(self, th):
        return self.top * (1.0 - np.exp(-max(th, 0.0)))

    def check_data(self, data):
        return SimpleNamespace(energies_kev=np.array([1.0]), weights=None)

    def fit(self, data):
        return SimpleNamespace(best_fit=0.0, total=1.0)

    def profile(self, th, data):
        return SimpleNamespace(m2lnl=self._f(th))

    def prepare(self, energies, weights=None):
        return energies, weights

    def fit_prepared(self, t, w, *, theta=None, physical=False):
        f = 0.0 if theta is None else self._f(theta)
        return np.array([[0.0 if theta is None else theta]]), np.array([f])

    def sample(self, values, rng, n):
        raise AssertionError("no toys expected")


def test_unconstrained_profile_limit_is_an_error_not_a_hang():
    with pytest.raises(NuemError, match="does not reach the threshold"):
        profile_upper_limit(_Saturating(1.0), None, 0.9)       # 1.0 < z^2 = 1.64


def test_fc_toys_refuse_a_statistic_that_never_reaches_the_band_top():
    # reaches z^2 = 1.64 (a profile limit exists) but never 1.5 chi2_1(0.9) = 4.06: the
    # construction's theta grid cannot be built; used to loop forever
    with pytest.raises(NuemError, match="stays below 4.06"):
        fc_upper_limit(_Saturating(3.0), None, 0.9, n_toys=100)


def test_fc_toys_refuse_models_without_the_toy_interface_and_too_few_toys():
    model = ResidualModel([1.0], [1.0])
    with pytest.raises(InvalidParameterError, match="prepare, fit_prepared and sample"):
        fc_upper_limit(model, [0.0], 0.9)
    with pytest.raises(InvalidParameterError, match="n_toys=99"):
        fc_upper_limit(_Saturating(3.0), None, 0.9, n_toys=99)
    with pytest.raises(InvalidParameterError, match="n_grid=2"):
        fc_upper_limit(_Saturating(3.0), None, 0.9, n_grid=2)
