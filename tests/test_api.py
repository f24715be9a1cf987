"""Public API surface and import cost."""

import subprocess
import sys

import pytest

import nuem


def test_all_names_resolve():
    for name in nuem.__all__:
        assert getattr(nuem, name) is not None


def test_import_is_light():
    # `import nuem` does no heavy work (<= 0.3 s). Measured in a fresh interpreter;
    # numpy, scipy, xraylib and periodictable must not be imported.
    code = ("import time, sys; t = time.perf_counter(); import nuem; "
            "dt = time.perf_counter() - t; "
            "heavy = [m for m in ('numpy', 'scipy', 'xraylib', 'periodictable') "
            "if m in sys.modules];"
            "print(dt, heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    dt, heavy = out.stdout.split(" ", 1)
    assert float(dt) < 0.3
    assert heavy.strip() == "[]"


def test_unknown_attribute():
    import pytest
    with pytest.raises(AttributeError):
        nuem.does_not_exist  # noqa: B018


# --- API lock: dir() of nuem and of each subpackage is exactly the listed public names --------
# (as pyhf and particle do). Adding a public name is a deliberate change of this table.
API = {
    "nuem": {"COMPONENTS", "FlavorMixture", "Flux", "InvalidParameterError", "LineFlux",
             "NuemError", "RateSpectrum", "ReactorSource", "TabulatedFlux", "Target",
             "__version__", "constants", "counts_in_bins", "differential_rates", "get_target",
             "interactions", "reactor_flux"},
    "nuem.sources": {"FLAVORS", "FlavorMixture", "Flux", "LineFlux", "ReactorSource",
                     "SOURCE_KINDS", "TabulatedFlux", "check_flux", "reactor_flux",
                     "ElectronCaptureSource", "SolarSource", "SumFlux", "TritiumSource",
                     "reactor_nue_lines", "SterileDMHalo"},
    "nuem.atoms": {"SOURCES", "Shell", "binding_energies_kev", "dielectric_function",
                   "distant_collision_terms", "edge_peaks", "plasma_energy_kev", "shells",
                   "sigma_gamma_cm2", "sigma_gamma_element_cm2", "sigma_gamma_extended_cm2",
                   "stepping_electrons", "stepping_electrons_kev", "trk_electrons"},
    "nuem.interactions": {
        "ATOMIC_MODELS", "AtomicModel", "FLAVORS", "PARAMETERS", "PROCESSES", "Parameter",
        "Process", "ProcessContext", "R2_CONVENTIONS", "RECOIL_KINDS", "Scatterer",
        "charge_radius_gv_shift", "couplings", "dsigma_dt_cevns",
        "dsigma_dt_cevns_magnetic_moment", "dsigma_dt_magnetic_moment",
        "dsigma_dt_magnetic_moment_epa", "dsigma_dt_millicharge_difference",
        "dsigma_dt_millicharge_pai", "dsigma_dt_millicharge_pure", "dsigma_dt_millicharge_ww",
        "dsigma_dt_sm", "dsigma_dt_sm_millicharge", "enu_min_mev", "helm_form_factor",
        "isotope", "lifetime_s", "nucleus_mass", "r2_interval_from_sin2w",
        "radiative_decay_rate_per_s", "t_max_kev", "weak_charge", "dsigma_dt_transition_free",
        "sterile_dm_rates"},
    "nuem.experiments": {"AnalysisSpec", "Experiment", "ObservedSpectrum", "ReactorSpec",
                         "SCHEMA_VERSION", "SIGNAL_COMPONENTS", "SourceSpec",
                         "experiment_from_document", "get_experiment", "hypothetical_experiment",
                         "list_experiments", "load_experiment", "observed_spectrum", "preset_ids",
                         "validate"},
    "nuem.io": {"events", "excess", "hdf5_files", "lines", "root_files", "serialize",
                "spectra"},
    "nuem.reproductions": {"DEPRECATED_NAMES", "FIGURES", "REPRODUCTIONS", "Reproduction",
                           "TABLES", "get_reproduction", "resolve_name"},
    "nuem.specs": {"Cited", "Field", "FieldRow", "Registry", "Section", "Validator", "Variant",
                   "field_rows", "iter_fields", "number", "numbers", "to_document"},
    "nuem.plotting": {"COLOURS", "legend_above", "new_axes", "new_figure", "save"},
    "nuem.report": {"FIGURES", "MARKER", "build_report"},
    "nuem.export": {"experiment_json_schema", "export_pyhf", "to_dataframe", "to_hist"},
    "nuem.cli": {"main"},
    "nuem.inference": {
        "ASIMOV_INPUTS", "AsimovGeModel", "AsimovScanModel", "BinnedPoissonLimit",
        "BinnedPoissonModel", "BinnedPoissonOnOnly", "DEFAULT_TARGET", "EXECUTORS", "FitResult",
        "GAUSSIAN_METHODS", "Interval", "LIMIT_METHODS", "LikelihoodModel", "LimitResult",
        "METHODS", "Method", "OnOffCounts", "OnOffModel", "Parameter", "ProfileResult",
        "ResidualModel", "SENSITIVITY_METHODS", "ScanGrid", "ScanResult", "SensitivityResult",
        "TRIALS", "ToyBelt", "asimov_mu_nu_limit", "bayes_gaussian_upper", "bayes_poisson_upper",
        "binned_poisson_limit", "capabilities", "chi2_fit", "cls_gaussian_upper",
        "cls_poisson_upper", "cls_value_gaussian", "cls_value_poisson", "describe_methods",
        "expected_sensitivity", "fc_gaussian_belt", "fc_gaussian_interval",
        "fc_poisson_acceptance", "fc_poisson_interval", "fc_toy_belt", "fc_toy_interval",
        "gaussian_interval", "get_method", "interval_from_fit", "limit_from_data",
        "method_names", "mu_nu_limit_from_mu2", "onoff_poisson_fit", "poisson_interval",
        "poisson_upper_mean", "profile_background", "register_method", "run_scan",
        "signal_template", "sqrt_limit", "template_on_edges", "unregister_method",
        "write_table", "ToyScanModel", "available_cpus", "UnbinnedModel", "EventLimitResult",
        "limit_from_events", "profile_upper_limit", "event_sensitivity"},
}


@pytest.mark.parametrize("package", sorted(API))
def test_api_lock(package):
    import importlib

    mod = importlib.import_module(package)
    assert set(dir(mod)) == API[package], (
        f"public API of {package} changed: added {sorted(set(dir(mod)) - API[package])}, "
        f"removed {sorted(API[package] - set(dir(mod)))}")
    for name in API[package]:
        assert getattr(mod, name) is not None


def test_detectors_api_is_locked():
    import nuem.detectors as d
    assert set(dir(d)) == set(d.__all__) and "Response" in d.__all__


def test_python_dash_m_nuem():
    out = subprocess.run([sys.executable, "-m", "nuem", "--version"], capture_output=True,
                         text=True, check=True)
    assert out.stdout.startswith("nuem ")


def test_public_imports():
    code = "import nuem, nuem.inference, nuem.sources, nuem.interactions"
    subprocess.run([sys.executable, "-c", code], check=True)
