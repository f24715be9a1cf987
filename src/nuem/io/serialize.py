"""Plain-Python forms of nuem results for JSON output (numbers, lists, dicts; no NaN).

Examples
--------
>>> import numpy as np
>>> to_plain({"x": np.arange(2.0), "n": np.int64(3), ("a"): (1, 2)})
{'x': [0.0, 1.0], 'n': 3, 'a': [1, 2]}
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import numpy as np

__all__ = ["to_plain", "dumps"]


def to_plain(obj):
    """Recursively convert numpy arrays/scalars, mappings and sequences to plain Python."""
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, Mapping):
        return {str(k): to_plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_plain(v) for v in obj]
    return obj


def dumps(obj, indent: int | None = 1) -> str:
    """JSON text of ``obj``; NaN and infinities are refused (ValueError), never written."""
    return json.dumps(to_plain(obj), indent=indent, allow_nan=False)
