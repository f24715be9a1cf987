"""Versioned schema of experiment files (TOML) and its validator.

Convention (schema_version = 2; files with schema_version = 1 still load)
------------------------------------------------------------------------
* Units are fixed by the field name (``mass_kg``, ``distance_m`` ...). A key whose stem matches a
  known field but whose unit suffix differs (``mass_g``) is a *wrong unit* error.
* **Every number carries its citation**: a numeric field is written as an inline table
  ``mass_kg = { value = 1.06, source = "Wong et al. PRD 75, 012001 (2007)" }``; an optional
  ``unit`` key, if present, must equal the field's unit. A bare number is a schema error. A source
  that could not be verified starts with ``"assumed:"``. Arrays use the same form
  (``{ value = [...], source = "..." }``). Only ``schema_version`` is a bare integer.
* Unknown keys, missing required fields, values out of range and unknown names (target element,
  isotope, model, source kind) are errors that name the file and the dotted field path.
* Model tables select their fields with a key read from a registry: ``[source] kind`` from
  :data:`nuem.sources.registry.SOURCE_KINDS`, ``[detector.resolution] model`` (default
  ``"gaussian-fano"``) from :data:`nuem.detectors.resolution.RESOLUTION_MODELS`,
  ``[detector.efficiency] model`` from :data:`nuem.detectors.efficiency.EFFICIENCY_MODELS`,
  ``[detector.quenching] model`` from :data:`nuem.detectors.quenching.QUENCHING_MODELS`.
  Registering a model adds it to the schema and the docs; the schema itself is not edited.
* Version 1 differs only in naming the source ``[reactor]`` (no ``kind``): such a file is
  converted internally to ``[source] kind = "reactor"``; its error messages keep the
  ``reactor.`` names it was written with.

:data:`SCHEMA` is the declarative field table (documented in docs/experiments.md, which a test
compares with :func:`field_table_markdown`); :func:`validate` returns ``(values, citations)``:
nested dicts of validated values (always in the version-2 layout) and a flat
``{"detector.mass_kg": "source", ...}`` map.

Examples
--------
>>> doc = {"schema_version": 2, "id": "x", "name": "x", "reference": "r", "status": "example",
...        "source": {"kind": "reactor", "flux_cm2_s": {"value": 1e13, "source": "assumed: t"}},
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
>>> values["detector"]["mass_kg"], cites["detector.mass_kg"], values["source"]["kind"]
(1.0, 's', 'reactor')
>>> values["detector"]["resolution"]["model"]
'gaussian-fano'
"""

from __future__ import annotations

import re

from ..detectors.efficiency import EFFICIENCY_MODELS
from ..detectors.quenching import QUENCHING_MODELS
from ..detectors.resolution import RESOLUTION_MODELS
from ..sources.registry import SOURCE_KINDS
from ..specs import Field, Section, Validator, field_rows, iter_fields, number, numbers

__all__ = ["SCHEMA_VERSION", "SUPPORTED_VERSIONS", "Field", "Section", "SCHEMA", "REGISTRIES",
           "validate", "iter_fields", "upgrade_document", "field_table_markdown",
           "model_table_markdown", "PUBLISHED_KINDS"]

#: Kinds of a published result (``[published] kind``).
PUBLISHED_KINDS = ("limit", "interval", "projection")
#: The schema version this nuem writes (and reads).
SCHEMA_VERSION = 2
#: Versions this nuem reads (older ones are converted internally).
SUPPORTED_VERSIONS = (1, 2)
#: Most analysis bins an experiment may have: the folding matrix is (fine true grid, <= 20000)
#: x (analysis bins), so 5000 bins take <= 0.8 GB; 1e-9-keV bins (a typo) would need hundreds
#: of GiB.
MAX_ANALYSIS_BINS = 5000

SCHEMA = Section(help="root", fields=(
    Field("schema_version", "int", required=True,
          help=f"{' or '.join(map(str, SUPPORTED_VERSIONS))} (1: [reactor] instead of "
               "[source])"),
    Field("id", "string", required=True, help="lower-case id: letters, digits, '-'"),
    Field("name", "string", required=True, help="human-readable name"),
    Field("reference", "string", required=True, help="main publication(s)"),
    Field("status", "choice", required=True, choices=("published", "historic", "planned",
                                                       "example")),
    Field("notes", "string"),
), sections={
    "source": Section(required=True, help="the neutrino source", variants=SOURCE_KINDS),
    "detector": Section(required=True, fields=(
        Field("target", "string", required=True, help="element or formula (nuem.targets)"),
        number("mass_kg", "kg", True, lo=0, lo_open=True, help="total active mass"),
        number("fiducial_fraction", "", lo=0, hi=1, lo_open=True),
        number("dead_time_fraction", "", lo=0, hi=1),
        number("live_days_on", "day", True, lo=0),
        number("live_days_off", "day", True, lo=0),
        number("density_g_cm3", "g/cm^3", lo=0, lo_open=True,
               help="mass density; default: the target material's (nuem.materials)"),
    ), sections={
        "resolution": Section(required=True, variants=RESOLUTION_MODELS,
                              default="gaussian-fano"),
        "efficiency": Section(required=True, variants=EFFICIENCY_MODELS),
        "quenching": Section(variants=QUENCHING_MODELS,
                             help="default: the target material's (Lindhard)"),
    }),
    "analysis": Section(required=True, fields=(
        number("e_min_kev", "keV", True, lo=0, lo_open=True),
        number("e_max_kev", "keV", True, lo=0, lo_open=True),
        number("bin_width_kev", "keV", True, lo=0, lo_open=True),
    )),
    "background": Section(fields=(
        number("flat_cpkkd", "counts/(kg keV day)", lo=0),
    ), sections={
        "shaped": Section(fields=(numbers("e_kev", "keV", True),
                                  numbers("level_cpkkd", "counts/(kg keV day)", True))),
        "lines": Section(many=True, fields=(
            Field("isotope", "string", help="EC isotope, e.g. Ge68"),
            number("k_rate_per_kg_day", "counts/(kg day)", lo=0),
            number("decays_per_kg_day", "1/(kg day)", lo=0),
            number("l_to_k", "", lo=0),
            number("m_to_l", "", lo=0),
            Field("label", "string"),
            number("energy_kev", "keV", lo=0, lo_open=True),
            number("rate_per_kg_day", "counts/(kg day)", lo=0),
        )),
    }),
    "published": Section(help="the experiment's published result, for comparison", fields=(
        Field("kind", "choice", choices=PUBLISHED_KINDS,
              help="limit: upper limit; interval: a two-sided confidence interval "
                   "(lower and upper value); projection: a stated sensitivity goal"),
        number("mu_nu_limit_mub", "mu_B", lo=0, lo_open=True,
               help="upper limit (upper end of an interval) on the effective mu_nu"),
        number("mu_nu_lower_mub", "mu_B", lo=0, help="lower end of an interval on mu_nu"),
        number("delta_q_limit_e", "e", lo=0, lo_open=True, help="upper limit on |delta_Q|"),
        number("cl", "", True, lo=0, hi=1, lo_open=True, help="confidence level, e.g. 0.9"),
        Field("method", "string", help="statistical method of the published result"),
    )),
})

#: The model tables of the schema and the registry each reads its selector from.
REGISTRIES = {"source": SOURCE_KINDS, "detector.resolution": RESOLUTION_MODELS,
              "detector.efficiency": EFFICIENCY_MODELS, "detector.quenching": QUENCHING_MODELS}

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def upgrade_document(document: dict, path: str = "<memory>") -> tuple[dict, dict[str, str]]:
    """A parsed document in the version-2 layout, and the message aliases of its version.

    Version 1: ``[reactor]`` becomes ``[source]`` with ``kind = "reactor"`` (messages keep
    ``reactor.``). Version 2 is returned unchanged. Anything else is one clear error.
    """
    v = Validator(path)
    if not isinstance(document, dict):
        v.fail("<root>", "must be a table")
    if "schema_version" not in document:
        v.fail("schema_version", f"missing required field (this nuem reads schema_version = "
                                 f"{' or '.join(map(str, SUPPORTED_VERSIONS))})")
    version = document["schema_version"]
    if isinstance(version, bool) or version not in SUPPORTED_VERSIONS:
        v.fail("schema_version", f"{version!r} is not supported; this nuem reads "
                                 f"schema_version = {' or '.join(map(str, SUPPORTED_VERSIONS))}")
    if version == 2:
        if "reactor" in document:
            v.fail("reactor", "unknown key in schema_version = 2; write the source as [source] "
                              "with kind = \"reactor\"")
        return document, {}
    if "source" in document:
        v.fail("source", "unknown key in schema_version = 1 (whose source table is [reactor]); "
                         "write schema_version = 2 to use [source]")
    doc = {}
    for key, r in document.items():                 # [reactor] -> [source], same position
        if key == "reactor":
            if isinstance(r, dict):
                if "kind" in r:
                    v.fail("reactor.kind", "unknown key in schema_version = 1")
                r = {"kind": "reactor", **r}
            key = "source"
        doc[key] = r
    return doc, {"source.": "reactor."}


def _rules(v: Validator, d: dict) -> None:
    """Cross-field rules that no single model table sees."""
    if not _ID_RE.match(d["id"]):
        v.fail("id", f"{d['id']!r} must be lower-case letters, digits and '-'")
    det = d["detector"]
    from ..exceptions import NuemError
    from ..targets import get_target

    try:
        get_target(det["target"])
    except NuemError as exc:
        v.fail("detector.target", str(exc))
    a = d["analysis"]
    if a["e_max_kev"] <= a["e_min_kev"]:
        v.fail("analysis.e_max_kev", "must be > analysis.e_min_kev")
    if a["bin_width_kev"] > (a["e_max_kev"] - a["e_min_kev"]) * (1 + 1e-9):
        v.fail("analysis.bin_width_kev", "is wider than the analysis range")
    elif (a["e_max_kev"] - a["e_min_kev"]) / a["bin_width_kev"] > MAX_ANALYSIS_BINS:
        n = (a["e_max_kev"] - a["e_min_kev"]) / a["bin_width_kev"]
        v.fail("analysis.bin_width_kev", f"gives {n:.3g} bins over {a['e_min_kev']:g}-"
               f"{a['e_max_kev']:g} keV; at most {MAX_ANALYSIS_BINS} bins are allowed")
    pub = d.get("published")
    if pub is not None:
        if not any(k in pub for k in ("mu_nu_limit_mub", "delta_q_limit_e")):
            v.fail("published", "give at least one published value (mu_nu_limit_mub, "
                                "delta_q_limit_e)")
        if pub.get("kind", "limit") == "interval":
            if "mu_nu_lower_mub" not in pub or "mu_nu_limit_mub" not in pub:
                v.fail("published.mu_nu_lower_mub", "an interval needs mu_nu_lower_mub and "
                                                    "mu_nu_limit_mub")
            if pub["mu_nu_lower_mub"] >= pub["mu_nu_limit_mub"]:
                v.fail("published.mu_nu_lower_mub", "must be < published.mu_nu_limit_mub")
        elif "mu_nu_lower_mub" in pub:
            v.fail("published.mu_nu_lower_mub", "only for kind = \"interval\"")
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
    """Validate a parsed experiment document; return ``(values, citations)`` (version-2 layout).

    Raises
    ------
    DataFileError
        Naming ``path`` and the dotted field, e.g. ``"file.toml: field 'detector.mass_kg':
        value -1.0 is not allowed; must be > 0 kg"``.
    """
    doc, aliases = upgrade_document(document, path)
    v = Validator(path, aliases)
    values = v.table(SCHEMA, doc, "")
    values["schema_version"] = SCHEMA_VERSION
    _rules(v, values)
    return values, dict(v.citations)


def field_table_markdown() -> str:
    """The field table of docs/experiments.md, generated from :data:`SCHEMA` and the registries."""
    lines = ["| field | kind | unit | required | allowed |", "|---|---|---|---|---|"]
    for row in field_rows(SCHEMA):
        f = row.field
        allowed = []
        if f.choices:
            allowed.append(" / ".join(f.choices))
        if f.lo is not None:
            allowed.append(f"{'>' if f.lo_open else '>='} {f.lo:g}")
        if f.hi is not None:
            allowed.append(f"<= {f.hi:g}")
        if f.kind == "numbers" and f.min_len != 2:
            allowed.append(f"at least {f.min_len} value{'s' if f.min_len != 1 else ''}")
        if f.help:
            allowed.append(f.help)
        req = "yes" if f.required else ""
        if row.when:
            req = f"{req} (if {row.when})" if req else f"(if {row.when})"
        lines.append(f"| `{row.path}` | {f.kind} | {f.unit or '-'} | {req} | "
                     f"{'; '.join(allowed)} |")
    return "\n".join(lines)



def model_table_markdown() -> str:
    """The table of registered models (docs/experiments.md), read from :data:`REGISTRIES`."""
    lines = ["| table | key | name | what | source |", "|---|---|---|---|---|"]
    for table, reg in REGISTRIES.items():
        for v in reg:
            lines.append(f"| `[{table}]` | `{reg.key}` | `{v.name}` | {v.help} | "
                         f"{v.citation or '-'} |")
    return "\n".join(lines)
