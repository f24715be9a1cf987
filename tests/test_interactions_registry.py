"""The process registry: a process and a parameter registered from this file alone.

The toy process below is a flavour-blind contact interaction on electrons,
dsigma/dT = eps^2 K (1 - T/E_nu) with K = G_F^2 m_e/(2 pi) (the shape of the (g_V - g_A)^2 term
of Wong & Li, Mod. Phys. Lett. A 20, 1103 (2005), Eq. 4 with unit coupling), so its rate from a
single line is known in closed form and checked here.
"""

import math

import numpy as np
import pytest

import nuem.rates as rates
from nuem.binned import counts_in_bins
from nuem.exceptions import InvalidParameterError, UnknownNameError
from nuem.interactions.registry import (
    PARAMETERS,
    PROCESSES,
    Parameter,
    Process,
    as_power_coefficients,
)
from nuem.rates import differential_rates, resolve_atomic_models
from nuem.sources import LineFlux
from nuem.sources.reactor import reactor_flux

GF_MEV2, ME_MEV = 1.1663788e-11, 0.51099895
HBARC2_MEV2_CM2 = (197.3269804e-13) ** 2
GE_ELECTRONS_PER_KG = 32 * 6.02214076e23 / 72.630e-3


def _toy_coefficients(t, ctx):
    from nuem.constants import GF2_ME_OVER_2PI

    k = ctx.params["eps_toy"] ** 2 * GF2_ME_OVER_2PI * ctx.electrons_per_kg(t)
    return as_power_coefficients(np.stack([k, -k * t, np.zeros_like(t)]))


TOY = Process("toy_contact", "electron", _toy_coefficients, parameters=("eps_toy",),
              signal_parameters=("eps_toy",), atomic_models=("free", "stepping"),
              description="toy contact interaction (test)")


@pytest.fixture
def toy():
    PARAMETERS.register(Parameter("eps_toy", "", "toy coupling", lower=0.0))
    PROCESSES.register(TOY)
    yield TOY
    PROCESSES.unregister("toy_contact")
    PARAMETERS.unregister("eps_toy")


def test_user_process_appears_in_rates_and_bins(toy):
    line = LineFlux([1.0], [1e12], "nue")
    t_kev = np.array([1.0, 100.0, 700.0, 800.0])   # T_max(1 MeV) = 796.5 keV
    r = differential_rates("Ge", line, t_kev, eps_toy=0.3, mu_nu=1e-11)
    assert list(r.components)[-1] == "toy_contact" and r.recoil["toy_contact"] == "electron"
    k = GF_MEV2**2 * ME_MEV / (2 * math.pi) * HBARC2_MEV2_CM2     # cm^2/MeV
    want = GE_ELECTRONS_PER_KG * 0.09 * k * (1 - t_kev * 1e-3) * 1e-3 * 1e12 * 86400
    want[-1] = 0.0
    np.testing.assert_allclose(r.components["toy_contact"], want, rtol=1e-10)
    assert "toy_contact" in rates.COMPONENTS and "toy_contact" in rates.ELECTRON_COMPONENTS
    assert r.total_electron[0] == pytest.approx(
        sum(r.components[c][0] for c in ("sm_electron", "magnetic_moment", "millicharge",
                                          "toy_contact")))
    c = counts_in_bins("Ge", line, [1.0, 10.0, 900.0], 1.0, eps_toy=0.3)
    assert c["toy_contact"][0] > 0 and c["toy_contact"][1] > c["toy_contact"][0]
    off = differential_rates("Ge", line, [1.0], eps_toy=0.0)
    assert off.components["toy_contact"][0] == 0.0     # vanishes with its signal parameter


def test_user_process_uses_the_atomic_model_machinery(toy):
    f = reactor_flux(1e13)
    free = differential_rates("Ge", f, [1.0], eps_toy=1.0, atomic={"toy_contact": "free"})
    step = differential_rates("Ge", f, [1.0], eps_toy=1.0)       # default: first model, free
    stp2 = differential_rates("Ge", f, [1.0], eps_toy=1.0, atomic={"toy_contact": "stepping"})
    assert free.components["toy_contact"][0] == step.components["toy_contact"][0]
    # Ge: 22 of 32 electrons are bound by less than 1 keV (stepping)
    assert stp2.components["toy_contact"][0] / free.components["toy_contact"][0] == \
        pytest.approx(22 / 32, rel=1e-12)


def test_unknown_parameter_and_removed_process():
    with pytest.raises(UnknownNameError, match="eps_toy"):
        differential_rates("Ge", reactor_flux(1e13), [1.0], eps_toy=0.1)
    assert "toy_contact" not in rates.COMPONENTS


@pytest.mark.parametrize(("kwargs", "match"), [
    (dict(recoil="photon"), "recoil"),
    (dict(parameters=("g_unregistered",)), "not registered"),
    (dict(atomic_models=()), "atomic models"),
    (dict(atomic_models=("hartree",)), "hartree"),
])
def test_registry_rejects_malformed_processes(kwargs, match):
    base = dict(name="bad", recoil="electron", coefficients=_toy_coefficients,
                atomic_models=("free",))
    base.update(kwargs)
    with pytest.raises(InvalidParameterError, match=match):
        PROCESSES.register(Process(**base))
    assert "bad" not in PROCESSES


def test_registering_twice_needs_replace():
    with pytest.raises(InvalidParameterError, match="already registered"):
        PROCESSES.register(PROCESSES["cevns"])


def test_atomic_model_resolution_follows_the_registry():
    assert resolve_atomic_models("epa", mu_nu=1e-10)["magnetic_moment"] == "epa"
    with pytest.raises(InvalidParameterError, match="mu_nu"):
        resolve_atomic_models("epa")        # magnetic_moment is zero for mu_nu = 0
    with pytest.raises(InvalidParameterError, match="not a valid model"):
        resolve_atomic_models({"sm_electron": "pai"})
    with pytest.raises(UnknownNameError, match="atomic channel"):
        resolve_atomic_models({"cevns": "free"})


def test_builtin_order_and_parameter_metadata():
    assert PROCESSES.names()[:5] == ("sm_electron", "magnetic_moment", "millicharge", "cevns",
                                     "cevns_magnetic_moment")
    assert PARAMETERS["mu_nu"].cli_flag == "--mu-nu" and PARAMETERS["mu_nu"].lower == 0.0
    with pytest.raises(InvalidParameterError, match="mu_nu"):
        PARAMETERS["mu_nu"].check(-1e-11)
