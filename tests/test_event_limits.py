"""Limits from event lists: the XENONnT 2022 electron-recoil release (E. Aprile et al. (XENON),
Phys. Rev. Lett. 129, 161805 (2022): 433 events in 1-30 keV, background model B0, efficiency;
mu_nu < 6.3e-12 mu_B at 90 % CL), the templates against an independent folding, and the CLI."""

import json
from pathlib import Path

import numpy as np
import pytest

from nuem.cli.main import main
from nuem.experiments import get_experiment
from nuem.inference.event_limits import limit_from_events
from nuem.inference.event_templates import event_model
from nuem.io.events import read_background_table
from nuem.rates import differential_rates
from nuem.sources import SolarSource

D = Path(__file__).parent / "data" / "xenonnt_2022_er"
EVENTS, BKG = str(D / "data_unbinned_1to30kev.txt"), str(D / "bkg_model.txt")
UNIT = "events/(t yr keV)"
PUBLISHED = 6.3e-12            # PRL 129, 161805 (2022), 90 % CL
ACCEPTANCE = ["limit", "--experiment", "xenonnt-2022", "--data", EVENTS, "--data-format",
              "events", "--background-file", BKG, "--background-unit", UNIT, "--e-min-kev", "1",
              "--e-max-kev", "30", "--param", "mu-nu", "--json"]


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_acceptance_command_within_30_percent_of_the_published_limit(capsys):
    out = _json(capsys, ACCEPTANCE)
    assert out["upper_limit"] == pytest.approx(PUBLISHED, rel=0.30)
    assert out["method"] == "profile-likelihood" and out["n_events"] == 433
    assert out["window_kev"] == [1.0, 30.0]
    assert out["exposure"]["t_yr"] == pytest.approx(1.16, rel=0.01)     # PRL 129, 161805
    assert out["models"]["atomic"]["magnetic_moment"] == "stepping"
    assert out["models"]["sm_component"] == "fixed"
    assert {"best_fit", "nuisances", "test_statistic", "models", "exposure"} <= set(out)
    q = out["test_statistic"]
    th, qv = np.array(q["theta"]), np.array(q["q"])
    assert np.all(np.diff(qv) >= -1e-9) and qv[0] == 0.0     # theta^ < 0: q~(0) = 0
    # the curve crosses the threshold [Phi^-1(0.9)]^2 at the upper limit
    assert np.interp(q["threshold"], qv, th) == pytest.approx(out["theta_upper"], rel=0.02)
    assert out["upper_limit"] == pytest.approx(1e-11 * np.sqrt(out["theta_upper"]), rel=1e-12)


def test_b0_already_contains_the_sm_component(capsys):
    # B0 is the collaboration's full background model: not adding the SM nu-e component on
    # top of it moves the limit by a few per cent (the free normalisation absorbs the rest)
    out = _json(capsys, ACCEPTANCE + ["--background-includes-sm"])
    base = _json(capsys, ACCEPTANCE)
    assert out["upper_limit"] == pytest.approx(PUBLISHED, rel=0.30)
    assert out["models"]["sm_component"].startswith("not added")
    assert out["nuisances"]["fitted"]["bkg_norm"] == pytest.approx(0.08, abs=0.05)
    assert base["nuisances"]["fitted"]["bkg_norm"] == pytest.approx(-0.10, abs=0.05)
    assert abs(out["upper_limit"] / base["upper_limit"] - 1) < 0.1


@pytest.mark.slow
def test_feldman_cousins_by_toys_on_the_release(capsys):
    out = _json(capsys, ACCEPTANCE + ["--method", "feldman-cousins", "--n-toys", "2000",
                                      "--background-includes-sm"])
    assert out["upper_limit"] == pytest.approx(PUBLISHED, rel=0.30)
    d = out["details"]
    assert d["construction"] == "toys" and d["n_toys"] == 2000
    assert all(1.0 < t < 3.5 for t in d["t_crit"])


def _fold_independently(rate_per_kg_day_kev, exp, e_obs):
    """Gaussian smearing with sigma = 0.310 sqrt(T) + 0.0037 T and the efficiency, written out:
    counts per keV of observed energy for the preset's exposure."""
    t = np.linspace(0.01, 45.0, 9000)
    r = rate_per_kg_day_kev(t)
    sig = 0.310 * np.sqrt(t) + 0.0037 * t
    kern = np.exp(-0.5 * ((e_obs[:, None] - t[None, :]) / sig[None, :]) ** 2) \
        / (np.sqrt(2 * np.pi) * sig[None, :])
    return np.trapezoid(kern * r[None, :], t, axis=1) * exp.efficiency(e_obs) \
        * exp.exposure.on_kg_day


@pytest.mark.parametrize("component", ["magnetic_moment", "sm_electron"])
def test_templates_agree_with_an_independent_folding(component):
    exp = get_experiment("xenonnt-2022")
    bkg = read_background_table(BKG, UNIT)
    model, info = event_model(exp, bkg)
    flux = SolarSource("B16-GS98").flux()

    def rate(t):
        return differential_rates("Xe", flux, t, mu_nu=1e-11).components[component]

    e = np.linspace(1.0, 30.0, 2901)
    dens = _fold_independently(rate, exp, e)
    total = np.trapezoid(dens, e)
    key = "signal_per_unit_theta" if component == "magnetic_moment" else "sm_electron"
    assert info["expected_counts"][key] == pytest.approx(total, rel=0.01)
    row = 0 if component == "magnetic_moment" else 2
    for ek in (1.5, 3.0, 10.0, 25.0):
        assert np.interp(ek, model.nodes_kev, model.templates[row]) == pytest.approx(
            np.interp(ek, e, dens), rel=0.02)


def test_api_with_arrays_and_delta_q():
    ev = np.loadtxt(EVENTS)
    r = limit_from_events("xenonnt-2022", ev, BKG, background_unit=UNIT, param="delta-q",
                          include_sm=False)
    assert r.param == "delta-q" and r.to_dict()["unit"] == "e"
    assert 1e-14 < r.upper_limit < 1e-11
    assert r.models["atomic"]["millicharge"] == "pai"


@pytest.mark.parametrize("extra,needle", [
    (["--e-min-kev", "2"], "data_unbinned_1to30kev.txt:1: energy 1.69"),
    (["--e-max-kev", "31"], "bkg_model.txt: the background table covers 0-30 keV"),
    (["--background-sigma", "-1"], "background_sigma=-1.0"),
    (["--flux-norm-sigma", "0.1"], "--flux-norm-sigma applies to binned spectra"),
    (["--sm-sigma", "0.1"], "--sm-sigma goes with --float-sm"),
    (["--method", "bayes"], "method='bayes' cannot give a model interval"),
])
def test_bad_input_is_one_line_and_exit_2(capsys, extra, needle):
    argv = [a for a in ACCEPTANCE if a != "--json"]
    i = argv.index("--e-min-kev")
    argv = argv[:i] + argv[i + 4:] + extra
    assert main(argv) == 2
    cap = capsys.readouterr()
    assert cap.out == ""
    assert needle in cap.err and cap.err.count("\n") == 1


def test_bad_event_file_names_the_line(tmp_path, capsys):
    p = tmp_path / "ev.txt"
    p.write_text("# energies\n2.5\n3,1\nx\n")
    argv = ["limit", "--experiment", "xenonnt-2022", "--data", str(p), "--data-format", "events",
            "--background-file", BKG, "--background-unit", UNIT]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"{p}:3: expected one energy per line" in err
    assert main(argv[:-4]) == 2
    assert "needs --background-file and --background-unit" in capsys.readouterr().err
    assert main(["limit", "--experiment", "texono-hpge", "--data", str(p), "--e-min-kev",
                 "1"]) == 2
    assert "--e-min-kev applies to --data-format events only" in capsys.readouterr().err


def test_text_output(capsys):
    assert main([a for a in ACCEPTANCE if a != "--json"] + ["--background-includes-sm"]) == 0
    out = capsys.readouterr().out
    assert "upper_limit" in out and "profile-likelihood" in out and "433" in out


def test_docs_event_lists_example_runs(monkeypatch):
    root = Path(__file__).resolve().parents[1]
    text = (root / "docs" / "event_lists.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```python")[1:]]
    assert blocks
    monkeypatch.chdir(root)
    for code in blocks:
        exec(compile(code, "docs/event_lists.md", "exec"), {})
