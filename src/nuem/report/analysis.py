r"""The report's statistical sections (internal): the expected limit with its bands, the limit
from data, and the experiment's published limit.

* Expected limit: :func:`nuem.inference.expected_sensitivity` (Asimov median of the ON−OFF
  residual model, ±1σ/±2σ bands from θ̂ = ±1σ_θ, ±2σ_θ; Cowan, Cranmer, Gross, Vitells, EPJC 71,
  1554 (2011)) at the experiment's exposure and, for the "Brazil" figure, at exposures scaled by
  :data:`EXPOSURE_FACTORS` with the ON/OFF ratio kept. Every expected count is proportional to
  the exposure, so the scaled spectra are the nominal ones times the factor (exact, no
  recomputation).
* Limit from data: :func:`nuem.inference.limit_from_data` with the method, CL and nuisances
  given; ON/OFF data are also returned as counts on the data bins inside the analysis window,
  with the best-fit expectation (SM + θ̂·u) for the residual figure.
* Published limit: the experiment file's ``[published]`` table when it has one (``kind`` limit,
  interval or projection; ``mu_nu_limit_mub``, ``mu_nu_lower_mub``, ``delta_q_limit_e``,
  ``cl``), else, for the historic reactor experiments, the limit quoted in
  :data:`nuem.reproductions.wong_li_2005.HISTORIC_LIMITS`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..exceptions import NuemError

__all__ = ["EXPOSURE_FACTORS", "expected_limits", "data_limit", "published_limit"]

#: Exposure factors of the Brazil figure (× the experiment's ON and OFF exposures).
EXPOSURE_FACTORS = tuple(float(f) for f in np.geomspace(0.1, 10.0, 11))

#: Presets whose published limit is quoted by Wong & Li, MPLA 20, 1103 (2005), Sec. 4.3
#: (names of :data:`nuem.reproductions.wong_li_2005.HISTORIC_LIMITS`).
_QUOTED = {"texono-hpge": "TEXONO 2007", "munu": "MUNU", "gemma": "GEMMA", "rovno": "Rovno",
           "krasnoyarsk": "Krasnoyarsk", "savannah-river": "Savannah River"}
#: ``[published]`` keys -> limit parameter.
_PUBLISHED_KEYS = {"mu_nu_limit_mub": "mu-nu", "delta_q_limit_e": "delta-q",
                   "r2_limit_cm2": "r2"}


def _scaled(u, s0, f):
    comps = {k: np.asarray(v, float) * f for k, v in s0.components.items()}
    return u * f, replace(s0, components=comps, exposure_on_kg_day=s0.exposure_on_kg_day * f,
                          exposure_off_kg_day=s0.exposure_off_kg_day * f)


def expected_limits(experiment, *, param: str = "mu-nu", cl: float = 0.9,
                    interval: str = "feldman-cousins", atomic=None) -> dict:
    """Expected limit (median, bands) at the experiment's exposure and versus exposure."""
    from ..inference import expected_sensitivity, signal_template

    u, s0 = signal_template(experiment, param, atomic)
    nominal = expected_sensitivity(experiment, param=param, cl=cl, interval=interval,
                                   atomic=atomic, template=(u, s0))
    rows = []
    for f in EXPOSURE_FACTORS:
        r = expected_sensitivity(experiment, param=param, cl=cl, interval=interval,
                                 atomic=atomic, template=_scaled(u, s0, f))
        rows.append([f * s0.exposure_on_kg_day, r.median, *r.band_1sigma, *r.band_2sigma])
    a = np.array(rows)
    return {"result": nominal.to_dict(),
            "vs_exposure": {"exposure_on_kg_day": a[:, 0], "median": a[:, 1],
                            "band_1sigma": [a[:, 2], a[:, 3]],
                            "band_2sigma": [a[:, 4], a[:, 5]],
                            "off_on_ratio": (s0.exposure_off_kg_day / s0.exposure_on_kg_day)}}


def _onoff_counts(experiment, spec):
    """ON/OFF counts and exposures on the data bins inside the analysis window."""
    from ..inference.builders import counts_of

    a = experiment.analysis
    inside = (spec.e_lo_kev >= a.e_min_kev - 1e-9) & (spec.e_hi_kev <= a.e_max_kev + 1e-9)
    if not np.any(inside):
        return None
    n_on, x_on, src_on = counts_of(spec, "on", experiment.exposure.on_kg_day, "ON")
    n_off, x_off, src_off = counts_of(spec, "off", experiment.exposure.off_kg_day, "OFF")
    return {"e_lo_kev": spec.e_lo_kev[inside], "e_hi_kev": spec.e_hi_kev[inside],
            "on_counts": n_on[inside], "off_counts": n_off[inside],
            "exposure_on_kg_day": x_on, "exposure_off_kg_day": x_off,
            "exposure_source": {"on": src_on, "off": src_off}}


def _residual(experiment, spec):
    """An ON − OFF residual file as cpkkd with its errors, on the bins inside the window."""
    a = experiment.analysis
    inside = (spec.e_lo_kev >= a.e_min_kev - 1e-9) & (spec.e_hi_kev <= a.e_max_kev + 1e-9)
    if not np.any(inside):
        return None
    kind, v = spec.values["residual"]
    w = spec.width_kev
    if kind == "cpkkd":
        r, s = np.asarray(v, float), spec.sigma("residual")
    else:   # counts for the file's (else the experiment's) ON exposure
        x = spec.exposure_kg_day.get("residual") or experiment.exposure.on_kg_day
        r, s = np.asarray(v, float) / (w * x), spec.sigma("residual") / (w * x)
    return {"e_lo_kev": spec.e_lo_kev[inside], "e_hi_kev": spec.e_hi_kev[inside],
            "residual_cpkkd": r[inside], "sigma_cpkkd": s[inside]}


def data_limit(experiment, spec, *, param: str = "mu-nu", method: str = "feldman-cousins",
               cl: float = 0.9, joint_poisson: bool = False, atomic=None,
               nuisances: dict | None = None) -> dict:
    """The limit from a measured spectrum and, for ON/OFF data, the counts and the best fit.

    Returns a dict with ``limit`` (:meth:`nuem.inference.LimitResult.to_dict`, or None with
    ``error`` saying why), ``onoff`` (counts on the window's data bins, or None), ``best_fit``
    (SM + θ̂·u in counts/(kg keV day) on those bins, or None), ``nuisances`` (the σ given) and
    ``model`` (a one-line description of the likelihood).
    """
    from ..inference import limit_from_data, template_on_edges

    nuis = {k: float(v) for k, v in (nuisances or {}).items() if v}
    out = {"method": method, "cl": cl, "param": param, "nuisances": nuis, "limit": None,
           "onoff": None, "best_fit": None, "error": None}
    if {"on", "off"} <= set(spec.values):
        out["onoff"] = _onoff_counts(experiment, spec)
    elif "residual" in spec.values:
        out["onoff"] = _residual(experiment, spec)
    try:
        res = limit_from_data(experiment, spec, param=param, method=method, cl=cl,
                              atomic=atomic, joint_poisson=joint_poisson, **(nuisances or {}))
    except NuemError as exc:
        out["error"] = str(exc)
        return out
    out["limit"] = res.to_dict()
    out["model"] = res.details.get("fit") or res.details.get("background") or ""
    oo = out["onoff"]
    if oo is not None and res.best_fit is not None:
        lo, hi = oo["e_lo_kev"], oo["e_hi_kev"]
        u, sm, _ = template_on_edges(experiment, lo, hi, param, atomic)
        w = hi - lo
        x_on = experiment.exposure.on_kg_day
        out["best_fit"] = {"e_lo_kev": lo, "e_hi_kev": hi,
                           "cpkkd": (res.best_fit * u + sm) / (w * x_on),
                           "theta": res.best_fit, "theta_error": res.total}
    return out


def published_limit(experiment, param: str = "mu-nu") -> dict | None:
    """The experiment's published upper limit on ``param`` (module docstring), or None.

    Examples
    --------
    >>> from nuem.experiments import get_experiment
    >>> p = published_limit(get_experiment("texono-hpge"))
    >>> p["value"], p["cl"]
    (7.4e-11, 0.9)
    """
    d = experiment.to_dict()
    pub = d["values"].get("published") or {}
    for key, par in _PUBLISHED_KEYS.items():
        if par == param and key in pub:
            kind = pub.get("kind", "limit")
            src = d["citations"].get(f"published.{key}", experiment.reference)
            label = src.split(": ")[0].strip() or experiment.id
            out = {"value": float(pub[key]), "range": None, "cl": pub.get("cl"),
                   "param": param, "kind": kind, "source": src,
                   "label": label if kind != "projection" else f"projection, {label}"}
            if kind == "interval" and "mu_nu_lower_mub" in pub:
                out["range"] = [float(pub["mu_nu_lower_mub"]), float(pub[key])]
                out["value"] = None
            return out
    if param != "mu-nu" or experiment.id not in _QUOTED:
        return None
    from ..reproductions.wong_li_2005 import HISTORIC_LIMITS

    entry = next(e for e in HISTORIC_LIMITS if e["name"] == _QUOTED[experiment.id])
    mu = entry["mu_nu"]
    return {"value": None if isinstance(mu, tuple) else float(mu),
            "range": list(mu) if isinstance(mu, tuple) else None, "cl": entry["cl"],
            "param": param, "kind": "limit", "source": entry["reference"],
            "label": entry["name"]}
