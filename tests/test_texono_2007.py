"""TEXONO 1.06-kg HPGe: what the published mu_nu limits should be compared with.

Published limits (90 % CL, free electrons, the same detector at the Kuo-Sheng reactor laboratory,
12 keV analysis threshold):

* H.B. Li et al. (TEXONO), PRL 90, 131802 (2003): mu_nu < 1.3e-10 mu_B from "4712 and 1250 hours
  of Reactor ON and OFF data" and "a background level of 1 [per kg keV day] at 12-60 keV" (abstract;
  the limit as tabulated by Wong & Li, MPLA 20, 1103 (2005), Sec. 4.3);
* H.T. Wong et al. (TEXONO), PRD 75, 012001 (2007): mu_nu < 7.4e-11 mu_B from 570.7/127.8 days
  ON/OFF (Wong, Li & Lin, PRL 105, 061801 (2010)).

A published limit is a limit *from data*: it differs from the expected (median) sensitivity by the
data's fluctuation. The best-fit value of mu_nu^2 of the 2007 analysis could not be read, so these
tests compare the two data sets of the same detector instead: with the 2003 exposure the expected
sensitivity (preset background, window, response) matches the 2003 limit (smooth OFF model 1.10x),
while the 2007 limit improves on the 2003 one by 1.76x although the exposures allow 1.26-1.29x. The
2007 limit therefore corresponds to a best fit about 1.1 sigma (smooth) / 1.6 sigma (binned) below
zero in nuem's model, or to analysis differences the preset does not contain.
"""

import numpy as np
import pytest

from nuem.experiments import get_experiment, hypothetical_experiment
from nuem.inference import expected_sensitivity, fc_gaussian_interval, mu_nu_limit_from_mu2

LIMIT_2003, LIMIT_2007 = 1.3e-10, 7.4e-11
DAYS_2003 = (4712.0 / 24.0, 1250.0 / 24.0)          # Li et al. 2003: live hours ON, OFF
DAYS_2007 = (570.7, 127.8)                          # Wong, Li & Lin 2010: days ON/OFF


def _exp(days):
    if days == DAYS_2007:
        return get_experiment("texono-hpge")
    return hypothetical_experiment("texono-hpge", days_on=days[0], days_off=days[1])


def _sens(days, off_model):
    return expected_sensitivity(_exp(days), off_model=off_model)


def _implied_z(sigma_theta, limit):
    """theta_hat / sigma of the FC 90 % Gaussian upper end equal to (limit / 1e-11 mu_B)^2."""
    from scipy.optimize import brentq

    target = (limit / 1e-11) ** 2
    return brentq(lambda z: fc_gaussian_interval(z * sigma_theta, sigma_theta, 0.9).upper
                  - target, -6.0, 3.0)


def test_preset_exposure_is_the_2007_data_set():
    e = get_experiment("texono-hpge")
    assert e.exposure.on_kg_day == pytest.approx(1.06 * 570.7, rel=1e-12)
    assert e.exposure.off_kg_day == pytest.approx(1.06 * 127.8, rel=1e-12)
    assert (e.analysis.e_min_kev, e.analysis.e_max_kev) == (12.0, 60.0)


@pytest.mark.parametrize("off_model, ratio", [("smooth", 1.100), ("binned", 1.272)])
def test_2003_exposure_expected_sensitivity_matches_the_2003_limit(off_model, ratio):
    r = _sens(DAYS_2003, off_model)
    assert r.median / LIMIT_2003 == pytest.approx(ratio, abs=0.01)
    lo, hi = r.band_1sigma
    assert lo < LIMIT_2003 < hi                     # the 2003 limit is a typical outcome
    if off_model == "smooth":
        assert r.median < 1.25 * LIMIT_2003


def test_binned_gain_2003_to_2007_is_the_exposure_scaling():
    """Background-dominated binned ON-OFF: sigma_theta^2 is proportional to 1/t_on + 1/t_off
    (the SM nu-e and coherent terms are <1 % of the 1 cpkkd background), and mu_nu to
    sigma_theta^(1/2) (Wong & Li, MPLA 20, 1103 (2005), Eq. 10)."""
    gain = _sens(DAYS_2003, "binned").median / _sens(DAYS_2007, "binned").median
    (a_on, a_off), (b_on, b_off) = DAYS_2003, DAYS_2007
    expect = ((1 / a_on + 1 / a_off) / (1 / b_on + 1 / b_off)) ** 0.25
    assert gain == pytest.approx(expect, rel=2e-3)
    assert gain == pytest.approx(1.262, abs=0.002)


def test_published_2007_gain_exceeds_what_the_exposures_allow():
    published_gain = LIMIT_2003 / LIMIT_2007                          # 1.757
    for off_model in ("binned", "smooth"):
        gain = _sens(DAYS_2003, off_model).median / _sens(DAYS_2007, off_model).median
        # bounded by the ON and OFF exposure ratios to the 1/4 power
        assert (DAYS_2007[1] / DAYS_2003[1]) ** 0.25 - 1e-3 < gain
        assert gain < (DAYS_2007[0] / DAYS_2003[0]) ** 0.25
        assert published_gain / gain > 1.35


@pytest.mark.parametrize("days, limit, off_model, z", [
    (DAYS_2007, LIMIT_2007, "smooth", -1.140), (DAYS_2007, LIMIT_2007, "binned", -1.578),
    (DAYS_2003, LIMIT_2003, "smooth", -0.299), (DAYS_2003, LIMIT_2003, "binned", -0.708)])
def test_best_fit_implied_by_each_published_limit(days, limit, off_model, z):
    """The best fit theta_hat = z sigma_theta whose FC limit is the published one; fed back through
    the residual-limit function it returns the published limit."""
    r = _sens(days, off_model)
    got = _implied_z(r.sigma_theta, limit)
    assert got == pytest.approx(z, abs=0.005)
    back = mu_nu_limit_from_mu2(got * r.sigma_theta, r.sigma_theta)
    assert back["upper_limit"] == pytest.approx(limit, rel=1e-6)


def test_2007_limit_lies_between_the_1_and_2_sigma_bands():
    for off_model in ("smooth", "binned"):
        r = _sens(DAYS_2007, off_model)
        assert r.band_2sigma[0] < LIMIT_2007 < r.band_1sigma[0]


def test_halving_the_background_is_not_enough_for_25_percent():
    """The smooth median is within 25 % of 7.4e-11 only for a background below 0.5 cpkkd,
    against ~1 cpkkd quoted at 12-60 keV (Li et al. 2003) and at 10-20 keV (Wong & Li 2005)."""
    ratios = [expected_sensitivity(hypothetical_experiment("texono-hpge", background_cpkkd=b),
                                   off_model="smooth").median / LIMIT_2007 for b in (0.5, 1.0)]
    assert np.allclose(ratios, [1.263, 1.501], atol=0.005)
    assert ratios[0] > 1.25
