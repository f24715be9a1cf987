"""Experiment schema version 2: [source] from the source registry, model tables from the detector
registries, material defaults, version-1 compatibility, generated documentation.

Evidence: a version-1 preset rewritten as version 2 gives the same experiment and the same
spectrum bit for bit; a tabulated source reproduces TabulatedFlux and a line source LineFlux;
material defaults are the cited values of nuem.materials (LXe F = 0.059, W = 13.7 eV).
"""

import re
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from nuem.exceptions import DataFileError, InvalidParameterError
from nuem.experiments import (
    experiment_from_document,
    get_experiment,
    load_experiment,
    observed_spectrum,
    preset_ids,
)
from nuem.experiments.schema import (
    SCHEMA_VERSION,
    field_table_markdown,
    model_table_markdown,
    validate,
)
from nuem.sources import SOURCE_KINDS
from nuem.sources.flux import TabulatedFlux
from nuem.sources.lines import LineFlux


def _preset_text(pid="texono-hpge"):
    return resources.files("nuem.experiments").joinpath(f"presets/{pid}.toml").read_text()


def _as_v2(text: str) -> str:
    assert re.search(r"(?m)^schema_version = 1$", text) and "[reactor]" in text
    text = re.sub(r"(?m)^schema_version = 1$", "schema_version = 2", text)
    text = text.replace("[reactor.fractions]", "[source.fractions]")
    return text.replace("[reactor]", '[source]\nkind = "reactor"')


def _write(tmp_path, text, name="f.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def _doc(source=None, resolution=None, target="Ge", **det):
    c = {"value": 1.0, "source": "t"}
    return {"schema_version": 2, "id": "t", "name": "t", "reference": "r", "status": "example",
            "source": source or {"kind": "reactor", "flux_cm2_s": {"value": 1e13,
                                                                   "source": "assumed: t"}},
            "detector": {"target": target, "mass_kg": c, "live_days_on": c, "live_days_off": c,
                         "resolution": resolution or {"sigma_noise_kev": {"value": 0.1,
                                                                          "source": "t"}},
                         "efficiency": {"model": "step",
                                        "threshold_kev": {"value": 1.0, "source": "t"}},
                         **det},
            "analysis": {"e_min_kev": {"value": 1.0, "source": "t"},
                         "e_max_kev": {"value": 11.0, "source": "t"},
                         "bin_width_kev": {"value": 1.0, "source": "t"}}}


_V1_PRESETS = [p for p in preset_ids()
               if re.search(r"(?m)^schema_version = 1$", _preset_text(p))]


def test_the_newer_presets_are_version_2():
    # the liquid-noble and source presets were written in schema version 2 ([source] kind)
    assert {"xenonnt-2022"} <= set(preset_ids()) - set(_V1_PRESETS)
    assert "texono-hpge" in _V1_PRESETS


@pytest.mark.parametrize("pid", _V1_PRESETS)
def test_v1_preset_and_its_v2_rewrite_are_identical(tmp_path, pid):
    a = get_experiment(pid)
    b = load_experiment(_write(tmp_path, _as_v2(_preset_text(pid))))
    assert a.source.kind == "reactor" and b.source == a.source
    assert dict(b.citations) == dict(a.citations)
    assert b.values == a.values and b.values["schema_version"] == SCHEMA_VERSION
    if pid in ("texono-hpge", "munu", "rovno"):
        sa, sb = observed_spectrum(a, mu_nu=1e-10), observed_spectrum(b, mu_nu=1e-10)
        for k, v in sa.components.items():
            np.testing.assert_array_equal(sb.components[k], v)


def test_reactor_property_and_flux():
    e = get_experiment("texono-hpge")
    assert (e.reactor.power_gw, e.reactor.distance_m) == (2.9, 28.0)
    assert e.flux().total_cm2_s() == pytest.approx(e.reactor.flux().total_cm2_s(), rel=1e-15)


@pytest.mark.parametrize("old,new,field", [
    ("power_gw = { value = 2.9,", "power_gw = { value = -2.9,", "reactor.power_gw"),
    ("power_gw = { value = 2.9,", "power_w = { value = 2.9e9,", "reactor.power_w"),
])
def test_v1_errors_keep_the_v1_names(tmp_path, old, new, field):
    text = _preset_text()
    assert old in text
    with pytest.raises(DataFileError, match=rf"field '{re.escape(field)}'"):
        load_experiment(_write(tmp_path, text.replace(old, new)))
    text = re.sub(r"(?m)^distance_m = .*\n", "", _preset_text())
    with pytest.raises(DataFileError, match=r"field 'reactor.distance_m': missing"):
        load_experiment(_write(tmp_path, text))


def test_version_mixups_are_one_line_errors(tmp_path):
    v2 = _as_v2(_preset_text())
    with pytest.raises(DataFileError, match=r"field 'reactor': unknown key in schema_version = 2"):
        load_experiment(_write(tmp_path, v2 + '\n[reactor]\npower_gw = { value = 1, source = '
                                              '"x" }\n'))
    v1 = _preset_text().replace("[reactor]", '[source]\nkind = "reactor"')
    with pytest.raises(DataFileError, match=r"field 'source': unknown key in schema_version = 1"):
        load_experiment(_write(tmp_path, v1))
    with pytest.raises(DataFileError) as err:
        load_experiment(_write(tmp_path, v2.replace("schema_version = 2", "schema_version = 3")))
    msg = str(err.value)
    assert "\n" not in msg and "3 is not supported" in msg and "1 or 2" in msg


def test_tabulated_source():
    src = {"kind": "tabulated", "flavor": "nue", "label": "my table",
           "enu_mev": {"value": [0.0, 1.0, 2.0], "source": "t"},
           "dphi_cm2_s_mev": {"value": [0.0, 2e12, 0.0], "source": "t"}}
    e = experiment_from_document(_doc(source=src))
    f = e.flux()
    ref = TabulatedFlux([0.0, 1.0, 2.0], [0.0, 2e12, 0.0], flavor="nue")
    assert isinstance(f, TabulatedFlux) and f.flavor == "nue" and f.label == "my table"
    assert f.total_cm2_s() == ref.total_cm2_s() == pytest.approx(2e12)
    assert e.citations["source.enu_mev"] == "t"
    with pytest.raises(InvalidParameterError, match="'tabulated' source, not a reactor"):
        e.reactor  # noqa: B018
    s = observed_spectrum(e, mu_nu=1e-10)
    assert s.provenance["source_kind"] == "tabulated" and s.components["sm_electron"].sum() > 0


def test_line_source():
    src = {"kind": "lines", "flavor": "nue",
           "energies_mev": {"value": [0.75], "source": "assumed: illustrative"},
           "fluxes_cm2_s": {"value": [1e12], "source": "assumed: illustrative"}}
    e = experiment_from_document(_doc(source=src))
    f = e.flux()
    assert isinstance(f, LineFlux) and f.total_cm2_s() == pytest.approx(1e12)
    s = observed_spectrum(e, mu_nu=1e-10)
    assert np.all(np.isfinite(s.components["total_on"]))
    assert s.components["magnetic_moment"].sum() > 0


@pytest.mark.parametrize("source,field,msg", [
    ({"kind": "supernova"}, "source.kind",
     "'supernova' is not known; allowed: reactor, tabulated, lines, solar, cr51, ar37, tritium, "
     "sterile-dm"),
    ({"kind": "lines", "flavor": "nue", "energies_mev": {"value": [0.75, 0.43], "source": "t"},
      "fluxes_cm2_s": {"value": [1e12], "source": "t"}}, "source.fluxes_cm2_s", "has 1 values"),
    ({"kind": "lines", "energies_mev": {"value": [0.75], "source": "t"},
      "fluxes_cm2_s": {"value": [1e12], "source": "t"}}, "source.flavor", "missing required"),
    ({"kind": "tabulated", "flavor": "nue", "power_gw": {"value": 1, "source": "t"}},
     "source.power_gw", "does not go with kind 'tabulated'"),
    ({"kind": "reactor"}, "source.kind", "either power_gw and distance_m, or flux_cm2_s"),
])
def test_source_errors_name_the_field(source, field, msg):
    with pytest.raises(DataFileError, match=rf"field '{re.escape(field)}': .*{re.escape(msg)}"):
        experiment_from_document(_doc(source=source), "x.toml")


def test_source_kind_choices_come_from_the_registry():
    assert SOURCE_KINDS.names() == ("reactor", "tabulated", "lines", "solar", "cr51", "ar37",
                                    "tritium", "sterile-dm")
    for name in SOURCE_KINDS.names():
        assert f"`{name}`" in model_table_markdown()


def test_xenon_without_fano_gets_xenons_cited():
    e = experiment_from_document(_doc(target="Xe"))
    assert (e.resolution.fano, e.resolution.pair_energy_ev) == (0.059, 13.7)
    assert e.citations["detector.resolution.fano"].startswith("default for Xe: T. Doke")
    assert e.citations["detector.resolution.pair_energy_ev"].startswith("default for Xe: C.E. Dahl")
    assert e.defaults["detector.resolution.fano"] == 0.059
    assert e.quenching.k == pytest.approx(0.133 * 54 ** (2 / 3) / 131.293 ** 0.5, rel=1e-12)
    assert e.quenching.z == 54 and "Lindhard" in e.citations["detector.quenching.k"]
    assert e.to_dict()["defaults"]["detector.resolution.pair_energy_ev"] == 13.7
    assert "fano" not in e.values["detector"]["resolution"]       # values stay as written


def test_germanium_defaults_are_the_old_ones():
    e = get_experiment("texono-hpge")
    assert (e.resolution.fano, e.resolution.pair_energy_ev) == (0.11, 2.96)
    assert e.quenching.k == 0.133 * 32 ** (2.0 / 3.0) / 72.63 ** 0.5
    assert get_experiment("conus").quenching.k == 0.162               # given in the file


def test_scintillator_needs_its_resolution_given():
    with pytest.raises(DataFileError, match=r"x.toml: field 'detector.resolution': fano: "
                                            r"material 'CsI' .*give fano explicitly"):
        experiment_from_document(_doc(target="CsI"), "x.toml")
    poly = {"model": "gaussian-poly", "c1_sqrt_kev": {"value": 0.2, "source": "assumed: t"}}
    e = experiment_from_document(_doc(target="CsI", resolution=poly))
    assert e.resolution.to_dict()["model"] == "gaussian-poly"
    with pytest.raises(DataFileError, match="at least one of c0_kev"):
        experiment_from_document(_doc(resolution={"model": "gaussian-poly"}))


def test_gas_with_fano_zero_needs_no_pair_energy():
    e = get_experiment("munu")
    assert e.resolution.fano == 0.0 and e.resolution.pair_energy_ev is None
    assert e.density_g_cm3 == pytest.approx(0.0108)


def test_efficiency_key_of_another_model():
    d = _doc()
    d["detector"]["efficiency"]["width_kev"] = {"value": 0.1, "source": "t"}
    with pytest.raises(DataFileError, match=r"'detector.efficiency.width_kev': does not go with "
                                            r"model 'step' \(it belongs to model 'erf'\)"):
        validate(d, "x.toml")
    d["detector"]["efficiency"] = {"model": "erf", "threshold_kev": {"value": 1, "source": "t"}}
    with pytest.raises(DataFileError, match=r"'detector.efficiency.width_kev': missing required "
                                            r"field for model 'erf'"):
        validate(d, "x.toml")


def test_docs_tables_are_generated_from_the_registries():
    text = (Path(__file__).parents[1] / "docs" / "experiments.md").read_text(encoding="utf-8")
    for name, fn in (("FIELD", field_table_markdown), ("MODEL", model_table_markdown)):
        m = re.search(rf"<!-- BEGIN {name} TABLE[^\n]*\n(.*?)\n<!-- END {name} TABLE -->", text,
                      re.S)
        assert m, f"docs/experiments.md lacks the generated {name.lower()} table"
        assert m.group(1) == fn(), f"regenerate the {name.lower()} table of docs/experiments.md"
