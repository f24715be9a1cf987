r"""ON/OFF model with a smooth background fitted to ON and OFF jointly (``off_model="smooth"``).

The bin-by-bin subtraction of the ``binned`` OFF model (:class:`nuem.inference.ResidualModel`)
pays the OFF statistics in every bin. The published reactor analyses instead describe the
background by a smooth shape determined by ON and OFF together (H.T. Wong et al., PRD 75, 012001
(2007); A.G. Beda et al., Adv. High Energy Phys. 2012, 350150 (2012)). The family used here:
the background counts per unit exposure in bin i are

.. math:: \beta_i(c) = S_i \sum_{p=0}^{d} c_p\, P_p(x_i), \qquad
          x_i = (E_i - E_\mathrm{mid})/E_\mathrm{half} \in [-1, 1],

S_i the experiment's background shape (its background model, counts per kg day in the bin:
continuum and the tails of lines), P_p the Legendre polynomials and the d + 1 coefficients c_p
(nominal c = (1, 0, ..., 0)) free nuisance parameters: a normalisation and a polynomial
distortion of degree d of the assumed shape (d = 2 by default; d = 0: the shape is known up to its
normalisation). The counts are

.. math:: N^\mathrm{on}_i = \theta u_i + k_i + x_\mathrm{on}\beta_i(c),\qquad
          N^\mathrm{off}_i = x_\mathrm{off}\beta_i(c),

u_i the signal per unit θ, k_i the SM ν–e + coherent ν–N expectation (ON only), x the exposures,
with Gaussian errors V_on,i = N_on,i + (s B_on,i)² (s = ``onoff_syst``) and V_off,i = N_off,i
(the expected counts for Asimov data sets, the observed ones floored at 1 for data). The model is
linear in (θ, c): the fit is weighted linear least squares, its errors come from the Fisher
matrix F = Jᵀ W J (exact for a linear Gaussian model, PDG "Statistics", Eq. 40.24 ff.), and the
Asimov error σ_θ = (F⁻¹)₀₀^{1/2} (Cowan, Cranmer, Gross, Vitells, EPJC 71, 1554 (2011)).
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, positive_scalar
from ..exceptions import InvalidParameterError
from .likelihood import FitResult, LikelihoodModel, Parameter
from .onoff_model import OnOffCounts

__all__ = ["OFF_MODELS", "SmoothOnOffModel", "legendre_design"]

#: How the OFF measurement enters ON/OFF limits and sensitivities (first = default).
OFF_MODELS = ("binned", "smooth")


def legendre_design(e_lo_kev, e_hi_kev, degree: int) -> np.ndarray:
    """P_p(x_i), shape (bins, degree + 1), x ∈ [−1, 1] at the bin centres across the window."""
    lo, hi = np.asarray(e_lo_kev, float), np.asarray(e_hi_kev, float)
    c = 0.5 * (lo + hi)
    x = (c - 0.5 * (lo[0] + hi[-1])) / (0.5 * (hi[-1] - lo[0]))
    return np.polynomial.legendre.legvander(x, int(degree))


class SmoothOnOffModel(LikelihoodModel):
    """Linear Gaussian ON/OFF model with a smooth background (module docstring).

    Parameters
    ----------
    unit_signal, known, shape : array_like
        u_i (counts per unit θ, ON), k_i (counts, ON) and S_i (background counts per unit
        exposure), one value per bin.
    x_on, x_off : float
        ON and OFF exposures (> 0).
    design : array_like
        P_p(x_i), shape (bins, d + 1) (:func:`legendre_design`).
    variance : (array_like, array_like), optional
        (V_on, V_off) per bin; default: the expected counts at the nominal parameters.
    syst : array_like, optional
        Per-bin additive error on ON (counts), added in quadrature to V_on.
    """

    kind = "on-off-smooth"
    _fit_label = "chi2 on+off (smooth background)"

    def __init__(self, unit_signal, known, shape, x_on, x_off, design, *, variance=None,
                 syst=None):
        u = as_float_array(unit_signal, "unit_signal")
        n = u.size
        self.unit_signal = u
        self.known = as_float_array(known, "known")
        self.shape = as_float_array(shape, "background shape")
        self.design = np.asarray(design, float)
        if self.known.shape != (n,) or self.shape.shape != (n,) or self.design.shape[0] != n:
            raise InvalidParameterError("unit_signal, known, background shape and design need "
                                        "one row per bin")
        self.x_on = positive_scalar(x_on, "x_on")
        self.x_off = positive_scalar(x_off, "x_off")
        deg = self.design.shape[1] - 1
        params = [Parameter("theta", 0.0, poi=True, description="signal strength")]
        params += [Parameter(f"bkg_c{p}", 1.0 if p == 0 else 0.0, step=0.01,
                             description=f"background Legendre coefficient {p}")
                   for p in range(deg + 1)]
        super().__init__(params)
        cols = self.shape[:, None] * self.design
        self._j_on = np.column_stack([u, self.x_on * cols])
        self._j_off = np.column_stack([np.zeros(n), self.x_off * cols])
        if variance is None:
            on, off = self.expected()
            variance = (on, off)
        v_on, v_off = (np.asarray(v, float) for v in variance)
        if syst is not None:
            v_on = v_on + np.asarray(syst, float) ** 2
        if np.any(v_on <= 0) or np.any(v_off <= 0):
            raise InvalidParameterError("smooth OFF model: every bin needs ON and OFF "
                                        "variances > 0")
        self.variance = (v_on, v_off)
        self._w_on, self._w_off = 1.0 / v_on, 1.0 / v_off

    # -- linear algebra ---------------------------------------------------------------------
    def fisher(self) -> np.ndarray:
        """F = Jᵀ W J over ON and OFF bins."""
        j1, j2 = self._j_on, self._j_off
        return (j1.T * self._w_on) @ j1 + (j2.T * self._w_off) @ j2

    def asimov_sigma_theta(self) -> float:
        """Error of θ̂ with the background coefficients profiled."""
        return float(np.sqrt(np.linalg.inv(self.fisher())[0, 0]))

    def _solve(self, on, off):
        rhs = (self._j_on.T @ ((on - self.known) * self._w_on).T
               + self._j_off.T @ (off * self._w_off).T)
        return np.linalg.solve(self.fisher(), rhs)

    def linear_estimate(self, data):
        """θ̂ for counts of shape (..., bins) (weighted linear least squares)."""
        on, off = (np.asarray(x, float) for x in data)
        return self._solve(on, off)[0]

    def quadratic_signal_quartic(self, a, b, data=None) -> np.ndarray:
        """Coefficients (c4 .. c0) of χ²(θ) with the background profiled, for an ON signal
        a θ + b θ² (the ⟨r²⟩ model, :mod:`nuem.inference.r2_interval`); ``data`` OnOffCounts
        (batch axes allowed) or None for the Asimov data set at θ = 0."""
        n = self.bins
        j = np.vstack([self._j_on[:, 1:], self._j_off[:, 1:]])
        w = np.concatenate([self._w_on, self._w_off])
        g = (j.T * w) @ j
        p_full = np.diag(w) - (w[:, None] * j) @ np.linalg.solve(g, j.T * w)
        p_on = p_full[:n, :n]
        a, b = np.asarray(a, float), np.asarray(b, float)
        if data is None:
            z = np.zeros((1, 2 * n))
        else:
            on, off = (np.asarray(x, float) for x in data)
            z = np.concatenate([np.atleast_2d(on) - self.known, np.atleast_2d(off)], axis=-1)
        pz = z @ p_full
        zpz = np.sum(pz * z, axis=-1)
        pz_on = pz[:, :n]
        ones = np.ones(z.shape[0])
        return np.stack([ones * (b @ p_on @ b), ones * 2 * (a @ p_on @ b),
                         a @ p_on @ a - 2 * pz_on @ b, -2 * pz_on @ a, zpz], axis=-1)

    # -- protocol -----------------------------------------------------------------------------
    def check_data(self, data):
        on, off = (data.on, data.off) if isinstance(data, OnOffCounts) else data
        on, off = np.asarray(on, float), np.asarray(off, float)
        if on.shape != self.unit_signal.shape or off.shape != on.shape:
            raise InvalidParameterError("n_on, n_off and unit_signal must be 1-d of equal length")
        return OnOffCounts(on, off)

    def _m2lnl(self, x, d):
        r_on = d.on - self.known - self._j_on @ x
        r_off = d.off - self._j_off @ x
        return float(np.sum(r_on**2 * self._w_on) + np.sum(r_off**2 * self._w_off))

    def _start(self, d):
        x0 = np.asarray(self._solve(d.on, d.off), float)
        return x0, {"theta": self.asimov_sigma_theta()}

    def fit(self, data) -> FitResult:
        d = self.check_data(data)
        x = np.asarray(self._solve(d.on, d.off), float)
        f = self.fisher()
        stat = float(1.0 / np.sqrt(f[0, 0]))
        total = float(np.sqrt(np.linalg.inv(f)[0, 0]))
        chi2 = self._m2lnl(x, d)
        nuis = {n: float(v) for n, v in zip(self.names[1:], x[1:], strict=True)}
        return FitResult(float(x[0]), stat, float(np.sqrt(max(total**2 - stat**2, 0.0))),
                         total, chi2, int(2 * self.bins - len(self.names)), nuis,
                         self._fit_label, True, None)

    def expected(self, params=None) -> OnOffCounts:
        x = self.vector(params)
        return OnOffCounts(self.known + self._j_on @ x, self._j_off @ x)

    def sample(self, params=None, rng=None, n: int = 1) -> OnOffCounts:
        """``n`` Poisson toys of ON and OFF counts, shape (n, bins)."""
        rng = np.random.default_rng(rng)
        mu = self.expected(params)
        return OnOffCounts(rng.poisson(np.maximum(mu.on, 0.0), size=(int(n), self.bins)),
                           rng.poisson(np.maximum(mu.off, 0.0), size=(int(n), self.bins)))
