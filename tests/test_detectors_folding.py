"""The detector stage of an expected spectrum (nuem.detectors.folding).

Evidence: the folding reproduces observed_spectrum bit for bit; an ideal detector (identity
response, written against the Response protocol only) gives exactly the binned rates of
nuem.binned.counts_in_bins times the exposure (independent recomputation); the smearing
conserves counts (observed + leakage = true total when the efficiency is 1).
"""

import numpy as np
import pytest

from nuem.binned import counts_in_bins
from nuem.detectors.backgrounds import BackgroundModel, FlatContinuum
from nuem.detectors.efficiency import StepEfficiency
from nuem.detectors.exposure import Exposure
from nuem.detectors.folding import (
    LOWEST_MODELLED_KEV,
    SIGNAL_COMPONENTS,
    DetectorResponse,
    Folded,
    Response,
    fold_spectrum,
    true_grid_kev,
)
from nuem.detectors.quenching import LindhardQuenching
from nuem.detectors.resolution import GaussianPoly, Resolution
from nuem.exceptions import InvalidParameterError
from nuem.experiments import get_experiment, observed_spectrum
from nuem.sources.reactor import reactor_flux


def test_observed_spectrum_is_the_folding():
    exp = get_experiment("conus")
    s = observed_spectrum(exp, mu_nu=1e-11)
    f = fold_spectrum(exp.target, exp.flux(), exp.response(), exp.exposure, exp.background,
                      mu_nu=1e-11, sin2w=s.parameters["sin2w"])
    assert set(f.components) == set(s.components)
    for k, v in s.components.items():
        np.testing.assert_array_equal(f.components[k], v)
    assert f.leakage == s.leakage
    assert isinstance(exp.response(), Response)


class IdealDetector:
    """Perfect resolution and efficiency, recoil energy = observed energy (no quenching)."""

    class _Identity:
        def nr_from_ee(self, e):
            return np.asarray(e, float)

    class _Matrix:
        def __init__(self, n):
            self.efficiency = np.ones(n)

        def fold(self, counts_true):
            return Folded(np.asarray(counts_true, float), 0.0, 0.0)

    def __init__(self, edges):
        self.obs_edges_kev = np.asarray(edges, float)
        self.quenching = self._Identity()

    def true_edges_kev(self):
        return self.obs_edges_kev

    def matrix(self, true_edges_kev):
        return self._Matrix(self.obs_edges_kev.size - 1)

    def background_counts(self, background, exposure_kg_day, eff=None):
        return background.counts(self.obs_edges_kev, exposure_kg_day, None)


def test_ideal_detector_gives_the_binned_rates():
    edges = np.array([0.5, 1.0, 2.0, 5.0, 10.0])
    flux = reactor_flux(1e13)
    x = Exposure(2.0, 100.0, 50.0)
    det = IdealDetector(edges)
    assert isinstance(det, Response)
    f = fold_spectrum("Ge", flux, det, x, BackgroundModel((FlatContinuum(1.0),)), mu_nu=1e-11)
    ref = counts_in_bins("Ge", flux, edges, x.on_kg_day, mu_nu=1e-11)
    # the folding asks for electron and nuclear components separately, so the quadrature
    # sub-intervals differ slightly: agreement to the documented 1e-8 quadrature accuracy
    for c in SIGNAL_COMPONENTS:
        np.testing.assert_allclose(f.components[c], ref[c], rtol=1e-8, atol=0)
    np.testing.assert_allclose(f.components["background"], np.diff(edges) * 200.0, rtol=1e-15)
    np.testing.assert_allclose(f.components["background_off"], np.diff(edges) * 100.0)


@pytest.mark.parametrize("res", [Resolution(0.1), GaussianPoly(0.0, 0.05, 0.01)])
def test_folding_matrix_conserves_counts(res):
    r = DetectorResponse([2.0, 3.0, 4.0, 6.0], 1.0, res, StepEfficiency(0.0),
                         LindhardQuenching())
    true = r.true_edges_kev()
    assert true[0] < 2.0 and true[-1] > 6.0 and true[0] >= LOWEST_MODELLED_KEV
    assert np.all(np.diff(true) <= 0.5 + 1e-12)
    rng = np.random.default_rng(3)
    n = rng.uniform(0, 5, true.size - 1)
    out = r.matrix(true).fold(n)
    assert out.counts.sum() + out.below + out.above == pytest.approx(n.sum(), rel=1e-12)
    with pytest.raises(InvalidParameterError, match="counts_true"):
        r.matrix(true).fold(n[:-1])


def test_true_grid_follows_the_resolution():
    g = true_grid_kev(10.0, 20.0, 1.0, Resolution(0.2), n_sigma=5.0)
    sig = Resolution(0.2).sigma_kev(0.5 * (g[1:] + g[:-1]))
    assert g[0] == pytest.approx(10.0 - 5 * float(Resolution(0.2).sigma_kev(10.0)))
    assert np.all(np.diff(g) <= sig / 4 * 1.05)


def test_true_grid_too_fine_is_an_error_not_a_coarser_grid():
    # sigma/4 steps over 1-4000 keV with sigma_noise = 50 eV need ~2.7e4 bins (> 20000); the grid
    # is never coarsened silently. 1-2000 keV needs ~1.9e4 and is built at full resolution.
    with pytest.raises(InvalidParameterError, match=r"analysis window 1-4000 keV: .* needs "
                                                    r"\d+ true-energy bins; at most 20000"):
        true_grid_kev(1.0, 4000.0, 1.0, Resolution(0.05))
    g = true_grid_kev(1.0, 2000.0, 1.0, Resolution(0.05))
    assert 8 < g.size - 1 <= 20000
    sig = Resolution(0.05).sigma_kev(0.5 * (g[1:] + g[:-1]))
    assert np.all(np.diff(g) <= sig / 4 * 1.05)


def test_response_validation():
    with pytest.raises(InvalidParameterError, match="obs_edges_kev"):
        DetectorResponse([2.0, 1.0], 1.0, Resolution(0.1), StepEfficiency(0.0),
                         LindhardQuenching())
    with pytest.raises(InvalidParameterError, match="Response"):
        fold_spectrum("Ge", reactor_flux(1e13), object(), Exposure(1.0, 1.0),
                      BackgroundModel())
