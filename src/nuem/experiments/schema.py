"""Versioned schema of experiment files (TOML) and its validator.

Convention (schema_version = 1)
-------------------------------
* Units are fixed by the field name (``mass_kg``, ``distance_m`` ...). A key whose stem matches a
  known field but whose unit suffix differs (``mass_g``) is a *wrong unit* error.
* **Every number carries its citation**: a numeric field is written as an inline table
  ``mass_kg = { value = 1.06, source = "Wong et al. PRD 75, 012001 (2007)" }``; an optional
  ``unit`` key, if present, must equal the field's unit. A bare number is a schema error. A source
  that could not be verified starts with ``"assumed:"``. Arrays use the same form
  (``{ value = [...], source = "..." }``). Only ``schema_version`` is a bare integer.
* Unknown keys, missing required fields, values out of range and unknown names (target element,
  isotope, model) are errors that name the file and the dotted field path.

:data:`SCHEMA` is the declarative field table (documented field by field in docs/experiments.md);
:func:`validate` returns ``(values, citations)``: plain nested dicts of validated values and a
flat ``{"detector.mass_kg": "source", ...}`` map.

Examples
--------
>>> doc = {"schema_version": 1, "id": "x", "name": "x", "reference": "r", "status": "example",
...        "reactor": {"flux_cm2_s": {"value": 1e13, "source": "assumed: test"}},
...        "detector": {"target": "Ge", "mass_kg": {"value": 1.0, "source": "s"},
...                     "live_days_on": {"value": 10, "source": "s"},
...                     "live_days_off": {"value": 0, "source": "s"},
...                     "resolution": {"sigma_noise_kev": {"value": 0.1, "source": "s"}},
...                     "efficiency": {"model": "step", "threshold_kev": {"value": 1,
...                                                                       "source": "s"}}},
...        "analysis": {"e_min_kev": {"value": 1, "source": "s"},
...                     "e_max_kev": {"value": 2, "source": "s"},
...                     "bin_width_kev": {"value": 0.5, "source": "s"}}}
>>> values, cites = validate(doc, "example.toml")
>>> values["detector"]["mass_kg"], cites["detector.mass_kg"]
(1.0, 's')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..exceptions import DataFileError

__all__ = ["SCHEMA_VERSION", "Field", "Section", "SCHEMA", "validate", "iter_fields"]

#: The schema version this nuem reads.
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Field:
    """One key: kind is number/numbers/string/choice/int; numbers carry citations."""

    name: str
    kind: str
    unit: str = ""
    required: bool = False
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class Section:
    """A table of fields and sub-tables (``many``: an array of tables)."""

    fields: tuple[Field, ...]
    sections: dict = field(default_factory=dict)
    required: bool = False
    many: bool = False
    help: str = ""


def _num(name, unit="", required=False, lo=None, hi=None, lo_open=False, help=""):
    return Field(name, "number", unit, required, lo, hi, lo_open, (), help)


_ISOTOPES = ("U235", "U238", "Pu239", "Pu241")

SCHEMA = Section(help="root", fields=(
    Field("schema_version", "int", required=True, help=f"must be {SCHEMA_VERSION}"),
    Field("id", "string", required=True, help="lower-case id: letters, digits, '-'"),
    Field("name", "string", required=True, help="human-readable name"),
    Field("reference", "string", required=True, help="main publication(s)"),
    Field("status", "choice", required=True, choices=("published", "historic", "planned",
                                                       "example")),
    Field("notes", "string"),
), sections={
    "reactor": Section(required=True, help="power+distance or total flux", fields=(
        _num("power_gw", "GW", lo=0, lo_open=True, help="thermal power"),
        _num("distance_m", "m", lo=0, lo_open=True, help="core-detector distance"),
        _num("flux_cm2_s", "cm^-2 s^-1", lo=0, lo_open=True, help="total nuebar flux"),
    ), sections={
        "fractions": Section(help="fission fractions (sum 1)",
                             fields=tuple(_num(k, "", lo=0, hi=1) for k in _ISOTOPES)),
    }),
    "detector": Section(required=True, fields=(
        Field("target", "string", required=True, help="element or formula (nuem.targets)"),
        _num("mass_kg", "kg", True, lo=0, lo_open=True, help="total active mass"),
        _num("fiducial_fraction", "", lo=0, hi=1, lo_open=True),
        _num("dead_time_fraction", "", lo=0, hi=1),
        _num("live_days_on", "day", True, lo=0),
        _num("live_days_off", "day", True, lo=0),
        _num("density_g_cm3", "g/cm^3", lo=0, lo_open=True,
             help="mass density, needed by dielectric atomic models for compounds"),
    ), sections={
        "resolution": Section(required=True, fields=(
            _num("sigma_noise_kev", "keV", True, lo=0),
            _num("fano", "", lo=0),
            _num("pair_energy_ev", "eV", lo=0, lo_open=True),
            _num("linear", "", lo=0),
        )),
        "efficiency": Section(required=True, fields=(
            Field("model", "choice", required=True, choices=("step", "erf", "tabulated")),
            _num("threshold_kev", "keV", lo=0),
            _num("width_kev", "keV", lo=0, lo_open=True),
            _num("plateau", "", lo=0, hi=1),
            Field("e_kev", "numbers", "keV"),
            Field("efficiency", "numbers", ""),
        )),
        "quenching": Section(fields=(
            Field("model", "choice", required=True, choices=("lindhard", "tabulated")),
            _num("k", "", lo=0, lo_open=True),
            _num("z", "", lo=0, lo_open=True),
            Field("e_nr_kev", "numbers", "keV"),
            Field("quenching_factor", "numbers", ""),
        )),
    }),
    "analysis": Section(required=True, fields=(
        _num("e_min_kev", "keV", True, lo=0, lo_open=True),
        _num("e_max_kev", "keV", True, lo=0, lo_open=True),
        _num("bin_width_kev", "keV", True, lo=0, lo_open=True),
    )),
    "background": Section(fields=(
        _num("flat_cpkkd", "counts/(kg keV day)", lo=0),
    ), sections={
        "shaped": Section(fields=(Field("e_kev", "numbers", "keV", True),
                                  Field("level_cpkkd", "numbers", "counts/(kg keV day)", True))),
        "lines": Section(many=True, fields=(
            Field("isotope", "string", help="EC isotope, e.g. Ge68"),
            _num("k_rate_per_kg_day", "counts/(kg day)", lo=0),
            _num("decays_per_kg_day", "1/(kg day)", lo=0),
            _num("l_to_k", "", lo=0),
            _num("m_to_l", "", lo=0),
            Field("label", "string"),
            _num("energy_kev", "keV", lo=0, lo_open=True),
            _num("rate_per_kg_day", "counts/(kg day)", lo=0),
        )),
    }),
})

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def iter_fields(section: Section = SCHEMA, prefix: str = ""):
    """Yield ``(dotted_path, Field)`` for every field of the schema (for documentation)."""
    for f in section.fields:
        yield prefix + f.name, f
    for name, sub in section.sections.items():
        yield from iter_fields(sub, f"{prefix}{name}{'[]' if sub.many else ''}.")


def _stem(name: str) -> str:
    return name.rsplit("_", 1)[0] if "_" in name else name


def _unit_suffix(name: str) -> str:
    return name.rsplit("_", 1)[1] if "_" in name else ""


class _Validator:
    def __init__(self, path: str):
        self.path = str(path)
        self.citations: dict[str, str] = {}

    def fail(self, where: str, msg: str):
        raise DataFileError(self.path, None, f"field '{where}': {msg}")

    def number(self, where: str, f: Field, raw):
        if isinstance(raw, bool) or isinstance(raw, int | float) or isinstance(raw, list):
            self.fail(where, f"number without source; write {f.name} = {{ value = {raw!r}, "
                             "source = \"...\" }} (every number carries its citation)")
        if isinstance(raw, str):
            self.fail(where, f"must be a number in {f.unit or 'dimensionless units'} given as "
                             f"{{ value = ..., source = \"...\" }}, not the string {raw!r} "
                             "(units are fixed by the field name)")
        if not isinstance(raw, dict):
            self.fail(where, f"expected {{ value = ..., source = \"...\" }}, got {raw!r}")
        extra = set(raw) - {"value", "source", "unit"}
        if extra:
            self.fail(where, f"unknown key {sorted(extra)[0]!r}; allowed: value, source, unit")
        if "value" not in raw:
            self.fail(where, "missing 'value'")
        src = raw.get("source")
        if not isinstance(src, str) or not src.strip():
            self.fail(where, "missing or empty 'source' (every number carries its citation; "
                             "write 'assumed: ...' for an unverified value)")
        if "unit" in raw and str(raw["unit"]) != f.unit:
            self.fail(where, f"wrong unit {raw['unit']!r}; this field is in "
                             f"{f.unit or 'dimensionless units'!r} (fixed by its name)")
        self.citations[where] = src.strip()
        v = raw["value"]
        if f.kind == "numbers":
            if not isinstance(v, list) or len(v) < 2 or not all(
                    isinstance(x, int | float) and not isinstance(x, bool) for x in v):
                self.fail(where, "value must be an array of at least two numbers")
            return [float(x) for x in v]
        if isinstance(v, bool) or not isinstance(v, int | float) or not abs(v) < float("inf"):
            self.fail(where, f"value {v!r} is not a finite number")
        v = float(v)
        if f.lo is not None and (v < f.lo or (f.lo_open and v == f.lo)):
            rel = ">" if f.lo_open else ">="
            self.fail(where, f"value {v!r} is not allowed; must be {rel} {f.lo:g} "
                             f"{f.unit}".rstrip())
        if f.hi is not None and v > f.hi:
            self.fail(where, f"value {v!r} is not allowed; must be <= {f.hi:g} {f.unit}".rstrip())
        return v

    def table(self, section: Section, raw, prefix: str) -> dict:
        if not isinstance(raw, dict):
            self.fail(prefix.rstrip(".") or "<root>", "must be a table")
        known = {f.name: f for f in section.fields}
        out: dict = {}
        for key, val in raw.items():
            where = prefix + key
            if key in section.sections:
                sub = section.sections[key]
                if sub.many:
                    if not isinstance(val, list):
                        self.fail(where, "must be an array of tables ([[...]])")
                    out[key] = [self.table(sub, item, f"{where}[{i}].")
                                for i, item in enumerate(val)]
                else:
                    out[key] = self.table(sub, val, where + ".")
                continue
            f = known.get(key)
            if f is None:
                same = [n for n in known if _stem(n) == _stem(key) and _unit_suffix(n)]
                if same:
                    self.fail(where, f"wrong unit: use '{same[0]}' (units are fixed by the field "
                                     "name)")
                allowed = sorted([*known, *section.sections])
                self.fail(where, f"unknown key; allowed here: {', '.join(allowed)}")
            if f.kind in ("number", "numbers"):
                out[key] = self.number(where, f, val)
            elif f.kind == "int":
                if isinstance(val, bool) or not isinstance(val, int):
                    self.fail(where, f"must be an integer, got {val!r}")
                out[key] = val
            else:
                if not isinstance(val, str):
                    self.fail(where, f"must be a string, got {val!r}")
                if f.kind == "choice" and val not in f.choices:
                    self.fail(where, f"{val!r} is not known; allowed: {', '.join(f.choices)}")
                out[key] = val
        for f in section.fields:
            if f.required and f.name not in out:
                self.fail(prefix + f.name, "missing required field"
                          + (f" (unit {f.unit})" if f.unit else ""))
        for name, sub in section.sections.items():
            if sub.required and name not in out:
                self.fail(prefix + name, "missing required table")
        return out


def _rules(v: _Validator, d: dict) -> None:
    """Cross-field rules (which combinations are needed)."""
    if d["schema_version"] != SCHEMA_VERSION:
        v.fail("schema_version", f"{d['schema_version']!r} is not supported; this nuem reads "
                                 f"schema_version = {SCHEMA_VERSION}")
    if not _ID_RE.match(d["id"]):
        v.fail("id", f"{d['id']!r} must be lower-case letters, digits and '-'")
    r = d["reactor"]
    has_pd = "power_gw" in r or "distance_m" in r
    if has_pd == ("flux_cm2_s" in r):
        v.fail("reactor", "give either power_gw and distance_m, or flux_cm2_s (not both)")
    if has_pd and not ("power_gw" in r and "distance_m" in r):
        v.fail("reactor.distance_m" if "power_gw" in r else "reactor.power_gw",
               "missing required field (power_gw and distance_m go together)")
    if "fractions" in r and abs(sum(r["fractions"].values()) - 1.0) > 1e-3:
        v.fail("reactor.fractions", "fission fractions must sum to 1 within 1e-3")
    det = d["detector"]
    from ..exceptions import NuemError
    from ..targets import get_target

    try:
        get_target(det["target"])
    except NuemError as exc:
        v.fail("detector.target", str(exc))
    eff = det["efficiency"]
    need = {"step": ("threshold_kev",), "erf": ("threshold_kev", "width_kev"),
            "tabulated": ("e_kev", "efficiency")}[eff["model"]]
    for k in need:
        if k not in eff:
            v.fail(f"detector.efficiency.{k}", f"missing required field for model "
                                               f"{eff['model']!r}")
    q = det.get("quenching")
    if q and q["model"] == "tabulated":
        for k in ("e_nr_kev", "quenching_factor"):
            if k not in q:
                v.fail(f"detector.quenching.{k}", "missing required field for model 'tabulated'")
    a = d["analysis"]
    if a["e_max_kev"] <= a["e_min_kev"]:
        v.fail("analysis.e_max_kev", "must be > analysis.e_min_kev")
    if a["bin_width_kev"] > a["e_max_kev"] - a["e_min_kev"]:
        v.fail("analysis.bin_width_kev", "is wider than the analysis range")
    from ..detectors.backgrounds import normalize_isotope

    for i, ln in enumerate(d.get("background", {}).get("lines", [])):
        where = f"background.lines[{i}]"
        if "isotope" in ln:
            try:
                normalize_isotope(ln["isotope"])
            except NuemError as exc:
                v.fail(where + ".isotope", str(exc))
            if ("k_rate_per_kg_day" in ln) == ("decays_per_kg_day" in ln):
                v.fail(where, "give exactly one of k_rate_per_kg_day and decays_per_kg_day")
            bad = {"energy_kev", "rate_per_kg_day", "label"} & set(ln)
        else:
            for k in ("energy_kev", "rate_per_kg_day"):
                if k not in ln:
                    v.fail(f"{where}.{k}", "missing required field (a line is either "
                                           "'isotope = ...' or energy_kev + rate_per_kg_day)")
            bad = {"k_rate_per_kg_day", "decays_per_kg_day", "l_to_k", "m_to_l"} & set(ln)
        if bad:
            v.fail(f"{where}.{sorted(bad)[0]}", "does not go with this kind of line")


def validate(document: dict, path: str = "<memory>") -> tuple[dict, dict[str, str]]:
    """Validate a parsed experiment document; return ``(values, citations)``.

    Raises
    ------
    DataFileError
        Naming ``path`` and the dotted field, e.g. ``"file.toml: field 'detector.mass_kg':
        value -1.0 is not allowed; must be > 0 kg"``.
    """
    v = _Validator(path)
    if "schema_version" not in document:
        v.fail("schema_version", f"missing required field (this nuem reads schema_version = "
                                 f"{SCHEMA_VERSION})")
    values = v.table(SCHEMA, document, "")
    _rules(v, values)
    return values, dict(v.citations)
