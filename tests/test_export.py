"""Interchange: the HistFactory workspace of the ON/OFF model against pyhf, hist.Hist and pandas
forms of binned results, the JSON Schema of the experiment files, ``nuem export pyhf`` and
``nuem experiments schema``."""

import json
import tomllib
from pathlib import Path

import numpy as np
import pytest

from nuem.cli.main import main
from nuem.exceptions import InvalidParameterError
from nuem.experiments import get_experiment
from nuem.export.histfactory import (
    export_pyhf,
    onoff_model_of_experiment,
    workspace_from_model,
)

pyhf = pytest.importorskip("pyhf")

EXP = get_experiment("texono-hpge")
THETA_TRUE = 400.0          # (mu_nu / 1e-11 mu_B)^2 = 400: mu_nu = 2e-10 mu_B, ~4 sigma


@pytest.fixture(scope="module")
def minuit_backend():
    """pyhf with iminuit (faster than scipy here); the previous backend restored after."""
    old = pyhf.get_backend()
    pyhf.set_backend("numpy", "minuit")
    yield
    pyhf.set_backend(*old)


def _write_data(path, model, edges, seed):
    """A data set generated from the model (Poisson ON and OFF counts at THETA_TRUE), as text."""
    d = model.sample({"theta": THETA_TRUE}, np.random.default_rng(seed), 1)
    lines = [f"# exposure_on_kg_day = {float(model.t_on)!r}",
             f"# exposure_off_kg_day = {float(model.t_off)!r}",
             "e_lo_kev,e_hi_kev,on_counts,off_counts"]
    lines += [f"{float(lo)!r},{float(hi)!r},{a},{b}" for lo, hi, a, b in
              zip(edges[:-1], edges[1:], d.on[0], d.off[0], strict=True)]
    path.write_text("\n".join(lines) + "\n")
    return path


def _pyhf(ws):
    w = pyhf.Workspace(ws)
    m = w.model()
    return m, w.data(m)


def _cls(m, data, theta):
    return float(pyhf.infer.hypotest(theta, data, m, test_stat="qtilde"))


@pytest.mark.parametrize("seed", [3, 8])
def test_pyhf_and_nuem_agree_on_mle_and_cls_limit(tmp_path, minuit_backend, seed):
    """Acceptance: texono-hpge, a data set generated from the model; pyhf (MLE and CLs upper
    limit on theta from the exported workspace) and nuem (the joint Poisson ON/OFF fit and its
    CLs limit) agree within 1 %."""
    from nuem.inference import limit_from_data

    model, edges, _ = onoff_model_of_experiment(EXP)
    data = _write_data(tmp_path / "onoff.csv", model, edges, seed)
    nuem = limit_from_data(EXP, data, method="cls", joint_poisson=True)
    ws, meta = export_pyhf(EXP, data)
    assert meta["schema_validated"] and meta["nuisances"] == {}
    assert meta["edges_kev"] == pytest.approx(list(edges))
    m, obs = _pyhf(ws)
    assert m.config.poi_name == "theta" and m.config.channels == ["reactor_off", "reactor_on"]
    theta_hat = float(pyhf.infer.mle.fit(obs, m)[m.config.poi_index])
    assert theta_hat > 0.0
    assert theta_hat == pytest.approx(nuem.best_fit, rel=0.01)
    # the CLs upper limit of pyhf (asymptotic, q~_mu) lies within 1 % of nuem's:
    # CLs > 0.1 just below nuem's limit and < 0.1 just above it
    up = nuem.theta_upper
    assert _cls(m, obs, 0.99 * up) > 0.1 > _cls(m, obs, 1.01 * up)
    # and nuem's (physical) limit is the square root of theta's: mu_nu = 1e-11 sqrt(theta_up)
    assert nuem.upper_limit == pytest.approx(1e-11 * np.sqrt(up), rel=1e-12)


@pytest.mark.slow
def test_pyhf_and_nuem_agree_with_nuisances(tmp_path, minuit_backend):
    """With flux (5 %) and cross-section (10 %) normsys, energy scale (1 %), OFF normalisation
    (1 %) and background tilt (2 %) the MLE agrees within 1 %; the CLs limits agree within 3 %:
    nuem's CLs is the Gaussian one on theta_hat +- sigma_total(theta_hat), pyhf's the
    asymptotic profile-likelihood one, whose width grows with theta through the normalisation
    nuisances (sigma_syst = theta sigma_norm), so pyhf's limit is the larger."""
    from nuem.inference import limit_from_data

    nuis = {"flux_norm_sigma": 0.05, "xsec_sigma": 0.1, "escale_sigma": 0.01,
            "onoff_syst": 0.01, "bkg_tilt_sigma": 0.02}
    model, edges, shapes = onoff_model_of_experiment(EXP, nuisances=nuis)
    data = _write_data(tmp_path / "onoff.csv", model, edges, 3)
    nuem = limit_from_data(EXP, data, method="cls", joint_poisson=True, **nuis)
    ws, meta = export_pyhf(EXP, data, nuisances=nuis)
    assert meta["nuisances"] == {"flux_norm": 0.05, "xsec_norm": 0.1, "escale": 0.01,
                                 "onoff_norm": 0.01, "bkg_tilt": 0.02}
    m, obs = _pyhf(ws)
    assert set(m.config.parameters) == {"theta", "bkg_rate", "flux_norm", "xsec_norm",
                                        "escale", "onoff_norm", "bkg_tilt"}
    best = pyhf.infer.mle.fit(obs, m)
    assert float(best[m.config.poi_index]) == pytest.approx(nuem.best_fit, rel=0.01)
    # nuisances: pyhf's alpha = nu / sigma (the OFF normalisation is pulled visibly)
    fitted = nuem.nuisances["fitted"]
    alpha = float(best[m.config.par_slice("onoff_norm")][0])
    assert alpha * 0.01 == pytest.approx(fitted["onoff_norm"], rel=0.05, abs=2e-4)
    up = nuem.theta_upper
    assert _cls(m, obs, up) > 0.1 > _cls(m, obs, 1.03 * up)


def test_workspace_structure_equals_nuem_model():
    """Expected counts of pyhf's model at given parameters equal nuem's OnOffModel.expected
    (the histosys terms additive before the shared shapefactor; normsys to first order)."""
    nuis = {"escale_sigma": 0.01, "onoff_syst": 0.02, "bkg_tilt_sigma": 0.05}
    model, edges, shapes = onoff_model_of_experiment(EXP, nuisances=nuis)
    ws = workspace_from_model(model, shapes=shapes)
    m, _ = _pyhf(ws)
    gamma = np.linspace(0.9, 1.1, model.bins)
    pars = m.config.suggested_init()
    values = {"theta": 250.0, "escale": 0.7, "onoff_norm": -1.3, "bkg_tilt": 0.4}
    for name, v in values.items():
        pars[m.config.par_slice(name)] = [v]
    pars[m.config.par_slice("bkg_rate")] = gamma
    main_data = np.asarray(m.expected_actualdata(pars))
    nb = model.bins
    off, on = main_data[:nb], main_data[nb:]           # channels are sorted: off, on
    sig = {p.name: p.sigma for p in model.parameters[1:]}
    nuem_model = type(model)(model.unit_signal, model.t_on, model.t_off, known=model.known,
                             scale=(*shapes["escale"], sig["escale"]),
                             onoff_norm_sigma=sig["onoff_norm"],
                             tilt=(shapes["bkg_tilt"], sig["bkg_tilt"]),
                             background=model.background * gamma)
    exp = nuem_model.expected({"theta": 250.0, "escale": 0.7 * 0.01,
                               "onoff_norm": -1.3 * 0.02, "bkg_tilt": 0.4 * 0.05})
    assert np.allclose(on, exp.on, rtol=1e-12) and np.allclose(off, exp.off, rtol=1e-12)


def test_export_errors():
    with pytest.raises(InvalidParameterError, match="no OFF exposure"):
        export_pyhf("texono-ulege")
    with pytest.raises(InvalidParameterError, match="nuisance 'flux' is not known"):
        export_pyhf(EXP, nuisances={"flux": 0.1})
    model, _, _ = onoff_model_of_experiment(EXP, nuisances={"escale_sigma": 0.01})
    with pytest.raises(InvalidParameterError, match="escale.*shapes="):
        workspace_from_model(model)


def test_cli_export_pyhf(tmp_path, capsys):
    out, meta = tmp_path / "ws.json", tmp_path / "meta.json"
    assert main(["export", "pyhf", "--experiment", "texono-hpge", "--out", str(out),
                 "--meta", str(meta), "--param", "delta-q", "--flux-norm-sigma", "0.05"]) == 0
    text = capsys.readouterr().out
    assert "validated against pyhf's schema" in text and "(delta_q / 1e-12 e)^2" in text
    ws = json.loads(out.read_text())
    pyhf.schema.validate(ws, "workspace.json")
    md = json.loads(meta.read_text())
    assert md["param"] == "delta-q" and md["nuisances"] == {"flux_norm": 0.05}
    assert main(["export", "pyhf", "--experiment", "texono-hpge", "--out", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
    assert main(["export", "pyhf", "--experiment", "texono-ulege",
                 "--out", str(tmp_path / "u.json")]) == 2
    assert "no OFF exposure" in capsys.readouterr().err and not (tmp_path / "u.json").exists()
    assert main(["export", "pyhf", "--experiment", "texono-hpge",
                 "--out", str(tmp_path / "new" / "ws.json")]) == 0
    assert (tmp_path / "new" / "ws.json").is_file()


# -- hist and pandas ------------------------------------------------------------------------------
def test_hist_and_dataframe_of_spectra_and_scans():
    hist = pytest.importorskip("hist")
    pytest.importorskip("pandas")
    from nuem.experiments import observed_spectrum
    from nuem.export import to_dataframe, to_hist
    from nuem.inference.scan import _example_product, run_scan
    from nuem.io.spectra import MeasuredSpectrum

    s = observed_spectrum(EXP, mu_nu=1e-10)
    h = to_hist(s)
    assert isinstance(h, hist.Hist) and h.axes.name == ("e_kev", "component")
    assert h.axes["e_kev"].metadata == {"unit": "keVee"}
    assert np.array_equal(h.axes["e_kev"].edges, s.edges_kev)
    for comp, v in s.components.items():
        assert np.array_equal(h[:, comp].values(), v)
    df = to_dataframe(s)
    assert np.array_equal(df["total_on"], s.components["total_on"]) and len(df) == s.e_kev.size
    assert df.attrs["units"]["total_on"] == "counts per bin (full exposure)"
    spec = MeasuredSpectrum(np.array([1.0, 2.0]), np.array([2.0, 3.0]),
                            {"on": ("counts", np.array([9.0, 4.0])),
                             "off": ("cpkkd", np.array([0.5, 0.25]))},
                            {"on": 2.0, "off": 4.0}, "toy")
    hm = to_hist(spec)
    assert hm.axes["series"].size == 2 and hm.label == "counts"
    assert np.array_equal(hm[:, "off"].values(), [2.0, 1.0])       # 0.5 x 1 keV x 4 kg d
    assert np.array_equal(hm[:, "on"].variances(), [9.0, 4.0])     # Poisson
    dm = to_dataframe(spec)
    assert list(dm.columns) == ["e_lo_kev", "e_hi_kev", "e_kev", "width_kev", "on_counts",
                                "off_counts"]
    scan = run_scan({"a": [1.0, 2.0], "b": [3.0]}, _example_product, executor="serial",
                    progress=False)
    assert to_dataframe(scan)["ab"].tolist() == [3.0, 6.0]
    with pytest.raises(InvalidParameterError, match="use to_dataframe"):
        to_hist(scan)
    with pytest.raises(InvalidParameterError, match="cannot convert a dict"):
        to_dataframe({})


# -- JSON Schema of the experiment files ----------------------------------------------------------
PRESETS = sorted((Path(__file__).parents[1] / "src" / "nuem" / "experiments" / "presets")
                 .glob("*.toml"))


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    from nuem.export import experiment_json_schema

    schema = experiment_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", PRESETS, ids=[p.stem for p in PRESETS])
def test_every_preset_follows_the_json_schema(validator, path):
    doc = tomllib.loads(path.read_text())
    assert not list(validator.iter_errors(doc))


def _v2():
    from experiment_docs import cited, minimal_document

    return minimal_document({"kind": "reactor", "flux_cm2_s": cited(1e13)}), cited


def test_json_schema_agrees_with_nuem_validator(validator):
    """Documents nuem accepts pass the schema; the errors the field tables can state (bare
    number, unknown key, wrong unit, out of range, unknown choice, a model's missing field, a
    field of another model, a version-1 file with [source]) fail both."""
    import copy

    from nuem.exceptions import NuemError
    from nuem.experiments import experiment_from_document

    good, cited = _v2()
    solar = copy.deepcopy(good)
    solar["source"] = {"kind": "solar"}
    for doc in (good, solar):
        experiment_from_document(doc, "ok.toml")
        assert not list(validator.iter_errors(doc))

    def bad(edit):
        d = copy.deepcopy(good)
        edit(d)
        return d

    cases = {
        "bare number": bad(lambda d: d["detector"].__setitem__("mass_kg", 1.0)),
        "unknown key": bad(lambda d: d["detector"].__setitem__("colour", "red")),
        "wrong unit": bad(lambda d: d["detector"]["mass_kg"].__setitem__("unit", "g")),
        "out of range": bad(lambda d: d["detector"].__setitem__("mass_kg", cited(-1.0))),
        "no source": bad(lambda d: d["detector"]["mass_kg"].pop("source")),
        "unknown status": bad(lambda d: d.__setitem__("status", "rumoured")),
        "unknown model": bad(lambda d: d["detector"]["efficiency"].__setitem__("model", "x")),
        "model field missing": bad(lambda d: d["detector"]["efficiency"].pop("threshold_kev")),
        "other model's field": bad(lambda d: d.__setitem__("source", {
            "kind": "solar", "power_gw": cited(2.9)})),
        "v1 with [source]": bad(lambda d: d.__setitem__("schema_version", 1)),
        "missing section": bad(lambda d: d.pop("analysis")),
    }
    for what, doc in cases.items():
        assert list(validator.iter_errors(doc)), f"schema accepted: {what}"
        with pytest.raises(NuemError):
            experiment_from_document(doc, "bad.toml")


def test_cli_experiments_schema(tmp_path, capsys):
    assert main(["experiments", "schema"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["$schema"].endswith("2020-12/schema") and "detector" in s["properties"]
    assert main(["experiments", "schema", "--out", str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text()) == s


def test_cli_export_pyhf_every_preset(tmp_path, capsys):
    """Every preset with OFF data exports a schema-valid workspace; one without OFF data fails
    with one line and exit status 2."""
    from nuem.experiments import preset_ids

    for pid in preset_ids():
        out = tmp_path / f"{pid}.json"
        rc = main(["export", "pyhf", "--experiment", pid, "--out", str(out), "--json"])
        cap = capsys.readouterr()
        if get_experiment(pid).exposure.off_kg_day > 0:
            assert rc == 0, cap.err
            meta = json.loads(cap.out)
            assert meta["schema_validated"] and meta["experiment"] == pid
            ws = json.loads(out.read_text())
            nb = len(meta["edges_kev"]) - 1
            assert all(len(s["data"]) == nb for c in ws["channels"] for s in c["samples"])
        else:
            assert rc == 2 and cap.err.count("\n") == 1 and "no OFF exposure" in cap.err
