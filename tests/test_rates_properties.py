"""Property-based checks of the rates over random valid inputs (hypothesis)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem.rates import differential_rates
from nuem.sources.reactor import reactor_flux

TARGETS = ["Ge", "Si", "Xe", "Ar", "CsI", "NaI", "CF4", "C6F6"]


@pytest.fixture(scope="module")
def flux():
    return reactor_flux(1e13)


@settings(max_examples=60, deadline=None)
@given(target=st.sampled_from(TARGETS),
       t=st.lists(st.floats(min_value=1e-4, max_value=2e4), min_size=1, max_size=5),
       mu=st.one_of(st.just(0.0), st.floats(min_value=1e-60, max_value=1e-8)),
       dq=st.one_of(st.just(0.0), st.floats(min_value=1e-60, max_value=1e-10),
                    st.floats(min_value=-1e-10, max_value=-1e-60)),
       r2=st.floats(min_value=-1e-30, max_value=1e-30),
       atomic=st.sampled_from(["free", "stepping"]))
def test_rates_finite_and_physical(flux, target, t, mu, dq, r2, atomic):
    c = differential_rates(target, flux, t, mu_nu=mu, delta_q=dq, r2_cm2=r2,
                           atomic=atomic).components
    for v in c.values():
        assert np.all(np.isfinite(v))
    for k in ("sm_electron", "magnetic_moment", "cevns", "cevns_magnetic_moment"):
        assert np.all(c[k] >= 0)
    # SM + millicharge is a squared amplitude: never negative (up to rounding).
    total = c["sm_electron"] + c["millicharge"]
    assert np.all(total >= -1e-9 * np.abs(c["millicharge"]))


@settings(max_examples=30, deadline=None)
@given(scale=st.floats(min_value=1e-3, max_value=1e3))
def test_rates_linear_in_flux(flux, scale):
    t = [0.5, 5.0, 50.0]
    a = differential_rates("Ge", flux, t, mu_nu=1e-10).components
    b = differential_rates("Ge", flux.scaled(scale), t, mu_nu=1e-10).components
    for k in a:
        np.testing.assert_allclose(b[k], scale * a[k], rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(mu=st.floats(min_value=1e-13, max_value=1e-8))
def test_magnetic_moment_rate_quadratic_in_mu(flux, mu):
    a = differential_rates("Ge", flux, [3.0], mu_nu=1e-10).components["magnetic_moment"][0]
    b = differential_rates("Ge", flux, [3.0], mu_nu=mu).components["magnetic_moment"][0]
    assert b == pytest.approx(a * (mu / 1e-10) ** 2, rel=1e-10)


def test_denormal_parameters_are_refused_not_rounded(flux):
    from nuem.exceptions import InvalidParameterError
    # mu_nu = 6.36e-151 gave magnetic_moment = -1.25e-286 (float64 underflow) before
    with pytest.raises(InvalidParameterError, match="underflow"):
        differential_rates("Ge", flux, [4000.0], mu_nu=6.36e-151, atomic="free")
