"""Neutrino charge radius <r^2> in nu-e scattering: the conventions and their conversion.

The literature uses two normalisations that differ by a factor 2, and nuem names them:

``"gv-shift"`` (default)
    g_V -> g_V + x with x = sqrt2 pi alpha <r^2> / (3 G_F) = 0.02380 per 1e-32 cm^2: the form
    printed by H.T. Wong & H.B. Li, Mod. Phys. Lett. A 20, 1103 (2005), after Eq. 5, and by
    C. Giunti & A. Studenikin, Rev. Mod. Phys. 87, 531 (2015).
``"sin2w-shift"``
    sin^2 theta_W -> sin^2 theta_W + x with the same x, i.e. g_V -> g_V + 2x (g_V = +-1/2 +
    2 sin^2 theta_W). This is how experimental bounds are quoted from a sin^2 theta_W
    measurement: M. Deniz et al. (TEXONO), Phys. Rev. D 81, 072001 (2010) (CsI(Tl):
    sin^2 theta_W = 0.251 +- 0.031 +- 0.024 -> -2.1 < <r^2>/1e-32 cm^2 < 3.3 at 90 % CL) and
    J. Barranco, O.G. Miranda, T.I. Rashba, Phys. Lett. B 662, 431 (2008), arXiv:0707.4319.
``"tree-level"``
    g_V -> g_V + (2/3) M_W^2 sin^2 theta_W <r^2>, the tree-level expression of Wong & Li 2005
    after Eq. 5 (equal to "gv-shift" when G_F/sqrt2 = pi alpha/(2 sin^2 theta_W M_W^2); 0.02638 per
    1e-32 cm^2 with the low-Q^2 sin^2 theta_W).

``"canonical"`` is accepted as the former name of ``"gv-shift"``. A number in cm^2 means nothing
without its convention: nuem writes the convention next to every <r^2> it outputs.

The shift is the same for nu and nubar (the photon and Z vector couplings of the antineutrino
both flip sign); <r^2> is that of the incident flavour.
"""

from __future__ import annotations

import math

import numpy as np
from hepunits import cm2

from .._validation import as_float_array, choice, finite_scalar, positive_scalar
from ..constants import ALPHA, G_FERMI, HBARC2, SIN2_THETA_W_LOW_Q2, W_MASS
from ..exceptions import InvalidParameterError
from .kinematics import check_sin2w

__all__ = ["R2_CONVENTIONS", "R2_ALIASES", "check_r2_convention", "charge_radius_gv_shift",
           "charge_radius_gv_shift_internal", "r2_per_sin2w_shift_cm2",
           "r2_interval_from_sin2w"]

#: The charge-radius conventions (first = default).
R2_CONVENTIONS = ("gv-shift", "sin2w-shift", "tree-level")
#: Former names still accepted.
R2_ALIASES = {"canonical": "gv-shift"}
_PER = math.sqrt(2.0) * math.pi * ALPHA / (3.0 * G_FERMI)  # x per <r^2> (natural units)


def check_r2_convention(convention: str, name: str = "r2_convention") -> str:
    """The canonical name of a convention (aliases resolved); UnknownNameError otherwise."""
    convention = R2_ALIASES.get(convention, convention)
    return choice(convention, name, R2_CONVENTIONS)


def charge_radius_gv_shift_internal(r2_cm2, convention: str = "gv-shift",
                                    sin2w: float = SIN2_THETA_W_LOW_Q2):
    """Shift of g_V from ``r2_cm2`` (cm^2) in a convention (module docstring); no validation
    of ``r2_cm2``."""
    convention = check_r2_convention(convention)
    r2 = np.asarray(r2_cm2, dtype=float) * cm2 / HBARC2  # natural units, energy^-2
    if convention == "gv-shift":
        return _PER * r2
    if convention == "sin2w-shift":
        return 2.0 * _PER * r2
    return 2.0 / 3.0 * W_MASS**2 * sin2w * r2


def charge_radius_gv_shift(r2_cm2, convention: str = "gv-shift",
                           sin2w: float = SIN2_THETA_W_LOW_Q2):
    """Shift of g_V (g_V -> g_V + shift) from a neutrino charge radius <r^2>.

    Parameters
    ----------
    r2_cm2 : array_like
        <r^2> in cm^2 (any sign, finite).
    convention : {"gv-shift", "sin2w-shift", "tree-level"}
        Module docstring; "gv-shift" gives 0.02380 per 1e-32 cm^2, "sin2w-shift" twice that.
    sin2w : float
        sin^2(theta_W) in (0, 1), used by "tree-level" only.

    Returns
    -------
    ndarray
        The shift of g_V, dimensionless.

    Examples
    --------
    >>> round(float(charge_radius_gv_shift(1e-32)), 5)
    0.0238
    >>> round(float(charge_radius_gv_shift(1e-32, "sin2w-shift")), 5)
    0.04759
    """
    r2 = as_float_array(r2_cm2, "r2_cm2")
    return charge_radius_gv_shift_internal(r2, check_r2_convention(convention, "convention"),
                                           check_sin2w(sin2w))


def r2_per_sin2w_shift_cm2(convention: str = "sin2w-shift",
                           sin2w: float = SIN2_THETA_W_LOW_Q2) -> float:
    """<r^2> (cm^2) that moves the measured sin^2 theta_W by +1 in a convention.

    A shift Delta of sin^2 theta_W is a shift 2 Delta of g_V; the <r^2> giving it is
    2 Delta / (g_V shift per cm^2 of the convention).
    """
    per_cm2 = float(charge_radius_gv_shift_internal(1.0, convention, sin2w))
    return 2.0 / per_cm2


def r2_interval_from_sin2w(sin2w: float, sigma: float, cl: float = 0.9, *,
                           convention: str = "sin2w-shift",
                           sin2w_sm: float = SIN2_THETA_W_LOW_Q2) -> tuple[float, float]:
    """Two-sided <r^2> interval (cm^2) from a measured sin^2 theta_W with a Gaussian error.

    The measurement S +- sigma of the effective sin^2 theta_W in nu-e scattering is read as
    S = sin2w_sm + Delta(<r^2>) with the shift of the chosen convention; the central Gaussian
    interval S +- z sigma, z = Phi^-1((1 + cl)/2), maps linearly to <r^2> (TEXONO CsI, Deniz
    et al., PRD 81, 072001 (2010): 0.251 +- 0.0392 at 90 % CL gives -2.2 ... 3.2 x 1e-32 cm^2 in
    "sin2w-shift", published -2.1 ... 3.3).

    Parameters
    ----------
    sin2w : float
        Measured sin^2 theta_W, in (0, 1).
    sigma : float
        Its total Gaussian error (> 0; add statistical and systematic errors in quadrature).
    cl : float
        Confidence level in (0, 1).
    convention : {"gv-shift", "sin2w-shift", "tree-level"}
    sin2w_sm : float
        Standard-Model value the measurement is compared with (default 0.23857, low-Q^2 MS-bar,
        PDG).

    Returns
    -------
    (float, float)
        (lower, upper) in cm^2.

    Examples
    --------
    >>> lo, hi = r2_interval_from_sin2w(0.251, 0.0392, 0.9)
    >>> round(lo / 1e-32, 2), round(hi / 1e-32, 2)
    (-2.19, 3.23)
    """
    from scipy.special import ndtri

    s = finite_scalar(sin2w, "sin2w")
    if not 0.0 < s < 1.0:
        raise InvalidParameterError(f"sin2w={s!r} is outside the allowed range (0, 1)")
    sig = positive_scalar(sigma, "sigma")
    c = finite_scalar(cl, "cl")
    if not 0.0 < c < 1.0:
        raise InvalidParameterError(f"cl={c!r} is outside the allowed range (0, 1)")
    s0 = check_sin2w(sin2w_sm)
    per = r2_per_sin2w_shift_cm2(convention, s0)
    z = float(ndtri(0.5 * (1.0 + c)))
    ends = sorted(((s - z * sig - s0) * per, (s + z * sig - s0) * per))
    return float(ends[0]), float(ends[1])
