"""Input validation helpers shared by the public API (internal)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .exceptions import InvalidParameterError, OutOfRangeError, UnknownNameError


def _describe(value) -> str:
    arr = np.asarray(value)
    if arr.ndim == 0:
        return repr(arr.item())
    return f"array(shape={arr.shape})"


def as_float_array(value, name: str) -> np.ndarray:
    """Convert to a float ndarray; raise naming ``name`` if not numeric or not finite."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(
            f"{name}={value!r} is not a number or array of numbers") from exc
    if not np.all(np.isfinite(arr)):
        raise InvalidParameterError(f"{name}={_describe(value)} contains NaN or infinity; "
                                    "finite values are required")
    return arr


def positive(value, name: str, unit: str = "", *, allow_zero: bool = False) -> np.ndarray:
    """Return ``value`` as a float array after checking it is > 0 (or >= 0)."""
    arr = as_float_array(value, name)
    bad = arr < 0 if allow_zero else arr <= 0
    if np.any(bad):
        first = float(arr[bad].flat[0])
        rel = ">= 0" if allow_zero else "> 0"
        u = f" {unit}" if unit else ""
        raise InvalidParameterError(f"{name}={first!r}{u} is not allowed; {name} must be {rel}{u}")
    return arr


def positive_scalar(value, name: str, unit: str = "", *, allow_zero: bool = False) -> float:
    """Scalar version of :func:`positive`."""
    arr = positive(value, name, unit, allow_zero=allow_zero)
    if arr.ndim != 0:
        raise InvalidParameterError(f"{name} must be a single number, got an array of shape "
                                    f"{arr.shape}")
    return float(arr)


def positive_int(value, name: str, what: str = "") -> int:
    """An integer >= 1 (bool and float are refused); ``what`` says what it counts."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        note = f" ({what})" if what else ""
        raise InvalidParameterError(f"{name}={value!r} must be an integer >= 1{note}")
    return int(value)


def finite_scalar(value, name: str) -> float:
    """A finite real number (any sign)."""
    arr = as_float_array(value, name)
    if arr.ndim != 0:
        raise InvalidParameterError(f"{name} must be a single number, got shape {arr.shape}")
    return float(arr)


def in_range(value, name: str, lo: float, hi: float, unit: str = "") -> float:
    """A finite scalar in the closed interval [lo, hi]."""
    x = finite_scalar(value, name)
    if not lo <= x <= hi:
        u = f" {unit}" if unit else ""
        raise InvalidParameterError(f"{name}={x!r}{u} is outside the allowed range "
                                    f"[{lo}, {hi}]{u}")
    return x


def did_you_mean(value, candidates: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` naming the closest candidate (difflib, case-insensitive), or "".

    Examples
    --------
    >>> did_you_mean("texono-hpg", ["texono-hpge", "gemma"])
    " (did you mean 'texono-hpge'?)"
    >>> did_you_mean("zzz", ["flux", "rate"])
    ''
    """
    import difflib

    lower = {str(c).lower(): str(c) for c in candidates}
    hit = difflib.get_close_matches(str(value).lower(), list(lower), n=1, cutoff=0.6)
    return f" (did you mean {lower[hit[0]]!r}?)" if hit else ""


def choice(value: str, name: str, allowed: Iterable[str]) -> str:
    """A name from an allowed set (exact match); the error suggests the closest name."""
    allowed = list(allowed)
    if value not in allowed:
        raise UnknownNameError(f"{name}={value!r} is not known{did_you_mean(value, allowed)}; "
                               f"allowed: {', '.join(allowed)}")
    return value


def interp_in_range(x, xs: np.ndarray, ys: np.ndarray, name: str, unit: str, what: str,
                    rtol: float = 1e-12) -> np.ndarray:
    """Linear interpolation of a table (xs, ys) at ``x``; OutOfRangeError (naming ``name``, the
    value and the table range) for any x outside [xs[0], xs[-1]] beyond the relative tolerance
    ``rtol`` -- a table is never extrapolated."""
    e = as_float_array(x, name)
    lo, hi = xs[0], xs[-1]
    bad = (e < lo * (1 - rtol)) | (e > hi * (1 + rtol))
    if np.any(bad):
        raise OutOfRangeError(f"{name}={float(e[bad].flat[0])!r} {unit} is outside the tabulated "
                              f"{what} range [{lo!r}, {hi!r}] {unit}")
    return np.interp(e, xs, ys)


def check_seed(seed, name: str = "seed"):
    """``seed`` if it is None, a numpy Generator or a whole number >= 0 (what
    ``numpy.random.default_rng`` and ``SeedSequence`` accept), else an InvalidParameterError
    naming it (numpy's own message for a negative seed is a ValueError)."""
    if seed is None or isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InvalidParameterError(f"{name}={seed!r}: allowed: a whole number >= 0 (or None)")
    return int(seed)

