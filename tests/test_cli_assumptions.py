"""Assumptions in plain sight: window, bins, exposures (and their sources), flux, atomic model,
statistics and notes are printed under the tables of sensitivity, limit, scan and spectrum; a
generic detector's window end is derived from the threshold by a stated rule; one-bin windows
and exposures the data file does not give are warned about."""

import json

import pytest
from model_data import write_model_spectrum

from nuem.cli.main import main
from nuem.experiments import hypothetical_experiment
from nuem.experiments.hypothetical import GENERIC_ASSUMPTIONS, derived_window_end

ACCEPTANCE = ["sensitivity", "--threshold-kev", "12", "--background-cpkkd", "1", "--mass-kg", "1",
              "--days-on", "500", "--days-off", "100", "--flux-cm2-s", "6.4e12"]


def footer(text):
    """``{name: text}`` of the ``# name: text`` lines."""
    out = {}
    for line in text.splitlines():
        if line.startswith("# ") and ": " in line:
            k, v = line[2:].split(": ", 1)
            out.setdefault(k, v)
    return out


def run(capsys, argv):
    assert main(argv) == 0
    cap = capsys.readouterr()
    return cap.out, cap.err


def test_acceptance_window_is_stated_and_not_one_bin(capsys):
    out, err = run(capsys, ACCEPTANCE)
    f = footer(out)
    assert f["window"].startswith("12-120 keVee in 1080 bins of 0.1 keV")
    assert "derived: max(12.1 keV, 10 x threshold) = 120 keV" in f["window"]
    assert "start: user-supplied: --threshold-kev" in f["window"]
    assert f["exposure ON"].startswith("500 kg d = 1 kg x 500 d (mass: user-supplied: --mass-kg")
    assert f["exposure OFF"].startswith("100 kg d")
    assert f["flux"].startswith("6.4e+12 cm^-2 s^-1") and "user-supplied: --flux-cm2-s" in f["flux"]
    assert "single bin" not in err
    # the window is what the JSON reports, and the result is the explicit-window result
    assert main([*ACCEPTANCE, "--json"]) == 0
    a = json.loads(capsys.readouterr().out)
    assert a["assumptions"]["window_kev"] == [12.0, 120.0] and a["assumptions"]["n_bins"] == 1080
    assert main([*ACCEPTANCE, "--e-max-kev", "120", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["median"] == a["median"]


def test_one_bin_window_is_a_warning_and_a_weaker_limit(capsys):
    out, err = run(capsys, [*ACCEPTANCE, "--e-max-kev", "12.1", "--json"])
    one = json.loads(out)["median"]
    assert "single bin" in err and err.startswith("nuem: warning:")
    assert main([*ACCEPTANCE, "--json"]) == 0
    wide = json.loads(capsys.readouterr().out)["median"]
    assert one > 1.5 * wide                 # the window the issue reported gave 2.9e-10 mu_B


def test_derived_window_rule():
    assert derived_window_end(0.1)[0] == GENERIC_ASSUMPTIONS["analysis.e_max_kev"] == 12.1
    assert derived_window_end(1.21)[0] == 12.1 and derived_window_end(20.0)[0] == 200.0
    # no number moves: the generic window is kept for low thresholds, a preset's always
    assert hypothetical_experiment(threshold_kev=0.3).analysis.e_max_kev == 12.1
    assert hypothetical_experiment("texono-hpge", threshold_kev=20.0).analysis.e_max_kev == 60.0
    assert hypothetical_experiment(threshold_kev=12.0, e_max_kev=30.0).analysis.e_max_kev == 30.0
    e = hypothetical_experiment(threshold_kev=20.0)      # used to fail on e_max_kev = 12.1
    assert e.citations["analysis.e_max_kev"].startswith("derived: max(12.1 keV, 10 x threshold)")


def test_derived_window_keeps_most_of_the_sensitivity():
    # 1/T signal over a flat background: [t, 10 t] holds 90 % of the Fisher information of
    # [t, oo), so the Asimov limit barely improves with a ten times longer window
    from nuem.inference.sensitivity import expected_sensitivity

    kw = dict(threshold_kev=12.0, bin_width_kev=1.0, background_cpkkd=1.0, mass_kg=1.0,
              days_on=500.0, days_off=100.0, flux_cm2_s=6.4e12)
    derived = expected_sensitivity(hypothetical_experiment(**kw)).median
    long = expected_sensitivity(hypothetical_experiment(**kw, e_max_kev=1200.0)).median
    one_bin = expected_sensitivity(hypothetical_experiment(**kw, e_max_kev=13.0)).median
    assert 1.0 <= derived / long < 1.08
    assert one_bin / derived > 1.5


def test_sensitivity_footer_names_the_sources_of_a_preset(capsys):
    out, _ = run(capsys, ["sensitivity", "--experiment", "texono-hpge"])
    f = footer(out)
    assert f["window"].startswith("12-60 keVee in 48 bins of 1 keV")
    assert "start: Wong, Li & Lin, PRL 105, 061801 (2010)" in f["window"]
    assert f["exposure ON"].startswith("604.9 kg d = 1.06 kg x 570.7 d")
    assert "days: Wong, Li & Lin, PRL 105, 061801 (2010)" in f["exposure ON"]
    assert "2.9 GW thermal at 28 m" in f["flux"] and "PRD 75, 012001 (2007)" in f["flux"]
    assert "flat 1 counts/(kg keV day)" in f["background"] and "Ge68 K" in f["background"]
    assert "stepping for magnetic_moment" in f["atomic model"]
    assert "theta = (param/1e-11 mu_B)^2" in f["statistics"] and "CL 0.9" in f["statistics"]
    assert "7.4e-11" in f["notes"]


def test_sensitivity_json_keys_kept(capsys):
    out, _ = run(capsys, ["sensitivity", "--experiment", "texono-ulege", "--json"])
    a = json.loads(out)["assumptions"]
    assert {"experiment", "exposure_on_kg_day", "exposure_off_kg_day", "window_kev", "n_bins",
            "flux_cm2_s", "onoff_syst", "atomic", "interval", "theta", "note", "overrides",
            "target"} <= set(a)


def test_spectrum_footer(capsys):
    out, _ = run(capsys, ["spectrum", "--experiment", "texono-ulege"])
    f = footer(out)
    assert f["window"].startswith("0.22-12.22 keVee in 120 bins of 0.1 keV")
    assert f["exposure OFF"].startswith("0 kg d (no OFF data")
    assert f["exposure ON"].startswith("0.338 kg d = 0.02 kg x 16.9 d")
    assert "counts per bin for the full exposure" in f["conventions"]
    assert "No reactor OFF data" in f["notes"]


def test_scan_footer(capsys):
    out, _ = run(capsys, ["scan", "--threshold-kev", "0.2", "1", "--executor", "serial",
                          "--e-max-kev", "50", "--off-on-ratio", "0.5"])
    f = footer(out)
    assert f["window"].startswith("threshold (grid: 0.2, 1 keV) to 50 keV in 20 logarithmic")
    assert f["exposures"] == "ON from the grid (kg d); OFF = 0.5 x ON"
    assert f["atomic model"] == "stepping (mu-nu)" and f["target"].startswith("Ge")


@pytest.mark.parametrize("with_exposure", [True, False])
def test_limit_footer_and_exposure_taken_from_the_preset(capsys, tmp_path, with_exposure):
    data = tmp_path / "d.csv"
    write_model_spectrum(data, "texono-hpge", rates=not with_exposure)
    out, err = run(capsys, ["limit", "--experiment", "texono-hpge", "--data", str(data)])
    f = footer(out)
    assert f["data"].endswith("d.csv") and "48 bins of the data inside texono-hpge" in f["window"]
    assert f["nuisances"].startswith("none")
    if with_exposure:
        assert f["exposure ON"] == "604.9 kg d (from the file)" and err == ""
    else:   # the issue: 'nuem limit --data <rate-only file>' silently used the preset's
        assert f["exposure ON"].startswith("604.9 kg d, taken from texono-hpge")
        warned = err.strip().splitlines()
        assert len(warned) == 2 and all(w.startswith("nuem: warning: exposure") for w in warned)
    assert main(["limit", "--experiment", "texono-hpge", "--data", str(data), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)["details"]
    assert d["exposure_on_source"] == ("file" if with_exposure
                                       else "experiment ON exposure (file has none)")
