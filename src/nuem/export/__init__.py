"""Interchange with the tools of HEP analyses.

* :mod:`nuem.export.histfactory` -- the ON/OFF likelihood of an experiment as a HistFactory
  workspace for pyhf (``nuem export pyhf``);
* :mod:`nuem.export.histograms` -- binned results as ``hist.Hist`` (labelled axes, units) and
  pandas DataFrames;
* :mod:`nuem.export.json_schema` -- a JSON Schema of the experiment files generated from the
  field tables of :mod:`nuem.specs` (``nuem experiments schema``).

The optional packages (pyhf, hist, pandas, jsonschema: ``pip install 'nuem[interchange]'``)
are imported only by the functions that need them; nothing is computed at import.

Examples
--------
>>> import nuem.export
>>> sorted(nuem.export.__all__)
['experiment_json_schema', 'export_pyhf', 'to_dataframe', 'to_hist']
"""

from .._lazy import attach

_LAZY = {"export_pyhf": "histfactory", "to_hist": "histograms", "to_dataframe": "histograms",
         "experiment_json_schema": "json_schema"}

__all__ = list(_LAZY)

__getattr__, __dir__ = attach(__name__, _LAZY)
