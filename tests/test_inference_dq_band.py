"""delta_Q atomic-model band (nuem.inference.dq_band): rates and sensitivities per variant."""

import json

import numpy as np
import pytest

from nuem.cli.main import main
from nuem.inference.dq_band import DQ_VARIANTS, millicharge_rate_band
from nuem.inference.sensitivity import expected_sensitivity
from nuem.rates import differential_rates
from nuem.sources.reactor import reactor_flux

FLUX = reactor_flux(1e13)


def test_rate_band_variants_are_the_engine_with_those_options():
    t = [0.3, 1.0]
    b = millicharge_rate_band("Ge", FLUX, t, 1e-12)
    assert set(b["rates"]) == set(DQ_VARIANTS)
    ref = differential_rates("Ge", FLUX, t, delta_q=1e-12, sigma_gamma_source="kissel",
                             components=("millicharge",)).components["millicharge"]
    np.testing.assert_allclose(b["rates"]["pai-kissel"], ref, rtol=1e-12)
    np.testing.assert_allclose(b["nominal"], differential_rates(
        "Ge", FLUX, t, delta_q=1e-12, components=("millicharge",)).components["millicharge"],
        rtol=1e-12)
    assert np.all(b["lower"] <= b["nominal"]) and np.all(b["nominal"] <= b["upper"])
    # stepping (no atomic enhancement) is the lower end at sub-keV, by a factor > 2
    assert np.all(b["rates"]["stepping"] == b["lower"])
    assert b["nominal"][0] / b["lower"][0] > 2.0
    # a denser regulator (|1 - eps| larger) lowers the distant-collision log: monotone
    assert b["rates"]["pai-density*4"][0] < b["nominal"][0] < b["rates"]["pai-density/4"][0]


def test_elam_is_left_out_below_its_table():
    b = millicharge_rate_band("Ge", FLUX, [0.05], 1e-12, variants=["pai", "pai-elam"])
    assert b["rates"]["pai-elam"] is None
    assert b["lower"][0] == b["upper"][0] == b["nominal"][0]


def test_sensitivity_band_and_cli(capsys):
    r = expected_sensitivity("texono-ulege", param="delta-q", dq_band=True)
    b = r.model_band
    assert b["nominal"] == pytest.approx(r.median, rel=1e-12)
    assert b["lower"] <= b["median"] <= b["upper"]
    assert b["variants"]["stepping"] == b["upper"]       # weakest limit: no enhancement
    assert 2.0 < b["upper"] / b["nominal"] < 2.6
    with pytest.raises(Exception, match="delta-q"):
        expected_sensitivity("texono-ulege", param="mu-nu", dq_band=True)
    assert main(["sensitivity", "--experiment", "texono-ulege", "--param", "delta-q",
                 "--dq-band", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model_band"]["variants"]["pai"] == pytest.approx(out["median"], rel=1e-12)
