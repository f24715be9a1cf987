"""Hypothetical experiments: a detector given by arguments, validated like an experiment file.

:func:`hypothetical_experiment` writes a schema-version-2 *document* -- a preset's (``base``)
or a generic detector's -- replaces the values the caller gives, and loads it with
:func:`nuem.experiments.loader.experiment_from_document` (schema validation, then the registry
builders). So a hypothetical experiment obeys every rule of an experiment file, and:

* every number the caller supplies is cited ``"user-supplied"`` (``"user-supplied: --mass-kg"``
  when the command-line flag is passed in ``flags``), never silently taken as cited;
* a number the caller does not give comes from the base preset (with the preset's citation) or,
  for the generic detector, from the assumptions listed below (cited ``"assumed: ..."``);
* material numbers (Fano factor, energy per quantum, Lindhard quenching) come from the target
  material's defaults (:mod:`nuem.materials`, cited); a material without one (a scintillator's
  Fano factor) is an error naming the field and the material unless the caller gives it.

Generic detector (``base=None``): 1 kg, 365/365 live days ON/OFF, step threshold 0.1 keV,
window 0.1-12.1 keV in 0.1 keV bins, noise sigma 50 eV, flat background 1 cpkkd, reactor
nuebar flux 1e13 cm^-2 s^-1 (the flux of H.T. Wong, H.B. Li, S.T. Lin, PRL 105, 061801 (2010),
Table I) -- all assumptions.

Window end of the generic detector when only the threshold is given (:func:`derived_window_end`):
``e_max = max(12.1 keV, 10 x threshold)``, cited ``"derived: ..."``. Reason: for a μν signal
∝ 1/T over a flat background the information per keV falls as 1/T², so [t, 10 t] keeps
1 − t/(10 t) = 90 % of the information of [t, ∞); 12.1 keV keeps the generic window for
thresholds up to 1.21 keV. The rule does not use the material: above the shell binding energies
the μν rate per electron is the same for every material, and below them the stepping
suppression only lowers the signal inside the window. A preset's window end is never changed;
``e_max_kev`` given by the caller wins.

Examples
--------
>>> e = hypothetical_experiment(mass_kg=2.0, days_on=100.0, days_off=50.0)
>>> e.exposure.on_kg_day, e.reactor.flux_cm2_s, e.citations["detector.mass_kg"]
(200.0, 10000000000000.0, 'user-supplied')
>>> x = hypothetical_experiment(target="Xe", flags={"mass_kg": "--mass-kg"}, mass_kg=10.0)
>>> x.citations["detector.mass_kg"], x.resolution.fano, x.citations["detector.resolution.fano"][:23]
('user-supplied: --mass-kg', 0.059, 'default for Xe: T. Doke')
"""

from __future__ import annotations

from collections.abc import Mapping

from .._validation import positive_scalar
from ..exceptions import InvalidParameterError
from ..materials import get_material
from ..specs import to_document
from ..targets import get_target
from .loader import Experiment, _thaw, experiment_from_document, get_experiment
from .schema import SCHEMA, SCHEMA_VERSION

__all__ = ["hypothetical_experiment", "GENERIC_ASSUMPTIONS", "derived_window_end"]

_ASSUMED = "assumed: generic hypothetical detector of nuem.experiments.hypothetical_experiment"
#: The generic detector's values (``base=None``), each cited as an assumption.
GENERIC_ASSUMPTIONS = {
    "source.flux_cm2_s": 1e13, "detector.mass_kg": 1.0, "detector.live_days_on": 365.0,
    "detector.live_days_off": 365.0, "detector.resolution.sigma_noise_kev": 0.05,
    "detector.efficiency.threshold_kev": 0.1, "analysis.e_min_kev": 0.1,
    "analysis.e_max_kev": 12.1, "analysis.bin_width_kev": 0.1, "background.flat_cpkkd": 1.0,
}
#: Information fraction kept by the derived window end (module docstring): e_max = t / (1 - f).
_WINDOW_FACTOR = 10.0


def derived_window_end(threshold_kev: float) -> tuple[float, str]:
    """Window end (keV) of the generic detector for a threshold, and its citation.

    Examples
    --------
    >>> derived_window_end(0.1)[0], derived_window_end(12.0)[0]
    (12.1, 120.0)
    """
    t = positive_scalar(threshold_kev, "threshold_kev", "keV")
    base = GENERIC_ASSUMPTIONS["analysis.e_max_kev"]
    e_max = max(base, _WINDOW_FACTOR * t)
    return e_max, (f"derived: max({base:g} keV, {_WINDOW_FACTOR:g} x threshold) = {e_max:g} keV "
                   "(keeps 90 % of a 1/T signal's information)")


#: Fields that describe the target material; dropped from a base whose target is replaced.
_MATERIAL_FIELDS = ("density_g_cm3",)
_MATERIAL_RESOLUTION = ("fano", "pair_energy_ev")


def _generic_document(target: str) -> dict:
    def a(dotted: str, why: str = "") -> dict:
        extra = f" ({why})" if why else ""
        return {"value": GENERIC_ASSUMPTIONS[dotted], "source": _ASSUMED + extra}

    return {
        "schema_version": SCHEMA_VERSION, "id": "hypothetical",
        "name": f"hypothetical {target} detector",
        "reference": "user arguments (nuem.experiments.hypothetical_experiment)",
        "status": "example",
        "source": {"kind": "reactor", "flux_cm2_s": a(
            "source.flux_cm2_s", "the flux of Wong, Li, Lin, PRL 105, 061801 (2010), Table I")},
        "detector": {"target": target, "mass_kg": a("detector.mass_kg"),
                     "live_days_on": a("detector.live_days_on"),
                     "live_days_off": a("detector.live_days_off"),
                     "resolution": {"model": "gaussian-fano",
                                    "sigma_noise_kev": a("detector.resolution.sigma_noise_kev")},
                     "efficiency": {"model": "step",
                                    "threshold_kev": a("detector.efficiency.threshold_kev")}},
        "analysis": {"e_min_kev": a("analysis.e_min_kev"), "e_max_kev": a("analysis.e_max_kev"),
                     "bin_width_kev": a("analysis.bin_width_kev")},
        "background": {"flat_cpkkd": a("background.flat_cpkkd")},
    }


def hypothetical_experiment(base=None, *, target: str | None = None, mass_kg=None,
                            days_on=None, days_off=None, threshold_kev=None,
                            background_cpkkd=None, flux_cm2_s=None, power_gw=None,
                            distance_m=None, sigma_noise_kev=None, resolution_kev=None,
                            fano=None, pair_energy_ev=None, density_g_cm3=None,
                            e_max_kev=None, bin_width_kev=None, id: str | None = None,
                            name: str | None = None,
                            flags: Mapping[str, str] | None = None) -> Experiment:
    """An :class:`~nuem.experiments.Experiment` from a preset (or the generic detector) with the
    given values replaced, built through schema validation (module docstring).

    Parameters
    ----------
    base : Experiment, str or None
        Preset (object or id) to start from; ``None``: the generic detector.
    target : str, optional
        Target material (:func:`nuem.targets.get_target` name); default: the base's, or
        ``"Ge"`` for the generic detector. Replacing the base's target drops the base's
        material numbers (``density_g_cm3``, resolution ``fano``/``pair_energy_ev`` and the
        quenching table): the new material's defaults apply unless given here.
    mass_kg, days_on, days_off : float, optional
        Detector mass (kg, > 0); ON (> 0) and OFF (>= 0) live days.
    threshold_kev : float, optional
        Step-efficiency threshold and analysis window start (keV, > 0, < window end); replaces
        the base's efficiency model by a step.
    background_cpkkd : float, optional
        Flat background (counts/(kg keV day), >= 0); replaces the whole background model.
    flux_cm2_s : float, optional
        Total reactor nuebar flux (cm^-2 s^-1); replaces power and distance (reactor spectral
        shape and fission fractions kept). Only for reactor sources.
    power_gw, distance_m : float, optional
        Reactor thermal power (GW) and distance (m); replace the flux (the other one is taken
        from the base if it has it).
    sigma_noise_kev : float, optional
        Noise sigma of the ``gaussian-fano`` resolution (keV, >= 0); ``resolution_kev`` is the
        older name of the same argument.
    fano, pair_energy_ev, density_g_cm3 : float, optional
        Material numbers replacing the material defaults.
    e_max_kev, bin_width_kev : float, optional
        Analysis window end and bin width (keV). Without ``e_max_kev``, a generic detector
        (``base=None``) given ``threshold_kev`` ends its window at
        :func:`derived_window_end` (module docstring).
    id, name : str, optional
        Id and name of the result (default ``"<base id>-modified"`` or ``"hypothetical"``).
    flags : mapping, optional
        Argument name -> command-line flag (``{"mass_kg": "--mass-kg"}``): the citation of a
        supplied value becomes ``"user-supplied: --mass-kg"`` and errors name the flag.

    Raises
    ------
    InvalidParameterError
        For a bad argument (message names it) or a material default that does not exist
        (message names the field and the material, e.g. the Fano factor of CsI).
    DataFileError
        If the resulting document breaks a schema rule (message names ``<hypothetical>`` and
        the field).
    """
    flags = {k: str(v) for k, v in (flags or {}).items() if v}
    label: dict[str, str] = {}
    if resolution_kev is not None:
        if sigma_noise_kev is not None:
            raise InvalidParameterError("give sigma_noise_kev or resolution_kev (the same "
                                        "argument), not both")
        sigma_noise_kev = resolution_kev
        label["sigma_noise_kev"] = "resolution_kev"
        if "resolution_kev" in flags:
            flags.setdefault("sigma_noise_kev", flags["resolution_kev"])
    if target is not None:
        get_target(target)                    # UnknownNameError naming target
    if isinstance(base, str):
        base = get_experiment(base)
    if base is not None and not isinstance(base, Experiment):
        raise InvalidParameterError("base must be a nuem Experiment, a preset id or None")
    if base is None:
        doc = _generic_document("Ge" if target is None else str(target))
    else:
        doc = to_document(SCHEMA, _thaw(base.values), base.citations)
        doc["schema_version"] = SCHEMA_VERSION
        doc["id"] = f"{base.id}-modified"
    det, ana = doc["detector"], doc["analysis"]

    def shown(arg: str) -> str:
        return flags.get(arg) or label.get(arg, arg)

    def cited(arg: str, value, unit: str, *, allow_zero: bool = False) -> dict:
        v = positive_scalar(value, shown(arg), unit, allow_zero=allow_zero)
        flag = flags.get(arg, "")
        return {"value": v, "source": f"user-supplied: {flag}" if flag else "user-supplied"}

    if target is not None and base is not None and target != det["target"]:
        det["target"] = str(target)
        for k in _MATERIAL_FIELDS:
            det.pop(k, None)
        for k in _MATERIAL_RESOLUTION:
            det["resolution"].pop(k, None)
        det.pop("quenching", None)
    if mass_kg is not None:
        det["mass_kg"] = cited("mass_kg", mass_kg, "kg")
    if days_on is not None:
        det["live_days_on"] = cited("days_on", days_on, "day")
    if days_off is not None:
        det["live_days_off"] = cited("days_off", days_off, "day", allow_zero=True)
    if density_g_cm3 is not None:
        det["density_g_cm3"] = cited("density_g_cm3", density_g_cm3, "g/cm^3")
    res = det["resolution"]
    for arg, value, allow_zero in (("sigma_noise_kev", sigma_noise_kev, True),
                                   ("fano", fano, True), ("pair_energy_ev", pair_energy_ev, False)):
        if value is None:
            continue
        if res.get("model", "gaussian-fano") != "gaussian-fano":
            raise InvalidParameterError(f"{shown(arg)} applies to the gaussian-fano resolution; "
                                        f"the base uses model {res['model']!r}")
        res[arg] = cited(arg, value, "eV" if arg == "pair_energy_ev" else
                         ("keV" if arg == "sigma_noise_kev" else ""), allow_zero=allow_zero)
    if bin_width_kev is not None:
        ana["bin_width_kev"] = cited("bin_width_kev", bin_width_kev, "keV")
    if e_max_kev is not None:
        ana["e_max_kev"] = cited("e_max_kev", e_max_kev, "keV")
    if threshold_kev is not None:
        t = cited("threshold_kev", threshold_kev, "keV")
        if base is None and e_max_kev is None:
            e_max, why = derived_window_end(t["value"])
            ana["e_max_kev"] = {"value": e_max, "source": why}
        if t["value"] >= ana["e_max_kev"]["value"]:
            raise InvalidParameterError(f"{shown('threshold_kev')}={t['value']!r} must be below "
                                        f"the analysis window end e_max_kev="
                                        f"{ana['e_max_kev']['value']!r}")
        det["efficiency"] = {"model": "step", "threshold_kev": dict(t)}
        ana["e_min_kev"] = dict(t)
    if background_cpkkd is not None:
        doc["background"] = {"flat_cpkkd": cited("background_cpkkd", background_cpkkd,
                                                 "counts/(kg keV day)", allow_zero=True)}
    _set_source(doc, flux_cm2_s, power_gw, distance_m, cited, shown)
    _check_material_defaults(det)
    if ana["e_max_kev"]["value"] <= ana["e_min_kev"]["value"]:
        raise InvalidParameterError("e_max_kev must exceed the threshold / e_min_kev")
    if id is not None:
        doc["id"] = id
    if name is not None:
        doc["name"] = name
    return experiment_from_document(doc, "<hypothetical>")


def _check_material_defaults(det: dict) -> None:
    """InvalidParameterError (naming field and material) for a default the material lacks."""
    res = det["resolution"]
    if res.get("model", "gaussian-fano") != "gaussian-fano":
        return
    material = get_material(det["target"])
    if "fano" not in res:
        material.require("fano")
    fano = res["fano"]["value"] if "fano" in res else material.fano.value
    if "pair_energy_ev" not in res and fano != 0:
        material.require("energy_per_quantum_ev")


def _set_source(doc: dict, flux_cm2_s, power_gw, distance_m, cited, shown) -> None:
    if flux_cm2_s is None and power_gw is None and distance_m is None:
        return
    src = doc["source"]
    if src.get("kind") != "reactor":
        arg = "flux_cm2_s" if flux_cm2_s is not None else (
            "power_gw" if power_gw is not None else "distance_m")
        raise InvalidParameterError(f"{shown(arg)} applies to reactor sources; this experiment's "
                                    f"source is of kind {src.get('kind')!r}")
    if flux_cm2_s is not None and (power_gw is not None or distance_m is not None):
        raise InvalidParameterError(f"give {shown('flux_cm2_s')} or {shown('power_gw')} + "
                                    f"{shown('distance_m')}, not both")
    new = {"kind": "reactor"}
    if flux_cm2_s is not None:
        new["flux_cm2_s"] = cited("flux_cm2_s", flux_cm2_s, "cm^-2 s^-1")
    else:
        for arg, value, unit in (("power_gw", power_gw, "GW"), ("distance_m", distance_m, "m")):
            if value is not None:
                new[arg] = cited(arg, value, unit)
            elif arg in src:
                new[arg] = src[arg]
            else:
                other = "power_gw" if arg == "distance_m" else "distance_m"
                raise InvalidParameterError(f"{shown(arg)} is needed with {shown(other)} (the "
                                            "base gives a total flux)")
    for key in ("fractions", "nue_lines_cr51_fraction", "nue_lines_per_fission"):
        if key in src:              # the spectrum's composition is kept
            new[key] = src[key]
    doc["source"] = new
