"""Detector-medium densities used by the PAI density effect (nuem.atoms.dielectric)."""

import pytest

from nuem.atoms.dielectric import mass_density_g_cm3
from nuem.exceptions import InvalidParameterError


@pytest.mark.parametrize(("target", "rho"), [
    ("Ge", 5.323),          # periodictable (element)
    ("CsI", 4.51),          # CRC Handbook, 97th ed.
    ("NaI", 3.67),          # CRC Handbook, 97th ed.
    ("polystyrene", 1.06),  # NIST ESTAR/PSTAR material table
    ("Xe", 2.953),          # liquid xenon at 165 K (CRC), not periodictable's solid value
    ("Ar", 1.396),          # liquid argon at 87 K (CRC)
    ("Si", 2.33),           # periodictable (CRC, 25 C), same value in the materials table
    ("C6F6", 1.612),        # liquid at 25 C (CRC)
])
def test_tabulated_densities(target, rho):
    assert mass_density_g_cm3(target) == pytest.approx(rho)


def test_explicit_density_wins_and_gas_needs_one():
    assert mass_density_g_cm3("CF4", 0.0115) == pytest.approx(0.0115)
    with pytest.raises(InvalidParameterError, match="density_g_cm3"):
        mass_density_g_cm3("CF4")
    with pytest.raises(InvalidParameterError, match="density_g_cm3"):
        mass_density_g_cm3("Ge", -1.0)


def test_table_is_the_materials_table():
    from nuem.atoms.dielectric import detector_densities_g_cm3
    from nuem.materials import get_material

    table = detector_densities_g_cm3()
    assert "CF4" not in table
    for formula, rho in table.items():
        assert get_material(formula).density_g_cm3.value == rho
