"""Allowed β⁻ antineutrino spectra and the 238U(n,γ) capture chain (nuem.sources.beta).

Sources: allowed shape and Fermi function as in H. Behrens & W. Bühring, Electron Radial Wave
Functions and Nuclear Beta-decay (1982), D.H. Wilkinson, NIM A 275, 378 (1989); branch data from
the Geant4 RadioactiveDecay files z92.a239 / z93.a239 (ENSDF, Browne & Tuli, NDS 122, 205
(2014)); "all capture ν̄e below 1.3 MeV": Wong & Li, MPLA 20, 1103 (2005), Sec. 4.3 ("1.2 ν̄e
per fission with an endpoint at 1.3 MeV").
"""

import numpy as np
import pytest
from scipy.integrate import quad

from nuem.constants import ALPHA, ELECTRON_MASS, MeV
from nuem.exceptions import InvalidParameterError
from nuem.sources.beta import (
    NP239_DECAY,
    U239_DECAY,
    allowed_antineutrino_spectrum,
    fermi_function,
)

DECAYS = [U239_DECAY, NP239_DECAY]
ME = ELECTRON_MASS / MeV


def _branch(decay, b):
    def f(e):
        return allowed_antineutrino_spectrum(e, endpoint_mev=b.endpoint_mev,
                                             z_daughter=decay.z_daughter,
                                             mass_number=decay.mass_number)
    return f


@pytest.mark.parametrize("decay", DECAYS, ids=lambda d: d.name)
def test_each_branch_is_normalised_to_one(decay):
    for b in decay.branches:
        val = quad(_branch(decay, b), 0.0, b.endpoint_mev, epsabs=0, epsrel=1e-11, limit=200)[0]
        assert val == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("decay", DECAYS, ids=lambda d: d.name)
def test_decay_spectrum_is_normalised_and_non_negative(decay):
    pts = sorted(decay.endpoints_mev)
    val = sum(quad(decay.spectrum_per_decay, a, b, epsabs=0, epsrel=1e-11, limit=200)[0]
              for a, b in zip([0.0, *pts[:-1]], pts, strict=True))
    assert val == pytest.approx(1.0, abs=1e-9)
    e = np.linspace(0.0, 1.5, 3001)
    assert np.all(decay.spectrum_per_decay(e) >= 0)


@pytest.mark.parametrize("decay", DECAYS, ids=lambda d: d.name)
def test_zero_at_and_above_endpoint(decay):
    q = max(decay.endpoints_mev)
    lowest = min(b.level_kev for b in decay.branches) / 1000.0
    assert q == pytest.approx(decay.q_mev - lowest, abs=1e-9)
    y = decay.spectrum_per_decay([q, q + 1e-6, q + 0.1, 5.0])
    assert np.all(y == 0.0)
    # just below the endpoint the electron is slow and p F(Z, W) is finite for beta-minus:
    # the spectrum steps down to zero (it does not vanish continuously).
    assert decay.spectrum_per_decay(q - 1e-6) > 0


@pytest.mark.parametrize("decay", DECAYS, ids=lambda d: d.name)
def test_vanishes_as_enu_squared_at_low_energy(decay):
    # dN/dE_nu ∝ E_nu^2 p W F with p W F smooth at E_nu -> 0.
    e = np.array([1e-4, 2e-4, 4e-4])
    y = decay.spectrum_per_decay(e)
    np.testing.assert_allclose(y[1:] / y[:-1], 4.0, rtol=2e-3)
    assert decay.spectrum_per_decay(0.0) == 0.0


def test_all_capture_antineutrinos_below_1p3_mev():
    # Wong & Li (2005), Sec. 4.3: endpoint 1.3 MeV (Q(239U) = 1.2617 MeV, Q(239Np) = 0.7228 MeV).
    for d in DECAYS:
        assert max(d.endpoints_mev) < 1.3
        assert d.spectrum_per_decay(1.3) == 0.0


def test_branch_intensities_sum_to_100_percent():
    for d in DECAYS:
        assert sum(b.intensity_percent for b in d.branches) == pytest.approx(100.0, abs=0.01)


def test_main_branches_from_ensdf():
    # Geant4 z92.a239: 239U -> 74.664 keV level of 239Np with 69.0 %; z93.a239: 239Np -> 285.46
    # and 391.584 keV levels of 239Pu with 45.1 % and 44.1 %.
    u = {b.level_kev: b for b in U239_DECAY.branches}
    assert u[74.664].intensity_percent == pytest.approx(69.004)
    assert u[74.664].endpoint_mev == pytest.approx(1.187036)
    n = {b.level_kev: b.intensity_percent for b in NP239_DECAY.branches}
    assert n[285.46] == pytest.approx(45.12) and n[391.584] == pytest.approx(44.118)


def test_fermi_function_reduces_to_nonrelativistic_form_for_low_z():
    # gamma -> 1: F -> 2 pi eta / (1 - exp(-2 pi eta)) (Fermi's non-relativistic form).
    t = np.array([0.01, 0.1, 1.0])
    w = 1 + t / ME
    p = np.sqrt(w**2 - 1)
    eta = ALPHA * 1 * w / p
    ref = 2 * np.pi * eta / (1 - np.exp(-2 * np.pi * eta))
    # (2pR)^(2(gamma-1)) and Gamma(2 gamma + 1) differ from their gamma = 1 values by < 1e-3.
    np.testing.assert_allclose(fermi_function(1, 3, t), ref, rtol=1e-3)


def test_fermi_function_grows_with_z_and_at_low_energy():
    f = fermi_function(94, 239, [0.05, 0.5])
    assert f[0] > f[1] > fermi_function(30, 70, 0.5) > 1.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"endpoint_mev": -1.0, "z_daughter": 94, "mass_number": 239}, "endpoint_mev"),
     ({"endpoint_mev": 1.0, "z_daughter": 200, "mass_number": 239}, "z_daughter"),
     ({"endpoint_mev": 1.0, "z_daughter": 94, "mass_number": 0}, "mass_number")],
)
def test_invalid_branch_parameters(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        allowed_antineutrino_spectrum(0.1, **kwargs)


def test_negative_energy_rejected():
    with pytest.raises(InvalidParameterError, match="enu_mev"):
        U239_DECAY.spectrum_per_decay([-0.1])
    with pytest.raises(InvalidParameterError, match="te_mev"):
        fermi_function(94, 239, 0.0)
