"""Shared pieces of :mod:`nuem.inference`: the interval result and input checks (internal)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validation import as_float_array, finite_scalar
from ..exceptions import InvalidParameterError

__all__ = ["Interval", "check_cl", "check_sigma", "check_counts", "check_nonempty",
           "check_nonneg", "check_shape", "resolve_experiment"]


@dataclass(frozen=True)
class Interval:
    """A confidence (or credible) interval ``[lower, upper]`` with its provenance.

    ``lower`` and ``upper`` are floats for scalar input and arrays for array input (same shape as
    the measurement). ``method`` is the name of the construction (``"feldman-cousins"``,
    ``"bayes"``, ``"cls"``), ``cl`` the confidence level and ``details`` a dict of
    method-specific information (model, background, grid step ...).
    """

    lower: float | np.ndarray
    upper: float | np.ndarray
    cl: float
    method: str
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Plain dict (arrays as lists) for JSON output."""
        def plain(v):
            if isinstance(v, np.ndarray):
                return v.tolist()
            if isinstance(v, np.generic):
                return v.item()
            return v
        return {"lower": plain(self.lower), "upper": plain(self.upper), "cl": self.cl,
                "method": self.method, **{k: plain(v) for k, v in self.details.items()}}


def _scalar_or_array(arr: np.ndarray):
    return float(arr) if np.ndim(arr) == 0 else arr


def check_cl(cl) -> float:
    """A confidence level strictly inside (0, 1)."""
    x = finite_scalar(cl, "cl")
    if not 0.0 < x < 1.0:
        raise InvalidParameterError(f"cl={x!r} is outside the allowed range (0, 1); "
                                    "give e.g. 0.9 for 90 % CL")
    return x


def check_sigma(sigma, name: str = "sigma") -> np.ndarray:
    """Standard deviation(s) > 0."""
    arr = as_float_array(sigma, name)
    if np.any(arr <= 0):
        bad = float(arr[arr <= 0].flat[0])
        raise InvalidParameterError(f"{name}={bad!r} is not allowed; {name} must be > 0")
    return arr


def check_nonempty(arr: np.ndarray, name: str) -> np.ndarray:
    """Refuse empty arrays, naming the parameter."""
    if arr.size == 0:
        raise InvalidParameterError(f"{name} is empty; at least one value is required")
    return arr


def check_counts(counts, name: str = "counts", *, integer: bool = False) -> np.ndarray:
    """Observed counts: finite, >= 0, non-empty (integers if ``integer``)."""
    arr = check_nonempty(as_float_array(counts, name), name)
    if np.any(arr < 0):
        bad = float(arr[arr < 0].flat[0])
        raise InvalidParameterError(f"{name} contains a negative count ({bad!r}); observed "
                                    "counts must be >= 0")
    if integer and np.any(arr != np.round(arr)):
        bad = float(arr[arr != np.round(arr)].flat[0])
        raise InvalidParameterError(f"{name} contains a non-integer count ({bad!r}); "
                                    "this method needs integer counts")
    return arr


def check_nonneg(x, name: str) -> float:
    """A finite number >= 0 (a relative uncertainty, a systematic ...)."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise InvalidParameterError(f"{name}={x!r} is not a number; give a finite value "
                                    ">= 0") from None
    if not (np.isfinite(v) and v >= 0):
        raise InvalidParameterError(f"{name}={x!r} must be finite and >= 0")
    return v


def check_shape(x, name: str, shape=None, *, broadcast: bool = False) -> np.ndarray:
    """Float array of ``shape`` (``broadcast``: broadcast to it), naming ``name`` if it is not.

    Examples
    --------
    >>> check_shape([1.0], "sigma", (3,), broadcast=True).tolist()
    [1.0, 1.0, 1.0]
    """
    a = as_float_array(x, name)
    if shape is None:
        return a
    shape = tuple(shape)
    if broadcast:
        try:
            return np.broadcast_to(a, shape)
        except ValueError:
            pass
    elif a.shape == shape:
        return a
    want = f"1-d with {shape[0]} bins" if len(shape) == 1 else f"of shape {shape}"
    how = " (or broadcast to it)" if broadcast else ""
    raise InvalidParameterError(f"{name} must be {want}{how}, got shape {a.shape}")


def resolve_experiment(experiment):
    """A :class:`nuem.experiments.Experiment` from itself or a preset id."""
    from ..experiments import Experiment, get_experiment

    if isinstance(experiment, str):
        experiment = get_experiment(experiment)
    if not isinstance(experiment, Experiment):
        raise InvalidParameterError("experiment must be a preset id or a nuem Experiment, got "
                                    f"{type(experiment).__name__}")
    return experiment
