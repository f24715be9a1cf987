"""Helper for the inference tests: Asimov ON/OFF count files generated from a preset's model."""

from __future__ import annotations


def write_asimov_onoff(path, experiment, **truth):
    """Write the expected ON and OFF counts per analysis bin of a preset (``truth``: the EM
    parameters of :func:`nuem.experiments.observed_spectrum`, e.g. ``mu_nu`` or ``r2_cm2``) as
    a tab-separated ON/OFF table, unrounded; returns ``path``."""
    from nuem.experiments import get_experiment, observed_spectrum

    exp = get_experiment(experiment)
    c = observed_spectrum(exp, **truth).components
    e = exp.analysis.edges_kev()
    rows = "\n".join(f"{a}\t{b}\t{n}\t{m}" for a, b, n, m in
                     zip(e[:-1], e[1:], c["total_on"], c["total_off"], strict=True))
    path.write_text("e_lo_kev\te_hi_kev\ton_counts\toff_counts\n" + rows + "\n")
    return path
