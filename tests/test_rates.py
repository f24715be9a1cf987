"""Event rates (nuem.rates): published numbers, limits, ordering, invariance, exactness.

Sources cited per test: Wong & Li 2005 = H.T. Wong & H.B. Li, Mod. Phys. Lett. A 20, 1103
(2005); constants CODATA 2018 / PDG.
"""

import numpy as np
import pytest
from scipy.integrate import quad

from nuem.exceptions import InvalidParameterError, UnknownNameError
from nuem.rates import COMPONENTS, differential_rates
from nuem.sources.reactor import ReactorSource, reactor_flux


@pytest.fixture(scope="module")
def flux13():
    return reactor_flux(1e13)


def test_mu_nu_rate_on_free_ge_electrons_at_10kev(flux13):
    # Free-electron mu_nu rate, CODATA 2018 constants: N_e(Ge) * Phi * pi alpha^2/m_e^2 * mu^2 / T
    # = 2.6533e26 * 1e13 * 2.4947e-25 * 1e-20 / 10 keV * 86400 s = 0.0572 /(kg keV day),
    # less the small 1/E_nu term: 0.055-0.058 cpkkd.
    r = differential_rates("Ge", flux13, [10.0], mu_nu=1e-10, atomic="free")
    assert 0.055 <= r.components["magnetic_moment"][0] <= 0.058


def test_mu_nu_rate_scales_as_inverse_t_for_t_much_below_enu(flux13):
    # Wong & Li 2005 Eq. 6: (1/T - 1/E_nu) -> 1/T for T << E_nu; free electrons to isolate the 1/T.
    # T * R(T) is flat to T <1/E_nu> (1/E_nu ~ 1.7 MeV^-1 for the reactor spectrum): 2e-4 at
    # 0.1 keV, 1.7e-2 at 10 keV.
    t = np.array([0.01, 0.1, 1.0, 10.0])
    r = differential_rates("Ge", flux13, t, mu_nu=1e-10, atomic="free",
                           components=["magnetic_moment"]).components["magnetic_moment"]
    tr = r * t
    np.testing.assert_allclose(tr[:3], tr[0], rtol=2.5e-3)
    inv_e = flux13.mean_inverse_energy_per_mev()  # MeV^-1
    assert tr[3] / tr[0] == pytest.approx(1.0 - 10e-3 * inv_e, abs=3e-3)


def test_mu_nu_rate_independent_of_spectral_shape_at_low_t():
    # Wong & Li 2005 section 4.3: for T << E_nu the mu_nu rate depends only on the total flux.
    a = reactor_flux(1e13)
    b = reactor_flux(1e13, fractions={"U235": 0.0, "U238": 0.1, "Pu239": 0.6, "Pu241": 0.3})
    ra = differential_rates("Ge", a, [1.0], mu_nu=1e-10).components["magnetic_moment"]
    rb = differential_rates("Ge", b, [1.0], mu_nu=1e-10).components["magnetic_moment"]
    assert rb[0] == pytest.approx(ra[0], rel=2e-3)


def test_mu_nu_over_sm_at_10kev(flux13):
    # Wong & Li 2005 section 4.3: mu_nu-e rates at 1e-10 mu_B exceed SM "by a factor of 20 at T = 10
    # keV"; nuem's accepted window 20-25 (sin2w = 0.23857, default reactor spectrum).
    # (tree-level couplings: the statement is the paper's, which used them)
    r = differential_rates("Ge", flux13, [10.0], mu_nu=1e-10, couplings="tree").components
    ratio = r["magnetic_moment"][0] / r["sm_electron"][0]
    assert 20.0 <= ratio <= 25.0


def test_ordering_of_wong_li_2005_fig4(flux13):
    # Wong & Li 2005 Fig. 4 (flux 1e13, mu_nu = 1e-10, free electrons as in the 2005 paper):
    # coherent SM dominates below ~1 keV; mu_nu-e dominates from 1 keV to 1 MeV; the coherent
    # mu_nu term dominates at very low (< 10 eV) nuclear recoil.
    c = differential_rates("Ge", flux13, [0.001, 0.3, 3.0], mu_nu=1e-10, atomic="free").components
    assert c["cevns"][1] > c["magnetic_moment"][1]
    others = [c[k][2] for k in COMPONENTS if k != "magnetic_moment"]
    assert c["magnetic_moment"][2] > max(others)
    assert c["cevns_magnetic_moment"][0] > c["cevns"][0]


def test_kinematic_end_points(flux13):
    # Free electron: T_max = 2E^2/(m_e + 2E); flux table ends at 13 MeV -> T_max = 12.75 MeV.
    emax = flux13.enu_max_mev
    tmax_e = 2 * emax**2 / (0.51099895 + 2 * emax) * 1e3
    r = differential_rates("Ge", flux13, [tmax_e * 0.999, tmax_e * 1.001], mu_nu=1e-10).components
    assert r["sm_electron"][0] > 0 and r["magnetic_moment"][0] > 0
    assert r["sm_electron"][1] == 0 and r["magnetic_moment"][1] == 0
    # Nuclear: the lightest Ge isotope (70) sets the end point, ~5 keV at 13 MeV.
    r = differential_rates("Ge", flux13, [4.0, 6.0]).components
    assert r["cevns"][0] > 0 and r["cevns"][1] == 0


def test_stepping_below_free_and_equal_above_k_edge(flux13):
    # Stepping approximation (Kopeikin et al. 1997, xraylib edges): stepping = free above the
    # Ge K edge (11.103 keV); 22/32 at 1 keV.
    t = [1.0, 5.0, 11.2, 50.0]
    f = differential_rates("Ge", flux13, t, mu_nu=1e-10, atomic="free").components
    s = differential_rates("Ge", flux13, t, mu_nu=1e-10, atomic="stepping").components
    for k in ("sm_electron", "magnetic_moment"):
        assert s[k][0] == pytest.approx(f[k][0] * 22 / 32, rel=1e-12)
        assert s[k][1] == pytest.approx(f[k][1] * 30 / 32, rel=1e-12)
        np.testing.assert_allclose(s[k][2:], f[k][2:], rtol=1e-12)


def test_millicharge_is_difference_to_sm(flux13):
    # The millicharge component is what delta_Q adds to SM, interference included.
    # The g_V shift is sqrt(2) pi alpha dQ/(G_F m_e T) = 0.54 at 10 keV for dQ = 1e-12, i.e.
    # comparable to g_V = 0.977: destructive interference can win there (delta_Q > 0, nuebar);
    # at 0.3 keV the shift is 18 and the pure 2 pi alpha^2 dQ^2/(m_e T^2) term dominates.
    t = [0.3, 10.0]
    base = differential_rates("Ge", flux13, t).components
    with_q = differential_rates("Ge", flux13, t, delta_q=1e-12).components
    assert np.all(base["millicharge"] == 0)
    np.testing.assert_allclose(with_q["sm_electron"], base["sm_electron"], rtol=1e-14)
    flipped = differential_rates("Ge", flux13, t, delta_q=-1e-12).components["millicharge"]
    pure = 0.5 * (with_q["millicharge"] + flipped)
    interference = 0.5 * (with_q["millicharge"] - flipped)
    assert np.all(pure > 0)
    assert abs(interference[0]) < 0.2 * pure[0] and with_q["millicharge"][0] > 0
    assert interference[1] < 0  # delta_Q > 0 lowers g_V for nuebar
    # SM + millicharge is never negative (it is a sum of squares).
    assert np.all(with_q["sm_electron"] + with_q["millicharge"] >= 0)


def test_charge_radius_shifts_sm(flux13):
    # Wong & Li 2005 after Eq. 5: g_V -> g_V + x. For nuebar g_V + g_A ... a positive <r^2>
    # raises g_V.
    a = differential_rates("Ge", flux13, [10.0]).components["sm_electron"][0]
    b = differential_rates("Ge", flux13, [10.0], r2_cm2=1e-32).components["sm_electron"][0]
    assert b != a and abs(b / a - 1) < 0.2


def _dsigma(t_kev, e, component, mu_nu):
    from nuem.interactions.neutrino_electron import dsigma_dt_magnetic_moment, dsigma_dt_sm
    if component == "magnetic_moment":
        return dsigma_dt_magnetic_moment(t_kev, e, mu_nu=mu_nu)
    return dsigma_dt_sm(t_kev, e, flavor="nuebar")


def _numeric_rate(flux, t_kev, component, mu_nu, *, use_quad=False):
    """Independent check: numerical integration over E_nu of phi * dsigma/dT, segment by
    segment of the flux table (Gauss-Legendre, 8 nodes; or adaptive quad when ``use_quad``)."""
    from nuem.targets import get_target

    emin = (t_kev * 1e-3 + np.sqrt((t_kev * 1e-3) ** 2 + 2 * 0.51099895 * t_kev * 1e-3)) / 2
    nodes = flux.enu_mev[(flux.enu_mev > emin)]
    lo, hi = np.r_[emin, nodes[:-1]], nodes
    if use_quad:
        def f(e):
            return flux.dphi_cm2_s_mev(e) * _dsigma(t_kev, e, component, mu_nu)
        val = sum(quad(f, a, b, epsrel=1e-10, epsabs=0)[0] for a, b in zip(lo, hi, strict=True))
    else:
        x, w = np.polynomial.legendre.leggauss(8)
        e = 0.5 * (hi - lo)[:, None] * (x + 1) + lo[:, None]
        integrand = flux.dphi_cm2_s_mev(e) * _dsigma(t_kev, e, component, mu_nu)
        val = float((0.5 * (hi - lo)[:, None] * w * integrand).sum())
    return val * get_target("Ge").electrons_per_kg * 86400.0


@pytest.mark.parametrize("t_kev", [0.5, 20.0, 800.0])
def test_exact_moments_agree_with_numerical_integration(t_kev):
    flux = ReactorSource(power_gw=2.9, distance_m=28.0).tabulated()
    r = differential_rates("Ge", flux, [t_kev], mu_nu=1e-10, atomic="free",
                           couplings="tree").components   # _dsigma is Wong & Li Eq. 4 (tree)
    for comp in ("sm_electron", "magnetic_moment"):
        assert r[comp][0] == pytest.approx(_numeric_rate(flux, t_kev, comp, 1e-10), rel=1e-9)


@pytest.mark.slow
def test_exact_moments_agree_with_adaptive_quad():
    flux = ReactorSource(power_gw=2.9, distance_m=28.0).tabulated()
    r = differential_rates("Ge", flux, [20.0], mu_nu=1e-10, atomic="free",
                           couplings="tree").components
    for comp in ("sm_electron", "magnetic_moment"):
        ref = _numeric_rate(flux, 20.0, comp, 1e-10, use_quad=True)
        assert r[comp][0] == pytest.approx(ref, rel=1e-7)


def test_resampling_the_flux_table(flux13):
    # Results unchanged (<= 1e-4) when a flux table is resampled coarser or finer.
    t = np.geomspace(0.05, 500.0, 40)
    e = flux13.enu_mev
    finer = flux13.resampled(np.unique(np.r_[e, 0.5 * (e[1:] + e[:-1])]))
    coarser = flux13.resampled(np.unique(np.r_[e[::2], e[-1]]))
    ref = differential_rates("Ge", flux13, t, mu_nu=1e-10, delta_q=1e-12).components
    for other, tol in ((finer, 1e-10), (coarser, 1e-4)):
        got = differential_rates("Ge", other, t, mu_nu=1e-10, delta_q=1e-12).components
        for k in ("sm_electron", "magnetic_moment", "millicharge"):
            np.testing.assert_allclose(got[k], ref[k], rtol=tol)
        tn = t[t < 3.0]
        gn = differential_rates("Ge", other, tn, components=["cevns"]).components["cevns"]
        rn = differential_rates("Ge", flux13, tn, components=["cevns"]).components["cevns"]
        np.testing.assert_allclose(gn, rn, rtol=tol)


@pytest.mark.parametrize(
    ("kwargs", "match", "exc"),
    [({"t_kev": [-1.0]}, "t_kev", InvalidParameterError),
     ({"t_kev": [1.0], "mu_nu": -1e-10}, "mu_nu", InvalidParameterError),
     ({"t_kev": [1.0], "atomic": "quantum"}, "atomic", UnknownNameError),
     ({"t_kev": [1.0], "sin2w": 1.5}, "sin2w", InvalidParameterError),
     ({"t_kev": [float("nan")]}, "t_kev", InvalidParameterError)],
)
def test_bad_input_names_the_parameter(flux13, kwargs, match, exc):
    with pytest.raises(exc, match=match):
        differential_rates("Ge", flux13, **kwargs)


def test_unknown_target(flux13):
    with pytest.raises(UnknownNameError, match="target"):
        differential_rates("Xx", flux13, [1.0])
