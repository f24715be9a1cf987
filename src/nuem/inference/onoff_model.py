r"""Poisson models of counts: joint ON/OFF (:class:`OnOffModel`) and ON-only
(:class:`BinnedPoissonOnOnly`); protocol and nuisances in :mod:`nuem.inference.likelihood`.

:class:`OnOffModel`
    :math:`n^\mathrm{on}_i \sim \mathrm{Pois}(b_i t^\mathrm{on}_i + s_i)`,
    :math:`n^\mathrm{off}_i \sim \mathrm{Pois}(b_i t_\mathrm{off})` with

    .. math:: s_i = \theta (u_i + \delta\,\partial_\delta u_i)\prod_j(1+\nu_j)
              + k_i + \delta\,\partial_\delta k_i, \qquad
              t^\mathrm{on}_i = t_\mathrm{on}\,(1 + c + \tau x_i),

    :math:`k_i` a known ON-only expectation (SM ν–e + coherent ν–N), :math:`\nu_j` the signal
    normalisations, δ the energy scale, c the relative normalisation of the ON background to
    the OFF-measured one (``onoff_norm``) and τ its linear tilt (``bkg_tilt``, :math:`x_i \in
    [-1, 1]` across the window), all Gaussian-constrained. The background rates :math:`b_i` are
    profiled analytically (the positive root of the quadratic score equation; Rolke, López &
    Conrad, NIM A 551, 493 (2005), Sec. 2); :math:`-2\ln L_\mathrm{prof}` is minimised by iminuit
    over θ and the constrained nuisances (MIGRAD; MINOS errors; errors from the Hessian).
:class:`BinnedPoissonOnOnly`
    :math:`n_i \sim \mathrm{Pois}(\theta u_i + b_i)` with no background model: every
    :math:`b_i \ge 0` free, profiled as :math:`\hat b_i = \max(n_i - \theta u_i, 0)`. The profile
    likelihood is flat for :math:`0 \le \theta \le \min_i n_i/u_i`, so the model has no unique
    best fit; its intervals come from model methods such as ``binned-poisson``
    (:mod:`nuem.inference.methods`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import special

from .._validation import as_float_array, positive_scalar
from ..exceptions import InvalidParameterError
from ._common import check_counts, check_shape
from .likelihood import LikelihoodModel, Parameter, ProfileResult, norm_parameters

__all__ = ["OnOffCounts", "OnOffModel", "BinnedPoissonOnOnly", "profile_background"]


class OnOffCounts(NamedTuple):
    """ON and OFF counts per bin (arrays; toys carry a leading axis)."""

    on: np.ndarray
    off: np.ndarray


def profile_background(a, n_on, n_off, unit_signal, t_on, t_off):
    r"""Conditional ML background rates :math:`\hat b_i(a)` of the ON/OFF model.

    Solves :math:`n^\mathrm{on}_i t_\mathrm{on}/(b t_\mathrm{on}+s_i) + n^\mathrm{off}_i/b =
    t_\mathrm{on}+t_\mathrm{off}` with :math:`s_i = a u_i`, i.e. the larger root of
    :math:`T t_\mathrm{on} b^2 - [(n^\mathrm{on}+n^\mathrm{off}) t_\mathrm{on} - T s] b -
    n^\mathrm{off} s = 0`, :math:`T = t_\mathrm{on}+t_\mathrm{off}` (``t_on`` may be per bin).

    Examples
    --------
    >>> float(profile_background(0.0, [10.0], [20.0], [1.0], 1.0, 2.0)[0])   # (10+20)/3
    10.0
    """
    n_on, n_off = np.asarray(n_on, float), np.asarray(n_off, float)
    s = np.asarray(a, float) * np.asarray(unit_signal, float)
    tt = t_on + t_off
    bq = (n_on + n_off) * t_on - tt * s
    disc = np.maximum(bq * bq + 4.0 * tt * t_on * n_off * s, 0.0)
    b = (bq + np.sqrt(disc)) / (2.0 * tt * t_on)
    return np.maximum(b, np.maximum(-s / t_on, 0.0))


def _deviance(on, mu_on, off, mu_off) -> float:
    """Poisson deviance −2 ln(L/L_sat) of ON and OFF counts (each term >= 0, so sums of many
    large counts keep their precision); inf where a mean is 0 with counts observed."""
    if np.any((mu_on <= 0) & (on > 0)) or np.any((mu_off <= 0) & (off > 0)):
        return np.inf
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(2.0 * np.sum(mu_on - on + special.xlogy(on, on / mu_on)
                                  + mu_off - off + special.xlogy(off, off / mu_off)))


class OnOffModel(LikelihoodModel):
    """Joint Poisson ON/OFF model with the background profiled (module docstring).

    Parameters
    ----------
    unit_signal : array_like
        Expected ON signal counts per unit θ (1-d, some > 0).
    t_on, t_off : float
        ON and OFF exposures (> 0; b_i is a rate per that unit).
    known : array_like, optional
        Known ON-only expected counts k_i >= 0; default 0.
    norms : mapping, optional
        Signal normalisations name → relative σ.
    scale : (array_like, array_like, float), optional
        (∂u/∂δ, ∂k/∂δ, σ_δ): energy-scale nuisance ``escale``.
    onoff_norm_sigma : float, optional
        σ of the ON/OFF background normalisation ``onoff_norm``.
    tilt : (array_like, float), optional
        (x_i in [−1, 1], σ): background tilt ``bkg_tilt``.
    background : array_like, optional
        Background rates b_i for :meth:`expected`, Asimov data and toys.

    Examples
    --------
    >>> m = OnOffModel([5.0, 5.0], 1.0, 1.0)
    >>> abs(round(m.fit(([20, 20], [20, 20])).best_fit, 4))
    0.0
    """

    kind = "on-off"
    _fit_label = "onoff-poisson"
    _minos = True
    _require_valid = True

    def __init__(self, unit_signal, t_on, t_off, *, known=None, norms=None, scale=None,
                 onoff_norm_sigma=None, tilt=None, background=None):
        u = as_float_array(unit_signal, "unit_signal")
        if u.ndim != 1 or u.size == 0:
            raise InvalidParameterError("unit_signal must be 1-d and non-empty")
        if not np.any(u > 0):
            raise InvalidParameterError("unit_signal is zero in every bin: no sensitivity")
        n = u.size
        self.unit_signal = u
        self.t_on = positive_scalar(t_on, "t_on")
        self.t_off = positive_scalar(t_off, "t_off")
        self.known = np.zeros_like(u) if known is None else check_shape(known, "known_on", (n,))
        if np.any(self.known < 0):
            raise InvalidParameterError("known_on must be >= 0 with one value per bin")
        self.background = (None if background is None
                           else check_shape(background, "background", (n,)))
        params = [Parameter("theta", 0.0, poi=True, description="signal strength")]
        params += norm_parameters(norms)
        self._n_norm = len(params) - 1
        self._du, self._dk = np.zeros(n), np.zeros(n)
        if scale is not None:
            self._du = check_shape(scale[0], "d_unit_signal", (n,))
            self._dk = check_shape(scale[1], "d_known", (n,))
            s = positive_scalar(scale[2], "escale sigma")
            params.append(Parameter("escale", 0.0, s, step=s,
                                    description="relative energy-scale shift"))
        if onoff_norm_sigma is not None:
            s = positive_scalar(onoff_norm_sigma, "onoff_norm sigma")
            params.append(Parameter("onoff_norm", 0.0, s, -0.99, None, s,
                                    description="ON/OFF background normalisation"))
        self._x = np.zeros(n)
        if tilt is not None:
            self._x = check_shape(tilt[0], "tilt positions", (n,))
            s = positive_scalar(tilt[1], "bkg_tilt sigma")
            params.append(Parameter("bkg_tilt", 0.0, s, step=s,
                                    description="linear background tilt"))
        super().__init__(params)
        self._idx = {p.name: i for i, p in enumerate(self.parameters)}
        self._sig = np.array([p.sigma for p in self.parameters[1:]])

    # -- protocol -----------------------------------------------------------------------------
    def check_data(self, data):
        on, off = (data.on, data.off) if isinstance(data, OnOffCounts) else data
        on, off = check_counts(on, "n_on"), check_counts(off, "n_off")
        if on.shape != self.unit_signal.shape or off.shape != on.shape:
            raise InvalidParameterError("n_on, n_off and unit_signal must be 1-d of equal length")
        return OnOffCounts(on, off)

    def _parts(self, x):
        fac = 1.0
        for v in x[1:1 + self._n_norm]:
            fac = fac * (1.0 + v)
        i = self._idx
        d = x[i["escale"]] if "escale" in i else 0.0
        s = x[0] * (self.unit_signal + d * self._du) * fac + (self.known + d * self._dk)
        if "onoff_norm" in i or "bkg_tilt" in i:
            c = x[i["onoff_norm"]] if "onoff_norm" in i else 0.0
            tau = x[i["bkg_tilt"]] if "bkg_tilt" in i else 0.0
            t_on = self.t_on * (1.0 + c + tau * self._x)
        else:
            t_on = self.t_on
        return s, t_on

    def _means(self, x, on, off):
        s, t_on = self._parts(x)
        b = profile_background(1.0, on, off, s, t_on, self.t_off)
        return b, b * t_on + s, b * self.t_off

    def _m2lnl(self, x, d):
        _, mu_on, mu_off = self._means(x, d.on, d.off)
        if np.any(mu_on < 0):
            return np.inf
        val = _deviance(d.on, mu_on, d.off, mu_off)
        if self._sig.size:
            val += float(np.sum((x[1:] / self._sig) ** 2))
        return val

    def _start(self, d):
        u = self.unit_signal
        a0 = float(np.sum(d.on - d.off * self.t_on / self.t_off - self.known) / np.sum(u))
        x0 = np.zeros(len(self.names))
        x0[0] = a0
        steps = {"theta": max(np.sqrt(d.on.sum() + d.off.sum()) / np.sum(u), 1e-12)}
        steps.update({p.name: p.step for p in self.parameters[1:] if p.step is not None})
        return x0, steps

    def _goodness(self, x, d, fval):
        b, mu_on, mu_off = self._means(x, d.on, d.off)
        return _deviance(d.on, mu_on, d.off, mu_off), {"background_rate": b}

    def expected(self, params=None) -> OnOffCounts:
        """Expected ON and OFF counts (needs ``background`` rates)."""
        if self.background is None:
            raise InvalidParameterError("OnOffModel: give background= (rates per bin) to "
                                        "compute expected counts, Asimov data or toys")
        s, t_on = self._parts(self.vector(params))
        return OnOffCounts(self.background * t_on + s, self.background * self.t_off)

    def sample(self, params=None, rng=None, n: int = 1) -> OnOffCounts:
        """``n`` Poisson toys: OnOffCounts of arrays of shape (n, bins)."""
        rng = np.random.default_rng(rng)
        mu = self.expected(params)
        on = rng.poisson(mu.on, size=(int(n), self.bins))
        return OnOffCounts(on, rng.poisson(mu.off, size=(int(n), self.bins)))


class BinnedPoissonOnOnly(LikelihoodModel):
    """ON-only binned counts with a free background per bin (module docstring).

    Examples
    --------
    >>> m = BinnedPoissonOnOnly([1.0, 2.0])
    >>> m.profile(0.5, [3, 4]).m2lnl                       # inside the flat region
    0.0
    >>> round(m.profile(4.0, [3, 4]).m2lnl, 4)             # 2 sum [s - n + n ln(n/s)], s > n
    2.7287
    """

    kind = "on-only"

    def __init__(self, unit_signal, *, background=None):
        u = as_float_array(unit_signal, "unit_signal")
        if u.ndim != 1 or u.size == 0:
            raise InvalidParameterError("unit_signal must be 1-d and non-empty")
        if np.any(u < 0) or not np.any(u > 0):
            raise InvalidParameterError("unit_signal must be >= 0 with at least one bin > 0")
        self.unit_signal = u
        self.background = None if background is None else check_shape(background, "background",
                                                                       (u.size,))
        super().__init__([Parameter("theta", 0.0, lower=0.0, poi=True,
                                    description="signal strength")])

    def check_data(self, data):
        n = check_counts(data, "counts")
        if n.shape != self.unit_signal.shape:
            raise InvalidParameterError(f"counts has shape {n.shape}, unit_signal "
                                        f"{self.unit_signal.shape}; they must match")
        return n

    def _m2lnl(self, x, n):
        s = x[0] * self.unit_signal
        mu = np.maximum(n, s)          # signal plus the profiled background max(n - s, 0)
        return float(2.0 * np.sum(mu - n + special.xlogy(n, n) - special.xlogy(n, mu)))

    def fit(self, data):
        raise InvalidParameterError("BinnedPoissonOnOnly has no unique best fit (the "
                                    "background of every bin is free); use a model method "
                                    "such as 'binned-poisson'")

    def profile(self, theta: float, data) -> ProfileResult:
        n = self.check_data(data)
        x = np.array([float(theta)])
        return ProfileResult(float(theta), self._m2lnl(x, n), {"theta": float(theta)})

    def expected(self, params=None):
        """θ u_i + b_i (needs ``background``)."""
        if self.background is None:
            raise InvalidParameterError("BinnedPoissonOnOnly: give background= to compute "
                                        "expected counts, Asimov data or toys")
        return self.vector(params)[0] * self.unit_signal + self.background

    def sample(self, params=None, rng=None, n: int = 1):
        rng = np.random.default_rng(rng)
        return rng.poisson(self.expected(params), size=(int(n), self.bins))
