"""The record of one cited work (:class:`Reference`)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Reference"]


@dataclass(frozen=True)
class Reference:
    """One cited work. ``journal``/``volume``/``page`` are ``None`` for books, data releases and
    preprints (then ``note`` says what the work is)."""

    key: str
    authors: str
    journal: str | None
    volume: str | None
    page: str | None
    year: int | None
    title: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    note: str | None = None

    def cite(self) -> str:
        """Short citation: authors, journal volume, page (year)[, arXiv:id].

        Examples
        --------
        >>> from nuem.references import REFERENCES
        >>> REFERENCES["feldman1998"].cite()
        'G.J. Feldman, R.D. Cousins, Phys. Rev. D 57, 3873 (1998), arXiv:physics/9711021'
        """
        parts = [self.authors]
        if self.journal is not None:
            src = self.journal
            if self.volume is not None:
                src += f" {self.volume}"
            if self.page is not None:
                src += f", {self.page}"
            if self.year is not None:
                src += f" ({self.year})"
            parts.append(src)
        else:  # book, data release or preprint: title (what it is, year)
            what = ", ".join(str(x) for x in (self.note, self.year) if x is not None)
            parts.append(f"{self.title} ({what})" if self.title else f"{what}")
        if self.arxiv is not None:
            parts.append(f"arXiv:{self.arxiv}")
        return ", ".join(parts)
