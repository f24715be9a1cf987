"""Neutrino-electron scattering (nuem.interactions.neutrino_electron).

Sources cited per test: Wong & Li, Mod. Phys. Lett. A 20, 1103 (2005), Eqs. 4-6; Wong, Li &
Lin, PRL 105, 061801 (2010), Eq. 2;
CODATA 2018 / PDG constants, Giunti & Studenikin, RMP 87, 531 (2015) (millicharge, charge
radius), Vogel & Engel, PRD 39, 3378 (1989) (charge radius normalisation).
"""

import math

import numpy as np
import pytest
from hepunits import MeV, cm2, eV, keV
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nuem.constants import (
    ALPHA,
    BOHR_MAGNETON,
    ELECTRON_MASS,
    G_FERMI,
    GF2_ME_OVER_2PI,
    HBARC2,
    PI_ALPHA2_OVER_ME2,
    W_MASS,
)
from nuem.exceptions import InvalidParameterError
from nuem.interactions import kinematics as kin
from nuem.interactions import millicharge as mq
from nuem.interactions import neutrino_electron as ne

S2W = 0.23857  # PDG low-Q^2 MS-bar, the default assumed throughout
ME_MEV = 0.51099895
UNIT = cm2 / keV

t_kev_st = st.floats(1e-6, 1e4)
enu_st = st.floats(1e-3, 20.0)
flavor_st = st.sampled_from(ne.FLAVORS)


def _direct_sm(t, e, g_v, g_a):
    """Wong & Li 2005 Eq. 4 written out literally (hepunits)."""
    return GF2_ME_OVER_2PI * ((g_v + g_a) ** 2 + (g_v - g_a) ** 2 * (1 - t / e) ** 2
                              + (g_a**2 - g_v**2) * ELECTRON_MASS * t / e**2)


def _scale(coef, e):
    return abs(coef[0]) + abs(coef[1] / e) + abs(coef[2] / e**2)


# ---- constants and units -------------------------------------------------------------------

def test_handy_numbers():
    # CODATA 2018 / PDG: G_F^2 m_e/(2 pi) = 4.308e-45 cm^2/MeV; pi alpha^2/m_e^2 = 2.4947e-25
    # cm^2; mu_B = e/(2 m_e) = 2.963e-7 eV^-1 in Heaviside-Lorentz units.
    assert GF2_ME_OVER_2PI / (cm2 / MeV) == pytest.approx(4.308e-45, rel=2e-4)
    assert PI_ALPHA2_OVER_ME2 / cm2 == pytest.approx(2.4947e-25, rel=1e-4)
    assert BOHR_MAGNETON * eV == pytest.approx(2.963e-7, rel=1e-3)


def test_magnetic_moment_prefactor_is_heaviside_lorentz():
    # Wong & Li 2005 Eq. 6 prefactor pi alpha^2/m_e^2 = alpha mu_B^2 with mu_B^2 = pi alpha/m_e^2
    # (HL, e^2 = 4 pi alpha). A Gaussian mu_B (e^2 = alpha) would be sqrt(4 pi) smaller.
    hl = ALPHA * BOHR_MAGNETON**2 * HBARC2
    assert PI_ALPHA2_OVER_ME2 == pytest.approx(hl, rel=1e-14)
    gaussian = ALPHA * (BOHR_MAGNETON / math.sqrt(4 * math.pi)) ** 2 * HBARC2
    assert PI_ALPHA2_OVER_ME2 / gaussian == pytest.approx(4 * math.pi, rel=1e-14)
    # and the cross section uses it with mu_nu in mu_B: (1/T - 1/E) at T=10 keV, E=2 MeV
    val = float(ne.dsigma_dt_magnetic_moment(10.0, 2.0, mu_nu=1e-10))
    assert val == pytest.approx(2.4947e-25 * 1e-20 * (1 / 10.0 - 1 / 2000.0), rel=1e-4)


# ---- couplings -------------------------------------------------------------------------------

@pytest.mark.parametrize("flavor, gv, ga", [
    ("nue", 0.5 + 2 * S2W, 0.5), ("nuebar", 0.5 + 2 * S2W, -0.5),
    ("numu", -0.5 + 2 * S2W, -0.5), ("numubar", -0.5 + 2 * S2W, 0.5),
    ("nutau", -0.5 + 2 * S2W, -0.5), ("nutaubar", -0.5 + 2 * S2W, 0.5),
])
def test_couplings_wong_li_2005_eq5(flavor, gv, ga):
    assert ne.couplings(flavor, S2W) == pytest.approx((gv, ga), abs=1e-15)


# ---- SM and coefficient form ------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(t_kev=t_kev_st, e_mev=enu_st, flavor=flavor_st, shift=st.floats(-2.0, 2.0))
def test_coefficients_equal_direct_formula(t_kev, e_mev, flavor, shift):
    # Wong & Li 2005 Eq. 4 expanded in 1/E_nu equals the literal formula to 1e-12 (term scale).
    t, e = t_kev * keV, e_mev * MeV
    g_v, g_a = ne.couplings(flavor, S2W)
    coef = ne.sm_coefficients(t, flavor, S2W, shift)
    poly = coef[0] + coef[1] / e + coef[2] / e**2
    assert poly == pytest.approx(_direct_sm(t, e, g_v + shift, g_a), abs=1e-12 * _scale(coef, e))


@pytest.mark.parametrize("flavor", ne.FLAVORS)
def test_sm_zero_above_t_max_positive_below(flavor):
    # Two-body kinematics: T_max(1 MeV) = 796.496 keV on an electron.
    tmax = float(kin.t_max_kev(1.0))
    assert float(ne.dsigma_dt_sm(tmax * (1 + 1e-9), 1.0, flavor)) == 0.0
    assert float(ne.dsigma_dt_sm(tmax * (1 - 1e-9), 1.0, flavor)) > 0.0
    assert float(ne.dsigma_dt_magnetic_moment(tmax * (1 + 1e-9), 1.0, 1e-10)) == 0.0
    assert float(ne.dsigma_dt_magnetic_moment(tmax * (1 - 1e-9), 1.0, 1e-10)) > 0.0
    assert float(mq.dsigma_dt_millicharge_pure(tmax * (1 + 1e-9), 1.0, 1e-12)) == 0.0
    assert float(mq.dsigma_dt_millicharge_pure(tmax * (1 - 1e-9), 1.0, 1e-12)) > 0.0


def test_sm_hand_value_nuebar():
    # Wong & Li 2005 Eq. 4 with 4.308e-45 cm^2/MeV (CODATA 2018 / PDG), nuebar, T=1 keV, E=1 MeV.
    g_v, g_a = 0.5 + 2 * S2W, -0.5
    br = (g_v + g_a) ** 2 + (g_v - g_a) ** 2 * 0.999**2 + (g_a**2 - g_v**2) * ME_MEV * 1e-3
    assert float(ne.dsigma_dt_sm(1.0, 1.0, "nuebar")) == pytest.approx(4.308e-48 * br, rel=2e-4)


def test_broadcasting_shapes():
    t = np.array([1.0, 10.0, 100.0])[:, None]
    e = np.array([0.5, 1.0, 2.0, 4.0])[None, :]
    assert ne.dsigma_dt_sm(t, e).shape == (3, 4)
    assert ne.sm_coefficients(np.ones((2, 5)), "nue").shape == (3, 2, 5)
    assert mq.millicharge_difference_coefficients(np.ones(7), 1e-12, "nue").shape == (3, 7)


def test_mu_nu_over_sm_ratio_is_order_ten():
    # Wong & Li 2005 Fig. 4 / section 4.3: at 1e-10 mu_B the mu_nu term dominates SM(nuebar-e)
    # in the keV range; per electron at T = 10 keV, E_nu = 1-2 MeV, the ratio is ~24.
    for e in (1.0, 1.5, 2.0):
        ratio = ne.dsigma_dt_magnetic_moment(10.0, e, 1e-10) / ne.dsigma_dt_sm(10.0, e, "nuebar")
        assert 10.0 < float(ratio) < 40.0


@settings(max_examples=300, deadline=None)
@given(t_kev=t_kev_st, e_mev=enu_st, flavor=flavor_st, mu=st.floats(0.0, 1e-8),
       dq=st.floats(-1e-10, 1e-10), r2=st.floats(-1e-30, 1e-30))
def test_all_cross_sections_finite_and_nonnegative(t_kev, e_mev, flavor, mu, dq, r2):
    # Squared amplitudes are >= 0 in the physical region (two-body elastic kinematics); the delta_Q
    # difference alone can be negative (destructive interference) and is only required finite.
    vals = [ne.dsigma_dt_sm(t_kev, e_mev, flavor, r2_cm2=r2),
            ne.dsigma_dt_magnetic_moment(t_kev, e_mev, mu),
            mq.dsigma_dt_sm_millicharge(t_kev, e_mev, dq, flavor, r2_cm2=r2),
            mq.dsigma_dt_millicharge_pure(t_kev, e_mev, dq)]
    for v in vals:
        assert np.isfinite(v) and v >= 0.0
    assert np.isfinite(mq.dsigma_dt_millicharge_difference(t_kev, e_mev, dq, flavor, r2_cm2=r2))


# ---- charge radius -----------------------------------------------------------------------------

def test_charge_radius_canonical_0_02380():
    # Vogel & Engel PRD 39, 3378 (1989); Giunti & Studenikin RMP 87, 531 (2015): x = 0.02380 per
    # 1e-32 cm^2 (two-body elastic kinematics).
    assert float(ne.charge_radius_gv_shift(1e-32)) == pytest.approx(0.02380, rel=5e-4)
    assert float(ne.charge_radius_gv_shift(-2e-32)) == pytest.approx(-0.04760, rel=5e-4)


def test_charge_radius_tree_level_matches_at_tree_level_sin2w():
    # Wong & Li 2005 after Eq. 5: x = (2/3) M_W^2 sW^2 <r^2>; equal to the canonical form when
    # G_F/sqrt2 = pi alpha/(2 sW^2 M_W^2), i.e. sW^2 = pi alpha/(sqrt2 G_F M_W^2).
    s2_tree = math.pi * ALPHA / (math.sqrt(2) * G_FERMI * W_MASS**2)
    a = ne.charge_radius_gv_shift(1e-32, "tree-level", s2_tree)
    b = ne.charge_radius_gv_shift(1e-32, "canonical")
    assert float(a) == pytest.approx(float(b), rel=1e-12)
    assert float(ne.charge_radius_gv_shift(1e-32, "tree-level", S2W)) == pytest.approx(
        0.02638, rel=1e-3)


def test_charge_radius_shifts_gv_in_sm():
    # Wong & Li 2005 after Eq. 5: g_V -> g_V + x, same for nu and nubar.
    x = float(ne.charge_radius_gv_shift(1e-32))
    g_v, g_a = ne.couplings("nuebar", S2W)
    direct = _direct_sm(1 * keV, 1 * MeV, g_v + x, g_a) / UNIT
    assert float(ne.dsigma_dt_sm(1.0, 1.0, "nuebar", r2_cm2=1e-32)) == pytest.approx(direct,
                                                                                     rel=1e-12)


# ---- millicharge -------------------------------------------------------------------------------

def test_millicharge_gv_shift_sign_and_size():
    # Derived in the module docstring: g_V -> g_V - sqrt2 pi alpha dQ/(G_F m_e T); the size is
    # that of Giunti & Studenikin RMP 87, 531 (2015). At T = 10 keV, dQ = 1e-12: -0.544.
    d = mq.millicharge_gv_shift(10 * keV, 1e-12)
    assert d == pytest.approx(-math.sqrt(2) * math.pi * ALPHA * 1e-12
                              / (G_FERMI * ELECTRON_MASS * 10 * keV), rel=1e-14)
    assert d == pytest.approx(-0.544, rel=2e-3)


def test_pure_term_small_t_limit():
    # Giunti & Studenikin RMP 87, 531 (2015): pure term -> 2 pi alpha^2 dQ^2/(m_e T^2), T << E.
    t_kev, dq = 0.1, 3e-13
    limit = 2 * PI_ALPHA2_OVER_ME2 * dq**2 / (ELECTRON_MASS * (t_kev * keV) ** 2) / UNIT
    assert float(mq.dsigma_dt_millicharge_pure(t_kev, 10.0, dq)) == pytest.approx(limit, rel=1e-4)


@settings(max_examples=200, deadline=None)
@given(t_kev=st.floats(1e-3, 1e3), e_mev=st.floats(0.1, 20.0), flavor=flavor_st,
       dq=st.floats(-1e-11, 1e-11), r2=st.floats(-1e-31, 1e-31))
def test_difference_plus_sm_equals_shifted_sm(t_kev, e_mev, flavor, dq, r2):
    # The algebraic difference + SM(+<r^2>) = SM with g_V shifted by x + d (Wong & Li 2005 Eq. 4).
    assume(t_kev <= float(kin.t_max_kev(e_mev)))
    kw = {"r2_cm2": r2}
    total = mq.dsigma_dt_sm_millicharge(t_kev, e_mev, dq, flavor, **kw)
    parts = mq.dsigma_dt_millicharge_difference(t_kev, e_mev, dq, flavor, **kw) \
        + ne.dsigma_dt_sm(t_kev, e_mev, flavor, **kw)
    t, e = t_kev * keV, e_mev * MeV
    scale = _scale(mq.sm_millicharge_coefficients(t, dq, flavor, S2W,
                                                  ne.charge_radius_gv_shift_internal(r2)), e)
    scale += _scale(ne.sm_coefficients(t, flavor, S2W), e)
    assert float(parts) == pytest.approx(float(total), abs=1e-12 * scale / UNIT)


def test_flipping_delta_q_flips_interference():
    # Interference is odd in dQ, the pure term even (Giunti & Studenikin RMP 87, 531 (2015)).
    t, e = np.array([0.5, 5.0, 50.0]), 1.5
    plus = mq.dsigma_dt_millicharge_difference(t, e, 2e-13, "nuebar")
    minus = mq.dsigma_dt_millicharge_difference(t, e, -2e-13, "nuebar")
    pure = mq.dsigma_dt_millicharge_pure(t, e, 2e-13)
    np.testing.assert_allclose(0.5 * (plus + minus), pure, rtol=1e-9)
    interference = 0.5 * (plus - minus)
    assert np.all(interference < 0)  # dQ > 0 lowers g_V of nuebar (g_V > 0): destructive


def test_difference_is_algebraic_for_tiny_delta_q():
    # Not a difference of two large numbers: linear in dQ down to dQ = 1e-22 (interference).
    a = float(mq.dsigma_dt_millicharge_difference(10.0, 2.0, 1e-22))
    b = float(mq.dsigma_dt_millicharge_difference(10.0, 2.0, 1e-21))
    assert a != 0.0 and a / b == pytest.approx(0.1, rel=1e-8)


# ---- validation --------------------------------------------------------------------------------

@pytest.mark.parametrize("call, name", [
    (lambda: ne.dsigma_dt_sm(-1.0, 1.0), "t_kev"),
    (lambda: ne.dsigma_dt_sm(1.0, 0.0), "enu_mev"),
    (lambda: ne.dsigma_dt_sm(1.0, 1.0, "nux"), "flavor"),
    (lambda: ne.dsigma_dt_sm(1.0, 1.0, sin2w=1.0), "sin2w"),
    (lambda: ne.dsigma_dt_sm(1.0, 1.0, sin2w=0.0), "sin2w"),
    (lambda: ne.dsigma_dt_sm(1.0, 1.0, r2_cm2=float("nan")), "r2_cm2"),
    (lambda: ne.dsigma_dt_sm(1.0, 1.0, r2_cm2=1e-32, r2_convention="x"), "r2_convention"),
    (lambda: ne.dsigma_dt_magnetic_moment(1.0, 1.0, -1e-10), "mu_nu"),
    (lambda: mq.dsigma_dt_millicharge_difference(1.0, 1.0, float("inf")), "delta_q"),
    (lambda: ne.dsigma_dt_sm([1.0, 2.0], [1.0, 2.0, 3.0]), "t_kev"),
    (lambda: ne.couplings("nu_e"), "flavor"),
    (lambda: ne.charge_radius_gv_shift(1e-32, "other"), "convention"),
])
def test_invalid_inputs_name_the_parameter(call, name):
    with pytest.raises(InvalidParameterError, match=name):
        call()
