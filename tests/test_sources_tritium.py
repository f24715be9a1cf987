"""Tritium antineutrino source and the MAMMONT preset.

Evidence: the flux integrates to A <1/r^2> / (4 pi) (1 Ci = 3.7e10 Bq); the MAMMONT preset gives
40 MCi and 6e14 cm^-2 s^-1 (L.N. Bogdanova, Nucl. Phys. A 721, 499 (2003), quoted by Wong & Li,
Mod. Phys. Lett. A 20, 1103 (2005), Sec. 5); the spectrum integrates to one antineutrino per
decay (fine trapezoid rule here) and its mean energy equals Q - <T_e> with the ENSDF values
Q = 18.5906 keV and <T_e> = 5.6817 keV within 0.2 %; the mu_nu rate on Ge equals an adaptive
quadrature of (1/T - 1/E) over the spectrum and vanishes above T_max(Q).
"""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from nuem.exceptions import InvalidParameterError
from nuem.rates import differential_rates
from nuem.sources import TritiumSource
from nuem.sources.tritium import TRITIUM_Q_MEV, tritium_spectrum_per_decay

MCI_BQ = 3.7e16
ME, ALPHA, HBARC_MEV_CM = 0.51099895, 1 / 137.035999084, 1.973269804e-11
GE_ELECTRONS_PER_KG = 32 * 6.02214076e23 / 72.630e-3


def test_mammont_preset():
    src = TritiumSource.mammont()
    assert src.activity_mci == pytest.approx(40.0, rel=1e-12)
    assert src.flux().total_cm2_s() == pytest.approx(6.0e14, rel=1e-12)
    assert src.mean_inverse_square_m2 == pytest.approx(4 * math.pi * 6e14 / (40 * MCI_BQ) * 1e4,
                                                       rel=1e-12)
    default = TritiumSource()
    assert default.flux_cm2_s == pytest.approx(6.0e14, rel=1e-12)
    assert src.flux().flavors == ("nuebar",)


@pytest.mark.parametrize("mci, dist", [(40.0, 0.14), (1.0, 1.0), (0.001, 0.05)])
def test_flux_integrates_to_activity_over_4pi_r2(mci, dist):
    src = TritiumSource(activity_mci=mci, distance_m=dist)
    want = mci * MCI_BQ / (4 * math.pi * (dist * 100) ** 2)
    f = src.flux()
    assert f.total_cm2_s() == pytest.approx(want, rel=1e-12)
    assert f.moments_mev(1e-12, (0,))[0] == pytest.approx(want, rel=1e-9)
    assert src.mean_inverse_square_m2 == pytest.approx(1 / dist**2, rel=1e-12)


def test_spectrum_normalisation_mean_energy_and_end_point():
    e = np.linspace(0.0, TRITIUM_Q_MEV, 400001)
    y = tritium_spectrum_per_decay(e)
    assert np.trapezoid(y, e) == pytest.approx(1.0, abs=1e-5)
    assert np.trapezoid(y * e, e) * 1e3 == pytest.approx(18.5906 - 5.6817, rel=2e-3)
    assert tritium_spectrum_per_decay([TRITIUM_Q_MEV, 0.02])[()].tolist() == [0.0, 0.0]
    f = TritiumSource(activity_mci=1.0, distance_m=1.0).flux()
    assert TRITIUM_Q_MEV in f.break_energies_mev()
    m = f.moments_mev(1e-12, (0, -1))
    assert m[1] / m[0] * 1e3 == pytest.approx(18.5906 - 5.6817, rel=2e-3)


@pytest.mark.parametrize("t_kev", [0.05, 0.3, 1.0, 1.2])
def test_magnetic_moment_rate_matches_quadrature(t_kev):
    src = TritiumSource(activity_mci=40.0, distance_m=0.2)
    r = differential_rates("Ge", src.flux(), [t_kev], atomic="free", mu_nu=1e-11)
    t = t_kev / 1e3
    x = 0.5 * (t + math.sqrt(t * t + 2 * ME * t))
    integral, _ = quad(lambda e: float(tritium_spectrum_per_decay(e)) * (1 / t - 1 / e), x,
                       TRITIUM_Q_MEV, limit=200, epsabs=0)
    k = math.pi * ALPHA**2 / ME**2 * HBARC_MEV_CM**2 * 1e-22
    want = k * src.flux_cm2_s * integral * GE_ELECTRONS_PER_KG * 1e-3 * 86400.0
    assert r.components["magnetic_moment"][0] == pytest.approx(want, rel=2e-4)


def test_no_recoil_above_the_end_point():
    t_max_kev = 2 * TRITIUM_Q_MEV**2 / (ME + 2 * TRITIUM_Q_MEV) * 1e3        # 1.26 keV
    r = differential_rates("Ge", TritiumSource().flux(), [t_max_kev * 1.001, 5.0],
                           atomic="free", mu_nu=1e-11)
    assert np.all(r.components["magnetic_moment"] == 0.0)
    assert np.all(r.components["sm_electron"] == 0.0)


@pytest.mark.parametrize("kwargs, needle", [
    ({"activity_mci": -40.0}, "activity_mci=-40.0"),
    ({"activity_bq": 1.0, "activity_mci": 1.0}, "both given"),
    ({"distance_m": 0.0}, "distance_m=0.0"),
    ({"distance_m": 1.0, "mean_inverse_square_m2": 2.0}, "not both"),
    ({"elapsed_days": -2.0}, "elapsed_days=-2.0"),
    ({"nodes": 10}, "nodes=10"),
])
def test_bad_input_names_the_parameter(kwargs, needle):
    with pytest.raises(InvalidParameterError) as exc:
        TritiumSource(**kwargs)
    assert needle in str(exc.value)
    assert "\n" not in str(exc.value)


def test_activity_decays_with_half_life():
    src = TritiumSource(activity_mci=40.0, distance_m=1.0, elapsed_days=12.32 * 365.25)
    assert src.activity_mci == pytest.approx(20.0, rel=1e-12)


def test_tritium_source_kind():
    from nuem.experiments import experiment_from_document

    c = {"value": 1.0, "source": "t"}
    doc = {"schema_version": 2, "id": "t", "name": "t", "reference": "r", "status": "example",
           "source": {"kind": "tritium"},
           "detector": {"target": "Ge", "mass_kg": c, "live_days_on": c, "live_days_off": c,
                        "resolution": {"sigma_noise_kev": {"value": 0.01, "source": "t"}},
                        "efficiency": {"model": "step",
                                       "threshold_kev": {"value": 0.1, "source": "t"}}},
           "analysis": {"e_min_kev": {"value": 0.1, "source": "t"},
                        "e_max_kev": {"value": 1.1, "source": "t"},
                        "bin_width_kev": {"value": 0.1, "source": "t"}}}
    e = experiment_from_document(doc, "x.toml")
    assert e.flux().total_cm2_s() == pytest.approx(6e14, rel=1e-12)     # MAMMONT default
    doc["source"] = {"kind": "tritium", "activity_mci": {"value": 1.0, "source": "t"},
                     "distance_m": {"value": 0.1, "source": "t"}}
    f = experiment_from_document(doc, "x.toml").flux()
    assert f.total_cm2_s() == pytest.approx(MCI_BQ / (4 * math.pi * 100.0), rel=1e-12)
