"""The flux protocol: LineFlux, FlavorMixture and a duck-typed flux written here.

Evidence: the single-energy nu-e cross sections of Wong & Li, Mod. Phys. Lett. A 20, 1103 (2005),
Eq. 4 (SM, couplings Eq. 5) and Eq. 6 (magnetic moment), recomputed here from CODATA 2018 / PDG
constants written in this file (independent of nuem.constants), times the electrons of Ge and the
line flux; closed-form bin integrals up to a line's kinematic end point; adaptive quadrature at
nuclear end points; additivity of lines and of flavours.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from nuem.binned import counts_in_bins
from nuem.exceptions import InvalidParameterError, UnknownNameError
from nuem.rates import differential_rates
from nuem.sources import FlavorMixture, Flux, LineFlux, TabulatedFlux
from nuem.sources.reactor import reactor_flux

# ---- constants written out (CODATA 2018, PDG 2022) for the independent recomputation
ALPHA = 1 / 137.035999084
ME_MEV = 0.51099895
GF_MEV2 = 1.1663788e-11            # G_F in MeV^-2
HBARC2_MEV2_CM2 = (197.3269804e-13) ** 2   # (hbar c)^2 in MeV^2 cm^2
SIN2W = 0.23857
N_A = 6.02214076e23
GE_ELECTRONS_PER_KG = 32 * N_A / 72.630e-3   # standard atomic weight 72.630 g/mol
SECONDS_PER_DAY = 86400.0


def _sm_nue_e(t_mev, e_mev, gv=0.5 + 2 * SIN2W, ga=0.5):
    """Wong & Li 2005 Eq. 4 (default nu_e: g_V = 1/2 + 2 sin^2, g_A = 1/2; Eq. 5), cm^2/MeV."""
    k = GF_MEV2**2 * ME_MEV / (2 * math.pi) * HBARC2_MEV2_CM2
    y = t_mev / e_mev
    return k * ((gv + ga) ** 2 + (gv - ga) ** 2 * (1 - y) ** 2
                + (ga**2 - gv**2) * ME_MEV * t_mev / e_mev**2)


def _mu_e(t_mev, e_mev, mu):
    """Wong & Li 2005 Eq. 6: (pi alpha^2/m_e^2) mu^2 (1/T - 1/E), cm^2/MeV."""
    return math.pi * ALPHA**2 / ME_MEV**2 * HBARC2_MEV2_CM2 * mu**2 * (1 / t_mev - 1 / e_mev)


def _per_kg_kev_day(sigma_cm2_per_mev, flux_cm2_s):
    return GE_ELECTRONS_PER_KG * sigma_cm2_per_mev * 1e-3 * flux_cm2_s * SECONDS_PER_DAY


def _t_max_kev(e_mev, m_mev=ME_MEV):
    return 2 * e_mev**2 / (m_mev + 2 * e_mev) * 1e3


CR51 = LineFlux([0.747], [1e13], "nue", label="51Cr-like line")


@pytest.mark.parametrize("t_kev", [0.5, 3.0, 40.0, 300.0, 555.0])
def test_single_line_matches_the_single_energy_formulas(t_kev):
    r = differential_rates("Ge", CR51, [t_kev], mu_nu=1e-10, atomic="free", couplings="tree")
    t = t_kev * 1e-3
    assert r.components["sm_electron"][0] == pytest.approx(
        _per_kg_kev_day(_sm_nue_e(t, 0.747), 1e13), rel=1e-10)
    assert r.components["magnetic_moment"][0] == pytest.approx(
        _per_kg_kev_day(_mu_e(t, 0.747, 1e-10), 1e13), rel=1e-10)


def test_single_line_vanishes_above_its_end_point():
    tmax = _t_max_kev(0.747)   # 557.2 keV
    r = differential_rates("Ge", CR51, [tmax * (1 - 1e-9), tmax * (1 + 1e-9)], mu_nu=1e-10,
                           atomic="free")
    assert r.components["sm_electron"][0] > 0
    assert r.components["sm_electron"][1] == 0.0 == r.components["magnetic_moment"][1]


def test_two_line_flux_is_the_sum_of_its_lines():
    be7 = LineFlux([0.3843, 0.8613], [0.5e9, 4.5e9], "nue")
    a = LineFlux([0.3843], [0.5e9], "nue")
    b = LineFlux([0.8613], [4.5e9], "nue")
    t = np.geomspace(0.05, 700.0, 60)
    kw = dict(mu_nu=3e-11, delta_q=1e-13, r2_cm2=1e-32)
    both = differential_rates("Ge", be7, t, **kw)
    one, two = differential_rates("Ge", a, t, **kw), differential_rates("Ge", b, t, **kw)
    for c, v in both.components.items():
        np.testing.assert_allclose(v, one.components[c] + two.components[c], rtol=1e-12,
                                   atol=1e-300, err_msg=c)


def test_counts_in_bins_exact_at_a_line_end_point():
    # bins around T_max = 557.2 keV: the spectrum steps to zero inside the second bin
    edges = [300.0, 500.0, 600.0, 700.0]
    c = counts_in_bins("Ge", CR51, edges, 2.0, mu_nu=1e-10, atomic="free", couplings="tree")
    tmax = _t_max_kev(0.747)

    def exact(lo, hi, f):  # closed form for the mu term, polynomial for SM (numpy, exact)
        hi = min(hi, tmax)
        if hi <= lo:
            return 0.0
        return 2.0 * quad(lambda tk: _per_kg_kev_day(f(tk * 1e-3, 0.747), 1e13), lo, hi,
                          epsrel=1e-13, epsabs=0)[0]

    for i in range(3):
        lo, hi = edges[i], edges[i + 1]
        mu = 2.0 * _per_kg_kev_day(1.0, 1e13) * (
            math.pi * ALPHA**2 / ME_MEV**2 * HBARC2_MEV2_CM2 * 1e-20) * (
            math.log(min(hi, tmax) / lo) - (min(hi, tmax) - lo) * 1e-3 / 0.747) * 1e3 \
            if lo < tmax else 0.0
        assert c["magnetic_moment"][i] == pytest.approx(mu, rel=1e-10, abs=0)
        assert c["sm_electron"][i] == pytest.approx(exact(lo, hi, _sm_nue_e), rel=1e-10, abs=0)
    assert c["sm_electron"][2] == 0.0


def test_counts_in_bins_at_nuclear_end_points_of_a_table():
    # a flat table that stops at 10 MeV with a step: each Ge isotope's CEvNS spectrum has a
    # kink at its own T_max(10 MeV) ~ 2.7-2.9 keV; the bins straddle all five
    flat = TabulatedFlux([1.0, 10.0], [1e12, 1e12], flavor="nuebar")
    edges = [2.0, 2.8, 3.5]
    got = counts_in_bins("Ge", flat, edges, 1.0, components=("cevns",))["cevns"]
    from nuem.interactions import isotope
    ends = [_t_max_kev(10.0, isotope(f"Ge{a}")[2]) for a in (70, 72, 73, 74, 76)]

    def f(t):
        return differential_rates("Ge", flat, [t], components=("cevns",)).components["cevns"][0]

    for i in range(2):
        pts = sorted({edges[i], edges[i + 1], *[e for e in ends if edges[i] < e < edges[i + 1]]})
        ref = sum(quad(f, a, b, epsrel=1e-12, epsabs=0, limit=200)[0]
                  for a, b in zip(pts[:-1], pts[1:], strict=True))
        assert got[i] == pytest.approx(ref, rel=1e-8)


def test_flavor_mixture_is_the_sum_of_its_flavours():
    a = reactor_flux(2e12).resampled(np.geomspace(0.01, 12.0, 300))
    nue = TabulatedFlux(a.enu_mev, a.dphi_nodes_cm2_s_mev, flavor="nue")
    numu = LineFlux([0.8613, 1.44], [3e9, 1e9], "numu")
    mix = FlavorMixture({"nue": nue, "numu": numu})
    t = np.geomspace(0.1, 900.0, 40)
    kw = dict(mu_nu=2e-11, delta_q=-3e-13, r2_cm2=-2e-32)
    got = differential_rates("Ge", mix, t, **kw)
    one, two = differential_rates("Ge", nue, t, **kw), differential_rates("Ge", numu, t, **kw)
    for c, v in got.components.items():
        np.testing.assert_allclose(v, one.components[c] + two.components[c], rtol=1e-12,
                                   atol=1e-300, err_msg=c)
    assert got.parameters["flavors"] == ["nue", "numu"]


def test_flavor_mixture_uses_each_flavours_couplings():
    line = LineFlux([1.0], [1e12], "nue")
    as_numu = FlavorMixture({"numu": line})      # the key sets the species
    kw = dict(atomic="free", couplings="tree")
    r_e = differential_rates("Ge", line, [10.0], **kw).components["sm_electron"][0]
    r_mu = differential_rates("Ge", as_numu, [10.0], **kw).components["sm_electron"][0]
    # nu_mu: g_V = -1/2 + 2 sin^2, g_A = -1/2 (no charged current), Wong & Li 2005 Eq. 5
    want = _sm_nue_e(0.01, 1.0) / _sm_nue_e(0.01, 1.0, gv=-0.5 + 2 * SIN2W, ga=-0.5)
    assert r_e / r_mu == pytest.approx(want, rel=1e-10)


class PowerLawFlux:
    """A duck-typed flux written outside nuem: dPhi/dE = A E^-3 on [1, 10] MeV, nu_mu."""

    label = "test power law"
    flavors = ("numu",)

    def __init__(self, a=1e12):
        self.a = a

    def _m(self, x, k):  # int_x^10 A E^(-3-k) dE
        x = np.clip(x, 1.0, 10.0)
        p = -2 - k
        return self.a * (10.0**p - x**p) / p

    def moments_mev(self, enu_min_mev, powers=(0, 1, 2), flavor=None):
        x = np.asarray(enu_min_mev, dtype=float)
        if flavor not in (None, "numu"):
            return np.zeros((len(powers),) + x.shape)
        return np.stack([self._m(x, k) for k in powers])

    def total_cm2_s(self, flavor=None):
        return float(self._m(np.array(1.0), 0))

    def break_energies_mev(self):
        return np.array([1.0, 10.0])


def test_duck_typed_flux_from_outside_nuem():
    duck = PowerLawFlux()
    assert isinstance(duck, Flux)
    e = np.geomspace(1.0, 10.0, 4001)
    table = TabulatedFlux(e, 1e12 * e**-3, flavor="numu")
    t = np.array([1.0, 30.0, 500.0])
    got = differential_rates("Ge", duck, t, mu_nu=1e-10)
    ref = differential_rates("Ge", table, t, mu_nu=1e-10)
    for c in ("sm_electron", "magnetic_moment", "cevns"):
        np.testing.assert_allclose(got.components[c], ref.components[c], rtol=1e-5, err_msg=c)
    binned = counts_in_bins("Ge", duck, [1.0, 10.0, 100.0], 1.0, mu_nu=1e-10)
    assert np.all(binned["magnetic_moment"] > 0)
    assert got.parameters["flavor"] == "numu" and got.provenance["flux"] == "test power law"


def test_objects_that_are_not_fluxes_are_rejected():
    with pytest.raises(InvalidParameterError, match="flux protocol"):
        differential_rates("Ge", object(), [1.0])

    class BadFlavor(PowerLawFlux):
        flavors = ("sterile",)

    with pytest.raises(UnknownNameError, match="flux.flavors"):
        differential_rates("Ge", BadFlavor(), [1.0])


def test_a_flux_returning_nan_moments_is_an_error_not_a_nan_rate():
    class NanFlux(PowerLawFlux):
        def moments_mev(self, enu_min_mev, powers=(0, 1, 2), flavor=None):
            out = super().moments_mev(enu_min_mev, powers, flavor)
            return np.where(out > 0, np.nan, out)

    with pytest.raises(InvalidParameterError, match=r"NanFlux.moments_mev returned NaN or "
                                                     r"infinity for enu_min_mev in \["):
        differential_rates("Ge", NanFlux(), [1.0, 30.0], mu_nu=1e-10)


@pytest.mark.parametrize(("args", "match"), [
    (([0.0], [1.0]), "energies_mev"), (([1.0], [-1.0]), "fluxes_cm2_s"),
    (([1.0, 2.0], [1.0]), "fluxes_cm2_s"), (([np.nan], [1.0]), "energies_mev")])
def test_line_flux_bad_input(args, match):
    with pytest.raises(InvalidParameterError, match=match):
        LineFlux(*args)
    with pytest.raises(UnknownNameError, match="flavor"):
        LineFlux([1.0], [1.0], "nux")


def test_flavor_mixture_bad_input():
    with pytest.raises(InvalidParameterError, match="mapping"):
        FlavorMixture({})
    two = FlavorMixture({"nue": LineFlux([1.0], [1.0]), "numu": LineFlux([1.0], [1.0])})
    with pytest.raises(InvalidParameterError, match="single-flavour"):
        FlavorMixture({"nue": two})


@settings(max_examples=40, deadline=None)
@given(e=st.lists(st.floats(0.01, 20.0), min_size=1, max_size=6),
       x=st.floats(0.0, 25.0), k=st.integers(-2, 3))
def test_line_moments_are_the_finite_sum(e, x, k):
    phi = np.linspace(1.0, 2.0, len(e))
    f = LineFlux(e, phi)
    want = sum(p * ei ** (-k) for ei, p in zip(e, phi, strict=True) if ei >= x)
    assert float(f.moments_mev(x, (k,))[0]) == pytest.approx(want, rel=1e-12, abs=0)


def test_tabulated_break_energies_keep_ends_and_real_kinks():
    f = TabulatedFlux([1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 1.0, 2.0])
    np.testing.assert_array_equal(f.break_energies_mev(), [1.0, 2.0, 3.0, 4.0])
    smooth = TabulatedFlux(np.linspace(1, 2, 1001), np.exp(np.linspace(1, 2, 1001)))
    assert smooth.break_energies_mev().tolist() == [1.0, 2.0]
    # the reactor table: beta end points of the 238U capture chain are kept
    br = reactor_flux(1e13).break_energies_mev()
    assert np.any(np.abs(br - 1.2617) < 1e-3) and br.size < 1000
