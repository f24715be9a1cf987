"""Helpers for tests: minimal valid experiment documents (schema v2), every number cited "t"."""

from __future__ import annotations


def cited(value, source: str = "t") -> dict:
    """``{value, source}`` as every number of an experiment file is written."""
    return {"value": value, "source": source}


def minimal_document(source: dict, target: str = "Ge", *, resolution: dict | None = None,
                     window_kev=(1.0, 11.0), bin_width_kev: float = 1.0) -> dict:
    """A schema-v2 experiment document with the given ``[source]`` table and detector target."""
    c = cited(1.0)
    return {"schema_version": 2, "id": "t", "name": "t", "reference": "r", "status": "example",
            "source": source,
            "detector": {"target": target, "mass_kg": c, "live_days_on": c, "live_days_off": c,
                         "resolution": resolution or {"sigma_noise_kev": cited(0.1)},
                         "efficiency": {"model": "step", "threshold_kev": cited(1.0)}},
            "analysis": {"e_min_kev": cited(window_kev[0]), "e_max_kev": cited(window_kev[1]),
                         "bin_width_kev": cited(bin_width_kev)}}


def minimal_experiment(source: dict, target: str = "Ge", **kw):
    """The Experiment of :func:`minimal_document`."""
    from nuem.experiments import experiment_from_document

    return experiment_from_document(minimal_document(source, target, **kw), "x.toml")
