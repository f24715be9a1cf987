"""Bounds of the unbinned likelihood's nuisances: a background (or the known SM component)
cannot have a negative intensity, 1 + nu >= 0 (the declared lower bound of its normalisation),
also where the total density would stay >= 0 without it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuem.inference.binned_poisson import poisson_upper_mean
from nuem.inference.event_limits import limit_from_events
from nuem.inference.unbinned_model import UnbinnedModel

D = Path(__file__).parent / "data" / "xenonnt_2022_er"
BKG = str(D / "bkg_model.txt")
UNIT = "events/(t yr keV)"

X = np.linspace(1.0, 30.0, 59)
SIG = 20.0 / X
BKG_D = 12.0 + 0.1 * X
SM = np.full(X.size, 2.5)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 6), seed=st.integers(0, 2**16), nonneg=st.booleans(),
       free_known=st.booleans())
def test_fitted_intensities_are_never_negative(n, seed, nonneg, free_known):
    """Few events (where the background is poorly held): the fitted background and known
    normalisations stay >= -1, free or profiled at any theta >= 0."""
    m = UnbinnedModel(X, SIG, BKG_D, known=SM, known_free=free_known, nonnegative=nonneg)
    e = np.sort(np.random.default_rng(seed).uniform(1.0, 30.0, n))
    rows = np.full((1, max(n, 1)), np.nan)
    rows[0, :n] = e
    for theta in (None, 0.0, 3.0):
        if theta is None and not nonneg and n == 0:
            continue                  # no events and no node condition: theta runs away
        x, f = m.fit_many(rows, theta=theta)
        if np.isfinite(f[0]):
            assert np.all(1.0 + x[0, 1:] >= -1e-9), (theta, x)


def test_single_event_in_a_narrow_window_gives_a_sensible_limit():
    """One event in 29-30 keV of the XENONnT release model (17 background + 2.7 SM events
    expected): a strong deficit. When a negative background was allowed, it cancelled any
    signal. The profile-likelihood limit was then 1.3e-5 mu_B with lambda > 0 required only at
    the event, and 1.6e-10 mu_B (about 85 signal events for one observed event) with
    lambda >= 0 on the whole window. Now the signal allowed stays below the classical Poisson
    limit for one event without background, 3.89 events at 90 % CL (any background only lowers
    it)."""
    for method in ("profile-likelihood", "feldman-cousins"):
        r = limit_from_events("xenonnt-2022", np.array([29.5]), BKG, background_unit=UNIT,
                              e_min_kev=29.0, e_max_kev=30.0, method=method, n_toys=1000,
                              seed=3)
        per_theta = r.details["expected_counts"]["signal_per_unit_theta"]
        assert 0 < r.theta_upper * per_theta < float(poisson_upper_mean(1, 0.9))
        assert 1e-12 < r.upper_limit < 1e-10
        assert 1.0 + r.nuisances["fitted"]["bkg_norm"] >= 0.0
        assert r.stat > 0 and r.total >= r.stat      # inf: one event cannot fix two parameters


def test_release_limit_unchanged_by_the_bound():
    """The XENONnT release (hundreds of events) fits a background of 0.91 x B0, far from the
    bound: the limit is the documented 5.53e-12 mu_B (docs/event_lists.md)."""
    r = limit_from_events("xenonnt-2022", str(D / "data_unbinned_1to30kev.txt"), BKG,
                          background_unit=UNIT)
    assert r.upper_limit == pytest.approx(5.53e-12, rel=2e-3)
    assert r.nuisances["fitted"]["bkg_norm"] == pytest.approx(-0.094, abs=2e-3)


@pytest.mark.parametrize("events, n", [("# no event passed the cuts\n", 0), ("29.5\n", 1)])
def test_cli_zero_or_one_event(tmp_path, capsys, events, n):
    """Zero events is data: a warning says so and the limit is computed; with fewer events
    than fitted parameters the error of the best fit is undefined: null in JSON (never a
    NaN or an infinity) with a note, "error undefined" in the table."""
    import json

    from nuem.cli.main import main

    data = tmp_path / "events.txt"
    data.write_text(events)
    argv = ["limit", "--experiment", "xenonnt-2022", "--data-format", "events", "--data",
            str(data), "--background-file", BKG, "--background-unit", UNIT, "--e-min-kev",
            "29", "--e-max-kev", "30"]
    assert main([*argv, "--json"]) == 0
    out = capsys.readouterr()
    d = json.loads(out.out)
    assert d["n_events"] == n and 1e-12 < d["upper_limit"] < 1e-10
    assert d["total"] is None and d["best_fit_error"] is None and "too few events" in d[
        "errors_note"]
    assert ("holds no event in 29-30 keV" in out.err) == (n == 0)
    assert main(argv) == 0
    assert "(error undefined)" in capsys.readouterr().out


@pytest.mark.parametrize("n_events", [0, 2])
def test_constrained_background_with_few_events_matches_a_constrained_minimiser(n_events):
    """A Gaussian-constrained background and (almost) no events: the likelihood has no
    curvature along theta, and the minimum lies on the constraint lambda >= 0 at a node. The
    Newton step along that constraint comes from the KKT system (the Euclidean projection of a
    scaled-gradient step overflowed and left the fit at its start). Compared with scipy's SLSQP
    on the same objective and constraints."""
    from scipy import optimize

    m = UnbinnedModel(X, SIG, BKG_D, known=SM, background_sigma=0.1, nonnegative=True)
    e = np.linspace(25.0, 28.0, n_events)
    rows = np.full((1, max(n_events, 1)), np.nan)
    rows[0, :n_events] = e
    with np.errstate(all="raise"):
        x, f = m.fit_many(rows)
    S, B, K = (np.trapezoid(v, X) for v in (SIG, BKG_D, SM))

    def obj(p):
        lam = p[0] * np.interp(e, X, SIG) + (1 + p[1]) * np.interp(e, X, BKG_D) + np.interp(
            e, X, SM)
        if np.any(lam <= 0):
            return 1e30
        return 2 * (p[0] * S + (1 + p[1]) * B + K - np.sum(np.log(lam))) + (p[1] / 0.1) ** 2

    cons = [{"type": "ineq", "fun": lambda p: p[0] * SIG + (1 + p[1]) * BKG_D + SM},
            {"type": "ineq", "fun": lambda p: np.array([1 + p[1]])}]
    ref = min((optimize.minimize(obj, x0, method="SLSQP", constraints=cons,
                                 options={"ftol": 1e-14, "maxiter": 1000})
               for x0 in ([0.0, 0.0], [-0.5, -0.05])), key=lambda r: r.fun)
    assert f[0] == pytest.approx(ref.fun, abs=1e-5)
    np.testing.assert_allclose(x[0], ref.x, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("n_events, nonneg", [(2, True), (4, False)])
def test_several_active_constraints_match_a_constrained_minimiser(n_events, nonneg):
    """Few events with the background and the known component both floated: at the minimum
    both intensities sit at 1 + nu = 0 (and, with ``nonnegative``, lambda = 0 at a node), so
    the Newton step must keep several constraints as equalities at once. With one constraint
    projected at a time, the ratio test cut the step to length 0 at the second and the fit
    stopped far from the minimum (-2 ln L 120.9 instead of 14.2 for two events). Compared with
    scipy's SLSQP on the same objective and constraints."""
    from scipy import optimize

    e = np.sort(np.random.default_rng(7).uniform(1.0, 30.0, n_events))
    m = UnbinnedModel(X, SIG, BKG_D, known=SM, known_free=True, nonnegative=nonneg)
    x, f = m.fit_many(e[None, :])
    S, B, K = (np.trapezoid(v, X) for v in (SIG, BKG_D, SM))

    def lam(p, at):
        return (p[0] * np.interp(at, X, SIG) + (1 + p[1]) * np.interp(at, X, BKG_D)
                + (1 + p[2]) * np.interp(at, X, SM))

    def obj(p):
        v = lam(p, e)
        if np.any(v <= 0):
            return 1e30
        return 2 * (p[0] * S + (1 + p[1]) * B + (1 + p[2]) * K - np.sum(np.log(v)))

    cons = [{"type": "ineq", "fun": lambda p: np.array([1 + p[1], 1 + p[2]])}]
    if nonneg:
        cons.append({"type": "ineq", "fun": lambda p: lam(p, X)})
    ref = min((optimize.minimize(obj, x0, method="SLSQP", constraints=cons,
                                 options={"ftol": 1e-14, "maxiter": 2000})
               for x0 in ([0.0, 0.0, 0.0], [0.5, -0.5, 0.0], [0.0, -0.9, 0.0])),
              key=lambda r: r.fun)
    assert f[0] == pytest.approx(ref.fun, abs=1e-3)
    np.testing.assert_allclose(x[0], ref.x, atol=2e-3)
    assert np.all(1.0 + x[0, 1:] >= -1e-9)


def test_negative_seed_is_a_clear_error_in_the_library():
    """numpy refuses a negative seed with its own ValueError; the library names the
    parameter (the command line checks it while parsing)."""
    from nuem._validation import check_seed
    from nuem.exceptions import InvalidParameterError

    assert check_seed(None) is None and check_seed(np.int64(3)) == 3
    g = np.random.default_rng(1)
    assert check_seed(g) is g
    for bad in (-1, 1.5, True, "3"):
        with pytest.raises(InvalidParameterError, match="seed="):
            check_seed(bad)
    with pytest.raises(InvalidParameterError, match="seed=-1"):
        limit_from_events("xenonnt-2022", np.array([29.5]), BKG, background_unit=UNIT,
                          e_min_kev=29.0, e_max_kev=30.0, method="feldman-cousins",
                          n_toys=100, seed=-1)
