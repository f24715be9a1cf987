"""Energy-scale and background-shape nuisances (nuem.inference.templates, chi2_fit, limits)."""

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_inference_limits import _asimov_onoff

from nuem.cli.main import main
from nuem.exceptions import InvalidParameterError, NuemError
from nuem.inference.fits import chi2_fit
from nuem.inference.limits import limit_from_data
from nuem.inference.templates import energy_scale_derivative, tilt_template


def _exp_counts(lo, hi, delta=0.0, scale=5.0):
    """Exact counts of the density exp(-E/scale) in observed bins at energy-scale shift delta."""
    a, b = lo / (1.0 + delta), hi / (1.0 + delta)
    return scale * (np.exp(-a / scale) - np.exp(-b / scale))


def test_derivative_matches_exact_shift():
    fine = np.linspace(1.0, 30.0, 5801)
    counts = _exp_counts(fine[:-1], fine[1:])
    lo, hi = np.arange(2.0, 20.0, 1.0), np.arange(3.0, 21.0, 1.0)
    d = energy_scale_derivative(fine, counts, lo, hi)
    h = 1e-4
    exact = (_exp_counts(lo, hi, h) - _exp_counts(lo, hi, -h)) / (2 * h)
    np.testing.assert_allclose(d, exact, rtol=1e-3, atol=1e-6 * np.abs(exact).max())


def test_scale_invariant_density_has_zero_derivative():
    # counts of a 1/E density in [lo, hi] are ln(hi/lo): unchanged by a scale shift
    fine = np.geomspace(1.0, 100.0, 20001)
    counts = np.log(fine[1:] / fine[:-1])
    d = energy_scale_derivative(fine, counts, np.array([2.0, 10.0]), np.array([5.0, 50.0]))
    np.testing.assert_allclose(d, 0.0, atol=2e-4)


@given(st.floats(0.1, 100.0), st.floats(0.0, 5.0), st.floats(0.1, 4.0))
def test_flat_density_derivative_is_minus_counts(f, lo, w):
    # flat density f: N = f (hi - lo)/(1 + delta) -> dN/d delta = -f (hi - lo)
    edges = np.linspace(0.0, 10.0, 101)
    d = energy_scale_derivative(edges, np.full(100, f * 0.1), [lo], [lo + w])
    assert d[0] == pytest.approx(-f * w, rel=1e-9)


def test_template_errors_name_the_problem():
    with pytest.raises(InvalidParameterError, match="beyond the template"):
        energy_scale_derivative(np.linspace(0, 1, 11), np.ones(10), [0.5], [1.5])
    with pytest.raises(InvalidParameterError, match="one more entry"):
        energy_scale_derivative(np.linspace(0, 1, 11), np.ones(9), [0.1], [0.2])
    with pytest.raises(InvalidParameterError, match="e_hi_kev > e_lo_kev"):
        tilt_template([1.0], [2.0], [1.0])


def test_tilt_template_is_odd_about_the_window_centre():
    t = tilt_template(np.full(4, 3.0), [0.0, 1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(t, -t[::-1])
    assert t.sum() == pytest.approx(0.0, abs=1e-12)


def test_chi2_fit_recovers_amplitude_and_scale_shift():
    lo, hi = np.arange(1.0, 15.0, 0.5), np.arange(1.5, 15.5, 0.5)
    fine = np.linspace(0.5, 16.0, 3101)
    u0 = _exp_counts(lo, hi) * 100.0
    m0 = (hi - lo) * 20.0                       # flat subtracted expectation, 20 /keV
    du = energy_scale_derivative(fine, _exp_counts(fine[:-1], fine[1:]) * 100.0, lo, hi)
    dm = energy_scale_derivative(fine, np.diff(fine) * 20.0, lo, hi)
    a_true, d_true = 3.0, 0.004
    data = a_true * _exp_counts(lo, hi, d_true) * 100.0 + m0 / (1 + d_true) - m0
    sigma = np.full(lo.size, 0.005)               # precise data: the shift is measured
    fit = chi2_fit(data, sigma, u0, scale_derivatives=(du, dm), scale_sigma=0.01)
    assert fit.best_fit == pytest.approx(a_true, rel=0.01)
    assert fit.nuisances["escale"] == pytest.approx(d_true, rel=0.05)
    assert fit.total > fit.stat > 0 and fit.syst > 0
    plain = chi2_fit(data, sigma, u0)
    assert plain.chi2 > 10 * fit.chi2              # the shift is seen by the data
    with pytest.raises(InvalidParameterError, match="scale_sigma"):
        chi2_fit(data, sigma, u0, scale_derivatives=(du, dm))


def test_limit_with_escale_and_tilt(tmp_path):
    f = _asimov_onoff(tmp_path, mu_nu=3e-10)
    g = limit_from_data("texono-hpge", f)
    e = limit_from_data("texono-hpge", f, escale_sigma=0.01)
    assert "escale" in e.nuisances["fitted"] and e.nuisances["escale_sigma"] == 0.01
    assert e.best_fit == pytest.approx(g.best_fit, rel=1e-3)     # Asimov: nuisances at 0
    assert e.syst > 0 and e.upper_limit > g.upper_limit
    t = limit_from_data("texono-hpge", f, bkg_tilt_sigma=0.01, onoff_syst=0.002)
    assert {"bkg_tilt", "onoff_norm"} <= set(t.nuisances["fitted"])
    assert t.syst > 0 and t.upper_limit > g.upper_limit


def test_nuisance_input_errors(tmp_path):
    f = _asimov_onoff(tmp_path)
    with pytest.raises(NuemError, match="escale_sigma"):
        limit_from_data("texono-hpge", f, escale_sigma=-0.01)
    with pytest.raises(InvalidParameterError, match="fit methods only"):
        limit_from_data("texono-hpge", f, method="binned-poisson", escale_sigma=0.01)


def test_joint_poisson_profiles_scale_and_tilt(tmp_path):
    """Energy scale and background tilt are parameters of the joint Poisson likelihood too:
    on Asimov data they stay at 0, θ̂ is unbiased, and profiling them widens the error."""
    f = _asimov_onoff(tmp_path, mu_nu=3e-10)
    p = limit_from_data("texono-hpge", f, joint_poisson=True)
    t = limit_from_data("texono-hpge", f, joint_poisson=True, bkg_tilt_sigma=0.01,
                        escale_sigma=0.01)
    assert {"bkg_tilt", "escale"} <= set(t.nuisances["fitted"])
    assert abs(t.nuisances["fitted"]["bkg_tilt"]) < 1e-4
    assert t.best_fit == pytest.approx(900.0, rel=1e-3)
    assert t.stat == pytest.approx(p.stat, rel=1e-3)
    assert t.syst > 0 and t.upper_limit > p.upper_limit
    names = [q["name"] for q in t.details["model"]["parameters"]]
    assert names == ["theta", "escale", "bkg_tilt"]


def test_cli_flags(tmp_path, capsys):
    f = str(_asimov_onoff(tmp_path, mu_nu=3e-10))
    assert main(["limit", "--experiment", "texono-hpge", "--data", f, "--escale-sigma", "0.01",
                 "--bkg-tilt-sigma", "0.01", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"escale", "bkg_tilt"} <= set(out["nuisances"]["fitted"]) and out["syst"] > 0


def test_pulls_with_energy_scale_nuisance_are_unit_normal():
    # Toys: r = a (u + d du) + d dm + noise with d ~ N(0, s_d) (the constraint's model); the
    # profiled total error must describe the spread of a_hat (pull mean 0, width 1).
    rng = np.random.default_rng(11)
    lo, hi = np.arange(1.0, 15.0, 0.5), np.arange(1.5, 15.5, 0.5)
    fine = np.linspace(0.5, 16.0, 1551)
    u = _exp_counts(lo, hi) * 100.0
    du = energy_scale_derivative(fine, _exp_counts(fine[:-1], fine[1:]) * 100.0, lo, hi)
    dm = energy_scale_derivative(fine, np.diff(fine) * 200.0, lo, hi)
    sigma, s_d, a_true = np.full(lo.size, 0.5), 0.01, 2.0
    pulls, wider, naive = [], [], []
    for _ in range(300):
        d = rng.normal(0.0, s_d)
        r = a_true * (u + d * du) + d * dm + rng.normal(0.0, sigma)
        fit = chi2_fit(r, sigma, u, scale_derivatives=(du, dm), scale_sigma=s_d)
        pulls.append((fit.best_fit - a_true) / fit.total)
        naive.append((chi2_fit(r, sigma, u).best_fit - a_true) / fit.stat)
        wider.append(fit.total > fit.stat)
    pulls = np.array(pulls)
    assert abs(pulls.mean()) < 0.2 and 0.85 < pulls.std() < 1.15 and all(wider)
    assert np.std(naive) > 1.3     # ignoring the scale nuisance under-covers
