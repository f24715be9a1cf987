"""Allowed beta-/beta+ spectra share one implementation: checks of the shared shape and inputs.

Evidence
--------
* Independent recomputation: the beta+ neutrino spectrum of 13N (13N -> 13C, E0 = 1.19849 MeV,
  Z_d = 6) written out here from J.N. Bahcall, *Neutrino Astrophysics* (1989), Sec. 6.1,
  dN/dE ∝ F(-Z_d, W) p W E_nu^2, with the relativistic point-nucleus Fermi function at
  R = 1.2 A^(1/3) fm (D.H. Wilkinson, Nucl. Instrum. Meth. A 275, 378 (1989)) coded with
  complex Gamma functions and normalised by adaptive quadrature (scipy.integrate.quad).
* Non-relativistic limit: for small Z the Fermi function approaches the Sommerfeld factor
  2 pi eta / (1 - exp(-2 pi eta)), eta = alpha Z W / p (sign of Z: + for electrons, - for
  positrons); checked within 2 % for Z_d = 6 away from the end point.
* Invariant: Coulomb repulsion pushes the positron to higher energies, so the mean neutrino energy
  of a beta+ branch is below that of a beta- branch of the same end point and |Z|, which is
  below the pure phase-space mean.
"""

import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import gamma as cgamma

from nuem.exceptions import InvalidParameterError
from nuem.sources import SolarSource
from nuem.sources.beta import allowed_antineutrino_spectrum
from nuem.sources.solar_spectra import positron_neutrino_spectrum

ALPHA = 1.0 / 137.035999084          # CODATA 2018
ME = 0.51099895                      # MeV, CODATA 2018
COMPTON_FM = 386.15926796            # hbar/(m_e c) in fm, CODATA 2018


def fermi(z_signed, a, w):
    """Relativistic point-nucleus Fermi function at R = 1.2 A^(1/3) fm (W in m_e units)."""
    p = math.sqrt(w * w - 1.0)
    g = math.sqrt(1.0 - (ALPHA * z_signed) ** 2)
    eta = ALPHA * z_signed * w / p
    r = 1.2 * a ** (1.0 / 3.0) / COMPTON_FM
    return (2.0 * (1.0 + g) * (2.0 * p * r) ** (2.0 * (g - 1.0)) * math.exp(math.pi * eta)
            * abs(cgamma(complex(g, eta))) ** 2 / cgamma(2.0 * g + 1.0) ** 2)


def shape(enu, e0, z_signed, a):
    if not 0.0 < enu < e0:
        return 0.0
    w = 1.0 + (e0 - enu) / ME
    return fermi(z_signed, a, w) * math.sqrt(w * w - 1.0) * w * enu * enu


def test_positron_spectrum_matches_an_independent_recomputation():
    e0, z, a = 1.19849, 6, 13
    norm = quad(shape, 0.0, e0, args=(e0, -z, a), epsabs=0.0, epsrel=1e-12, limit=200)[0]
    e = np.array([0.01, 0.2, 0.6, 0.9, 1.1, 1.19])
    got = positron_neutrino_spectrum(e, endpoint_mev=e0, z_daughter=z, mass_number=a)
    want = np.array([shape(x, e0, -z, a) for x in e]) / norm
    assert got == pytest.approx(want, rel=1e-9)


def test_electron_spectrum_matches_the_same_recomputation_with_plus_z():
    e0, z, a = 0.7224, 94, 239
    norm = quad(shape, 0.0, e0, args=(e0, z, a), epsabs=0.0, epsrel=1e-12, limit=200)[0]
    e = np.array([0.05, 0.3, 0.7])
    got = allowed_antineutrino_spectrum(e, endpoint_mev=e0, z_daughter=z, mass_number=a)
    assert got == pytest.approx([shape(x, e0, z, a) / norm for x in e], rel=1e-9)


@pytest.mark.parametrize("z_signed", [6, -6])
def test_fermi_function_approaches_the_sommerfeld_factor(z_signed):
    for t_mev in (0.05, 0.2, 0.8):
        w = 1.0 + t_mev / ME
        p = math.sqrt(w * w - 1.0)
        x = 2.0 * math.pi * ALPHA * z_signed * w / p
        assert fermi(z_signed, 13, w) == pytest.approx(x / (1.0 - math.exp(-x)), rel=0.02)


def test_coulomb_sign_orders_the_mean_energies():
    e0, z, a = 1.7320, 7, 15
    e = np.linspace(0.0, e0, 20001)
    plus = positron_neutrino_spectrum(e, endpoint_mev=e0, z_daughter=z, mass_number=a)
    minus = allowed_antineutrino_spectrum(e, endpoint_mev=e0, z_daughter=z, mass_number=a)
    w = 1.0 + (e0 - e) / ME
    free = np.sqrt(np.clip(w * w - 1.0, 0.0, None)) * w * e * e
    means = [np.trapezoid(y * e, e) / np.trapezoid(y, e) for y in (plus, minus, free)]
    assert means[0] < means[2] < means[1]


@pytest.mark.parametrize("kwargs, needle", [
    ({"z_daughter": 137}, "z_daughter=137"),
    ({"z_daughter": 0}, "z_daughter=0"),
    ({"endpoint_mev": -1.0}, "endpoint_mev=-1.0"),
    ({"mass_number": 0}, "mass_number=0"),
])
def test_positron_spectrum_bad_parameters_name_themselves(kwargs, needle):
    args = {"endpoint_mev": 1.19849, "z_daughter": 6, "mass_number": 13} | kwargs
    with pytest.raises(InvalidParameterError, match=needle):
        positron_neutrino_spectrum([0.5], **args)
    with pytest.raises(InvalidParameterError, match="enu_mev=-0.1"):
        positron_neutrino_spectrum([-0.1, 0.2], endpoint_mev=1.0, z_daughter=6, mass_number=13)


@pytest.mark.parametrize("kwargs", [{"oscillation": "none"},
                                    {"oscillation": "constant", "pee": 0.5}, {}])
def test_survival_probability_rejects_negative_energy_for_every_treatment(kwargs):
    with pytest.raises(InvalidParameterError, match="enu_mev=-1.0"):
        SolarSource(**kwargs).survival_probability("pp", [0.1, -1.0])


def test_a_flux_returning_nan_moments_is_refused_by_name():
    from nuem.rates import differential_rates

    class NaNFlux:
        flavors = ("nuebar",)
        label = "broken"

        def moments_mev(self, enu_min_mev, powers=(0, 1, 2), flavor=None):
            x = np.asarray(enu_min_mev, dtype=float)
            return np.full((len(tuple(powers)),) + x.shape, np.nan)

        def total_cm2_s(self, flavor=None):
            return 1.0

        def break_energies_mev(self):
            return np.array([1.0])

    with pytest.raises(InvalidParameterError, match="NaNFlux.moments_mev returned NaN"):
        differential_rates("Ge", NaNFlux(), [1.0, 2.0], mu_nu=1e-11)
