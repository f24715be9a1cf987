"""Assumption footers under the tables of ``nuem rate``, ``nuem flux`` (reactor and registry
sources), ``nuem moment`` and ``nuem limit --data-format events``: every answer that depends on
flux, models or conventions says which ones, in words (no Python reprs)."""

from pathlib import Path

from nuem.cli.main import main

D = Path(__file__).parent / "data" / "xenonnt_2022_er"


def _footer(capsys, argv) -> dict:
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "{'" not in out and "Efficiency(" not in out     # no Python reprs
    return {ln[2:].split(":", 1)[0]: ln.split(":", 1)[1] for ln in out.splitlines()
            if ln.startswith("# ") and ":" in ln}


def test_rate_footer_names_flux_model_and_conventions(capsys):
    f = _footer(capsys, ["rate", "--source", "solar", "--target", "Xe", "--t-kev", "1", "10",
                         "--mu-nu", "1e-11"])
    assert "solar" in f["flux"] and "nue" in f["flux"]
    assert "mu_nu = 1e-11 mu_B" in f["model"] and "couplings radiative" in f["model"]
    assert "nuclear recoil" in f["conventions"]
    assert "every flavour" in f["notes"]


def test_flux_footers(capsys):
    f = _footer(capsys, ["flux", "--power-gw", "2.9", "--distance-m", "28"])
    assert "2.9 GW" in f["source"] and "28 m" in f["source"]
    assert "U235 0.55" in f["fission fractions"] and "Huber" in f["spectrum"]
    f = _footer(capsys, ["flux", "--source", "solar"])
    assert "B16-GS98" in f["source"] and "per flavour" in f["conventions"]


def test_moment_footer(capsys):
    f = _footer(capsys, ["moment", "--diagonal", "1e-11", "--source", "reactor",
                         "--distance-m", "28"])
    assert "28 m" in f["source"] and "NuFIT 5.2" in f["mixing"] and "Dirac" in f["model"]


def test_event_limit_and_sensitivity_footers_state_the_flux(capsys):
    f = _footer(capsys, ["limit", "--experiment", "xenonnt-2022", "--data",
                         str(D / "data_unbinned_1to30kev.txt"), "--data-format", "events",
                         "--background-file", str(D / "bkg_model.txt"), "--background-unit",
                         "events/(t yr keV)"])
    assert "6.537e+10 cm^-2 s^-1" in f["flux"] and "B16-GS98" in f["flux"]
    assert "Gaussian, sigma = 0 keV + 0.31 sqrt(E keV)" in f["response"]
    assert "keVee" in f["window"]
    f = _footer(capsys, ["sensitivity", "--experiment", "xenonnt-2022"])
    assert "B16-GS98" in f["flux"] and "Aprile" in f["exposure ON"]
