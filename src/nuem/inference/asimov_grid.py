r"""Fast, vectorised Asimov sensitivity of a hypothetical germanium detector, for grid scans.

This is the same Asimov construction as :mod:`nuem.inference.sensitivity` (median expected upper
limit of an ON−OFF search when the data equal their expectation with no signal), reduced to a
compact closed form so that a 10⁴-point grid costs only a handful of rate evaluations:

* the signal per bin is linear in μν², in the flux Φ and in the ON exposure :math:`x_{on}`
  (kg day), so one unit template :math:`u^{(1)}_i` (counts per kg day at Φ₀ = 10¹³ cm⁻² s⁻¹ and
  μν = 10⁻¹¹ μB, from :func:`nuem.binned.counts_in_bins`) is computed **once per threshold** and
  scaled: :math:`u_i = u^{(1)}_i\,x_{on}\,\Phi/\Phi_0`;
* the irreducible Standard-Model ν–e scattering is a second template :math:`s_i` scaled the same
  way; the detector background is flat, :math:`b_i = B\,\Delta T_i\,x_{on}` (B in cpkkd =
  counts kg⁻¹ keV⁻¹ day⁻¹);
* the OFF spectrum has exposure :math:`x_{off} = r\,x_{on}` and contains only the flat background;
  the ON−OFF residual has variance (Asimov, no signal)

  .. math:: \sigma_i^2 = N^{on}_i + N^{off}_i (x_{on}/x_{off})^2 + (\epsilon\,b_i)^2
            = s_i + b_i + b_i/r + (\epsilon\,b_i)^2,

  with ε the systematic floor of the subtraction;
* the Gaussian (Fisher) uncertainty on θ = (μν/10⁻¹¹ μB)² is
  :math:`\sigma_\theta^{-2} = \sum_i u_i^2/\sigma_i^2`, the Asimov median upper limit on θ is the
  upper end of :func:`nuem.inference.gaussian_interval` for the estimate 0 (Feldman–Cousins,
  Bayes or CLs), and the limit on μν is its square root (:func:`nuem.inference.sqrt_limit`).

In the background-dominated, statistics-limited regime (ε = 0, b ≫ s) this gives
:math:`\mu_\nu \propto \Phi^{-1/2} (B/x_{on})^{1/4}`, the scaling of seed 004 Eq. (10)
(:math:`\mu_\nu \propto N_\nu^{-1/2} (B/Mt)^{1/4}` with :math:`N_\nu \propto \Phi`).

Simplifications (stated): true recoil energies (no resolution or quenching), electron recoils
only (CEvNS and nuclear-recoil terms are left out), log-spaced bins from the threshold to
``e_max_kev``, the reactor spectral shape of :func:`nuem.sources.reactor.reactor_flux`.

Examples
--------
>>> import numpy as np
>>> m = AsimovGeModel()
>>> out = m({"threshold_kev": np.array([1.0, 1.0]), "background_cpkkd": np.array([1.0, 16.0]),
...          "exposure_kg_day": np.array([1000.0, 1000.0]),
...          "flux_cm2_s": np.array([1e13, 1e13])})
>>> r = out["mu_nu_limit"][1] / out["mu_nu_limit"][0]   # 16x background -> ~2x limit
>>> bool(1.8 < r < 2.0)
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validation import as_float_array, choice, in_range, positive_scalar
from ..exceptions import InvalidParameterError

__all__ = ["AsimovGeModel", "ASIMOV_INPUTS", "asimov_mu_nu_limit"]

#: Grid-axis (column) names the model reads; all must be present and > 0.
ASIMOV_INPUTS = ("threshold_kev", "background_cpkkd", "exposure_kg_day", "flux_cm2_s")

_PHI0 = 1e13     # reference flux of the templates, cm^-2 s^-1
_MU0 = 1e-11     # reference magnetic moment of the templates, mu_B
#: param -> (reference value, rate keyword, rate component, output column of the limit)
_REFS = {"mu-nu": (_MU0, "mu_nu", "magnetic_moment", "mu_nu_limit"),
         "delta-q": (1e-12, "delta_q", "millicharge", "delta_q_limit")}
_PARAMS = tuple(_REFS)


@dataclass
class AsimovGeModel:
    """Vectorised Asimov median upper limit on μν for a hypothetical Ge detector.

    Instances are callables ``model(columns) -> dict`` for :func:`nuem.inference.scan.run_scan`:
    ``columns`` maps the names in :data:`ASIMOV_INPUTS` to equal-length arrays, and the result
    holds ``mu2_limit`` (upper limit on (μν/10⁻¹¹ μB)²), ``mu_nu_limit`` (μB), ``signal_counts``
    (ON counts at μν = 10⁻¹¹ μB), ``sm_counts`` and ``background_counts`` (ON).
    Per-threshold templates are cached; :meth:`prepare` fills the cache up front so that
    worker processes receive them with the pickled model instead of recomputing them.

    Parameters
    ----------
    e_max_kev : float
        Upper end of the analysis window, keV (> every threshold).
    n_bins : int
        Number of log-spaced bins between the threshold and ``e_max_kev``.
    off_on_ratio : float
        OFF exposure / ON exposure, r > 0.
    syst : float
        Relative systematic floor ε on the subtracted background, >= 0.
    cl : float
        Confidence level in (0, 1).
    method : {"feldman-cousins", "bayes", "cls"}
        Interval construction of :func:`nuem.inference.gaussian_interval`.
    atomic : str or None
        Atomic model of the electron cross sections (default None: the rates engine's default,
        stepping for μν, PAI for δQ).
    param : {"mu-nu", "delta-q"}
        Parameter constrained. ``delta-q``: θ = (δQ/10⁻¹² e)², template = the even part
        [R(+δQ) + R(−δQ)]/2 of the ``millicharge`` component at δQ = 10⁻¹² e, i.e. exactly the
        pure δQ² term; the δQ–weak interference (odd in δQ) is neglected, as in
        :func:`nuem.inference.expected_sensitivity` (fine where the pure term dominates: sub-keV
        to keV thresholds at δQ ≳ 10⁻¹⁴).

    Examples
    --------
    >>> m = AsimovGeModel(n_bins=10)
    >>> lim = asimov_mu_nu_limit(1.0, 1.0, 1000.0, 1e13, model=m)
    >>> bool(1e-11 < float(lim) < 1e-9)
    True
    """

    e_max_kev: float = 100.0
    n_bins: int = 20
    off_on_ratio: float = 1.0
    syst: float = 0.0
    cl: float = 0.9
    method: str = "feldman-cousins"
    atomic: str | None = None
    param: str = "mu-nu"
    _templates: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        from .intervals import METHODS

        self.e_max_kev = positive_scalar(self.e_max_kev, "e_max_kev", "keV")
        if int(self.n_bins) != self.n_bins or self.n_bins < 1:
            raise InvalidParameterError(f"n_bins={self.n_bins!r} must be an integer >= 1")
        self.n_bins = int(self.n_bins)
        self.off_on_ratio = positive_scalar(self.off_on_ratio, "off_on_ratio")
        self.syst = positive_scalar(self.syst, "syst", allow_zero=True)
        self.cl = in_range(self.cl, "cl", 0.0, 1.0)
        if not 0.0 < self.cl < 1.0:
            raise InvalidParameterError(f"cl={self.cl!r} must be inside (0, 1)")
        choice(self.method, "method", METHODS)
        choice(self.param, "param", _PARAMS)

    # -- templates --------------------------------------------------------------------------
    def _edges(self, threshold_kev: float) -> np.ndarray:
        if not threshold_kev < self.e_max_kev:
            raise InvalidParameterError(f"threshold_kev={threshold_kev!r} keV must be below "
                                        f"e_max_kev={self.e_max_kev!r} keV")
        return np.geomspace(threshold_kev, self.e_max_kev, self.n_bins + 1)

    def template(self, threshold_kev: float) -> dict[str, np.ndarray]:
        """Unit templates for one threshold: counts per kg day at Φ₀ = 10¹³ cm⁻² s⁻¹.

        Returns ``{"edges_kev", "signal" (at the reference μν = 10⁻¹¹ μB or δQ = 10⁻¹² e, the
        new-physics component only), "sm"}``.
        """
        key = float(threshold_kev)
        tpl = self._templates.get(key)
        if tpl is None:
            from ..binned import counts_in_bins
            from ..sources.reactor import reactor_flux

            edges = self._edges(key)
            ref, kw, comp, _ = _REFS[self.param]

            def counts(x):
                return counts_in_bins("Ge", reactor_flux(_PHI0), edges, 1.0, **{kw: x},
                                      atomic=self.atomic, components=("sm_electron", comp))

            c = counts(ref)
            sig = c[comp]
            if self.param == "delta-q":   # even part: the pure dQ^2 term, exactly quadratic
                sig = 0.5 * (sig + counts(-ref)[comp])
            tpl = {"edges_kev": edges, "signal": sig, "sm": c["sm_electron"]}
            self._templates[key] = tpl
        return tpl

    def prepare(self, columns_or_grid) -> AsimovGeModel:
        """Compute the templates of every threshold in a grid (or a column dict) once."""
        axes = getattr(columns_or_grid, "axes", columns_or_grid)
        if "threshold_kev" not in axes:
            raise InvalidParameterError("the grid has no 'threshold_kev' axis")
        for t in np.unique(as_float_array(axes["threshold_kev"], "threshold_kev")):
            self.template(t)
        return self

    # -- evaluation -------------------------------------------------------------------------
    def __call__(self, columns) -> dict[str, np.ndarray]:
        from .intervals import gaussian_interval

        cols = {}
        for name in ASIMOV_INPUTS:
            if name not in columns:
                raise InvalidParameterError(f"missing column {name!r}; the Asimov model needs "
                                            f"{', '.join(ASIMOV_INPUTS)}")
            arr = np.atleast_1d(as_float_array(columns[name], name))
            allow_zero = name == "background_cpkkd"
            if np.any(arr < 0) or (not allow_zero and np.any(arr == 0)):
                raise InvalidParameterError(f"{name} must be {'>= 0' if allow_zero else '> 0'}")
            cols[name] = arr
        thr, bkg = cols["threshold_kev"], cols["background_cpkkd"]
        expo, flux = cols["exposure_kg_day"], cols["flux_cm2_s"]
        n = thr.size
        if any(c.size != n for c in cols.values()):
            raise InvalidParameterError("all columns must have the same length")
        inv_var_sum = np.empty(n)
        sig_tot = np.empty(n)
        sm_tot = np.empty(n)
        bkg_tot = np.empty(n)
        r, eps = self.off_on_ratio, self.syst
        for t in np.unique(thr):        # a handful of thresholds; everything else vectorised
            sel = thr == t
            tpl = self.template(t)
            scale = (expo[sel] * flux[sel] / _PHI0)[:, None]
            u = tpl["signal"][None, :] * scale                  # counts per unit theta
            s = tpl["sm"][None, :] * scale
            b = bkg[sel][:, None] * np.diff(tpl["edges_kev"])[None, :] * expo[sel][:, None]
            var = s + b + b / r + (eps * b) ** 2
            with np.errstate(divide="ignore"):
                inv_var_sum[sel] = np.sum(np.where(var > 0, u * u / np.where(var > 0, var, 1.0),
                                                   np.inf), axis=1)
            sig_tot[sel] = u.sum(axis=1)
            sm_tot[sel] = s.sum(axis=1)
            bkg_tot[sel] = b.sum(axis=1)
        sigma_theta = 1.0 / np.sqrt(inv_var_sum)
        upper = np.asarray(gaussian_interval(0.0, sigma_theta, self.cl, self.method).upper,
                           dtype=float)
        ref, _, _, col = _REFS[self.param]
        out = {"theta_limit": upper, col: np.sqrt(upper) * ref}
        if self.param == "mu-nu":
            out["mu2_limit"] = upper
        return {**out, "signal_counts": sig_tot, "sm_counts": sm_tot,
                "background_counts": bkg_tot}

    @property
    def limit_column(self) -> str:
        """Name of the output column holding the physical limit (μB or e)."""
        return _REFS[self.param][3]


def asimov_mu_nu_limit(threshold_kev, background_cpkkd, exposure_kg_day, flux_cm2_s, *,
                       model: AsimovGeModel | None = None, **model_kwargs) -> np.ndarray:
    r"""Asimov median upper limit on μν (μB) with broadcasting over the four inputs.

    Parameters
    ----------
    threshold_kev, background_cpkkd, exposure_kg_day, flux_cm2_s : array_like
        Threshold (keV), flat background (counts kg⁻¹ keV⁻¹ day⁻¹), ON exposure (kg day) and
        total reactor ν̄e flux (cm⁻² s⁻¹); broadcast together.
    model : AsimovGeModel, optional
        Model to use (its template cache is reused); otherwise one is built from
        ``model_kwargs``.

    Returns
    -------
    ndarray
        Limit on μν in μB, shape of the broadcast inputs. Scales as
        :math:`\Phi^{-1/2}(B/x_{on})^{1/4}` when background dominates (seed 004 Eq. 10).

    Examples
    --------
    >>> a, b = asimov_mu_nu_limit(1.0, 10.0, [1e3, 1.6e4], 1e13)
    >>> bool(abs(a / b - 2.0) < 0.1)
    True
    """
    model = model or AsimovGeModel(**model_kwargs)
    arrs = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in
                                 (threshold_kev, background_cpkkd, exposure_kg_day, flux_cm2_s)))
    shape = arrs[0].shape
    out = model({k: a.ravel() for k, a in zip(ASIMOV_INPUTS, arrs, strict=True)})
    return out["mu_nu_limit"].reshape(shape)
