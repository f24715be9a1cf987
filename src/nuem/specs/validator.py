"""Validation of documents against :mod:`nuem.specs` sections, and the way back (see
:mod:`nuem.specs`)."""

from __future__ import annotations

from collections.abc import Mapping

from ..exceptions import DataFileError, InvalidParameterError
from .fields import Field, Section, _with_variant

__all__ = ["Validator", "to_document"]


def _stem(name: str) -> str:
    return name.rsplit("_", 1)[0] if "_" in name else name


def _unit_suffix(name: str) -> str:
    return name.rsplit("_", 1)[1] if "_" in name else ""


def _sub_tables(fn, sub: Section, val, where: str):
    """``fn(sub, table, prefix)`` on a sub-table, or on each table of an array of tables
    (``sub.many``; prefixes ``where[i].``)."""
    if sub.many:
        return [fn(sub, item, f"{where}[{i}].") for i, item in enumerate(val)]
    return fn(sub, val, where + ".")


class Validator:
    """Validate documents against a :class:`Section`; collect ``citations`` (dotted -> source).

    ``aliases`` renames path prefixes in messages only (e.g. ``{"source.": "reactor."}`` for a
    file written in an older layout), so errors name the keys as the user wrote them.
    """

    def __init__(self, path: str, aliases: Mapping[str, str] | None = None):
        self.path = str(path)
        self.citations: dict[str, str] = {}
        self.aliases = dict(aliases or {})

    def shown(self, where: str) -> str:
        """The dotted path as written in the file (aliases applied)."""
        for new, old in self.aliases.items():
            if where == new.rstrip(".") or where.startswith(new):
                return old.rstrip(".") + where[len(new.rstrip(".")):]
        return where

    def fail(self, where: str, msg: str):
        raise DataFileError(self.path, None, f"field '{self.shown(where)}': {msg}")

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
            if not isinstance(v, list) or len(v) < f.min_len or not all(
                    isinstance(x, int | float) and not isinstance(x, bool) for x in v):
                self.fail(where, f"value must be an array of at least {f.min_len} "
                                 f"number{'s' if f.min_len != 1 else ''}")
            if not all(abs(x) < float("inf") for x in v):
                self.fail(where, "value contains a non-finite number")
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

    def _resolve(self, section: Section, raw: dict, prefix: str):
        """The section with the fields of the variant selected by ``raw``, and that variant."""
        reg = section.variants
        key = reg.key
        sel = raw.get(key, section.default or None)
        if sel is None:
            self.fail(prefix + key, f"missing required field; allowed: {', '.join(reg.names())}")
        if not isinstance(sel, str):
            self.fail(prefix + key, f"must be a string, got {sel!r}")
        if sel not in reg:
            self.fail(prefix + key, f"{sel!r} is not known; allowed: {', '.join(reg.names())}")
        v = reg.get(sel)
        return _with_variant(section, v), v, reg

    def table(self, section: Section, raw, prefix: str) -> dict:
        """Validated values of one table (recursively); numbers' sources go to ``citations``."""
        if not isinstance(raw, dict):
            self.fail(prefix.rstrip(".") or "<root>", "must be a table")
        variant = reg = None
        if section.variants is not None:
            section, variant, reg = self._resolve(section, raw, prefix)
        known = {f.name: f for f in section.fields}
        out: dict = {}
        for key, val in raw.items():
            where = prefix + key
            if key in section.sections:
                sub = section.sections[key]
                if sub.many and not isinstance(val, list):
                    self.fail(where, "must be an array of tables ([[...]])")
                out[key] = _sub_tables(self.table, sub, val, where)
                continue
            f = known.get(key)
            if f is None:
                self._unknown(section, variant, reg, prefix, key)
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
        if variant is not None:
            out.setdefault(section.fields[0].name, variant.name)
        own = {f.name for f in variant.fields} if variant is not None else set()
        for f in section.fields:
            if f.required and f.name not in out:
                extra = (f" for {section.fields[0].name} {variant.name!r}" if f.name in own
                         else "")
                self.fail(prefix + f.name, f"missing required field{extra}"
                          + (f" (unit {f.unit})" if f.unit else ""))
        for name, sub in section.sections.items():
            if sub.required and name not in out:
                self.fail(prefix + name, "missing required table")
        if variant is not None and variant.check is not None:
            variant.check(out, lambda fld, msg: self.fail(prefix + fld, msg))
        return out

    def _unknown(self, section: Section, variant, reg, prefix: str, key: str):
        where = prefix + key
        known = [f.name for f in section.fields]
        same = [n for n in known if _stem(n) == _stem(key) and _unit_suffix(n)]
        if same:
            self.fail(where, f"wrong unit: use '{same[0]}' (units are fixed by the field name)")
        allowed = ", ".join(sorted([*known, *section.sections]))
        if variant is not None:
            owners = [v.name for v in reg if v is not variant
                      and any(f.name == key for f in v.fields)]
            if owners:
                self.fail(where, f"does not go with {reg.key} {variant.name!r} (it belongs to "
                                 f"{reg.key} {', '.join(map(repr, owners))}); allowed here: "
                                 f"{allowed}")
        self.fail(where, f"unknown key; allowed here: {allowed}")


def to_document(section: Section, values: Mapping, citations: Mapping[str, str],
                prefix: str = "") -> dict:
    """Validated ``values`` and their ``citations`` back to the document form that
    :meth:`Validator.table` accepts (numbers as ``{value, source}``, arrays as lists).

    Raises
    ------
    InvalidParameterError
        If a number has no citation.
    """
    if section.variants is not None:
        sel = values.get(section.variants.key, section.default)
        section = _with_variant(section, section.variants.get(sel))
    known = {f.name: f for f in section.fields}
    out: dict = {}
    for key, val in values.items():
        where = prefix + key
        if key in section.sections:
            out[key] = _sub_tables(lambda sub, v, pre: to_document(sub, v, citations, pre),
                                   section.sections[key], val, where)
            continue
        f = known.get(key)
        if f is not None and f.kind in ("number", "numbers"):
            if where not in citations:
                raise InvalidParameterError(f"{where}={val!r} has no citation")
            out[key] = {"value": list(val) if f.kind == "numbers" else val,
                        "source": citations[where]}
        else:
            out[key] = val
    return out
