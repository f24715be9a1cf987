r"""One style per quantity, shared by every figure of nuem (colours, line styles, markers and
labels in physics notation), and the axis labels with their units.

Colours are the colour-blind-safe ten-colour sequence of M.A. Petroff, "Accessible color
sequences for data visualization", arXiv:2107.02270 (the default of mplhep); the expected-limit
bands use the conventional green (±1σ) and yellow (±2σ) of "Brazil" plots.

A quantity's style is a dict of matplotlib keyword arguments plus ``label`` (mathtext); the
drawing functions of :mod:`nuem.plotting` take it from :data:`QUANTITY_STYLES` through
:func:`style_of`, so a quantity looks the same in every figure and a legend never shows a Python
name.

Examples
--------
>>> style_of("sm_electron")["label"]
'SM $\\bar\\nu_e$–e'
>>> style_of("total_off")["ls"]
'--'
>>> style_of("not_a_quantity")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
nuem.exceptions.UnknownNameError: quantity='not_a_quantity' has no plot style; allowed: ...
"""

from __future__ import annotations

from ..exceptions import UnknownNameError

__all__ = ["PALETTE", "QUANTITY_STYLES", "LABELS", "PARAM_SYMBOLS", "style_of", "label_of",
           "line_kwargs", "limit_label", "style_axes"]

#: Petroff (2021) ten-colour sequence (arXiv:2107.02270).
PALETTE = ("#3f90da", "#ffa90e", "#bd1f01", "#94a4a2", "#832db6", "#a96b59", "#e76300",
           "#b9ac70", "#717581", "#92dadd")

_B, _O, _R, _G, _P, _BR, _DO = PALETTE[:7]

#: quantity -> style (matplotlib keywords + ``label``); one entry per physical quantity.
QUANTITY_STYLES = {
    # expected spectra (counts per bin, or rates)
    "sm_electron": {"color": _B, "ls": "-", "lw": 1.4, "label": r"SM $\bar\nu_e$–e"},
    "magnetic_moment": {"color": _R, "ls": "--", "lw": 1.6,
                        "label": r"$\mu_\nu$ signal ($\bar\nu_e$–e)"},
    "millicharge": {"color": _P, "ls": "--", "lw": 1.6,
                    "label": r"$\delta_Q$ signal ($\bar\nu_e$–e), $|$value$|$"},
    "cevns": {"color": _BR, "ls": "-", "lw": 1.4, "label": r"SM coherent $\bar\nu_e$–N"},
    "cevns_magnetic_moment": {"color": _DO, "ls": "-.", "lw": 1.4,
                              "label": r"$\mu_\nu$ signal (coherent $\bar\nu_e$–N)"},
    "background": {"color": _G, "ls": ":", "lw": 1.6,
                   "label": "background (independent of the ν source)"},
    "total_on": {"color": "black", "ls": "-", "lw": 2.0, "label": "expected ON"},
    "total_off": {"color": _O, "ls": "--", "lw": 2.0,
                  "label": "expected OFF (= background)"},
    # measured spectra
    "data_on": {"color": "black", "marker": "o", "ms": 4.0, "ls": "none",
                "label": "data ON"},
    "data_off": {"color": _O, "marker": "s", "ms": 4.0, "ls": "none", "mfc": "white",
                 "label": "data OFF"},
    "data": {"color": "black", "marker": "o", "ms": 3.0, "ls": "none", "label": "data"},
    # ON - OFF residual
    "residual_expected": {"color": "0.80", "label": r"expected ON − OFF, $\pm1\sigma$ (stat.)"},
    "residual_data": {"color": "black", "marker": "o", "ms": 4.0, "ls": "none",
                      "label": r"data ON − OFF ($\pm1\sigma$ Poisson)"},
    "residual_model": {"color": "black", "ls": "-", "lw": 1.2,
                       "label": "expected ON − OFF: SM + hypothesised signal"},
    "best_fit_signal": {"color": _R, "ls": "-", "lw": 2.0, "label": "best fit"},
    # limits
    "expected_median": {"color": "black", "ls": "--", "lw": 1.6,
                        "label": "expected limit (median)"},
    "band_1sigma": {"color": "#00cc00", "label": r"expected $\pm1\sigma$"},
    "band_2sigma": {"color": "#ffcc00", "label": r"expected $\pm2\sigma$"},
    "observed_limit": {"color": "black", "ls": "-", "lw": 2.0, "marker": "o", "ms": 6.0,
                       "label": "limit from the data"},
    "published_limit": {"color": _R, "ls": "none", "marker": "*", "ms": 13.0,
                        "label": "published limit"},
}

#: Axis labels with units (mathtext).
LABELS = {
    "e_obs": r"observed energy $E$ [keV$_\mathrm{ee}$]",
    "e_nu": r"$E_\nu$ [MeV]",
    "dphi": r"$\mathrm{d}\Phi/\mathrm{d}E_\nu$ [cm$^{-2}$ s$^{-1}$ MeV$^{-1}$]",
    "rate": r"$\mathrm{d}R/\mathrm{d}E$ [counts kg$^{-1}$ keV$^{-1}$ d$^{-1}$]",
    "residual": r"ON − OFF [counts kg$^{-1}$ keV$^{-1}$ d$^{-1}$]",
    "counts_per_kev": r"counts keV$^{-1}$",
    "exposure": r"ON exposure $M t_\mathrm{on}$ [kg d]",
    "threshold_kev": r"threshold $T$ [keV]",
    "background_cpkkd": r"background $B$ [counts kg$^{-1}$ keV$^{-1}$ d$^{-1}$]",
    "exposure_kg_day": r"ON exposure $M t$ [kg d]",
    "flux_cm2_s": r"flux $\Phi$ [cm$^{-2}$ s$^{-1}$]",
    "mu_nu_limit": r"expected upper limit on $\mu_\nu$ [$\mu_B$]",
    "delta_q_limit": r"expected upper limit on $|\delta_Q|$ [$e$]",
}

#: Physical symbol and unit of each limit parameter (``nuem.inference`` names).
PARAM_SYMBOLS = {"mu-nu": (r"\mu_\nu", r"\mu_B"), "delta-q": (r"|\delta_Q|", r"e"),
                 "r2": (r"\langle r^2\rangle", r"\mathrm{cm}^2")}


def style_of(quantity: str) -> dict:
    """A copy of the style of ``quantity`` (keys: matplotlib keywords and ``label``)."""
    try:
        return dict(QUANTITY_STYLES[quantity])
    except KeyError:
        raise UnknownNameError(f"quantity={quantity!r} has no plot style; allowed: "
                               f"{', '.join(QUANTITY_STYLES)}") from None


def label_of(quantity: str) -> str:
    """The legend label of ``quantity`` (physics notation)."""
    return style_of(quantity)["label"]


def line_kwargs(quantity: str, **override) -> dict:
    """Keyword arguments for ``ax.plot``/``ax.stairs``: the style of ``quantity`` with the
    keys in ``override`` replaced (``label=None`` drops the legend entry)."""
    kw = style_of(quantity)
    kw.update(override)
    if kw.get("label") is None:
        kw.pop("label", None)
    return kw


def limit_label(param: str, cl: float) -> str:
    """Axis label of an upper limit, e.g. ``$\\mu_\\nu$ upper limit (90 % CL) [$\\mu_B$]``."""
    sym, unit = PARAM_SYMBOLS[param]
    return f"${sym}$ upper limit ({100 * cl:g} % CL) [${unit}$]"


def style_axes(ax) -> None:
    """The publication look of nuem's own axes: ticks inside on all four sides, minor ticks,
    a light grid (set per axes, so no global matplotlib state is changed)."""
    ax.tick_params(which="both", direction="in", top=True, right=True)
    ax.tick_params(which="major", length=6)
    ax.tick_params(which="minor", length=3)
    ax.minorticks_on()
    ax.grid(True, which="major", alpha=0.25, lw=0.6)
