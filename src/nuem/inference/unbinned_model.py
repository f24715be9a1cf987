r"""Extended unbinned likelihood of an event list: signal + background (+ a known component).

The expected event density in observed energy E (counts per keV for the full exposure) is

.. math:: \lambda(E) = \theta\,s(E) + (1+\nu_b)\,b(E) + (1+\nu_k)\,k(E),

s the signal per unit strength θ (:mod:`nuem.inference.likelihood`: θ = (μν/10⁻¹¹ μB)² ...),
b the background model, k a known component (the SM ν–e rate of the source); all three are
piecewise linear on one grid of nodes spanning the analysis window [E₀, E₁]. ν_b is the relative
background normalisation (free, or Gaussian-constrained with σ_b), ν_k that of the known
component (fixed at 0 by default, or free / constrained). The extended likelihood of events
E_1..E_N with weights w_i (1 for data) is (the extended maximum likelihood; PDG Review of
Particle Physics, "Statistics")

.. math:: -2\ln L = 2\Big[\nu_\mathrm{tot} - \sum_i w_i \ln\lambda(E_i)\Big]
          + \sum_j (\nu_j/\sigma_j)^2, \qquad
          \nu_\mathrm{tot} = \int_{E_0}^{E_1}\lambda(E)\,dE,

up to a data-only constant; the integral is exact for the piecewise-linear densities. λ must be
> 0 at every event; with ``nonnegative=True`` also ≥ 0 on the whole window (at every node: an
intensity), which matters where few events leave room for a negative density between them; a
floated background or known component never has a negative intensity, 1 + ν ≥ 0 (the lower
bound of its normalisation: a negative background could cancel any signal). λ
is linear in the parameters, so −2 ln L is convex on either (convex) set: fits and profiles are
damped Newton iterations with the analytic gradient and Hessian (with ``nonnegative``, each
step cut back to the set and, along a node where λ = 0, projected onto it; vectorised over
pseudo-experiments, see :meth:`UnbinnedModel.fit_many`); errors come from the analytic Hessian
(``stat`` with the nuisances fixed, ``total`` with them profiled, as in
:meth:`nuem.inference.likelihood.LikelihoodModel.fit`). θ may be negative in :meth:`fit`
(as long as λ > 0 at every event); :meth:`fit_many` with ``physical=True`` restricts it to
θ ≥ 0 (the maximum then lies on θ = 0 whenever the free one is negative, by convexity).

Data are :class:`EventData` (energies and weights; :meth:`UnbinnedModel.check_data` also takes
a plain array of energies); toys from :meth:`UnbinnedModel.sample` are :class:`EventToys`
(energies padded with NaN to the largest toy, shape (n, N_max)). The Asimov data set is the
expectation as weighted events at the midpoints of the node segments (weight = expected
counts of the segment; Cowan, Cranmer, Gross, Vitells, EPJC 71, 1554 (2011)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, positive_scalar
from ..exceptions import InvalidParameterError, NuemError
from .likelihood import FitResult, LikelihoodModel, Parameter, ProfileResult
from .unbinned_steps import feasible_step, solve_rows

__all__ = ["EventData", "EventToys", "UnbinnedModel"]

_MAX_ITER = 60
#: Convergence: predicted decrease of -2 ln L below this (far below any test-statistic scale).
_TOL = 1e-9


@dataclass(frozen=True)
class EventData:
    """Event energies (keV) and weights (1 for measured events)."""

    energies_kev: np.ndarray
    weights: np.ndarray

    @property
    def n(self) -> float:
        return float(np.sum(self.weights))


@dataclass(frozen=True)
class EventToys:
    """Pseudo-experiments: energies padded with NaN, shape (n_toys, N_max); ``counts`` (n,)."""

    energies_kev: np.ndarray
    counts: np.ndarray


def _segment_integrals(x, d):
    return 0.5 * (d[..., 1:] + d[..., :-1]) * np.diff(x)


class UnbinnedModel(LikelihoodModel):
    """Extended unbinned likelihood (module docstring).

    Parameters
    ----------
    nodes_kev : array_like
        Strictly increasing node energies (keV); the first and last are the window edges.
    signal : array_like
        Signal density per unit θ at the nodes (counts/keV, not all 0; may be negative where
        the parameter lowers the rate, e.g. ⟨r²⟩).
    background : array_like
        Background density at the nodes (counts/keV, >= 0, not all 0).
    known : array_like, optional
        Known-component density at the nodes (counts/keV, >= 0), e.g. the SM ν–e rate.
    background_sigma : float or None
        σ of the relative background normalisation (None: free; 0: fixed).
    known_sigma : float or None
        σ of the known component's normalisation (None: free, only with ``known_free``).
    known_free : bool
        Float the known component's normalisation (default: fixed).
    nonnegative : bool
        Require λ ≥ 0 at every node, not only λ > 0 at the events (default False). The
        intensities of the floated components, 1 + ν, are >= 0 in either case.

    Examples
    --------
    A flat background of 100 counts over 10 keV and a falling signal; data at the background
    expectation give θ̂ ≈ 0:

    >>> x = np.linspace(1.0, 11.0, 11)
    >>> m = UnbinnedModel(x, 5.0 / x, np.full(11, 10.0))
    >>> ev = np.linspace(1.05, 10.95, 100)
    >>> abs(m.fit(ev).best_fit) < 0.5
    True
    """

    kind = "unbinned"
    _fit_label = "extended unbinned likelihood"

    def __init__(self, nodes_kev, signal, background, *, known=None, background_sigma=None,
                 known_sigma=None, known_free: bool = False, nonnegative: bool = False):
        x = as_float_array(nodes_kev, "nodes_kev")
        if x.ndim != 1 or x.size < 2 or np.any(np.diff(x) <= 0):
            raise InvalidParameterError("nodes_kev must be a strictly increasing 1-d array of "
                                        "at least two energies")
        n = x.size

        def dens(v, name, required=True, signed=False):
            a = as_float_array(v, name)
            if a.shape != (n,):
                raise InvalidParameterError(f"{name} needs one value per node ({n}), got shape "
                                            f"{a.shape}")
            if not signed and np.any(a < 0):
                raise InvalidParameterError(f"{name} must be >= 0 at every node")
            if required and not np.any(a != 0):
                raise InvalidParameterError(f"{name} is zero at every node")
            return a

        comps = [dens(signal, "signal", signed=True), dens(background, "background")]
        comps.append(np.zeros(n) if known is None else dens(known, "known", required=False))
        self.nodes_kev = x
        h = np.diff(x)
        self._step = float(h[0]) if np.allclose(h, h[0], rtol=1e-12, atol=0) else None
        self.templates = np.array(comps)                      # (3, nodes)
        self._nonnegative = bool(nonnegative)
        self.integrals = _segment_integrals(x, self.templates).sum(axis=1)
        params = [Parameter("theta", 0.0, poi=True, description="signal strength")]
        self._free = [0]                                      # template index of each parameter
        if background_sigma is None or background_sigma > 0:
            s = None if background_sigma is None else positive_scalar(background_sigma,
                                                                      "background_sigma")
            params.append(Parameter("bkg_norm", 0.0, s, -1.0, None, s or 0.05,
                                    description="relative background normalisation"))
            self._free.append(1)
        if known_free:
            if known is None:
                raise InvalidParameterError("known_free needs a known component")
            s = None if known_sigma is None else positive_scalar(known_sigma, "known_sigma")
            params.append(Parameter("known_norm", 0.0, s, -1.0, None, s or 0.05,
                                    description="relative normalisation of the known (SM) "
                                                "component"))
            self._free.append(2)
        elif known_sigma is not None:
            raise InvalidParameterError("known_sigma goes with known_free=True")
        super().__init__(params)
        self._sig2 = np.array([np.inf if p.sigma is None else p.sigma ** 2
                               for p in self.parameters])
        # Linear constraints c·column >= 0 on the template coefficients c = (θ, 1 + ν_b,
        # 1 + ν_k): λ at every node (nonnegative), and the intensity of each floated
        # component, 1 + ν >= 0 (a background cannot be negative; the declared lower bound -1 of
        # its normalisation); met up to rounding (tolerance _ntol)
        cols = [self.templates] if nonnegative else []
        cols += [np.eye(3)[:, [t]] for t in self._free[1:]]
        self._cons = np.concatenate(cols, axis=1) if cols else np.zeros((3, 0))
        self._ntol = 1e-12 * max(float(np.max(np.abs(self.templates))), 1.0)

    # -- data -----------------------------------------------------------------------------------
    @property
    def window_kev(self) -> tuple[float, float]:
        return float(self.nodes_kev[0]), float(self.nodes_kev[-1])

    @property
    def bins(self) -> int:          # the protocol's count of data cells: node segments
        return int(self.nodes_kev.size - 1)

    def check_data(self, data) -> EventData:
        """EventData from an EventData or an array of energies inside the window."""
        if isinstance(data, EventData):
            e, w = data.energies_kev, data.weights
        else:
            e = as_float_array(data, "events")
            w = np.ones_like(e)
        if e.ndim != 1 or e.shape != w.shape:
            raise InvalidParameterError("events must be a 1-d array of energies (keV)")
        lo, hi = self.window_kev
        out = (e < lo) | (e > hi)
        if np.any(out):
            raise InvalidParameterError(f"event energy {float(e[out][0])!r} keV is outside the "
                                        f"window [{lo:g}, {hi:g}] keV")
        return EventData(e, w)

    def _values(self, energies):
        """Template values at energies (any shape) -> (3, *shape); NaN energies give 0."""
        x = self.nodes_kev
        e = np.where(np.isnan(energies), x[0], energies)
        if self._step is None:
            return np.stack([np.interp(e, x, t) for t in self.templates])
        j = np.clip(((e - x[0]) / self._step).astype(np.intp), 0, x.size - 2)
        f = (e - x[j]) / self._step
        return self.templates[:, j] * (1.0 - f) + self.templates[:, j + 1] * f

    def _coef(self, x):
        """Linear coefficients of the three templates for parameter vectors x (..., p)."""
        x = np.asarray(x, float)
        c = np.zeros(x.shape[:-1] + (3,))
        c[..., 1] = 1.0
        c[..., 2] = 1.0
        for j, t in enumerate(self._free):
            c[..., t] = c[..., t] + x[..., j] if t else x[..., j]
        return c

    # -- likelihood -----------------------------------------------------------------------------
    @staticmethod
    def _lam(c, t):
        return c[:, 0, None] * t[0] + c[:, 1, None] * t[1] + c[:, 2, None] * t[2]

    def _m2lnl_arrays(self, x, t, w):
        """−2 ln L for parameter vectors x (k, p), template values t (3, k, N), weights (k, N)."""
        c = self._coef(x)
        lam = self._lam(c, t)
        ok = w > 0
        bad = np.any(ok & (lam <= 0), axis=1)
        if self._cons.shape[1]:
            bad |= np.any(c @ self._cons < -self._ntol, axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.log(np.where(ok & (lam > 0), lam, 1.0))
        val = 2.0 * (c @ self.integrals - np.einsum("kn,kn->k", w, logs))
        fin = np.isfinite(self._sig2)
        if np.any(fin):
            val = val + np.sum(x[:, fin] ** 2 / self._sig2[fin], axis=1)
        return np.where(bad, np.inf, val)

    def _m2lnl(self, x, d):
        t = self._values(d.energies_kev)[:, None, :]
        return float(self._m2lnl_arrays(np.asarray(x, float)[None, :], t, d.weights[None, :])[0])

    def _grad_hess(self, x, t, w, free):
        """Gradient and Hessian of −2 ln L in the parameters ``free`` (indices)."""
        lam = self._lam(self._coef(x), t)
        good = w > 0
        inv = np.where(good, w / np.where(good, lam, 1.0), 0.0)
        inv2 = np.where(good, inv / np.where(good, lam, 1.0), 0.0)
        idx = [self._free[j] for j in free]
        nf, k = len(idx), x.shape[0]
        g = np.empty((k, nf))
        h = np.empty((k, nf, nf))
        for a, ta in enumerate(idx):
            g[:, a] = 2.0 * (self.integrals[ta] - np.einsum("kn,kn->k", t[ta], inv))
            ti = t[ta] * inv2
            for b in range(a + 1):
                h[:, a, b] = h[:, b, a] = 2.0 * np.einsum("kn,kn->k", ti, t[idx[b]])
        s2 = self._sig2[free]
        fin = np.isfinite(s2)
        if np.any(fin):
            g[:, fin] += 2.0 * x[:, np.asarray(free)[fin]] / s2[fin]
            h[:, fin, fin] += 2.0 / s2[fin]
        return g, h

    def _newton(self, x0, t, w, free):
        """Damped Newton minimisation over the parameters ``free`` for every row of x0."""
        x = np.array(x0, dtype=float)
        f = self._m2lnl_arrays(x, t, w)
        if not free:
            return x, f
        free = list(free)
        done = ~np.isfinite(f)
        for _ in range(_MAX_ITER):
            g, h = self._grad_hess(x, t, w, free)
            step = -solve_rows(h, g)[0]
            if self._cons.shape[1]:
                idx = [self._free[j] for j in free]
                step = feasible_step(self._coef(x) @ self._cons, self._cons[idx], step, h,
                                     self._ntol, grad=g)
            dec = -np.einsum("kf,kf->k", g, step)             # predicted decrease (>= 0)
            alpha = np.ones(x.shape[0])
            active = ~done & (dec > _TOL)
            if not np.any(active):
                break
            for _ in range(40):
                xn = x.copy()
                xn[:, free] = x[:, free] + alpha[:, None] * step
                fn = self._m2lnl_arrays(xn, t, w)
                worse = active & ~(fn <= f + _TOL)
                if not np.any(worse):
                    break
                alpha = np.where(worse, 0.5 * alpha, alpha)
            take = active & (fn <= f + _TOL)
            done |= active & ~take                 # no feasible decrease along the step: stop
            x = np.where(take[:, None], xn, x)
            f = np.where(take, fn, f)
        return x, f

    def _start(self, n_events, theta=None):
        k = np.size(n_events)
        x0 = np.zeros((k, len(self.names)))
        th = np.zeros(k) if theta is None else np.broadcast_to(theta, (k,)).astype(float)
        x0[:, 0] = th
        if 1 in self._free:     # background normalisation matching the event count,
            j = self._free.index(1)  # raised where needed to keep λ ≥ 0 at the nodes
            rest = n_events - th * self.integrals[0] - self.integrals[2]
            s, b, k_ = self.templates
            pos = b > 0
            need = (np.max(-(th[:, None] * s[pos] + k_[pos]) / b[pos], axis=1) + 1e-9
                    if self._nonnegative else 0.0)
            x0[:, j] = np.maximum(np.clip(rest / self.integrals[1], 1e-3, None), need) - 1.0
        return x0

    def prepare(self, energies, weights=None):
        """(template values, weights) of data sets (rows of ``energies``, NaN-padded), the
        input of :meth:`fit_prepared`."""
        e = np.atleast_2d(np.asarray(energies, float))
        w = (np.where(np.isnan(e), 0.0, 1.0) if weights is None
             else np.atleast_2d(np.asarray(weights, float)))
        return self._values(e), w

    def fit_prepared(self, t, w, *, theta=None, physical: bool = False):
        """Vectorised fits of prepared data sets (:meth:`prepare`).

        With ``theta`` (scalar or per row) the strength is fixed and only the nuisances are
        minimised (profile); with ``physical`` the strength is restricted to θ >= 0.
        Returns ``(x, m2lnl)``: parameter vectors (k, p) and −2 ln L (k,).
        """
        x0 = self._start(np.sum(w, axis=1), theta)
        nuis = list(range(1, len(self.names)))
        if theta is not None:
            return self._newton(x0, t, w, nuis)
        x, f = self._newton(x0, t, w, [0, *nuis])
        if physical and np.any(x[:, 0] < 0):
            neg = x[:, 0] < 0
            xb, fb = self._newton(self._start(np.sum(w[neg], axis=1), 0.0), t[:, neg], w[neg],
                                  nuis)
            x[neg], f[neg] = xb, fb
        return x, f

    def fit_many(self, energies, weights=None, *, theta=None, physical: bool = False):
        """:meth:`fit_prepared` of ``energies`` (rows = data sets, NaN-padded)."""
        t, w = self.prepare(energies, weights)
        return self.fit_prepared(t, w, theta=theta, physical=physical)

    def fit(self, data) -> FitResult:
        """Maximum-likelihood fit (θ may be negative) with errors from the analytic Hessian."""
        d = self.check_data(data)
        x, f = self.fit_many(d.energies_kev[None, :], d.weights[None, :])
        if not np.isfinite(f[0]):
            raise NuemError("UnbinnedModel.fit: no parameters give a positive density at "
                            "every event")
        t = self._values(d.energies_kev[None, :])
        _, h = self._grad_hess(x, t, d.weights[None, :], list(range(len(self.names))))
        # a component whose intensity sits at its bound (1 + ν = 0) is fixed there: it does
        # not enter the profiled error (its Hessian row may vanish, e.g. with very few events)
        keep = [0] + [j for j in range(1, len(self.names))
                      if 1.0 + x[0, j] > 1e3 * self._ntol]
        h = h[0][np.ix_(keep, keep)]
        stat = float(np.sqrt(2.0 / h[0, 0])) if h[0, 0] > 0 else np.inf
        var, ok = solve_rows(h[None], np.eye(len(keep))[None, 0])
        total = float(np.sqrt(2.0 * var[0, 0])) if ok[0] and var[0, 0] > 0 else np.inf
        syst = float(np.sqrt(max(total**2 - stat**2, 0.0))) if np.isfinite(total) else np.inf
        nuis = {n: float(v) for n, v in zip(self.names[1:], x[0, 1:], strict=True)}
        return FitResult(float(x[0, 0]), stat, syst, total, float(f[0]),
                         int(round(d.n)) - len(self.names), nuis, self._fit_label, True)

    def profile(self, theta: float, data) -> ProfileResult:
        """−2 ln L minimised over the nuisances at fixed θ."""
        d = self.check_data(data)
        x, f = self.fit_many(d.energies_kev[None, :], d.weights[None, :], theta=float(theta))
        return ProfileResult(float(theta), float(f[0]), self.as_dict(x[0]))

    # -- expectation, Asimov data, toys ---------------------------------------------------------
    def density(self, params=None) -> np.ndarray:
        """Expected density at the nodes (counts/keV) for ``params``."""
        return self._coef(self.vector(params)) @ self.templates

    def expected(self, params=None) -> np.ndarray:
        """Expected counts in each node segment (counts)."""
        return _segment_integrals(self.nodes_kev, self.density(params))

    def asimov_data(self, params=None) -> EventData:
        """The Asimov data set: segment midpoints weighted by their expected counts."""
        mid = 0.5 * (self.nodes_kev[1:] + self.nodes_kev[:-1])
        return EventData(mid, self.expected(params))

    def sample(self, params=None, rng=None, n: int = 1) -> EventToys:
        """``n`` pseudo-experiments: N ~ Poisson(ν_tot), energies from λ(E) (exact inverse CDF
        within each linear segment)."""
        rng = np.random.default_rng(rng)
        d = self.density(params)
        if np.any(d < 0):
            raise InvalidParameterError("the expected density is negative somewhere; toys "
                                        "need a non-negative density")
        seg = _segment_integrals(self.nodes_kev, d)
        counts = rng.poisson(seg.sum(), size=int(n))
        nmax = int(counts.max()) if counts.size else 0
        out = np.full((int(n), nmax), np.nan)
        tot = int(counts.sum())
        if tot:
            which = rng.choice(seg.size, size=tot, p=seg / seg.sum())
            u = rng.random(tot)
            d0, d1 = d[which], d[which + 1]
            hstep = np.diff(self.nodes_kev)[which]
            mean = 0.5 * (d0 + d1)
            a, c = 0.5 * (d1 - d0), u * mean
            disc = np.sqrt(np.maximum(d0 * d0 + 4.0 * a * c, 0.0))
            with np.errstate(divide="ignore", invalid="ignore"):
                frac = np.where(d0 + disc > 0, 2.0 * c / (d0 + disc), u)
            e = self.nodes_kev[which] + np.clip(frac, 0.0, 1.0) * hstep
            rows = np.repeat(np.arange(int(n)), counts)
            cols = np.arange(tot) - np.repeat(np.cumsum(counts) - counts, counts)
            out[rows, cols] = e
        return EventToys(out, counts)
