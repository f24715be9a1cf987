"""Two-sided <r^2> intervals (nuem.inference.r2_interval) in sensitivity, limit and scan, and the
charge-radius convention stated with every cm^2 value."""

import json

import numpy as np
import pytest
from inference_data import write_asimov_onoff

from nuem.cli.main import main
from nuem.experiments import get_experiment, observed_spectrum
from nuem.inference.asimov_grid import AsimovScanModel
from nuem.inference.limits import limit_from_data
from nuem.inference.r2_interval import (
    chi2_quartic,
    quadratic_templates,
    quartic_interval,
    wilks_threshold,
)
from nuem.inference.sensitivity import expected_sensitivity

EXP = "texono-hpge"


def test_signal_is_exactly_quadratic_in_r2():
    """sm_electron(theta) - sm_electron(0) = a theta + b theta^2 at theta = 3 and -7 (g_V enters
    Wong & Li 2005 Eq. 4 quadratically, <r^2> shifts g_V linearly)."""
    exp = get_experiment(EXP)
    a, b, s0 = quadratic_templates(exp)
    for th in (3.0, -7.0):
        s = observed_spectrum(exp, r2_cm2=th * 1e-32).components["sm_electron"]
        np.testing.assert_allclose(s - s0.components["sm_electron"], a * th + b * th * th,
                                   rtol=1e-9, atol=1e-12)
    assert np.all(b > 0)


def test_linear_limit_of_the_quartic_is_the_gaussian_interval():
    """With the quadratic term removed the interval is exactly +-sqrt(q) sigma_theta (q = 2.706 at
    90 %: Feldman-Cousins for an unbounded Gaussian parameter, 1.645 sigma)."""
    w = np.array([0.5, 1.0, 2.0])
    a = np.array([1.0, 2.0, 0.5])
    sigma = 1.0 / np.sqrt(np.sum(w * a * a))
    iv = quartic_interval(chi2_quartic(np.zeros(3), w, a, np.zeros(3)), 0.9)
    assert iv["lower"] == pytest.approx(-np.sqrt(wilks_threshold(0.9)) * sigma, rel=1e-10)
    assert iv["upper"] == pytest.approx(1.6448536 * sigma, rel=1e-6)


def test_sensitivity_two_sided_and_conventions():
    g = expected_sensitivity(EXP, param="r2")
    s = expected_sensitivity(EXP, param="r2", r2_convention="sin2w-shift")
    tg, ts = g.two_sided, s.two_sided
    assert tg["lower_cm2"] < 0 < tg["upper_cm2"]
    # b > 0: the quadratic term makes the interval asymmetric (longer on the negative side)
    assert -tg["lower_cm2"] > tg["upper_cm2"]
    # sin2w-shift moves g_V twice as much per cm^2: every end halves
    assert ts["lower_cm2"] == pytest.approx(tg["lower_cm2"] / 2, rel=1e-9)
    assert ts["upper_cm2"] == pytest.approx(tg["upper_cm2"] / 2, rel=1e-9)
    d = s.to_dict()
    assert d["r2_convention"] == "sin2w-shift" == d["two_sided"]["r2_convention"]
    assert d["assumptions"]["couplings"] == "radiative"


def test_sensitivity_toys_bracket_the_asimov_interval():
    r = expected_sensitivity(EXP, param="r2", method="toys", n_toys=200, seed=4)
    t = r.two_sided
    lo, hi = t["lower_quantiles_cm2"], t["upper_quantiles_cm2"]
    assert lo[0] < t["lower_cm2"] < lo[-1] and hi[0] < t["upper_cm2"] < hi[-1]
    assert lo[2] == pytest.approx(t["lower_cm2"], rel=0.15)


def _onoff_file(tmp_path, r2_cm2):
    return write_asimov_onoff(tmp_path / "onoff_r2.tsv", EXP, r2_cm2=r2_cm2)


def test_limit_recovers_a_true_r2_and_brackets_it(tmp_path):
    truth = 1.5e-30
    f = _onoff_file(tmp_path, truth)
    r = limit_from_data(EXP, f, param="r2")
    t = r.two_sided
    assert t["best_fit_cm2"] == pytest.approx(truth, rel=1e-3)
    assert t["lower_cm2"] < truth < t["upper_cm2"]
    # the same data read in the sin2w-shift convention: every value halves
    h = limit_from_data(EXP, f, param="r2", r2_convention="sin2w-shift").two_sided
    assert h["best_fit_cm2"] == pytest.approx(truth / 2, rel=1e-3)
    assert h["upper_cm2"] == pytest.approx(t["upper_cm2"] / 2, rel=1e-6)
    # with a flux-normalisation nuisance (profile scan): still brackets the truth, not narrower
    n = limit_from_data(EXP, f, param="r2", flux_norm_sigma=0.05).two_sided
    assert n["lower_cm2"] < truth < n["upper_cm2"]
    assert n["upper_cm2"] - n["lower_cm2"] > 0.97 * (t["upper_cm2"] - t["lower_cm2"])
    assert "profile scan" in n["method"]


def test_scan_r2_columns_and_convention():
    m = AsimovScanModel(param="r2", n_bins=8)
    cols = {"threshold_kev": np.array([1.0]), "background_cpkkd": np.array([1.0]),
            "exposure_kg_day": np.array([1e3]), "flux_cm2_s": np.array([1e13])}
    g = m(cols)
    s = AsimovScanModel(param="r2", n_bins=8, r2_convention="sin2w-shift")(cols)
    assert g["r2_lower_cm2"][0] < 0 < g["r2_upper_cm2"][0]
    assert s["r2_upper_cm2"][0] == pytest.approx(g["r2_upper_cm2"][0] / 2, rel=1e-9)


def test_cli_r2_outputs_state_the_convention(tmp_path, capsys):
    assert main(["sensitivity", "--experiment", EXP, "--param", "r2", "--r2-convention",
                 "sin2w-shift", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["r2_convention"] == "sin2w-shift" and out["unit"] == "cm^2"
    assert out["two_sided"]["lower_cm2"] < 0 < out["two_sided"]["upper_cm2"]
    assert main(["sensitivity", "--experiment", EXP, "--param", "r2"]) == 0
    assert "gv-shift convention" in capsys.readouterr().out
    f = str(_onoff_file(tmp_path, 0.0))
    assert main(["limit", "--experiment", EXP, "--data", f, "--param", "r2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["r2_convention"] == "gv-shift" and "lower_cm2" in out["two_sided"]
    assert main(["scan", "--param", "r2", "--executor", "serial", "--no-progress", "--n-bins",
                 "5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["r2_convention"] == "gv-shift" and "r2_lower_cm2" in out["columns"]


def test_quartic_interval_refuses_what_is_not_a_chi2_of_degree_2_or_4():
    from nuem.exceptions import InvalidParameterError
    from nuem.inference.r2_interval import profile_scan_interval

    for bad in ([1.0, 0.0, 0.0, 1.0], [0.0, 0.0, -1.0, 0.0, 1.0], [1.0, np.nan, 1.0, 0.0, 1.0]):
        with pytest.raises(InvalidParameterError, match="degree 2 or 4"):
            quartic_interval(bad, 0.9)
    with pytest.raises(InvalidParameterError, match="n_grid=2"):
        profile_scan_interval(None, None, None, 0.9, n_grid=2)
