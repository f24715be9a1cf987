"""CLI contract (flags and --json keys are called by acceptance checks)."""

import json
import subprocess
import sys

import pytest

from nuem.cli.main import main


def run_json(capsys, *argv):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_flux_json_keys(capsys):
    out = run_json(capsys, "flux", "--power-gw", "2.9", "--distance-m", "28")
    assert {"flux_cm2_s", "fissions_per_s", "antineutrinos_per_fission"} <= set(out)
    assert out["flux_cm2_s"] == pytest.approx(6.4e12, rel=0.05)  # TEXONO: PRD 81, 072001
    assert 7.2 <= out["antineutrinos_per_fission"] <= 7.4


def test_flux_with_fractions(capsys):
    out = run_json(capsys, "flux", "--power-gw", "3.0", "--distance-m", "13.9",
                   "--fractions", "U235=0.55,U238=0.07,Pu239=0.32,Pu241=0.06")
    assert out["flux_cm2_s"] == pytest.approx(2.7e13, rel=0.05)  # GEMMA: arXiv:1005.2736


def test_rate_json_contract(capsys):
    out = run_json(capsys, "rate", "--target", "Ge", "--flux-cm2-s", "1e13", "--t-kev", "1", "10",
                   "--mu-nu", "1e-10", "--delta-q", "1e-12", "--r2-cm2", "1e-32",
                   "--atomic", "free", "--sin2w", "0.23")
    assert out["t_kev"] == [1.0, 10.0]
    assert set(out["components"]) == {"sm_electron", "magnetic_moment", "millicharge", "cevns",
                                      "cevns_magnetic_moment"}
    assert all(len(v) == 2 for v in out["components"].values())
    assert 0.055 <= out["components"]["magnetic_moment"][1] <= 0.058


def test_rate_defaults_stepping_and_low_q2_sin2w(capsys):
    out = run_json(capsys, "rate", "--target", "Ge", "--power-gw", "2.9", "--distance-m", "28",
                   "--t-kev", "5")
    assert out["parameters"]["atomic"] == "stepping"
    assert out["parameters"]["sin2w"] == 0.23857


def test_xsec_json(capsys):
    out = run_json(capsys, "xsec", "--channel", "magnetic_moment", "--enu-mev", "1",
                   "--t-kev", "10", "--mu-nu", "1e-10")
    # Wong & Li, MPLA 20, 1103 (2005), Eq. 6: 2.4947e-25 cm^2 * 1e-20 * (1/10 keV - 1/1000 keV)
    assert out["dsigma_dt_cm2_per_kev"][0] == pytest.approx(2.4947e-45 * 0.099, rel=1e-4)


@pytest.mark.parametrize("channel", ["sm_electron", "millicharge", "cevns",
                                     "cevns_magnetic_moment", "sm_millicharge"])
def test_xsec_channels_run(capsys, channel):
    out = run_json(capsys, "xsec", "--channel", channel, "--enu-mev", "2", "--t-kev", "0.5",
                   "--mu-nu", "1e-10", "--delta-q", "1e-13", "--target", "Ge74")
    assert len(out["dsigma_dt_cm2_per_kev"]) == 1


@pytest.mark.parametrize(
    ("argv", "needle"),
    [(["flux", "--power-gw", "-1", "--distance-m", "28"], "power_gw"),
     (["flux", "--power-gw", "1", "--distance-m", "0"], "distance_m"),
     (["flux", "--power-gw", "1", "--distance-m", "10", "--fractions", "U235=0.5,U238=0.1"],
      "fractions"),
     (["flux", "--power-gw", "1", "--distance-m", "10", "--fractions", "U235=1,Th232=0"],
      "Th232"),
     (["rate", "--target", "Xx", "--flux-cm2-s", "1e13", "--t-kev", "1"], "target"),
     (["rate", "--target", "Ge", "--flux-cm2-s", "1e13", "--t-kev", "-1"], "t_kev"),
     (["rate", "--target", "Ge", "--power-gw", "1", "--t-kev", "1"], "--distance-m"),
     (["xsec", "--channel", "sm_electron", "--enu-mev", "-1", "--t-kev", "1"], "enu_mev")],
)
def test_bad_input_exits_nonzero_with_message(capsys, argv, needle):
    assert main(argv) != 0
    assert needle in capsys.readouterr().err


def test_console_script_entry_point():
    out = subprocess.run([sys.executable, "-m", "nuem.cli.main", "flux", "--power-gw", "1",
                          "--distance-m", "10"], capture_output=True, text=True)
    assert out.returncode == 0 and "total flux" in out.stdout
