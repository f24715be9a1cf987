"""Material defaults (nuem.materials, nuem/data/materials.toml).

Evidence: germanium's numbers are the ones nuem always used (F = 0.11, eps = 2.96 eV at 77 K,
Knoll Table 11.1; k = 0.133 Z^(2/3) A^(-1/2) with Z = 32, A = 72.630; rho = 5.323 g/cm^3), so no
germanium result moves; the Lindhard k of every material is recomputed independently from the
standard atomic weights (CIAAW); published values: Si F = 0.119, eps = 3.749 eV at 123 K
(Rodrigues et al., arXiv:2004.11499); LXe W = 13.7 eV (Dahl 2009), LAr W = 19.5 eV (Doke et al.
2002); a scintillator has no Fano factor, a gas no density.
"""

import math
import re
from pathlib import Path

import pytest

from nuem.atoms.dielectric import mass_density_g_cm3
from nuem.exceptions import InvalidParameterError, UnknownNameError
from nuem.materials import (
    FANO_GE,
    PAIR_ENERGY_GE_EV,
    get_material,
    lindhard_k,
    material_names,
    material_table_markdown,
)

REQUIRED = ("Ge", "Si", "Xe", "Ar", "CsI", "NaI", "CF4", "C6F6", "C8H8")
STANDARD_WEIGHT = {"Ge": 72.630, "Si": 28.085, "Xe": 131.293, "Ar": 39.95, "Cs": 132.90545196,
                   "I": 126.90447, "F": 18.998403162, "C": 12.011}
DOMINANT = {"Ge": ("Ge", 32), "Si": ("Si", 14), "Xe": ("Xe", 54), "Ar": ("Ar", 18),
            "CsI": ("Cs", 55), "NaI": ("I", 53), "CF4": ("F", 9), "C6F6": ("F", 9),
            "C8H8": ("C", 6)}


def test_germanium_numbers_unchanged():
    ge = get_material("Ge")
    assert ge.fano.value == 0.11 == FANO_GE
    assert ge.energy_per_quantum_ev.value == 2.96 == PAIR_ENERGY_GE_EV
    assert ge.density_g_cm3.value == 5.323 == mass_density_g_cm3("Ge")
    # the expression of the pre-materials loader, bit for bit
    assert ge.quenching.k.value == 0.133 * 32 ** (2.0 / 3.0) / math.sqrt(72.63)
    assert ge.quenching.z == 32 and ge.quenching.model == "lindhard"
    assert round(ge.quenching.k.value, 3) == 0.157


def test_required_materials_present_and_cited():
    assert set(REQUIRED) <= set(material_names())
    for formula in material_names():
        m = get_material(formula)
        assert m.label and m.kind and m.phase
        for c in (m.density_g_cm3, m.fano, m.energy_per_quantum_ev, m.quenching.k):
            if c is not None:
                assert c.source.strip() and c.value > 0
        d = m.to_dict()
        assert d["formula"] == formula


@pytest.mark.parametrize("formula", REQUIRED)
def test_lindhard_k_of_dominant_element(formula):
    m = get_material(formula)
    sym, z = DOMINANT[formula]
    assert (m.quenching.element, m.quenching.z) == (sym, z)
    expected = 0.133 * z ** (2.0 / 3.0) / math.sqrt(STANDARD_WEIGHT[sym])
    assert m.quenching.k.value == pytest.approx(expected, rel=1e-12)
    assert m.quenching.k.value == pytest.approx(lindhard_k(z, STANDARD_WEIGHT[sym]), rel=1e-15)


def test_published_values():
    si, xe, ar = get_material("Si"), get_material("Xe"), get_material("Ar")
    assert (si.fano.value, si.energy_per_quantum_ev.value) == (0.119, 3.749)
    assert "2004.11499" in si.fano.source
    assert xe.energy_per_quantum_ev.value == 13.7 and "Dahl" in xe.energy_per_quantum_ev.source
    assert ar.energy_per_quantum_ev.value == 19.5 and "Doke" in ar.energy_per_quantum_ev.source
    for m in (si, xe, ar, get_material("Ge")):
        assert 0 < m.fano.value < 1          # sub-Poissonian
    # noble liquids need more energy per quantum than semiconductors; Xe < Ar (ionisation
    # potentials 12.1 and 15.8 eV)
    assert 2.96 < 3.749 < xe.energy_per_quantum_ev.value < ar.energy_per_quantum_ev.value


@pytest.mark.parametrize("formula", ["CsI", "NaI", "C6F6", "C8H8", "CF4"])
def test_scintillator_has_no_fano_or_pair_energy(formula):
    m = get_material(formula)
    assert m.fano is None and m.energy_per_quantum_ev is None
    with pytest.raises(InvalidParameterError, match=rf"fano: material '{formula}'"):
        m.require("fano")
    with pytest.raises(InvalidParameterError, match="energy_per_quantum_ev"):
        m.require("energy_per_quantum_ev")


def test_gas_needs_density():
    m = get_material("CF4")
    with pytest.raises(InvalidParameterError, match=r"density_g_cm3: material 'CF4'.*pressure"):
        m.require("density_g_cm3")
    with pytest.raises(InvalidParameterError, match="field='x'"):
        m.require("x")


def test_densities_shared_with_dielectric():
    for formula in material_names():
        m = get_material(formula)
        if m.density_g_cm3 is not None:
            assert mass_density_g_cm3(formula) == m.density_g_cm3.value


def test_names_aliases_and_unknown_elements():
    assert get_material("polystyrene") is get_material("polystyrene")
    assert get_material("polystyrene").formula == "C8H8"
    assert get_material("germanium").fano.value == 0.11
    na = get_material("Na")               # no table entry: periodictable density, nothing else
    assert na.density_g_cm3.value == pytest.approx(0.971) and na.fano is None
    assert get_material("H2O").density_g_cm3 is None
    with pytest.raises(UnknownNameError, match="target"):
        get_material("Xx")


def test_docs_material_table_is_generated():
    text = (Path(__file__).parents[1] / "docs" / "targets.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- BEGIN MATERIAL TABLE[^\n]*\n(.*?)\n<!-- END MATERIAL TABLE -->", text,
                  re.S)
    assert m, "docs/targets.md lacks the generated material table"
    assert m.group(1) == material_table_markdown()
