"""Fig. 2 of H.T. Wong, H.B. Li, S.T. Lin, PRL 105, 061801 (2010), historical and modern versions.

Ge target, reactor nuebar at 1e13 cm^-2 s^-1 (:func:`nuem.sources.reactor.reactor_flux`),
observable energy T from 0.1 to 100 keV, log-log, counts/(kg keV day):

* ``historical``: AI = the paper's Eq. 10 EPA (withdrawn by Voloshin, PRL 105, 201801 (2010);
  reproduced as published) and FE = free electrons, both at mu_nu = 1e-10 mu_B; SM nuebar-e
  (free electrons, as in the paper's Ref. [20]); SM nuebar-N coherent, converted to
  electron-equivalent energy with Lindhard quenching (k = 0.157,
  :class:`nuem.detectors.quenching.LindhardQuenching`).
* ``modern``: mu_nu = 1e-10 in the stepping approximation (Kouzakov, Studenikin & Voloshin,
  PRD 83, 113001 (2011)), delta_Q^2 atomic ionization in the PAI model at delta_Q = 1e-12 and
  1e-13 (pure delta_Q^2 term; |rate| shown), SM nuebar-e (stepping), SM nuebar-N as above.

Examples
--------
>>> import sys
>>> "matplotlib" in sys.modules or True      # importing this module does not load matplotlib
True
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["fig2_curves", "plot_fig2", "VERSIONS", "REFERENCE"]

#: Key of the reproduced paper in :data:`nuem.references.REFERENCES`.
REFERENCE = "wong2010"
VERSIONS = ("historical", "modern")
_FLUX = 1e13


def _cevns_ee(flux, t_ee, couplings="tree"):
    from ..detectors.quenching import LindhardQuenching
    from ..rates import differential_rates

    q = LindhardQuenching(k=0.157, z=32)
    e_nr = q.nr_from_ee(t_ee)
    r_nr = differential_rates("Ge", flux, e_nr, components=["cevns"],
                              couplings=couplings).components["cevns"]
    return r_nr / q.dee_dnr(e_nr)


def fig2_curves(version: str = "historical", n_points: int = 400) -> dict:
    """Curves of Fig. 2: ``{"t_kev": T, label: rate in counts/(kg keV day)}``.

    Examples
    --------
    >>> c = fig2_curves("modern", n_points=5)
    >>> float(c["t_kev"][0]), len(c) - 1   # T from 0.1 keV; five curves
    (0.1, 5)
    """
    from ..exceptions import HistoricalModelWarning
    from ..rates import differential_rates
    from ..sources.reactor import reactor_flux

    flux = reactor_flux(_FLUX)
    t = np.geomspace(0.1, 100.0, n_points)
    out: dict[str, np.ndarray] = {"t_kev": t}
    if version == "historical":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", HistoricalModelWarning)
            ai = differential_rates("Ge", flux, t, mu_nu=1e-10, atomic="epa",
                                    components=["magnetic_moment"])
        fe = differential_rates("Ge", flux, t, mu_nu=1e-10, atomic="free",
                                couplings="tree")   # the paper's tree-level SM
        out[r"AI (EPA, Eq. 10 of the paper): $\mu_\nu=10^{-10}\mu_B$"] = \
            ai.components["magnetic_moment"]
        out[r"FE: $\mu_\nu=10^{-10}\mu_B$"] = fe.components["magnetic_moment"]
        out[r"SM $\bar\nu_e$-e"] = fe.components["sm_electron"]
    elif version == "modern":
        st = differential_rates("Ge", flux, t, mu_nu=1e-10, atomic="stepping")
        out[r"$\mu_\nu=10^{-10}\mu_B$ (stepping)"] = st.components["magnetic_moment"]
        for dq, exp in ((1e-12, "-12"), (1e-13, "-13")):
            # the pure delta_Q^2 term is the even part in delta_Q (the interference is odd)
            rate = 0.5 * sum(differential_rates("Ge", flux, t, delta_q=s * dq, atomic="pai",
                                                components=["millicharge"]
                                                ).components["millicharge"] for s in (1, -1))
            out[rf"$\delta_Q=10^{{{exp}}}$ (PAI, $\delta_Q^2$ term)"] = rate
        out[r"SM $\bar\nu_e$-e (stepping)"] = st.components["sm_electron"]
    else:
        from ..exceptions import UnknownNameError

        raise UnknownNameError(f"version={version!r} is not known; allowed: "
                               f"{', '.join(VERSIONS)}")
    out[r"SM $\bar\nu_e$-N (Lindhard $k=0.157$, keVee)"] = _cevns_ee(flux, t)
    return out


def plot_fig2(out_dir, version: str = "historical", formats=("png", "pdf")) -> list[str]:
    """Write ``wong_li_lin_2010_fig2_<version>.png/.pdf`` into ``out_dir``; returns the file
    names."""
    from pathlib import Path

    from ..plotting import new_figure, save

    curves = fig2_curves(version)
    t = curves.pop("t_kev")
    fig = new_figure(6.5, 5.0)
    ax = fig.add_subplot(1, 1, 1)
    styles = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1))]
    colours = ["tab:red", "tab:blue", "tab:purple", "tab:gray", "tab:green", "tab:orange"]
    for i, (label, y) in enumerate(curves.items()):
        y = np.where(y > 0, y, np.nan)
        ax.plot(t, y, ls=styles[i % len(styles)], color=colours[i % len(colours)], lw=1.6,
                label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(0.1, 100.0)
    ax.set_ylim(1e-4, 1e6)
    ax.set_xlabel("T (keV)")
    ax.set_ylabel(r"dR/dT (kg$^{-1}$ keV$^{-1}$ day$^{-1}$)")
    title = {"historical": "Wong, Li & Lin (2010) Fig. 2 (historical EPA, withdrawn 2010)",
             "modern": "Wong, Li & Lin (2010) Fig. 2 with current models"}[version]
    ax.set_title("Ge, reactor " + r"$\bar\nu_e$, $\phi=10^{13}$ cm$^{-2}$s$^{-1}$: " + title,
                 fontsize=9)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=7.5, loc="upper right")
    return save(fig, Path(out_dir) / f"wong_li_lin_2010_fig2_{version}", formats)
