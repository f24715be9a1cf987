"""Elastic kinematics (nuem.interactions.kinematics).

Sources: two-body kinematics (T_max = 2E^2/(M + 2E), E_min = [T + sqrt(T^2 + 2MT)]/2);
the two are inverse functions, checked by property-based round trips.
"""

import math

import numpy as np
import pytest
from hepunits import MeV, keV
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem.constants import ELECTRON_MASS
from nuem.exceptions import InvalidParameterError
from nuem.interactions import kinematics as kin

ME_MEV = 0.51099895  # CODATA 2018


def test_t_max_on_electron_hand_value():
    # Two-body kinematics: 1 MeV on an electron -> 2/(0.51099895 + 2) MeV.
    assert float(kin.t_max_kev(1.0, ME_MEV)) == pytest.approx(2000.0 / (ME_MEV + 2.0), rel=1e-14)


def test_enu_min_hand_value():
    # two-body kinematics at T = 10 keV on an electron.
    t = 0.01
    expected = 0.5 * (t + math.sqrt(t * t + 2 * ME_MEV * t))
    assert float(kin.enu_min_mev(10.0)) == pytest.approx(expected, rel=1e-14)


@settings(max_examples=300, deadline=None)
@given(e_mev=st.floats(1e-3, 20.0), mass_mev=st.sampled_from([ME_MEV, 938.272, 67654.0, 1.2e5]))
def test_round_trip_enu_min_of_t_max(e_mev, mass_mev):
    # E_min(T_max(E)) = E: the two formulas of two-body kinematics are inverses. Holds to
    # rounding even for T/M ~ 1e-10 (eV recoils on heavy nuclei) thanks to the stable form.
    t = kin.t_max(e_mev * MeV, mass_mev * MeV)
    assert kin.enu_min(t, mass_mev * MeV) / MeV == pytest.approx(e_mev, rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(t_kev=st.floats(1e-6, 1e4))
def test_round_trip_t_max_of_enu_min(t_kev):
    e = kin.enu_min(t_kev * keV, ELECTRON_MASS)
    assert kin.t_max(e, ELECTRON_MASS) / keV == pytest.approx(t_kev, rel=1e-12)


def test_q2_is_exact_three_momentum():
    # |q|^2 = T^2 + 2MT for elastic scattering (q0 = T, -q.q = 2MT).
    assert kin.q2(2.0, 3.0) == pytest.approx(16.0)


def test_evaluate_polynomial_zero_above_t_max():
    t = np.array([0.1, 0.9]) * MeV
    coef = np.ones((3, 2))
    val = kin.evaluate_polynomial(coef, t, 1.0 * MeV, ELECTRON_MASS)  # T_max = 0.7965 MeV
    assert val[0] == pytest.approx(3.0) and val[1] == 0.0


@pytest.mark.parametrize("func, kwargs, name", [
    (kin.t_max_kev, {"enu_mev": -1.0}, "enu_mev"),
    (kin.t_max_kev, {"enu_mev": 1.0, "mass_mev": 0.0}, "mass_mev"),
    (kin.enu_min_mev, {"t_kev": -1.0}, "t_kev"),
    (kin.enu_min_mev, {"t_kev": np.nan}, "t_kev"),
])
def test_invalid_inputs_name_the_parameter(func, kwargs, name):
    with pytest.raises(InvalidParameterError, match=name):
        func(**kwargs)
