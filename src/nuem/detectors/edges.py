"""Validation of energy bin edges shared by the detector modules."""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array
from ..exceptions import InvalidParameterError

__all__ = ["check_edges"]


def check_edges(edges_kev, name: str = "edges_kev", *, allow_zero: bool = True) -> np.ndarray:
    """Validate strictly increasing 1-d bin edges in keV (>= 0, or > 0 with allow_zero=False).

    Examples
    --------
    >>> check_edges([1.0, 2.0]).tolist()
    [1.0, 2.0]
    """
    e = as_float_array(edges_kev, name)
    if e.ndim != 1 or e.size < 2:
        raise InvalidParameterError(f"{name} must be a 1-d array of at least two bin edges (keV)")
    if e[0] < 0 or (not allow_zero and e[0] == 0):
        raise InvalidParameterError(f"{name}[0]={float(e[0])!r} keV: edges must be "
                                    f"{'>= 0' if allow_zero else '> 0'} keV")
    if np.any(np.diff(e) <= 0):
        raise InvalidParameterError(f"{name} must be strictly increasing")
    return e
