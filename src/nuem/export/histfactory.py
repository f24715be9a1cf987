r"""The ON/OFF likelihood of an experiment as a HistFactory workspace (pyhf JSON).

The model is :class:`nuem.inference.OnOffModel` (joint Poisson ON and OFF counts, background
rates free per bin; Rolke, López & Conrad, NIM A 551, 493 (2005)) written in the HistFactory
vocabulary (K. Cranmer et al., CERN-OPEN-2012-016; pyhf: L. Heinrich, M. Feickert, G. Stark,
K. Cranmer, JOSS 6, 2823 (2021)); channel ``reactor_on`` and ``reactor_off``, bins = the
analysis bins (or the data bins inside the window):

``signal`` (ON)
    the expected counts per unit θ, u_i, with ``normfactor`` **theta** (the POI:
    θ = (μν/10⁻¹¹ μB)², or (δQ/10⁻¹² e)² for the pure δQ² term, or ⟨r²⟩/10⁻³² cm²;
    :func:`nuem.inference.signal_template`), ``normsys`` **flux_norm** and **xsec_norm**
    (hi/lo = 1 ± σ) and ``histosys`` **escale** (u ± σ_δ ∂u/∂δ, first order;
    :func:`nuem.inference.templates.energy_scale_derivative});
``sm_irreducible`` (ON)
    the SM ν–e + coherent ν–N counts k_i, which do not cancel in ON − OFF, with the same
    **escale** histosys (k ± σ_δ ∂k/∂δ);
``background`` (ON and OFF)
    nominal b⁰_i t_on and b⁰_i t_off with one ``shapefactor`` **bkg_rate** shared by both
    channels (a free factor per bin: the OFF measurement constrains the ON background), and in
    ON the ``histosys`` **onoff_norm** (b⁰ t_on (1 ± σ)) and **bkg_tilt** (b⁰ t_on (1 ± σ x_i),
    x ∈ [−1, 1] across the window).

Equivalence with nuem's model: HistFactory applies the additive (histosys) terms before the
multiplicative ones, so the expected ON background is γ_i b⁰_i t_on (1 + α_c σ_c + α_τ σ_τ x_i)
exactly as in :class:`~nuem.inference.OnOffModel` (c = α_c σ_c); the escale histosys is linear
(interpolation code 0) like nuem's first-order energy scale. The normsys factors interpolate
exponentially, (1 ± σ)^|α|, where nuem has 1 + ν with ν = ασ: equal to first order in σ (the
difference is O(σ²α²); 0.1 % of the signal for σ = 5 % and |α| ≤ 1). Gaussian constraints are
unit normals on α = ν/σ in both. Observations are the data's counts, or without data the
expectation at θ = 0 (Asimov; Cowan, Cranmer, Gross, Vitells, EPJC 71, 1554 (2011)).

The workspace is validated against pyhf's schema when pyhf is installed; the metadata (bin
edges, exposures, θ definition, nuisance σ, experiment) are returned separately, since the
HistFactory schema admits no extra keys.
"""

from __future__ import annotations

import numpy as np

from ..exceptions import InvalidParameterError

__all__ = ["NUISANCE_KEYWORDS", "onoff_model_of_experiment", "workspace_from_model",
           "export_pyhf", "validate_workspace"]

#: keyword -> HistFactory modifier name (the nuisances of :func:`export_pyhf`).
NUISANCE_KEYWORDS = {"flux_norm_sigma": "flux_norm", "xsec_sigma": "xsec_norm",
                     "escale_sigma": "escale", "onoff_syst": "onoff_norm",
                     "bkg_tilt_sigma": "bkg_tilt"}


def _sig(nuisances):
    sig = dict.fromkeys(NUISANCE_KEYWORDS, 0.0)
    for k, v in (nuisances or {}).items():
        if k not in sig:
            raise InvalidParameterError(f"nuisance {k!r} is not known; allowed: "
                                        f"{', '.join(NUISANCE_KEYWORDS)}")
        v = float(v)
        if not (np.isfinite(v) and v >= 0):
            raise InvalidParameterError(f"{k} must be finite and >= 0, got {v!r}")
        sig[k] = v
    return sig


def _shapes(experiment, lo, hi, param, atomic, sig, factor):
    """(∂u/∂δ, ∂k/∂δ) × factor and the tilt positions x_i on the bins (as in
    :func:`nuem.inference.builders.model_for_data`)."""
    from ..inference.templates import energy_scale_derivative, fine_template, tilt_template

    out = {}
    if sig["escale_sigma"]:
        f_edges, f_u, f_sm, _ = fine_template(experiment, lo, hi, param, atomic)
        out["escale"] = (energy_scale_derivative(f_edges, f_u, lo, hi) * factor,
                         energy_scale_derivative(f_edges, f_sm, lo, hi) * factor)
    if sig["bkg_tilt_sigma"]:
        out["bkg_tilt"] = tilt_template(np.ones(lo.size), lo, hi)
    return out


def onoff_model_of_experiment(experiment, *, param: str = "mu-nu", atomic=None,
                              nuisances=None):
    """(:class:`~nuem.inference.OnOffModel`, edges_kev, shapes) of an experiment's expectation
    on its analysis bins: u from :func:`nuem.inference.signal_template`, known = SM ν–e +
    coherent, background rates per ON kg day from the experiment's background model; ``shapes``
    holds the energy-scale derivatives and tilt positions (see :func:`workspace_from_model`)."""
    from ..inference import OnOffModel, signal_template

    sig = _sig(nuisances)
    u, s0 = signal_template(experiment, param, atomic)
    c = s0.components
    x_on, x_off = s0.exposure_on_kg_day, s0.exposure_off_kg_day
    if x_off <= 0:
        raise InvalidParameterError(f"experiment {experiment.id!r} has no OFF exposure "
                                    "(live_days_off = 0); the ON/OFF workspace needs OFF data")
    edges = np.asarray(s0.edges_kev, float)
    lo, hi = edges[:-1], edges[1:]
    known = np.clip(np.asarray(c["sm_electron"] + c["cevns"], float), 0.0, None)
    shapes = _shapes(experiment, lo, hi, param, atomic, sig, 1.0)
    norms = {NUISANCE_KEYWORDS[k]: sig[k] for k in ("flux_norm_sigma", "xsec_sigma") if sig[k]}
    scale = (*shapes["escale"], sig["escale_sigma"]) if "escale" in shapes else None
    model = OnOffModel(u, x_on, x_off, known=known, norms=norms, scale=scale,
                       onoff_norm_sigma=sig["onoff_syst"] or None,
                       tilt=(shapes["bkg_tilt"], sig["bkg_tilt_sigma"])
                       if "bkg_tilt" in shapes else None,
                       background=np.asarray(c["background"], float) / x_on)
    return model, edges, shapes


def _default_theta_bounds(model, b0):
    """[0, 50 σ_θ] with σ_θ the Gaussian estimate of the error of θ̂ at θ = 0."""
    var = b0 * model.t_on + model.known + b0 * model.t_on**2 / model.t_off
    var = np.maximum(var, 1.0)
    sigma = 1.0 / np.sqrt(np.sum(model.unit_signal**2 / var))
    hi = float(10 ** np.ceil(np.log10(50.0 * sigma)))
    return [0.0, hi]


def workspace_from_model(model, data=None, *, name: str = "nuem", theta_bounds=None,
                         background=None, shapes=None) -> dict:
    """The HistFactory workspace (dict) of an :class:`~nuem.inference.OnOffModel`.

    Parameters
    ----------
    model : OnOffModel
    data : (n_on, n_off), optional
        Observed counts; default: the model's expectation at θ = 0 (needs its background).
    name : str
        Measurement name.
    theta_bounds : (float, float), optional
        Bounds of the POI; default [0, 50 σ_θ] rounded up to a power of ten.
    background : array_like, optional
        Nominal background rate per bin (per unit exposure) b⁰; default the model's, else the
        OFF counts / t_off (floored at 1 count).
    shapes : dict, optional
        ``{"escale": (∂u/∂δ, ∂k/∂δ), "bkg_tilt": x_i}`` -- required for the model's ``escale``
        and ``bkg_tilt`` nuisances (the values the model was built with).
    """
    from ..inference import OnOffModel

    if not isinstance(model, OnOffModel):
        raise InvalidParameterError("workspace_from_model needs a nuem OnOffModel")
    if data is None:
        exp = model.expected({"theta": 0.0})
        n_on, n_off = exp.on, exp.off
    else:
        n_on, n_off = (np.asarray(x, float) for x in model.check_data(data))
    if background is not None:
        b0 = np.asarray(background, float)
    elif model.background is not None:
        b0 = np.asarray(model.background, float)
    else:
        b0 = np.maximum(n_off, 1.0) / model.t_off
    if b0.shape != n_on.shape or np.any(~(b0 > 0)):
        raise InvalidParameterError("background: one rate > 0 per bin is needed")
    names = set(model.names)
    sig = {p.name: p.sigma for p in model.parameters[1:]}
    shapes = dict(shapes or {})
    for n in ("escale", "bkg_tilt"):
        if n in names and n not in shapes:
            raise InvalidParameterError(f"the model has the nuisance {n!r}: give its shape in "
                                        "shapes= (see onoff_model_of_experiment)")
    u, k = model.unit_signal, model.known
    mods = [{"name": "theta", "type": "normfactor", "data": None}]
    for n in ("flux_norm", "xsec_norm"):
        if n in names:
            mods.append({"name": n, "type": "normsys",
                         "data": {"hi": 1.0 + sig[n], "lo": 1.0 - sig[n]}})
    k_mods = []
    if "escale" in names:
        d = sig["escale"]
        du, dk = (np.asarray(v, float) for v in shapes["escale"])
        mods.append({"name": "escale", "type": "histosys",
                     "data": {"hi_data": _l(u + d * du), "lo_data": _l(u - d * du)}})
        k_mods.append({"name": "escale", "type": "histosys",
                       "data": {"hi_data": _l(k + d * dk), "lo_data": _l(k - d * dk)}})
    bon = b0 * model.t_on
    b_mods = [{"name": "bkg_rate", "type": "shapefactor", "data": None}]
    if "onoff_norm" in names:
        s = sig["onoff_norm"]
        b_mods.append({"name": "onoff_norm", "type": "histosys",
                       "data": {"hi_data": _l(bon * (1 + s)), "lo_data": _l(bon * (1 - s))}})
    if "bkg_tilt" in names:
        s, x = sig["bkg_tilt"], np.asarray(shapes["bkg_tilt"], float)
        b_mods.append({"name": "bkg_tilt", "type": "histosys",
                       "data": {"hi_data": _l(bon * (1 + s * x)),
                                "lo_data": _l(bon * (1 - s * x))}})
    on_samples = [{"name": "signal", "data": _l(u), "modifiers": mods}]
    if np.any(k > 0):
        on_samples.append({"name": "sm_irreducible", "data": _l(k), "modifiers": k_mods})
    on_samples.append({"name": "background", "data": _l(bon), "modifiers": b_mods})
    off_samples = [{"name": "background", "data": _l(b0 * model.t_off),
                    "modifiers": [{"name": "bkg_rate", "type": "shapefactor", "data": None}]}]
    nb = u.size
    params = [{"name": "theta", "bounds": [list(theta_bounds or
                                                _default_theta_bounds(model, b0))],
               "inits": [0.0]},
              {"name": "bkg_rate", "bounds": [[0.0, 10.0]] * nb, "inits": [1.0] * nb}]
    return {"version": "1.0.0",
            "channels": [{"name": "reactor_on", "samples": on_samples},
                         {"name": "reactor_off", "samples": off_samples}],
            "observations": [{"name": "reactor_on", "data": _l(n_on)},
                             {"name": "reactor_off", "data": _l(n_off)}],
            "measurements": [{"name": name, "config": {"poi": "theta",
                                                       "parameters": params}}]}


def _l(a) -> list:
    return [float(v) for v in np.asarray(a, float)]


def validate_workspace(spec: dict) -> bool:
    """Validate against pyhf's workspace schema (raises on failure); False if pyhf is not
    installed (nothing checked)."""
    try:
        import pyhf
    except ImportError:
        return False
    import warnings

    try:
        with warnings.catch_warnings():   # pyhf 0.7 uses jsonschema's deprecated RefResolver
            warnings.filterwarnings("ignore", "jsonschema.RefResolver is deprecated",
                                    DeprecationWarning)
            pyhf.schema.validate(spec, "workspace.json")
    except pyhf.exceptions.InvalidSpecification as exc:
        raise InvalidParameterError(f"workspace does not follow pyhf's schema: {exc}") from None
    return True


def export_pyhf(experiment, data=None, *, param: str = "mu-nu", atomic=None, nuisances=None,
                theta_bounds=None) -> tuple[dict, dict]:
    """(workspace, metadata) of an experiment's ON/OFF model, with a measured spectrum if given.

    Parameters
    ----------
    experiment : Experiment or str
        Preset id or Experiment.
    data : MeasuredSpectrum or path, optional
        ON and OFF counts (any :mod:`nuem.io` format); only its bins inside the analysis window
        are used (:func:`nuem.inference.builders.model_for_data`, joint Poisson). Without data
        the observations are the expectation at θ = 0.
    param : {"mu-nu", "delta-q", "r2"}
    atomic : str or mapping, optional
    nuisances : dict, optional
        σ of the nuisances (:data:`NUISANCE_KEYWORDS`; 0 or absent = not in the model).
    theta_bounds : (float, float), optional

    Examples
    --------
    >>> ws, meta = export_pyhf("texono-hpge", nuisances={"flux_norm_sigma": 0.05})
    >>> [c["name"] for c in ws["channels"]], meta["poi"]
    (['reactor_on', 'reactor_off'], 'theta')
    >>> meta["theta"]
    '(mu_nu / 1e-11 mu_B)^2'
    """
    from .._validation import choice
    from ..experiments import Experiment, get_experiment
    from ..inference.sensitivity import PARAM_UNITS, PARAMS

    param = choice(param, "param", PARAMS)
    if isinstance(experiment, str):
        experiment = get_experiment(experiment)
    if not isinstance(experiment, Experiment):
        raise InvalidParameterError("experiment must be a preset id or a nuem Experiment")
    sig = _sig(nuisances)
    if data is None:
        model, edges, shapes = onoff_model_of_experiment(experiment, param=param,
                                                         atomic=atomic, nuisances=nuisances)
        counts, source = None, "expectation at theta = 0 (Asimov)"
    else:
        from ..inference.builders import model_for_data
        from ..io.excess import read_measured
        from ..io.spectra import MeasuredSpectrum

        spec = data if isinstance(data, MeasuredSpectrum) else read_measured(data)
        model, counts, _, (lo, hi) = model_for_data(experiment, spec, param=param,
                                                    atomic=atomic, on_only=False,
                                                    joint_poisson=True, sig=sig,
                                                    method="export pyhf")
        edges, source = np.r_[lo, hi[-1]], str(spec.source)
        shapes = _shapes(experiment, lo, hi, param, atomic, sig,
                         model.t_on / experiment.exposure.on_kg_day)
    ref, unit = PARAM_UNITS[param]
    theta = (f"({param.replace('-', '_')} / {ref:g} {unit})^2" if param != "r2"
             else f"r2 / {ref:g} cm^2")
    name = f"nuem {experiment.id} {param}"
    ws = workspace_from_model(model, counts, name=name, theta_bounds=theta_bounds,
                              shapes=shapes)
    meta = {"generator": "nuem export pyhf", "experiment": experiment.id,
            "reference": experiment.reference, "param": param, "poi": "theta",
            "theta": theta, "edges_kev": _l(edges), "exposure_on_kg_day": model.t_on,
            "exposure_off_kg_day": model.t_off, "observations": source,
            "nuisances": {NUISANCE_KEYWORDS[k]: v for k, v in sig.items() if v},
            "channels": {"reactor_on": "signal + sm_irreducible + background",
                         "reactor_off": "background (shapefactor bkg_rate shared with ON)"},
            "measurement": name,
            "schema_validated": validate_workspace(ws)}
    return ws, meta
