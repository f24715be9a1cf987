"""Activity and source-detector geometry of radioactive neutrino sources.

An isotropic source of activity A (decays per second) emitting n neutrinos per decay gives, at a
detector element a distance r away, the flux n A / (4 pi r^2). For an extended source or detector
the flux averaged over the detector is

.. math:: \\bar\\Phi = \\frac{n A}{4\\pi} \\left\\langle \\frac{1}{r^2} \\right\\rangle ,

where <1/r^2> is the mean inverse-square distance over all source-detector point pairs
(weighted by source activity and detector mass); a point source at distance L has
<1/r^2> = 1/L^2. This is exact for the integrated flux and neglects attenuation (neutrinos are
not absorbed at these energies) and any oscillation over the source size.

Activity units: 1 Ci = 3.7e10 Bq exactly (the definition of the curie; hepunits ``curie``), so
1 MCi = 3.7e16 Bq.

Examples
--------
>>> round(activity_in_bq(activity_mci=3.414) / 1e16, 6)        # BEST 51Cr source
12.6318
>>> f"{flux_from_activity_cm2_s(1.0e16, distance_m=1.0):.4e}"  # A / (4 pi (100 cm)^2)
'7.9577e+10'
"""

from __future__ import annotations

import math

from hepunits import becquerel, cm2, curie, m

from .._validation import positive_scalar
from ..exceptions import InvalidParameterError

__all__ = ["activity_in_bq", "mean_inverse_square_cm2", "flux_from_activity_cm2_s"]

_MCI_IN_BQ = 1.0e6 * curie / becquerel  # 3.7e16 Bq per MCi (definition of the curie)


def activity_in_bq(activity_bq: float | None = None, activity_mci: float | None = None, *,
                   default_mci: float | None = None) -> float:
    """Activity in Bq from exactly one of ``activity_bq`` (Bq) and ``activity_mci`` (MCi).

    Parameters
    ----------
    activity_bq, activity_mci : float, optional
        Activity in becquerel or in megacurie (> 0). Giving both is an error.
    default_mci : float, optional
        Activity (MCi) used when neither is given; without it one of them is required.

    Returns
    -------
    float
        Decays per second.
    """
    if activity_bq is not None and activity_mci is not None:
        raise InvalidParameterError(
            f"activity_bq={activity_bq!r} and activity_mci={activity_mci!r} were both given; "
            "give the activity once, in Bq or in MCi")
    if activity_bq is not None:
        return positive_scalar(activity_bq, "activity_bq", "Bq")
    if activity_mci is not None:
        return positive_scalar(activity_mci, "activity_mci", "MCi") * _MCI_IN_BQ
    if default_mci is None:
        raise InvalidParameterError("activity_bq or activity_mci is required (the source "
                                    "activity, > 0)")
    return positive_scalar(default_mci, "activity_mci", "MCi") * _MCI_IN_BQ


def mean_inverse_square_cm2(distance_m: float | None = None,
                            mean_inverse_square_m2: float | None = None, *,
                            default_distance_m: float | None = None) -> float:
    """<1/r^2> in cm^-2 from exactly one of a point distance and a supplied mean.

    Parameters
    ----------
    distance_m : float, optional
        Point source at this distance L (m, > 0): <1/r^2> = 1/L^2.
    mean_inverse_square_m2 : float, optional
        The mean inverse-square distance <1/r^2> itself, in m^-2 (> 0), e.g. from a Monte Carlo
        of the source and detector volumes.
    default_distance_m : float, optional
        Point distance (m) used when neither is given.
    """
    if distance_m is not None and mean_inverse_square_m2 is not None:
        raise InvalidParameterError(
            f"distance_m={distance_m!r} and mean_inverse_square_m2={mean_inverse_square_m2!r} "
            "were both given; give a point distance or a mean inverse-square distance, not both")
    if mean_inverse_square_m2 is not None:
        value = positive_scalar(mean_inverse_square_m2, "mean_inverse_square_m2", "m^-2")
        return value / (m * m) * cm2
    if distance_m is None:
        if default_distance_m is None:
            raise InvalidParameterError("distance_m or mean_inverse_square_m2 is required (the "
                                        "source-detector geometry)")
        distance_m = default_distance_m
        name = "default_distance_m"
    else:
        name = "distance_m"
    dist = positive_scalar(distance_m, name, "m") * m
    return cm2 / (dist * dist)


def flux_from_activity_cm2_s(activity_bq: float, *, distance_m: float | None = None,
                             mean_inverse_square_m2: float | None = None,
                             per_decay: float = 1.0) -> float:
    """Flux n A <1/r^2> / (4 pi) in cm^-2 s^-1 (module docstring).

    Parameters
    ----------
    activity_bq : float
        Decays per second (> 0).
    distance_m, mean_inverse_square_m2 : float
        Geometry, exactly one (see :func:`mean_inverse_square_cm2`).
    per_decay : float
        Neutrinos per decay n (>= 0; 1 for electron capture and beta decay).
    """
    a = positive_scalar(activity_bq, "activity_bq", "Bq")
    n = positive_scalar(per_decay, "per_decay", allow_zero=True)
    inv = mean_inverse_square_cm2(distance_m, mean_inverse_square_m2)
    return n * a * inv / (4.0 * math.pi)
