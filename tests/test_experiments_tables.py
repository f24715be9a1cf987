"""Tabulated detector curves in experiment files are never extrapolated: a tabulated efficiency
must cover the analysis window and a tabulated quenching the true-energy grid of the response,
else loading fails naming the file and the field (not a bare OutOfRangeError at folding time).

Evidence: a flat efficiency table gives the spectrum of the equivalent step efficiency bit for
bit (both are the same constant on the window); a quenching table sampled densely from the
Lindhard model reproduces the Lindhard coherent spectrum (linear interpolation error < 0.5 %).
"""

import copy

import numpy as np
import pytest

from nuem.detectors.folding import true_grid_kev
from nuem.detectors.quenching import LindhardQuenching, TabulatedQuenching
from nuem.exceptions import DataFileError
from nuem.experiments import experiment_from_document, observed_spectrum


def _c(v, src="t"):
    return {"value": v, "source": src}


def _doc(efficiency=None, quenching=None):
    det = {"target": "Ge", "mass_kg": _c(1.0), "live_days_on": _c(1.0),
           "live_days_off": _c(1.0), "resolution": {"sigma_noise_kev": _c(0.1)},
           "efficiency": efficiency or {"model": "step", "threshold_kev": _c(1.0)}}
    if quenching is not None:
        det["quenching"] = quenching
    return {"schema_version": 2, "id": "t", "name": "t", "reference": "r", "status": "example",
            "source": {"kind": "reactor", "flux_cm2_s": _c(1e13, "assumed: t")},
            "detector": det,
            "analysis": {"e_min_kev": _c(1.0), "e_max_kev": _c(11.0),
                         "bin_width_kev": _c(1.0)}}


def _tab_eff(e, eff):
    return {"model": "tabulated", "e_kev": _c(list(e)), "efficiency": _c(list(eff))}


@pytest.mark.parametrize("e", [[1.5, 20.0], [0.5, 10.0], [2.0, 5.0]])
def test_efficiency_table_short_of_the_window_names_file_and_field(e):
    with pytest.raises(DataFileError) as exc:
        experiment_from_document(_doc(_tab_eff(e, [0.5, 0.5])), "my.toml")
    msg = str(exc.value)
    assert msg.startswith("my.toml: field 'detector.efficiency.e_kev': ")
    assert f"covers {e[0]:g}-{e[1]:g} keV, not the analysis window 1-11 keV" in msg


def test_flat_efficiency_table_equals_the_step_plateau():
    tab = experiment_from_document(_doc(_tab_eff([1.0, 11.0], [0.5, 0.5])))   # exact window
    step = experiment_from_document(_doc({"model": "step", "threshold_kev": _c(1.0),
                                          "plateau": _c(0.5)}))
    a, b = observed_spectrum(tab, mu_nu=1e-10), observed_spectrum(step, mu_nu=1e-10)
    for k in ("sm_electron", "magnetic_moment", "cevns", "total_on"):
        assert np.array_equal(a.components[k], b.components[k]), k
    assert a.components["magnetic_moment"].sum() > 0


def _tab_q(e_nr, y):
    return {"model": "tabulated", "e_nr_kev": _c(list(e_nr)), "quenching_factor": _c(list(y))}


def test_quenching_table_must_cover_the_true_grid():
    # covers the window 1-11 keVee but not its 5-sigma widening (true grid from ~0.49 keVee)
    e_nr = np.geomspace(4.0, 100.0, 40)
    y = LindhardQuenching().quenching_factor(e_nr)
    assert 0.6 < e_nr[0] * y[0] < 1.0 and e_nr[-1] * y[-1] > 11.0
    with pytest.raises(DataFileError) as exc:
        experiment_from_document(_doc(quenching=_tab_q(e_nr, y)), "q.toml")
    msg = str(exc.value)
    assert msg.startswith("q.toml: field 'detector.quenching.e_nr_kev': the table gives E_ee = ")
    assert "a table is never extrapolated" in msg


def test_dense_lindhard_table_reproduces_lindhard():
    e_nr = np.geomspace(1.0, 200.0, 400)
    q = LindhardQuenching()             # the k of the experiment default differs in digit 4
    exp_tab = experiment_from_document(_doc(quenching=_tab_q(e_nr, q.quenching_factor(e_nr))))
    exp_lin = experiment_from_document(_doc(quenching={"model": "lindhard",
                                                       "k": _c(q.k), "z": _c(q.z)}))
    assert isinstance(exp_tab.quenching, TabulatedQuenching)
    true = true_grid_kev(1.0, 11.0, 1.0, exp_tab.resolution)
    assert e_nr[0] * q.quenching_factor(e_nr[0]) <= true[0]      # the table covers the grid
    a = observed_spectrum(exp_tab).components["cevns"]
    b = observed_spectrum(exp_lin).components["cevns"]
    assert b.sum() > 0
    np.testing.assert_allclose(a, b, rtol=5e-3)


def test_the_coverage_check_leaves_the_document_alone():
    d = _doc(_tab_eff([0.5, 12.0], [0.2, 0.9]))
    before = copy.deepcopy(d)
    exp = experiment_from_document(d)
    assert d == before and float(exp.efficiency(0.5)) == 0.2


def test_bin_averaged_step_error_bound_for_a_plain_callable():
    # documented bound of the Gauss-Legendre fallback for a curve without bin_mean: a step
    # inside a bin is averaged to within 0.092 of the jump (8 points; exact: the fraction above)
    from nuem.detectors.efficiency import StepEfficiency, bin_averaged_efficiency

    steps = np.linspace(10.0005, 10.9995, 1999)
    got = np.array([bin_averaged_efficiency(lambda e, t=t: StepEfficiency(t)(e),
                                            [10.0, 11.0])[0] for t in steps])
    err = np.abs(got - (11.0 - steps))
    assert err.max() < 0.092 and err.max() > 0.08        # the bound is close to attained
    exact = np.array([bin_averaged_efficiency(StepEfficiency(t), [10.0, 11.0])[0]
                      for t in steps])                     # StepEfficiency.bin_mean
    assert np.allclose(exact, 11.0 - steps, rtol=0, atol=1e-12)


def test_true_grid_too_fine_is_an_error_not_a_coarser_grid():
    """A window whose resolution needs more than 20000 sigma/4 steps is refused (naming the
    window), instead of being folded on a silently coarser grid."""
    from nuem.detectors.folding import true_grid_kev
    from nuem.detectors.resolution import Resolution
    from nuem.exceptions import InvalidParameterError

    res = Resolution(0.3)
    g = true_grid_kev(12.0, 60.0, 1.0, res)
    assert np.all(np.diff(g) <= res.sigma_kev(g[1:]) / 4 * 1.01)   # sigma/4 steps
    with pytest.raises(InvalidParameterError, match="analysis window 0.1-5000 keV"):
        true_grid_kev(0.1, 5000.0, 10.0, Resolution(0.01))
