"""Scans at scale: grid, executors (serial / local processes / Dask), table writers, contour
plots, the fast Asimov scan model (any target) and its Eq. (10) scaling, and the ``nuem scan``
CLI.

Sources: Wong & Li, MPLA 20, 1103 (2005), Sec. 5 Eq. (10), mu_nu ∝ N_nu^{-1/2} (B/Mt)^{1/4} with
N_nu ∝ flux; TEXONO, H.T. Wong et al., PRD 75, 012001 (2007) (570.7/127.8 kg day ON/OFF, 12 keV
threshold, ~1 cpkkd, 7.4e-11 mu_B).
"""

import json
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from nuem.binned import counts_in_bins
from nuem.cli.main import main
from nuem.exceptions import InvalidParameterError
from nuem.inference import gaussian_interval
from nuem.inference.asimov_grid import AsimovGeModel, AsimovScanModel, asimov_mu_nu_limit
from nuem.inference.scan import ScanGrid, ScanResult, run_scan, write_table
from nuem.sources.reactor import reactor_flux


def _affine(cols):
    """Module-level (picklable) test function."""
    return {"f": cols["x"] * 10.0 + cols["y"], "g": cols["x"] * 0.0 + 1.0}


@pytest.fixture(scope="module")
def model():
    return AsimovScanModel()


@pytest.fixture(scope="module")
def grid4():
    return ScanGrid({"threshold_kev": [0.1, 1.0, 10.0],
                     "background_cpkkd": np.geomspace(0.1, 10, 5),
                     "exposure_kg_day": np.geomspace(100, 1e4, 6),
                     "flux_cm2_s": [1e13, 4e13]})


# -- grid -------------------------------------------------------------------------------------
def test_grid_order_and_shape():
    g = ScanGrid({"x": [1, 2], "y": [5, 6, 7]})
    assert len(g) == 6 and g.shape == (2, 3) and g.names == ("x", "y")
    pts = g.points()
    assert pts["x"].tolist() == [1, 1, 1, 2, 2, 2]       # C order, last axis fastest
    assert pts["y"].tolist() == [5, 6, 7, 5, 6, 7]
    assert g.points(4, 100)["y"].tolist() == [6, 7]


@pytest.mark.parametrize("axes, word", [({}, "at least one axis"), ({"x": []}, "'x' is empty"),
                                        ({"x": [1.0, -2.0]}, "negative"),
                                        ({"x": [1.0, np.nan]}, "NaN"),
                                        ({"x": [[1.0, 2.0]]}, "one-dimensional")])
def test_grid_bad_input(axes, word):
    with pytest.raises(InvalidParameterError, match=word):
        ScanGrid(axes)


def test_grid_negative_allowed_on_request():
    assert len(ScanGrid({"x": [-1.0, 1.0]}, allow_negative=True)) == 2


# -- run_scan -----------------------------------------------------------------------------------
def test_run_scan_serial_chunk_invariance():
    g = {"x": np.arange(7.0), "y": np.arange(5.0)}
    ref = run_scan(g, _affine, executor="serial", chunksize=1000, progress=False)
    for cs in (1, 3, 34):
        res = run_scan(g, _affine, executor="serial", chunksize=cs, progress=False)
        assert np.array_equal(res.table, ref.table)
        assert res.meta["n_chunks"] == -(-35 // cs)
    assert ref.columns == ("x", "y", "f", "g")
    assert np.array_equal(ref.as_grid("f"), 10 * np.arange(7.0)[:, None] + np.arange(5.0))


def test_run_scan_local_processes_match_serial():
    g = {"x": np.arange(20.0), "y": np.arange(3.0)}
    ser = run_scan(g, _affine, executor="serial", progress=False)
    loc = run_scan(g, _affine, executor="local", workers=2, chunksize=7, progress=False)
    assert np.array_equal(ser.table, loc.table)
    assert loc.meta["executor"] == "local" and loc.meta["workers"] == 2


def test_run_scan_user_executor_not_shut_down():
    with ThreadPoolExecutor(2) as ex:
        a = run_scan({"x": [1.0, 2.0], "y": [0.0]}, _affine, executor=ex, progress=False)
        b = run_scan({"x": [3.0], "y": [0.0]}, _affine, executor=ex, progress=False)
    assert a.column("f").tolist() == [10.0, 20.0] and b.column("f").tolist() == [30.0]


def test_run_scan_progress_on_stderr(capsys):
    run_scan({"x": [1.0, 2.0, 3.0], "y": [0.0]}, _affine, executor="serial", chunksize=1)
    err = capsys.readouterr().err
    assert "3/3 points" in err and err.endswith("\n")


@pytest.mark.parametrize("kw, word", [({"executor": "mpi"}, "executor"),
                                      ({"executor": object()}, "executor"),
                                      ({"chunksize": 0}, "chunksize"),
                                      ({"workers": 0}, "workers")])
def test_run_scan_bad_input(kw, word):
    with pytest.raises(InvalidParameterError, match=word):
        run_scan({"x": [1.0], "y": [1.0]}, _affine, progress=False, **kw)


def test_run_scan_output_clashing_with_axis():
    with pytest.raises(InvalidParameterError, match="clash"):
        run_scan({"x": [1.0], "f": [1.0]}, lambda c: {"f": c["x"]}, executor="serial",
                 progress=False)


# -- writers ------------------------------------------------------------------------------------
def _small():
    return run_scan({"x": [1.0, 2.0], "y": [0.5]}, _affine, executor="serial", progress=False)


def test_write_csv_and_json_roundtrip(tmp_path):
    res = _small()
    p = write_table(res, tmp_path / "sub" / "t.csv")
    back = np.genfromtxt(p, delimiter=",", names=True)
    assert np.array_equal(back["f"], res.column("f"))
    q = res.write(tmp_path / "t.json")
    obj = json.loads(q.read_text())
    assert obj["columns"] == ["x", "y", "f", "g"] and obj["rows"][1]["f"] == 20.5
    assert obj["grid"] == {"x": [1.0, 2.0], "y": [0.5]}
    assert sorted(os.listdir(tmp_path)) == ["sub", "t.json"]          # no temp files left


def test_write_replaces_atomically(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("old\n")
    write_table(_small(), p)
    assert p.read_text().startswith("x,y,f,g\n") and len(os.listdir(tmp_path)) == 1


def test_write_bad_format(tmp_path):
    with pytest.raises(InvalidParameterError, match="format"):
        write_table(_small(), tmp_path / "t.xlsx")


def test_write_parquet_optional(tmp_path):
    try:
        import pyarrow.parquet as pq
    except ImportError:
        with pytest.raises(InvalidParameterError, match="pyarrow"):
            write_table(_small(), tmp_path / "t.parquet")
        assert not os.listdir(tmp_path)
        return
    p = write_table(_small(), tmp_path / "t.parquet")
    assert pq.read_table(p).column("f").to_pylist() == [10.5, 20.5]


# -- the Asimov model -----------------------------------------------------------------------------
def test_asimov_matches_direct_computation(model):
    """Template scaling (linear in flux, exposure, mu_nu^2) equals a direct evaluation at the
    point; limit = gaussian_interval(0, sigma_theta).upper with sigma_theta^-2 = sum u^2/var."""
    thr, bkg, expo, flux = 2.0, 3.0, 750.0, 2.3e13
    edges = np.geomspace(thr, model.e_max_kev, model.n_bins + 1)
    c = counts_in_bins("Ge", reactor_flux(flux), edges, expo, mu_nu=1e-11, atomic="stepping")
    b = bkg * np.diff(edges) * expo
    var = c["sm_electron"] + b + b / model.off_on_ratio
    sigma = 1.0 / np.sqrt(np.sum(c["magnetic_moment"] ** 2 / var))
    expect = 1e-11 * np.sqrt(gaussian_interval(0.0, sigma, 0.9, "feldman-cousins").upper)
    out = model({"threshold_kev": [thr], "background_cpkkd": [bkg], "exposure_kg_day": [expo],
                 "flux_cm2_s": [flux]})
    assert out["mu_nu_limit"][0] == pytest.approx(expect, rel=1e-9)
    assert out["signal_counts"][0] == pytest.approx(c["magnetic_moment"].sum(), rel=1e-9)


def test_wong_li_2005_eq10_background_scaling(model):
    """Background-dominated: mu_nu ∝ (B/Mt)^{1/4} (Wong & Li 2005, Eq. 10)."""
    b = np.array([1e2, 1.6e3])
    lim_b = asimov_mu_nu_limit(1.0, b, 1e3, 1e13, model=model)
    assert lim_b[1] / lim_b[0] == pytest.approx(16 ** 0.25, rel=0.01)
    lim_e = asimov_mu_nu_limit(1.0, 1e2, [1e3, 1.6e4], 1e13, model=model)
    assert lim_e[0] / lim_e[1] == pytest.approx(16 ** 0.25, rel=1e-6)   # exact in B/Mt form
    same = asimov_mu_nu_limit(1.0, [1e2, 2e2], [1e3, 2e3], 1e13, model=model)  # B/Mt fixed
    assert same[1] / same[0] == pytest.approx(1.0, rel=0.01)


def test_wong_li_2005_eq10_flux_scaling(model):
    """mu_nu ∝ N_nu^{-1/2} with N_nu ∝ flux, when the flat background dominates."""
    lim = asimov_mu_nu_limit(1.0, 1e2, 1e3, [1e13, 4e13, 1.6e14], model=model)
    assert lim[0] / lim[1] == pytest.approx(2.0, rel=0.01)
    assert lim[1] / lim[2] == pytest.approx(2.0, rel=0.01)


def test_systematic_floor_saturates():
    """With an ON−OFF systematic floor the limit stops improving with exposure."""
    m = AsimovScanModel(syst=0.01)
    lim = asimov_mu_nu_limit(1.0, 1.0, [1e6, 1e8], 1e13, model=m)
    assert lim[0] / lim[1] < 1.1


def test_texono_within_factor_two():
    """TEXONO-like Asimov limit (PRD 75, 012001: 570.7/127.8 kg day, 12 keV, ~1 cpkkd, flux 6.4e12)
    within a factor 2 of the published 7.4e-11 mu_B."""
    lim = float(asimov_mu_nu_limit(12.0, 1.0, 570.7, 6.4e12, e_max_kev=60.0,
                                   off_on_ratio=127.8 / 570.7))
    assert 7.4e-11 / 2 < lim < 7.4e-11 * 2


def test_methods_and_cl_ordering():
    kw = {"threshold_kev": [1.0], "background_cpkkd": [1.0], "exposure_kg_day": [1e3],
          "flux_cm2_s": [1e13]}
    fc90 = AsimovScanModel()(kw)["mu_nu_limit"][0]
    fc95 = AsimovScanModel(cl=0.95)(kw)["mu_nu_limit"][0]
    bay = AsimovScanModel(method="bayes")(kw)["mu_nu_limit"][0]
    assert fc95 > fc90 and bay >= fc90 * 0.999


@pytest.mark.parametrize("kw, word", [({"cl": 1.0}, "cl"), ({"n_bins": 0}, "n_bins"),
                                      ({"off_on_ratio": 0.0}, "off_on_ratio"),
                                      ({"syst": -0.1}, "syst"), ({"method": "x"}, "method"),
                                      ({"param": "x"}, "param")])
def test_asimov_bad_parameters(kw, word):
    with pytest.raises(InvalidParameterError, match=word):
        AsimovScanModel(**kw)


def test_asimov_bad_columns(model):
    with pytest.raises(InvalidParameterError, match="exposure_kg_day"):
        model({"threshold_kev": [1.0], "background_cpkkd": [1.0], "exposure_kg_day": [-1.0],
               "flux_cm2_s": [1e13]})
    with pytest.raises(InvalidParameterError, match="flux_cm2_s"):
        model({"threshold_kev": [1.0], "background_cpkkd": [1.0], "exposure_kg_day": [1.0]})
    with pytest.raises(InvalidParameterError, match="e_max_kev"):
        asimov_mu_nu_limit(200.0, 1.0, 1.0, 1e13, model=model)


def test_scan_with_model_local(model, grid4):
    res = run_scan(grid4, model, executor="local", workers=2, progress=False)
    assert len(res) == 180
    lim = res.as_grid("mu_nu_limit")
    assert np.all(np.diff(lim, axis=1) > 0)       # more background -> weaker limit
    assert np.all(np.diff(lim, axis=2) < 0)       # more exposure -> stronger limit
    assert np.all(np.diff(lim, axis=3) < 0)       # more flux -> stronger limit
    direct = asimov_mu_nu_limit(*(res.column(k) for k in grid4.names), model=model)
    assert np.allclose(direct, res.column("mu_nu_limit"), rtol=1e-12)


# -- Dask ---------------------------------------------------------------------------------------
def test_scan_on_local_dask_cluster(model, grid4):
    """2-worker dask.distributed LocalCluster (worker processes) gives the serial answer."""
    distributed = pytest.importorskip("distributed")
    ser = run_scan(grid4, model, executor="serial", progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        res = run_scan(grid4, model, executor=client, chunksize=20, progress=False)
        assert client.status == "running"          # a user's client is not closed
    assert res.meta["executor"] == "dask" and res.meta["workers"] == 2
    assert res.meta["n_chunks"] == 9
    assert np.array_equal(res.table, ser.table)


# -- plots --------------------------------------------------------------------------------------
def test_contour_plot_and_slice(tmp_path, model, grid4):
    from nuem.plotting.contours import plot_scan_contours, slice_2d

    res = run_scan(grid4, model, executor="serial", progress=False)
    xs, ys, zz = slice_2d(res, "exposure_kg_day", "background_cpkkd", "mu_nu_limit",
                          fixed={"threshold_kev": 1.0, "flux_cm2_s": 4e13})
    assert zz.shape == (ys.size, xs.size)
    pick = res.table[(res.column("threshold_kev") == 1.0) & (res.column("flux_cm2_s") == 4e13)
                     & (res.column("exposure_kg_day") == xs[2])
                     & (res.column("background_cpkkd") == ys[3])]
    assert zz[3, 2] == pick["mu_nu_limit"][0]
    # a single slice needs every other multi-valued axis fixed (no silent first slice)
    with pytest.raises(InvalidParameterError, match="threshold_kev.*values.*fixed="):
        plot_scan_contours(res, "exposure_kg_day", "background_cpkkd")
    p = tmp_path / "c.png"
    ax = plot_scan_contours(res, "exposure_kg_day", "background_cpkkd", path=p,
                            fixed={"threshold_kev": 1.0, "flux_cm2_s": 4e13})
    assert p.read_bytes()[:4] == b"\x89PNG" and len(os.listdir(tmp_path)) == 1
    assert "4e+13" in ax.get_title() and "1 keV" in ax.get_title()
    with pytest.raises(InvalidParameterError, match="grid axis"):
        plot_scan_contours(res, "mass", "background_cpkkd")
    # one panel per value of the free axes, one colour scale
    from nuem.plotting.contours import plot_scan_panels

    free = [n for n in res.grid.names if n not in ("exposure_kg_day", "background_cpkkd")]
    axes = plot_scan_panels(res, "exposure_kg_day", "background_cpkkd")
    assert len(axes) == np.prod([res.grid.axes[n].size for n in free])
    norms = {(a.collections[0].norm.vmin, a.collections[0].norm.vmax) for a in axes}
    assert len(norms) == 1
    # contours are continuous: each level of the smoothed surface is one unbroken path
    # (the limit is monotonic in exposure and background: one segment per level, none cut by
    # its label)
    paths = [pth for pth in axes[0].collections[1].get_paths() if len(pth.vertices)]
    assert paths and all(int(np.sum(pth.codes == 1)) == 1 for pth in paths)


# -- CLI ----------------------------------------------------------------------------------------
def test_cli_scan_json_and_files(tmp_path, capsys):
    out_csv, png = tmp_path / "s.csv", tmp_path / "s.png"
    rc = main(["scan", "--threshold-kev", "0.1", "1", "10", "--background-cpkkd", "0.1", "1",
               "10", "--exposure-kg-day", "100", "1000", "--flux-cm2-s", "1e13",
               "--executor", "serial", "--out", str(out_csv), "--plot", str(png), "--json"])
    cap = capsys.readouterr()
    assert rc == 0
    obj = json.loads(cap.out)
    assert obj["n_points"] == 18 and len(obj["rows"]) == 18 and obj["param"] == "mu-nu"
    assert {"mu_nu_limit", "threshold_kev"} <= set(obj["columns"])
    assert obj["best"]["mu_nu_limit"] == min(r["mu_nu_limit"] for r in obj["rows"])
    assert "points" not in cap.err          # progress only on a terminal (stderr is captured)
    assert out_csv.read_text().count("\n") == 19 and png.exists()


def test_cli_scan_dask_executor(capsys):
    pytest.importorskip("distributed")
    rc = main(["scan", "--background-cpkkd", "1", "10", "--exposure-kg-day", "100", "1000",
               "--executor", "dask", "--workers", "2", "--no-progress", "--json"])
    assert rc == 0
    obj = json.loads(capsys.readouterr().out)
    assert obj["meta"]["executor"] == "dask" and obj["n_points"] == 4


def test_cli_scan_bad_input(capsys):
    assert main(["scan", "--exposure-kg-day", "-5", "--executor", "serial"]) == 2
    assert "exposure_kg_day" in capsys.readouterr().err
    assert main(["scan", "--plot", "x.png", "--executor", "serial"]) == 2  # 1-point grid
    assert "contour" in capsys.readouterr().err


def test_scanresult_records():
    res = _small()
    assert isinstance(res, ScanResult) and len(res) == 2
    assert res.to_records()[0] == {"x": 1.0, "y": 0.5, "f": 10.5, "g": 1.0}
    with pytest.raises(InvalidParameterError, match="column"):
        res.column("nope")


def test_asimov_delta_q_template_is_the_pure_quadratic_term():
    # even part of the millicharge component: scaling the reference by 2 multiplies it by 4
    from nuem.binned import counts_in_bins
    from nuem.sources.reactor import reactor_flux

    m = AsimovScanModel(param="delta-q", n_bins=8, e_max_kev=10.0)
    tpl = m.template(0.3)
    f = reactor_flux(1e13)

    def mq(dq):
        return counts_in_bins("Ge", f, tpl["edges_kev"], 1.0, delta_q=dq,
                              components=("millicharge",))["millicharge"]

    even2 = 0.5 * (mq(2e-12) + mq(-2e-12))
    np.testing.assert_allclose(tpl["signal"], even2 / 4.0, rtol=1e-9)
    assert np.any(np.abs(mq(1e-12) - tpl["signal"]) > 1e-6 * tpl["signal"])  # odd part exists


def test_asimov_delta_q_scaling_and_threshold():
    m = AsimovScanModel(param="delta-q", n_bins=10, e_max_kev=10.0)
    cols = {"threshold_kev": np.array([0.2, 0.2, 1.0]),
            "background_cpkkd": np.array([50.0, 800.0, 50.0]),
            "exposure_kg_day": np.full(3, 1e3), "flux_cm2_s": np.full(3, 1e13)}
    out = m(cols)
    assert out["delta_q_limit"][1] / out["delta_q_limit"][0] == pytest.approx(2.0, rel=0.05)
    assert out["delta_q_limit"][2] > 2 * out["delta_q_limit"][0]   # steep 1/T^2 rise
    assert m.limit_column == "delta_q_limit" and "mu_nu_limit" not in out


def test_cli_scan_delta_q(capsys):
    assert main(["scan", "--param", "delta-q", "--threshold-kev", "0.2", "1",
                 "--executor", "serial", "--no-progress", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["param"] == "delta-q" and 1e-14 < out["best"]["delta_q_limit"] < 1e-10


# -- other targets ------------------------------------------------------------------------------
def test_scan_model_xe_against_ge_electron_count():
    """Above xenon's K edge (34.6 keV) every electron of both targets is ionisable (stepping), so
    the signal and SM templates scale with electrons per kg, n_e ∝ Z/A: Xe/Ge = 0.9335; with the
    flat background (per kg) dominating, sigma_theta ∝ 1/n_e and the mu_nu limit ∝ n_e^(-1/2):
    Xe/Ge = (n_Ge/n_Xe)^(1/2) = 1.0350."""
    from nuem.targets import get_target

    cols = {"threshold_kev": [40.0], "background_cpkkd": [1e4], "exposure_kg_day": [1e3],
            "flux_cm2_s": [1e13]}
    ge, xe = (AsimovScanModel(target=t, e_max_kev=100.0)(cols) for t in ("Ge", "Xe"))
    ratio = get_target("Xe").electrons_per_kg / get_target("Ge").electrons_per_kg
    assert ratio == pytest.approx(54 / 131.293 / (32 / 72.630), rel=1e-3)
    assert xe["signal_counts"][0] / ge["signal_counts"][0] == pytest.approx(ratio, rel=1e-6)
    assert xe["sm_counts"][0] / ge["sm_counts"][0] == pytest.approx(ratio, rel=1e-6)
    assert xe["mu_nu_limit"][0] / ge["mu_nu_limit"][0] == pytest.approx(ratio ** -0.5, rel=1e-5)
    assert AsimovGeModel is AsimovScanModel          # former name kept
    with pytest.raises(InvalidParameterError, match="Xx"):
        AsimovScanModel(target="Xx")


def test_cli_scan_target_xe(capsys):
    args = ["scan", "--threshold-kev", "40", "--background-cpkkd", "1e4", "--e-max-kev", "100",
            "--executor", "serial", "--no-progress", "--json"]
    assert main(args + ["--target", "Xe"]) == 0
    xe = json.loads(capsys.readouterr().out)
    assert main(args) == 0
    ge = json.loads(capsys.readouterr().out)
    assert xe["target"] == "Xe" and ge["target"] == "Ge" and xe["meta"]["model"]["target"] == "Xe"
    r = xe["best"]["mu_nu_limit"] / ge["best"]["mu_nu_limit"]
    assert r == pytest.approx(1.0350, rel=1e-3)           # electrons per kg, as above
    assert main(["scan", "--target", "Xx", "--executor", "serial", "--no-progress"]) == 2
    assert "Xx" in capsys.readouterr().err


def test_cli_scan_gas_target_needs_density(capsys):
    """The PAI model (default for delta-q) needs the medium's density; gases have no tabulated
    detector-phase density, so CF4 asks for --density-g-cm3 and runs with it."""
    args = ["scan", "--target", "CF4", "--param", "delta-q", "--threshold-kev", "0.5",
            "--executor", "serial", "--no-progress", "--json"]
    assert main(args) == 2
    assert "density_g_cm3" in capsys.readouterr().err
    assert main(args + ["--density-g-cm3", "0.0037"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["meta"]["model"]["density_g_cm3"] == 0.0037
    assert 1e-14 < out["best"]["delta_q_limit"] < 1e-11
    with pytest.raises(InvalidParameterError, match="density_g_cm3"):
        AsimovScanModel(target="CF4", density_g_cm3=-1.0)
