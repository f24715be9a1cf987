"""Hypothetical experiments through the schema (nuem.experiments.hypothetical_experiment).

Evidence: the generic detector and preset variants give the spectra of the former construction
(values assembled by hand, since removed; its spectrum sums are kept here); exposure = mass x
live days; every supplied number is cited "user-supplied"; material numbers are the target's
cited defaults (LXe F = 0.059, W = 13.7 eV; Si F = 0.119, eps = 3.749 eV).
"""

import numpy as np
import pytest

from nuem.exceptions import DataFileError, InvalidParameterError
from nuem.experiments import (
    experiment_from_document,
    get_experiment,
    hypothetical_experiment,
    observed_spectrum,
)
from nuem.experiments.hypothetical import GENERIC_ASSUMPTIONS


def test_generic_detector_is_the_documented_one():
    e = hypothetical_experiment()
    assert (e.id, e.target, e.source.kind) == ("hypothetical", "Ge", "reactor")
    assert e.exposure.on_kg_day == 365.0 and e.exposure.off_kg_day == 365.0
    assert (e.analysis.e_min_kev, e.analysis.e_max_kev, e.analysis.bin_width_kev) == (
        0.1, 12.1, 0.1)
    assert e.reactor.flux_cm2_s == 1e13 and e.resolution.sigma_noise_kev == 0.05
    for dotted in GENERIC_ASSUMPTIONS:
        assert e.citations[dotted].startswith("assumed: generic hypothetical detector")
    assert e.citations["detector.resolution.fano"].startswith("default for Ge: G.F. Knoll")


def test_supplied_numbers_are_cited_user_supplied():
    e = hypothetical_experiment(mass_kg=2.0, days_on=100.0, days_off=50.0,
                                flags={"mass_kg": "--mass-kg", "days_on": "--days-on"})
    assert (e.exposure.on_kg_day, e.exposure.off_kg_day) == (200.0, 100.0)
    assert e.citations["detector.mass_kg"] == "user-supplied: --mass-kg"
    assert e.citations["detector.live_days_on"] == "user-supplied: --days-on"
    assert e.citations["detector.live_days_off"] == "user-supplied"
    t = hypothetical_experiment(threshold_kev=0.3, background_cpkkd=2.0, flux_cm2_s=3e13)
    assert t.citations["analysis.e_min_kev"] == "user-supplied"
    assert t.citations["detector.efficiency.threshold_kev"] == "user-supplied"
    assert t.citations["background.flat_cpkkd"] == "user-supplied"
    assert t.citations["source.flux_cm2_s"] == "user-supplied"
    assert t.analysis.e_min_kev == 0.3 and t.efficiency.threshold_kev == 0.3


@pytest.mark.parametrize("target,fano,eps", [("Xe", 0.059, 13.7), ("Si", 0.119, 3.749),
                                             ("Ar", 0.11, 19.5), ("Ge", 0.11, 2.96)])
def test_target_material_defaults(target, fano, eps):
    e = hypothetical_experiment(target=target, mass_kg=10.0)
    assert e.target == target and (e.resolution.fano, e.resolution.pair_energy_ev) == (fano, eps)
    assert e.citations["detector.resolution.fano"].startswith(f"default for {target}: ")
    assert e.defaults["detector.quenching.z"] == e.material.quenching.z
    s = observed_spectrum(e, mu_nu=1e-10)
    assert np.all(np.isfinite(s.components["total_on"]))


def test_scintillator_target_needs_the_resolution_numbers():
    with pytest.raises(InvalidParameterError, match=r"^fano: material 'CsI'.*give fano "
                                                    r"explicitly"):
        hypothetical_experiment(target="CsI")
    with pytest.raises(InvalidParameterError, match=r"^energy_per_quantum_ev: material 'CsI'"):
        hypothetical_experiment(target="CsI", fano=1.0)
    e = hypothetical_experiment(target="CsI", fano=1.0, pair_energy_ev=5000.0,
                                flags={"fano": "--fano"})
    assert e.resolution.fano == 1.0 and e.citations["detector.resolution.fano"] == (
        "user-supplied: --fano")


#: Spectrum sums (mu_nu = 1e-11 mu_B) of the former construction (the hand-assembled values of
#: nuem.inference.sensitivity.hypothetical_experiment, removed once this function replaced it;
#: the two were equal bit for bit), and the ON exposure and bin count.
_FORMER = {
    "generic": (None, {}, (7.955708492917195, 9.323107322678371, 2993.1912697984444, 4380.0,
                           4380.0), 365.0, 120),
    "generic-flags": (None, dict(threshold_kev=0.3, mass_kg=2.0, background_cpkkd=0.5,
                                 flux_cm2_s=2e13, resolution_kev=0.1, e_max_kev=5.0,
                                 bin_width_kev=0.05),
                      (19.298306987307765, 14.30030490889072, 704.3033552055618,
                       1715.5000000000005, 1715.5000000000005), 730.0, 94),
    "gemma": ("gemma", dict(mass_kg=3.0, flux_cm2_s=1e13),
              (35.463702029733945, 247.99762376198908, 1.463798681595275e-10,
               296322.00319460203, 73491.0007922952), 2262.0, 52),
    "texono-ulege": ("texono-ulege", dict(flux_cm2_s=1e13),
                     (0.006417874866251626, 0.0086687061007276, 0.06590028385850044,
                      44.36759866670529, 0.0), 0.338, 120),
    # conus: erf turn-on (0.28 keV, width 0.03 keV) in 0.2 keV bins, since 2026-11-30 averaged
    # exactly over each bin (ErfEfficiency.bin_mean); the former 8-point quadrature gave sums
    # within 1.9e-7 relative of these (9.055174259354803, 9.816814498029608, 19.44478685736879,
    # 20024.13328528523, 4734.294479995059)
    "conus": ("conus", dict(bin_width_kev=0.2),
              (9.05517447858399, 9.816814533450678, 19.444790488730867, 20024.133378441984,
               4734.294502020059), 248.7, 40),
    "munu": ("munu", dict(mass_kg=5.0),
             (0.5511326086249568, 152.25256655040528, 0.0, 173.15999999999997, 43.42), 333.0,
             13),
    "texono-hpge": ("texono-hpge", dict(threshold_kev=13.0, background_cpkkd=2.0),
                    (3.2230732817189796, 38.01747879937637, 0.0, 56864.547999999995,
                     12733.992), 604.942, 47),
}


@pytest.mark.parametrize("case", sorted(_FORMER))
def test_same_as_the_former_construction(case):
    base, kw, sums, x_on, bins = _FORMER[case]
    new = hypothetical_experiment(get_experiment(base) if base else None, **kw)
    assert new.exposure.on_kg_day == pytest.approx(x_on, rel=1e-15)
    # the former construction used tree-level couplings (the numbers are bit-for-bit)
    c = observed_spectrum(new, mu_nu=1e-11, couplings="tree").components
    assert c["total_on"].size == bins
    got = [float(np.sum(c[k])) for k in ("magnetic_moment", "sm_electron", "cevns",
                                          "background", "background_off")]
    np.testing.assert_allclose(got, sums, rtol=1e-12, atol=1e-300)


def test_base_preset_keeps_its_citations():
    base = get_experiment("gemma")
    e = hypothetical_experiment("gemma", mass_kg=3.0)
    assert e.id == "gemma-modified" and e.exposure.mass_kg == 3.0
    assert e.citations["detector.live_days_on"] == base.citations["detector.live_days_on"]
    assert e.citations["source.flux_cm2_s"] == base.citations["source.flux_cm2_s"]
    assert e.citations["detector.mass_kg"] == "user-supplied"
    assert hypothetical_experiment("gemma", id="g2", name="G2").id == "g2"


def test_power_and_distance():
    e = hypothetical_experiment("texono-hpge", distance_m=14.0)
    assert (e.reactor.power_gw, e.reactor.distance_m) == (2.9, 14.0)
    ratio = e.flux().total_cm2_s() / get_experiment("texono-hpge").flux().total_cm2_s()
    assert ratio == pytest.approx(4.0, rel=1e-12)                       # 1/L^2
    with pytest.raises(InvalidParameterError, match="power_gw is needed with distance_m"):
        hypothetical_experiment(distance_m=10.0)                       # generic: a total flux
    g = hypothetical_experiment(power_gw=3.0, distance_m=30.0)
    assert g.citations["source.power_gw"] == "user-supplied" and g.reactor.flux_cm2_s is None
    with pytest.raises(InvalidParameterError, match="not both"):
        hypothetical_experiment(power_gw=3.0, distance_m=30.0, flux_cm2_s=1e13)


def test_replacing_the_target_drops_the_material_numbers():
    e = hypothetical_experiment("munu", target="Xe")
    assert e.density_g_cm3 is None and e.resolution.fano == 0.059
    assert "density_g_cm3" not in e.values["detector"]
    assert e.exposure.mass_kg == 11.4                                  # the rest is kept


@pytest.mark.parametrize("kw,match", [
    (dict(mass_kg=-1.0), "mass_kg=-1.0"),
    (dict(mass_kg=-1.0, flags={"mass_kg": "--mass-kg"}), "--mass-kg=-1.0"),
    (dict(threshold_kev=50.0, e_max_kev=20.0), "threshold_kev=50.0 must be below"),
    (dict(days_on=0.0), "days_on"),
    (dict(resolution_kev=-0.1), "resolution_kev"),
    (dict(sigma_noise_kev=0.1, resolution_kev=0.1), "not both"),
    (dict(target="Xx"), "target='Xx'"),
    (dict(base=3), "base must be"),
])
def test_bad_arguments_name_the_argument(kw, match):
    with pytest.raises(InvalidParameterError, match=match):
        hypothetical_experiment(**kw)


def test_schema_rules_still_apply():
    with pytest.raises(DataFileError, match=r"<hypothetical>: field 'analysis.bin_width_kev'"):
        hypothetical_experiment(e_max_kev=1.0, bin_width_kev=5.0)


def test_flux_of_a_non_reactor_source_is_an_error():
    doc = {"schema_version": 2, "id": "lines", "name": "l", "reference": "r", "status": "example",
           "source": {"kind": "lines", "flavor": "nue",
                      "energies_mev": {"value": [0.75], "source": "t"},
                      "fluxes_cm2_s": {"value": [1e12], "source": "t"}},
           "detector": {"target": "Ge", "mass_kg": {"value": 1.0, "source": "t"},
                        "live_days_on": {"value": 1.0, "source": "t"},
                        "live_days_off": {"value": 1.0, "source": "t"},
                        "resolution": {"sigma_noise_kev": {"value": 0.1, "source": "t"}},
                        "efficiency": {"model": "erf", "threshold_kev": {"value": 1, "source": "t"},
                                       "width_kev": {"value": 0.1, "source": "t"}}},
           "analysis": {"e_min_kev": {"value": 1.0, "source": "t"},
                        "e_max_kev": {"value": 5.0, "source": "t"},
                        "bin_width_kev": {"value": 1.0, "source": "t"}}}
    base = experiment_from_document(doc)
    with pytest.raises(InvalidParameterError, match="applies to reactor sources.*'lines'"):
        hypothetical_experiment(base, flux_cm2_s=1e13)
    e = hypothetical_experiment(base, mass_kg=2.0)
    assert e.source.kind == "lines" and e.efficiency.width_kev == 0.1
    poly = experiment_from_document({**doc, "detector": {**doc["detector"], "resolution": {
        "model": "gaussian-poly", "c1_sqrt_kev": {"value": 0.1, "source": "t"}}}})
    with pytest.raises(InvalidParameterError, match="applies to the gaussian-fano resolution"):
        hypothetical_experiment(poly, sigma_noise_kev=0.1)
