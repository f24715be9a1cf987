"""Field, section and registry specifications (see :mod:`nuem.specs`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..exceptions import InvalidParameterError, UnknownNameError

__all__ = ["Field", "Section", "Variant", "Registry", "Cited", "FieldRow", "number", "numbers",
           "same_length", "field_rows", "iter_fields"]

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


def same_length(a: str, b: str, noun: str | None = None):
    """A :class:`Variant` ``check``: the arrays ``a`` and ``b`` of a table have equal lengths
    (error on ``b``: "has N values for M <noun>", ``noun`` defaulting to ``a``)."""
    def check(values: dict, fail) -> None:
        if len(values[a]) != len(values[b]):
            fail(b, f"has {len(values[b])} values for {len(values[a])} {noun or a}")
    return check


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


def _with_variant(section: Section, variant) -> Section:
    """``section`` with the selector field and the fields and sub-tables of ``variant`` (the
    table a document with that variant is validated against)."""
    return Section(fields=(_selector(section), *section.fields, *variant.fields),
                   sections={**section.sections, **variant.sections}, required=section.required,
                   many=section.many, help=section.help)


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
