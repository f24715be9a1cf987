"""Figures of H.T. Wong, H.B. Li, Mod. Phys. Lett. A 20, 1103 (2005): Fig. 4 and Fig. 9a.

* Fig. 4: differential rates on germanium at a reactor flux of 1e13 cm^-2 s^-1 for SM nu-e
  (Eq. 4-5), mu_nu = 1e-10 mu_B on electrons (Eq. 6), coherent SM nu-N (Eq. 8) and coherent
  mu_nu (Eq. 9); free electrons as in the paper's figure; T is the electron recoil energy for
  the electron processes and the nuclear recoil energy for the coherent ones.
* Fig. 9a: mu_nu limits of reactor experiments versus their threshold, with lines of constant
  R = sigma(mu)/sigma(SM). nuem computes R as the ratio of the flux-averaged *differential*
  cross sections at T (the paper: "R ratio at a particular [T, mu_nu]"), reactor spectrum of
  :func:`nuem.sources.reactor.reactor_flux`, free electrons; R scales as mu_nu^2, so the line of
  constant R is mu_nu(T) = mu_ref sqrt(R / R_ref(T)) with R_ref the ratio at mu_ref.

The historic limits (:data:`HISTORIC_LIMITS`) are those of the experiments' papers as quoted in
Sec. 4.3 of the paper and, for TEXONO 2007, by Wong, Li & Lin, PRL 105, 061801 (2010); thresholds
the paper does not print are from the original papers and marked ``[check]``.
"""

from __future__ import annotations

import numpy as np

from ..plotting import legend_above, new_axes, save
from ..plotting.style import line_kwargs

__all__ = ["HISTORIC_LIMITS", "REFERENCE", "fig4_rates", "constant_ratio_mu_nu", "plot_fig4",
           "plot_fig9a", "write_fig4", "write_fig9a"]

#: Key of the reproduced paper in :data:`nuem.references.REFERENCES`.
REFERENCE = "wong2005"

#: Reactor mu_nu results: threshold T (keV), mu_nu (mu_B; a pair = claimed range), CL, source.
HISTORIC_LIMITS = (
    {"name": "Savannah River", "threshold_kev": 1500.0, "mu_nu": (2e-10, 4e-10), "cl": None,
     "reference": "Reines et al. PRL 37, 315 (1976); re-analysis Vogel & Engel PRD 39, 3378 "
                  "(1989) (range quoted by Wong & Li, MPLA 20, 1103 (2005), Sec. 4.3); "
                  "threshold 1.5 MeV [check]"},
    {"name": "Krasnoyarsk", "threshold_kev": 3150.0, "mu_nu": 2.4e-10, "cl": 0.90,
     "reference": "Vidyakin et al. JETP Lett. 55, 206 (1992) (limit quoted by Wong & Li, "
                  "MPLA 20, 1103 (2005), Sec. 4.3); threshold 3.15 MeV [check]"},
    {"name": "Rovno", "threshold_kev": 600.0, "mu_nu": 1.9e-10, "cl": 0.95,
     "reference": "Derbin et al. JETP Lett. 57, 768 (1993); threshold 0.6 MeV [check]; CL "
                  "95 % [check: Wong & Li, MPLA 20, 1103 (2005), Sec. 4.3 quote 90 %]"},
    {"name": "MUNU", "threshold_kev": 700.0, "mu_nu": 0.9e-10, "cl": 0.90,
     "reference": "Daraktchieva et al. PLB 615, 153 (2005); threshold 700 keV: Wong & Li, "
                  "MPLA 20, 1103 (2005), Sec. 4.3"},
    {"name": "TEXONO 2003", "threshold_kev": 12.0, "mu_nu": 1.3e-10, "cl": 0.90,
     "reference": "Li et al. PRL 90, 131802 (2003); threshold 12 keV: Wong & Li, MPLA 20, "
                  "1103 (2005), Sec. 4.3"},
    {"name": "TEXONO 2007", "threshold_kev": 12.0, "mu_nu": 7.4e-11, "cl": 0.90,
     "reference": "Wong et al. PRD 75, 012001 (2007) (limit as quoted by Wong, Li & Lin, "
                  "PRL 105, 061801 (2010)); threshold 12 keV"},
    {"name": "GEMMA", "threshold_kev": 2.8, "mu_nu": 2.9e-11, "cl": 0.90,
     "reference": "Beda et al. Adv. High Energy Phys. 2012, 350150 (2012); threshold "
                  "2.8 keV [check]"},
)


def fig4_rates(t_kev, *, flux_cm2_s: float = 1e13, mu_nu: float = 1e-10) -> dict:
    """The four curves of Fig. 4 in counts/(kg keV day) on Ge (free electrons).

    Examples
    --------
    >>> r = fig4_rates([10.0])
    >>> sorted(r)
    ['cevns', 'cevns_magnetic_moment', 'magnetic_moment', 'sm_electron']
    >>> bool(r["magnetic_moment"][0] > 10 * r["sm_electron"][0])  # paper, Sec. 4.3: x20
    True
    """
    from ..rates import differential_rates
    from ..sources.reactor import reactor_flux

    spec = differential_rates("Ge", reactor_flux(flux_cm2_s), t_kev, mu_nu=mu_nu,
                              atomic="free", components=("sm_electron", "magnetic_moment",
                                                         "cevns", "cevns_magnetic_moment"),
                              couplings="tree")   # the paper's tree-level couplings
    return dict(spec.components)


def constant_ratio_mu_nu(t_kev, ratios=(0.1, 1.0, 10.0, 100.0), *, mu_ref: float = 1e-10,
                         flux=None) -> dict[float, np.ndarray]:
    """mu_nu (mu_B) at which R = sigma(mu)/sigma(SM) equals each ratio, versus T (keV).

    Examples
    --------
    >>> out = constant_ratio_mu_nu([10.0, 1000.0], ratios=(1.0,))
    >>> mu = out[1.0]
    >>> bool(mu[0] < mu[1])   # at low T a smaller mu_nu matches the SM rate
    True
    """
    from ..rates import differential_rates
    from ..sources.reactor import reactor_flux

    flux = reactor_flux(1e13) if flux is None else flux
    spec = differential_rates("Ge", flux, t_kev, mu_nu=mu_ref, atomic="free",
                              components=("sm_electron", "magnetic_moment"), couplings="tree")
    sm, mm = spec.components["sm_electron"], spec.components["magnetic_moment"]
    with np.errstate(divide="ignore", invalid="ignore"):
        r_ref = np.where(sm > 0, mm / sm, np.nan)
        return {float(r): mu_ref * np.sqrt(float(r) / r_ref) for r in ratios}


def plot_fig4(stem=None, *, flux_cm2_s: float = 1e13, mu_nu: float = 1e-10,
              t_range_kev=(1e-3, 1e3), formats=("png", "pdf"), ax=None):
    """Fig. 4 (log-log) drawn into ``ax`` (a new figure if None). With ``stem`` the figure is
    written to ``stem.<format>`` and the file names are returned; else the axes."""
    t = np.geomspace(*t_range_kev, 400)
    rates = fig4_rates(t, flux_cm2_s=flux_cm2_s, mu_nu=mu_nu)
    mu = _sci(mu_nu)
    labels = {"sm_electron": r"SM $\bar\nu_e$–e",
              "magnetic_moment": rf"$\mu_\nu$ = {mu} $\mu_B$, $\bar\nu_e$–e",
              "cevns": r"SM coherent $\bar\nu_e$–N",
              "cevns_magnetic_moment": rf"$\mu_\nu$ = {mu} $\mu_B$, coherent $\bar\nu_e$–N"}
    ax = new_axes(ax, 7.0, 5.0)
    for comp, label in labels.items():
        y = np.where(rates[comp] > 0, rates[comp], np.nan)
        ax.loglog(t, y, **line_kwargs(comp, label=label))
    ax.set_xlabel("recoil energy $T$ [keV] (electron or nucleus)")
    ax.set_ylabel(r"$\mathrm{d}R/\mathrm{d}T$ [counts kg$^{-1}$ keV$^{-1}$ d$^{-1}$]")
    finite = np.concatenate([v[v > 0] for v in rates.values()])
    ax.set_ylim(max(finite.min(), 1e-6), finite.max() * 3)
    legend_above(ax, 2, rf"Ge, reactor flux {_sci(flux_cm2_s)} cm$^{{-2}}$ s$^{{-1}}$ "
                        "(Wong & Li 2005, Fig. 4; free electrons)")
    return ax if stem is None else save(ax.figure, stem, formats)


def _sci(x: float) -> str:
    m, e = f"{x:.1e}".split("e")
    m = m.rstrip("0").rstrip(".")
    times = "" if m == "1" else m + r"\times"
    return f"${times}10^{{{int(e)}}}$"


#: Marker of each historic experiment in Fig. 9a (one per experiment, named in the legend).
_MARKERS = {"Krasnoyarsk": ("s", "#3f90da"), "Rovno": ("D", "#a96b59"),
            "MUNU": ("X", "#832db6"), "TEXONO 2003": ("o", "#717581"),
            "TEXONO 2007": ("o", "#3f90da"), "GEMMA": ("P", "#e76300")}


def plot_fig9a(stem=None, *, ratios=(0.1, 1.0, 10.0, 100.0), extra_points=(), flux=None,
               formats=("png", "pdf"), ax=None):
    """Fig. 9a: limits vs threshold with constant-R lines; ``extra_points`` are dicts like those
    of :data:`HISTORIC_LIMITS` (e.g. the experiment of the report; ``highlight`` draws it in
    red). Each experiment has its own marker, named in the legend (no text over the data); the
    R labels sit on the lines. With ``stem`` the figure is written and the file names returned,
    else the axes."""
    t = np.geomspace(0.1, 5000.0, 300)
    curves = constant_ratio_mu_nu(t, ratios, flux=flux)
    ax = new_axes(ax, 7.0, 5.4)
    for r, mu in curves.items():
        ok = np.isfinite(mu)
        ax.loglog(t[ok], mu[ok], ls=":", color="0.45", lw=1.2)
        # label where the line crosses 2/3 of the width of the plot, on a white box
        inside = np.flatnonzero(ok & (mu > 7e-12) & (mu < 1.5e-9))
        if inside.size == 0:
            continue
        k = inside[int(0.6 * (inside.size - 1))]
        ax.text(t[k], mu[k], f"R = {r:g}", fontsize=8, color="0.25", ha="center",
                va="center", bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.8})
    same_t = {}
    for entry in (*HISTORIC_LIMITS, *extra_points):
        same_t.setdefault(entry["threshold_kev"], []).append(entry["name"])
    for entry in (*HISTORIC_LIMITS, *extra_points):
        mu = entry["mu_nu"]
        x = entry["threshold_kev"]
        peers = same_t[x]
        if len(peers) > 1:           # experiments at one threshold side by side
            x = x * 1.12 ** (peers.index(entry["name"]) - (len(peers) - 1) / 2)
        cl = f", {100 * entry['cl']:g} % CL" if entry.get("cl") else ""
        if isinstance(mu, tuple):
            ax.plot([x, x], mu, color="#bd1f01", lw=4, solid_capstyle="butt",
                    label=f"{entry['name']} (range)")
            continue
        marker, colour = _MARKERS.get(entry["name"], ("v", "0.3"))
        if entry.get("highlight"):
            marker, colour = "v", "#bd1f01"
        ax.errorbar([x], [mu], yerr=[[0.3 * mu], [0]], uplims=[True], fmt=marker,
                    color=colour, ms=7, mfc=colour, capsize=0,
                    label=f"{entry['name']}{cl}")
    ax.set_xlim(t[0], t[-1])
    ax.set_ylim(5e-12, 2e-9)
    ax.set_xlabel("threshold (recoil energy) $T$ [keV]")
    ax.set_ylabel(r"$\mu_\nu(\bar\nu_e)$ upper limit [$\mu_B$]")
    legend_above(ax, 3, r"Reactor $\mu_\nu$ limits; dotted: constant "
                        r"$R = \sigma(\mu_\nu)/\sigma(\mathrm{SM})$ (Wong & Li 2005, Fig. 9a)")
    return ax if stem is None else save(ax.figure, stem, formats)


def write_fig4(out_dir, version=None, formats=("png", "pdf")) -> list[str]:
    """Fig. 4 as ``wong_li_2005_fig4.<format>`` in ``out_dir`` (``version``: no variants)."""
    from pathlib import Path

    return plot_fig4(Path(out_dir) / "wong_li_2005_fig4", formats=formats)


def write_fig9a(out_dir, version=None, formats=("png", "pdf")) -> list[str]:
    """Fig. 9a as ``wong_li_2005_fig9a.<format>`` in ``out_dir`` (``version``: no variants)."""
    from pathlib import Path

    return plot_fig9a(Path(out_dir) / "wong_li_2005_fig9a", formats=formats)
