"""Energy-resolution models sigma(E) and their registry.

Public API (stable)
-------------------
* :class:`GaussianFano` ``(sigma_noise_kev, fano, pair_energy_ev, linear=0.0)`` -- model
  ``"gaussian-fano"``; :class:`Resolution` is the same model with germanium defaults
  (F = 0.11, eps = 2.96 eV, the ``Ge`` entry of :mod:`nuem.materials`).
* :class:`GaussianPoly` ``(c0_kev, c1_sqrt_kev, c2)`` -- model ``"gaussian-poly"``.
* :data:`RESOLUTION_MODELS` -- the registry (:class:`nuem.specs.Registry`, key ``model``) the
  experiment schema, the CLI and the docs read. Adding a model = one class with ``name``,
  ``sigma_kev``, ``fwhm_kev``, ``to_dict`` + one ``RESOLUTION_MODELS.register(Variant(...))``.

Every model is a frozen object with ``sigma_kev(e_kev)`` (keV in, keV out, E >= 0) used by the
smearing of :mod:`nuem.detectors.response`.

Physics
-------
``gaussian-fano`` (G.F. Knoll, *Radiation Detection and Measurement*, 4th ed., Ch. 12)::

    sigma(E)^2 = sigma_noise^2 + F * eps * E + (c * E)^2        [keV^2, E in keV]

F the Fano factor, eps the mean energy per charge quantum (pair-creation energy of a
semiconductor, W-value of a noble liquid), sigma_noise the electronic (pulser) noise, c an
optional term linear in E (charge trapping, gain drift). For germanium at 77 K F ~ 0.11 and
eps = 2.96 eV; other media take theirs from :mod:`nuem.materials`. Valid for E >= 0.

``gaussian-poly``::

    sigma(E) = c0 + c1 sqrt(E) + c2 E                            [keV, E in keV]

the empirical form of noble-liquid and scintillator resolutions, e.g. sigma = a sqrt(E) + b E of
the XENON1T electronic-recoil analysis (E. Aprile et al. (XENON), "Observation of excess
electronic recoil events in XENON1T", Phys. Rev. D 102, 072004 (2020)).
Coefficients >= 0 (sigma grows with E); valid for E >= 0.

Examples
--------
>>> round(float(GaussianFano(0.05, 0.11, 2.96).sigma_kev(10.37)), 4)
0.0767
>>> round(float(GaussianPoly(0.0, 0.1, 0.01).sigma_kev(4.0)), 12)   # 0.1*2 + 0.01*4
0.24
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar, Protocol, runtime_checkable

import numpy as np

from .._validation import positive, positive_scalar
from ..materials import FANO_GE, PAIR_ENERGY_GE_EV
from ..specs import Registry, Variant, number

__all__ = ["ResolutionModel", "GaussianFano", "Resolution", "GaussianPoly", "RESOLUTION_MODELS",
           "FANO_GE", "PAIR_ENERGY_GE_EV"]

_FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))


@runtime_checkable
class ResolutionModel(Protocol):
    """What the smearing needs from a resolution model."""

    def sigma_kev(self, e_kev) -> np.ndarray: ...

    def fwhm_kev(self, e_kev) -> np.ndarray: ...

    def to_dict(self) -> dict: ...


class _Fwhm:
    def fwhm_kev(self, e_kev) -> np.ndarray:
        """Full width at half maximum, 2 sqrt(2 ln 2) sigma(E), in keV."""
        return _FWHM_PER_SIGMA * self.sigma_kev(e_kev)


@dataclass(frozen=True)
class GaussianFano(_Fwhm):
    """sigma(E)^2 = sigma_noise^2 + F eps E + (linear E)^2, all keV (module docstring).

    Parameters
    ----------
    sigma_noise_kev : float
        Electronic noise sigma in keV (>= 0), e.g. from the pulser width.
    fano : float
        Fano factor F (>= 0).
    pair_energy_ev : float or None
        Mean energy per charge quantum eps in eV (> 0); may be ``None`` only when ``fano`` is 0
        (no statistical term, e.g. a resolution given entirely by ``linear``).
    linear : float
        Dimensionless coefficient c of the optional term (c E)^2 (>= 0), default 0.
    """

    name: ClassVar[str] = "gaussian-fano"
    sigma_noise_kev: float
    fano: float
    pair_energy_ev: float | None
    linear: float = 0.0

    def __post_init__(self):
        positive_scalar(self.sigma_noise_kev, "sigma_noise_kev", "keV", allow_zero=True)
        positive_scalar(self.fano, "fano", allow_zero=True)
        if self.pair_energy_ev is not None or self.fano != 0:
            positive_scalar(self.pair_energy_ev if self.pair_energy_ev is not None else 0.0,
                            "pair_energy_ev", "eV")
        positive_scalar(self.linear, "linear", allow_zero=True)

    def sigma_kev(self, e_kev) -> np.ndarray:
        """Standard deviation sigma(E) in keV at energies ``e_kev`` (keV, >= 0)."""
        e = positive(e_kev, "e_kev", "keV", allow_zero=True)
        eps = self.pair_energy_ev if self.pair_energy_ev is not None else 0.0
        var = (self.sigma_noise_kev ** 2 + self.fano * eps * 1e-3 * e
               + (self.linear * e) ** 2)
        return np.sqrt(var)

    def to_dict(self) -> dict:
        """Plain form for provenance records."""
        return {"model": self.name, "sigma_noise_kev": self.sigma_noise_kev, "fano": self.fano,
                "pair_energy_ev": self.pair_energy_ev, "linear": self.linear,
                "formula": "sigma^2 = sigma_noise^2 + fano*pair_energy*E + (linear*E)^2"}


@dataclass(frozen=True)
class Resolution(GaussianFano):
    """:class:`GaussianFano` with germanium defaults F = 0.11 and eps = 2.96 eV (77 K).

    Examples
    --------
    >>> r = Resolution(sigma_noise_kev=0.05)
    >>> round(float(r.sigma_kev(10.37)), 4)    # sqrt(0.05^2 + 0.11 * 2.96e-3 * 10.37)
    0.0767
    >>> round(float(r.fwhm_kev(10.37) * 1000))  # eV
    181
    """

    fano: float = FANO_GE
    pair_energy_ev: float | None = PAIR_ENERGY_GE_EV
    linear: float = 0.0


@dataclass(frozen=True)
class GaussianPoly(_Fwhm):
    """sigma(E) = c0_kev + c1_sqrt_kev sqrt(E) + c2 E with E in keV (module docstring).

    Parameters
    ----------
    c0_kev : float
        Constant term in keV (>= 0).
    c1_sqrt_kev : float
        Coefficient of sqrt(E/keV), in keV (>= 0).
    c2 : float
        Dimensionless coefficient of E (>= 0).
    """

    name: ClassVar[str] = "gaussian-poly"
    c0_kev: float
    c1_sqrt_kev: float
    c2: float = 0.0

    def __post_init__(self):
        positive_scalar(self.c0_kev, "c0_kev", "keV", allow_zero=True)
        positive_scalar(self.c1_sqrt_kev, "c1_sqrt_kev", "keV", allow_zero=True)
        positive_scalar(self.c2, "c2", allow_zero=True)

    def sigma_kev(self, e_kev) -> np.ndarray:
        """Standard deviation sigma(E) in keV at energies ``e_kev`` (keV, >= 0)."""
        e = positive(e_kev, "e_kev", "keV", allow_zero=True)
        return self.c0_kev + self.c1_sqrt_kev * np.sqrt(e) + self.c2 * e

    def to_dict(self) -> dict:
        return {"model": self.name, "c0_kev": self.c0_kev, "c1_sqrt_kev": self.c1_sqrt_kev,
                "c2": self.c2, "formula": "sigma = c0 + c1*sqrt(E) + c2*E (keV)"}


# ------------------------------------------------------------------------------- registry
#: Registry of resolution models (key ``model``). ``build(values, context)``: ``values`` the
#: validated ``[detector.resolution]`` table, ``context`` a mapping with ``material``
#: (:class:`nuem.materials.Material`) and ``default`` (callable ``default(field, cited)`` ->
#: value, which records the material default's citation).
RESOLUTION_MODELS = Registry("resolution model", key="model")


def _build_fano(values: dict, context) -> GaussianFano:
    material, default = context["material"], context["default"]
    fano = values["fano"] if "fano" in values else default("fano", material.require("fano"))
    if "pair_energy_ev" in values:
        eps = values["pair_energy_ev"]
    elif fano == 0 and material.energy_per_quantum_ev is None:
        eps = None   # no statistical term: the energy per quantum is not needed
    else:
        eps = default("pair_energy_ev", material.require("energy_per_quantum_ev"))
    return GaussianFano(values["sigma_noise_kev"], fano, eps, values.get("linear", 0.0))


def _build_poly(values: dict, context) -> GaussianPoly:
    return GaussianPoly(values.get("c0_kev", 0.0), values.get("c1_sqrt_kev", 0.0),
                        values.get("c2", 0.0))


def _check_poly(values: dict, fail) -> None:
    if not any(values.get(k, 0.0) > 0 for k in ("c0_kev", "c1_sqrt_kev", "c2")):
        fail("c1_sqrt_kev", "give at least one of c0_kev, c1_sqrt_kev, c2 > 0")


RESOLUTION_MODELS.register(Variant(
    "gaussian-fano", (
        number("sigma_noise_kev", "keV", True, lo=0, help="electronic noise sigma"),
        number("fano", "", lo=0, help="Fano factor; default: the target material's"),
        number("pair_energy_ev", "eV", lo=0, lo_open=True,
               help="energy per quantum; default: the target material's"),
        number("linear", "", lo=0, help="coefficient c of (c E)^2"),
    ), _build_fano, help="sigma^2 = sigma_noise^2 + F eps E + (c E)^2",
    citation="G.F. Knoll, Radiation Detection and Measurement, 4th ed. (2010), Ch. 12"))
RESOLUTION_MODELS.register(Variant(
    "gaussian-poly", (
        number("c0_kev", "keV", lo=0, help="constant term"),
        number("c1_sqrt_kev", "keV", lo=0, help="coefficient of sqrt(E/keV)"),
        number("c2", "", lo=0, help="coefficient of E"),
    ), _build_poly, help="sigma = c0 + c1 sqrt(E) + c2 E (E in keV)",
    citation="empirical noble-liquid form, e.g. E. Aprile et al. (XENON), 'Observation of "
             "excess electronic recoil events in XENON1T', Phys. Rev. D 102, 072004 (2020)",
    check=_check_poly))
