"""Figures of the report: reactor flux, ON/OFF spectra with components, expected ON-OFF residual,
measured spectra with the model's X-ray lines.

Conventions: spectra arrive as counts per bin for the full exposure (the contract of
``nuem spectrum``: ``e_kev``, ``bin_width_kev``, ``components``); figures show
counts/(kg keV day) = counts / (width_keV x exposure_kg_day), ON components divided by the ON
exposure and ``total_off`` by the OFF exposure. The expected residual is
ON/E_on - OFF/E_off (per keV) with the expected statistical error
sqrt(N_on/E_on^2 + N_off/E_off^2)/width (Poisson; drawn in the style of Fig. 8b of Wong & Li,
MPLA 20, 1103 (2005)).

Examples
--------
>>> import tempfile, os, numpy as np
>>> from nuem.sources.reactor import reactor_flux
>>> d = tempfile.mkdtemp()
>>> plot_flux(reactor_flux(1e13), os.path.join(d, "flux"), formats=("png",))
['flux.png']
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._figure import COLOURS, new_figure, save

__all__ = ["plot_flux", "plot_on_off", "expected_residual", "plot_residual", "plot_measured"]

_ON_COMPONENTS = ("background", "sm_electron", "magnetic_moment", "millicharge", "cevns",
                  "cevns_magnetic_moment")


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


def plot_flux(flux, stem, *, title: str = "", formats=("png", "pdf")) -> list[str]:
    """dPhi/dE_nu of a flux (log y): reactor ν̄e (a :class:`~nuem.sources.flux.TabulatedFlux`,
    linear energy axis, the unmeasured region below 2 MeV shaded) or any other source of the
    flux protocol (log energy axis)."""
    reactor = hasattr(flux, "dphi_cm2_s_mev") and \
        str(getattr(flux, "label", "")).startswith("reactor")
    e, y = _differential(flux)
    fig = new_figure(7.0, 4.0)
    ax = fig.add_subplot()
    ax.semilogy(e, np.where(y > 0, y, np.nan), color="tab:blue")
    ax.set_xlabel("$E_\\nu$ [MeV]")
    ax.set_ylabel("d$\\Phi$/d$E_\\nu$ [cm$^{-2}$ s$^{-1}$ MeV$^{-1}$]")
    what = ("reactor $\\bar\\nu_e$ flux" if reactor
            else str(getattr(flux, "label", "") or "flux").split(",")[0][:60])
    ax.set_title(title or f"{what}, total {flux.total_cm2_s():.3g} cm$^{{-2}}$s$^{{-1}}$",
                 fontsize=10)
    if reactor:
        ax.axvspan(0, 2.0, color="0.9", zorder=0)
        ax.text(0.05, 0.05, "below 2 MeV: model, not measured", transform=ax.transAxes,
                fontsize=8)
    else:
        ax.set_xscale("log")
    ax.grid(True, alpha=0.3)
    return save(fig, stem, formats)


def _edges(e_kev, width_kev):
    e, w = np.asarray(e_kev, float), np.asarray(width_kev, float)
    return np.r_[e - w / 2, e[-1] + w[-1] / 2]


def plot_on_off(e_kev, width_kev, components, exposure_on_kg_day, exposure_off_kg_day, stem, *,
                title: str = "", formats=("png", "pdf")) -> list[str]:
    """ON and OFF spectra with every component, counts/(kg keV day), log y."""
    w = np.asarray(width_kev, float)
    edges = _edges(e_kev, width_kev)
    fig = new_figure(7.0, 4.8)
    ax = fig.add_subplot()
    floor = np.inf
    for comp in (*_ON_COMPONENTS, "total_on", "total_off"):
        if comp not in components:
            continue
        exp = exposure_off_kg_day if comp == "total_off" else exposure_on_kg_day
        if exp <= 0:        # no OFF data (e.g. an ON-only experiment): nothing to draw
            continue
        y = np.abs(np.asarray(components[comp], float)) / (w * exp)
        if not np.any(y > 0):
            continue
        floor = min(floor, y[y > 0].min())
        label = comp + (" (|value|)" if comp == "millicharge" else "")
        ax.stairs(np.where(y > 0, y, np.nan), edges, baseline=None, color=COLOURS.get(comp),
                  label=label,
                  lw=2.0 if comp.startswith("total") else 1.2,
                  ls="--" if comp == "total_off" else "-")
    ax.set_yscale("log")
    if np.isfinite(floor):
        ax.set_ylim(bottom=max(floor * 0.5, 1e-8))
    ax.set_xlabel("observed energy [keVee]")
    ax.set_ylabel("counts / (kg keV day)")
    ax.set_title(title or "expected ON/OFF spectra", fontsize=10)
    ax.legend(fontsize=8, ncol=2)
    ax.grid(True, alpha=0.3)
    return save(fig, stem, formats)


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


def plot_residual(e_kev, width_kev, components, exposure_on_kg_day, exposure_off_kg_day, stem, *,
                  title: str = "", formats=("png", "pdf")) -> list[str]:
    """Expected ON-OFF residual with its statistical error, and the reactor-correlated
    components that make it (SM nu-e + coherent, and what mu_nu / delta_Q add)."""
    w = np.asarray(width_kev, float)
    e = np.asarray(e_kev, float)
    edges = _edges(e, w)
    resid, sigma = expected_residual(w, components, exposure_on_kg_day, exposure_off_kg_day)
    per = {c: np.asarray(components[c], float) / (w * exposure_on_kg_day)
           for c in ("sm_electron", "cevns", "magnetic_moment", "millicharge",
                     "cevns_magnetic_moment") if c in components}
    sm = per.get("sm_electron", 0.0) + per.get("cevns", 0.0)
    fig = new_figure(7.0, 4.5)
    ax = fig.add_subplot()
    ax.stairs(resid + sigma, edges, baseline=resid - sigma, fill=True, color="0.85",
              label="expected ON-OFF $\\pm 1\\sigma$ (stat.)")
    ax.stairs(resid, edges, baseline=None, color="black", lw=1.5, label="expected ON-OFF")
    ax.stairs(np.broadcast_to(sm, e.shape), edges, baseline=None, color=COLOURS["sm_electron"],
              label="SM only ($\\nu$-e + coherent)")
    for comp in ("magnetic_moment", "millicharge", "cevns_magnetic_moment"):
        if comp in per and np.any(per[comp] != 0):
            ax.stairs(per[comp], edges, baseline=None, color=COLOURS[comp], ls="--",
                      label=f"{comp} part")
    ax.axhline(0.0, color="0.5", lw=0.8)
    ax.set_xlabel("observed energy [keVee]")
    ax.set_ylabel("ON - OFF [counts / (kg keV day)]")
    ax.set_title(title or "expected residual", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(True, alpha=0.3)
    return save(fig, stem, formats)


def plot_measured(spec, matches=(), stem=None, *, series: str = "spectrum", title: str = "",
                  formats=("png", "pdf")) -> list[str]:
    """A measured spectrum (log-log) with the model lines (dotted) and found centroids (red)."""
    kind, v = spec.values[series]
    y = v if kind == "cpkkd" else v / spec.width_kev
    fig = new_figure(7.0, 4.5)
    ax = fig.add_subplot()
    ax.stairs(np.where(y > 0, y, np.nan), np.r_[spec.e_lo_kev, spec.e_hi_kev[-1]],
              color="black", lw=1.0, label=series)
    for m in matches:
        ax.axvline(m["model_kev"], color="tab:blue", ls=":", lw=1)
        if m.get("found"):
            ax.annotate(m["name"], (m["model_kev"], 0.98), xycoords=("data", "axes fraction"),
                        rotation=90, va="top", ha="right", fontsize=7, color="tab:blue")
            ax.axvline(m["e_kev"], color="tab:red", lw=1, alpha=0.7)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("energy [keVee]")
    ax.set_ylabel("counts / (kg keV day)" if kind == "cpkkd" else "counts / keV")
    ax.set_title(title or Path(str(spec.source)).name + " (dotted: model lines; red: found)",
                 fontsize=9)
    ax.grid(True, alpha=0.3)
    return save(fig, stem, formats)
