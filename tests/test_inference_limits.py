"""Limits from data (nuem.inference.limits) and ``nuem limit``."""

import json
from pathlib import Path

import numpy as np
import pytest
from inference_data import write_asimov_onoff

from nuem.cli.main import main
from nuem.exceptions import NuemError
from nuem.experiments import get_experiment, hypothetical_experiment
from nuem.inference.limits import interval_from_fit, limit_from_data, template_on_edges
from nuem.inference.sensitivity import expected_sensitivity
from nuem.io.spectra import MeasuredSpectrum, read_spectrum

EDELWEISS = Path(__file__).parent / "data" / "excess" / "edelweiss_red30_keVee.txt"


def _asimov_onoff(tmp_path, mu_nu=0.0):
    return write_asimov_onoff(tmp_path / "onoff.tsv", "texono-hpge", mu_nu=mu_nu)


def test_onoff_asimov_data_reproduce_sensitivity(tmp_path):
    r = limit_from_data("texono-hpge", _asimov_onoff(tmp_path))
    assert r.best_fit == pytest.approx(0.0, abs=0.05 * r.best_fit_error)
    assert r.dof == 47 and r.chi2 == pytest.approx(0.0, abs=1e-3)
    s = expected_sensitivity("texono-hpge")
    assert r.upper_limit == pytest.approx(s.median, rel=0.02)
    for m in ("bayes", "cls"):
        assert limit_from_data("texono-hpge", _asimov_onoff(tmp_path), method=m).upper_limit > 0


def test_onoff_injected_signal_is_found(tmp_path):
    r = limit_from_data("texono-hpge", _asimov_onoff(tmp_path, mu_nu=3e-10))
    assert r.best_fit == pytest.approx(900.0, rel=0.01)      # (3e-10 / 1e-11)^2
    assert r.upper_limit > 3e-10


def test_edelweiss_binned_poisson_worked_example():
    """Illustration, not a claim: EDELWEISS RED30 rates read as reactor-ON data of a 0.338 kg d
    TEXONO-ULEGe-like detector at 1e13 cm^-2 s^-1, no background subtracted."""
    e = hypothetical_experiment(get_experiment("texono-ulege"), flux_cm2_s=1e13)
    mu = limit_from_data(e, EDELWEISS, method="binned-poisson")
    dq = limit_from_data(e, EDELWEISS, param="delta-q", method="binned-poisson")
    assert 1e-10 < mu.upper_limit < 1e-8       # 1.27e-9 mu_B
    assert 1e-12 < dq.upper_limit < 1e-10      # 2.0e-11 e
    assert mu.details["exposure_kg_day"] == pytest.approx(0.338)
    sid = limit_from_data(e, EDELWEISS, method="binned-poisson", trials="sidak")
    assert sid.upper_limit > mu.upper_limit


def test_bad_input(tmp_path):
    d = MeasuredSpectrum(np.array([12.0]), np.array([13.0]),
                         {"spectrum": ("counts", np.array([-1.0]))}, {"spectrum": None}, "neg")
    with pytest.raises(NuemError, match="negative"):
        limit_from_data("texono-hpge", d, method="binned-poisson")
    with pytest.raises(NuemError, match="cl"):
        limit_from_data("texono-hpge", _asimov_onoff(tmp_path), cl=0.0)
    outside = MeasuredSpectrum(np.array([100.0]), np.array([101.0]),
                               {"spectrum": ("counts", np.array([1.0]))}, {"spectrum": None}, "o")
    with pytest.raises(NuemError, match="window"):
        limit_from_data("texono-hpge", outside, method="binned-poisson")
    with pytest.raises(NuemError, match="OFF"):
        limit_from_data("texono-ulege", EDELWEISS, method="feldman-cousins")
    bad = tmp_path / "neg.tsv"
    bad.write_text("e_lo_kev\te_hi_kev\tcounts\n12\t13\t-5\n")
    with pytest.raises(NuemError, match="negative"):
        limit_from_data("texono-hpge", bad, method="binned-poisson")


def test_cli(tmp_path, capsys):
    assert main(["limit", "--experiment", "texono-hpge", "--data",
                 str(_asimov_onoff(tmp_path)), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for k in ("best_fit", "upper_limit", "cl", "method", "chi2", "dof", "unit"):
        assert k in out
    assert main(["limit", "--experiment", "texono-ulege", "--data", str(EDELWEISS),
                 "--method", "binned-poisson", "--param", "delta-q", "--flux-cm2-s", "1e13",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "binned-poisson" and out["unit"] == "e"
    assert main(["limit", "--experiment", "texono-hpge", "--data", str(EDELWEISS),
                 "--cl", "2", "--json"]) == 2


# --- ON-OFF residual input and nuisance parameters ------------------------------------------

def _template_cpkkd():
    exp = get_experiment("texono-hpge")
    e = exp.analysis.edges_kev()
    u, sm, _ = template_on_edges(exp, e[:-1], e[1:])
    scale = np.diff(e) * exp.exposure.on_kg_day
    return exp, e, u / scale, sm / scale


def _residual_file(tmp_path, r, sigma, e, name="resid.csv"):
    f = tmp_path / name
    rows = "\n".join(f"{a},{b},{float(x)!r},{float(s)!r}" for a, b, x, s in
                     zip(e[:-1], e[1:], r, sigma, strict=True))
    f.write_text("# ON-OFF residual\ne_lo_kev,e_hi_kev,residual_cpkkd,sigma_cpkkd\n" + rows + "\n")
    return f


def _wong2010_like(tmp_path):
    """Residual whose fit is exactly θ̂ = −1.0 ± 2.7 (stat) with χ²/dof = 39/47 (Wong, Li, Lin,
    PRL 105, 061801 (2010), analysis I):
    constant errors so σ_θ = 2.7, noise orthogonal to the template and scaled to χ² = 39."""
    _, e, u, sm = _template_cpkkd()
    sig = 2.7 * np.sqrt(np.sum(u**2))
    n = np.random.default_rng(3).normal(size=u.size)
    n -= (n @ u) / (u @ u) * u
    n *= np.sqrt(39.0 / np.sum(n**2)) * sig
    return _residual_file(tmp_path, -1.0 * u + sm + n, np.full(u.size, sig), e)


def test_residual_fit_recovers_injected_theta(tmp_path):
    exp, e, u, sm = _template_cpkkd()
    sigma = np.full(u.size, 0.02)                  # cpkkd, fixed-seed Gaussian noise
    theta = 400.0
    r = theta * u + sm + np.random.default_rng(12345).normal(0.0, sigma)
    f = _residual_file(tmp_path, r, sigma, e)
    s = read_spectrum(f)                            # round trip through the reader
    assert np.allclose(s.rate_cpkkd("residual"), r) and np.allclose(s.sigma(), sigma)
    res = limit_from_data(exp, f)
    assert res.details["input"] == "residual" and res.dof == u.size - 1
    assert abs(res.best_fit - theta) < 3 * res.stat
    assert res.stat == pytest.approx(1 / np.sqrt(np.sum(u**2 / sigma**2)), rel=1e-3)
    assert res.syst == 0.0 and res.total == res.stat
    assert 0.4 < res.chi2 / res.dof < 1.8
    # counts residual: same fit once converted with the ON exposure
    x = exp.exposure.on_kg_day
    w = np.diff(e) * x
    d = MeasuredSpectrum(e[:-1], e[1:], {"residual": ("counts", r * w)}, {"residual": x}, "c",
                         errors={"residual": sigma * w})
    rc = limit_from_data(exp, d)
    assert rc.best_fit == pytest.approx(res.best_fit, rel=1e-6)
    assert rc.stat == pytest.approx(res.stat, rel=1e-6)


def test_xsec_and_flux_sigma_increase_syst_and_limit(tmp_path):
    exp, e, u, sm = _template_cpkkd()
    sigma = np.full(u.size, 0.02)
    r = 400.0 * u + sm + np.random.default_rng(7).normal(0.0, sigma)
    f = _residual_file(tmp_path, r, sigma, e)
    base = limit_from_data(exp, f)
    x = limit_from_data(exp, f, xsec_sigma=0.2)
    both = limit_from_data(exp, f, xsec_sigma=0.2, flux_norm_sigma=0.05)
    assert x.syst > base.syst == 0.0 and x.upper_limit > base.upper_limit
    assert both.syst > x.syst and both.upper_limit > x.upper_limit
    assert x.stat == pytest.approx(base.stat, rel=1e-3)
    # a pure normalisation nuisance: the χ² depends on θ(1+ν) only, so ν̂ = 0 and the profiled
    # error is exactly √(stat² + θ̂²σ²), i.e. syst = |θ̂| σ (Hessian of the likelihood)
    assert x.syst == pytest.approx(abs(x.best_fit) * 0.2, rel=1e-6)
    assert both.nuisances["norm_sigma"] == pytest.approx(np.hypot(0.2, 0.05))
    assert both.total == pytest.approx(np.hypot(both.stat, both.syst))
    with pytest.raises(NuemError, match="xsec_sigma"):
        limit_from_data(exp, f, xsec_sigma=-0.1)
    with pytest.raises(NuemError, match="residual"):
        limit_from_data(exp, f, joint_poisson=True)


def test_wong2010_analysis_one_numbers(tmp_path):
    """Wong et al. 2010, analysis I: [μν/1e-11 μB]² = −1.0 ± 2.7 ± 0.9, χ²/dof = 39/47
    → μν < 1.9e-11 μB (FC)."""
    r = interval_from_fit(-1.0, 2.7, 0.9)
    assert r["total"] == pytest.approx(2.846, abs=1e-3)
    assert f"{r['upper_limit']:.2g}" == "1.9e-11"
    assert r["upper_limit"] == pytest.approx(1.9e-11, rel=0.03)
    res = limit_from_data("texono-hpge", _wong2010_like(tmp_path), xsec_sigma=0.2)
    assert res.best_fit == pytest.approx(-1.0, abs=1e-6)
    assert res.stat == pytest.approx(2.7, rel=1e-4)
    assert res.chi2 == pytest.approx(39.0, rel=1e-6) and res.dof == 47
    assert res.syst == pytest.approx(0.2, rel=1e-6)         # |θ̂| x 20 % (EPA model)
    assert res.upper_limit == pytest.approx(1.9e-11, rel=0.03)
    # the pipeline's combination step is interval_from_fit on its own numbers
    comb = interval_from_fit(res.best_fit, res.stat, res.syst)
    assert comb["upper_limit"] == pytest.approx(res.upper_limit, rel=1e-9)


def test_onoff_syst_and_joint_poisson(tmp_path):
    f = _asimov_onoff(tmp_path, mu_nu=3e-10)
    g = limit_from_data("texono-hpge", f)
    o = limit_from_data("texono-hpge", f, onoff_syst=0.002)
    assert o.syst > 0 and o.upper_limit > g.upper_limit and "onoff_norm" in o.nuisances["fitted"]
    p = limit_from_data("texono-hpge", f, joint_poisson=True)
    assert p.details["fit"].startswith("joint Poisson") and p.details["sm_subtracted"] is True
    assert p.best_fit == pytest.approx(900.0, rel=1e-3)     # Asimov: SM known, no bias
    assert p.stat == pytest.approx(g.stat, rel=0.1)
    px = limit_from_data("texono-hpge", f, joint_poisson=True, xsec_sigma=0.2)
    assert px.syst == pytest.approx(abs(px.best_fit) * 0.2, rel=1e-6)
    assert px.upper_limit > p.upper_limit


def test_cli_residual_nuisances_json(tmp_path, capsys):
    f = str(_wong2010_like(tmp_path))
    assert main(["limit", "--experiment", "texono-hpge", "--data", f, "--xsec-sigma", "0.2",
                 "--flux-norm-sigma", "0.05", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for k in ("best_fit", "upper_limit", "cl", "method", "stat", "syst", "total", "nuisances",
              "chi2", "dof"):
        assert k in out
    assert out["nuisances"]["xsec_sigma"] == 0.2 and out["nuisances"]["flux_norm_sigma"] == 0.05
    assert out["total"] == pytest.approx(np.hypot(out["stat"], out["syst"]))
    assert main(["limit", "--experiment", "texono-hpge", "--data", f]) == 0
    text = capsys.readouterr().out
    assert "(stat)" in text and "39/47" in text
    assert main(["limit", "--experiment", "texono-hpge", "--data", str(_asimov_onoff(tmp_path)),
                 "--joint-poisson", "--onoff-syst", "0.01", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["syst"] > 0 and out["details"]["sm_subtracted"] is True
    assert main(["limit", "--experiment", "texono-hpge", "--data", f, "--xsec-sigma", "-1",
                 "--json"]) == 2
