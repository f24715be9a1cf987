"""Build a report directory: ``index.html``, ``summary.json`` and ``figures/*.png`` (and
``*.pdf`` with ``formats=("png", "pdf")``)."""

from __future__ import annotations

import json
import time
from functools import partial
from pathlib import Path

import numpy as np

from .. import __version__
from .._validation import finite_scalar, positive
from ..exceptions import InvalidParameterError
from ..io.serialize import to_plain
from .output_dir import atomic_directory, check_target
from .render import check_workers, figure_workers, render_figures

__all__ = ["build_report", "FIGURES", "figure_text", "is_germanium"]

#: Figure names (file stems under ``figures/``) and captions.
FIGURES = {
    "flux": ("Neutrino flux at the detector",
             "dΦ/dE_ν of the experiment's source (nuem.sources); for a reactor: Huber-Mueller "
             "above 2 MeV, a model below (grey band)."),
    "on_off": ("Expected ON and OFF spectra",
               "Top: the expected ON total (black) and OFF total (orange dashed; it is the "
               "source-independent background), per ON and OFF exposure; "
               "with data, the measured ON (filled circles) and OFF (open squares) rates with "
               "central 68 % Poisson error bars. Bottom: each component of the ON spectrum on "
               "its own (δQ as |value|: its interference term may be negative)."),
    "residual": ("ON − OFF residual",
                 "ON/E_on − OFF/E_off per keV: the expected residual with its ±1σ statistical "
                 "band, the irreducible SM part (ν–e + coherent; it does not cancel, the "
                 "background does) and the hypothesised signal; with ON/OFF data, the "
                 "measured residual and the best fit (SM + fitted signal)."),
    "limits": ("Expected upper limit versus exposure",
               "Asimov median upper limit (dashed) with ±1σ (green) and ±2σ (yellow) bands, "
               "ON and OFF exposures scaled together; the limit from the data and the "
               "published limit at the experiment's exposure."),
    "wong_li_2005_fig4": ("Wong & Li (2005), Fig. 4",
                          "Differential rates on Ge at a reactor flux of 10¹³ cm⁻² s⁻¹: SM and "
                          "μν = 10⁻¹⁰ μB, on electrons (free) and coherent on nuclei (Wong & Li, "
                          "MPLA 20, 1103 (2005), Eqs. 4-9)."),
    "wong_li_2005_fig9a": ("Wong & Li (2005), Fig. 9a",
                           "Reactor μν limits versus threshold; dotted: constant "
                           "R = σ(μν)/σ(SM) of the flux-averaged differential cross sections at "
                           "T, computed by nuem (Wong & Li, MPLA 20, 1103 (2005), Fig. 9a); "
                           "thresholds the paper does not print are those of the experiments' "
                           "own papers; the red triangle is nuem's expected limit for this "
                           "experiment."),
    "data": ("Measured spectrum and X-ray lines",
             "Dotted: the model's X-ray lines; solid: the centroids found in the data."),
}


#: Captions that differ for a non-reactor source or for an experiment without OFF data.
_NON_REACTOR_FLUX = ("dΦ/dE_ν of the experiment's source (nuem.sources), log energy axis; "
                     "mono-energetic lines appear as narrow peaks.")
_NO_OFF = {
    "on_off": ("Expected ON spectrum and background",
               "Top: the expected ON total (black) and the expected background (grey dotted; "
               "no OFF measurement: the background is taken as known), per ON exposure; with "
               "data, the measured ON rates with central 68 % Poisson error bars. Bottom: "
               "each component of the ON spectrum on its own (δQ as |value|: its interference "
               "term may be negative)."),
    "residual": ("ON − background residual",
                 "ON/E_on − expected background per keV (no OFF measurement: the background "
                 "is taken as known) with the ±1σ Poisson band of ON alone, the SM part (ν–e + "
                 "coherent) and the hypothesised signal."),
    "limits": ("Expected upper limit versus exposure",
               "Asimov median upper limit (dashed) with ±1σ (green) and ±2σ (yellow) bands "
               "versus the exposure; the limit from the data and the published limit at the "
               "experiment's exposure."),
}


def figure_text(name: str, source_kind: str = "reactor", has_off: bool = True):
    """(title, caption) of report figure ``name`` (a key of :data:`FIGURES`) for a source of
    kind ``source_kind`` and an experiment with (``has_off``) or without OFF data.

    Examples
    --------
    >>> figure_text("residual", has_off=False)[0]
    'ON − background residual'
    >>> "reactor" in figure_text("flux", "solar")[1]
    False
    """
    title, caption = FIGURES[name]
    if name == "flux" and source_kind != "reactor":
        caption = _NON_REACTOR_FLUX
    if not has_off and name in _NO_OFF:
        title, caption = _NO_OFF[name]
    return title, caption


def is_germanium(target) -> bool:
    """True when ``target`` (a target name, e.g. "Ge", "Ge76") is made of germanium only; the
    report's paper figures (Wong & Li 2005) are for germanium detectors.

    Examples
    --------
    >>> is_germanium("Ge"), is_germanium("CF4"), is_germanium(None)
    (True, False, False)
    """
    if target is None:
        return False
    from ..targets import get_target

    return all(e.symbol == "Ge" for e, _ in get_target(str(target)).elements)


def _progress(progress, step, total, msg):
    if progress is not None:
        progress(f"[{step}/{total}] {msg}")


def _saved(plot, args, kwargs, stem, formats) -> list[str]:
    """``plot(*args, **kwargs)`` (a new figure) saved as ``stem.<format>``; the file names."""
    from ..plotting import save

    return save(plot(*args, **kwargs), stem, formats)


def _on_off_figure(e, w, comps, on, off, onoff, stem, title, formats, antineutrino=True):
    from ..plotting import new_figure, save
    from ..plotting.spectra import plot_components, plot_on_off
    from ..plotting.style import style_axes

    fig = new_figure(7.5, 8.4)
    top, bottom = fig.subplots(2, 1, sharex=True)
    for ax in (top, bottom):
        style_axes(ax)
    plot_on_off(e, w, comps, on, off, data=onoff, ax=top, title=title)
    plot_components(e, w, comps, on, ax=bottom,
                    title="components of the expected ON spectrum", antineutrino=antineutrino)
    top.set_xlabel("")
    return save(fig, stem, formats)


def _limits_figure(expected, data, published, param, cl, stem, formats):
    from ..plotting import legend_above, save
    from ..plotting.limits import plot_expected_limits

    v = expected["vs_exposure"]
    x_nom = expected["result"]["assumptions"]["exposure_on_kg_day"]
    obs = None
    if data and data.get("limit"):
        x = (data["onoff"] or {}).get("exposure_on_kg_day") or x_nom
        obs = (x, data["limit"]["upper_limit"], f"limit from the data ({data['method']})")
    pub = None
    if published and (published.get("value") or published.get("range")):
        what = "projected" if published.get("kind") == "projection" else "published"
        value = published.get("value") or published["range"][1]
        note = "" if published.get("value") else ", upper end of the range"
        pub = (x_nom, value, f"{what} limit"     # the citation is in the Limits table
               + (f" ({100 * published['cl']:g} % CL{note})" if published.get("cl")
                  else f" ({note[2:]})" if note else ""))
    ax = plot_expected_limits(v["exposure_on_kg_day"], v["median"], v["band_1sigma"],
                              v["band_2sigma"], param=param, cl=cl, observed=obs, published=pub)
    ax.axvline(x_nom, color="0.5", lw=0.8, ls=":", label="exposure of the experiment file")
    legend_above(ax, 2)
    return save(ax, stem, formats)


def build_report(out_dir, *, experiment: str = "texono-hpge", mu_nu: float = 1e-10,
                 delta_q: float = 0.0, r2_cm2: float = 0.0, force: bool = False,
                 data_file=None, provider=None, progress=None,
                 formats=("png",), param: str = "mu-nu", method: str = "feldman-cousins",
                 cl: float = 0.9, joint_poisson: bool = False,
                 nuisances: dict | None = None, workers: int | None = 1) -> dict:
    """Write a report for an experiment into ``out_dir`` (atomically) and return its summary.

    Parameters
    ----------
    out_dir : str or Path
        Output directory: new, empty, or a previous nuem report (else ``force=True``).
    experiment : str
        Preset id (``nuem experiments list``) or path to an experiment TOML file.
    mu_nu, delta_q, r2_cm2 : float
        Magnetic moment (mu_B), millicharge (e) and charge radius (cm^2) of the signal.
    force : bool
        Replace a non-empty directory that is not a nuem report.
    data_file : str or Path, optional
        A measured spectrum (see :mod:`nuem.io`): ON/OFF data are drawn against the expected
        spectra and give the limit from the data; any spectrum is shown with its X-ray lines.
    provider : callable, optional
        Spectrum provider (see :mod:`nuem.report.providers`); default: the presets.
    progress : callable, optional
        Called with one-line progress messages.
    formats : tuple of str
        Figure formats; PNG is required by the page.
    param : {"mu-nu", "delta-q", "r2"}
        Parameter of the limits.
    method, cl, joint_poisson, nuisances
        Statistical method, confidence level, likelihood and nuisance σ of the limit from the
        data (as :func:`nuem.inference.limit_from_data`); the expected limit uses ``method``
        when it takes Gaussian intervals, else Feldman–Cousins.
    workers : int or None
        Processes that draw the figures (:mod:`nuem.report.render`): 1 (default) draws them in
        this process; ``n > 1`` on up to ``n`` worker processes forked from this one, where
        that is safe (Linux, no other thread in this process; else in this process); None:
        the CPUs available. The files are the same either way.

    Returns
    -------
    dict
        The JSON summary (also written as ``summary.json``).
    """
    from .html import render
    from .providers import preset_provider

    t0 = time.perf_counter()
    mu_nu = float(positive(mu_nu, "mu_nu", "mu_B", allow_zero=True))
    delta_q = finite_scalar(delta_q, "delta_q")
    r2_cm2 = finite_scalar(r2_cm2, "r2_cm2")
    check_workers(workers)
    if "png" not in formats:
        raise InvalidParameterError("formats must include 'png' (the HTML page shows PNG figures)")
    check_target(out_dir, force)  # fail before any work
    spec = None
    if data_file is not None:
        from ..io.excess import read_measured

        spec = read_measured(data_file)   # a bad file fails before any work, too
    provider = provider or preset_provider
    total = 4        # spectrum, limits, figures, page
    _progress(progress, 1, total, f"expected spectrum of {experiment}")
    res = provider(experiment, mu_nu=mu_nu, delta_q=delta_q, r2_cm2=r2_cm2)
    _progress(progress, 2, total, "expected limit and bands")
    limits = _limits(res.get("model"), spec, param, method, cl, joint_poisson, nuisances)
    measured = _measured(spec)
    with atomic_directory(out_dir, force) as tmp:
        jobs = _figure_jobs(res, limits, spec, measured, tmp / "figures", formats,
                            str(experiment), mu_nu, delta_q, param, cl)
        germanium = "wong_li_2005_fig4" in jobs
        skipped = ("" if germanium else f"; no Wong & Li (2005) figures: target "
                   f"{res.get('target')} is not germanium") + (
                   "" if "limits" in jobs else "; no limit figure: no experiment model")
        n = figure_workers(workers, len(jobs))
        _progress(progress, 3, total, f"drawing {len(jobs)} figures "
                  + (f"on {n} worker processes" if n > 1 else "in this process") + skipped)
        count = iter(range(1, len(jobs) + 1))
        written = render_figures(jobs, n, done=lambda name: _progress(
            progress, 3, total, f"figure {next(count)}/{len(jobs)} written: {name}"))
        summary = _summary(res, limits, {"mu_nu": mu_nu, "delta_q": delta_q, "r2_cm2": r2_cm2})
        if measured is not None:
            summary["data"] = measured
        _progress(progress, total, total, "HTML page and summary.json")
        figures = {}
        for name, files in written.items():
            title, caption = figure_text(name, summary["source_kind"],
                                         res["exposure_off_kg_day"] > 0)
            figures[name] = {"title": title, "caption": caption,
                             "png": f"figures/{name}.png",
                             "pdf": f"figures/{name}.pdf" if f"{name}.pdf" in files else None}
        summary["figures"] = figures
        summary["timing_s"] = time.perf_counter() - t0
        summary = to_plain(summary)
        (tmp / "summary.json").write_text(json.dumps(summary, indent=1, allow_nan=False) + "\n")
        (tmp / "index.html").write_text(render(summary, figures), encoding="utf-8")
    return summary


def _source_kind(res) -> str:
    return ((res["experiment"].get("values") or {}).get("source") or {}).get("kind", "reactor")


def _limits(exp_obj, spec, param, method, cl, joint_poisson, nuisances) -> dict:
    """The limits section: expected (Asimov median and bands), published, and from the data."""
    from ..inference.methods import GAUSSIAN_METHODS
    from . import analysis

    limits = {"param": param, "cl": cl, "expected": None, "data": None, "published": None,
              "notes": []}
    if exp_obj is None:
        limits["notes"].append("limits not computed: the spectrum provider gives no "
                               "experiment model")
        return limits
    interval = method if method in GAUSSIAN_METHODS else "feldman-cousins"
    limits["expected"] = analysis.expected_limits(exp_obj, param=param, cl=cl,
                                                  interval=interval)
    limits["published"] = analysis.published_limit(exp_obj, param)
    if spec is not None:
        limits["data"] = analysis.data_limit(exp_obj, spec, param=param, method=method, cl=cl,
                                             joint_poisson=joint_poisson, nuisances=nuisances)
    return limits


def _measured(spec) -> dict | None:
    """The measured-spectrum section (file, series, the X-ray lines found), or None."""
    if spec is None:
        return None
    from ..io.lines import match_lines

    series = spec.series[0]
    matches = match_lines(spec, series=series) if series != "residual" else []
    return {"file": Path(str(spec.source)).name, "series": series, "lines": matches,
            "notes": list(spec.notes)}


def _figure_jobs(res, limits, spec, measured, fig_dir, formats, experiment, mu_nu, delta_q,
                 param, cl) -> dict:
    """One job per figure, in page order: a callable that draws it, writes its files into
    ``fig_dir`` and returns their names (:mod:`nuem.report.render` runs them)."""
    from ..plotting import spectra as sp
    from ..plotting.contours import sci_label
    from ..reproductions import wong_li_2005

    e, w, comps = res["e_kev"], res["bin_width_kev"], res["components"]
    on, off = res["exposure_on_kg_day"], res["exposure_off_kg_day"]
    exp_id = res["experiment"].get("id", experiment)
    reactor = _source_kind(res) == "reactor"  # reactor nuebar; other sources: several flavours
    onoff = (limits["data"] or {}).get("onoff")
    counts = onoff if onoff is not None and "on_counts" in onoff else None
    best = (limits["data"] or {}).get("best_fit")
    if best is not None:
        best = {**best, "label": "best fit: SM + fitted signal, θ̂ = "
                                 f"{best['theta']:.3g} ± {best['theta_error']:.3g}"}
    jobs = {"flux": partial(_saved, sp.plot_flux, (res["flux"],), {}, fig_dir / "flux",
                            formats),
            "on_off": partial(_on_off_figure, e, w, comps, on, off, counts, fig_dir / "on_off",
                              f"{exp_id}: expected "
                              f"{'ON/OFF spectra' if off > 0 else 'ON spectrum'}", formats,
                              antineutrino=reactor),
            "residual": partial(_saved, sp.plot_residual, (e, w, comps, on, off), {
                "data": onoff, "best_fit": best, "antineutrino": reactor,
                "title": rf"{exp_id}: $\mu_\nu$ = {sci_label(mu_nu)} $\mu_B$, "
                         rf"$\delta_Q$ = {sci_label(delta_q)} e"},
                fig_dir / "residual", formats)}
    if limits["expected"] is not None:
        jobs["limits"] = partial(_limits_figure, limits["expected"], limits["data"],
                                 limits["published"], param, cl, fig_dir / "limits", formats)
    if is_germanium(res.get("target")):  # the Ge paper figures only for a germanium detector
        extra = ()
        if limits["expected"] is not None and param == "mu-nu":
            extra = ({"name": f"{exp_id}: nuem expected (median)",
                      "threshold_kev": float(res["threshold_kev"]),
                      "mu_nu": float(limits["expected"]["result"]["median"]),
                      "highlight": True},)
        jobs["wong_li_2005_fig4"] = partial(wong_li_2005.plot_fig4,
                                            fig_dir / "wong_li_2005_fig4", formats=formats)
        jobs["wong_li_2005_fig9a"] = partial(
            wong_li_2005.plot_fig9a, fig_dir / "wong_li_2005_fig9a", flux=res["flux"],
            formats=formats, extra_points=extra)
    if spec is not None:
        jobs["data"] = partial(_saved, sp.plot_measured, (spec, measured["lines"]),
                               {"series": measured["series"]}, fig_dir / "data", formats)
    return jobs


def _summary(res, limits, parameters) -> dict:
    """The JSON summary of the numbers shown (``docs/report.md``), without the figures."""
    from ..plotting.spectra import expected_residual

    e, w, comps = res["e_kev"], res["bin_width_kev"], res["components"]
    on, off = res["exposure_on_kg_day"], res["exposure_off_kg_day"]
    source_kind = _source_kind(res)
    resid, sigma = expected_residual(w, comps, on, off)
    bsm = ("magnetic_moment", "millicharge", "cevns_magnetic_moment")
    signal = sum(np.sum(comps[c]) for c in bsm if c in comps)
    sigma_counts = float(np.sqrt(np.sum((sigma * w * on) ** 2)))
    sig_bins = np.sum([np.asarray(comps[c], float) for c in bsm if c in comps],
                      axis=0) / (w * on)
    with np.errstate(divide="ignore", invalid="ignore"):
        binned = float(np.sqrt(np.nansum(np.where(sigma > 0, sig_bins / sigma, 0.0) ** 2)))
    notes = list(res.get("notes", []))
    if source_kind == "reactor":
        notes.append("The SM nu-e rate at keV recoil depends on the reactor spectrum below 2 MeV, "
                     "where no measurement exists, at the 10-20 % level; the mu_nu rate at T << "
                     "E_nu depends only on the total flux (Wong & Li, MPLA 20, 1103 (2005), "
                     "Sec. 4.3).")
    if not np.any(np.asarray(comps.get("background", 0.0)) > 0):
        notes.append("No background model in the experiment file: the expected spectra and "
                     "limits count only the SM ν–e and coherent ν–N as background, so the "
                     "expected limit is optimistic; give the experiment a background for a "
                     "realistic one.")
    return {
        "nuem_version": __version__, "generator": "nuem report",
        "experiment": res["experiment"], "citations": res.get("citations", {}),
        "parameters": parameters,
        "flux_cm2_s": res["flux"].total_cm2_s(),
        "exposure_on_kg_day": on, "exposure_off_kg_day": off,
        "threshold_kev": res["threshold_kev"],
        "window_kev": [float(e[0] - w[0] / 2), float(e[-1] + w[-1] / 2)],
        "spectrum": {"e_kev": e, "bin_width_kev": w, "components": comps,
                     "units": "counts per bin for the full exposure"},
        "totals_counts": {k: float(np.sum(v)) for k, v in comps.items()},
        "residual": {"cpkkd": resid, "sigma_cpkkd": sigma, "signal_counts": float(signal),
                     "sigma_counts": sigma_counts,
                     "signal_over_sigma": float(signal / sigma_counts)
                     if sigma_counts > 0 else None,
                     "signal_over_sigma_binned": binned},
        "limits": limits,
        "source_kind": source_kind,
        "notes": notes,
    }
