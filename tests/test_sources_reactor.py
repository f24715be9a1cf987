"""Reactor antineutrino source (nuem.sources.reactor, nuem.sources.isotopes).

Sources: docs/reactor_source.md; published fluxes (TEXONO at Kuo-Sheng, 2.9 GW at 28 m ->
6.4e12 cm^-2 s^-1: Deniz et al., PRD 81, 072001 (2010); GEMMA, 3 GW at 13.9 m -> 2.7e13:
Beda et al., arXiv:1005.2736); H.T. Wong & H.B. Li, Mod. Phys. Lett. A 20, 1103 (2005), Table 1
(yields, 0.6 captures per fission); Ma et al. PRC 88, 014605 (2013) and Kopeikin et al. Phys. At.
Nucl. 67, 1892 (2004) (energy per fission); Huber PRC 84, 024617 (2011) / Mueller et al. PRC 83,
054615 (2011) tables from the Daya Bay release (CC BY 4.0).
"""

import json

import numpy as np
import pytest
from scipy.integrate import quad

from nuem.exceptions import DataFileError, InvalidParameterError, UnknownNameError
from nuem.sources import FLAVORS, ReactorSource, TabulatedFlux, reactor_flux
from nuem.sources import isotopes as iso


@pytest.fixture(scope="module")
def texono():
    return ReactorSource(power_gw=2.9, distance_m=28.0)


# ---------------------------------------------------------------- published totals
def test_texono_and_gemma_total_flux():
    # Published: TEXONO 6.4e12 (Deniz et al. 2010), GEMMA 2.7e13 (Beda et al. 2010), within 5 %.
    assert ReactorSource(power_gw=2.9, distance_m=28.0).flux_cm2_s == pytest.approx(6.4e12,
                                                                                     rel=0.05)
    assert ReactorSource(power_gw=3.0, distance_m=13.9).flux_cm2_s == pytest.approx(2.7e13,
                                                                                     rel=0.05)


def test_antineutrinos_per_fission_default_mix():
    # default fractions 0.55/0.07/0.32/0.06 with the yields of Wong & Li (2005), Table 1:
    # sum f_k Y_k = 6.0434, plus 2 x 0.6 capture (same table).
    n = ReactorSource(power_gw=1.0, distance_m=10.0).antineutrinos_per_fission
    assert 7.2 <= n <= 7.4
    assert n == pytest.approx(0.55 * 6.14 + 0.07 * 7.08 + 0.32 * 5.58 + 0.06 * 6.42 + 1.2)


def test_fissions_per_second_per_gw():
    # ~3.04e19 fissions/s per GW_th (docs/reactor_source.md); exact: 1e9 W / (sum f E * e).
    src = ReactorSource(power_gw=1.0, distance_m=10.0)
    assert src.fissions_per_s == pytest.approx(3.04e19, rel=0.01)
    mean_e = 0.55 * 202.36 + 0.07 * 205.99 + 0.32 * 211.12 + 0.06 * 214.26
    assert src.fissions_per_s == pytest.approx(1e9 / (mean_e * 1.602176634e-13), rel=1e-12)


def test_kopeikin_energies_change_fission_rate_by_expected_ratio():
    ma = ReactorSource(power_gw=1.0, distance_m=10.0)
    ko = ReactorSource(power_gw=1.0, distance_m=10.0, energy_per_fission="kopeikin2004")
    f = iso.DEFAULT_FISSION_FRACTIONS
    e_ma = sum(f[k] * iso.ENERGY_PER_FISSION_MEV["ma2013"][k] for k in f)
    e_ko = sum(f[k] * iso.ENERGY_PER_FISSION_MEV["kopeikin2004"][k] for k in f)
    assert ko.fissions_per_s / ma.fissions_per_s == pytest.approx(e_ma / e_ko, rel=1e-12)
    assert ko.flux_cm2_s / ma.flux_cm2_s == pytest.approx(e_ma / e_ko, rel=1e-12)


def test_flux_scales_with_power_and_inverse_square_distance(texono):
    other = ReactorSource(power_gw=5.8, distance_m=56.0)
    assert other.flux_cm2_s == pytest.approx(texono.flux_cm2_s / 2.0, rel=1e-12)


# ---------------------------------------------------------------- per-isotope spectra
@pytest.mark.parametrize("isotope", iso.ISOTOPES)
def test_isotope_spectrum_integrates_to_its_yield(isotope):
    # The low-energy model is fixed so that the integral is Y_k (Wong & Li (2005), Table 1); checked
    # here with independent quadrature (quad below E_m, fine trapezoid on the HM part).
    def s(e):
        return iso.isotope_spectrum_per_fission(isotope, e)
    low = quad(s, 0.0, 2.0, epsabs=0, epsrel=1e-12, limit=200)[0]
    e = np.linspace(2.0, 13.0, 200001)
    y = s(e)
    high = float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(e)))
    assert low + high == pytest.approx(iso.ANTINEUTRINOS_PER_FISSION[isotope], rel=1e-4)
    assert s(13.0 + 1e-9) == 0.0 and s(20.0) == 0.0


@pytest.mark.parametrize("isotope", iso.ISOTOPES)
def test_hm_part_reproduces_table_nodes_and_is_log_linear(isotope):
    e, tab = iso.hm_table(isotope)
    above = e >= 2.0
    np.testing.assert_allclose(iso.isotope_spectrum_per_fission(isotope, e[above]), tab[above],
                               rtol=1e-13)
    mid = 0.5 * (e[above][:-1] + e[above][1:])  # exponential interpolation: geometric mean
    np.testing.assert_allclose(iso.isotope_spectrum_per_fission(isotope, mid),
                               np.sqrt(tab[above][:-1] * tab[above][1:]), rtol=1e-12)


@pytest.mark.parametrize("isotope", iso.ISOTOPES)
def test_value_and_slope_continuous_at_e_match(isotope):
    h = 1e-6
    y = iso.isotope_spectrum_per_fission(isotope, [2.0 - 2 * h, 2.0 - h, 2.0, 2.0 + h, 2.0 + 2 * h])
    ly = np.log(y)
    assert y[1] == pytest.approx(y[2], rel=1e-5)
    left, right = (ly[2] - ly[0]) / (2 * h), (ly[4] - ly[2]) / (2 * h)
    assert left == pytest.approx(right, rel=1e-4)
    m = iso.low_energy_model(isotope)
    assert right == pytest.approx(m.slope_per_mev, rel=1e-4)


@pytest.mark.parametrize("isotope", iso.ISOTOPES)
def test_low_energy_model_turns_on_as_enu_squared(isotope):
    y = iso.isotope_spectrum_per_fission(isotope, [1e-4, 2e-4])
    assert y[1] / y[0] == pytest.approx(4.0, rel=1e-3)
    assert iso.isotope_spectrum_per_fission(isotope, 0.0) == 0.0


@pytest.mark.parametrize("isotope", iso.ISOTOPES)
def test_stored_low_energy_coefficients_are_the_solved_ones(isotope):
    # The default models use stored c (no root finding at run time); re-solving from the HM
    # tables and the Table 1 yields (Wong & Li, MPLA 20, 1103 (2005)) must give the same c, and
    # the stored model must reproduce the total yield Y_k.
    stored = iso._STORED_C[(2.0, 0.2)][isotope]
    assert iso._solve_c(isotope, 2.0, 0.2) == pytest.approx(stored, rel=1e-12, abs=1e-14)
    m = iso.low_energy_model(isotope)
    assert m.c_per_mev2 == stored
    e = np.linspace(0.0, 2.0, 200_001)
    y = m(e)
    low = float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(e)))      # trapezoid rule
    assert low + m.yield_above == pytest.approx(iso.ANTINEUTRINOS_PER_FISSION[isotope], rel=1e-8)


def test_low_energy_model_parameters_change_shape_not_yield():
    m = iso.low_energy_model("U235", e_match_mev=2.5, e_turn_on_mev=0.3)
    assert m.e_match_mev == 2.5 and m.c_per_mev2 != iso.low_energy_model("U235").c_per_mev2
    src = ReactorSource(power_gw=1.0, distance_m=10.0, e_match_mev=2.5, e_turn_on_mev=0.3)
    assert src.tabulated().total_cm2_s() == pytest.approx(src.flux_cm2_s, rel=1e-5)


# ---------------------------------------------------------------- reactor spectrum
def test_components_sum_and_capture_part(texono):
    e = np.linspace(0.0, 14.0, 2801)
    comp = texono.component_spectra_per_fission(e)
    assert set(comp) == {*iso.ISOTOPES, "capture_U239", "capture_Np239"}
    np.testing.assert_allclose(sum(comp.values()), texono.spectrum_per_fission(e), rtol=1e-14)
    for k in ("capture_U239", "capture_Np239"):
        assert np.all(comp[k][e >= 1.3] == 0.0)
    assert np.all(texono.spectrum_per_fission(e[e > 13.0]) == 0.0)


def test_tabulated_total_and_moments_match_the_model(texono):
    flux = texono.tabulated()
    assert isinstance(flux, TabulatedFlux) and flux.flavor == "nuebar" and "nuebar" in FLAVORS
    assert flux is texono.tabulated()  # cached per instance
    assert flux.enu_mev.size <= 5000 and flux.enu_max_mev == 13.0
    assert flux.total_cm2_s() == pytest.approx(texono.flux_cm2_s, rel=1e-5)
    assert "Huber" in flux.label and "28 m" in flux.label
    # Linear-interpolation error: compare with the same model on an 8x refined grid (its error
    # is 64x smaller), for the tail moments M_k(x), k = 0, 1, 2, used by the rates.
    e = flux.enu_mev
    for _ in range(3):
        e = np.unique(np.r_[e, 0.5 * (e[1:] + e[:-1])])
    ref = TabulatedFlux(e, texono.dphi_cm2_s_mev(e))
    x = np.array([5e-4, 3e-3, 0.02, 0.15, 0.5, 1.0, 1.2, 2.0, 3.3, 6.0, 9.0])
    np.testing.assert_allclose(flux.moments(x), ref.moments(x), rtol=1e-5)


def test_tabulated_nodes_include_beta_endpoints_and_e_match(texono):
    e = texono.node_energies_mev()
    from nuem.sources.beta import NP239_DECAY, U239_DECAY
    for q in (*U239_DECAY.endpoints_mev, *NP239_DECAY.endpoints_mev, 2.0):
        assert np.any(np.abs(e - q) < 1e-12)


def test_dphi_matches_spectrum_per_fission(texono):
    e = np.array([0.5, 1.0, 3.0])
    expected = (texono.spectrum_per_fission(e) * texono.fissions_per_s
                / (4 * np.pi * (2800.0) ** 2))
    np.testing.assert_allclose(texono.dphi_cm2_s_mev(e), expected, rtol=1e-12)


def test_reactor_flux_normalisation_and_shape():
    f = reactor_flux(1e13)
    assert f.total_cm2_s() == pytest.approx(1e13, rel=1e-12)
    src = ReactorSource(power_gw=2.9, distance_m=28.0)
    g = src.tabulated().scaled_to_total(1e13)
    np.testing.assert_allclose(f.dphi_nodes_cm2_s_mev, g.dphi_nodes_cm2_s_mev, rtol=1e-10)
    sub = reactor_flux(1e13, fractions={"U235": 1.0}, captures_per_fission=0.0)
    assert sub.total_cm2_s() == pytest.approx(1e13, rel=1e-12)
    with pytest.raises(InvalidParameterError, match="power_gw"):
        reactor_flux(1e13, power_gw=3.0)
    with pytest.raises(InvalidParameterError, match="flux_cm2_s"):
        reactor_flux(-1.0)


def test_fraction_subset_allowed_and_provenance_is_json(texono):
    src = ReactorSource(power_gw=1.0, distance_m=10.0, fractions={"U235": 0.6, "Pu239": 0.4})
    assert src.fractions["U238"] == 0.0
    assert src.antineutrinos_per_fission == pytest.approx(0.6 * 6.14 + 0.4 * 5.58 + 1.2)
    prov = json.loads(json.dumps(texono.provenance()))
    assert prov["parameters"]["power_gw"] == 2.9
    assert set(prov["spectrum_below_e_match"]["c_per_mev2"]) == set(iso.ISOTOPES)
    assert "10-20 %" in prov["notes"][0]


# ---------------------------------------------------------------- invalid input
@pytest.mark.parametrize(
    ("kwargs", "match", "exc"),
    [({"power_gw": -1.0}, "power_gw", InvalidParameterError),
     ({"power_gw": 0.0}, "power_gw", InvalidParameterError),
     ({"distance_m": -5.0}, "distance_m", InvalidParameterError),
     ({"distance_m": float("nan")}, "distance_m", InvalidParameterError),
     ({"fractions": {"U235": 0.5, "Pu239": 0.3}}, "fractions sum to 0.8", InvalidParameterError),
     ({"fractions": {"U235": 0.9, "Th232": 0.1}}, "fractions.*Th232", UnknownNameError),
     ({"fractions": {"U235": 1.2, "U238": -0.2}}, "fractions", InvalidParameterError),
     ({"fractions": [0.5, 0.5]}, "fractions", InvalidParameterError),
     ({"energy_per_fission": "james1969"}, "energy_per_fission", UnknownNameError),
     ({"captures_per_fission": -0.1}, "captures_per_fission", InvalidParameterError),
     ({"e_match_mev": 1.0}, "e_match_mev", InvalidParameterError),
     ({"e_turn_on_mev": 1.0}, "e_turn_on_mev", InvalidParameterError)],
)
def test_invalid_reactor_parameters(kwargs, match, exc):
    base = {"power_gw": 2.9, "distance_m": 28.0}
    with pytest.raises(exc, match=match):
        ReactorSource(**{**base, **kwargs})


def test_negative_energy_rejected(texono):
    with pytest.raises(InvalidParameterError, match="enu_mev"):
        texono.dphi_cm2_s_mev([1.0, -0.5])
    with pytest.raises(UnknownNameError, match="isotope"):
        iso.isotope_spectrum_per_fission("Th232", 1.0)


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [("E MeV\n2.0 1.0\n", 1, "header"),
     ("E_MeV\tN_density\n2.0 1.0\n2.05 1.0 3.0\n2.1 1.0\n", 3, "2 columns"),
     ("E_MeV\tN_density\n2.0 1.0\n2.05 abc\n2.1 1.0\n", 3, "not a number"),
     ("E_MeV\tN_density\n2.0 1.0\n2.05 -1.0\n2.1 1.0\n", 3, "> 0"),
     ("E_MeV\tN_density\n2.0 1.0\n2.0 0.9\n2.1 1.0\n", 3, "previous")],
)
def test_malformed_hm_table_raises_data_file_error(text, line, what):
    with pytest.raises(DataFileError, match=what) as err:
        iso._parse_hm_text(text, "hm_test.tsv")
    assert err.value.line == line and "hm_test.tsv" in str(err.value)
