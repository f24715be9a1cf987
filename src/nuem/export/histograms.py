"""Binned results as ``hist.Hist`` objects (labelled axes with units) and pandas DataFrames.

* :func:`to_hist` -- an expected spectrum (:class:`nuem.experiments.ObservedSpectrum`: axes
  ``e_kev`` (Variable, the analysis bin edges in keVee) × ``component`` (StrCategory), Double
  storage, counts per bin for the full exposure) or a measured spectrum
  (:class:`nuem.io.spectra.MeasuredSpectrum`: axes ``e_kev`` × ``series``, Weight storage: the
  counts with Poisson variance, or the values and the squared errors of a residual; rates in
  counts/(kg keV day) when no exposure is known).
* :func:`to_dataframe` -- the same spectra as one row per bin (``e_lo_kev``, ``e_hi_kev``,
  ``e_kev``, ``width_kev`` and one column per component or series), a scan
  (:class:`nuem.inference.ScanResult`, one row per grid point), with units in ``df.attrs``.

hist and pandas are optional (``pip install 'nuem[interchange]'``), imported on first use.

Examples
--------
>>> from nuem.experiments import get_experiment, observed_spectrum
>>> s = observed_spectrum(get_experiment("texono-hpge"), mu_nu=1e-10)
>>> h = to_hist(s)
>>> h.axes[0].label, h.axes["component"].size > 5
('observed energy E [keVee]', True)
>>> df = to_dataframe(s)
>>> list(df.columns[:4]), df.attrs["units"]["e_kev"]
(['e_lo_kev', 'e_hi_kev', 'e_kev', 'width_kev'], 'keVee')
"""

from __future__ import annotations

import numpy as np

from ..exceptions import DataFileError, InvalidParameterError

__all__ = ["to_hist", "to_dataframe"]

_E_LABEL = "observed energy E [keVee]"


def _require(module: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise InvalidParameterError(f"this conversion needs the Python package {module!r}: "
                                    "pip install 'nuem[interchange]'") from None


def _kind(obj) -> str:
    from ..experiments import ObservedSpectrum
    from ..io.spectra import MeasuredSpectrum

    if isinstance(obj, ObservedSpectrum):
        return "expected"
    if isinstance(obj, MeasuredSpectrum):
        return "measured"
    if type(obj).__name__ == "ScanResult":
        return "scan"
    raise InvalidParameterError(f"cannot convert a {type(obj).__name__}; give an "
                                "ObservedSpectrum, a MeasuredSpectrum or a ScanResult")


def _measured_columns(spec):
    """{series: (values, variance, unit)}: counts where the exposure is known, else rates."""
    out = {}
    for name in spec.series:
        kind, _ = spec.values[name]
        try:
            v, unit = spec.counts(name), "counts"
        except DataFileError:
            v, unit = spec.rate_cpkkd(name), "counts/(kg keV day)"
        if name in spec.errors:
            var = spec.sigma(name, "counts" if unit == "counts" else "cpkkd") ** 2
        elif unit == "counts":
            var = np.asarray(v, float)          # Poisson
        else:
            var = None
        out[name] = (np.asarray(v, float), var, unit)
    return out


def to_hist(obj):
    """A ``hist.Hist`` of a spectrum (module docstring)."""
    hist = _require("hist")
    kind = _kind(obj)
    if kind == "scan":
        raise InvalidParameterError("a scan is not binned in energy; use to_dataframe")
    if kind == "expected":
        comps = list(obj.components)
        h = hist.Hist(hist.axis.Variable(obj.edges_kev, name="e_kev", label=_E_LABEL,
                                         metadata={"unit": "keVee"}),
                      hist.axis.StrCategory(comps, name="component", label="component"),
                      storage=hist.storage.Double(), name=obj.experiment_id,
                      label="counts per bin (full exposure)")
        h.view()[...] = np.column_stack([np.asarray(obj.components[c], float) for c in comps])
        return h
    cols = _measured_columns(obj)
    units = {u for _, _, u in cols.values()}
    if len(units) > 1:  # mixed: all as rates
        cols = {n: (obj.rate_cpkkd(n), None, "counts/(kg keV day)") for n in obj.series}
        units = {"counts/(kg keV day)"}
    edges = np.r_[obj.e_lo_kev, obj.e_hi_kev[-1]]
    if np.any(obj.e_lo_kev[1:] != obj.e_hi_kev[:-1]):
        raise InvalidParameterError(f"{obj.source}: the bins have gaps; hist needs contiguous "
                                    "bins (use to_dataframe)")
    h = hist.Hist(hist.axis.Variable(edges, name="e_kev", label=_E_LABEL,
                                     metadata={"unit": "keVee"}),
                  hist.axis.StrCategory(list(cols), name="series", label="series"),
                  storage=hist.storage.Weight(), name=str(obj.source), label=units.pop())
    view = h.view()
    for j, (v, var, _) in enumerate(cols.values()):
        view.value[:, j] = v
        view.variance[:, j] = 0.0 if var is None else var
    return h


def to_dataframe(obj):
    """A pandas DataFrame of a spectrum or a scan (module docstring)."""
    pd = _require("pandas")
    kind = _kind(obj)
    if kind == "scan":
        df = pd.DataFrame(obj.table)
        df.attrs["meta"] = dict(obj.meta)
        return df
    if kind == "expected":
        lo, hi = obj.edges_kev[:-1], obj.edges_kev[1:]
        data = {k: np.asarray(v, float) for k, v in obj.components.items()}
        units = dict.fromkeys(data, "counts per bin (full exposure)")
        attrs = {"experiment": obj.experiment_id, "exposure_on_kg_day": obj.exposure_on_kg_day,
                 "exposure_off_kg_day": obj.exposure_off_kg_day}
    else:
        lo, hi = obj.e_lo_kev, obj.e_hi_kev
        data, units = {}, {}
        for name, (v, var, unit) in _measured_columns(obj).items():
            col = f"{name}_{'counts' if unit == 'counts' else 'cpkkd'}"
            data[col], units[col] = v, unit
            if var is not None and name in obj.errors:
                data[f"{name}_sigma"], units[f"{name}_sigma"] = np.sqrt(var), unit
        attrs = {"source": str(obj.source), "exposure_kg_day": dict(obj.exposure_kg_day)}
    df = pd.DataFrame({"e_lo_kev": lo, "e_hi_kev": hi, "e_kev": 0.5 * (lo + hi),
                       "width_kev": hi - lo, **data})
    df.attrs.update(attrs)
    df.attrs["units"] = {"e_lo_kev": "keVee", "e_hi_kev": "keVee", "e_kev": "keVee",
                         "width_kev": "keVee", **units}
    return df
