"""Locate X-ray lines in a measured spectrum and compare them with the model's line energies.

Method (binned data whose bins may be wider than the detector resolution, as in the EDELWEISS
RED30 spectrum with ~8 % log-spaced bins):

1. density d_i = counts_i / width_i, or the cpkkd rate if the file gives rates;
2. local continuum: a power law, ln d = a + b ln E, fitted by least squares to the side-band bins
   i-k..i-2 and i+2..i+k around a candidate bin i (empty bins are skipped);
3. candidate: a local maximum whose density exceeds the continuum by ``min_ratio``;
4. position: centroid of the excess (d_j - continuum_j) x width_j over bins i-1..i+1 (negative
   excesses count as zero). Its uncertainty is quoted as width_i/sqrt(12), the quantisation of a
   line that falls inside one bin (a Gaussian fit is degenerate there: any centre inside the bin
   fits equally well), so agreement with a model energy better than this is not resolved by the
   data;
5. intensity: the summed excess, in counts (if counts are known) or counts/(kg day) (rates).

Reference energies (docs/germanium_detectors.md; Ga K and L1 binding energies from 68Ge/71Ge
electron capture): :data:`REFERENCE_LINES_KEV`. :func:`model_lines_kev` prefers the energies of the
detector-background model (:mod:`nuem.detectors.backgrounds`, xraylib edges: L1 1.2977 keV).
"""

from __future__ import annotations

import importlib

import numpy as np

from ..exceptions import InvalidParameterError
from .spectra import MeasuredSpectrum

__all__ = ["REFERENCE_LINES_KEV", "model_lines_kev", "find_peaks", "match_lines"]

#: Cosmogenic X-ray lines in Ge, keV (docs/germanium_detectors.md); fallback of
#: :func:`model_lines_kev`.
REFERENCE_LINES_KEV = {"Ga K (Ge68, Ge71)": 10.367, "Ga L1 (Ge68, Ge71)": 1.299,
                       "Ga M1 (Ge68, Ge71)": 0.160, "Cu K (Zn65)": 8.979,
                       "Mn K (Fe55)": 6.539, "Ge K (As73)": 11.103}


def model_lines_kev() -> dict[str, float]:
    """Line energies (keV) of the background model, :func:`nuem.detectors.backgrounds.ec_lines`
    (daughter K/L1/M1 edges from xraylib), named like ``"Ga K (Ge68, Ge71)"``; falls back to
    :data:`REFERENCE_LINES_KEV` when that module is not available.

    Examples
    --------
    >>> lines = model_lines_kev()
    >>> round(lines["Ga K (Ge68, Ge71)"], 2), round(lines["Ga L1 (Ge68, Ge71)"], 2)
    (10.37, 1.3)
    """
    try:
        bg = importlib.import_module("nuem.detectors.backgrounds")
        from periodictable import elements
    except ImportError:  # pragma: no cover - depends on the optional module being present
        return dict(REFERENCE_LINES_KEV)
    merged: dict[tuple[str, float], list[str]] = {}
    for name, iso in bg.EC_ISOTOPES.items():
        for line in bg.ec_lines(name, k_rate_per_kg_day=1.0):
            shell = line.label.split()[-1]
            key = (f"{elements[iso.daughter_z].symbol} {shell}", round(line.energy_kev, 6))
            merged.setdefault(key, []).append(name)
    return {f"{label} ({', '.join(isos)})": energy for (label, energy), isos in merged.items()}


def _density(spec: MeasuredSpectrum, series: str):
    kind, v = spec.values[series] if series in spec.values else (None, None)
    if kind is None:
        raise InvalidParameterError(f"series={series!r} is not in the spectrum "
                                    f"({', '.join(spec.series)})")
    if kind == "cpkkd":
        return v, "counts/(kg day)"
    return v / spec.width_kev, "counts"


def _continuum(e, d, i, k):
    left = np.arange(max(i - k, 0), max(i - 1, 0))
    right = np.arange(min(i + 2, e.size), min(i + k + 1, e.size))
    left, right = left[d[left] > 0], right[d[right] > 0]
    if left.size < 2 or right.size < 2:  # no extrapolation: side bands on both sides
        return None
    idx = np.r_[left, right]
    b, a = np.polyfit(np.log(e[idx]), np.log(d[idx]), 1)
    return lambda x: np.exp(a + b * np.log(x))


def _describe(spec, d, unit, i, k) -> dict | None:
    e, w = spec.e_kev, spec.width_kev
    cont = _continuum(e, d, i, k)
    if cont is None:
        return None
    j = np.arange(max(i - 1, 0), min(i + 2, e.size))
    excess = np.clip((d[j] - cont(e[j])) * w[j], 0.0, None)
    if excess.sum() <= 0:
        return None
    centroid = float((excess * e[j]).sum() / excess.sum())
    return {"e_kev": centroid, "e_uncertainty_kev": float(w[i] / np.sqrt(12.0)),
            "peak_bin_kev": [float(spec.e_lo_kev[i]), float(spec.e_hi_kev[i])],
            "peak_bin_centre_kev": float(e[i]),
            "ratio_to_continuum": float(d[i] / cont(e[i])),
            "intensity": float(excess.sum()), "intensity_unit": unit}


def find_peaks(spec: MeasuredSpectrum, *, series: str = "spectrum", min_ratio: float = 3.0,
               sideband_bins: int = 5) -> list[dict]:
    """All local maxima standing ``min_ratio`` times above a local power-law continuum.

    Returns a list of dicts (``e_kev``, ``e_uncertainty_kev``, ``peak_bin_kev``,
    ``ratio_to_continuum``, ``intensity``, ``intensity_unit``), by energy.

    Examples
    --------
    >>> e = np.arange(1.0, 20.0)
    >>> d = 10.0 / e
    >>> d[9] *= 8                     # a line in the bin at 10 keV
    >>> spec = MeasuredSpectrum(e - 0.5, e + 0.5, {"spectrum": ("cpkkd", d)}, {}, "toy")
    >>> [round(p["e_kev"], 2) for p in find_peaks(spec)]
    [10.0]
    """
    if min_ratio <= 1.0:
        raise InvalidParameterError(f"min_ratio={min_ratio!r} must be > 1")
    d, unit = _density(spec, series)
    peaks = []
    local_max = np.flatnonzero((d[1:-1] > d[:-2]) & (d[1:-1] >= d[2:])) + 1
    for i in local_max:         # a Python loop over the few local maxima only
        p = _describe(spec, d, unit, int(i), sideband_bins)
        if p is not None and p["ratio_to_continuum"] >= min_ratio:
            peaks.append(p)
    return peaks


def match_lines(spec: MeasuredSpectrum, lines_kev=None, *, series: str = "spectrum",
                search_fraction: float = 0.05, min_ratio: float = 2.0,
                sideband_bins: int = 5) -> list[dict]:
    """For every model line, the most prominent local maximum among the bins that contain the
    line or whose centre lies within +-``search_fraction`` (relative) of it, standing at least
    ``min_ratio`` times above the local continuum; its centroid and the offset from the model.

    Lines outside the spectrum's range are skipped. Each dict has ``name``, ``model_kev``,
    ``found``; if found also ``offset_fraction`` = (found - model)/model,
    ``model_in_peak_bin`` and the keys of :func:`find_peaks`.

    Examples
    --------
    >>> e = np.arange(1.0, 20.0)
    >>> d = 10.0 / e
    >>> d[9] *= 8
    >>> spec = MeasuredSpectrum(e - 0.5, e + 0.5, {"spectrum": ("cpkkd", d)}, {}, "toy")
    >>> m = match_lines(spec, {"X": 10.2})
    >>> m[0]["found"], round(m[0]["offset_fraction"], 3), m[0]["model_in_peak_bin"]
    (True, -0.02, True)
    """
    lines = model_lines_kev() if lines_kev is None else dict(lines_kev)
    d, unit = _density(spec, series)
    e = spec.e_kev
    out = []
    for name, model in lines.items():
        model = float(model)
        if not spec.e_lo_kev[0] < model < spec.e_hi_kev[-1]:
            continue
        near = np.flatnonzero((np.abs(np.log(e / model)) <= search_fraction)
                              | ((spec.e_lo_kev <= model) & (model < spec.e_hi_kev)))
        best = None
        for i in near[(near > 0) & (near < d.size - 1)]:
            if not (d[i] > d[i - 1] and d[i] >= d[i + 1]):
                continue
            p = _describe(spec, d, unit, int(i), sideband_bins)
            if p is not None and p["ratio_to_continuum"] >= min_ratio and (
                    best is None or p["ratio_to_continuum"] > best["ratio_to_continuum"]):
                best = p
        entry = {"name": name, "model_kev": model, "found": best is not None}
        if best is not None:
            lo, hi = best["peak_bin_kev"]
            entry.update(best, offset_fraction=(best["e_kev"] - model) / model,
                         model_in_peak_bin=bool(lo <= model <= hi))
        out.append(entry)
    return out
