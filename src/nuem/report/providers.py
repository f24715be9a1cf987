"""Where the report gets an experiment's expected spectrum (internal, pluggable).

A *provider* is a callable ``provider(experiment_id, *, mu_nu, delta_q, r2_cm2) -> dict`` with
keys ``experiment`` (JSON-ready description with ``id`` and ``reference``), ``target`` (the
detector's target name, e.g. "Ge"; the report draws germanium paper figures only for Ge),
``citations``
(``{field: source}``), ``flux`` (:class:`~nuem.sources.flux.TabulatedFlux`), ``e_kev`` and
``bin_width_kev`` (observed bins, keVee), ``components`` (counts per bin for the full exposure:
``sm_electron``, ``magnetic_moment``, ``millicharge``, ``cevns``, ``background``, ``total_on``,
``total_off``), ``exposure_on_kg_day``, ``exposure_off_kg_day``, ``threshold_kev``, ``notes``
and optionally ``model``, the :class:`nuem.experiments.Experiment` (without it the report has
no limit sections).

:func:`preset_provider` uses the experiment presets (:mod:`nuem.experiments`) and the spectrum
pipeline of :mod:`nuem.experiments` when it is importable (see ``_PIPELINE``); otherwise it
computes a *fallback* spectrum from the core API -- electron recoils by
:func:`nuem.binned.counts_in_bins` at the observed bins (no smearing, no efficiency, no CEvNS) plus
the preset's background model -- and says so in ``notes``.
"""

from __future__ import annotations

import importlib

import numpy as np

__all__ = ["preset_provider", "simple_provider"]

#: (module, function) candidates for the experiment spectrum pipeline, first match wins.
_PIPELINE = (("nuem.experiments.spectrum", "observed_spectrum"),)


def _pipeline():
    for mod_name, fn_name in _PIPELINE:
        try:
            mod = importlib.import_module(mod_name)
        except ImportError:
            continue
        fn = getattr(mod, fn_name, None)
        if callable(fn):
            return fn
    return None


def _fallback_components(exp, flux, mu_nu, delta_q, r2_cm2):
    from ..binned import counts_in_bins

    edges = exp.analysis.edges_kev()
    on, off = exp.exposure.on_kg_day, exp.exposure.off_kg_day
    comps = counts_in_bins(exp.target, flux, edges, on, mu_nu=mu_nu, delta_q=delta_q,
                           r2_cm2=r2_cm2, components=("sm_electron", "magnetic_moment",
                                                      "millicharge"))
    comps.pop("edges_kev")
    comps["cevns"] = np.zeros(edges.size - 1)
    bg_per_kg_day = exp.background.counts(edges, 1.0, exp.resolution)
    comps["background"] = bg_per_kg_day * on
    comps["total_on"] = sum(comps[c] for c in ("sm_electron", "magnetic_moment", "millicharge",
                                               "cevns", "background"))
    comps["total_off"] = bg_per_kg_day * off
    return edges, comps


def preset_provider(experiment_id: str, *, mu_nu: float = 0.0, delta_q: float = 0.0,
                    r2_cm2: float = 0.0) -> dict:
    """The expected spectrum of a preset (or a TOML file path) for the report."""
    from ..experiments.loader import get_experiment, load_experiment

    exp = load_experiment(experiment_id) if str(experiment_id).endswith(".toml") \
        else get_experiment(experiment_id)
    flux = exp.flux()
    notes = []
    fn = _pipeline()
    if fn is not None:
        res = fn(exp, mu_nu=mu_nu, delta_q=delta_q, r2_cm2=r2_cm2)
        e = np.asarray(res.e_kev, float)
        w = np.asarray(res.bin_width_kev, float)
        comps = {k: np.asarray(v, float) for k, v in res.components.items()}
    else:
        edges, comps = _fallback_components(exp, flux, mu_nu, delta_q, r2_cm2)
        e, w = 0.5 * (edges[1:] + edges[:-1]), np.diff(edges)
        notes.append("fallback spectrum: the experiment pipeline (nuem.experiments) is not "
                     "available; electron recoils at true energy, no resolution smearing, "
                     "no efficiency, no CEvNS")
    desc = exp.to_dict()
    threshold = desc["values"].get("detector", {}).get("efficiency", {}).get("threshold_kev")
    return {"experiment": desc, "target": str(exp.target), "citations": dict(exp.citations),
            "flux": flux, "model": exp,
            "e_kev": e, "bin_width_kev": w, "components": comps,
            "exposure_on_kg_day": exp.exposure.on_kg_day,
            "exposure_off_kg_day": exp.exposure.off_kg_day,
            "threshold_kev": threshold if threshold is not None else float(e[0] - w[0] / 2),
            "notes": notes}


def simple_provider(*, flux_cm2_s: float, edges_kev, exposure_on_kg_day: float,
                    exposure_off_kg_day: float, background_cpkkd: float = 1.0,
                    target: str = "Ge", reference: str = "user-defined"):
    """A provider for an idealised detector (no response, flat background) from the core API:
    electron recoils by :func:`nuem.binned.counts_in_bins`, a flat reactor-independent
    background in cpkkd; CEvNS is omitted (it needs quenching, below keV only).

    Examples
    --------
    >>> p = simple_provider(flux_cm2_s=6.4e12, edges_kev=[12.0, 20.0, 30.0],
    ...                     exposure_on_kg_day=570.7, exposure_off_kg_day=127.8)
    >>> r = p("toy", mu_nu=1e-10)
    >>> round(float(r["components"]["background"][0]), 1)   # 1 cpkkd x 8 keV x 570.7 kg day
    4565.6
    """
    from ..binned import counts_in_bins
    from ..sources.reactor import reactor_flux

    edges = np.asarray(edges_kev, float)

    def provider(experiment_id, *, mu_nu=0.0, delta_q=0.0, r2_cm2=0.0):
        flux = reactor_flux(flux_cm2_s)
        comps = counts_in_bins(target, flux, edges, exposure_on_kg_day, mu_nu=mu_nu,
                               delta_q=delta_q, r2_cm2=r2_cm2,
                               components=("sm_electron", "magnetic_moment", "millicharge"))
        comps.pop("edges_kev")
        width = np.diff(edges)
        comps["cevns"] = np.zeros(width.size)
        comps["background"] = background_cpkkd * width * exposure_on_kg_day
        comps["total_on"] = sum(comps[c] for c in ("sm_electron", "magnetic_moment",
                                                   "millicharge", "cevns", "background"))
        comps["total_off"] = background_cpkkd * width * exposure_off_kg_day
        return {"experiment": {"id": str(experiment_id), "name": str(experiment_id),
                               "reference": reference},
                "target": target, "citations": {}, "flux": flux,
                "e_kev": 0.5 * (edges[1:] + edges[:-1]),
                "bin_width_kev": width, "components": comps,
                "exposure_on_kg_day": exposure_on_kg_day,
                "exposure_off_kg_day": exposure_off_kg_day, "threshold_kev": float(edges[0]),
                "notes": ["idealised detector (simple_provider): no resolution, efficiency or "
                          "CEvNS; flat background"]}

    return provider
