r"""Upper limits from a likelihood model's profile: asymptotic (Wilks) and Feldman–Cousins by toys.

Test statistic (G. Cowan, K. Cranmer, E. Gross, O. Vitells, EPJC 71, 1554 (2011), the statistic
q̃_μ for upper limits): with θ̂ the unconditional best fit and θ̂₊ = max(θ̂, 0),

.. math:: \tilde q(\theta) = -2\ln\frac{L(\theta, \hat{\hat\nu}(\theta))}
          {L(\hat\theta_+, \hat{\hat\nu}(\hat\theta_+))}\quad (\theta \ge \hat\theta_+),
          \qquad \tilde q(\theta) = 0 \quad (\theta < \hat\theta),

ν̂̂(θ) the nuisances minimising −2 ln L at fixed θ (profile likelihood; PDG "Statistics",
Sec. 40.3.2.1). Using the physical best fit θ̂₊ in the denominator puts the boundary of the
parameter space, θ ≥ 0, into the statistic.

``profile-likelihood`` (:func:`profile_upper_limit`)
    Asymptotic one-sided upper limit: θ_up solves q̃(θ_up) = [Φ⁻¹(CL)]² (1.6424 at 90 % CL),
    i.e. the p-value of θ is taken as 1 − Φ(√q̃) (S.S. Wilks, Ann. Math. Stat. 9, 60 (1938);
    Cowan et al. 2011, Sec. 3: the asymptotic distribution of q̃_μ). For a Gaussian estimate
    θ̂ ± σ this gives θ_up = θ̂ + Φ⁻¹(CL) σ when θ̂ ≥ 0, exactly the asymptotic result of Cowan
    et al. (there q̃(θ) ≤ θ²/σ²). When θ̂ < 0 it gives θ_up = θ̂ + (θ̂² + [Φ⁻¹(CL)]² σ²)^{1/2}
    (q̃(θ) = (θ² − 2θθ̂)/σ²): Cowan et al.'s distribution of q̃_μ has a second branch above
    θ²/σ², whose CLs+b limit would be θ̂ + Φ⁻¹(CL) σ (it can be 0 or empty); the limit
    here is larger than that, and smaller than the asymptotic CLs limit. For θ̂ < 0 this is
    the bounded-likelihood construction (the likelihood ratio taken to the best fit in the
    physical region; W.A. Rolke, A.M. López, J. Conrad, NIM A 551, 493 (2005)) with the
    one-sided critical value: it never gives an empty or zero limit for a deficit, and it
    over-covers there (conservative). Valid when the
    likelihood is close to Gaussian in θ (large expected counts in the region the signal
    populates) and θ not too close to the boundary relative to its error; near θ = 0 with
    few signal counts its coverage is approximate — compare with Feldman–Cousins by toys.
``feldman-cousins`` for unbinned models (:func:`fc_upper_limit`)
    The construction of Feldman & Cousins (PRD 57, 3873 (1998), Sec. V) with t(θ) = q̃ computed
    without the θ < θ̂ clause (FC order by the likelihood ratio to the best fit in the physical
    region): on a θ grid, ``n_toys`` pseudo-experiments per point give the CL quantile
    t_c(θ) (:func:`nuem.inference.fc_toy_belt`, seeded, one random stream per point); the
    interval is {θ: t_obs(θ) ≤ t_c(θ)}, its upper edge interpolated linearly between grid
    points. Nuisances of the toys: their conditional best fit to the data at each θ (the
    profile construction); a Gaussian-constrained nuisance's auxiliary measurement is not
    re-sampled (its centre stays at the nominal value).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq
from scipy.stats import norm

from ..exceptions import InvalidParameterError, NuemError
from ._common import Interval, check_cl

__all__ = ["threshold", "q_tilde", "profile_upper_limit", "fc_upper_limit", "VALIDITY"]

#: Validity statement attached to asymptotic limits.
VALIDITY = ("asymptotic (Wilks): one-sided test statistic q~ with the boundary at theta = 0 "
            "(Cowan, Cranmer, Gross, Vitells, EPJC 71, 1554 (2011)); valid for a likelihood "
            "close to Gaussian in theta; compare with feldman-cousins by toys near theta = 0")


def threshold(cl: float) -> float:
    """[Φ⁻¹(CL)]²: the q̃ value of the one-sided asymptotic upper limit.

    Examples
    --------
    >>> round(threshold(0.9), 4)
    1.6424
    """
    return float(norm.ppf(check_cl(cl)) ** 2)


def _reference(model, data):
    fit = model.fit(data)
    phys = max(float(fit.best_fit), 0.0)
    return fit, phys, float(model.profile(phys, data).m2lnl)


def q_tilde(model, data, thetas, reference=None) -> np.ndarray:
    """q̃(θ) at each θ (module docstring); ``reference`` = (fit, θ̂₊, m2lnl(θ̂₊)) if known."""
    fit, phys, ref = reference or _reference(model, data)
    out = []
    for th in np.atleast_1d(np.asarray(thetas, float)):
        if th < fit.best_fit:
            out.append(0.0)
            continue
        out.append(max(float(model.profile(float(th), data).m2lnl) - ref, 0.0))
    return np.array(out)


def profile_upper_limit(model, data, cl: float = 0.9) -> Interval:
    """Asymptotic profile-likelihood upper limit on θ (module docstring).

    Works for any model with ``fit(data)`` and ``profile(theta, data)``
    (:mod:`nuem.inference.likelihood`).

    Examples
    --------
    Gaussian residual, θ̂ = 1 ± 1 (no nuisances): θ_up = θ̂ + Φ⁻¹(0.9) σ.

    >>> from nuem.inference import ResidualModel
    >>> m = ResidualModel([1.0], [1.0])
    >>> round(profile_upper_limit(m, [1.0], 0.9).upper, 4)
    2.2816
    """
    z2 = threshold(cl)
    fit, phys, ref = _reference(model, data)
    reference = (fit, phys, ref)

    def g(th):
        return float(q_tilde(model, data, [th], reference)[0]) - z2

    scale = float(fit.total) if np.isfinite(fit.total) and fit.total > 0 else 1.0
    hi = phys + scale
    for _ in range(80):
        if g(hi) > 0:
            break
        hi = phys + 2.0 * (hi - phys)
    else:
        raise NuemError("profile-likelihood: the test statistic does not reach the threshold; "
                        "the data do not constrain the parameter")
    up = brentq(g, phys, hi, xtol=1e-9 * max(hi, 1e-300), rtol=1e-10)
    return Interval(0.0, float(up), cl, "profile-likelihood",
                    {"theta_hat": float(fit.best_fit), "theta_hat_physical": phys,
                     "threshold": z2, "test_statistic": "q~ (profile likelihood ratio, "
                     "boundary at theta = 0)", "validity": VALIDITY})


def _root(t_of, level, lo, hi):
    return float(brentq(lambda th: t_of(th) - level, lo, hi, xtol=1e-9 * max(hi, 1e-300)))


def _crossing(grid, g, i):
    """θ where g (= t_obs - t_crit) crosses zero between grid points i and i + 1."""
    return float(grid[i] + (grid[i + 1] - grid[i]) * g[i] / (g[i] - g[i + 1]))


def fc_upper_limit(model, data, cl: float = 0.9, *, n_toys: int = 10_000, seed=0,
                   workers: int = 1, n_grid: int = 9, chunk: int = 2000) -> Interval:
    """Feldman–Cousins interval by toys for a model with ``prepare``, ``fit_prepared`` and
    ``sample`` (:class:`nuem.inference.unbinned_model.UnbinnedModel`; module docstring).

    Toys are run on ``n_grid`` points spread evenly over each band of θ where the observed
    statistic t_obs lies between half the one-sided and 1.5 times the two-sided asymptotic
    critical values, [Φ⁻¹(CL)]²/2 and 1.5 χ²₁(CL) (one band above the physical best fit θ̂₊,
    and one below it when the data exclude θ = 0 at that level): closer to θ̂₊ θ is accepted,
    farther rejected, without toys (critical values of one-parameter problems lie between
    these bounds).
    """
    from scipy.stats import chi2

    from .fc_toys import fc_toy_belt

    if not all(hasattr(model, a) for a in ("prepare", "fit_prepared", "sample")):
        raise InvalidParameterError("feldman-cousins by toys needs a model with prepare, "
                                    "fit_prepared and sample (an unbinned model)")
    cl = check_cl(cl)
    n_toys = int(n_toys)
    if n_toys < 100:
        raise InvalidParameterError(f"n_toys={n_toys} is too small for a {cl:g} quantile; "
                                    "use >= 100 (10000 recommended)")
    n_grid = int(n_grid)
    if n_grid < 3:
        raise InvalidParameterError(f"n_grid={n_grid} must be >= 3")
    d = model.check_data(data)
    pl = profile_upper_limit(model, d, cl)
    phys = float(pl.details["theta_hat_physical"])
    t_d, w_d = model.prepare(d.energies_kev, d.weights)
    f_best = float(model.fit_prepared(t_d, w_d, physical=True)[1][0])
    cache: dict[float, tuple] = {}

    def profile(th):
        th = float(th)
        if th not in cache:
            x, f = model.fit_prepared(t_d, w_d, theta=th)
            cache[th] = (x[0], max(float(f[0]) - f_best, 0.0))
        return cache[th]

    def t_of(th):
        return profile(th)[1]

    lo_t, hi_t = 0.5 * threshold(cl), 1.5 * float(chi2.ppf(cl, 1))
    top = max(pl.upper, phys + 1e-12)
    for _ in range(80):
        if t_of(top) >= hi_t:
            break
        top = phys + 2.0 * (top - phys)
    else:
        raise NuemError(f"feldman-cousins: the test statistic stays below {hi_t:.3g} (1.5 "
                        "chi2_1(CL)) for every theta; the data do not constrain the parameter "
                        "enough for the toy construction")
    upper = np.linspace(_root(t_of, lo_t, phys, top), _root(t_of, hi_t, phys, top), n_grid)
    lower = np.array([])
    if phys > 0 and t_of(0.0) > lo_t:
        a = _root(t_of, hi_t, 0.0, phys) if t_of(0.0) > hi_t else 0.0
        lower = np.linspace(a, _root(t_of, lo_t, 0.0, phys), n_grid)
    grid = np.concatenate([lower, upper])
    t_obs = np.array([t_of(th) for th in grid])

    def sample(th, n, rng):
        return model.sample(profile(th)[0], rng, n)

    def tstat(toys, th):
        out = []
        for s in range(0, toys.energies_kev.shape[0], chunk):
            t, w = model.prepare(toys.energies_kev[s:s + chunk])
            fb = model.fit_prepared(t, w, physical=True)[1]
            ft = model.fit_prepared(t, w, theta=float(th))[1]
            out.append(np.maximum(ft - fb, 0.0))
        return np.concatenate(out)

    belt = fc_toy_belt(grid, sample, tstat, cl, n_toys, seed, workers)
    g = t_obs - belt.t_crit
    gu, gl = g[lower.size:], g[:lower.size]
    acc = np.nonzero(gu <= 0)[0]
    if gu[-1] <= 0:
        raise NuemError("feldman-cousins: the top of the toy grid is accepted (critical value "
                        f"above {hi_t:.3g}); the construction is outside its assumptions")
    up = float(upper[0]) if acc.size == 0 else _crossing(upper, gu, int(acc.max()))
    lo = 0.0
    if lower.size:
        acc = np.nonzero(gl <= 0)[0]
        if acc.size == 0:
            lo = float(lower[-1])
        elif acc.min() > 0:
            lo = _crossing(lower, gl, int(acc.min()) - 1)
        else:
            lo = float(lower[0])
    return Interval(lo, up, cl, "feldman-cousins",
                    {"construction": "toys", "n_toys": n_toys, "seed": seed,
                     "grid_theta": grid.tolist(), "t_obs": t_obs.tolist(),
                     "t_crit": belt.t_crit.tolist(), "band_t": [lo_t, hi_t],
                     "profile_likelihood_upper": pl.upper})
