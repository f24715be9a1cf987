"""Exact per-segment integration of tabulated fluxes (nuem.sources.flux).

Evidence: closed-form moments of a piecewise-linear function are compared with adaptive
quadrature, and the invariance under inserting nodes on the interpolant (a known failure of
codes that sum tables on their nodes) is checked to machine precision.
"""

import numpy as np
import pytest
from hepunits import MeV
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from nuem.exceptions import InvalidParameterError
from nuem.sources.flux import TabulatedFlux

UNIT = 1.0 / (10.0**2 * 1e9)  # hepunits value of 1 cm^-2 s^-1 (cm = 10 mm, s = 1e9 ns)


def _smooth_table(step_mev=0.02):
    e = np.arange(0.0, 8.0 + step_mev / 2, step_mev)
    return e, 3.0 * e**2 * np.exp(-e)


def test_total_of_triangle_is_exact():
    f = TabulatedFlux([0.0, 1.0, 2.0], [0.0, 2.0, 0.0])
    assert f.total_cm2_s() == pytest.approx(2.0, rel=1e-14)


@pytest.mark.parametrize("x", [0.003, 0.337, 2.5, 7.99])
def test_moments_match_quadrature(x):
    e, y = _smooth_table(0.05)
    f = TabulatedFlux(e, y)
    m = f.moments(np.array([x * MeV]))[:, 0] / UNIT
    inside = e[(e > x) & (e < e[-1])]
    for k in range(3):
        ref = sum(quad(lambda E, k=k: f.dphi_cm2_s_mev(E) * E**-k, a, b, epsabs=0, epsrel=1e-12)[0]
                  for a, b in zip(np.r_[x, inside], np.r_[inside, e[-1]], strict=True))
        assert m[k] == pytest.approx(ref, rel=1e-9)


def test_moments_vanish_above_table_and_saturate_below():
    f = TabulatedFlux([1.0, 2.0, 3.0], [1.0, 1.0, 1.0])
    m = f.moments(np.array([0.5, 3.5]) * MeV) / UNIT
    assert m[0, 0] == pytest.approx(2.0)
    assert m[1, 0] == pytest.approx(np.log(3.0))
    assert m[2, 0] == pytest.approx(1.0 - 1.0 / 3.0)
    assert np.all(m[:, 1] == 0.0)


@settings(max_examples=40, deadline=None)
@given(x=st.floats(min_value=1e-4, max_value=8.0), refine=st.integers(min_value=2, max_value=5))
def test_inserting_nodes_on_the_interpolant_changes_nothing(x, refine):
    e, y = _smooth_table(0.05)
    f = TabulatedFlux(e, y)
    fine_e = np.unique(np.concatenate([np.linspace(a, b, refine + 1)
                                       for a, b in zip(e[:-1], e[1:], strict=True)]))
    g = f.resampled(fine_e)
    mf = f.moments(np.array([x * MeV]))
    mg = g.moments(np.array([x * MeV]))
    np.testing.assert_allclose(mg, mf, rtol=1e-10, atol=1e-14 * np.abs(mf).max())


def test_coarser_sampling_of_smooth_spectrum_is_stable_to_1e4():
    # A smooth spectrum sampled at 5 keV and at 10 keV: linear interpolation converges as h^2,
    # so the moments (hence rates) agree to < 1e-4 even for the 1/E^2 moment at 0.1 MeV.
    e, y = _smooth_table(0.005)
    fine = TabulatedFlux(e, y)
    coarse = TabulatedFlux(e[::2], y[::2])
    x = np.array([0.1, 0.5, 1.0, 3.0]) * MeV
    np.testing.assert_allclose(coarse.moments(x), fine.moments(x), rtol=1e-4)


def test_scaled_to_total():
    e, y = _smooth_table()
    f = TabulatedFlux(e, y).scaled_to_total(1e13)
    assert f.total_cm2_s() == pytest.approx(1e13, rel=1e-12)


@pytest.mark.parametrize(
    ("e", "y", "name"),
    [([1.0], [1.0], "enu_mev"),
     ([1.0, 0.5], [1.0, 1.0], "enu_mev"),
     ([-1.0, 1.0], [1.0, 1.0], "enu_mev"),
     ([0.0, 1.0], [1.0, -1.0], "dphi_cm2_s_mev"),
     ([0.0, 1.0], [1.0, np.nan], "dphi_cm2_s_mev")],
)
def test_bad_tables_are_rejected_naming_the_parameter(e, y, name):
    with pytest.raises(InvalidParameterError, match=name):
        TabulatedFlux(e, y)


def test_unknown_flavor():
    with pytest.raises(InvalidParameterError, match="flavor"):
        TabulatedFlux([0, 1], [1, 1], flavor="sterile")
