"""Electron-capture neutrino sources (51Cr, 37Ar) and the EC line data they share with reactors.

An electron-capture decay to a daughter level E_level emits one mono-energetic nu_e. Capture from
shell X leaves a hole of binding energy B_X in the daughter atom, so

.. math:: E_\\nu = Q_{EC} - E_\\mathrm{level} - B_X \\qquad (X = K, L_1, M_1),

with intensity I_level x f_X (f_X the fraction of captures from shell X; "M" stands for M and
higher shells, whose binding is below 0.1 keV here). Nuclear recoil (< 10 eV) is neglected.
Binding energies: xraylib K, L1 and M1 edges of the daughter (:mod:`nuem.atoms.shells`).

Decay data (ENSDF, as distributed in the ``paceENSDF`` JSON files; ENSDF calculated capture
fractions):

=====  ==========  ===========  ========================================================
       Q_EC (keV)  T1/2         branches (level keV: intensity %; f_K, f_L, f_M+)
=====  ==========  ===========  ========================================================
51Cr   752.45(21)  27.704(3) d  0: 90.07 (0.8919, 0.09268, 0.01541);
                                320.0835: 9.93 (0.891, 0.09347, 0.01556)
37Ar   813.87(20)  35.011(19) d 0: 100 (0.9023, 0.08659, 0.01116)
55Fe   231.21(18)  2.744(9) y   0: 100 (0.885, 0.0974, 0.0161); the 126 keV branch
                                (1.3e-7 %) is omitted
=====  ==========  ===========  ========================================================

The fractions of each branch are divided by their sum (0.9985-1.0000). For 51Cr the four main
lines are 746.98 keV (80.3 %), 751.82 keV (8.3 %), 426.90 keV (8.8 %) and 431.74 keV (0.9 %),
the familiar "747, 752, 427, 432 keV" (the older split 81.63/8.49/8.95/0.93 % quoted in the gallium
source analyses, after J.N. Bahcall, arXiv:hep-ph/9710491, merges the M lines into L and uses
other capture fractions; rates differ by < 0.1 %). For 37Ar: 811.05 keV (90.2 %), 813.60 keV (8.7 %)
and 813.85 keV (1.1 %).

Default sources: a BEST-like 51Cr source of 3.414 MCi (Barinov et al., Phys. Rev. Lett. 128,
232501 (2022)) and the SAGE 37Ar source of 409 kCi (Abdurashitov et al., Phys. Rev. C (2006),
arXiv:nucl-ex/0512041), each at 1 m (a reference distance; the BEST and SAGE sources sat at
the centre of the gallium targets, mean distances of tens of cm).

Examples
--------
>>> src = ElectronCaptureSource("Cr51")                      # 3.414 MCi at 1 m
>>> f"{src.flux().total_cm2_s():.4e}"
'1.0052e+12'
>>> [round(float(e) * 1e3, 2) for e in src.flux().energies_mev]  # keV
[426.9, 431.74, 432.3, 746.98, 751.82, 752.38]
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from .._validation import choice, finite_scalar, positive_scalar
from .geometry import activity_in_bq, flux_from_activity_cm2_s
from .lines import LineFlux

__all__ = ["ECBranch", "ECDecay", "EC_DECAYS", "EC_SOURCE_ISOTOPES", "DEFAULT_ACTIVITY_MCI",
           "ElectronCaptureSource"]

_SHELLS = ("K", "L1", "M1")


@dataclass(frozen=True)
class ECBranch:
    """One EC branch: daughter level (keV), intensity (% per decay), capture fractions K, L, M+."""

    level_kev: float
    intensity_percent: float
    shell_fractions: tuple[float, float, float]


@dataclass(frozen=True)
class ECDecay:
    """An electron-capture emitter (module docstring table)."""

    name: str
    daughter_z: int
    q_kev: float
    half_life_days: float
    branches: tuple[ECBranch, ...]
    source: str

    def lines(self) -> tuple[np.ndarray, np.ndarray]:
        """(E_nu in MeV, nu_e per decay) of every (branch, shell) line, ascending in energy.

        E_nu = Q_EC - E_level - B_X(daughter) (module docstring); intensities sum to the total
        EC intensity of the listed branches (1 within 1e-9 for the shipped data).
        """
        return _lines(self)


@functools.lru_cache(maxsize=16)
def _lines(decay: ECDecay) -> tuple[np.ndarray, np.ndarray]:
    from ..atoms.shells import shells  # lazy: xraylib is needed only here

    binding = {s.name: s.binding_kev for s in shells(decay.daughter_z)}
    energies, weights = [], []
    for br in decay.branches:
        norm = sum(br.shell_fractions)
        for shell, frac in zip(_SHELLS, br.shell_fractions, strict=True):
            energies.append((decay.q_kev - br.level_kev - binding[shell]) / 1000.0)
            weights.append(br.intensity_percent / 100.0 * frac / norm)
    e, w = np.array(energies), np.array(weights)
    order = np.argsort(e)
    e, w = e[order], w[order]
    e.setflags(write=False)
    w.setflags(write=False)
    return e, w


_ENSDF = "ENSDF via paceENSDF JSON (calculated EC shell fractions)"

#: EC emitters known by name (module docstring table).
EC_DECAYS: dict[str, ECDecay] = {
    "Cr51": ECDecay("Cr51", 23, 752.45, 27.704,
                    (ECBranch(0.0, 90.07, (0.8919, 0.09268, 0.01541)),
                     ECBranch(320.0835, 9.93, (0.891, 0.09347, 0.01556))), _ENSDF),
    "Ar37": ECDecay("Ar37", 17, 813.87, 35.011,
                    (ECBranch(0.0, 100.0, (0.9023, 0.08659, 0.01116)),), _ENSDF),
    "Fe55": ECDecay("Fe55", 25, 231.21, 2.744 * 365.25,
                    (ECBranch(0.0, 100.0, (0.885, 0.0974, 0.0161)),), _ENSDF),
}

#: Isotopes offered as artificial neutrino sources.
EC_SOURCE_ISOTOPES = ("Cr51", "Ar37")

#: Default activities (MCi): BEST 51Cr (Barinov et al., PRL 128, 232501 (2022)) and SAGE 37Ar
#: (Abdurashitov et al. 2006, arXiv:nucl-ex/0512041).
DEFAULT_ACTIVITY_MCI = {"Cr51": 3.414, "Ar37": 0.409}

#: Default source-detector distance (m), a reference value.
DEFAULT_DISTANCE_M = 1.0


class ElectronCaptureSource:
    """An electron-capture nu_e source of given activity and geometry (module docstring).

    Parameters
    ----------
    isotope : {"Cr51", "Ar37"}
        The emitter.
    activity_bq, activity_mci : float, optional
        Activity at the reference time, in Bq or MCi (at most one; default
        :data:`DEFAULT_ACTIVITY_MCI`).
    distance_m : float, optional
        Point-source distance (m, > 0; default 1 m).
    mean_inverse_square_m2 : float, optional
        Instead of ``distance_m``: the mean inverse-square source-detector distance <1/r^2> in
        m^-2 (:mod:`nuem.sources.geometry`).
    elapsed_days : float
        Time since the reference time (days, >= 0): the activity is multiplied by
        2^(-t/T1/2) with the ENSDF half-life.

    Validity: lines of negligible width; isotropic emission; no oscillation (for sterile-
    neutrino studies apply the survival probability yourself).
    """

    def __init__(self, isotope: str = "Cr51", *, activity_bq: float | None = None,
                 activity_mci: float | None = None, distance_m: float | None = None,
                 mean_inverse_square_m2: float | None = None, elapsed_days: float = 0.0):
        self.isotope = choice(isotope, "isotope", EC_SOURCE_ISOTOPES)
        self.decay = EC_DECAYS[self.isotope]
        a0 = activity_in_bq(activity_bq, activity_mci,
                            default_mci=DEFAULT_ACTIVITY_MCI[self.isotope])
        self.elapsed_days = positive_scalar(elapsed_days, "elapsed_days", "d", allow_zero=True)
        self.activity_bq = a0 * 2.0 ** (-self.elapsed_days / self.decay.half_life_days)
        if distance_m is None and mean_inverse_square_m2 is None:
            distance_m = DEFAULT_DISTANCE_M
        self.distance_m = distance_m
        self.mean_inverse_square_m2 = mean_inverse_square_m2
        self.flux_cm2_s = flux_from_activity_cm2_s(
            self.activity_bq, distance_m=distance_m,
            mean_inverse_square_m2=mean_inverse_square_m2)
        geo = (f"{finite_scalar(distance_m, 'distance_m'):g} m" if distance_m is not None
               else f"<1/r^2> = {mean_inverse_square_m2:g} m^-2")
        self.label = f"{self.isotope} EC source, {self.activity_mci:.4g} MCi at {geo}"

    @property
    def activity_mci(self) -> float:
        """Activity (after ``elapsed_days``) in MCi (1 Ci = 3.7e10 Bq)."""
        return self.activity_bq / activity_in_bq(activity_mci=1.0)

    def flux(self) -> LineFlux:
        """The nu_e lines at the detector: Phi x (nu_e per decay of each line), cm^-2 s^-1."""
        e, w = self.decay.lines()
        return LineFlux(e, self.flux_cm2_s * w, "nue", label=self.label)

    def provenance(self) -> dict:
        """Plain-data description of the source."""
        return {"source": "electron_capture", "isotope": self.isotope,
                "activity_bq": self.activity_bq, "elapsed_days": self.elapsed_days,
                "distance_m": self.distance_m,
                "mean_inverse_square_m2": self.mean_inverse_square_m2,
                "flux_cm2_s": self.flux_cm2_s, "decay_data": self.decay.source}

    def __repr__(self) -> str:
        return f"ElectronCaptureSource({self.label!r})"

