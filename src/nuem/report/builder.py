"""Build a report directory: ``index.html``, ``summary.json`` and ``figures/*.png|pdf``."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from .. import __version__
from .._validation import finite_scalar, positive
from ..exceptions import InvalidParameterError
from ..io.serialize import to_plain
from .output_dir import atomic_directory, check_target

__all__ = ["build_report", "FIGURES", "is_germanium"]

#: Figure names (file stems under ``figures/``) and captions.
FIGURES = {
    "flux": ("Reactor antineutrino flux",
             "dPhi/dE_nu at the detector (nuem.sources.reactor; Huber-Mueller above 2 MeV, model "
             "below, grey band)."),
    "on_off": ("Expected ON and OFF spectra",
               "Each component in counts/(kg keV day): ON components per ON exposure, total OFF "
               "per OFF exposure. millicharge is shown as |value| (interference may be < 0)."),
    "residual": ("Expected ON-OFF residual",
                 "ON/E_on - OFF/E_off per keV with the expected Poisson error band; the SM part "
                 "(nu-e + coherent) does not cancel, the background does."),
    "wong_li_2005_fig4": ("Wong & Li (2005), Fig. 4",
                          "Differential rates on Ge at 1e13 cm^-2 s^-1: SM and mu_nu = 1e-10 "
                          "mu_B, on electrons (free) and coherent on nuclei (Wong & Li, MPLA 20, "
                          "1103 (2005), Eqs. 4-9)."),
    "wong_li_2005_fig9a": ("Wong & Li (2005), Fig. 9a",
                           "Reactor mu_nu limits vs threshold; dotted: constant R = sigma(mu)/"
                           "sigma(SM) of the flux-averaged differential cross sections at T, "
                           "computed by nuem (Wong & Li, MPLA 20, 1103 (2005), Fig. 9a); "
                           "thresholds marked [check] in "
                           "nuem.reproductions.wong_li_2005.HISTORIC_LIMITS."),
    "data": ("Measured spectrum", "Dotted: model X-ray lines; red: centroids found in the data."),
}


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


def _measured_section(data_file, fig_dir, formats) -> tuple[dict, list]:
    from ..io.excess import read_measured
    from ..io.lines import match_lines
    from ..plotting.spectra import plot_measured

    spec = read_measured(data_file)
    series = spec.series[0]
    matches = match_lines(spec, series=series)
    files = plot_measured(spec, matches, fig_dir / "data", series=series, formats=formats)
    return {"file": Path(data_file).name, "series": series, "lines": matches,
            "notes": list(spec.notes)}, files


def build_report(out_dir, *, experiment: str = "texono-hpge", mu_nu: float = 1e-10,
                 delta_q: float = 0.0, r2_cm2: float = 0.0, force: bool = False,
                 data_file=None, provider=None, progress=None,
                 formats=("png", "pdf")) -> dict:
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
        A measured spectrum (see :mod:`nuem.io`) to show with its X-ray lines.
    provider : callable, optional
        Spectrum provider (see :mod:`nuem.report.providers`); default: the presets.
    progress : callable, optional
        Called with one-line progress messages.
    formats : tuple of str
        Figure formats; PNG is required by the page.

    Returns
    -------
    dict
        The JSON summary (also written as ``summary.json``).
    """
    from ..plotting import spectra as sp
    from ..reproductions import wong_li_2005
    from .html import render
    from .providers import preset_provider

    t0 = time.perf_counter()
    mu_nu = float(positive(mu_nu, "mu_nu", "mu_B", allow_zero=True))
    delta_q = finite_scalar(delta_q, "delta_q")
    r2_cm2 = finite_scalar(r2_cm2, "r2_cm2")
    if "png" not in formats:
        raise InvalidParameterError("formats must include 'png' (the HTML page shows PNG figures)")
    check_target(out_dir, force)  # fail before any work
    provider = provider or preset_provider
    total = 6 + (data_file is not None)
    _progress(progress, 1, total, f"expected spectrum of {experiment}")
    res = provider(experiment, mu_nu=mu_nu, delta_q=delta_q, r2_cm2=r2_cm2)
    germanium = is_germanium(res.get("target"))
    e, w, comps = res["e_kev"], res["bin_width_kev"], res["components"]
    on, off = res["exposure_on_kg_day"], res["exposure_off_kg_day"]
    exp_id = res["experiment"].get("id", str(experiment))
    with atomic_directory(out_dir, force) as tmp:
        fig_dir = tmp / "figures"
        written = {}
        _progress(progress, 2, total, "flux figure")
        written["flux"] = sp.plot_flux(res["flux"], fig_dir / "flux", formats=formats)
        _progress(progress, 3, total, "ON/OFF and residual figures")
        written["on_off"] = sp.plot_on_off(e, w, comps, on, off, fig_dir / "on_off",
                                           title=f"{exp_id}: expected ON/OFF spectra",
                                           formats=formats)
        written["residual"] = sp.plot_residual(
            e, w, comps, on, off, fig_dir / "residual", formats=formats,
            title=f"{exp_id}: expected ON-OFF, mu_nu={mu_nu:g} mu_B, delta_Q={delta_q:g} e")
        if germanium:  # the Ge paper figures only for a germanium detector
            _progress(progress, 4, total, "Wong & Li (2005) Fig. 4")
            written["wong_li_2005_fig4"] = wong_li_2005.plot_fig4(
                fig_dir / "wong_li_2005_fig4", formats=formats)
            _progress(progress, 5, total, "Wong & Li (2005) Fig. 9a (constant-R lines)")
            written["wong_li_2005_fig9a"] = wong_li_2005.plot_fig9a(
                fig_dir / "wong_li_2005_fig9a", flux=res["flux"], formats=formats)
        else:
            _progress(progress, 4, total, "germanium paper figures skipped (target "
                                          f"{res.get('target')} is not germanium)")
            _progress(progress, 5, total, "(skipped)")
        resid, sigma = sp.expected_residual(w, comps, on, off)
        bsm = ("magnetic_moment", "millicharge", "cevns_magnetic_moment")
        signal = sum(np.sum(comps[c]) for c in bsm if c in comps)
        sigma_counts = float(np.sqrt(np.sum((sigma * w * on) ** 2)))
        sig_bins = np.sum([np.asarray(comps[c], float) for c in bsm if c in comps],
                          axis=0) / (w * on)
        with np.errstate(divide="ignore", invalid="ignore"):
            binned = float(np.sqrt(np.nansum(np.where(sigma > 0, sig_bins / sigma, 0.0) ** 2)))
        summary = {
            "nuem_version": __version__, "generator": "nuem report",
            "experiment": res["experiment"], "citations": res.get("citations", {}),
            "parameters": {"mu_nu": mu_nu, "delta_q": delta_q, "r2_cm2": r2_cm2},
            "flux_cm2_s": res["flux"].total_cm2_s(),
            "exposure_on_kg_day": on, "exposure_off_kg_day": off,
            "threshold_kev": res["threshold_kev"],
            "spectrum": {"e_kev": e, "bin_width_kev": w, "components": comps,
                         "units": "counts per bin for the full exposure"},
            "totals_counts": {k: float(np.sum(v)) for k, v in comps.items()},
            "residual": {"cpkkd": resid, "sigma_cpkkd": sigma, "signal_counts": float(signal),
                         "sigma_counts": sigma_counts,
                         "signal_over_sigma": float(signal / sigma_counts)
                         if sigma_counts > 0 else None,
                         "signal_over_sigma_binned": binned},
            "notes": [*res.get("notes", []),
                      "The SM nu-e rate at keV recoil depends on the reactor spectrum below "
                      "2 MeV, where no measurement exists, at the 10-20 % level; the mu_nu rate "
                      "at T << E_nu depends only on the total flux (Wong & Li, MPLA 20, 1103 "
                      "(2005), Sec. 4.3)."],
        }
        if data_file is not None:
            _progress(progress, 6, total, f"measured spectrum {data_file}")
            summary["data"], written["data"] = _measured_section(data_file, fig_dir, formats)
        _progress(progress, total, total, "HTML page and summary.json")
        figures = {}
        for name, files in written.items():
            title, caption = FIGURES[name]
            figures[name] = {"title": title, "caption": caption,
                             "png": f"figures/{name}.png",
                             "pdf": f"figures/{name}.pdf" if f"{name}.pdf" in files else None}
        summary["figures"] = figures
        summary["timing_s"] = time.perf_counter() - t0
        summary = to_plain(summary)
        (tmp / "summary.json").write_text(json.dumps(summary, indent=1, allow_nan=False) + "\n")
        (tmp / "index.html").write_text(render(summary, figures), encoding="utf-8")
    return summary
