"""Source kinds ``solar``, ``cr51``, ``ar37`` and ``tritium`` for the ``[source]`` table.

Each is a :class:`nuem.specs.Variant` (fields with units fixed by their names, a builder
``build(values, context)`` -> flux at the detector, help and citation), registered in
:data:`nuem.sources.registry.SOURCE_KINDS`. Every field is optional; omitted ones take the
defaults of the classes (:class:`~nuem.sources.solar.SolarSource`,
:class:`~nuem.sources.ec_sources.ElectronCaptureSource`,
:class:`~nuem.sources.tritium.TritiumSource`).

Examples
--------
>>> v = {k.name: k for k in BEYOND_REACTOR_KINDS}
>>> f = v["cr51"].build({"activity_mci": 3.414, "distance_m": 1.0}, None)
>>> f"{f.total_cm2_s():.4e}"
'1.0052e+12'
>>> v["solar"].build({"model": "B16-GS98", "components": "7Be, pep"}, None).flavors
('nue', 'numu')
"""

from __future__ import annotations

import re

from ..specs import Field, Variant, number
from .ec_sources import EC_SOURCE_ISOTOPES
from .solar import OSCILLATIONS, SOLAR_COMPONENTS, SOLAR_MODELS

__all__ = ["BEYOND_REACTOR_KINDS"]

_MIXING = ("sin2_theta12", "sin2_theta13", "dm2_21_ev2")


def _components(text: str | None) -> tuple[str, ...] | None:
    return tuple(c for c in re.split(r"[,\s]+", text) if c) if text else None


def _solar_check(values: dict, fail) -> None:
    for name in _components(values.get("components")) or ():
        if name not in SOLAR_COMPONENTS:
            fail("components", f"{name!r} is not a solar branch; allowed: "
                               f"{', '.join(SOLAR_COMPONENTS)}")
    if "pee" in values and values.get("oscillation") != "constant":
        fail("pee", "only used with oscillation = \"constant\"")
    if values.get("oscillation") == "constant" and "pee" not in values:
        fail("pee", "missing required field for oscillation \"constant\"")
    given = [k for k in _MIXING if k in values]
    if given and len(given) != len(_MIXING):
        missing = [k for k in _MIXING if k not in values]
        fail(missing[0], f"missing: the mixing parameters {', '.join(_MIXING)} go together")


def _solar_build(values: dict, context=None):
    from .msw import NUFIT_52, MixingParameters
    from .solar import SolarSource

    names = _components(values.get("components"))
    mixing = NUFIT_52
    if "sin2_theta12" in values:
        mixing = MixingParameters(values["sin2_theta12"], values["sin2_theta13"],
                                  values["dm2_21_ev2"], "experiment file")
    return SolarSource(values.get("model", "B16-GS98"), names,
                       values.get("oscillation", "msw-lma"), pee=values.get("pee"),
                       mixing=mixing).flux()


def _one_of(*names):
    def check(values: dict, fail) -> None:
        for group in names:
            given = [k for k in group if k in values]
            if len(given) > 1:
                fail(given[1], f"give only one of {', '.join(group)}")
    return check


_ACTIVITY_GEOMETRY = (("activity_mci", "activity_bq"), ("distance_m", "mean_inverse_square_m2"))
_SOURCE_KEYS = ("activity_mci", "activity_bq", "distance_m", "mean_inverse_square_m2",
                "elapsed_days")


def _source_args(values: dict) -> dict:
    return {k: values[k] for k in _SOURCE_KEYS if k in values}


def _activity_fields(what: str) -> tuple[Field, ...]:
    return (
        number("activity_mci", "MCi", lo=0, lo_open=True, help=f"activity ({what})"),
        number("activity_bq", "Bq", lo=0, lo_open=True, help="activity, instead of activity_mci"),
        number("distance_m", "m", lo=0, lo_open=True, help="point-source distance"),
        number("mean_inverse_square_m2", "m^-2", lo=0, lo_open=True,
               help="mean inverse-square source-detector distance <1/r^2>, instead of "
                    "distance_m"),
        number("elapsed_days", "d", lo=0, help="time since the activity reference"),
    )


def _ec_build(isotope: str):
    def build(values: dict, context=None):
        from .ec_sources import ElectronCaptureSource

        return ElectronCaptureSource(isotope, **_source_args(values)).flux()
    return build


def _tritium_build(values: dict, context=None):
    from .tritium import TritiumSource

    return TritiumSource(**_source_args(values)).flux()


_SOLAR = Variant(
    "solar", (
        Field("model", "choice", choices=tuple(SOLAR_MODELS), help="standard solar model"),
        Field("components", "string", help="branches, comma-separated (default all): pp, pep, "
                                           "hep, 7Be, 8B, 13N, 15O, 17F"),
        Field("oscillation", "choice", choices=OSCILLATIONS,
              help="flavour conversion (default msw-lma)"),
        number("pee", "", lo=0, hi=1, help="constant survival probability (oscillation "
                                            "\"constant\")"),
        number("sin2_theta12", "", lo=0, hi=1, lo_open=True, help="mixing (default NuFIT 5.2)"),
        number("sin2_theta13", "", lo=0, hi=1, help="mixing (default NuFIT 5.2)"),
        number("dm2_21_ev2", "eV^2", lo=0, lo_open=True, help="mixing (default NuFIT 5.2)"),
    ), _solar_build,
    help="solar neutrinos at the Earth (B16 fluxes, MSW-LMA: nu_e + nu_mu/tau)",
    citation="Vinyoles et al. 2017 (ApJ; arXiv:1611.09867); Winter et al. 2006 "
             "(arXiv:nucl-ex/0406019); NuFIT 5.2 (Esteban et al., JHEP 09 (2020) 178); "
             "nuem.sources.solar",
    check=_solar_check)

_EC = {
    "Cr51": ("cr51", "default 3.414 MCi, BEST", "51Cr nu_e lines (747, 752, 427, 432 keV)",
             "ENSDF 51Cr EC decay; BEST source (Barinov et al., PRL 128, 232501 (2022))"),
    "Ar37": ("ar37", "default 0.409 MCi, SAGE", "37Ar nu_e lines (811, 814 keV)",
             "ENSDF 37Ar EC decay; SAGE source (Abdurashitov et al. 2006, arXiv:nucl-ex/0512041)"),
}

#: The kinds registered by :mod:`nuem.sources.registry`.
BEYOND_REACTOR_KINDS: tuple[Variant, ...] = (
    _SOLAR,
    *(Variant(_EC[iso][0], _activity_fields(_EC[iso][1]), _ec_build(iso),
              help=f"{_EC[iso][2]}, point source or <1/r^2> (default 1 m)",
              citation=_EC[iso][3] + "; nuem.sources.ec_sources",
              check=_one_of(*_ACTIVITY_GEOMETRY)) for iso in EC_SOURCE_ISOTOPES),
    Variant("tritium", _activity_fields("default 40 MCi, MAMMONT"), _tritium_build,
            help="tritium nuebar (allowed beta shape, Q = 18.59 keV); default the MAMMONT "
                 "setting, 40 MCi and 6e14 cm^-2 s^-1",
            citation="ENSDF 3H decay; MAMMONT (L.N. Bogdanova 2003, as quoted by Wong & Li, "
                     "MPLA 20, 1103 (2005), Sec. 5); nuem.sources.tritium",
            check=_one_of(*_ACTIVITY_GEOMETRY)),
)
