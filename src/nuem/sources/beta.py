"""Allowed β⁻ decay antineutrino spectra, and the 238U(n,γ) capture chain 239U -> 239Np -> 239Pu.

For one β⁻ branch of endpoint (kinetic) energy E0 = Q - E_level the antineutrino spectrum of an
allowed transition is (e.g. H. Behrens & W. Bühring, *Electron Radial Wave Functions and Nuclear
Beta-decay*, Oxford 1982; D.H. Wilkinson, Nucl. Instrum. Meth. A 275, 378 (1989))

.. math:: \\frac{dN}{dE_\\nu} \\propto F(Z_d, W)\\, p\\, W\\, E_\\nu^2, \\qquad
          W = E_0 - E_\\nu + m_e,\\quad p = \\sqrt{W^2 - m_e^2},

valid for 0 <= E_nu < E0 and zero for E_nu >= E0, normalised here to 1 antineutrino per decay of
the branch. Near E_nu -> 0 it vanishes as E_nu^2; at E_nu -> E0 (electron at rest) p F stays
finite for β⁻ (Coulomb attraction), so the spectrum drops to zero there with a step.

Fermi function (relativistic point nucleus evaluated at the nuclear radius R; Behrens & Jänecke,
Landolt-Börnstein New Series I/4 (1969); Wilkinson, NIM A 275, 378 (1989), Eq. 1), with W and p in
units of m_e and R in units of ħ/(m_e c):

.. math:: F = 2(1+\\gamma)(2pR)^{2(\\gamma-1)} e^{\\pi\\eta}
          \\frac{|\\Gamma(\\gamma+i\\eta)|^2}{\\Gamma(2\\gamma+1)^2},\\quad
          \\gamma = \\sqrt{1-(\\alpha Z_d)^2},\\quad \\eta = \\alpha Z_d W/p,\\quad
          R = 1.2\\,A^{1/3}\\ \\mathrm{fm}.

Shape factors of forbidden transitions, finite-size, screening and radiative corrections are
neglected (effects of a few per cent on the shape; they do not change the normalisation).

Branch data of the capture chain (endpoints and intensities) are those of the Geant4
RadioactiveDecay data library (files ``z92.a239`` and ``z93.a239``), which are generated from
ENSDF; evaluation: E. Browne & J.K. Tuli, Nuclear Data Sheets 122, 205 (2014) (A = 239).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, finite_scalar, positive_scalar
from ..constants import ALPHA, ELECTRON_MASS, HBARC, MeV, fermi
from ..exceptions import InvalidParameterError

__all__ = [
    "BetaBranch",
    "BetaDecay",
    "U239_DECAY",
    "NP239_DECAY",
    "fermi_function",
    "allowed_antineutrino_spectrum",
]

_ME_MEV = ELECTRON_MASS / MeV
_COMPTON_FM = HBARC / ELECTRON_MASS / fermi  # ħ/(m_e c) = 386.159 fm


def _log_fermi(z: int, a: int, w: np.ndarray, p: np.ndarray) -> np.ndarray:
    """ln F for total energy ``w`` and momentum ``p`` in m_e units (p > 0).

    ``z`` is the signed charge seen by the lepton: +Z_d for β⁻ (electron), -Z_d for β⁺
    (positron, Coulomb repulsion); |z| <= 136.
    """
    from scipy.special import loggamma  # lazy: keeps ``import nuem.sources`` light

    az = ALPHA * z
    gamma = np.sqrt(1.0 - az * az)
    eta = az * w / p
    r = 1.2 * a ** (1.0 / 3.0) / _COMPTON_FM
    return (np.log(2.0 * (1.0 + gamma)) + 2.0 * (gamma - 1.0) * np.log(2.0 * p * r)
            + np.pi * eta + 2.0 * loggamma(gamma + 1j * eta).real
            - 2.0 * loggamma(2.0 * gamma + 1.0).real)


def fermi_function(z_daughter: int, mass_number: int, te_mev) -> np.ndarray:
    """Fermi function F(Z_d, W) of β⁻ decay at electron kinetic energies ``te_mev`` (MeV, > 0).

    Relativistic point-nucleus form evaluated at R = 1.2 A^(1/3) fm (module docstring; Behrens
    & Jänecke 1969, Wilkinson NIM A 275, 378 (1989)). Valid for 1 <= Z_d <= 136.

    Examples
    --------
    >>> f = fermi_function(94, 239, [0.1, 0.3, 0.7])
    >>> bool(f[0] > f[1] > f[2] > 1.0)  # Coulomb attraction enhances slow electrons
    True
    """
    z = int(positive_scalar(z_daughter, "z_daughter"))
    if not 1 <= z < 1.0 / ALPHA:
        raise InvalidParameterError(f"z_daughter={z_daughter!r} must be in [1, 136]")
    a = int(positive_scalar(mass_number, "mass_number"))
    t = as_float_array(te_mev, "te_mev")
    if np.any(t <= 0):
        raise InvalidParameterError(f"te_mev={float(t[t <= 0].flat[0])!r} MeV must be > 0")
    w = 1.0 + t / _ME_MEV
    return np.exp(_log_fermi(z, a, w, np.sqrt(w * w - 1.0)))


def _unnormalised(enu: np.ndarray, endpoint: float, z: int, a: int) -> np.ndarray:
    """F(z, W) p W E_nu^2 (arbitrary units) for E_nu in MeV; zero outside 0 < E_nu < endpoint.

    The allowed shape of the module docstring for a β⁻ (``z`` = +Z_d) or, with ``z`` = -Z_d, a
    β⁺ branch (:mod:`nuem.sources.solar_spectra`); the lepton kinetic energy is endpoint - E_nu.
    """
    out = np.zeros_like(enu, dtype=float)
    ok = (enu > 0) & (enu < endpoint)
    te = endpoint - enu[ok]
    w = 1.0 + te / _ME_MEV
    p = np.sqrt(te / _ME_MEV * (w + 1.0))  # = sqrt(W^2 - 1) without cancellation
    with np.errstate(under="ignore"):  # β⁺: F -> 0 exponentially as the positron stops
        out[ok] = np.exp(_log_fermi(z, a, w, p)) * p * w * enu[ok] ** 2
    return out


_GL_X, _GL_W = np.polynomial.legendre.leggauss(128)


@functools.lru_cache(maxsize=256)
def _norm(endpoint: float, z: int, a: int) -> float:
    """∫_0^E0 F p W E_nu^2 dE_nu of :func:`_unnormalised` (signed ``z``; Gauss–Legendre on
    [0, E0/2] and [E0/2, E0]: the integrand is smooth inside, its step or zero at E0 is an end)."""
    total = 0.0
    for lo, hi in ((0.0, 0.5 * endpoint), (0.5 * endpoint, endpoint)):
        x = 0.5 * (lo + hi) + 0.5 * (hi - lo) * _GL_X
        total += 0.5 * (hi - lo) * float(np.dot(_GL_W, _unnormalised(x, endpoint, z, a)))
    return total


def allowed_antineutrino_spectrum(enu_mev, *, endpoint_mev: float, z_daughter: int,
                                  mass_number: int) -> np.ndarray:
    """Antineutrino spectrum of one allowed β⁻ branch, per MeV per decay (integral 1).

    Parameters
    ----------
    enu_mev : array_like
        Antineutrino energies (MeV, >= 0).
    endpoint_mev : float
        Kinetic endpoint E0 = Q - E_level of the branch (MeV, > 0).
    z_daughter, mass_number : int
        Charge and mass number of the daughter nucleus.

    Returns
    -------
    ndarray
        dN/dE_nu in MeV^-1, zero for E_nu >= E0.

    Examples
    --------
    >>> import numpy as np
    >>> e = np.linspace(0.0, 0.7224, 20001)
    >>> y = allowed_antineutrino_spectrum(e, endpoint_mev=0.7224, z_daughter=94, mass_number=239)
    >>> round(float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(e))), 4)
    1.0
    """
    q = positive_scalar(endpoint_mev, "endpoint_mev", "MeV")
    z = int(finite_scalar(z_daughter, "z_daughter"))
    if not 1 <= z < 1.0 / ALPHA:
        raise InvalidParameterError(f"z_daughter={z_daughter!r} must be in [1, 136]")
    a = int(positive_scalar(mass_number, "mass_number"))
    e = as_float_array(enu_mev, "enu_mev")
    if np.any(e < 0):
        raise InvalidParameterError(f"enu_mev={float(e[e < 0].flat[0])!r} MeV is negative")
    return _unnormalised(e, q, z, a) / _norm(q, z, a)


@dataclass(frozen=True)
class BetaBranch:
    """One β⁻ branch: daughter level (keV), kinetic endpoint (MeV), intensity (% per decay)."""

    level_kev: float
    endpoint_mev: float
    intensity_percent: float


@dataclass(frozen=True)
class BetaDecay:
    """A β⁻ emitter: a sum of allowed branches, normalised to one ν̄e per decay.

    Intensities are renormalised to sum to 1 (they sum to 100 % within 0.01 % for the shipped
    data). All branches are computed with the allowed shape (see module docstring).
    """

    name: str
    z_daughter: int
    mass_number: int
    q_mev: float
    branches: tuple[BetaBranch, ...]
    source: str

    @property
    def endpoints_mev(self) -> tuple[float, ...]:
        """Kinetic endpoints of all branches (MeV)."""
        return tuple(b.endpoint_mev for b in self.branches)

    def spectrum_per_decay(self, enu_mev) -> np.ndarray:
        """dN/dE_nu per MeV per decay (integral 1) at ``enu_mev`` (MeV, >= 0)."""
        e = as_float_array(enu_mev, "enu_mev")
        if np.any(e < 0):
            raise InvalidParameterError(f"enu_mev={float(e[e < 0].flat[0])!r} MeV is negative")
        return self._spectrum(e)

    def _spectrum(self, e: np.ndarray) -> np.ndarray:
        total = sum(b.intensity_percent for b in self.branches)
        out = np.zeros_like(e, dtype=float)
        for b in self.branches:
            norm = _norm(b.endpoint_mev, self.z_daughter, self.mass_number)
            out += (b.intensity_percent / total / norm) * _unnormalised(
                e, b.endpoint_mev, self.z_daughter, self.mass_number)
        return out


_G4 = ("Geant4 RadioactiveDecay data ({}; from ENSDF, E. Browne & J.K. Tuli, Nucl. Data Sheets "
       "122, 205 (2014)); all branches with allowed shape")


def _branches(q_kev: float, rows) -> tuple[BetaBranch, ...]:
    return tuple(BetaBranch(lvl, round(q_kev - lvl, 3) / 1000.0, i) for lvl, i in rows)


#: 239U β⁻ decay (T1/2 = 23.45 min) to 239Np (Z = 93): Q = 1261.7 keV; branches
#: (level keV, intensity %) from Geant4 RadioactiveDecay file z92.a239 (ENSDF).
U239_DECAY = BetaDecay(
    name="U239", z_daughter=93, mass_number=239, q_mev=1.2617,
    branches=_branches(1261.7, [
        (0.0, 18.701), (31.1309, 9.4006), (74.664, 69.004), (117.715, 1.9601),
        (662.261, 0.30002), (695.1, 0.049003), (819.209, 0.27002), (964.08, 0.24001),
        (992.05, 0.027002), (1040.39, 0.035002), (1096.98, 0.013001)]),
    source=_G4.format("z92.a239"),
)

#: 239Np β⁻ decay (T1/2 = 2.356 d) to 239Pu (Z = 94): Q = 722.8 keV; branches from Geant4
#: RadioactiveDecay file z93.a239 (ENSDF). The 469.8 keV branch (0.0027 %, unique first
#: forbidden) and a 1e-27 % branch are omitted.
NP239_DECAY = BetaDecay(
    name="Np239", z_daughter=94, mass_number=239, q_mev=0.7228,
    branches=_branches(722.8, [
        (7.861, 2.0054), (285.46, 45.12), (330.124, 7.0187), (391.584, 44.118),
        (492.1, 0.020054), (505.6, 0.0074198), (511.838, 1.7045), (556.2, 0.003008)]),
    source=_G4.format("z93.a239"),
)
