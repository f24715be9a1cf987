"""``nuem flux`` and ``nuem rate`` with --source / --source-file (the source registry)."""

import json
import math

import pytest
from test_sources_solar import T_YR_KEV, _independent_rates

from nuem.cli.flux_cmd import source_fields
from nuem.cli.main import build_parser, main
from nuem.sources import SOURCE_KINDS

BQ_PER_MCI = 3.7e16


def _json(capsys, *argv):
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _point_flux(activity_mci, distance_m):
    """One nu per decay, isotropic: A / (4 pi r^2) in cm^-2 s^-1."""
    return activity_mci * BQ_PER_MCI / (4 * math.pi * (100 * distance_m) ** 2)


def test_choices_and_options_come_from_the_registry():
    p = build_parser()
    sub = p._subparsers._group_actions[0].choices
    for cmd in ("flux", "rate"):
        opts = {a.dest: a for a in sub[cmd]._actions}
        assert tuple(opts["source"].choices) == SOURCE_KINDS.names()
        for name in source_fields():
            assert f"src_{name}" in opts or name == "distance_m"


@pytest.mark.parametrize("kind,activity_mci", [("cr51", 3.414), ("ar37", 0.409)])
def test_ec_sources_run_as_is_with_their_cited_defaults(capsys, kind, activity_mci):
    # BEST 51Cr (Barinov et al., PRL 128, 232501 (2022)) and SAGE 37Ar defaults, 1 m
    out = _json(capsys, "flux", "--source", kind)
    assert out["flux_cm2_s"] == pytest.approx(_point_flux(activity_mci, 1.0), rel=1e-3)
    assert out["flux_by_flavor_cm2_s"] == {"nue": out["flux_cm2_s"]}


def test_source_options(capsys):
    out = _json(capsys, "flux", "--source", "cr51", "--activity-mci", "1", "--distance-m", "2")
    assert out["flux_cm2_s"] == pytest.approx(_point_flux(1.0, 2.0), rel=1e-3)
    assert out["citations"]["activity_mci"] == "command line --activity-mci"
    # MAMMONT tritium default: 6e14 cm^-2 s^-1 (Wong & Li, MPLA 20, 1103 (2005), Sec. 5)
    assert _json(capsys, "flux", "--source", "tritium")["flux_cm2_s"] == pytest.approx(6e14)
    sun = _json(capsys, "flux", "--source", "solar", "--components", "pp")
    assert sun["flux_cm2_s"] == pytest.approx(5.98e10, rel=1e-9)   # B16-GS98 pp, ApJ 835, 202
    assert sum(sun["flux_by_flavor_cm2_s"].values()) == pytest.approx(sun["flux_cm2_s"])


def test_reactor_stays_the_default(capsys):
    a = _json(capsys, "flux", "--power-gw", "2.9", "--distance-m", "28")
    b = _json(capsys, "flux", "--source", "reactor", "--power-gw", "2.9", "--distance-m", "28")
    assert a == b and "fissions_per_s" in a


def test_source_file(tmp_path, capsys):
    p = tmp_path / "src.toml"
    p.write_text('[source]\nkind = "lines"\nflavor = "nue"\n'
                 'energies_mev = { value = [0.75, 0.43], source = "test" }\n'
                 'fluxes_cm2_s = { value = [9e11, 1e11], source = "test" }\n')
    out = _json(capsys, "flux", "--source-file", str(p))
    assert out["source"] == "lines" and out["flux_cm2_s"] == pytest.approx(1e12)
    assert out["citations"]["source.energies_mev"] == "test"
    r = _json(capsys, "rate", "--source-file", str(p), "--target", "Ge", "--t-kev", "1",
              "--mu-nu", "1e-11")
    assert r["components"]["magnetic_moment"][0] > 0


def test_solar_rates_on_xenon_match_the_independent_calculation(capsys):
    # nuem rate --source solar --target Xe --t-kev 1 10 30 --atomic free --json (per kg day);
    # the independent calculation states tree-level couplings, so the rate is asked for with them
    out = _json(capsys, "rate", "--source", "solar", "--target", "Xe", "--t-kev", "1", "10", "30",
                "--atomic", "free", "--mu-nu", "1e-11", "--couplings", "tree")
    assert out["source"] == "solar"
    for i, t in enumerate((1.0, 10.0, 30.0)):
        sm, mm = _independent_rates(t)
        assert out["components"]["sm_electron"][i] * T_YR_KEV == pytest.approx(sm, rel=0.03)
        assert out["components"]["magnetic_moment"][i] * T_YR_KEV == pytest.approx(mm, rel=0.03)
    assert any("every flavour" in n for n in out["notes"])


@pytest.mark.parametrize("argv,needle", [
    (["flux", "--source", "cr51", "--activity-mci", "-1"],
     "field '--activity-mci': value -1.0 is not allowed; must be > 0 MCi"),
    (["flux", "--source", "cr51", "--pee", "0.5"], "--pee does not apply to --source cr51"),
    (["flux", "--source", "cr51", "--activity-mci", "1", "--activity-bq", "1"],
     "give only one of activity_mci, activity_bq"),
    (["flux", "--source", "tabulated"], "--source tabulated needs the arrays"),
    (["flux", "--source", "solar", "--power-gw", "3"], "--power-gw is a reactor option"),
    (["flux", "--source", "solar", "--source-file", "x.toml"], "not both"),
    (["flux", "--source-file", "/nonexistent.toml"], "cannot read source file"),
    (["flux"], "the reactor source needs --power-gw and --distance-m"),
    (["rate", "--target", "Xe", "--t-kev", "1"], "--flux-cm2-s | --power-gw: give one"),
    (["rate", "--source", "solar", "--target", "Xe", "--t-kev", "1", "--flux-cm2-s", "1e13"],
     "--flux-cm2-s is a reactor option"),
])
def test_bad_source_input(capsys, argv, needle):
    assert main(argv) == 2
    cap = capsys.readouterr()
    assert cap.out == "" and needle in cap.err and cap.err.count("\n") == 1


def test_unknown_source_is_a_usage_error(capsys):
    assert main(["flux", "--source", "supernova"]) == 2
    err = capsys.readouterr().err
    assert "--source: 'supernova' is not a known choice" in err and err.count("\n") == 1


def test_bad_source_file(tmp_path, capsys):
    p = tmp_path / "s.toml"
    p.write_text('[source]\nkind = "cr51"\nactivity_mci = { value = -2.0, source = "x" }\n')
    assert main(["flux", "--source-file", str(p)]) == 2
    assert f"{p}: field 'source.activity_mci'" in capsys.readouterr().err
    p.write_text('[source]\nkind = "cr51"\n[other]\n')
    assert main(["flux", "--source-file", str(p)]) == 2
    assert "found also 'other'" in capsys.readouterr().err
