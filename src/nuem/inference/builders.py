r"""Likelihood models of an experiment: from a measured spectrum (limits) or from the experiment's
expectation (Asimov sensitivities).

:func:`model_for_data` turns a measured spectrum (:class:`nuem.io.spectra.MeasuredSpectrum`)
and an experiment into a model of :mod:`nuem.inference.likelihood` and its data:

* ON and OFF series → :class:`ResidualModel` of r = N_on − N_off x_on/x_off with
  σ² = N_on + N_off (x_on/x_off)² (each series floored at 1 count to keep σ > 0 in empty
  bins), known k = SM ν–e + coherent ν–N (ON-only; Wong et al., PRD 75, 012001 (2007)), or with
  ``joint_poisson`` :class:`OnOffModel` (background profiled; Rolke, López & Conrad, NIM A 551,
  493 (2005));
* an ON−OFF residual with errors (Wong, Li, Lin, PRL 105, 061801 (2010), Fig. 3a) →
  :class:`ResidualModel` in counts (template × file exposure / ON exposure) or cpkkd
  (template / (width × ON exposure));
* ON-only counts (one series) → :class:`BinnedPoissonOnOnly` (rates × width × exposure).

Nuisances (σ = 0: absent): ``flux_norm_sigma`` → ``flux_norm`` and ``xsec_sigma`` →
``xsec_norm`` (signal normalisations), ``escale_sigma`` → ``escale`` (first-order energy scale on
signal and SM, :func:`nuem.inference.templates.energy_scale_derivative`), ``onoff_syst`` →
``onoff_norm`` (OFF normalisation; ON/OFF data) and ``bkg_tilt_sigma`` → ``bkg_tilt`` (linear tilt
of the subtracted background, :func:`nuem.inference.templates.tilt_template`; ON/OFF data).

:func:`asimov_model` is the residual model of an experiment's own expectation (ON = preset
background + SM ν–e + coherent ν–N, OFF = background with the OFF exposure), the per-bin
subtraction systematic s·B_on,i as :math:`\epsilon_i`; its Asimov data set gives the median
sensitivity.
"""

from __future__ import annotations

import numpy as np

from ..exceptions import InvalidParameterError
from .onoff_model import BinnedPoissonOnOnly, OnOffModel
from .residual_model import ResidualModel
from .templates import fine_template, template_on_edges, tilt_template

__all__ = ["NUISANCE_KEYWORDS", "model_for_data", "asimov_model", "counts_of"]

#: keyword of :func:`nuem.inference.limit_from_data` → model parameter name.
NUISANCE_KEYWORDS = {"flux_norm_sigma": "flux_norm", "xsec_sigma": "xsec_norm",
                     "escale_sigma": "escale", "onoff_syst": "onoff_norm",
                     "bkg_tilt_sigma": "bkg_tilt"}


def counts_of(spec, series, exposure, what):
    """(counts, exposure, source) of one series; rates are converted with the file's exposure,
    else ``exposure`` (the experiment's)."""
    kind, v = spec.values[series]
    if kind == "counts":
        x = spec.exposure_kg_day.get(series)
        return ((np.asarray(v, float), x, "file") if x else
                (np.asarray(v, float), exposure, f"experiment {what} exposure (file has none)"))
    x = spec.exposure_kg_day.get(series)
    src = "file"
    if x is None:
        x, src = exposure, f"experiment {what} exposure (file has none)"
    if not x or x <= 0:
        raise InvalidParameterError(f"data series {series!r} is a rate and no {what} exposure "
                                    "is known; add '# exposure_kg_day = X' to the file")
    return np.asarray(v, float) * spec.width_kev * x, x, src


def _norms(sig):
    return {NUISANCE_KEYWORDS[k]: sig[k] for k in ("flux_norm_sigma", "xsec_sigma") if sig[k]}


def model_for_data(experiment, spec, *, param, atomic, on_only, joint_poisson, sig,
                   method: str = "", physics=None, off_model: str = "binned",
                   off_degree: int = 0):
    """(model, data, details, (e_lo_kev, e_hi_kev)) for a measured spectrum (module docstring).

    ``on_only`` asks for the ON-only model; ``sig`` maps the keywords of
    :data:`NUISANCE_KEYWORDS` to their σ (0 = absent); ``physics`` the ``couplings`` and
    ``r2_convention`` of the templates. For ``param="r2"`` ``details["r2_quadratic"]`` holds the
    quadratic term per bin in the units of the model's data.
    """
    physics = dict(physics or {})
    a = experiment.analysis
    tol = 1e-9
    inside = (spec.e_lo_kev >= a.e_min_kev - tol) & (spec.e_hi_kev <= a.e_max_kev + tol)
    if not np.any(inside):
        raise InvalidParameterError(
            f"data: no bin of {spec.source} lies inside the analysis window "
            f"{a.e_min_kev:g}-{a.e_max_kev:g} keV of experiment {experiment.id!r}")
    lo, hi = spec.e_lo_kev[inside], spec.e_hi_kev[inside]
    u, sm, tspec = template_on_edges(experiment, lo, hi, param, atomic, **physics)
    quad = None
    if param == "r2":
        from .templates import quadratic_on_edges

        quad = quadratic_on_edges(experiment, lo, hi, atomic, **physics)
    x_on, x_off = experiment.exposure.on_kg_day, experiment.exposure.off_kg_day
    details = {"experiment": experiment.id, "data": spec.source, "n_bins": int(inside.sum()),
               "window_kev": [float(lo[0]), float(hi[-1])], "atomic": atomic,
               "flux_cm2_s": tspec.parameters.get("flux_cm2_s")}
    if on_only:
        series = "spectrum" if "spectrum" in spec.values else "on"
        if series not in spec.values:
            raise InvalidParameterError("data: binned-poisson needs an ON or single spectrum")
        n, x, src = counts_of(spec, series, x_on, "ON")
        if x and x != x_on:       # template for the data's exposure
            u = u * (x / x_on)
        details.update({"exposure_kg_day": x, "exposure_source": src,
                        "background": "none subtracted (conservative)"})
        if np.any(u < 0):   # destructive interference (delta_Q): a deficit is not used
            details["negative_signal_bins"] = "counted as no signal (conservative)"
        return BinnedPoissonOnOnly(np.clip(u, 0.0, None)), n[inside], details, (lo, hi)
    du = dsm = None
    if sig["escale_sigma"]:
        from .templates import energy_scale_derivative

        f_edges, f_u, f_sm, _ = fine_template(experiment, lo, hi, param, atomic, **physics)
        du = energy_scale_derivative(f_edges, f_u, lo, hi)
        dsm = energy_scale_derivative(f_edges, f_sm, lo, hi)

    def scale_of(f):
        return None if du is None else (du * f, dsm * f, sig["escale_sigma"])

    if "residual" in spec.values:
        if joint_poisson or sig["onoff_syst"] or sig["bkg_tilt_sigma"]:
            raise InvalidParameterError("data: an ON-OFF residual file supports neither "
                                        "joint_poisson nor onoff_syst/bkg_tilt_sigma (they "
                                        "need ON and OFF counts)")
        kind, r = spec.values["residual"]
        r, sigma = np.asarray(r, float)[inside], spec.sigma("residual")[inside]
        if kind == "counts":
            x = spec.exposure_kg_day.get("residual") or x_on
            f = np.full(lo.size, x / x_on)
            details.update({"exposure_kg_day": x, "residual_unit": "counts",
                            "exposure_source": "file" if spec.exposure_kg_day.get("residual")
                            else "experiment ON exposure (file has none)"})
        else:
            f = 1.0 / ((hi - lo) * x_on)
            details["residual_unit"] = "cpkkd"
        model = ResidualModel(u * f, sigma, known=sm * f, norms=_norms(sig), scale=scale_of(f))
        details.update({"input": "residual", "fit": "chi2 residual", "sm_subtracted": True})
        if quad is not None:
            details["r2_quadratic"] = quad * f
        return model, r, details, (lo, hi)
    if "on" not in spec.values or "off" not in spec.values:
        raise InvalidParameterError(
            f"data: method {method!r} needs ON and OFF series (on_counts/off_counts) or an "
            "ON-OFF residual (residual_*/sigma_*); use binned-poisson for ON-only data")
    n_on, xo, src_on = counts_of(spec, "on", x_on, "ON")
    n_off, xf, src_off = counts_of(spec, "off", x_off, "OFF")
    n_on, n_off = n_on[inside], n_off[inside]
    if not xf or xf <= 0:
        raise InvalidParameterError("data: the OFF exposure is zero; cannot subtract")
    ratio = xo / xf
    f = xo / x_on
    u, sm = u * f, sm * f
    if quad is not None:
        details["r2_quadratic"] = quad * f
    details.update({"exposure_on_kg_day": xo, "exposure_off_kg_day": xf, "input": "on-off",
                    "exposure_on_source": src_on, "exposure_off_source": src_off,
                    "off_model": off_model})
    if off_model == "smooth":
        return _smooth_data_model(experiment, tspec, u, sm, n_on, n_off, xo, xf, lo, hi, sig,
                                  joint_poisson, off_degree, details)
    if joint_poisson:
        # SM nu-e + nu-N counts are >= 0; the clip only removes round-off below zero
        model = OnOffModel(u, xo, xf, known=np.clip(sm, 0.0, None), norms=_norms(sig),
                           scale=scale_of(f), onoff_norm_sigma=sig["onoff_syst"] or None,
                           tilt=(tilt_template(np.ones(lo.size), lo, hi), sig["bkg_tilt_sigma"])
                           if sig["bkg_tilt_sigma"] else None)
        details.update({"fit": "joint Poisson ON/OFF (background profiled, SM nu-e + nu-N as "
                               "known ON-only expectation)", "sm_subtracted": True})
        return model, (n_on, n_off), details, (lo, hi)
    sigma = np.sqrt(np.maximum(n_on, 1.0) + np.maximum(n_off, 1.0) * ratio**2)
    off_tpl = n_off * ratio
    tpl = {}
    if sig["onoff_syst"]:
        tpl["onoff_norm"] = (off_tpl, sig["onoff_syst"])
    if sig["bkg_tilt_sigma"]:
        tpl["bkg_tilt"] = (tilt_template(off_tpl, lo, hi), sig["bkg_tilt_sigma"])
    model = ResidualModel(u, sigma, known=sm, norms=_norms(sig), templates=tpl,
                          scale=scale_of(f))
    details.update({"fit": "chi2 residual", "sm_subtracted": True})
    return model, n_on - off_tpl, details, (lo, hi)


def asimov_model(spectrum0, unit_signal, onoff_syst: float = 0.0, *, label: str = "signal"):
    """(model, kept-bins mask) of an experiment's expectation (module docstring).

    ``spectrum0`` is the zero-signal :class:`nuem.experiments.ObservedSpectrum`,
    ``unit_signal`` the signal per unit θ on its bins; bins with zero variance are dropped.
    """
    c = spectrum0.components
    known = np.asarray(c["sm_electron"] + c["cevns"], float)
    b_on = np.asarray(c["background"], float) + known
    b_off = np.asarray(c["background_off"], float)
    x_on, x_off = spectrum0.exposure_on_kg_day, spectrum0.exposure_off_kg_day
    if x_on <= 0:
        raise InvalidParameterError("the experiment has no ON exposure (days_on = 0)")
    ratio = x_on / x_off if x_off > 0 else None
    var = b_on + (onoff_syst * b_on) ** 2 + (b_off * ratio**2 if ratio else 0.0)
    keep = var > 0
    u = np.asarray(unit_signal, float)
    if not np.any(keep & (u != 0)):
        raise InvalidParameterError(f"{label}: no signal in the analysis window")
    syst = onoff_syst * b_on[keep] if onoff_syst > 0 else None
    model = ResidualModel.from_onoff(u[keep], b_on[keep], b_off[keep] if ratio else None,
                                     ratio, known[keep], syst=syst)
    return model, keep


def _smooth_data_model(experiment, tspec, u, sm, n_on, n_off, xo, xf, lo, hi, sig,
                       joint_poisson, degree, details):
    """ON/OFF data with the smooth background family
    (:class:`nuem.inference.smooth_background.SmoothOnOffModel`): the experiment's background
    shape on the data bins times a Legendre polynomial of degree ``degree``."""
    from .smooth_background import SmoothOnOffModel, legendre_design
    from .templates import rebin_cumulative

    bad = [k for k, v in sig.items() if v] + (["joint_poisson"] if joint_poisson else [])
    if bad:
        raise InvalidParameterError(f"off_model='smooth' does not take {', '.join(bad)} (its "
                                    "background coefficients are the nuisances)")
    degree = int(degree)
    if degree < 0 or degree > 10:
        raise InvalidParameterError(f"off_degree={degree!r} must be an integer in 0..10")
    x_on = experiment.exposure.on_kg_day
    shape = rebin_cumulative(np.asarray(tspec.edges_kev, float),
                             np.asarray(tspec.components["background"], float), lo, hi) / x_on
    if np.any(shape <= 0):
        raise InvalidParameterError("off_model='smooth': the experiment's background model is 0 "
                                    "in a data bin; the smooth family needs a shape > 0")
    model = SmoothOnOffModel(u, sm, shape, xo, xf, legendre_design(lo, hi, degree),
                             variance=(np.maximum(n_on, 1.0), np.maximum(n_off, 1.0)))
    details.update({"fit": "chi2 on+off, smooth background (experiment's background shape x "
                           f"Legendre polynomial of degree {degree}) fitted jointly",
                    "off_degree": degree, "sm_subtracted": True})
    return model, (n_on, n_off), details, (lo, hi)
