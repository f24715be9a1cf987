"""Neutrino radiative decay nu_i -> nu_j + gamma through a transition magnetic moment.

Wong & Li, Mod. Phys. Lett. A 20, 1103 (2005), Eq. 7:

    Gamma_ij = (m_i^2 - m_j^2)^3 / (8 pi m_i^3) mu_ij^2,

with mu_ij = mu_nu mu_B, mu_B = e/(2 m_e), e = sqrt(4 pi alpha) (Heaviside-Lorentz natural
units), so mu_B^2 = pi alpha / m_e^2. For m_j = 0 this is 5.307 s^-1 (mu/mu_B)^2 (m_i/eV)^3
(checked in tests/test_interactions_radiative.py). Converted to s^-1 with hbar = 6.582119569e-16
eV s (CODATA 2018).
Valid for the rest-frame decay of a free neutrino (no medium effects).

Examples
--------
>>> round(float(radiative_decay_rate_per_s(1.0, 1.0)), 3)
5.307
"""

from __future__ import annotations

import math

import numpy as np
from hepunits import eV

from .._validation import positive
from ..constants import ALPHA, ELECTRON_MASS, HBAR_EV_S
from ..exceptions import InvalidParameterError

__all__ = ["radiative_decay_width", "radiative_decay_rate_per_s", "lifetime_s"]


def radiative_decay_width(mu_nu, m_i, m_j=0.0):
    """Decay width Gamma (hepunits energy), Wong & Li 2005 Eq. 7; masses in hepunits, mu_nu in mu_B.

    No input validation (see :func:`radiative_decay_rate_per_s`).
    """
    m_i = np.asarray(m_i, dtype=float)
    mu2 = np.asarray(mu_nu, dtype=float) ** 2 * math.pi * ALPHA / ELECTRON_MASS**2
    return (m_i * m_i - np.asarray(m_j, dtype=float) ** 2) ** 3 / (8.0 * math.pi * m_i**3) * mu2


def _checked(mu_nu, m_i_ev, m_j_ev, *, mu_positive=False):
    mu = positive(mu_nu, "mu_nu", "mu_B", allow_zero=not mu_positive)
    mi = positive(m_i_ev, "m_i_ev", "eV")
    mj = positive(m_j_ev, "m_j_ev", "eV", allow_zero=True)
    bad = np.broadcast_to(mj >= mi, np.broadcast_shapes(mi.shape, mj.shape))
    if np.any(bad):
        pair = np.broadcast_arrays(mj, mi)
        mj0, mi0 = float(pair[0][bad].flat[0]), float(pair[1][bad].flat[0])
        raise InvalidParameterError(f"m_j_ev={mj0!r} eV is not allowed; the final mass must be "
                                    f"< m_i_ev={mi0!r} eV")
    return mu, mi, mj


def radiative_decay_rate_per_s(mu_nu, m_i_ev, m_j_ev=0.0):
    """Rest-frame decay rate of nu_i -> nu_j + gamma in s^-1 (Wong & Li 2005 Eq. 7).

    Parameters
    ----------
    mu_nu : array_like
        Transition magnetic moment |mu_ij| in Bohr magnetons (>= 0, Heaviside-Lorentz mu_B).
    m_i_ev : array_like
        Mass of the decaying state in eV (> 0).
    m_j_ev : array_like
        Mass of the final state in eV (>= 0, < m_i_ev).

    Returns
    -------
    ndarray
        Gamma / hbar in s^-1 (broadcast over the inputs).

    Examples
    --------
    >>> f"{float(radiative_decay_rate_per_s(1e-10, 0.05)):.3e}"
    '6.634e-24'
    """
    mu, mi, mj = _checked(mu_nu, m_i_ev, m_j_ev)
    return radiative_decay_width(mu, mi * eV, mj * eV) / eV / HBAR_EV_S


def lifetime_s(mu_nu, m_i_ev, m_j_ev=0.0):
    """Rest-frame lifetime tau = hbar / Gamma in s (Wong & Li 2005 Eq. 7); ``mu_nu`` must be > 0.

    Arguments as :func:`radiative_decay_rate_per_s`.

    Examples
    --------
    >>> f"{float(lifetime_s(1.0, 1.0)):.4f}"
    '0.1884'
    """
    mu, mi, mj = _checked(mu_nu, m_i_ev, m_j_ev, mu_positive=True)
    return HBAR_EV_S * eV / radiative_decay_width(mu, mi * eV, mj * eV)
