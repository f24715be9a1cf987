"""SM coupling schemes tree|radiative (nuem.interactions.couplings): cited values, hand
calculations of the rates they imply, and the CLI option."""

import json
import math

import numpy as np
import pytest

from nuem.cli.main import main
from nuem.exceptions import UnknownNameError
from nuem.interactions.couplings import (
    electron_couplings,
    nucleon_couplings,
    radiative_parameters,
    weak_charge_of,
)
from nuem.interactions.neutrino_nucleus import dsigma_dt_cevns
from nuem.rates import differential_rates
from nuem.sources.lines import LineFlux
from nuem.sources.reactor import reactor_flux

# PDG Review "Electroweak model and constraints on new physics" (Erler & Freitas): SM values of
# the nu_mu-e couplings and of the CEvNS nucleon vector couplings.
PDG_GV_NUMU_E, PDG_GA_NUMU_E = -0.0397, -0.5064
PDG_GV_P, PDG_GV_N = 0.0298, -0.5117
SIN2W = 0.23857
ALPHA = 1 / 137.035999084
M_E, M_MU, M_TAU = 0.51099895, 105.6583755, 1776.86          # MeV, CODATA / PDG


def test_radiative_numu_couplings_equal_the_pdg_values():
    g_v, g_a = electron_couplings("numu", couplings="radiative")
    assert g_v == pytest.approx(PDG_GV_NUMU_E, abs=1e-12)
    assert g_a == pytest.approx(PDG_GA_NUMU_E, abs=1e-12)
    g_vb, g_ab = electron_couplings("numubar", couplings="radiative")
    assert (g_vb, g_ab) == pytest.approx((g_v, -g_a), abs=1e-15)
    assert nucleon_couplings(couplings="radiative") == (PDG_GV_P, PDG_GV_N)


def test_flavour_dependence_matches_bahcall_kamionkowski_sirlin():
    """Bahcall, Kamionkowski & Sirlin, PRD 51, 6146 (1995): kappa_e(0) - kappa_mu(0) = 0.9791 -
    0.9970 at sin^2 theta_W(M_Z) = 0.2317, i.e. s_e - s_mu = -0.00415; the charge-radius term
    (alpha/6 pi) ln(m_e^2/m_mu^2) = -0.00413."""
    p = radiative_parameters()
    assert p["s_e"] - p["s_mu"] == pytest.approx((0.9791 - 0.9970) * 0.2317, rel=0.01)
    assert p["s_tau"] - p["s_mu"] == pytest.approx(
        ALPHA / (6 * math.pi) * math.log(M_TAU**2 / M_MU**2), rel=1e-6)
    assert p["rho"] == pytest.approx(1.0126, abs=3e-4)     # BKS rho_NC = 1.0126(16)
    # nu_e: charged current added, g_V = 1 + rho(-1/2 + 2 s_e), g_A = 1 - rho/2
    g_v, g_a = electron_couplings("nuebar", couplings="radiative")
    assert g_v == pytest.approx(1 + p["rho"] * (-0.5 + 2 * p["s_e"]), rel=1e-14)
    assert g_a == pytest.approx(-(1 - p["rho"] / 2), rel=1e-14)


def test_tree_scheme_is_wong_li_eq5():
    assert electron_couplings("nue", 0.25, couplings="tree") == (1.0, 0.5)
    assert electron_couplings("nutaubar", 0.25, couplings="tree") == (0.0, 0.5)
    assert weak_charge_of(32, 42, SIN2W, couplings="tree") == 32 * (1 - 4 * SIN2W) - 42


def test_ge74_cevns_moves_by_the_weak_charge_ratio():
    """Hand calculation: Q_W(74Ge) = 2(32 x 0.0298 - 42 x 0.5117) = -41.0756 radiative,
    32(1 - 4 x 0.23857) - 42 = -40.5370 tree: the cross section moves by (Q_rad/Q_tree)^2 =
    1.02676 at every T and E."""
    want = (2 * (32 * PDG_GV_P + 42 * PDG_GV_N) / (32 * (1 - 4 * SIN2W) - 42)) ** 2
    assert want == pytest.approx(1.02676, abs=1e-5)
    t, e = np.array([0.01, 0.1, 0.5]), 8.0
    ratio = dsigma_dt_cevns(t, e, "Ge74", couplings="radiative") / dsigma_dt_cevns(t, e, "Ge74")
    np.testing.assert_allclose(ratio, want, rtol=1e-12)


def test_natural_ge_cevns_rate_moves_by_the_isotope_weighted_amount():
    """The Ge rate ratio is between the isotopes' (Q_rad/Q_tree)^2 (70Ge ... 76Ge) and ~2.6 %
    (the gap between tree-level and PDG couplings)."""
    flux = reactor_flux(1e13)
    t = [0.05, 0.2]
    kw = dict(components=("cevns",))
    rad = differential_rates("Ge", flux, t, **kw).components["cevns"]
    tree = differential_rates("Ge", flux, t, couplings="tree", **kw).components["cevns"]
    iso = [(2 * (32 * PDG_GV_P + n * PDG_GV_N) / (32 * (1 - 4 * SIN2W) - n)) ** 2
           for n in (38, 40, 41, 42, 44)]
    assert np.all((rad / tree > min(iso)) & (rad / tree < max(iso)))
    assert rad / tree == pytest.approx(1.026, abs=1e-3)


@pytest.mark.parametrize("flavor", ["nuebar", "numu", "nutau"])
def test_free_electron_rate_equals_the_formula_with_the_cited_couplings(flavor):
    """A 2 MeV line on free Ge electrons: dR/dT = N_e Phi (G_F^2 m_e/2pi)[(g_V+g_A)^2 +
    (g_V-g_A)^2 (1-T/E)^2 + (g_A^2-g_V^2) m_e T/E^2] with the radiative (g_V, g_A)."""
    from nuem.targets import get_target

    g_v, g_a = electron_couplings(flavor, couplings="radiative")
    line = LineFlux([2.0], [1e12], flavor)
    t_kev = np.array([1.0, 100.0, 1000.0])
    got = differential_rates("Ge", line, t_kev, atomic="free").components["sm_electron"]
    gf, hbarc_cm = 1.1663788e-11, 1.973269804e-11           # MeV^-2, MeV cm
    k = gf**2 * M_E / (2 * math.pi) * hbarc_cm**2            # cm^2/MeV
    t = t_kev * 1e-3
    xs = k * ((g_v + g_a) ** 2 + (g_v - g_a) ** 2 * (1 - t / 2.0) ** 2
              + (g_a**2 - g_v**2) * M_E * t / 4.0) * 1e-3    # cm^2/keV
    want = get_target("Ge").electrons_per_kg * 1e12 * xs * 86400.0
    np.testing.assert_allclose(got, want, rtol=1e-9)


def test_reactor_nuebar_rate_at_1_kev_moves_by_the_coupling_ratio():
    """T << E_nu: dR/dT ~ (g_V+g_A)^2 + (g_V-g_A)^2 = 2(g_V^2 + g_A^2): radiative/tree =
    (0.95194^2 + 0.4936^2)/(0.97714^2 + 0.25) = 0.9543 (to the 1e-3 size of the T/E terms)."""
    flux = reactor_flux(1e13)
    kw = dict(atomic="free", components=("sm_electron",))
    rad = differential_rates("Ge", flux, [1.0], **kw).components["sm_electron"][0]
    tree = differential_rates("Ge", flux, [1.0], couplings="tree", **kw).components["sm_electron"]
    g_v, g_a = electron_couplings("nuebar", couplings="radiative")
    want = (g_v**2 + g_a**2) / ((0.5 + 2 * SIN2W) ** 2 + 0.25)
    assert rad / tree[0] == pytest.approx(want, rel=2e-3)
    assert want == pytest.approx(0.9543, abs=5e-4)


def test_couplings_recorded_and_bad_name():
    r = differential_rates("Ge", reactor_flux(1e13), [1.0])
    assert r.parameters["couplings"] == "radiative"
    with pytest.raises(UnknownNameError, match="couplings"):
        differential_rates("Ge", reactor_flux(1e13), [1.0], couplings="loop")


def test_cli_rate_couplings(capsys):
    base = ["rate", "--flux-cm2-s", "1e13", "--t-kev", "1", "--json"]
    assert main(base) == 0
    rad = json.loads(capsys.readouterr().out)
    assert main(base + ["--couplings", "tree"]) == 0
    tree = json.loads(capsys.readouterr().out)
    assert rad["parameters"]["couplings"] == "radiative"
    assert tree["parameters"]["couplings"] == "tree"
    r = rad["components"]["sm_electron"][0] / tree["components"]["sm_electron"][0]
    assert 0.95 < r < 0.96
    assert main(base + ["--couplings", "x"]) == 2
    assert "--couplings" in capsys.readouterr().err
    assert main(["xsec", "--channel", "cevns", "--enu-mev", "8", "--t-kev", "0.1",
                 "--target", "Ge74", "--couplings", "radiative", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["parameters"]["couplings"] == "radiative"
