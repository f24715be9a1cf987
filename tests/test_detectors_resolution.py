"""Resolution models and their registry (nuem.detectors.resolution), efficiency and quenching
registries.

Evidence: the formulas evaluated by hand (gaussian-fano: Knoll Ch. 12; gaussian-poly: the
a sqrt(E) + b E form of noble-liquid detectors), counts conservation and line width of the
smearing with a non-Fano model, and a model registered at run time is usable from a file
without editing the schema or the loader.
"""

import numpy as np
import pytest

from nuem.detectors import (
    EFFICIENCY_MODELS,
    QUENCHING_MODELS,
    RESOLUTION_MODELS,
    GaussianFano,
    GaussianPoly,
    Resolution,
    line_counts,
    smear,
)
from nuem.exceptions import DataFileError, InvalidParameterError, UnknownNameError
from nuem.specs import Variant, number


def test_registries_list_the_models():
    assert RESOLUTION_MODELS.names() == ("gaussian-fano", "gaussian-poly")
    assert EFFICIENCY_MODELS.names() == ("step", "erf", "tabulated")
    assert QUENCHING_MODELS.names() == ("lindhard", "tabulated")
    assert GaussianFano.name == "gaussian-fano" and GaussianPoly.name == "gaussian-poly"
    with pytest.raises(UnknownNameError, match="resolution model='x'.*gaussian-fano"):
        RESOLUTION_MODELS.get("x")
    with pytest.raises(InvalidParameterError, match="already registered"):
        RESOLUTION_MODELS.register(RESOLUTION_MODELS.get("gaussian-poly"))


def test_gaussian_fano_is_resolution_with_explicit_material():
    e = np.array([0.0, 1.0, 10.0, 100.0])
    a = GaussianFano(0.05, 0.059, 13.7, 0.01).sigma_kev(e)
    expected = np.sqrt(0.05**2 + 0.059 * 13.7e-3 * e + (0.01 * e) ** 2)
    np.testing.assert_allclose(a, expected, rtol=1e-15)
    # germanium convenience class: the same model with F = 0.11, eps = 2.96 eV
    np.testing.assert_array_equal(Resolution(0.05).sigma_kev(e),
                                  GaussianFano(0.05, 0.11, 2.96).sigma_kev(e))
    assert Resolution(0.05).to_dict()["model"] == "gaussian-fano"


def test_fano_zero_needs_no_pair_energy():
    r = GaussianFano(0.0, 0.0, None, 0.08)
    assert float(r.sigma_kev(1000.0)) == pytest.approx(80.0)
    with pytest.raises(InvalidParameterError, match="pair_energy_ev"):
        GaussianFano(0.0, 0.1, None)
    with pytest.raises(InvalidParameterError, match="fano"):
        GaussianFano(0.0, -0.1, 3.0)


def test_gaussian_poly_formula_and_validation():
    r = GaussianPoly(0.02, 0.3171 * 0.5, 0.0015)
    e = np.array([0.0, 1.0, 4.0, 100.0])
    np.testing.assert_allclose(r.sigma_kev(e), 0.02 + 0.15855 * np.sqrt(e) + 0.0015 * e,
                               rtol=1e-15)
    assert r.fwhm_kev(4.0) == pytest.approx(2.3548200450309493 * (0.02 + 0.3171 + 0.006))
    assert r.to_dict()["model"] == "gaussian-poly"
    with pytest.raises(InvalidParameterError, match="c2"):
        GaussianPoly(0.0, 0.1, -0.1)


def test_smearing_with_gaussian_poly_conserves_and_has_the_model_width():
    res = GaussianPoly(0.0, 0.1, 0.01)          # sigma(10 keV) = 0.1 sqrt(10) + 0.1 = 0.416 keV
    obs = np.linspace(5.0, 15.0, 2001)
    c = line_counts(10.0, 1000.0, obs, res).counts
    centres = 0.5 * (obs[1:] + obs[:-1])
    var = (centres**2 * c).sum() / c.sum() - ((centres * c).sum() / c.sum()) ** 2
    assert c.sum() == pytest.approx(1000.0, rel=1e-9)
    assert np.sqrt(var - np.diff(obs)[0] ** 2 / 12) == pytest.approx(
        0.1 * np.sqrt(10.0) + 0.1, rel=1e-3)
    true = np.linspace(1.0, 30.0, 581)
    out = smear(np.ones(580), true, obs, res)
    assert out.counts.sum() + out.below + out.above == pytest.approx(580.0, rel=1e-12)


def test_smearing_rejects_a_non_model():
    with pytest.raises(InvalidParameterError, match="resolution model"):
        smear([1.0], [1.0, 2.0], [0.0, 3.0], 0.3)


def test_new_model_is_one_class_and_one_registration(tmp_path):
    """A constant-sigma model registered at run time is read from a file, untouched schema."""
    from nuem.experiments import load_experiment, observed_spectrum
    from nuem.experiments.schema import field_table_markdown

    class Constant:
        name = "constant"

        def __init__(self, sigma_kev):
            self.s = sigma_kev

        def sigma_kev(self, e_kev):
            return np.full(np.shape(e_kev), self.s)

        def fwhm_kev(self, e_kev):
            return 2.3548200450309493 * self.sigma_kev(e_kev)

        def to_dict(self):
            return {"model": self.name, "sigma_kev": self.s}

    RESOLUTION_MODELS.register(Variant("constant", (number("sigma_kev", "keV", True, lo=0),),
                                       lambda v, ctx: Constant(v["sigma_kev"]), help="test"))
    try:
        assert "`detector.resolution.sigma_kev`" in field_table_markdown()
        p = tmp_path / "c.toml"
        p.write_text(_ge_file('model = "constant"\nsigma_kev = { value = 0.2, source = "t" }'))
        exp = load_experiment(p)
        assert isinstance(exp.resolution, Constant)
        s = observed_spectrum(exp, mu_nu=1e-10)
        assert s.provenance["resolution"] == {"model": "constant", "sigma_kev": 0.2}
        bad = tmp_path / "bad.toml"
        bad.write_text(_ge_file('model = "constant"\nfano = { value = 0.1, source = "t" }'))
        with pytest.raises(DataFileError, match=r"resolution.fano': does not go with model "
                                                r"'constant' \(it belongs to model "
                                                r"'gaussian-fano'\)"):
            load_experiment(bad)
    finally:
        RESOLUTION_MODELS.unregister("constant")
    assert "constant" not in RESOLUTION_MODELS


def _ge_file(resolution: str) -> str:
    return f'''schema_version = 2
id = "t"
name = "t"
reference = "test"
status = "example"
[source]
kind = "reactor"
flux_cm2_s = {{ value = 1e13, source = "assumed: test" }}
[detector]
target = "Ge"
mass_kg = {{ value = 1.0, source = "t" }}
live_days_on = {{ value = 100.0, source = "t" }}
live_days_off = {{ value = 50.0, source = "t" }}
[detector.resolution]
{resolution}
[detector.efficiency]
model = "step"
threshold_kev = {{ value = 2.0, source = "t" }}
[analysis]
e_min_kev = {{ value = 2.0, source = "t" }}
e_max_kev = {{ value = 12.0, source = "t" }}
bin_width_kev = {{ value = 1.0, source = "t" }}
'''
