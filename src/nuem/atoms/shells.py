"""Atomic shells, binding energies and the stepping approximation.

Data
----
Shell occupancies and binding (absorption-edge) energies come from xraylib: T. Schoonjans et al.,
Spectrochim. Acta B 66, 776 (2011), tables ``ElectronConfig`` and ``EdgeEnergy`` (keV). Shells
are enumerated through the xraylib macros ``K_SHELL``, ``L1_SHELL`` ... ``Q3_SHELL``; data exist
for Z = 1 ... 99.

Two adjustments are made, both deterministic and documented here:

* **Fractional occupancies.** For partially filled p, d and f shells xraylib splits the electrons
  between the j = l - 1/2 and j = l + 1/2 subshells in proportion to their statistical weights and
  stores the result rounded to six significant figures (Ge: N2 = 0.666667, N3 = 1.33333, so
  the total is 31.999997). Every occupancy is replaced by the nearest fraction with denominator
  <= 7 (the weights have denominators 3, 5 and 7), e.g. 2/3 and 4/3 for Ge. The total then equals
  Z exactly for every Z = 1 ... 99; if it did not, :class:`~nuem.exceptions.NuemError` would be
  raised rather than rescaling silently.
* **Shells without a tabulated edge.** A few occupied outer shells have no ``EdgeEnergy`` entry
  (e.g. N1 = 4s of K ... Zn, P1 = 6s of Cs, Q1 = 7s of U). These are valence electrons bound
  by a few eV; they get ``binding_kev = 0`` and ``binding_tabulated = False`` and are therefore
  counted as active at any recoil energy, i.e. treated as free electrons.

Stepping approximation
----------------------
Kopeikin, Mikaelyan & Sinev, Phys. At. Nucl. 60, 1859 (1997); Fayans, Mikaelyan & Sinev,
Phys. At. Nucl. 64, 1475 (2001): the cross section per atom for energy transfer T is the
free-electron cross section times the number of electrons that can be ionized,

.. math:: Z_\\mathrm{eff}(T) = \\sum_i n_i\\, \\theta(T - B_i),

with the step inclusive at T = B_i. It is the standard approximation for Standard-Model nu-e
scattering and for the magnetic-moment channel (Kouzakov, Studenikin & Voloshin, PRD 83, 113001
(2011); ab initio confirmation: J.-W. Chen et al., PLB 731, 159 (2014)). It is *not* reliable for
T at or below the outermost binding energies (tens of eV and less), and it does not describe the
millicharge channel, which is enhanced at low momentum transfer (J.-W. Chen et al., PRD 90,
011301(R) (2014); docs/atomic_models.md).

Examples
--------
>>> from hepunits import keV
>>> stepping_electrons_kev(32, [1.0, 10.0, 11.1031, 12.0]).tolist()   # Ge, docs/targets.md
[22.0, 30.0, 32.0, 32.0]
>>> float(stepping_electrons(32, 1.0 * keV))
22.0
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from hepunits import keV

from .._validation import positive
from ..exceptions import InvalidParameterError, NuemError

__all__ = [
    "Shell",
    "Z_MAX",
    "shells",
    "binding_energies_kev",
    "stepping_electrons",
    "stepping_electrons_kev",
]

#: Largest atomic number with xraylib ``ElectronConfig`` data.
Z_MAX = 99

# Shell names in xraylib macro order (K_SHELL = 0, L1_SHELL = 1, ..., Q3_SHELL = 30).
_SHELL_NAMES = ("K", "L1", "L2", "L3", "M1", "M2", "M3", "M4", "M5",
                "N1", "N2", "N3", "N4", "N5", "N6", "N7",
                "O1", "O2", "O3", "O4", "O5", "O6", "O7",
                "P1", "P2", "P3", "P4", "P5", "Q1", "Q2", "Q3")
_MAX_DENOMINATOR = 7


@dataclass(frozen=True)
class Shell:
    """One atomic subshell.

    Attributes
    ----------
    name : str
        Siegbahn-style subshell name (``"K"``, ``"L1"`` ... ``"Q3"``).
    binding_kev : float
        Binding (edge) energy in keV from xraylib ``EdgeEnergy``; 0 if not tabulated.
    occupancy : float
        Number of electrons (may be fractional for open p, d, f shells; see module notes).
    binding_tabulated : bool
        False when xraylib has no edge energy for this occupied shell (binding set to 0).

    Examples
    --------
    >>> shells(32)[0]
    Shell(name='K', binding_kev=11.1031, occupancy=2.0, binding_tabulated=True)
    """

    name: str
    binding_kev: float
    occupancy: float
    binding_tabulated: bool = True


def _check_z(z) -> int:
    if isinstance(z, bool):
        raise InvalidParameterError(f"z={z!r} is not an atomic number")
    try:
        zi = operator.index(z)
    except TypeError:
        raise InvalidParameterError(f"z={z!r} is not an integer atomic number") from None
    if not 1 <= zi <= Z_MAX:
        raise InvalidParameterError(f"z={zi!r} is outside the range of the xraylib shell tables "
                                    f"[1, {Z_MAX}]")
    return zi


@functools.cache
def _shells(z: int) -> tuple[Shell, ...]:
    import xraylib  # lazy: about 20 ms

    raw = []
    for index in range(len(_SHELL_NAMES)):
        try:
            n = xraylib.ElectronConfig(z, index)
        except ValueError:  # shell does not exist for this Z
            continue
        if n <= 0:
            continue
        try:
            b, tab = float(xraylib.EdgeEnergy(z, index)), True
        except ValueError:  # occupied but no edge tabulated: free valence electrons
            b, tab = 0.0, False
        if b <= 0:
            b, tab = 0.0, False
        raw.append((_SHELL_NAMES[index], b, Fraction(n).limit_denominator(_MAX_DENOMINATOR), tab))
    total = sum(r[2] for r in raw)
    if total != z:
        raise NuemError(f"xraylib occupancies for Z={z} sum to {float(total)!r}, not {z}")
    return tuple(Shell(name, b, float(n), tab) for name, b, n, tab in raw)


def shells(z) -> tuple[Shell, ...]:
    """Occupied subshells of the neutral atom with atomic number ``z``.

    Parameters
    ----------
    z : int
        Atomic number, 1 ... 99.

    Returns
    -------
    tuple of Shell
        In xraylib shell order (K first). Occupancies sum to ``z`` exactly (see module notes).

    Raises
    ------
    InvalidParameterError
        If ``z`` is not an integer in [1, 99].

    Examples
    --------
    >>> [(s.name, s.binding_kev) for s in shells(32)][:4]   # Ge, xraylib EdgeEnergy
    [('K', 11.1031), ('L1', 1.4143), ('L2', 1.2478), ('L3', 1.2167)]
    >>> sum(s.occupancy for s in shells(32))
    32.0
    >>> [s.name for s in shells(55) if not s.binding_tabulated]   # Cs 6s: no edge tabulated
    ['P1']
    """
    return _shells(_check_z(z))


def binding_energies_kev(z) -> np.ndarray:
    """Binding energies (keV) of the occupied subshells of element ``z``, in shell order.

    Untabulated valence shells appear with 0 (see module notes). A fresh array is returned.

    Examples
    --------
    >>> binding_energies_kev(1).tolist()   # hydrogen 1s, 13.6 eV
    [0.0136]
    """
    return np.array([s.binding_kev for s in shells(z)])


@functools.cache
def _step_table(z: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted binding energies (keV and hepunits) and cumulative occupancies (leading 0)."""
    sh = _shells(z)
    order = np.argsort([s.binding_kev for s in sh], kind="stable")
    b_kev = np.array([sh[i].binding_kev for i in order])
    cum = np.concatenate([[0.0], np.cumsum([sh[i].occupancy for i in order])])
    cum[-1] = float(z)  # exact total (cumulative float rounding of fractions like 2/3 + 4/3)
    for arr in (b_kev, cum):
        arr.setflags(write=False)
    b_internal = b_kev * keV
    b_internal.setflags(write=False)
    return b_kev, b_internal, cum


def _count(edges: np.ndarray, cum: np.ndarray, t: np.ndarray):
    idx = np.searchsorted(edges, t, side="right")  # number of shells with B_i <= T
    return cum[idx][()]


def stepping_electrons(z, t):
    """Number of electrons with binding energy <= T (stepping approximation).

    Parameters
    ----------
    z : int
        Atomic number, 1 ... 99.
    t : float or array_like
        Energy transfer (recoil energy) in hepunits (MeV = 1), >= 0, any shape.

    Returns
    -------
    numpy.float64 or numpy.ndarray
        :math:`\\sum_i n_i\\,\\theta(T - B_i)` with the step inclusive at T = B_i; same shape as
        ``t``. Equals ``z`` above the K edge.

    Raises
    ------
    InvalidParameterError
        If ``z`` is invalid or ``t`` is negative, NaN or infinite.

    Examples
    --------
    >>> from hepunits import keV
    >>> stepping_electrons(32, [[0.5 * keV], [11.1031 * keV]]).tolist()
    [[22.0], [32.0]]
    """
    zi = _check_z(z)
    tt = positive(t, "t", allow_zero=True)
    _, edges, cum = _step_table(zi)
    return _count(edges, cum, tt)


def stepping_electrons_kev(z, t_kev):
    """:func:`stepping_electrons` with the energy transfer ``t_kev`` in keV.

    The comparison is made in keV, so ``t_kev`` equal to a tabulated edge is exactly on the step
    (inclusive).

    Examples
    --------
    >>> float(stepping_electrons_kev(32, 1.2167)), float(stepping_electrons_kev(32, 1.2166))
    (26.0, 22.0)
    """
    zi = _check_z(z)
    tt = positive(t_kev, "t_kev", "keV", allow_zero=True)
    edges, _, cum = _step_table(zi)
    return _count(edges, cum, tt)

