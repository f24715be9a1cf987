"""Electron-capture sources (51Cr, 37Ar): line data, activity and geometry, rates.

Evidence: line energies recomputed here as Q_EC - E_level - B_shell from the ENSDF Q values and
levels and the xraylib K / L1 / M1 edges of the daughter atoms written out below; flux
A / (4 pi L^2) with 1 Ci = 3.7e10 Bq; the Ge rate of the 51Cr source equals the sum over its lines
of the single-energy cross sections of Wong & Li, Mod. Phys. Lett. A 20, 1103 (2005), Eqs. 4-6,
recomputed from constants written here; exponential decay with the ENSDF half-life.
"""

import math

import numpy as np
import pytest
from experiment_docs import minimal_experiment

from nuem.exceptions import InvalidParameterError, UnknownNameError
from nuem.rates import differential_rates
from nuem.sources import ElectronCaptureSource, LineFlux
from nuem.sources.ec_sources import EC_DECAYS

ALPHA, ME = 1 / 137.035999084, 0.51099895
GF, HBARC_MEV_CM, SIN2W = 1.1663788e-11, 1.973269804e-11, 0.23857
GE_ELECTRONS_PER_KG = 32 * 6.02214076e23 / 72.630e-3
MCI_BQ = 3.7e16
EDGES_KEV = {"V": (5.4651, 0.6282, 0.0665), "Cl": (2.8224, 0.2702, 0.0175)}  # xraylib K, L1, M1


def _nue_e(t, e):
    gv, ga = 0.5 + 2 * SIN2W, 0.5
    k = GF**2 * ME / (2 * math.pi) * HBARC_MEV_CM**2
    return k * ((gv + ga) ** 2 + (gv - ga) ** 2 * (1 - t / e) ** 2
                + (ga**2 - gv**2) * ME * t / e**2)


def _mu_e(t, e, mu):
    return math.pi * ALPHA**2 / ME**2 * HBARC_MEV_CM**2 * mu**2 * (1 / t - 1 / e)


def test_cr51_lines_from_ensdf_and_xraylib():
    e, w = EC_DECAYS["Cr51"].lines()
    k, l1, m1 = EDGES_KEV["V"]
    want = sorted((q - lvl - b) / 1e3 for q, lvl in ((752.45, 0.0), (752.45, 320.0835))
                  for b in (k, l1, m1))
    assert np.allclose(e, want, rtol=0, atol=1e-9)
    assert w.sum() == pytest.approx(1.0, abs=1e-9)
    assert w[e > 0.7].sum() == pytest.approx(0.9007, abs=1e-12)            # ground-state branch
    assert w[np.argmin(abs(e - 0.747))] == pytest.approx(0.9007 * 0.8919 / (0.8919 + 0.09268
                                                                             + 0.01541), rel=1e-12)
    # the familiar nominal lines: 747, 752, 427, 432 keV
    assert np.allclose(np.round(e * 1e3)[[0, 1, 3, 4]], [427, 432, 747, 752])


def test_ar37_lines():
    e, w = EC_DECAYS["Ar37"].lines()
    k, l1, m1 = EDGES_KEV["Cl"]
    assert np.allclose(e, [(813.87 - k) / 1e3, (813.87 - l1) / 1e3, (813.87 - m1) / 1e3],
                       atol=1e-12)
    assert w[0] == pytest.approx(0.9023 / (0.9023 + 0.08659 + 0.01116), rel=1e-12)


def test_default_best_source_flux_and_geometry():
    src = ElectronCaptureSource("Cr51")
    want = 3.414 * MCI_BQ / (4 * math.pi * 100.0**2)
    assert src.flux_cm2_s == pytest.approx(want, rel=1e-12)
    assert src.flux().total_cm2_s() == pytest.approx(want, rel=1e-12)
    same = ElectronCaptureSource("Cr51", activity_bq=3.414 * MCI_BQ, mean_inverse_square_m2=1.0)
    assert same.flux_cm2_s == pytest.approx(want, rel=1e-12)
    ar = ElectronCaptureSource("Ar37", distance_m=0.5)
    assert ar.flux_cm2_s == pytest.approx(0.409 * MCI_BQ / (4 * math.pi * 50.0**2), rel=1e-12)
    assert isinstance(src.flux(), LineFlux) and src.flux().flavors == ("nue",)


def test_activity_decays_with_the_ensdf_half_life():
    a = ElectronCaptureSource("Cr51", activity_mci=1.0, elapsed_days=27.704)
    assert a.activity_mci == pytest.approx(0.5, rel=1e-12)
    b = ElectronCaptureSource("Ar37", activity_mci=1.0, elapsed_days=70.022)
    assert b.activity_mci == pytest.approx(0.25, rel=1e-12)


@pytest.mark.parametrize("t_kev", [1.0, 30.0, 250.0, 400.0, 560.0])
def test_rate_is_the_sum_of_the_line_formulas(t_kev):
    src = ElectronCaptureSource("Cr51", activity_mci=3.414, distance_m=1.0)
    flux = src.flux()
    r = differential_rates("Ge", flux, [t_kev], atomic="free", mu_nu=1e-10, couplings="tree")
    t = t_kev / 1e3
    sm = mm = 0.0
    for e, phi in zip(flux.energies_mev, flux.fluxes_cm2_s, strict=True):
        if 2 * e * e / (ME + 2 * e) >= t:
            sm += phi * _nue_e(t, e)
            mm += phi * _mu_e(t, e, 1e-10)
    per = GE_ELECTRONS_PER_KG * 1e-3 * 86400.0
    assert r.components["sm_electron"][0] == pytest.approx(sm * per, rel=1e-9)
    assert r.components["magnetic_moment"][0] == pytest.approx(mm * per, rel=1e-9)
    if t_kev == 560.0:  # T_max(746.98 keV) = 556.6 keV < T < T_max(751.82 keV) = 561.4 keV
        assert 0 < sm < 0.12 * flux.total_cm2_s() * _nue_e(t, 0.752)  # L, M lines (9.7 %)


@pytest.mark.parametrize("kwargs, err, needle", [
    ({"isotope": "Co58"}, UnknownNameError, "isotope='Co58'"),
    ({"activity_mci": -3.0}, InvalidParameterError, "activity_mci=-3.0"),
    ({"activity_bq": 0.0}, InvalidParameterError, "activity_bq=0.0"),
    ({"activity_bq": 1e16, "activity_mci": 1.0}, InvalidParameterError, "both given"),
    ({"distance_m": -1.0}, InvalidParameterError, "distance_m=-1.0"),
    ({"distance_m": 1.0, "mean_inverse_square_m2": 1.0}, InvalidParameterError, "not both"),
    ({"mean_inverse_square_m2": 0.0}, InvalidParameterError, "mean_inverse_square_m2=0.0"),
    ({"elapsed_days": -1.0}, InvalidParameterError, "elapsed_days=-1.0"),
])
def test_bad_input_names_the_parameter(kwargs, err, needle):
    with pytest.raises(err) as exc:
        ElectronCaptureSource(**kwargs)
    assert needle in str(exc.value)
    assert "\n" not in str(exc.value)


def _experiment(source):
    return minimal_experiment(source)


def test_cr51_and_ar37_source_kinds():
    cr = _experiment({"kind": "cr51", "activity_mci": {"value": 3.414, "source": "BEST"},
                      "distance_m": {"value": 1.0, "source": "t"}}).flux()
    assert cr.total_cm2_s() == pytest.approx(3.414 * MCI_BQ / (4 * math.pi * 1e4), rel=1e-12)
    ar = _experiment({"kind": "ar37", "activity_bq": {"value": 1e16, "source": "t"},
                      "mean_inverse_square_m2": {"value": 4.0, "source": "t"}}).flux()
    assert ar.total_cm2_s() == pytest.approx(1e16 * 4e-4 / (4 * math.pi), rel=1e-12)
    default = _experiment({"kind": "ar37"}).flux()
    assert default.total_cm2_s() == pytest.approx(0.409 * MCI_BQ / (4 * math.pi * 1e4),
                                                  rel=1e-12)


def test_ec_kind_errors_name_the_field():
    from nuem.exceptions import DataFileError

    src = {"kind": "cr51", "distance_m": {"value": 1.0, "source": "t"},
           "mean_inverse_square_m2": {"value": 1.0, "source": "t"}}
    with pytest.raises(DataFileError, match=r"field 'source.mean_inverse_square_m2': give only "
                                            r"one of distance_m, mean_inverse_square_m2"):
        _experiment(src)
    src = {"kind": "cr51", "activity_mci": {"value": -1.0, "source": "t"}}
    with pytest.raises(DataFileError, match=r"field 'source.activity_mci': value -1.0 is not "
                                            r"allowed"):
        _experiment(src)
