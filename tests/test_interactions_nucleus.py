"""Coherent neutrino-nucleus scattering (nuem.interactions.neutrino_nucleus).

Sources: Wong & Li 2005 Eqs. 8-9; Helm form factor of Lewin & Smith, Astropart. Phys. 6, 87 (1996),
Eqs. 4.7 and 4.11; CODATA 2018 (u, m_e); AME isotope masses via periodictable.
"""

import math

import numpy as np
import pytest
from hepunits import MeV, cm2, keV
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq
from scipy.special import spherical_jn

from nuem.constants import G_FERMI, HBARC2, PI_ALPHA2_OVER_ME2
from nuem.exceptions import InvalidParameterError, UnknownNameError
from nuem.interactions import kinematics as kin
from nuem.interactions import neutrino_nucleus as nn

S2W = 0.23857
UNIT = cm2 / keV


def test_nucleus_mass_codata():
    # M = m_atom u - Z m_e, u = 931.49410242 MeV, m_e = 0.51099895 MeV (CODATA 2018);
    # Ge-74 atomic mass 73.921177761 u (AME, via periodictable).
    m = nn.nucleus_mass(32, 73.921177761) / MeV
    assert m == pytest.approx(73.921177761 * 931.49410242 - 32 * 0.51099895, rel=1e-14)
    z, n, m2 = nn.isotope("Ge74")
    assert (z, n) == (32, 42) and m2 == pytest.approx(m, rel=1e-9)
    assert nn.isotope("74Ge") == nn.isotope("Ge-74") == nn.isotope("Ge74")


def test_helm_normalisation_and_small_q():
    # Lewin & Smith Eq. 4.7: F(0) = 1, F decreasing at small q (F ~ 1 - q^2 <r^2>/6).
    assert float(nn.helm_form_factor(0.0, 73)) == 1.0
    q = np.linspace(0.0, 60.0, 61)
    f = nn.helm_form_factor(q, 73)
    assert np.all(np.diff(f) < 0)


def test_helm_series_matches_bessel():
    # The small-x series of 3 j1(x)/x is continuous with the closed form (spherical_jn).
    x = np.array([1e-8, 1e-3, 0.1, 0.1999, 0.2001, 0.5, 3.0])
    np.testing.assert_allclose(nn._three_j1_over_x(x), 3 * spherical_jn(1, x) / x, rtol=1e-13)


def test_helm_first_zero_xenon():
    # j1 has its first zero at qR0 = 4.4934; Lewin & Smith radius for A = 132 is 5.85 fm, so the
    # F^2 zero is at q ~ 152 MeV, T = q^2/2M ~ 93 keV (Xe recoil minimum near 90-100 keV).
    z, n, m = nn.isotope("Xe132")

    def f(t_kev):
        return float(nn.helm_form_factor(np.sqrt(kin.q2(t_kev * keV, m * MeV)) / MeV, z + n))

    t0 = brentq(f, 50.0, 150.0)
    assert 85.0 < t0 < 100.0


def test_cevns_low_t_limit_ge():
    # Wong & Li 2005 Eq. 8 at T -> 0: (G_F^2/4pi) M Q_W^2, Q_W = Z(1 - 4 sW^2) - N.
    z, n, m = nn.isotope("Ge74")
    qw = z * (1 - 4 * S2W) - n
    expected = G_FERMI**2 / (4 * math.pi) * m * MeV * qw**2 * HBARC2 / UNIT
    val = float(nn.dsigma_dt_cevns(1e-7, 5.0, "Ge74"))
    assert val == pytest.approx(expected, rel=1e-6)
    same = nn.dsigma_dt_cevns(1e-7, 5.0, z=z, n=n, mass_mev=m)
    assert float(same) == val


@pytest.mark.parametrize("iso", ["Ge74", "Xe132", "Ar40"])
def test_cevns_endpoints(iso):
    # Kinematics with the nuclear mass (two-body elastic kinematics): 0 above T_max, > 0 just below.
    _, _, m = nn.isotope(iso)
    tmax = float(kin.t_max_kev(3.0, m))
    for f in (lambda t: nn.dsigma_dt_cevns(t, 3.0, iso),
              lambda t: nn.dsigma_dt_cevns_magnetic_moment(t, 3.0, 1e-10, iso)):
        assert float(f(tmax * (1 + 1e-9))) == 0.0
        assert float(f(tmax * (1 - 1e-9))) > 0.0


@settings(max_examples=150, deadline=None)
@given(t_kev=st.floats(1e-6, 1e4), e_mev=st.floats(1e-3, 20.0), mu=st.floats(0.0, 1e-8),
       iso=st.sampled_from(["Ge70", "Ge72", "Ge73", "Ge74", "Ge76", "Xe132", "Cs133", "I127"]))
def test_cevns_finite_nonnegative_and_coefficient_form(t_kev, e_mev, mu, iso):
    # Wong & Li 2005 Eqs. 8-9 (x F^2): finite, >= 0; coefficient form equals the literal formula.
    z, n, m = nn.isotope(iso)
    sm = float(nn.dsigma_dt_cevns(t_kev, e_mev, iso))
    mm = float(nn.dsigma_dt_cevns_magnetic_moment(t_kev, e_mev, mu, iso))
    assert np.isfinite(sm) and sm >= 0 and np.isfinite(mm) and mm >= 0
    t, e, mass = t_kev * keV, e_mev * MeV, m * MeV
    f2 = nn.helm_form_factor_internal(np.sqrt(kin.q2(t, mass)), z + n) ** 2
    if t <= kin.t_max(e, mass):
        direct = (G_FERMI**2 / (4 * math.pi) * mass * (z * (1 - 4 * S2W) - n) ** 2
                  * (1 - mass * t / (2 * e * e)) * f2 * HBARC2)
        assert sm * UNIT == pytest.approx(direct, rel=1e-12, abs=1e-300)
        direct_mm = PI_ALPHA2_OVER_ME2 * mu**2 * z**2 * ((1 - t / e) / t + t / (4 * e * e)) * f2
        assert mm * UNIT == pytest.approx(direct_mm, rel=1e-12, abs=1e-300)
    else:
        assert sm == 0.0 and mm == 0.0


def test_coefficient_shapes():
    t = np.full((2, 3), 0.1 * keV)
    assert nn.cevns_coefficients(t, 32, 42, 68840.0 * MeV).shape == (3, 2, 3)
    assert nn.cevns_magnetic_moment_coefficients(t, 32, 74, 68840.0 * MeV, 1e-10).shape == (3, 2, 3)


@pytest.mark.parametrize("call, name, exc", [
    (lambda: nn.dsigma_dt_cevns(-1.0, 1.0, "Ge74"), "t_kev", InvalidParameterError),
    (lambda: nn.dsigma_dt_cevns(1e-3, -1.0, "Ge74"), "enu_mev", InvalidParameterError),
    (lambda: nn.dsigma_dt_cevns(1e-3, 1.0, "Qq74"), "isotope", UnknownNameError),
    (lambda: nn.dsigma_dt_cevns(1e-3, 1.0, "Ge"), "isotope", UnknownNameError),
    (lambda: nn.dsigma_dt_cevns(1e-3, 1.0, "Ge74", sin2w=1.5), "sin2w", InvalidParameterError),
    (lambda: nn.dsigma_dt_cevns(1e-3, 1.0, z=32, n=42), "mass_mev", InvalidParameterError),
    (lambda: nn.dsigma_dt_cevns(1e-3, 1.0, z=0, n=42, mass_mev=1e4), "z", InvalidParameterError),
    (lambda: nn.dsigma_dt_cevns(1e-3, 1.0, z=32, n=-1, mass_mev=1e4), "n=", InvalidParameterError),
    (lambda: nn.dsigma_dt_cevns(1e-3, 1.0, z=32, n=42, mass_mev=-1.0), "mass_mev",
     InvalidParameterError),
    (lambda: nn.dsigma_dt_cevns_magnetic_moment(1e-3, 1.0, -1.0, "Ge74"), "mu_nu",
     InvalidParameterError),
    (lambda: nn.helm_form_factor(-1.0, 73), "q_mev", InvalidParameterError),
    (lambda: nn.helm_form_factor(1.0, 72.5), "a=", InvalidParameterError),
])
def test_invalid_inputs(call, name, exc):
    with pytest.raises(exc, match=name):
        call()
