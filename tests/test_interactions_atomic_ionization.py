"""Atomic-ionization models (nuem.interactions.atomic_ionization, nuem.atoms.medium).

Sources: Wong, Li & Lin, PRL 105, 061801 (2010), Eq. 10 (mu_nu EPA, historical; withdrawn by
Voloshin PRL 105, 201801 (2010));
Allison & Cobb, Ann. Rev. Nucl. Part. Sci. 30, 253 (1980) Eq. 28 (PAI); free-electron
delta_Q^2 cross section 2 pi alpha^2 dq^2/(m_e T^2) (Giunti & Studenikin RMP 87, 531 (2015));
J.-W. Chen et al., PRD 90, 011301(R) (2014) (the steeper ~1/T^2 rise of delta_Q).
"""

import numpy as np
import pytest

from nuem.atoms import stepping_electrons_kev
from nuem.atoms.medium import edge_peaks
from nuem.detectors.backgrounds import EC_ISOTOPES
from nuem.exceptions import HistoricalModelWarning, OutOfRangeError
from nuem.interactions import atomic_ionization as ion
from nuem.interactions.millicharge import dsigma_dt_millicharge_pure
from nuem.interactions.neutrino_electron import dsigma_dt_magnetic_moment


def test_epa_warns_and_is_wong2010_eq10():
    from nuem.atoms.photoabsorption import sigma_gamma_cm2
    with pytest.warns(HistoricalModelWarning, match="Voloshin"):
        got = float(ion.dsigma_dt_magnetic_moment_epa(1.3, 2.0, 1e-10))
    alpha, me_kev = 1 / 137.035999084, 510.99895
    ref = 1e-20 * alpha / np.pi * (2000.0 / me_kev) ** 2 * float(sigma_gamma_cm2("Ge", 1.3)) / 1.3
    assert got == pytest.approx(ref, rel=1e-9)


def test_epa_exceeds_free_by_1e3_at_1p3_kev():
    with pytest.warns(HistoricalModelWarning):
        epa = float(ion.dsigma_dt_magnetic_moment_epa(1.3, 2.0, 1e-10))
    free = float(stepping_electrons_kev(32, 1.3) * dsigma_dt_magnetic_moment(1.3, 2.0, 1e-10))
    assert epa / free > 1e3


@pytest.mark.parametrize(("t_kev", "tol"), [(70.0, 0.05), (100.0, 0.03), (300.0, 0.01)])
def test_pai_tends_to_free_electrons(t_kev, tol):
    # T << E_nu; "free" on all Z = 32 electrons. At 50 keV the K-shell dipole (distant) term
    # sigma_gamma(T)/T ln(...) still adds 8 % (decreasing ~T^-2), see docs/atomic_models.md.
    pai = float(ion.dsigma_dt_millicharge_pai(t_kev, 8.0, 1e-12))
    free = 32 * float(dsigma_dt_millicharge_pure(t_kev, 8.0, 1e-12))
    assert pai / free == pytest.approx(1.0, abs=tol)
    assert pai >= free * 0.995
    r50 = float(ion.dsigma_dt_millicharge_pai(50.0, 8.0, 1e-12)) \
        / (32 * float(dsigma_dt_millicharge_pure(50.0, 8.0, 1e-12)))
    assert 1.0 < r50 < 1.10


def test_pai_independent_of_enu_for_small_t():
    a = ion.dsigma_dt_millicharge_pai([0.3, 3.0], 2.0, 1e-12)
    b = ion.dsigma_dt_millicharge_pai([0.3, 3.0], 8.0, 1e-12)
    np.testing.assert_allclose(a, b, rtol=2e-3)


def test_pai_rises_faster_than_one_over_t_toward_100_ev():
    t = np.array([0.1, 1.0])
    p = ion.dsigma_dt_millicharge_pai(t, 4.0, 1e-12)
    slope = np.log(p[0] / p[1]) / np.log(10.0)
    assert slope > 1.5           # ~T^-2.2 over 0.1-1 keV
    free = 32 * dsigma_dt_millicharge_pure(0.2, 4.0, 1e-12)
    assert float(ion.dsigma_dt_millicharge_pai(0.2, 4.0, 1e-12)) > 2 * float(free)


def test_ww_is_below_pai_and_kinematic_cut():
    assert float(ion.dsigma_dt_millicharge_ww(1.5, 4.0, 1e-12)) \
        < float(ion.dsigma_dt_millicharge_pai(1.5, 4.0, 1e-12))
    assert float(ion.dsigma_dt_millicharge_pai(100.0, 0.1, 1e-12)) == 0.0  # E_nu < E_min


def test_out_of_range_below_10_ev():
    with pytest.raises(OutOfRangeError, match="t_kev"):
        ion.dsigma_dt_millicharge_pai(0.005, 2.0, 1e-12)
    assert float(ion.dsigma_dt_millicharge_pai(0.005, 2.0, 1e-12, outside="zero")) == 0.0


def test_edge_peak_ratios_differ_from_electron_capture():
    r = edge_peaks("Ge")
    # ENSDF calculated capture fractions: 68Ge L/K 0.1143/0.8645, 71Ge 0.1049/0.8759
    assert EC_ISOTOPES["Ge68"].l_to_k == pytest.approx(0.1322, abs=1e-4)
    assert EC_ISOTOPES["Ge71"].l_to_k == pytest.approx(0.1198, abs=1e-4)
    assert r["peak_ratios"]["L/K"] > 100 > 1 > EC_ISOTOPES["Ge68"].l_to_k
    assert {e["shell"] for e in r["edges"]} >= {"K", "L1", "L2", "L3"}
