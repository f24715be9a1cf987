"""A JSON Schema (draft 2020-12) of the experiment files, generated from the field tables of
:mod:`nuem.specs` (:data:`nuem.experiments.schema.SCHEMA` and the model registries it reads).

Editors and CI systems can check an experiment file (converted from TOML to JSON, e.g. with
``tomllib`` + ``json``) against it. It states what the field tables state: required keys, no
unknown keys, every number as ``{value, source}`` (optional ``unit`` equal to the field's unit),
ranges, choices, array lengths, and the fields of each model selected by ``model``/``kind``
(``if``/``then`` per registered model; the default model when the key is omitted). Version 1
files (``[reactor]`` instead of ``[source]``) are accepted as such. Rules between fields (e.g.
``e_max_kev > e_min_kev``, known target names, isotopes) are checked by nuem's validator only.

Examples
--------
>>> s = experiment_json_schema()
>>> s["properties"]["status"]["enum"]
['published', 'historic', 'planned', 'example']
>>> s["properties"]["detector"]["properties"]["mass_kg"]["properties"]["unit"]
{'const': 'kg'}
"""

from __future__ import annotations

__all__ = ["experiment_json_schema", "section_schema", "field_schema"]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def field_schema(f) -> dict:
    """The JSON Schema of one :class:`nuem.specs.Field`."""
    desc = " ".join(x for x in (f.help, f"unit: {f.unit}" if f.unit else "") if x)
    if f.kind in ("number", "numbers"):
        num = {"type": "number"}
        if f.lo is not None:
            num["exclusiveMinimum" if f.lo_open else "minimum"] = f.lo
        if f.hi is not None:
            num["maximum"] = f.hi
        value = num if f.kind == "number" else {"type": "array", "items": num,
                                                "minItems": f.min_len}
        props = {"value": value, "source": {"type": "string", "minLength": 1,
                                            "description": "citation of the number; "
                                                           "'assumed: ...' if unverified"}}
        if f.unit:
            props["unit"] = {"const": f.unit}
        out = {"type": "object", "properties": props, "required": ["value", "source"],
               "additionalProperties": False}
    elif f.kind == "choice":
        out = {"enum": list(f.choices)}
    elif f.kind == "int":
        out = {"type": "integer"}
    else:
        out = {"type": "string"}
    if desc:
        out["description"] = desc
    return out


def _body(fields, sections) -> tuple[dict, list]:
    props, req = {}, []
    for f in fields:
        props[f.name] = field_schema(f)
        if f.required:
            req.append(f.name)
    for name, sub in sections.items():
        props[name] = section_schema(sub)
        if sub.required:
            req.append(name)
    return props, req


def section_schema(section, *, without=()) -> dict:
    """The JSON Schema of a :class:`nuem.specs.Section` (variants as ``if``/``then``);
    ``without`` drops keys (the selector of a version-1 ``[reactor]``)."""
    props, req = _body(section.fields, section.sections)
    out = {"type": "object"}
    reg = section.variants
    if reg is None:
        out.update(properties=props, required=req, additionalProperties=False)
    else:
        key = reg.key
        names = list(reg.names())
        if key not in without:
            props[key] = {"enum": names, "description": f"{reg.concept} (registry)"
                          + (f"; default {section.default}" if section.default else "")}
            if not section.default:
                req.append(key)
        rules = []
        all_names = set(props)
        for v in reg:
            vp, vr = _body(v.fields, v.sections)
            all_names |= set(vp)
            allowed = sorted(set(props) | set(vp))
            then = {"properties": vp, "required": vr, "propertyNames": {"enum": allowed}}
            if key in without:
                rules.append(then)
                continue
            cond = {"properties": {key: {"const": v.name}}, "required": [key]}
            rules.append({"if": cond, "then": then})
            if v.name == section.default:
                rules.append({"if": {"not": {"required": [key]}}, "then": then})
        out.update(properties=props, required=req, allOf=rules,
                   propertyNames={"enum": sorted(all_names)})
    if section.help and section.help != "root":
        out["description"] = section.help
    if section.many:
        return {"type": "array", "items": out, "minItems": 1}
    return out


def experiment_json_schema() -> dict:
    """The JSON Schema of an experiment file (module docstring)."""
    from dataclasses import replace

    from ..experiments.schema import SCHEMA, SUPPORTED_VERSIONS
    from ..sources.registry import SOURCE_KINDS

    root = section_schema(SCHEMA)
    root["properties"]["schema_version"] = {"enum": list(SUPPORTED_VERSIONS),
                                            "description": "1: [reactor] instead of [source]"}
    reactor = SOURCE_KINDS.get("reactor")
    v1 = replace(SCHEMA.sections["source"], variants=_only(SOURCE_KINDS, reactor))
    root["properties"]["reactor"] = section_schema(v1, without=(SOURCE_KINDS.key,))
    root["properties"]["reactor"]["description"] = ("schema_version = 1 only: the reactor "
                                                    "source, as [source] with kind = "
                                                    "\"reactor\" in version 2")
    root["required"] = [r for r in root["required"] if r != "source"]
    root["allOf"] = [{"if": {"properties": {"schema_version": {"const": 1}}},
                      "then": {"required": ["reactor"], "not": {"required": ["source"]}},
                      "else": {"required": ["source"], "not": {"required": ["reactor"]}}}]
    return {"$schema": _DRAFT,
            "title": "nuem experiment file",
            "description": "Experiment description read by nuem (TOML, shown as JSON); every "
                           "number is {value, source}. Generated from nuem.specs by "
                           "'nuem experiments schema'.", **root}


def _only(registry, variant):
    """A registry holding one variant (the version-1 reactor table)."""
    from ..specs import Registry

    reg = Registry(registry.concept, key=registry.key)
    reg.register(variant)
    return reg
