"""The works nuem cites: one registry from key to full citation (layer 0, standard library only).

Every paper, data evaluation or book that the code, the presets and the documentation cite has an
entry in :data:`REFERENCES`; ``docs/bibliography.md`` is generated from it
(``python -m nuem.references > docs/bibliography.md``) and a test keeps the two equal. A second test
scans ``src/`` and ``docs/`` for citations of the form ``<journal> <volume>, <page> (<year>)`` and
fails on any that :func:`find` cannot match, so a new citation must be added here.

Bibliographic details (volume, page, year) were checked against the papers' journal or arXiv
records where available; titles, DOIs and arXiv numbers are given only where verified (DOIs of APS
journals follow from journal, volume and page), otherwise omitted.

Examples
--------
>>> from nuem.references import REFERENCES, cite, find
>>> cite("wong2010")
'H.T. Wong, H.B. Li, S.T. Lin, Phys. Rev. Lett. 105, 061801 (2010), arXiv:1001.2074'
>>> find("PRL", "105", "061801", 2010).key
'wong2010'
>>> find("Phys. Rev. D", "90", "011301(R)", 2014).key
'chen2014prd'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from .entries import ENTRIES as _ENTRIES
from .entries import NIMA as _NIMA
from .entries import PAN as _PAN
from .entries import PRC as _PRC
from .entries import PRD as _PRD
from .entries import PRL as _PRL
from .entries import RMP as _RMP
from .model import Reference

__all__ = ["Reference", "REFERENCES", "JOURNAL_ABBREVIATIONS", "cite", "find", "citations",
           "canonical_journal", "bibliography_markdown"]


#: Every cited work, by key (read-only).
REFERENCES: Mapping[str, Reference] = MappingProxyType({r.key: r for r in _ENTRIES})

#: Short journal names used in the code and docs -> the form stored in :data:`REFERENCES`.
JOURNAL_ABBREVIATIONS: Mapping[str, str] = MappingProxyType({
    "PRL": _PRL, "PRD": _PRD, "PRC": _PRC, "RMP": _RMP, "PLB": "Phys. Lett. B",
    "MPLA": "Mod. Phys. Lett. A", "Mod. Phys. Lett. A": "Mod. Phys. Lett. A",
    "EPJC": "Eur. Phys. J. C", "Eur. Phys. J. C": "Eur. Phys. J. C",
    "NIM A": _NIMA, "NIMA": _NIMA, "Nucl. Instrum. Meth. A": _NIMA,
    "Nucl. Instrum. Methods A": _NIMA, "NIM": "Nucl. Instrum. Meth.",
    "Nucl. Instrum. Meth.": "Nucl. Instrum. Meth.",
    "ADNDT": "At. Data Nucl. Data Tables", "At. Data Nucl. Data Tables": "At. Data Nucl. Data "
                                                                         "Tables",
    "Atomic Data Nucl. Data Tables": "At. Data Nucl. Data Tables",
    "Phys. Rev. Lett.": _PRL, "Phys. Rev. D": _PRD, "Phys. Rev. C": _PRC,
    "Rev. Mod. Phys.": _RMP, "Phys. Lett. B": "Phys. Lett. B",
    "Phys. At. Nucl.": _PAN, "Phys. Atom. Nucl.": _PAN,
    "Ann. Rev. Nucl. Part. Sci.": "Ann. Rev. Nucl. Part. Sci.",
    "Annu. Rev. Nucl. Part. Sci.": "Ann. Rev. Nucl. Part. Sci.",
    "Astropart. Phys.": "Astropart. Phys.", "JETP Lett.": "JETP Lett.",
    "Phys. Part. Nucl. Lett.": "Phys. Part. Nucl. Lett.",
    "Adv. High Energy Phys.": "Adv. High Energy Phys.",
    "Radiat. Phys. Chem.": "Radiat. Phys. Chem.", "Spectrochim. Acta B": "Spectrochim. Acta B",
    "J. Phys. G": "J. Phys. G", "Pure Appl. Chem.": "Pure Appl. Chem.",
    "Chin. Phys. C": "Chin. Phys. C", "Chinese Phys. C": "Chin. Phys. C",
    "Nucl. Data Sheets": "Nucl. Data Sheets", "Nuclear Data Sheets": "Nucl. Data Sheets",
    "NDS": "Nucl. Data Sheets",
    "PTEP": "Prog. Theor. Exp. Phys.", "Prog. Theor. Exp. Phys.": "Prog. Theor. Exp. Phys.",
    "JINST": "JINST", "JHEP": "JHEP", "NPB": "Nucl. Phys. B", "Nucl. Phys. B": "Nucl. Phys. B",
    "Phys. Rep.": "Phys. Rep.", "Nature": "Nature",
    "JOSS": "J. Open Source Softw.", "J. Open Source Softw.": "J. Open Source Softw.",
})


def canonical_journal(name: str) -> str | None:
    """The stored journal name for an abbreviation (whitespace-insensitive), or ``None``.

    Examples
    --------
    >>> canonical_journal("NIM  A"), canonical_journal("Nucl. Phys. Z") is None
    ('Nucl. Instrum. Meth. A', True)
    """
    key = " ".join(name.split())
    if key in JOURNAL_ABBREVIATIONS:
        return JOURNAL_ABBREVIATIONS[key]
    return key if key in {r.journal for r in _ENTRIES} else None


def _norm_page(page: str) -> str:
    return re.sub(r"\s*\(R\)$", "", str(page).strip())


_INDEX = {(r.journal, r.volume, _norm_page(r.page), r.year): r for r in _ENTRIES
          if r.journal is not None}


def find(journal: str, volume, page, year) -> Reference | None:
    """The reference cited as ``journal volume, page (year)`` (abbreviations accepted), or None."""
    j = canonical_journal(journal)
    if j is None:
        return None
    return _INDEX.get((j, str(volume).strip(), _norm_page(page), int(year)))


#: ``<journal> <volume>, <page> (<year>)``; the journal is the longest run of capitalised words
#: (or abbreviations) before the volume, trimmed to its longest known suffix by :func:`citations`.
_CITATION = re.compile(
    r"(?P<journal>(?:[A-Z][A-Za-z]*\.?\s+){0,6}[A-Z][A-Za-z]*\.?)\s+"
    r"(?P<volume>\d{1,4})\s*,\s*(?P<page>[A-Z]?\d[\dA-Z]*(?:\s*\(R\))?)\s*"
    r"\((?P<year>(?:18|19|20)\d\d)\)")
#: a line break inside a comment, docstring or concatenated string literal
_BREAK = re.compile(r"""(?:["'])?[ \t]*\n[ \t]*(?:#:?|[rfbu]{0,2}["']|>>>|\.\.\.|\*)?[ \t]*""")


def citations(text: str) -> list[tuple[str, Reference | None]]:
    """Journal citations ``<journal> <volume>, <page> (<year>)`` in ``text`` (line breaks inside
    comments and string literals are joined) with their reference, ``None`` when unknown.

    Examples
    --------
    >>> [(c, r.key if r else None) for c, r in citations(
    ...     "FC (Feldman & Cousins, PRD 57,\\n    # 3873 (1998)); Foo, Phys. Rev. X 1, 2 (2001)")]
    [('PRD 57, 3873 (1998)', 'feldman1998'), ('Phys. Rev. X 1, 2 (2001)', None)]
    """
    flat = _BREAK.sub(" ", text)
    out = []
    for m in _CITATION.finditer(flat):
        words = m.group("journal").split()
        ref, journal = None, " ".join(words)
        for i in range(len(words)):
            name = " ".join(words[i:])
            if canonical_journal(name) is not None:
                journal = name
                ref = find(name, m.group("volume"), m.group("page"), m.group("year"))
                break
        out.append((f"{journal} {m.group('volume')}, {m.group('page')} ({m.group('year')})",
                    ref))
    return out


def cite(key: str) -> str:
    """Short citation string of ``REFERENCES[key]``.

    Raises
    ------
    KeyError
        ``key`` is not a known reference (the message lists how to find the keys).
    """
    try:
        return REFERENCES[key].cite()
    except KeyError:
        raise KeyError(f"reference key {key!r} is not in nuem.references.REFERENCES; "
                       "see docs/bibliography.md for the keys") from None


def bibliography_markdown() -> str:
    """The text of ``docs/bibliography.md``: every reference, sorted by key."""
    lines = ["# Bibliography", "",
             "Every work cited by nuem's code, experiment presets and documentation, by key",
             "(`nuem.references.REFERENCES`; `nuem.references.cite(key)` gives the short form).",
             "Generated, do not edit by hand: after changing `src/nuem/references.py` run",
             "", "    python -m nuem.references > docs/bibliography.md", "",
             "(a test checks that this file equals the generated text).", ""]
    for key in sorted(REFERENCES):
        r = REFERENCES[key]
        text = f"- `{key}`: {r.cite()}"
        if r.title and r.journal is not None:
            text += f". *{r.title}*"
        if r.doi:
            text += f". DOI [{r.doi}](https://doi.org/{r.doi})"
        if r.note and r.journal is not None:
            text += f". {r.note[0].upper()}{r.note[1:]}"
        lines.append(text + ".")
    return "\n".join(lines) + "\n"


