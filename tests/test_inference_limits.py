"""Limits from data (nuem.inference.limits) and ``nuem limit``."""

import json
from pathlib import Path

import numpy as np
import pytest

from nuem.cli.main import main
from nuem.exceptions import NuemError
from nuem.experiments import get_experiment, observed_spectrum
from nuem.inference.limits import limit_from_data
from nuem.inference.sensitivity import expected_sensitivity, hypothetical_experiment
from nuem.io.spectra import MeasuredSpectrum

EDELWEISS = Path(__file__).parent / "data" / "excess" / "edelweiss_red30_keVee.txt"


def _asimov_onoff(tmp_path, mu_nu=0.0):
    exp = get_experiment("texono-hpge")
    c = observed_spectrum(exp, mu_nu=mu_nu).components
    e = exp.analysis.edges_kev()
    f = tmp_path / "onoff.tsv"
    rows = "\n".join(f"{a}\t{b}\t{n}\t{m}" for a, b, n, m in
                     zip(e[:-1], e[1:], c["total_on"], c["total_off"], strict=True))
    f.write_text("e_lo_kev\te_hi_kev\ton_counts\toff_counts\n" + rows + "\n")
    return f


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
