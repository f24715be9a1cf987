"""Every command on every built-in preset (report included): no traceback (an exception would
reach pytest), no NaN or infinity in the JSON, no empty figure. The commands without a preset run
once each. Reports of all presets take ~1 min on 2 cores: all but one are marked slow."""

import json
from pathlib import Path

import numpy as np
import pytest
from model_data import write_model_spectrum

from nuem.cli.main import main
from nuem.experiments import get_experiment, preset_ids
from nuem.reproductions import FIGURES, TABLES

PRESETS = preset_ids()
EXCESS = Path(__file__).parent / "data" / "excess"


def strict_json(text):
    def refuse(token):
        raise AssertionError(f"{token} in JSON output")

    return json.loads(text, parse_constant=refuse)


def run(capsys, *argv, json_out=True):
    rc = main([*argv, "--json"] if json_out else list(argv))
    cap = capsys.readouterr()
    assert rc == 0, cap.err
    return strict_json(cap.out) if json_out else cap.out


def assert_figure_drawn(png):
    """A PNG with content: not blank, and with coloured data (lines, bands, markers)."""
    import matplotlib.colors as mc
    import matplotlib.image as mi

    rgb = mi.imread(png)[..., :3]
    hsv = mc.rgb_to_hsv(rgb)
    coloured = np.mean((hsv[..., 1] > 0.3) & (hsv[..., 2] > 0.2))
    assert rgb.std() > 0.05 and coloured > 1e-3, f"{png}: empty figure"


def has_off(preset):
    return get_experiment(preset).exposure.off_kg_day > 0


# -- preset commands ------------------------------------------------------------------------
@pytest.mark.parametrize("preset", PRESETS)
def test_experiments_show(capsys, preset):
    out = run(capsys, "experiments", "show", preset)
    assert out["id"] == preset if "id" in out else out["values"]["id"] == preset
    assert preset in run(capsys, "experiments", "show", preset, json_out=False)
    assert "schema_version" in run(capsys, "experiments", "show", preset, "--toml",
                                   json_out=False)


@pytest.mark.parametrize("preset", PRESETS)
def test_spectrum(capsys, preset):
    out = run(capsys, "spectrum", "--experiment", preset, "--mu-nu", "1e-10", "--delta-q",
              "-1e-13", "--r2-cm2", "-1e-32")
    n = len(out["e_kev"])
    assert n >= 1 and all(len(v) == n for v in out["components"].values())
    assert "# window:" in run(capsys, "spectrum", "--experiment", preset, json_out=False)


@pytest.mark.parametrize("param", ["mu-nu", "delta-q", "r2"])
@pytest.mark.parametrize("preset", PRESETS)
def test_sensitivity(capsys, preset, param):
    out = run(capsys, "sensitivity", "--experiment", preset, "--param", param)
    lo1, hi1 = out["band_1sigma"]
    assert 0 < lo1 < out["median"] < hi1
    text = run(capsys, "sensitivity", "--experiment", preset, "--param", param, json_out=False)
    assert "# window:" in text and "# exposure ON:" in text


@pytest.mark.parametrize("preset", PRESETS)
def test_sensitivity_toys_and_overrides(capsys, preset):
    out = run(capsys, "sensitivity", "--experiment", preset, "--method", "toys", "--n-toys",
              "100", "--seed", "1", "--mass-kg", "2", "--target", "ge")
    assert out["assumptions"]["target"] == "Ge" and out["median"] > 0


@pytest.mark.parametrize("preset", PRESETS)
def test_limit_from_data_made_by_the_model(capsys, tmp_path, preset):
    data = tmp_path / "d.csv"
    write_model_spectrum(data, preset)
    method = "feldman-cousins" if has_off(preset) else "binned-poisson"
    out = run(capsys, "limit", "--experiment", preset, "--data", str(data), "--method", method)
    assert out["upper_limit"] > 0
    if has_off(preset):    # data = expectation without signal: the fit finds ~0
        assert abs(out["best_fit"]) < 2 * out["best_fit_error"] + 1e-9
        out = run(capsys, "limit", "--experiment", preset, "--data", str(data), "--joint-poisson",
                  "--flux-norm-sigma", "0.05")
        assert out["upper_limit"] > 0
    assert "# window:" in run(capsys, "limit", "--experiment", preset, "--data", str(data),
                              "--method", method, json_out=False)


def _report(capsys, tmp_path, preset):
    out = tmp_path / "rep"
    res = run(capsys, "report", "--experiment", preset, "--out", str(out))
    summary = strict_json((out / "summary.json").read_text())
    assert summary["experiment"]["id"] == preset
    assert res["figures"]
    for name in res["figures"]:
        assert_figure_drawn(out / "figures" / f"{name}.png")
    assert "<img" in (out / "index.html").read_text()


@pytest.mark.parametrize("preset", [p if p == "munu" else pytest.param(p, marks=pytest.mark.slow)
                                    for p in PRESETS])
def test_report(capsys, tmp_path, preset):
    _report(capsys, tmp_path, preset)


# -- commands without a preset --------------------------------------------------------------
@pytest.mark.parametrize("argv", [
    ["flux", "--power-gw", "2.9", "--distance-m", "28", "--enu-mev", "1", "4"],
    ["rate", "--target", "Ge", "--power-gw", "2.9", "--distance-m", "28", "--t-kev", "0.3", "3",
     "--mu-nu", "1e-11", "--delta-q", "-1e-13", "--r2-cm2", "-1e-32"],
    ["rate", "--target", "xe", "--flux-cm2-s", "1e13", "--t-kev", "1", "--atomic", "free"],
    ["xsec", "--channel", "cevns", "--enu-mev", "3", "--t-kev", "0.5", "--target", "ge74"],
    ["interval", "--estimate", "-1.2e-3", "--sigma", "1e-3", "--method", "bayes"],
    ["interval", "--counts", "3", "--background", "1.5"],
    ["atomic", "--target", "Ge", "--e-kev", "1", "10", "--edge-ratios"],
    ["systematics", "sigma-gamma", "--delta-q", "-1e-12", "--t-kev", "0.3"],
    ["data", "show", str(EXCESS / "edelweiss_red30_keVee.txt")],
    ["data", "lines", str(EXCESS / "miner_ge_reactor_site.txt")],
    ["convert", "r2-from-sin2w", "--sin2w", "0.251", "--sigma", "0.0392"],
    ["scan", "--threshold-kev", "0.2", "1", "--background-cpkkd", "0.5", "--executor", "serial"],
    ["scan", "--param", "delta-q", "--threshold-kev", "0.3", "--executor", "serial"],
    ["experiments", "list"],
    *(["sensitivity", "--table", t] for t in TABLES),
], ids=lambda a: " ".join(a[:2]))
def test_command(capsys, argv):
    run(capsys, *argv)
    assert run(capsys, *argv, json_out=False).strip()


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) for n in FIGURES])
def test_figure(capsys, tmp_path, name):
    out = run(capsys, "figure", name, "--out", str(tmp_path))
    pngs = [tmp_path / Path(f).name for f in out["files"] if f.endswith(".png")]
    assert pngs
    for f in pngs:
        assert_figure_drawn(f)


def test_scan_plot_is_drawn(capsys, tmp_path):
    png = tmp_path / "c.png"
    run(capsys, "scan", "--threshold-kev", "0.2", "0.5", "1", "--background-cpkkd", "0.1", "1",
        "10", "--executor", "serial", "--plot", str(png))
    assert_figure_drawn(png)
