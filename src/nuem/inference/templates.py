r"""Templates on data bins: the signal/SM expectation, and nuisance shapes for fits.

:func:`template_on_edges` gives the signal per unit strength and the SM (ν–e + ν–N) counts of an
experiment on arbitrary data bins (computed on the experiment's window with bins no coarser
than the data, interpolated to the data edges through the cumulative sum: counts conserved,
linear inside a template bin). The nuisance shapes below are first-order (linearised)
descriptions used by :func:`nuem.inference.chi2_fit`.

Energy scale
    A relative miscalibration δ maps true energy E to observed (1+δ)E, so the counts in an
    observed bin [lo, hi] are the true counts in [lo/(1+δ), hi/(1+δ)]. With f(E) the spectral
    density (counts/keV),

    .. math:: \frac{\partial N_{[lo,hi]}}{\partial\delta}\Big|_{\delta=0}
              = lo\,f(lo) - hi\,f(hi)

    (Leibniz rule). f is taken from a finely binned template (piecewise-constant density,
    linearly interpolated between bin centres; at the outer edges of the template the density of
    the adjacent bin is used -- the template must therefore cover the data bins, which
    :func:`template_on_edges` guarantees). Valid for |δ| small enough that
    the shift δ·E is below the template's bin width or the spectrum is smooth on that scale
    (typical calibrations: δ ≲ 1 %).

Background tilt
    A linear distortion of a subtracted background b_i across the fit window,
    t_i = b_i x_i with x_i = (E_i − E_mid)/(E_half) ∈ [−1, 1] (bin centres), so that a
    coefficient c = 0.05 means the background shape is uncertain by ±5 % at the window ends
    relative to its centre (a common "shape" systematic of ON−OFF subtraction).
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array
from ..exceptions import InvalidParameterError
from .sensitivity import signal_template

__all__ = ["template_on_edges", "fine_template", "fine_experiment", "rebin_cumulative",
           "quadratic_on_edges", "energy_scale_derivative", "tilt_template"]

_MAX_TEMPLATE_BINS = 2000


def template_on_edges(experiment, e_lo_kev, e_hi_kev, param: str = "mu-nu", atomic=None,
                      **physics):
    """Signal per unit θ and zero-signal SM (ν–e + ν–N) counts on arbitrary data bins.

    Returns ``(u, sm, spectrum)``; bins must lie inside the experiment's window. Counts are for the
    experiment's ON exposure.

    Examples
    --------
    >>> import numpy as np
    >>> from nuem.experiments import get_experiment
    >>> e = get_experiment("texono-hpge")
    >>> u, sm, _ = template_on_edges(e, np.array([12.0, 20.0]), np.array([20.0, 60.0]))
    >>> bool(u[0] > 0 and u[1] > 0)
    True
    """
    lo, hi = np.asarray(e_lo_kev, float), np.asarray(e_hi_kev, float)
    edges, u, sm, s = fine_template(experiment, lo, hi, param, atomic, **physics)
    return rebin_cumulative(edges, u, lo, hi), rebin_cumulative(edges, sm, lo, hi), s


def rebin_cumulative(edges, values, lo, hi):
    """Counts ``values`` on ``edges`` moved to the bins [lo, hi] through the cumulative sum
    (counts conserved, linear inside a template bin)."""
    cum = np.concatenate([[0.0], np.cumsum(values)])
    return np.interp(hi, edges, cum) - np.interp(lo, edges, cum)


def fine_experiment(experiment, lo, hi):
    """The experiment with analysis bins no coarser than the data bins ``lo``/``hi`` (keV)."""
    a = experiment.analysis
    width = max(float(np.min(hi - lo)), (a.e_max_kev - a.e_min_kev) / _MAX_TEMPLATE_BINS)
    if width < a.bin_width_kev:
        from ..experiments import hypothetical_experiment

        return hypothetical_experiment(experiment, bin_width_kev=width)
    return experiment


def fine_template(experiment, lo, hi, param, atomic=None, **physics):
    """(edges, u, sm, spectrum) on the experiment's window, bins no coarser than the data
    (``lo``/``hi``: data bin edges, keV); ``u`` per unit θ and ``sm`` (ν–e + ν–N) in counts
    for the ON exposure (:func:`template_on_edges` rebins them)."""
    u, s = signal_template(fine_experiment(experiment, lo, hi), param, atomic, **physics)
    sm = np.asarray(s.components["sm_electron"] + s.components["cevns"], float)
    return np.asarray(s.edges_kev, float), np.asarray(u, float), sm, s


def quadratic_on_edges(experiment, e_lo_kev, e_hi_kev, atomic=None, **physics):
    """Quadratic ⟨r²⟩ term b per data bin (counts per θ², ON exposure;
    :mod:`nuem.inference.r2_interval`)."""
    from .r2_interval import quadratic_templates

    lo, hi = np.asarray(e_lo_kev, float), np.asarray(e_hi_kev, float)
    _, b, s = quadratic_templates(fine_experiment(experiment, lo, hi), atomic, **physics)
    return rebin_cumulative(np.asarray(s.edges_kev, float), b, lo, hi)


def _edges_bins(lo, hi):
    lo, hi = as_float_array(lo, "e_lo_kev"), as_float_array(hi, "e_hi_kev")
    if lo.ndim != 1 or lo.shape != hi.shape or lo.size == 0:
        raise InvalidParameterError("e_lo_kev and e_hi_kev must be non-empty 1-d arrays of "
                                    "equal length")
    if np.any(hi <= lo):
        raise InvalidParameterError("every bin needs e_hi_kev > e_lo_kev")
    return lo, hi


def energy_scale_derivative(template_edges_kev, template_counts, e_lo_kev, e_hi_kev):
    r"""∂N/∂δ per data bin for a relative energy-scale shift δ (module docstring).

    Parameters
    ----------
    template_edges_kev : array_like
        Edges (keV, increasing, n+1) of a fine template covering all data bins.
    template_counts : array_like
        Counts per template bin (n).
    e_lo_kev, e_hi_kev : array_like
        Data bin edges (keV), inside the template range.

    Returns
    -------
    numpy.ndarray
        Derivative of the counts per data bin with respect to δ (counts per unit δ).

    Examples
    --------
    A flat density f = 2 counts/keV: ∂N/∂δ = 2 (lo − hi) = −2 × width (a stretched scale moves
    counts out of a bin at fixed density).

    >>> import numpy as np
    >>> d = energy_scale_derivative(np.linspace(0, 10, 11), np.full(10, 2.0), [2.0], [5.0])
    >>> float(d[0])
    -6.0
    """
    edges = as_float_array(template_edges_kev, "template_edges_kev")
    v = as_float_array(template_counts, "template_counts")
    if edges.ndim != 1 or v.shape != (edges.size - 1,) or np.any(np.diff(edges) <= 0):
        raise InvalidParameterError("template_edges_kev must increase and have one more entry "
                                    "than template_counts")
    lo, hi = _edges_bins(e_lo_kev, e_hi_kev)
    tol = 1e-9 * max(1.0, abs(edges[-1]))
    if lo.min() < edges[0] - tol or hi.max() > edges[-1] + tol:
        raise InvalidParameterError(
            f"data bins {lo.min():g}-{hi.max():g} keV extend beyond the template "
            f"{edges[0]:g}-{edges[-1]:g} keV")
    centres = 0.5 * (edges[1:] + edges[:-1])
    dens = v / np.diff(edges)

    def f(x):
        return np.interp(x, centres, dens)

    return lo * f(lo) - hi * f(hi)


def tilt_template(background, e_lo_kev, e_hi_kev):
    """Linear shape template b_i·x_i, x ∈ [−1, 1] across the window (module docstring).

    Examples
    --------
    >>> tilt_template([10.0, 10.0, 10.0], [0.0, 1.0, 2.0], [1.0, 2.0, 3.0]).tolist()
    [-6.666666666666667, 0.0, 6.666666666666667]
    """
    b = as_float_array(background, "background")
    lo, hi = _edges_bins(e_lo_kev, e_hi_kev)
    if b.shape != lo.shape:
        raise InvalidParameterError("background needs one value per bin")
    c = 0.5 * (lo + hi)
    mid, half = 0.5 * (lo[0] + hi[-1]), 0.5 * (hi[-1] - lo[0])
    return b * (c - mid) / half
