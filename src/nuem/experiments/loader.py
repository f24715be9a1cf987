"""Load experiment files (TOML, schema of :mod:`nuem.experiments.schema`) into frozen objects.

Public API (stable)
-------------------
* :func:`preset_ids` ``()`` -> sorted list of preset ids shipped with nuem.
* :func:`get_experiment` ``(experiment_id)`` -> :class:`Experiment` (preset; cached, frozen).
* :func:`load_experiment` ``(path)`` -> :class:`Experiment` from a user file.
* :func:`list_experiments` ``()`` -> all presets.
* :class:`Experiment` (frozen): ``id, name, reference, status, notes, source_path``,
  ``reactor`` (:class:`ReactorSpec`), ``exposure`` (:class:`nuem.detectors.response.Exposure`),
  ``target`` (str), ``resolution``, ``efficiency`` (callable ``eff(e_kev)``), ``quenching``,
  ``analysis`` (:class:`AnalysisSpec`), ``background``
  (:class:`nuem.detectors.backgrounds.BackgroundModel`), ``density_g_cm3`` (float or None),
  ``citations`` (read-only mapping dotted field -> source), ``values`` (read-only validated
  values); methods ``flux()`` -> TabulatedFlux and ``to_dict()``.

Presets are read from the package (``nuem/experiments/presets/*.toml``); nothing writes there.
Objects are frozen and their arrays read-only, so a loaded preset cannot be edited in place:
change a copy of the file and load it with :func:`load_experiment` (``--experiment-file``).

Examples
--------
>>> exp = get_experiment("texono-hpge")
>>> exp.exposure.mass_kg, exp.reactor.distance_m
(1.06, 28.0)
>>> exp.citations["detector.mass_kg"][:10]
'Wong et al'
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType

import numpy as np

from ..detectors.backgrounds import BackgroundModel, FlatContinuum, Line, ShapedContinuum, ec_lines
from ..detectors.quenching import LindhardQuenching, TabulatedQuenching, lindhard_k
from ..detectors.response import (
    ErfEfficiency,
    Exposure,
    Resolution,
    StepEfficiency,
    TabulatedEfficiency,
)
from ..exceptions import DataFileError, NuemError, UnknownNameError
from .schema import validate

__all__ = ["ReactorSpec", "AnalysisSpec", "Experiment", "preset_ids", "get_experiment",
           "load_experiment", "list_experiments"]


@dataclass(frozen=True)
class ReactorSpec:
    """The neutrino source: ``power_gw`` + ``distance_m``, or ``flux_cm2_s``; fractions."""

    power_gw: float | None = None
    distance_m: float | None = None
    flux_cm2_s: float | None = None
    fractions: MappingProxyType | None = None

    def flux(self):
        """The reactor nuebar flux as a :class:`nuem.sources.flux.TabulatedFlux`."""
        from ..sources.reactor import ReactorSource, reactor_flux

        fr = dict(self.fractions) if self.fractions else None
        if self.flux_cm2_s is not None:
            return reactor_flux(self.flux_cm2_s, fractions=fr)
        return ReactorSource(power_gw=self.power_gw, distance_m=self.distance_m,
                             fractions=fr).tabulated()


@dataclass(frozen=True)
class AnalysisSpec:
    """Analysis window and binning in observed electron-equivalent energy (keVee)."""

    e_min_kev: float
    e_max_kev: float
    bin_width_kev: float

    def edges_kev(self) -> np.ndarray:
        """Bin edges: e_min, e_min + w, ...; the last bin ends at e_max (may be narrower)."""
        n = int(np.ceil((self.e_max_kev - self.e_min_kev) / self.bin_width_kev - 1e-9))
        e = self.e_min_kev + self.bin_width_kev * np.arange(n + 1)
        e[-1] = self.e_max_kev
        return e


@dataclass(frozen=True)
class Experiment:
    """A validated, immutable experiment description (see module docstring)."""

    id: str
    name: str
    reference: str
    status: str
    notes: str
    source_path: str
    target: str
    reactor: ReactorSpec
    exposure: Exposure
    resolution: Resolution
    efficiency: object
    quenching: object
    analysis: AnalysisSpec
    background: BackgroundModel
    citations: MappingProxyType
    values: MappingProxyType
    density_g_cm3: float | None = None

    def flux(self):
        """Reactor flux at the detector (TabulatedFlux)."""
        return self.reactor.flux()

    def to_dict(self) -> dict:
        """Validated values and their citations (JSON-ready)."""
        return {"id": self.id, "name": self.name, "reference": self.reference,
                "status": self.status, "notes": self.notes, "source_path": self.source_path,
                "values": _thaw(self.values), "citations": dict(self.citations),
                "exposure_on_kg_day": self.exposure.on_kg_day,
                "exposure_off_kg_day": self.exposure.off_kg_day}


def _freeze(obj):
    if isinstance(obj, dict):
        return MappingProxyType({k: _freeze(v) for k, v in obj.items()})
    if isinstance(obj, list):
        return tuple(_freeze(v) for v in obj)
    return obj


def _thaw(obj):
    if isinstance(obj, MappingProxyType | dict):
        return {k: _thaw(v) for k, v in obj.items()}
    if isinstance(obj, tuple):
        return [_thaw(v) for v in obj]
    return obj


def _default_quenching(target: str):
    """Lindhard for the target's heaviest-by-mass element, k = 0.133 Z^(2/3) A^(-1/2)."""
    from ..targets import get_target

    t = get_target(target)
    el = max(t.elements, key=lambda en: en[0].atomic_mass_u * en[1])[0]
    return LindhardQuenching(k=lindhard_k(el.z, el.atomic_mass_u), z=el.z)


def _build(values: dict, citations: dict, path: str) -> Experiment:
    r, det, a = values["reactor"], values["detector"], values["analysis"]
    fr = r.get("fractions")
    reactor = ReactorSpec(r.get("power_gw"), r.get("distance_m"), r.get("flux_cm2_s"),
                          MappingProxyType(dict(fr)) if fr else None)
    exposure = Exposure(det["mass_kg"], det["live_days_on"], det["live_days_off"],
                        det.get("fiducial_fraction", 1.0), det.get("dead_time_fraction", 0.0))
    res = det["resolution"]
    resolution = Resolution(res["sigma_noise_kev"], res.get("fano", 0.11),
                            res.get("pair_energy_ev", 2.96), res.get("linear", 0.0))
    e = det["efficiency"]
    plateau = e.get("plateau", 1.0)
    if e["model"] == "step":
        eff = StepEfficiency(e["threshold_kev"], plateau)
    elif e["model"] == "erf":
        eff = ErfEfficiency(e["threshold_kev"], e["width_kev"], plateau)
    else:
        eff = TabulatedEfficiency(e["e_kev"], e["efficiency"])
    q = det.get("quenching")
    if q is None:
        quenching = _default_quenching(det["target"])
    elif q["model"] == "lindhard":
        base = _default_quenching(det["target"])
        quenching = LindhardQuenching(q.get("k", base.k), q.get("z", base.z))
    else:
        quenching = TabulatedQuenching(q["e_nr_kev"], q["quenching_factor"])
    bg = values.get("background", {})
    continua = []
    if "flat_cpkkd" in bg:
        continua.append(FlatContinuum(bg["flat_cpkkd"]))
    if "shaped" in bg:
        continua.append(ShapedContinuum(bg["shaped"]["e_kev"], bg["shaped"]["level_cpkkd"]))
    lines: list[Line] = []
    for ln in bg.get("lines", []):
        if "isotope" in ln:
            lines += ec_lines(ln["isotope"], k_rate_per_kg_day=ln.get("k_rate_per_kg_day"),
                              decays_per_kg_day=ln.get("decays_per_kg_day"),
                              l_to_k=ln.get("l_to_k"), m_to_l=ln.get("m_to_l"))
        else:
            lines.append(Line(ln.get("label", f"line {ln['energy_kev']:g} keV"),
                              ln["energy_kev"], ln["rate_per_kg_day"]))
    return Experiment(
        id=values["id"], name=values["name"], reference=values["reference"],
        status=values["status"], notes=values.get("notes", ""), source_path=path,
        target=det["target"], reactor=reactor, exposure=exposure, resolution=resolution,
        efficiency=eff, quenching=quenching,
        analysis=AnalysisSpec(a["e_min_kev"], a["e_max_kev"], a["bin_width_kev"]),
        background=BackgroundModel(tuple(continua), tuple(lines)),
        citations=MappingProxyType(dict(citations)), values=_freeze(values),
        density_g_cm3=det.get("density_g_cm3"))


def _parse_text(text: str, path: str) -> Experiment:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(path, None, f"not valid TOML: {exc}") from exc
    values, citations = validate(doc, path)
    try:
        return _build(values, citations, path)
    except DataFileError:
        raise
    except NuemError as exc:  # a combination the field table cannot see
        raise DataFileError(path, None, str(exc)) from exc


def load_experiment(path) -> Experiment:
    """Read and validate a user experiment file (TOML).

    Raises
    ------
    DataFileError
        If the file is missing, not TOML, or violates the schema (message names file + field).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(str(p), None, f"cannot read experiment file: {exc.strerror}") from exc
    return _parse_text(text, str(p))


def _preset_dir():
    return resources.files("nuem.experiments").joinpath("presets")


def preset_ids() -> list[str]:
    """Ids of the presets shipped with nuem (file stems of presets/*.toml), sorted."""
    return sorted(f.name[:-5] for f in _preset_dir().iterdir() if f.name.endswith(".toml"))


@functools.lru_cache(maxsize=64)
def get_experiment(experiment_id: str) -> Experiment:
    """A preset by id (cached; the object is frozen).

    Raises
    ------
    UnknownNameError
        If no preset has this id (message lists the known ids).
    """
    ids = preset_ids()
    if experiment_id not in ids:
        raise UnknownNameError(f"experiment={experiment_id!r} is not a known preset; known: "
                               f"{', '.join(ids)} (or use --experiment-file PATH)")
    f = _preset_dir().joinpath(f"{experiment_id}.toml")
    exp = _parse_text(f.read_text(encoding="utf-8"), f"presets/{experiment_id}.toml")
    if exp.id != experiment_id:
        raise DataFileError(f"presets/{experiment_id}.toml", None,
                            f"field 'id': {exp.id!r} differs from the file name")
    return exp


def list_experiments() -> list[Experiment]:
    """All presets, sorted by id."""
    return [get_experiment(i) for i in preset_ids()]
