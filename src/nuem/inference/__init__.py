"""Statistical inference: likelihood models of binned spectra, a registry of statistical methods
(unified Feldman–Cousins, Bayesian, CLs, binned-Poisson and user-registered ones), limits from
data, expected sensitivities and scans.

Everything is experiment-independent below :mod:`nuem.inference.builders` (arrays in, arrays
out); nothing is computed at import.

Examples
--------
>>> from nuem.inference import gaussian_interval, mu_nu_limit_from_mu2
>>> iv = gaussian_interval(0.0, 1.0, cl=0.9, method="feldman-cousins")
>>> round(iv.upper, 2), iv.method
(1.64, 'feldman-cousins')
>>> round(mu_nu_limit_from_mu2(-1.0, 2.7, 0.9)["upper_limit"] / 1e-11, 1)   # PRL 105, 061801
1.9
"""

from ._common import Interval
from .asimov_grid import ASIMOV_INPUTS, AsimovGeModel, AsimovScanModel, asimov_mu_nu_limit
from .bayes import bayes_gaussian_upper, bayes_poisson_upper
from .binned_poisson import TRIALS, BinnedPoissonLimit, binned_poisson_limit, poisson_upper_mean
from .cls import cls_gaussian_upper, cls_poisson_upper, cls_value_gaussian, cls_value_poisson
from .fc_toys import BinnedPoissonModel, ToyBelt, fc_toy_belt, fc_toy_interval
from .feldman_cousins import (
    fc_gaussian_belt,
    fc_gaussian_interval,
    fc_poisson_acceptance,
    fc_poisson_interval,
)
from .fits import chi2_fit, onoff_poisson_fit, profile_background
from .intervals import (
    gaussian_interval,
    mu_nu_limit_from_mu2,
    poisson_interval,
    sqrt_limit,
)
from .likelihood import FitResult, LikelihoodModel, Parameter, ProfileResult
from .limits import (
    LimitResult,
    interval_from_fit,
    limit_from_data,
    template_on_edges,
)
from .methods import (
    GAUSSIAN_METHODS,
    LIMIT_METHODS,
    METHODS,
    Method,
    capabilities,
    describe_methods,
    get_method,
    method_names,
    register_method,
    unregister_method,
)
from .onoff_model import BinnedPoissonOnOnly, OnOffCounts, OnOffModel
from .residual_model import ResidualModel
from .scan import EXECUTORS, ScanGrid, ScanResult, run_scan, write_table
from .sensitivity import (
    DEFAULT_TARGET,
    SENSITIVITY_METHODS,
    SensitivityResult,
    expected_sensitivity,
    signal_template,
)

__all__ = [
    "Interval", "METHODS", "gaussian_interval", "poisson_interval", "sqrt_limit",
    "mu_nu_limit_from_mu2",
    "Method", "GAUSSIAN_METHODS", "LIMIT_METHODS", "register_method", "unregister_method",
    "get_method", "method_names", "capabilities", "describe_methods",
    "Parameter", "LikelihoodModel", "ProfileResult", "ResidualModel", "OnOffModel",
    "OnOffCounts", "BinnedPoissonOnOnly",
    "fc_gaussian_belt", "fc_gaussian_interval", "fc_poisson_acceptance", "fc_poisson_interval",
    "bayes_gaussian_upper", "bayes_poisson_upper",
    "cls_gaussian_upper", "cls_poisson_upper", "cls_value_gaussian", "cls_value_poisson",
    "ToyBelt", "fc_toy_belt", "fc_toy_interval", "BinnedPoissonModel",
    "TRIALS", "BinnedPoissonLimit", "binned_poisson_limit", "poisson_upper_mean",
    "FitResult", "chi2_fit", "onoff_poisson_fit", "profile_background",
    "DEFAULT_TARGET", "SENSITIVITY_METHODS", "SensitivityResult", "expected_sensitivity",
    "signal_template",
    "LimitResult", "limit_from_data", "template_on_edges", "interval_from_fit",
    "ASIMOV_INPUTS", "AsimovScanModel", "AsimovGeModel", "asimov_mu_nu_limit",
    "EXECUTORS", "ScanGrid", "ScanResult", "run_scan", "write_table",
]
