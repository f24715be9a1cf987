"""Likelihood models (nuem.inference.likelihood / residual_model / onoff_model): the shared
protocol, nuisances in the likelihood, Asimov data, toys and the builders from experiments.

Evidence: closed forms of the linear Gaussian model (PDG "Statistics" Eq. 40.24 ff.: θ̂, σ_θ,
−2 ln L quadratic with curvature 2/σ²), the exact Fisher error with a normalisation nuisance
σ_tot² = σ_stat² + θ²σ_ν² (reparametrisation s = θ(1+ν)), the analytic ON/OFF Poisson errors,
pull distributions of toys, and agreement with the earlier array-level fits."""

import numpy as np
import pytest

from nuem.exceptions import InvalidParameterError
from nuem.inference import (
    BinnedPoissonOnOnly,
    OnOffCounts,
    OnOffModel,
    ResidualModel,
    chi2_fit,
    expected_sensitivity,
    get_method,
    onoff_poisson_fit,
)
from nuem.inference.likelihood import NUISANCE_NAMES, numeric_hessian

U = np.linspace(1.0, 2.0, 24)
SIG = np.full(24, 0.5)


def test_protocol_and_parameter_metadata():
    m = ResidualModel(U, SIG, known=np.full(24, 3.0), norms={"flux_norm": 0.05},
                      templates={"onoff_norm": (np.ones(24), 0.1)})
    assert m.kind == "residual" and m.poi == "theta" and m.bins == 24
    assert m.names == ("theta", "flux_norm", "onoff_norm")
    assert set(m.nuisance_names) <= set(NUISANCE_NAMES)
    meta = {p["name"]: p for p in m.describe()["parameters"]}
    assert meta["flux_norm"]["sigma"] == 0.05 and meta["flux_norm"]["lower"] == -0.99
    assert meta["theta"]["poi"] and meta["theta"]["sigma"] is None
    # Asimov data = expectation; m2lnl there is 0; nll = m2lnl / 2
    d = m.asimov_data({"theta": 2.0})
    np.testing.assert_allclose(d, 3.0 + 2.0 * U)
    assert m.m2lnl({"theta": 2.0}, d) == pytest.approx(0.0, abs=1e-20)
    x = {"theta": 1.0, "flux_norm": 0.1, "onoff_norm": -0.2}
    chi2 = np.sum((d - 3.0 - 1.0 * 1.1 * U + 0.2) ** 2 / 0.25) + 2.0**2 + 2.0**2
    assert m.m2lnl(x, d) == pytest.approx(chi2, rel=1e-12)
    assert m.nll(x, d) == pytest.approx(chi2 / 2, rel=1e-12)
    assert m.m2lnl([1.0, 0.1, -0.2], d) == m.m2lnl(x, d)
    with pytest.raises(InvalidParameterError, match="'escale' is not in this model"):
        m.vector({"escale": 0.1})
    with pytest.raises(InvalidParameterError, match="needs 3 values"):
        m.vector([1.0])
    with pytest.raises(InvalidParameterError, match="24 bins"):
        m.fit(np.zeros(5))


def test_linear_gaussian_closed_forms():
    m = ResidualModel(U, SIG)
    sigma = 1.0 / np.sqrt(np.sum(U**2 / SIG**2))
    assert float(m.asimov_sigma_theta()) == pytest.approx(sigma, rel=1e-14)
    fit = m.fit(m.asimov_data({"theta": 1.7}))
    assert fit.best_fit == pytest.approx(1.7, rel=1e-9) and fit.total == pytest.approx(sigma)
    # profile likelihood is the parabola ((θ - θ̂)/σ)²
    assert m.profile(1.7 + 2 * sigma, m.asimov_data({"theta": 1.7})).m2lnl == pytest.approx(4.0)
    # the array front end is this model
    r = -1.0 * U + np.random.default_rng(1).normal(0.0, 0.5, 24)
    a, b = chi2_fit(r, SIG, U, norm_sigma=0.2), ResidualModel(U, SIG, norms={"norm": 0.2}).fit(r)
    assert (a.best_fit, a.stat, a.total) == (b.best_fit, b.stat, b.total)


def test_normalisation_nuisance_in_the_likelihood():
    """Profiling a normalisation σ_ν in the likelihood gives σ_tot² = σ_stat² + θ̂²σ_ν² (exact at
    ν̂ = 0), i.e. what adding |θ̂|σ_ν in quadrature after the fit gives -- and only there."""
    m = ResidualModel(U, SIG, norms={"xsec_norm": 0.2})
    stat = 1.0 / np.sqrt(np.sum(U**2 / SIG**2))
    for theta in (0.0, 3.0, -2.0):
        fit = m.fit(m.asimov_data({"theta": theta}))
        expect = np.hypot(stat, theta * 0.2)
        assert fit.total == pytest.approx(expect, rel=1e-3)
        assert float(m.asimov_sigma_theta({"theta": theta})) == pytest.approx(expect, rel=1e-12)
    two = ResidualModel(U, SIG, norms={"flux_norm": 0.05, "xsec_norm": 0.2})
    assert float(two.asimov_sigma_theta({"theta": 3.0})) == pytest.approx(
        np.hypot(stat, 3.0 * np.hypot(0.05, 0.2)), rel=1e-12)


def test_template_nuisance_fisher_equals_fit():
    tilt = np.linspace(-1.0, 1.0, 24) * 2.0
    m = ResidualModel(U, SIG, templates={"bkg_tilt": (tilt, 0.3)},
                      scale=(0.1 * U, 0.05 * U, 0.01))
    d = m.asimov_data({"theta": 1.0})
    fit = m.fit(d)
    assert fit.best_fit == pytest.approx(1.0, rel=1e-7)
    assert fit.total == pytest.approx(float(m.asimov_sigma_theta({"theta": 1.0})), rel=1e-4)
    assert fit.total > fit.stat


def test_gaussian_toys_pulls():
    m = ResidualModel(U, SIG)
    toys = m.sample({"theta": 0.5}, np.random.default_rng(4), 4000)
    th = m.linear_estimate(toys)
    s = float(m.asimov_sigma_theta())
    pull = (th - 0.5) / s
    assert abs(pull.mean()) < 0.05 and pull.std() == pytest.approx(1.0, abs=0.04)
    assert m.fit(toys[0]).best_fit == pytest.approx(th[0], rel=1e-7)
    with pytest.raises(InvalidParameterError, match="without nuisance"):
        ResidualModel(U, SIG, norms={"flux_norm": 0.1}).linear_estimate(toys)


def test_batched_asimov_equals_pointwise():
    u = np.outer([1.0, 2.0, 5.0], U)
    s = np.outer([1.0, 0.5, 3.0], SIG)
    batch = ResidualModel(u, s, bin_syst=0.1 * s).asimov_sigma_theta()
    single = [float(ResidualModel(u[i], s[i], bin_syst=0.1 * s[i]).asimov_sigma_theta())
              for i in range(3)]
    np.testing.assert_allclose(batch, single, rtol=1e-14)
    # bin_syst is a per-bin nuisance profiled exactly: it adds in quadrature
    np.testing.assert_allclose(single[0], 1 / np.sqrt(np.sum(U**2 / (1.01 * SIG**2))))


def test_onoff_model_analytic_error_and_front_end():
    """Two bins, t_on = t_off: var(N_on − N_off) = N_on + N_off per bin, so
    σ_θ² = (N_on + N_off)/(u² · bins) = 40/(25 · 2) at the Asimov point."""
    m = OnOffModel([5.0, 5.0], 1.0, 1.0, background=[20.0, 20.0])
    d = m.asimov_data()
    assert isinstance(d, OnOffCounts)
    np.testing.assert_allclose(d.on, [20.0, 20.0])
    fit = m.fit(d)
    assert abs(fit.best_fit) < 1e-6 and fit.stat == pytest.approx(np.sqrt(0.8), rel=1e-7)
    assert fit.chi2 == pytest.approx(0.0, abs=1e-9)
    old = onoff_poisson_fit(d.on, d.off, [5.0, 5.0], 1.0, 1.0)
    assert old.stat == fit.stat and old.minos == fit.minos


def test_onoff_normalisation_profiled_like_quadrature():
    m = OnOffModel([5.0, 4.0, 3.0], 2.0, 3.0, known=[1.0, 1.0, 0.5],
                   background=[50.0, 40.0, 30.0], norms={"xsec_norm": 0.2})
    d = m.asimov_data({"theta": 20.0})
    fit = m.fit(d)
    assert fit.best_fit == pytest.approx(20.0, rel=1e-6)
    assert fit.syst == pytest.approx(20.0 * 0.2, rel=1e-4)
    assert fit.nuisances["xsec_norm"] == pytest.approx(0.0, abs=1e-6)


def test_onoff_model_toys_cover():
    """Pulls of the joint ON/OFF fit with an OFF-normalisation nuisance drawn from its
    constraint: mean 0, width 1 when the profiled total error is used."""
    rng = np.random.default_rng(7)
    u, b = np.array([6.0, 5.0, 4.0, 3.0]), np.array([30.0, 30.0, 25.0, 20.0])
    pulls = []
    for _ in range(150):
        c = rng.normal(0.0, 0.05)
        truth = OnOffModel(u, 1.0, 1.0, background=b, onoff_norm_sigma=0.05)
        d = truth.sample({"theta": 2.0, "onoff_norm": c}, rng, 1)
        m = OnOffModel(u, 1.0, 1.0, onoff_norm_sigma=0.05)
        fit = m.fit((d.on[0], d.off[0]))
        pulls.append((fit.best_fit - 2.0) / fit.total)
    pulls = np.array(pulls)
    assert abs(pulls.mean()) < 0.25 and 0.8 < pulls.std() < 1.2


def test_on_only_model_and_binned_poisson_method():
    from nuem.inference import binned_poisson_limit

    m = BinnedPoissonOnOnly([1.0, 10.0, 50.0], background=[1.0, 1.0, 1.0])
    assert m.profile(1.0, [0, 10, 100]).m2lnl == pytest.approx(
        2 * (1.0 - 0.0))                     # only bin 0 has s > n: 2 (s - n + n ln(n/s))
    with pytest.raises(InvalidParameterError, match="no unique best fit"):
        m.fit([0, 10, 100])
    iv = get_method("binned-poisson").model_interval(m, [0, 10, 100], 0.9, trials="sidak")
    ref = binned_poisson_limit([0, 10, 100], [1.0, 10.0, 50.0], 0.9, "sidak")
    assert iv.upper == ref.upper_limit and iv.details["limiting_bin"] == ref.limiting_bin
    np.testing.assert_allclose(m.expected({"theta": 2.0}), [3.0, 21.0, 101.0])
    assert m.sample(None, 1, 5).shape == (5, 3)


def test_numeric_hessian_quartic():
    # f = x^4 + 3 y^2 at (1, 0): exact Hessian [[12, 0], [0, 6]]
    h = numeric_hessian(lambda p: p[0] ** 4 + 3.0 * p[1] ** 2, [1.0, 0.0], [0.1, 0.1])
    np.testing.assert_allclose(h, [[12.0, 0.0], [0.0, 6.0]], atol=1e-9)


def test_sensitivity_is_the_models_asimov():
    """expected_sensitivity's σ_θ is the error of the fit of its model to its own Asimov data."""
    from nuem.experiments import get_experiment
    from nuem.inference import signal_template
    from nuem.inference.builders import asimov_model

    exp = get_experiment("texono-hpge")
    u, s0 = signal_template(exp)
    model, keep = asimov_model(s0, u, 0.01)
    fit = model.fit(model.asimov_data())
    r = expected_sensitivity(exp, onoff_syst=0.01, template=(u, s0))
    assert fit.total == pytest.approx(r.sigma_theta, rel=1e-6)
    assert keep.all() and r.assumptions["model"]["kind"] == "residual"


def test_inputs_of_the_wrong_shape_or_kind_are_named():
    from nuem.inference import OnOffModel, ResidualModel, limit_from_data

    with pytest.raises(InvalidParameterError, match=r"sigma must be 1-d with 3 bins \(or broad"):
        ResidualModel([1.0, 2.0, 3.0], [1.0, 1.0])
    with pytest.raises(InvalidParameterError, match="bin_syst must be 1-d with 3 bins"):
        ResidualModel([1.0, 2.0, 3.0], 1.0, bin_syst=[0.1, 0.1])
    with pytest.raises(InvalidParameterError, match=r"known_on must be 1-d with 2 bins, got "
                                                     r"shape \(3,\)"):
        OnOffModel([5.0, 5.0], 1.0, 1.0, known=[1.0, 2.0, 3.0])
    with pytest.raises(InvalidParameterError, match="flux_norm_sigma='abc' is not a number"):
        limit_from_data("texono-hpge", "unused.tsv", flux_norm_sigma="abc")
    with pytest.raises(InvalidParameterError, match="xsec_sigma=-0.1 must be finite and >= 0"):
        limit_from_data("texono-hpge", "unused.tsv", xsec_sigma=-0.1)
    with pytest.raises(InvalidParameterError, match="preset id or a nuem Experiment, got int"):
        limit_from_data(3, "unused.tsv")
