"""Grid columns of the detector-design scans (:class:`nuem.inference.AsimovScanModel`,
:class:`nuem.inference.ToyScanModel`): names, units, validation and the exposure.

A scan point is a hypothetical detector and source:

``threshold_kev``     analysis threshold, keV (> 0, below the window end ``e_max_kev``);
``background_cpkkd``  flat background, counts kg⁻¹ keV⁻¹ day⁻¹ (>= 0);
``exposure_kg_day``   ON exposure, kg day (> 0) -- or ``mass_kg`` × ``days_on`` (both > 0);
``flux_cm2_s``        total reactor ν̄e flux (source strength), cm⁻² s⁻¹ (> 0);
``target``            detector material (optional categorical axis; default: the model's).

Examples
--------
>>> import numpy as np
>>> c = resolve_columns({"threshold_kev": [1.0], "background_cpkkd": [1.0], "mass_kg": [2.0],
...                      "days_on": [50.0], "flux_cm2_s": [1e13]}, "Ge")
>>> c["exposure_kg_day"].tolist(), c["target"].tolist()
([100.0], ['Ge'])
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array
from ..exceptions import InvalidParameterError

__all__ = ["SCAN_COLUMNS", "resolve_columns", "check_grid"]

#: Column name -> (unit, allow zero) of the numeric scan inputs.
SCAN_COLUMNS = {"threshold_kev": ("keV", False), "background_cpkkd": ("counts/(kg keV day)", True),
                "exposure_kg_day": ("kg day", False), "mass_kg": ("kg", False),
                "days_on": ("day", False), "flux_cm2_s": ("cm^-2 s^-1", False)}
_REQUIRED = ("threshold_kev", "background_cpkkd", "flux_cm2_s")


def _numeric(columns, name):
    arr = np.atleast_1d(as_float_array(columns[name], name))
    unit, allow_zero = SCAN_COLUMNS[name]
    bad = arr < 0 if allow_zero else arr <= 0
    if np.any(bad):
        raise InvalidParameterError(f"{name}={float(arr[bad][0])!r} {unit} is not allowed; "
                                    f"{name} must be {'>= 0' if allow_zero else '> 0'}")
    return arr


def resolve_columns(columns, default_target: str) -> dict[str, np.ndarray]:
    """The five inputs of a scan point as equal-length arrays (exposure from mass × days when
    given that way; target from the column or ``default_target``)."""
    missing = [k for k in _REQUIRED if k not in columns]
    has_expo = "exposure_kg_day" in columns
    has_md = "mass_kg" in columns or "days_on" in columns
    if missing or not (has_expo or has_md):
        need = ", ".join([*_REQUIRED, "exposure_kg_day (or mass_kg and days_on)"])
        raise InvalidParameterError(f"missing column {(missing or ['exposure_kg_day'])[0]!r}; "
                                    f"the scan models need {need}")
    if has_expo and has_md:
        raise InvalidParameterError("give exposure_kg_day or mass_kg and days_on, not both")
    out = {k: _numeric(columns, k) for k in _REQUIRED}
    if has_expo:
        out["exposure_kg_day"] = _numeric(columns, "exposure_kg_day")
    else:
        for k in ("mass_kg", "days_on"):
            if k not in columns:
                raise InvalidParameterError(f"missing column {k!r}: an exposure from mass needs "
                                            "both mass_kg and days_on")
        out["exposure_kg_day"] = _numeric(columns, "mass_kg") * _numeric(columns, "days_on")
    n = out["threshold_kev"].size
    if any(v.size != n for v in out.values()):
        raise InvalidParameterError("all columns must have the same length")
    tgt = columns.get("target")
    out["target"] = np.full(n, default_target, dtype=object) if tgt is None \
        else np.atleast_1d(np.asarray(tgt, dtype=object))
    if out["target"].size != n:
        raise InvalidParameterError("all columns must have the same length")
    return out


def check_grid(axes, default_target: str, e_max_kev: float) -> None:
    """Validate grid axes (or columns) before a scan: the inputs above, every threshold below
    ``e_max_kev`` and every target a known material."""
    from ..targets import get_target

    probe = {k: np.asarray(v) for k, v in axes.items()}
    lengths = {k: np.atleast_1d(v).size for k, v in probe.items()}
    # one value per axis is enough to check names; every value is checked below
    for k, v in probe.items():
        if k in SCAN_COLUMNS:
            _numeric({k: v}, k)
    first = {k: np.atleast_1d(v)[:1] for k, v in probe.items() if lengths[k]}
    resolve_columns(first, default_target)
    if "threshold_kev" in probe:
        thr = np.atleast_1d(probe["threshold_kev"]).astype(float)
        bad = thr >= e_max_kev
        if np.any(bad):
            raise InvalidParameterError(f"threshold_kev={float(thr[bad][0])!r} keV must be below "
                                        f"e_max_kev={e_max_kev!r} keV")
    for t in np.unique(np.atleast_1d(probe.get("target", [default_target])).astype(str)):
        get_target(str(t))
