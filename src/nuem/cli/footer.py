"""Assumptions in plain sight: the lines printed under the table of ``sensitivity``, ``limit``,
``scan`` and ``spectrum`` (text mode; ``--json`` carries the same facts under its own keys).

Each command calls one function with what it computed: the analysis window and bins, the
exposures and where each came from (the citation of each number, shortened: the paper, or
"assumed", "derived: ...", "user-supplied: --flag"), the flux and its source, the atomic model,
the statistical conventions and the notes. Doubtful inputs are also warned about on stderr (a
window of one bin, an exposure the data file does not state).
"""

from __future__ import annotations

import sys

from .args import warn

__all__ = ["source_of", "print_items", "flux_text", "default_atomic", "sensitivity", "limit",
           "scan", "spectrum"]



def default_atomic() -> str:
    """What ``atomic=None`` means: each electron process's first registered atomic model."""
    from ..interactions.registry import PROCESSES

    per = ", ".join(f"{p.atomic_models[0]} for {p.name}" for p in PROCESSES
                    if p.recoil == "electron" and p.atomic_models)
    return f"each process's default ({per})"


def source_of(citations, key: str) -> str:
    """Short form of the citation of ``key``: the paper (text before its first ': '),
    ``assumed``, or a ``derived: ...`` / ``user-supplied: --flag`` statement in full.

    Examples
    --------
    >>> source_of({"a": "Wong et al. PRD 75, 012001 (2007): 'high-purity ...'"}, "a")
    'Wong et al. PRD 75, 012001 (2007)'
    >>> source_of({"a": "assumed: typical HPGe"}, "a"), source_of({}, "a")
    ('assumed', 'not cited')
    """
    text = str(citations.get(key, "")).strip()
    if not text:
        return "not cited"
    if "generic hypothetical detector" in text:
        return "generic-detector assumption"
    if text.startswith(("user-supplied", "derived")):
        return text if len(text) <= 110 else text[:107] + "..."
    if text.startswith("assumed"):
        return "assumed"
    head = text.split(": ", 1)[0]
    return head if len(head) <= 70 else head[:67] + "..."


def print_items(items, stream=None) -> None:
    """``# name: text`` lines (items with an empty text are skipped)."""
    stream = stream or sys.stdout
    for name, text in items or ():
        if text:
            stream.write(f"# {name}: {text}\n")


def _exposure(exp, which: str, value: float) -> str:
    """``604.9 kg d = 1.06 kg x 570.7 d (mass: ...; days: ...)`` for ON or OFF."""
    e, c = exp.exposure, exp.citations
    days = e.live_days_on if which == "on" else e.live_days_off
    dkey = f"detector.live_days_{which}"
    if value <= 0:
        return f"0 kg d (no {which.upper()} data; days: {source_of(c, dkey)})"
    extra = ""
    if e.fiducial_fraction != 1.0:
        extra += f" x {e.fiducial_fraction:g} fiducial"
    if e.dead_time_fraction:
        extra += f" x (1 - {e.dead_time_fraction:g} dead time)"
    return (f"{value:.4g} kg d = {e.mass_kg:g} kg x {days:g} d{extra} (mass: "
            f"{source_of(c, 'detector.mass_kg')}; days: {source_of(c, dkey)})")


def flux_text(exp, flux_cm2_s, label: str = "") -> str:
    """The flux at the detector (cm^-2 s^-1) and where it came from (``label``: the flux's
    own description, shown when the experiment file cites no source number)."""
    v, c = dict(exp.source.values), exp.citations
    what = f"{flux_cm2_s:.4g} cm^-2 s^-1" if flux_cm2_s else "-"
    if exp.source.kind == "reactor" and "power_gw" in v and "distance_m" in v:
        src = {source_of(c, "source.power_gw"), source_of(c, "source.distance_m")}
        return (f"{what} (reactor {v['power_gw']:g} GW thermal at {v['distance_m']:g} m; "
                f"{'; '.join(sorted(src))})")
    keys = sorted(k for k in c if k.startswith("source."))
    src = "; ".join(sorted({source_of(c, k) for k in keys})) or label or "not cited"
    return f"{what} ({exp.source.kind} source; {src})"


def _window(exp, window_kev, n_bins, data: bool = False) -> str:
    a, c = exp.analysis, exp.citations
    lo, hi = window_kev
    bins = (f"{n_bins} bin{'s' * (n_bins != 1)} of the data inside {exp.id}'s window "
            f"{a.e_min_kev:g}-{a.e_max_kev:g} keV" if data
            else f"{n_bins} bin{'s' * (n_bins != 1)} of {a.bin_width_kev:g} keV")
    return (f"{lo:g}-{hi:g} keVee in {bins} "
            f"(start: {source_of(c, 'analysis.e_min_kev')}; end: "
            f"{source_of(c, 'analysis.e_max_kev')}; width: "
            f"{source_of(c, 'analysis.bin_width_kev')})")


def _check_window(window_kev, n_bins) -> None:
    if n_bins == 1:
        warn(f"the analysis window {window_kev[0]:g}-{window_kev[1]:g} keV is a single bin: the "
             "spectral shape is not used (give --e-max-kev / --bin-width-kev)")


def _background(exp) -> str:
    """The experiment's background model in words, with its sources."""
    b, c = exp.background, exp.citations
    parts = []
    for cont in b.continua:
        level = getattr(cont, "level_cpkkd", None)
        parts.append(f"flat {level:g} counts/(kg keV day)" if isinstance(level, float)
                     else "tabulated continuum")
    if b.lines:
        parts.append("lines " + ", ".join(f"{ln.label} ({ln.energy_kev:.4g} keV)"
                                          for ln in b.lines))
    src = {source_of(c, k) for k in c if k.startswith("background.")}
    return f"{' + '.join(parts) or 'none'} ({'; '.join(sorted(src)) or 'not cited'})"


def sensitivity(exp, result: dict, stream=None, text: bool = True) -> None:
    """Footer of ``nuem sensitivity`` (``result``: :meth:`SensitivityResult.to_dict`); with
    ``text=False`` (``--json``) only the warnings."""
    a = result["assumptions"]
    window, n = a["window_kev"], int(a["n_bins"])
    _check_window(window, n)
    notes = [a[k] for k in ("note", "template") if a.get(k)]
    if a.get("overrides"):
        notes.append("overridden by flags: " + ", ".join(f"{k}={v:g}" for k, v in
                                                         a["overrides"].items()))
    if exp.notes:
        notes.append(exp.notes)
    print_items(text and [
        ("experiment", f"{exp.id} ({exp.name}; target {exp.target})"),
        ("window", _window(exp, window, n)),
        ("exposure ON", _exposure(exp, "on", a["exposure_on_kg_day"])),
        ("exposure OFF", _exposure(exp, "off", a["exposure_off_kg_day"])),
        ("flux", flux_text(exp, a.get("flux_cm2_s"))),
        ("background", f"{_background(exp)}; plus SM nu-e and coherent nu-N (ON only, "
                       "irreducible)"),
        ("atomic model", a.get("atomic") or default_atomic()),
        ("statistics", f"theta = {a.get('theta')}; {result['method']} median and bands; "
                       f"{result['interval']} interval at CL {result['cl']:g}; variance "
                       f"{a.get('variance')}"),
        ("notes", " | ".join(notes)),
    ], stream)


def limit(exp, result: dict, stream=None, text: bool = True) -> None:
    """Footer of ``nuem limit`` (``result``: :meth:`LimitResult.to_dict`); warns when an
    exposure came from the experiment because the data file does not state it; with
    ``text=False`` (``--json``) only the warnings."""
    d = result.get("details", {})
    window = d.get("window_kev")
    n = int(d.get("n_bins", 0))
    if window:
        _check_window(window, n)
    items = [("experiment", f"{exp.id} ({exp.name}; target {exp.target})"),
             ("data", d.get("data"))]
    if window:
        items.append(("window", _window(exp, window, n, data=True)))
    for key, label, which in (("exposure_on_kg_day", "exposure ON", "on"),
                              ("exposure_off_kg_day", "exposure OFF", "off"),
                              ("exposure_kg_day", "exposure", "on")):
        if key in d:
            src = d.get({"exposure_on_kg_day": "exposure_on_source",
                         "exposure_off_kg_day": "exposure_off_source"}.get(key,
                                                                            "exposure_source"))
            shown = f"{d[key]:.4g} kg d (from the {src})" if src else f"{d[key]:.4g} kg d"
            if src and src.startswith("experiment"):
                shown = f"{d[key]:.4g} kg d, taken from {exp.id}: " + _exposure(exp, which,
                                                                               d[key])
                warn(f"{label}: the data file states none; used {exp.id}'s {d[key]:.4g} kg d "
                     "(add '# exposure_kg_day = X' to the file)")
            items.append((label, shown))
    nuis = result.get("nuisances") or {}
    active = [f"{k}={v:g}" for k, v in nuis.items() if isinstance(v, float) and v
              and k != "norm_sigma"]
    model = d.get("model", {})
    items += [("flux", flux_text(exp, d.get("flux_cm2_s"))),
              ("atomic model", d.get("atomic") or default_atomic()),
              ("statistics", f"{result['method']} at CL {result['cl']:g}; model "
                             f"{model.get('kind', '-')}; fit {d.get('fit', '-')}; best fit in "
                             f"{result.get('best_fit_unit')}"),
              ("nuisances", ", ".join(active) or "none (statistical errors only)"),
              ("notes", " | ".join(str(x) for x in (d.get("background"), exp.notes) if x))]
    print_items(text and items, stream)


def scan(meta: dict, grid_axes: dict, stream=None) -> None:
    """Footer of ``nuem scan`` (``meta["model"]``: the scan model's settings)."""
    m = meta.get("model", {})
    thr = grid_axes.get("threshold_kev", [])
    atomic = m.get("atomic") or {"mu-nu": "stepping (mu-nu)", "r2": "stepping (r2)"}.get(
        m.get("param"), "pai (delta-q)")
    what = ("two-sided Asimov profile-likelihood interval of <r^2> (cm^2, "
            f"{m.get('r2_convention')} convention)" if m.get("param") == "r2"
            else f"median and +-1/2 sigma bands of the limits of {m.get('n_toys')} toys per "
                 f"point (seed {m.get('seed')}; ResidualModel.sample), {m.get('method')} "
                 "interval" if m.get("mode") == "toys"
            else f"Asimov median upper limit, {m.get('method')} interval")
    print_items([
        ("window", f"threshold (grid: {', '.join(f'{t:g}' for t in thr)} keV) to "
                   f"{m.get('e_max_kev'):g} keV in {m.get('n_bins')} logarithmic bins; true "
                   "recoil energies (no resolution, no quenching)"),
        ("exposures", f"ON from the grid (kg d{', mass x days' if 'mass_kg' in grid_axes else ''}"
                      f"); OFF = {m.get('off_on_ratio'):g} x ON"),
        ("flux", "from the grid (reactor nuebar spectral shape, cm^-2 s^-1)"),
        ("target", (f"from the grid ({', '.join(map(str, grid_axes['target']))})"
                    if "target" in grid_axes else str(m.get("target")))
                   + f" (density {m.get('density_g_cm3') or 'tabulated'})"),
        ("atomic model", atomic),
        ("statistics", f"{what} at CL {m.get('cl'):g}; flat background, SM nu-e irreducible "
                       f"(ON only, {m.get('couplings')} couplings), ON-OFF systematic floor "
                       f"{m.get('syst'):g}"),
    ], stream)


def spectrum(exp, spec, stream=None) -> None:
    """Footer of ``nuem spectrum`` (``spec``: :class:`nuem.experiments.ObservedSpectrum`)."""
    edges = spec.edges_kev
    n = len(edges) - 1
    p = spec.parameters
    print_items([
        ("window", _window(exp, (float(edges[0]), float(edges[-1])), n)),
        ("exposure ON", _exposure(exp, "on", spec.exposure_on_kg_day)),
        ("exposure OFF", _exposure(exp, "off", spec.exposure_off_kg_day)),
        ("flux", flux_text(exp, p.get("flux_cm2_s"))),
        ("background", _background(exp)),
        ("atomic model", p.get("atomic") or default_atomic()),
        ("conventions", f"observed energy in keVee (bin centre); counts per bin for the full "
                        f"exposure: signals and background per ON exposure, total_off per OFF "
                        f"exposure; sin^2 theta_W = {p.get('sin2w')}; resolution "
                        f"+-{p.get('n_sigma', 5):g} sigma"),
        ("notes", exp.notes),
    ], stream)
