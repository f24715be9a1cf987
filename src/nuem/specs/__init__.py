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

Layer 0: imports only :mod:`nuem.exceptions`. Modules: :mod:`nuem.specs.fields` (fields,
sections, registries) and :mod:`nuem.specs.validator` (validation and the way back).

Examples
--------
>>> reg = Registry("shape", key="model")
>>> _ = reg.register(Variant("flat", (number("level", "1/keV", True, lo=0),), build=dict))
>>> sec = Section(variants=reg)
>>> Validator("demo.toml").table(sec, {"model": "flat", "level": {"value": 2, "source": "s"}}, "")
{'model': 'flat', 'level': 2.0}
"""

from .fields import (
    Cited,
    Field,
    FieldRow,
    Registry,
    Section,
    Variant,
    field_rows,
    iter_fields,
    number,
    numbers,
)
from .validator import Validator, to_document

__all__ = ["Field", "Section", "Variant", "Registry", "Cited", "Validator", "FieldRow", "number",
           "numbers", "field_rows", "iter_fields", "to_document"]


def __dir__():  # the public API only (locked by tests/test_api.py)
    return sorted(__all__)
