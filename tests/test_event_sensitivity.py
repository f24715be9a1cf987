"""Expected sensitivities of event-list experiments (nuem.inference.event_sensitivity): the
Asimov weighted event list, toys, profile-likelihood and Feldman-Cousins bands, the density
constraint lambda >= 0 of the unbinned model, and the XENONnT 2022 check against the observed
limit of the release (E. Aprile et al. (XENON), Phys. Rev. Lett. 129, 161805 (2022))."""

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import optimize, stats

from nuem.cli.main import main
from nuem.exceptions import InvalidParameterError
from nuem.experiments import get_experiment
from nuem.inference import expected_sensitivity, fc_gaussian_interval
from nuem.inference.event_sensitivity import auto_likelihood, event_sensitivity
from nuem.inference.event_templates import event_model
from nuem.inference.profile_limits import profile_upper_limit
from nuem.inference.unbinned_model import UnbinnedModel

D = Path(__file__).parent / "data" / "xenonnt_2022_er"
EVENTS, BKG = str(D / "data_unbinned_1to30kev.txt"), str(D / "bkg_model.txt")
UNIT = "events/(t yr keV)"
Z90 = stats.norm.ppf(0.9)

X = np.linspace(1.0, 30.0, 291)
SIG = 20.0 / X
BKG_D = 12.0 + 0.1 * X
SM = np.full(X.size, 2.5)


def _json(capsys, argv):
    assert main(argv) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


# -- the Asimov data set and the bands -------------------------------------------------------------
def test_asimov_median_is_the_gaussian_limit_of_the_hessian_error():
    # many events: q~_A is quadratic, theta_med = z sigma (Cowan et al., EPJC 71, 1554, Eq. 30)
    m = UnbinnedModel(X, 50 * SIG, 50 * BKG_D, known=50 * SM, nonnegative=True)
    a = m.asimov_data()
    fit = m.fit(a)
    assert fit.best_fit == pytest.approx(0.0, abs=1e-8)          # the truth, exactly
    med = profile_upper_limit(m, a, 0.9).upper
    assert med == pytest.approx(Z90 * fit.total, rel=0.02)


def test_q_tilde_and_fc_bands_follow_their_formulas(monkeypatch):
    xe = get_experiment("xenonnt-2022")
    r = event_sensitivity(xe, BKG, background_unit=UNIT)
    s, z = r.theta["sigma"], Z90
    lo2, lo1, med, hi1, hi2 = (np.array([*r.band_2sigma[:1], r.band_1sigma[0], r.median,
                                         r.band_1sigma[1], r.band_2sigma[1]]) / 1e-11) ** 2
    assert med == pytest.approx(z * s, rel=1e-9) and r.theta["median"] == pytest.approx(med)
    assert hi1 == pytest.approx(s * (1 + z), rel=1e-9)
    assert hi2 == pytest.approx(s * (2 + z), rel=1e-9)
    # theta^ < 0: q~ = (theta^2 - 2 theta theta^)/sigma^2 (Cowan et al. Eq. 16)
    assert lo1 == pytest.approx(s * (-1 + np.sqrt(1 + z * z)), rel=1e-9)
    assert lo2 == pytest.approx(s * (-2 + np.sqrt(4 + z * z)), rel=1e-9)
    fc = event_sensitivity(xe, BKG, background_unit=UNIT, interval="feldman-cousins")
    expect = fc_gaussian_interval(np.array([-2.0, -1.0, 0.0, 1.0, 2.0]) * s, s, 0.9).upper
    got = (np.array([fc.band_2sigma[0], fc.band_1sigma[0], fc.median, fc.band_1sigma[1],
                     fc.band_2sigma[1]]) / 1e-11) ** 2
    np.testing.assert_allclose(got, expect, rtol=1e-9)


def test_toys_reproduce_the_asimov_median_and_bands():
    m_kw = dict(background_unit=UNIT, n_toys=1500, seed=3)
    xe = get_experiment("xenonnt-2022")
    a = event_sensitivity(xe, BKG, background_unit=UNIT)
    t = event_sensitivity(xe, BKG, method="toys", **m_kw)
    # 1500 toys: the median's statistical error is ~3 %
    assert t.median == pytest.approx(a.median, rel=0.05)
    assert t.band_1sigma[0] == pytest.approx(a.band_1sigma[0], rel=0.08)
    assert t.band_1sigma[1] == pytest.approx(a.band_1sigma[1], rel=0.08)
    d = t.assumptions["details"]
    assert abs(d["toy_theta_hat_median"]) < 0.1 * a.theta["sigma"]
    # expected events: B0 x 1.16 t yr + SM nu-e
    exp_n = a.assumptions["background_counts"] + a.assumptions["sm_counts"]
    assert d["toy_events_mean"] == pytest.approx(exp_n, abs=4 * np.sqrt(exp_n / 1500))
    b = event_sensitivity(xe, BKG, method="toys", interval="bayes", **m_kw)
    assert b.median > 0 and b.assumptions["interval"] == "bayes"


def test_xenonnt_expected_limit_versus_the_observed_one():
    # The release (433 events) sits ~1.7 sigma below B0 where the signal lives: the observed
    # profile-likelihood limit, 5.5e-12 mu_B (docs/event_lists.md), lies between the -2 sigma
    # and -1 sigma expected bands; the expected median is ~9.6e-12 mu_B (published observed
    # limit 6.3e-12, PRL 129, 161805 (2022)).
    from nuem.inference import limit_from_events

    obs = limit_from_events("xenonnt-2022", EVENTS, BKG, background_unit=UNIT)
    r = event_sensitivity("xenonnt-2022", BKG, background_unit=UNIT)
    assert r.band_2sigma[0] < obs.upper_limit < r.band_1sigma[0] < r.median
    assert obs.upper_limit == pytest.approx(5.53e-12, rel=0.01)
    assert r.median == pytest.approx(9.57e-12, rel=0.02)
    assert obs.best_fit / r.theta["sigma"] == pytest.approx(-1.5, abs=0.3)
    assert r.assumptions["likelihood"] == "unbinned"
    assert r.assumptions["background_model"]["source"] == BKG


@pytest.mark.slow
def test_feldman_cousins_toys_agree_with_the_asymptotic_fc_median():
    r = event_sensitivity("xenonnt-2022", BKG, background_unit=UNIT, method="toys",
                          interval="feldman-cousins", n_toys=1000, seed=5)
    a = event_sensitivity("xenonnt-2022", BKG, background_unit=UNIT, interval="feldman-cousins")
    assert r.median == pytest.approx(a.median, rel=0.06)
    tc = r.assumptions["details"]["fc_t_crit"]
    assert 1.2 < tc[0] < 2.2 and all(2.0 < t < 3.4 for t in tc[4:])   # -> chi2_1(0.9) = 2.71


# -- background of the preset, likelihood choice ---------------------------------------------------
def test_preset_background_is_the_flat_continuum_of_the_file():
    xe = get_experiment("xenonnt-2022")
    m, info = event_model(xe, None)
    # 15.8 events/(t yr keV) = 4.3258e-5 counts/(kg keV day) (xenonnt-2022.toml) x exposure
    np.testing.assert_allclose(m.templates[1], 4.3258e-5 * xe.exposure.on_kg_day, rtol=1e-12)
    assert info["background"]["kind"] == "experiment"
    r = expected_sensitivity("xenonnt-2022")
    assert r.assumptions["likelihood"] == "unbinned"
    assert "[background] model of xenonnt-2022" in r.assumptions["background"]


def test_auto_likelihood_rules():
    assert auto_likelihood(get_experiment("texono-hpge"), "mu-nu")[0] == "onoff"
    assert auto_likelihood(get_experiment("tritium-mammont"), "mu-nu")[0] == "onoff"
    assert auto_likelihood(get_experiment("xenonnt-2022"), "mu-nu")[0] == "unbinned"
    assert auto_likelihood(get_experiment("xenonnt-2022"), "r2")[0] == "onoff"
    lk, why = auto_likelihood(get_experiment("pandax-4t"), "mu-nu")
    assert lk == "onoff" and "without a background model" in why
    assert auto_likelihood(get_experiment("pandax-4t"), "mu-nu", BKG)[0] == "unbinned"
    # a binned template keeps the ON-OFF model (reports), as does an explicit choice
    r = expected_sensitivity("texono-hpge")
    assert r.assumptions["likelihood"] == "onoff"
    o = expected_sensitivity("xenonnt-2022", likelihood="onoff")
    assert o.assumptions["likelihood_reason"] == "requested"


def test_bad_input_names_the_option():
    with pytest.raises(InvalidParameterError, match="onoff_syst applies to the ON-OFF"):
        expected_sensitivity("xenonnt-2022", onoff_syst=0.01)
    with pytest.raises(InvalidParameterError, match="no background model"):
        expected_sensitivity("pandax-4t", likelihood="unbinned")
    with pytest.raises(InvalidParameterError, match="signed charge radius"):
        expected_sensitivity("xenonnt-2022", param="r2", likelihood="unbinned")
    with pytest.raises(InvalidParameterError, match="background_unit is required"):
        event_sensitivity("xenonnt-2022", BKG)
    with pytest.raises(InvalidParameterError, match="events options apply"):
        expected_sensitivity("texono-hpge", events={"background_sigma": 0.1})
    with pytest.raises(InvalidParameterError, match="interval"):
        event_sensitivity("xenonnt-2022", interval="binned-poisson")


# -- lambda >= 0 on the window ---------------------------------------------------------------------
def test_nonnegative_density_without_events_is_a_linear_programme():
    # no events: -2 ln L = 2 [theta S + (1 + nu_b) B + K] is linear, its minimum over
    # {lambda >= 0 at the nodes, background intensity 1 + nu_b >= 0} a vertex: compare with
    # scipy's linear-programming solver
    m = UnbinnedModel(X, SIG, BKG_D, known=SM, nonnegative=True)
    S, B, K = (np.trapezoid(v, X) for v in (SIG, BKG_D, SM))
    empty = np.full((1, 1), np.nan)
    # theta = 0: the background falls to its bound, 1 + nu_b = 0 (a background cannot be
    # negative, although lambda >= 0 would allow 1 + nu_b down to -2.5 / 14.9 here)
    x, f = m.fit_many(empty, theta=0.0)
    assert 1 + x[0, 1] == pytest.approx(0.0, abs=1e-12)
    assert f[0] == pytest.approx(2 * K, rel=1e-12)
    lp = optimize.linprog([S, B], A_ub=-np.column_stack([SIG, BKG_D]), b_ub=SM,
                          bounds=[(None, None), (0.0, None)], method="highs")
    x, f = m.fit_many(empty)
    assert f[0] == pytest.approx(2 * (lp.fun + K), rel=1e-7)
    np.testing.assert_allclose([x[0, 0], 1 + x[0, 1]], lp.x, rtol=1e-6, atol=1e-9)
    # without the node condition the signal runs away (no events hold it): lambda < 0
    free = UnbinnedModel(X, SIG, BKG_D, known=SM).fit_many(empty)
    assert free[1][0] < f[0] and free[0][0, 0] < x[0, 0]


def test_nonnegative_fit_agrees_with_a_constrained_minimiser():
    m = UnbinnedModel(X, SIG, BKG_D, nonnegative=True)
    rng = np.random.default_rng(4)
    for _ in range(5):
        e = np.sort(rng.uniform(20.0, 30.0, 4))        # a few events far from the signal
        got = m.fit(e)

        def f(p, e=e):
            lam = p[0] * np.interp(e, X, SIG) + (1 + p[1]) * np.interp(e, X, BKG_D)
            if np.any(lam <= 0):
                return 1e30
            tot = p[0] * np.trapezoid(SIG, X) + (1 + p[1]) * np.trapezoid(BKG_D, X)
            return 2.0 * (tot - np.sum(np.log(lam)))

        cons = {"type": "ineq", "fun": lambda p: p[0] * SIG + (1 + p[1]) * BKG_D}
        ref = optimize.minimize(f, [0.0, 0.0], method="SLSQP", constraints=[cons],
                                options={"ftol": 1e-12, "maxiter": 500})
        par = {"theta": got.best_fit, "bkg_norm": got.nuisances["bkg_norm"]}
        assert m.m2lnl(par, e) == pytest.approx(ref.fun, abs=1e-6)
        # lambda >= 0 at every node (the unconstrained fit would go negative below 20 keV)
        d = m.density(par)
        assert d.min() >= -1e-9 * d.max() and got.best_fit < 0


def test_few_event_experiment_gives_finite_bands():
    # ~3 events (2 kg of germanium for the XENON1T exposure): toys with 0-8 events
    from nuem.experiments import hypothetical_experiment

    e = hypothetical_experiment(get_experiment("xenon1t-2020"), target="Ge", mass_kg=2.0,
                                flags={"mass_kg": "--mass-kg"})
    r = event_sensitivity(e, method="toys", n_toys=200, seed=1)
    assert 0 < r.band_2sigma[0] <= r.band_1sigma[0] < r.median < r.band_1sigma[1]


# -- command line ----------------------------------------------------------------------------------
def test_cli_event_list_sensitivity(capsys):
    argv = ["sensitivity", "--experiment", "xenonnt-2022", "--background-file", BKG,
            "--background-unit", UNIT, "--param", "mu-nu"]
    out = _json(capsys, [*argv, "--json"])
    assert out["assumptions"]["likelihood"] == "unbinned"
    assert out["interval"] == "profile-likelihood" and out["method"] == "asimov"
    assert out["median"] == pytest.approx(9.57e-12, rel=0.02)
    assert BKG in out["assumptions"]["background"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert f"# background: background table {BKG}" in text and "# exposure ON:" in text


@pytest.mark.parametrize("argv,needle", [
    (["--experiment", "texono-hpge", "--background-sigma", "0.1"],
     "--background-sigma applies to event-list sensitivities"),
    (["--experiment", "xenonnt-2022", "--onoff-syst", "0.01"], "--onoff-syst applies to the"),
    (["--experiment", "xenonnt-2022", "--background-file", BKG], "needs --background-unit"),
    (["--experiment", "pandax-4t", "--likelihood", "unbinned"], "no background model"),
    # the ON-OFF sensitivity has no threads: --workers is refused, not ignored
    (["--experiment", "texono-hpge", "--workers", "2"], "--workers applies to event-list"),
    (["--experiment", "xenonnt-2022", "--workers", "0"], "--workers=0 must be >= 1"),
])
def test_cli_event_list_errors(capsys, argv, needle):
    assert main(["sensitivity", *argv]) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1
