"""Detector exposure: mass, fiducial fraction, dead time and live days ON/OFF.

Examples
--------
>>> from nuem.detectors.exposure import Exposure
>>> round(Exposure(mass_kg=1.06, live_days_on=570.7, live_days_off=127.8).on_kg_day, 3)
604.942
"""

from __future__ import annotations

from dataclasses import dataclass

from .._validation import positive_scalar
from ..exceptions import InvalidParameterError

__all__ = ["Exposure"]


@dataclass(frozen=True)
class Exposure:
    """Detector mass and live time, ON and OFF.

    exposure = mass_kg x fiducial_fraction x (1 - dead_time_fraction) x live_days, in kg day.
    ``dead_time_fraction`` is dead time *not* already removed from ``live_days_*`` (e.g. veto
    dead time); 0 when the live days are already net.

    Examples
    --------
    >>> x = Exposure(mass_kg=1.06, live_days_on=100.0, live_days_off=50.0, fiducial_fraction=0.5)
    >>> x.on_kg_day, x.off_kg_day
    (53.0, 26.5)
    """

    mass_kg: float
    live_days_on: float
    live_days_off: float = 0.0
    fiducial_fraction: float = 1.0
    dead_time_fraction: float = 0.0

    def __post_init__(self):
        positive_scalar(self.mass_kg, "mass_kg", "kg")
        positive_scalar(self.live_days_on, "live_days_on", "day", allow_zero=True)
        positive_scalar(self.live_days_off, "live_days_off", "day", allow_zero=True)
        for name in ("fiducial_fraction", "dead_time_fraction"):
            v = positive_scalar(getattr(self, name), name, allow_zero=True)
            if v > 1.0:
                raise InvalidParameterError(f"{name}={v!r} must lie in [0, 1]")

    @property
    def effective_mass_kg(self) -> float:
        """mass x fiducial fraction x (1 - dead-time fraction), kg."""
        return self.mass_kg * self.fiducial_fraction * (1.0 - self.dead_time_fraction)

    @property
    def on_kg_day(self) -> float:
        """Reactor-ON exposure in kg day."""
        return self.effective_mass_kg * self.live_days_on

    @property
    def off_kg_day(self) -> float:
        """Reactor-OFF exposure in kg day."""
        return self.effective_mass_kg * self.live_days_off
