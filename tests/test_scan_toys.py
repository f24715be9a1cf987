"""Toy-based scans: median and ±1σ/±2σ bands of the toy limits, seeded per grid point.

Evidence: in the large-count limit the toy estimates are N(0, σ_θ), so the band at quantile
Φ(z) is the interval's upper end at the estimate zσ_θ and the median is the Asimov limit (Cowan,
Cranmer, Gross, Vitells, EPJC 71, 1554 (2011), Sec. 4); results are bit-identical across
executors and chunkings; the seed of point i is the i-th child of SeedSequence(seed).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from nuem.cli.main import main
from nuem.exceptions import InvalidParameterError
from nuem.inference import AsimovScanModel, ScanGrid, ToyScanModel, gaussian_interval, run_scan
from nuem.inference.toy_scan import BAND_NAMES, BAND_QUANTILES

GRID = ScanGrid({"threshold_kev": [0.5, 2.0], "background_cpkkd": [0.3, 3.0],
                 "exposure_kg_day": [200.0, 2000.0], "flux_cm2_s": [1e13]})


def test_band_quantiles_are_the_normal_ones():
    assert BAND_QUANTILES[2] == 0.5
    assert BAND_QUANTILES[1] == pytest.approx(0.15865525393145707, rel=1e-15)
    assert BAND_QUANTILES[0] == pytest.approx(0.022750131948179195, rel=1e-15)
    assert BAND_QUANTILES[3] + BAND_QUANTILES[1] == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize("method", ["feldman-cousins", "cls", "bayes"])
def test_bands_match_the_gaussian_limit(method):
    # a background-dominated point with large counts: the residual is Gaussian to < 1 %
    cols = {"threshold_kev": np.array([1.0]), "background_cpkkd": np.array([5.0]),
            "exposure_kg_day": np.array([5000.0]), "flux_cm2_s": np.array([1e13])}
    toy = ToyScanModel(n_toys=40_000, n_bins=10, method=method, seed=3)
    out = toy(cols)
    model, _ = toy.residual_model(1.0, cols["background_cpkkd"], cols["exposure_kg_day"],
                                  cols["flux_cm2_s"])
    sigma = float(model.asimov_sigma_theta()[0])
    for name, z in zip(BAND_NAMES, (-2, -1, 0, 1, 2), strict=True):
        expected = np.sqrt(gaussian_interval(z * sigma, sigma, 0.9, method).upper) * 1e-11
        # sampling error of a quantile of 4e4 toys: < 1 % in the limit (sqrt of theta)
        assert out[f"mu_nu_limit_{name}"][0] == pytest.approx(expected, rel=0.015), name
    asimov = AsimovScanModel(n_bins=10, method=method)(cols)["mu_nu_limit"][0]
    assert out["asimov_mu_nu_limit"][0] == pytest.approx(asimov, rel=1e-12)
    assert out["mu_nu_limit_median"][0] == pytest.approx(asimov, rel=0.015)


def test_bit_identical_for_any_executor_and_chunking():
    model = ToyScanModel(n_toys=500, seed=11)
    ref = run_scan(GRID, model, executor="serial", chunksize=100, progress=False)
    for kw in ({"executor": "serial", "chunksize": 1},
               {"executor": "local", "workers": 2, "chunksize": 3}):
        res = run_scan(GRID, ToyScanModel(n_toys=500, seed=11), progress=False, **kw)
        for k in ref.columns:
            assert np.array_equal(res.column(k), ref.column(k)), k
    # a point's toys depend on its grid index only: evaluating it alone gives the same values
    cols = GRID.points(5, 6)
    cols["point_index"] = np.array([5])
    alone = model(cols)
    assert alone["mu_nu_limit_median"][0] == ref.column("mu_nu_limit_median")[5]
    other = run_scan(GRID, ToyScanModel(n_toys=500, seed=12), executor="serial",
                     progress=False)
    assert not np.array_equal(other.column("mu_nu_limit_median"),
                              ref.column("mu_nu_limit_median"))


def test_bands_ordered_and_scaling():
    res = run_scan(GRID, ToyScanModel(n_toys=2000), executor="serial", progress=False)
    bands = np.array([res.column(f"mu_nu_limit_{b}") for b in BAND_NAMES])
    assert np.all(np.diff(bands, axis=0) > 0)
    med = res.as_grid("mu_nu_limit_median")
    assert np.all(np.diff(med, axis=1) > 0) and np.all(np.diff(med, axis=2) < 0)


def test_delta_q_and_target_axis_and_mass_days():
    g = ScanGrid({"threshold_kev": [1.0], "background_cpkkd": [1.0], "mass_kg": [1.0, 10.0],
                  "days_on": [100.0], "flux_cm2_s": [1e13], "target": ["Ge", "Si"]})
    res = run_scan(g, ToyScanModel(n_toys=300, param="delta-q"), executor="serial",
                   progress=False)
    assert res.column("target").tolist() == ["Ge", "Si", "Ge", "Si"]
    assert "delta_q_limit_median" in res.columns
    direct = run_scan({"threshold_kev": [1.0], "background_cpkkd": [1.0],
                       "exposure_kg_day": [100.0, 1000.0], "flux_cm2_s": [1e13]},
                      AsimovScanModel(param="delta-q", target="Si"), executor="serial",
                      progress=False)
    assert np.array_equal(res.column("asimov_delta_q_limit")[1::2],
                          direct.column("delta_q_limit"))


@pytest.mark.parametrize("kw, word", [({"n_toys": 5}, "n_toys"), ({"seed": -1}, "seed"),
                                      ({"method": "binned-poisson"}, "method"),
                                      ({"param": "r2"}, "two-sided")])
def test_toy_model_bad_input(kw, word):
    with pytest.raises(InvalidParameterError, match=word):
        ToyScanModel(**kw)


def test_grid_checked_before_any_task():
    with pytest.raises(InvalidParameterError, match="e_max_kev"):
        run_scan({**GRID.axes, "threshold_kev": [1.0, 200.0]}, ToyScanModel(),
                 executor="serial", progress=False)
    with pytest.raises(InvalidParameterError, match="Xx"):
        run_scan({**GRID.axes, "target": ["Ge", "Xx"]}, ToyScanModel(), executor="serial")


# -- CLI ------------------------------------------------------------------------------------------
def _json(capsys, argv):
    rc = main(argv)
    cap = capsys.readouterr()
    return rc, (json.loads(cap.out) if rc == 0 else cap.err)


def test_cli_toys_spellings(capsys):
    base = ["scan", "--background-cpkkd", "1", "10", "--executor", "serial", "--no-progress",
            "--json", "--n-toys", "200"]
    rc, a = _json(capsys, [*base, "--method", "toys", "--interval", "cls"])
    assert rc == 0 and a["mode"] == "toys" and a["method"] == "cls" and a["n_toys"] == 200
    assert a["best"]["mu_nu_limit_median"] == min(r["mu_nu_limit_median"] for r in a["rows"])
    rc, b = _json(capsys, [*base, "--mode", "toys", "--method", "cls"])
    assert rc == 0 and b["rows"] == a["rows"]
    rc, err = _json(capsys, [*base, "--method", "bayes", "--interval", "cls", "--mode", "toys"])
    assert rc == 2 and "once" in err
    rc, err = _json(capsys, base)                          # --n-toys without toys
    assert rc == 2 and "--n-toys" in err


def test_cli_asimov_method_still_the_interval(capsys):
    rc, a = _json(capsys, ["scan", "--method", "bayes", "--executor", "serial", "--no-progress",
                           "--json"])
    assert rc == 0 and a["mode"] == "asimov" and a["method"] == "bayes"
    rc, b = _json(capsys, ["scan", "--interval", "bayes", "--executor", "serial",
                           "--no-progress", "--json"])
    assert b["rows"] == a["rows"]
