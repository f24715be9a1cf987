"""Experiments as data: versioned TOML schema, presets, loader and the observed-spectrum pipeline.

* :mod:`nuem.experiments.schema` -- field table and validator (every number cited);
* :mod:`nuem.experiments.loader` -- :func:`get_experiment`, :func:`load_experiment`,
  :func:`preset_ids`, :func:`list_experiments`, frozen :class:`Experiment`;
* :mod:`nuem.experiments.spectrum` -- :func:`observed_spectrum` -> :class:`ObservedSpectrum`;
* :mod:`nuem.experiments.hypothetical` -- :func:`hypothetical_experiment` (a detector described
  by arguments, built through the same validation as the files).

Examples
--------
>>> from nuem.experiments import preset_ids
>>> "texono-hpge" in preset_ids()
True
"""

from __future__ import annotations

from .._lazy import attach

_LAZY = {
    "Experiment": "loader", "ReactorSpec": "loader", "SourceSpec": "loader",
    "AnalysisSpec": "loader", "get_experiment": "loader", "load_experiment": "loader",
    "experiment_from_document": "loader", "preset_ids": "loader",
    "list_experiments": "loader", "SCHEMA_VERSION": "schema", "validate": "schema",
    "hypothetical_experiment": "hypothetical",
    "ObservedSpectrum": "spectrum", "observed_spectrum": "spectrum",
    "SIGNAL_COMPONENTS": "spectrum",
}

__all__ = sorted(_LAZY)


__getattr__, __dir__ = attach(__name__, _LAZY)
