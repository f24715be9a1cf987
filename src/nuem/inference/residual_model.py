r"""Gaussian model of an ON−OFF residual spectrum with errors (:class:`ResidualModel`).

Data: a residual :math:`r_i \pm \sigma_i` per bin (ON − OFF·x_on/x_off, or a published
residual). Expectation (protocol and nuisances: :mod:`nuem.inference.likelihood`):

.. math:: \mu_i = k_i + \delta\,\partial_\delta k_i
          + \theta\,(u_i + \delta\,\partial_\delta u_i)\prod_j (1+\nu_j) + \sum_k c_k t_{ki},

:math:`k_i` the known expectation that does not cancel in ON − OFF (SM ν–e + coherent ν–N),
:math:`\nu_j` the signal normalisations (``flux_norm``, ``xsec_norm``), δ the energy scale
(``escale``), :math:`c_k` additive templates (``onoff_norm``: the subtracted background;
``bkg_tilt``: its linear tilt). With Gaussian constraints,

.. math:: -2\ln L = \sum_i (r_i-\mu_i)^2/s_i^2 + \sum_j (\nu_j/\sigma_j)^2
          + (\delta/\sigma_\delta)^2 + \sum_k (c_k/\tau_k)^2,

:math:`s_i^2 = \sigma_i^2 + \epsilon_i^2` where :math:`\epsilon_i` (``bin_syst``) is a per-bin,
uncorrelated additive systematic: one Gaussian nuisance per bin, profiled analytically, which for
a Gaussian model is exactly the addition in quadrature in its bin. dof = bins − 1 (each
constraint adds a pseudo-measurement and a parameter). Bins with :math:`s_i = 0` carry no
information (weight 0).

For the linear model without normalisation or scale nuisances the least-squares estimate is
:math:`\hat\theta = \sum_i w_i u_i (r_i-k_i) / \sum_i w_i u_i^2`, :math:`w_i = 1/s_i^2`, with
:math:`\sigma_\theta^{-2} = \sum_i w_i u_i^2` (PDG "Statistics" Eq. 40.24 ff.); in general the
error on the Asimov data set is that of the inverse Fisher matrix
:math:`F = J^T W J + C^{-1}`, :math:`J` = ∂μ/∂(θ, ν) at the Asimov point, exact for this
Gaussian model at ν = 0 (Cowan et al., EPJC 71, 1554 (2011)). Templates may carry leading batch
axes (shape (..., bins)) for :meth:`asimov_sigma_theta` (vectorised scans).
"""

from __future__ import annotations

import numpy as np

from .._validation import positive_scalar
from ..exceptions import InvalidParameterError
from ._common import check_shape
from .likelihood import LikelihoodModel, Parameter, norm_parameters

__all__ = ["ResidualModel"]


class ResidualModel(LikelihoodModel):
    """Gaussian ON−OFF residual model (module docstring).

    Parameters
    ----------
    unit_signal : array_like
        :math:`u_i`, the residual per unit θ, shape (..., bins); not zero everywhere.
    sigma : array_like
        Statistical 1σ error of the residual per bin (>= 0), broadcastable to ``unit_signal``.
    known : array_like, optional
        Known expectation :math:`k_i` (not scaled by θ); default 0.
    norms : mapping, optional
        Signal-normalisation nuisances name → relative σ (e.g. ``{"flux_norm": 0.05}``).
    templates : mapping, optional
        Additive nuisances name → (template :math:`t_i`, σ of its coefficient).
    scale : (array_like, array_like, float), optional
        (∂u/∂δ, ∂k/∂δ, σ_δ): first-order energy-scale nuisance ``escale``.
    bin_syst : array_like, optional
        Per-bin uncorrelated systematic :math:`\\epsilon_i` (>= 0; same unit as the residual).
    generator : dict, optional
        How toys are drawn (:meth:`sample`): ``{"on": ON counts at θ = 0, "off": OFF counts or
        None, "ratio": x_on/x_off, "known_background": subtracted when there is no OFF}``
        (set by :meth:`from_onoff`); default: Gaussian residuals.

    Examples
    --------
    >>> import numpy as np
    >>> u = np.linspace(1.0, 2.0, 48)
    >>> m = ResidualModel(u, np.full(48, 5.0))
    >>> fit = m.fit(-1.0 * u)
    >>> round(fit.best_fit, 6), fit.dof, round(fit.stat, 4)
    (-1.0, 47, 0.4721)
    >>> round(float(m.asimov_sigma_theta()), 4)           # (Σ u²/σ²)^(-1/2)
    0.4721
    """

    kind = "residual"
    _fit_label = "chi2"

    def __init__(self, unit_signal, sigma, *, known=None, norms=None, templates=None,
                 scale=None, bin_syst=None, generator=None):
        u = check_shape(unit_signal, "unit_signal")
        if u.ndim < 1 or u.shape[-1] == 0:
            raise InvalidParameterError("unit_signal must have at least one bin")
        s = check_shape(sigma, "sigma", u.shape, broadcast=True)
        if np.any(~np.isfinite(s)) or np.any(s < 0):
            raise InvalidParameterError("sigma must be finite and >= 0 in every bin")
        var = s**2
        if bin_syst is not None:
            e = check_shape(bin_syst, "bin_syst", u.shape, broadcast=True)
            if np.any(e < 0):
                raise InvalidParameterError("bin_syst must be >= 0")
            var = var + e**2
        self.unit_signal, self.sigma, self.bin_syst = u, s, bin_syst
        with np.errstate(divide="ignore"):
            self.weight = np.where(var > 0, 1.0 / np.where(var > 0, var, 1.0), 0.0)
        if not np.any((u != 0) & (self.weight > 0)):
            raise InvalidParameterError("unit_signal is zero in every bin (with a finite "
                                        "error): the fit has no sensitivity")
        self.known = np.zeros(u.shape) if known is None else check_shape(
            known, "known", u.shape, broadcast=True)
        n = u.shape[-1]
        params = [Parameter("theta", 0.0, poi=True, description="signal strength")]
        params += norm_parameters(norms)
        self._n_norm = len(params) - 1
        self._du = np.zeros(n)
        self._dk = np.zeros(n)
        self._has_scale = scale is not None
        if self._has_scale:
            du, dk, ss = scale
            self._du = check_shape(du, "d_unit_signal", (n,))
            self._dk = check_shape(dk, "d_known", (n,))
            ss = positive_scalar(ss, "escale sigma")
            params.append(Parameter("escale", 0.0, ss, step=ss,
                                    description="relative energy-scale shift"))
        tpl = dict(templates or {})
        self._t = (np.array([check_shape(t, f"template {k!r}", (n,)) for k, (t, _) in tpl.items()])
                   if tpl else np.zeros((0, n)))
        self._tau = np.array([positive_scalar(s_, f"{k} sigma") for k, (_, s_) in tpl.items()])
        params += [Parameter(k, 0.0, float(t)) for k, t in zip(tpl, self._tau, strict=True)]
        self._norm_sigma = np.array([p.sigma for p in params[1:1 + self._n_norm]])
        self._generator = generator
        super().__init__(params)

    @classmethod
    def from_onoff(cls, unit_signal, on_counts, off_counts, ratio, known, *, syst=None,
                   **kwargs):
        """Residual model of an ON/OFF measurement from expected (Asimov) or measured counts.

        σ_i² = N_on,i + N_off,i ratio² (Poisson; without OFF data, ``off_counts=None``, the
        background is known and σ_i² = N_on,i), ``syst`` the per-bin uncorrelated subtraction
        systematic (absolute, counts). Toys (:meth:`sample`) are Poisson ON and OFF counts.
        """
        on = check_shape(on_counts, "on_counts")
        var = on.copy()
        if off_counts is not None:
            off = check_shape(off_counts, "off_counts")
            var = var + off * ratio**2
        gen = {"on": on, "off": None if off_counts is None else off, "ratio": ratio,
               "known_background": None if off_counts is not None else on - known}
        return cls(unit_signal, np.sqrt(var), known=known, bin_syst=syst, generator=gen,
                   **kwargs)

    # -- protocol -----------------------------------------------------------------------------
    def check_data(self, data):
        r = check_shape(data, "residual")
        if r.shape != self.unit_signal.shape or r.ndim != 1:
            raise InvalidParameterError(f"residual must be 1-d with {self.bins} bins, got "
                                        f"shape {r.shape}")
        return r

    def _split(self, x):
        k = 1 + self._n_norm
        fac = 1.0
        for v in x[1:k]:
            fac = fac * (1.0 + v)
        d = x[k] if self._has_scale else 0.0
        c = x[k + self._has_scale:]
        return x[0], fac, d, c

    def _shape(self, x):
        a, fac, d, c = self._split(x)
        return a * (self.unit_signal + d * self._du) * fac + d * self._dk + c @ self._t

    def _m2lnl(self, x, r):
        model = self._shape(x)
        a, _, d, c = self._split(x)
        pen = np.sum((c / self._tau) ** 2)
        for v, s in zip(x[1:1 + self._n_norm], self._norm_sigma, strict=True):
            pen = pen + (v / s) ** 2
        if self._has_scale:
            pen += (d / self.parameters[1 + self._n_norm].sigma) ** 2
        return float(np.sum(self.weight * ((r - self.known) - model) ** 2) + pen)

    def _start(self, r):
        w, u = self.weight, self.unit_signal
        a0 = float(np.sum(w * (r - self.known) * u) / np.sum(w * u * u))
        x0 = np.zeros(len(self.names))
        x0[0] = a0
        steps = {"theta": 1.0 / np.sqrt(np.sum(w * u * u))}
        steps.update({p.name: p.step for p in self.parameters[1:] if p.step is not None})
        return x0, steps

    def expected(self, params=None):
        """Expected residual :math:`\\mu_i` (shape of ``unit_signal``)."""
        return self.known + self._shape(self.vector(params))

    def sample(self, params=None, rng=None, n: int = 1):
        """``n`` toy residuals, shape (n, bins): Poisson ON/OFF counts for a model from
        :meth:`from_onoff`, Gaussian residuals otherwise (per-bin systematic included)."""
        rng = np.random.default_rng(rng)
        n = int(n)
        x = self.vector(params)
        g = self._generator
        if g is None:
            return self.expected(x) + rng.normal(size=(n, self.bins)) / np.sqrt(
                np.where(self.weight > 0, self.weight, np.inf))
        on = rng.poisson(g["on"] + self._shape(x), size=(n, self.bins))
        if g["off"] is not None:
            r = on - rng.poisson(g["off"], size=(n, self.bins)) * g["ratio"]
        else:
            r = on - g["known_background"]
        if self.bin_syst is not None:
            r = r + rng.normal(0.0, 1.0, size=r.shape) * self.bin_syst
        return r

    # -- closed forms of the linear Gaussian model -------------------------------------------
    def linear_estimate(self, data):
        """Least-squares θ̂ for residuals of shape (..., bins) (no normalisation, scale or
        template nuisances: the estimate is then linear in the data)."""
        if len(self.names) > 1:
            raise InvalidParameterError("linear_estimate needs a model without nuisance "
                                        "parameters; use fit()")
        r = check_shape(data, "residual")
        wu = self.weight * self.unit_signal
        return np.sum((r - self.known) * wu, axis=-1) / np.sum(wu * self.unit_signal, axis=-1)

    def fisher(self, params=None) -> np.ndarray:
        """Fisher matrix :math:`J^T W J + C^{-1}` at ``params``, shape (..., P, P)."""
        x = self.vector(params)
        a, fac, d, c = self._split(x)
        u = self.unit_signal + d * self._du
        cols = [u * fac]
        for i in range(self._n_norm):
            cols.append(a * u * fac / (1.0 + x[1 + i]))
        if self._has_scale:
            cols.append(a * self._du * fac + self._dk)
        cols += [np.broadcast_to(t, u.shape) for t in self._t]
        jac = np.stack(cols, axis=-1)
        f = np.einsum("...ip,...i,...iq->...pq", jac, self.weight, jac)
        sig = np.array([np.inf if p.sigma is None else p.sigma for p in self.parameters])
        return f + np.diag(1.0 / sig**2)

    def asimov_sigma_theta(self, params=None):
        """Error of θ̂ on the model's Asimov data set (nuisances profiled), shape (...)."""
        if len(self.names) == 1:
            return 1.0 / np.sqrt(np.sum(self.weight * self.unit_signal**2, axis=-1))
        return np.sqrt(np.linalg.inv(self.fisher(params))[..., 0, 0])
