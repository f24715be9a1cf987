r"""Two-sided intervals on the signed neutrino charge radius ⟨r²⟩ (profile likelihood).

⟨r²⟩ enters the ν–e cross section through a shift of g_V that is linear in ⟨r²⟩ (the size of
the shift per cm² is set by the convention, :mod:`nuem.interactions.charge_radius`), and the
cross section is quadratic in g_V (Wong & Li, Mod. Phys. Lett. A 20, 1103 (2005), Eq. 4). So
with θ = ⟨r²⟩/10⁻³² cm² the signal in every bin is *exactly*

.. math:: s_i(\theta) = a_i\,\theta + b_i\,\theta^2, \qquad
          a_i = [S_i(+1) - S_i(-1)]/2, \quad b_i = [S_i(+1) + S_i(-1)]/2 - S_i(0),

S_i(θ) the ``sm_electron`` counts at θ (:func:`quadratic_templates`). For a Gaussian residual
r_i ± σ_i (weights w_i = 1/σ_i², known expectation k_i subtracted),
χ²(θ) = Σ w_i (r_i − k_i − a_iθ − b_iθ²)² is a quartic polynomial in θ, and the interval at
confidence level CL is the profile-likelihood (Wilks) set

.. math:: \{\theta:\ \chi^2(\theta) - \chi^2_\mathrm{min} \le q\}, \qquad
          q = F^{-1}_{\chi^2_1}(\mathrm{CL})

(q = 2.706 at 90 %: for a linear model the Feldman–Cousins interval of an unbounded Gaussian
parameter, θ̂ ± 1.645 σ; PDG "Statistics", Sec. 40.4.2.2; Wilks, Ann. Math. Stat. 9, 60 (1938)).
The set is found exactly from the real roots of the quartic χ²(θ) − χ²_min − q. It is
connected near θ̂; a second, disconnected region can exist near the value where g_V changes
sign (θ ≈ −2 g_V/x, x the g_V shift per 10⁻³² cm², ≈ −80 for ν̄e in ``gv-shift``): it is
reported as ``disconnected`` and not merged into ``lower``/``upper``. With nuisance parameters
(flux and cross-section normalisations, energy scale, background templates) the quartic no
longer holds; :func:`profile_scan_interval` then profiles them on a grid of θ
(:meth:`nuem.inference.LikelihoodModel.profile`, the quadratic term added to the known
expectation; normalisation nuisances act on the linear term only, a first-order statement).
"""

from __future__ import annotations

import numpy as np

from ..exceptions import InvalidParameterError
from ._common import check_cl

__all__ = ["R2_REF_CM2", "quadratic_templates", "chi2_quartic", "quartic_interval",
           "profile_scan_interval", "wilks_threshold"]

#: θ = ⟨r²⟩ / R2_REF_CM2.
R2_REF_CM2 = 1e-32


def wilks_threshold(cl: float) -> float:
    """q = F⁻¹_{χ²₁}(cl): Δχ² of a two-sided interval on one parameter (2.706 at 90 %)."""
    from scipy.stats import chi2

    return float(chi2.ppf(check_cl(cl), 1))


def quadratic_templates(experiment, atomic=None, **physics):
    """(a, b, s0): linear and quadratic ``sm_electron`` counts per analysis bin per unit θ and
    the zero-signal :class:`nuem.experiments.ObservedSpectrum` (module docstring).

    ``physics``: ``couplings``, ``r2_convention`` (:func:`nuem.experiments.observed_spectrum`).
    """
    from ..experiments import observed_spectrum

    s0 = observed_spectrum(experiment, atomic=atomic, **physics)
    sp = observed_spectrum(experiment, r2_cm2=R2_REF_CM2, atomic=atomic, **physics)
    sm = observed_spectrum(experiment, r2_cm2=-R2_REF_CM2, atomic=atomic, **physics)
    c0 = np.asarray(s0.components["sm_electron"], float)
    cp = np.asarray(sp.components["sm_electron"], float)
    cm = np.asarray(sm.components["sm_electron"], float)
    return 0.5 * (cp - cm), 0.5 * (cp + cm) - c0, s0


def chi2_quartic(residual, weight, a, b):
    """Coefficients (c4, c3, c2, c1, c0), highest power first, of Σ w (r − aθ − bθ²)²;
    ``residual`` may carry leading batch axes (..., bins)."""
    r = np.asarray(residual, float)
    w, a, b = (np.asarray(x, float) for x in (weight, a, b))
    return np.stack([np.sum(w * b * b, -1) + 0 * r[..., 0], np.sum(2 * w * a * b, -1)
                     + 0 * r[..., 0], np.sum(w * (a * a - 2 * r * b), -1),
                     np.sum(-2 * w * r * a, -1), np.sum(w * r * r, -1)], axis=-1)


def _real_roots(c):
    z = np.roots(c)
    return np.sort(z[np.abs(z.imag) <= 1e-9 * (1 + np.abs(z.real))].real)


def quartic_interval(coeffs, cl: float = 0.9) -> dict:
    """Best fit and two-sided interval from the coefficients of a quartic χ²(θ) (module
    docstring). Returns ``best``, ``lower``, ``upper``, ``chi2_min``, ``q`` and
    ``disconnected`` (list of [lo, hi] of further regions below the threshold).

    Examples
    --------
    A linear model (c4 = c3 = 0) with σ_θ = 2, θ̂ = 1: the interval is 1 ± 1.645 × 2.

    >>> r = quartic_interval([0.0, 0.0, 0.25, -0.5, 0.25], 0.9)
    >>> round(r["best"], 6), round(r["lower"], 4), round(r["upper"], 4)
    (1.0, -2.2897, 4.2897)
    """
    c = np.trim_zeros(np.asarray(coeffs, float), "f")
    if c.size not in (3, 5) or not np.all(np.isfinite(c)) or c[0] <= 0:
        raise InvalidParameterError("the chi^2 of theta must be a polynomial of degree 2 or 4 "
                                    "with a positive leading coefficient (signal in no bin?)")
    q = wilks_threshold(cl)
    stat = _real_roots(np.polyder(c))
    vals = np.polyval(c, stat)
    best = float(stat[np.argmin(vals)])
    fmin = float(np.polyval(c, best))
    shifted = c.copy()
    shifted[-1] -= fmin + q
    ends = _real_roots(shifted)
    regions = [(float(lo), float(hi)) for lo, hi in zip(ends[::2], ends[1::2], strict=False)]
    main = next((rg for rg in regions if rg[0] <= best <= rg[1]), (best, best))
    return {"best": best, "lower": main[0], "upper": main[1], "chi2_min": fmin, "q": q,
            "disconnected": [list(rg) for rg in regions if rg != main]}


def profile_scan_interval(model, data, b, cl: float = 0.9, *, n_grid: int = 161) -> dict:
    """Two-sided interval of θ for a model with nuisances: −2 ln L profiled at each θ of a
    grid around the fit (±6 σ_total), the quadratic term b θ² moved into the data; the ends
    are interpolated where Δ(−2 ln L) crosses q. An end that lies beyond the grid is returned as
    −inf / +inf (not extrapolated). Residual models only; ``n_grid`` >= 3."""
    n_grid = int(n_grid)
    if n_grid < 3:
        raise InvalidParameterError(f"n_grid={n_grid} must be >= 3")
    if getattr(model, "kind", "") != "residual":
        raise InvalidParameterError("a two-sided <r^2> interval needs a Gaussian residual model "
                                    "(ON/OFF data without --joint-poisson, or a residual file)")
    fit = model.fit(data)
    q = wilks_threshold(cl)
    half = 6.0 * fit.total
    grid = np.linspace(fit.best_fit - half, fit.best_fit + half, n_grid)
    r = np.asarray(data, float)
    bb = np.asarray(b, float)
    prof = np.array([model.profile(th, r - bb * th * th).m2lnl for th in grid])
    d = prof - prof.min()
    i0 = int(np.argmin(d))
    below = d <= q
    lo_i, hi_i = i0, i0
    while lo_i > 0 and below[lo_i - 1]:
        lo_i -= 1
    while hi_i < grid.size - 1 and below[hi_i + 1]:
        hi_i += 1

    def cross(i, j):
        return float(np.interp(q, [d[i], d[j]], [grid[i], grid[j]])) if d[j] != d[i] \
            else float(grid[j])

    lower = cross(lo_i, lo_i - 1) if lo_i > 0 else -np.inf
    upper = cross(hi_i, hi_i + 1) if hi_i < grid.size - 1 else np.inf
    return {"best": float(grid[i0]), "lower": lower, "upper": upper,
            "chi2_min": float(prof.min()), "q": q, "disconnected": [],
            "method": "profile scan (nuisances profiled)"}
