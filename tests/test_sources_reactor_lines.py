"""Reactor nu_e lines from 51Cr and 55Fe.

Evidence: total flux R Y / (4 pi L^2) with Y = 8.3e-4 nu_e per fission (Wong & Li, Mod. Phys.
Lett. A 20, 1103 (2005), Sec. 4.3); the 51Cr share goes to lines of the 51Cr decay and the rest
to 55Fe lines whose energies are Q_EC = 231.21 keV (ENSDF) minus the Mn K / L1 / M1 edges
(xraylib 6.539, 0.769, 0.0839 keV) written here; the rate equals the sum of the rates of an
ElectronCaptureSource-like line set.
"""

import math

import numpy as np
import pytest

from nuem.exceptions import InvalidParameterError
from nuem.sources import ReactorSource, reactor_nue_lines
from nuem.sources.ec_sources import EC_DECAYS


def test_total_flux_and_split():
    r, dist = 9.5e19, 28.0
    f = reactor_nue_lines(r, dist, cr51_fraction=0.3)
    want = r * 8.3e-4 / (4 * math.pi * (dist * 100) ** 2)
    assert f.total_cm2_s() == pytest.approx(want, rel=1e-12)
    e, phi = f.energies_mev, f.fluxes_cm2_s
    assert phi[e > 0.4].sum() == pytest.approx(0.3 * want, rel=1e-12)       # 51Cr lines
    assert phi[e < 0.24].sum() == pytest.approx(0.7 * want, rel=1e-12)      # 55Fe lines
    assert np.allclose(e[e < 0.24], [(231.21 - b) / 1e3 for b in (6.539, 0.769, 0.0839)],
                       atol=1e-12)
    assert f.flavors == ("nue",)


def test_line_shapes_follow_the_ec_data_and_scale_with_yield():
    f1 = reactor_nue_lines(1e20, 20.0, cr51_fraction=1.0, per_fission=1e-3)
    e, w = EC_DECAYS["Cr51"].lines()
    assert np.allclose(f1.energies_mev[f1.fluxes_cm2_s > 0], e)
    assert np.allclose(f1.fluxes_cm2_s[f1.fluxes_cm2_s > 0] / f1.total_cm2_s(), w / w.sum())
    f2 = reactor_nue_lines(1e20, 20.0, cr51_fraction=1.0, per_fission=2e-3)
    assert f2.total_cm2_s() == pytest.approx(2 * f1.total_cm2_s(), rel=1e-12)


def test_with_a_reactor_source_fission_rate():
    src = ReactorSource(power_gw=2.9, distance_m=28.0)
    f = reactor_nue_lines(src.fissions_per_s, src.distance_m, cr51_fraction=0.5)
    # 8.3e-4 nu_e per fission against ~7.2 nuebar per fission: ratio 1.15e-4
    assert f.total_cm2_s() / src.flux_cm2_s == pytest.approx(8.3e-4 / src.antineutrinos_per_fission,
                                                             rel=1e-9)


@pytest.mark.parametrize("args, kwargs, needle", [
    ((-1e19, 28.0), {"cr51_fraction": 0.5}, "fissions_per_s=-1e+19"),
    ((1e19, 0.0), {"cr51_fraction": 0.5}, "distance_m=0.0"),
    ((1e19, 28.0), {"cr51_fraction": 1.5}, "cr51_fraction=1.5"),
    ((1e19, 28.0), {"cr51_fraction": 0.5, "per_fission": -1e-4}, "per_fission=-0.0001"),
])
def test_bad_input_names_the_parameter(args, kwargs, needle):
    with pytest.raises(InvalidParameterError) as exc:
        reactor_nue_lines(*args, **kwargs)
    assert needle in str(exc.value)


def test_split_is_required():
    with pytest.raises(TypeError, match="cr51_fraction"):
        reactor_nue_lines(1e19, 28.0)


# -- the lines as part of the reactor source ----------------------------------------------------
def test_reactor_source_adds_the_lines_as_a_flavor_mixture():
    from nuem.sources import FlavorMixture

    plain = ReactorSource(power_gw=2.9, distance_m=28.0)
    src = ReactorSource(power_gw=2.9, distance_m=28.0, nue_lines_cr51_fraction=0.3)
    assert plain.flux() is plain.tabulated() and plain.nue_lines() is None
    f = src.flux()
    assert isinstance(f, FlavorMixture) and f.flavors == ("nuebar", "nue")
    # nuebar unchanged; nu_e = R Y / (4 pi L^2), written out here
    assert f.total_cm2_s("nuebar") == pytest.approx(plain.tabulated().total_cm2_s(), rel=1e-12)
    want = src.fissions_per_s * 8.3e-4 / (4 * math.pi * 2800.0**2)
    assert f.total_cm2_s("nue") == pytest.approx(want, rel=1e-12)
    assert src.nue_lines_flux_cm2_s == pytest.approx(want, rel=1e-12)
    lines = f.components["nue"]
    assert lines.fluxes_cm2_s[lines.energies_mev > 0.4].sum() == pytest.approx(0.3 * want)
    prov = src.provenance()["nue_lines"]
    assert prov["cr51_fraction"] == 0.3 and "user-given" in prov["source"]
    assert plain.provenance()["nue_lines"] is None


def test_reactor_flux_scaled_to_a_total_keeps_the_yield_ratio():
    from nuem.sources.reactor import reactor_flux

    src = ReactorSource(power_gw=2.9, distance_m=28.0, nue_lines_cr51_fraction=0.5,
                        nue_lines_per_fission=1e-3)
    f = reactor_flux(src.flux_cm2_s, nue_lines_cr51_fraction=0.5, nue_lines_per_fission=1e-3)
    # Phi_nue / Phi_nuebar = Y / N_nu (7.243 nuebar per fission, Wong & Li 2005 Table 1 yields)
    assert f.total_cm2_s("nue") / f.total_cm2_s("nuebar") == pytest.approx(
        1e-3 / src.antineutrinos_per_fission, rel=1e-12)
    assert f.total_cm2_s("nue") == pytest.approx(src.nue_lines_flux_cm2_s, rel=1e-9)


def test_rates_of_the_mixture_are_the_sums_of_its_species():
    # SM nu-e scattering uses each species' couplings (nu_e: CC + NC; nuebar: NC + CC crossed)
    from nuem.rates import differential_rates

    src = ReactorSource(power_gw=2.9, distance_m=28.0, nue_lines_cr51_fraction=0.5)
    t = [0.5, 5.0, 50.0]
    tot = differential_rates("Ge", src.flux(), t, atomic="free", mu_nu=1e-11).components
    a = differential_rates("Ge", src.tabulated(), t, atomic="free", mu_nu=1e-11).components
    b = differential_rates("Ge", src.nue_lines(), t, atomic="free", mu_nu=1e-11).components
    for k in ("sm_electron", "magnetic_moment"):
        np.testing.assert_allclose(tot[k], a[k] + b[k], rtol=1e-10)
    assert np.all(b["sm_electron"] > 0) and np.all(b["sm_electron"] < 1e-3 * a["sm_electron"])


def test_experiment_files_and_overrides_carry_the_lines():
    from experiment_docs import cited, minimal_document

    from nuem.exceptions import DataFileError
    from nuem.experiments import experiment_from_document, hypothetical_experiment

    src = {"kind": "reactor", "power_gw": cited(2.9), "distance_m": cited(28.0),
           "nue_lines_cr51_fraction": cited(0.5)}
    e = experiment_from_document(minimal_document(src), "x.toml")
    assert e.flux().flavors == ("nuebar", "nue")
    h = hypothetical_experiment(e, flux_cm2_s=1e13, flags={"flux_cm2_s": "--flux-cm2-s"})
    assert h.flux().total_cm2_s("nuebar") == pytest.approx(1e13)
    assert h.flux().total_cm2_s("nue") > 0
    bad = dict(src, nue_lines_per_fission=cited(1e-3))
    del bad["nue_lines_cr51_fraction"]
    with pytest.raises(DataFileError, match="'source.nue_lines_per_fission': goes with "
                                            "nue_lines_cr51_fraction"):
        experiment_from_document(minimal_document(bad), "x.toml")


def test_command_line_options(capsys):
    import json

    from nuem.cli.main import main

    assert main(["flux", "--power-gw", "2.9", "--distance-m", "28",
                 "--nue-lines-cr51-fraction", "0.5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    src = ReactorSource(power_gw=2.9, distance_m=28.0, nue_lines_cr51_fraction=0.5)
    assert out["nue_lines_flux_cm2_s"] == pytest.approx(src.nue_lines_flux_cm2_s, rel=1e-12)
    assert out["flux_by_flavor_cm2_s"]["nuebar"] == out["flux_cm2_s"]
    assert main(["rate", "--flux-cm2-s", "1e13", "--nue-lines-cr51-fraction", "0.5",
                 "--target", "Ge", "--t-kev", "1", "--json"]) == 0
    capsys.readouterr()
    for argv, needle in (
            (["flux", "--source", "solar", "--nue-lines-cr51-fraction", "0.5"],
             "--nue-lines-cr51-fraction is a reactor option"),
            # a stray reactor option is named as such, not validated as a reactor field
            (["flux", "--source", "solar", "--nue-lines-per-fission", "1e-3"],
             "--nue-lines-per-fission is a reactor option"),
            (["rate", "--source", "solar", "--nue-lines-per-fission", "-1e-3", "--target", "Ge",
              "--t-kev", "1"], "--nue-lines-per-fission is a reactor option"),
            (["flux", "--power-gw", "2.9", "--distance-m", "28", "--nue-lines-per-fission",
              "1e-3"], "'--nue-lines-per-fission': goes with nue_lines_cr51_fraction"),
            (["rate", "--flux-cm2-s", "1e13", "--nue-lines-cr51-fraction", "2", "--target",
              "Ge", "--t-kev", "1"], "'--nue-lines-cr51-fraction': value 2.0 is not allowed")):
        assert main(argv) == 2
        assert needle in capsys.readouterr().err
