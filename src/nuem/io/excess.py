"""Readers for the EXCESS-workshop germanium spectra (``shared/data/excess_workshop_ge_spectra``).

Data: GitHub ``fewagner/excess`` (EXCESS workshop, https://indico.cern.ch/event/1013203/),
CC BY 4.0 -- acknowledge the EDELWEISS and MINER collaborations (README next to the files).

* EDELWEISS RED30 (``edelweiss_red30_keVee.txt``): three whitespace columns, bin centre [keVee],
  rate [counts/(kg keV day)], bin width [keVee]; edges = centre +- width/2 as in the repository's
  ``conversion.ipynb``. No exposure is given, so only rates are available.
* MINER (``miner_ge_reactor_site.txt``): a free-text first line (the provider's note "Ignore the
  first bin. Counts Already in DRU units. X-axis at 0.2 keV intervals. So, the 6th bin corresponds
  to 1 keV, 7th bin to 1.2 keV"), then bin index and rate [DRU]. Caveats handled explicitly:
  the bin with index 0 is dropped (the note); the energy of bin i is E = 0.2 (i - 1) keV (the
  note: i = 6 -> 1.0 keV), taken as the bin centre with 0.2 keV width -- an assumption, the note
  does not say centre or edge; the last line (index 76, 147500 DRU) is an overflow entry as
  delivered and is dropped unless ``keep_overflow=True``. The rates are integer multiples of
  54.348 DRU, i.e. one count per 0.0184 kg keV day: this implied exposure (0.092 kg day for
  0.2 keV bins) is inferred, not documented, and is stored only as a note.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..exceptions import DataFileError
from .spectra import MeasuredSpectrum, parse_table, read_spectrum

__all__ = ["read_edelweiss", "read_miner", "read_excess", "read_measured", "MINER_BIN_WIDTH_KEV",
           "FORMATS"]

#: MINER bin width stated in the provider's note, keV.
MINER_BIN_WIDTH_KEV = 0.2
_ATTRIBUTION = ("EXCESS workshop data (github.com/fewagner/excess), CC BY 4.0; "
                "{collab} collaboration")


def read_edelweiss(path) -> MeasuredSpectrum:
    """EDELWEISS RED30 spectrum: centre, DRU, width (keVee).

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
    ...     _ = f.write("10.336618  1465.66  0.8183563\\n11.188712  108.04  0.8858324\\n")
    >>> s = read_edelweiss(f.name)
    >>> round(float(s.e_lo_kev[0]), 4), s.values["spectrum"][0]
    (9.9274, 'cpkkd')
    >>> os.remove(f.name)
    """
    s = read_spectrum(path, columns="e_kev,cpkkd,width_kev")
    note = _ATTRIBUTION.format(collab="EDELWEISS") + "; no exposure in the file: rates only"
    return MeasuredSpectrum(s.e_lo_kev, s.e_hi_kev, s.values, s.exposure_kg_day, s.source,
                            (note,))


def read_miner(path, *, keep_overflow: bool = False) -> MeasuredSpectrum:
    """MINER Ge spectrum: note line, then bin index and DRU (caveats: module docstring).

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
    ...     _ = f.write("Note: Ignore the first bin.\\n\\n 0 2445.652\\n 6 54.34783\\n"
    ...                 " 7 706.5217\\n 76 147500\\n")
    >>> s = read_miner(f.name)
    >>> s.e_kev.round(3).tolist()     # index 0 and the overflow line dropped
    [1.0, 1.2]
    >>> os.remove(f.name)
    """
    path = Path(path)
    names, rows, lines, _meta = parse_table(path, columns="index,cpkkd", skip_lines=1)
    index, dru = rows[:, 0], rows[:, 1]
    if np.any(index != np.round(index)) or np.any(np.diff(index) <= 0):
        bad = int(np.flatnonzero((index != np.round(index))
                                 | np.r_[False, np.diff(index) <= 0])[0])
        raise DataFileError(path, lines[bad], f"bin index {index[bad]} is not an increasing "
                            "integer")
    bad = np.flatnonzero(dru < 0)
    if bad.size:
        raise DataFileError(path, lines[bad[0]], f"negative rate {dru[bad[0]]}")
    notes = [_ATTRIBUTION.format(collab="MINER"),
             "energy of bin i taken as centre E = 0.2 (i - 1) keV, width 0.2 keV (provider's "
             "note: 6th bin = 1 keV); centre-vs-edge is an assumption"]
    keep = np.ones(index.size, bool)
    if index[0] == 0:
        keep[0] = False
        notes.append(f"dropped the first bin (index 0, line {lines[0]}), as the note says")
    if not keep_overflow and index.size > 1:
        keep[-1] = False
        notes.append(f"dropped the last entry (index {int(index[-1])}, {dru[-1]:g} DRU, line "
                     f"{lines[-1]}): overflow/outlier as delivered")
    quantum = dru[keep][dru[keep] > 0].min(initial=np.inf)
    if np.isfinite(quantum) and np.allclose(dru[keep] / quantum, np.round(dru[keep] / quantum),
                                            atol=1e-3):
        notes.append(f"rates are multiples of {quantum:.5g} DRU: one count per "
                     f"{1 / quantum:.4g} kg keV day, i.e. an implied exposure of "
                     f"{1 / (quantum * MINER_BIN_WIDTH_KEV):.3g} kg day (inferred, not documented)")
    centre = MINER_BIN_WIDTH_KEV * (index[keep] - 1)
    lo, hi = centre - MINER_BIN_WIDTH_KEV / 2, centre + MINER_BIN_WIDTH_KEV / 2
    return MeasuredSpectrum(lo, hi, {"spectrum": ("cpkkd", dru[keep].copy())},
                            {"spectrum": None}, str(path), tuple(notes))


def read_excess(path) -> MeasuredSpectrum:
    """Either EXCESS format, recognised from the content: a first line that starts with
    ``Note`` is MINER, three numeric columns are EDELWEISS.

    Examples
    --------
    >>> read_excess("/nonexistent.txt")
    Traceback (most recent call last):
    ...
    nuem.exceptions.DataFileError: /nonexistent.txt: file not found
    """
    path = Path(path)
    try:
        first = path.read_text(encoding="utf-8-sig").lstrip().split("\n", 1)[0]
    except FileNotFoundError as exc:
        raise DataFileError(path, None, "file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, None, f"cannot read as UTF-8 text: {exc}") from exc
    if first.lower().startswith("note"):
        return read_miner(path)
    if len(first.split()) == 3:
        return read_edelweiss(path)
    raise DataFileError(path, 1, "not an EXCESS Ge format (MINER note line or EDELWEISS "
                        "centre/DRU/width columns)")


#: Formats of :func:`read_measured` (``fmt=``; the CLI's ``--format`` choices).
FORMATS = ("auto", "table", "edelweiss", "miner", "root", "hdf5")
_MAGIC = {b"root": "root", b"\x89HDF\r\n\x1a\n": "hdf5"}


def _split_inner(path):
    """``file.h5:group`` -> (file, group); a path that exists is never split."""
    p = str(path)
    if Path(p).exists() or ":" not in p:
        return p, None
    outer, inner = p.rsplit(":", 1)
    return (outer, inner) if Path(outer).is_file() else (p, None)


def _sniff(path) -> str | None:
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return None
    return next((fmt for magic, fmt in _MAGIC.items() if head.startswith(magic)), None)


def read_measured(path, *, fmt: str = "auto", **kwargs) -> MeasuredSpectrum:
    """Read a measured spectrum in any supported format.

    ``fmt``: ``"table"`` (:func:`~nuem.io.spectra.read_spectrum`, keyword arguments passed on),
    ``"edelweiss"``, ``"miner"``, ``"root"`` (TH1 histograms,
    :func:`nuem.io.root_files.read_root`), ``"hdf5"`` (:func:`nuem.io.hdf5_files.read_hdf5`;
    ``FILE.h5:GROUP`` names a group inside the file), or ``"auto"``: ROOT and HDF5 files by
    their signature bytes, a table if the file has a header or ``columns=`` is given,
    otherwise the EXCESS format recognised by :func:`read_excess`.

    Examples
    --------
    >>> read_measured("x.txt", fmt="xml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nuem.exceptions.UnknownNameError: fmt='xml' is not known; allowed: auto, table, ..., hdf5
    """
    from .._validation import choice

    choice(fmt, "fmt", FORMATS)
    path, inner = _split_inner(path)
    if fmt == "auto":
        fmt = _sniff(path) or "auto"
    if fmt in ("root", "hdf5"):
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        bad = sorted(set(kwargs) - {"exposure_kg_day", "source"})
        if bad:
            raise DataFileError(path, None, f"option {bad[0]!r} does not apply to {fmt} files")
        if fmt == "root":
            from .root_files import read_root

            return read_root(path, **kwargs)
        from .hdf5_files import read_hdf5

        return read_hdf5(path, dataset=inner or "/", **kwargs)
    if fmt == "edelweiss":
        return read_edelweiss(path)
    if fmt == "miner":
        return read_miner(path)
    if fmt == "table" or kwargs.get("columns"):
        return read_spectrum(path, **kwargs)
    try:
        head = Path(path).read_text(encoding="utf-8-sig").lstrip()[:4].lower()
    except (OSError, UnicodeDecodeError):
        head = ""  # read_spectrum reports the error with the file name
    if head == "note":
        return read_miner(path)
    try:
        return read_spectrum(path, **kwargs)
    except DataFileError as exc:
        if "no header line" not in str(exc):
            raise
    return read_excess(path)
