"""Tritium beta-decay antineutrino source (e.g. the MAMMONT project setting).

3H -> 3He + e- + nuebar is a superallowed transition (ENSDF: Q = 18.5906(32) keV, T1/2 =
12.32(2) y, mean electron energy 5.6817(12) keV). Its antineutrino spectrum is the allowed
shape of :func:`nuem.sources.beta.allowed_antineutrino_spectrum` with end point E0 = Q, daughter
Z = 2, A = 3,

.. math:: \\frac{dN}{dE_\\nu} \\propto F(2, W)\\, p\\, W\\, E_\\nu^2,\\quad W = Q - E_\\nu + m_e,

normalised to one nuebar per decay; it steps to zero at E_nu = Q (electron at rest). The flux is
Phi = A <1/r^2> / (4 pi) (:mod:`nuem.sources.geometry`). The mean antineutrino energy of this
shape, Q - <T_e> = 12.909 keV with the ENSDF <T_e>, is reproduced to 0.2 % (tested); the
neglected screening, finite-size and radiative corrections are of that order.

MAMMONT preset (:meth:`TritiumSource.mammont`): a 40 MCi (4 kg) tritium source giving a flux of
6e14 cm^-2 s^-1 on the detector (L.N. Bogdanova, Nucl. Phys. A (2003), as quoted by
H.T. Wong & H.B. Li, Mod. Phys. Lett. A 20, 1103 (2005), Sec. 5). The quoted flux fixes the
effective geometry: <1/r^2> = 4 pi Phi / A = 50.94 m^-2 (a point source at 14.0 cm).

Examples
--------
>>> src = TritiumSource.mammont()
>>> f"{src.flux().total_cm2_s():.4e}", round(src.activity_mci, 6)
('6.0000e+14', 40.0)
>>> round(src.mean_inverse_square_m2, 2)
50.94
"""

from __future__ import annotations

import math

import numpy as np
from hepunits import cm2, m

from .._validation import positive_scalar
from ..exceptions import InvalidParameterError
from .beta import allowed_antineutrino_spectrum
from .flux import TabulatedFlux
from .geometry import activity_in_bq, flux_from_activity_cm2_s

__all__ = ["TRITIUM_Q_MEV", "TRITIUM_HALF_LIFE_DAYS", "MAMMONT_ACTIVITY_MCI",
           "MAMMONT_FLUX_CM2_S", "TritiumSource", "tritium_spectrum_per_decay"]

#: 3H beta-decay end point, MeV (ENSDF: 18.5906(32) keV).
TRITIUM_Q_MEV = 0.0185906
#: 3H half-life in days (ENSDF: 12.32(2) y, 365.25 d per year).
TRITIUM_HALF_LIFE_DAYS = 12.32 * 365.25
#: MAMMONT source activity (MCi) and flux on the detector (cm^-2 s^-1), module docstring.
MAMMONT_ACTIVITY_MCI = 40.0
MAMMONT_FLUX_CM2_S = 6.0e14

_Z_DAUGHTER, _MASS_NUMBER = 2, 3


def tritium_spectrum_per_decay(enu_mev) -> np.ndarray:
    """Antineutrino spectrum of tritium decay, per MeV per decay (module docstring).

    ``enu_mev`` in MeV (>= 0); zero at and above Q = 18.5906 keV.
    """
    return allowed_antineutrino_spectrum(enu_mev, endpoint_mev=TRITIUM_Q_MEV,
                                         z_daughter=_Z_DAUGHTER, mass_number=_MASS_NUMBER)


def _mammont_mean_inverse_square_m2() -> float:
    a = activity_in_bq(activity_mci=MAMMONT_ACTIVITY_MCI)
    inv_cm2 = 4.0 * math.pi * MAMMONT_FLUX_CM2_S / a
    return inv_cm2 / cm2 * (m * m)


class TritiumSource:
    """A tritium antineutrino source of given activity and geometry (module docstring).

    Parameters
    ----------
    activity_bq, activity_mci : float, optional
        Activity at the reference time (at most one; default 40 MCi, the MAMMONT source).
    distance_m : float, optional
        Point-source distance in m (> 0).
    mean_inverse_square_m2 : float, optional
        Mean inverse-square source-detector distance <1/r^2> in m^-2 (> 0). If neither
        geometry is given, the MAMMONT effective value 50.94 m^-2 is used.
    elapsed_days : float
        Time since the reference time (days, >= 0): activity x 2^(-t/T1/2), T1/2 = 12.32 y.
    nodes : int
        Number of tabulation nodes of the spectrum (>= 50; default 400).
    """

    def __init__(self, *, activity_bq: float | None = None, activity_mci: float | None = None,
                 distance_m: float | None = None, mean_inverse_square_m2: float | None = None,
                 elapsed_days: float = 0.0, nodes: int = 400):
        a0 = activity_in_bq(activity_bq, activity_mci, default_mci=MAMMONT_ACTIVITY_MCI)
        self.elapsed_days = positive_scalar(elapsed_days, "elapsed_days", "d", allow_zero=True)
        self.activity_bq = a0 * 2.0 ** (-self.elapsed_days / TRITIUM_HALF_LIFE_DAYS)
        if distance_m is None and mean_inverse_square_m2 is None:
            mean_inverse_square_m2 = _mammont_mean_inverse_square_m2()
        self.distance_m = distance_m
        self.mean_inverse_square_m2 = mean_inverse_square_m2
        self.flux_cm2_s = flux_from_activity_cm2_s(
            self.activity_bq, distance_m=distance_m,
            mean_inverse_square_m2=mean_inverse_square_m2)
        if distance_m is not None:
            self.mean_inverse_square_m2 = 1.0 / float(distance_m) ** 2
        n = int(positive_scalar(nodes, "nodes"))
        if n < 50:
            raise InvalidParameterError(f"nodes={nodes!r} must be >= 50")
        self.nodes = n
        self.label = (f"tritium source {self.activity_mci:.4g} MCi, "
                      f"Phi = {self.flux_cm2_s:.4g} /cm2/s")

    @classmethod
    def mammont(cls) -> TritiumSource:
        """The MAMMONT setting: 40 MCi, 6e14 cm^-2 s^-1 on the detector (module docstring)."""
        return cls(activity_mci=MAMMONT_ACTIVITY_MCI,
                   mean_inverse_square_m2=_mammont_mean_inverse_square_m2())

    @property
    def activity_mci(self) -> float:
        """Activity (after ``elapsed_days``) in MCi."""
        return self.activity_bq / activity_in_bq(activity_mci=1.0)

    def flux(self) -> TabulatedFlux:
        """nuebar flux at the detector (cm^-2 s^-1 MeV^-1 on nodes), total = Phi.

        Nodes crowd quadratically towards Q, the last node (the spectrum steps to zero
        there); the table is normalised to the flux exactly.
        """
        u = np.linspace(0.0, 1.0, self.nodes)
        e = TRITIUM_Q_MEV * (1.0 - (1.0 - u) ** 2)
        y = tritium_spectrum_per_decay(e[:-1])
        # Value at Q: the limit from below (the allowed spectrum is finite there, then zero).
        tail = tritium_spectrum_per_decay(np.array([TRITIUM_Q_MEV * (1.0 - 1e-12)]))
        y = np.concatenate([y, tail])
        table = TabulatedFlux(e, y, flavor="nuebar", label=self.label)
        return table.scaled(self.flux_cm2_s / table.total_cm2_s())

    def provenance(self) -> dict:
        """Plain-data description of the source."""
        return {"source": "tritium", "activity_bq": self.activity_bq,
                "elapsed_days": self.elapsed_days, "distance_m": self.distance_m,
                "mean_inverse_square_m2": self.mean_inverse_square_m2,
                "flux_cm2_s": self.flux_cm2_s, "q_mev": TRITIUM_Q_MEV}

    def __repr__(self) -> str:
        return f"TritiumSource({self.label!r})"
