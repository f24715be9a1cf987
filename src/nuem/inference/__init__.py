"""Statistical inference: likelihood models of binned spectra and of event lists (extended
unbinned likelihood), a registry of statistical methods (unified Feldman–Cousins, Bayesian, CLs,
binned-Poisson, profile likelihood and user-registered ones), limits from data, expected
sensitivities and scans.

Everything is experiment-independent below :mod:`nuem.inference.builders` (arrays in, arrays
out); nothing is computed at import, and the sub-modules are imported on first use.

Examples
--------
>>> from nuem.inference import gaussian_interval, mu_nu_limit_from_mu2
>>> iv = gaussian_interval(0.0, 1.0, cl=0.9, method="feldman-cousins")
>>> round(iv.upper, 2), iv.method
(1.64, 'feldman-cousins')
>>> round(mu_nu_limit_from_mu2(-1.0, 2.7, 0.9)["upper_limit"] / 1e-11, 1)   # PRL 105, 061801
1.9
"""

from .._lazy import attach

_LAZY = {
    "Interval": "_common",
    "METHODS": "methods",
    "gaussian_interval": "intervals",
    "poisson_interval": "intervals",
    "sqrt_limit": "intervals",
    "mu_nu_limit_from_mu2": "intervals",
    "Method": "methods",
    "GAUSSIAN_METHODS": "methods",
    "LIMIT_METHODS": "methods",
    "register_method": "methods",
    "unregister_method": "methods",
    "get_method": "methods",
    "method_names": "methods",
    "capabilities": "methods",
    "describe_methods": "methods",
    "Parameter": "likelihood",
    "LikelihoodModel": "likelihood",
    "ProfileResult": "likelihood",
    "ResidualModel": "residual_model",
    "OnOffModel": "onoff_model",
    "OnOffCounts": "onoff_model",
    "BinnedPoissonOnOnly": "onoff_model",
    "fc_gaussian_belt": "feldman_cousins",
    "fc_gaussian_interval": "feldman_cousins",
    "fc_poisson_acceptance": "feldman_cousins",
    "fc_poisson_interval": "feldman_cousins",
    "bayes_gaussian_upper": "bayes",
    "bayes_poisson_upper": "bayes",
    "cls_gaussian_upper": "cls",
    "cls_poisson_upper": "cls",
    "cls_value_gaussian": "cls",
    "cls_value_poisson": "cls",
    "ToyBelt": "fc_toys",
    "fc_toy_belt": "fc_toys",
    "fc_toy_interval": "fc_toys",
    "BinnedPoissonModel": "fc_toys",
    "TRIALS": "binned_poisson",
    "BinnedPoissonLimit": "binned_poisson",
    "binned_poisson_limit": "binned_poisson",
    "poisson_upper_mean": "binned_poisson",
    "FitResult": "likelihood",
    "chi2_fit": "fits",
    "onoff_poisson_fit": "fits",
    "profile_background": "fits",
    "DEFAULT_TARGET": "sensitivity",
    "SENSITIVITY_METHODS": "sensitivity",
    "SensitivityResult": "sensitivity",
    "expected_sensitivity": "sensitivity",
    "signal_template": "sensitivity",
    "LimitResult": "limits",
    "limit_from_data": "limits",
    "template_on_edges": "limits",
    "interval_from_fit": "limits",
    "ASIMOV_INPUTS": "asimov_grid",
    "AsimovScanModel": "asimov_grid",
    "AsimovGeModel": "asimov_grid",
    "asimov_mu_nu_limit": "asimov_grid",
    "EXECUTORS": "scan",
    "ScanGrid": "scan",
    "ScanResult": "scan",
    "run_scan": "scan",
    "write_table": "scan",
    "available_cpus": "scan_exec",
    "ToyScanModel": "toy_scan",
    "UnbinnedModel": "unbinned_model",
    "EventLimitResult": "event_limits",
    "limit_from_events": "event_limits",
    "profile_upper_limit": "profile_limits",
    "event_sensitivity": "event_sensitivity",
}

__all__ = list(_LAZY)

__getattr__, __dir__ = attach(__name__, _LAZY)
