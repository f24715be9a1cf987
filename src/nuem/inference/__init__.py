"""Statistical inference: unified (Feldman–Cousins), Bayesian and CLs intervals, binned-Poisson
limits for ON-only data, and generic χ² / ON–OFF Poisson fits.

Everything is experiment-independent (arrays in, arrays out); nothing is computed at import.

Examples
--------
>>> from nuem.inference import gaussian_interval, mu_nu_limit_from_mu2
>>> iv = gaussian_interval(0.0, 1.0, cl=0.9, method="feldman-cousins")
>>> round(iv.upper, 2), iv.method
(1.64, 'feldman-cousins')
>>> round(mu_nu_limit_from_mu2(-1.0, 2.7, 0.9)["upper_limit"] / 1e-11, 1)   # seed 003: 1.9
1.9
"""

from ._common import Interval
from .asimov_grid import ASIMOV_INPUTS, AsimovGeModel, asimov_mu_nu_limit
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
from .fits import FitResult, chi2_fit, onoff_poisson_fit, profile_background
from .intervals import (
    METHODS,
    gaussian_interval,
    mu_nu_limit_from_mu2,
    poisson_interval,
    sqrt_limit,
)
from .limits import (
    LIMIT_METHODS,
    LimitResult,
    interval_from_fit,
    limit_from_data,
    template_on_edges,
)
from .scan import EXECUTORS, ScanGrid, ScanResult, run_scan, write_table
from .sensitivity import (
    SensitivityResult,
    expected_sensitivity,
    hypothetical_experiment,
    signal_template,
)

__all__ = [
    "Interval", "METHODS", "gaussian_interval", "poisson_interval", "sqrt_limit",
    "mu_nu_limit_from_mu2",
    "fc_gaussian_belt", "fc_gaussian_interval", "fc_poisson_acceptance", "fc_poisson_interval",
    "bayes_gaussian_upper", "bayes_poisson_upper",
    "cls_gaussian_upper", "cls_poisson_upper", "cls_value_gaussian", "cls_value_poisson",
    "ToyBelt", "fc_toy_belt", "fc_toy_interval", "BinnedPoissonModel",
    "TRIALS", "BinnedPoissonLimit", "binned_poisson_limit", "poisson_upper_mean",
    "FitResult", "chi2_fit", "onoff_poisson_fit", "profile_background",
    "SensitivityResult", "expected_sensitivity", "hypothetical_experiment", "signal_template",
    "LIMIT_METHODS", "LimitResult", "limit_from_data", "template_on_edges", "interval_from_fit",
    "ASIMOV_INPUTS", "AsimovGeModel", "asimov_mu_nu_limit",
    "EXECUTORS", "ScanGrid", "ScanResult", "run_scan", "write_table",
]
