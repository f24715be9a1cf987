"""Helper for tests: measured-spectrum files generated from an experiment's own model."""

from __future__ import annotations

import numpy as np


def write_model_spectrum(path, experiment, *, rates: bool = False, mu_nu: float = 0.0) -> None:
    """Write the expected ON (and OFF, if the experiment has OFF data) spectrum of a preset as a
    measured-spectrum table: rounded counts with the exposures in the header, or (``rates``)
    counts/(kg keV day) without exposures."""
    from nuem.experiments import get_experiment, observed_spectrum

    s = observed_spectrum(get_experiment(experiment), mu_nu=mu_nu)
    lo, hi = s.edges_kev[:-1], s.edges_kev[1:]
    c, x_on, x_off = s.components, s.exposure_on_kg_day, s.exposure_off_kg_day
    series = [("on", c["total_on"], x_on)] + ([("off", c["total_off"], x_off)] if x_off else [])
    with open(path, "w", encoding="utf-8") as f:
        if not rates:
            for name, _, x in series:
                f.write(f"# exposure_{name}_kg_day = {x!r}\n")
        kind = "cpkkd" if rates else "counts"
        f.write(",".join(["e_lo_kev", "e_hi_kev", *(f"{n}_{kind}" for n, _, _ in series)]) + "\n")
        cols = [v / (x * (hi - lo)) if rates else np.round(v) for _, v, x in series]
        for row in zip(lo, hi, *cols, strict=True):
            f.write(",".join(f"{v:.10g}" for v in row) + "\n")
