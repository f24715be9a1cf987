"""The moment matrix (nuem.interactions.moment_matrix) and ``nuem moment``: Wong & Li, Mod. Phys.
Lett. A 20, 1103 (2005), Eq. 2 (effective moment with oscillation phases) and Eq. 7 (radiative
decay), Dirac and Majorana matrices."""

import json
import math

import numpy as np
import pytest

from nuem.cli.main import main
from nuem.exceptions import InvalidParameterError
from nuem.interactions.moment_matrix import (
    PMNS_NUFIT52,
    check_moment_matrix,
    effective_moment,
    effective_moment_squared,
    majorana_lambda_bound,
    mass_eigenvalues_ev,
    pair_decays,
    pmns_matrix,
    sm_dirac_moment_mub,
    solar_mass_state_probabilities,
)

MU = 1e-11
ALPHA, ME_EV, HBAR_EV_S, HBARC_EV_M = 1 / 137.035999084, 0.51099895e6, 6.582119569e-16, \
    197.3269804e-9


def _majorana(l12=0.0, l13=0.0, l23=0.0):
    m = np.zeros((3, 3), dtype=complex)
    m[0, 1], m[0, 2], m[1, 2] = l12, l13, l23
    return m - m.T


def test_pmns_is_unitary_and_uses_nufit():
    u = pmns_matrix()
    np.testing.assert_allclose(u @ u.conj().T, np.eye(3), atol=1e-14)
    assert abs(u[0, 2]) ** 2 == pytest.approx(PMNS_NUFIT52["sin2_theta13"], rel=1e-12)


@pytest.mark.parametrize("distance_m", [0.0, 28.0, 1e3, 5e4, 1e6])
def test_universal_diagonal_matrix_gives_mu_everywhere(distance_m):
    lam = MU * np.eye(3)
    assert effective_moment(lam, "reactor", distance_m=distance_m, n_grid=20001)[
        "effective_mu_mub"] == pytest.approx(MU, rel=1e-12)
    for fl, e in (("nue", 0.747), ("numubar", 3.0), ("nutau", 10.0)):
        assert effective_moment(lam, "line", distance_m=distance_m, enu_mev=e, flavor=fl)[
            "effective_mu_mub"] == pytest.approx(MU, rel=1e-12)
    assert effective_moment(lam, "solar")["effective_mu_mub"] == pytest.approx(MU, rel=1e-12)


def _eq2_hand(a, b, l_m, e_mev):
    """Eq. 2 for nubar_e with lambda_12 = a, lambda_13 = b only, written out by hand:
    |U_e2 e^{-i phi2} a + U_e3 e^{-i phi3} b|^2 + |U_e1|^2 (|a|^2 + |b|^2)."""
    u = pmns_matrix()[0]
    m2 = mass_eigenvalues_ev(0.0) ** 2
    ph = np.exp(-1j * m2 * l_m / (2 * e_mev * 1e6 * HBARC_EV_M))
    return abs(u[1] * ph[1] * a + u[2] * ph[2] * b) ** 2 + abs(u[0]) ** 2 * (abs(a) ** 2
                                                                           + abs(b) ** 2)


def test_majorana_mu12_only_is_flat_in_l_over_e_and_equals_the_solar_value():
    """With only mu_12 every final state j receives one mass state k: Eq. 2 has no interference
    term, mu_eff^2 = (|U_e1|^2 + |U_e2|^2) mu_12^2 = cos^2 theta13 mu_12^2 at every L/E, which is
    also the incoherent solar value (P_1 + P_2 = cos^2 theta13)."""
    lam = _majorana(l12=MU)
    c13 = math.sqrt(1 - PMNS_NUFIT52["sin2_theta13"])
    e = np.geomspace(1.8, 8.0, 7)
    for l_m in (0.0, 30.0, 2e3, 5e4):
        np.testing.assert_allclose(np.sqrt(effective_moment_squared(lam, "nuebar", e, l_m)),
                                   c13 * MU, rtol=1e-12)
    assert effective_moment(lam, "solar")["effective_mu_mub"] == pytest.approx(c13 * MU,
                                                                               rel=1e-12)


def test_majorana_eq2_oscillation_pattern_in_l_over_e():
    """mu_12 and mu_13 interfere with the phase Delta m^2_32 L/(2E): Eq. 2 against the hand
    formula, a function of L/E only, and not the incoherent solar value."""
    a, b = MU, 0.7e-11 * np.exp(0.4j)
    lam = _majorana(l12=a, l13=b)
    for l_m, e in ((10.0, 1.0), (500.0, 2.0), (3e3, 4.0), (1.2e4, 6.0)):
        got = effective_moment_squared(lam, "nuebar", [e], l_m)[0]
        assert got == pytest.approx(_eq2_hand(a, b, l_m, e), rel=1e-12)
        twice = effective_moment_squared(lam, "nuebar", [2 * e], 2 * l_m)[0]
        assert twice == pytest.approx(got, rel=1e-12)
    lo_e = np.linspace(1e2, 2e4, 400)
    pattern = effective_moment_squared(lam, "nuebar", np.full(lo_e.size, 1.0), 0.0)
    osc = np.array([effective_moment_squared(lam, "nuebar", [1.0], x)[0] for x in lo_e])
    assert np.ptp(osc) > 0.05 * pattern[0]           # it oscillates
    solar = effective_moment(lam, "solar")["effective_mu_mub"] ** 2
    p = solar_mass_state_probabilities()
    assert solar == pytest.approx(p[0] * (abs(a) ** 2 + abs(b) ** 2) + p[1] * abs(a) ** 2
                                  + p[2] * abs(b) ** 2, rel=1e-12)


def test_solar_mass_state_probabilities_reproduce_the_flux_weighted_pee():
    from nuem.sources import SolarSource

    p = solar_mass_state_probabilities()
    u2 = np.abs(pmns_matrix()[0]) ** 2
    mix = SolarSource("B16-GS98").flux()
    assert p.sum() == pytest.approx(1.0, rel=1e-12)
    assert float(np.sum(p * u2)) == pytest.approx(mix.total_cm2_s("nue") / mix.total_cm2_s(),
                                                  rel=1e-12)


def test_each_pair_width_is_eq7():
    lam = _majorana(l12=2e-11, l13=1e-11j, l23=3e-12)
    m = mass_eigenvalues_ev(0.02)
    for d in pair_decays(lam, 0.02):
        i, j = (int(x) - 1 for x in d["pair"].split("->"))
        mu2 = abs(lam[i, j]) ** 2 * math.pi * ALPHA / ME_EV**2          # eV^-2
        gamma = (m[i] ** 2 - m[j] ** 2) ** 3 / (8 * math.pi * m[i] ** 3) * mu2   # eV
        assert d["width_ev"] == pytest.approx(gamma, rel=1e-9)
        assert d["lifetime_s"] == pytest.approx(HBAR_EV_S / gamma, rel=1e-9)


def test_sm_dirac_prediction_and_lambda_bound():
    assert float(sm_dirac_moment_mub(1.0)) == pytest.approx(3.20e-19, rel=2e-3)
    b = majorana_lambda_bound(2.9e-11, "solar")
    p = solar_mass_state_probabilities()
    np.testing.assert_allclose(sorted(b["quadratic_form_eigenvalues"]), sorted(1 - p),
                               rtol=1e-9)
    assert b["lambda_norm_bound_mub"] == pytest.approx(2.9e-11 / math.sqrt(1 - p.max()),
                                                       rel=1e-9)
    short = majorana_lambda_bound(2.9e-11, "line", enu_mev=3.0, distance_m=0.0)
    assert short["unbounded"] and short["lambda_norm_bound_mub"] is None  # Lambda || U_e


def test_majorana_must_be_antisymmetric():
    with pytest.raises(InvalidParameterError, match="antisymmetric"):
        check_moment_matrix(MU * np.eye(3), majorana=True)
    check_moment_matrix(MU * np.ones((3, 3)), majorana=False)     # Dirac: general


def test_cli(tmp_path, capsys):
    assert main(["moment", "--diagonal", "1e-11", "--source", "reactor", "--distance-m",
                 "1000", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["effective_mu_mub"] == pytest.approx(MU, rel=1e-12)
    assert len(out["pair_decays"]) == 3 and out["source"] == "reactor"
    bad = tmp_path / "bad.txt"
    bad.write_text("0 1e-11 0\n1e-11 0 0\n0 0 0\n")
    assert main(["moment", "--matrix", str(bad), "--majorana", "--source", "solar"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "antisymmetric" in err
    good = tmp_path / "good.txt"
    good.write_text("# Majorana, mu_12 only\n0 1e-11 0\n-1e-11 0 0\n0 0 0\n")
    assert main(["moment", "--matrix", str(good), "--majorana", "--source", "solar",
                 "--mu-limit", "2.9e-11", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["majorana"] and "lambda_bound" in out
    assert main(["moment", "--diagonal", "1e-11", "--majorana", "--source", "solar"]) == 2
    assert "Majorana" in capsys.readouterr().err
