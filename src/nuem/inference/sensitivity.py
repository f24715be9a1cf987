r"""Expected sensitivities (Asimov median and toy bands) of reactor ON−OFF experiments.

Signal templates (counts per analysis bin for the full ON exposure, from
:func:`nuem.experiments.observed_spectrum`) are linear in a strength θ:

``"mu-nu"``
    θ = (μν / 10⁻¹¹ μB)²; template = ``magnetic_moment`` + ``cevns_magnetic_moment`` at
    μν = 10⁻¹¹ μB (exactly linear in μν²: dσ/dT ∝ μν², Vogel & Engel, PRD 39, 3378 (1989)).
``"delta-q"``
    θ = (δQ / 10⁻¹²)²; template = the even part [R(+δQ) + R(−δQ)]/2 of ``millicharge`` at
    δQ = 10⁻¹² e, which is exactly the pure δQ² term (the δQ–weak interference is odd in δQ).
    Neglecting the interference is the approximation; the pure term dominates at keV recoils for
    δQ ≳ 10⁻¹⁴ (Chen et al., PRD 90, 011301(R) (2014)).
``"r2"``
    θ = ⟨r²⟩ / 10⁻³² cm² (signed); ``sm_electron`` depends on ⟨r²⟩ through a g_V shift linear
    in ⟨r²⟩ whose size is set by ``r2_convention`` (:mod:`nuem.interactions.charge_radius`), so
    the signal is exactly a θ + b θ² per bin (:mod:`nuem.inference.r2_interval`). The template
    is the linear term a (the one-sided ``median``/bands are those of the linear model); the
    result also carries the **two-sided** profile-likelihood interval of the quadratic model
    (``two_sided``: lower and upper ⟨r²⟩ in cm², Asimov, and with ``method="toys"`` the
    quantiles of both ends), with the convention stated next to every cm² value.

The model is the experiment's ON−OFF residual model (:func:`nuem.inference.builders.asimov_model`,
:class:`nuem.inference.ResidualModel`): ON = preset background + irreducible SM ν–e
(``sm_electron``) + coherent ν–N (``cevns``) (SM processes are ON-only; Wong et al., PRD 75,
012001 (2007)); OFF = the background model with the OFF exposure; per bin (x = exposures)

.. math:: \sigma_i^2 = N_{on,i} + N_{off,i}\,(x_{on}/x_{off})^2 + (s\,B_{on,i})^2,

s = ``onoff_syst`` a per-bin, uncorrelated subtraction systematic (Wong, Li, Lin, PRL 105, 061801
(2010), Table I: "<1 % uncertainty in the on–off background subtraction"). Without OFF data
(x_off = 0) the background is taken as known: σ_i² = N_on,i + (s B_on,i)².

The Asimov median limit is the ``cl`` upper limit (any registered Gaussian method:
Feldman–Cousins, PRD 57, 3873 (1998), flat-prior Bayes, CLs, ...) of θ̂ = 0 ± σ_θ, σ_θ the error
of the fit of the model to its own Asimov data set (Cowan, Cranmer, Gross, Vitells, EPJC 71, 1554
(2011)): σ_θ⁻² = Σ u_i²/σ_i² (Gaussian linear model, PDG "Statistics" Eq. 40.24). Toy bands:
pseudo-experiments drawn from the model (Poisson ON and OFF counts, the subtraction systematic
from N(0, s B_on,i)), θ̂ per toy and its upper limit; bands are the 2.3/15.9/84.1/97.7 %
quantiles. Wong & Li, MPLA 20, 1103 (2005), Eq. 10: in the background-dominated limit
μν ∝ N_ν^(-1/2) (B/(Mt))^(1/4).

Event-list experiments (no OFF exposure, a non-reactor source: the solar and liquid-noble
presets) use the extended unbinned likelihood of their limits instead
(:mod:`nuem.inference.event_sensitivity`; ``likelihood``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validation import check_seed, choice, positive_scalar
from ..exceptions import InvalidParameterError
from ._common import check_cl, resolve_experiment
from .methods import GAUSSIAN_METHODS

__all__ = ["PARAMS", "PARAM_UNITS", "DEFAULT_TARGET", "SENSITIVITY_METHODS", "LIKELIHOODS",
           "SensitivityResult", "signal_template", "expected_sensitivity", "residual_sigma",
           "to_physical"]

PARAMS = ("mu-nu", "delta-q", "r2")
#: (reference value, physical unit) of θ for each parameter: θ = (p/ref)² or p/ref (r2).
PARAM_UNITS = {"mu-nu": (1e-11, "mu_B"), "delta-q": (1e-12, "e"), "r2": (1e-32, "cm^2")}
#: Target of scans and of ``nuem sensitivity``'s generic detector when none is given.
DEFAULT_TARGET = "Ge"
#: How the bands are obtained (``method`` of :func:`expected_sensitivity`).
SENSITIVITY_METHODS = ("asimov", "toys")
#: Likelihood of :func:`expected_sensitivity` (``auto``: ``unbinned`` for event-list experiments).
LIKELIHOODS = ("auto", "onoff", "unbinned")
_QUANT = (0.02275, 0.15866, 0.5, 0.84134, 0.97725)


def to_physical(theta, param: str):
    """Strength θ → physical value: ref·√θ (mu-nu, delta-q) or ref·θ (r2, signed).

    For mu-nu and delta-q, θ is the squared strength: a θ ≤ 0 (an upper limit at or below the
    physical boundary) is the value 0; ⟨r²⟩ keeps its sign.

    Examples
    --------
    >>> to_physical(4.0, "mu-nu")
    2e-11
    >>> to_physical(2.0, "r2"), to_physical(-2.0, "r2"), to_physical(-1.0, "mu-nu")
    (2e-32, -2e-32, 0.0)
    """
    param = choice(param, "param", PARAMS)
    ref = PARAM_UNITS[param][0]
    t = np.asarray(theta, dtype=float)
    out = ref * t if param == "r2" else ref * np.sqrt(np.maximum(t, 0.0))
    return float(out) if out.ndim == 0 else out


def signal_template(experiment, param: str = "mu-nu", atomic=None, **physics):
    """Unit-strength signal per bin and the zero-signal spectrum.

    ``physics``: ``couplings`` and ``r2_convention`` for
    :func:`nuem.experiments.observed_spectrum` (None: its defaults).

    Returns
    -------
    (u, spectrum) : (ndarray, ObservedSpectrum)
        u: counts per bin per unit θ (see module docstring); ``spectrum``: the spectrum at the
        reference value, whose ``background``, ``sm_electron`` and ``cevns`` components (the
        parameter-independent ones) give the background.

    Examples
    --------
    >>> from nuem.experiments import get_experiment
    >>> u, s0 = signal_template(get_experiment("texono-hpge"))
    >>> u.shape == s0.e_kev.shape, bool(u.sum() > 0)
    (True, True)
    """
    from ..experiments import observed_spectrum

    param = choice(param, "param", PARAMS)
    ref = PARAM_UNITS[param][0]
    physics = {k: v for k, v in physics.items() if v is not None}
    if param == "mu-nu":
        s0 = observed_spectrum(experiment, mu_nu=ref, atomic=atomic, **physics)
        u = s0.components["magnetic_moment"] + s0.components["cevns_magnetic_moment"]
    elif param == "delta-q":
        s0 = observed_spectrum(experiment, delta_q=ref, atomic=atomic, **physics)
        neg = observed_spectrum(experiment, delta_q=-ref, atomic=atomic, **physics)
        u = 0.5 * (s0.components["millicharge"] + neg.components["millicharge"])
    else:
        from .r2_interval import quadratic_templates

        u, _, s0 = quadratic_templates(experiment, atomic, **physics)
    return np.asarray(u, dtype=float), s0


def residual_sigma(n_on, n_off, x_on: float, x_off: float, onoff_syst: float = 0.0,
                   b_on=None):
    r"""Per-bin standard deviation of the ON−OFF residual (module docstring formula).

    Examples
    --------
    >>> residual_sigma([100.0], [50.0], 2.0, 1.0).tolist()     # sqrt(100 + 50*4)
    [17.320508075688775]
    """
    n_on = np.asarray(n_on, float)
    n_off = np.asarray(n_off, float)
    s = positive_scalar(onoff_syst, "onoff_syst", allow_zero=True)
    b = n_on if b_on is None else np.asarray(b_on, float)
    var = n_on + (s * b) ** 2
    if x_off > 0:
        var = var + n_off * (x_on / x_off) ** 2
    return np.sqrt(var)


@dataclass(frozen=True)
class SensitivityResult:
    """Expected upper limit (physical units) with ±1σ/±2σ bands; θ values in ``theta``."""

    param: str
    unit: str
    cl: float
    method: str
    interval: str
    median: float
    band_1sigma: tuple
    band_2sigma: tuple
    sigma_theta: float
    theta: dict = field(default_factory=dict)
    assumptions: dict = field(default_factory=dict)
    two_sided: dict = field(default_factory=dict)
    model_band: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        out = {"param": self.param, "unit": self.unit, "cl": self.cl, "method": self.method,
               "interval": self.interval, "median": self.median,
               "band_1sigma": list(self.band_1sigma), "band_2sigma": list(self.band_2sigma),
               "sigma_theta": self.sigma_theta, "theta": dict(self.theta),
               "assumptions": dict(self.assumptions)}
        if self.param == "r2":
            out["r2_convention"] = self.assumptions.get("r2_convention")
            out["two_sided"] = dict(self.two_sided)
        if self.model_band:
            out["model_band"] = dict(self.model_band)
        return out


def _limit(theta_hat, sigma, cl, interval):
    from .intervals import gaussian_interval

    return np.asarray(gaussian_interval(theta_hat, sigma, cl, interval).upper, dtype=float)


def expected_sensitivity(experiment, *, param: str = "mu-nu", cl: float = 0.9,
                         method: str = "asimov", interval: str | None = None,
                         n_toys: int = 2000, onoff_syst: float = 0.0, atomic=None,
                         seed=None, template=None, couplings: str | None = None,
                         r2_convention: str | None = None, off_model: str = "binned",
                         off_degree: int = 0, rate_options=None,
                         dq_band: bool = False, likelihood: str = "auto",
                         events=None) -> SensitivityResult:
    r"""Median expected upper limit and ±1σ/±2σ bands (module docstring for the model).

    Parameters
    ----------
    experiment : Experiment or str
        A preset id or an :class:`nuem.experiments.Experiment` (e.g. from
        :func:`nuem.experiments.hypothetical_experiment`).
    param : {"mu-nu", "delta-q", "r2"}
    cl : float
        Confidence level in (0, 1).
    method : {"asimov", "toys"}
        ``asimov``: the bands are the Gaussian ones, θ̂ = ±1σ_θ, ±2σ_θ (Cowan et al. 2011
        Eq. 89 analogue); ``toys``: quantiles of ``n_toys`` pseudo-experiments of the model.
    interval : str, optional
        A registered method with Gaussian intervals (:data:`nuem.inference.GAUSSIAN_METHODS`:
        ``"feldman-cousins"``, the default, ``"bayes"``, ``"cls"``, ...); for the unbinned
        likelihood one of :data:`nuem.inference.event_sensitivity.EVENT_INTERVALS`
        (default ``"profile-likelihood"``).
    onoff_syst : float
        Relative uncertainty s of the ON−OFF background subtraction, per bin (≥ 0).
    atomic : str or mapping, optional
        Passed to :func:`nuem.experiments.observed_spectrum`.
    seed : int, optional
        Seed of the toys.
    template : (u, spectrum0), optional
        Precomputed :func:`signal_template` output (speeds up repeated calls; not for r2).
    couplings : {"radiative", "tree"}, optional
        SM coupling scheme (:mod:`nuem.interactions.couplings`; None: the rate engine's default).
    r2_convention : {"gv-shift", "sin2w-shift", "tree-level"}, optional
        Charge-radius convention of ``param="r2"`` (None: ``gv-shift``); recorded with every
        value in cm².
    off_model : {"binned", "smooth"}
        ``binned``: bin-by-bin ON−OFF subtraction (the residual model above); ``smooth``: the
        background is the experiment's background shape times a Legendre polynomial of degree
        ``off_degree`` in energy, its coefficients fitted to ON and OFF jointly
        (:class:`nuem.inference.smooth_background.SmoothOnOffModel`).
    off_degree : int
        Degree d >= 0 of the smooth background family (default 0: the background model's shape
        with a free normalisation shared by ON and OFF).
    rate_options : mapping, optional
        Further options of the rate engine for the templates (``sigma_gamma_source``).
    dq_band : bool
        ``param="delta-q"``: also compute the δQ atomic-model band (``model_band``: the Asimov
        median of every variant of :data:`nuem.inference.dq_band.DQ_VARIANTS`, their min, max
        and median).
    likelihood : {"auto", "onoff", "unbinned"}
        The ON−OFF model above, or the event-list likelihood (``events``: keyword options of
        :func:`nuem.inference.event_sensitivity.event_sensitivity`); ``auto``:
        :func:`~nuem.inference.event_sensitivity.auto_likelihood` (``onoff`` with a template).

    Returns
    -------
    SensitivityResult

    Examples
    --------
    >>> r = expected_sensitivity("texono-hpge")
    >>> r.unit, 3e-11 < r.median < 1.5e-10
    ('mu_B', True)
    """
    from .builders import asimov_model

    cl = check_cl(cl)
    param = choice(param, "param", PARAMS)
    method = choice(method, "method", SENSITIVITY_METHODS)
    experiment = resolve_experiment(experiment)
    likelihood = choice(likelihood, "likelihood", LIKELIHOODS)
    from .event_sensitivity import auto_likelihood, event_sensitivity, reject_onoff_options

    reason = "requested"
    if likelihood == "auto":
        likelihood, reason = (("onoff", "a binned template was given") if template is not None
                              else auto_likelihood(experiment, param,
                                                   dict(events or {}).get("background")))
    if likelihood == "unbinned":
        reject_onoff_options(onoff_syst=onoff_syst, template=template, off_model=off_model,
                             off_degree=off_degree, rate_options=rate_options, dq_band=dq_band,
                             r2_convention=r2_convention, couplings=couplings)
        return event_sensitivity(experiment, param=param, cl=cl, method=method,
                                 interval=interval or "profile-likelihood", n_toys=n_toys,
                                 seed=seed, atomic=atomic, **{"reason": reason, **(events or {})})
    if events:
        raise InvalidParameterError("events options apply to likelihood='unbinned' only")
    interval = choice(interval or "feldman-cousins", "interval", GAUSSIAN_METHODS)
    s = positive_scalar(onoff_syst, "onoff_syst", allow_zero=True)
    from ..interactions.charge_radius import check_r2_convention
    from ..interactions.couplings import DEFAULT_COUPLINGS, check_couplings

    couplings = check_couplings(couplings or DEFAULT_COUPLINGS)
    r2_convention = check_r2_convention(r2_convention or "gv-shift")
    physics = {"couplings": couplings, "r2_convention": r2_convention, **dict(rate_options or {})}
    quad = None
    if param == "r2":
        from .r2_interval import quadratic_templates

        u, quad, s0 = quadratic_templates(experiment, atomic, **physics)
    else:
        u, s0 = template if template is not None else signal_template(experiment, param,
                                                                      atomic, **physics)
    x_on, x_off = s0.exposure_on_kg_day, s0.exposure_off_kg_day
    off_model = choice(off_model, "off_model", ("binned", "smooth"))
    if off_model == "smooth":
        model, keep = _smooth_model(s0, u, s, off_degree)
    else:
        model, keep = asimov_model(s0, u, s, label=f"param={param!r}")
    sigma_theta = float(model.asimov_sigma_theta())
    toys = None
    if method == "asimov":
        z = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
        th = _limit(z * sigma_theta, sigma_theta, cl, interval)
    else:
        n_toys = int(n_toys)
        if n_toys < 10:
            raise InvalidParameterError(f"n_toys={n_toys} is too small; give >= 10")
        toys = model.sample(None, np.random.default_rng(check_seed(seed)), n_toys)
        theta_hat = model.linear_estimate(toys)
        th = np.quantile(_limit(theta_hat, sigma_theta, cl, interval), _QUANT)
    c = s0.components
    b_on = np.asarray(c["background"] + c["sm_electron"] + c["cevns"], float)[keep]
    u = model.unit_signal
    phys = [to_physical(t, param) for t in th]
    ref, unit = PARAM_UNITS[param]
    assumptions = {
        "experiment": experiment.id, "exposure_on_kg_day": x_on, "exposure_off_kg_day": x_off,
        "window_kev": [float(s0.edges_kev[0]), float(s0.edges_kev[-1])],
        "n_bins": int(u.size), "flux_cm2_s": s0.parameters.get("flux_cm2_s"),
        "onoff_syst": s, "atomic": atomic, "interval": interval,
        "background_on_counts": float(b_on.sum()), "signal_per_unit_theta": float(u.sum()),
        "theta": (f"(param/{ref:g} {unit})^2" if param != "r2" else f"r2/{ref:g} cm^2"),
        "background": "preset background + SM nu-e + coherent nu-N (ON-only, irreducible)",
        "variance": ("N_on + N_off (x_on/x_off)^2 + (onoff_syst B_on)^2 per bin"
                     if off_model == "binned" else "ON: N_on + (onoff_syst B_on)^2, OFF: N_off, "
                     "per bin; background coefficients fitted to ON and OFF jointly"),
        "off_model": off_model if x_off > 0 else "none (no OFF exposure)",
        "model": model.describe(), "likelihood": "onoff", "likelihood_reason": reason,
    }
    if x_off <= 0:
        assumptions["note"] = "no OFF exposure: background taken as known (no subtraction)"
    if param == "delta-q":
        assumptions["template"] = ("pure dQ^2 part (even in dQ) of millicharge at 1e-12 e; "
                                   "interference ignored")
    assumptions["couplings"] = couplings
    two = {}
    if param == "r2":
        assumptions["r2_convention"] = r2_convention
        assumptions["template"] = ("linear term a of sm_electron = a theta + b theta^2 "
                                   "(theta = r2/1e-32 cm^2, exact quadratic)")
        two = _r2_two_sided(model, np.asarray(quad, float)[keep], toys, cl, r2_convention)
    band = {}
    if dq_band:
        if param != "delta-q":
            raise InvalidParameterError("dq_band applies to param='delta-q' only")
        from .dq_band import delta_q_sensitivity_band

        band = delta_q_sensitivity_band(experiment, cl=cl, interval=interval,
                                        onoff_syst=s, couplings=couplings,
                                        off_model=off_model, off_degree=off_degree)
    return SensitivityResult(param=param, unit=unit, cl=cl, method=method, interval=interval,
                             median=phys[2], band_1sigma=(phys[1], phys[3]),
                             band_2sigma=(phys[0], phys[4]), sigma_theta=sigma_theta,
                             theta={"median": float(th[2]), "sigma": sigma_theta},
                             assumptions=assumptions, two_sided=two, model_band=band)


def _r2_two_sided(model, b, toys, cl, convention) -> dict:
    """Two-sided ⟨r²⟩ interval (cm²) of the quadratic model on the Asimov data set and, with
    toys, the 2.3/15.9/50/84.1/97.7 % quantiles of both ends (:mod:`nuem.inference.r2_interval`)."""
    from .r2_interval import R2_REF_CM2, chi2_quartic, quartic_interval

    a = model.unit_signal
    smooth = hasattr(model, "quadratic_signal_quartic")
    if smooth:
        asimov = quartic_interval(model.quadratic_signal_quartic(a, b)[0], cl)
    else:
        w = model.weight
        asimov = quartic_interval(chi2_quartic(np.zeros_like(a), w, a, b), cl)
    out = {"lower_cm2": asimov["lower"] * R2_REF_CM2, "upper_cm2": asimov["upper"] * R2_REF_CM2,
           "disconnected_cm2": [[x * R2_REF_CM2 for x in rg] for rg in asimov["disconnected"]],
           "r2_convention": convention, "cl": cl, "q": asimov["q"],
           "method": "profile likelihood of the exact quadratic model (Wilks), Asimov data"}
    if toys is not None:
        coeffs = model.quadratic_signal_quartic(a, b, toys) if smooth else \
            chi2_quartic(np.asarray(toys, float) - model.known, w, a, b)
        ends = np.array([[iv["lower"], iv["upper"]] for iv in
                         (quartic_interval(c, cl) for c in coeffs)])
        qs = np.quantile(ends, _QUANT, axis=0) * R2_REF_CM2
        out["toy_quantiles"] = list(_QUANT)
        out["lower_quantiles_cm2"] = qs[:, 0].tolist()
        out["upper_quantiles_cm2"] = qs[:, 1].tolist()
    return out


def _smooth_model(s0, u, onoff_syst, degree):
    """(SmoothOnOffModel, kept bins) of an experiment's expectation (``off_model="smooth"``)."""
    from .smooth_background import SmoothOnOffModel, legendre_design

    degree = int(degree)
    if degree < 0 or degree > 10:
        raise InvalidParameterError(f"off_degree={degree!r} must be an integer in 0..10")
    x_on, x_off = s0.exposure_on_kg_day, s0.exposure_off_kg_day
    if not x_off > 0:
        raise InvalidParameterError("off_model='smooth' needs an OFF exposure (days_off > 0)")
    c = s0.components
    known = np.asarray(c["sm_electron"] + c["cevns"], float)
    shape = np.asarray(c["background"], float) / x_on
    keep = shape > 0
    if not np.any(keep & (np.asarray(u) != 0)):
        raise InvalidParameterError("off_model='smooth': no signal where the background is > 0")
    edges = np.asarray(s0.edges_kev, float)
    design = legendre_design(edges[:-1][keep], edges[1:][keep], degree)
    b_on = (np.asarray(c["background"], float) + known)[keep]
    syst = onoff_syst * b_on if onoff_syst > 0 else None
    model = SmoothOnOffModel(np.asarray(u, float)[keep], known[keep], shape[keep], x_on, x_off,
                             design, syst=syst)
    return model, keep
