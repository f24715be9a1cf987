"""The statistical-method registry (nuem.inference.methods): built-in methods, views, errors,
and methods defined here, in the test file alone, that then work through nuem's functions and
its command line without any edit of nuem."""

import json

import numpy as np
import pytest
from scipy import optimize, stats

from nuem.cli.main import build_parser, main
from nuem.exceptions import InvalidParameterError, UnknownNameError
from nuem.inference import (
    GAUSSIAN_METHODS,
    LIMIT_METHODS,
    METHODS,
    AsimovScanModel,
    Interval,
    capabilities,
    describe_methods,
    expected_sensitivity,
    gaussian_interval,
    get_method,
    limit_from_data,
    method_names,
    poisson_interval,
    register_method,
    unregister_method,
)


class NeymanGaussianUpper:
    """One-sided Neyman upper limit of a Gaussian mean, U = max(x + z_cl sigma, 0)
    (J. Neyman, Phil. Trans. R. Soc. A 236, 333 (1937))."""

    name = "neyman-gaussian-upper"
    citation = "J. Neyman, Phil. Trans. R. Soc. A 236, 333 (1937)"

    def gaussian_interval(self, estimate, sigma, cl):
        up = np.maximum(np.asarray(estimate, float) + stats.norm.ppf(cl) * np.asarray(sigma), 0.0)
        return Interval(0.0 * up if up.ndim else 0.0, up if up.ndim else float(up), cl, self.name)


class WilksUpper:
    """Profile-likelihood upper limit: the θ > θ̂' (θ̂' = max(θ̂, 0)) where −2 ln L_prof rises by
    z_cl² above its value at θ̂' (S. S. Wilks, Ann. Math. Stat. 9, 60 (1938); one-sided, Cowan,
    Cranmer, Gross, Vitells, EPJC 71, 1554 (2011), Eq. 14)."""

    name = "wilks-upper"
    citation = "S. S. Wilks, Ann. Math. Stat. 9, 60 (1938)"
    model_kinds = ("residual", "on-off")

    def model_interval(self, model, data, cl):
        fit = model.fit(data)
        t0 = max(fit.best_fit, 0.0)
        q0 = model.profile(t0, data).m2lnl
        z2 = stats.norm.ppf(cl) ** 2

        def g(t):
            return model.profile(t, data).m2lnl - q0 - z2

        hi = t0 + fit.total
        while g(hi) < 0:
            hi += 2 * fit.total
        up = optimize.brentq(g, t0, hi, xtol=1e-8 * fit.total)
        return Interval(0.0, float(up), cl, self.name, {"best_fit": fit.best_fit})


@pytest.fixture
def user_methods():
    objs = [register_method(NeymanGaussianUpper()), register_method(WilksUpper)]
    yield objs
    for o in objs:
        unregister_method(o.name)


def test_builtin_registry():
    assert METHODS == ("feldman-cousins", "bayes", "cls")
    assert GAUSSIAN_METHODS == ("feldman-cousins", "bayes", "cls")
    assert LIMIT_METHODS == ("feldman-cousins", "bayes", "cls", "binned-poisson",
                             "profile-likelihood")
    # feldman-cousins also builds its belt by toys for unbinned models (FC Sec. V)
    assert method_names("model") == ("feldman-cousins", "binned-poisson", "profile-likelihood")
    assert capabilities("feldman-cousins") == ("gaussian", "poisson", "model")
    assert get_method("feldman-cousins").model_kinds == ("unbinned",)
    assert capabilities("binned-poisson") == ("model",)
    assert capabilities("profile-likelihood") == ("model",)
    assert capabilities("cls") == ("gaussian", "poisson")
    cites = {m["name"]: m["citation"] for m in describe_methods()}
    assert "Phys. Rev. D 57, 3873 (1998)" in cites["feldman-cousins"]
    assert "J. Phys. G 28, 2693 (2002)" in cites["cls"]
    assert "Phys. Rev. Lett. 105, 061801 (2010)" in cites["binned-poisson"]
    assert "Eur. Phys. J. C 71, 1554 (2011)" in cites["profile-likelihood"]
    assert "binned-poisson" not in METHODS and "wilks-upper" not in LIMIT_METHODS


def test_registry_errors():
    with pytest.raises(UnknownNameError, match="allowed: feldman-cousins, bayes, cls"):
        gaussian_interval(0.0, 1.0, method="neyman")
    with pytest.raises(InvalidParameterError, match="binned-poisson.*cannot give a gaussian"):
        gaussian_interval(0.0, 1.0, method="binned-poisson")
    with pytest.raises(InvalidParameterError, match="built in"):
        register_method(get_method("bayes"), replace=True)
    with pytest.raises(InvalidParameterError, match="already registered"):
        register_method(get_method("bayes"))
    with pytest.raises(InvalidParameterError, match="built in"):
        unregister_method("cls")

    class NoCite:
        name = "x-method"
        citation = ""

        def gaussian_interval(self, x, s, cl):  # pragma: no cover
            return None

    with pytest.raises(InvalidParameterError, match="citation"):
        register_method(NoCite())

    class NoAbility:
        name = "y-method"
        citation = "somebody"

    with pytest.raises(InvalidParameterError, match="defines none of"):
        register_method(NoAbility())
    NoAbility.name = "Bad Name"
    with pytest.raises(InvalidParameterError, match="lower-case"):
        register_method(NoAbility())
    assert "x-method" not in method_names() and "y-method" not in method_names()


def test_user_gaussian_method_everywhere(user_methods):
    name = "neyman-gaussian-upper"
    z = stats.norm.ppf(0.9)
    assert name in METHODS and name in GAUSSIAN_METHODS and name in LIMIT_METHODS
    iv = gaussian_interval(0.3, 2.0, 0.9, method=name)
    assert iv.method == name and iv.upper == pytest.approx(0.3 + 2.0 * z)
    with pytest.raises(InvalidParameterError, match="cannot give a poisson"):
        poisson_interval(3, 1.0, method=name)
    # Asimov median of a Gaussian construction: upper(0, sigma_theta) = z sigma_theta
    s = expected_sensitivity("texono-hpge", interval=name)
    assert s.theta["median"] == pytest.approx(z * s.sigma_theta, rel=1e-12)
    cols = {"threshold_kev": [1.0], "background_cpkkd": [1.0], "exposure_kg_day": [1e3],
            "flux_cm2_s": [1e13]}
    out = AsimovScanModel(method=name)(cols)
    fc = AsimovScanModel()(cols)
    assert out["theta_limit"][0] / fc["theta_limit"][0] == pytest.approx(z / 1.645, rel=2e-3)


def test_user_methods_on_the_command_line(user_methods, capsys):
    def help_of(cmd):
        with pytest.raises(SystemExit):
            build_parser().parse_args([cmd, "--help"])   # built after registration
        return capsys.readouterr().out

    for cmd, name in (("interval", "neyman-gaussian-upper"), ("limit", "wilks-upper"),
                      ("limit", "neyman-gaussian-upper"), ("sensitivity", "neyman-gaussian-upper"),
                      ("scan", "neyman-gaussian-upper")):
        assert name in help_of(cmd), (cmd, name)
    assert "wilks-upper" not in help_of("interval")
    assert main(["interval", "--estimate", "0", "--sigma", "1", "--method",
                 "neyman-gaussian-upper", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "neyman-gaussian-upper"
    assert out["upper"] == pytest.approx(stats.norm.ppf(0.9))


def test_user_model_method_through_limit_from_data(user_methods, tmp_path, capsys):
    """Wilks on the Gaussian residual model: −2 ln L_prof is exactly quadratic, so the limit is
    θ̂ + z σ (θ̂ >= 0) or θ̂ + √(θ̂² + z²σ²) (θ̂ < 0, measured from the boundary)."""
    from test_inference_limits import _asimov_onoff, _wong2010_like

    z = stats.norm.ppf(0.9)
    for f in (_asimov_onoff(tmp_path, mu_nu=3e-10), _wong2010_like(tmp_path)):
        r = limit_from_data("texono-hpge", f, method="wilks-upper")
        t, s = r.best_fit, r.total
        expect = t + z * s if t >= 0 else t + np.sqrt(t * t + z * z * s * s)
        assert r.method == "wilks-upper" and r.theta_upper == pytest.approx(expect, rel=1e-6)
    # with a normalisation nuisance the profile is no longer quadratic; the limit grows
    f = _wong2010_like(tmp_path)
    a = limit_from_data("texono-hpge", f, method="wilks-upper")
    b = limit_from_data("texono-hpge", f, method="wilks-upper", xsec_sigma=0.2)
    assert b.theta_upper > a.theta_upper
    # joint Poisson model: a model method receives the OnOffModel
    p = limit_from_data("texono-hpge", _asimov_onoff(tmp_path, mu_nu=3e-10),
                        method="wilks-upper", joint_poisson=True)
    assert p.details["model"]["kind"] == "on-off"
    assert p.theta_upper == pytest.approx(p.best_fit + z * p.total, rel=0.02)
    assert main(["limit", "--experiment", "texono-hpge", "--data", str(f), "--method",
                 "wilks-upper", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "wilks-upper"


def test_methods_gone_after_unregister():
    assert "neyman-gaussian-upper" not in METHODS
    with pytest.raises(UnknownNameError):
        get_method("wilks-upper")
