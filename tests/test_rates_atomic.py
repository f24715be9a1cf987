"""Atomic models in the rates engine (nuem.rates, nuem.binned) and generalised flux moments.

Sources: Wong, Li & Lin, PRL 105, 061801 (2010), Eq. 10 (historical EPA) and "several orders of
magnitude" above FE at atomic-scale T; stepping = free above the K edge (Kopeikin et al. 1997);
PAI default for delta_Q.
"""

import numpy as np
import pytest
from hepunits import MeV
from scipy.integrate import quad

from nuem.binned import counts_in_bins
from nuem.exceptions import HistoricalModelWarning, InvalidParameterError
from nuem.rates import differential_rates, resolve_atomic_models
from nuem.sources.flux import TabulatedFlux
from nuem.sources.reactor import reactor_flux

UNIT = 1.0 / (10.0**2 * 1e9)


@pytest.fixture(scope="module")
def flux():
    return reactor_flux(1e13)


@pytest.mark.parametrize("x", [0.2, 1.3, 4.0])
def test_general_moments_match_quadrature(x):
    e = np.linspace(0.1, 8.0, 120)
    f = TabulatedFlux(e, 3.0 * e**2 * np.exp(-e))
    powers = (-2, -1, 0, 1, 2, 3)
    m = f.moments(np.array([x * MeV]), powers=powers)[:, 0] / UNIT
    for i, k in enumerate(powers):
        ref = quad(lambda en, k=k: f.dphi_cm2_s_mev(en) * en**-k * MeV**k, x, 8.0,
                   points=e[(e > x)], limit=500, epsrel=1e-12)[0]
        assert m[i] == pytest.approx(ref, rel=1e-8)
    np.testing.assert_allclose(f.moments(np.array([x * MeV]), powers=(0, 1, 2)),
                               f.moments(np.array([x * MeV])), rtol=1e-14)


def test_epa_rate_exceeds_free_and_warns(flux):
    with pytest.warns(HistoricalModelWarning):
        epa = differential_rates("Ge", flux, [1.3], mu_nu=1e-10, atomic="epa")
    free = differential_rates("Ge", flux, [1.3], mu_nu=1e-10, atomic="free")
    ratio = epa.components["magnetic_moment"][0] / free.components["magnetic_moment"][0]
    assert ratio > 1e3
    assert epa.parameters["atomic_models"]["magnetic_moment"] == "epa"
    assert epa.parameters["atomic_models"]["sm_electron"] == "stepping"


def test_stepping_equals_free_above_k_edge(flux):
    t = [11.2, 20.0, 60.0]
    s = differential_rates("Ge", flux, t, mu_nu=1e-10, atomic="stepping").components
    f = differential_rates("Ge", flux, t, mu_nu=1e-10, atomic="free").components
    for c in ("sm_electron", "magnetic_moment"):
        np.testing.assert_allclose(s[c], f[c], rtol=1e-12)


def test_defaults_and_recording(flux):
    r = differential_rates("Ge", flux, [0.3], delta_q=1e-12)
    assert r.parameters["atomic_models"] == {"sm_electron": "stepping",
                                             "magnetic_moment": "stepping",
                                             "millicharge": "pai"}
    st = differential_rates("Ge", flux, [0.3], delta_q=1e-12, atomic="stepping")
    assert r.components["millicharge"][0] > 3 * st.components["millicharge"][0]
    assert differential_rates("Ge", flux, [5.0]).parameters["atomic"] == "stepping"


@pytest.mark.parametrize(("atomic", "kw"), [
    ("pai", {"mu_nu": 1e-10}), ("epa", {"delta_q": 1e-12}),
    ({"magnetic_moment": "pai"}, {}), ({"sm_electron": "epa"}, {})])
def test_invalid_combinations(flux, atomic, kw):
    with pytest.raises(InvalidParameterError, match="atomic"):
        differential_rates("Ge", flux, [1.0], atomic=atomic, **kw)


def test_resolve_string_models():
    assert resolve_atomic_models("pai", delta_q=1e-12)["millicharge"] == "pai"
    assert resolve_atomic_models("free") == dict.fromkeys(
        ("sm_electron", "magnetic_moment", "millicharge"), "free")


def test_binned_pai_matches_quadrature(flux):
    kw = {"delta_q": 1e-12}
    got = counts_in_bins("Ge", flux, [0.3, 1.0], 1.0, **kw)["millicharge"][0]

    def f(t):
        return differential_rates("Ge", flux, [t], **kw).components["millicharge"][0]
    ref = quad(f, 0.3, 1.0, limit=200, epsrel=1e-6)[0]
    assert got == pytest.approx(ref, rel=1e-5)
