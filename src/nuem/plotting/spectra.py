r"""Figures of spectra: reactor flux, expected ON/OFF spectra (with ON and OFF data), the ON−OFF
residual (expected, measured, best fit), measured spectra with the model's X-ray lines.

Every function draws into ``ax`` (a new figure with the nuem look when ``ax`` is None) and
returns the axes; :func:`nuem.plotting.save` writes the figure. Styles per quantity come from
:mod:`nuem.plotting.style`; step histograms are matplotlib's ``Axes.stairs`` (no end edges)
and measured points ``Axes.errorbar`` at the bin centres with horizontal bars spanning the bins
(the HEP convention, as mplhep's ``histplot`` draws them; mplhep itself is not imported: it
registers about 170 fonts at import, which makes every font lookup of a figure several times
slower).

Conventions: expected spectra arrive as counts per bin for the full exposure (the contract of
``nuem spectrum``: ``e_kev``, ``bin_width_kev``, ``components``); figures show
counts/(kg keV day) = counts / (width_keV × exposure_kg_day), ON components divided by the ON
exposure and ``total_off`` by the OFF exposure. Measured ON/OFF data are a mapping ``data`` with
``e_lo_kev``, ``e_hi_kev``, ``on_counts``, ``off_counts``, ``exposure_on_kg_day``,
``exposure_off_kg_day``; their error bars are the central 68.27 % Poisson (Garwood 1936)
intervals of the counts. The residual is ON/E_on − OFF/E_off (per keV) with the statistical error
√(N_on/E_on² + N_off/E_off²)/width (drawn in the style of Fig. 8b of Wong & Li, MPLA 20, 1103
(2005)).

Examples
--------
>>> from nuem.sources.reactor import reactor_flux
>>> ax = plot_flux(reactor_flux(1e13))
>>> ax.get_xlabel()
'$E_\\nu$ [MeV]'
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._figure import legend_above, new_axes
from .style import LABELS, line_kwargs, style_of

__all__ = ["ON_COMPONENTS", "plot_flux", "plot_on_off", "plot_components", "expected_residual",
           "data_residual", "poisson_errors", "plot_residual", "plot_measured"]

#: Reactor-ON components drawn in the ON/OFF figure (the background is the OFF line).
ON_COMPONENTS = ("sm_electron", "cevns", "magnetic_moment", "cevns_magnetic_moment",
                 "millicharge")
_SIGNALS = ("magnetic_moment", "cevns_magnetic_moment", "millicharge")


def _differential(flux):
    """(E_nu grid, dPhi/dE_nu) of any flux of the protocol: the table of a tabulated flux, else
    the derivative -dM_0/dE of its tail flux on a log grid (lines appear as narrow peaks)."""
    if hasattr(flux, "dphi_cm2_s_mev"):
        e = np.linspace(min(1e-3, flux.enu_max_mev / 600), min(flux.enu_max_mev, 12.0), 600)
        return e, flux.dphi_cm2_s_mev(e)
    top = float(np.max(flux.break_energies_mev(), initial=1.0))
    edges = np.geomspace(1e-3, min(1.05 * top, 20.0), 1201)
    tail = np.asarray(flux.moments_mev(edges, powers=(0,))[0], float)
    return np.sqrt(edges[1:] * edges[:-1]), -np.diff(tail) / np.diff(edges)


def plot_flux(flux, *, ax=None, title: str | None = None):
    """dΦ/dE_ν of a flux (log y): reactor ν̄e (a :class:`~nuem.sources.flux.TabulatedFlux`,
    linear energy axis, the band below 2 MeV, where the spectrum is a model and not a
    measurement, shaded) or any other source of the flux protocol (log energy axis)."""
    ax = new_axes(ax, 7.0, 4.0)
    reactor = hasattr(flux, "dphi_cm2_s_mev") and \
        str(getattr(flux, "label", "")).startswith("reactor")
    e, y = _differential(flux)
    what = (r"reactor $\bar\nu_e$" if reactor
            else str(getattr(flux, "label", "") or "flux").split(",")[0][:60])
    ax.semilogy(e, np.where(y > 0, y, np.nan), color=style_of("sm_electron")["color"], lw=1.6,
                label=rf"{what}, $\Phi$ = {_sci(flux.total_cm2_s())} cm$^{{-2}}$ s$^{{-1}}$")
    if reactor:
        ax.axvspan(0, 2.0, color="0.92", zorder=0,
                   label=r"$E_\nu < 2$ MeV: model, not measured")
        ax.set_xlim(0, e[-1])
    else:
        ax.set_xscale("log")
    ymax = float(np.nanmax(y))
    # five decades for a reactor; seven on a log energy axis, where continua far below the
    # peak (e.g. solar 8B, ~1e-6 of the pp peak per MeV) must stay visible
    ax.set_ylim(ymax * (1e-5 if reactor else 1e-7), ymax * 3)
    ax.set_xlabel(LABELS["e_nu"])
    ax.set_ylabel(LABELS["dphi"])
    legend_above(ax, 1, title, fontsize=9)
    return ax


def _sci(x: float) -> str:
    """A number in mathtext scientific notation, e.g. ``$6.4\\times10^{12}$``."""
    m, e = f"{x:.2e}".split("e")
    m = m.rstrip("0").rstrip(".")
    return f"${m}\\times10^{{{int(e)}}}$"


def _edges(e_kev, width_kev):
    e, w = np.asarray(e_kev, float), np.asarray(width_kev, float)
    return np.r_[e - w / 2, e[-1] + w[-1] / 2]


def poisson_errors(counts):
    """Central 68.27 % Poisson intervals of observed counts (Garwood 1936): the (lower, upper)
    error bar lengths, from χ² quantiles; n = 0 gives (0, 1.841).

    Examples
    --------
    >>> lo, hi = poisson_errors([0, 10])
    >>> [round(float(x), 3) for x in (lo[0], hi[0], lo[1], hi[1])]
    [0.0, 1.841, 3.109, 4.267]
    """
    from scipy.stats import chi2

    n = np.asarray(counts, float)
    a = 0.5 * (1 - 0.682689492137086)
    lo = np.where(n > 0, 0.5 * chi2.ppf(a, 2 * np.maximum(n, 1e-300)), 0.0)
    hi = 0.5 * chi2.ppf(1 - a, 2 * n + 2)
    return n - lo, hi - n


def _steps(ax, values, bin_edges, **kw):
    """A step histogram without the vertical end edges (``Axes.stairs`` with no baseline); a
    NaN value leaves its bin empty."""
    return ax.stairs(np.asarray(values, float), np.asarray(bin_edges, float), baseline=None,
                     fill=False, **kw)


def _bin_errorbars(ax, values, bin_edges, yerr, **kw):
    """Points at the bin centres with vertical error bars ``yerr`` (symmetric, or a (2, n)
    array of lower and upper lengths) and horizontal bars spanning the bins."""
    e = np.asarray(bin_edges, float)
    return ax.errorbar(0.5 * (e[1:] + e[:-1]), np.asarray(values, float), yerr=yerr,
                       xerr=0.5 * np.diff(e), ls="none", **kw)


def _data_points(ax, edges, counts, scale, quantity):
    """Counts as rates (counts × scale) with Poisson error bars at the bin centres."""
    lo, hi = poisson_errors(counts)
    kw = line_kwargs(quantity)
    label = kw.pop("label")
    _bin_errorbars(ax, counts * scale, edges, np.vstack([lo * scale, hi * scale]), label=label,
                   color=kw["color"], marker=kw["marker"], markersize=kw["ms"],
                   mfc=kw.get("mfc", kw["color"]), elinewidth=1.0, capsize=0)


def _rate(components, comp, w, exposure):
    if comp not in components or exposure <= 0:
        return None
    y = np.abs(np.asarray(components[comp], float)) / (w * exposure)
    return y if np.any(y > 0) else None


def _step(ax, y, edges, quantity, **override):
    _steps(ax, np.where(y > 0, y, np.nan), edges,
           **_step_kw(quantity, **override))


def _nu_label(label: str, antineutrino: bool) -> str:
    """``label`` with the reactor ν̄e replaced by a generic ν unless ``antineutrino``
    (solar and other sources reach the detector in several flavours)."""
    return label if antineutrino else label.replace(r"$\bar\nu_e$", r"$\nu$")


def plot_on_off(e_kev, width_kev, components, exposure_on_kg_day, exposure_off_kg_day, *,
                data=None, ax=None, title: str | None = None, logy: bool | None = None):
    """Expected ON and OFF spectra, counts/(kg keV day): the ON total (black) and the OFF total
    (= the reactor-independent background, orange dashed); with ``data`` (module docstring) the
    measured ON and OFF rates with Poisson error bars. Log y when the values span more than a
    factor 30 (``logy`` forces it). The reactor-ON components are drawn by
    :func:`plot_components`."""
    ax = new_axes(ax, 7.5, 4.2)
    w = np.asarray(width_kev, float)
    edges = _edges(e_kev, width_kev)
    values = []
    for comp, exp in (("total_on", exposure_on_kg_day), ("total_off", exposure_off_kg_day)):
        y = _rate(components, comp, w, exp)
        if y is not None:
            _step(ax, y, edges, comp)
            values.append(y[y > 0])
    if exposure_off_kg_day <= 0 and _rate(components, "background", w, exposure_on_kg_day) \
            is not None:
        y = _rate(components, "background", w, exposure_on_kg_day)
        _step(ax, y, edges, "background")
        values.append(y[y > 0])
    if data is not None:
        d_edges = np.r_[data["e_lo_kev"], data["e_hi_kev"][-1]]
        dw = np.diff(d_edges)
        on = np.asarray(data["on_counts"], float)
        _data_points(ax, d_edges, on, 1.0 / (dw * data["exposure_on_kg_day"]), "data_on")
        values.append(on[on > 0] / (dw * data["exposure_on_kg_day"])[on > 0])
        if data.get("off_counts") is not None and data.get("exposure_off_kg_day"):
            off = np.asarray(data["off_counts"], float)
            _data_points(ax, d_edges, off, 1.0 / (dw * data["exposure_off_kg_day"]), "data_off")
    allv = np.concatenate(values) if values else np.array([1.0])
    if logy if logy is not None else (allv.size and allv.max() > 30 * allv.min()):
        ax.set_yscale("log")
    ax.set_xlabel(LABELS["e_obs"])
    ax.set_ylabel(LABELS["rate"])
    legend_above(ax, 2, title)
    return ax


def plot_components(e_kev, width_kev, components, exposure_on_kg_day, *, ax=None,
                    title: str | None = None, antineutrino: bool = True):
    """The components of the expected ON spectrum, counts/(kg keV day), log y, each on its own
    (no stacking, so none hides another): SM ν–e, coherent ν–N, the μν and δQ signals (δQ as
    |value|: its interference with the weak amplitude may be < 0), and the background; a
    component more than six decades below the largest is named in the legend title instead of
    drawn. Legends name the reactor ν̄e, or a generic ν with ``antineutrino=False``."""
    ax = new_axes(ax, 7.5, 4.2)
    w = np.asarray(width_kev, float)
    edges = _edges(e_kev, width_kev)
    rates = {c: y for c in ("background", *ON_COMPONENTS)
             if (y := _rate(components, c, w, exposure_on_kg_day)) is not None}
    top = max((y.max() for y in rates.values()), default=1.0)
    lowest = top * 1e-6           # six decades: smaller components are named, not drawn
    floor, hidden = np.inf, []
    for comp, y in rates.items():
        label = _nu_label(style_of(comp)["label"], antineutrino)
        if y.max() < lowest:
            hidden.append(label)
            continue
        _step(ax, y, edges, comp, label=label)
        floor = min(floor, y[y >= lowest].min())
    ax.set_yscale("log")
    if np.isfinite(floor):
        ax.set_ylim(max(floor * 0.3, lowest), top * 3)
    ax.set_xlabel(LABELS["e_obs"])
    ax.set_ylabel(LABELS["rate"])
    if hidden:
        title = (f"{title}\n" if title else "") + "below the plotted range: " + ", ".join(hidden)
    legend_above(ax, 2, title)
    return ax


def expected_residual(width_kev, components, exposure_on_kg_day, exposure_off_kg_day):
    """Expected ON-OFF residual and its Poisson error, counts/(kg keV day).

    Without OFF data (``exposure_off_kg_day == 0``, e.g. texono-ulege) nothing is subtracted
    from a measurement: the residual is then ON minus the expected ON ``background`` (taken as
    known), with the Poisson error of ON alone.

    Examples
    --------
    >>> r, s = expected_residual([1.0], {"total_on": [120.0], "total_off": [20.0]}, 100.0, 20.0)
    >>> round(float(r[0]), 3), round(float(s[0]), 3)
    (0.2, 0.249)
    >>> r, s = expected_residual([1.0], {"total_on": [120.0], "total_off": [0.0],
    ...                                  "background": [100.0]}, 100.0, 0.0)
    >>> round(float(r[0]), 3), round(float(s[0]), 3)
    (0.2, 0.11)
    """
    w = np.asarray(width_kev, float)
    on = np.asarray(components["total_on"], float)
    if exposure_off_kg_day <= 0:
        bkg = np.asarray(components["background"], float)
        return (on - bkg) / exposure_on_kg_day / w, np.sqrt(on) / exposure_on_kg_day / w
    off = np.asarray(components["total_off"], float)
    resid = (on / exposure_on_kg_day - off / exposure_off_kg_day) / w
    sigma = np.sqrt(on / exposure_on_kg_day ** 2 + off / exposure_off_kg_day ** 2) / w
    return resid, sigma


def data_residual(data):
    """Measured ON − OFF residual and its statistical error, counts/(kg keV day), from ON/OFF
    counts (``data`` as in the module docstring; an empty bin counts as 1 in the error), or as
    given (``data`` with ``residual_cpkkd`` and ``sigma_cpkkd``).

    Examples
    --------
    >>> r, s = data_residual({"e_lo_kev": [0.0], "e_hi_kev": [2.0], "on_counts": [300.0],
    ...                       "off_counts": [50.0], "exposure_on_kg_day": 100.0,
    ...                       "exposure_off_kg_day": 25.0})
    >>> float(r[0]), round(float(s[0]), 4)
    (0.5, 0.1658)
    """
    if "residual_cpkkd" in data:
        return (np.asarray(data["residual_cpkkd"], float),
                np.asarray(data["sigma_cpkkd"], float))
    w = np.asarray(data["e_hi_kev"], float) - np.asarray(data["e_lo_kev"], float)
    n_on, n_off = (np.asarray(data[k], float) for k in ("on_counts", "off_counts"))
    x_on, x_off = float(data["exposure_on_kg_day"]), float(data["exposure_off_kg_day"])
    resid = (n_on / x_on - n_off / x_off) / w
    sigma = np.sqrt(np.maximum(n_on, 1.0) / x_on**2 + np.maximum(n_off, 1.0) / x_off**2) / w
    return resid, sigma


def plot_residual(e_kev, width_kev, components, exposure_on_kg_day, exposure_off_kg_day, *,
                  data=None, best_fit=None, ax=None, title: str | None = None,
                  antineutrino: bool = True):
    """ON − OFF residual: the expected one with its ±1σ statistical band, the reactor-ON parts
    that make it (SM ν–e + coherent, and the hypothesised signal), and with ``data`` the measured
    residual with error bars; ``best_fit`` = ``{"e_lo_kev", "e_hi_kev", "cpkkd", "label"}`` is
    the fitted expectation (SM + best-fit signal) on the data bins. Without OFF exposure
    (``exposure_off_kg_day == 0``) the residual is ON − expected background
    (:func:`expected_residual`) and the labels say so. Legends name the reactor ν̄e, or a
    generic ν with ``antineutrino=False``."""
    ax = new_axes(ax, 7.5, 4.8)
    no_off = exposure_off_kg_day <= 0
    minus = "ON − background" if no_off else "ON − OFF"
    w = np.asarray(width_kev, float)
    edges = _edges(e_kev, w)
    resid, sigma = expected_residual(w, components, exposure_on_kg_day, exposure_off_kg_day)
    per = {c: np.asarray(components[c], float) / (w * exposure_on_kg_day)
           for c in ("sm_electron", "cevns", *_SIGNALS) if c in components}
    sm = per.get("sm_electron", 0.0) + per.get("cevns", 0.0)
    band = style_of("residual_expected")
    ax.stairs(resid + sigma, edges, baseline=resid - sigma, fill=True, color=band["color"],
              label=band["label"].replace("ON − OFF", minus), lw=0)
    _steps(ax, np.broadcast_to(sm, resid.shape), edges,
           **_step_kw("sm_electron", label=_nu_label(
               r"SM: $\bar\nu_e$–e + coherent $\bar\nu_e$–N", antineutrino)))
    signal = sum(per.get(c, 0.0) for c in _SIGNALS)
    if np.any(np.asarray(signal) != 0):
        model = style_of("residual_model")["label"].replace("ON − OFF", minus)
        _steps(ax, resid, edges,
               **_step_kw("residual_model", label=model))
        for comp in _SIGNALS:
            if comp in per and np.any(per[comp] != 0):
                _steps(ax, per[comp], edges,
                       **_step_kw(comp, label=_nu_label(style_of(comp)["label"],
                                                        antineutrino)))
    if data is not None:
        d_edges = np.r_[data["e_lo_kev"], data["e_hi_kev"][-1]]
        r, s = data_residual(data)
        kw = line_kwargs("residual_data")
        _bin_errorbars(ax, r, d_edges, s, label=kw["label"], color=kw["color"],
                       marker=kw["marker"], markersize=kw["ms"], elinewidth=1.0, capsize=0)
    if best_fit is not None:
        b_edges = np.r_[best_fit["e_lo_kev"], best_fit["e_hi_kev"][-1]]
        _steps(ax, best_fit["cpkkd"], b_edges,
               **_step_kw("best_fit_signal", label=best_fit.get("label", "best fit")))
    ax.axhline(0.0, color="0.4", lw=0.8)
    ax.set_xlabel(LABELS["e_obs"])
    ax.set_ylabel(LABELS["residual"].replace("ON − OFF", minus))
    legend_above(ax, 2, title)
    return ax


def _step_kw(quantity, **override):
    """label/colour/linestyle/width of a quantity for a step histogram."""
    kw = line_kwargs(quantity, **override)
    return {k: kw[k] for k in ("label", "color", "ls", "lw") if k in kw}


def plot_measured(spec, matches=(), *, series: str = "spectrum", ax=None,
                  title: str | None = None):
    """A measured spectrum (log-log) with the model X-ray lines (dotted) and the centroids found
    in the data (solid), each line named in the legend (no text over the data)."""
    ax = new_axes(ax, 7.5, 4.8)
    kind, v = spec.values[series]
    y = v if kind == "cpkkd" else v / spec.width_kev
    edges = np.r_[spec.e_lo_kev, spec.e_hi_kev[-1]]
    _steps(ax, np.where(y > 0, y, np.nan), edges,
           color="black", lw=1.0, label=f"data ({series})")
    found = [m for m in matches if m.get("found")]
    colours = ("#3f90da", "#bd1f01", "#832db6", "#e76300", "#a96b59", "#717581")
    for i, m in enumerate(found):
        c = colours[i % len(colours)]
        ax.axvline(m["model_kev"], color=c, ls=":", lw=1.2,
                   label=f"{m['name']}: model {m['model_kev']:.3f} keV")
        ax.axvline(m["e_kev"], color=c, ls="-", lw=1.0, alpha=0.7,
                   label=f"{m['name']}: found {m['e_kev']:.3f} keV")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(LABELS["e_obs"])
    ax.set_ylabel(LABELS["rate"] if kind == "cpkkd" else LABELS["counts_per_kev"])
    legend_above(ax, 2, title or Path(str(spec.source)).name, fontsize=7)
    return ax
