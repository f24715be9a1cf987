"""Detector materials: elements, natural isotopes, electrons and nuclei per kilogram.

A :class:`Target` is a pure element (``"Ge"``) or a chemical formula (``"CsI"``, ``"CF4"``,
``"C6F6"``) parsed by :func:`periodictable.formula`, with every element in its natural isotopic
composition. Counts are per kilogram of target material.

Data sources
------------
* Standard atomic weights: CIAAW/IUPAC 2021 (Prohaska et al., Pure Appl. Chem. 94, 573 (2022)),
  abridged values as shipped by ``periodictable`` (Ge: 72.630).
* Natural isotopic abundances: CIAAW "Isotopic compositions of the elements" (Meija et al.,
  Pure Appl. Chem. 88, 293 (2016)) as shipped by ``periodictable`` (percent, converted to
  fractions and renormalised to sum to exactly 1; the largest correction is 3e-16, for Xe).
* Isotope masses: AME 2020 (M. Wang et al., Chinese Phys. C 45, 030003 (2021)) via
  ``periodictable``.
* Atomic shells for the stepping approximation: xraylib (Schoonjans et al., Spectrochim. Acta B
  66, 776 (2011)), see :mod:`nuem.atoms.shells`.

Counts per kilogram use the standard atomic weight, N_atoms/kg = n N_A / (M [g/mol] x 1e-3 kg/g),
and the isotope counts are these times the natural abundances. The abundance-weighted mean of the
isotope masses differs from the standard atomic weight by < 1e-4 relative; nuem does not mix the
two.

Accepted names: element symbols (case sensitive, ``"Ge"``), English element names
(``"germanium"``), formulas of elements with integer or decimal counts and parentheses
(``"(CH2)2"``), and the aliases in :data:`ALIASES`. Isotope labels (``"Ge[74]"``, ``"D2O"``),
ions (``"Fe{3+}"``), densities (``"@"``), mixtures (``"+"``, ``"%"``) and elements without a
natural isotopic composition (Tc, Pm, U in the periodictable tables ...) are rejected with
:class:`~nuem.exceptions.UnknownNameError`.

Examples
--------
>>> ge = get_target("Ge")
>>> f"{ge.electrons_per_kg:.5g}"          # 32 N_A / 72.630 g = 2.6533e26 electrons/kg
'2.6533e+26'
>>> float(ge.active_electrons_per_kg_kev(1.0) / ge.electrons_per_kg) == 22 / 32
True
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from hepunits import keV

from ._validation import did_you_mean, positive
from .atoms.shells import Z_MAX, Shell, shells, stepping_electrons
from .constants import AVOGADRO
from .exceptions import InvalidParameterError, UnknownNameError

__all__ = ["ALIASES", "Isotope", "Element", "Target", "get_target"]

#: Friendly names mapped to formulas. Polystyrene is (C8H8)n, the composition of NIST's
#: "Polystyrene" material (H 7.7421 %, C 92.2579 % by mass; NIST ESTAR/PSTAR composition table),
#: the base of the plastic scintillator of the Savannah River experiment (F. Reines, H.S. Gurr,
#: H.W. Sobel, PRL 37, 315 (1976)).
#: Per-material defaults (density, Fano factor, energy per quantum, quenching) are in
#: :mod:`nuem.materials`.
ALIASES: dict[str, str] = {"polystyrene": "C8H8"}

_FORMULA_CHARS = re.compile(r"[A-Za-z0-9.()]+")
_KG_PER_G = 1e-3


@dataclass(frozen=True)
class Isotope:
    """A nuclide with its natural abundance within its element.

    Attributes
    ----------
    symbol : str
        Element symbol and mass number, e.g. ``"Ge74"``.
    z, n, a : int
        Proton, neutron and mass numbers.
    mass_u : float
        Atomic mass in u (AME 2020).
    abundance : float
        Natural abundance as a fraction (CIAAW), in (0, 1].
    """

    symbol: str
    z: int
    n: int
    a: int
    mass_u: float
    abundance: float


@dataclass(frozen=True)
class Element:
    """A chemical element in its natural isotopic composition.

    Attributes
    ----------
    symbol : str
        Chemical symbol (``"Ge"``).
    z : int
        Atomic number.
    atomic_mass_u : float
        Standard atomic weight (CIAAW 2021, abridged), g/mol.
    isotopes : tuple of Isotope
        Naturally occurring isotopes, abundances summing to 1.

    Examples
    --------
    >>> [i.a for i in get_target("Ge").elements[0][0].isotopes]
    [70, 72, 73, 74, 76]
    """

    symbol: str
    z: int
    atomic_mass_u: float
    isotopes: tuple[Isotope, ...]


def _unknown(name, why: str = "") -> UnknownNameError:
    extra = f" ({why})" if why else ""
    if not why:
        import periodictable

        known = [e.symbol for e in periodictable.elements if 1 <= e.number <= Z_MAX]
        known += [e.name for e in periodictable.elements if 1 <= e.number <= Z_MAX]
        extra = did_you_mean(name, [*known, *ALIASES])
    return UnknownNameError(f"target={name!r} is not a known element or formula{extra}; use an "
                            "element symbol or a chemical formula such as 'Ge', 'CsI', 'CF4', "
                            f"or one of {sorted(ALIASES)}")


@functools.cache
def _element(symbol: str) -> Element | None:
    """Element in natural composition, or None if periodictable/xraylib cannot support it."""
    import periodictable  # lazy: about 90 ms with pyparsing

    el = periodictable.elements.symbol(symbol)
    natural = [(a, el[a]) for a in el.isotopes if el[a].abundance > 0]
    total = sum(iso.abundance for _, iso in natural)
    if not natural or not 1 <= el.number <= Z_MAX:
        return None
    isotopes = tuple(Isotope(f"{el.symbol}{a}", el.number, a - el.number, a, float(iso.mass),
                             float(iso.abundance) / total) for a, iso in natural)
    return Element(el.symbol, int(el.number), float(el.mass), isotopes)


def _parse(name: str) -> tuple[str, tuple[tuple[Element, float], ...]]:
    import periodictable
    from periodictable.core import Element as PtElement

    key = ALIASES.get(name.lower(), name)
    try:
        key = periodictable.elements.name(key.lower()).symbol if key.isalpha() else key
    except ValueError:
        pass
    if not _FORMULA_CHARS.fullmatch(key):
        raise _unknown(name, "only element symbols, counts and parentheses are supported; "
                       "no isotopes, charges, densities or mixtures")
    try:
        f = periodictable.formula(key)
    except Exception as exc:  # pyparsing.ParseException or ValueError("unknown element")
        raise _unknown(name) from exc
    if not f.atoms:
        raise _unknown(name, "empty formula")
    elements = []
    for atom, count in f.atoms.items():
        if type(atom) is not PtElement:
            raise _unknown(name, f"{atom} is an isotope or ion")
        if not count > 0:
            raise _unknown(name, f"non-positive count of {atom}")
        element = _element(atom.symbol)
        if element is None:
            raise _unknown(name, f"{atom.symbol} has no natural isotopic composition in "
                           f"periodictable or no shell data in xraylib (Z <= {Z_MAX})")
        elements.append((element, float(count)))
    return str(f), tuple(elements)


@dataclass(frozen=True)
class Target:
    """A detector material; build it with :func:`get_target` or :meth:`Target.from_name`.

    Attributes
    ----------
    name : str
        The name it was requested by (``"Ge"``, ``"polystyrene"`` ...).
    formula : str
        Formula as parsed by periodictable (``"C8H8"``).
    elements : tuple of (Element, float)
        Each element with its number of atoms per formula unit.

    Examples
    --------
    >>> t = Target.from_name("CF4")
    >>> [(e.symbol, n) for e, n in t.elements]
    [('C', 1.0), ('F', 4.0)]
    >>> round(t.molar_mass_g_mol, 4)
    88.0046
    """

    name: str
    formula: str
    elements: tuple[tuple[Element, float], ...]

    @classmethod
    def from_name(cls, name: str) -> Target:
        """Same as :func:`get_target` (cached)."""
        return get_target(name)

    @cached_property
    def molar_mass_g_mol(self) -> float:
        """Molar mass of one formula unit in g/mol (sum of standard atomic weights)."""
        return float(sum(n * e.atomic_mass_u for e, n in self.elements))

    @cached_property
    def _formula_units_per_kg(self) -> float:
        return AVOGADRO / (self.molar_mass_g_mol * _KG_PER_G)

    def atoms_per_kg(self, symbol: str) -> float:
        """Number of atoms of element ``symbol`` per kg of target.

        Raises
        ------
        UnknownNameError
            If the element is not part of the target.

        Examples
        --------
        >>> f"{get_target('CsI').atoms_per_kg('I'):.4e}"
        '2.3179e+24'
        """
        for e, n in self.elements:
            if e.symbol == symbol:
                return n * self._formula_units_per_kg
        raise UnknownNameError(f"symbol={symbol!r} is not an element of target {self.name!r}; "
                               f"elements: {', '.join(e.symbol for e, _ in self.elements)}")

    @cached_property
    def electrons_per_kg(self) -> float:
        """Total number of electrons per kg, sum of Z x atoms/kg."""
        return float(sum(n * e.z for e, n in self.elements) * self._formula_units_per_kg)

    @cached_property
    def nuclei_per_kg(self) -> float:
        """Total number of atoms (nuclei) per kg."""
        return float(sum(n for _, n in self.elements) * self._formula_units_per_kg)

    @cached_property
    def _isotopes_per_kg(self) -> tuple[tuple[Isotope, float], ...]:
        return tuple((iso, n * self._formula_units_per_kg * iso.abundance)
                     for e, n in self.elements for iso in e.isotopes)

    def isotopes_per_kg(self) -> list[tuple[Isotope, float]]:
        """Natural isotopes of all elements with their number per kg.

        Examples
        --------
        >>> t = get_target("Ge")
        >>> abs(sum(c for _, c in t.isotopes_per_kg()) / t.nuclei_per_kg - 1) < 1e-12
        True
        """
        return list(self._isotopes_per_kg)

    def active_electrons_per_kg(self, t):
        """Electrons per kg with binding energy <= T (stepping approximation).

        Parameters
        ----------
        t : float or array_like
            Energy transfer in hepunits (MeV = 1), >= 0, any shape.

        Returns
        -------
        numpy.float64 or numpy.ndarray
            Sum over elements of atoms/kg x :func:`nuem.atoms.stepping_electrons`; equals
            :attr:`electrons_per_kg` above the highest K edge.
        """
        tt = positive(t, "t", allow_zero=True)
        out = np.zeros(tt.shape)
        for e, n in self.elements:
            out = out + n * self._formula_units_per_kg * stepping_electrons(e.z, tt)
        return out[()]

    def active_electrons_per_kg_kev(self, t_kev):
        """:meth:`active_electrons_per_kg` with ``t_kev`` in keV.

        Examples
        --------
        >>> ge = get_target("Ge")
        >>> float(ge.active_electrons_per_kg_kev(12.0)) == ge.electrons_per_kg
        True
        """
        tt = positive(t_kev, "t_kev", "keV", allow_zero=True)
        return self.active_electrons_per_kg(tt * keV)

    def shells(self) -> dict[str, tuple[Shell, ...]]:
        """Atomic shells (xraylib) of each element, keyed by symbol."""
        return {e.symbol: shells(e.z) for e, _ in self.elements}

    def describe(self) -> dict:
        """JSON-serialisable description for provenance records.

        Examples
        --------
        >>> d = get_target("NaI").describe()
        >>> d["formula"], [e["symbol"] for e in d["elements"]]
        ('NaI', ['Na', 'I'])
        """
        import periodictable
        import xraylib

        return {
            "name": self.name,
            "formula": self.formula,
            "molar_mass_g_mol": self.molar_mass_g_mol,
            "electrons_per_kg": self.electrons_per_kg,
            "nuclei_per_kg": self.nuclei_per_kg,
            "elements": [
                {"symbol": e.symbol, "z": e.z, "atoms_per_formula_unit": n,
                 "atomic_mass_u": e.atomic_mass_u, "atoms_per_kg": self.atoms_per_kg(e.symbol),
                 "isotopes": [{"symbol": i.symbol, "z": i.z, "n": i.n, "a": i.a,
                               "mass_u": i.mass_u, "abundance": i.abundance}
                              for i in e.isotopes]}
                for e, n in self.elements],
            "sources": {
                "atomic_weights": "CIAAW/IUPAC 2021 standard atomic weights (abridged), "
                                  f"periodictable {periodictable.__version__}",
                "isotopic_abundances": "CIAAW isotopic compositions (Meija et al. 2016), "
                                       f"periodictable {periodictable.__version__}",
                "isotope_masses": "AME 2020 (Wang et al. 2021) via periodictable",
                "atomic_shells": "xraylib EdgeEnergy/ElectronConfig (Schoonjans et al. 2011), "
                                 f"xraylib {xraylib.__version__}",
            },
        }


def get_target(name: str) -> Target:
    """Target material by element symbol, element name, chemical formula or alias (cached).

    Parameters
    ----------
    name : str
        ``"Ge"``, ``"germanium"``, ``"CsI"``, ``"CF4"``, ``"C6F6"``, ``"polystyrene"`` ...

    Returns
    -------
    Target

    Raises
    ------
    UnknownNameError
        If ``name`` is not an element, a supported formula or an alias (message names ``target``).

    Examples
    --------
    >>> get_target("polystyrene").formula
    'C8H8'
    >>> get_target("Xx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nuem.exceptions.UnknownNameError: target='Xx' is not a known element or formula; ...
    """
    if not isinstance(name, str):
        raise InvalidParameterError(f"target={name!r} must be a string (element or formula)")
    return _get_target(name.strip())


@functools.lru_cache(maxsize=128)
def _get_target(name: str) -> Target:
    if not name:
        raise _unknown(name, "empty name")
    formula, elements = _parse(name)
    return Target(name, formula, elements)
