"""Load experiment files (TOML, schema of :mod:`nuem.experiments.schema`) into frozen objects.

Public API (stable)
-------------------
* :func:`preset_ids` ``()`` -> sorted list of preset ids shipped with nuem.
* :func:`get_experiment` ``(experiment_id)`` -> :class:`Experiment` (preset; cached, frozen).
* :func:`load_experiment` ``(path)`` -> :class:`Experiment` from a user file.
* :func:`experiment_from_document` ``(document, path="<memory>")`` -> :class:`Experiment` from a
  parsed document (the path every experiment takes: validate, then build).
* :func:`list_experiments` ``()`` -> all presets.
* :class:`Experiment` (frozen): ``id, name, reference, status, notes, source_path``,
  ``source`` (:class:`SourceSpec`), ``reactor`` (:class:`ReactorSpec`, reactor sources only),
  ``exposure`` (:class:`nuem.detectors.exposure.Exposure`), ``target`` (str), ``material``
  (:class:`nuem.materials.Material`), ``resolution`` (a model of
  :mod:`nuem.detectors.resolution`), ``efficiency`` (callable ``eff(e_kev)``), ``quenching``,
  ``analysis`` (:class:`AnalysisSpec`), ``background``
  (:class:`nuem.detectors.backgrounds.BackgroundModel`), ``density_g_cm3`` (float or None),
  ``citations`` (read-only mapping dotted field -> source, including the material defaults
  used), ``values`` (read-only validated values, as written), ``defaults`` (dotted field ->
  material default used); methods ``flux()``, ``response()`` and ``to_dict()``.

Models are built through their registries (:data:`nuem.sources.registry.SOURCE_KINDS`,
:data:`nuem.detectors.resolution.RESOLUTION_MODELS`,
:data:`nuem.detectors.efficiency.EFFICIENCY_MODELS`,
:data:`nuem.detectors.quenching.QUENCHING_MODELS`); a value a model needs but the file omits
comes from the target material (:func:`nuem.materials.get_material`) and is cited as
``"default for <material>: <source>"``.

Presets are read from the package (``nuem/experiments/presets/*.toml``); nothing writes there.
Objects are frozen and their arrays read-only, so a loaded preset cannot be edited in place:
change a copy of the file and load it with :func:`load_experiment` (``--experiment-file``), or
use :func:`nuem.experiments.hypothetical_experiment`.

Examples
--------
>>> exp = get_experiment("texono-hpge")
>>> exp.exposure.mass_kg, exp.reactor.distance_m, exp.source.kind
(1.06, 28.0, 'reactor')
>>> exp.citations["detector.mass_kg"][:10]
'Wong et al'
>>> exp.citations["detector.resolution.fano"][:16]
'default for Ge: '
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType

import numpy as np

from .._validation import did_you_mean
from ..detectors.backgrounds import BackgroundModel, FlatContinuum, Line, ShapedContinuum, ec_lines
from ..detectors.efficiency import EFFICIENCY_MODELS, TabulatedEfficiency
from ..detectors.exposure import Exposure
from ..detectors.folding import true_grid_kev
from ..detectors.quenching import QUENCHING_MODELS, TabulatedQuenching
from ..detectors.resolution import RESOLUTION_MODELS
from ..exceptions import DataFileError, InvalidParameterError, NuemError, UnknownNameError
from ..materials import Material, get_material
from ..sources.registry import SOURCE_KINDS, reactor_source_flux
from .schema import validate

__all__ = ["SourceSpec", "ReactorSpec", "AnalysisSpec", "Experiment", "preset_ids",
           "get_experiment", "load_experiment", "experiment_from_document", "list_experiments"]


@dataclass(frozen=True)
class SourceSpec:
    """The neutrino source: registry ``kind`` and its validated values (read-only)."""

    kind: str
    values: MappingProxyType

    def flux(self):
        """The flux at the detector, built by the kind's registry entry."""
        return SOURCE_KINDS.get(self.kind).build(_thaw(self.values), None)


@dataclass(frozen=True)
class ReactorSpec:
    """A reactor source: ``power_gw`` + ``distance_m``, or ``flux_cm2_s``; fractions."""

    power_gw: float | None = None
    distance_m: float | None = None
    flux_cm2_s: float | None = None
    fractions: MappingProxyType | None = None

    def flux(self):
        """The reactor nuebar flux as a :class:`nuem.sources.flux.TabulatedFlux`."""
        return reactor_source_flux(power_gw=self.power_gw, distance_m=self.distance_m,
                                   flux_cm2_s=self.flux_cm2_s, fractions=self.fractions)


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
    source: SourceSpec
    exposure: Exposure
    resolution: object
    efficiency: object
    quenching: object
    analysis: AnalysisSpec
    background: BackgroundModel
    citations: MappingProxyType
    values: MappingProxyType
    density_g_cm3: float | None = None
    material: Material | None = None
    defaults: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    @property
    def reactor(self) -> ReactorSpec:
        """The reactor source (:class:`ReactorSpec`); an error for other source kinds."""
        if self.source.kind != "reactor":
            raise InvalidParameterError(f"experiment {self.id!r} has a {self.source.kind!r} "
                                        "source, not a reactor; use experiment.source")
        r = self.source.values
        return ReactorSpec(r.get("power_gw"), r.get("distance_m"), r.get("flux_cm2_s"),
                           r.get("fractions"))

    def flux(self):
        """Neutrino flux at the detector (from the source's registry entry)."""
        return self.source.flux()

    def response(self, n_sigma: float = 5.0):
        """The detector response on the analysis bins
        (:class:`nuem.detectors.folding.DetectorResponse`)."""
        from ..detectors.folding import DetectorResponse

        return DetectorResponse(self.analysis.edges_kev(), self.analysis.bin_width_kev,
                                self.resolution, self.efficiency, self.quenching, n_sigma)

    def to_dict(self) -> dict:
        """Validated values, their citations and the material defaults used (JSON-ready)."""
        return {"id": self.id, "name": self.name, "reference": self.reference,
                "status": self.status, "notes": self.notes, "source_path": self.source_path,
                "values": _thaw(self.values), "citations": dict(self.citations),
                "defaults": dict(self.defaults),
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


def _legacy_layout(values: dict, citations: dict) -> tuple[dict, dict]:
    """Values built in the version-1 layout (``reactor`` table) -> version-2 layout."""
    if "reactor" not in values:
        return values, citations
    values = dict(values)
    values["source"] = {"kind": "reactor", **values.pop("reactor")}
    citations = {("source." + k[len("reactor."):] if k.startswith("reactor.") else k): s
                 for k, s in citations.items()}
    return values, citations


def _build_model(registry, values: dict, context, path: str, where: str):
    try:
        return registry.get(values.get(registry.key, "")).build(values, context)
    except DataFileError:
        raise
    except NuemError as exc:
        raise DataFileError(path, None, f"field '{where}': {exc}") from exc


def _check_tables_cover(analysis: AnalysisSpec, resolution, efficiency, quenching,
                        path: str) -> None:
    """DataFileError naming ``path`` and the field unless a tabulated efficiency covers the
    analysis window and a tabulated quenching covers the true-energy grid of the default
    response (window widened by 5 sigma): tables are never extrapolated."""
    lo, hi = analysis.e_min_kev, analysis.e_max_kev
    if isinstance(efficiency, TabulatedEfficiency):
        t0, t1 = float(efficiency.e_kev[0]), float(efficiency.e_kev[-1])
        if lo < t0 or hi > t1:
            raise DataFileError(path, None, f"field 'detector.efficiency.e_kev': the table covers "
                                            f"{t0:g}-{t1:g} keV, not the analysis window "
                                            f"{lo:g}-{hi:g} keV (a table is never extrapolated: "
                                            "extend it or narrow the window)")
    if isinstance(quenching, TabulatedQuenching):
        e_nr, y = quenching.e_nr_kev, quenching.values
        q0, q1 = float(e_nr[0] * y[0]), float(e_nr[-1] * y[-1])
        true = true_grid_kev(lo, hi, analysis.bin_width_kev, resolution)
        g0, g1 = float(true[0]), float(true[-1])
        if g0 < q0 or g1 > q1:
            raise DataFileError(path, None, f"field 'detector.quenching.e_nr_kev': the table "
                                            f"gives E_ee = {q0:.4g}-{q1:.4g} keVee, but the "
                                            f"spectrum needs {g0:.4g}-{g1:.4g} keVee (the "
                                            "analysis window widened by 5 sigma of the "
                                            "resolution); a table is never extrapolated: "
                                            "extend it")


def _build(values: dict, citations: dict, path: str) -> Experiment:
    """Experiment from validated values (version-2 layout; the version-1 layout is converted)."""
    values, citations = _legacy_layout(values, dict(citations))
    det, a = values["detector"], values["analysis"]
    try:
        material = get_material(det["target"])
    except NuemError as exc:
        raise DataFileError(path, None, f"field 'detector.target': {exc}") from exc
    defaults: dict[str, float] = {}

    def context(prefix: str) -> dict:
        def default(name: str, cited):
            defaults[prefix + name] = cited.value
            citations[prefix + name] = f"default for {material.name}: {cited.source}"
            return cited.value
        return {"material": material, "default": default}

    res = {"model": "gaussian-fano", **det["resolution"]}
    resolution = _build_model(RESOLUTION_MODELS, res, context("detector.resolution."), path,
                              "detector.resolution")
    efficiency = _build_model(EFFICIENCY_MODELS, det["efficiency"], None, path,
                              "detector.efficiency")
    quenching = _build_model(QUENCHING_MODELS, det.get("quenching", {"model": "lindhard"}),
                             context("detector.quenching."), path, "detector.quenching")
    analysis = AnalysisSpec(a["e_min_kev"], a["e_max_kev"], a["bin_width_kev"])
    _check_tables_cover(analysis, resolution, efficiency, quenching, path)
    exposure = Exposure(det["mass_kg"], det["live_days_on"], det["live_days_off"],
                        det.get("fiducial_fraction", 1.0), det.get("dead_time_fraction", 0.0))
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
    src = values["source"]
    if src.get("kind", "reactor") not in SOURCE_KINDS:
        raise DataFileError(path, None, f"field 'source.kind': {src.get('kind')!r} is not known")
    return Experiment(
        id=values["id"], name=values["name"], reference=values["reference"],
        status=values["status"], notes=values.get("notes", ""), source_path=path,
        target=det["target"], source=SourceSpec(src.get("kind", "reactor"), _freeze(src)),
        exposure=exposure, resolution=resolution, efficiency=efficiency, quenching=quenching,
        analysis=analysis,
        background=BackgroundModel(tuple(continua), tuple(lines)),
        citations=MappingProxyType(dict(citations)), values=_freeze(values),
        density_g_cm3=det.get("density_g_cm3"), material=material,
        defaults=MappingProxyType(defaults))


def experiment_from_document(document: dict, path: str = "<memory>") -> Experiment:
    """Validate a parsed experiment document (any supported schema_version) and build it.

    Raises
    ------
    DataFileError
        Naming ``path`` and the dotted field.
    """
    values, citations = validate(document, path)
    try:
        return _build(values, citations, path)
    except DataFileError:
        raise
    except NuemError as exc:  # a combination the field table cannot see
        raise DataFileError(path, None, str(exc)) from exc


def _parse_text(text: str, path: str) -> Experiment:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(path, None, f"not valid TOML: {exc}") from exc
    return experiment_from_document(doc, path)


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
    except UnicodeDecodeError as exc:
        raise DataFileError(str(p), None, f"not a text (UTF-8) TOML file: byte {exc.start} is "
                            f"0x{exc.object[exc.start]:02x}") from exc
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
        hint = did_you_mean(experiment_id, ids)
        raise UnknownNameError(f"experiment={experiment_id!r} is not a known preset{hint}; known: "
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
