"""Detector response: resolution, count-conserving smearing, efficiencies, exposure.

Resolution model sigma^2 = sigma_noise^2 + F eps E with F = 0.11, eps = 2.96 eV (Ge at 77 K,
Knoll, Radiation Detection and Measurement, Ch. 11-12). Smearing conserves counts (<= 1e-3 of
the total away from edges); a line at 10.37 keV keeps its area and gets its width from the
resolution model.
"""

import math

import numpy as np
import pytest

from nuem.detectors.response import (
    ErfEfficiency,
    Exposure,
    Resolution,
    StepEfficiency,
    TabulatedEfficiency,
    bin_averaged_efficiency,
    line_counts,
    smear,
    smearing_matrix,
)
from nuem.exceptions import InvalidParameterError, OutOfRangeError


def test_resolution_formula():
    r = Resolution(sigma_noise_kev=0.1, fano=0.11, pair_energy_ev=2.96, linear=0.01)
    e = np.array([1.0, 10.0, 100.0])
    expected = np.sqrt(0.1**2 + 0.11 * 2.96e-3 * e + (0.01 * e) ** 2)
    assert np.allclose(r.sigma_kev(e), expected, rtol=1e-14)
    assert np.allclose(r.fwhm_kev(e), 2.3548200450309493 * expected)
    # Fano-limited Ge at 10 keV: sqrt(0.11 * 2.96 eV * 10 keV) = 57.1 eV
    assert float(Resolution(0.0).sigma_kev(10.0)) == pytest.approx(0.05706, rel=1e-3)


def test_resolution_rejects_negative():
    with pytest.raises(InvalidParameterError, match="sigma_noise_kev"):
        Resolution(-0.1)


def test_smearing_conserves_counts():
    rng = np.random.default_rng(1)
    true = np.linspace(1.0, 100.0, 2001)
    counts = rng.uniform(0, 10, true.size - 1)
    obs = np.linspace(0.5, 120.0, 240)
    out = smear(counts, true, obs, Resolution(0.3))
    assert out.counts.sum() + out.below + out.above == pytest.approx(counts.sum(), rel=1e-12)
    # away from the edges nothing leaves the observed window
    inner = (true[:-1] > 10) & (true[1:] < 90)
    out2 = smear(np.where(inner, counts, 0.0), true, obs, Resolution(0.3))
    assert abs(out2.counts.sum() / counts[inner].sum() - 1) < 1e-3
    assert out2.below == 0.0 and out2.above == 0.0


def test_smearing_matrix_columns_sum_to_one():
    sm = smearing_matrix(np.linspace(5, 15, 101), np.linspace(8, 12, 41), Resolution(0.5))
    assert np.allclose(sm.matrix.sum(0) + sm.below + sm.above, 1.0, atol=1e-13)
    assert sm.below[0] > 0.99 and sm.above[-1] > 0.99  # tracked, not lost


@pytest.mark.parametrize("sigma_noise", [0.03, 0.3])
def test_line_at_10_37_keeps_area_and_width(sigma_noise):
    res = Resolution(sigma_noise)
    obs = np.linspace(8.0, 12.7, 2351)
    centres = 0.5 * (obs[1:] + obs[:-1])
    for counts in (line_counts(10.37, 1000.0, obs, res).counts,
                   smear([1000.0], [10.3699, 10.3701], obs, res).counts):
        assert counts.sum() == pytest.approx(1000.0, rel=1e-9)
        mean = (centres * counts).sum() / counts.sum()
        var = ((centres - mean) ** 2 * counts).sum() / counts.sum() - np.diff(obs)[0] ** 2 / 12
        assert mean == pytest.approx(10.37, abs=1e-5)
        assert np.sqrt(var) == pytest.approx(float(res.sigma_kev(10.37)), rel=2e-3)


def test_smearing_uniform_bin_is_exact():
    # a flat true spectrum far wider than sigma stays flat in the middle
    true = np.linspace(0.0, 100.0, 101)
    out = smear(np.ones(100), true, np.linspace(40, 60, 21), Resolution(1.0))
    assert np.allclose(out.counts, 1.0, rtol=1e-9)


def test_efficiencies():
    assert StepEfficiency(12.0)([11.99, 12.0, 50.0]).tolist() == [0.0, 1.0, 1.0]
    erf = ErfEfficiency(0.22, 0.02, plateau=0.9)
    assert float(erf(0.22)) == pytest.approx(0.45)
    assert float(erf(0.5)) == pytest.approx(0.9)
    tab = TabulatedEfficiency([0.2, 0.4, 1.0], [0.0, 0.5, 1.0])
    assert float(tab(0.3)) == pytest.approx(0.25)
    with pytest.raises(OutOfRangeError, match="e_kev=1.5"):
        tab(1.5)
    with pytest.raises(InvalidParameterError):
        TabulatedEfficiency([0.2, 0.4], [0.0, 1.2])
    avg = bin_averaged_efficiency(StepEfficiency(12.0), [10.0, 12.0, 14.0])
    assert avg.tolist() == [0.0, 1.0]


def test_exposure_scaling():
    x = Exposure(mass_kg=1.06, live_days_on=570.7, live_days_off=127.8)
    assert x.on_kg_day == pytest.approx(604.942)
    y = Exposure(mass_kg=2.12, live_days_on=570.7, live_days_off=127.8, fiducial_fraction=0.5,
                 dead_time_fraction=0.1)
    assert y.on_kg_day == pytest.approx(0.9 * x.on_kg_day)
    assert y.off_kg_day / y.on_kg_day == pytest.approx(127.8 / 570.7)
    with pytest.raises(InvalidParameterError, match="mass_kg"):
        Exposure(mass_kg=-1.0, live_days_on=1.0)


# -- exact bin means of the efficiency curves ------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _dense_mean(eff, edges, n=400):
    """Reference: Gauss-Legendre with 400 points per bin on a callable without bin_mean."""
    return bin_averaged_efficiency(lambda e: eff(e), edges, n_nodes=n)


@settings(max_examples=60, deadline=None)
@given(t=st.floats(0.0, 20.0), plateau=st.floats(0.0, 1.0),
       widths=st.lists(st.floats(0.01, 3.0), min_size=1, max_size=12))
def test_step_bin_mean_is_the_fraction_above_threshold(t, plateau, widths):
    edges = np.concatenate([[1.0], 1.0 + np.cumsum(widths)])
    got = bin_averaged_efficiency(StepEfficiency(t, plateau), edges)
    frac = np.clip(edges[1:] - np.maximum(edges[:-1], t), 0, None) / np.diff(edges)
    assert np.allclose(got, plateau * frac, rtol=1e-12, atol=1e-15)
    # the counts of a flat spectrum: plateau x the width above threshold
    assert np.sum(got * np.diff(edges)) == pytest.approx(
        plateau * max(0.0, edges[-1] - max(edges[0], t)), rel=1e-12, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(t=st.floats(0.05, 2.0), w=st.floats(1e-3, 0.5), plateau=st.floats(0.1, 1.0))
def test_erf_bin_mean_is_the_exact_integral(t, w, plateau):
    """Against dense quadrature (bins of 0.05 keV; a turn-on narrower than a bin included),
    and the step in the limit of a vanishing width."""
    edges = np.linspace(0.0, 3.0, 61)
    eff = ErfEfficiency(t, w, plateau)
    got = bin_averaged_efficiency(eff, edges)
    assert np.all((got >= 0) & (got <= plateau * (1 + 1e-12)))
    ref = _dense_mean(eff, edges) if w > 0.02 else None
    if ref is not None:
        assert np.allclose(got, ref, rtol=0, atol=2e-12)
    sharp = bin_averaged_efficiency(ErfEfficiency(t, 1e-9, plateau), edges)
    assert np.allclose(sharp, bin_averaged_efficiency(StepEfficiency(t, plateau), edges),
                       rtol=0, atol=1e-8)


def test_erf_bin_mean_far_from_threshold_is_exact_zero_or_plateau():
    eff = ErfEfficiency(10.0, 0.01, 0.9)
    assert bin_averaged_efficiency(eff, [0.0, 0.5, 9.0]).tolist() == [0.0, 0.0]
    assert bin_averaged_efficiency(eff, [20.0, 30.0]).tolist() == pytest.approx([0.9],
                                                                                rel=1e-14)


def test_tabulated_bin_mean_with_kinks_inside_bins():
    """Knots inside bins (where 8-point quadrature is not exact): the mean of a piecewise
    linear curve written out by hand; outside the table is an error."""
    tab = TabulatedEfficiency([0.0, 0.3, 1.1, 2.0], [0.0, 0.6, 0.8, 0.8])
    # bin [0.2, 0.5]: 0.1 keV on 2x (0.4..0.6), 0.2 keV on 0.6 + 0.25 (x - 0.3)
    first = (0.1 * 0.5 * (0.4 + 0.6) + 0.2 * 0.5 * (0.6 + 0.65)) / 0.3
    # bin [0.5, 1.5]: 0.6 keV from 0.65 to 0.8, 0.4 keV at 0.8
    second = (0.6 * 0.5 * (0.65 + 0.8) + 0.4 * 0.8) / 1.0
    got = bin_averaged_efficiency(tab, [0.2, 0.5, 1.5])
    assert got == pytest.approx([first, second], rel=1e-13)
    assert np.allclose(got, _dense_mean(tab, [0.2, 0.5, 1.5], n=2000), rtol=0, atol=1e-6)
    with pytest.raises(OutOfRangeError, match="e_kev=2.5"):
        bin_averaged_efficiency(tab, [1.0, 2.5])


def test_erf_bin_mean_against_adaptive_quadrature_and_for_narrow_bins():
    """Independent recomputation (scipy.integrate.quad with the 50 % point as a break point),
    bins from 1e-9 keV to 40 keV wide; narrow bins (Simpson branch, u1 - u0 < 1e-3) and bins far
    above threshold (2u + i erfc(u) branch) keep 1e-13 accuracy where the plain difference
    G(u1) - G(u0) lost up to 1e-9."""
    from scipy.integrate import quad

    eff = ErfEfficiency(0.2, 0.03, 0.8)
    du = 1e-3 * math.sqrt(2) * 0.03          # bin width in keV where the branches meet
    bins = [(0.21, 0.21 + 0.999999 * du), (0.21, 0.21 + 1.000001 * du),
            (0.2, 0.2 + 1e-9), (0.1, 0.1 + 1e-8), (0.25, 0.25 + 1e-7), (0.19, 0.2 + 4e-5),
            (0.15, 0.35), (0.0, 40.0), (100.0, 100.001), (1000.0, 1000.0 + 1e-6), (0.3, 0.31)]
    for lo, hi in bins:
        pts = [0.2] if lo < 0.2 < hi else None
        ref = quad(lambda x: float(eff(x)), lo, hi, points=pts, epsabs=0, epsrel=2e-14,
                   limit=200)[0] / (hi - lo)
        got = float(bin_averaged_efficiency(eff, [lo, hi])[0])
        assert got == pytest.approx(ref, rel=1e-12, abs=1e-15), (lo, hi)
    assert float(eff.bin_mean([0.2 - 1e-9, 0.2 + 1e-9])[0]) == pytest.approx(0.4, rel=1e-15)


def test_bin_averaged_efficiency_rejects_bad_input():
    step = StepEfficiency(1.0)
    with pytest.raises(InvalidParameterError, match="n_nodes=0"):
        bin_averaged_efficiency(lambda e: step(e), [0.0, 2.0], n_nodes=0)
    with pytest.raises(InvalidParameterError, match="n_nodes=2.5"):
        bin_averaged_efficiency(lambda e: step(e), [0.0, 2.0], n_nodes=2.5)
    with pytest.raises(InvalidParameterError, match="eff=0.5"):
        bin_averaged_efficiency(0.5, [0.0, 2.0])
    with pytest.raises(InvalidParameterError, match="edges_kev"):
        bin_averaged_efficiency(step, [2.0, 1.0])
    with pytest.raises(InvalidParameterError, match=r"mean efficiency nan over the bin 0-2 keV"):
        bin_averaged_efficiency(lambda e: np.full(np.shape(e), np.nan), [0.0, 2.0])
    with pytest.raises(InvalidParameterError, match=r"mean efficiency 1.5 .* lie in \[0, 1\]"):
        bin_averaged_efficiency(lambda e: np.full(np.shape(e), 1.5), [0.0, 2.0])
    with pytest.raises(InvalidParameterError, match="returned shape"):
        bin_averaged_efficiency(lambda e: 1.0, [0.0, 2.0])

    class BadMean:
        def __call__(self, e):
            return np.ones_like(e)

        def bin_mean(self, edges):
            return np.ones(5)

    with pytest.raises(InvalidParameterError, match="bin_mean returned shape"):
        bin_averaged_efficiency(BadMean(), [0.0, 1.0, 2.0])


def test_tabulated_efficiency_errors_name_the_value():
    with pytest.raises(InvalidParameterError, match=r"efficiency\[1\]=1.2 \(at e_kev=0.4 keV\)"):
        TabulatedEfficiency([0.2, 0.4], [0.0, 1.2])
    with pytest.raises(InvalidParameterError, match=r"shape \(3,\) for e_kev of shape \(2,\)"):
        TabulatedEfficiency([0.2, 0.4], [0.0, 0.5, 1.0])


@settings(max_examples=40, deadline=None)
@given(knots=st.lists(st.floats(0.01, 2.0), min_size=1, max_size=8),
       vals=st.lists(st.floats(0.0, 1.0), min_size=9, max_size=9),
       cuts=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=10))
def test_tabulated_bin_mean_sums_to_the_trapezoid_integral(knots, vals, cuts):
    """Invariant: sum of mean x width over bins covering the table = the exact (trapezoid)
    integral of the piecewise-linear curve, for any bin edges, knots falling inside bins or not;
    and each mean lies between the curve's min and max over its bin."""
    k = np.concatenate([[0.5], 0.5 + np.cumsum(knots)])
    y = np.array(vals[:k.size])
    tab = TabulatedEfficiency(k, y)
    inner = k[0] + np.unique(np.array(cuts)) * (k[-1] - k[0])
    edges = np.unique(np.concatenate([[k[0]], inner, [k[-1]]]))
    edges = edges[np.concatenate([[True], np.diff(edges) > 1e-9])]
    edges[-1] = k[-1]
    got = bin_averaged_efficiency(tab, edges)
    assert np.sum(got * np.diff(edges)) == pytest.approx(np.trapezoid(y, k), rel=1e-12, abs=1e-14)
    assert np.all(got >= y.min() - 1e-12) and np.all(got <= y.max() + 1e-12)
