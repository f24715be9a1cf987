r"""Fast, vectorised Asimov sensitivity of a hypothetical detector of any target, for grid scans.

The model is the ON−OFF residual model of :mod:`nuem.inference.residual_model` (the same as
:func:`nuem.inference.expected_sensitivity`), built per threshold for a whole batch of grid
points so that a 10⁴-point grid costs only a handful of rate evaluations:

* the signal per bin is linear in θ, in the flux Φ and in the ON exposure :math:`x_{on}`
  (kg day), so one unit template :math:`u^{(1)}_i` (counts per kg day at Φ₀ = 10¹³ cm⁻² s⁻¹ and
  the reference μν = 10⁻¹¹ μB or δQ = 10⁻¹² e, from :func:`nuem.binned.counts_in_bins` for the
  model's ``target``) is computed **once per threshold** and scaled:
  :math:`u_i = u^{(1)}_i\,x_{on}\,\Phi/\Phi_0`;
* the irreducible Standard-Model ν–e scattering is a second template :math:`s_i` scaled the same
  way (the known ON-only expectation); the detector background is flat,
  :math:`b_i = B\,\Delta T_i\,x_{on}` (B in cpkkd = counts kg⁻¹ keV⁻¹ day⁻¹);
* the OFF spectrum has exposure :math:`x_{off} = r\,x_{on}` and contains only the flat background;
  the residual model (:meth:`nuem.inference.ResidualModel.from_onoff`) has, on its Asimov data
  set (no signal),

  .. math:: \sigma_i^2 = N^{on}_i + N^{off}_i (x_{on}/x_{off})^2 + (\epsilon\,b_i)^2
            = s_i + b_i + b_i/r + (\epsilon\,b_i)^2,

  with ε the per-bin systematic floor of the subtraction;
* the error of θ on the model's Asimov data set (:meth:`nuem.inference.ResidualModel.
  asimov_sigma_theta`, :math:`\sigma_\theta^{-2} = \sum_i u_i^2/\sigma_i^2`) gives the Asimov
  median upper limit, the upper end of :func:`nuem.inference.gaussian_interval` for the
  estimate 0 (any registered Gaussian method), and the limit on μν (δQ) is its square root times
  the reference.

In the background-dominated, statistics-limited regime (ε = 0, b ≫ s) this gives
:math:`\mu_\nu \propto \Phi^{-1/2} (B/x_{on})^{1/4}`, the scaling of Wong & Li, MPLA 20, 1103
(2005), Eq. (10) (:math:`\mu_\nu \propto N_\nu^{-1/2} (B/Mt)^{1/4}` with :math:`N_\nu \propto
\Phi`). Between targets at equal background per kg, the signal scales with the electrons per kg
that can be ionised at the recoil energy (Z/A and the shell binding energies).

Simplifications (stated): true recoil energies (no resolution or quenching), electron recoils
only (CEvNS and nuclear-recoil terms are left out), log-spaced bins from the threshold to
``e_max_kev``, the reactor spectral shape of :func:`nuem.sources.reactor.reactor_flux`.

Examples
--------
>>> import numpy as np
>>> m = AsimovScanModel()
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
from .methods import GAUSSIAN_METHODS
from .residual_model import ResidualModel
from .scan_columns import check_grid, resolve_columns
from .sensitivity import DEFAULT_TARGET

__all__ = ["AsimovScanModel", "AsimovGeModel", "ASIMOV_INPUTS", "SCAN_PARAMS",
           "asimov_mu_nu_limit"]

#: Grid-axis (column) names the model reads; all must be present and > 0.
ASIMOV_INPUTS = ("threshold_kev", "background_cpkkd", "exposure_kg_day", "flux_cm2_s")

_PHI0 = 1e13     # reference flux of the templates, cm^-2 s^-1
_MU0 = 1e-11     # reference magnetic moment of the templates, mu_B
#: param -> (reference value, rate keyword, rate component, output column of the limit)
_REFS = {"mu-nu": (_MU0, "mu_nu", "magnetic_moment", "mu_nu_limit"),
         "delta-q": (1e-12, "delta_q", "millicharge", "delta_q_limit"),
         "r2": (1e-32, "r2_cm2", "sm_electron", "r2_upper_cm2")}
#: Parameters a scan can constrain.
SCAN_PARAMS = tuple(_REFS)


@dataclass
class AsimovScanModel:
    """Vectorised Asimov median upper limit on μν or δQ for a hypothetical detector.

    Instances are callables ``model(columns) -> dict`` for :func:`nuem.inference.scan.run_scan`:
    ``columns`` maps the names in :data:`ASIMOV_INPUTS` (or ``mass_kg`` and ``days_on`` for the
    exposure, and optionally a categorical ``target``: :mod:`nuem.inference.scan_columns`) to
    equal-length arrays, and the result holds ``mu2_limit`` (upper limit on (μν/10⁻¹¹ μB)²),
    ``mu_nu_limit`` (μB), ``signal_counts`` (ON counts at μν = 10⁻¹¹ μB), ``sm_counts`` and
    ``background_counts`` (ON). Templates are cached per (target, threshold): in a scan each
    worker process computes those it needs once (:meth:`prepare` fills the cache in-process).

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
    method : str
        A registered method with Gaussian intervals (:data:`nuem.inference.GAUSSIAN_METHODS`).
    atomic : str or None
        Atomic model of the electron cross sections (default None: the rates engine's default,
        stepping for μν, PAI for δQ).
    param : {"mu-nu", "delta-q", "r2"}
        Parameter constrained. ``r2``: the signed charge radius; the signal is exactly
        a θ + b θ² per bin (θ = ⟨r²⟩/10⁻³² cm², :mod:`nuem.inference.r2_interval`) and the output
        holds the two-sided Asimov profile-likelihood interval, ``r2_lower_cm2`` and
        ``r2_upper_cm2`` (``theta_limit`` = the upper end), in the ``r2_convention``.
        ``delta-q``: θ = (δQ/10⁻¹² e)², template = the even part
        [R(+δQ) + R(−δQ)]/2 of the ``millicharge`` component at δQ = 10⁻¹² e, i.e. exactly the
        pure δQ² term; the δQ–weak interference (odd in δQ) is neglected, as in
        :func:`nuem.inference.expected_sensitivity` (fine where the pure term dominates: sub-keV
        to keV thresholds at δQ ≳ 10⁻¹⁴).
    target : str
        Detector material (:func:`nuem.targets.get_target`; default Ge): electrons, shells and
        the dielectric data of its rates.
    density_g_cm3 : float, optional
        Density for the PAI model's density effect (g/cm³, > 0); default: the material's
        tabulated detector-phase density (gases have none and need it).
    couplings : {"radiative", "tree"}
        SM coupling scheme (:mod:`nuem.interactions.couplings`).
    r2_convention : {"gv-shift", "sin2w-shift", "tree-level"}
        Charge-radius convention of ``param="r2"``.

    Examples
    --------
    >>> m = AsimovScanModel(n_bins=10)
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
    target: str = DEFAULT_TARGET
    density_g_cm3: float | None = None
    couplings: str = "radiative"
    r2_convention: str = "gv-shift"
    _templates: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        from ..targets import get_target

        get_target(self.target)             # unknown material: one clear line
        if self.density_g_cm3 is not None:
            self.density_g_cm3 = positive_scalar(self.density_g_cm3, "density_g_cm3", "g/cm^3")
        self.e_max_kev = positive_scalar(self.e_max_kev, "e_max_kev", "keV")
        if int(self.n_bins) != self.n_bins or self.n_bins < 1:
            raise InvalidParameterError(f"n_bins={self.n_bins!r} must be an integer >= 1")
        self.n_bins = int(self.n_bins)
        self.off_on_ratio = positive_scalar(self.off_on_ratio, "off_on_ratio")
        self.syst = positive_scalar(self.syst, "syst", allow_zero=True)
        self.cl = in_range(self.cl, "cl", 0.0, 1.0)
        if not 0.0 < self.cl < 1.0:
            raise InvalidParameterError(f"cl={self.cl!r} must be inside (0, 1)")
        choice(self.method, "method", GAUSSIAN_METHODS)
        choice(self.param, "param", SCAN_PARAMS)
        from ..interactions.charge_radius import check_r2_convention
        from ..interactions.couplings import check_couplings

        self.couplings = check_couplings(self.couplings)
        self.r2_convention = check_r2_convention(self.r2_convention)

    # -- templates --------------------------------------------------------------------------
    def _edges(self, threshold_kev: float) -> np.ndarray:
        if not 0 < threshold_kev < self.e_max_kev:
            raise InvalidParameterError(f"threshold_kev={threshold_kev!r} keV must be > 0 and "
                                        f"below e_max_kev={self.e_max_kev!r} keV")
        return np.geomspace(threshold_kev, self.e_max_kev, self.n_bins + 1)

    def template(self, threshold_kev: float, target: str | None = None) -> dict[str, np.ndarray]:
        """Unit templates for one threshold (and target; default the model's): counts per kg day
        at Φ₀ = 10¹³ cm⁻² s⁻¹.

        Returns ``{"edges_kev", "signal" (at the reference μν = 10⁻¹¹ μB or δQ = 10⁻¹² e, the
        new-physics component only), "sm"}``.
        """
        target = self.target if target is None else str(target)
        key = (target, float(threshold_kev))
        tpl = self._templates.get(key)
        if tpl is None:
            from ..binned import counts_in_bins
            from ..sources.reactor import reactor_flux

            edges = self._edges(key[1])
            ref, kw, comp, _ = _REFS[self.param]

            dens = {} if self.density_g_cm3 is None else {"density_g_cm3": self.density_g_cm3}

            def counts(x):
                return counts_in_bins(target, reactor_flux(_PHI0), edges, 1.0, **{kw: x},
                                      atomic=self.atomic, components=("sm_electron", comp),
                                      couplings=self.couplings,
                                      r2_convention=self.r2_convention, **dens)

            c = counts(ref)
            sig = c[comp]
            sm = c["sm_electron"]
            quad = None
            if self.param == "delta-q":   # even part: the pure dQ^2 term, exactly quadratic
                sig = 0.5 * (sig + counts(-ref)[comp])
            elif self.param == "r2":      # s = a theta + b theta^2 exactly
                minus, sm = counts(-ref)[comp], counts(0.0)["sm_electron"]
                sig, quad = 0.5 * (c[comp] - minus), 0.5 * (c[comp] + minus) - sm
            tpl = {"edges_kev": edges, "signal": sig, "sm": sm, "quadratic": quad}
            self._templates[key] = tpl
        return tpl

    def prepare(self, columns_or_grid) -> AsimovScanModel:
        """Compute the templates of every threshold (and target) in a grid or column dict."""
        axes = getattr(columns_or_grid, "axes", columns_or_grid)
        if "threshold_kev" not in axes:
            raise InvalidParameterError("the grid has no 'threshold_kev' axis")
        targets = np.unique(np.atleast_1d(axes.get("target", [self.target])).astype(str))
        for tgt in targets:
            for t in np.unique(as_float_array(axes["threshold_kev"], "threshold_kev")):
                self.template(t, str(tgt))
        return self

    def check(self, grid) -> None:
        """Validate a grid before a scan (:func:`nuem.inference.scan_columns.check_grid`)."""
        check_grid(getattr(grid, "axes", grid), self.target, self.e_max_kev)

    def describe(self) -> dict:
        """The model's settings (JSON-ready; recorded with scan results and checkpoints)."""
        return {"name": type(self).__name__, "target": self.target,
                "density_g_cm3": self.density_g_cm3, "e_max_kev": self.e_max_kev,
                "n_bins": self.n_bins, "off_on_ratio": self.off_on_ratio, "syst": self.syst,
                "cl": self.cl, "method": self.method, "atomic": self.atomic, "param": self.param,
                "couplings": self.couplings, "r2_convention": self.r2_convention}

    # -- evaluation -------------------------------------------------------------------------
    def __call__(self, columns) -> dict[str, np.ndarray]:
        from .intervals import gaussian_interval

        cols = resolve_columns(columns, self.target)
        thr, bkg = cols["threshold_kev"], cols["background_cpkkd"]
        expo, flux, tgt = cols["exposure_kg_day"], cols["flux_cm2_s"], cols["target"]
        n = thr.size
        sigma_theta = np.empty(n)
        ends = np.empty((n, 2))
        sig_tot = np.empty(n)
        sm_tot = np.empty(n)
        bkg_tot = np.empty(n)
        for target, t in _groups(tgt, thr):   # a handful of templates; the rest vectorised
            sel = (thr == t) & (tgt == target)
            model, b = self.residual_model(t, bkg[sel], expo[sel], flux[sel], target)
            sigma_theta[sel] = model.asimov_sigma_theta()
            if self.param == "r2":
                scale = expo[sel] * flux[sel] / _PHI0
                ends[sel] = self._two_sided(model, self.template(t, target)["quadratic"], scale)
            sig_tot[sel] = model.unit_signal.sum(axis=1)
            sm_tot[sel] = model.known.sum(axis=1)
            bkg_tot[sel] = b.sum(axis=1)
        upper = np.asarray(gaussian_interval(0.0, sigma_theta, self.cl, self.method).upper,
                           dtype=float)
        ref, _, _, col = _REFS[self.param]
        if self.param == "r2":
            out = {"theta_limit": ends[:, 1], "r2_lower_cm2": ends[:, 0] * ref,
                   "r2_upper_cm2": ends[:, 1] * ref}
            return {**out, "signal_counts": sig_tot, "sm_counts": sm_tot,
                    "background_counts": bkg_tot}
        out = {"theta_limit": upper, col: np.sqrt(upper) * ref}
        if self.param == "mu-nu":
            out["mu2_limit"] = upper
        return {**out, "signal_counts": sig_tot, "sm_counts": sm_tot,
                "background_counts": bkg_tot}

    def _two_sided(self, model, quad, scale) -> np.ndarray:
        """(lower, upper) θ of the two-sided Asimov interval per point (r2)."""
        from .r2_interval import chi2_quartic, quartic_interval

        a = model.unit_signal
        b = np.asarray(quad)[None, :] * np.asarray(scale)[:, None]
        coeffs = chi2_quartic(np.zeros_like(a), model.weight, a, b)
        return np.array([[iv["lower"], iv["upper"]] for iv in
                         (quartic_interval(c, self.cl) for c in coeffs)])

    def residual_model(self, threshold_kev, background_cpkkd, exposure_kg_day, flux_cm2_s,
                       target: str | None = None):
        """(ResidualModel batched over points, flat background counts b) at one threshold (and
        target; default the model's)."""
        tpl = self.template(threshold_kev, target)
        expo = np.atleast_1d(np.asarray(exposure_kg_day, float))
        scale = (expo * np.atleast_1d(flux_cm2_s) / _PHI0)[:, None]
        u = tpl["signal"][None, :] * scale                  # counts per unit theta
        s = tpl["sm"][None, :] * scale
        b = np.atleast_1d(background_cpkkd)[:, None] * np.diff(tpl["edges_kev"])[None, :] \
            * expo[:, None]
        r, eps = self.off_on_ratio, self.syst
        model = ResidualModel.from_onoff(u, s + b, b * r, 1.0 / r, s,
                                         syst=eps * b if eps > 0 else None)
        return model, b

    @property
    def limit_column(self) -> str:
        """Name of the output column holding the physical limit (μB or e)."""
        return _REFS[self.param][3]


def _groups(targets, thresholds):
    """Distinct (target, threshold) pairs of the points, in order of first appearance."""
    seen = dict.fromkeys(zip(targets.tolist(), thresholds.tolist(), strict=True))
    return list(seen)


def asimov_mu_nu_limit(threshold_kev, background_cpkkd, exposure_kg_day, flux_cm2_s, *,
                       model: AsimovScanModel | None = None, **model_kwargs) -> np.ndarray:
    r"""Asimov median upper limit on μν (μB) with broadcasting over the four inputs.

    Parameters
    ----------
    threshold_kev, background_cpkkd, exposure_kg_day, flux_cm2_s : array_like
        Threshold (keV), flat background (counts kg⁻¹ keV⁻¹ day⁻¹), ON exposure (kg day) and
        total reactor ν̄e flux (cm⁻² s⁻¹); broadcast together.
    model : AsimovScanModel, optional
        Model to use (its template cache is reused); otherwise one is built from
        ``model_kwargs``.

    Returns
    -------
    ndarray
        Limit on μν in μB, shape of the broadcast inputs. Scales as
        :math:`\Phi^{-1/2}(B/x_{on})^{1/4}` when background dominates (Wong & Li 2005,
        Eq. 10).

    Examples
    --------
    >>> a, b = asimov_mu_nu_limit(1.0, 10.0, [1e3, 1.6e4], 1e13)
    >>> bool(abs(a / b - 2.0) < 0.1)
    True
    """
    model = model or AsimovScanModel(**model_kwargs)
    arrs = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in
                                 (threshold_kev, background_cpkkd, exposure_kg_day, flux_cm2_s)))
    shape = arrs[0].shape
    out = model({k: a.ravel() for k, a in zip(ASIMOV_INPUTS, arrs, strict=True)})
    return out["mu_nu_limit"].reshape(shape)


#: Former name of :class:`AsimovScanModel` (default target Ge), kept for compatibility.
AsimovGeModel = AsimovScanModel
