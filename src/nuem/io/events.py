r"""Event lists and tabulated background models: the inputs of unbinned (event-by-event) limits.

* :func:`read_event_list` -- one reconstructed energy (keV) per line; ``#`` starts a comment;
  blank lines are skipped. Every line that is not a single finite number, and every energy
  outside the analysis window, is a :class:`~nuem.exceptions.DataFileError` naming the file and
  the line (nothing is dropped silently). A file without any energy is a data set with zero
  events (valid for an extended likelihood; ``nuem limit`` says so in a warning).
* :func:`read_background_table` -- two columns, observed energy (keV) and a background rate in
  one of :data:`BACKGROUND_UNITS`, converted to counts/(kg keV day);
  :class:`BackgroundTable` evaluates it on a window it covers.

Background tables
-----------------
The table is the background *as observed*: a model in reconstructed energy with the detector's
resolution and efficiency already applied (the form in which collaborations publish their fitted
background models, e.g. the XENONnT B0 model, PRL 129, 161805 (2022)). Between nodes the rate
is linear. Published models are usually histograms given at bin centres; a node therefore
stands for the bin of half the spacing to each side, and a table *covers* the window
[e_min, e_max] when ``e_first - h_first/2 <= e_min`` and ``e_last + h_last/2 >= e_max``
(h the spacing of the first and last node pairs); inside those half-bins the rate is the end
node's value (the bin's own content, not an extrapolation). A window reaching further is an
error naming the file, the table range and the window.

Units: ``counts/(kg keV day)`` as is; ``events/(t yr keV)`` divided by 1000 kg and by the Julian
year of 365.25 days (the year of :mod:`hepunits`).

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> d = Path(tempfile.mkdtemp())
>>> p = d / "ev.txt"
>>> _ = p.write_text("# energies in keV\n1.5\n2.25  # a comment\n\n29.9\n")
>>> read_event_list(p, 1.0, 30.0).energies_kev.tolist()
[1.5, 2.25, 29.9]
>>> q = d / "bkg.txt"
>>> _ = q.write_text("0.5 10\n1.5 10\n2.5 20\n")
>>> b = read_background_table(q, "events/(t yr keV)")
>>> round(float(b.rate_cpkkd([2.0])[0]) * 1000 * 365.25, 6)      # back to events/(t yr keV)
15.0
>>> b.check_covers(0.0, 3.0, q)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from hepunits import day, year

from ..exceptions import DataFileError, InvalidParameterError, UnknownNameError

__all__ = ["BACKGROUND_UNITS", "EventList", "BackgroundTable", "read_event_list",
           "read_background_table", "parse_event_lines"]

#: Accepted units of a background table -> factor to counts/(kg keV day).
BACKGROUND_UNITS = {
    "counts/(kg keV day)": 1.0,
    "events/(t yr keV)": 1.0 / (1000.0 * (year / day)),
}

_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class EventList:
    """Reconstructed energies (keV, read-only array) of the events of a data set."""

    energies_kev: np.ndarray
    source: str
    window_kev: tuple[float, float] | None = None

    @property
    def n(self) -> int:
        return int(self.energies_kev.size)

    def to_dict(self) -> dict:
        return {"source": self.source, "n_events": self.n,
                "window_kev": list(self.window_kev) if self.window_kev else None}


def _read_lines(path) -> tuple[list[str], str]:
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8").splitlines(), str(p)
    except OSError as exc:
        raise DataFileError(str(p), None, f"cannot read file: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise DataFileError(str(p), None, "not a text file (UTF-8)") from exc


def _fields(line: str) -> list[str]:
    body = line.split("#", 1)[0].strip()
    return [f for f in _SPLIT.split(body) if f] if body else []


def _number(text: str, path: str, lineno: int, what: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise DataFileError(path, lineno, f"{text!r} is not a number ({what})") from None
    if not np.isfinite(v):
        raise DataFileError(path, lineno, f"{text!r} is not a finite number ({what})")
    return v


def _rows(lines, source: str, what: tuple[str, ...], expected: str):
    """``(line number, values)`` of the non-empty lines, each exactly ``len(what)`` finite
    numbers (``what`` names them in messages); DataFileError ``source:line: ...`` otherwise."""
    for i, line in enumerate(lines, start=1):
        f = _fields(line)
        if not f:
            continue
        if len(f) != len(what):
            raise DataFileError(source, i, f"expected {expected}, got {len(f)} values: "
                                           f"{line.strip()!r}")
        yield i, [_number(t, source, i, w) for t, w in zip(f, what, strict=True)]


def _window(e_min_kev: float | None, e_max_kev: float | None) -> str:
    lo = "-inf" if e_min_kev is None else f"{e_min_kev:g}"
    hi = "inf" if e_max_kev is None else f"{e_max_kev:g}"
    return f"[{lo}, {hi}] keV (select the events of the window, or widen it)"


def parse_event_lines(lines, source: str = "<events>", e_min_kev: float | None = None,
                      e_max_kev: float | None = None) -> EventList:
    """An :class:`EventList` from text lines (module docstring rules); line numbers from 1."""
    out: list[float] = []
    for i, (e,) in _rows(lines, source, ("event energy in keV",),
                         "one energy per line (keV)"):
        if e < 0:
            raise DataFileError(source, i, f"energy {e!r} keV is negative")
        if e_min_kev is not None and e < e_min_kev:
            raise DataFileError(source, i, f"energy {e!r} keV is below the analysis window "
                                           + _window(e_min_kev, e_max_kev))
        if e_max_kev is not None and e > e_max_kev:
            raise DataFileError(source, i, f"energy {e!r} keV is above the analysis window "
                                           + _window(e_min_kev, e_max_kev))
        out.append(e)
    arr = np.array(out, dtype=float)       # no line with an energy: zero events (valid data)
    arr.setflags(write=False)
    win = None if e_min_kev is None or e_max_kev is None else (float(e_min_kev),
                                                                 float(e_max_kev))
    return EventList(arr, source, win)


def read_event_list(path, e_min_kev: float | None = None,
                    e_max_kev: float | None = None) -> EventList:
    """Read an event list: one reconstructed energy in keV per line (module docstring).

    Parameters
    ----------
    path : str or Path
    e_min_kev, e_max_kev : float, optional
        Analysis window; an energy outside it is an error naming the line.

    Raises
    ------
    DataFileError
        Unreadable file, a line that is not one finite number, a negative energy or an energy
        outside the window (message: ``file:line: ...``). A file without events gives an
        EventList of zero events.
    """
    if e_min_kev is not None and e_max_kev is not None and not e_max_kev > e_min_kev:
        raise InvalidParameterError(f"e_max_kev={e_max_kev!r} must be > e_min_kev="
                                    f"{e_min_kev!r}")
    lines, src = _read_lines(path)
    return parse_event_lines(lines, src, e_min_kev, e_max_kev)


@dataclass(frozen=True)
class BackgroundTable:
    """Observed background rate at nodes (keV -> counts/(kg keV day)), linear in between."""

    e_kev: np.ndarray
    rate_cpkkd_nodes: np.ndarray
    source: str
    unit: str

    def half_steps_kev(self) -> tuple[float, float]:
        """Half the node spacing at the low and the high end (the end nodes' half-bins)."""
        e = self.e_kev
        return 0.5 * float(e[1] - e[0]), 0.5 * float(e[-1] - e[-2])

    def range_kev(self) -> tuple[float, float]:
        """The energy range the table covers, end half-bins included."""
        lo, hi = self.half_steps_kev()
        # rounded to 1e-12 keV: bin centres written in decimal do not add up exactly
        return (round(float(self.e_kev[0]) - lo, 12) + 0.0,     # + 0.0: no negative zero
                round(float(self.e_kev[-1]) + hi, 12) + 0.0)

    def check_covers(self, e_min_kev: float, e_max_kev: float, what: str | None = None) -> None:
        """DataFileError unless the table covers [e_min, e_max] (module docstring)."""
        lo, hi = self.range_kev()
        tol = 1e-9 * max(1.0, abs(hi))
        if e_min_kev < lo - tol or e_max_kev > hi + tol:
            raise DataFileError(what or self.source, None,
                                f"the background table covers {lo:g}-{hi:g} keV (nodes "
                                f"{self.e_kev[0]:g}-{self.e_kev[-1]:g} keV and their half-bins)"
                                f", not the analysis window {e_min_kev:g}-{e_max_kev:g} keV")

    def rate_cpkkd(self, e_kev) -> np.ndarray:
        """Rate in counts/(kg keV day) at observed energies inside the covered range."""
        e = np.asarray(e_kev, dtype=float)
        lo, hi = self.range_kev()
        tol = 1e-9 * max(1.0, abs(hi))
        if np.any((e < lo - tol) | (e > hi + tol)):
            bad = float(e[(e < lo - tol) | (e > hi + tol)].flat[0])
            raise DataFileError(self.source, None, f"energy {bad:g} keV is outside the "
                                                   f"background table's range {lo:g}-{hi:g} keV")
        return np.interp(e, self.e_kev, self.rate_cpkkd_nodes)

    def to_dict(self) -> dict:
        lo, hi = self.range_kev()
        return {"source": self.source, "unit": self.unit, "nodes": int(self.e_kev.size),
                "range_kev": [lo, hi]}


def read_background_table(path, unit: str) -> BackgroundTable:
    """Read a two-column background model (energy keV, rate in ``unit``; module docstring).

    Raises
    ------
    UnknownNameError
        ``unit`` not in :data:`BACKGROUND_UNITS`.
    DataFileError
        Unreadable file, a line without exactly two numbers, a negative rate, energies not
        strictly increasing, or fewer than two nodes (message names file and line).
    """
    if unit not in BACKGROUND_UNITS:
        raise UnknownNameError(f"background unit={unit!r} is not known; allowed: "
                               f"{', '.join(map(repr, BACKGROUND_UNITS))}")
    lines, src = _read_lines(path)
    e: list[float] = []
    r: list[float] = []
    for i, (x, y) in _rows(lines, src, ("energy in keV", f"rate in {unit}"),
                           f"two columns (energy in keV, rate in {unit})"):
        if y < 0:
            raise DataFileError(src, i, f"rate {y!r} {unit} is negative")
        if e and x <= e[-1]:
            raise DataFileError(src, i, f"energy {x!r} keV does not increase (previous "
                                        f"{e[-1]!r} keV)")
        e.append(x)
        r.append(y)
    if len(e) < 2:
        raise DataFileError(src, None, "a background table needs at least two rows "
                                       "(energy in keV, rate)")
    ea = np.array(e)
    ra = np.array(r) * BACKGROUND_UNITS[unit]
    ea.setflags(write=False)
    ra.setflags(write=False)
    return BackgroundTable(ea, ra, src, unit)
