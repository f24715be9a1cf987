"""Tests of nuem.targets.

Sources: Ge 2.6533e26 electrons/kg = 32 N_A / 72.630 g (Z = 32, A = 72.630; N_A CODATA 2018);
CIAAW standard atomic weights and isotopic compositions via periodictable (Ge 70/72/73/74/76,
CsI 259.81 g/mol); xraylib shells for the stepping approximation.
"""

import json

import numpy as np
import pytest
from hepunits import keV

from nuem.constants import AVOGADRO
from nuem.exceptions import InvalidParameterError, UnknownNameError
from nuem.targets import ALIASES, Target, get_target

NAMES = ["Ge", "Si", "Xe", "Ar", "Na", "I", "Cs", "C", "F", "H", "CsI", "NaI", "CF4", "C6F6",
         "C8H8", "polystyrene"]


def test_ge_electrons_per_kg():
    assert get_target("Ge").electrons_per_kg == pytest.approx(2.6533e26, rel=1e-4)
    assert get_target("Ge").molar_mass_g_mol == pytest.approx(72.630, abs=1e-9)


def test_csi_electrons_per_kg():
    # (55 + 53) N_A / 259.81 g
    expected = (55 + 53) * AVOGADRO / 259.81e-3
    assert get_target("CsI").electrons_per_kg == pytest.approx(expected, rel=1e-5)
    assert get_target("CsI").atoms_per_kg("Cs") == pytest.approx(AVOGADRO / 259.81e-3, rel=1e-5)


def test_ge_natural_isotopes():
    isos = get_target("Ge").elements[0][0].isotopes
    assert [i.a for i in isos] == [70, 72, 73, 74, 76]
    assert [i.symbol for i in isos][3] == "Ge74"
    assert all(i.z == 32 and i.n == i.a - 32 for i in isos)
    assert sum(i.abundance for i in isos) == pytest.approx(1.0, abs=1e-12)
    assert isos[3].abundance == pytest.approx(0.3652, abs=1e-4)  # CIAAW 74Ge 36.52 %


def test_isotopes_per_kg_sum_to_nuclei():
    for name in ("Ge", "Xe", "CsI", "C8H8"):
        t = get_target(name)
        total = sum(c for _, c in t.isotopes_per_kg())
        assert total == pytest.approx(t.nuclei_per_kg, rel=1e-12)


def test_cf4_composition():
    t = get_target("CF4")
    counts = {e.symbol: n for e, n in t.elements}
    assert counts == {"C": 1.0, "F": 4.0}
    assert t.atoms_per_kg("F") == pytest.approx(4 * t.atoms_per_kg("C"))
    assert t.nuclei_per_kg == pytest.approx(5 * t.atoms_per_kg("C"))


@pytest.mark.parametrize("name", NAMES)
def test_known_targets_consistent(name):
    t = get_target(name)
    assert t.electrons_per_kg == pytest.approx(
        sum(e.z * t.atoms_per_kg(e.symbol) for e, _ in t.elements))
    assert t.active_electrons_per_kg_kev(1e3) == pytest.approx(t.electrons_per_kg, rel=1e-14)
    json.dumps(t.describe())


def test_aliases_and_names():
    assert get_target("polystyrene").formula == ALIASES["polystyrene"] == "C8H8"
    assert get_target("germanium").formula == "Ge"
    assert Target.from_name("Ge") is get_target("Ge") is get_target(" Ge ")  # cached


def test_ge_active_electrons_stepping():
    ge = get_target("Ge")
    t = np.array([1.0, 10.0, 12.0])
    frac = ge.active_electrons_per_kg_kev(t) / ge.electrons_per_kg
    np.testing.assert_allclose(frac, [22 / 32, 30 / 32, 1.0], rtol=1e-14)
    np.testing.assert_allclose(ge.active_electrons_per_kg(t * keV),
                               ge.active_electrons_per_kg_kev(t), rtol=0)
    assert ge.active_electrons_per_kg_kev(np.ones((2, 3))).shape == (2, 3)


def test_shells_and_describe():
    t = get_target("NaI")
    assert set(t.shells()) == {"Na", "I"}
    d = t.describe()
    assert d["formula"] == "NaI" and "xraylib" in d["sources"]["atomic_shells"]
    assert d["elements"][1]["isotopes"][0]["symbol"] == "I127"


@pytest.mark.parametrize("bad", ["Xx", "", "   ", "ge", "D2O", "Ge[74]", "Fe{3+}", "H2O@1",
                                 "NaCl+H2O", "C0", "Tc"])
def test_unknown_target_raises(bad):
    with pytest.raises(UnknownNameError, match="target"):
        get_target(bad)


def test_non_string_target_raises():
    with pytest.raises(InvalidParameterError, match="target"):
        get_target(32)  # type: ignore[arg-type]


def test_atoms_per_kg_unknown_symbol():
    with pytest.raises(UnknownNameError, match="symbol"):
        get_target("Ge").atoms_per_kg("Si")


@pytest.mark.parametrize("bad", [-1.0, [1.0, -0.5], np.nan])
def test_negative_energy_raises(bad):
    with pytest.raises(InvalidParameterError, match="t_kev"):
        get_target("Ge").active_electrons_per_kg_kev(bad)
    with pytest.raises(InvalidParameterError):
        get_target("Ge").active_electrons_per_kg(bad)
