"""Expected sensitivities (nuem.inference.sensitivity) and ``nuem sensitivity``."""

import json

import numpy as np
import pytest

from nuem.cli.main import main
from nuem.exceptions import InvalidParameterError
from nuem.experiments import get_experiment, hypothetical_experiment
from nuem.inference.sensitivity import (
    expected_sensitivity,
    residual_sigma,
    to_physical,
)

# TEXONO: H.T. Wong et al., PRD 75, 012001 (2007); GEMMA: A.G. Beda et al., Adv. High Energy
# Phys. 2012, 350150 (2012)
PUBLISHED = {"texono-hpge": 7.4e-11, "gemma": 2.9e-11}


@pytest.mark.parametrize("exp_id", sorted(PUBLISHED))
def test_presets_within_factor_two_of_published(exp_id):
    r = expected_sensitivity(exp_id)
    ratio = r.median / PUBLISHED[exp_id]
    assert 0.5 < ratio < 2.0, ratio
    lo1, hi1 = r.band_1sigma
    lo2, hi2 = r.band_2sigma
    assert lo2 < lo1 < r.median < hi1 < hi2


def test_toys_agree_with_asimov():
    a = expected_sensitivity("texono-hpge")
    t = expected_sensitivity("texono-hpge", method="toys", n_toys=4000, seed=3)
    assert t.median == pytest.approx(a.median, rel=0.05)
    assert t.band_1sigma[1] == pytest.approx(a.band_1sigma[1], rel=0.05)


def test_wong_li_2005_eq10_scaling():
    """mu_nu ∝ N_nu^(-1/2) (B/(M t))^(1/4) when background dominated (Wong & Li, MPLA 20, 1103
    (2005), Eq. 10)."""
    kw = dict(threshold_kev=2.0, e_max_kev=12.0, bin_width_kev=1.0, resolution_kev=0.1)
    base = dict(mass_kg=1.0, days_on=300.0, days_off=300.0, background_cpkkd=100.0,
                flux_cm2_s=1e13)

    def lim(**over):
        e = hypothetical_experiment(None, **kw, **{**base, **over})
        return expected_sensitivity(e).median

    ref = lim()
    assert lim(background_cpkkd=1600.0) / ref == pytest.approx(2.0, rel=0.02)   # B^(1/4)
    assert ref / lim(mass_kg=16.0) == pytest.approx(2.0, rel=0.02)               # (Mt)^(-1/4)
    assert ref / lim(days_on=4800.0, days_off=4800.0) == pytest.approx(2.0, rel=0.02)
    assert ref / lim(flux_cm2_s=4e13) == pytest.approx(2.0, rel=0.03)            # N_nu^(-1/2)


def test_onoff_syst_floor_and_params():
    e = hypothetical_experiment(None, threshold_kev=0.1, e_max_kev=2.1, bin_width_kev=0.1,
                                mass_kg=100.0, days_on=3650.0, days_off=3650.0)
    free = expected_sensitivity(e)
    syst = expected_sensitivity(e, onoff_syst=0.01)
    assert syst.median > free.median
    dq = expected_sensitivity("gemma", param="delta-q")
    assert dq.unit == "e" and 1e-14 < dq.median < 1e-10
    r2 = expected_sensitivity("gemma", param="r2")
    assert r2.unit == "cm^2" and r2.median > 0


def test_helpers():
    assert to_physical(4.0, "mu-nu") == pytest.approx(2e-11)
    assert residual_sigma([100.0], [50.0], 2.0, 1.0)[0] == pytest.approx(np.sqrt(300.0))
    e = hypothetical_experiment(get_experiment("gemma"), mass_kg=3.0)
    assert e.exposure.mass_kg == 3.0 and e.reactor.flux_cm2_s == pytest.approx(2.7e13)


@pytest.mark.parametrize("kw, name", [
    ({"cl": 1.2}, "cl"), ({"param": "x"}, "param"), ({"method": "x"}, "method"),
    ({"onoff_syst": -0.1}, "onoff_syst")])
def test_bad_input(kw, name):
    with pytest.raises(Exception, match=name):
        expected_sensitivity("gemma", **kw)


def test_bad_detector_flags():
    with pytest.raises(InvalidParameterError, match="mass_kg"):
        hypothetical_experiment(None, mass_kg=-1.0)
    with pytest.raises(InvalidParameterError, match="threshold_kev"):
        hypothetical_experiment(None, threshold_kev=50.0, e_max_kev=20.0)


def test_cli_json(capsys):
    assert main(["sensitivity", "--experiment", "texono-hpge", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for k in ("median", "band_1sigma", "band_2sigma", "param", "cl", "method", "assumptions"):
        assert k in out
    assert 3.7e-11 < out["median"] < 1.48e-10
    assert main(["sensitivity", "--mass-kg", "1", "--days-on", "100", "--days-off", "100",
                 "--threshold-kev", "0.3", "--background-cpkkd", "1", "--flux-cm2-s", "1e13",
                 "--onoff-syst", "0.01", "--param", "delta-q", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["param"] == "delta-q" and out["median"] > 0
    assert main(["sensitivity", "--experiment", "gemma", "--cl", "1.5", "--json"]) == 2
    assert "cl" in capsys.readouterr().err


def test_target_si_against_ge_electron_count():
    """Generic detectors at 12–60 keV (above the K edges of Si, 1.84 keV, and Ge, 11.1 keV):
    every electron is ionisable, the signal scales with electrons per kg (Z/A: Si 0.4985, Ge
    0.4406) and, with a 100 cpkkd background, the mu_nu limit with n_e^(-1/2): Si/Ge = 0.9401."""
    from nuem.targets import get_target

    kw = dict(threshold_kev=12.0, e_max_kev=60.0, bin_width_kev=1.0, background_cpkkd=100.0)
    si = expected_sensitivity(hypothetical_experiment(None, target="Si", **kw))
    ge = expected_sensitivity(hypothetical_experiment(None, **kw))
    n = get_target("Si").electrons_per_kg / get_target("Ge").electrons_per_kg
    assert si.median / ge.median == pytest.approx(n ** -0.5, rel=2e-3)
    assert si.assumptions["experiment"] == "hypothetical"


def test_cli_target_si(capsys):
    flags = ["--threshold-kev", "12", "--e-max-kev", "60", "--bin-width-kev", "1",
             "--background-cpkkd", "100", "--json"]
    assert main(["sensitivity", "--target", "Si", *flags]) == 0
    si = json.loads(capsys.readouterr().out)
    assert main(["sensitivity", *flags]) == 0
    ge = json.loads(capsys.readouterr().out)
    assert si["assumptions"]["target"] == "Si" and ge["assumptions"]["target"] == "Ge"
    assert si["median"] / ge["median"] == pytest.approx(0.9401, rel=2e-3)
    assert main(["sensitivity", "--target", "Si", "--json"]) == 0     # generic Si detector
    assert json.loads(capsys.readouterr().out)["median"] > 0
    # a preset with its material replaced: Si defaults (Fano factor, energy per quantum)
    assert main(["sensitivity", "--experiment", "gemma", "--target", "Si", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["assumptions"]["target"] == "Si"
    assert out["assumptions"]["experiment"] == "gemma-modified"
    assert main(["sensitivity", "--target", "Xx"]) == 2
    assert "Xx" in capsys.readouterr().err
