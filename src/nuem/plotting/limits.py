r"""Figures of limits: the expected upper limit with its ±1σ/±2σ bands versus exposure (or any
other x), the limit from the data and the experiment's published limit ("Brazil" plot), each
quantity in its style of :mod:`nuem.plotting.style`.

Examples
--------
>>> import numpy as np
>>> x = np.array([100.0, 1000.0])
>>> ax = plot_expected_limits(x, [2e-10, 1e-10], ([1.4e-10, 0.7e-10], [2.9e-10, 1.5e-10]),
...                           ([1e-10, 0.5e-10], [3.9e-10, 2e-10]), param="mu-nu", cl=0.9,
...                           published=(600.0, 7.4e-11, "TEXONO 2007"))
>>> ax.get_xscale(), len(ax.get_legend().get_texts())
('log', 4)
"""

from __future__ import annotations

import numpy as np

from ._figure import legend_above, new_axes
from .style import LABELS, limit_label, line_kwargs, style_of

__all__ = ["plot_expected_limits"]


def plot_expected_limits(x, median, band_1sigma, band_2sigma, *, param: str = "mu-nu",
                         cl: float = 0.9, observed=None, published=None, xlabel: str | None = None,
                         logx: bool = True, logy: bool = True, ax=None,
                         title: str | None = None):
    """Expected upper limit (median, dashed) with ±1σ (green) and ±2σ (yellow) bands versus
    ``x``, in physical units of ``param`` (:data:`nuem.plotting.style.PARAM_SYMBOLS`).

    Parameters
    ----------
    x : array_like
        Abscissa (default label: ON exposure in kg day).
    median : array_like
    band_1sigma, band_2sigma : (array_like, array_like)
        Lower and upper edges of the bands.
    observed : (x, limit) or (x, limit, label), optional
        The limit from the data, drawn as a point (its x is the data's exposure).
    published : (x, limit, label), optional
        The experiment's published limit (a star; ``label`` names it in the legend).
    """
    ax = new_axes(ax, 7.0, 4.6)
    x = np.asarray(x, float)
    med = np.asarray(median, float)
    b1, b2 = (tuple(np.asarray(v, float) for v in b) for b in (band_1sigma, band_2sigma))
    s2, s1 = style_of("band_2sigma"), style_of("band_1sigma")
    ax.fill_between(x, b2[0], b2[1], color=s2["color"], label=s2["label"], lw=0)
    ax.fill_between(x, b1[0], b1[1], color=s1["color"], label=s1["label"], lw=0)
    ax.plot(x, med, **line_kwargs("expected_median"))
    if observed is not None:
        ox, oy, *lab = observed
        ax.plot([ox], [oy], **line_kwargs("observed_limit", ls="none",
                                          label=lab[0] if lab else None))
    if published is not None:
        px, py, lab = published
        ax.plot([px], [py], **line_kwargs("published_limit", label=lab))
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel or LABELS["exposure"])
    ax.set_ylabel(limit_label(param, cl))
    legend_above(ax, 2, title)
    return ax
