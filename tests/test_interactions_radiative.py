"""Radiative decay nu_i -> nu_j gamma (Wong & Li 2005 Eq. 7; two-body kinematics)."""

import pytest

from nuem.exceptions import InvalidParameterError
from nuem.interactions import lifetime_s, radiative_decay_rate_per_s


def test_reference_rate_5307():
    # Two-body kinematics: Gamma = 5.307 s^-1 (mu/mu_B)^2 (m_i/eV)^3 for m_j = 0.
    assert float(radiative_decay_rate_per_s(1.0, 1.0)) == pytest.approx(5.307, rel=2e-4)
    assert float(radiative_decay_rate_per_s(1e-10, 0.05)) == pytest.approx(
        5.307 * 1e-20 * 0.05**3, rel=2e-4)


def test_final_mass_and_lifetime():
    # Wong & Li 2005 Eq. 7: (m_i^2 - m_j^2)^3 / m_i^3 factor; tau = 1/Gamma.
    r = float(radiative_decay_rate_per_s(1.0, 1.0, 0.5))
    assert r == pytest.approx(5.307 * 0.75**3, rel=2e-4)
    assert float(lifetime_s(1.0, 1.0, 0.5)) == pytest.approx(1.0 / r, rel=1e-14)


@pytest.mark.parametrize("kwargs, name", [
    ({"mu_nu": 1.0, "m_i_ev": 1.0, "m_j_ev": 1.0}, "m_j_ev"),
    ({"mu_nu": 1.0, "m_i_ev": 1.0, "m_j_ev": 2.0}, "m_j_ev"),
    ({"mu_nu": -1.0, "m_i_ev": 1.0}, "mu_nu"),
    ({"mu_nu": 1.0, "m_i_ev": 0.0}, "m_i_ev"),
])
def test_invalid_inputs(kwargs, name):
    with pytest.raises(InvalidParameterError, match=name):
        radiative_decay_rate_per_s(**kwargs)


def test_lifetime_needs_positive_moment():
    with pytest.raises(InvalidParameterError, match="mu_nu"):
        lifetime_s(0.0, 1.0)
