"""Exception hierarchy of nuem.

Every error raised on purpose by nuem derives from :class:`NuemError`. Classes describing bad
input also derive from the matching built-in (``ValueError``), so callers that already catch
``ValueError`` keep working.

Examples
--------
>>> from nuem.exceptions import InvalidParameterError
>>> issubclass(InvalidParameterError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "NuemError",
    "InvalidParameterError",
    "UnknownNameError",
    "DataFileError",
    "OutOfRangeError",
    "NuemWarning",
    "HistoricalModelWarning",
]


class NuemError(Exception):
    """Base class of all nuem errors."""


class InvalidParameterError(NuemError, ValueError):
    """A parameter has a value outside what is allowed; the message names the parameter,
    the offending value and the allowed range or set."""


class OutOfRangeError(InvalidParameterError):
    """A parameter lies outside the documented validity range of a model or data table."""


class UnknownNameError(InvalidParameterError):
    """A name (element, isotope, flavour, channel, model ...) is not known."""


class DataFileError(NuemError, ValueError):
    """A data file is missing or malformed; the message names the file and the line."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


class NuemWarning(UserWarning):
    """Base class of the warnings nuem emits on purpose."""


class HistoricalModelWarning(NuemWarning):
    """A model kept only to reproduce a published, since withdrawn or superseded, result."""
