"""Spectral shapes of the solar-neutrino branches (per emitted neutrino) and their data.

Continuous branches
-------------------
pp, hep, 13N, 15O and 17F are allowed beta+ transitions (for pp and hep a three-body fusion
reaction with the same phase space). The neutrino spectrum of an allowed beta+ branch of kinetic
end point E0 is (J.N. Bahcall, *Neutrino Astrophysics*, Cambridge 1989, Sec. 6.1)

.. math:: \\frac{dN}{dE_\\nu} \\propto F(-Z_d, W)\\, p\\, W\\, E_\\nu^2,\\qquad
          W = E_0 - E_\\nu + m_e,\\quad p = \\sqrt{W^2 - m_e^2},

for 0 <= E_nu <= E0, with the Fermi function of a positron (Z -> -Z_d in the relativistic
point-nucleus form of :mod:`nuem.sources.beta`, nuclear radius 1.2 A^(1/3) fm). It vanishes as
E_nu^2 at 0 and exponentially at E0 (Coulomb repulsion of the slow positron). End points:

========  =========  ===  ===  ==================================================================
branch    E0 (MeV)   Z_d  A    source of E0
========  =========  ===  ===  ==================================================================
pp        0.42023    1    2    2 m_p - m_d - m_e, CODATA 2018 masses
hep       18.7733    2    4    m_h + m_p - m_alpha - m_e (helion, alpha), CODATA 2018 masses
13N       1.19849    6    13   ENSDF beta+ end point (13N -> 13C)
15O       1.7320     7    15   ENSDF beta+ end point (15O -> 15N)
17F       1.73847    8    17   ENSDF beta+ end point (17F -> 17O, ground-state branch)
========  =========  ===  ===  ==================================================================

The mean neutrino energies of this shape reproduce the ENSDF mean positron energies of 13N, 15O
and 17F to better than 0.2 % (E0 - <T_e+>; tested). Neglected: the thermal kinetic energy of the
fusing ions (Bahcall's tabulated pp spectrum includes it and ends 3 keV higher, at 0.4234 MeV; the
mean pp energy moves by < 1 %), forbidden and radiative corrections (< 1 % on the shapes), the
weak 17F branch to the 871 keV level (0.03 %) and the electron-capture branches of the CNO
nuclei (0.1-0.2 %, lines at the Q_EC values).

8B is not an allowed shape (broad 8Be final state, recoil-order terms): its spectrum is
tabulated from Winter et al. (Phys. Rev. C, 2006; arXiv:nucl-ex/0406019), Table IV
(``nuem/data/solar/b8_winter2006.tsv``; see the SOURCES file there).

Lines
-----
7Be electron capture: E_nu = Q_EC - E_level = 0.8618 MeV (to the 7Li ground state, 89.56 %) and
0.3842 MeV (to the 477.6 keV level, 10.44 %), Q_EC = 861.815 keV and branchings from ENSDF
(TUNL A = 7 evaluation, D.R. Tilley et al., 2002); neglected are the ~1.3 keV shift of the solar
line by the thermal energy of the captured electrons (J.N. Bahcall's 1994 calculation of the
line shape) and the atomic binding (< 0.1 keV). pep: E_nu = 2 m_p + m_e - m_d = 1.4422 MeV
(CODATA 2018 masses; the thermal shift of ~ +3 keV is neglected).
"""

from __future__ import annotations

import functools
from importlib import resources

import numpy as np

from .._validation import as_float_array, positive_scalar
from ..exceptions import DataFileError, InvalidParameterError
from .beta import _norm, _unnormalised  # same package: the allowed shape, here with Z -> -Z_d

__all__ = ["CONTINUUM_SHAPES", "LINES", "AllowedShape", "positron_neutrino_spectrum",
           "b8_table", "continuum_nodes"]



class AllowedShape:
    """An allowed beta+ branch: end point ``endpoint_mev``, daughter charge and mass number."""

    def __init__(self, endpoint_mev: float, z_daughter: int, mass_number: int, source: str):
        self.endpoint_mev = positive_scalar(endpoint_mev, "endpoint_mev", "MeV")
        self.z_daughter = int(z_daughter)
        self.mass_number = int(mass_number)
        self.source = source

    def __repr__(self) -> str:
        return (f"AllowedShape(E0={self.endpoint_mev} MeV, Z_d={self.z_daughter}, "
                f"A={self.mass_number})")


#: The allowed-shape branches (module docstring table).
CONTINUUM_SHAPES: dict[str, AllowedShape] = {
    "pp": AllowedShape(0.42023, 1, 2, "2 m_p - m_d - m_e (CODATA 2018)"),
    "hep": AllowedShape(18.7733, 2, 4, "m_h + m_p - m_alpha - m_e (CODATA 2018)"),
    "13N": AllowedShape(1.19849, 6, 13, "ENSDF 13N beta+ end point 1198.49(27) keV"),
    "15O": AllowedShape(1.7320, 7, 15, "ENSDF 15O beta+ end point 1732.0(5) keV"),
    "17F": AllowedShape(1.73847, 8, 17, "ENSDF 17F beta+ end point 1738.47(25) keV"),
}

#: Mono-energetic branches: {branch: ((E_nu MeV, fraction), ...)} (module docstring).
LINES: dict[str, tuple[tuple[float, float], ...]] = {
    "7Be": ((0.8618, 0.8956), (0.3842, 0.1044)),
    "pep": ((1.4422, 1.0),),
}


def positron_neutrino_spectrum(enu_mev, *, endpoint_mev: float, z_daughter: int,
                               mass_number: int) -> np.ndarray:
    """Neutrino spectrum of one allowed beta+ branch, per MeV per decay (integral 1).

    Parameters
    ----------
    enu_mev : array_like
        Neutrino energies in MeV (>= 0).
    endpoint_mev : float
        Kinetic end point E0 of the positron (= maximum neutrino energy), MeV, > 0.
    z_daughter, mass_number : int
        Charge (1 <= Z_d <= 136) and mass number of the daughter nucleus.

    Returns
    -------
    ndarray
        dN/dE_nu in MeV^-1, zero outside (0, E0). Formula in the module docstring.

    Examples
    --------
    >>> e = np.linspace(0.0, 1.19849, 4001)
    >>> y = positron_neutrino_spectrum(e, endpoint_mev=1.19849, z_daughter=6, mass_number=13)
    >>> round(float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(e))), 5)
    1.0
    """
    e0 = positive_scalar(endpoint_mev, "endpoint_mev", "MeV")
    z = int(positive_scalar(z_daughter, "z_daughter"))
    if z > 136:
        raise InvalidParameterError(f"z_daughter={z_daughter!r} must be in [1, 136]")
    a = int(positive_scalar(mass_number, "mass_number"))
    e = as_float_array(enu_mev, "enu_mev")
    if np.any(e < 0):
        raise InvalidParameterError(f"enu_mev={float(e[e < 0].flat[0])!r} MeV is negative")
    return _unnormalised(e, e0, -z, a) / _norm(e0, -z, a)


def _allowed_nodes(e0: float, n: int = 600) -> np.ndarray:
    """Nodes 0 ... E0 crowding quadratically towards E0, where the spectrum falls to zero."""
    u = np.linspace(0.0, 1.0, n)
    return e0 * (1.0 - (1.0 - u) ** 2)


@functools.lru_cache(maxsize=1)
def b8_table() -> tuple[np.ndarray, np.ndarray]:
    """The 8B spectrum of Winter et al. 2006: (E_nu MeV, dN/dE MeV^-1 normalised to 1).

    Read from ``nuem/data/solar/b8_winter2006.tsv`` on first use; the normalisation is the
    trapezoid integral of the table (exact for the linear interpolant).

    Raises
    ------
    DataFileError
        Naming the file and line if it is missing or malformed.
    """
    res = resources.files("nuem.data").joinpath("solar/b8_winter2006.tsv")
    try:
        text = res.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(str(res), None, f"cannot read the 8B table: {exc}") from exc
    lines = text.splitlines()
    if not lines or lines[0].split() != ["E_MeV", "dN_dE_per_1000"]:
        raise DataFileError(str(res), 1, "expected the header 'E_MeV dN_dE_per_1000'")
    rows = []
    for no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2:
            raise DataFileError(str(res), no, f"expected 2 columns, found {len(parts)}")
        try:
            rows.append((float(parts[0]), float(parts[1])))
        except ValueError:
            raise DataFileError(str(res), no, f"not a number: {line.strip()!r}") from None
    data = np.array(rows)
    e, y = data[:, 0], data[:, 1]
    if np.any(np.diff(e) <= 0) or np.any(y < 0):
        raise DataFileError(str(res), None, "energies must increase and values be >= 0")
    y = y / float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(e)))
    e.setflags(write=False)
    y.setflags(write=False)
    return e, y


def continuum_nodes(branch: str) -> tuple[np.ndarray, np.ndarray]:
    """Nodes (MeV) and normalised shape (MeV^-1) of a continuous branch, for tabulation.

    Allowed shapes: 600 nodes crowding towards E0 (:func:`positron_neutrino_spectrum`); 8B: the
    Winter table with three extra nodes per 0.1 MeV interval on its linear interpolant (room for
    the energy dependence of P_ee). The shapes start and end at zero and are normalised so that
    the linear interpolant integrates to exactly 1 (the allowed shapes differ from their exact
    normalisation by < 1e-8).
    """
    if branch == "8B":
        e, y = b8_table()
        fine = np.linspace(e[0], e[-1], 4 * (e.size - 1) + 1)
        return fine, np.interp(fine, e, y)
    try:
        sh = CONTINUUM_SHAPES[branch]
    except KeyError:
        raise InvalidParameterError(f"branch={branch!r} is not a continuous solar branch; "
                                    f"known: 8B, {', '.join(CONTINUUM_SHAPES)}") from None
    e = _allowed_nodes(sh.endpoint_mev)
    y = positron_neutrino_spectrum(e, endpoint_mev=sh.endpoint_mev, z_daughter=sh.z_daughter,
                                   mass_number=sh.mass_number)
    return e, y / float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(e)))  # exact total 1 (4e-9)
