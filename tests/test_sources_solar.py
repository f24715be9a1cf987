"""Solar neutrinos: B16 fluxes, spectral shapes, MSW-LMA survival probability, rates on Xe.

Evidence
--------
* Acceptance: the SM nu-e and the mu_nu = 1e-11 mu_B rates on xenon (free electrons) at 1, 10
  and 30 keV, events/(t yr keV), agree within 3 % with an independent calculation written here:
  B16-GS98 fluxes (Vinyoles et al., ApJ 835, 202 (2017), Table 6) typed below, J.N. Bahcall's
  tabulated pp spectrum (J.N. Bahcall, PRC 56, 3391 (1997); the 84-point table of his data
  page, 5.0406 keV steps, end point 0.4234 MeV including thermal energy), 7Be lines with
  Bahcall's 89.7/10.3 % split, CNO spectra as pure phase space p W E^2 without Coulomb
  correction (8B and hep omitted: 1e-4 of the rate at these T), P_ee from the adiabatic formula
  coded here with the densities and NuFIT 5.2 values stated, couplings g_V = +-1/2 + 2 sin^2
  theta_W, g_A = +-1/2 with sin^2 theta_W = 0.23857 (Wong & Li, Mod. Phys. Lett. A 20, 1103
  (2005), Eqs. 4-6), electrons per tonne 54 N_A / 131.293 g/mol.
* P_ee invariants: range [sin^4 theta13, 1]; E -> 0 vacuum average and E -> infinity limit
  written out here; monotonic decrease with energy.
* Shapes: mean neutrino energies of 13N, 15O, 17F equal E0 - <T_e+> with the ENSDF mean positron
  energies (491.82, 735.28, 739.46 keV) within 0.2 %; pp within 1 % of Bahcall's table mean;
  every branch's nu_e + numu flux equals its B16 total.
"""

import math
import pathlib
import re

import numpy as np
import pytest
from experiment_docs import cited, minimal_experiment

from nuem.exceptions import InvalidParameterError, UnknownNameError
from nuem.rates import differential_rates
from nuem.sources import SolarSource
from nuem.sources.msw import (
    NUFIT_52,
    MixingParameters,
    high_energy_limit_pee,
    survival_probability,
    vacuum_average_pee,
)
from nuem.sources.solar import SOLAR_COMPONENTS
from nuem.sources.solar_spectra import CONTINUUM_SHAPES, LINES, b8_table, continuum_nodes

# ---- independent inputs (values written out; sources in the module docstring)
B16_GS98 = {"pp": 5.98e10, "pep": 1.44e8, "hep": 7.98e3, "7Be": 4.93e9, "8B": 5.46e6,
            "13N": 2.78e8, "15O": 2.05e8, "17F": 5.29e6}
B16_AGSS09MET = {"pp": 6.03e10, "pep": 1.46e8, "hep": 8.25e3, "7Be": 4.50e9, "8B": 4.50e6,
                 "13N": 2.04e8, "15O": 1.44e8, "17F": 3.26e6}
BAHCALL_PP = np.array([
    0.0035, 0.0138, 0.0307, 0.0538, 0.0830, 0.1179, 0.1582, 0.2038, 0.2543, 0.3094, 0.3691,
    0.4329, 0.5006, 0.5721, 0.6469, 0.7250, 0.8061, 0.8899, 0.9761, 1.0647, 1.1553, 1.2477,
    1.3417, 1.4370, 1.5335, 1.6310, 1.7291, 1.8278, 1.9267, 2.0258, 2.1247, 2.2233, 2.3214,
    2.4187, 2.5151, 2.6105, 2.7044, 2.7969, 2.8877, 2.9766, 3.0634, 3.1479, 3.2300, 3.3094,
    3.3859, 3.4594, 3.5298, 3.5966, 3.6599, 3.7194, 3.7749, 3.8262, 3.8731, 3.9154, 3.9529,
    3.9854, 4.0127, 4.0344, 4.0505, 4.0605, 4.0644, 4.0617, 4.0522, 4.0356, 4.0114, 3.9794,
    3.9391, 3.8900, 3.8316, 3.7632, 3.6842, 3.5937, 3.4907, 3.3740, 3.2422, 3.0932, 2.9246,
    2.7330, 2.5136, 2.2589, 1.9567, 1.5832, 1.0783, 0.0])
E_PP = np.concatenate([[0.0], 0.0050406 * np.arange(1, BAHCALL_PP.size + 1)])
Y_PP = np.concatenate([[0.0], BAHCALL_PP])
Y_PP = Y_PP / np.trapezoid(Y_PP, E_PP)
NE = {"pp": 62.0, "pep": 68.0, "7Be": 81.0, "13N": 76.0, "15O": 88.0, "17F": 89.0}  # N_A/cm3
S12, S13, DM2_EV2 = 0.303, 0.02225, 7.41e-5          # NuFIT 5.2, NO, with SK-atm
GF_EV2, HBARC_EV_CM, N_A = 1.1663788e-23, 1.973269804e-5, 6.02214076e23
ME, SIN2W, ALPHA = 0.51099895, 0.23857, 1 / 137.035999084
HBARC_MEV_CM = 1.973269804e-11
XE_ELECTRONS_PER_T = 54 * N_A / 131.293 * 1e6
T_YR_KEV = 1e3 * 365.25                                # counts/(kg keV day) -> /(t yr keV)


def _pee(e_mev, ne):
    v = math.sqrt(2) * GF_EV2 * HBARC_EV_CM**3 * ne * N_A
    beta = 2 * v * (1 - S13) * np.asarray(e_mev) * 1e6 / DM2_EV2
    c2, s2 = 1 - 2 * S12, 2 * math.sqrt(S12 * (1 - S12))
    cm = (c2 - beta) / np.sqrt((c2 - beta) ** 2 + s2**2)
    return (1 - S13) ** 2 * (0.5 + 0.5 * c2 * cm) + S13**2


def _sm(t, e, nue):
    """Wong & Li Eq. 4, cm^2/MeV; t, e in MeV (e > 0)."""
    gv = (0.5 if nue else -0.5) + 2 * SIN2W
    ga = 0.5 if nue else -0.5
    k = (GF_EV2 * 1e12) ** 2 * ME / (2 * math.pi) * HBARC_MEV_CM**2
    return k * ((gv + ga) ** 2 + (gv - ga) ** 2 * (1 - t / e) ** 2
                + (ga**2 - gv**2) * ME * t / e**2)


def _cno_shape(e0):
    e = np.linspace(0.0, e0, 20001)[1:-1]
    t = e0 - e
    w = t + ME
    y = e**2 * w * np.sqrt(w * w - ME * ME)
    return e, y / np.trapezoid(y, e)


def _independent_rates(t_kev, mu=1e-11):
    """(SM, mu_nu) rates on Xe in events/(t yr keV), all inputs written in this file."""
    t = t_kev / 1e3
    x = 0.5 * (t + math.sqrt(t * t + 2 * ME * t))
    sm = mm = 0.0
    weight = {True: lambda p: p, False: lambda p: 1 - p}
    e = np.linspace(x, E_PP[-1], 20001)
    y = np.interp(e, E_PP, Y_PP)
    for nue in (True, False):
        sm += B16_GS98["pp"] * np.trapezoid(y * weight[nue](_pee(e, NE["pp"])) * _sm(t, e, nue), e)
    mm += B16_GS98["pp"] * np.trapezoid(y * (1 / t - 1 / e), e)
    for br, lines in (("7Be", ((0.862, 0.897), (0.384, 0.103))), ("pep", ((1.442, 1.0),))):
        for en, fr in lines:
            if en >= x:
                p = _pee(en, NE[br])
                sm += B16_GS98[br] * fr * (p * _sm(t, en, True) + (1 - p) * _sm(t, en, False))
                mm += B16_GS98[br] * fr * (1 / t - 1 / en)
    for br, e0 in (("13N", 1.199), ("15O", 1.732), ("17F", 1.740)):
        e, y = _cno_shape(e0)
        m = e >= x
        p = _pee(e[m], NE[br])
        sm += B16_GS98[br] * np.trapezoid(
            y[m] * (p * _sm(t, e[m], True) + (1 - p) * _sm(t, e[m], False)), e[m])
        mm += B16_GS98[br] * np.trapezoid(y[m] * (1 / t - 1 / e[m]), e[m])
    k_mm = math.pi * (ALPHA * HBARC_MEV_CM / ME) ** 2 * mu**2
    per = XE_ELECTRONS_PER_T * 3.15576e7 / 1e3          # per tonne-year, per keV
    return sm * per, k_mm * mm * per


@pytest.mark.parametrize("t_kev", [1.0, 10.0, 30.0])
def test_xe_rates_agree_with_independent_calculation(t_kev):
    flux = SolarSource("B16-GS98").flux()
    r = differential_rates("Xe", flux, [t_kev], atomic="free", mu_nu=1e-11, couplings="tree")
    sm_ref, mm_ref = _independent_rates(t_kev)
    assert r.components["sm_electron"][0] * T_YR_KEV == pytest.approx(sm_ref, rel=0.03)
    assert r.components["magnetic_moment"][0] * T_YR_KEV == pytest.approx(mm_ref, rel=0.03)
    assert 2.5 < sm_ref < 4.0            # order of magnitude of the known xenon pp+7Be rate


def test_fluxes_are_the_b16_table_values():
    for model, table in (("B16-GS98", B16_GS98), ("B16-AGSS09met", B16_AGSS09MET)):
        src = SolarSource(model)
        assert src.fluxes_cm2_s() == table
        comps = src.components()
        assert tuple(comps) == SOLAR_COMPONENTS
        for name, mix in comps.items():
            assert mix.total_cm2_s() == pytest.approx(table[name], rel=1e-9)
        assert src.flux().total_cm2_s() == pytest.approx(sum(table.values()), rel=1e-9)


def test_flux_is_the_sum_of_the_branches():
    src = SolarSource()
    total, parts = src.flux(), src.components()
    x = np.array([0.05, 0.3, 0.5, 0.9, 1.3, 2.0, 8.0, 16.0])
    for fl in ("nue", "numu"):
        want = sum(p.moments_mev(x, (0, 1, 2), fl) for p in parts.values())
        assert np.allclose(total.moments_mev(x, (0, 1, 2), fl), want, rtol=1e-10, atol=0)


def test_nue_share_follows_the_survival_probability():
    src = SolarSource()
    for name, (e, _) in ((b, LINES[b][0]) for b in ("7Be", "pep")):
        mix = src.components()[name]
        p = _pee(e, NE[name])
        assert mix.moments_mev(e, (0,), "nue")[0] / mix.moments_mev(e, (0,))[0] == \
            pytest.approx(p, abs=2e-3)
    none = SolarSource(oscillation="none").flux()
    assert none.flavors == ("nue",)
    const = SolarSource(oscillation="constant", pee=0.4).flux()
    assert const.total_cm2_s("nue") / const.total_cm2_s() == pytest.approx(0.4, rel=1e-12)


def test_survival_probability_limits_and_range():
    e = np.geomspace(1e-4, 1e4, 400)
    for ne in (0.0, 10.0, 60.0, 150.0):
        p = survival_probability(e, ne)
        assert np.all((p >= S13**2 - 1e-15) & (p <= 1.0))
        assert np.all(np.diff(p) <= 1e-15)                      # decreasing in E
    vac = (1 - S13) ** 2 * (1 - 0.5 * (2 * math.sqrt(S12 * (1 - S12))) ** 2) + S13**2
    high = (1 - S13) ** 2 * S12 + S13**2
    assert vacuum_average_pee() == pytest.approx(vac, rel=1e-14)
    assert high_energy_limit_pee() == pytest.approx(high, rel=1e-14)
    assert survival_probability(1e-6, 100.0) == pytest.approx(vac, abs=1e-6)
    assert survival_probability(1e5, 100.0) == pytest.approx(high, abs=1e-4)
    assert np.allclose(survival_probability(e, 81.0), _pee(e, 81.0), rtol=1e-12)
    # extreme mixing: theta13 = 0 gives the two-flavour formula, range reaches sin^4 = 0
    two = MixingParameters(0.303, 0.0, 7.41e-5)
    assert survival_probability(1e5, 100.0, two) == pytest.approx(0.303, abs=1e-4)


def test_mean_energies_of_the_allowed_shapes():
    ensdf_mean_positron = {"13N": 0.49182, "15O": 0.73528, "17F": 0.73946}
    for name, t_mean in ensdf_mean_positron.items():
        e, y = continuum_nodes(name)
        mean = np.trapezoid(y * e, e) / np.trapezoid(y, e)
        assert mean == pytest.approx(CONTINUUM_SHAPES[name].endpoint_mev - t_mean, rel=2e-3)
    e, y = continuum_nodes("pp")
    bahcall = np.trapezoid(Y_PP * E_PP, E_PP)
    assert np.trapezoid(y * e, e) == pytest.approx(bahcall, rel=0.01)
    e, y = b8_table()
    assert np.trapezoid(y, e) == pytest.approx(1.0, rel=1e-12)
    assert 6.5 < np.trapezoid(y * e, e) < 7.0                  # 8B mean energy ~6.7 MeV


def test_lines_and_branchings():
    assert LINES["7Be"] == ((0.8618, 0.8956), (0.3842, 0.1044))
    assert LINES["pep"] == ((1.4422, 1.0),)
    be7 = SolarSource(components=["7Be"], oscillation="none").flux()
    x = np.array([0.38, 0.5, 0.87])
    assert np.allclose(be7.moments_mev(x, (0,)), [[4.93e9, 4.93e9 * 0.8956, 0.0]], rtol=1e-12)


def test_agss09met_lowers_cno_and_8b():
    gs, ags = SolarSource("B16-GS98"), SolarSource("B16-AGSS09met")
    for name in ("8B", "13N", "15O", "17F", "7Be"):
        assert ags.fluxes_cm2_s()[name] < gs.fluxes_cm2_s()[name]


@pytest.mark.parametrize("kwargs, err, needle", [
    ({"model": "SSM-1988"}, UnknownNameError, "model='SSM-1988'"),
    ({"components": ["pp", "Be7"]}, UnknownNameError, "components='Be7'"),
    ({"components": []}, InvalidParameterError, "components=() is empty"),
    ({"oscillation": "vacuum"}, UnknownNameError, "oscillation='vacuum'"),
    ({"oscillation": "constant"}, InvalidParameterError, "pee is required"),
    ({"oscillation": "constant", "pee": 1.5}, InvalidParameterError, "pee=1.5"),
    ({"pee": 0.5}, InvalidParameterError, "pee=0.5 is only used"),
    ({"mixing": (0.3, 0.02, 7e-5)}, InvalidParameterError, "mixing="),
])
def test_bad_input_names_the_parameter(kwargs, err, needle):
    with pytest.raises(err) as exc:
        SolarSource(**kwargs)
    assert needle in str(exc.value)
    assert "\n" not in str(exc.value)


def test_bad_mixing_parameters_and_energies():
    with pytest.raises(InvalidParameterError, match="sin2_theta12=1.2"):
        MixingParameters(1.2, 0.02, 7e-5)
    with pytest.raises(InvalidParameterError, match="dm2_21_ev2=-1"):
        MixingParameters(0.3, 0.02, -1.0)
    with pytest.raises(InvalidParameterError, match="enu_mev=-1.0"):
        survival_probability(-1.0, 60.0)
    with pytest.raises(InvalidParameterError, match="ne_na_cm3=-5.0"):
        survival_probability(1.0, -5.0)
    with pytest.raises(UnknownNameError, match="branch='Be7'"):
        SolarSource().survival_probability("Be7", 0.5)
    assert NUFIT_52.sin2_theta12 == 0.303


DOC = pathlib.Path(__file__).resolve().parents[1] / "docs" / "sources.md"
DOC_BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.parametrize("i", range(len(DOC_BLOCKS)))
def test_docs_sources_examples_run(i):
    """The examples of docs/sources.md run as written (they contain their own checks)."""
    assert len(DOC_BLOCKS) >= 4
    exec(compile(DOC_BLOCKS[i], f"docs/sources.md block {i + 1}", "exec"), {})  # noqa: S102


def _experiment(source, target="Xe"):
    res = {"sigma_noise_kev": cited(0.1), "fano": cited(0.1), "pair_energy_ev": cited(15.0)}
    return minimal_experiment(source, target, resolution=res)


def test_solar_source_kind_in_an_experiment_file():
    from nuem.experiments import observed_spectrum

    src = {"kind": "solar", "model": "B16-AGSS09met", "components": "pp, 7Be",
           "oscillation": "constant", "pee": {"value": 0.5, "source": "assumed: test"}}
    e = _experiment(src)
    f = e.flux()
    assert f.total_cm2_s() == pytest.approx(6.03e10 + 4.50e9, rel=1e-9)
    assert f.total_cm2_s("nue") == pytest.approx(0.5 * f.total_cm2_s(), rel=1e-12)
    assert e.source.kind == "solar" and e.citations["source.pee"] == "assumed: test"
    s = observed_spectrum(e, mu_nu=1e-11)
    assert s.components["magnetic_moment"].sum() > 0
    default = _experiment({"kind": "solar"}).flux()
    assert default.total_cm2_s() == pytest.approx(sum(B16_GS98.values()), rel=1e-9)
    mix = {"kind": "solar", "sin2_theta12": {"value": 0.31, "source": "t"},
           "sin2_theta13": {"value": 0.022, "source": "t"},
           "dm2_21_ev2": {"value": 7.5e-5, "source": "t"}}
    p = _experiment(mix).flux().total_cm2_s("nue") / sum(B16_GS98.values())
    assert 0.5 < p < 0.56 and p != pytest.approx(
        SolarSource().flux().total_cm2_s("nue") / sum(B16_GS98.values()), rel=1e-6)


@pytest.mark.parametrize("source, field, msg", [
    ({"kind": "solar", "pee": {"value": 0.5, "source": "t"}}, "source.pee", "only used with"),
    ({"kind": "solar", "oscillation": "constant"}, "source.pee", "missing required field"),
    ({"kind": "solar", "components": "pp, Be7"}, "source.components", "'Be7' is not a solar"),
    ({"kind": "solar", "model": "BP04"}, "source.model", "'BP04' is not known"),
    ({"kind": "solar", "sin2_theta12": {"value": 0.3, "source": "t"}}, "source.sin2_theta13",
     "go together"),
])
def test_solar_kind_errors_name_the_field(source, field, msg):
    from nuem.exceptions import DataFileError

    with pytest.raises(DataFileError, match=rf"field '{re.escape(field)}': .*{re.escape(msg)}"):
        _experiment(source)
