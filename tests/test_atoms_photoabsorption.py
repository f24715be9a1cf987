"""Photoabsorption sigma_gamma (nuem.atoms.photoabsorption) and the dielectric function.

Sources: Henke, Gullikson & Davis, ADNDT 54, 181 (1993) (periodictable.xsf); Elam, Ravel &
Sieber, Radiat. Phys. Chem. 63, 121 (2002) (xraylib CSb_Photo); Ge edges K 11.103 keV,
L3 1.217 keV (xraylib EdgeEnergy; docs/targets.md); TRK sum rule (Fano & Cooper, RMP 40,
441 (1968)).
"""

import numpy as np
import pytest
import xraylib

from nuem.atoms import photoabsorption as pa
from nuem.atoms.dielectric import dielectric_function, plasma_energy_kev
from nuem.exceptions import InvalidParameterError, OutOfRangeError, UnknownNameError


@pytest.mark.parametrize("e_kev", [1.0, 11.2])
def test_ge_sigma_within_7_percent_of_elam_and_henke(e_kev):
    elam = xraylib.CSb_Photo(32, e_kev) * 1e-24
    henke = float(pa.sigma_gamma_element_cm2(32, e_kev, "henke"))
    got = float(pa.sigma_gamma_cm2("Ge", e_kev))
    assert got == pytest.approx(elam, rel=0.07)
    assert got == pytest.approx(henke, rel=0.07)
    assert float(pa.sigma_gamma_cm2("Ge", e_kev, "elam")) == pytest.approx(elam, rel=1e-3)


@pytest.mark.parametrize("source", pa.SOURCES)
@pytest.mark.parametrize(("lo", "hi", "edge"), [(10.5, 11.7, 11.103), (1.15, 1.24, 1.217)])
def test_edges_at_the_right_energies(source, lo, hi, edge):
    e = np.geomspace(lo, hi, 4000)
    s = pa.sigma_gamma_cm2("Ge", e, source)
    jump = np.argmax(np.diff(np.log(s)))
    assert e[jump] == pytest.approx(edge, abs=0.002)
    up, down = pa.sigma_gamma_cm2("Ge", [e[jump] + 0.003, e[jump] - 0.003], source)
    assert up / down > 2.0


def test_trk_sum_rule_within_table_coverage():
    # Tables start at 10 eV: part of the oscillator strength of the 4 Ge valence electrons lies
    # below (Ge eps2 peaks at ~4.5 eV), so N_eff < Z by up to ~2; tolerance 0.90-1.02 Z.
    n = pa.trk_electrons("Ge")
    assert 0.90 * 32 <= n <= 1.02 * 32
    assert pa.TRK_CM2_KEV_PER_ELECTRON == pytest.approx(1.0976e-19, rel=1e-3)


def test_composite_is_continuous_across_the_blend():
    lo, hi = pa._blend_window(32)
    e = np.geomspace(lo * 0.9, hi * 1.1, 500)
    s = pa.sigma_gamma_cm2("Ge", e)
    assert np.max(np.abs(np.diff(np.log(s)))) < 0.01


def test_below_10_ev_raises_unless_cut():
    with pytest.raises(OutOfRangeError, match="e_kev"):
        pa.sigma_gamma_cm2("Ge", 0.005)
    with pytest.raises(OutOfRangeError, match="e_kev"):
        pa.sigma_gamma_cm2("Ge", 50.0, "henke")
    assert float(pa.sigma_gamma_cm2("Ge", 0.005, outside="zero")) == 0.0


def test_bad_source_and_compound():
    with pytest.raises(UnknownNameError, match="source"):
        pa.sigma_gamma_cm2("Ge", 1.0, "ffast")
    csi = float(pa.sigma_gamma_cm2("CsI", 30.0, "elam"))
    assert csi == pytest.approx((xraylib.CSb_Photo(55, 30.0) + xraylib.CSb_Photo(53, 30.0))
                                * 1e-24, rel=1e-3)


def test_dielectric_function_limits():
    # eps1 -> 1 - (hbar omega_p/E)^2 far above all edges (free-electron limit), 44 eV for Ge
    wp = plasma_energy_kev("Ge")
    assert wp * 1e3 == pytest.approx(44.1, abs=0.3)
    eps = dielectric_function("Ge", [100.0, 500.0])
    np.testing.assert_allclose(1 - eps.real, (wp / np.array([100.0, 500.0])) ** 2, rtol=0.03)
    assert np.all(eps.imag > 0)
    with pytest.raises(InvalidParameterError, match="density_g_cm3"):
        dielectric_function("CF4", 1.0)  # a gas: density depends on pressure
