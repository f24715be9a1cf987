"""Detector materials: per-material defaults with their citations.

Generic code (the experiment loader, the detector response, hypothetical experiments) reads the
material's numbers from here, never germanium's. The table is data, ``nuem/data/materials.toml``
(every number with its source, like an experiment file); :data:`MATERIAL_SECTION` is its schema.

Public API (stable)
-------------------
* :func:`get_material` ``(name)`` -> :class:`Material` for any target name
  (:func:`nuem.targets.get_target` names: ``"Ge"``, ``"germanium"``, ``"polystyrene"``, ...).
* :func:`material_names` ``()`` -> formulas with a table entry.
* :class:`Material`: ``name``, ``formula``, ``label``, ``kind``, ``phase``, ``quantum``,
  ``density_g_cm3``, ``fano``, ``energy_per_quantum_ev`` (each a :class:`nuem.specs.Cited` or
  ``None`` when it does not exist for the material), ``quenching``
  (:class:`QuenchingDefault`); :meth:`Material.require` returns a value or raises
  :class:`~nuem.exceptions.InvalidParameterError` naming the field and the material.
* :func:`lindhard_k` ``(z, a)`` -> k = 0.133 Z^(2/3) A^(-1/2).

Quenching default: Lindhard (J. Lindhard et al., Mat. Fys. Medd. Dan. Vid. Selsk. 33, no. 10
(1963); form of J.D. Lewin & P.F. Smith, Astropart. Phys. 6, 87 (1996), Sec. 6) with
k = 0.133 Z^(2/3) A^(-1/2) of the element with the largest mass fraction (Z its atomic number, A
its standard atomic weight), unless the table gives a measured k. Germanium: k =
0.133 x 32^(2/3) / sqrt(72.630) = 0.15730.

Elements without a table entry get periodictable's density (CRC, phase as tabulated there) and
no Fano factor or energy per quantum; compounds without an entry get no density.

Examples
--------
>>> xe = get_material("Xe")
>>> xe.fano.value, xe.energy_per_quantum_ev.value, xe.density_g_cm3.value
(0.059, 13.7, 2.953)
>>> round(get_material("Ge").quenching.k.value, 5)
0.1573
>>> get_material("CsI").require("fano")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
nuem.exceptions.InvalidParameterError: fano: material 'CsI' (caesium iodide, scintillator) has ...
"""

from __future__ import annotations

import functools
import math
import tomllib
from dataclasses import dataclass
from importlib import resources

from ._validation import positive_scalar
from .exceptions import InvalidParameterError
from .specs import Cited, Field, Section, Validator, number

__all__ = ["Material", "QuenchingDefault", "MATERIAL_SECTION", "MATERIAL_FIELDS", "get_material",
           "material_names", "lindhard_k", "material_table_markdown", "FANO_GE",
           "PAIR_ENERGY_GE_EV"]

#: Germanium Fano factor and pair-creation energy (eV) at 77 K: the values of the ``Ge`` entry of
#: ``nuem/data/materials.toml`` (a test checks they agree), for the germanium convenience classes.
FANO_GE: float = 0.11
PAIR_ENERGY_GE_EV: float = 2.96

#: Fields of a material that may be absent (the error of :meth:`Material.require` names them).
MATERIAL_FIELDS = ("density_g_cm3", "fano", "energy_per_quantum_ev")

#: Schema of one entry of ``nuem/data/materials.toml``.
MATERIAL_SECTION = Section(fields=(
    Field("name", "string", required=True, help="common name"),
    Field("kind", "choice", required=True,
          choices=("semiconductor", "noble liquid", "scintillator", "gas")),
    Field("phase", "string", required=True, help="detector phase and conditions"),
    Field("quantum", "string", help="what energy_per_quantum_ev counts"),
    number("density_g_cm3", "g/cm^3", lo=0, lo_open=True, help="detector-phase density"),
    number("fano", "", lo=0, help="Fano factor"),
    number("energy_per_quantum_ev", "eV", lo=0, lo_open=True,
           help="pair-creation energy (semiconductor) or W-value (noble liquid)"),
), sections={"quenching": Section(fields=(
    number("k", "", True, lo=0, lo_open=True, help="measured Lindhard k"),))})


def lindhard_k(z, a) -> float:
    """Lindhard k = 0.133 Z^(2/3) A^(-1/2) (Lindhard et al. 1963); ``a`` in g/mol (or u).

    Examples
    --------
    >>> round(lindhard_k(32, 72.63), 3)
    0.157
    """
    z = positive_scalar(z, "z")
    a = positive_scalar(a, "a")
    return 0.133 * z ** (2.0 / 3.0) / math.sqrt(a)


@dataclass(frozen=True)
class QuenchingDefault:
    """Default nuclear-recoil quenching of a material: Lindhard ``k`` (cited) on element ``z``."""

    model: str
    k: Cited
    z: int
    element: str


@dataclass(frozen=True)
class Material:
    """Per-material defaults (module docstring); absent values are ``None``."""

    name: str
    formula: str
    label: str
    kind: str
    phase: str
    quantum: str
    density_g_cm3: Cited | None
    fano: Cited | None
    energy_per_quantum_ev: Cited | None
    quenching: QuenchingDefault

    def require(self, field: str) -> Cited:
        """The cited value of ``field``; raises naming the field and the material if absent.

        Raises
        ------
        InvalidParameterError
            ``"fano: material 'CsI' (caesium iodide, scintillator) has no Fano factor in
            nuem's materials table; give fano explicitly"``.
        """
        if field not in MATERIAL_FIELDS:
            raise InvalidParameterError(f"field={field!r} is not a material field; allowed: "
                                        f"{', '.join(MATERIAL_FIELDS)}")
        value = getattr(self, field)
        if value is None:
            what = {"density_g_cm3": "density", "fano": "Fano factor",
                    "energy_per_quantum_ev": "energy per quantum (pair-creation energy or "
                                             "W-value)"}[field]
            desc = ", ".join(x for x in (self.label, self.kind) if x)
            why = f" ({self.phase})" if self.kind == "gas" else ""
            raise InvalidParameterError(
                f"{field}: material {self.name!r} ({desc}) has no {what} in nuem's materials "
                f"table{why}; give {field} explicitly")
        return value

    def to_dict(self) -> dict:
        """JSON-ready form: every value with its source."""
        def cited(c):
            return None if c is None else {"value": c.value, "unit": c.unit, "source": c.source}

        q = self.quenching
        return {"name": self.name, "formula": self.formula, "label": self.label,
                "kind": self.kind, "phase": self.phase, "quantum": self.quantum,
                "density_g_cm3": cited(self.density_g_cm3), "fano": cited(self.fano),
                "energy_per_quantum_ev": cited(self.energy_per_quantum_ev),
                "quenching": {"model": q.model, "k": cited(q.k), "z": q.z,
                              "element": q.element}}


@functools.cache
def _table() -> dict:
    """Validated entries of nuem/data/materials.toml: formula -> (values, citations)."""
    path = "nuem/data/materials.toml"
    text = resources.files("nuem.data").joinpath("materials.toml").read_text(encoding="utf-8")
    doc = tomllib.loads(text)
    out = {}
    for formula, raw in doc.items():
        v = Validator(path)
        values = v.table(MATERIAL_SECTION, raw, f"{formula}.")
        out[formula] = (values, v.citations)
    return out


def material_names() -> tuple[str, ...]:
    """Formulas with an entry in the materials table (``"Ge"``, ..., ``"C8H8"``)."""
    return tuple(_table())


def _cited(values: dict, cites: dict, formula: str, field: str, unit: str):
    if field not in values:
        return None
    return Cited(values[field], cites[f"{formula}.{field}"], unit)


@functools.lru_cache(maxsize=128)
def get_material(name: str) -> Material:
    """Material defaults of a target (cached): see the module docstring.

    Parameters
    ----------
    name : str
        Any name :func:`nuem.targets.get_target` accepts.

    Raises
    ------
    UnknownNameError
        If ``name`` is not a known element, formula or alias.
    """
    from .targets import get_target

    t = get_target(name)
    el, _ = max(t.elements, key=lambda en: en[0].atomic_mass_u * en[1])
    entry = _table().get(t.formula)
    values, cites = entry if entry else ({}, {})
    q = values.get("quenching")
    if q is not None:
        k = Cited(q["k"], cites[f"{t.formula}.quenching.k"])
    else:
        k = Cited(lindhard_k(el.z, el.atomic_mass_u),
                  f"derived: Lindhard k = 0.133 Z^(2/3) A^(-1/2) of {el.symbol} (Z = {el.z}, "
                  f"A = {el.atomic_mass_u:g}; largest mass fraction of {t.formula}); "
                  "J. Lindhard et al., Mat. Fys. Medd. Dan. Vid. Selsk. 33, no. 10 (1963)")
    density = _cited(values, cites, t.formula, "density_g_cm3", "g/cm^3")
    if entry is None and len(t.elements) == 1 and t.elements[0][1] == 1.0:
        density = _element_density(el.symbol)
    return Material(
        name=t.name, formula=t.formula, label=values.get("name", ""),
        kind=values.get("kind", ""), phase=values.get("phase", ""),
        quantum=values.get("quantum", ""), density_g_cm3=density,
        fano=_cited(values, cites, t.formula, "fano", ""),
        energy_per_quantum_ev=_cited(values, cites, t.formula, "energy_per_quantum_ev", "eV"),
        quenching=QuenchingDefault("lindhard", k, el.z, el.symbol))


def _element_density(symbol: str) -> Cited | None:
    import periodictable

    el = periodictable.elements.symbol(symbol)
    if not el.density:
        return None
    caveat = f" ({el.density_caveat})" if getattr(el, "density_caveat", "") else ""
    return Cited(float(el.density), f"CRC Handbook of Chemistry and Physics as tabulated by "
                                    f"the periodictable package{caveat}", "g/cm^3")


def material_table_markdown() -> str:
    """The material-defaults table of docs/targets.md (values, then every source)."""
    rows = ["| formula | material | kind, phase | density [g/cm^3] | Fano factor | "
            "energy per quantum [eV] | Lindhard k (element) |", "|---|---|---|---|---|---|---|"]
    notes = []
    for formula in material_names():
        m = get_material(formula)

        def val(c):
            return "-" if c is None else f"{c.value:g}"

        rows.append(f"| {formula} | {m.label} | {m.kind}; {m.phase} | {val(m.density_g_cm3)} | "
                    f"{val(m.fano)} | {val(m.energy_per_quantum_ev)} | "
                    f"{m.quenching.k.value:.4f} ({m.quenching.element}) |")
        for what, c in (("density", m.density_g_cm3), ("Fano factor", m.fano),
                        ("energy per quantum", m.energy_per_quantum_ev)):
            if c is not None:
                notes.append(f"* {formula} {what}: {c.source}")
    return "\n".join(rows) + "\n\n" + "\n".join(notes)
