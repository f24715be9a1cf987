"""Declarative specifications of data-file fields, model registries and their validator.

The experiment files (:mod:`nuem.experiments.schema`), the source kinds
(:mod:`nuem.sources.registry`) and the detector models (resolution, efficiency, quenching in
:mod:`nuem.detectors`) describe their keys with the classes below, so a new model or source is
one class plus one registration: the schema, the CLI ``choices=`` and the documentation read the
registry.

* :class:`Field` -- one key (kind ``number``/``numbers``/``string``/``choice``/``int``; unit fixed
  by the name); :func:`number`, :func:`numbers` build the common ones.
* :class:`Section` -- a table of fields and sub-tables; with ``variants`` (a :class:`Registry`)
  its fields depend on a selector key (``model = "erf"``, ``kind = "reactor"``).
* :class:`Variant` -- one registered model: name, fields, builder, help, citation and
  cross-field check.
* :class:`Registry` -- the designated registry of one concept (name -> :class:`Variant`).
* :class:`Cited` -- a number with its source (material defaults).
* :class:`Validator` -- checks a parsed document against a :class:`Section` and collects the
  citation of every number; errors name the file and the dotted field.
* :func:`field_rows`, :func:`iter_fields` -- the field table (documentation); :func:`to_document`
  -- validated values and citations back to the ``{value, source}`` document form.

Conventions of the documents: a number is ``{ value = ..., source = "..." }`` (optional ``unit``
equal to the field's unit); units are fixed by the field name; unknown keys, missing required
fields and out-of-range values are errors naming the file and the dotted field.

Layer 0: imports only :mod:`nuem.exceptions`.

Examples
--------
>>> reg = Registry("shape", key="model")
>>> _ = reg.register(Variant("flat", (number("level", "1/keV", True, lo=0),), build=dict))
>>> sec = Section(variants=reg)
>>> Validator("demo.toml").table(sec, {"model": "flat", "level": {"value": 2, "source": "s"}}, "")
{'model': 'flat', 'level': 2.0}
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .exceptions import DataFileError, InvalidParameterError, UnknownNameError

__all__ = ["Field", "Section", "Variant", "Registry", "Cited", "Validator", "FieldRow", "number",
           "numbers", "field_rows", "iter_fields", "to_document"]

_KINDS = ("number", "numbers", "string", "choice", "int")


@dataclass(frozen=True)
class Field:
    """One key: kind is number/numbers/string/choice/int; numbers carry citations.

    ``lo``/``hi`` bound a number (``lo_open``: strict), ``choices`` a choice, ``min_len`` the
    length of a ``numbers`` array.
    """

    name: str
    kind: str
    unit: str = ""
    required: bool = False
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    min_len: int = 2

    def __post_init__(self):
        if self.kind not in _KINDS:
            raise InvalidParameterError(f"kind={self.kind!r} is not known; allowed: "
                                        f"{', '.join(_KINDS)}")


def number(name: str, unit: str = "", required: bool = False, lo: float | None = None,
           hi: float | None = None, lo_open: bool = False, help: str = "") -> Field:
    """A cited number field (``{ value = x, source = "..." }``)."""
    return Field(name, "number", unit, required, lo, hi, lo_open, (), help)


def numbers(name: str, unit: str = "", required: bool = False, help: str = "",
            min_len: int = 2) -> Field:
    """A cited array field (``{ value = [...], source = "..." }``) of at least ``min_len``."""
    return Field(name, "numbers", unit, required, help=help, min_len=min_len)


@dataclass(frozen=True)
class Cited:
    """A number with its citation (``source``) and unit, e.g. a material default."""

    value: float
    source: str
    unit: str = ""

    def __post_init__(self):
        if not isinstance(self.source, str) or not self.source.strip():
            raise InvalidParameterError(f"a cited value ({self.value!r}) needs a non-empty source")


@dataclass(frozen=True)
class Variant:
    """One registered model of a concept.

    Attributes
    ----------
    name : str
        Value of the selector key (``"gaussian-fano"``, ``"reactor"`` ...).
    fields : tuple of Field
        Keys of this model (in addition to the section's common fields).
    build : callable
        ``build(values, context)`` -> the model object; ``values`` are the validated values of
        the section, ``context`` is concept-specific (documented by each registry).
    help, citation : str
        One-line description and the paper/handbook the model comes from.
    sections : mapping
        Sub-tables of this model (e.g. the fission fractions of a reactor).
    check : callable, optional
        ``check(values, fail)``: cross-field rules; ``fail(field, message)`` names a field
        relative to the section.
    """

    name: str
    fields: tuple[Field, ...]
    build: Callable[..., Any]
    help: str = ""
    citation: str = ""
    sections: Mapping[str, Section] = field(default_factory=dict)
    check: Callable[..., None] | None = None


class Registry:
    """The designated registry of one concept: name -> :class:`Variant`, in registration order.

    ``key`` is the selector key in documents (``"model"`` or ``"kind"``).

    Examples
    --------
    >>> r = Registry("efficiency model")
    >>> r.get("x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nuem.exceptions.UnknownNameError: efficiency model='x' is not known; allowed: (none)
    """

    def __init__(self, concept: str, key: str = "model"):
        self.concept, self.key = concept, key
        self._entries: dict[str, Variant] = {}

    def register(self, variant: Variant, *, replace: bool = False) -> Variant:
        """Add ``variant``; a second registration of the same name needs ``replace=True``."""
        if not isinstance(variant, Variant):
            raise InvalidParameterError(f"{self.concept}: register a nuem.specs.Variant, got "
                                        f"{type(variant).__name__}")
        if variant.name in self._entries and not replace:
            raise InvalidParameterError(f"{self.concept}={variant.name!r} is already registered "
                                        "(pass replace=True to override)")
        self._entries[variant.name] = variant
        return variant

    def unregister(self, name: str) -> Variant:
        """Remove and return the variant called ``name`` (e.g. a temporary test model)."""
        variant = self.get(name)
        del self._entries[name]
        return variant

    def get(self, name: str) -> Variant:
        """The variant called ``name``; :class:`UnknownNameError` lists the known names."""
        try:
            return self._entries[name]
        except (KeyError, TypeError):
            raise UnknownNameError(f"{self.concept}={name!r} is not known; allowed: "
                                   f"{', '.join(self._entries) or '(none)'}") from None

    def names(self) -> tuple[str, ...]:
        """Registered names, in registration order (for ``choices=`` and the docs)."""
        return tuple(self._entries)

    def __contains__(self, name) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[Variant]:
        return iter(tuple(self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"Registry({self.concept!r}: {', '.join(self._entries)})"


@dataclass(frozen=True)
class Section:
    """A table of fields and sub-tables (``many``: an array of tables).

    With ``variants`` the table's further fields come from the variant named by its selector key
    (``variants.key``); ``default`` is the variant used when the key is omitted ("" = required).
    """

    fields: tuple[Field, ...] = ()
    sections: Mapping[str, Section] = field(default_factory=dict)
    required: bool = False
    many: bool = False
    help: str = ""
    variants: Registry | None = None
    default: str = ""


class FieldRow(NamedTuple):
    """One row of the field table: dotted path, field, and the variant condition ("" = always)."""

    path: str
    field: Field
    when: str


def _selector(section: Section) -> Field:
    reg = section.variants
    dflt = f"; default {section.default}" if section.default else ""
    return Field(reg.key, "choice", required=not section.default, choices=reg.names(),
                 help=f"{reg.concept} (registry){dflt}")


def field_rows(section: Section, prefix: str = "", when: str = "") -> Iterator[FieldRow]:
    """Every field of ``section`` and its sub-tables, with the variant each belongs to."""
    if section.variants is not None:
        yield FieldRow(prefix + section.variants.key, _selector(section), when)
    for f in section.fields:
        yield FieldRow(prefix + f.name, f, when)
    for name, sub in section.sections.items():
        yield from field_rows(sub, f"{prefix}{name}{'[]' if sub.many else ''}.", when)
    if section.variants is not None:
        key = section.variants.key
        for v in section.variants:
            cond = f'{key} = "{v.name}"'
            for f in v.fields:
                yield FieldRow(prefix + f.name, f, cond)
            for name, sub in v.sections.items():
                yield from field_rows(sub, f"{prefix}{name}{'[]' if sub.many else ''}.", cond)


def iter_fields(section: Section, prefix: str = ""):
    """Yield ``(dotted_path, Field)`` for every field (a path may repeat across variants)."""
    for row in field_rows(section, prefix):
        yield row.path, row.field


def _stem(name: str) -> str:
    return name.rsplit("_", 1)[0] if "_" in name else name


def _unit_suffix(name: str) -> str:
    return name.rsplit("_", 1)[1] if "_" in name else ""


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
        merged = Section(fields=(_selector(section), *section.fields, *v.fields),
                         sections={**section.sections, **v.sections}, required=section.required,
                         many=section.many, help=section.help)
        return merged, v, reg

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
        v = section.variants.get(sel)
        section = Section(fields=(_selector(section), *section.fields, *v.fields),
                          sections={**section.sections, **v.sections})
    known = {f.name: f for f in section.fields}
    out: dict = {}
    for key, val in values.items():
        where = prefix + key
        if key in section.sections:
            sub = section.sections[key]
            out[key] = ([to_document(sub, item, citations, f"{where}[{i}].")
                         for i, item in enumerate(val)] if sub.many
                        else to_document(sub, val, citations, where + "."))
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
