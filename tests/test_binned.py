"""Counts in bins (nuem.binned): accuracy against adaptive quadrature, exposure scaling."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from nuem.binned import counts_in_bins
from nuem.exceptions import InvalidParameterError
from nuem.rates import differential_rates
from nuem.sources.reactor import reactor_flux


@pytest.fixture(scope="module")
def flux():
    return reactor_flux(1e13)


def _quad_counts(flux, lo, hi, comp, breaks=(), **kw):
    pts = sorted({lo, hi, *[b for b in breaks if lo < b < hi]})
    def f(t):
        return differential_rates("Ge", flux, [t], **kw).components[comp][0]
    return sum(quad(f, a, b, epsrel=1e-10, epsabs=0, limit=400)[0]
               for a, b in zip(pts[:-1], pts[1:], strict=True))


@pytest.mark.parametrize(("lo", "hi", "comp"), [
    (0.2, 2.0, "magnetic_moment"),        # crosses the Ge L edges (stepping)
    (10.0, 12.0, "sm_electron"),          # crosses the K edge at 11.103 keV
    (0.3, 1.0, "millicharge"),            # ~1/T^2 (stepping; PAI: tests/test_rates_atomic.py)
    (0.05, 1.0, "cevns"),
])
def test_bin_integral_matches_quadrature(flux, lo, hi, comp):
    kw = {"mu_nu": 1e-10, "delta_q": 1e-12, "atomic": "stepping"}
    edges = (1.2167, 1.2478, 1.4143, 11.1031)  # xraylib Ge L3, L2, L1, K edges (keV)
    got = counts_in_bins("Ge", flux, [lo, hi], 1.0, **kw)[comp][0]
    assert got == pytest.approx(_quad_counts(flux, lo, hi, comp, edges, **kw), rel=1e-7)


@settings(max_examples=15, deadline=None)
@given(exposure=st.floats(min_value=0.0, max_value=1e4))
def test_counts_scale_linearly_with_exposure(flux, exposure):
    one = counts_in_bins("Ge", flux, [1.0, 2.0, 5.0], 1.0, mu_nu=1e-10)
    many = counts_in_bins("Ge", flux, [1.0, 2.0, 5.0], exposure, mu_nu=1e-10)
    np.testing.assert_allclose(many["magnetic_moment"], exposure * one["magnetic_moment"],
                               rtol=1e-12)


def test_bins_are_additive(flux):
    a = counts_in_bins("Ge", flux, [1.0, 3.0, 10.0], 1.0, mu_nu=1e-10)
    b = counts_in_bins("Ge", flux, [1.0, 10.0], 1.0, mu_nu=1e-10)
    assert a["magnetic_moment"].sum() == pytest.approx(b["magnetic_moment"][0], rel=1e-9)


@pytest.mark.parametrize(("edges", "exposure", "match"), [
    ([1.0], 1.0, "edges_kev"), ([2.0, 1.0], 1.0, "edges_kev"), ([0.0, 1.0], 1.0, "edges_kev"),
    ([1.0, 2.0], -1.0, "exposure_kg_day")])
def test_bad_bins(flux, edges, exposure, match):
    with pytest.raises(InvalidParameterError, match=match):
        counts_in_bins("Ge", flux, edges, exposure)


@pytest.mark.parametrize("kwargs, needle", [
    ({"max_log_step": 0.0}, "max_log_step=0.0"),
    ({"max_log_step": float("nan")}, "max_log_step=nan"),
    ({"n_nodes": 0}, "n_nodes=0"),
    ({"n_nodes": 2.5}, "n_nodes=2.5"),
])
def test_quadrature_settings_are_validated_by_name(flux, kwargs, needle):
    with pytest.raises(InvalidParameterError) as exc:
        counts_in_bins("Ge", flux, [1.0, 2.0], 1.0, mu_nu=1e-11, **kwargs)
    assert needle in str(exc.value) and "\n" not in str(exc.value)
